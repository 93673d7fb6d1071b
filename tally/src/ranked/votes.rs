//! Exact vote values in units of 1/100,000 of a vote.

use std::fmt;

use serde::{Serialize, Serializer};

/// Number of units in one vote: Scottish STV works to five decimal places
/// (SSI 2007/42, rule 48(3)), so every value is a whole number of units.
pub const UNITS_PER_VOTE: u64 = 100_000;

/// A non-negative number of votes, held exactly as a whole number of
/// 1/100,000 vote units.
///
/// **Invariant**: the count never uses floating point; values are added,
/// compared and truncated in integer units. Serialized as a decimal string
/// with exactly five places (`"1300.00000"`), so JSON stays exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Votes(u64);

impl Votes {
    /// No votes.
    pub const ZERO: Votes = Votes(0);

    /// A value given in 1/100,000 vote units.
    pub const fn from_units(units: u64) -> Votes {
        Votes(units)
    }

    /// The value in 1/100,000 vote units.
    pub const fn units(self) -> u64 {
        self.0
    }

    /// `papers` whole votes (each ballot paper worth one vote).
    pub const fn from_papers(papers: u64) -> Votes {
        Votes(papers.saturating_mul(UNITS_PER_VOTE))
    }
}

impl fmt::Display for Votes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{:05}",
            self.0 / UNITS_PER_VOTE,
            self.0 % UNITS_PER_VOTE
        )
    }
}

impl Serialize for Votes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_five_places() {
        assert_eq!(Votes::from_units(130_040_863).to_string(), "1300.40863");
        assert_eq!(Votes::from_units(1).to_string(), "0.00001");
        assert_eq!(Votes::from_papers(8).to_string(), "8.00000");
        assert_eq!(Votes::ZERO.to_string(), "0.00000");
    }

    #[test]
    fn serializes_as_exact_string() {
        let json = serde_json::to_string(&Votes::from_units(34_409)).unwrap();
        assert_eq!(json, "\"0.34409\"");
    }
}
