//! The audit trail: who did what to which record, written in the same
//! transaction as the change itself.
use crate::store::audit_events;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    action: &str,
    subject_type: &str,
    subject_id: impl ToString,
    details: serde_json::Value,
) -> Result<(), DbErr> {
    audit_events::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_account_id: Set(actor),
        action: Set(action.to_owned()),
        subject_type: Set(subject_type.to_owned()),
        subject_id: Set(subject_id.to_string()),
        details: Set(details.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
