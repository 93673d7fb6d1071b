//! The election model: projects, budget, ballots and ballot constraints.
//!
//! **Invariant:** an [`Election`] that exists is consistent: every ballot
//! refers to projects by index into [`Election::projects`], project ids are
//! unique, and amounts are integers in the election's smallest money unit
//! (see [`Election::money_scale`]).

/// Money in the smallest unit used by the election (after applying
/// [`Election::money_scale`]). Never a float.
pub type Money = u64;

/// One project on the ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// The id as written in the input (compared as a string).
    pub id: String,
    /// Cost in the election's money unit.
    pub cost: Money,
    pub name: Option<String>,
    pub category: Option<String>,
    /// Every other column of the input, in input order (`votes`, `score`,
    /// `selected`, coordinates...). Kept so the writer can round-trip a file.
    pub extra: Vec<(String, String)>,
}

impl Project {
    /// The value of an extra column, if present and not empty.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// The kind of ballot voters cast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteType {
    /// Approve any number of projects (within the length limits).
    Approval,
    /// Approve exactly one project.
    Choose1,
    /// Approve projects whose total cost stays within a spending limit.
    Knapsack,
    /// Rate projects on a scale (pabulib `scoring`).
    Scoring,
    /// Distribute points (a maximum per project and in total).
    Cumulative,
    /// Distribute an amount of money among projects.
    Allocation,
    /// Rank projects (possibly truncated).
    Ordinal,
}

impl VoteType {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "approval" => Self::Approval,
            "choose-1" => Self::Choose1,
            "knapsack" => Self::Knapsack,
            "scoring" => Self::Scoring,
            "cumulative" => Self::Cumulative,
            "allocation" | "money-allocation" => Self::Allocation,
            "ordinal" => Self::Ordinal,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approval => "approval",
            Self::Choose1 => "choose-1",
            Self::Knapsack => "knapsack",
            Self::Scoring => "scoring",
            Self::Cumulative => "cumulative",
            Self::Allocation => "allocation",
            Self::Ordinal => "ordinal",
        }
    }

    /// Ballots that say only "yes" to projects.
    pub fn is_approval_like(self) -> bool {
        matches!(self, Self::Approval | Self::Choose1 | Self::Knapsack)
    }

    /// Ballots that carry a number per project.
    pub fn has_points(self) -> bool {
        matches!(self, Self::Scoring | Self::Cumulative | Self::Allocation)
    }
}

/// One voter's ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    pub voter_id: String,
    /// Project indices, in the order written (the rank order for ordinal
    /// ballots). No duplicates.
    pub projects: Vec<usize>,
    /// Points per listed project (same length as `projects`) for scoring,
    /// cumulative and allocation ballots.
    pub points: Option<Vec<u64>>,
    /// The values of [`Election::ballot_columns`] for this ballot, as one
    /// row fragment the way the `.pb` writer writes them: each value
    /// quoted if it needs to be, joined by `;` (empty when there are no
    /// such columns). Kept raw, not split per column, so reading a file
    /// costs one string per ballot; [`Ballot::extra_values`] splits it.
    pub extra: String,
}

impl Ballot {
    /// The values of [`Election::ballot_columns`] for this ballot, one
    /// per column as far as the ballot has them.
    pub fn extra_values(&self) -> Vec<String> {
        crate::pb::split_record(&self.extra)
    }
}

/// The constraints a valid ballot had to respect, as published.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BallotConstraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_points: Option<u64>,
    pub max_points: Option<u64>,
    pub min_sum_points: Option<u64>,
    pub max_sum_points: Option<u64>,
    pub max_sum_cost: Option<Money>,
}

/// An election: what is counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Election {
    /// Every META row, in input order (keys as written).
    pub meta: Vec<(String, String)>,
    /// The other VOTES columns (`age`, `sex`, `voting_method`...), in input
    /// order; each ballot's `extra` holds its values.
    pub ballot_columns: Vec<String>,
    pub budget: Money,
    /// Amounts were multiplied by `10^money_scale` to make them integers
    /// (0 for nearly every real file).
    pub money_scale: u32,
    pub vote_type: VoteType,
    pub projects: Vec<Project>,
    pub ballots: Vec<Ballot>,
    pub constraints: BallotConstraints,
}

impl Election {
    /// A META value by key (case-insensitive key match).
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The project index of an id.
    pub fn project_index(&self, id: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.id == id)
    }

    /// Points given to each position of an ordinal ballot when none are
    /// configured: the Kraków rule, `max_length` points for the first
    /// choice, one less for each next one (Borda-style).
    pub fn default_rank_points(&self) -> Vec<u64> {
        let len = self
            .constraints
            .max_length
            .map(|l| l as usize)
            .unwrap_or_else(|| {
                self.ballots
                    .iter()
                    .map(|b| b.projects.len())
                    .max()
                    .unwrap_or(0)
            })
            .min(self.projects.len().max(1));
        (0..len).map(|i| (len - i) as u64).collect()
    }
}
