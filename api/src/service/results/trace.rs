//! A count's steps as typed values. `tally` records each step of a count
//! in its result (`rounds`, and the Equal Shares stop reason in `details`);
//! that record is read here, once, into the types below, which `explain`
//! then tells in words.
use super::view::pence_of;
use serde::Deserialize;
use serde_json::Value;

/// A word `tally` writes about a bid or the count's end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Term {
    SkippedDoesNotFit,
    DoesNotFitCountStops,
    BelowThreshold,
    NotConsidered,
    SingleRun,
    RaisingWouldOverspend,
    FirstRunOverspends,
    OutcomeExhaustive,
    EverySupportedFunded,
    Elected,
    Excluded,
    Eliminated,
    SurplusTransferred,
    FirstPreferences,
    /// Anything this version does not know: shown as written.
    Other(String),
}

impl Term {
    pub(super) fn parse(text: &str) -> Self {
        match text {
            "skipped: does not fit" => Self::SkippedDoesNotFit,
            "does not fit: count stops" => Self::DoesNotFitCountStops,
            "below threshold" => Self::BelowThreshold,
            "not considered: count stopped" => Self::NotConsidered,
            "single run" => Self::SingleRun,
            "raising the share once more would overspend" => Self::RaisingWouldOverspend,
            "first run already overspends" => Self::FirstRunOverspends,
            "outcome is exhaustive" => Self::OutcomeExhaustive,
            "every supported project is funded" => Self::EverySupportedFunded,
            "elected" => Self::Elected,
            "excluded" => Self::Excluded,
            "eliminated" => Self::Eliminated,
            "surplus transferred from" => Self::SurplusTransferred,
            "first preferences counted" => Self::FirstPreferences,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// What became of a bid at one step of a greedy or Phragmén count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Decision {
    Funded,
    /// Committed before the count (`must_fund`).
    FundedFirst,
    /// Funded after the rule, to meet these minimums.
    FundedForMinimum(Vec<LimitName>),
    /// A step that decided nothing about a bid: the phase is named.
    Phase(Term),
    NotFunded(Term),
    /// A council rule kept it out.
    PassedOver(Passed),
}

/// A category or an area that a council rule limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct LimitName {
    pub(super) area: bool,
    /// The category, or the area's id.
    pub(super) key: String,
}

impl LimitName {
    fn read(c: &Value) -> Option<Self> {
        let kind = c["kind"].as_str()?;
        Some(LimitName {
            area: kind.starts_with("area"),
            key: c["key"].as_str()?.to_owned(),
        })
    }
}

/// Which council rule kept a bid out, with its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Passed {
    BelowMinVotes {
        votes: u64,
        need: u64,
    },
    /// `funded` is already funded, and at most one of `set` may be.
    Exclusive {
        funded: String,
        set: Vec<String>,
    },
    OverMaximum {
        limit: LimitName,
        maximum: i64,
        would_be: i64,
    },
    /// Funding it would leave `left`, less than `need` held back.
    HeldBack {
        left: i64,
        need: i64,
    },
}

fn number(v: &Value) -> u64 {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0)
}

fn money_of(v: &Value) -> i64 {
    match v {
        Value::String(s) => pence_of(s),
        Value::Number(n) => pence_of(&n.to_string()),
        _ => 0,
    }
}

impl Passed {
    /// The rule a step names (its decision and its `constraint`).
    fn read(decision: &str, c: &Value) -> Option<Self> {
        Some(match decision {
            "below minimum votes" => Passed::BelowMinVotes {
                votes: number(&c["votes"]),
                need: number(&c["need"]),
            },
            "passed over: exclusive set" => Passed::Exclusive {
                funded: Name::read(&c["funded"])?,
                set: c["set"].as_array()?.iter().filter_map(Name::read).collect(),
            },
            "passed over: over maximum" => Passed::OverMaximum {
                limit: LimitName::read(c)?,
                maximum: money_of(&c["limit"]),
                would_be: money_of(&c["would_be"]),
            },
            "passed over: money held for minimums" => Passed::HeldBack {
                left: money_of(&c["left"]),
                need: money_of(&c["held_back"]),
            },
            _ => return None,
        })
    }
}

/// One step of a count over allocation ballots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// Equal Shares bought `bid`: this many supporters paid, each `paid`.
    EqualShares {
        n: u64,
        bid: String,
        supporters: u64,
        paid: i64,
        cost: i64,
    },
    /// A bid was considered in its place in the order.
    Considered {
        position: u64,
        bid: String,
        support: String,
        cost: i64,
        decision: Decision,
        left: i64,
    },
    /// A minimum a council rule set was not met.
    MinimumNotMet {
        limit: LimitName,
        minimum: i64,
        funded: i64,
        short: i64,
    },
}

/// One stage of a ranked count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Stage {
    pub(super) elected: Vec<String>,
    pub(super) excluded: Vec<String>,
    pub(super) eliminated: Vec<String>,
    pub(super) action: Option<StageAction>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum StageAction {
    Elected(String),
    Excluded(String),
    Surplus(String),
    FirstPreferences,
}

/// A step as `tally` records it (the greedy, Phragmén and Equal Shares
/// rules write the same keys where they share a meaning).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RecordedStep {
    phase: String,
    round: Option<u64>,
    position: Option<u64>,
    project: Option<Name>,
    support: Option<String>,
    cost: Option<String>,
    decision: Option<String>,
    remaining_budget: Option<String>,
    payment_per_supporter: Option<String>,
    supporters_paying_share: Option<String>,
    supporters_paying_all_they_had: Option<String>,
    /// A council rule's part in the step.
    constraint: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RecordedStage {
    elected: Vec<Name>,
    excluded: Vec<Name>,
    eliminated: Vec<Name>,
    action: Option<RecordedAction>,
}

#[derive(Deserialize)]
pub(super) struct RecordedAction {
    kind: String,
    candidate: Option<Name>,
}

/// A bid or candidate as a step names it: its id as text, or an object
/// naming the candidate (an STV stage's `elected` entries).
#[derive(Deserialize, Clone)]
#[serde(untagged)]
pub(super) enum Name {
    Text(String),
    Number(i64),
    Candidate { candidate: String },
}

impl Name {
    /// A bid id written as text or a number.
    fn read(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    fn id(self) -> String {
        match self {
            Self::Text(s) | Self::Candidate { candidate: s } => s,
            Self::Number(n) => n.to_string(),
        }
    }
}

pub(super) fn money(text: Option<&str>) -> i64 {
    pence_of(text.unwrap_or("0"))
}

impl From<RecordedStep> for Step {
    fn from(r: RecordedStep) -> Self {
        let bid = r.project.map(Name::id).unwrap_or_default();
        if r.phase == "equal shares" {
            let count = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<u64>().ok());
            return Step::EqualShares {
                n: r.round.unwrap_or(0),
                bid,
                supporters: count(&r.supporters_paying_share).unwrap_or(0)
                    + count(&r.supporters_paying_all_they_had).unwrap_or(0),
                paid: money(r.payment_per_supporter.as_deref()),
                cost: money(r.cost.as_deref()),
            };
        }
        let c = r.constraint.unwrap_or(Value::Null);
        let d = r.decision.as_deref().unwrap_or("");
        if d == "minimum not met" {
            if let Some(limit) = LimitName::read(&c) {
                return Step::MinimumNotMet {
                    limit,
                    minimum: money_of(&c["limit"]),
                    funded: money_of(&c["funded"]),
                    short: money_of(&c["short_by"]),
                };
            }
        }
        let decision = match (d, c["kind"].as_str()) {
            ("funded", Some("must_fund")) => Decision::FundedFirst,
            ("funded", Some("minimums")) => Decision::FundedForMinimum(
                c["for"]
                    .as_array()
                    .map(|a| a.iter().filter_map(LimitName::read).collect())
                    .unwrap_or_default(),
            ),
            ("funded", _) => Decision::Funded,
            ("", _) => Decision::Phase(Term::parse(&r.phase)),
            (other, _) => match Passed::read(other, &c) {
                Some(p) => Decision::PassedOver(p),
                None => Decision::NotFunded(Term::parse(&other.replace('_', " "))),
            },
        };
        Step::Considered {
            position: r.position.or(r.round).unwrap_or(0),
            bid,
            support: r.support.unwrap_or_else(|| "0".into()),
            cost: money(r.cost.as_deref()),
            decision,
            left: money(r.remaining_budget.as_deref()),
        }
    }
}

impl From<RecordedStage> for Stage {
    fn from(r: RecordedStage) -> Self {
        let ids = |v: Vec<Name>| v.into_iter().map(Name::id).collect();
        let action = r.action.and_then(|a| {
            let who = a.candidate.map(Name::id).unwrap_or_default();
            Some(match a.kind.as_str() {
                "elected" => StageAction::Elected(who),
                "exclusion" => StageAction::Excluded(who),
                "surplus" => StageAction::Surplus(who),
                "first-preferences" => StageAction::FirstPreferences,
                _ => return None,
            })
        });
        Stage {
            elected: ids(r.elected),
            excluded: ids(r.excluded),
            eliminated: ids(r.eliminated),
            action,
        }
    }
}

/// A count's steps, read from `tally`'s result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Trace {
    pub(super) steps: Vec<Step>,
    pub(super) stages: Vec<Stage>,
    pub(super) stopped: Option<Term>,
}

impl Trace {
    /// Reads the steps of a count by `rule` from its result; a ranked rule
    /// records stages, the others steps.
    pub(super) fn read(result: &Value, rule: &str) -> Self {
        let rounds = result["rounds"].as_array().cloned().unwrap_or_default();
        let ranked = matches!(rule, "irv" | "stv-scottish");
        let (mut steps, mut stages) = (Vec::new(), Vec::new());
        for r in rounds {
            if ranked {
                stages.push(Stage::from(
                    serde_json::from_value::<RecordedStage>(r).unwrap_or_default(),
                ));
            } else {
                steps.push(Step::from(
                    serde_json::from_value::<RecordedStep>(r).unwrap_or_default(),
                ));
            }
        }
        let stopped = result["details"]["equal_shares"]["stop_reason"]
            .as_str()
            .map(Term::parse);
        Trace {
            steps,
            stages,
            stopped,
        }
    }
}
