//! What a pot's result shows, worked out once, when the count is stored:
//! funded and unfunded bids with their votes, money, turnout by channel
//! and the explanation in English and Welsh. Reading a result reads this
//! and nothing else: never the ballots file, so a read costs the same at
//! 60 ballots and at 100,000.
use super::super::{rounds, voting};
use super::explain::Names;
use super::trace::Trace;
use crate::domain::id::BidId;
use crate::domain::Language;
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{participation, pot_results, result_versions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// A funded bid: what it gets, its support under the rule, and how many
/// ballots chose it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundedLine {
    pub bid: BidId,
    pub cost_pence: i64,
    pub support: String,
    pub votes: u64,
}

/// A bid on the ballot that was not funded: what it asked for and how many
/// ballots chose it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfundedLine {
    pub bid: BidId,
    pub cost_pence: i64,
    pub votes: u64,
}

/// Everything a pot's result shows, as stored with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PotSummary {
    /// In the order the count funded them.
    pub funded: Vec<FundedLine>,
    pub unfunded: Vec<UnfundedLine>,
    pub spent_pence: i64,
    /// Ballots counted.
    pub voters: u64,
    /// People who voted, by channel.
    pub turnout_by_channel: Vec<(String, u64)>,
    /// The count step by step, in English.
    pub explanation: Vec<String>,
    /// The same in Welsh.
    pub explanation_cy: Vec<String>,
    /// SHA-256 of the ballots as the count read them.
    pub input_sha256: String,
}

impl PotSummary {
    /// Every bid on the ballot: the funded ones first, in order.
    pub fn bids(&self) -> impl Iterator<Item = BidId> + '_ {
        self.funded
            .iter()
            .map(|f| f.bid)
            .chain(self.unfunded.iter().map(|u| u.bid))
    }

    /// Reads a stored summary.
    pub(super) fn read(json: Option<&str>) -> ServiceResult<Self> {
        json.and_then(|j| serde_json::from_str(j).ok())
            .ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!("a result without its summary"))
            })
    }
}

/// Works out what a pot's result shows from its ballots file (for the
/// votes each bid got), its result (for what was funded and how) and the
/// round's turnout: the one time anything reads the ballots after the
/// count.
pub(super) async fn summarise(
    db: &impl ConnectionTrait,
    round: &rounds::Round,
    pot: &rounds::Pot,
    ballots_pb: &str,
    result_json: &str,
) -> ServiceResult<PotSummary> {
    let r: Value = serde_json::from_str(result_json)
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("an unreadable result: {e}")))?;
    let election = tally::pb::parse(ballots_pb).map_err(|e| {
        ServiceError::Unexpected(anyhow::anyhow!("an unreadable ballots file: {e}"))
    })?;
    // The bids on the ballot with what each asked for, and how many ballots
    // named each, as the file says.
    let votes: HashMap<String, u64> = election
        .projects
        .iter()
        .map(|p| {
            let n = p.field("votes").and_then(|v| v.parse().ok()).unwrap_or(0);
            (p.id.clone(), n)
        })
        .collect();
    let bids = voting::ballot_bids(db, pot.id).await?;
    let titles = Names {
        bids: bids
            .iter()
            .map(|b| (b.id.to_string(), b.title.clone()))
            .collect(),
        areas: area_names(db).await?,
    };
    let on_ballot: Vec<(BidId, i64, u64)> = bids
        .iter()
        .map(|b| {
            let n = votes.get(&b.id.to_string()).copied().unwrap_or(0);
            (BidId::new(b.id), b.cost_pence, n)
        })
        .collect();
    let selected: Vec<BidId> = r["selected"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()?.parse().ok()).collect())
        .unwrap_or_default();
    let support: HashMap<BidId, String> = r["funded"]
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
    let find = |b: BidId| on_ballot.iter().find(|(id, _, _)| *id == b);
    let funded: Vec<FundedLine> = selected
        .iter()
        .map(|&b| FundedLine {
            bid: b,
            cost_pence: find(b).map(|x| x.1).unwrap_or(0),
            support: support.get(&b).cloned().unwrap_or_default(),
            votes: find(b).map(|x| x.2).unwrap_or(0),
        })
        .collect();
    let unfunded: Vec<UnfundedLine> = on_ballot
        .iter()
        .filter(|(b, _, _)| !selected.contains(b))
        .map(|&(bid, cost_pence, votes)| UnfundedLine {
            bid,
            cost_pence,
            votes,
        })
        .collect();
    let channels: Vec<String> = participation::Entity::find()
        .select_only()
        .column(participation::Column::Channel)
        .filter(participation::Column::RoundId.eq(round.id))
        .filter(participation::Column::PotId.eq(pot.id))
        .into_tuple()
        .all(db)
        .await
        .context("loading turnout")?;
    let mut by_channel: BTreeMap<String, u64> = BTreeMap::new();
    for c in channels {
        *by_channel.entry(c).or_default() += 1;
    }
    let trace = Trace::read(&r, &round.rule.name);
    Ok(PotSummary {
        spent_pence: funded.iter().map(|f| f.cost_pence).sum(),
        funded,
        unfunded,
        voters: r["voters"].as_u64().unwrap_or_else(|| {
            r["voters"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        }),
        turnout_by_channel: by_channel.into_iter().collect(),
        explanation: trace.explain(&titles, Language::En),
        explanation_cy: trace.explain(&titles, Language::Cy),
        input_sha256: r["input_sha256"].as_str().unwrap_or("").to_owned(),
    })
}

/// Results stored before summaries were kept get theirs: run when the
/// server starts. Idempotent, so instances starting together agree.
pub(crate) async fn backfill(db: &impl ConnectionTrait) -> ServiceResult<u64> {
    let missing = pot_results::Entity::find()
        .filter(pot_results::Column::Summary.is_null())
        .all(db)
        .await
        .context("finding results without a summary")?;
    let mut done = 0;
    for row in missing {
        let Some(version) = result_versions::Entity::find_by_id(row.version_id)
            .one(db)
            .await
            .context("loading a result version")?
        else {
            continue;
        };
        let round = rounds::load(db, version.round_id.into()).await?;
        let Some(pot) = round.pots.iter().find(|p| p.id.get() == row.pot_id) else {
            continue;
        };
        // A stored file that cannot be read leaves that result unreadable
        // and logged, not the whole server unable to start.
        let summary = match summarise(db, &round, pot, &row.ballots_pb, &row.result_json).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(pot_result = row.id, error = %e, "a stored result could not be summarised");
                continue;
            }
        };
        let mut active: pot_results::ActiveModel = row.into();
        active.summary = Set(Some(to_json(&summary)));
        active
            .update(db)
            .await
            .context("keeping a result's summary")?;
        done += 1;
    }
    Ok(done)
}

/// Every area's name by id, for the council rules an explanation names.
pub(super) async fn area_names(
    db: &impl ConnectionTrait,
) -> ServiceResult<HashMap<String, String>> {
    Ok(crate::store::areas::Entity::find()
        .all(db)
        .await
        .context("loading area names")?
        .into_iter()
        .map(|a| (a.id.to_string(), a.name))
        .collect())
}

pub(super) fn to_json(summary: &PotSummary) -> String {
    serde_json::to_string(summary).unwrap_or_default()
}
