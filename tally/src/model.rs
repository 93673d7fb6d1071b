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
    /// `selected`, coordinates, `area`...). Kept so the writer can
    /// round-trip a file.
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

    /// The optional `area` column: the area (or areas, comma-separated)
    /// of a pot the bid belongs to, which `area_max` and `area_min`
    /// constraints bound. It is kept among the other columns, so a file
    /// without it is read and written exactly as before, and one with it
    /// keeps the column where it was.
    pub fn area(&self) -> Option<&str> {
        self.field("area")
    }

    /// Sets the `area` column (`None` removes it).
    pub fn set_area(&mut self, area: Option<&str>) {
        self.extra.retain(|(k, _)| k != "area");
        if let Some(a) = area {
            self.extra.push(("area".into(), a.trim().to_owned()));
        }
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

/// One voter's ballot, owned (for building an election by hand; an
/// election stores its ballots in [`Ballots`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    pub voter_id: String,
    /// Project indices, in the order written (the rank order for ordinal
    /// ballots). No duplicates.
    pub projects: Vec<u32>,
    /// Points per listed project (same length as `projects`) for scoring,
    /// cumulative and allocation ballots.
    pub points: Option<Vec<u64>>,
    /// The values of [`Election::ballot_columns`] for this ballot, as one
    /// row fragment the way the `.pb` writer writes them: each value
    /// quoted if it needs to be, joined by `;` (empty when there are no
    /// such columns).
    pub extra: String,
}

/// One ballot of [`Ballots`], borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BallotRef<'a> {
    pub voter_id: &'a str,
    /// Project indices, in the order written (the rank order for ordinal
    /// ballots). No duplicates.
    pub projects: &'a [u32],
    /// Points per listed project, when the election's ballots carry points.
    pub points: Option<&'a [u64]>,
    /// The other columns, as in [`Ballot::extra`].
    pub extra: &'a str,
}

impl BallotRef<'_> {
    /// The values of [`Election::ballot_columns`] for this ballot, one
    /// per column as far as the ballot has them.
    pub fn extra_values(&self) -> Vec<String> {
        crate::pb::split_record(self.extra)
    }

    pub fn to_ballot(&self) -> Ballot {
        Ballot {
            voter_id: self.voter_id.to_string(),
            projects: self.projects.to_vec(),
            points: self.points.map(<[u64]>::to_vec),
            extra: self.extra.to_string(),
        }
    }
}

/// Why a ballot could not be added to [`Ballots`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BallotsError {
    /// Points were given where the ballots carry none, or missing where
    /// they carry them, or not one per project.
    Points,
    /// More than 2^32 - 1 bytes of voter ids or other columns, or of
    /// project entries.
    TooLarge,
}

impl std::fmt::Display for BallotsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Points => "a ballot's points do not match its projects",
            Self::TooLarge => "too many ballots",
        })
    }
}

impl std::error::Error for BallotsError {}

/// Every ballot of an election, stored flat: a few buffers for all ballots
/// instead of several allocations per ballot (a city's vote has hundreds of
/// thousands of ballots, and reading them is most of a count's work).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ballots {
    with_points: bool,
    voter_ids: String,
    voter_ends: Vec<u32>,
    projects: Vec<u32>,
    project_ends: Vec<u32>,
    /// One per entry of `projects` when `with_points`, else empty.
    points: Vec<u64>,
    extras: String,
    extra_ends: Vec<u32>,
}

fn end_of(len: usize) -> Result<u32, BallotsError> {
    u32::try_from(len).map_err(|_| BallotsError::TooLarge)
}

impl Ballots {
    /// No ballots yet; `with_points` for ballots that carry points
    /// (scoring, cumulative, allocation).
    pub fn new(with_points: bool) -> Self {
        Ballots {
            with_points,
            ..Default::default()
        }
    }

    /// From owned ballots, which must all carry points or all carry none.
    pub fn from_owned(ballots: &[Ballot]) -> Result<Self, BallotsError> {
        let mut out = Ballots::new(ballots.first().is_some_and(|b| b.points.is_some()));
        for b in ballots {
            out.push(BallotRef {
                voter_id: &b.voter_id,
                projects: &b.projects,
                points: b.points.as_deref(),
                extra: &b.extra,
            })?;
        }
        Ok(out)
    }

    pub fn with_points(&self) -> bool {
        self.with_points
    }

    /// Adds a ballot at the end. Nothing is added on an error.
    pub fn push(&mut self, b: BallotRef<'_>) -> Result<(), BallotsError> {
        match (self.with_points, b.points) {
            (false, None) => {}
            (true, Some(p)) if p.len() == b.projects.len() => {}
            _ => return Err(BallotsError::Points),
        }
        let v = end_of(self.voter_ids.len() + b.voter_id.len())?;
        let p = end_of(self.projects.len() + b.projects.len())?;
        let x = end_of(self.extras.len() + b.extra.len())?;
        end_of(self.voter_ends.len() + 1)?;
        self.voter_ids.push_str(b.voter_id);
        self.voter_ends.push(v);
        self.projects.extend_from_slice(b.projects);
        self.project_ends.push(p);
        if let Some(pts) = b.points {
            self.points.extend_from_slice(pts);
        }
        self.extras.push_str(b.extra);
        self.extra_ends.push(x);
        Ok(())
    }

    /// Number of ballots.
    pub fn len(&self) -> usize {
        self.voter_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.voter_ends.is_empty()
    }

    /// Ballot `i` (`None` past the end).
    pub fn get(&self, i: usize) -> Option<BallotRef<'_>> {
        let range = |ends: &[u32]| {
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            start..ends[i] as usize
        };
        if i >= self.len() {
            return None;
        }
        let p = range(&self.project_ends);
        Some(BallotRef {
            voter_id: &self.voter_ids[range(&self.voter_ends)],
            projects: &self.projects[p.clone()],
            points: self.with_points.then(|| &self.points[p]),
            extra: &self.extras[range(&self.extra_ends)],
        })
    }

    /// The ballots in order.
    pub fn iter(&self) -> BallotIter<'_> {
        BallotIter {
            ballots: self,
            next: 0,
            starts: (0, 0, 0),
        }
    }

    /// Every ballot, owned.
    pub fn to_vec(&self) -> Vec<Ballot> {
        self.iter().map(|b| b.to_ballot()).collect()
    }

    /// Each ballot's projects, in order (cheaper than [`Ballots::iter`]
    /// when only the projects are needed).
    pub fn project_lists(&self) -> impl Iterator<Item = &[u32]> + '_ {
        let starts = std::iter::once(0).chain(self.project_ends.iter().copied());
        starts
            .zip(&self.project_ends)
            .map(|(a, &b)| &self.projects[a as usize..b as usize])
    }

    /// The total number of project entries over all ballots.
    pub fn total_entries(&self) -> usize {
        self.projects.len()
    }
}

impl<'a> IntoIterator for &'a Ballots {
    type Item = BallotRef<'a>;
    type IntoIter = BallotIter<'a>;
    fn into_iter(self) -> BallotIter<'a> {
        self.iter()
    }
}

/// The ballots of [`Ballots`] in order.
#[derive(Clone, Debug)]
pub struct BallotIter<'a> {
    ballots: &'a Ballots,
    next: usize,
    /// Where ballot `next` starts in the voter id, project and extra buffers.
    starts: (usize, usize, usize),
}

impl<'a> Iterator for BallotIter<'a> {
    type Item = BallotRef<'a>;

    fn next(&mut self) -> Option<BallotRef<'a>> {
        let b = self.ballots;
        let i = self.next;
        let (v0, p0, x0) = self.starts;
        let v1 = *b.voter_ends.get(i)? as usize;
        let p1 = b.project_ends[i] as usize;
        let x1 = b.extra_ends[i] as usize;
        self.next += 1;
        self.starts = (v1, p1, x1);
        Some(BallotRef {
            voter_id: &b.voter_ids[v0..v1],
            projects: &b.projects[p0..p1],
            points: b.with_points.then(|| &b.points[p0..p1]),
            extra: &b.extras[x0..x1],
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.ballots.len() - self.next;
        (n, Some(n))
    }
}

impl ExactSizeIterator for BallotIter<'_> {}

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

/// Ballots that break one published constraint (see
/// [`Election::check_constraints`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstraintBreach {
    /// The META key (`min_length`, `max_sum_cost`...), or `choose-1` for a
    /// choose-1 ballot with more than one project.
    pub constraint: &'static str,
    /// The limit, in the election's units (money in its smallest unit).
    pub limit: u64,
    /// How many ballots break it.
    pub ballots: usize,
    /// The voter id of the first of them, in input order.
    pub first_voter: String,
}

/// A published constraint: its META key, its limit, and whether a ballot
/// breaks it.
type ConstraintCheck<'e> = (
    &'static str,
    Option<u64>,
    Box<dyn Fn(&BallotRef<'_>, u64) -> bool + 'e>,
);

/// Why one ballot may not be cast (see [`Election::check_ballot`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BallotProblem {
    /// A project index past the election's projects.
    UnknownProject(u32),
    /// A project listed twice.
    Repeated(u32),
    /// Points missing where the ballots carry them, given where they do
    /// not, or not one per project.
    Points,
    /// A published constraint (`min_length`, `max_sum_cost`…) broken.
    Breaks {
        constraint: &'static str,
        limit: u64,
    },
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
    pub ballots: Ballots,
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

    /// The published constraints, each with its limit and the test a
    /// ballot fails when it breaks it.
    fn constraint_checks(&self) -> Vec<ConstraintCheck<'_>> {
        let c = &self.constraints;
        let points = self.vote_type.has_points();
        let choose1 = (self.vote_type == VoteType::Choose1).then_some(1);
        let len = |b: &BallotRef<'_>| b.projects.len() as u64;
        let sum_points = |b: &BallotRef<'_>| b.points.unwrap_or_default().iter().sum::<u64>();
        vec![
            ("min_length", c.min_length, Box::new(move |b, l| len(b) < l)),
            ("max_length", c.max_length, Box::new(move |b, l| len(b) > l)),
            ("choose-1", choose1, Box::new(move |b, l| len(b) > l)),
            (
                "min_points",
                c.min_points.filter(|_| points),
                Box::new(|b, l| b.points.unwrap_or_default().iter().any(|&x| x < l)),
            ),
            (
                "max_points",
                c.max_points.filter(|_| points),
                Box::new(|b, l| b.points.unwrap_or_default().iter().any(|&x| x > l)),
            ),
            (
                "min_sum_points",
                c.min_sum_points.filter(|_| points),
                Box::new(move |b, l| sum_points(b) < l),
            ),
            (
                "max_sum_points",
                c.max_sum_points.filter(|_| points),
                Box::new(move |b, l| sum_points(b) > l),
            ),
            (
                "max_sum_cost",
                c.max_sum_cost,
                Box::new(|b, l| {
                    b.projects
                        .iter()
                        .map(|&p| u128::from(self.projects[p as usize].cost))
                        .sum::<u128>()
                        > u128::from(l)
                }),
            ),
        ]
    }

    /// Which published ballot constraints some ballots break. Counting
    /// does not drop such ballots (the published ballots are what was
    /// counted); the outcome reports them so nobody has to find out alone.
    pub fn check_constraints(&self) -> Vec<ConstraintBreach> {
        let mut out = Vec::new();
        for (constraint, limit, breaks) in self.constraint_checks() {
            let Some(limit) = limit else { continue };
            let mut first = None;
            let mut ballots = 0;
            for b in &self.ballots {
                if breaks(&b, limit) {
                    ballots += 1;
                    first.get_or_insert(b.voter_id);
                }
            }
            if let Some(first) = first {
                out.push(ConstraintBreach {
                    constraint,
                    limit,
                    ballots,
                    first_voter: first.to_string(),
                });
            }
        }
        out
    }

    /// Checks one ballot before it is cast: its projects exist and appear
    /// once, it carries points exactly when the election's ballots do (one
    /// per project), and it keeps every published constraint. The same
    /// checks as `check_constraints`, so that a platform accepting ballots
    /// accepts exactly what the count will read without a breach.
    pub fn check_ballot(&self, b: &BallotRef<'_>) -> Result<(), BallotProblem> {
        let mut seen = vec![false; self.projects.len()];
        for &p in b.projects {
            match seen.get_mut(p as usize) {
                None => return Err(BallotProblem::UnknownProject(p)),
                Some(true) => return Err(BallotProblem::Repeated(p)),
                Some(s) => *s = true,
            }
        }
        match (self.vote_type.has_points(), b.points) {
            (false, None) => {}
            (true, Some(p)) if p.len() == b.projects.len() => {}
            _ => return Err(BallotProblem::Points),
        }
        for (constraint, limit, breaks) in self.constraint_checks() {
            if let Some(limit) = limit.filter(|l| breaks(b, *l)) {
                return Err(BallotProblem::Breaks { constraint, limit });
            }
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn b<'a>(id: &'a str, projects: &'a [u32], points: Option<&'a [u64]>) -> BallotRef<'a> {
        BallotRef {
            voter_id: id,
            projects,
            points,
            extra: "",
        }
    }

    #[test]
    fn broken_constraints_are_found_and_counted() {
        let text = "META\nkey;value\nbudget;100\nvote_type;cumulative\nmin_length;1\n\
max_length;2\nmax_points;5\nmin_sum_points;2\nmax_sum_points;6\nmax_sum_cost;70\n\
PROJECTS\nproject_id;cost\na;30\nb;40\nc;50\nVOTES\nvoter_id;vote;points\n\
v1;a,b;3,3\nv2;a,b,c;1,1,1\nv3;;\nv4;c;9\nv5;b,c;1,1\nv6;a;1\n";
        let e = crate::pb::parse(text).expect("parses");
        let breaches = e.check_constraints();
        let found: Vec<(&str, u64, usize, &str)> = breaches
            .iter()
            .map(|b| (b.constraint, b.limit, b.ballots, b.first_voter.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("min_length", 1, 1, "v3"),
                ("max_length", 2, 1, "v2"),
                ("max_points", 5, 1, "v4"),
                ("min_sum_points", 2, 2, "v3"),
                ("max_sum_points", 6, 1, "v4"),
                ("max_sum_cost", 70, 2, "v2"),
            ]
        );
    }

    #[test]
    fn one_ballot_is_checked_against_the_same_constraints() {
        let text = "META\nkey;value\nbudget;100\nvote_type;cumulative\nmin_length;1\n\
max_length;2\nmax_points;5\nmax_sum_points;6\nmax_sum_cost;70\n\
PROJECTS\nproject_id;cost\na;30\nb;40\nc;50\nVOTES\nvoter_id;vote;points\n";
        let e = crate::pb::parse(text).expect("parses");
        assert_eq!(e.check_ballot(&b("x", &[0, 1], Some(&[3, 3]))), Ok(()));
        assert_eq!(
            e.check_ballot(&b("x", &[0, 1, 2], Some(&[1, 1, 1]))),
            Err(BallotProblem::Breaks {
                constraint: "max_length",
                limit: 2
            })
        );
        assert_eq!(
            e.check_ballot(&b("x", &[0, 0], Some(&[1, 1]))),
            Err(BallotProblem::Repeated(0))
        );
        assert_eq!(
            e.check_ballot(&b("x", &[7], Some(&[1]))),
            Err(BallotProblem::UnknownProject(7))
        );
        assert_eq!(
            e.check_ballot(&b("x", &[0], None)),
            Err(BallotProblem::Points)
        );
        assert_eq!(
            e.check_ballot(&b("x", &[2], Some(&[9]))),
            Err(BallotProblem::Breaks {
                constraint: "max_points",
                limit: 5
            })
        );
        assert_eq!(
            e.check_ballot(&b("x", &[1, 2], Some(&[1, 1]))),
            Err(BallotProblem::Breaks {
                constraint: "max_sum_cost",
                limit: 70
            })
        );
    }

    #[test]
    fn ballots_keep_points_consistent() {
        let mut with = Ballots::new(true);
        assert_eq!(with.push(b("a", &[0, 1], None)), Err(BallotsError::Points));
        assert_eq!(
            with.push(b("a", &[0, 1], Some(&[3]))),
            Err(BallotsError::Points)
        );
        assert!(with.is_empty());
        with.push(b("a", &[0, 1], Some(&[3, 4]))).expect("fits");
        with.push(b("b", &[], Some(&[]))).expect("fits");
        let got: Vec<Ballot> = with.to_vec();
        assert_eq!(got[0].points, Some(vec![3, 4]));
        assert_eq!(got[1].projects, Vec::<u32>::new());
        assert_eq!(Ballots::from_owned(&got), Ok(with.clone()));
        assert_eq!(with.iter().len(), 2);
        assert_eq!(with.get(2), None);

        let mut without = Ballots::new(false);
        assert_eq!(
            without.push(b("a", &[0], Some(&[1]))),
            Err(BallotsError::Points)
        );
        without.push(b("a", &[2, 0], None)).expect("fits");
        assert_eq!(without.get(0).map(|x| x.projects), Some(&[2, 0][..]));
    }
}
