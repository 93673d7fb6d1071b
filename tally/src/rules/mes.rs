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
//!
//! Add1's steps are decided in blocks from the highest share down, and each
//! run reuses what the run above it (more money per voter) left in a
//! [`Trace`]: while it funds the same projects in the same order, the
//! budget classes are the same, so the entries found there are its own, and
//! every project's rho is at least the lower bound recorded there. The
//! search skips a project only when a lower bound of its rho is above the
//! best rho found, so the decisions are those of a run from scratch; the
//! outcomes are then checked step by step from the lowest up, as Add1 is
//! defined. Add1's runs keep their buffers (no allocation per run).

use super::{
    approval_utilities, resolve_tie, utilities, Add1, MesUtility, RuleConfig, RuleResult, Tie,
    Utilities, UtilityBallot,
};
use crate::arith::{fmt_decimal, fmt_ratio, u128_approx, Exact, Guarded, Scalar};
use crate::constraints::{Block, Plan, State};
use crate::model::{Ballots, Election, Money};
use crate::pb::format_money;
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
    /// The input with `paid` funded before the count: their cost comes
    /// off the budget the voters share, and they are no longer candidates.
    pub fn paying_first(mut self, paid: &[usize]) -> Self {
        let cost: Money = paid.iter().map(|&p| self.costs[p]).sum();
        self.budget = self.budget.saturating_sub(cost);
        self.candidates.retain(|p| !paid.contains(p));
        self.free.retain(|p| !paid.contains(p));
        self
    }

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

/// A float below (`side` -1) or above (`side` 1) the value of `r`, by a
/// relative margin of at least 2^-40, or infinite (on the far side) when
/// `r`'s numerator is not positive, its error bound is above 2^-20 of it,
/// or the type gives no bound. The margin dwarfs the rounding here (a few
/// units of 2^-53 relative, the denominator's conversion included).
fn rho_bound<S: Scalar>(r: &Rho<S>, side: f64) -> f64 {
    let (v, e) = r.num.float_bound();
    let d = u128_approx(r.den);
    let ok = v > 0.0 && v.is_finite() && e <= v * (1.0 / (1u64 << 20) as f64) && d > 0.0;
    if !ok {
        return side * f64::INFINITY;
    }
    (v + side * e) / d * (1.0 + side * (1.0 / (1u64 << 40) as f64))
}

/// Whether `rho_cmp(s, best)` certainly answers `Greater`, from floats
/// alone: a cheaper test before it, which answers `true` only where
/// `rho_cmp` would (so which projects are skipped does not change).
/// `best_hi` is `rho_bound(best, 1.0)`. Both bounds are within 2^-20 of
/// the values they bound, and their gap is required to be 2^-30 of
/// `best_hi`; the guarded comparison's own error bounds (each value's
/// bound plus a few units of 2^-53) are then far inside that gap.
fn surely_above<S: Scalar>(s: &Rho<S>, best_hi: f64) -> bool {
    rho_bound(s, -1.0) > best_hi * (1.0 + 1.0 / (1u64 << 30) as f64)
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
    /// Projects a constraint took out of the candidates, with the round
    /// (1-based) before which it did, when the run was asked to record.
    barred: Vec<(usize, usize, Block)>,
}

struct Engine<'a, S> {
    inp: &'a MesInput,
    /// The constraints, if any: before each round, the candidates they
    /// forbid leave the run (see [`count_limited`]).
    plan: Option<&'a Plan>,
    /// Per group: its budget class and its number of voters, side by side
    /// (the hot loop reads both at one random place).
    cls: Vec<[u32; 2]>,
    /// How many rounds of the run in the trace `cls` reflects, when a run
    /// starts without resetting it (see [`Engine::reset`]).
    cls_rounds: usize,
    budgets: Vec<S>,
    /// Per class: its voters have paid all they had (their budget is zero
    /// for good).
    exhausted: Vec<bool>,
    /// Voters per budget class (kept up to date as groups move in a run
    /// that records its explanation).
    counts: Vec<u128>,
    // scratch for dense accumulation by class
    acc: Vec<u32>,
    touched: Vec<u32>,
    // scratch: the new class of each old class, when funding a project
    dense: Vec<u32>,
    // scratch for projects whose supporters' utilities differ
    mixed: Vec<(u32, u64, u32)>,
    // scratch of `afford_checked`, and the same for the best project of
    // the round so far (swapped with it, as `poor` is)
    live: LiveSet<S>,
    kept_live: LiveSet<S>,
    poor_at: Vec<u32>,
    // scratch: the entries of the project last scanned, and which are poor
    es: Vec<Entry>,
    poor: Vec<bool>,
    // scratch for a run without a trace: the entries examined this round
    arena: Vec<Entry>,
    arena_poor: Vec<bool>,
    cached: Vec<(usize, u32, u32)>,
    /// The per-voter share `num / den` the run started with, and whether
    /// to record each funded project's step.
    share: (u128, u128),
    record: bool,
}

/// A live entry (not exhausted) in [`Engine::afford_checked`]: its
/// budget, its number of voters and utility (the utility also as a float),
/// its place in the entries, and whether it is taken to pay all it has.
#[derive(Clone, Debug)]
struct Live<S> {
    b: S,
    /// `b` as a float while the entry is not taken to be poor, infinite
    /// once it is.
    vk: f64,
    uf: f64,
    w: u32,
    u: u64,
    at: u32,
    poor: bool,
}

impl<S: Scalar> Default for Live<S> {
    fn default() -> Self {
        Live {
            b: S::zero(),
            vk: 0.0,
            uf: 0.0,
            w: 0,
            u: 0,
            at: 0,
            poor: false,
        }
    }
}

/// The live entries [`Engine::afford_checked`] copied for a project, and
/// for which project and how many when its answer was a rho (`of`), so
/// that charging that project reads the budgets from there, in order,
/// rather than from their classes.
struct LiveSet<S> {
    v: Vec<Live<S>>,
    of: Option<(usize, usize)>,
}

impl<S> Default for LiveSet<S> {
    fn default() -> Self {
        LiveSet {
            v: Vec::new(),
            of: None,
        }
    }
}

/// One entry of a project's supporters: a budget class, a utility and the
/// total number of voters with them.
#[derive(Clone, Copy, Debug)]
struct Entry {
    class: u32,
    /// At most the number of voters, which is counted in `u32` (so an
    /// entry takes 16 bytes, not 24: the entries kept in a trace are read
    /// by every run).
    w: u32,
    u: u64,
}

/// What a run leaves for the next Add1 run, which starts with less money
/// per voter: each round's winner and its rho, the entries of every project
/// examined at that round, and a lower bound on every candidate's rho
/// there.
///
/// Budget classes follow the history of payments: funding a project gives
/// every class of its supporters a new class, also to those who pay all
/// they have (their new class is *exhausted*). So after the same projects
/// funded in the same order, two runs have the same classes with the same
/// members, only other amounts: the entries recorded for a project at a
/// round are the next run's entries too, as long as it has funded the same
/// projects so far, and the groups need not even be moved to their new
/// classes until a round must scan the supporters of a project.
///
/// Why the next run may take the recorded bounds as its own. Take two
/// runs, one with share `b`, one with `b' >= b`, that have funded the same
/// projects in the same order. Then every voter has at most as much left
/// in the first as in the second: true at the start, and funding a project
/// keeps it true, because a project's rho can only fall when its supporters
/// have more money, and a supporter is left with `max(0, budget - rho * u)`.
/// Hence, at the same round, every project's rho in the first run is at
/// least its rho in the second, which is at least the lower bound the
/// second recorded; and a project the second could not afford, the first
/// cannot afford either. A search that skips a project only when a lower
/// bound of its rho is above the best rho found (as [`Engine::run`] does)
/// takes the same decisions with any valid lower bounds, ties included;
/// better bounds only spare it work.
struct Trace<S> {
    /// Holds a complete run of `len` rounds.
    valid: bool,
    /// That run had at least as much money per voter as the next: its
    /// bounds and its lists of who paid all they had apply. Otherwise only
    /// its entries do (they depend on the projects funded, not on money).
    richer: bool,
    len: usize,
    /// Buffers of each round, kept across runs (no allocation per run).
    rounds: Vec<TraceRound<S>>,
    /// `bounds[t * m + q]`: a lower bound on project `q`'s rho at round
    /// `t` (0-based), or `None` if `q` is no longer a candidate there
    /// (funded, its winner, or unaffordable).
    bounds: Vec<Option<Rho<S>>>,
}

impl<S> Default for Trace<S> {
    fn default() -> Self {
        Trace {
            valid: false,
            richer: false,
            len: 0,
            rounds: Vec::new(),
            bounds: Vec::new(),
        }
    }
}

/// One round of a [`Trace`].
struct TraceRound<S> {
    winner: usize,
    rho: Option<Rho<S>>,
    /// The number of budget classes before the round.
    base: u32,
    /// The projects examined: `(project, start, end)`, their entries
    /// `es[start..end]`.
    cached: Vec<(usize, u32, u32)>,
    es: Vec<Entry>,
    /// Beside `es`: see [`RoundEntries`].
    poor: Vec<bool>,
}

impl<S> Default for TraceRound<S> {
    fn default() -> Self {
        TraceRound {
            winner: usize::MAX,
            rho: None,
            base: 0,
            cached: Vec::new(),
            es: Vec::new(),
            poor: Vec::new(),
        }
    }
}

/// Where a run keeps the entries of the projects examined in a round, and
/// which of them paid all they had the last time each project was
/// evaluated (at this round of this run or of a run with more money: a
/// subset of those who pay all they have now, see [`Trace`]).
struct RoundEntries {
    cached: Vec<(usize, u32, u32)>,
    es: Vec<Entry>,
    poor: Vec<bool>,
}

impl RoundEntries {
    fn find(&self, p: usize) -> Option<std::ops::Range<usize>> {
        self.cached
            .iter()
            .find(|c| c.0 == p)
            .map(|&(_, s, e)| s as usize..e as usize)
    }
}

impl<'a, S: Scalar> Engine<'a, S> {
    fn new(inp: &'a MesInput, share_num: u128, share_den: u128) -> Self {
        let mut eng = Engine {
            share: (1, 1),
            record: false,
            inp,
            plan: None,
            cls: Vec::new(),
            cls_rounds: 0,
            counts: Vec::new(),
            budgets: Vec::new(),
            live: LiveSet::default(),
            kept_live: LiveSet::default(),
            poor_at: Vec::new(),
            exhausted: Vec::new(),
            acc: vec![0; 2],
            touched: Vec::new(),
            mixed: Vec::new(),
            dense: Vec::new(),
            es: Vec::new(),
            poor: Vec::new(),
            arena: Vec::new(),
            arena_poor: Vec::new(),
            cached: Vec::new(),
        };
        eng.cls = inp.mult.iter().map(|&m| [0, m]).collect();
        eng.reset(share_num, share_den, false);
        eng
    }

    /// Back to the start of a run with another share, keeping every buffer
    /// (Add1 reruns allocate nothing once the buffers have grown). Class 0
    /// holds everyone with the share; class 1 is an empty exhausted class.
    ///
    /// With `keep_groups`, the groups stay in the classes the previous run
    /// left them in (`cls_rounds` of its rounds, which are in the trace the
    /// next run gets): classes are numbered the same way in every run, so
    /// the next run moves groups forward or back from there.
    fn reset(&mut self, share_num: u128, share_den: u128, keep_groups: bool) {
        let inp = self.inp;
        if !keep_groups {
            for (c, &m) in self.cls.iter_mut().zip(&inp.mult) {
                *c = [0, m];
            }
            self.cls_rounds = 0;
        }
        self.budgets.clear();
        self.budgets
            .extend([S::from_ratio(share_num, share_den), S::zero()]);
        self.exhausted.clear();
        self.exhausted.extend([false, true]);
        self.counts.clear();
        self.counts.extend([inp.n_voters, 0]);
        self.share = (share_num, share_den);
        // `acc` is all zero between calls of `entries`; `dense` is only read
        // where `move_groups` has just written.
    }

    /// Fills `self.es` with the entries of project `p`: every class of its
    /// supporters, exhausted ones included.
    fn entries(&mut self, p: usize) {
        let sup = self.inp.sup(p);
        if self.acc.len() < self.budgets.len() {
            self.acc.resize(self.budgets.len(), 0);
        }
        let out = &mut self.es;
        out.clear();
        if let Some(u) = self.inp.uniform[p] {
            let acc = &mut self.acc;
            let cls = &self.cls;
            // Each class is written down every time, but kept (the count
            // moves on) only the first time: no branch to mispredict.
            let touched = &mut self.touched;
            touched.clear();
            touched.resize(sup.len() + 1, 0);
            let mut n = 0;
            for &g in sup {
                let [c, m] = cls[g as usize];
                let a = &mut acc[c as usize];
                touched[n] = c;
                n += usize::from(*a == 0);
                *a += m;
            }
            for &c in &touched[..n] {
                let a = std::mem::take(&mut acc[c as usize]);
                out.push(Entry { class: c, u, w: a });
            }
        } else {
            let v = &mut self.mixed;
            v.clear();
            v.extend(sup.iter().zip(self.inp.sup_utils(p)).map(|(&g, &u)| {
                let [c, m] = self.cls[g as usize];
                (c, u, m)
            }));
            v.sort_unstable_by_key(|x| (x.0, x.1));
            for &(c, u, w) in v.iter() {
                match out.last_mut() {
                    Some(l) if l.class == c && l.u == u => l.w += w,
                    _ => out.push(Entry { class: c, u, w }),
                }
            }
        }
    }

    /// The smallest `rho` at which project `p` is affordable, from its
    /// entries `es`; which entries pay all they have ("poor", exhausted
    /// ones included) is left in `poor`. `None` if the supporters cannot
    /// afford it at all.
    ///
    /// `rho` is the unique solution of `sum_i min(b_i, rho * u_i) = C`.
    /// Entries with `b/u` below a lower bound of `rho` are certainly poor;
    /// starting from `C / sum(u)`, each pass moves them to the poor side and
    /// raises the bound, until no entry moves (at most a few passes, no
    /// sorting). This is the same `rho` as pabutools' walk over supporters
    /// sorted by `b/u`. Exhausted entries take no part in the arithmetic.
    fn afford_entries(
        &mut self,
        p: usize,
        check_total: bool,
        es: &[Entry],
        hint: &[bool],
        poor: &mut Vec<bool>,
    ) -> Result<Option<Rho<S>>, Uncertain> {
        self.live.of = None;
        if !S::EXACT && !self.record {
            if let Some(rho) = self.afford_checked(p, check_total, es, hint, poor) {
                return Ok(rho);
            }
        }
        let cost = S::from_ratio(u128::from(self.inp.costs[p]), 1);
        let budgets = &self.budgets;
        poor.clear();
        poor.extend(es.iter().map(|e| self.exhausted[e.class as usize]));
        // Affordable at all?
        if check_total {
            let mut total = S::zero();
            for (e, _) in es.iter().zip(poor.iter()).filter(|x| !*x.1) {
                total = total.add(&budgets[e.class as usize].mul_u(u128::from(e.w)));
            }
            if total.cmp_exact(&cost).ok_or(Uncertain)? == Ordering::Less {
                return Ok(None);
            }
        }
        let uniform = self.inp.uniform[p].is_some();
        let mut rest = cost; // cost minus what the poor pay
        let mut denom: u128 = es
            .iter()
            .zip(poor.iter())
            .filter(|x| !*x.1)
            .map(|(e, _)| u128::from(e.w) * u128::from(e.u))
            .sum();
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
                    new_rest = new_rest.sub(&b.mul_u(u128::from(e.w)));
                    new_denom -= u128::from(e.w) * u128::from(e.u);
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
            let live = |i: usize| !self.exhausted[es[i].class as usize];
            let mut best: Option<usize> = None;
            for (i, e) in es.iter().enumerate().filter(|x| live(x.0)) {
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
                if !live(i) {
                    continue;
                }
                let same = budgets[f.class as usize]
                    .cmp_scaled(u128::from(e.u), &budgets[e.class as usize], u128::from(f.u))
                    .ok_or(Uncertain)?
                    == Ordering::Equal;
                poor[i] = !same;
                if same {
                    rest = rest.add(&budgets[f.class as usize].mul_u(u128::from(f.w)));
                    den += u128::from(f.w) * u128::from(f.u);
                }
            }
            return Ok(Some(Rho { num: rest, den }));
        }
        Ok(Some(Rho {
            num: rest,
            den: denom,
        }))
    }

    /// [`Engine::afford_entries`] the short way, for the guarded floats:
    /// guess who pays all they have in plain floating point, then check
    /// the guess with the guarded arithmetic in one pass. `rho = (C - what
    /// the poor have) / (sum of the others' w * u)` is the solution exactly
    /// when every poor entry has `b < rho * u` and every other `b >= rho *
    /// u` (the solution is unique, and the poor are then the same entries
    /// the passes of `afford_entries` find). `None` when the guess is wrong,
    /// any comparison is too close to call, or nobody would be left to pay
    /// a share: then the caller takes the long way. `Some(None)` when the
    /// supporters certainly cannot afford the project at all (only asked
    /// with `check_total`).
    ///
    /// The live entries (not exhausted) are first copied, with their
    /// budgets, into `self.live`, so that the passes read them in order
    /// instead of looking each class up again; the loops avoid branches
    /// that depend on the data where they can (which entries are exhausted
    /// or poor is close to random). The arithmetic, and its order, is that
    /// of passes over `es`.
    fn afford_checked(
        &mut self,
        p: usize,
        check_total: bool,
        es: &[Entry],
        hint: &[bool],
        poor: &mut Vec<bool>,
    ) -> Option<Option<Rho<S>>> {
        let exhausted = &self.exhausted;
        let budgets = &self.budgets;
        // `live` only grows (its unused tail is not cleared): the live
        // entries are `live[..n]`.
        if self.live.v.len() < es.len() {
            self.live.v.resize(es.len(), Live::default());
        }
        let live = &mut self.live.v[..];
        poor.clear();
        poor.extend_from_slice(hint);
        let mut rest = self.inp.costs[p] as f64;
        let mut denom = 0f64;
        let mut n = 0;
        for (i, (e, is_poor)) in es.iter().zip(poor.iter_mut()).enumerate() {
            let c = e.class as usize;
            let ex = exhausted[c];
            *is_poor |= ex;
            // Written every time, kept (n moves on) only when live.
            let l = &mut live[n];
            l.b = budgets[c].clone();
            l.vk = if *is_poor {
                f64::INFINITY
            } else {
                l.b.approx()
            };
            l.uf = e.u as f64;
            l.w = e.w;
            l.u = e.u;
            l.at = i as u32;
            l.poor = *is_poor;
            n += usize::from(!ex);
        }
        let live = &mut live[..n];
        for l in live.iter() {
            // `rest -= v * w` for the poor, `denom += w * u` for the
            // others, without a branch: adding a zero changes nothing.
            let pm = f64::from(u8::from(l.poor));
            let wf = f64::from(l.w);
            rest -= (l.b.approx() * wf) * pm;
            denom += (wf * l.uf) * (1.0 - pm);
        }
        loop {
            if denom <= 0.0 {
                return if check_total && Self::surely_unaffordable(live, self.inp.costs[p]) {
                    Some(None)
                } else {
                    None
                };
            }
            let unit = rest / denom;
            let mut moved = false;
            for l in live.iter_mut() {
                // One branch, rarely taken (`vk` is infinite once poor).
                if l.vk < unit * l.uf {
                    l.vk = f64::INFINITY;
                    l.poor = true;
                    moved = true;
                    let wf = f64::from(l.w);
                    rest -= l.b.approx() * wf;
                    denom -= wf * l.uf;
                }
            }
            if !moved {
                break;
            }
        }
        // The check. First the poor live entries, in order.
        let poor_at = &mut self.poor_at;
        if poor_at.len() < n {
            poor_at.resize(n, 0);
        }
        let mut k = 0;
        let mut denom = 0u128;
        for (i, l) in live.iter().enumerate() {
            poor_at[k] = i as u32;
            k += usize::from(l.poor);
            denom += u128::from(l.w) * u128::from(l.u);
        }
        let poor_at = &poor_at[..k];
        for &i in poor_at {
            let l = &live[i as usize];
            denom -= u128::from(l.w) * u128::from(l.u);
        }
        let rest = S::from_ratio(u128::from(self.inp.costs[p]), 1).sub_weighted(
            poor_at.iter().map(|&i| {
                let l = &live[i as usize];
                (&l.b, u64::from(l.w))
            }),
        );
        if denom == 0 {
            return None;
        }
        let unit = rest.div_u(denom);
        let uniform = self.inp.uniform[p].map(|u| unit.mul_u(u128::from(u)));
        // With one threshold for all, first a pass without branches on
        // the answers (whether each entry is poor is close to random):
        // when every entry is certainly on its side, the comparisons below
        // would all agree, and they are skipped.
        if let Some(thr) = &uniform {
            let mut all = true;
            for l in live.iter() {
                all &= l.b.surely(thr, l.poor);
                poor[l.at as usize] = l.poor;
            }
            if all {
                self.live.of = Some((p, n));
                return Some(Some(Rho {
                    num: rest,
                    den: denom,
                }));
            }
        }
        for l in live.iter() {
            let (b, u) = (&l.b, l.u);
            // b against rho * u = rest * u / denom.
            let ord = match &uniform {
                Some(thr) => b.cmp_exact(thr),
                None => b.cmp_exact(&unit.mul_u(u128::from(u))),
            }
            .or_else(|| b.cmp_scaled(denom, &rest, u128::from(u)))?;
            if l.poor != (ord == Ordering::Less) {
                return None;
            }
            poor[l.at as usize] = l.poor;
        }
        self.live.of = Some((p, n));
        Some(Some(Rho {
            num: rest,
            den: denom,
        }))
    }

    /// Whether the live entries certainly have less than `cost` between
    /// them, by a float sum and a bound on its error: the products `w * v`
    /// and their sum round by at most `gamma_2n` of the sum of their
    /// magnitudes (Higham 3.1), taken here as `(2n + 4) 2^-52`; the budgets
    /// add at most `sum w * e`; and a margin of 2^-30 of the magnitudes,
    /// far more than the rounding of the long way's guarded sum, makes sure
    /// that the long way would have decided the same (and not found the
    /// comparison too close to call). `false` means "not certain".
    fn surely_unaffordable(live: &[Live<S>], cost: Money) -> bool {
        let n = live.len();
        if n >= 1 << 20 {
            return false;
        }
        let mut sum = 0f64;
        let mut mag = 0f64;
        let mut err = 0f64;
        for l in live {
            let (v, e) = l.b.float_bound();
            let wf = f64::from(l.w);
            let x = v * wf;
            sum += x;
            mag += x.abs();
            err += e * wf;
        }
        let slack = mag * ((2 * n + 4) as f64 * f64::EPSILON + 1.0 / (1u64 << 30) as f64);
        let hi = (sum + err + slack) * (1.0 + 4.0 * f64::EPSILON);
        hi.is_finite() && hi < cost as f64
    }

    /// Evaluates project `p` at round `t`: its entries from `round` if they
    /// are there, else from its supporters (after moving the groups of the
    /// rounds not yet applied to `cls`, from `trace`), added to `round`.
    /// Returns its rho and where its entries are; `self.poor` says which
    /// pay all they have.
    fn evaluate(
        &mut self,
        p: usize,
        t: usize,
        check_total: bool,
        round: &mut RoundEntries,
        trace: Option<&Trace<S>>,
        synced: &mut usize,
    ) -> Result<(Option<Rho<S>>, std::ops::Range<usize>), Uncertain> {
        let range = match round.find(p) {
            Some(r) => r,
            None => {
                if let Some(tr) = trace {
                    self.sync_groups(t, synced, tr, t, round);
                }
                self.entries(p);
                let s = round.es.len();
                round.es.extend_from_slice(&self.es);
                round.poor.resize(round.es.len(), false);
                round.cached.push((p, s as u32, round.es.len() as u32));
                s..round.es.len()
            }
        };
        let mut poor = std::mem::take(&mut self.poor);
        let hint = &round.poor[range.clone()];
        let r = self.afford_entries(p, check_total, &round.es[range.clone()], hint, &mut poor);
        if r.as_ref().is_ok_and(Option::is_some) {
            round.poor[range.clone()].copy_from_slice(&poor);
        }
        self.poor = poor;
        Ok((r?, range))
    }

    fn budget_summary(&self, total: &Exact) -> Value {
        let count = &self.counts;
        let mut zero = 0u128;
        let mut live: Vec<usize> = Vec::new();
        for (c, &k) in count.iter().enumerate() {
            if self.exhausted[c] {
                zero += k;
            } else if k > 0 {
                live.push(c);
            }
        }
        let approx = |c: usize| self.budgets[c].approx();
        let min = live
            .iter()
            .copied()
            .min_by(|&a, &b| approx(a).total_cmp(&approx(b)));
        let max = live
            .iter()
            .copied()
            .max_by(|&a, &b| approx(a).total_cmp(&approx(b)));
        // The 8 largest (ties by class number, which orders classes as they
        // were made): a total order, so selecting then sorting gives the
        // same list as sorting everything.
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

    /// Charges the supporters of a funded project: each entry gets a new
    /// class, numbered in entry order from the current number of classes.
    /// Poor entries pay everything (their class is exhausted); the others
    /// pay `rho * u`. Returns the numbers of poor and rich voters (the
    /// voters already exhausted are neither). [`Engine::move_groups`] moves
    /// the groups themselves.
    fn charge(&mut self, p: usize, es: &[Entry], poor: &[bool], rho: &Rho<S>) -> (u128, u128) {
        let mut poor_n = 0u128;
        let mut rich_n = 0u128;
        // With one utility for all, everyone rich pays the same.
        let uniform_pay = match es.first() {
            Some(e) if es.iter().all(|f| f.u == e.u) => {
                Some(rho.num.mul_u(u128::from(e.u)).div_u(rho.den))
            }
            _ => None,
        };
        // The new classes are written in place after the old ones (every
        // entry's class is an old one), so the loop reads and writes plain
        // slices rather than pushing.
        let base = self.budgets.len();
        self.budgets.resize(base + es.len(), S::zero());
        self.exhausted.resize(base + es.len(), true);
        let (old, new) = self.budgets.split_at_mut(base);
        let (old_ex, new_ex) = self.exhausted.split_at_mut(base);
        let live = match self.live.of {
            Some((q, n)) if q == p => Some(&self.live.v[..n]),
            _ => None,
        };
        match (&uniform_pay, S::EXACT, live) {
            // The guarded floats with one payment for all, and the live
            // entries of the project copied with their budgets when its rho
            // was found (this round: the budgets have not changed since):
            // read in order, they spare looking the classes up again. The
            // exhausted entries are those not copied, and their new classes
            // stay as `resize` made them (zero, exhausted).
            (Some(pay), false, Some(live)) => {
                let (mut poor_w, mut rich_w) = (0u64, 0u64);
                for l in live {
                    let b = l.b.sub(pay);
                    poor_w += u64::from(l.w) * u64::from(l.poor);
                    rich_w += u64::from(l.w) * u64::from(!l.poor);
                    new[l.at as usize] = if l.poor { S::zero() } else { b };
                    new_ex[l.at as usize] = l.poor;
                }
                poor_n = u128::from(poor_w);
                rich_n = u128::from(rich_w);
            }
            // The guarded floats with one payment for all (approval
            // ballots), without a branch on who is poor (close to random):
            // the payment is taken from every budget, and kept only for
            // the rich.
            (Some(pay), false, None) => {
                let (mut poor_w, mut rich_w) = (0u64, 0u64);
                for (((e, &is_poor), nb), ex) in es.iter().zip(poor).zip(new).zip(new_ex) {
                    let c = e.class as usize;
                    let b = old[c].sub(pay);
                    poor_w += u64::from(e.w) * u64::from(is_poor & !old_ex[c]);
                    rich_w += u64::from(e.w) * u64::from(!is_poor);
                    *nb = if is_poor { S::zero() } else { b };
                    *ex = is_poor;
                }
                poor_n = u128::from(poor_w);
                rich_n = u128::from(rich_w);
            }
            _ => {
                for (((e, &is_poor), nb), ex) in es.iter().zip(poor).zip(new).zip(new_ex) {
                    let c = e.class as usize;
                    if is_poor {
                        // Pays all it has: the new class stays zero and
                        // exhausted.
                        if !old_ex[c] {
                            poor_n += u128::from(e.w);
                        }
                    } else {
                        rich_n += u128::from(e.w);
                        *nb = match &uniform_pay {
                            Some(pay) => old[c].sub(pay),
                            None => old[c].sub(&rho.num.mul_u(u128::from(e.u)).div_u(rho.den)),
                        };
                        *ex = false;
                    }
                }
            }
        }
        if self.record {
            // Every voter of an entry moves to its new class (counted only
            // for the explanation).
            self.counts.resize(self.budgets.len(), 0);
            for (i, e) in es.iter().enumerate() {
                self.counts[e.class as usize] -= u128::from(e.w);
                self.counts[base + i] += u128::from(e.w);
            }
        }
        (poor_n, rich_n)
    }

    /// Moves the groups supporting `p` to the classes [`Engine::charge`]
    /// made for its entries `es` (the first new class is `base`).
    fn move_groups(&mut self, p: usize, es: &[Entry], base: u32) {
        let inp = self.inp;
        if inp.uniform[p].is_some() {
            // Uniform utility: the new class depends on the old class only.
            // Every supporter is in a class of the entries, so only those
            // places of `dense` are read: no need to clear it (debug builds
            // do, to check that).
            let mut dense = std::mem::take(&mut self.dense);
            if dense.len() < self.budgets.len() {
                dense.resize(self.budgets.len(), u32::MAX);
            }
            if cfg!(debug_assertions) {
                dense.fill(u32::MAX);
            }
            for (i, e) in es.iter().enumerate() {
                dense[e.class as usize] = base + i as u32;
            }
            for &g in inp.sup(p) {
                let c = &mut self.cls[g as usize][0];
                debug_assert!(dense[*c as usize] != u32::MAX, "class without an entry");
                *c = dense[*c as usize];
            }
            self.dense = dense;
        } else {
            let mut child: HashMap<(u32, u64), u32, BuildFx> = HashMap::default();
            for (i, e) in es.iter().enumerate() {
                child.insert((e.class, e.u), base + i as u32);
            }
            for (k, &g) in inp.sup(p).iter().enumerate() {
                let c = &mut self.cls[g as usize][0];
                if let Some(&nc) = child.get(&(*c, inp.sup_utils(p)[k])) {
                    *c = nc;
                }
            }
        }
    }

    /// Undoes [`Engine::move_groups`] for `p` (the groups go back to the
    /// classes of `es`), the last round applied to `cls`.
    fn unmove_groups(&mut self, p: usize, es: &[Entry], base: u32) {
        let inp = self.inp;
        let mut dense = std::mem::take(&mut self.dense);
        let top = base as usize + es.len();
        if dense.len() < top {
            dense.resize(top, u32::MAX);
        }
        for (i, e) in es.iter().enumerate() {
            dense[base as usize + i] = e.class;
        }
        for &g in inp.sup(p) {
            let c = &mut self.cls[g as usize][0];
            if (base..top as u32).contains(c) {
                *c = dense[*c as usize];
            }
        }
        self.dense = dense;
    }

    /// Brings `cls` to the classes after `target` rounds: forward with this
    /// run's rounds in `tr`, or back with the previous run's (rounds this
    /// run has not reached yet, `here` holding round `t`'s entries). Back is
    /// only asked while this run follows the previous one.
    fn sync_groups(
        &mut self,
        target: usize,
        synced: &mut usize,
        tr: &Trace<S>,
        t: usize,
        here: &RoundEntries,
    ) {
        let winner_entries = |j: usize| -> (usize, u32, &[Entry]) {
            let r = &tr.rounds[j];
            let (cached, es) = if j == t {
                (&here.cached, &here.es)
            } else {
                (&r.cached, &r.es)
            };
            let w = cached.iter().find(|c| c.0 == r.winner);
            let &(_, s, e) = w.expect("a round's winner was examined");
            (r.winner, r.base, &es[s as usize..e as usize])
        };
        while *synced < target {
            let (p, base, es) = winner_entries(*synced);
            self.move_groups(p, es, base);
            *synced += 1;
        }
        while *synced > target {
            let (p, base, es) = winner_entries(*synced - 1);
            self.unmove_groups(p, es, base);
            *synced -= 1;
        }
    }

    /// One run of the method.
    ///
    /// With a `trace`, the run leaves in it what the next run needs, and if
    /// the trace holds a run with *more* money per voter (`valid`), this run
    /// reuses it while it funds the same projects in the same order: see
    /// [`Trace`] for why that is sound. Decisions are the same as without a
    /// trace; only the work to reach them shrinks.
    fn run(
        &mut self,
        ranks: &[usize],
        mut trace: Option<&mut Trace<S>>,
    ) -> Result<RunOut, Uncertain> {
        let inp = self.inp;
        let m = inp.costs.len();
        let mut selected: Vec<usize> = inp.free.clone();
        let mut ties = Vec::new();
        let mut remaining: Vec<usize> = inp.candidates.clone();
        // Lower bounds on each project's rho (rho only grows).
        let mut stale: Vec<Option<Rho<S>>> = vec![None; m];
        for &p in &remaining {
            stale[p] = Some(Rho {
                num: S::from_ratio(u128::from(inp.costs[p]), 1),
                den: inp.total_util[p],
            });
        }
        // The previous run's rounds, while this run has funded the same
        // projects in the same order (`follow`).
        let (prev_rounds, richer) = match trace.as_deref_mut() {
            Some(tr) if tr.valid => {
                tr.valid = false;
                (Some(tr.len), tr.richer)
            }
            _ => (None, false),
        };
        let mut follow = prev_rounds.is_some();
        // Rounds whose group moves are in `cls`: with a trace, groups move
        // only when a round must scan supporters.
        let mut synced = if prev_rounds.is_some() {
            self.cls_rounds
        } else {
            0
        };
        let mut dropped = vec![false; m];
        let mut round = 0usize;
        let mut keyed: Vec<(f64, usize)> = Vec::new();
        let mut tied: Vec<usize> = Vec::new();
        let mut kept_poor: Vec<bool> = Vec::new();
        let mut steps = Vec::new();
        let mut barred = Vec::new();
        // The constraints' state: the must_fund and free projects funded,
        // money held back out of what the voters' shares add up to.
        let mut limits = self.plan.map(|plan| {
            let paid = State::new(plan).spent;
            let shares = self.share.0 * inp.n_voters / self.share.1.max(1);
            let mut st = State::with_budget(plan, paid + shares);
            for &p in &inp.free {
                st.fund(p);
            }
            st
        });
        loop {
            round += 1;
            let t = round - 1;
            // The candidates a constraint now forbids leave the run. What
            // is forbidden depends on the projects funded so far and, for
            // the hold-back, on the money the shares add up to: a run with
            // less money forbids at least what a richer one forbade after
            // the same rounds, or cannot afford it (it costs more than all
            // the money left), so the trace stays valid (see [`Trace`]).
            if let Some(st) = &limits {
                let mut any = false;
                for &q in &remaining {
                    if let Some(b) = st.check(q) {
                        dropped[q] = true;
                        any = true;
                        if self.record {
                            barred.push((round, q, b));
                        }
                    }
                }
                if any {
                    remaining.retain(|&q| !dropped[q]);
                }
            }
            if follow && prev_rounds.is_some_and(|n| t >= n) {
                if richer {
                    // With more money nothing was affordable here, so
                    // nothing is with less.
                    break;
                }
                follow = false;
            }
            // This round's entries: the previous run's while following
            // it (same classes), else none yet.
            let mut here = match trace.as_deref_mut() {
                Some(tr) => {
                    if tr.rounds.len() <= t {
                        tr.rounds.push(TraceRound::default());
                    }
                    let r = &mut tr.rounds[t];
                    if !follow {
                        r.cached.clear();
                        r.es.clear();
                        r.poor.clear();
                    } else if !richer {
                        // Who paid all they had with less money says
                        // nothing about this run.
                        r.poor.fill(false);
                    }
                    RoundEntries {
                        cached: std::mem::take(&mut r.cached),
                        es: std::mem::take(&mut r.es),
                        poor: std::mem::take(&mut r.poor),
                    }
                }
                None => {
                    let mut r = RoundEntries {
                        cached: std::mem::take(&mut self.cached),
                        es: std::mem::take(&mut self.arena),
                        poor: std::mem::take(&mut self.arena_poor),
                    };
                    r.cached.clear();
                    r.es.clear();
                    r.poor.clear();
                    r
                }
            };
            // And the previous run's lower bounds for this round.
            if let (true, true, Some(tr)) = (follow, richer, trace.as_deref()) {
                let r = &tr.rounds[t];
                for &q in &remaining {
                    let bound = if q == r.winner {
                        r.rho.as_ref()
                    } else {
                        tr.bounds[t * m + q].as_ref()
                    };
                    match bound {
                        None => dropped[q] = true,
                        Some(l) => {
                            let better = stale[q].as_ref().is_none_or(|s| {
                                l.num.approx() * u128_approx(s.den)
                                    > s.num.approx() * u128_approx(l.den)
                            });
                            if better {
                                stale[q] = Some(l.clone());
                            }
                        }
                    }
                }
                remaining.retain(|&q| !dropped[q]);
            }
            keyed.clear();
            keyed.extend(remaining.iter().map(|&p| {
                let k = stale[p]
                    .as_ref()
                    .map(|r| r.num.approx() / u128_approx(r.den))
                    .unwrap_or(f64::INFINITY);
                (k, p)
            }));
            // A total order (keys are distinct), so an unstable sort gives
            // the same list, without the scratch buffer of a stable one.
            keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            remaining.clear();
            remaining.extend(keyed.iter().map(|x| x.1));
            let mut best: Option<Rho<S>> = None;
            // A float at least `best` (see `surely_above`).
            let mut best_hi = f64::INFINITY;
            // The best project so far, while it is alone, and its entries.
            let mut best_at: Option<(usize, std::ops::Range<usize>)> = None;
            tied.clear();
            let mut any_dropped = false;
            for &p in &remaining {
                if let (Some(b), Some(s)) = (&best, &stale[p]) {
                    if surely_above(s, best_hi) || rho_cmp(s, b).ok() == Some(Ordering::Greater) {
                        continue;
                    }
                }
                let (got, range) =
                    self.evaluate(p, t, true, &mut here, trace.as_deref(), &mut synced)?;
                match got {
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
                                best_hi = rho_bound(&rho, 1.0);
                                best = Some(rho.clone());
                                tied.clear();
                                tied.push(p);
                                std::mem::swap(&mut self.poor, &mut kept_poor);
                                std::mem::swap(&mut self.live, &mut self.kept_live);
                                best_at = Some((p, range));
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
            let Some(best) = best else {
                self.put_back(here, trace.as_deref_mut(), t);
                break;
            };
            let chosen = resolve_tie(
                &mut tied,
                ranks,
                round,
                "equal shares",
                "equal affordability (rho)".to_string(),
                &mut ties,
            );
            let (rho, range) = match best_at {
                Some((p, range)) if p == chosen => {
                    std::mem::swap(&mut self.poor, &mut kept_poor);
                    std::mem::swap(&mut self.live, &mut self.kept_live);
                    (best, range)
                }
                _ => {
                    // Evaluate the chosen project again (the same
                    // computation as above, so the same rho and the same
                    // poor supporters).
                    let (got, range) =
                        self.evaluate(chosen, t, false, &mut here, trace.as_deref(), &mut synced)?;
                    let Some(rho) = got else {
                        return Err(Uncertain);
                    };
                    (rho, range)
                }
            };
            let base = self.budgets.len() as u32;
            let poor = std::mem::take(&mut self.poor);
            let (poor_n, rich_n) = self.charge(chosen, &here.es[range.clone()], &poor, &rho);
            self.poor = poor;
            if trace.is_none() {
                self.move_groups(chosen, &here.es[range.clone()], base);
                synced = t + 1;
            }
            selected.push(chosen);
            if let Some(st) = &mut limits {
                st.fund(chosen);
            }
            if self.record {
                steps.push(self.step(chosen, &rho, poor_n, rich_n, &selected));
            }
            remaining.retain(|&p| p != chosen);
            if let Some(tr) = trace.as_deref_mut() {
                if follow && tr.rounds[t].winner != chosen {
                    // The previous run's later rounds no longer apply:
                    // bring the groups to this round now, while its rounds
                    // are still there to undo.
                    self.sync_groups(t, &mut synced, tr, t, &here);
                    self.move_groups(chosen, &here.es[range], base);
                    synced = t + 1;
                    follow = false;
                }
                let r = &mut tr.rounds[t];
                r.winner = chosen;
                r.rho = Some(rho);
                r.base = base;
                if tr.bounds.len() < (t + 1) * m {
                    tr.bounds.resize((t + 1) * m, None);
                }
                let row = &mut tr.bounds[t * m..(t + 1) * m];
                row.fill(None);
                for &q in &remaining {
                    row[q].clone_from(&stale[q]);
                }
            }
            self.put_back(here, trace.as_deref_mut(), t);
        }
        if let Some(tr) = trace {
            tr.len = selected.len() - inp.free.len();
            if synced > tr.len {
                // Rounds of the previous run this one did not have.
                let none = RoundEntries {
                    cached: Vec::new(),
                    es: Vec::new(),
                    poor: Vec::new(),
                };
                self.sync_groups(tr.len, &mut synced, tr, usize::MAX, &none);
            }
            self.cls_rounds = synced;
            tr.bounds.truncate(tr.len * m);
            tr.valid = true;
        }
        Ok(RunOut {
            selected,
            ties,
            steps,
            barred,
        })
    }

    /// Returns a round's entry buffers to where they came from.
    fn put_back(&mut self, here: RoundEntries, trace: Option<&mut Trace<S>>, t: usize) {
        match trace {
            Some(tr) => {
                let r = &mut tr.rounds[t];
                r.cached = here.cached;
                r.es = here.es;
                r.poor = here.poor;
            }
            None => {
                self.cached = here.cached;
                self.arena = here.es;
                self.arena_poor = here.poor;
            }
        }
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

/// The engines of a count, kept from run to run so that Add1's reruns
/// allocate nothing, and the trace the runs hand down.
struct Runner<'a> {
    inp: &'a MesInput,
    guarded: Engine<'a, Guarded>,
    exact: Option<Engine<'a, Exact>>,
    trace: Trace<Guarded>,
}

impl<'a> Runner<'a> {
    fn new(inp: &'a MesInput, plan: Option<&'a Plan>) -> Self {
        let mut guarded = Engine::new(inp, 0, 1);
        guarded.plan = plan;
        Runner {
            inp,
            guarded,
            exact: None,
            trace: Trace::default(),
        }
    }

    /// Decides one run: guarded floats first, exact rationals if any
    /// comparison was too close to call. Returns the run and whether it
    /// needed exact arithmetic.
    ///
    /// With `warm`, the previous call was a run with more money per voter,
    /// and its trace is reused in full; otherwise only its entries are
    /// (see [`Trace`]). Either way the run leaves its own trace.
    ///
    /// With `record`, the run also explains itself: each funded project's
    /// rho and the remaining shares after it, in the arithmetic that
    /// decided the run (exact fractions when the run was exact; otherwise
    /// decimals from the guarded floats, whose error bound is far below the
    /// digits shown). A recorded run neither uses nor leaves a trace.
    fn run(
        &mut self,
        share_num: u128,
        share_den: u128,
        ranks: &[usize],
        record: bool,
        warm: bool,
    ) -> Result<(RunOut, bool), Undecided> {
        let eng = &mut self.guarded;
        if record {
            // The run moves the groups but leaves no trace.
            self.trace.valid = false;
        }
        eng.reset(share_num, share_den, self.trace.valid);
        eng.record = record;
        self.trace.richer = warm;
        let trace = (!record).then_some(&mut self.trace);
        if let Ok(out) = eng.run(ranks, trace) {
            return Ok((out, false));
        }
        self.trace.valid = false;
        let inp = self.inp;
        let plan = self.guarded.plan;
        let eng = self.exact.get_or_insert_with(|| {
            let mut eng = Engine::new(inp, share_num, share_den);
            eng.plan = plan;
            eng
        });
        eng.reset(share_num, share_den, false);
        eng.record = record;
        // Exact comparisons always answer, so this cannot fail; if it ever
        // did, the count stops with an error rather than guess.
        eng.run(ranks, None)
            .map(|out| (out, true))
            .map_err(|Uncertain| Undecided)
    }
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
    count_limited(inp, ranks, add1, money_scale, None)
}

/// [`count`] under constraints (`plan`). `inp` must be built with the
/// must_fund projects paid first (see [`MesInput::paying_first`]): the
/// voters' shares come from what is left.
///
/// Before each round, every candidate a constraint forbids given the
/// projects funded so far (the must_fund ones and zero-cost ones
/// included) leaves the run, and its supporters keep their money; it is
/// reported before that round. Add1 raises the shares as without
/// constraints; a run's outcome is *exhaustive* when every project not
/// funded does not fit the money left or is forbidden by a constraint,
/// and the raising also ends, as it does when every project is funded,
/// once every candidate is funded or forbidden (with more money nothing
/// else could be bought).
pub fn count_limited(
    inp: &MesInput,
    ranks: &[usize],
    add1: Add1,
    money_scale: u32,
    plan: Option<&Plan>,
) -> Result<RuleResult, Undecided> {
    // Zero-cost projects are funded first, in order, unless a constraint
    // forbids them.
    let mut barred_free = Vec::new();
    let owned;
    let inp = match plan {
        Some(plan) if !inp.free.is_empty() => {
            let mut st = State::new(plan);
            let mut free = Vec::new();
            for &p in &inp.free {
                match st.check(p) {
                    None => {
                        st.fund(p);
                        free.push(p);
                    }
                    Some(b) => barred_free.push((1, p, b)),
                }
            }
            let mut copy = inp.clone();
            copy.free = free;
            owned = copy;
            &owned
        }
        _ => inp,
    };
    // Whether nothing else could be funded after a run with the shares
    // adding up to `shares` that funded `selected`: (every candidate
    // funded or out; every candidate funded, out or too dear for what is
    // left). A candidate is *out* when a constraint forbids it before some
    // round of that history; this depends on the history alone, not on
    // which projects the run found unaffordable on the way (which a run
    // that reuses a trace may not have looked at).
    let finished = |selected: &[usize], shares: u128, cost: u128| -> (bool, bool) {
        let mut sel = vec![false; inp.costs.len()];
        for &p in selected {
            sel[p] = true;
        }
        if let Some(plan) = plan {
            let paid = State::new(plan).spent;
            let mut st = State::with_budget(plan, paid + shares);
            let mut open: Vec<usize> = inp
                .candidates
                .iter()
                .copied()
                .filter(|&p| !sel[p])
                .collect();
            let mut out = Vec::new();
            for at in 0..=selected.len() {
                open.retain(|&q| {
                    let barred = st.check(q).is_some();
                    if barred {
                        out.push(q);
                    }
                    !barred
                });
                if let Some(&p) = selected.get(at) {
                    st.fund(p);
                }
            }
            for p in out {
                sel[p] = true;
            }
        }
        let budget = u128::from(inp.budget);
        let (mut all, mut exhaustive) = (true, true);
        for &p in &inp.candidates {
            if sel[p] {
                continue;
            }
            all = false;
            if cost + u128::from(inp.costs[p]) <= budget {
                exhaustive = false;
                break;
            }
        }
        (all, exhaustive)
    };
    let n = inp.n_voters.max(1);
    let budget = u128::from(inp.budget);
    // Per-voter share = share_num / n.
    let mut share_num = budget;
    let unit = 10u128.pow(money_scale); // "one money unit" in scaled money
    let mut iterations = 0u64;
    let mut exact_runs = 0u64;
    let mut stop_reason = "single run";
    let mut final_share = share_num;
    let mut runner = Runner::new(inp, plan);
    if add1 != Add1::Off && inp.n_voters > 0 {
        // Step k raises the share by k money units. The steps are decided
        // in blocks, each from its highest step down, so that every run but
        // the first of a block reuses the trace of the run just above it;
        // then the block's outcomes are checked from its lowest step up,
        // exactly as a step-by-step loop would, and the count stops at the
        // same step. Blocks grow from 1 to 32 steps: past the stopping step
        // at most 31 runs are wasted.
        let mut prev: Option<(Vec<usize>, u128)> = None;
        let mut first = 0u128;
        let mut size = 1u128;
        let mut block: Vec<(Vec<usize>, bool)> = Vec::new();
        'blocks: loop {
            block.clear();
            for i in (0..size).rev() {
                let share = budget + (first + i) * unit * n;
                let (out, exact) = runner.run(share, n, ranks, false, i + 1 < size)?;
                block.push((out.selected, exact));
            }
            block.reverse();
            for (i, (selected, exact)) in block.drain(..).enumerate() {
                share_num = budget + (first + i as u128) * unit * n;
                iterations += 1;
                if exact {
                    exact_runs += 1;
                }
                let cost = total_cost(inp, &selected);
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
                    break 'blocks;
                }
                // What the shares add up to (`share_num / n` each).
                let shares = share_num * inp.n_voters / n;
                let (everything, exhaustive) = finished(&selected, shares, cost);
                if add1 == Add1::StopWhenExhaustive && exhaustive {
                    stop_reason = "outcome is exhaustive";
                    final_share = share_num;
                    break 'blocks;
                }
                if everything {
                    stop_reason = "every supported project is funded";
                    final_share = share_num;
                    break 'blocks;
                }
                prev = Some((selected, share_num));
            }
            first += size;
            size = (size * 2).min(32);
        }
    }
    let (mut out, exact) = runner.run(final_share, n, ranks, true, false)?;
    if exact {
        exact_runs += 1;
    }
    let steps = std::mem::take(&mut out.steps);
    let mut barred = barred_free;
    barred.append(&mut out.barred);
    let mut res = RuleResult {
        selected: out.selected,
        ties: out.ties,
        ..Default::default()
    };
    let mut barred = barred.into_iter().peekable();
    for i in 0..=steps.len() {
        // The projects a constraint took out before this round.
        while let Some((_, p, b)) = barred.next_if(|x| x.0 <= i + 1) {
            if let Some(plan) = plan {
                let told = plan.tell(p, &b);
                let mut row = json!({
                    "phase": "constraints",
                    "round": i + 1,
                    "project": inp.ids[p],
                    "cost": format_money(inp.costs[p], money_scale),
                });
                res.passed_over.push((p, told.constraint.clone()));
                told.put(&mut row);
                res.rounds.push(row);
            }
        }
        let Some(s) = steps.get(i) else { break };
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

    /// Every run that reuses a trace decides exactly as a run from scratch:
    /// the same projects in the same order, the same ties. Runs go down
    /// from `steps - 1` to 0, each reusing all of the run above (as Add1's
    /// blocks do), and up again, each reusing only the entries of the run
    /// below (as the first run of a block does).
    fn check_warm_runs(e: &Election, steps: u128) {
        check_warm_runs_limited(e, steps, None)
    }

    /// Warm runs (reusing the trace of the run above) take the decisions
    /// of cold runs, under constraints too.
    fn check_warm_runs_limited(e: &Election, steps: u128, plan: Option<&Plan>) {
        let cfg = RuleConfig::new(Rule::Mes {
            utility: MesUtility::Cost,
            add1: Add1::Off,
            greedy_completion: false,
            comparison: false,
        });
        let paid = plan.map(|p| p.must_fund.clone()).unwrap_or_default();
        let inp = MesInput::from_election(e, &cfg, MesUtility::Cost).paying_first(&paid);
        let ranks: Vec<usize> = (0..inp.costs.len()).collect();
        let n = inp.n_voters.max(1);
        let unit = 10u128.pow(e.money_scale);
        let share = |k: u128| u128::from(inp.budget) + k * unit * n;
        let fresh = |k: u128| {
            Runner::new(&inp, plan)
                .run(share(k), n, &ranks, false, false)
                .expect("decides")
                .0
        };
        let mut runner = Runner::new(&inp, plan);
        let down = (0..steps).rev().map(|k| (k, k + 1 < steps));
        let up = (0..steps).map(|k| (k, false));
        for (k, warm) in down.chain(up) {
            let (a, _) = runner
                .run(share(k), n, &ranks, false, warm)
                .expect("decides");
            let b = fresh(k);
            assert_eq!(a.selected, b.selected, "step {k}, warm {warm}");
            assert_eq!(
                format!("{:?}", a.ties),
                format!("{:?}", b.ties),
                "step {k}, warm {warm}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(64))]
        /// The same on random elections, approval (one utility per
        /// project) and cumulative (utilities that differ between voters).
        #[test]
        fn warm_runs_decide_as_cold_runs_on_random_elections(
            costs in proptest::collection::vec(1u64..60, 2..9),
            budget in 20u64..150,
            votes in proptest::collection::vec(
                proptest::collection::vec((0usize..9, 1u64..5), 1..5), 1..40),
            cumulative in proptest::bool::ANY,
        ) {
            let mut text = format!(
                "META\nkey;value\nbudget;{budget}\nvote_type;{}\nPROJECTS\nproject_id;cost\n",
                if cumulative { "cumulative" } else { "approval" }
            );
            for (i, c) in costs.iter().enumerate() {
                text.push_str(&format!("p{i};{c}\n"));
            }
            text.push_str(if cumulative { "VOTES\nvoter_id;vote;points\n" } else { "VOTES\nvoter_id;vote\n" });
            for (v, vote) in votes.iter().enumerate() {
                let mut seen = std::collections::BTreeMap::new();
                for &(p, pts) in vote {
                    seen.insert(p % costs.len(), pts);
                }
                let ids: Vec<String> = seen.keys().map(|p| format!("p{p}")).collect();
                let pts: Vec<String> = seen.values().map(u64::to_string).collect();
                if cumulative {
                    text.push_str(&format!("v{v};{};{}\n", ids.join(","), pts.join(",")));
                } else {
                    text.push_str(&format!("v{v};{}\n", ids.join(",")));
                }
            }
            let e = crate::pb::parse(&text).expect("a valid file");
            check_warm_runs(&e, 25);
        }

        #[test]
        fn warm_runs_decide_as_cold_runs_under_constraints(
            costs in proptest::collection::vec(1u64..60, 2..9),
            cats in proptest::collection::vec(0usize..3, 9),
            budget in 20u64..150,
            votes in proptest::collection::vec(
                proptest::collection::vec(0usize..9, 1..5), 1..40),
            max in (0usize..3, 0u64..100),
            min in proptest::option::of((0usize..3, 0u64..60)),
            excl in proptest::option::of((0usize..9, 0usize..9)),
            must in proptest::option::of(0usize..9),
        ) {
            let names = ["x", "y", "z"];
            let m = costs.len();
            let mut text = format!(
                "META\nkey;value\nbudget;{budget}\nvote_type;approval\nPROJECTS\nproject_id;cost;category\n"
            );
            for (i, c) in costs.iter().enumerate() {
                text.push_str(&format!("p{i};{c};{}\n", names[cats[i]]));
            }
            text.push_str("VOTES\nvoter_id;vote\n");
            for (v, vote) in votes.iter().enumerate() {
                let set: std::collections::BTreeSet<usize> = vote.iter().map(|p| p % m).collect();
                let ids: Vec<String> = set.iter().map(|p| format!("p{p}")).collect();
                text.push_str(&format!("v{v};{}\n", ids.join(",")));
            }
            let e = crate::pb::parse(&text).expect("a valid file");
            let mut c = serde_json::json!({"category_max": {names[max.0]: format!("{}%", max.1)}});
            if let Some((k, x)) = min {
                c["category_min"] = serde_json::json!({names[k]: x});
            }
            if let Some((a, b)) = excl {
                if a % m != b % m {
                    c["exclusive"] = serde_json::json!([[format!("p{}", a % m), format!("p{}", b % m)]]);
                }
            }
            if let Some(p) = must {
                c["must_fund"] = serde_json::json!([format!("p{}", p % m)]);
            }
            let Ok(spec) = crate::constraints::Constraints::from_json(&c) else { return Ok(()) };
            let Ok(plan) = Plan::new(&spec, &e) else { return Ok(()) };
            check_warm_runs_limited(&e, 25, Some(&plan));
        }
    }

    #[test]
    fn warm_runs_decide_as_cold_runs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/pabulib");
        for name in [
            "Poland_Wieliczka_2023_Green_Budget.pb",
            "Netherlands_Assen_2024.pb",
            "Poland_Warszawa_2022_Bielany.pb",
        ] {
            let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
            let e = crate::pb::parse(&text).expect("parses");
            check_warm_runs(&e, 60);
        }
    }

    /// The float pre-test before skipping a project says yes only where
    /// the guarded comparison answers `Greater`: on rhos far apart, close
    /// (relative gaps down to 2^-45) and equal, with error bounds from
    /// none to large.
    #[test]
    fn surely_above_implies_the_guarded_comparison() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        let mut rhos: Vec<Rho<Guarded>> = Vec::new();
        for _ in 0..200 {
            let num = u128::from(1 + next(1 << 45));
            let den = u128::from(1 + next(1 << 30));
            let exact = Guarded::from_ratio(num, 1);
            let inexact = Guarded::from_ratio(num * 1000 + 1, 1000 + u128::from(next(3)));
            let noisy = inexact.sub_weighted((0..next(5000)).map(|_| (&inexact, 0)));
            for x in [exact, inexact, noisy] {
                rhos.push(Rho { num: x, den });
                let near = x.add(&Guarded::from_ratio(1 + u128::from(next(4)), 1 << next(20)));
                rhos.push(Rho { num: near, den });
            }
        }
        let mut skipped = 0;
        for s in &rhos {
            for b in &rhos {
                if surely_above(s, rho_bound(b, 1.0)) {
                    skipped += 1;
                    assert_eq!(rho_cmp(s, b).ok(), Some(Ordering::Greater));
                }
            }
        }
        assert!(skipped > 0);
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
