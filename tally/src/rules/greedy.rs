//! Greedy by total support, in the variants cities use.
//!
//! Projects are ordered by support (most first; exact ties by the tie-break
//! order) and funded down the list while money remains:
//! - `greedy`: a project that no longer fits is skipped and the count
//!   carries on;
//! - `greedy-no-skip`: the count stops at the first project that does not fit;
//! - `greedy-threshold`: as `greedy`, but a project with less support than
//!   the threshold is never funded;
//! - `greedy-no-skip-threshold`: as `greedy-no-skip`, and projects below the
//!   threshold are passed over (Gdynia publishes `greedy-no-skip` with a
//!   `min_project_score_threshold`).
//!
//! A tie is reported when projects with equal support received different
//! decisions (so the tie-break decided).
//!
//! With constraints ([`run_limited`]), a project a constraint forbids when
//! its turn comes (too few votes, an exclusive set already used, a maximum
//! it would break, money held back for minimums) is passed over and the
//! count carries on, in every variant: for `greedy-no-skip` only a project
//! that does not fit the money left stops the count. The threshold is
//! tested first, then the constraints, then the money.

use super::{GreedyVariant, RuleResult, Tie};
use crate::constraints::State;
use crate::model::{Election, Money};
use crate::pb::format_money;
use serde_json::json;

/// Runs greedy on precomputed support, starting from `initial` (already
/// funded) with `budget`. Used on its own and as a completion.
pub fn run(
    e: &Election,
    support: &[u128],
    ranks: &[usize],
    variant: GreedyVariant,
    budget: Money,
    initial: &[usize],
    phase: &'static str,
) -> RuleResult {
    run_limited(e, support, ranks, variant, budget, initial, phase, None)
}

/// [`run`] under constraints: `limits` holds the state after `initial`
/// (and the must_fund projects, whose cost `initial` must include if they
/// are to be paid from `budget`), and is kept up to date.
#[allow(clippy::too_many_arguments)]
pub fn run_limited(
    e: &Election,
    support: &[u128],
    ranks: &[usize],
    variant: GreedyVariant,
    budget: Money,
    initial: &[usize],
    phase: &'static str,
    mut limits: Option<&mut State<'_>>,
) -> RuleResult {
    let mut order: Vec<usize> = (0..e.projects.len())
        .filter(|p| !initial.contains(p))
        .collect();
    order.sort_by(|&a, &b| support[b].cmp(&support[a]).then(ranks[a].cmp(&ranks[b])));
    let spent: Money = initial.iter().map(|&p| e.projects[p].cost).sum();
    let mut remaining = budget.saturating_sub(spent);
    let mut res = RuleResult {
        selected: initial.to_vec(),
        ..Default::default()
    };
    let mut decisions: Vec<(usize, bool)> = Vec::new();
    let mut stopped = false;
    for (pos, &p) in order.iter().enumerate() {
        let cost = e.projects[p].cost;
        let decision;
        let mut funded = false;
        let below = match variant {
            GreedyVariant::Threshold(t) | GreedyVariant::NoSkipThreshold(t) => {
                support[p] < u128::from(t)
            }
            _ => false,
        };
        let blocked = match (&limits, stopped || below) {
            (Some(st), false) => st.check(p),
            _ => None,
        };
        if stopped {
            decision = "not considered: count stopped";
        } else if let (Some(b), Some(st)) = (&blocked, &limits) {
            let told = st.plan.tell(p, b);
            let mut row = json!({
                "phase": phase,
                "position": pos + 1,
                "project": e.projects[p].id,
                "support": support[p].to_string(),
                "cost": format_money(cost, e.money_scale),
                "remaining_budget": format_money(remaining, e.money_scale),
            });
            res.passed_over.push((p, told.constraint.clone()));
            told.put(&mut row);
            decisions.push((p, false));
            res.rounds.push(row);
            continue;
        } else if let GreedyVariant::Threshold(t) | GreedyVariant::NoSkipThreshold(t) = variant {
            if support[p] < u128::from(t) {
                decision = "below threshold";
            } else if cost <= remaining {
                decision = "funded";
                funded = true;
            } else if matches!(variant, GreedyVariant::NoSkipThreshold(_)) {
                decision = "does not fit: count stops";
                stopped = true;
            } else {
                decision = "skipped: does not fit";
            }
        } else if cost <= remaining {
            decision = "funded";
            funded = true;
        } else if matches!(
            variant,
            GreedyVariant::NoSkip | GreedyVariant::NoSkipReserve(_)
        ) {
            decision = "does not fit: count stops";
            stopped = true;
            if let GreedyVariant::NoSkipReserve(pct) = variant {
                // The money left covers at least `pct`% of the cost.
                if u128::from(remaining) * 100 >= u128::from(cost) * u128::from(pct) {
                    res.details.insert(
                        "reserve".into(),
                        json!({
                            "project": e.projects[p].id,
                            "cost": format_money(cost, e.money_scale),
                            "remaining_budget": format_money(remaining, e.money_scale),
                            "percent": pct,
                        }),
                    );
                }
            }
        } else {
            decision = "skipped: does not fit";
        }
        if funded {
            remaining -= cost;
            res.selected.push(p);
            if let Some(st) = limits.as_deref_mut() {
                st.fund(p);
            }
        }
        decisions.push((p, funded));
        res.rounds.push(json!({
            "phase": phase,
            "position": pos + 1,
            "project": e.projects[p].id,
            "support": support[p].to_string(),
            "cost": format_money(cost, e.money_scale),
            "decision": decision,
            "remaining_budget": format_money(remaining, e.money_scale),
        }));
    }
    // Report ties that mattered: equal support, different decisions.
    let mut i = 0;
    while i < decisions.len() {
        let mut j = i + 1;
        while j < decisions.len() && support[decisions[j].0] == support[decisions[i].0] {
            j += 1;
        }
        let group = &decisions[i..j];
        if group.len() > 1 && group.iter().any(|d| d.1) && group.iter().any(|d| !d.1) {
            let tied: Vec<usize> = group.iter().map(|d| d.0).collect();
            let chosen = group.iter().find(|d| d.1).map(|d| d.0).unwrap_or(tied[0]);
            res.ties.push(Tie {
                round: i + 1,
                phase,
                tied,
                chosen,
                reason: format!(
                    "equal support {}: the tie-break order decided which were funded",
                    support[decisions[i].0]
                ),
            });
        }
        i = j;
    }
    res
}
