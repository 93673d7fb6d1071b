//! Counting a closed round: closed → counted, with a provisional result
//! for councillors to review.
use super::super::results::{count_in, store_version};
use super::super::{audit, rounds, Actor};
use crate::db::begin_write;
use crate::domain::id::RoundId;
use crate::domain::{Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::rounds as round_rows;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// Counts a closed round with its frozen rule: the round becomes counted,
/// with a provisional result for councillors to review. A failure (an
/// exact tie the rule cannot break, say) leaves it closed, with the reason
/// on the round for officers, and nothing else written.
#[tracing::instrument(name = "count round", skip(state, actor), fields(round.id = round_id.get()))]
pub async fn count(
    state: &AppState,
    actor: Option<&Actor>,
    round_id: RoundId,
) -> ServiceResult<rounds::Round> {
    if let Some(a) = actor {
        a.require(Role::Officer, "count a round")?;
    }
    let db = &state.db;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let round = rounds::lock_exclusive(&txn, round_id).await?;
    if round.phase != Phase::Closed {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            match round.phase {
                Phase::Counted | Phase::Published => "this round has been counted already".into(),
                other => format!(
                    "only a round whose voting has closed can be counted; this one is {}",
                    other.label()
                ),
            },
        ));
    }
    // A round whose close could not seal its ballots is sealed now, once
    // put right, before it is counted.
    let sealing = round.close_checkpoint.is_none();
    let sealed = if sealing {
        super::close::seal_and_sign(state, &txn, &round, now)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    } else {
        Ok(())
    };
    let counted = match sealed {
        Ok(()) => count_in(&txn, &round, &[]).await,
        Err(reason) => Err(reason),
    };
    let pots = match counted {
        Ok(p) => p,
        Err(reason) => {
            txn.rollback().await.context("rolling back a count")?;
            tracing::warn!(round.id = round_id.get(), reason = %reason, "the count failed");
            let txn = begin_write(db).await.context("starting a transaction")?;
            round_rows::Entity::update_many()
                .col_expr(round_rows::Column::CountError, Expr::value(reason.clone()))
                .filter(round_rows::Column::Id.eq(round_id))
                .exec(&txn)
                .await
                .context("recording why a count failed")?;
            audit::record(
                &txn,
                actor.map(|a| a.account_id).map(|id| id.get()),
                "round_count_failed",
                "round",
                round_id,
                json!({ "reason": reason }),
            )
            .await
            .context("auditing a failed count")?;
            txn.commit().await.context("committing a failed count")?;
            return Err(ServiceError::refused(
                ErrorCode::CountFailed,
                format!("the round could not be counted, and stays closed: {reason}"),
            ));
        }
    };
    let version = store_version(&txn, &round, actor, None, &[], pots, now).await?;
    rounds::set_phase(&txn, round_id, Phase::Closed, Phase::Counted, now).await?;
    round_rows::Entity::update_many()
        .col_expr(
            round_rows::Column::CountError,
            Expr::value(Option::<String>::None),
        )
        .filter(round_rows::Column::Id.eq(round_id))
        .exec(&txn)
        .await
        .context("clearing a count error")?;
    audit::record(
        &txn,
        actor.map(|a| a.account_id).map(|id| id.get()),
        "round_counted",
        "round",
        round_id,
        json!({ "version": version }),
    )
    .await
    .context("auditing a count")?;
    txn.commit().await.context("committing a count")?;
    if sealing {
        if let Err(e) = super::close::notify_witnesses(state, round_id).await {
            tracing::error!(round.id = round_id.get(), error = %e, "sending the close checkpoint");
        }
    }
    tracing::info!(round.id = round_id.get(), version, "round counted");
    rounds::load(db, round_id).await
}
