//! The rule simulator: one set of ballots counted under several rules and
//! sets of council rules side by side, with what each outcome gives each
//! category, each area and the voters. The ballots are a round's sealed
//! files (the anonymised ballots the close wrote, never the ballots
//! table) or an uploaded pabulib `.pb` file. Nothing is stored.
use super::{rounds, Actor};
use crate::domain::constraints::Limit;
use crate::domain::id::RoundId;
use crate::domain::{Phase, Role};
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{areas, sealed_pots};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use tally::bundle::RuleSpec;

/// The largest `.pb` file the simulator reads, in bytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// The most rules one simulation compares.
pub const MAX_RULES: usize = 6;
/// The rules the simulator offers: those that count allocation ballots
/// into funded bids.
pub const RULES: &[&str] = &[
    "greedy",
    "greedy-no-skip",
    "mes",
    "mes-add1",
    "mes-add1-no-early-stop",
    "phragmen",
];

/// Where the ballots come from.
pub enum Source {
    Round(RoundId),
    File(String),
}

/// Council rules as a simulation takes them: by the file's own names
/// (categories, areas and bid ids as the `.pb` writes them).
#[derive(Clone, Debug, Default)]
pub struct Rules {
    pub category_max: Vec<(String, Limit)>,
    pub category_min: Vec<(String, Limit)>,
    pub area_max: Vec<(String, Limit)>,
    pub area_min: Vec<(String, Limit)>,
    pub min_votes: Option<u64>,
    pub min_share: Option<String>,
    pub exclusive: Vec<Vec<String>>,
    pub must_fund: Vec<String>,
}

impl Rules {
    /// As the counting module reads them, money in the file's units.
    fn to_tally(&self, scale: u32) -> Result<Value, String> {
        let amount = |l: &Limit, what: &str| -> Result<Value, String> {
            match l {
                Limit::Share(s) => Ok(json!(s)),
                Limit::Pence(p) => {
                    // Pence to the file's units (pounds when it writes
                    // money with two decimals, as Fairshare's files do).
                    let unit = 10u64.pow(scale);
                    let scaled = u128::from(*p) * u128::from(unit);
                    if scaled % 100 != 0 {
                        return Err(format!(
                            "{what}: this file counts money in whole units, so the amount must be whole pounds"
                        ));
                    }
                    Ok(json!((scaled / 100).to_string()))
                }
            }
        };
        let mut o = Map::new();
        for (key, list) in [
            ("category_max", &self.category_max),
            ("category_min", &self.category_min),
            ("area_max", &self.area_max),
            ("area_min", &self.area_min),
        ] {
            if list.is_empty() {
                continue;
            }
            let mut m = Map::new();
            for (k, l) in list {
                m.insert(k.clone(), amount(l, &format!("{key} {k}"))?);
            }
            o.insert(key.into(), Value::Object(m));
        }
        if let Some(v) = self.min_votes {
            o.insert("min_votes".into(), json!(v));
        }
        if let Some(s) = &self.min_share {
            o.insert("min_share".into(), json!(s));
        }
        if !self.exclusive.is_empty() {
            o.insert("exclusive".into(), json!(self.exclusive));
        }
        if !self.must_fund.is_empty() {
            o.insert("must_fund".into(), json!(self.must_fund));
        }
        Ok(Value::Object(o))
    }
}

/// One rule to compare.
#[derive(Clone, Debug)]
pub struct Choice {
    pub rule: String,
    pub rules: Option<Rules>,
}

#[derive(Clone, Debug)]
pub struct Simulation {
    pub pots: Vec<SimulatedPot>,
}

#[derive(Clone, Debug)]
pub struct SimulatedPot {
    pub name: String,
    pub budget_pence: i64,
    pub voters: u64,
    pub bids: Vec<SimulatedBid>,
    pub outcomes: Vec<Outcome>,
}

#[derive(Clone, Debug)]
pub struct SimulatedBid {
    pub id: String,
    pub title: String,
    pub cost_pence: i64,
    pub categories: Vec<String>,
    pub areas: Vec<String>,
    pub votes: u64,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub choice: Choice,
    pub error: Option<String>,
    pub funded: Vec<String>,
    pub spent_pence: i64,
    pub by_category: Vec<Share>,
    pub by_area: Vec<Share>,
    pub voters_with_funded_choice: u64,
    pub average_pence_per_voter: i64,
}

/// What one category or area receives under one rule.
#[derive(Clone, Debug)]
pub struct Share {
    pub key: String,
    pub label: String,
    pub pence: i64,
    /// Of the money spent, 0 to 1.
    pub money_share: f64,
    /// Of all ballot entries, 0 to 1.
    pub vote_share: f64,
}

fn invalid(field: &'static str, m: impl Into<String>) -> ServiceError {
    ServiceError::invalid(field, m.into())
}

/// Counts the ballots of `source` under each of `choices`. Officers,
/// councillors and admins only; a round's ballots once voting has closed,
/// councillors and admins only until the result is published (as the
/// provisional result).
pub async fn simulate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    source: Source,
    choices: Vec<Choice>,
) -> ServiceResult<Simulation> {
    if !(actor.has(Role::Officer) || actor.has(Role::Councillor)) {
        return Err(ServiceError::not_authorised(
            "only officers, councillors and admins can compare counting rules",
        ));
    }
    if choices.is_empty() || choices.len() > MAX_RULES {
        return Err(invalid(
            "rules",
            format!("choose between one and {MAX_RULES} rules to compare"),
        ));
    }
    for c in &choices {
        if !RULES.contains(&c.rule.as_str()) {
            return Err(invalid(
                "rules",
                format!(
                    "the simulator cannot count with `{}`; choose from {}",
                    c.rule,
                    RULES.join(", ")
                ),
            ));
        }
    }
    let (elections, area_names) = match source {
        Source::File(text) => {
            if text.len() > MAX_FILE_BYTES {
                return Err(invalid(
                    "pbFile",
                    format!(
                        "the file is {} bytes; the simulator reads files of at most {MAX_FILE_BYTES} bytes (4 MiB)",
                        text.len()
                    ),
                ));
            }
            let e = tally::pb::parse(&text).map_err(|e| {
                invalid(
                    "pbFile",
                    format!("the file is not a pabulib .pb file the simulator can read: {e}"),
                )
            })?;
            (vec![e], HashMap::new())
        }
        Source::Round(id) => round_elections(db, actor, id).await?,
    };
    tokio::task::spawn_blocking(move || Simulation {
        pots: elections
            .iter()
            .map(|e| simulate_pot(e, &choices, &area_names))
            .collect(),
    })
    .await
    .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("a simulation stopped: {e}")))
}

/// A round's sealed ballots files, each bid given its pot's area when the
/// file names none, with every area's name.
async fn round_elections(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: RoundId,
) -> ServiceResult<(Vec<tally::Election>, HashMap<String, String>)> {
    let round = rounds::get(db, Some(actor), id).await?;
    match round.phase {
        Phase::Closed | Phase::Counted => {
            if !(actor.has(Role::Councillor) || actor.roles.contains(&Role::Admin)) {
                return Err(ServiceError::not_authorised(
                    "until the result is published, only councillors and admins can count this round's ballots",
                ));
            }
        }
        Phase::Published => {}
        _ => {
            return Err(invalid(
                "roundId",
                "a round's ballots can be compared once voting has closed",
            ))
        }
    }
    let rows = sealed_pots::Entity::find()
        .filter(sealed_pots::Column::RoundId.eq(id))
        .order_by_asc(sealed_pots::Column::PotId)
        .all(db)
        .await
        .context("loading a round's ballots files")?;
    let names: HashMap<String, String> = areas::Entity::find()
        .all(db)
        .await
        .context("loading area names")?
        .into_iter()
        .map(|a| (a.id.to_string(), a.name))
        .collect();
    let mut out = Vec::new();
    for row in rows {
        let mut e = tally::pb::parse(&row.ballots_pb)
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("a sealed ballots file: {e}")))?;
        let area = round
            .pots
            .iter()
            .find(|p| p.id.get() == row.pot_id)
            .map(|p| p.area_id.get().to_string());
        for p in &mut e.projects {
            if p.area().is_none() {
                p.set_area(area.as_deref());
            }
        }
        out.push(e);
    }
    Ok((out, names))
}

/// Ballots naming each project (with points above zero where there are
/// points), and the total number of entries.
fn votes(e: &tally::Election) -> (Vec<u64>, u64) {
    let mut votes = vec![0u64; e.projects.len()];
    let mut total = 0;
    for b in &e.ballots {
        for (i, &p) in b.projects.iter().enumerate() {
            if b.points.is_none_or(|pts| pts[i] > 0) {
                votes[p as usize] += 1;
                total += 1;
            }
        }
    }
    (votes, total)
}

/// Money in the file's units to pence.
fn pence(units: u128, scale: u32) -> i64 {
    let p = units * 100 / 10u128.pow(scale);
    i64::try_from(p).unwrap_or(i64::MAX)
}

fn simulate_pot(
    e: &tally::Election,
    choices: &[Choice],
    area_names: &HashMap<String, String>,
) -> SimulatedPot {
    let (votes, entries) = votes(e);
    let names = tally::constraints::names;
    let bids: Vec<SimulatedBid> = e
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| SimulatedBid {
            id: p.id.clone(),
            title: p.name.clone().unwrap_or_else(|| p.id.clone()),
            cost_pence: pence(u128::from(p.cost), e.money_scale),
            categories: names(p.category.as_deref()),
            areas: names(p.area()),
            votes: votes[i],
        })
        .collect();
    let name = e
        .meta("unit")
        .map(|u| area_names.get(u).cloned().unwrap_or_else(|| u.to_owned()))
        .or_else(|| e.meta("description").map(str::to_owned))
        .unwrap_or_default();
    SimulatedPot {
        name,
        budget_pence: pence(u128::from(e.budget), e.money_scale),
        voters: e.ballots.len() as u64,
        outcomes: choices
            .iter()
            .map(|c| outcome(e, c, &bids, entries, area_names))
            .collect(),
        bids,
    }
}

fn outcome(
    e: &tally::Election,
    choice: &Choice,
    bids: &[SimulatedBid],
    entries: u64,
    area_names: &HashMap<String, String>,
) -> Outcome {
    let failed = |m: String| Outcome {
        choice: choice.clone(),
        error: Some(m),
        funded: Vec::new(),
        spent_pence: 0,
        by_category: Vec::new(),
        by_area: Vec::new(),
        voters_with_funded_choice: 0,
        average_pence_per_voter: 0,
    };
    let spec = RuleSpec {
        name: choice.rule.clone(),
        tie_break: "cost-support-seed:0".into(),
        min_support: None,
        rank_points: None,
        seats: None,
        excluded: Vec::new(),
    };
    let mut cfg = match spec.pb_config() {
        Ok(Some(cfg)) => cfg,
        Ok(None) => return failed(format!("{} does not count allocation ballots", choice.rule)),
        Err(m) => return failed(m),
    };
    // The rules asked for replace any the file carries; none asked for
    // counts without any.
    let rules = match &choice.rules {
        Some(r) => match r
            .to_tally(e.money_scale)
            .and_then(|v| tally::constraints::Constraints::from_json(&v).map_err(|e| e.to_string()))
        {
            Ok(c) => c,
            Err(m) => return failed(m),
        },
        None => tally::constraints::Constraints::default(),
    };
    cfg.constraints = Some(rules);
    let out = match tally::outcome::count(e, &cfg) {
        Ok(o) => o,
        Err(m) => return failed(m.to_string()),
    };
    let funded: Vec<String> = out.to_json()["selected"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let is_funded: Vec<bool> = e.projects.iter().map(|p| funded.contains(&p.id)).collect();
    let spent: i64 = bids
        .iter()
        .zip(&is_funded)
        .filter(|(_, f)| **f)
        .map(|(b, _)| b.cost_pence)
        .sum();
    // What each voter's choices received.
    let (mut satisfied, mut received) = (0u64, 0i128);
    for b in &e.ballots {
        let mut got = 0i64;
        for (i, &p) in b.projects.iter().enumerate() {
            if is_funded[p as usize] && b.points.is_none_or(|pts| pts[i] > 0) {
                got += bids[p as usize].cost_pence;
            }
        }
        if got > 0 {
            satisfied += 1;
        }
        received += i128::from(got);
    }
    let voters = e.ballots.len() as i128;
    let shares = |of: &dyn Fn(&SimulatedBid) -> &Vec<String>, label: &dyn Fn(&str) -> String| {
        let mut money: BTreeMap<String, (i64, u64)> = BTreeMap::new();
        for (b, f) in bids.iter().zip(&is_funded) {
            for k in of(b) {
                let m = money.entry(k.clone()).or_default();
                if *f {
                    m.0 += b.cost_pence;
                }
                m.1 += b.votes;
            }
        }
        money
            .into_iter()
            .map(|(key, (pence, v))| Share {
                label: label(&key),
                money_share: if spent > 0 {
                    pence as f64 / spent as f64
                } else {
                    0.0
                },
                vote_share: if entries > 0 {
                    v as f64 / entries as f64
                } else {
                    0.0
                },
                key,
                pence,
            })
            .collect::<Vec<_>>()
    };
    Outcome {
        choice: choice.clone(),
        error: None,
        spent_pence: spent,
        by_category: shares(&|b| &b.categories, &|k| k.to_owned()),
        by_area: shares(&|b| &b.areas, &|k| {
            area_names.get(k).cloned().unwrap_or_else(|| k.to_owned())
        }),
        voters_with_funded_choice: satisfied,
        average_pence_per_voter: if voters > 0 {
            i64::try_from(received / voters).unwrap_or(i64::MAX)
        } else {
            0
        },
        funded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "META
key;value
description;Test
num_projects;3
num_votes;4
budget;1000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;category;name
1;600;transport;Bus shelter
2;500;education;Books
3;400;education;Laptops
VOTES
voter_id;vote
1;1,2
2;1
3;2,3
4;1,3
";

    fn choice(rule: &str, rules: Option<Rules>) -> Choice {
        Choice {
            rule: rule.into(),
            rules,
        }
    }

    #[test]
    fn each_rule_is_counted_and_measured() {
        let e = tally::pb::parse(FILE).unwrap();
        let cap = Rules {
            category_max: vec![("transport".into(), Limit::Share("10%".into()))],
            ..Default::default()
        };
        let pot = simulate_pot(
            &e,
            &[choice("greedy", None), choice("greedy", Some(cap))],
            &HashMap::new(),
        );
        assert_eq!(pot.voters, 4);
        assert_eq!(pot.budget_pence, 100_000);
        let plain = &pot.outcomes[0];
        // Greedy: 1 (3 votes, 600), then 2 or 3 by support (2 each): ties
        // go to the cheaper, 3 (400); 600 + 400 = 1000.
        assert_eq!(plain.funded, vec!["1".to_string(), "3".to_string()]);
        assert_eq!(plain.spent_pence, 100_000);
        // Voters 1, 2, 3 and 4 each have a funded choice.
        assert_eq!(plain.voters_with_funded_choice, 4);
        // Voter 1 got 600, 2 got 600, 3 got 400, 4 got 1000: 2600 / 4.
        assert_eq!(plain.average_pence_per_voter, 65_000);
        let edu = plain
            .by_category
            .iter()
            .find(|s| s.key == "education")
            .unwrap();
        assert_eq!(edu.pence, 40_000);
        // 4 of the 7 entries name an education bid.
        assert!((edu.vote_share - 4.0 / 7.0).abs() < 1e-9);
        let capped = &pot.outcomes[1];
        assert!(capped.error.is_none(), "{:?}", capped.error);
        assert!(!capped.funded.contains(&"1".to_string()));
    }

    #[test]
    fn a_rule_that_cannot_hold_is_reported_on_its_outcome_only() {
        let e = tally::pb::parse(FILE).unwrap();
        let impossible = Rules {
            category_min: vec![("sport".into(), Limit::Pence(100))],
            ..Default::default()
        };
        let pot = simulate_pot(
            &e,
            &[choice("mes", Some(impossible)), choice("phragmen", None)],
            &HashMap::new(),
        );
        assert!(pot.outcomes[0].error.as_deref().unwrap().contains("sport"));
        assert!(pot.outcomes[1].error.is_none());
    }
}
