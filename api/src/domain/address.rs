//! A postal address to send letters to: a name, up to five lines and a UK
//! postcode, as GOV.UK Notify and print suppliers take them (at most seven
//! lines, the last a postcode).
use super::Postcode;
use std::fmt;

/// The most lines between the name and the postcode.
pub const MAX_LINES: usize = 5;
const MAX_LINE_CHARS: usize = 100;

#[derive(Clone, PartialEq, Eq)]
pub struct PostalAddress {
    lines: Vec<String>,
    postcode: Postcode,
}

impl PostalAddress {
    /// Reads an address written one line a line (or separated by commas),
    /// the name first and the postcode last.
    pub fn parse(text: &str) -> Result<Self, String> {
        let separator = if text.contains('\n') { '\n' } else { ',' };
        let mut lines: Vec<String> = text
            .split(separator)
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        let Some(last) = lines.pop() else {
            return Err("write the name and postal address, the postcode last".into());
        };
        let postcode = Postcode::parse(&last).map_err(|_| {
            format!("the last line of the address, \"{last}\", is not a UK postcode")
        })?;
        if lines.len() < 2 {
            return Err(
                "write the name, then at least one line of the address, then the postcode".into(),
            );
        }
        if lines.len() > MAX_LINES + 1 {
            return Err(format!(
                "an address has at most {MAX_LINES} lines between the name and the postcode"
            ));
        }
        if let Some(long) = lines.iter().find(|l| l.chars().count() > MAX_LINE_CHARS) {
            return Err(format!(
                "each line of the address has at most {MAX_LINE_CHARS} characters; \"{}…\" is longer",
                long.chars().take(20).collect::<String>()
            ));
        }
        Ok(PostalAddress { lines, postcode })
    }

    /// The name, the address's lines and the postcode, one a line: what a
    /// letter's address block prints.
    pub fn lines(&self) -> Vec<String> {
        let mut out = self.lines.clone();
        out.push(self.postcode.full());
        out
    }

    /// The address as `parse` reads it back.
    pub fn as_text(&self) -> String {
        self.lines().join("\n")
    }

    pub fn postcode(&self) -> &Postcode {
        &self.postcode
    }
}

impl fmt::Debug for PostalAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PostalAddress(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_has_a_name_a_line_and_a_postcode() {
        let a = PostalAddress::parse("Gwen Demo\n 12  Woodhouse Street \n\nLeeds\nls61ab").unwrap();
        assert_eq!(
            a.lines(),
            ["Gwen Demo", "12 Woodhouse Street", "Leeds", "LS6 1AB"]
        );
        assert_eq!(PostalAddress::parse(&a.as_text()).unwrap(), a);
        let commas = PostalAddress::parse("Gwen Demo, 12 Woodhouse Street, LS6 1AB").unwrap();
        assert_eq!(commas.lines().len(), 3);
        assert!(format!("{a:?}").contains("redacted"));
        for (bad, why) in [
            ("", "write the name"),
            ("Gwen Demo\nLS6 1AB", "at least one line"),
            ("Gwen Demo\n12 Woodhouse Street\nLeeds", "not a UK postcode"),
            ("A\n1\n2\n3\n4\n5\n6\nLS6 1AB", "at most 5 lines"),
        ] {
            let err = PostalAddress::parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
