//! Reader for the BLT ranked-ballot format used by STV counting programs.
//!
//! ```text
//! 4 2                 candidates and seats
//! -3                  optional: withdrawn candidates, negated
//! 12 1 2 3 0          weight (ballot papers), preferences in order, 0
//! 7 2 0
//! 0                   end of ballots
//! "Alice"             one name per candidate, quoted or not
//! "Bob"
//! "Carol ""CJ"" Jones"   a doubled quote is a literal quote
//! "Dan"
//! "Title"             optional
//! ```
//!
//! Tolerated: a byte-order mark, CRLF or CR line ends, blank lines, comment
//! lines starting with `#`, a trailing `# comment` on number lines, commas as
//! separators on number lines. Two quirks of published Scottish files are
//! handled: files exported through a spreadsheet end every line with a comma
//! (when the header line ends with a comma, one trailing comma is dropped
//! from the names and title); and some files list no names but carry
//! `# ALTERNATIVE NAME i: NAME` comments for every candidate, which then name
//! the candidates (the one remaining line, if any, is the title).
//!
//! Everything else that does not fit is an error naming the line.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::RankedError;

/// Upper bound on the number of candidates in one election.
pub const MAX_CANDIDATES: usize = 10_000;

/// Upper bound on the total number of ballot papers (keeps every vote total,
/// in 1/100,000 units, far inside `u64`).
pub const MAX_PAPERS: u64 = 1_000_000_000_000;

/// One distinct ranking and how many ballot papers carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ballot {
    papers: u64,
    preferences: Vec<usize>,
}

impl Ballot {
    /// `papers` ballot papers ranking `preferences` (0-based candidate
    /// indices, most preferred first).
    pub fn new(papers: u64, preferences: Vec<usize>) -> Ballot {
        Ballot {
            papers,
            preferences,
        }
    }

    /// Number of ballot papers with this ranking.
    pub fn papers(&self) -> u64 {
        self.papers
    }

    /// Candidate indices, most preferred first.
    pub fn preferences(&self) -> &[usize] {
        &self.preferences
    }
}

/// A ranked-ballot election as read from a BLT file.
///
/// **Invariant**: at least one candidate and at most [`MAX_CANDIDATES`];
/// `1 <= seats <= candidates`; candidate names are non-empty and distinct;
/// every preference is a valid index and no ballot ranks a candidate twice;
/// the total number of papers is at most [`MAX_PAPERS`]. A value of this
/// type is therefore always countable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BltElection {
    candidates: Vec<String>,
    seats: usize,
    withdrawn: Vec<usize>,
    ballots: Vec<Ballot>,
    title: Option<String>,
}

impl BltElection {
    /// Builds an election, checking the invariants.
    pub fn new(
        candidates: Vec<String>,
        seats: usize,
        withdrawn: Vec<usize>,
        ballots: Vec<Ballot>,
        title: Option<String>,
    ) -> Result<BltElection, RankedError> {
        let n = candidates.len();
        if n == 0 || n > MAX_CANDIDATES {
            return Err(RankedError::invalid(format!(
                "the number of candidates must be between 1 and {MAX_CANDIDATES}, not {n}"
            )));
        }
        if seats == 0 || seats > n {
            return Err(RankedError::invalid(format!(
                "the number of seats must be between 1 and the number of candidates ({n}), not {seats}"
            )));
        }
        let mut seen = HashSet::new();
        for name in &candidates {
            if name.is_empty() {
                return Err(RankedError::invalid("a candidate name is empty"));
            }
            if !seen.insert(name.as_str()) {
                return Err(RankedError::invalid(format!(
                    "two candidates are both named {name:?}"
                )));
            }
        }
        let mut withdrawn = withdrawn;
        withdrawn.sort_unstable();
        withdrawn.dedup();
        if let Some(&w) = withdrawn.iter().find(|&&w| w >= n) {
            return Err(RankedError::invalid(format!(
                "withdrawn candidate index {w} is out of range"
            )));
        }
        let mut total: u64 = 0;
        let mut ranked = vec![false; n];
        for ballot in &ballots {
            total = total
                .checked_add(ballot.papers)
                .filter(|&t| t <= MAX_PAPERS)
                .ok_or_else(|| {
                    RankedError::invalid(format!("more than {MAX_PAPERS} ballot papers"))
                })?;
            ranked.iter_mut().for_each(|r| *r = false);
            for &c in &ballot.preferences {
                match ranked.get_mut(c) {
                    None => {
                        return Err(RankedError::invalid(format!(
                            "preference for candidate index {c} is out of range"
                        )))
                    }
                    Some(true) => {
                        return Err(RankedError::invalid(format!(
                            "a ballot ranks candidate index {c} twice"
                        )))
                    }
                    Some(r) => *r = true,
                }
            }
        }
        Ok(BltElection {
            candidates,
            seats,
            withdrawn,
            ballots,
            title,
        })
    }

    /// Candidate names as written in the file, in file order.
    pub fn candidates(&self) -> &[String] {
        &self.candidates
    }

    /// Number of seats to fill.
    pub fn seats(&self) -> usize {
        self.seats
    }

    /// Withdrawn candidates (0-based indices, ascending).
    pub fn withdrawn(&self) -> &[usize] {
        &self.withdrawn
    }

    /// The distinct rankings with their number of papers, in file order.
    pub fn ballots(&self) -> &[Ballot] {
        &self.ballots
    }

    /// The election's title, if the file gives one.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The same election with other ballots (checked again).
    pub fn with_ballots(&self, ballots: Vec<Ballot>) -> Result<BltElection, RankedError> {
        BltElection::new(
            self.candidates.clone(),
            self.seats,
            self.withdrawn.clone(),
            ballots,
            self.title.clone(),
        )
    }
}

/// Splits into (1-based line number, line) on LF, CRLF or lone CR.
fn split_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut number = 1;
    while let Some(end) = rest.find(['\n', '\r']) {
        out.push((number, &rest[..end]));
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
        number += 1;
    }
    if !rest.is_empty() {
        out.push((number, rest));
    }
    out
}

/// Tokens of a number line: a trailing `#` comment is dropped and commas
/// separate like whitespace.
fn number_tokens<'a>(line: &'a str, into: &mut Vec<&'a str>) {
    into.clear();
    let line = line.split('#').next().unwrap_or_default();
    into.extend(
        line.split(|c: char| c.is_ascii_whitespace() || c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty()),
    );
}

fn parse_count(token: &str, line: usize, what: &str) -> Result<u64, RankedError> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
        let hint = if token.contains('.') {
            " (a whole number is needed)"
        } else {
            ""
        };
        return Err(RankedError::parse(
            line,
            format!("{what} must be a whole number, found {token:?}{hint}"),
        ));
    }
    token
        .parse::<u64>()
        .map_err(|_| RankedError::parse(line, format!("{what} {token} is too large")))
}

/// Reads one quoted field at the start of `s` (after its opening quote):
/// returns the text, with `""` read as a literal quote, and what follows
/// the closing quote; `None` if there is no closing quote.
fn quoted_field(inner: &str) -> Option<(String, &str)> {
    let mut text = String::new();
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            text.push(c);
        } else if matches!(chars.peek(), Some((_, '"'))) {
            chars.next();
            text.push('"');
        } else {
            return Some((text, inner.get(i + 1..).unwrap_or_default()));
        }
    }
    None
}

/// Reads a candidate name or title: a quoted string (with `""` for a
/// literal quote) or the bare trimmed line. A quoted name may be followed
/// by further quoted fields, as in `"Sasha BRYDON" "Scottish Labour Party"`
/// (name, then affiliation); the name is the first field.
fn parse_name(raw: &str, line: usize, csv_style: bool) -> Result<String, RankedError> {
    let mut s = raw.trim();
    if csv_style {
        if let Some(stripped) = s.strip_suffix(',') {
            s = stripped.trim_end();
        }
    }
    let Some(inner) = s.strip_prefix('"') else {
        return Ok(s.to_string());
    };
    let unclosed = || RankedError::parse(line, "quoted name has no closing quote".to_string());
    let (name, mut rest) = quoted_field(inner).ok_or_else(unclosed)?;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with('#') {
            return Ok(name);
        }
        let Some(next) = rest.strip_prefix('"') else {
            return Err(RankedError::parse(
                line,
                format!("unexpected text {rest:?} after the closing quote"),
            ));
        };
        rest = quoted_field(next).ok_or_else(unclosed)?.1;
    }
}

/// `# ALTERNATIVE NAME i: NAME` comment, as found in some published files.
fn alternative_name(line: &str) -> Option<(usize, String)> {
    let rest = line.trim().strip_prefix('#')?.trim_start();
    let rest = rest.strip_prefix("ALTERNATIVE NAME")?;
    let (number, name) = rest.split_once(':')?;
    let number = number.trim().parse::<usize>().ok()?;
    Some((number, name.trim().to_string()))
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Parses a BLT file. Never panics; every problem is a [`RankedError`]
/// naming the line.
pub fn parse_blt(text: &str) -> Result<BltElection, RankedError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = split_lines(text);
    // Index of the next line to read; blank and comment lines are skipped.
    let mut next = 0;
    let mut next_content = || {
        while let Some(&(number, line)) = lines.get(next) {
            next += 1;
            if !is_blank_or_comment(line) {
                return Some((number, line));
            }
        }
        None
    };

    // Header: number of candidates and seats.
    let Some((header_line, header)) = next_content() else {
        return Err(RankedError::parse(
            1,
            "the file is empty: expected a line with the number of candidates and seats",
        ));
    };
    let csv_style = header.trim_end().ends_with(',');
    let mut tokens = Vec::new();
    number_tokens(header, &mut tokens);
    let [n_token, seats_token] = tokens[..] else {
        return Err(RankedError::parse(
            header_line,
            format!(
                "expected the number of candidates and the number of seats, found {:?}",
                header.trim()
            ),
        ));
    };
    let n = parse_count(n_token, header_line, "the number of candidates")?;
    let seats = parse_count(seats_token, header_line, "the number of seats")?;
    let n = usize::try_from(n)
        .ok()
        .filter(|&n| (1..=MAX_CANDIDATES).contains(&n))
        .ok_or_else(|| {
            RankedError::parse(
                header_line,
                format!("the number of candidates must be between 1 and {MAX_CANDIDATES}"),
            )
        })?;
    let seats = usize::try_from(seats)
        .ok()
        .filter(|&s| (1..=n).contains(&s))
        .ok_or_else(|| {
            RankedError::parse(
                header_line,
                format!("the number of seats must be between 1 and the number of candidates ({n})"),
            )
        })?;

    // Withdrawn line, ballots, and the closing 0.
    let mut withdrawn = Vec::new();
    let mut ballots = Vec::new();
    let mut total_papers: u64 = 0;
    let mut ended = false;
    let mut seen = vec![usize::MAX; n];
    while let Some((number, line)) = next_content() {
        number_tokens(line, &mut tokens);
        if tokens.is_empty() {
            return Err(RankedError::parse(
                number,
                format!("expected a ballot line, found {:?}", line.trim()),
            ));
        }
        if tokens == ["0"] {
            ended = true;
            break;
        }
        if tokens.iter().all(|t| t.starts_with('-')) {
            if !ballots.is_empty() {
                return Err(RankedError::parse(
                    number,
                    "withdrawn candidates must be listed before the first ballot",
                ));
            }
            for t in &tokens {
                let c = parse_count(&t[1..], number, "a withdrawn candidate number")?;
                withdrawn.push(candidate_index(c, n, number)?);
            }
            continue;
        }
        let papers = parse_count(tokens[0], number, "the ballot weight")?;
        let Some((&last, prefs)) = tokens[1..].split_last() else {
            return Err(RankedError::parse(
                number,
                "a ballot line needs preferences ending with 0 after its weight",
            ));
        };
        if last != "0" {
            return Err(RankedError::parse(
                number,
                format!("a ballot line must end with 0, found {last:?}"),
            ));
        }
        let mut preferences = Vec::with_capacity(prefs.len());
        for &t in prefs {
            if t.contains('=') {
                return Err(RankedError::parse(
                    number,
                    format!("equal preferences ({t:?}) are not allowed"),
                ));
            }
            let c = parse_count(t, number, "a preference")?;
            if c == 0 {
                return Err(RankedError::parse(
                    number,
                    "0 may only end the ballot line".to_string(),
                ));
            }
            let c = candidate_index(c, n, number)?;
            if seen[c] == ballots.len() {
                return Err(RankedError::parse(
                    number,
                    format!("candidate {} is ranked twice", c + 1),
                ));
            }
            seen[c] = ballots.len();
            preferences.push(c);
        }
        total_papers = total_papers
            .checked_add(papers)
            .filter(|&t| t <= MAX_PAPERS)
            .ok_or_else(|| {
                RankedError::parse(number, format!("more than {MAX_PAPERS} ballot papers"))
            })?;
        ballots.push(Ballot::new(papers, preferences));
    }
    if !ended {
        return Err(RankedError::parse(
            lines.len().max(1),
            "the file ends before the 0 line that closes the ballots",
        ));
    }

    // Names and title.
    let mut alternatives = BTreeMap::new();
    let mut tail = Vec::new();
    let after_ballots = lines.get(next..).unwrap_or_default();
    for &(number, line) in after_ballots {
        if let Some((i, name)) = alternative_name(line) {
            alternatives.insert(i, name);
        } else if !is_blank_or_comment(line) {
            tail.push((number, line));
        }
    }
    let alternatives_cover = (1..=n).all(|i| alternatives.contains_key(&i));
    let from_comments = tail.len() < n && tail.len() <= 1 && alternatives_cover;
    let (candidates, title_line) = if from_comments {
        let names = (1..=n)
            .filter_map(|i| alternatives.remove(&i))
            .collect::<Vec<_>>();
        (names, tail.first().copied())
    } else if tail.len() < n {
        return Err(RankedError::parse(
            tail.last().map_or(lines.len().max(1), |&(l, _)| l),
            format!(
                "expected {n} candidate names after the ballots, found {}",
                tail.len()
            ),
        ));
    } else {
        let mut names = Vec::with_capacity(n);
        for &(number, line) in &tail[..n] {
            names.push(parse_name(line, number, csv_style)?);
        }
        if let Some(&(number, _)) = tail.get(n + 1) {
            return Err(RankedError::parse(
                number,
                format!("unexpected line after the {n} candidate names and the title"),
            ));
        }
        (names, tail.get(n).copied())
    };
    let names_start = tail.first().map_or(lines.len().max(1), |&(l, _)| l);
    let mut seen_names = HashSet::new();
    for (i, name) in candidates.iter().enumerate() {
        let number = match tail.get(i) {
            Some(&(l, _)) if !from_comments => l,
            _ => names_start,
        };
        if name.is_empty() {
            return Err(RankedError::parse(
                number,
                format!("candidate {} has an empty name", i + 1),
            ));
        }
        if !seen_names.insert(name.as_str()) {
            return Err(RankedError::parse(
                number,
                format!("two candidates are both named {name:?}"),
            ));
        }
    }
    let title = match title_line {
        Some((number, line)) => Some(parse_name(line, number, csv_style)?),
        None => None,
    };
    BltElection::new(candidates, seats, withdrawn, ballots, title)
}

fn candidate_index(c: u64, n: usize, line: usize) -> Result<usize, RankedError> {
    usize::try_from(c)
        .ok()
        .filter(|&c| (1..=n).contains(&c))
        .map(|c| c - 1)
        .ok_or_else(|| {
            RankedError::parse(
                line,
                format!("candidate number {c} is out of range (1 to {n})"),
            )
        })
}
