//! A stored result as people read it: funded and unfunded bids, money,
//! turnout and the explanation, for each version the caller may see.
use super::super::{rounds, voting, Actor};
use super::reviewer;
use super::trace::Trace;
use crate::domain::id::{AreaId, PotId, RoundId};
use crate::domain::Language;
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{bids, participation, pot_results, result_versions};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// A pot's result, as people read it.
#[derive(Clone, Debug)]
pub struct PotResult {
    pub pot_id: PotId,
    pub area_id: AreaId,
    pub budget_pence: i64,
    /// Funded bids in the order funded, with what each costs and its
    /// support.
    pub funded: Vec<(i64, i64, String)>,
    /// Bids on the ballot not funded, with their support.
    pub unfunded: Vec<(i64, i64, String)>,
    pub spent_pence: i64,
    pub voters: u64,
    pub turnout_by_channel: Vec<(String, u64)>,
    /// How many ballots named each bid, from the published `.pb`.
    pub votes: HashMap<i64, u64>,
    /// The count step by step, in English.
    pub explanation: Vec<String>,
    /// The same in Welsh.
    pub explanation_cy: Vec<String>,
    pub ballots_sha256: String,
    pub result_sha256: String,
    pub input_sha256: String,
    pub result_json: String,
    pub ballots_pb: String,
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

/// A round's result: the latest version (or the one asked for). Published
/// versions are public; a provisional one only councillors and admins
/// see. `None` when there is nothing the caller may see.
pub async fn result(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    round_id: RoundId,
    version: Option<i32>,
) -> ServiceResult<Option<RoundResult>> {
    let round = rounds::get(db, caller, round_id).await?;
    let mut q =
        result_versions::Entity::find().filter(result_versions::Column::RoundId.eq(round_id));
    if !reviewer(caller) {
        q = q.filter(result_versions::Column::PublishedAt.is_not_null());
    }
    if let Some(v) = version {
        q = q.filter(result_versions::Column::Version.eq(v));
    }
    let Some(v) = q
        .order_by_desc(result_versions::Column::Version)
        .one(db)
        .await
        .context("finding a result")?
    else {
        return Ok(None);
    };
    let rows = pot_results::Entity::find()
        .filter(pot_results::Column::VersionId.eq(v.id))
        .order_by_asc(pot_results::Column::PotId)
        .all(db)
        .await
        .context("loading pot results")?;
    let turnout = participation::Entity::find()
        .filter(participation::Column::RoundId.eq(round_id))
        .all(db)
        .await
        .context("loading turnout")?;
    let mut pots = Vec::new();
    for row in rows {
        let r: Value = serde_json::from_str(&row.result_json).unwrap_or(Value::Null);
        let pot = round
            .pots
            .iter()
            .find(|p| p.id == row.pot_id.into())
            .ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!("a result for another round's pot"))
            })?;
        let on_ballot: Vec<bids::Model> = voting::ballot_bids(db, pot.id).await?;
        let titles: HashMap<String, String> = on_ballot
            .iter()
            .map(|b| (b.id.to_string(), b.title.clone()))
            .collect();
        let selected: Vec<i64> = r["selected"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str()?.parse().ok()).collect())
            .unwrap_or_default();
        let support: HashMap<i64, String> = r["funded"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| {
                        Some((
                            f["project"].as_str()?.parse().ok()?,
                            f["support"].as_str().unwrap_or("").to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let cost: HashMap<i64, i64> = on_ballot.iter().map(|b| (b.id, b.cost_pence)).collect();
        let funded: Vec<(i64, i64, String)> = selected
            .iter()
            .map(|b| {
                (
                    *b,
                    cost.get(b).copied().unwrap_or(0),
                    support.get(b).cloned().unwrap_or_default(),
                )
            })
            .collect();
        let unfunded: Vec<(i64, i64, String)> = on_ballot
            .iter()
            .filter(|b| !selected.contains(&b.id))
            .map(|b| (b.id, b.cost_pence, String::new()))
            .collect();
        let spent: i64 = funded.iter().map(|(_, c, _)| c).sum();
        let mut by_channel: BTreeMap<String, u64> = BTreeMap::new();
        for p in turnout.iter().filter(|p| p.pot_id == pot.id.get()) {
            *by_channel.entry(p.channel.clone()).or_default() += 1;
        }
        // The ballots that named each bid, as the published file says.
        let votes: HashMap<i64, u64> = tally::pb::parse(&row.ballots_pb)
            .map(|e| {
                e.projects
                    .iter()
                    .filter_map(|p| Some((p.id.parse().ok()?, p.field("votes")?.parse().ok()?)))
                    .collect()
            })
            .unwrap_or_default();
        let trace = Trace::read(&r, &round.rule.name);
        pots.push(PotResult {
            votes,
            pot_id: pot.id,
            area_id: pot.area_id,
            budget_pence: pot.amount.get(),
            explanation: trace.explain(&titles, Language::En),
            explanation_cy: trace.explain(&titles, Language::Cy),
            funded,
            unfunded,
            spent_pence: spent,
            voters: r["voters"].as_u64().unwrap_or_else(|| {
                r["voters"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0)
            }),
            turnout_by_channel: by_channel.into_iter().collect(),
            ballots_sha256: row.ballots_sha256,
            result_sha256: row.result_sha256,
            input_sha256: r["input_sha256"].as_str().unwrap_or("").to_owned(),
            result_json: row.result_json,
            ballots_pb: row.ballots_pb,
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
