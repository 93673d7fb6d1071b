//! Sequential Phragmén for approval ballots (as in pabutools).
//!
//! Voters earn money continuously; every voter carries a *load* (money
//! spent), zero at the start. Funding project `c` now would raise the load
//! of each supporter to `(C + sum of supporters' loads) / supporters`. Each
//! round picks the project with the smallest such new load (exact ties by
//! the tie-break order, reported) and sets its supporters' loads to it. The
//! count stops when that project does not fit in the remaining budget.
//! Projects nobody approves are never funded.
//!
//! With constraints ([`count_limited`]), before each round every project a
//! constraint now forbids leaves the candidates (passed over; the count
//! goes on); the must_fund projects' cost is taken from the budget first
//! and loads no voter.

use super::{resolve_tie, RuleResult};
use crate::arith::{fmt_decimal, fmt_ratio, Exact, Scalar};
use crate::constraints::State;
use crate::model::Election;
use crate::pb::format_money;
use serde_json::json;
use std::collections::HashMap;

pub fn count(e: &Election, ranks: &[usize]) -> RuleResult {
    count_limited(e, ranks, None)
}

/// [`count`] under constraints: `limits` holds the state after the
/// must_fund projects and is kept up to date.
pub fn count_limited(
    e: &Election,
    ranks: &[usize],
    mut limits: Option<&mut State<'_>>,
) -> RuleResult {
    // Group identical ballots.
    let mut groups: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut mult: Vec<u128> = Vec::new();
    let mut supporters: Vec<Vec<usize>> = vec![Vec::new(); e.projects.len()];
    for b in &e.ballots {
        let mut key = b.projects.to_vec();
        key.sort_unstable();
        let next = mult.len();
        let g = *groups.entry(key.clone()).or_insert(next);
        if g == next {
            mult.push(0);
            for &p in &key {
                supporters[p as usize].push(g);
            }
        }
        mult[g] += 1;
    }
    let approvals: Vec<u128> = supporters
        .iter()
        .map(|s| s.iter().map(|&g| mult[g]).sum())
        .collect();
    let mut class_of = vec![0usize; mult.len()];
    let mut loads: Vec<Exact> = vec![<Exact as Scalar>::zero()];
    let mut remaining: Vec<usize> = (0..e.projects.len())
        .filter(|&p| approvals[p] > 0 && e.projects[p].cost <= e.budget)
        .collect();
    let mut spent: u64 = limits
        .as_deref()
        .map_or(0, |st| u64::try_from(st.spent).unwrap_or(u64::MAX));
    if let Some(st) = limits.as_deref() {
        remaining.retain(|&p| !st.is_funded(p));
    }
    let mut res = RuleResult::default();
    let mut acc: Vec<u128> = Vec::new();
    let mut round = 0;
    while !remaining.is_empty() {
        round += 1;
        if let Some(st) = limits.as_deref() {
            remaining.retain(|&p| match st.check(p) {
                None => true,
                Some(b) => {
                    let told = st.plan.tell(p, &b);
                    let mut row = json!({
                        "phase": "phragmen",
                        "round": round,
                        "project": e.projects[p].id,
                        "cost": format_money(e.projects[p].cost, e.money_scale),
                        "remaining_budget": format_money(e.budget.saturating_sub(spent), e.money_scale),
                    });
                    res.passed_over.push((p, told.constraint.clone()));
                    told.put(&mut row);
                    res.rounds.push(row);
                    false
                }
            });
            if remaining.is_empty() {
                break;
            }
        }
        let mut best: Option<Exact> = None;
        let mut tied: Vec<usize> = Vec::new();
        for &p in &remaining {
            acc.clear();
            acc.resize(loads.len(), 0);
            for &g in &supporters[p] {
                acc[class_of[g]] += mult[g];
            }
            let mut sum = Exact::from_ratio(u128::from(e.projects[p].cost), 1);
            for (c, &w) in acc.iter().enumerate() {
                if w > 0 && loads[c] != <Exact as Scalar>::zero() {
                    sum = Scalar::add(&sum, &loads[c].mul_u(w));
                }
            }
            let new_load = sum.div_u(approvals[p]);
            match best.as_ref().map(|b| new_load.cmp(b)) {
                None | Some(std::cmp::Ordering::Less) => {
                    best = Some(new_load);
                    tied = vec![p];
                }
                Some(std::cmp::Ordering::Equal) => tied.push(p),
                Some(std::cmp::Ordering::Greater) => {}
            }
        }
        let Some(best) = best else { break };
        let chosen = resolve_tie(
            &mut tied,
            ranks,
            round,
            "phragmen",
            "equal new maximal load".to_string(),
            &mut res.ties,
        );
        let cost = e.projects[chosen].cost;
        if spent.saturating_add(cost) > e.budget {
            res.rounds.push(json!({
                "phase": "phragmen",
                "round": round,
                "project": e.projects[chosen].id,
                "new_load": fmt_ratio(&best),
                "decision": "does not fit: count stops",
            }));
            break;
        }
        spent += cost;
        if let Some(st) = limits.as_deref_mut() {
            st.fund(chosen);
        }
        loads.push(best.clone());
        let nc = loads.len() - 1;
        for &g in &supporters[chosen] {
            class_of[g] = nc;
        }
        res.selected.push(chosen);
        remaining.retain(|&p| p != chosen);
        res.rounds.push(json!({
            "phase": "phragmen",
            "round": round,
            "project": e.projects[chosen].id,
            "new_load": fmt_ratio(&best),
            "new_load_decimal": fmt_decimal(&best, 6),
            "supporters": approvals[chosen].to_string(),
            "decision": "funded",
            "remaining_budget": format_money(e.budget - spent, e.money_scale),
        }));
    }
    res
}
