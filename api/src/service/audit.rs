//! The audit trail: who did what to which record, written in the same
//! transaction as the change itself. Entries never hold personal details
//! (names, addresses, codes), and never anything that ties a person to a
//! ballot.
use crate::domain::id::RoundId;
use crate::store::audit_events;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    action: &str,
    subject_type: &str,
    subject_id: impl ToString,
    details: serde_json::Value,
) -> Result<(), DbErr> {
    insert(db, actor, action, subject_type, subject_id, details, None).await
}

/// An entry about a person's verification for a round: who they are
/// (their account), which area, which proofs. It is deleted with the
/// round's verification data, so that nothing about the person outlives
/// the retention period.
pub async fn record_personal(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    actor: Option<i64>,
    action: &str,
    subject_type: &str,
    subject_id: impl ToString,
    details: serde_json::Value,
) -> Result<(), DbErr> {
    insert(
        db,
        actor,
        action,
        subject_type,
        subject_id,
        details,
        Some(round_id),
    )
    .await
}

/// A personal audit entry to write later with others ([`insert_all`]): what
/// a batch of ballots records in one statement.
pub fn personal_event(
    round_id: RoundId,
    actor: Option<i64>,
    action: &str,
    subject_type: &str,
    subject_id: impl ToString,
    details: serde_json::Value,
) -> audit_events::ActiveModel {
    audit_events::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_account_id: Set(actor),
        action: Set(action.to_owned()),
        subject_type: Set(subject_type.to_owned()),
        subject_id: Set(subject_id.to_string()),
        details: Set(details.to_string()),
        purge_round_id: Set(Some(round_id.get())),
        ..Default::default()
    }
}

/// Writes audit entries in one statement.
pub async fn insert_all(
    db: &impl ConnectionTrait,
    events: Vec<audit_events::ActiveModel>,
) -> Result<(), DbErr> {
    if events.is_empty() {
        return Ok(());
    }
    audit_events::Entity::insert_many(events)
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

async fn insert(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    action: &str,
    subject_type: &str,
    subject_id: impl ToString,
    details: serde_json::Value,
    purge_round_id: Option<RoundId>,
) -> Result<(), DbErr> {
    audit_events::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_account_id: Set(actor),
        action: Set(action.to_owned()),
        subject_type: Set(subject_type.to_owned()),
        subject_id: Set(subject_id.to_string()),
        details: Set(details.to_string()),
        purge_round_id: Set(purge_round_id.map(|id| id.get())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
