//! A person's own verification records, deleting them, the officers' list,
//! and what voting asks.
use super::*;
use crate::domain::id::{AccountId, AreaId, ParticipantId, RoundId};
use crate::domain::Role;
use crate::service::{Page, PageRequest};
use sea_orm::{DatabaseConnection, QuerySelect};

/// The signed-in person's own verification records.
pub async fn mine(db: &DatabaseConnection, actor: &Actor) -> ServiceResult<Vec<Participant>> {
    Ok(verified_participants::Entity::find()
        .filter(verified_participants::Column::AccountId.eq(actor.account_id))
        .order_by_asc(verified_participants::Column::Id)
        .limit(1000)
        .all(db)
        .await
        .context("loading own verifications")?
        .into_iter()
        .map(to_participant)
        .collect())
}

/// Deletes the signed-in person's verification for a round, inside the
/// caller's transaction: every hash and proof goes. They can verify again
/// while the round is open. Records of duplicates that involved them stay
/// (without the deleted record) until the round's verification data is
/// purged: an officer may still need them to settle a dispute. `before`
/// runs first with the record locked (voting withdraws a vote cast with
/// it, so that the person is never counted twice); the deleted record's
/// id, or `None` when there was none.
pub async fn delete_mine_in<'a, F, Fut>(
    txn: &'a DatabaseTransaction,
    actor: &Actor,
    round_id: RoundId,
    before: F,
) -> ServiceResult<Option<ParticipantId>>
where
    F: FnOnce(&'a DatabaseTransaction, ParticipantId) -> Fut,
    Fut: std::future::Future<Output = ServiceResult<()>>,
{
    let Some(own) = own_record(txn, round_id, actor.account_id).await? else {
        return Ok(None);
    };
    // Locked, so that a ballot being cast with it finishes first.
    verified_participants::Entity::find_by_id(own.id)
        .lock_exclusive()
        .one(txn)
        .await
        .context("locking a verification")?;
    before(txn, own.id.into()).await?;
    verified_participants::Entity::delete_by_id(own.id)
        .exec(txn)
        .await
        .context("deleting a verification")?;
    audit::record_personal(
        txn,
        round_id,
        Some(actor.account_id.get()),
        "verification_deleted_by_resident",
        "verified_participant",
        own.id,
        serde_json::json!({ "round": round_id }),
    )
    .await
    .context("auditing a deletion")?;
    Ok(Some(own.id.into()))
}

/// Officers: everyone verified (or part-way) for a round, a page at a time.
pub async fn participants(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: RoundId,
    page: PageRequest,
) -> ServiceResult<Page<Participant>> {
    actor.require(Role::Officer, "see who is verified")?;
    rounds::load(db, round_id).await?;
    let rows = verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .order_by_asc(verified_participants::Column::Id)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("listing participants")?;
    Ok(Page::from_rows(
        rows.into_iter().map(to_participant).collect(),
        page,
    ))
}

/// What voting needs to know of a verified participant.
#[derive(Clone, Debug)]
pub struct Eligible {
    pub participant_id: ParticipantId,
    pub area_id: AreaId,
    pub assurance: Assurance,
}

/// Why a participant record may not vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ineligible {
    /// The proofs do not meet the round's rules, or the record is held
    /// for an officer's check.
    NotVerified,
    /// Proven, but the round's rules (age, relation) leave them out.
    NotEligible,
}

/// The record of a participant who may vote in the round: verified under
/// the round's rules as they are now (frozen once voting opens), not held.
/// `None` for someone unverified. Run inside the ballot's transaction.
pub async fn eligible_area(
    db: &impl ConnectionTrait,
    round: &Round,
    account_id: AccountId,
) -> ServiceResult<Option<Eligible>> {
    let Some(record) = own_record(db, round.id, account_id).await? else {
        return Ok(None);
    };
    Ok(eligible(round, &record).ok())
}

/// Whether a participant record may vote under the round's rules.
pub fn eligible(
    round: &Round,
    record: &verified_participants::Model,
) -> Result<Eligible, Ineligible> {
    let rules = &round.eligibility;
    let proven = methods_of(&record.methods);
    if record.held || !rules.satisfied_by(&proven) {
        return Err(Ineligible::NotVerified);
    }
    let age_ok = match rules.min_age {
        None => true,
        Some(min) => record
            .age_checked_min
            .is_some_and(|checked| i64::from(checked) >= i64::from(min)),
    };
    let relation_ok =
        Relation::parse(&record.relation).is_some_and(|r| rules.relations.contains(&r));
    if !(age_ok && relation_ok) {
        return Err(Ineligible::NotEligible);
    }
    Ok(Eligible {
        participant_id: record.id.into(),
        area_id: record.area_id.into(),
        assurance: Assurance::of(&proven),
    })
}
