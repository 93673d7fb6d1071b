//! The life of a funding round: its phases, the dates that move it on, and
//! which changes each phase allows.
use chrono::{DateTime, Utc};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    Draft,
    BidsOpen,
    BidReview,
    Voting,
    Closed,
    Counted,
    Published,
    Cancelled,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Draft,
        Phase::BidsOpen,
        Phase::BidReview,
        Phase::Voting,
        Phase::Closed,
        Phase::Counted,
        Phase::Published,
        Phase::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::BidsOpen => "bids_open",
            Phase::BidReview => "bid_review",
            Phase::Voting => "voting",
            Phase::Closed => "closed",
            Phase::Counted => "counted",
            Phase::Published => "published",
            Phase::Cancelled => "cancelled",
        }
    }

    /// A person-readable name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::BidsOpen => "bids open",
            Phase::BidReview => "bid review",
            Phase::Voting => "voting",
            Phase::Closed => "closed",
            Phase::Counted => "counted",
            Phase::Published => "published",
            Phase::Cancelled => "cancelled",
        }
    }

    /// The phase an officer's "move on" action leads to.
    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Draft => Some(Phase::BidsOpen),
            Phase::BidsOpen => Some(Phase::BidReview),
            Phase::BidReview => Some(Phase::Voting),
            Phase::Voting => Some(Phase::Closed),
            Phase::Closed => Some(Phase::Counted),
            Phase::Counted => Some(Phase::Published),
            Phase::Published | Phase::Cancelled => None,
        }
    }

    /// Ballot settings and the counting rule are frozen from the moment voting
    /// opens: changing them once ballots may exist would change what people
    /// voted on.
    pub fn settings_frozen(self) -> bool {
        !matches!(self, Phase::Draft | Phase::BidsOpen | Phase::BidReview)
    }

    pub fn is_final(self) -> bool {
        matches!(self, Phase::Published | Phase::Cancelled)
    }
}

impl FromStr for Phase {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown phase `{s}`"))
    }
}

/// The dates at which a round moves on by itself. Each is optional: a phase
/// without a date waits for an officer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    pub bids_open_at: Option<DateTime<Utc>>,
    pub bids_close_at: Option<DateTime<Utc>>,
    pub voting_opens_at: Option<DateTime<Utc>>,
    pub voting_closes_at: Option<DateTime<Utc>>,
}

/// Why a schedule was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleError {
    /// A later step is dated before an earlier one.
    OutOfOrder(String),
    /// A step that has yet to happen is dated in the past.
    InPast(String),
}

impl Schedule {
    const NAMES: [(&'static str, Phase); 4] = [
        ("bids open", Phase::Draft),
        ("bids close", Phase::BidsOpen),
        ("voting opens", Phase::BidReview),
        ("voting closes", Phase::Voting),
    ];

    fn dates(&self) -> [Option<DateTime<Utc>>; 4] {
        [
            self.bids_open_at,
            self.bids_close_at,
            self.voting_opens_at,
            self.voting_closes_at,
        ]
    }

    /// Dates that are given must come in order, and every step the round
    /// in `phase` has yet to take must be dated after `now`: a date in the
    /// past would move the round on at once, which nobody means.
    pub fn parse(self, phase: Phase, now: DateTime<Utc>) -> Result<Self, ScheduleError> {
        let mut last: Option<(&str, DateTime<Utc>)> = None;
        for ((name, _), at) in Self::NAMES.iter().zip(self.dates()) {
            if let Some(at) = at {
                if let Some((prev_name, prev)) = last {
                    if at <= prev {
                        return Err(ScheduleError::OutOfOrder(format!(
                            "the date {name} must be after the date {prev_name}"
                        )));
                    }
                }
                last = Some((name, at));
            }
        }
        for ((name, from), at) in Self::NAMES.iter().zip(self.dates()) {
            let still_to_come = !phase.is_final() && *from >= phase;
            if let Some(at) = at.filter(|at| still_to_come && *at <= now) {
                return Err(ScheduleError::InPast(format!(
                    "the date {name} ({}) has passed: choose a date in the future, or leave it empty and move the round on yourself",
                    at.format("%Y-%m-%d %H:%M UTC")
                )));
            }
        }
        Ok(self)
    }

    /// The date at which a round in `phase` moves on by itself, if any.
    pub fn due_at(&self, phase: Phase) -> Option<DateTime<Utc>> {
        match phase {
            Phase::Draft => self.bids_open_at,
            Phase::BidsOpen => self.bids_close_at,
            Phase::BidReview => self.voting_opens_at,
            Phase::Voting => self.voting_closes_at,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn phases_round_trip_and_freeze() {
        for p in Phase::ALL {
            assert_eq!(p.as_str().parse::<Phase>().unwrap(), p);
        }
        assert!(!Phase::BidReview.settings_frozen());
        assert!(Phase::Voting.settings_frozen());
        assert!(Phase::Cancelled.settings_frozen());
        assert_eq!(Phase::Counted.next(), Some(Phase::Published));
        assert_eq!(Phase::Cancelled.next(), None);
    }

    #[test]
    fn schedule_dates_must_be_in_order_and_to_come() {
        let d = |day| Some(Utc.with_ymd_and_hms(2027, 1, day, 9, 0, 0).unwrap());
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let ok = Schedule {
            bids_open_at: d(1),
            bids_close_at: d(10),
            voting_opens_at: None,
            voting_closes_at: d(20),
        };
        assert!(ok.parse(Phase::Draft, now).is_ok());
        let bad = Schedule {
            bids_open_at: d(10),
            bids_close_at: d(1),
            ..Default::default()
        };
        assert_eq!(
            bad.parse(Phase::Draft, now).unwrap_err(),
            ScheduleError::OutOfOrder(
                "the date bids close must be after the date bids open".into()
            )
        );
        let later = Utc.with_ymd_and_hms(2027, 1, 5, 9, 0, 0).unwrap();
        assert!(matches!(
            ok.parse(Phase::Draft, later),
            Err(ScheduleError::InPast(_))
        ));
        // Bids opened on the 1st: that date is history, the rest to come.
        assert!(ok.parse(Phase::BidsOpen, later).is_ok());
    }
}
