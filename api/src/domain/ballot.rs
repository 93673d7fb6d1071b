//! What a ballot looks like in a round, and the rule that counts it. Both are
//! stored as JSON so the counting module can read them as they are.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotKind {
    /// Tick the bids you support (optionally at most `max_choices`).
    Approval,
    /// Tick bids whose total cost fits within the area's pot.
    Knapsack,
    /// Put bids in order of preference.
    Ranked,
    /// Rate every bid on a scale, as at decision days.
    Scoring,
    /// Spread a number of points across bids.
    PointsAllocation,
    /// Spread the pot itself across bids.
    MoneyAllocation,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotSettings {
    pub kind: BallotKind,
    /// The fewest bids a voter must choose or rank.
    pub min_choices: Option<u32>,
    /// The most bids a voter may choose, or the longest ranking.
    pub max_choices: Option<u32>,
    /// Scoring: the lowest and highest mark on the scale.
    pub score_min: Option<u32>,
    pub score_max: Option<u32>,
    /// Points allocation: points each voter spreads, and the most on one bid.
    pub points_total: Option<u32>,
    pub points_max_per_bid: Option<u32>,
    /// Which ballot counts when one person voted both through an officer
    /// and by themselves.
    #[serde(default)]
    pub duplicate_policy: super::vote::DuplicatePolicy,
}

impl BallotSettings {
    /// Checks that the limits make sense for the kind of ballot.
    pub fn parse(self) -> Result<Self, String> {
        use BallotKind::*;
        let k = self.kind;
        let only = |field: &str, kinds: &str| format!("{field} only applies to {kinds} ballots");
        if (self.score_min.is_some() || self.score_max.is_some()) && k != Scoring {
            return Err(only("a score scale", "scoring"));
        }
        if (self.points_total.is_some() || self.points_max_per_bid.is_some())
            && k != PointsAllocation
        {
            return Err(only("a points total", "points allocation"));
        }
        if (self.min_choices.is_some() || self.max_choices.is_some())
            && !matches!(k, Approval | Knapsack | Ranked)
        {
            return Err(only("a number of choices", "approval, knapsack or ranked"));
        }
        if let Some(max) = self.max_choices {
            if max == 0 {
                return Err("the most bids a voter may choose must be at least 1".into());
            }
            if max > 1000 {
                return Err("the most bids a voter may choose must be 1000 or fewer".into());
            }
        }
        if let (Some(min), Some(max)) = (self.min_choices, self.max_choices) {
            if min > max {
                return Err("the fewest choices cannot be more than the most choices".into());
            }
        }
        if k == Scoring {
            let (Some(lo), Some(hi)) = (self.score_min, self.score_max) else {
                return Err("a scoring ballot needs the lowest and highest score".into());
            };
            if lo >= hi || hi > 100 {
                return Err("the score scale must run upwards, to at most 100".into());
            }
        }
        if k == PointsAllocation {
            let Some(total) = self.points_total else {
                return Err(
                    "a points allocation ballot needs the number of points each voter spreads"
                        .into(),
                );
            };
            if total == 0 || total > 1_000_000 {
                return Err("the points to spread must be between 1 and 1,000,000".into());
            }
            if let Some(per) = self.points_max_per_bid {
                if per == 0 || per > total {
                    return Err(
                        "the most points on one bid must be between 1 and the points to spread"
                            .into(),
                    );
                }
            }
        }
        Ok(self)
    }
}

/// The counting rules a round can name, as the counting module names them.
pub const RULES: &[(&str, &[BallotKind])] = {
    use BallotKind::*;
    &[
        (
            "greedy",
            &[
                Approval,
                Knapsack,
                Scoring,
                PointsAllocation,
                MoneyAllocation,
            ],
        ),
        (
            "greedy-no-skip",
            &[
                Approval,
                Knapsack,
                Scoring,
                PointsAllocation,
                MoneyAllocation,
            ],
        ),
        (
            "greedy-threshold",
            &[
                Approval,
                Knapsack,
                Scoring,
                PointsAllocation,
                MoneyAllocation,
            ],
        ),
        (
            "mes",
            &[
                Approval,
                Knapsack,
                Scoring,
                PointsAllocation,
                MoneyAllocation,
            ],
        ),
        (
            "mes-add1",
            &[
                Approval,
                Knapsack,
                Scoring,
                PointsAllocation,
                MoneyAllocation,
            ],
        ),
        (
            "mes-add1-no-early-stop",
            &[
                Approval,
                Knapsack,
                Scoring,
                PointsAllocation,
                MoneyAllocation,
            ],
        ),
        ("phragmen", &[Approval, Knapsack]),
        ("borda", &[Ranked]),
        ("irv", &[Ranked]),
        ("stv-scottish", &[Ranked]),
    ]
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieBreak {
    /// Lowest cost, then most support, then a published seeded order.
    CostSupportSeed,
    /// By bid identifier, for comparison with other tools.
    Lexicographic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountingRule {
    pub name: String,
    pub tie_break: TieBreak,
    /// The seed of the published tie-break order.
    pub seed: Option<u64>,
    /// `greedy-threshold`: the least support a bid needs to be funded.
    pub min_support: Option<u64>,
    /// `borda`: points for first, second, … place (as in Kraków).
    pub rank_points: Option<Vec<u32>>,
    /// `stv-scottish` and `irv`: how many bids to elect.
    pub seats: Option<u32>,
    /// Council rules the count applies in each pot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<super::constraints::CountConstraints>,
}

impl CountingRule {
    /// Checks the rule exists, fits the ballot, and has the options it needs.
    pub fn parse(self, ballot: BallotKind) -> Result<Self, String> {
        let Some((_, kinds)) = RULES.iter().find(|(name, _)| *name == self.name) else {
            let names: Vec<&str> = RULES.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "unknown counting rule `{}`; choose one of {}",
                self.name,
                names.join(", ")
            ));
        };
        if !kinds.contains(&ballot) {
            return Err(format!(
                "the counting rule `{}` cannot count {} ballots",
                self.name,
                serde_json::to_value(ballot)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                    .unwrap_or_default()
            ));
        }
        match self.name.as_str() {
            "greedy-threshold" if self.min_support.is_none() => {
                return Err(
                    "the rule greedy-threshold needs the least support a bid must have".into(),
                )
            }
            "borda" => match &self.rank_points {
                None => return Err("the rule borda needs the points for each rank position".into()),
                Some(p) if p.is_empty() || p.windows(2).any(|w| w[0] < w[1]) => {
                    return Err(
                        "points per rank position must not increase down the ranking".into(),
                    )
                }
                _ => {}
            },
            "stv-scottish" if self.seats.unwrap_or(0) == 0 => {
                return Err("the rule stv-scottish needs the number of bids to elect".into())
            }
            _ => {}
        }
        if self.name != "greedy-threshold" && self.min_support.is_some() {
            return Err("a support threshold only applies to greedy-threshold".into());
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(kind: BallotKind) -> BallotSettings {
        BallotSettings {
            kind,
            min_choices: None,
            max_choices: None,
            score_min: None,
            score_max: None,
            points_total: None,
            points_max_per_bid: None,
            duplicate_policy: Default::default(),
        }
    }

    fn rule(name: &str) -> CountingRule {
        CountingRule {
            name: name.into(),
            tie_break: TieBreak::CostSupportSeed,
            seed: None,
            min_support: None,
            rank_points: None,
            seats: None,
            constraints: None,
        }
    }

    #[test]
    fn ballot_settings_fit_their_kind() {
        assert!(BallotSettings {
            max_choices: Some(5),
            ..settings(BallotKind::Approval)
        }
        .parse()
        .is_ok());
        assert!(BallotSettings {
            max_choices: Some(0),
            ..settings(BallotKind::Approval)
        }
        .parse()
        .is_err());
        assert!(settings(BallotKind::Scoring).parse().is_err());
        assert!(BallotSettings {
            score_min: Some(0),
            score_max: Some(10),
            ..settings(BallotKind::Scoring)
        }
        .parse()
        .is_ok());
        assert!(BallotSettings {
            points_total: Some(10),
            ..settings(BallotKind::Approval)
        }
        .parse()
        .is_err());
        assert!(BallotSettings {
            points_total: Some(10),
            points_max_per_bid: Some(11),
            ..settings(BallotKind::PointsAllocation)
        }
        .parse()
        .is_err());
    }

    #[test]
    fn rules_fit_ballots() {
        assert!(rule("mes").parse(BallotKind::Approval).is_ok());
        assert!(rule("mes").parse(BallotKind::Ranked).is_err());
        assert!(rule("stv-scottish").parse(BallotKind::Ranked).is_err());
        assert!(CountingRule {
            seats: Some(3),
            ..rule("stv-scottish")
        }
        .parse(BallotKind::Ranked)
        .is_ok());
        assert!(rule("greedy-threshold")
            .parse(BallotKind::Approval)
            .is_err());
        assert!(rule("nonsense")
            .parse(BallotKind::Approval)
            .unwrap_err()
            .contains("choose one of"));
    }
}
