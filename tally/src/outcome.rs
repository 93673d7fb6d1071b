//! Counting an election and the explained outcome.

use crate::canonical::{input_sha256, sha256_hex, to_canonical_string};
use crate::model::{Election, VoteType};
use crate::pb::format_money;
use crate::rules::{
    self, greedy, mes, phragmen, Add1, GreedyVariant, MesUtility, Rule, RuleConfig, RuleResult,
};
use crate::tiebreak::TieBreak;
use serde_json::{json, Value};
use std::fmt;

/// Why an election could not be counted with a configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountError(pub String);

impl fmt::Display for CountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CountError {}

/// The result of a count, with its explanation.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub rule: String,
    pub tie_break: String,
    /// Funded project ids, in funding order.
    pub selected: Vec<String>,
    pub result: RuleResult,
    pub input_sha256: String,
    pub config_sha256: String,
    pub notes: Vec<String>,
    json: Value,
}

impl Outcome {
    /// The canonical JSON object.
    pub fn to_json(&self) -> &Value {
        &self.json
    }

    /// Canonical JSON text (sorted keys, no whitespace).
    pub fn to_json_string(&self) -> String {
        to_canonical_string(&self.json)
    }

    /// Puts notes on how the rule was chosen (`official_config`'s) before
    /// the count's own.
    pub fn noting_first(mut self, first: Vec<String>) -> Self {
        let mut notes = first;
        notes.append(&mut self.notes);
        self.json["notes"] = Value::from(notes.clone());
        self.notes = notes;
        self
    }
}

/// The rule an election's META names (`rule` and its options), and notes
/// on anything the file does not fully describe.
pub fn official_config(e: &Election) -> Result<(RuleConfig, Vec<String>), CountError> {
    let rule = e
        .meta("rule")
        .unwrap_or("unknown")
        .trim()
        .to_ascii_lowercase();
    let mut notes = Vec::new();
    let threshold = || -> Result<u64, CountError> {
        let v = e.meta("min_project_score_threshold").ok_or_else(|| {
            CountError("greedy-threshold needs META min_project_score_threshold".into())
        })?;
        let t = v.trim().trim_end_matches(".0");
        t.parse::<u64>().map_err(|_| {
            CountError(format!(
                "min_project_score_threshold `{v}` is not a whole number"
            ))
        })
    };
    let r = match rule.as_str() {
        "greedy" => Rule::Greedy(GreedyVariant::Skip),
        "greedy-no-skip" => match e.meta("min_project_score_threshold") {
            Some(_) => Rule::Greedy(GreedyVariant::NoSkipThreshold(threshold()?)),
            None => Rule::Greedy(GreedyVariant::NoSkip),
        },
        "greedy-threshold" => Rule::Greedy(GreedyVariant::Threshold(threshold()?)),
        "equalshares" => mes_rule(Add1::Off, false, false),
        "equalshares/add1" => mes_rule(Add1::UntilOverspend, false, false),
        "equalshares/add1-comparison" => mes_rule(Add1::UntilOverspend, false, true),
        other => match rule_in_comment(e) {
            Some((variant, said)) => {
                notes.push(format!(
                    "META rule `{other}`: counted as the META comment describes it ({said})"
                ));
                Rule::Greedy(variant)
            }
            None => {
                notes.push(format!(
                    "META rule `{other}` names no rule this counter applies; counted with greedy (the META comment may describe what was done)"
                ));
                Rule::Greedy(GreedyVariant::Skip)
            }
        },
    };
    Ok((RuleConfig::new(r), notes))
}

/// The rule a file's META comment spells out, where the rule it names is
/// not one this counter knows: only what the comment states, in the words
/// pabulib's files use, never anything inferred from the data. Today:
/// greedy that stops at the first project that does not fit ("until the
/// next project on the list does not fit within the budget"), and a
/// reserve for that project ("at least 80% of that project"), as in
/// Poznań's files.
fn rule_in_comment(e: &Election) -> Option<(GreedyVariant, String)> {
    let comment = e.meta("comment")?.to_lowercase();
    if !comment.contains("until the next project on the list does not fit") {
        return None;
    }
    let reserve = comment.split("at least ").skip(1).find_map(|rest| {
        let (pct, after) = rest.split_once('%')?;
        after
            .trim_start()
            .starts_with("of that project")
            .then(|| pct.trim().parse::<u8>().ok())
            .flatten()
            .filter(|p| (1..=100).contains(p))
    });
    Some(match reserve {
        Some(pct) => (
            GreedyVariant::NoSkipReserve(pct),
            format!("greedy that stops at the first project that does not fit; that project funded from a reserve if the money left covers at least {pct}% of its cost"),
        ),
        None => (
            GreedyVariant::NoSkip,
            "greedy that stops at the first project that does not fit".into(),
        ),
    })
}

fn mes_rule(add1: Add1, completion: bool, comparison: bool) -> Rule {
    Rule::Mes {
        utility: MesUtility::Cost,
        add1,
        greedy_completion: completion,
        comparison,
    }
}

/// Counts an election.
pub fn count(e: &Election, cfg: &RuleConfig) -> Result<Outcome, CountError> {
    let rp = rules::rank_points(e, cfg);
    let support = rules::support(e, &rp);
    let ranks = cfg.tie_break.ranks(&e.projects, &support);
    let mut notes = Vec::new();
    let result = match &cfg.rule {
        Rule::Greedy(v) => greedy::run(e, &support, &ranks, *v, e.budget, &[], "greedy"),
        Rule::Phragmen => {
            if !e.vote_type.is_approval_like() {
                return Err(CountError(format!(
                    "phragmen needs approval ballots, this election has {}",
                    e.vote_type.as_str()
                )));
            }
            phragmen::count(e, &ranks)
        }
        Rule::Mes {
            utility,
            add1,
            greedy_completion,
            comparison,
        } => {
            let inp = mes::MesInput::from_election(e, cfg, *utility);
            let mut r = mes::count(&inp, &ranks, *add1, e.money_scale)
                .map_err(|e| CountError(e.to_string()))?;
            if *greedy_completion {
                let before = r.selected.len();
                let c = greedy::run(
                    e,
                    &support,
                    &ranks,
                    GreedyVariant::Skip,
                    e.budget,
                    &r.selected,
                    "greedy completion",
                );
                notes.push(format!(
                    "greedy completion funded {} more project(s)",
                    c.selected.len() - before
                ));
                r.selected = c.selected;
                r.ties.extend(c.ties);
                r.rounds.extend(c.rounds);
            }
            if *comparison {
                comparison_step(e, &support, &ranks, &mut r, &mut notes);
            }
            r
        }
    };
    let selected: Vec<String> = result
        .selected
        .iter()
        .map(|&p| e.projects[p].id.clone())
        .collect();
    let breaches: Vec<Value> = e
        .check_constraints()
        .into_iter()
        .map(|b| {
            let limit = if b.constraint == "max_sum_cost" {
                format_money(b.limit, e.money_scale)
            } else {
                b.limit.to_string()
            };
            notes.push(format!(
                "{} ballot(s) break {} {limit} (the first from voter `{}`); they are counted as published",
                b.ballots, b.constraint, b.first_voter
            ));
            json!({
                "constraint": b.constraint,
                "limit": limit,
                "ballots": b.ballots,
                "first_voter": b.first_voter,
            })
        })
        .collect();
    let input_sha = input_sha256(e);
    let cfg_json = cfg.to_json();
    let config_sha = sha256_hex(to_canonical_string(&cfg_json).as_bytes());
    let total: u64 = result.selected.iter().map(|&p| e.projects[p].cost).sum();
    let ties: Vec<Value> = result
        .ties
        .iter()
        .map(|t| {
            json!({
                "round": t.round,
                "phase": t.phase,
                "tied": t.tied.iter().map(|&p| e.projects[p].id.as_str()).collect::<Vec<_>>(),
                "chosen": e.projects[t.chosen].id,
                "reason": t.reason,
                "resolved_by": cfg.tie_break.name(),
            })
        })
        .collect();
    let json = json!({
        "rule": cfg.rule_name(),
        "tie_break": cfg.tie_break.name(),
        "vote_type": e.vote_type.as_str(),
        "budget": format_money(e.budget, e.money_scale),
        "selected": selected,
        "funded": result.selected.iter().map(|&p| json!({
            "project": e.projects[p].id,
            "cost": format_money(e.projects[p].cost, e.money_scale),
            "support": support[p].to_string(),
        })).collect::<Vec<_>>(),
        "total_cost": format_money(total, e.money_scale),
        "ties": ties,
        "rounds": result.rounds,
        "details": result.details,
        "voters": e.ballots.len(),
        "ballot_constraints": breaches,
        "input_sha256": input_sha,
        "config": cfg_json,
        "config_sha256": config_sha,
        "notes": notes,
    });
    Ok(Outcome {
        rule: cfg.rule_name(),
        tie_break: cfg.tie_break.name(),
        selected,
        result,
        input_sha256: input_sha,
        config_sha256: config_sha,
        notes,
        json,
    })
}

/// The equalshares.net comparison step: each voter prefers the outcome in
/// which more of the projects they approved are funded; if strictly more
/// voters prefer plain greedy than prefer this outcome, greedy is used.
fn comparison_step(
    e: &Election,
    support: &[u128],
    ranks: &[usize],
    r: &mut RuleResult,
    notes: &mut Vec<String>,
) {
    let g = greedy::run(
        e,
        support,
        ranks,
        GreedyVariant::Skip,
        e.budget,
        &[],
        "greedy",
    );
    let mut in_mes = vec![false; e.projects.len()];
    let mut in_greedy = vec![false; e.projects.len()];
    for &p in &r.selected {
        in_mes[p] = true;
    }
    for &p in &g.selected {
        in_greedy[p] = true;
    }
    let (mut prefer_mes, mut prefer_greedy) = (0u64, 0u64);
    for b in &e.ballots {
        let a = b.projects.iter().filter(|&&p| in_mes[p as usize]).count();
        let c = b
            .projects
            .iter()
            .filter(|&&p| in_greedy[p as usize])
            .count();
        match a.cmp(&c) {
            std::cmp::Ordering::Greater => prefer_mes += 1,
            std::cmp::Ordering::Less => prefer_greedy += 1,
            std::cmp::Ordering::Equal => {}
        }
    }
    let switched = prefer_greedy > prefer_mes;
    r.details.insert(
        "comparison".into(),
        json!({
            "voters_preferring_equal_shares": prefer_mes,
            "voters_preferring_greedy": prefer_greedy,
            "greedy_selected": g.selected.iter().map(|&p| e.projects[p].id.as_str()).collect::<Vec<_>>(),
            "outcome": if switched { "greedy" } else { "equal shares" },
        }),
    );
    notes.push(format!(
        "comparison step: {prefer_mes} voters prefer the equal-shares outcome, {prefer_greedy} prefer greedy"
    ));
    if switched {
        r.selected = g.selected;
        r.ties.extend(g.ties);
    }
}

/// Parses a rule name of the command line (`official` is handled by the
/// caller with [`official_config`]).
pub fn parse_rule(name: &str, e: &Election) -> Result<Rule, CountError> {
    Ok(match name {
        "greedy" => Rule::Greedy(GreedyVariant::Skip),
        "greedy-no-skip" => Rule::Greedy(GreedyVariant::NoSkip),
        "greedy-threshold" => {
            let v = e.meta("min_project_score_threshold").unwrap_or("0");
            let t = v
                .trim()
                .trim_end_matches(".0")
                .parse::<u64>()
                .map_err(|_| {
                    CountError(format!(
                        "min_project_score_threshold `{v}` is not a whole number"
                    ))
                })?;
            Rule::Greedy(GreedyVariant::Threshold(t))
        }
        "mes" => mes_rule(Add1::Off, false, false),
        "mes-add1" => mes_rule(Add1::StopWhenExhaustive, false, false),
        "mes-add1-no-early-stop" => mes_rule(Add1::UntilOverspend, false, false),
        "phragmen" => Rule::Phragmen,
        other => return Err(CountError(format!("unknown rule `{other}`"))),
    })
}

/// Parses a tie-break name of the command line.
pub fn parse_tie_break(name: &str) -> Result<TieBreak, CountError> {
    if name == "lexicographic" {
        return Ok(TieBreak::Lexicographic);
    }
    if name == "cost-support-seed" {
        return Ok(TieBreak::default());
    }
    if let Some(seed) = name.strip_prefix("cost-support-seed:") {
        let seed = seed
            .parse::<u64>()
            .map_err(|_| CountError(format!("bad seed in `{name}`")))?;
        return Ok(TieBreak::CostSupportSeed { seed });
    }
    Err(CountError(format!("unknown tie-break `{name}`")))
}

/// Whether an election's ballots can be counted by MES.
pub fn is_cardinal(e: &Election) -> bool {
    !matches!(
        e.vote_type,
        VoteType::Approval | VoteType::Choose1 | VoteType::Knapsack
    )
}
