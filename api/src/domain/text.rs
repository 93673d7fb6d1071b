//! Bounded, trimmed text fields, and the folding that makes two spellings of
//! one name compare equal.
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Folds text for comparison: compatibility decomposition (NFKD) with the
/// accents dropped, lower case, and every run of anything but letters and
/// digits turned into one space. Apostrophes vanish, so that "O'Brien"
/// folds to "obrien". "Zoë  O’Brien-Smith" folds to "zoe obrien smith".
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut gap = false;
    for c in input.nfkd().filter(|c| !is_combining_mark(*c)) {
        if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`') {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// The key a unique name is stored under: "Friends of the Moor" and
/// "friends of the moór" are the same group.
pub fn name_key(input: &str) -> String {
    fold(input)
}

/// Trims `input` and checks it is between `min` and `max` characters long.
/// `what` names the field in the message a person sees.
pub fn bounded(input: &str, what: &str, min: usize, max: usize) -> Result<String, String> {
    let s = input.trim();
    let len = s.chars().count();
    if len < min {
        return if min <= 1 {
            Err(format!("enter {what}"))
        } else {
            Err(format!("{what} must be at least {min} characters"))
        };
    }
    if len > max {
        return Err(format!("{what} must be {max} characters or fewer"));
    }
    if s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(format!("{what} contains characters that cannot be shown"));
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(bounded("  hi ", "a title", 1, 10).unwrap(), "hi");
        assert_eq!(bounded(" ", "a title", 1, 10).unwrap_err(), "enter a title");
        assert!(bounded("abcdefghijk", "a title", 1, 10).is_err());
        assert!(bounded("a\u{0}b", "a title", 1, 10).is_err());
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Zoë  O’Brien-Smith"), "zoe obrien smith");
        assert_eq!(fold("zoe o'brien smith"), "zoe obrien smith");
        assert_eq!(
            name_key("Friends of the Moór "),
            name_key("friends OF the moor")
        );
        assert_eq!(fold("ＡＢＣ ﬁsh"), "abc fish");
        assert_eq!(fold(" -- "), "");
    }
}
