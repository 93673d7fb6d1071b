//! The personal details that verification compares: a name, a date of birth
//! and a UK mobile number. They are only ever stored as keyed hashes, and
//! their `Debug` output is redacted so that they cannot reach a log.
use super::Postcode;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A person's name, folded (accents, case, punctuation and spacing gone,
/// and letters of other scripts that look like Latin ones read as those:
/// see `text::fold_confusables`) so that the same name written differently
/// compares equal. A name written "Family, Given" is read as "Given
/// Family".
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, String> {
        if input.chars().count() > 200 {
            return Err("the name must be 200 characters or fewer".into());
        }
        let written = match input.split_once(',') {
            Some((family, given)) if !given.contains(',') => format!("{given} {family}"),
            _ => input.to_owned(),
        };
        let folded = super::text::fold_confusables(&written);
        if folded.is_empty() {
            return Err("enter the person's full name".into());
        }
        Ok(Self(folded))
    }

    /// The folded name, words in the order written.
    pub fn normalised(&self) -> &str {
        &self.0
    }

    /// The letters and digits of the name in the order written: the same
    /// wherever the spaces, hyphens and apostrophes fall ("Zoë
    /// O'Brien-Smith" and "zoe o brien smith" agree, and so do "Smith,
    /// Ann-Marie" and "ann marie SMITH"). Names written in another order
    /// differ here, and are caught as similar instead (`words`).
    pub fn letters(&self) -> String {
        self.0.chars().filter(|c| *c != ' ').collect()
    }

    /// The words of two or more characters, each of which, with the date of
    /// birth, marks a similar identity.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.0.split(' ').filter(|w| w.chars().count() >= 2)
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonName(<redacted>)")
    }
}

/// A date of birth: in the past, and not absurdly long ago. Accepts
/// `YYYY-MM-DD` and the British `DD/MM/YYYY`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DateOfBirth(NaiveDate);

impl DateOfBirth {
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, String> {
        let s = input.trim();
        let date = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
            .map_err(|_| {
                "enter a date of birth as YYYY-MM-DD or DD/MM/YYYY, like 1984-03-21".to_string()
            })?;
        if date > today {
            return Err("a date of birth cannot be in the future".into());
        }
        if today.year() - date.year() > 125 {
            return Err("check the year of birth".into());
        }
        Ok(Self(date))
    }

    /// Full years of age on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        let mut years = on.year() - self.0.year();
        if (on.month(), on.day()) < (self.0.month(), self.0.day()) {
            years -= 1;
        }
        years.max(0) as u32
    }

    pub fn iso(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
}

impl fmt::Debug for DateOfBirth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DateOfBirth(<redacted>)")
    }
}

/// The material of a person's identity key: name and date of birth,
/// normalised. The same person has one key in a round wherever they live,
/// work or study. Only its keyed hash is ever stored.
pub fn identity_material(name: &PersonName, dob: &DateOfBirth) -> String {
    format!("{}|{}", name.letters(), dob.iso())
}

/// What the council's register is matched on: name, date of birth and
/// postcode. Only its keyed hash is ever stored.
pub fn residence_material(name: &PersonName, dob: &DateOfBirth, postcode: &Postcode) -> String {
    format!("{}|{}|{}", name.letters(), dob.iso(), postcode.full())
}

/// The materials of the similarity keys: the date of birth with each word of
/// the name. Two identities that share one are similar.
pub fn similarity_materials(name: &PersonName, dob: &DateOfBirth) -> Vec<String> {
    let mut out: Vec<String> = name.words().map(|w| format!("{}|{w}", dob.iso())).collect();
    out.sort();
    out.dedup();
    out
}

/// A UK mobile number in international form (`+447700900123`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts `07700 900123`, `+44 7700 900123`, `0044 7700 900123` and
    /// the like. Only mobile ranges (071–075, 077–079 and 07624) are
    /// accepted: a text message cannot reach a landline.
    pub fn parse(input: &str) -> Result<Self, String> {
        const INVALID: &str = "enter a UK mobile number, like 07700 900123";
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')' | '.'))
            .collect();
        let national = if let Some(rest) = compact.strip_prefix("+44") {
            rest.strip_prefix('0').unwrap_or(rest).to_owned()
        } else if let Some(rest) = compact.strip_prefix("0044") {
            rest.strip_prefix('0').unwrap_or(rest).to_owned()
        } else if let Some(rest) = compact.strip_prefix('0') {
            rest.to_owned()
        } else if compact.starts_with("447") && compact.len() == 12 {
            compact[2..].to_owned()
        } else {
            return Err(INVALID.into());
        };
        let b = national.as_bytes();
        if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) || b[0] != b'7' {
            return Err(INVALID.into());
        }
        let mobile = matches!(b[1], b'1'..=b'5' | b'7'..=b'9') || national.starts_with("7624");
        if !mobile {
            return Err(INVALID.into());
        }
        Ok(Self(format!("+44{national}")))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn names_normalise() {
        let key = |n: &str| PersonName::parse(n).unwrap().letters();
        assert_eq!(key("Smith, Ann-Marie"), key("  ann marie SMITH "));
        assert_eq!(key("Zoë O'Brien-Smith"), key("zoe o brien smith"));
        assert_ne!(key("Zoe O'Brien"), key("Zoe O'Brian"));
        assert_eq!(
            PersonName::parse("Siobhán O'Brien").unwrap().normalised(),
            "siobhan obrien"
        );
        assert_ne!(key("Ann Smith 12"), key("Ann Smith 21"));
        assert!(PersonName::parse(" - ").is_err());
        let a = PersonName::parse("Ann Smith").unwrap();
        assert_eq!(format!("{a:?}"), "PersonName(<redacted>)");
    }

    #[test]
    fn similar_identities_share_a_word_and_a_birthday() {
        let today = day("2026-11-23");
        let dob = DateOfBirth::parse("1980-05-01", today).unwrap();
        let a = similarity_materials(&PersonName::parse("Zoe O'Brien").unwrap(), &dob);
        let b = similarity_materials(&PersonName::parse("Zoe Obrian").unwrap(), &dob);
        assert!(a.iter().any(|m| b.contains(m)));
        let c = similarity_materials(&PersonName::parse("Amir Khan").unwrap(), &dob);
        assert!(!a.iter().any(|m| c.contains(m)));
        // A name spelt with look-alike letters of other scripts is the
        // same identity, and shares its words.
        let latin = PersonName::parse("Zoë O'Brien-Smith").unwrap();
        let disguised = PersonName::parse("Ζοе Ο'Βriеn-Ѕmith").unwrap();
        assert_eq!(
            identity_material(&latin, &dob),
            identity_material(&disguised, &dob)
        );
        assert_eq!(
            similarity_materials(&latin, &dob),
            similarity_materials(&disguised, &dob)
        );
        let partly = PersonName::parse("Ζое Ο'Brian").unwrap();
        let words = similarity_materials(&partly, &dob);
        assert!(words.iter().any(|m| a.contains(m)), "{words:?}");
    }

    #[test]
    fn dates_of_birth_and_ages() {
        let today = day("2026-11-23");
        let d = DateOfBirth::parse("23/11/2010", today).unwrap();
        assert_eq!(d.iso(), "2010-11-23");
        assert_eq!(d.age_on(today), 16);
        assert_eq!(d.age_on(day("2026-11-22")), 15);
        assert!(DateOfBirth::parse("2027-01-01", today).is_err());
        assert!(DateOfBirth::parse("1850-01-01", today).is_err());
        assert!(DateOfBirth::parse("31/02/2000", today).is_err());
        assert_eq!(format!("{d:?}"), "DateOfBirth(<redacted>)");
    }

    #[test]
    fn uk_mobiles_only() {
        for ok in [
            "07700 900123",
            "+44 7700 900123",
            "+44 (0)7700 900123",
            "0044 7700 900123",
            "447700900123",
            "07624 123456",
        ] {
            assert!(PhoneNumber::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            PhoneNumber::parse("07700-900-123").unwrap().e164(),
            "+447700900123"
        );
        for bad in [
            "0113 496 0000",
            "07000 123456",
            "07600 123456",
            "0770090012",
            "+33 6 12 34 56 78",
            "call me",
            "",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            format!("{:?}", PhoneNumber::parse("07700900123").unwrap()),
            "PhoneNumber(<redacted>)"
        );
    }
}
