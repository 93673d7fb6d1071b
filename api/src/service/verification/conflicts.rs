//! Duplicate and similar identities, for officers to resolve.
use super::*;
use crate::db::begin_write;
use crate::domain::id::{AccountId, ConflictId, ParticipantId, RoundId};
use crate::domain::Role;
use crate::service::{Page, PageRequest};
use sea_orm::sea_query::Expr;
use sea_orm::{DatabaseConnection, QuerySelect};

#[derive(Clone, Debug)]
pub struct Conflict {
    pub id: ConflictId,
    pub round_id: RoundId,
    /// The record already holding the identity (gone if it was deleted).
    pub participant_id: Option<ParticipantId>,
    /// The account that tried to verify (gone if it was deleted).
    pub claimant_account_id: Option<AccountId>,
    /// What matched: `identity`, `similar`, `sms` or `email`.
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution: Option<String>,
}

fn to_conflict(c: verification_conflicts::Model) -> Conflict {
    Conflict {
        id: c.id.into(),
        round_id: c.round_id.into(),
        participant_id: c.participant_id.map(Into::into),
        claimant_account_id: c.claimant_account_id.map(Into::into),
        kind: c.kind,
        created_at: c.created_at,
        resolved_at: c.resolved_at,
        resolution: c.resolution,
    }
}

/// Officers: accounts that tried to verify as someone already recorded, or
/// as someone similar, a page at a time.
pub async fn conflicts(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: RoundId,
    page: PageRequest,
) -> ServiceResult<Page<Conflict>> {
    actor.require(Role::Officer, "see duplicate verifications")?;
    let rows = verification_conflicts::Entity::find()
        .filter(verification_conflicts::Column::RoundId.eq(round_id))
        .order_by_asc(verification_conflicts::Column::Id)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("listing conflicts")?;
    Ok(Page::from_rows(
        rows.into_iter().map(to_conflict).collect(),
        page,
    ))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The claimant is the person: the verification moves to their account
    /// (their own part-way record, if any, is removed).
    MoveToClaimant,
    /// The existing verification stands; the claimant's record, if any,
    /// stays held and unverified.
    KeepExisting,
    /// Two different people: the claimant's held record is released.
    DistinctPeople,
}

impl Resolution {
    fn as_str(self) -> &'static str {
        match self {
            Resolution::MoveToClaimant => "move_to_claimant",
            Resolution::KeepExisting => "keep_existing",
            Resolution::DistinctPeople => "distinct_people",
        }
    }
}

/// Officers: resolves a duplicate, with an audit entry.
#[tracing::instrument(name = "resolve verification conflict", skip(db, actor), fields(conflict.id = conflict_id.get()))]
pub async fn resolve(
    db: &DatabaseConnection,
    actor: &Actor,
    conflict_id: ConflictId,
    resolution: Resolution,
) -> ServiceResult<Conflict> {
    actor.require(Role::Officer, "resolve duplicate verifications")?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let c = verification_conflicts::Entity::find_by_id(conflict_id.get())
        .lock_exclusive()
        .one(&txn)
        .await
        .context("loading a conflict")?
        .ok_or_else(|| ServiceError::not_found("conflict"))?;
    if c.resolved_at.is_some() {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "this duplicate has already been resolved",
        ));
    }
    let round = rounds::lock_shared(&txn, c.round_id.into()).await?;
    if round.phase.settings_frozen() && !round.is_in(Phase::Voting, now) {
        return Err(closed(&round));
    }
    let claimant_record = match c.claimant_account_id {
        Some(a) => own_record(&txn, c.round_id.into(), a.into()).await?,
        None => None,
    };
    match resolution {
        Resolution::MoveToClaimant => {
            let (Some(participant), Some(claimant)) = (c.participant_id, c.claimant_account_id)
            else {
                return Err(ServiceError::refused(
                    ErrorCode::InvalidTransition,
                    "the verification or the account it would move to has been deleted",
                ));
            };
            verified_participants::Entity::delete_many()
                .filter(verified_participants::Column::RoundId.eq(c.round_id))
                .filter(verified_participants::Column::AccountId.eq(claimant))
                .filter(verified_participants::Column::Id.ne(participant))
                .exec(&txn)
                .await
                .context("removing the claimant's own record")?;
            verified_participants::Entity::update_many()
                .col_expr(
                    verified_participants::Column::AccountId,
                    Expr::value(claimant),
                )
                .col_expr(verified_participants::Column::UpdatedAt, Expr::value(now))
                .filter(verified_participants::Column::Id.eq(participant))
                .exec(&txn)
                .await
                .context("moving a verification")?;
        }
        Resolution::KeepExisting => {}
        Resolution::DistinctPeople => {
            let Some(held) = claimant_record.filter(|r| r.held) else {
                return Err(ServiceError::refused(
                    ErrorCode::InvalidTransition,
                    "the claimant has no declaration waiting for a check",
                ));
            };
            // A placeholder identity (the same key as the other person's)
            // stays unique by being this record's own.
            let identity = if held.identity_hmac.starts_with("held:") {
                format!("distinct:{}:{}", held.id, held.identity_hmac)
            } else {
                held.identity_hmac.clone()
            };
            verified_participants::ActiveModel {
                id: Set(held.id),
                held: Set(false),
                identity_hmac: Set(identity),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(&txn)
            .await
            .context("releasing a held declaration")?;
        }
    }
    let saved = verification_conflicts::ActiveModel {
        id: Set(c.id),
        resolved_at: Set(Some(now)),
        resolved_by: Set(Some(actor.account_id.get())),
        resolution: Set(Some(resolution.as_str().into())),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("resolving a conflict")?;
    audit::record_personal(
        &txn,
        c.round_id.into(),
        Some(actor.account_id.get()),
        "verification_conflict_resolved",
        "verified_participant",
        c.participant_id.map(|p| p.to_string()).unwrap_or_default(),
        serde_json::json!({
            "conflict": c.id,
            "resolution": resolution.as_str(),
            "to_account": (resolution == Resolution::MoveToClaimant).then_some(c.claimant_account_id),
        }),
    )
    .await
    .context("auditing a resolution")?;
    txn.commit().await.context("committing a resolution")?;
    Ok(to_conflict(saved))
}
