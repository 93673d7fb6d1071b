//! Voting: the one service every channel calls (the browser, officers
//! entering assisted and paper ballots, text messages and the telephone
//! keypad). It checks the ballot with the counting module's own
//! constraint checks, so that what is accepted is exactly what the count
//! reads, and stores it apart from the voter.
//!
//! Invariant: while voting is open, a voter's current ballot is in the
//! sealed store (`store`): under a keyed hash of the voter, sealed with the
//! round's key, so that they can replace it and nothing else can read it;
//! the answer to each idempotency key is sealed the same way. At the close
//! (`seal`), in the transaction that moves the round to closed and before
//! anything is counted, every ballot is written to `ballots` under a fresh
//! random identifier, in random order, holding the pot, the content, the
//! receipt commitment and (only where enough ballots share it) the
//! channel; never the voter, a time or a sequence; the sealed rows and the
//! round's key are deleted. `participation` records that a person voted
//! (area, channel, assurance, when), never which ballot.
use super::{audit, rounds, verification, Actor};
use crate::crypto::Secret;
use crate::domain::id::{ParticipantId, PotId, RoundId};
use crate::domain::{
    vote::{Channel, Choice, Receipt},
    Phase, Role,
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{ballot_duplicates, bids, participation, verified_participants};
use chrono::{DateTime, Utc};
use rand::{rngs::OsRng, TryRngCore};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap};

mod checks;
mod reads;
mod seal;
mod store;
pub mod writer;

pub(crate) use checks::{ballot_bids, check_choices, tally_shape};
pub(crate) use reads::current_channel;
#[cfg(feature = "test-support")]
pub use reads::stored_ballots;
pub use reads::{ballot_count, my_ballot, my_status, turnout, MyBallot, Turnout, VoteStatus};
pub use seal::seal;

/// At close, a ballot keeps its channel only where at least this many
/// ballots of its pot share it: a smaller group (the one paper ballot in a
/// ward) could be matched with the turnout record of who voted that way.
pub const MIN_CHANNEL_GROUP: u64 = 10;

/// Who is casting.
#[derive(Clone, Debug)]
pub enum Voter {
    /// A signed-in participant, for themselves.
    Account(Actor),
    /// An officer, for the verified participant with this record.
    Officer {
        officer: Actor,
        participant_id: ParticipantId,
    },
    /// A participant identified by another channel (a voting code, a
    /// verified phone number), by their verification record.
    Participant { participant_id: ParticipantId },
}

#[derive(Clone, Debug)]
pub struct CastRequest {
    pub round_id: RoundId,
    pub voter: Voter,
    pub channel: Channel,
    pub choices: Vec<Choice>,
    /// Chosen by the client, the same for every retry of one cast.
    pub idempotency_key: String,
}

/// What a voter is told after casting.
#[derive(Clone, Debug)]
pub struct Cast {
    pub receipt_code: String,
    pub receipt_key: String,
    pub cast_at: DateTime<Utc>,
    /// Whether this ballot replaced an earlier one.
    pub replaced: bool,
    /// Whether this was a retry of a cast already made (nothing changed).
    pub retried: bool,
}

/// Casts a ballot through the group-commit writer (one transaction and one
/// disk sync for every ballot waiting in its lane). It is acknowledged only
/// once committed.
#[tracing::instrument(name = "cast ballot", skip_all, fields(round.id = request.round_id.get(), channel = request.channel.as_str()))]
pub async fn cast(state: &AppState, request: CastRequest) -> ServiceResult<Cast> {
    check_key(&request.idempotency_key)?;
    state.ballot_writer.cast(request).await
}

fn check_key(key: &str) -> ServiceResult<()> {
    let ok = (8..=100).contains(&key.len()) && key.chars().all(|c| c.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "idempotencyKey",
            "send an idempotency key of 8 to 100 visible characters, the same for every retry of one ballot",
        ))
    }
}

fn refused(code: ErrorCode, message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, message)
}

/// The verification record of the voter, and who is acting.
async fn voter_record(
    txn: &DatabaseTransaction,
    round_id: RoundId,
    voter: &Voter,
) -> ServiceResult<(verified_participants::Model, Option<i64>)> {
    let not_verified = || {
        refused(
            ErrorCode::NotVerified,
            "you need to prove you live in the area before you can vote: verify for this round first",
        )
    };
    match voter {
        Voter::Account(actor) => {
            let record = verified_participants::Entity::find()
                .filter(verified_participants::Column::RoundId.eq(round_id))
                .filter(verified_participants::Column::AccountId.eq(actor.account_id))
                .lock_exclusive()
                .one(txn)
                .await
                .context("finding the voter")?
                .ok_or_else(not_verified)?;
            Ok((record, Some(actor.account_id.get())))
        }
        Voter::Officer {
            officer,
            participant_id,
        } => {
            officer.require(Role::Officer, "enter ballots for other people")?;
            let record = verified_participants::Entity::find_by_id((*participant_id).get())
                .lock_exclusive()
                .one(txn)
                .await
                .context("finding the voter")?
                .filter(|r| r.round_id == round_id.get())
                .ok_or_else(|| ServiceError::not_found("verified participant"))?;
            if record.account_id == Some(officer.account_id.get()) {
                return Err(refused(
                    ErrorCode::ConflictOfInterest,
                    "you cannot enter your own ballot as an officer: vote online, or ask another officer",
                ));
            }
            Ok((record, Some(officer.account_id.get())))
        }
        Voter::Participant { participant_id } => {
            let record = verified_participants::Entity::find_by_id((*participant_id).get())
                .lock_exclusive()
                .one(txn)
                .await
                .context("finding the voter")?
                .filter(|r| r.round_id == round_id.get())
                .ok_or_else(not_verified)?;
            let account = record.account_id;
            Ok((record, account))
        }
    }
}

/// What a cast came to, once its transaction commits.
pub(crate) enum Outcome {
    Cast(Cast),
    /// Refused under the round's duplicate policy. The refusal is kept
    /// (counted for officers, and answered the same to a retry), so the
    /// transaction commits all the same.
    Kept(ServiceError),
}

impl Outcome {
    pub(crate) fn into_result(self) -> ServiceResult<Cast> {
        match self {
            Outcome::Cast(c) => Ok(c),
            Outcome::Kept(e) => Err(e),
        }
    }
}

fn already_voted(by_officer: bool) -> ServiceError {
    refused(
        ErrorCode::AlreadyVoted,
        format!(
            "this person has already voted ({}); the round's rules keep that ballot",
            if by_officer {
                "through an officer"
            } else {
                "themselves"
            }
        ),
    )
}

/// What the casts of one transaction share: the rounds and the bids on each
/// pot's ballot, which no cast changes and which nothing else can change
/// while the transaction holds the round locked.
#[derive(Default)]
pub(crate) struct BatchCache {
    rounds: HashMap<RoundId, rounds::Round>,
    bids: HashMap<PotId, Vec<bids::Model>>,
    keys: HashMap<RoundId, store::RoundKey>,
    /// Writes every cast makes that nothing in the batch reads back:
    /// written together by [`flush`] before the batch commits.
    audits: Vec<crate::store::audit_events::ActiveModel>,
    participation: BTreeMap<(i64, i64), participation::ActiveModel>,
}

/// Writes what the casts of a batch deferred: their audit entries in one
/// statement, their participation in another (a person who cast twice in
/// the batch once, as of their last cast).
pub(crate) async fn flush(txn: &DatabaseTransaction, cache: &mut BatchCache) -> ServiceResult<()> {
    audit::insert_all(txn, std::mem::take(&mut cache.audits))
        .await
        .context("auditing ballots")?;
    let rows: Vec<participation::ActiveModel> = std::mem::take(&mut cache.participation)
        .into_values()
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    // One statement: a first vote inserts, a later one updates.
    participation::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                participation::Column::RoundId,
                participation::Column::ParticipantId,
            ])
            .update_columns([
                participation::Column::PotId,
                participation::Column::Channel,
                participation::Column::Assurance,
                participation::Column::LastVotedAt,
                participation::Column::AgeBand,
                participation::Column::DeprivationDecile,
            ])
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await
        .context("recording participation")?;
    Ok(())
}

impl BatchCache {
    /// The round, locked shared for the rest of the transaction.
    async fn round(
        &mut self,
        txn: &DatabaseTransaction,
        round_id: RoundId,
    ) -> ServiceResult<rounds::Round> {
        if let Some(r) = self.rounds.get(&round_id) {
            return Ok(r.clone());
        }
        let r = rounds::lock_shared(txn, round_id).await?;
        self.rounds.insert(r.id, r.clone());
        Ok(r)
    }

    /// The bids on the pot's ballot.
    async fn bids(
        &mut self,
        txn: &DatabaseTransaction,
        pot_id: PotId,
    ) -> ServiceResult<&[bids::Model]> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.bids.entry(pot_id) {
            e.insert(ballot_bids(txn, pot_id).await?);
        }
        Ok(self
            .bids
            .get(&pot_id)
            .map(Vec::as_slice)
            .unwrap_or_default())
    }

    /// The round's key, opened once a batch.
    async fn key(
        &mut self,
        txn: &DatabaseTransaction,
        secret: &Secret,
        round_id: RoundId,
    ) -> ServiceResult<store::RoundKey> {
        if let Some(k) = self.keys.get(&round_id) {
            return Ok(k.clone());
        }
        let k = store::key(txn, secret, round_id).await?;
        self.keys.insert(round_id, k.clone());
        Ok(k)
    }

    /// Forgets deferred writes of a cast that was undone.
    pub(crate) fn forget_writes(&mut self) {
        self.audits.clear();
        self.participation.clear();
    }
}

/// The cast itself, inside a transaction the caller commits. Every check
/// (phase, eligibility, ballot) runs here, with the round and the voter's
/// slot locked.
pub(crate) async fn cast_in(
    txn: &DatabaseTransaction,
    secret: &Secret,
    request: &CastRequest,
    now: DateTime<Utc>,
    cache: &mut BatchCache,
) -> ServiceResult<Outcome> {
    let round = cache.round(txn, request.round_id).await?;
    check_open(&round, &request.voter, now)?;
    let (record, actor_account) = voter_record(txn, round.id, &request.voter).await?;
    let eligible = eligibility(&round, &record)?;
    // One cast at a time per voter: the voter's record was read `FOR
    // UPDATE` on PostgreSQL; on SQLite the write transaction is alone.
    let key = cache.key(txn, secret, round.id).await?;
    match store::answer(txn, &key, record.id.into(), &request.idempotency_key).await? {
        Some(store::Answer::Cast {
            receipt_code,
            receipt_key,
            replaced,
            cast_at,
        }) => {
            return Ok(Outcome::Cast(Cast {
                receipt_code,
                receipt_key,
                cast_at,
                replaced,
                retried: true,
            }))
        }
        Some(store::Answer::Kept) => {
            // Refused before under the duplicate policy: the same answer.
            let current = store::current(txn, &key, record.id.into()).await?;
            let by_officer = current.is_some_and(|c| c.channel.through_officer());
            return Ok(Outcome::Kept(already_voted(by_officer)));
        }
        None => {}
    }
    let pot = round.pot_for_area(eligible.area_id).ok_or_else(|| {
        ServiceError::Unexpected(anyhow::anyhow!("participant's area has no pot"))
    })?;
    let on_ballot = cache.bids(txn, pot.id).await?;
    let content = check_choices(&round.ballot, pot.amount.get(), on_ballot, &request.choices)?;

    let current = store::current(txn, &key, record.id.into()).await?;
    if let Some(old) = &current {
        if !replaces(txn, &round, old.channel, request.channel, now).await? {
            store::keep_answer(
                txn,
                &key,
                record.id.into(),
                &request.idempotency_key,
                &store::Answer::Kept,
            )
            .await?;
            return Ok(Outcome::Kept(already_voted(old.channel.through_officer())));
        }
    }

    let mut receipt_key = [0u8; 16];
    OsRng
        .try_fill_bytes(&mut receipt_key)
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("the random source failed: {e}")))?;
    let receipt = Receipt::new(round.id.get(), &receipt_key);
    let replaced = current.is_some();
    store::put(
        txn,
        &key,
        record.id.into(),
        pot.id,
        &store::SealedBallot {
            content,
            commitment: receipt.commitment.clone(),
            channel: request.channel,
            cast_at: now,
        },
    )
    .await?;
    store::keep_answer(
        txn,
        &key,
        record.id.into(),
        &request.idempotency_key,
        &store::Answer::Cast {
            receipt_code: receipt.code.clone(),
            receipt_key: receipt.key.clone(),
            replaced,
            cast_at: now,
        },
    )
    .await?;
    let pot_id = pot.id;
    record_participation(
        txn,
        cache,
        request,
        (&round, pot_id.get(), &record, &eligible),
        actor_account,
        replaced,
        now,
    )
    .await?;
    Ok(Outcome::Cast(Cast {
        receipt_code: receipt.code,
        receipt_key: receipt.key,
        cast_at: now,
        replaced,
        retried: false,
    }))
}

/// Refuses a cast unless the round is voting (and its closing date has not
/// passed), and hides rounds the caller may not see.
fn check_open(round: &rounds::Round, voter: &Voter, now: DateTime<Utc>) -> ServiceResult<()> {
    if let Voter::Account(a) = voter {
        if !rounds::may_see(Some(a), round.phase) {
            return Err(ServiceError::not_found("round"));
        }
    }
    if round.is_in(Phase::Voting, now) {
        return Ok(());
    }
    let message = if round.phase < Phase::Voting {
        "voting for this round has not opened yet".to_string()
    } else {
        format!(
            "voting for this round has closed: it is {}",
            round.phase.label()
        )
    };
    Err(refused(ErrorCode::VotingClosed, message))
}

/// Whether the voter's record lets them vote in the round now.
fn eligibility(
    round: &rounds::Round,
    record: &verified_participants::Model,
) -> ServiceResult<verification::Eligible> {
    match verification::eligible(round, record) {
        Ok(e) => Ok(e),
        Err(verification::Ineligible::NotVerified) => Err(refused(
            ErrorCode::NotVerified,
            if record.held {
                "the council is checking your details before you can vote"
            } else {
                "you need to finish proving you live in the area before you can vote"
            },
        )),
        Err(verification::Ineligible::NotEligible) => Err(refused(
            ErrorCode::NotEligible,
            "this round's rules (age, or where you live, work or study) do not let you vote in it",
        )),
    }
}

/// Whether a ballot from `new` replaces the voter's current one from `old`
/// under the round's duplicate policy. A person who voted both through an
/// officer and by themselves is counted for officers (never who).
async fn replaces(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    old: Channel,
    new: Channel,
    now: DateTime<Utc>,
) -> ServiceResult<bool> {
    let replaces = round.ballot.duplicate_policy.replaces(old, new);
    if old.through_officer() != new.through_officer() {
        let (kept, dropped) = if replaces { (new, old) } else { (old, new) };
        ballot_duplicates::ActiveModel {
            round_id: Set(round.id.get()),
            kept_channel: Set(kept.as_str().into()),
            dropped_channel: Set(dropped.as_str().into()),
            day: Set(now.format("%Y-%m-%d").to_string()),
            ..Default::default()
        }
        .insert(txn)
        .await
        .context("counting a duplicate")?;
    }
    Ok(replaces)
}

/// That the person voted, and how; never which ballot. Participation and
/// the audit entry are written with the rest of the batch (`flush`); a
/// ballot given through an officer goes to the round's public log, by
/// officer and channel.
async fn record_participation(
    txn: &DatabaseTransaction,
    cache: &mut BatchCache,
    request: &CastRequest,
    (round, pot_id, record, eligible): (
        &rounds::Round,
        i64,
        &verified_participants::Model,
        &verification::Eligible,
    ),
    actor_account: Option<i64>,
    replaced: bool,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    cache.participation.insert(
        (round.id.get(), record.id),
        participation::ActiveModel {
            round_id: Set(round.id.get()),
            participant_id: Set(Some(record.id)),
            pot_id: Set(pot_id),
            channel: Set(request.channel.as_str().into()),
            assurance: Set(eligible.assurance.as_str().into()),
            first_voted_at: Set(now),
            last_voted_at: Set(now),
            age_band: Set(record.age_band.clone()),
            deprivation_decile: Set(record.deprivation_decile),
            ..Default::default()
        },
    );
    cache.audits.push(audit::personal_event(
        round.id,
        actor_account,
        "ballot_cast",
        "verified_participant",
        record.id,
        serde_json::json!({ "channel": request.channel.as_str(), "replaced": replaced }),
    ));
    if let Voter::Officer { officer, .. } = &request.voter {
        super::round_log::append(
            txn,
            round.id,
            "ballot_entered_by_officer",
            serde_json::json!({ "by": officer.account_id, "channel": request.channel.as_str() }),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Residents: deletes their own verification for a round. While voting is
/// open, a ballot cast with it is withdrawn in the same transaction (its
/// sealed row and the record that they voted): otherwise they could prove
/// who they are again and be counted twice. Once voting has closed,
/// ballots name nobody and stay as counted. True if there was one.
pub async fn delete_my_verification(
    state: &crate::state::AppState,
    actor: &Actor,
    round_id: RoundId,
) -> ServiceResult<bool> {
    let txn = crate::db::begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    // Shared: the close, which takes the round exclusively, waits.
    let round = rounds::lock_shared(&txn, round_id).await?;
    let voting = round.phase == Phase::Voting;
    let secret = &state.secret;
    let deleted =
        verification::delete_mine_in(&txn, actor, round_id, |txn, participant| async move {
            if !voting {
                return Ok(());
            }
            if let Some(key) = store::existing_key(txn, secret, round_id).await? {
                crate::store::sealed_ballots::Entity::delete_by_id(key.voter_tag(participant))
                    .exec(txn)
                    .await
                    .context("withdrawing a ballot")?;
            }
            participation::Entity::delete_many()
                .filter(participation::Column::RoundId.eq(round_id))
                .filter(participation::Column::ParticipantId.eq(participant))
                .exec(txn)
                .await
                .context("withdrawing a vote's record")?;
            Ok(())
        })
        .await?;
    txn.commit().await.context("committing a deletion")?;
    Ok(deleted.is_some())
}
