//! The ballot store while a round is voting: nothing in it ties a voter to
//! a ballot unless it is opened with the round's key.
//!
//! Each round has a random 256-bit key, created at its first cast and kept
//! in `round_keys` sealed with a key derived from the server secret. Under
//! it:
//! - a voter's current ballot lives in `sealed_ballots` under the voter's
//!   **tag** (a keyed hash of their verification record), so that a new
//!   ballot replaces the old one in place; its content, commitment, channel
//!   and time are sealed, and only the pot is in the clear;
//! - the answer to each idempotency key is in `cast_answers` under a keyed
//!   hash of the voter and the key, sealed.
//!
//! The close (`seal`) opens every ballot, writes it to `ballots` under a
//! fresh random identifier, and deletes the sealed rows and the key. A copy
//! of the database taken while voting shows ciphertext and keyed hashes
//! (the key needs the server secret to open); one taken after the close
//! shows ballots that name nobody (see ARCHITECTURE.md, "Secrecy at rest").
use crate::crypto::{SealKey, Secret};
use crate::domain::id::{ParticipantId, PotId, RoundId};
use crate::domain::vote::{BallotContent, Channel};
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{cast_answers, round_keys, sealed_ballots};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};

/// What the server secret's derived key seals a round key under.
const ROUND_KEY_PURPOSE: &str = "round-key";

/// A round's key, opened.
#[derive(Clone, Debug)]
pub(crate) struct RoundKey {
    round_id: RoundId,
    key: SealKey,
}

/// A voter's current ballot, as sealed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SealedBallot {
    pub content: BallotContent,
    pub commitment: String,
    pub channel: Channel,
    pub cast_at: DateTime<Utc>,
}

/// The answer to one idempotency key, as sealed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) enum Answer {
    /// A ballot was cast: the same receipt for every retry.
    Cast {
        receipt_code: String,
        receipt_key: String,
        replaced: bool,
        cast_at: DateTime<Utc>,
    },
    /// Refused under the round's duplicate policy: the same refusal.
    Kept,
}

impl RoundKey {
    /// The identifier of a voter's ballot row while voting is open.
    pub(crate) fn voter_tag(&self, participant_id: ParticipantId) -> String {
        self.key.keyed_hash("voter", &participant_id.to_string())
    }

    fn answer_tag(&self, participant_id: ParticipantId, idempotency_key: &str) -> String {
        self.key.keyed_hash(
            "cast-answer",
            &format!("{participant_id}:{idempotency_key}"),
        )
    }

    fn context(&self, what: &str, tag: &str) -> String {
        format!("{what}:{}:{tag}", self.round_id)
    }

    fn seal<T: Serialize>(&self, what: &str, tag: &str, value: &T) -> ServiceResult<String> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("sealing a record: {e}")))?;
        Ok(self.key.seal(&self.context(what, tag), &bytes))
    }

    fn open<T: for<'de> Deserialize<'de>>(
        &self,
        what: &str,
        tag: &str,
        sealed: &str,
    ) -> ServiceResult<T> {
        let bytes = self
            .key
            .open(&self.context(what, tag), sealed)
            .ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!(
                    "a sealed {what} of round {} does not open with its key",
                    self.round_id
                ))
            })?;
        serde_json::from_slice(&bytes)
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("reading a sealed record: {e}")))
    }

    /// Opens a row of `sealed_ballots`.
    pub(crate) fn open_ballot(&self, row: &sealed_ballots::Model) -> ServiceResult<SealedBallot> {
        self.open("ballot", &row.id, &row.sealed)
    }
}

fn seal_key_of(secret: &Secret) -> SealKey {
    secret.seal_key(ROUND_KEY_PURPOSE)
}

fn open_round_key(secret: &Secret, row: &round_keys::Model) -> ServiceResult<RoundKey> {
    let bytes = seal_key_of(secret)
        .open(&format!("round-key:{}", row.round_id), &row.sealed_key)
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .ok_or_else(|| {
            ServiceError::Unexpected(anyhow::anyhow!(
                "round {}'s key does not open with the server secret (was FAIRSHARE_SECRET changed?)",
                row.round_id
            ))
        })?;
    Ok(RoundKey {
        round_id: row.round_id.into(),
        key: SealKey::from_bytes(bytes),
    })
}

/// The round's key, if it has one (it has from its first cast until the
/// close).
pub(crate) async fn existing_key(
    db: &impl ConnectionTrait,
    secret: &Secret,
    round_id: RoundId,
) -> ServiceResult<Option<RoundKey>> {
    round_keys::Entity::find_by_id(round_id.get())
        .one(db)
        .await
        .context("loading a round's key")?
        .map(|row| open_round_key(secret, &row))
        .transpose()
}

/// The round's key, made at its first cast. Two instances making one at
/// once agree on the first written.
pub(crate) async fn key(
    db: &impl ConnectionTrait,
    secret: &Secret,
    round_id: RoundId,
) -> ServiceResult<RoundKey> {
    if let Some(k) = existing_key(db, secret, round_id).await? {
        return Ok(k);
    }
    let fresh = SealKey::random();
    let sealed = seal_key_of(secret).seal(&format!("round-key:{round_id}"), fresh.as_bytes());
    round_keys::Entity::insert(round_keys::ActiveModel {
        round_id: Set(round_id.get()),
        sealed_key: Set(sealed),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(round_keys::Column::RoundId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .context("making a round's key")?;
    existing_key(db, secret, round_id)
        .await?
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("a round's key vanished")))
}

/// The voter's current ballot, opened, if they have one.
pub(crate) async fn current(
    db: &impl ConnectionTrait,
    key: &RoundKey,
    participant_id: ParticipantId,
) -> ServiceResult<Option<SealedBallot>> {
    sealed_ballots::Entity::find_by_id(key.voter_tag(participant_id))
        .one(db)
        .await
        .context("finding the voter's ballot")?
        .map(|row| key.open_ballot(&row))
        .transpose()
}

/// Stores the voter's ballot, replacing their current one.
pub(crate) async fn put(
    db: &impl ConnectionTrait,
    key: &RoundKey,
    participant_id: ParticipantId,
    pot_id: PotId,
    ballot: &SealedBallot,
) -> ServiceResult<()> {
    let tag = key.voter_tag(participant_id);
    let sealed = key.seal("ballot", &tag, ballot)?;
    sealed_ballots::Entity::insert(sealed_ballots::ActiveModel {
        id: Set(tag),
        round_id: Set(key.round_id.get()),
        pot_id: Set(pot_id.get()),
        sealed: Set(sealed),
    })
    .on_conflict(
        OnConflict::column(sealed_ballots::Column::Id)
            .update_columns([
                sealed_ballots::Column::PotId,
                sealed_ballots::Column::Sealed,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .context("storing a ballot")?;
    Ok(())
}

/// The answer given earlier to this voter's idempotency key, if any.
pub(crate) async fn answer(
    db: &impl ConnectionTrait,
    key: &RoundKey,
    participant_id: ParticipantId,
    idempotency_key: &str,
) -> ServiceResult<Option<Answer>> {
    let tag = key.answer_tag(participant_id, idempotency_key);
    cast_answers::Entity::find_by_id((key.round_id.get(), tag.clone()))
        .one(db)
        .await
        .context("looking for an earlier cast")?
        .map(|row| key.open("answer", &tag, &row.sealed))
        .transpose()
}

/// Keeps the answer to this voter's idempotency key.
pub(crate) async fn keep_answer(
    db: &impl ConnectionTrait,
    key: &RoundKey,
    participant_id: ParticipantId,
    idempotency_key: &str,
    answer: &Answer,
) -> ServiceResult<()> {
    let tag = key.answer_tag(participant_id, idempotency_key);
    let sealed = key.seal("answer", &tag, answer)?;
    cast_answers::ActiveModel {
        round_id: Set(key.round_id.get()),
        key_tag: Set(tag),
        sealed: Set(sealed),
    }
    .insert(db)
    .await
    .context("keeping the answer to a cast")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_seals_depend_on_the_round_key() {
        let a = RoundKey {
            round_id: RoundId::new(1),
            key: SealKey::random(),
        };
        let b = RoundKey {
            round_id: RoundId::new(1),
            key: SealKey::random(),
        };
        assert_eq!(
            a.voter_tag(ParticipantId::new(7)),
            a.voter_tag(ParticipantId::new(7))
        );
        assert_ne!(
            a.voter_tag(ParticipantId::new(7)),
            a.voter_tag(ParticipantId::new(8))
        );
        assert_ne!(
            a.voter_tag(ParticipantId::new(7)),
            b.voter_tag(ParticipantId::new(7))
        );
        assert_eq!(a.voter_tag(ParticipantId::new(7)).len(), 64);
        let ballot = SealedBallot {
            content: BallotContent {
                bids: vec![3, 5],
                values: None,
            },
            commitment: "ab".repeat(32),
            channel: Channel::Sms,
            cast_at: Utc::now(),
        };
        let tag = a.voter_tag(ParticipantId::new(7));
        let sealed = a.seal("ballot", &tag, &ballot).unwrap();
        assert!(!sealed.contains("bids"));
        let row = sealed_ballots::Model {
            id: tag.clone(),
            round_id: 1,
            pot_id: 2,
            sealed,
        };
        assert_eq!(a.open_ballot(&row).unwrap().content, ballot.content);
        assert!(b.open_ballot(&row).is_err());
        // A sealed ballot moved to another voter's row does not open.
        let moved = sealed_ballots::Model {
            id: a.voter_tag(ParticipantId::new(8)),
            ..row
        };
        assert!(a.open_ballot(&moved).is_err());
    }
}
