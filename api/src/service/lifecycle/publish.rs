//! Publication and corrections, and the emails they send.
use super::super::results::{count_in, funded_in, result, store_version};
use super::super::{accounts, audit, delivery, groups, round_log, rounds, Actor};
use crate::db::begin_write;
use crate::domain::id::{BidId, RoundId};
use crate::domain::{Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{bids, result_versions};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use std::collections::BTreeMap;

/// Publishes the provisional result of a counted round: a councillor's
/// deliberate act, in the transaction that moves the round to published.
pub(super) async fn publish_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    round_id: RoundId,
    now: DateTime<Utc>,
) -> ServiceResult<i32> {
    let latest = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round_id))
        .order_by_desc(result_versions::Column::Version)
        .one(txn)
        .await
        .context("finding the result")?
        .ok_or_else(|| {
            ServiceError::refused(ErrorCode::NotCounted, "there is no count to publish")
        })?;
    result_versions::ActiveModel {
        id: Set(latest.id),
        published_by: Set(Some(actor.account_id.get())),
        published_at: Set(Some(now)),
        ..Default::default()
    }
    .update(txn)
    .await
    .context("publishing a result")?;
    round_log::append(
        txn,
        round_id,
        "published",
        json!({ "version": latest.version, "by": actor.account_id }),
        now,
    )
    .await?;
    let funded = funded_in(txn, latest.id).await?;
    delivery::record_in(txn, round_id, &funded, None, now).await?;
    Ok(latest.version)
}

/// Corrects a published result: a councillor recounts, leaving out bids
/// that can no longer go ahead, and publishes the recount as a new version
/// with the reason. Every version stays visible.
#[tracing::instrument(name = "correct result", skip(state, actor, reason), fields(round.id = round_id.get()))]
pub async fn correct(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    reason: &str,
    exclude: Vec<BidId>,
) -> ServiceResult<i32> {
    actor.require(Role::Councillor, "publish a correction")?;
    let reason = crate::domain::text::bounded(reason, "the reason for the correction", 10, 2000)
        .map_err(|m| ServiceError::invalid("reason", m))?;
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = rounds::lock_exclusive(&txn, round_id).await?;
    if round.phase != Phase::Published {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "only a published result can be corrected; publish the count first",
        ));
    }
    let previous: Vec<i64> = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round_id))
        .order_by_desc(result_versions::Column::Version)
        .one(&txn)
        .await
        .context("finding the result")?
        .map(|v| serde_json::from_str(&v.excluded_bids).unwrap_or_default())
        .unwrap_or_default();
    let mut excluded = previous;
    for b in exclude {
        let bid = bids::Entity::find_by_id(b.get())
            .one(&txn)
            .await
            .context("loading a bid")?
            .filter(|x| x.round_id == round_id.get() && x.status == "eligible")
            .ok_or_else(|| {
                ServiceError::invalid(
                    "excludeBidIds",
                    "each bid to leave out must be on this round's ballot",
                )
            })?;
        if !excluded.contains(&bid.id) {
            excluded.push(bid.id);
        }
    }
    excluded.sort_unstable();
    let pots = count_in(&txn, &round, &excluded).await.map_err(|e| {
        ServiceError::refused(ErrorCode::CountFailed, format!("the recount failed: {e}"))
    })?;
    let version = store_version(
        &txn,
        &round,
        Some(actor),
        Some(&reason),
        &excluded,
        pots,
        now,
    )
    .await?;
    let v = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round_id))
        .filter(result_versions::Column::Version.eq(version))
        .one(&txn)
        .await
        .context("finding the correction")?
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("a stored version vanished")))?;
    result_versions::ActiveModel {
        id: Set(v.id),
        published_by: Set(Some(actor.account_id.get())),
        published_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("publishing a correction")?;
    round_log::append(
        &txn,
        round_id,
        "corrected",
        json!({ "version": version, "reason": reason, "by": actor.account_id }),
        now,
    )
    .await?;
    let funded = funded_in(&txn, v.id).await?;
    delivery::record_in(&txn, round_id, &funded, Some(&reason), now).await?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "result_corrected",
        "round",
        round_id,
        json!({ "version": version, "excluded_bids": excluded }),
    )
    .await
    .context("auditing a correction")?;
    txn.commit().await.context("committing a correction")?;
    Ok(version)
}

/// Emails each group with a bid on the ballot whether it was funded, once
/// the result is published.
pub(super) async fn notify_groups(state: &AppState, round_id: RoundId) -> ServiceResult<()> {
    let round = rounds::load(&state.db, round_id).await?;
    let Some(result) = result(&state.db, None, round.id, None).await? else {
        return Ok(());
    };
    let funded: std::collections::HashSet<i64> = result
        .pots
        .iter()
        .flat_map(|p| p.summary.funded.iter().map(|f| f.bid.get()))
        .collect();
    let on_ballot = bids::Entity::find()
        .filter(bids::Column::RoundId.eq(round.id))
        .filter(bids::Column::Status.eq("eligible"))
        .all(&state.db)
        .await
        .context("loading the round's bids")?;
    let mut by_group: BTreeMap<i64, Vec<(String, bool)>> = BTreeMap::new();
    for b in on_ballot {
        by_group
            .entry(b.group_id)
            .or_default()
            .push((b.title, funded.contains(&b.id)));
    }
    for (group_id, lines) in by_group {
        let group = groups::get(&state.db, group_id.into()).await?;
        let Ok(to) = crate::domain::EmailAddress::parse(&group.contact_email) else {
            continue;
        };
        let language = accounts::language_for_address(&state.db, &state.secret, &to).await?;
        let w = crate::words::of(language);
        let outcome = lines
            .iter()
            .map(|(title, yes)| {
                crate::words::fill(
                    w.result_line,
                    &[
                        ("title", title),
                        (
                            "outcome",
                            if *yes {
                                w.result_funded
                            } else {
                                w.result_not_funded
                            },
                        ),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let link = format!("{}/rounds/{}/results", state.settings.public_url, round.id);
        state
            .mailer
            .send(
                &to,
                crate::channels::templates::RESULT_PUBLISHED.render(
                    language,
                    &state.settings.phone,
                    &[
                        ("round", round.title_in(language)),
                        ("outcome", &outcome),
                        ("link", &link),
                    ],
                ),
            )
            .await?;
    }
    Ok(())
}
