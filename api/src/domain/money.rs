//! Money is held as whole pence, never as floating point.
use std::fmt;

/// A non-negative amount of money in pence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pence(i64);

/// The largest amount we accept: £10 billion, far above any council budget,
/// and small enough that sums of many amounts cannot overflow `i64`.
pub const MAX_PENCE: i64 = 1_000_000_000_000;

impl Pence {
    pub const ZERO: Pence = Pence(0);

    pub fn parse(value: i64) -> Result<Self, String> {
        if value < 0 {
            return Err("an amount of money cannot be negative".into());
        }
        if value > MAX_PENCE {
            return Err("that amount is larger than any budget Fairshare accepts".into());
        }
        Ok(Self(value))
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pounds = self.0 / 100;
        let pence = self.0 % 100;
        // Group thousands the British way: £12,345.67
        let digits = pounds.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "£{grouped}.{pence:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(Pence::parse(1_234_567).unwrap().to_string(), "£12,345.67");
        assert_eq!(Pence::parse(5).unwrap().to_string(), "£0.05");
        assert_eq!(
            Pence::parse(100_000_000).unwrap().to_string(),
            "£1,000,000.00"
        );
        assert!(Pence::parse(-1).is_err());
        assert!(Pence::parse(MAX_PENCE + 1).is_err());
    }
}
