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

use super::{
    approval_utilities, resolve_tie, utilities, Add1, MesUtility, RuleConfig, RuleResult, Tie,
    Utilities, UtilityBallot,
};
use crate::arith::{fmt_decimal, fmt_ratio, u128_approx, Exact, Guarded, Scalar};
use crate::model::{Ballots, Election, Money};
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::collections::HashMap;

/// A small fast hasher for integer keys (Fx, as in rustc).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        // The multiply mixes upwards only, and hash tables pick buckets
        // with the low bits: bring well-mixed middle bits down (as
        // rustc-hash 2 does). Without this, keys ending in round numbers
        // (costs such as 150000) crowd into few buckets.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

pub(crate) type BuildFx = std::hash::BuildHasherDefault<Fx>;

/// The election reduced to what MES needs.
#[derive(Clone, Debug)]
pub struct MesInput {
    pub n_voters: u128,
    pub budget: Money,
    pub costs: Vec<Money>,
    pub ids: Vec<String>,
    /// Voters per distinct ballot ("group"). Fits in u32: ballots are
    /// counted in u32.
    mult: Vec<u32>,
    /// Per project `p`: its supporting groups are
    /// `sup_group[sup_start[p]..sup_start[p + 1]]`, in group order (the
    /// hot loops read them sequentially).
    sup_start: Vec<u32>,
    sup_group: Vec<u32>,
    /// The utility of each entry of `sup_group`; empty when every project
    /// has a uniform utility.
    sup_util: Vec<u64>,
    /// Per project: `Some(u)` when every supporter's utility is `u`.
    uniform: Vec<Option<u64>>,
    total_util: Vec<u128>,
    /// Projects MES can fund (positive cost and support).
    candidates: Vec<usize>,
    /// Supported projects of cost zero: funded before anything else.
    free: Vec<usize>,
}

fn ballot_hash(b: UtilityBallot<'_>) -> u64 {
    use std::hash::Hasher;
    let mut h = Fx::default();
    for &p in b.projects {
        h.write_u32(p);
    }
    for &u in b.utils {
        h.write_u64(u);
    }
    h.finish()
}

/// Distinct ballots with their numbers of voters, each ballot's projects
/// in increasing order with their utilities.
struct Groups {
    n_ballots: usize,
    mult: Vec<u32>,
    projects: Vec<u32>,
    /// One per entry of `projects`, or empty when `per_project` gives them.
    utils: Vec<u64>,
    per_project: Option<Vec<u64>>,
    ends: Vec<u32>,
}

impl Groups {
    fn new(n_ballots: usize, per_project: Option<Vec<u64>>) -> Self {
        Groups {
            n_ballots,
            mult: Vec::new(),
            projects: Vec::new(),
            utils: Vec::new(),
            per_project,
            ends: Vec::new(),
        }
    }

    fn range(&self, g: usize) -> std::ops::Range<usize> {
        let start = if g == 0 { 0 } else { self.ends[g - 1] as usize };
        start..self.ends[g] as usize
    }
}

impl MesInput {
    /// From each voter's projects with their positive utilities (sorted by
    /// project).
    pub fn from_utilities(
        budget: Money,
        costs: Vec<Money>,
        ids: Vec<String>,
        utils: &Utilities,
    ) -> Self {
        let n_ballots = utils.len();
        // Group identical ballots: an open-addressing table of group
        // numbers (linear probing, at most half full).
        let cap = (n_ballots * 2).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut table: Vec<u32> = vec![u32::MAX; cap];
        let mut rep: Vec<u32> = Vec::new(); // a ballot of each group
        let mut hashes: Vec<u32> = Vec::new();
        let mut groups = Groups::new(n_ballots, utils.per_project().map(<[u64]>::to_vec));
        for (i, b) in utils.iter().enumerate() {
            let h = ballot_hash(b);
            let mut slot = (h as usize) & mask;
            loop {
                let g = table[slot];
                if g == u32::MAX {
                    table[slot] = groups.mult.len() as u32;
                    rep.push(i as u32);
                    hashes.push(h as u32);
                    groups.mult.push(1);
                    break;
                }
                let g = g as usize;
                if hashes[g] == h as u32 && utils.get(rep[g] as usize) == b {
                    groups.mult[g] += 1;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        drop(table);
        for &i in &rep {
            let b = utils.get(i as usize);
            groups.projects.extend_from_slice(b.projects);
            groups.utils.extend_from_slice(b.utils);
            groups.ends.push(groups.projects.len() as u32);
        }
        Self::from_groups(budget, costs, ids, groups)
    }

    /// From approval ballots where each project's utility is the same for
    /// every voter (`per_project`), when there are at most 128 projects:
    /// then each ballot is a bit set, and grouping them is cheap. `None`
    /// for more projects. Gives the same input as [`MesInput::from_utilities`].
    pub fn from_approval_sets(
        budget: Money,
        costs: Vec<Money>,
        ids: Vec<String>,
        ballots: &Ballots,
        per_project: Vec<u64>,
    ) -> Option<Self> {
        let m = costs.len();
        if m > 128 || per_project.len() != m {
            return None;
        }
        let keep: u128 = (0..m)
            .filter(|&p| per_project[p] > 0)
            .fold(0, |s, p| s | (1u128 << p));
        // Group numbers in an open-addressing table (linear probing, at
        // most half full).
        let cap = (ballots.len() * 2).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut table: Vec<u32> = vec![u32::MAX; cap];
        let mut sets: Vec<u128> = Vec::new();
        let mut groups = Groups::new(ballots.len(), Some(per_project));
        for projects in ballots.project_lists() {
            let set = projects
                .iter()
                .filter(|&&p| (p as usize) < m)
                .fold(0u128, |s, &p| s | (1u128 << p))
                & keep;
            // Fx-style mixing of both halves; the high bits pick the slot.
            let h = ((set as u64) ^ ((set >> 64) as u64).rotate_left(29))
                .wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let mut slot = (h >> 32) as usize & mask;
            loop {
                let g = table[slot];
                if g == u32::MAX {
                    table[slot] = sets.len() as u32;
                    sets.push(set);
                    groups.mult.push(1);
                    break;
                }
                if sets[g as usize] == set {
                    groups.mult[g as usize] += 1;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        drop(table);
        for mut set in sets {
            while set != 0 {
                groups.projects.push(set.trailing_zeros());
                set &= set - 1;
            }
            groups.ends.push(groups.projects.len() as u32);
        }
        Some(Self::from_groups(budget, costs, ids, groups))
    }

    fn from_groups(budget: Money, costs: Vec<Money>, ids: Vec<String>, groups: Groups) -> Self {
        let m = costs.len();
        // Supporters per project, as flat arrays.
        let mut sup_start = vec![0u32; m + 1];
        for &p in &groups.projects {
            if (p as usize) < m {
                sup_start[p as usize + 1] += 1;
            }
        }
        for p in 0..m {
            sup_start[p + 1] += sup_start[p];
        }
        let entries = sup_start[m] as usize;
        let mut fill: Vec<u32> = sup_start[..m].to_vec();
        let mut sup_group = vec![0u32; entries];
        let per_project = groups.per_project.as_deref();
        // Utilities per entry, unless they are per project.
        let mut all_util = vec![0u64; if per_project.is_some() { 0 } else { entries }];
        for g in 0..groups.mult.len() {
            for k in groups.range(g) {
                let p = groups.projects[k] as usize;
                if p < m {
                    let at = fill[p] as usize;
                    sup_group[at] = g as u32;
                    if per_project.is_none() {
                        all_util[at] = groups.utils[k];
                    }
                    fill[p] += 1;
                }
            }
        }
        let mult = groups.mult;
        let range = |p: usize| sup_start[p] as usize..sup_start[p + 1] as usize;
        let uniform: Vec<Option<u64>> = (0..m)
            .map(|p| {
                if let Some(per) = per_project {
                    return Some(per.get(p).copied().unwrap_or(0));
                }
                let us = &all_util[range(p)];
                match us.first() {
                    Some(&u) if us.iter().all(|&x| x == u) => Some(u),
                    Some(_) => None,
                    None => Some(0),
                }
            })
            .collect();
        let total_util: Vec<u128> = (0..m)
            .map(|p| {
                let voters: u128 = sup_group[range(p)]
                    .iter()
                    .map(|&g| u128::from(mult[g as usize]))
                    .sum();
                match uniform[p] {
                    Some(u) => voters * u128::from(u),
                    None => sup_group[range(p)]
                        .iter()
                        .zip(&all_util[range(p)])
                        .map(|(&g, &u)| u128::from(mult[g as usize]) * u128::from(u))
                        .sum(),
                }
            })
            .collect();
        let sup_util = if uniform.iter().all(Option::is_some) {
            Vec::new()
        } else {
            all_util
        };
        let candidates = (0..m)
            .filter(|&p| total_util[p] > 0 && costs[p] > 0)
            .collect();
        let free = (0..m)
            .filter(|&p| total_util[p] > 0 && costs[p] == 0)
            .collect();
        MesInput {
            n_voters: groups.n_ballots as u128,
            budget,
            costs,
            ids,
            mult,
            sup_start,
            sup_group,
            sup_util,
            uniform,
            total_util,
            candidates,
            free,
        }
    }

    /// The input for an election: approval ballots over at most 128
    /// projects as bit sets, anything else through [`utilities`].
    pub fn from_election(e: &Election, cfg: &RuleConfig, utility: MesUtility) -> Self {
        let costs = || e.projects.iter().map(|p| p.cost).collect();
        let ids = || e.projects.iter().map(|p| p.id.clone()).collect();
        if e.projects.len() <= 128 {
            if let Some(per) = approval_utilities(e, utility) {
                if let Some(inp) =
                    Self::from_approval_sets(e.budget, costs(), ids(), &e.ballots, per)
                {
                    return inp;
                }
            }
        }
        Self::from_utilities(e.budget, costs(), ids(), &utilities(e, cfg, utility))
    }

    /// Number of distinct ballots.
    pub fn groups(&self) -> usize {
        self.mult.len()
    }

    /// The groups supporting project `p`.
    fn sup(&self, p: usize) -> &[u32] {
        &self.sup_group[self.sup_start[p] as usize..self.sup_start[p + 1] as usize]
    }

    /// The utilities of [`MesInput::sup`], when they are not uniform.
    fn sup_utils(&self, p: usize) -> &[u64] {
        &self.sup_util[self.sup_start[p] as usize..self.sup_start[p + 1] as usize]
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
    rho_exact: Option<Exact>,
    rho: f64,
    /// On approval ballots: what each supporter who could afford it paid.
    full_payment: Option<f64>,
    poor_supporters: u128,
    rich_supporters: u128,
    budgets: Value,
}

struct RunOut {
    selected: Vec<usize>,
    ties: Vec<Tie>,
    /// The explanation, when the run was asked to record it.
    steps: Vec<Step>,
}

struct Engine<'a, S> {
    inp: &'a MesInput,
    /// Per group: its budget class and its number of voters, side by side
    /// (the hot loop reads both at one random place).
    cls: Vec<[u32; 2]>,
    budgets: Vec<S>,
    zero_class: u32,
    /// Voters per budget class (kept up to date as groups move).
    counts: Vec<u128>,
    // scratch for dense accumulation by class
    acc: Vec<u64>,
    touched: Vec<u32>,
    // scratch: the new class of each old class, when funding a project
    dense: Vec<u32>,
    // scratch for projects whose supporters' utilities differ
    mixed: Vec<(u32, u64, u32)>,
    // scratch: the entries of the project last examined, and which are poor
    es: Vec<Entry>,
    poor: Vec<bool>,
    /// The per-voter share `num / den` the run started with, and whether
    /// to record each funded project's step.
    share: (u128, u128),
    record: bool,
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
        let mut eng = Self::with_share(inp, S::from_ratio(share_num, share_den));
        eng.share = (share_num, share_den);
        eng
    }

    fn with_share(inp: &'a MesInput, share: S) -> Self {
        Engine {
            share: (1, 1),
            record: false,
            inp,
            cls: inp.mult.iter().map(|&m| [0, m]).collect(),
            counts: vec![inp.n_voters, 0],
            budgets: vec![share, S::zero()],
            zero_class: 1,
            acc: vec![0; 2],
            touched: Vec::new(),
            mixed: Vec::new(),
            dense: Vec::new(),
            es: Vec::new(),
            poor: Vec::new(),
        }
    }

    /// Fills `self.es` with the entries of project `p`.
    fn entries(&mut self, p: usize) {
        let sup = self.inp.sup(p);
        if self.acc.len() < self.budgets.len() {
            self.acc.resize(self.budgets.len(), 0);
        }
        let out = &mut self.es;
        out.clear();
        let zero = self.zero_class;
        if let Some(u) = self.inp.uniform[p] {
            let acc = &mut self.acc;
            let touched = &mut self.touched;
            let cls = &self.cls;
            for &g in sup {
                let [c, m] = cls[g as usize];
                let a = &mut acc[c as usize];
                if *a == 0 {
                    touched.push(c);
                }
                *a += u64::from(m);
            }
            for c in self.touched.drain(..) {
                let a = std::mem::take(&mut self.acc[c as usize]);
                if c != zero {
                    out.push(Entry {
                        class: c,
                        u,
                        w: u128::from(a),
                    });
                }
            }
        } else {
            let v = &mut self.mixed;
            v.clear();
            v.extend(
                sup.iter()
                    .zip(self.inp.sup_utils(p))
                    .map(|(&g, &u)| {
                        let [c, m] = self.cls[g as usize];
                        (c, u, m)
                    })
                    .filter(|x| x.0 != zero),
            );
            v.sort_unstable_by_key(|x| (x.0, x.1));
            for &(c, u, w) in v.iter() {
                match out.last_mut() {
                    Some(l) if l.class == c && l.u == u => l.w += u128::from(w),
                    _ => out.push(Entry {
                        class: c,
                        u,
                        w: u128::from(w),
                    }),
                }
            }
        }
    }

    /// The smallest `rho` at which project `p` is affordable; the
    /// supporters' entries are left in `self.es` and which of them pay all
    /// they have ("poor") in `self.poor`. `None` if the supporters cannot
    /// afford it at all.
    ///
    /// `rho` is the unique solution of `sum_i min(b_i, rho * u_i) = C`.
    /// Entries with `b/u` below a lower bound of `rho` are certainly poor;
    /// starting from `C / sum(u)`, each pass moves them to the poor side and
    /// raises the bound, until no entry moves (at most a few passes, no
    /// sorting). This is the same `rho` as pabutools' walk over supporters
    /// sorted by `b/u`.
    fn affordability(&mut self, p: usize, check_total: bool) -> Result<Option<Rho<S>>, Uncertain> {
        self.entries(p);
        let es = std::mem::take(&mut self.es);
        let mut poor = std::mem::take(&mut self.poor);
        let r = self.afford_entries(p, check_total, &es, &mut poor);
        self.es = es;
        self.poor = poor;
        r
    }

    fn afford_entries(
        &mut self,
        p: usize,
        check_total: bool,
        es: &[Entry],
        poor: &mut Vec<bool>,
    ) -> Result<Option<Rho<S>>, Uncertain> {
        let cost = S::from_ratio(u128::from(self.inp.costs[p]), 1);
        let budgets = &self.budgets;
        // Affordable at all?
        if check_total {
            let mut total = S::zero();
            for e in es {
                total = total.add(&budgets[e.class as usize].mul_u(e.w));
            }
            if total.cmp_exact(&cost).ok_or(Uncertain)? == Ordering::Less {
                return Ok(None);
            }
        }
        poor.clear();
        poor.resize(es.len(), false);
        let uniform = self.inp.uniform[p].is_some();
        let mut rest = cost; // cost minus what the poor pay
        let mut denom: u128 = es.iter().map(|e| e.w * u128::from(e.u)).sum();
        loop {
            let mut moved = false;
            let mut new_rest = rest.clone();
            let mut new_denom = denom;
            // Inexact types compare each budget with a precomputed
            // `rest * u / denom` (its error bound included); the exact type
            // cross-multiplies.
            let unit_rho = (!S::EXACT).then(|| rest.div_u(denom));
            let uni_thr = match (&unit_rho, es.first()) {
                (Some(r), Some(e)) if uniform => Some(r.mul_u(u128::from(e.u))),
                _ => None,
            };
            for (i, e) in es.iter().enumerate() {
                if poor[i] {
                    continue;
                }
                let b = &budgets[e.class as usize];
                // poor iff b < rho * u, i.e. b * denom < rest * u
                let fast = match (&uni_thr, &unit_rho) {
                    (Some(t), _) => b.cmp_exact(t),
                    (None, Some(r)) => b.cmp_exact(&r.mul_u(u128::from(e.u))),
                    _ => None,
                };
                let ord = match fast {
                    Some(o) => o,
                    None => b
                        .cmp_scaled(denom, &rest, u128::from(e.u))
                        .ok_or(Uncertain)?,
                };
                if ord == Ordering::Less {
                    poor[i] = true;
                    moved = true;
                    new_rest = new_rest.sub(&b.mul_u(e.w));
                    new_denom -= e.w * u128::from(e.u);
                }
            }
            rest = new_rest;
            denom = new_denom;
            if !moved {
                break;
            }
            if denom == 0 {
                // Everyone pays all they have: affordable only with total == cost.
                break;
            }
        }
        if denom == 0 {
            // total == cost exactly: rho is the largest b/u; the supporter
            // with it pays exactly its budget (as in pabutools' walk).
            let mut best: Option<usize> = None;
            for (i, e) in es.iter().enumerate() {
                let better = match best {
                    None => true,
                    Some(j) => {
                        let f = es[j];
                        budgets[e.class as usize]
                            .cmp_scaled(
                                u128::from(f.u),
                                &budgets[f.class as usize],
                                u128::from(e.u),
                            )
                            .ok_or(Uncertain)?
                            == Ordering::Greater
                    }
                };
                if better {
                    best = Some(i);
                }
            }
            let Some(j) = best else { return Ok(None) };
            let e = es[j];
            // Everyone with the same b/u as the richest is rich.
            let mut rest = S::zero();
            let mut den = 0u128;
            for (i, f) in es.iter().enumerate() {
                let same = budgets[f.class as usize]
                    .cmp_scaled(u128::from(e.u), &budgets[e.class as usize], u128::from(f.u))
                    .ok_or(Uncertain)?
                    == Ordering::Equal;
                poor[i] = !same;
                if same {
                    rest = rest.add(&budgets[f.class as usize].mul_u(f.w));
                    den += f.w * u128::from(f.u);
                }
            }
            return Ok(Some(Rho { num: rest, den }));
        }
        Ok(Some(Rho {
            num: rest,
            den: denom,
        }))
    }

    fn budget_summary(&self, total: &Exact) -> Value {
        let count = &self.counts;
        let zero = count[self.zero_class as usize];
        let live: Vec<usize> = (0..count.len())
            .filter(|&c| count[c] > 0 && c != self.zero_class as usize)
            .collect();
        let approx = |c: usize| self.budgets[c].approx();
        let min = live
            .iter()
            .copied()
            .min_by(|&a, &b| approx(a).total_cmp(&approx(b)));
        let max = live
            .iter()
            .copied()
            .max_by(|&a, &b| approx(a).total_cmp(&approx(b)));
        // The 8 largest (ties by class number): a total order, so selecting
        // then sorting gives the same list as sorting everything.
        let mut top = live.clone();
        let by_size = |a: &usize, b: &usize| count[*b].cmp(&count[*a]).then(a.cmp(b));
        if top.len() > 8 {
            top.select_nth_unstable_by(7, by_size);
            top.truncate(8);
        }
        top.sort_unstable_by(by_size);
        let show = |c: usize| Some(format!("{:.4}", self.budgets[c].approx()));
        json!({
            "voters_with_nothing_left": zero.to_string(),
            "budget_classes": live.len(),
            "total_remaining": fmt_decimal(total, 2),
            "min_remaining_share": min.and_then(show),
            "max_remaining_share": max.and_then(show),
            "largest_groups": top.iter().map(|&c| json!({
                "voters": count[c].to_string(),
                "share": self.budgets[c].exact().map(|b| fmt_ratio(&b)),
                "share_decimal": show(c),
            })).collect::<Vec<_>>(),
        })
    }

    /// Charges the supporters of `chosen` (entries in `self.es`, poor ones
    /// in `self.poor`): poor entries pay everything, the others pay
    /// `rho * u`. Returns the numbers of poor and rich voters.
    fn fund(&mut self, chosen: usize, rho: &Rho<S>) -> (u128, u128) {
        let inp = self.inp;
        let uniform = inp.uniform[chosen].is_some();
        let es = std::mem::take(&mut self.es);
        let poor = std::mem::take(&mut self.poor);
        let mut child: HashMap<(u32, u64), u32, BuildFx> = HashMap::default();
        // Uniform utility: the new class depends on the old class only.
        // Every supporter is in the zero class or in a class of the
        // entries, so only those places of `dense` are read: no need to
        // clear it (debug builds do, to check that).
        let mut dense = std::mem::take(&mut self.dense);
        if uniform {
            if dense.len() < self.budgets.len() {
                dense.resize(self.budgets.len(), u32::MAX);
            }
            if cfg!(debug_assertions) {
                dense.fill(u32::MAX);
            }
            dense[self.zero_class as usize] = self.zero_class;
        }
        let mut poor_n = 0u128;
        let mut rich_n = 0u128;
        // Room for a new class per entry.
        self.counts.resize(self.budgets.len() + es.len(), 0);
        for (i, e) in es.iter().enumerate() {
            let nc = if poor[i] {
                poor_n += e.w;
                self.zero_class
            } else {
                rich_n += e.w;
                let pay = rho.num.mul_u(u128::from(e.u)).div_u(rho.den);
                let nb = self.budgets[e.class as usize].sub(&pay);
                self.budgets.push(nb);
                (self.budgets.len() - 1) as u32
            };
            // Every voter of this entry moves to the new class.
            self.counts[e.class as usize] -= e.w;
            self.counts[nc as usize] += e.w;
            if uniform {
                dense[e.class as usize] = nc;
            } else {
                child.insert((e.class, e.u), nc);
            }
        }
        self.counts.truncate(self.budgets.len());
        if uniform {
            for &g in inp.sup(chosen) {
                let c = &mut self.cls[g as usize][0];
                debug_assert!(dense[*c as usize] != u32::MAX, "class without an entry");
                *c = dense[*c as usize];
            }
        } else {
            for (k, &g) in inp.sup(chosen).iter().enumerate() {
                let c = self.cls[g as usize][0];
                if c == self.zero_class {
                    continue;
                }
                if let Some(&nc) = child.get(&(c, inp.sup_utils(chosen)[k])) {
                    self.cls[g as usize][0] = nc;
                }
            }
        }
        self.dense = dense;
        self.es = es;
        self.poor = poor;
        (poor_n, rich_n)
    }

    fn run(mut self, ranks: &[usize]) -> Result<RunOut, Uncertain> {
        let inp = self.inp;
        let mut selected: Vec<usize> = inp.free.clone();
        let mut ties = Vec::new();
        let mut remaining: Vec<usize> = inp.candidates.clone();
        // Lower bounds on each project's rho (rho only grows).
        let mut stale: Vec<Option<Rho<S>>> = vec![None; inp.costs.len()];
        for &p in &remaining {
            stale[p] = Some(Rho {
                num: S::from_ratio(u128::from(inp.costs[p]), 1),
                den: inp.total_util[p],
            });
        }
        let mut dropped = vec![false; inp.costs.len()];
        let mut round = 0usize;
        let mut keyed: Vec<(f64, usize)> = Vec::new();
        let mut tied: Vec<usize> = Vec::new();
        let mut kept_es: Vec<Entry> = Vec::new();
        let mut kept_poor: Vec<bool> = Vec::new();
        let mut steps = Vec::new();
        loop {
            round += 1;
            keyed.clear();
            keyed.extend(remaining.iter().map(|&p| {
                let k = stale[p]
                    .as_ref()
                    .map(|r| r.num.approx() / u128_approx(r.den))
                    .unwrap_or(f64::INFINITY);
                (k, p)
            }));
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            remaining.clear();
            remaining.extend(keyed.iter().map(|x| x.1));
            let mut best: Option<Rho<S>> = None;
            // The entries of the best project so far, while it is alone.
            let mut best_es: Option<usize> = None;
            tied.clear();
            let mut any_dropped = false;
            for &p in &remaining {
                if let (Some(b), Some(s)) = (&best, &stale[p]) {
                    if rho_cmp(s, b).ok() == Some(Ordering::Greater) {
                        continue;
                    }
                }
                match self.affordability(p, true)? {
                    None => {
                        dropped[p] = true;
                        any_dropped = true;
                    }
                    Some(rho) => {
                        let ord = match &best {
                            None => Ordering::Less,
                            Some(b) => rho_cmp(&rho, b)?,
                        };
                        match ord {
                            Ordering::Less => {
                                best = Some(rho.clone());
                                tied.clear();
                                tied.push(p);
                                std::mem::swap(&mut self.es, &mut kept_es);
                                std::mem::swap(&mut self.poor, &mut kept_poor);
                                best_es = Some(p);
                            }
                            Ordering::Equal => tied.push(p),
                            Ordering::Greater => {}
                        }
                        stale[p] = Some(rho);
                    }
                }
            }
            if any_dropped {
                remaining.retain(|&p| !dropped[p]);
            }
            let Some(best) = best else { break };
            let chosen = resolve_tie(
                &mut tied,
                ranks,
                round,
                "equal shares",
                "equal affordability (rho)".to_string(),
                &mut ties,
            );
            let rho = if best_es == Some(chosen) {
                std::mem::swap(&mut self.es, &mut kept_es);
                std::mem::swap(&mut self.poor, &mut kept_poor);
                best
            } else {
                // Recompute the chosen project's entries (the same
                // computation as above, so the same rho and the same poor
                // supporters).
                let Some(rho) = self.affordability(chosen, false)? else {
                    return Err(Uncertain);
                };
                rho
            };
            let (poor_n, rich_n) = self.fund(chosen, &rho);
            selected.push(chosen);
            if self.record {
                steps.push(self.step(chosen, &rho, poor_n, rich_n, &selected));
            }
            remaining.retain(|&p| p != chosen);
        }
        Ok(RunOut {
            selected,
            ties,
            steps,
        })
    }

    /// The explanation of one funded project, right after funding it.
    fn step(&self, p: usize, rho: &Rho<S>, poor_n: u128, rich_n: u128, funded: &[usize]) -> Step {
        let inp = self.inp;
        let rho_value = rho.num.div_u(rho.den);
        let full = inp.uniform[p].map(|u| rho_value.mul_u(u128::from(u)));
        // Payments add up to the costs exactly.
        let spent: u128 = funded.iter().map(|&q| u128::from(inp.costs[q])).sum();
        let all = Exact::from_ratio(self.share.0, self.share.1);
        let total = Scalar::sub(
            &Scalar::mul_u(&all, inp.n_voters),
            &Exact::from_ratio(spent, 1),
        );
        Step {
            project: p,
            rho_exact: rho_value.exact(),
            rho: rho_value.approx(),
            full_payment: full.map(|f| f.approx()),
            poor_supporters: poor_n,
            rich_supporters: rich_n,
            budgets: self.budget_summary(&total),
        }
    }
}

/// Decides one run: guarded floats first, exact rationals if any
/// comparison was too close to call. Returns the run and whether it needed
/// exact arithmetic.
///
/// With `record`, the run also explains itself: each funded project's rho
/// and the remaining shares after it, in the arithmetic that decided the
/// run (exact fractions when the run was exact; otherwise decimals from
/// the guarded floats, whose error bound is far below the digits shown).
fn run_once(
    inp: &MesInput,
    share_num: u128,
    share_den: u128,
    ranks: &[usize],
    record: bool,
) -> Result<(RunOut, bool), Undecided> {
    let mut eng = Engine::<Guarded>::new(inp, share_num, share_den);
    eng.record = record;
    if let Ok(out) = eng.run(ranks) {
        return Ok((out, false));
    }
    let mut eng = Engine::<Exact>::new(inp, share_num, share_den);
    eng.record = record;
    // Exact comparisons always answer, so this cannot fail; if it ever
    // did, the count stops with an error rather than guess.
    eng.run(ranks)
        .map(|out| (out, true))
        .map_err(|Uncertain| Undecided)
}

/// The exact count could not decide (a defect: exact comparisons always
/// answer). Counting stops with this error instead of giving a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undecided;

impl std::fmt::Display for Undecided {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("equal shares: the exact count could not decide a comparison")
    }
}

impl std::error::Error for Undecided {}

fn total_cost(inp: &MesInput, sel: &[usize]) -> u128 {
    sel.iter().map(|&p| u128::from(inp.costs[p])).sum()
}

/// Runs MES (with Add1 if asked) and explains the final run.
pub fn count(
    inp: &MesInput,
    ranks: &[usize],
    add1: Add1,
    money_scale: u32,
) -> Result<RuleResult, Undecided> {
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
            let (out, exact) = run_once(inp, share_num, n, ranks, false)?;
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
    let (mut out, exact) = run_once(inp, final_share, n, ranks, true)?;
    if exact {
        exact_runs += 1;
    }
    let steps = std::mem::take(&mut out.steps);
    let mut res = RuleResult {
        selected: out.selected,
        ties: out.ties,
        ..Default::default()
    };
    for (i, s) in steps.iter().enumerate() {
        res.rounds.push(json!({
            "phase": "equal shares",
            "round": i + 1,
            "project": inp.ids[s.project],
            "cost": inp.costs[s.project].to_string(),
            "rho": s.rho_exact.as_ref().map(fmt_ratio),
            "rho_decimal": format!("{:.12e}", s.rho),
            "payment_per_supporter": s.full_payment.map(|r| format!("{r:.4}")),
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
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    /// The input built the general way and the way `from_election` builds it.
    fn both_inputs(e: &Election, utility: MesUtility) -> (MesInput, MesInput) {
        let cfg = RuleConfig::new(Rule::Mes {
            utility,
            add1: Add1::Off,
            greedy_completion: false,
            comparison: false,
        });
        let costs: Vec<Money> = e.projects.iter().map(|p| p.cost).collect();
        let ids: Vec<String> = e.projects.iter().map(|p| p.id.clone()).collect();
        let general = MesInput::from_utilities(e.budget, costs, ids, &utilities(e, &cfg, utility));
        let sets = MesInput::from_election(e, &cfg, utility);
        (general, sets)
    }

    proptest::proptest! {
        /// On any approval election, both constructions agree.
        #[test]
        fn approval_sets_agree_with_the_general_input(
            costs in proptest::collection::vec(0u64..5, 1..12),
            votes in proptest::collection::vec(proptest::collection::vec(0u32..12, 0..6), 0..40),
        ) {
            let mut text = String::from("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n");
            for (i, c) in costs.iter().enumerate() {
                text.push_str(&format!("p{i};{c}\n"));
            }
            text.push_str("VOTES\nvoter_id;vote\n");
            for (v, vote) in votes.iter().enumerate() {
                let ids: Vec<String> = vote
                    .iter()
                    .map(|&p| format!("p{}", p as usize % costs.len()))
                    .collect();
                text.push_str(&format!("v{v};{}\n", ids.join(",")));
            }
            let e = crate::pb::parse(&text).expect("a valid file");
            for utility in [MesUtility::Cost, MesUtility::Cardinality] {
                let (general, sets) = both_inputs(&e, utility);
                proptest::prop_assert_eq!(format!("{general:?}"), format!("{sets:?}"));
            }
        }
    }

    /// The bit-set construction gives exactly the input the general one
    /// does: the same groups in the same order, the same supporters.
    #[test]
    fn approval_sets_build_the_same_input() {
        let text = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n\
a;30\nb;0\nc;50\nd;20\nVOTES\nvoter_id;vote\n1;c,a\n2;a,c\n3;b\n4;d,b,a\n5;\n6;a,c\n7;d\n8;b,d,a\n";
        let e = crate::pb::parse(text).expect("parses");
        // With cost utilities the free project `b` drops out of the ballots.
        for (utility, groups) in [(MesUtility::Cost, 4), (MesUtility::Cardinality, 5)] {
            let (general, sets) = both_inputs(&e, utility);
            assert_eq!(format!("{general:?}"), format!("{sets:?}"));
            assert_eq!(sets.groups(), groups);
        }
    }
}
