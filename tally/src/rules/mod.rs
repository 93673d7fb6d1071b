//! The counting rules and their configuration.
//!
//! Each rule takes an [`Election`] and a [`RuleConfig`] and returns a
//! [`RuleResult`]: the funded projects in the order they were funded, the
//! ties met on the way and a round-by-round explanation.

pub mod greedy;
pub mod mes;
pub mod phragmen;

use crate::constraints::Constraints;
use crate::model::{Election, VoteType};
use crate::tiebreak::TieBreak;
use serde_json::{json, Value};

/// Which greedy variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GreedyVariant {
    /// Skip a project that no longer fits and carry on down the list.
    Skip,
    /// Stop at the first project that does not fit.
    NoSkip,
    /// Like `Skip`, but a project needs at least `threshold` support.
    Threshold(u64),
    /// Like `NoSkip`, but a project needs at least `threshold` support
    /// (projects below it are passed over without stopping).
    NoSkipThreshold(u64),
    /// Like `NoSkip`; then the project that stopped the count is funded
    /// from a reserve outside the budget when the money left covers at
    /// least this percentage of its cost (Poznań's rule, as its files'
    /// comments describe it). The reserve's project is reported in the
    /// result's `details.reserve`, not among the projects the budget funds.
    NoSkipReserve(u8),
}

/// How the Method of Equal Shares measures a voter's gain from a project
/// on approval ballots (cardinal ballots always use their points).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MesUtility {
    /// Utility = the project's cost (equalshares.net and pabutools `Cost_Sat`).
    Cost,
    /// Utility = 1 per approved project (pabutools `Cardinality_Sat`).
    Cardinality,
}

/// The Add1 completion of the Method of Equal Shares: rerun with every
/// voter's share raised by one money unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Add1 {
    /// No completion: one run with the budget split equally.
    Off,
    /// Raise until the outcome is exhaustive (stop there) or overspends
    /// (take the previous outcome). pabutools' `voter_budget_increment=1`.
    StopWhenExhaustive,
    /// Raise until the outcome would overspend and take the last feasible
    /// outcome, even past exhaustive ones (equalshares.net, Wieliczka 2023).
    UntilOverspend,
}

/// A rule with every option that changes its result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    Greedy(GreedyVariant),
    Mes {
        utility: MesUtility,
        add1: Add1,
        /// Afterwards, fund remaining projects greedily by support.
        greedy_completion: bool,
        /// Equalshares.net comparison step: if strictly more voters approve
        /// more projects of the greedy outcome than of this one, use greedy.
        comparison: bool,
    },
    Phragmen,
}

/// Everything that determines a count besides the election itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleConfig {
    pub rule: Rule,
    pub tie_break: TieBreak,
    /// Points per rank position for ordinal ballots (first = top choice).
    /// `None`: `max_length` points for the first, one less for each next.
    pub rank_points: Option<Vec<u64>>,
    /// The council's constraints (see [`crate::constraints`]). `None`:
    /// those the election's META carries under `constraints`, if any;
    /// `Some` replaces them (an empty set counts without any).
    pub constraints: Option<Constraints>,
}

impl RuleConfig {
    pub fn new(rule: Rule) -> Self {
        RuleConfig {
            rule,
            tie_break: TieBreak::default(),
            rank_points: None,
            constraints: None,
        }
    }

    /// The exact variant, as named in the output.
    pub fn rule_name(&self) -> String {
        match &self.rule {
            Rule::Greedy(GreedyVariant::Skip) => "greedy".into(),
            Rule::Greedy(GreedyVariant::NoSkip) => "greedy-no-skip".into(),
            Rule::Greedy(GreedyVariant::Threshold(t)) => format!("greedy-threshold:{t}"),
            Rule::Greedy(GreedyVariant::NoSkipThreshold(t)) => {
                format!("greedy-no-skip-threshold:{t}")
            }
            Rule::Greedy(GreedyVariant::NoSkipReserve(pct)) => {
                format!("greedy-no-skip-reserve:{pct}")
            }
            Rule::Mes {
                utility,
                add1,
                greedy_completion,
                comparison,
            } => {
                let mut s = String::from("mes");
                s.push_str(match utility {
                    MesUtility::Cost => "",
                    MesUtility::Cardinality => "-cardinality",
                });
                s.push_str(match add1 {
                    Add1::Off => "",
                    Add1::StopWhenExhaustive => "-add1",
                    Add1::UntilOverspend => "-add1-no-early-stop",
                });
                if *greedy_completion {
                    s.push_str("+greedy");
                }
                if *comparison {
                    s.push_str("+comparison");
                }
                s
            }
            Rule::Phragmen => "phragmen".into(),
        }
    }

    /// The configuration as canonical JSON (what its SHA-256 covers).
    /// Constraints are not part of it: see [`RuleConfig::to_json_with`].
    pub fn to_json(&self) -> Value {
        json!({
            "rule": self.rule_name(),
            "tie_break": self.tie_break.name(),
            "rank_points": self.rank_points,
        })
    }

    /// The configuration of a count with the constraints in force: those
    /// are written under `constraints` only when there are some, so a
    /// count without constraints is described exactly as before.
    pub fn to_json_with(&self, constraints: Option<&Constraints>) -> Value {
        let mut v = self.to_json();
        if let Some(c) = constraints.filter(|c| !c.is_empty()) {
            v["constraints"] = c.to_json();
        }
        v
    }
}

/// A tie met during the count, and how it was resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    /// Round (1-based) or position in the greedy order.
    pub round: usize,
    pub phase: &'static str,
    /// The tied projects (indices), in tie-break order.
    pub tied: Vec<usize>,
    pub chosen: usize,
    pub reason: String,
}

/// What a rule returns.
#[derive(Clone, Debug, Default)]
pub struct RuleResult {
    /// Funded projects, in funding order.
    pub selected: Vec<usize>,
    pub ties: Vec<Tie>,
    pub rounds: Vec<Value>,
    /// Extra facts about the count (Add1 steps, comparison...).
    pub details: serde_json::Map<String, Value>,
    /// Projects a constraint passed over, with the constraint (empty
    /// without constraints).
    pub passed_over: Vec<(usize, Value)>,
}

/// The support of each project: approvals, sum of points, or sum of rank
/// points for ordinal ballots.
pub fn support(e: &Election, rank_points: &[u64]) -> Vec<u128> {
    let mut s = vec![0u128; e.projects.len()];
    if e.vote_type.has_points() {
        for b in &e.ballots {
            for (&p, &x) in b.projects.iter().zip(b.points.unwrap_or_default()) {
                s[p as usize] += u128::from(x);
            }
        }
    } else if e.vote_type == VoteType::Ordinal {
        for projects in e.ballots.project_lists() {
            for (pos, &p) in projects.iter().enumerate() {
                s[p as usize] += u128::from(rank_points.get(pos).copied().unwrap_or(0));
            }
        }
    } else {
        for projects in e.ballots.project_lists() {
            for &p in projects {
                s[p as usize] += 1;
            }
        }
    }
    s
}

/// The rank points in force for an election and configuration.
pub fn rank_points(e: &Election, cfg: &RuleConfig) -> Vec<u64> {
    cfg.rank_points
        .clone()
        .unwrap_or_else(|| e.default_rank_points())
}

/// Each ballot as projects with their positive utilities, sorted by
/// project, all in flat buffers (no allocation per ballot).
#[derive(Clone, Debug, Default)]
pub struct Utilities {
    projects: Vec<u32>,
    /// The utility of each entry of `projects`; empty when `per_project`
    /// gives them.
    utils: Vec<u64>,
    /// On approval ballots, a project's utility is the same for every
    /// voter (its cost, or 1): then it is stored once per project.
    per_project: Option<Vec<u64>>,
    /// Ballot `i` is `ends[i - 1]..ends[i]` (from 0 for the first).
    ends: Vec<u32>,
}

/// One ballot of [`Utilities`]: its projects and their utilities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtilityBallot<'a> {
    pub projects: &'a [u32],
    /// One per project, or empty when [`Utilities::per_project`] gives them.
    pub utils: &'a [u64],
}

impl Utilities {
    /// Number of ballots.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The utility of each project, when it is the same for every voter.
    pub fn per_project(&self) -> Option<&[u64]> {
        self.per_project.as_deref()
    }

    /// Ballot `i`.
    ///
    /// # Panics
    /// If `i` is not below [`Utilities::len`].
    pub fn get(&self, i: usize) -> UtilityBallot<'_> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let r = start..self.ends[i] as usize;
        UtilityBallot {
            projects: &self.projects[r.clone()],
            utils: if self.per_project.is_some() {
                &[]
            } else {
                &self.utils[r]
            },
        }
    }

    /// The ballots in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = UtilityBallot<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
}

/// On approval ballots, the utility of each project to each of its
/// supporters (its cost, or 1); `None` for other ballots.
pub fn approval_utilities(e: &Election, approval: MesUtility) -> Option<Vec<u64>> {
    e.vote_type.is_approval_like().then(|| {
        e.projects
            .iter()
            .map(|p| match approval {
                MesUtility::Cost => p.cost,
                MesUtility::Cardinality => 1,
            })
            .collect()
    })
}

/// Each ballot as projects with their positive utilities.
pub fn utilities(e: &Election, cfg: &RuleConfig, approval: MesUtility) -> Utilities {
    let total = e.ballots.total_entries();
    let mut out = Utilities {
        projects: Vec::with_capacity(total),
        utils: Vec::new(),
        per_project: None,
        ends: Vec::with_capacity(e.ballots.len()),
    };
    if let Some(per) = approval_utilities(e, approval) {
        let mut list: Vec<u32> = Vec::new();
        for b in &e.ballots {
            list.clear();
            list.extend(b.projects.iter().filter(|&&p| per[p as usize] > 0));
            list.sort_unstable();
            out.projects.extend_from_slice(&list);
            // At most as many entries as the ballots hold, which fits in u32.
            out.ends.push(out.projects.len() as u32);
        }
        out.per_project = Some(per);
        return out;
    }
    let rp = rank_points(e, cfg);
    out.utils.reserve(total);
    let mut pairs: Vec<(u32, u64)> = Vec::new();
    for b in &e.ballots {
        pairs.clear();
        if e.vote_type == VoteType::Ordinal {
            pairs.extend(
                b.projects
                    .iter()
                    .enumerate()
                    .map(|(pos, &p)| (p, rp.get(pos).copied().unwrap_or(0))),
            );
        } else {
            pairs.extend(
                b.projects
                    .iter()
                    .zip(b.points.unwrap_or_default())
                    .map(|(&p, &x)| (p, x)),
            );
        }
        pairs.retain(|x| x.1 > 0);
        pairs.sort_unstable();
        out.projects.extend(pairs.iter().map(|x| x.0));
        out.utils.extend(pairs.iter().map(|x| x.1));
        out.ends.push(out.projects.len() as u32);
    }
    out
}

/// Orders `tied` by the tie-break ranks and records the tie if there is
/// more than one project.
pub fn resolve_tie(
    tied: &mut [usize],
    ranks: &[usize],
    round: usize,
    phase: &'static str,
    reason: String,
    ties: &mut Vec<Tie>,
) -> usize {
    tied.sort_by_key(|&p| ranks[p]);
    let chosen = tied[0];
    if tied.len() > 1 {
        ties.push(Tie {
            round,
            phase,
            tied: tied.to_vec(),
            chosen,
            reason,
        });
    }
    chosen
}
