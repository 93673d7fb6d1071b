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

/// Folds a person's name for comparison: `fold`, after reading each letter
/// that only looks like a Latin letter or digit (Greek "Ο", Cyrillic "е"
/// and "Ѕ", a dotless "ı"…) as the character it imitates, by its Unicode
/// TR39 skeleton (`unicode_security::skeleton`), and dropping characters
/// that show nothing (zero-width spaces and the like). "Ζοе Ο'Βriеn-Ѕmith"
/// folds as "Zoë O'Brien-Smith" does, to "zoe obrien smith".
///
/// Only characters outside ASCII are read this way, each to the ASCII
/// character of the same skeleton (so a look-alike of "m", whose skeleton
/// is "rn", reads as "m"). Names written in plain Latin letters therefore
/// fold exactly as before: the keyed hashes already stored for them (a
/// round's verification records, an imported register) still match, and
/// they cannot be recomputed, since only hashes are kept. Latin letters
/// that NFKD leaves whole and TR39 maps to a plain one ("ø", "ł") now fold
/// to it, and a name written in Greek or Cyrillic folds with its Latin
/// look-alikes read as Latin ("Мария" as "mapия"), the same however it is
/// mixed.
pub fn fold_confusables(input: &str) -> String {
    let mut read = String::with_capacity(input.len());
    for c in input.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_ascii() {
            read.push(c);
        } else {
            read.push_str(&looks_like(c));
        }
    }
    fold(&read)
}

/// The ASCII character (or characters) `c` is confusable with, or `c`.
/// The small letter is tried first, so that a capital whose skeleton is
/// ambiguous (Cyrillic "І": "l" or "I"?) reads by its small letter ("і":
/// "i"); then the character itself (Greek "Ζ": "Z", where "ζ" is no Latin
/// look-alike).
fn looks_like(c: char) -> String {
    let mut lower = c.to_lowercase();
    let small = match (lower.next(), lower.next()) {
        (Some(l), None) if l != c => Some(l),
        _ => None,
    };
    for candidate in small.into_iter().chain([c]) {
        let here = candidate.to_string();
        let skeleton: String = unicode_security::skeleton(&here)
            .filter(|c| !is_combining_mark(*c))
            .collect();
        if skeleton.is_empty() {
            // A default-ignorable character: it shows nothing.
            return String::new();
        }
        if skeleton == here {
            continue;
        }
        if let Some(a) = ascii_with_skeleton(&skeleton) {
            return a.to_string();
        }
        if skeleton.chars().all(|c| c.is_ascii_alphanumeric()) {
            return skeleton;
        }
    }
    c.to_string()
}

/// The ASCII letter or digit whose TR39 skeleton is `skeleton`: a small
/// letter before a capital before a digit ("l" for "l", "I" and "1").
fn ascii_with_skeleton(skeleton: &str) -> Option<char> {
    use std::collections::HashMap;
    use std::sync::LazyLock;
    static BY_SKELETON: LazyLock<HashMap<String, char>> = LazyLock::new(|| {
        let mut map = HashMap::new();
        // Later inserts win: digits, then capitals, then small letters.
        for c in ('0'..='9').chain('A'..='Z').chain('a'..='z') {
            map.insert(unicode_security::skeleton(&c.to_string()).collect(), c);
        }
        map
    });
    BY_SKELETON.get(skeleton).copied()
}

/// The key a unique name is stored under: "Friends of the Moor" and
/// "friends of the moór" are the same group.
pub fn name_key(input: &str) -> String {
    fold(input)
}

/// Trims `input` and checks it is between `min` and `max` characters long.
/// `what` names the field in the message a person sees.
/// The Welsh of something written in English: optional, so empty (or
/// only spaces) is none, and otherwise held to the English's limits.
pub fn welsh(
    input: Option<&str>,
    what: &str,
    min: usize,
    max: usize,
) -> Result<Option<String>, String> {
    match input.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => bounded(s, what, min, max).map(Some),
    }
}

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

    #[test]
    fn look_alike_letters_fold_to_the_letters_they_imitate() {
        let latin = fold_confusables("Zoë O'Brien-Smith");
        assert_eq!(latin, "zoe obrien smith");
        // Greek Ζ, ο, Ο, Β; Cyrillic е, Ѕ.
        assert_eq!(fold_confusables("Ζοе Ο'Βriеn-Ѕmith"), latin);
        // Cyrillic А, о, С, Р, а, р; a zero-width space; Cyrillic І (read
        // by its small letter, "і").
        assert_eq!(fold_confusables("Аnna Сооper"), "anna cooper");
        assert_eq!(fold_confusables("Jо\u{200B}hn Рарр"), "john papp");
        assert_eq!(fold_confusables("Іvan"), "ivan");
        // A dotless ı is an i.
        assert_eq!(fold_confusables("Sıân"), "sian");
        // Plain Latin names fold exactly as `fold` does (their stored
        // hashes must still match), "m" included, whose skeleton is "rn".
        for name in [
            "Emma Smith",
            "Ann-Marie O'Neill",
            "Byrne, Verna",
            "Siobhán Ní Mhurchú",
            "ＡＢＣ ﬁsh",
            "Ian lan 1an",
            "Wyn ap Gwilym",
        ] {
            assert_eq!(fold_confusables(name), fold(name), "{name}");
        }
        // A name in another script folds the same whether or not some of
        // its letters are Latin look-alikes (Latin p, M, a here).
        assert_eq!(fold_confusables("Δημήτρης"), fold_confusables("Δημήτpης"));
        assert_eq!(fold_confusables("Мария"), fold_confusables("Mapия"));
        assert_ne!(fold_confusables("Мария"), fold_confusables("Мадя"));
    }
}
