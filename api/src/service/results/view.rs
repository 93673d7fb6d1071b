//! A stored result as people read it: funded and unfunded bids, money,
//! turnout and the explanation, for each version the caller may see, as
//! the count stored them (`summary`).
use super::super::{rounds, Actor};
use super::reviewer;
use super::summary::PotSummary;
use crate::domain::id::{AreaId, PotId, RoundId};
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{pot_results, result_versions};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// A pot's result, as people read it: its hashes, and what the count
/// showed, as stored with it.
#[derive(Clone, Debug)]
pub struct PotResult {
    pub pot_id: PotId,
    pub area_id: AreaId,
    pub budget_pence: i64,
    pub ballots_sha256: String,
    pub result_sha256: String,
    pub summary: PotSummary,
}

/// One version of a round's result.
#[derive(Clone, Debug)]
pub struct RoundResult {
    pub round_id: RoundId,
    pub version: i32,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub config_json: String,
    pub excluded_bids: Vec<i64>,
    pub pots: Vec<PotResult>,
}

/// Parses a money string of the counting module (`"1234.5"`) to pence.
pub(super) fn pence_of(s: &str) -> i64 {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut frac: String = frac.chars().take(2).collect();
    while frac.len() < 2 {
        frac.push('0');
    }
    whole.parse::<i64>().unwrap_or(0) * 100 + frac.parse::<i64>().unwrap_or(0)
}

pub(super) fn pounds(p: i64) -> String {
    crate::domain::Pence::parse(p)
        .unwrap_or(crate::domain::Pence::ZERO)
        .to_string()
}

/// The version of a round's result the caller asked for (the latest when
/// none): published ones for anyone, a provisional one only for
/// councillors and admins.
pub(super) async fn find_version(
    db: &impl ConnectionTrait,
    caller: Option<&Actor>,
    round_id: RoundId,
    version: Option<i32>,
) -> ServiceResult<Option<result_versions::Model>> {
    let mut q =
        result_versions::Entity::find().filter(result_versions::Column::RoundId.eq(round_id));
    if !reviewer(caller) {
        q = q.filter(result_versions::Column::PublishedAt.is_not_null());
    }
    if let Some(v) = version {
        q = q.filter(result_versions::Column::Version.eq(v));
    }
    q.order_by_desc(result_versions::Column::Version)
        .one(db)
        .await
        .context("finding a result")
}

/// A round's result: the latest version (or the one asked for). Published
/// versions are public; a provisional one only councillors and admins
/// see. `None` when there is nothing the caller may see. Reads what the
/// count stored, never the ballots.
pub async fn result(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    round_id: RoundId,
    version: Option<i32>,
) -> ServiceResult<Option<RoundResult>> {
    let round = rounds::get(db, caller, round_id).await?;
    let Some(v) = find_version(db, caller, round_id, version).await? else {
        return Ok(None);
    };
    let rows: Vec<(i64, String, String, Option<String>)> = pot_results::Entity::find()
        .select_only()
        .columns([
            pot_results::Column::PotId,
            pot_results::Column::BallotsSha256,
            pot_results::Column::ResultSha256,
            pot_results::Column::Summary,
        ])
        .filter(pot_results::Column::VersionId.eq(v.id))
        .order_by_asc(pot_results::Column::PotId)
        .into_tuple()
        .all(db)
        .await
        .context("loading pot results")?;
    let mut pots = Vec::new();
    for (pot_id, ballots_sha256, result_sha256, summary) in rows {
        let pot = round
            .pots
            .iter()
            .find(|p| p.id.get() == pot_id)
            .ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!("a result for another round's pot"))
            })?;
        pots.push(PotResult {
            pot_id: pot.id,
            area_id: pot.area_id,
            budget_pence: pot.amount.get(),
            ballots_sha256,
            result_sha256,
            summary: PotSummary::read(summary.as_deref())?,
        });
    }
    Ok(Some(RoundResult {
        round_id,
        version: v.version,
        reason: v.reason,
        created_at: v.created_at,
        published_at: v.published_at,
        config_json: v.config_json,
        excluded_bids: serde_json::from_str(&v.excluded_bids).unwrap_or_default(),
        pots,
    }))
}

/// Every version of a round's result the caller may see, oldest first.
pub async fn versions(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    round_id: RoundId,
) -> ServiceResult<Vec<(i32, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>)>> {
    rounds::get(db, caller, round_id).await?;
    let mut q =
        result_versions::Entity::find().filter(result_versions::Column::RoundId.eq(round_id));
    if !reviewer(caller) {
        q = q.filter(result_versions::Column::PublishedAt.is_not_null());
    }
    Ok(q.order_by_asc(result_versions::Column::Version)
        .all(db)
        .await
        .context("listing results")?
        .into_iter()
        .map(|v| (v.version, v.reason, v.created_at, v.published_at))
        .collect())
}

/// The bids a stored result version funds: each with its pot and the
/// amount funded, in the order of the pots and the count.
pub(crate) async fn funded_in(
    db: &impl ConnectionTrait,
    version_id: i64,
) -> ServiceResult<Vec<(PotId, crate::domain::id::BidId, i64)>> {
    let rows: Vec<(i64, Option<String>)> = pot_results::Entity::find()
        .select_only()
        .columns([pot_results::Column::PotId, pot_results::Column::Summary])
        .filter(pot_results::Column::VersionId.eq(version_id))
        .order_by_asc(pot_results::Column::PotId)
        .into_tuple()
        .all(db)
        .await
        .context("loading pot results")?;
    let mut funded = Vec::new();
    for (pot, summary) in rows {
        for f in PotSummary::read(summary.as_deref())?.funded {
            funded.push((PotId::from(pot), f.bid, f.cost_pence));
        }
    }
    Ok(funded)
}
