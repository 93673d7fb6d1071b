//! Counting an election and the explained outcome.

use crate::canonical::{input_sha256, sha256_hex, to_canonical_string};
use crate::constraints::{Constraints, Plan, State};
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

/// The election as its file says it was counted, with the rule of
/// [`official_config`] and its notes. Beyond the rule, two things a META
/// comment can state are applied, each with a note, and only where the
/// comment states them in so many words (never inferred from the data):
///
/// - the budget, where the comment says it was changed before the count
///   ("the budget was increased to 7,605,325", "we adjusted the budget
///   from 194 431 to 236 277"): the count uses the amount it was changed
///   to. In every pabulib file that says so, META `budget` is already that
///   amount, and the note says that they agree;
/// - a project that was not a candidate, where the comment says it should
///   not have been admitted to the ballot, or was withdrawn, and that its
///   cost was set to an artificial value ("the recorded cost was changed
///   to the artificial value 999999999"), and the file gives it that cost:
///   it is left out of the count (as [`crate::bundle::without_projects`]
///   leaves out a correction's excluded projects), so it is never funded.
///   A cost set to an artificial value for another reason (free projects
///   given a cost of 1) changes nothing.
pub fn official_election(
    mut e: Election,
) -> Result<(Election, RuleConfig, Vec<String>), CountError> {
    let (cfg, mut notes) = official_config(&e)?;
    if let Some(stated) = budget_in_comment(&e) {
        let said = stated.said;
        let amount = 10u64
            .checked_pow(e.money_scale)
            .and_then(|p| stated.amount.checked_mul(p))
            .ok_or_else(|| {
                CountError(format!(
                    "the budget the META comment states, {said}, is too large"
                ))
            })?;
        let meta = format_money(e.budget, e.money_scale);
        if amount == e.budget {
            notes.push(format!(
                "budget as the META comment states it ({said}): {meta}, which is META budget"
            ));
        } else {
            notes.push(format!(
                "budget as the META comment states it ({said}): {}, not META budget {meta}",
                format_money(amount, e.money_scale)
            ));
            e.budget = amount;
        }
    }
    let left_out = not_candidates_in_comment(&e);
    if !left_out.is_empty() {
        for (id, why) in &left_out {
            notes.push(format!(
                "project {id} is not a candidate: the META comment states {why}; it is left out of the count and never funded"
            ));
        }
        let ids: Vec<String> = left_out.into_iter().map(|(id, _)| id).collect();
        e = crate::bundle::without_projects(e, &ids).map_err(CountError)?;
    }
    Ok((e, cfg, notes))
}

/// A budget a META comment states, in whole currency units, and the
/// comment's words for it.
struct StatedBudget {
    amount: u64,
    said: String,
}

/// The budget a file's META comment says the count had after a change,
/// in the words pabulib's files use: "budget was increased to N",
/// "budget increased to N", "the budget from A to N". `None` when the
/// comment says no such thing, or states more than one such amount.
fn budget_in_comment(e: &Election) -> Option<StatedBudget> {
    let comment = e.meta("comment")?;
    let lower = comment.to_ascii_lowercase();
    let mut found: Vec<StatedBudget> = Vec::new();
    for phrase in ["budget was increased to ", "budget increased to "] {
        for (at, _) in lower.match_indices(phrase) {
            let rest = &lower[at + phrase.len()..];
            if let Some((amount, len)) = amount_at(rest) {
                found.push(StatedBudget {
                    amount,
                    said: format!("«{}»", &comment[at..at + phrase.len() + len]),
                });
            }
        }
    }
    let phrase = "the budget from ";
    for (at, _) in lower.match_indices(phrase) {
        let rest = &lower[at + phrase.len()..];
        let Some((_, from_len)) = amount_at(rest) else {
            continue;
        };
        let Some(to) = rest[from_len..].strip_prefix(" to ") else {
            continue;
        };
        if let Some((amount, len)) = amount_at(to) {
            let end = at + phrase.len() + from_len + " to ".len() + len;
            found.push(StatedBudget {
                amount,
                said: format!("«{}»", &comment[at..end]),
            });
        }
    }
    let first = found.first()?;
    found
        .iter()
        .all(|b| b.amount == first.amount)
        .then(|| found.swap_remove(0))
}

/// The whole amount at the start of `s`, its thousands separated by a
/// comma or a space or not at all ("7,605,325", "236 277", "999999999"),
/// and its length in bytes. `None` for anything else, a fraction or
/// "4.6 million" included.
fn amount_at(s: &str) -> Option<(u64, usize)> {
    let b = s.as_bytes();
    let mut end = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if end == 0 {
        return None;
    }
    let grouped = end <= 3;
    while grouped
        && b.len() >= end + 4
        && matches!(b[end], b',' | b' ')
        && b[end + 1..end + 4].iter().all(u8::is_ascii_digit)
        && b.get(end + 4).is_none_or(|c| !c.is_ascii_digit())
    {
        end += 4;
    }
    let after = &s[end..];
    let fraction = after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit());
    let scaled = after.trim_start().starts_with("million") || after.trim_start().starts_with("mln");
    if fraction || scaled {
        return None;
    }
    let digits: String = s[..end].chars().filter(char::is_ascii_digit).collect();
    Some((digits.parse().ok()?, end))
}

/// The projects a file's META comment says were not candidates, each
/// with the comment's reason: within one `#n:` item of the comment, that
/// the project should not have been admitted to the ballot or was
/// withdrawn, and that its cost was set to an artificial value, which is
/// the cost the file gives it. The project is named by its id in that
/// item.
fn not_candidates_in_comment(e: &Election) -> Vec<(String, String)> {
    let Some(comment) = e.meta("comment") else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for item in comment.split('#') {
        let lower = item.to_ascii_lowercase();
        let reason = if lower.contains("should not have been admitted") {
            "it should not have been admitted to the ballot"
        } else if lower.contains("withdrawn") {
            "it was withdrawn"
        } else {
            continue;
        };
        let phrase = "artificial value ";
        let Some(at) = lower.find(phrase) else {
            continue;
        };
        let Some((value, _)) = amount_at(&lower[at + phrase.len()..]) else {
            continue;
        };
        let Some(cost) = 10u64
            .checked_pow(e.money_scale)
            .and_then(|p| value.checked_mul(p))
        else {
            continue;
        };
        let words = item.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'));
        for word in words {
            let Some(p) = e.project_index(word) else {
                continue;
            };
            if e.projects[p].cost == cost && !out.iter().any(|(id, _)| id == word) {
                out.push((
                    word.to_string(),
                    format!("{reason} and that its cost was set to the artificial value {value}"),
                ));
            }
        }
    }
    out
}

fn mes_rule(add1: Add1, completion: bool, comparison: bool) -> Rule {
    Rule::Mes {
        utility: MesUtility::Cost,
        add1,
        greedy_completion: completion,
        comparison,
    }
}

/// The constraints a count applies: the configuration's, else the
/// election's META `constraints`; `None` when there are none.
pub fn constraints_in_force(
    e: &Election,
    cfg: &RuleConfig,
) -> Result<Option<Constraints>, CountError> {
    let c = match &cfg.constraints {
        Some(c) => Some(c.clone()),
        None => Constraints::of_election(e).map_err(|e| CountError(e.to_string()))?,
    };
    Ok(c.filter(|c| !c.is_empty()))
}

/// Counts an election, under the constraints of the configuration or, if
/// it gives none, of the election's META (see [`crate::constraints`]).
pub fn count(e: &Election, cfg: &RuleConfig) -> Result<Outcome, CountError> {
    let spec = constraints_in_force(e, cfg)?;
    let plan = match &spec {
        Some(c) => Some(Plan::new(c, e).map_err(|e| CountError(e.to_string()))?),
        None => None,
    };
    let rp = rules::rank_points(e, cfg);
    let support = rules::support(e, &rp);
    let ranks = cfg.tie_break.ranks(&e.projects, &support);
    let mut notes = Vec::new();
    if let Some(plan) = &plan {
        let result = count_limited(e, cfg, plan, &support, &ranks, &mut notes)?;
        return Ok(finish(e, cfg, spec.as_ref(), &support, result, notes));
    }
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
    Ok(finish(e, cfg, None, &support, result, notes))
}

/// The outcome of a rule's result: the canonical JSON and its hashes.
fn finish(
    e: &Election,
    cfg: &RuleConfig,
    spec: Option<&Constraints>,
    support: &[u128],
    result: RuleResult,
    mut notes: Vec<String>,
) -> Outcome {
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
    let cfg_json = cfg.to_json_with(spec);
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
    Outcome {
        rule: cfg.rule_name(),
        tie_break: cfg.tie_break.name(),
        selected,
        result,
        input_sha256: input_sha,
        config_sha256: config_sha,
        notes,
        json,
    }
}

/// A count under constraints: the must_fund projects first, then the
/// rule with every constraint applied before each decision, then the
/// minimums filled, and what is still unmet reported.
fn count_limited(
    e: &Election,
    cfg: &RuleConfig,
    plan: &Plan,
    support: &[u128],
    ranks: &[usize],
    notes: &mut Vec<String>,
) -> Result<RuleResult, CountError> {
    let mut st = State::new(plan);
    let mut res = RuleResult::default();
    must_fund_rows(e, support, plan, &mut res);
    let mut r = match &cfg.rule {
        Rule::Greedy(v) => greedy_limited(e, support, ranks, *v, &mut st),
        Rule::Phragmen => {
            if !e.vote_type.is_approval_like() {
                return Err(CountError(format!(
                    "phragmen needs approval ballots, this election has {}",
                    e.vote_type.as_str()
                )));
            }
            let mut r = phragmen::count_limited(e, ranks, Some(&mut st));
            r.selected.splice(0..0, plan.must_fund.iter().copied());
            r
        }
        Rule::Mes {
            utility,
            add1,
            greedy_completion,
            comparison,
        } => {
            let inp = mes::MesInput::from_election(e, cfg, *utility).paying_first(&plan.must_fund);
            let mut r = mes::count_limited(&inp, ranks, *add1, e.money_scale, Some(plan))
                .map_err(|e| CountError(e.to_string()))?;
            for &p in &r.selected {
                st.fund(p);
            }
            r.selected.splice(0..0, plan.must_fund.iter().copied());
            if *greedy_completion {
                let before = r.selected.len();
                let c = greedy::run_limited(
                    e,
                    support,
                    ranks,
                    GreedyVariant::Skip,
                    e.budget,
                    &r.selected,
                    "greedy completion",
                    Some(&mut st),
                );
                notes.push(format!(
                    "greedy completion funded {} more project(s)",
                    c.selected.len() - before
                ));
                r.selected = c.selected;
                r.ties.extend(c.ties);
                r.rounds.extend(c.rounds);
                r.passed_over.extend(c.passed_over);
            }
            fill_minimums(e, support, ranks, &mut st, &mut r);
            if *comparison {
                let mut gst = State::new(plan);
                let mut g = greedy_limited(e, support, ranks, GreedyVariant::Skip, &mut gst);
                fill_minimums(e, support, ranks, &mut gst, &mut g);
                let switched = compare(e, &mut r, &g, notes);
                if switched {
                    r.selected = std::mem::take(&mut g.selected);
                    r.ties.append(&mut g.ties);
                    st = gst;
                }
            }
            r
        }
    };
    if !matches!(cfg.rule, Rule::Mes { .. }) {
        fill_minimums(e, support, ranks, &mut st, &mut r);
    }
    res.selected = r.selected;
    res.ties = r.ties;
    res.rounds.append(&mut r.rounds);
    res.details = r.details;
    res.passed_over = r.passed_over;
    for (k, short) in st.unmet() {
        let told = st.tell_unmet(k, short);
        notes.push(told.en.clone());
        let mut row = json!({"phase": "minimums", "project": Value::Null});
        told.put(&mut row);
        res.rounds.push(row);
    }
    res.details
        .insert("constraints".into(), st.details(&res.passed_over));
    Ok(res)
}

/// The explanation's rows for the must_fund projects.
fn must_fund_rows(e: &Election, support: &[u128], plan: &Plan, res: &mut RuleResult) {
    let mut left = e.budget;
    for (i, &p) in plan.must_fund.iter().enumerate() {
        let cost = e.projects[p].cost;
        left = left.saturating_sub(cost);
        let mut row = json!({
            "phase": "must fund",
            "position": i + 1,
            "project": e.projects[p].id,
            "support": support[p].to_string(),
            "cost": format_money(cost, e.money_scale),
            "remaining_budget": format_money(left, e.money_scale),
        });
        plan.tell_must_fund().put(&mut row);
        res.rounds.push(row);
    }
}

/// Greedy under constraints, from the must_fund projects (`st` holds
/// them), its minimums not yet filled.
fn greedy_limited(
    e: &Election,
    support: &[u128],
    ranks: &[usize],
    v: GreedyVariant,
    st: &mut State<'_>,
) -> RuleResult {
    let initial = st.plan.must_fund.clone();
    greedy::run_limited(e, support, ranks, v, e.budget, &initial, "greedy", Some(st))
}

/// After the rule: the projects of every minimum not met, most supported
/// first (ties by the tie-break order), funded while they are in a
/// minimum still not met, fit the money left and pass every constraint.
fn fill_minimums(
    e: &Election,
    support: &[u128],
    ranks: &[usize],
    st: &mut State<'_>,
    res: &mut RuleResult,
) {
    if st.unmet().is_empty() {
        return;
    }
    let plan = st.plan;
    let mut order: Vec<usize> = (0..e.projects.len())
        .filter(|&p| !st.is_funded(p) && st.in_unmet_minimum(p))
        .collect();
    order.sort_by(|&a, &b| support[b].cmp(&support[a]).then(ranks[a].cmp(&ranks[b])));
    let budget = u128::from(e.budget);
    for (pos, p) in order.into_iter().enumerate() {
        if !st.in_unmet_minimum(p) {
            continue;
        }
        let cost = e.projects[p].cost;
        let left = |st: &State<'_>| {
            format_money(
                u64::try_from(budget.saturating_sub(st.spent)).unwrap_or(u64::MAX),
                e.money_scale,
            )
        };
        let mut row = json!({
            "phase": "minimums",
            "position": pos + 1,
            "project": e.projects[p].id,
            "support": support[p].to_string(),
            "cost": format_money(cost, e.money_scale),
        });
        if let Some(b) = st.check(p) {
            let told = plan.tell(p, &b);
            res.passed_over.push((p, told.constraint.clone()));
            told.put(&mut row);
        } else if st.spent + u128::from(cost) > budget {
            row["decision"] = json!("skipped: does not fit");
        } else {
            let told = plan.tell_filled(p, st);
            st.fund(p);
            res.selected.push(p);
            told.put(&mut row);
        }
        row["remaining_budget"] = json!(left(st));
        res.rounds.push(row);
    }
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
    if compare(e, r, &g, notes) {
        r.selected = g.selected;
        r.ties.extend(g.ties);
    }
}

/// The comparison itself: records it in `r.details` and the notes, and
/// says whether greedy's outcome `g` is to be used.
fn compare(e: &Election, r: &mut RuleResult, g: &RuleResult, notes: &mut Vec<String>) -> bool {
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
    switched
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
