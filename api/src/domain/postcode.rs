//! UK postcodes and the coverage of an area (full postcodes, sectors or
//! districts).
use std::fmt;

/// A UK postcode in its normal form: upper case, one space before the inward
/// code (`LS6 1AB`). Checked by format only: the format is the published one,
/// not a lookup in the Postcode Address File.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Postcode {
    outward: String,
    inward: String,
}

const INVALID: &str = "enter a full UK postcode, like LS6 1AB";

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, String> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if compact.len() < 5 || compact.len() > 7 || !compact.is_ascii() {
            return Err(INVALID.into());
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        if !(is_outward(outward) && is_inward(inward)) && compact != "GIR0AA" {
            return Err(INVALID.into());
        }
        Ok(Self {
            outward: outward.to_owned(),
            inward: inward.to_owned(),
        })
    }

    pub fn outward(&self) -> &str {
        &self.outward
    }

    /// The sector: outward code and the digit of the inward code (`LS6 1`).
    pub fn sector(&self) -> String {
        format!("{} {}", self.outward, &self.inward[..1])
    }

    pub fn full(&self) -> String {
        format!("{} {}", self.outward, self.inward)
    }

    /// The coverage prefixes that would contain this postcode, most specific
    /// first.
    pub fn containing_prefixes(&self) -> [String; 3] {
        [self.full(), self.sector(), self.outward.clone()]
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.outward, self.inward)
    }
}

/// Postcodes locate a household closely: keep them out of logs.
impl fmt::Debug for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Postcode({} ***)", self.outward)
    }
}

fn is_inward(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_uppercase() && !b"CIKMOV".contains(c))
}

/// Outward codes: A9, A99, A9A, AA9, AA99, AA9A.
fn is_outward(s: &str) -> bool {
    let b = s.as_bytes();
    let alpha = |c: u8| c.is_ascii_uppercase();
    let digit = |c: u8| c.is_ascii_digit();
    match b.len() {
        2 => alpha(b[0]) && digit(b[1]),
        3 => {
            alpha(b[0])
                && ((digit(b[1]) && (digit(b[2]) || alpha(b[2]))) || (alpha(b[1]) && digit(b[2])))
        }
        4 => alpha(b[0]) && alpha(b[1]) && digit(b[2]) && (digit(b[3]) || alpha(b[3])),
        _ => false,
    }
}

/// One entry of an area's coverage: a full postcode (`LS6 1AB`), a sector
/// (`LS6 1`) or a district (`LS6`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CoveragePrefix(String);

impl CoveragePrefix {
    pub fn parse(input: &str) -> Result<Self, String> {
        let upper = input.trim().to_uppercase();
        let err = || {
            format!(
                "`{}` is not a postcode, sector or district (examples: LS6 1AB, LS6 1, LS6)",
                input.trim()
            )
        };
        if !upper.is_ascii() {
            return Err(err());
        }
        let parts: Vec<&str> = upper.split_whitespace().collect();
        match parts.as_slice() {
            // Without a space: a full postcode (`LS61AB`) or a district (`LS6`).
            [one] => {
                if let Ok(p) = Postcode::parse(one) {
                    Ok(Self(p.full()))
                } else if is_outward(one) {
                    Ok(Self((*one).to_owned()))
                } else {
                    Err(err())
                }
            }
            [outward, inward] if is_outward(outward) => {
                let sector = inward.len() == 1 && inward.as_bytes()[0].is_ascii_digit();
                if sector || is_inward(inward) {
                    Ok(Self(format!("{outward} {inward}")))
                } else {
                    Err(err())
                }
            }
            _ => Err(err()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn contains(&self, postcode: &Postcode) -> bool {
        postcode.containing_prefixes().iter().any(|p| p == &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_valid_postcodes() {
        for (input, want) in [
            ("ls61ab", "LS6 1AB"),
            (" SW1A 1AA ", "SW1A 1AA"),
            ("m1 1ae", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("EC1A 1BB", "EC1A 1BB"),
        ] {
            assert_eq!(Postcode::parse(input).unwrap().to_string(), want);
        }
    }

    #[test]
    fn refuses_invalid_postcodes() {
        for input in [
            "", "LS6", "123 456", "LS6 1A", "LS61ABC", "QQ 1AB", "LS6 1CI", "ŁS6 1AB",
        ] {
            assert!(Postcode::parse(input).is_err(), "{input} should be refused");
        }
    }

    #[test]
    fn coverage_matches_full_sector_and_district() {
        let p = Postcode::parse("LS6 1AB").unwrap();
        assert!(CoveragePrefix::parse("LS6 1AB").unwrap().contains(&p));
        assert!(CoveragePrefix::parse("ls6 1").unwrap().contains(&p));
        assert!(CoveragePrefix::parse("LS6").unwrap().contains(&p));
        assert!(!CoveragePrefix::parse("LS6 2").unwrap().contains(&p));
        assert!(!CoveragePrefix::parse("LS16").unwrap().contains(&p));
        assert_eq!(CoveragePrefix::parse("ls61").unwrap().as_str(), "LS61");
        assert_eq!(CoveragePrefix::parse("ls6  1").unwrap().as_str(), "LS6 1");
        assert_eq!(CoveragePrefix::parse("ls61ab").unwrap().as_str(), "LS6 1AB");
        assert!(CoveragePrefix::parse("nonsense!").is_err());
        assert!(CoveragePrefix::parse("").is_err());
    }
}
