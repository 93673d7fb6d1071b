//! A round's lifecycle: every change of phase, whoever makes it.
//!
//! draft → bids open → bid review → voting → closed → counted → published,
//! with cancellation at any point before publication. Officers move a round
//! on by hand (`advance`), the scheduler when its dates come (`apply_due`);
//! both take the same step (`step`), in one transaction with the round
//! locked exclusively:
//!
//! - **opening voting** needs every bid decided, and freezes the settings;
//! - **closing voting** seals it (`close`): phone codes, calls and replies
//!   go, the ballots leave the sealed store for good, each pot's ballots
//!   file is written as it will be counted, and the round log gets its
//!   `sealed` entry, whose hash is the close checkpoint, signed by the
//!   council. After the commit, the database files are scrubbed of what
//!   the close deleted, the checkpoint is emailed to the round's witnesses,
//!   and the round is counted (`count`);
//! - **publishing** marks the count published (councillors only) and then
//!   emails the groups; **corrections** publish a recount as a new version
//!   (`publish`).
//!
//! This module calls down into `rounds` (the round, its locks and its
//! row), `voting`, `phone` and `results`; none of them calls back up.
use super::{audit, round_log, rounds, Actor};
use crate::db::begin_write;
use crate::domain::id::RoundId;
use crate::domain::{Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::bids;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};

mod close;
mod count;
mod publish;

pub use close::{observe, observing, stop_observing};
pub use count::count;
pub use publish::correct;

/// Who moved the round on.
#[derive(Clone, Copy, Debug)]
enum By<'a> {
    Officer(&'a Actor),
    Schedule,
}

impl By<'_> {
    fn account(self) -> Option<i64> {
        match self {
            By::Officer(a) => Some(a.account_id.get()),
            By::Schedule => None,
        }
    }

    fn log_value(self) -> serde_json::Value {
        match self {
            By::Officer(a) => serde_json::json!(a.account_id),
            By::Schedule => serde_json::json!("schedule"),
        }
    }
}

/// Moves a round on to `to`, which must be the next phase (or cancelled).
/// Publishing the results is for councillors; every other step is for
/// officers. Voting opens only once every bid has been decided; a round is
/// counted only by the count itself, never by hand.
#[tracing::instrument(name = "advance round", skip(state, actor), fields(round.id = id.get(), to = to.as_str()))]
pub async fn advance(
    state: &AppState,
    actor: &Actor,
    id: RoundId,
    to: Phase,
) -> ServiceResult<rounds::Round> {
    if to == Phase::Published {
        actor.require(Role::Councillor, "publish results")?;
    } else {
        actor.require(Role::Officer, "move a round on")?;
    }
    if to == Phase::Counted {
        return Err(ServiceError::refused(
            ErrorCode::NotCounted,
            "a round becomes counted only when its ballots have been counted: close voting, then count",
        ));
    }
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = rounds::lock_exclusive(&txn, id).await?;
    let allowed = if to == Phase::Cancelled {
        !round.phase.is_final()
    } else {
        round.phase.next() == Some(to)
    };
    if !allowed {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            match round.phase.next() {
                Some(next) if to != Phase::Cancelled => format!(
                    "a round that is {} can only move on to {}",
                    round.phase.label(),
                    next.label()
                ),
                _ => format!("a round that is {} cannot move on", round.phase.label()),
            },
        ));
    }
    step(state, &txn, &round, to, By::Officer(actor), Utc::now()).await?;
    txn.commit().await.context("committing a phase change")?;
    after(state, &round, to).await;
    rounds::load(&state.db, id).await
}

/// Publishes a counted round's result (a councillor), then emails each
/// group with a bid on the ballot whether it was funded.
pub async fn publish(state: &AppState, actor: &Actor, id: RoundId) -> ServiceResult<rounds::Round> {
    advance(state, actor, id, Phase::Published).await
}

/// Applies the scheduled phase changes that are due, one step per round per
/// call: a round whose dates have all passed (a server that was down for a
/// week) moves on one phase at each tick, each step checked and audited on
/// its own. Run by every instance on a timer; each change happens once, and
/// is audited by the instance that made it. A step that cannot be taken
/// (voting due to open with bids undecided) waits for an officer.
pub async fn apply_due(
    state: &AppState,
    only: Option<i64>,
    now: DateTime<Utc>,
) -> ServiceResult<u32> {
    let mut changed = 0;
    for (round, next) in rounds::due(&state.db, only, now).await? {
        let txn = begin_write(&state.db)
            .await
            .context("starting a transaction")?;
        let current = rounds::lock_exclusive(&txn, round.id).await?;
        if current.phase != round.phase {
            // Another instance got there first.
            continue;
        }
        if let Err(e) = step(state, &txn, &current, next, By::Schedule, now).await {
            tracing::warn!(round.id = round.id.get(), to = next.as_str(), reason = %e, "a scheduled phase change cannot be made");
            continue;
        }
        txn.commit()
            .await
            .context("committing a scheduled phase change")?;
        tracing::info!(
            round.id = round.id.get(),
            phase = next.as_str(),
            "scheduled phase change"
        );
        changed += 1;
        after(state, &current, next).await;
    }
    Ok(changed)
}

/// One change of phase, inside the caller's transaction with the round
/// locked exclusively: the checks, what the new phase needs, the phase
/// itself (only if it is still `round.phase`), the round's log and the
/// audit.
async fn step(
    state: &AppState,
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    to: Phase,
    by: By<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    if to == Phase::Voting {
        require_bids_decided(txn, round.id).await?;
        super::results::check_rules(txn, round).await?;
    }
    if to == Phase::Closed {
        close::seal_voting(state, txn, round).await?;
    }
    if !rounds::set_phase(txn, round.id, round.phase, to, now).await? {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "the round changed phase meanwhile; try again",
        ));
    }
    round_log::append(
        txn,
        round.id,
        "phase_changed",
        serde_json::json!({ "from": round.phase.as_str(), "to": to.as_str(), "by": by.log_value() }),
        now,
    )
    .await?;
    if to == Phase::Closed {
        close::checkpoint(state, txn, round, now).await?;
    }
    if let (Phase::Published, By::Officer(actor)) = (to, by) {
        // Refused, and all of this rolled back, if there is no count.
        publish::publish_in(txn, actor, round.id, now).await?;
    }
    audit::record(
        txn,
        by.account(),
        "round_phase_changed",
        "round",
        round.id,
        serde_json::json!({
            "from": round.phase.as_str(),
            "to": to.as_str(),
            "by": if by.account().is_some() { "officer" } else { "schedule" },
        }),
    )
    .await
    .context("auditing a phase change")?;
    Ok(())
}

/// What follows a committed phase change. Failures here leave the change
/// standing and are logged: a close whose scrub, email or count failed is
/// closed all the same (a failed count is kept on the round for officers,
/// who count again).
async fn after(state: &AppState, round: &rounds::Round, to: Phase) {
    match to {
        Phase::Closed => close::after_close(state, round.id).await,
        Phase::Published => {
            if let Err(e) = publish::notify_groups(state, round.id).await {
                tracing::error!(round.id = round.id.get(), error = %e, "emailing groups about a result");
            }
        }
        _ => {}
    }
}

/// Voting opens only when every bid is eligible, ineligible or withdrawn:
/// only eligible bids are on the ballot, and a bid still being reviewed or
/// changed must not be left off it, or put on it, by accident.
async fn require_bids_decided(txn: &DatabaseTransaction, round_id: RoundId) -> ServiceResult<()> {
    let undecided = bids::Entity::find()
        .filter(bids::Column::RoundId.eq(round_id))
        .filter(bids::Column::Status.is_in(["submitted", "changes_requested"]))
        .count(txn)
        .await
        .context("counting undecided bids")?;
    if undecided > 0 {
        return Err(ServiceError::refused(
            ErrorCode::BidsUndecided,
            format!(
                "{undecided} {} still to be decided: find each bid eligible or ineligible (or let the group withdraw it) before voting opens",
                if undecided == 1 { "bid is" } else { "bids are" }
            ),
        ));
    }
    Ok(())
}
