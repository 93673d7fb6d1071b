//! Bounded, trimmed text fields.

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
}
