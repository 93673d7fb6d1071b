//! The Method of Equal Shares (MES), for approval and cardinal ballots,
//! with the Add1 completion.
//!
//! Definition (as in pabutools and equalshares.net). Every voter starts
//! with the same share `b` of the budget. A project `c` with cost `C` is
//! affordable at factor `rho` if its supporters can pay for it when each
//! supporter `i` pays `min(budget_i, rho * u_i(c))`, where `u_i(c)` is the
//! voter's utility (the cost on approval ballots, the points on cardinal
//! ones). Each round funds the project with the smallest `rho` (exact ties
//! by the tie-break order, reported), charges its supporters, and repeats
//! until no project is affordable.
//!
//! Add1 reruns the whole method with `b` raised by one money unit at a time
//! (see [`Add1`]).
//!
//! Implementation: identical ballots are grouped; voters whose budgets are
//! equal share a *budget class*, so computing `rho` touches each supporting
//! ballot group once and does rational arithmetic once per class. Runs first
//! use [`Guarded`] floats; if any comparison is too close to call, that run
//! is redone with exact rationals, so every decision is exact.

use super::{resolve_tie, Add1, RuleResult, Tie};
use crate::arith::{fmt_decimal, fmt_ratio, Exact, Guarded, Scalar};
use crate::model::Money;
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::collections::HashMap;

/// The election reduced to what MES needs.
#[derive(Clone, Debug)]
pub struct MesInput {
    pub n_voters: u128,
    pub budget: Money,
    pub costs: Vec<Money>,
    pub ids: Vec<String>,
    /// Voters per distinct ballot.
    mult: Vec<u64>,
    /// Per project: supporting ballot groups with their utility.
    supporters: Vec<Vec<(u32, u64)>>,
    /// Per project: whether every supporter has the same utility.
    uniform: Vec<bool>,
    total_util: Vec<u128>,
    /// Projects MES can fund (positive cost and support).
    candidates: Vec<usize>,
    /// Supported projects of cost zero: funded before anything else.
    free: Vec<usize>,
}

impl MesInput {
    /// `ballots[i]`: voter `i`'s `(project, utility)` pairs, sorted, utility > 0.
    pub fn new(
        budget: Money,
        costs: Vec<Money>,
        ids: Vec<String>,
        ballots: &[Vec<(usize, u64)>],
    ) -> Self {
        let m = costs.len();
        let mut groups: HashMap<&[(usize, u64)], u32> = HashMap::new();
        let mut mult: Vec<u64> = Vec::new();
        let mut keys: Vec<&[(usize, u64)]> = Vec::new();
        for b in ballots {
            let next = mult.len() as u32;
            let g = *groups.entry(b.as_slice()).or_insert(next);
            if g == next {
                mult.push(0);
                keys.push(b.as_slice());
            }
            mult[g as usize] += 1;
        }
        let mut supporters: Vec<Vec<(u32, u64)>> = vec![Vec::new(); m];
        for (g, key) in keys.iter().enumerate() {
            for &(p, u) in key.iter() {
                if p < m {
                    supporters[p].push((g as u32, u));
                }
            }
        }
        let uniform = supporters
            .iter()
            .map(|s| s.windows(2).all(|w| w[0].1 == w[1].1))
            .collect();
        let total_util: Vec<u128> = supporters
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&(g, u)| u128::from(mult[g as usize]) * u128::from(u))
                    .sum()
            })
            .collect();
        let candidates = (0..m)
            .filter(|&p| total_util[p] > 0 && costs[p] > 0)
            .collect();
        let free = (0..m)
            .filter(|&p| total_util[p] > 0 && costs[p] == 0)
            .collect();
        MesInput {
            n_voters: ballots.len() as u128,
            budget,
            costs,
            ids,
            mult,
            supporters,
            uniform,
            total_util,
            candidates,
            free,
        }
    }

    /// Number of distinct ballots.
    pub fn groups(&self) -> usize {
        self.mult.len()
    }
}

/// A run could not be decided in floating point.
#[derive(Debug)]
struct Uncertain;

/// `rho = num / den`.
#[derive(Clone, Debug)]
struct Rho<S> {
    num: S,
    den: u128,
}

fn rho_cmp<S: Scalar>(a: &Rho<S>, b: &Rho<S>) -> Result<Ordering, Uncertain> {
    a.num.cmp_scaled(b.den, &b.num, a.den).ok_or(Uncertain)
}

/// One funded project in a run, for the explanation.
#[derive(Clone, Debug)]
struct Step {
    project: usize,
    rho: Option<Exact>,
    /// What a supporter with utility 1 pays (`rho`), times the utility for
    /// approval: the payment of a supporter who could afford it.
    full_payment: Option<Exact>,
    poor_supporters: u128,
    rich_supporters: u128,
    budgets: Value,
}

struct RunOut {
    selected: Vec<usize>,
    ties: Vec<Tie>,
    steps: Vec<Step>,
}

struct Engine<'a, S> {
    inp: &'a MesInput,
    class_of: Vec<u32>,
    budgets: Vec<S>,
    zero_class: u32,
    share_num: u128,
    share_den: u128,
    // scratch for dense accumulation by class
    acc: Vec<u128>,
    touched: Vec<u32>,
}

/// One entry of a project's supporters: a budget class, a utility and the
/// total number of voters with them.
#[derive(Clone, Copy, Debug)]
struct Entry {
    class: u32,
    u: u64,
    w: u128,
}

impl<'a, S: Scalar> Engine<'a, S> {
    fn new(inp: &'a MesInput, share_num: u128, share_den: u128) -> Self {
        Engine {
            inp,
            class_of: vec![0; inp.mult.len()],
            budgets: vec![S::from_ratio(share_num, share_den), S::zero()],
            zero_class: 1,
            share_num,
            share_den,
            acc: vec![0; 2],
            touched: Vec::new(),
        }
    }

    fn entries(&mut self, p: usize) -> Vec<Entry> {
        let sup = &self.inp.supporters[p];
        if self.acc.len() < self.budgets.len() {
            self.acc.resize(self.budgets.len(), 0);
        }
        if self.inp.uniform[p] {
            let u = sup.first().map(|s| s.1).unwrap_or(0);
            for &(g, _) in sup {
                let c = self.class_of[g as usize];
                if c == self.zero_class {
                    continue;
                }
                if self.acc[c as usize] == 0 {
                    self.touched.push(c);
                }
                self.acc[c as usize] += u128::from(self.inp.mult[g as usize]);
            }
            let mut out = Vec::with_capacity(self.touched.len());
            for c in self.touched.drain(..) {
                out.push(Entry {
                    class: c,
                    u,
                    w: self.acc[c as usize],
                });
                self.acc[c as usize] = 0;
            }
            out
        } else {
            let mut v: Vec<(u32, u64, u128)> = sup
                .iter()
                .map(|&(g, u)| (self.class_of[g as usize], u, u128::from(self.inp.mult[g as usize])))
                .filter(|x| x.0 != self.zero_class)
                .collect();
            v.sort_unstable_by_key(|x| (x.0, x.1));
            let mut out: Vec<Entry> = Vec::new();
            for (c, u, w) in v {
                match out.last_mut() {
                    Some(l) if l.class == c && l.u == u => l.w += w,
                    _ => out.push(Entry { class: c, u, w }),
                }
            }
            out
        }
    }

    /// Sorts entries by budget / utility, ascending.
    fn sort_entries(&self, es: &mut [Entry]) {
        if S::EXACT {
            es.sort_by(|a, b| {
                self.budgets[a.class as usize]
                    .cmp_scaled(u128::from(b.u), &self.budgets[b.class as usize], u128::from(a.u))
                    .unwrap_or(Ordering::Equal)
            });
        } else {
            es.sort_by(|a, b| {
                let x = self.budgets[a.class as usize].approx() / a.u as f64;
                let y = self.budgets[b.class as usize].approx() / b.u as f64;
                x.partial_cmp(&y).unwrap_or(Ordering::Equal)
            });
        }
    }

    /// The smallest `rho` at which project `p` is affordable, with the
    /// sorted entries and the number of poor entries; `None` if the
    /// supporters cannot afford it at all.
    #[allow(clippy::type_complexity)]
    fn affordability(&mut self, p: usize) -> Result<Option<(Rho<S>, Vec<Entry>, usize)>, Uncertain> {
        let cost = S::from_ratio(u128::from(self.inp.costs[p]), 1);
        let mut es = self.entries(p);
        self.sort_entries(&mut es);
        let mut rest = cost; // cost minus what poorer supporters pay
        let mut denom: u128 = es.iter().map(|e| e.w * u128::from(e.u)).sum();
        for (k, e) in es.iter().enumerate() {
            let b = &self.budgets[e.class as usize];
            match rest
                .cmp_scaled(u128::from(e.u), b, denom)
                .ok_or(Uncertain)?
            {
                Ordering::Less | Ordering::Equal => {
                    let rho = Rho {
                        num: rest,
                        den: denom,
                    };
                    if !S::EXACT {
                        // The float sort may misplace near-equal entries:
                        // check the partition itself, exactly.
                        for (i, f) in es.iter().enumerate() {
                            let ok = match rho
                                .num
                                .cmp_scaled(u128::from(f.u), &self.budgets[f.class as usize], rho.den)
                                .ok_or(Uncertain)?
                            {
                                Ordering::Greater => i < k,
                                _ => i >= k,
                            };
                            if !ok {
                                return Err(Uncertain);
                            }
                        }
                    }
                    return Ok(Some((rho, es, k)));
                }
                Ordering::Greater => {
                    rest = rest.sub(&b.mul_u(e.w));
                    denom -= e.w * u128::from(e.u);
                }
            }
        }
        Ok(None)
    }

    fn budget_summary(&self, total: &Exact) -> Value {
        let mut count: Vec<u128> = vec![0; self.budgets.len()];
        for (g, &c) in self.class_of.iter().enumerate() {
            count[c as usize] += u128::from(self.inp.mult[g]);
        }
        let mut levels: Vec<(Exact, u128)> = Vec::new();
        let mut zero = 0u128;
        for (c, &n) in count.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let Some(b) = self.budgets[c].exact() else {
                continue;
            };
            if b == <Exact as Scalar>::zero() {
                zero += n;
            } else {
                levels.push((b, n));
            }
        }
        // Merge classes with equal budgets.
        levels.sort_by(|a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(Exact, u128)> = Vec::new();
        for (b, n) in levels {
            match merged.last_mut() {
                Some(l) if l.0 == b => l.1 += n,
                _ => merged.push((b, n)),
            }
        }
        let distinct = merged.len();
        let mut top = merged.clone();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        top.truncate(8);
        json!({
            "voters_with_nothing_left": zero.to_string(),
            "distinct_remaining_shares": distinct,
            "total_remaining": fmt_decimal(total, 2),
            "min_remaining_share": merged.first().map(|l| fmt_decimal(&l.0, 4)),
            "max_remaining_share": merged.last().map(|l| fmt_decimal(&l.0, 4)),
            "largest_groups": top.iter().map(|(b, n)| json!({
                "voters": n.to_string(),
                "share": fmt_ratio(b),
                "share_decimal": fmt_decimal(b, 4),
            })).collect::<Vec<_>>(),
        })
    }

    fn run(mut self, ranks: &[usize], explain: bool) -> Result<RunOut, Uncertain> {
        let inp = self.inp;
        let mut selected: Vec<usize> = inp.free.clone();
        let mut ties = Vec::new();
        let mut steps = Vec::new();
        let mut remaining: Vec<usize> = inp.candidates.clone();
        // Lower bounds on each project's rho (rho only grows).
        let mut stale: Vec<Option<Rho<S>>> = vec![None; inp.costs.len()];
        for &p in &remaining {
            stale[p] = Some(Rho {
                num: S::from_ratio(u128::from(inp.costs[p]), 1),
                den: inp.total_util[p],
            });
        }
        let mut round = 0usize;
        loop {
            round += 1;
            remaining.sort_by(|&a, &b| {
                let key = |p: usize| {
                    stale[p]
                        .as_ref()
                        .map(|r| r.num.approx() / r.den as f64)
                        .unwrap_or(f64::INFINITY)
                };
                key(a).partial_cmp(&key(b)).unwrap_or(Ordering::Equal)
            });
            let mut best: Option<Rho<S>> = None;
            let mut tied: Vec<usize> = Vec::new();
            let mut best_detail: HashMap<usize, (Vec<Entry>, usize)> = HashMap::new();
            let mut drop: Vec<usize> = Vec::new();
            for &p in &remaining {
                if let (Some(b), Some(s)) = (&best, &stale[p]) {
                    if rho_cmp(s, b).ok() == Some(Ordering::Greater) {
                        continue;
                    }
                }
                match self.affordability(p)? {
                    None => drop.push(p),
                    Some((rho, es, k)) => {
                        let ord = match &best {
                            None => Ordering::Less,
                            Some(b) => rho_cmp(&rho, b)?,
                        };
                        match ord {
                            Ordering::Less => {
                                best = Some(rho.clone());
                                tied.clear();
                                tied.push(p);
                                best_detail.clear();
                                best_detail.insert(p, (es, k));
                            }
                            Ordering::Equal => {
                                tied.push(p);
                                best_detail.insert(p, (es, k));
                            }
                            Ordering::Greater => {}
                        }
                        stale[p] = Some(rho);
                    }
                }
            }
            remaining.retain(|p| !drop.contains(p));
            let Some(best) = best else { break };
            let chosen = resolve_tie(
                &mut tied,
                ranks,
                round,
                "equal shares",
                "equal affordability (rho)".to_string(),
                &mut ties,
            );
            let Some((es, k)) = best_detail.remove(&chosen) else {
                return Err(Uncertain);
            };
            // Charge the supporters: poor entries pay everything, the others
            // pay rho * u.
            let mut child: HashMap<(u32, u64), u32> = HashMap::with_capacity(es.len());
            let mut poor_n = 0u128;
            let mut rich_n = 0u128;
            for (i, e) in es.iter().enumerate() {
                let nc = if i < k {
                    poor_n += e.w;
                    self.zero_class
                } else {
                    rich_n += e.w;
                    let pay = best.num.mul_u(u128::from(e.u)).div_u(best.den);
                    let nb = self.budgets[e.class as usize].sub(&pay);
                    self.budgets.push(nb);
                    (self.budgets.len() - 1) as u32
                };
                child.insert((e.class, e.u), nc);
            }
            for &(g, u) in &inp.supporters[chosen] {
                let c = self.class_of[g as usize];
                if c == self.zero_class {
                    continue;
                }
                if let Some(&nc) = child.get(&(c, u)) {
                    self.class_of[g as usize] = nc;
                }
            }
            selected.push(chosen);
            remaining.retain(|&p| p != chosen);
            if explain {
                let rho_exact = best.num.exact().map(|n| n / Exact::from_ratio(best.den, 1));
                let full = if inp.uniform[chosen] {
                    let u = inp.supporters[chosen].first().map(|s| s.1).unwrap_or(0);
                    rho_exact.as_ref().map(|r| r.mul_u(u128::from(u)))
                } else {
                    None
                };
                steps.push(Step {
                    project: chosen,
                    rho: rho_exact,
                    full_payment: full,
                    poor_supporters: poor_n,
                    rich_supporters: rich_n,
                    budgets: {
                        // Payments add up to the costs exactly.
                        let spent: u128 = selected.iter().map(|&p| u128::from(inp.costs[p])).sum();
                        let all = Exact::from_ratio(self.share_num, self.share_den);
                        let total = Scalar::sub(
                            &Scalar::mul_u(&all, inp.n_voters),
                            &Exact::from_ratio(spent, 1),
                        );
                        self.budget_summary(&total)
                    },
                });
            }
        }
        Ok(RunOut {
            selected,
            ties,
            steps,
        })
    }
}

fn run_once(
    inp: &MesInput,
    share_num: u128,
    share_den: u128,
    ranks: &[usize],
    explain: bool,
) -> (RunOut, bool) {
    if !explain {
        if let Ok(out) = Engine::<Guarded>::new(inp, share_num, share_den).run(ranks, false) {
            return (out, false);
        }
    }
    match Engine::<Exact>::new(inp, share_num, share_den).run(ranks, explain) {
        Ok(out) => (out, true),
        // Unreachable: exact comparisons always answer.
        Err(Uncertain) => (
            RunOut {
                selected: Vec::new(),
                ties: Vec::new(),
                steps: Vec::new(),
            },
            true,
        ),
    }
}

fn total_cost(inp: &MesInput, sel: &[usize]) -> u128 {
    sel.iter().map(|&p| u128::from(inp.costs[p])).sum()
}

/// Runs MES (with Add1 if asked) and explains the final run.
pub fn count(inp: &MesInput, ranks: &[usize], add1: Add1, money_scale: u32) -> RuleResult {
    let n = inp.n_voters.max(1);
    let budget = u128::from(inp.budget);
    // Per-voter share = share_num / n.
    let mut share_num = budget;
    let unit = 10u128.pow(money_scale); // "one money unit" in scaled money
    let mut iterations = 0u64;
    let mut exact_runs = 0u64;
    let mut stop_reason = "single run";
    let mut final_share = share_num;
    if add1 != Add1::Off && inp.n_voters > 0 {
        let mut prev: Option<(Vec<usize>, u128)> = None;
        loop {
            iterations += 1;
            let (out, exact) = run_once(inp, share_num, n, ranks, false);
            if exact {
                exact_runs += 1;
            }
            let cost = total_cost(inp, &out.selected);
            if cost > budget {
                stop_reason = "raising the share once more would overspend";
                final_share = match &prev {
                    Some((_, s)) => *s,
                    None => share_num,
                };
                if prev.is_none() {
                    // Even the equal split overspends (cannot happen with
                    // exact arithmetic); keep the run as is.
                    stop_reason = "first run already overspends";
                }
                break;
            }
            let sel_set: Vec<bool> = {
                let mut v = vec![false; inp.costs.len()];
                for &p in &out.selected {
                    v[p] = true;
                }
                v
            };
            let exhaustive = inp
                .candidates
                .iter()
                .all(|&p| sel_set[p] || cost + u128::from(inp.costs[p]) > budget);
            let everything = inp.candidates.iter().all(|&p| sel_set[p]);
            if add1 == Add1::StopWhenExhaustive && exhaustive {
                stop_reason = "outcome is exhaustive";
                final_share = share_num;
                break;
            }
            if everything {
                stop_reason = "every supported project is funded";
                final_share = share_num;
                break;
            }
            prev = Some((out.selected, share_num));
            share_num += unit * n;
        }
    }
    let (out, _) = run_once(inp, final_share, n, ranks, true);
    let mut res = RuleResult {
        selected: out.selected,
        ties: out.ties,
        ..Default::default()
    };
    for (i, s) in out.steps.iter().enumerate() {
        res.rounds.push(json!({
            "phase": "equal shares",
            "round": i + 1,
            "project": inp.ids[s.project],
            "cost": inp.costs[s.project].to_string(),
            "rho": s.rho.as_ref().map(fmt_ratio),
            "rho_decimal": s.rho.as_ref().map(|r| fmt_decimal(r, 12)),
            "payment_per_supporter": s.full_payment.as_ref().map(|r| fmt_decimal(r, 4)),
            "supporters_paying_share": s.rich_supporters.to_string(),
            "supporters_paying_all_they_had": s.poor_supporters.to_string(),
            "remaining_shares": s.budgets,
        }));
    }
    let share = Exact::from_ratio(final_share, n);
    let initial = Exact::from_ratio(budget, n);
    res.details.insert(
        "equal_shares".into(),
        json!({
            "voters": inp.n_voters.to_string(),
            "distinct_ballots": inp.groups(),
            "initial_share": fmt_ratio(&initial),
            "final_share": fmt_ratio(&share),
            "final_share_decimal": fmt_decimal(&share, 4),
            "add1_runs": iterations,
            "add1_runs_needing_exact_arithmetic": exact_runs,
            "stop_reason": stop_reason,
        }),
    );
    res
}

/// Plain MES selections for a given per-voter share `share_num / n` (for
/// benchmarks and tests).
pub fn selections(inp: &MesInput, ranks: &[usize], share_num: u128) -> Vec<usize> {
    run_once(inp, share_num, inp.n_voters.max(1), ranks, false)
        .0
        .selected
}
