//! Counting a closed round: the one conversion of its rule for the
//! counting module, each pot's ballots as a pabulib election, and the
//! stored result versions.
use super::super::{round_log, rounds, voting, Actor};
use super::sha256_hex;
use crate::domain::constraints::PotBid;
use crate::domain::id::PotId;
use crate::domain::{ballot::BallotKind, vote::BallotContent, CountingRule};
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{areas, ballots, bids, pot_results, result_versions, sealed_pots};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use tally::bundle::RuleSpec;

/// The one conversion from a round's counting rule to the counting
/// module's: the same names, the tie-break order with its seed.
pub fn rule_spec(rule: &CountingRule) -> RuleSpec {
    rule_spec_excluding(rule, &[])
}

/// The same, leaving out `excluded` bids (a correction): the ballots file
/// stays as sealed, and the configuration says which bids the count skips.
pub fn rule_spec_excluding(rule: &CountingRule, excluded: &[i64]) -> RuleSpec {
    RuleSpec {
        excluded: excluded.iter().map(i64::to_string).collect(),
        name: rule.name.clone(),
        tie_break: match rule.tie_break {
            crate::domain::ballot::TieBreak::CostSupportSeed => {
                format!("cost-support-seed:{}", rule.seed.unwrap_or(0))
            }
            crate::domain::ballot::TieBreak::Lexicographic => "lexicographic".into(),
        },
        min_support: rule.min_support,
        rank_points: rule
            .rank_points
            .as_ref()
            .map(|p| p.iter().map(|x| u64::from(*x)).collect()),
        seats: rule.seats,
    }
}

/// Money as the published files write it: pounds, with pence only where
/// there are any (the counting module reads it back in pence).
const MONEY_SCALE: u32 = 2;

/// One pot's ballots as a pabulib election: the eligible bids, the pot,
/// and every ballot in the order the close left them (random), each voter
/// numbered 1, 2, 3…
async fn pot_election(
    db: &impl ConnectionTrait,
    round: &rounds::Round,
    pot: &rounds::Pot,
    voting: &(String, String),
) -> ServiceResult<tally::Election> {
    use tally::model::{BallotRef, Ballots};
    let area = areas::Entity::find_by_id(pot.area_id.get())
        .one(db)
        .await
        .context("loading an area")?
        .map(|a| a.name)
        .unwrap_or_default();
    let on_ballot: Vec<bids::Model> = voting::ballot_bids(db, pot.id).await?;
    let index: HashMap<i64, u32> = on_ballot
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id, i as u32))
        .collect();
    let rows = ballots::Entity::find()
        .filter(ballots::Column::RoundId.eq(round.id))
        .filter(ballots::Column::PotId.eq(pot.id))
        .order_by_asc(ballots::Column::Id)
        .all(db)
        .await
        .context("loading a pot's ballots")?;
    let (vote_type, constraints) = voting::tally_shape(
        &round.ballot,
        pot.amount.get().max(0) as u64,
        on_ballot.len() as u64,
    );
    let with_points = vote_type.has_points();
    let mut ballots = Ballots::new(with_points);
    // How many ballots name each project: pabulib's `votes` column.
    let mut named = vec![0u64; on_ballot.len()];
    for (n, row) in rows.iter().enumerate() {
        let content: BallotContent = serde_json::from_str(&row.content)
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("an unreadable ballot: {e}")))?;
        let mut projects = Vec::new();
        let mut points = Vec::new();
        for (i, bid) in content.bids.iter().enumerate() {
            if let Some(&p) = index.get(bid) {
                projects.push(p);
                named[p as usize] += 1;
                points.push(
                    content
                        .values
                        .as_ref()
                        .and_then(|v| v.get(i))
                        .copied()
                        .unwrap_or(0)
                        .max(0) as u64,
                );
            }
        }
        let voter = (n + 1).to_string();
        ballots
            .push(BallotRef {
                voter_id: &voter,
                projects: &projects,
                points: with_points.then_some(&points[..]),
                extra: "",
            })
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("building a pot: {e}")))?;
    }
    let spec = rule_spec(&round.rule);
    // The council rules that apply in this pot, and each bid's area (its
    // locality, else the pot's area) when a rule limits areas: written only where there are some, so that a
    // round without them seals the files it always did.
    let pot_bids: Vec<PotBid<'_>> = on_ballot
        .iter()
        .map(|b| PotBid {
            id: b.id,
            category: &b.category,
            area_id: b.locality_area_id.unwrap_or(pot.area_id.get()),
        })
        .collect();
    let rules = round
        .rule
        .constraints
        .as_ref()
        .map(|c| c.to_tally(Some(&pot_bids)))
        .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()));
    let by_area = round
        .rule
        .constraints
        .as_ref()
        .is_some_and(|c| !c.area_max.is_empty() || !c.area_min.is_empty());
    // In the order pabulib's checker expects; `write` fills in the budget.
    let mut meta = vec![
        (
            "description".to_string(),
            format!("{} – {area}", round.title),
        ),
        ("country".into(), "United Kingdom".into()),
        ("unit".into(), area.clone()),
        ("instance".into(), round.title.clone()),
        ("num_projects".into(), on_ballot.len().to_string()),
        ("num_votes".into(), rows.len().to_string()),
        ("budget".into(), String::new()),
        ("vote_type".into(), vote_type.as_str().into()),
        ("rule".into(), spec.name.clone()),
        (
            "constraints".into(),
            rules.map(|r| r.to_string()).unwrap_or_default(),
        ),
        ("date_begin".into(), voting.0.clone()),
        ("date_end".into(), voting.1.clone()),
    ];
    // A META line with nothing in it is left out.
    meta.retain(|(k, v)| k != "constraints" || !v.is_empty());
    let money = |p: u64| tally::pb::format_money(p, MONEY_SCALE);
    for (key, value) in [
        ("min_length", constraints.min_length.map(|v| v.to_string())),
        ("max_length", constraints.max_length.map(|v| v.to_string())),
        ("min_points", constraints.min_points.map(|v| v.to_string())),
        ("max_points", constraints.max_points.map(|v| v.to_string())),
        (
            "min_sum_points",
            constraints.min_sum_points.map(|v| v.to_string()),
        ),
        (
            "max_sum_points",
            constraints.max_sum_points.map(|v| v.to_string()),
        ),
        ("max_sum_cost", constraints.max_sum_cost.map(money)),
    ] {
        if let Some(v) = value {
            meta.push((key.into(), v));
        }
    }
    meta.push(("language".into(), "en".into()));
    meta.push(("currency".into(), "GBP".into()));
    if round.ballot.kind == BallotKind::MoneyAllocation {
        meta.push((
            "comment".into(),
            "each ballot's points are the pence it gives to each project".into(),
        ));
    }
    Ok(tally::Election {
        meta,
        ballot_columns: Vec::new(),
        budget: pot.amount.get().max(0) as u64,
        money_scale: MONEY_SCALE,
        vote_type,
        projects: on_ballot
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut p = tally::Project {
                    id: b.id.to_string(),
                    cost: b.cost_pence.max(0) as u64,
                    name: Some(b.title.clone()),
                    category: Some(b.category.clone()),
                    extra: vec![("votes".into(), named[i].to_string())],
                };
                if by_area {
                    let area = b.locality_area_id.unwrap_or(pot.area_id.get());
                    p.set_area(Some(&area.to_string()));
                }
                p
            })
            .collect(),
        ballots,
        constraints,
    })
}

/// Checks a round's council rules against each pot's ballot as it will be
/// when voting opens, with the counting module's own checks: a minimum no
/// bid can meet, bids funded first that break a limit or cost more than
/// the pot, and the rest are refused here, so that the count at the close
/// is never refused for them. Run in the transaction that opens voting.
pub(crate) async fn check_rules(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
) -> ServiceResult<()> {
    if round.rule.constraints.is_none() {
        return Ok(());
    }
    let no_dates = (String::new(), String::new());
    for pot in &round.pots {
        let election = pot_election(txn, round, pot, &no_dates).await?;
        let refuse = |m: String| {
            let area = election.meta("unit").unwrap_or("a pot").to_owned();
            ServiceError::invalid(
                "countingRule",
                format!("the council rules cannot hold in the pot for {area}: {m}; change them before voting opens"),
            )
        };
        if let Some(c) =
            tally::constraints::Constraints::of_election(&election).map_err(|e| refuse(e.0))?
        {
            tally::constraints::Plan::new(&c, &election).map_err(|e| refuse(e.0))?;
        }
    }
    Ok(())
}

/// What the close of voting sealed: each pot's ballots file, its hash and
/// its number of ballots, and the receipt commitments' count and Merkle
/// root. The round log's `sealed` entry holds exactly this.
#[derive(Clone, Debug)]
pub struct Sealed {
    pub pots: Vec<SealedPot>,
    pub commitments: usize,
    pub merkle_root: String,
}

#[derive(Clone, Debug)]
pub struct SealedPot {
    pub pot_id: PotId,
    pub ballots: u64,
    pub ballots_sha256: String,
}

impl Sealed {
    /// The `details` of the round log's `sealed` entry.
    pub fn log_details(&self) -> Value {
        json!({
            "pots": self.pots.iter().map(|p| json!({
                "pot": p.pot_id,
                "ballots": p.ballots,
                "ballots_sha256": p.ballots_sha256,
            })).collect::<Vec<_>>(),
            "commitments": self.commitments,
            "merkle_root": self.merkle_root,
        })
    }
}

/// Writes each pot's ballots file as it will be counted, in the transaction
/// that closes voting (after the ballots left the sealed store and the
/// phase change is logged, whose date the file gives): every count of the
/// round reads these files, never the ballots again.
pub(crate) async fn seal_pots(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
) -> ServiceResult<Sealed> {
    let voting = round_log::voting_dates(txn, round.id).await?;
    let mut pots = Vec::new();
    for pot in &round.pots {
        let election = pot_election(txn, round, pot, &voting).await?;
        let pb = tally::pb::write(&election);
        let sealed = SealedPot {
            pot_id: pot.id,
            ballots: election.ballots.len() as u64,
            ballots_sha256: sha256_hex(pb.as_bytes()),
        };
        sealed_pots::ActiveModel {
            round_id: Set(round.id.get()),
            pot_id: Set(pot.id.get()),
            ballots: Set(sealed.ballots as i64),
            ballots_pb: Set(pb),
            ballots_sha256: Set(sealed.ballots_sha256.clone()),
        }
        .insert(txn)
        .await
        .context("keeping a pot's ballots file")?;
        pots.push(sealed);
    }
    let leaves = super::receipts::commitments(txn, round.id).await?;
    super::receipts::store_tree(txn, round.id, &leaves).await?;
    Ok(Sealed {
        pots,
        commitments: leaves.len(),
        merkle_root: tally::bundle::merkle_root(&leaves),
    })
}

/// Counts every pot of a round from its sealed ballots file, leaving out
/// `excluded` bids (a correction).
pub(crate) async fn count_in(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    excluded: &[i64],
) -> Result<Vec<pot_results::ActiveModel>, String> {
    // Each pot's count leaves out the excluded bids that are its own.
    let excluded_by_pot: HashMap<i64, Vec<i64>> = bids::Entity::find()
        .filter(bids::Column::Id.is_in(excluded.iter().copied()))
        .all(txn)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .fold(HashMap::new(), |mut m, b| {
            m.entry(b.pot_id).or_insert_with(Vec::new).push(b.id);
            m
        });
    let files: HashMap<i64, sealed_pots::Model> = sealed_pots::Entity::find()
        .filter(sealed_pots::Column::RoundId.eq(round.id))
        .all(txn)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|p| (p.pot_id, p))
        .collect();
    let mut out = Vec::new();
    for pot in &round.pots {
        // A round published before ballots files were sealed at the close
        // has none: its file is written from its ballots, as its first
        // count wrote it.
        let (pb, pb_sha256) = match files.get(&pot.id.get()) {
            Some(f) => (f.ballots_pb.clone(), f.ballots_sha256.clone()),
            None => {
                let voting = round_log::voting_dates(txn, round.id)
                    .await
                    .map_err(|e| e.to_string())?;
                let election = pot_election(txn, round, pot, &voting)
                    .await
                    .map_err(|e| e.to_string())?;
                let pb = tally::pb::write(&election);
                let sha = sha256_hex(pb.as_bytes());
                (pb, sha)
            }
        };
        let spec = rule_spec_excluding(
            &round.rule,
            excluded_by_pot
                .get(&pot.id.get())
                .map(Vec::as_slice)
                .unwrap_or(&[]),
        );
        let result = tally::bundle::count_pot(&spec, &pb)
            .map_err(|e| format!("the pot for area {}: {e}", pot.area_id))?;
        let summary = super::summary::summarise(txn, round, pot, &pb, &result)
            .await
            .map_err(|e| e.to_string())?;
        out.push(pot_results::ActiveModel {
            summary: Set(Some(super::summary::to_json(&summary))),
            pot_id: Set(pot.id.get()),
            ballots_sha256: Set(pb_sha256),
            ballots_pb: Set(pb),
            result_sha256: Set(sha256_hex(result.as_bytes())),
            result_json: Set(result),
            ..Default::default()
        });
    }
    Ok(out)
}

/// Writes a result version and its pots, and logs it.
pub(crate) async fn store_version(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    actor: Option<&Actor>,
    reason: Option<&str>,
    excluded: &[i64],
    pots: Vec<pot_results::ActiveModel>,
    now: DateTime<Utc>,
) -> ServiceResult<i32> {
    let last = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round.id))
        .order_by_desc(result_versions::Column::Version)
        .one(txn)
        .await
        .context("finding the last result")?;
    let version = last.map(|v| v.version + 1).unwrap_or(1);
    let config = tally::canonical::to_canonical_string(
        &rule_spec_excluding(&round.rule, excluded).to_json(),
    );
    let v = result_versions::ActiveModel {
        round_id: Set(round.id.get()),
        version: Set(version),
        reason: Set(reason.map(str::to_owned)),
        config_json: Set(config.clone()),
        excluded_bids: Set(serde_json::to_string(excluded).unwrap_or_else(|_| "[]".into())),
        created_by: Set(actor.map(|a| a.account_id).map(|id| id.get())),
        created_at: Set(now),
        published_by: Set(None),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await
    .context("storing a result")?;
    let mut logged = Vec::new();
    for mut p in pots {
        p.version_id = Set(v.id);
        let saved = p.insert(txn).await.context("storing a pot's result")?;
        let r: Value = serde_json::from_str(&saved.result_json).unwrap_or(Value::Null);
        logged.push(json!({
            "pot": saved.pot_id,
            "ballots_sha256": saved.ballots_sha256,
            "result_sha256": saved.result_sha256,
            "selected": r["selected"],
        }));
    }
    round_log::append(
        txn,
        round.id,
        if version == 1 { "counted" } else { "recounted" },
        json!({
            "version": version,
            "config_sha256": sha256_hex(config.as_bytes()),
            "excluded_bids": excluded,
            "reason": reason,
            "pots": logged,
            "by": actor.map(|a| a.account_id),
        }),
        now,
    )
    .await?;
    Ok(version)
}
