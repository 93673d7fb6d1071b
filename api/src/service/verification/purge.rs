//! Deleting a finished round's verification data.
use super::*;
use crate::db::begin_write;
use crate::domain::id::RoundId;
use crate::store::{audit_events, register_entries, rounds as round_rows};
use sea_orm::sea_query::Expr;
use sea_orm::DatabaseConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purged {
    pub round_id: RoundId,
    pub participants: u64,
    pub register_entries: u64,
    pub audit_entries: u64,
}

/// Deletes the verification data (participants, their similarity keys,
/// duplicates, register hashes, and the audit entries about people's
/// verification) of rounds published or cancelled more than `retention`
/// ago, or of one such round. Run by `fairshare purge-verification`.
pub async fn purge(
    db: &DatabaseConnection,
    only: Option<i64>,
    retention: Duration,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Purged>> {
    let cutoff = now - retention;
    let finished = [Phase::Published.as_str(), Phase::Cancelled.as_str()];
    if let Some(id) = only {
        let round = rounds::load(db, id.into()).await?;
        if !round.phase.is_final() {
            return Err(ServiceError::refused(
                ErrorCode::PhaseClosed,
                format!(
                    "round {id} is {}: its verification data is kept until it is published or cancelled",
                    round.phase.label()
                ),
            ));
        }
        if round.phase_changed_at > cutoff {
            return Err(ServiceError::refused(
                ErrorCode::PhaseClosed,
                format!(
                    "round {id} is kept until {} (the retention period of {} days)",
                    (round.phase_changed_at + retention).format("%Y-%m-%d %H:%M UTC"),
                    retention.num_days()
                ),
            ));
        }
    }
    let mut q = round_rows::Entity::find()
        .filter(round_rows::Column::Phase.is_in(finished))
        .filter(round_rows::Column::PhaseChangedAt.lte(cutoff))
        .filter(round_rows::Column::VerificationPurgedAt.is_null());
    if let Some(id) = only {
        q = q.filter(round_rows::Column::Id.eq(id));
    }
    let due = q.all(db).await.context("finding rounds to purge")?;
    let mut out = Vec::new();
    for r in due {
        let txn = begin_write(db).await.context("starting a transaction")?;
        identity_keys::Entity::delete_many()
            .filter(identity_keys::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging similarity keys")?;
        verification_conflicts::Entity::delete_many()
            .filter(verification_conflicts::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging conflicts")?;
        crate::store::closed_codes::Entity::delete_many()
            .filter(crate::store::closed_codes::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging closed codes")?;
        crate::service::reminders::purge_round(&txn, r.id).await?;
        crate::store::round_observers::Entity::delete_many()
            .filter(crate::store::round_observers::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging observers' addresses")?;
        let participants = verified_participants::Entity::delete_many()
            .filter(verified_participants::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging participants")?
            .rows_affected;
        let register_entries = register_entries::Entity::delete_many()
            .filter(register_entries::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging register hashes")?
            .rows_affected;
        let audit_entries = audit_events::Entity::delete_many()
            .filter(audit_events::Column::PurgeRoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging audit entries about verification")?
            .rows_affected;
        round_rows::Entity::update_many()
            .col_expr(round_rows::Column::VerificationPurgedAt, Expr::value(now))
            .filter(round_rows::Column::Id.eq(r.id))
            .exec(&txn)
            .await
            .context("marking a round purged")?;
        audit::record(
            &txn,
            None,
            "verification_purged",
            "round",
            r.id,
            serde_json::json!({
                "participants": participants,
                "register_entries": register_entries,
                "audit_entries": audit_entries,
            }),
        )
        .await
        .context("auditing a purge")?;
        txn.commit().await.context("committing a purge")?;
        tracing::info!(
            round.id = r.id,
            participants,
            register_entries,
            audit_entries,
            "verification data purged"
        );
        out.push(Purged {
            round_id: r.id.into(),
            participants,
            register_entries,
            audit_entries,
        });
    }
    if !out.is_empty() {
        // What was deleted must not stay in the files (the WAL's earlier
        // pages, or PostgreSQL's dead rows).
        crate::db::scrub_after_purge(db)
            .await
            .context("scrubbing the database after a purge")?;
    }
    Ok(out)
}
