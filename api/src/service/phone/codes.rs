//! Issuing voting codes: officers give each verified participant without
//! another way in (no account: verified in person, or from the register) a
//! code for the round, printed on a letter. Only a keyed hash is stored;
//! a new code voids the old one. Every issue is audited by officer.
use super::{code_hash, format_code, letters};
use crate::crypto::random_code;
use crate::db::begin_write;
use crate::domain::{Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::service::{audit, rounds, verification, Actor};
use crate::state::AppState;
use crate::store::{areas, verified_participants, voting_codes};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::{HashMap, HashSet};

/// The most letters printed in one go: 1,000 pages print in about 1.8 s as
/// a PDF of about 3 MB (`cargo bench -p api --bench letters`), well inside
/// a request's 10 s. A larger mailing is issued in batches.
pub const MAX_LETTERS: usize = 1_000;

/// Who a letter goes to. The name and address are printed and never
/// stored.
#[derive(Clone, Debug, Default)]
pub struct Recipient {
    pub participant_id: i64,
    pub name: Option<String>,
    pub address: Vec<String>,
}

/// The codes issued, as letters.
pub struct Issued {
    pub issued: u32,
    /// Participants still without a code after this batch.
    pub remaining: u32,
    pub pdf: Vec<u8>,
    pub csv: String,
}

fn refused(code: ErrorCode, message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, message)
}

/// Issues codes to `recipients`, or (with none named) to every verified,
/// eligible participant of the round who has no account and no code yet,
/// at most `MAX_LETTERS` at a time. Naming a participant who has a code
/// already issues a new one, which voids the old.
#[tracing::instrument(name = "issue voting codes", skip_all, fields(round.id = round_id))]
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    round_id: i64,
    recipients: Option<Vec<Recipient>>,
) -> ServiceResult<Issued> {
    actor.require(Role::Officer, "issue voting codes")?;
    if let Some(r) = &recipients {
        if r.len() > MAX_LETTERS {
            return Err(ServiceError::invalid(
                "recipients",
                format!("name at most {MAX_LETTERS} people at a time"),
            ));
        }
        let mut seen = HashSet::new();
        for x in r {
            if !seen.insert(x.participant_id) {
                return Err(ServiceError::invalid(
                    "recipients",
                    "each person can be named once",
                ));
            }
            if x.address.len() > 6
                || x.name.as_ref().is_some_and(|n| n.chars().count() > 100)
                || x.address.iter().any(|l| l.chars().count() > 100)
            {
                return Err(ServiceError::invalid(
                    "recipients",
                    "give a name and at most 6 address lines of up to 100 characters each",
                ));
            }
        }
    }
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = rounds::lock_shared(&txn, round_id).await?;
    if round.phase > Phase::Voting || round.phase == Phase::Draft {
        return Err(refused(
            ErrorCode::PhaseClosed,
            format!(
                "voting codes are issued once the round is open and until voting closes: it is {}",
                round.phase.label()
            ),
        ));
    }
    let with_code: HashSet<i64> = voting_codes::Entity::find()
        .filter(voting_codes::Column::RoundId.eq(round_id))
        .filter(voting_codes::Column::VoidedAt.is_null())
        .all(&txn)
        .await
        .context("loading voting codes")?
        .into_iter()
        .map(|c| c.participant_id)
        .collect();
    let (chosen, remaining): (Vec<(verified_participants::Model, Recipient)>, u32) =
        match recipients {
            Some(list) => {
                let ids: Vec<i64> = list.iter().map(|r| r.participant_id).collect();
                let records: HashMap<i64, verified_participants::Model> =
                    verified_participants::Entity::find()
                        .filter(verified_participants::Column::Id.is_in(ids))
                        .filter(verified_participants::Column::RoundId.eq(round_id))
                        .lock_exclusive()
                        .all(&txn)
                        .await
                        .context("loading participants")?
                        .into_iter()
                        .map(|r| (r.id, r))
                        .collect();
                let mut out = Vec::with_capacity(list.len());
                for r in list {
                    let record = records.get(&r.participant_id).cloned().ok_or_else(|| {
                        ServiceError::invalid(
                            "recipients",
                            format!(
                                "verification {} is not a verified participant of this round",
                                r.participant_id
                            ),
                        )
                    })?;
                    if verification::eligible(&round, &record).is_err() {
                        return Err(refused(
                            ErrorCode::NotVerified,
                            format!(
                                "verification {} cannot vote in this round yet: finish or resolve it first",
                                r.participant_id
                            ),
                        ));
                    }
                    out.push((record, r));
                }
                (out, 0)
            }
            None => {
                let waiting: Vec<verified_participants::Model> =
                    verified_participants::Entity::find()
                        .filter(verified_participants::Column::RoundId.eq(round_id))
                        .filter(verified_participants::Column::AccountId.is_null())
                        .order_by_asc(verified_participants::Column::Id)
                        .all(&txn)
                        .await
                        .context("loading participants")?
                        .into_iter()
                        .filter(|r| {
                            !with_code.contains(&r.id) && verification::eligible(&round, r).is_ok()
                        })
                        .collect();
                let remaining = waiting.len().saturating_sub(MAX_LETTERS) as u32;
                (
                    waiting
                        .into_iter()
                        .take(MAX_LETTERS)
                        .map(|r| {
                            let recipient = Recipient {
                                participant_id: r.id,
                                ..Default::default()
                            };
                            (r, recipient)
                        })
                        .collect(),
                    remaining,
                )
            }
        };
    if chosen.is_empty() {
        return Err(refused(
            ErrorCode::NotFound,
            "everyone who can vote in this round without an account already has a voting code",
        ));
    }
    let area_names: HashMap<i64, String> = areas::Entity::find()
        .all(&txn)
        .await
        .context("loading areas")?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let reissued: Vec<i64> = chosen
        .iter()
        .map(|(r, _)| r.id)
        .filter(|id| with_code.contains(id))
        .collect();
    if !reissued.is_empty() {
        voting_codes::Entity::update_many()
            .col_expr(
                voting_codes::Column::VoidedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(voting_codes::Column::ParticipantId.is_in(reissued.clone()))
            .filter(voting_codes::Column::VoidedAt.is_null())
            .exec(&txn)
            .await
            .context("voiding old voting codes")?;
    }
    let mut letters_out = Vec::with_capacity(chosen.len());
    let mut rows = Vec::with_capacity(chosen.len());
    for (record, recipient) in &chosen {
        let digits = random_code(super::CODE_DIGITS as u32);
        rows.push(voting_codes::ActiveModel {
            round_id: Set(round_id),
            participant_id: Set(record.id),
            code_hmac: Set(code_hash(&state.secret, &digits)),
            phone_hmac: Set(None),
            issued_by: Set(Some(actor.account_id)),
            issued_at: Set(now),
            voided_at: Set(None),
            ..Default::default()
        });
        letters_out.push(letters::Letter {
            reference: format!("V{}", record.id),
            name: recipient.name.clone(),
            address: recipient.address.clone(),
            area: area_names.get(&record.area_id).cloned().unwrap_or_default(),
            code: format_code(&digits),
        });
    }
    for chunk in rows.chunks(500) {
        voting_codes::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .context("storing voting codes")?;
    }
    // Names verification records: deleted with the round's verification
    // data, like every entry about a person's verification.
    audit::record_personal(
        &txn,
        round_id,
        Some(actor.account_id),
        "voting_codes.issued",
        "round",
        round_id,
        serde_json::json!({
            "issued": chosen.len(),
            "reissued": reissued.len(),
            // References only: never a code, name or address.
            "verifications": chosen.iter().map(|(r, _)| r.id).collect::<Vec<_>>(),
        }),
    )
    .await
    .context("auditing voting codes")?;
    let words = letters::Words::from_settings(&state.settings, &round);
    let csv = letters::csv(&words, &letters_out)?;
    // Printed before the codes are committed: if the letters cannot be
    // made, no code exists that no one can read.
    let pdf = tokio::task::spawn_blocking(move || letters::pdf(&words, &letters_out))
        .await
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("printing letters: {e}")))??;
    txn.commit().await.context("committing voting codes")?;
    tracing::info!(issued = chosen.len(), "voting codes issued");
    Ok(Issued {
        issued: chosen.len() as u32,
        remaining,
        pdf,
        csv,
    })
}
