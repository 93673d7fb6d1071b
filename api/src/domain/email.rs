//! Email addresses, normalised so that the same mailbox always compares equal.
use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// The address as a group's members see who they invited: its first
    /// letter and its domain, `j•••@example.org`.
    pub fn hint(&self) -> String {
        let s = self.as_str();
        let (local, domain) = s.split_once('@').unwrap_or((s, ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}•••@{domain}")
    }

    /// Trims and lower-cases the address and checks its shape. We do not try
    /// to implement RFC 5322: an address that reaches a person is the test,
    /// and the one-time code proves that.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err("enter an email address".into());
        }
        if s.len() > 254 {
            return Err("that email address is too long".into());
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(
                "enter an email address in the correct format, like name@example.com".into(),
            );
        };
        let bad_char = |c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | ',' | ';' | '"' | '(' | ')' | '[' | ']' | '\\'
                )
        };
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || s.chars().any(bad_char)
        {
            return Err(
                "enter an email address in the correct format, like name@example.com".into(),
            );
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The mailbox the address delivers to, for telling whether two
    /// verifications used one mailbox: sub-addresses (`name+anything@`) go
    /// to `name@` with every provider that offers them, and Gmail ignores
    /// dots in the local part. Only ever compared, as a keyed hash; mail
    /// is still sent to the address as written.
    pub fn mailbox(&self) -> String {
        let (local, domain) = self.0.split_once('@').unwrap_or((&self.0, ""));
        let local = local.split('+').next().unwrap_or(local);
        let (local, domain) = match domain {
            "gmail.com" | "googlemail.com" => (local.replace('.', ""), "gmail.com"),
            _ => (local.to_owned(), domain),
        };
        format!("{local}@{domain}")
    }
}

/// Never print an address in logs by accident.
impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_rejects() {
        assert_eq!(
            EmailAddress::parse("  Ann@Example.ORG ").unwrap().as_str(),
            "ann@example.org"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.org",
            "ann@x",
            "a b@x.org",
            "a@@x.org",
            "a@x..org",
            "a@.x.org",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} should be refused");
        }
        let mailbox = |a: &str| EmailAddress::parse(a).unwrap().mailbox();
        assert_eq!(mailbox("Sybil+1@Example.org"), "sybil@example.org");
        assert_eq!(mailbox("s.ybil+x@googlemail.com"), "sybil@gmail.com");
        assert_eq!(mailbox("s.ybil@example.org"), "s.ybil@example.org");
        assert_eq!(
            format!("{:?}", EmailAddress::parse("a@b.co").unwrap()),
            "EmailAddress(<redacted>)"
        );
    }
}
