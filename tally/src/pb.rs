//! Reading and writing pabulib `.pb` files (see pabulib.org/format).
//!
//! The reader tolerates a byte-order mark, CRLF line ends, decimal commas in
//! amounts, quoted fields (`"..."` with `""` escapes, possibly spanning lines)
//! and any case of the section names. Every malformed line is reported as a
//! [`PbError`] naming the line; the reader never panics.

use crate::model::{BallotConstraints, BallotRef, Ballots, Election, Money, Project, VoteType};
use crate::rules::mes::BuildFx;
use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;

/// A malformed `.pb` input, with the 1-based line it was found on (0 when
/// the problem is the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PbError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for PbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for PbError {}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, PbError> {
    Err(PbError {
        line,
        message: message.into(),
    })
}

/// One logical record's fields: a line without quotes (nearly all), split
/// on demand without copying, or the unquoted fields of a quoted record.
enum Fields<'a> {
    Line(&'a str),
    Owned(Vec<String>),
}

impl<'a> Fields<'a> {
    /// Replaces `out` with the fields.
    fn fill<'s>(&'s self, out: &mut Vec<&'s str>) {
        out.clear();
        match self {
            Fields::Line(l) => split_semicolons(l, out),
            Fields::Owned(v) => out.extend(v.iter().map(String::as_str)),
        }
    }
}

/// Appends the `;`-separated fields of a line (a byte loop: fields are
/// short, so this beats searching for each separator).
fn split_semicolons<'a>(l: &'a str, out: &mut Vec<&'a str>) {
    let mut start = 0;
    for (i, &b) in l.as_bytes().iter().enumerate() {
        if b == b';' {
            out.push(&l[start..i]);
            start = i + 1;
        }
    }
    out.push(&l[start..]);
}

/// A mask with the high bit set in (at least) the lowest byte of `word`
/// that is `\n`, `\r`, `;` or `"`, zero if there is none. Bits above the
/// lowest such byte may be set wrongly (borrows), so only the lowest counts.
#[inline]
fn special_bytes(word: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(LO) & !x & HI;
    zero_byte(word ^ (LO * u64::from(b'\n')))
        | zero_byte(word ^ (LO * u64::from(b'\r')))
        | zero_byte(word ^ (LO * u64::from(b';')))
        | zero_byte(word ^ (LO * u64::from(b'"')))
}

/// Reads `;`-separated records one at a time, honouring quotes.
struct Records<'a> {
    text: &'a str,
    /// Where the next line starts (`text.len() + 1` once all are read).
    pos: usize,
    /// The number of the line last read.
    line_no: usize,
    /// The fields of the last record returned as [`Fields::Line`], split
    /// while the line was found (one pass over its bytes).
    fields: Vec<&'a str>,
    /// Whether that line has no carriage return before its end (so each
    /// of its fields is exactly as written).
    plain: bool,
}

impl<'a> Records<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Records {
            text,
            pos: 0,
            line_no: 0,
            fields: Vec::new(),
            plain: true,
        }
    }

    /// The next line without its line end, or `None` at the end.
    fn next_line(&mut self) -> Option<&'a str> {
        let rest = self.text.get(self.pos..)?;
        let len = rest
            .as_bytes()
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(rest.len());
        self.pos += len + 1;
        self.line_no += 1;
        // CRLF line ends, and stray carriage returns before them.
        Some(rest[..len].trim_end_matches('\r'))
    }

    /// The next record and its first line number. For a line without
    /// quotes, its fields are left in `self.fields`.
    fn next_record(&mut self) -> Result<Option<(usize, Fields<'a>)>, PbError> {
        let text = self.text;
        let bytes = text.as_bytes();
        while self.pos <= bytes.len() {
            // One pass: find the line end and the separators.
            let start = self.pos;
            let mut field_start = start;
            let mut quote = false;
            let mut cr = 0usize;
            self.fields.clear();
            let mut i = start;
            while i < bytes.len() {
                // Skip eight ordinary bytes at a time.
                while let Some(chunk) = bytes.get(i..i + 8) {
                    let mut word = [0u8; 8];
                    word.copy_from_slice(chunk);
                    let special = special_bytes(u64::from_le_bytes(word));
                    if special != 0 {
                        i += (special.trailing_zeros() / 8) as usize;
                        break;
                    }
                    i += 8;
                }
                let Some(&b) = bytes.get(i) else { break };
                match b {
                    b'\n' => break,
                    b';' => {
                        self.fields.push(&text[field_start..i]);
                        field_start = i + 1;
                    }
                    b'"' => quote = true,
                    b'\r' => cr += 1,
                    _ => {}
                }
                i += 1;
            }
            self.pos = i + 1;
            self.line_no += 1;
            let line_no = self.line_no;
            let mut end = i;
            while end > start && bytes[end - 1] == b'\r' {
                end -= 1;
                cr -= 1;
            }
            self.plain = cr == 0;
            // `;`, `\r` and `\n` are ASCII: these are character boundaries.
            let line = &text[start..end];
            if quote {
                return self.quoted(line_no, line).map(Some);
            }
            if self.fields.is_empty() && line.trim().is_empty() {
                continue;
            }
            self.fields.push(&text[field_start.min(end)..end]);
            return Ok(Some((line_no, Fields::Line(line))));
        }
        Ok(None)
    }

    /// Quote-aware: a quoted field may span lines.
    fn quoted(&mut self, line_no: usize, line: &str) -> Result<(usize, Fields<'a>), PbError> {
        let mut fields: Vec<String> = Vec::new();
        let mut field = String::new();
        let mut in_quotes = false;
        let mut quoted = false;
        let mut current = line.to_string();
        loop {
            let mut chars = current.chars().peekable();
            while let Some(c) = chars.next() {
                if in_quotes {
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            field.push('"');
                        } else {
                            in_quotes = false;
                        }
                    } else {
                        field.push(c);
                    }
                    continue;
                }
                match c {
                    '"' if field.trim().is_empty() && !quoted => {
                        field.clear();
                        in_quotes = true;
                        quoted = true;
                    }
                    ';' => {
                        fields.push(std::mem::take(&mut field));
                        quoted = false;
                    }
                    // Text after a closing quote is kept, as Python's csv
                    // module does (`"Odkupmy" i my` reads as `Odkupmy i my`).
                    _ => field.push(c),
                }
            }
            if !in_quotes {
                break;
            }
            match self.next_line() {
                Some(next) => {
                    field.push('\n');
                    current = next.to_string();
                }
                None => return err(line_no, "quoted field is never closed"),
            }
        }
        fields.push(field);
        Ok((line_no, Fields::Owned(fields)))
    }
}

/// The unquoted fields of one written record (as [`write`] writes a row).
pub(crate) fn split_record(text: &str) -> Vec<String> {
    let mut r = Records::new(text);
    match r.next_record() {
        Ok(Some((_, Fields::Line(l)))) => l.split(';').map(str::to_string).collect(),
        Ok(Some((_, Fields::Owned(v)))) => v,
        _ => vec![String::new()],
    }
}

/// A decimal amount as written: integer digits and fractional digits.
#[derive(Clone, Copy, Debug)]
struct Decimal {
    /// The value times `10^decimals`.
    scaled: u128,
    decimals: u32,
}

fn parse_decimal(s: &str, line: usize, what: &str) -> Result<Decimal, PbError> {
    let t = s.trim();
    if t.is_empty() {
        return err(line, format!("{what} is empty"));
    }
    let (int_part, frac_part) = match t.find(['.', ',']) {
        Some(pos) => (&t[..pos], &t[pos + 1..]),
        None => (t, ""),
    };
    let frac_part = frac_part.trim_end_matches('0');
    let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty() || !digits_ok(int_part) || !digits_ok(frac_part) {
        return err(
            line,
            format!("{what} `{t}` is not a non-negative decimal number"),
        );
    }
    if frac_part.len() > 6 {
        return err(line, format!("{what} `{t}` has more than 6 decimals"));
    }
    let all = format!("{int_part}{frac_part}");
    let scaled: u128 = all.parse().map_err(|_| PbError {
        line,
        message: format!("{what} `{t}` is too large"),
    })?;
    if scaled > u128::from(u64::MAX) / 1_000_000 {
        return err(line, format!("{what} `{t}` is too large"));
    }
    Ok(Decimal {
        scaled,
        decimals: frac_part.len() as u32,
    })
}

fn parse_int(s: &str, line: usize, what: &str) -> Result<u64, PbError> {
    let t = s.trim();
    let d = parse_decimal(t, line, what)?;
    if d.decimals != 0 {
        return err(line, format!("{what} `{t}` must be a whole number"));
    }
    u64::try_from(d.scaled).map_err(|_| PbError {
        line,
        message: format!("{what} `{t}` is too large"),
    })
}

fn rescale(d: Decimal, scale: u32) -> Money {
    // Cannot overflow: scaled <= u64::MAX / 10^6 and scale - decimals <= 6.
    (d.scaled * 10u128.pow(scale - d.decimals)) as Money
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    None,
    Meta,
    Projects,
    Votes,
}

fn section_of(fields: &[&str]) -> Option<Section> {
    let first = fields.first()?.trim();
    if first.len() > 8 {
        return None;
    }
    let s = if first.eq_ignore_ascii_case("meta") {
        Section::Meta
    } else if first.eq_ignore_ascii_case("projects") {
        Section::Projects
    } else if first.eq_ignore_ascii_case("votes") {
        Section::Votes
    } else {
        return None;
    };
    fields
        .iter()
        .skip(1)
        .all(|f| f.trim().is_empty())
        .then_some(s)
}

struct RawProject {
    line: usize,
    id: String,
    cost: Decimal,
    name: Option<String>,
    category: Option<String>,
    extra: Vec<(String, String)>,
}

/// `s` trimmed; a fast path for the usual case of nothing to trim.
fn fast_trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&z)) if a > b' ' && a < 0x80 && z > b' ' && z < 0x80 => s,
        _ => s.trim(),
    }
}

/// The value of a whole number written canonically (digits only, no
/// leading zero, at most 18 digits), so two such strings are equal exactly
/// when their values are.
fn canonical_number(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 18 || (b[0] == b'0' && b.len() > 1) {
        return None;
    }
    let mut n = 0u64;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(c - b'0');
    }
    Some(n)
}

/// Project lookup by id: a direct table for canonical numeric ids (most
/// files), the hash map for the others.
struct IdIndex {
    /// `numeric[n]` is the index + 1 of the project with id `n`, or 0.
    numeric: Vec<u32>,
    map: HashMap<String, u32, BuildFx>,
}

impl IdIndex {
    const MAX_TABLE: u64 = 1 << 20;

    fn new(projects: &[Project], map: HashMap<String, u32, BuildFx>) -> Self {
        let nums: Vec<(u64, usize)> = projects
            .iter()
            .enumerate()
            .filter_map(|(i, p)| canonical_number(&p.id).map(|n| (n, i)))
            .collect();
        let max = nums.iter().map(|x| x.0).max();
        let mut numeric = Vec::new();
        // Only when every numeric id fits the table: then a numeric id
        // missing from the table is missing altogether.
        if let Some(max) = max.filter(|&m| m < Self::MAX_TABLE) {
            numeric = vec![0u32; max as usize + 1];
            for (n, i) in nums {
                numeric[n as usize] = i as u32 + 1;
            }
        }
        IdIndex { numeric, map }
    }

    /// Reads a vote of canonical numeric ids (`12,7,301`) through the
    /// table into `out`. `false` when any id needs the general path (not
    /// numeric, not canonical, unknown, spaces...): the caller then reads
    /// the vote again the general way.
    fn numeric_list(&self, vote: &str, out: &mut Vec<u32>) -> bool {
        if self.numeric.is_empty() {
            return false;
        }
        let push = |n: u64, out: &mut Vec<u32>| match self.numeric.get(n as usize) {
            Some(&i) if i > 0 => {
                out.push(i - 1);
                true
            }
            _ => false,
        };
        let mut n = 0u64;
        let mut len = 0usize;
        for &c in vote.as_bytes() {
            if c == b',' {
                if len == 0 || !push(n, out) {
                    return false;
                }
                n = 0;
                len = 0;
            } else if c.is_ascii_digit() {
                // A leading zero is not canonical; the table holds fewer
                // than 10^7 entries.
                if (len == 1 && n == 0) || len >= 7 {
                    return false;
                }
                n = n * 10 + u64::from(c - b'0');
                len += 1;
            } else {
                return false;
            }
        }
        len > 0 && push(n, out)
    }

    fn get(&self, id: &str) -> Option<u32> {
        if !self.numeric.is_empty() {
            if let Some(n) = canonical_number(id) {
                return match self.numeric.get(n as usize) {
                    Some(&i) if i > 0 => Some(i - 1),
                    _ => None,
                };
            }
        }
        self.map.get(id).copied()
    }
}

/// The first voter id that repeats one on an earlier line, among the
/// ballots read so far (`lines[i]` is ballot `i`'s line) and `current`
/// (the id on the next line, with its line), reported as a line-by-line
/// reader would.
fn first_duplicate(
    ballots: &Ballots,
    lines: &[u32],
    current: Option<(&str, usize)>,
) -> Option<PbError> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(ballots.len() + 1);
    let ids = ballots
        .iter()
        .map(|b| b.voter_id)
        .zip(lines.iter().map(|&l| l as usize))
        .chain(current);
    for (vid, line) in ids {
        if let Some(first) = seen.insert(vid, line) {
            return Some(PbError {
                line,
                message: format!("voter `{vid}` already voted on line {first}"),
            });
        }
    }
    None
}

/// What the META and PROJECTS sections say, once both are read.
struct Head {
    budget: Money,
    scale: u32,
    vote_type: VoteType,
    projects: Vec<Project>,
    index: HashMap<String, u32, BuildFx>,
    constraints: BallotConstraints,
}

fn read_head(
    meta: &mut [(String, String)],
    raw_projects: Vec<RawProject>,
    meta_line: usize,
) -> Result<Head, PbError> {
    let meta_get = |key: &str| -> Option<&str> {
        meta.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let Some(budget_str) = meta_get("budget") else {
        return err(meta_line, "META has no `budget`");
    };
    let budget_dec = parse_decimal(budget_str, meta_line, "budget")?;
    let max_sum_cost_dec = match meta_get("max_sum_cost") {
        Some(v) => Some(parse_decimal(v, meta_line, "max_sum_cost")?),
        None => None,
    };
    let vote_type = match meta_get("vote_type") {
        Some(v) => VoteType::parse(v).ok_or_else(|| PbError {
            line: meta_line,
            message: format!("unknown vote_type `{v}`"),
        })?,
        None => VoteType::Approval,
    };
    let scale = raw_projects
        .iter()
        .map(|p| p.cost.decimals)
        .chain([budget_dec.decimals])
        .chain(max_sum_cost_dec.map(|d| d.decimals))
        .max()
        .unwrap_or(0);
    if raw_projects.len() >= u32::MAX as usize {
        return err(meta_line, "too many projects");
    }

    // Few keys, looked up once per vote: a fast hasher.
    let mut index: HashMap<String, u32, BuildFx> =
        HashMap::with_capacity_and_hasher(raw_projects.len(), BuildFx::default());
    let mut projects = Vec::with_capacity(raw_projects.len());
    for p in raw_projects {
        if index.insert(p.id.clone(), projects.len() as u32).is_some() {
            return err(p.line, format!("project `{}` appears twice", p.id));
        }
        projects.push(Project {
            id: p.id,
            cost: rescale(p.cost, scale),
            name: p.name,
            category: p.category,
            extra: p.extra,
        });
    }

    let opt_int = |key: &str| -> Result<Option<u64>, PbError> {
        match meta_get(key) {
            Some(v) => {
                // Some files write limits as decimals ("3.0").
                let d = parse_decimal(v, meta_line, key)?;
                if d.decimals != 0 {
                    return err(meta_line, format!("{key} `{v}` must be a whole number"));
                }
                Ok(Some(d.scaled as u64))
            }
            None => Ok(None),
        }
    };
    let constraints = BallotConstraints {
        min_length: opt_int("min_length")?,
        max_length: opt_int("max_length")?,
        min_points: opt_int("min_points")?,
        max_points: opt_int("max_points")?,
        min_sum_points: opt_int("min_sum_points")?,
        max_sum_points: opt_int("max_sum_points")?,
        max_sum_cost: max_sum_cost_dec.map(|d| rescale(d, scale)),
    };
    let budget = rescale(budget_dec, scale);
    // The budget is kept in META in its normalised form, so writing and
    // reading back gives the same election.
    for (k, v) in meta.iter_mut() {
        if k.eq_ignore_ascii_case("budget") {
            *v = format_money(budget, scale);
        }
    }
    Ok(Head {
        budget,
        scale,
        vote_type,
        projects,
        index,
        constraints,
    })
}

/// Reads VOTES rows into ballots, one row at a time.
struct VoteReader {
    voter_col: usize,
    vote_col: usize,
    points_col: Option<usize>,
    extra_idx: Vec<usize>,
    /// `Some(k)` when the other columns are the columns from `k` to the
    /// last.
    extra_first: Option<usize>,
    /// The number of columns in the header.
    columns: usize,
    ballot_columns: Vec<String>,
    needs_points: bool,
    approval_like: bool,
    ids: IdIndex,
    ballots: Ballots,
    /// The line of each ballot (for duplicate voters).
    lines: Vec<u32>,
    /// Voter ids are checked for duplicates at the end (see
    /// `first_duplicate`); numeric ones (nearly all) by their value.
    numeric_voters: Vec<u64>,
    all_numeric: bool,
    // Scratch buffers, reused for every ballot.
    list: Vec<u32>,
    pts: Vec<u64>,
    dedup: Vec<u32>,
    dedup_points: Vec<u64>,
    extra: String,
}

impl VoteReader {
    fn new(header: &[String], head: &mut Head) -> Result<Self, PbError> {
        let col = |name: &str| header.iter().position(|c| c == name);
        let (Some(voter_col), Some(vote_col)) = (col("voter_id"), col("vote")) else {
            return err(0, "VOTES header is missing");
        };
        let points_col = col("points");
        let extra_idx: Vec<usize> = (0..header.len())
            .filter(|&i| i != voter_col && i != vote_col && Some(i) != points_col)
            .collect();
        let ballot_columns = extra_idx.iter().map(|&i| header[i].clone()).collect();
        let extra_first = extra_idx
            .first()
            .copied()
            .filter(|&k| extra_idx.iter().copied().eq(k..header.len()));
        let needs_points = head.vote_type.has_points();
        Ok(VoteReader {
            voter_col,
            vote_col,
            points_col,
            extra_idx,
            extra_first,
            columns: header.len(),
            ballot_columns,
            needs_points,
            approval_like: head.vote_type.is_approval_like(),
            ids: IdIndex::new(&head.projects, std::mem::take(&mut head.index)),
            ballots: Ballots::new(needs_points),
            lines: Vec::new(),
            numeric_voters: Vec::new(),
            all_numeric: true,
            list: Vec::new(),
            pts: Vec::new(),
            dedup: Vec::new(),
            dedup_points: Vec::new(),
            extra: String::new(),
        })
    }

    /// Reads one VOTES row: its fields `f`, and the line they were split
    /// from when each field is exactly as written there (`raw`). On an
    /// error, a duplicate voter on an earlier line (or this one) is
    /// reported first, as a reader checking line by line would.
    fn add_fields(
        &mut self,
        line: usize,
        f: &[&str],
        raw: Option<&str>,
        projects: &[Project],
    ) -> Result<(), PbError> {
        let vid: &str = fast_trim(f.get(self.voter_col).copied().unwrap_or(""));
        if vid.is_empty() {
            return Err(
                first_duplicate(&self.ballots, &self.lines, None).unwrap_or_else(|| PbError {
                    line,
                    message: "voter_id is empty".into(),
                }),
            );
        }
        if self.all_numeric {
            match canonical_number(vid) {
                Some(n) => self.numeric_voters.push(n),
                None => self.all_numeric = false,
            }
        }
        if let Err(e) = self.read_rest(line, f, raw, projects) {
            return Err(
                first_duplicate(&self.ballots, &self.lines, Some((vid, line))).unwrap_or(e),
            );
        }
        let pushed = self.ballots.push(BallotRef {
            voter_id: vid,
            projects: &self.dedup,
            points: self.needs_points.then_some(&self.dedup_points[..]),
            extra: &self.extra,
        });
        if pushed.is_err() {
            return err(line, "too many ballots");
        }
        self.lines.push(u32::try_from(line).unwrap_or(u32::MAX));
        Ok(())
    }

    /// Everything about the ballot in `f` but its voter id, into the
    /// scratch buffers.
    fn read_rest(
        &mut self,
        line: usize,
        f: &[&str],
        raw: Option<&str>,
        projects: &[Project],
    ) -> Result<(), PbError> {
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let vote = fast_trim(get(self.vote_col));
        let list = &mut self.list;
        list.clear();
        if !vote.is_empty() && !self.ids.numeric_list(vote, list) {
            list.clear();
            for id in vote.split(',') {
                let id = fast_trim(id);
                let Some(pi) = self.ids.get(id) else {
                    return err(line, format!("vote names unknown project `{id}`"));
                };
                list.push(pi);
            }
        }
        let pts = &mut self.pts;
        if self.needs_points {
            let Some(pc) = self.points_col else {
                return err(line, "this vote_type needs a `points` column");
            };
            let ps = fast_trim(get(pc));
            pts.clear();
            if !ps.is_empty() {
                for p in ps.split(',') {
                    pts.push(parse_int(p, line, "points")?);
                }
            }
            if pts.len() != list.len() {
                return err(
                    line,
                    format!("{} projects but {} points", list.len(), pts.len()),
                );
            }
        }
        // Duplicates: an approval listed twice counts once, points given
        // twice to a project add up; in a ranking it is ambiguous.
        let (dedup, dedup_points) = (&mut self.dedup, &mut self.dedup_points);
        dedup.clear();
        dedup_points.clear();
        for (k, &p) in list.iter().enumerate() {
            if let Some(pos) = dedup.iter().position(|&q| q == p) {
                if self.approval_like {
                    continue;
                }
                if self.needs_points {
                    dedup_points[pos] = dedup_points[pos].saturating_add(pts[k]);
                    continue;
                }
                return err(
                    line,
                    format!(
                        "project `{}` appears twice in the vote",
                        projects[p as usize].id
                    ),
                );
            }
            dedup.push(p);
            if self.needs_points {
                dedup_points.push(pts[k]);
            }
        }
        self.extra.clear();
        if let Some(tail) = raw.and_then(|l| self.extra_tail(l, f)) {
            self.extra.push_str(tail);
            return Ok(());
        }
        for (k, &i) in self.extra_idx.iter().enumerate() {
            if k > 0 {
                self.extra.push(';');
            }
            push_quoted(&mut self.extra, fast_trim(get(i)));
        }
        Ok(())
    }

    /// The other columns of a row as one slice of its line, when they are
    /// the last columns, all present, and written so that the general
    /// path (trim each, quote if needed, join with `;`) would give the
    /// same text: then they are copied in one go.
    fn extra_tail<'l>(&self, l: &'l str, f: &[&str]) -> Option<&'l str> {
        let k = self.extra_first?;
        if f.len() != self.columns {
            return None;
        }
        let ex = f.get(k..)?;
        // No field to trim; no quote, separator or line end in any (the
        // line has none).
        if !ex.iter().all(|x| fast_trim(x).len() == x.len()) {
            return None;
        }
        let (first, last) = (ex.first()?, ex.last()?);
        let start = (first.as_ptr() as usize).checked_sub(l.as_ptr() as usize)?;
        let end = (last.as_ptr() as usize).checked_sub(l.as_ptr() as usize)? + last.len();
        l.get(start..end)
    }

    /// The ballots, once every row is read.
    fn finish(mut self) -> Result<(Ballots, Vec<String>), PbError> {
        let maybe_duplicate = if self.all_numeric {
            self.numeric_voters.sort_unstable();
            self.numeric_voters.windows(2).any(|w| w[0] == w[1])
        } else {
            let mut v: Vec<&str> = self.ballots.iter().map(|b| b.voter_id).collect();
            v.sort_unstable();
            v.windows(2).any(|w| w[0] == w[1])
        };
        if maybe_duplicate {
            if let Some(e) = first_duplicate(&self.ballots, &self.lines, None) {
                return Err(e);
            }
        }
        Ok((self.ballots, self.ballot_columns))
    }
}

/// Parses a `.pb` file.
///
/// VOTES rows are read as they come when META and PROJECTS precede them
/// (as in every published file); otherwise they are kept and read at the
/// end.
pub fn parse(text: &str) -> Result<Election, PbError> {
    let mut recs = Records::new(text);
    let mut section = Section::None;
    let mut header: Option<Vec<String>> = None;
    let mut seen = HashMap::new();
    let mut meta: Vec<(String, String)> = Vec::new();
    let mut raw_projects: Vec<RawProject> = Vec::new();
    let mut head: Option<Head> = None;
    let mut votes: Option<VoteReader> = None;
    // Rows of a VOTES section that came before META or PROJECTS.
    let mut raw_votes: Vec<(usize, Fields)> = Vec::new();
    let mut votes_header: Vec<String> = Vec::new();

    while let Some((line, rec)) = recs.next_record()? {
        // Fast path for the many votes rows: count the fields; a row whose
        // last field is not empty cannot be a section name.
        if let (Section::Votes, Some(h), Fields::Line(l)) = (section, &header, &rec) {
            let l = *l;
            let last = l.as_bytes().last().copied().unwrap_or(b';');
            let n = recs.fields.len();
            if last > b' ' && last < 0x80 && last != b';' && n > 1 {
                if n > h.len() {
                    return err(line, format!("{n} fields but the header has {}", h.len()));
                }
                let raw = recs.plain.then_some(l);
                match (&mut votes, &head) {
                    (Some(v), Some(hd)) => v.add_fields(line, &recs.fields, raw, &hd.projects)?,
                    _ => raw_votes.push((line, rec)),
                }
                continue;
            }
        }
        let mut owned_view: Vec<&str> = Vec::new();
        let fields: &[&str] = match &rec {
            Fields::Line(_) => &recs.fields,
            Fields::Owned(v) => {
                owned_view.extend(v.iter().map(String::as_str));
                &owned_view
            }
        };
        if let Some(s) = section_of(fields) {
            if seen.insert(s as u8, line).is_some() {
                return err(line, "section appears twice");
            }
            section = s;
            header = None;
            continue;
        }
        let Some(h) = &header else {
            if section == Section::None {
                return err(line, "expected a section name (META, PROJECTS or VOTES)");
            }
            let h: Vec<String> = fields.iter().map(|f| f.trim().to_string()).collect();
            if h.iter().any(|f| f.is_empty()) {
                return err(line, "empty column name in header");
            }
            for (i, a) in h.iter().enumerate() {
                if h[..i].contains(a) {
                    return err(line, format!("column `{a}` appears twice"));
                }
            }
            match section {
                Section::Projects => {
                    for need in ["project_id", "cost"] {
                        if !h.iter().any(|c| c == need) {
                            return err(line, format!("PROJECTS header lacks `{need}`"));
                        }
                    }
                }
                Section::Votes => {
                    for need in ["voter_id", "vote"] {
                        if !h.iter().any(|c| c == need) {
                            return err(line, format!("VOTES header lacks `{need}`"));
                        }
                    }
                    votes_header = h.clone();
                    // META and PROJECTS already read: read the votes as
                    // they come.
                    let meta_line = seen.get(&(Section::Meta as u8)).copied();
                    if let (Some(meta_line), true) =
                        (meta_line, seen.contains_key(&(Section::Projects as u8)))
                    {
                        let mut hd =
                            read_head(&mut meta, std::mem::take(&mut raw_projects), meta_line)?;
                        votes = Some(VoteReader::new(&votes_header, &mut hd)?);
                        head = Some(hd);
                    }
                }
                _ => {}
            }
            header = Some(h);
            continue;
        };
        match section {
            Section::Meta => {
                if fields.len() < 2 {
                    return err(line, "META row needs `key;value`");
                }
                let key = fields[0].trim().to_string();
                if key.is_empty() {
                    return err(line, "META key is empty");
                }
                let value = fields[1..].join(";").trim().to_string();
                if meta.iter().any(|(k, _)| k.eq_ignore_ascii_case(&key)) {
                    return err(line, format!("META key `{key}` appears twice"));
                }
                meta.push((key, value));
            }
            Section::Projects => {
                if fields.len() > h.len() {
                    return err(
                        line,
                        format!("{} fields but the header has {}", fields.len(), h.len()),
                    );
                }
                let mut row = fields.to_vec();
                row.resize(h.len(), "");
                let mut id = String::new();
                let mut cost = None;
                let mut name = None;
                let mut category = None;
                let mut extra = Vec::new();
                for (col, &value) in h.iter().zip(&row) {
                    match col.as_str() {
                        "project_id" => id = value.trim().to_string(),
                        "cost" => cost = Some(parse_decimal(value, line, "cost")?),
                        "name" => name = Some(value.to_string()).filter(|v| !v.is_empty()),
                        "category" => category = Some(value.to_string()).filter(|v| !v.is_empty()),
                        _ => extra.push((col.clone(), value.trim().to_string())),
                    }
                }
                if id.is_empty() {
                    return err(line, "project_id is empty");
                }
                let Some(cost) = cost else {
                    return err(line, "cost is missing");
                };
                raw_projects.push(RawProject {
                    line,
                    id,
                    cost,
                    name,
                    category,
                    extra,
                });
            }
            Section::Votes => {
                if fields.len() > h.len() {
                    return err(
                        line,
                        format!("{} fields but the header has {}", fields.len(), h.len()),
                    );
                }
                match (&mut votes, &head) {
                    (Some(v), Some(hd)) => v.add_fields(line, fields, None, &hd.projects)?,
                    _ => raw_votes.push((line, rec)),
                }
            }
            Section::None => return err(line, "row outside any section"),
        }
    }
    for (s, name) in [
        (Section::Meta, "META"),
        (Section::Projects, "PROJECTS"),
        (Section::Votes, "VOTES"),
    ] {
        if !seen.contains_key(&(s as u8)) {
            return err(0, format!("the {name} section is missing"));
        }
    }
    let (mut hd, mut reader) = match (head, votes) {
        (Some(hd), Some(v)) => (hd, v),
        _ => {
            let meta_line = seen.get(&(Section::Meta as u8)).copied().unwrap_or(0);
            let mut hd = read_head(&mut meta, raw_projects, meta_line)?;
            let v = VoteReader::new(&votes_header, &mut hd)?;
            (hd, v)
        }
    };
    let mut f: Vec<&str> = Vec::new();
    for (line, rec) in &raw_votes {
        rec.fill(&mut f);
        reader.add_fields(*line, &f, None, &hd.projects)?;
    }
    let (ballots, ballot_columns) = reader.finish()?;
    Ok(Election {
        meta,
        ballot_columns,
        budget: hd.budget,
        money_scale: hd.scale,
        vote_type: hd.vote_type,
        projects: std::mem::take(&mut hd.projects),
        ballots,
        constraints: hd.constraints,
    })
}

fn quote(field: &str) -> String {
    if field.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Appends a field as [`quote`] writes it.
fn push_quoted(out: &mut String, field: &str) {
    if field
        .bytes()
        .any(|b| matches!(b, b';' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Formats an amount in the election's money unit as written in a file.
pub fn format_money(amount: Money, scale: u32) -> String {
    if scale == 0 {
        return amount.to_string();
    }
    let p = 10u64.pow(scale);
    let frac = format!("{:0width$}", amount % p, width = scale as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        (amount / p).to_string()
    } else {
        format!("{}.{}", amount / p, frac)
    }
}

/// Writes an election as a `.pb` file (LF line ends, no BOM). Reading the
/// output back gives the same election.
pub fn write(e: &Election) -> String {
    let mut out = String::new();
    let line = |out: &mut String, fields: &[&str]| {
        let q: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        out.push_str(&q.join(";"));
        out.push('\n');
    };
    out.push_str("META\n");
    line(&mut out, &["key", "value"]);
    let budget = format_money(e.budget, e.money_scale);
    let mut wrote_budget = false;
    let mut wrote_type = false;
    for (k, v) in &e.meta {
        let v = if k.eq_ignore_ascii_case("budget") {
            wrote_budget = true;
            budget.as_str()
        } else if k.eq_ignore_ascii_case("vote_type") {
            wrote_type = true;
            // As written when it reads as this election's kind (an empty
            // value reads as approval).
            let same = VoteType::parse(v).unwrap_or(VoteType::Approval) == e.vote_type
                && (!v.trim().is_empty() || e.vote_type == VoteType::Approval);
            if same {
                v.as_str()
            } else {
                e.vote_type.as_str()
            }
        } else {
            v.as_str()
        };
        line(&mut out, &[k, v]);
    }
    if !wrote_budget {
        line(&mut out, &["budget", &budget]);
    }
    // Without a vote_type row a file is read as approval: write the row
    // for the other kinds only, so reading back gives the same META.
    if !wrote_type && e.vote_type != VoteType::Approval {
        line(&mut out, &["vote_type", e.vote_type.as_str()]);
    }

    out.push_str("PROJECTS\n");
    let mut extra_cols: Vec<&str> = Vec::new();
    for p in &e.projects {
        for (k, _) in &p.extra {
            if !extra_cols.contains(&k.as_str()) {
                extra_cols.push(k);
            }
        }
    }
    let has_name = e.projects.iter().any(|p| p.name.is_some());
    let has_cat = e.projects.iter().any(|p| p.category.is_some());
    let mut header = vec!["project_id", "cost"];
    if has_name {
        header.push("name");
    }
    if has_cat {
        header.push("category");
    }
    header.extend(extra_cols.iter().copied());
    line(&mut out, &header);
    for p in &e.projects {
        let cost = format_money(p.cost, e.money_scale);
        let mut row: Vec<&str> = vec![&p.id, &cost];
        if has_name {
            row.push(p.name.as_deref().unwrap_or(""));
        }
        if has_cat {
            row.push(p.category.as_deref().unwrap_or(""));
        }
        for c in &extra_cols {
            row.push(p.field(c).unwrap_or(""));
        }
        line(&mut out, &row);
    }

    out.push_str("VOTES\n");
    let vote_cols: Vec<&str> = e.ballot_columns.iter().map(|c| c.as_str()).collect();
    let with_points = e.vote_type.has_points();
    let mut header = vec!["voter_id", "vote"];
    if with_points {
        header.push("points");
    }
    header.extend(vote_cols.iter().copied());
    line(&mut out, &header);
    let mut vote = String::new();
    for b in &e.ballots {
        push_quoted(&mut out, b.voter_id);
        out.push(';');
        vote.clear();
        for (k, &i) in b.projects.iter().enumerate() {
            if k > 0 {
                vote.push(',');
            }
            vote.push_str(&e.projects[i as usize].id);
        }
        push_quoted(&mut out, &vote);
        if with_points {
            out.push(';');
            for (k, x) in b.points.unwrap_or_default().iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{x}");
            }
        }
        if !vote_cols.is_empty() {
            // The ballot's values are kept as written; pad missing ones.
            out.push(';');
            out.push_str(b.extra);
            let have = unquoted_semicolons(b.extra) + 1;
            for _ in have..vote_cols.len() {
                out.push(';');
            }
        }
        out.push('\n');
    }
    out
}

/// The number of `;` outside quotes in a written row fragment.
fn unquoted_semicolons(s: &str) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for b in s.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b';' if !in_quotes => n += 1,
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "\u{feff}meta\r\nkey;value\r\nbudget;100,5\r\nvote_type;approval\r\n\
Projects\r\nproject_id;cost;name;votes\r\n1;50;\"A; b\";2\r\n2;60,5;B;1\r\nVOTES\r\nvoter_id;vote\r\nv1;1,2\r\nv2;1\r\n";

    #[test]
    fn tolerant_reader() {
        let e = parse(SMALL).expect("parses");
        assert_eq!(e.money_scale, 1);
        assert_eq!(e.budget, 1005);
        assert_eq!(e.projects[1].cost, 605);
        assert_eq!(e.projects[0].name.as_deref(), Some("A; b"));
        assert_eq!(e.ballots.len(), 2);
        assert_eq!(e.ballots.get(0).map(|b| b.projects), Some(&[0, 1][..]));
    }

    #[test]
    fn round_trip() {
        let e = parse(SMALL).expect("parses");
        let again = parse(&write(&e)).expect("reparses");
        assert_eq!(e, again);
    }

    #[test]
    fn special_bytes_finds_the_first_separator() {
        for special in [b'\n', b'\r', b';', b'"'] {
            for at in 0..8 {
                // Ordinary bytes, including ones a borrow could confuse.
                let mut word = *b"a\x00\x7f\xff:<!#";
                word[at] = special;
                let mask = special_bytes(u64::from_le_bytes(word));
                assert_eq!(mask.trailing_zeros() / 8, at as u32, "{special} at {at}");
            }
        }
        assert_eq!(special_bytes(u64::from_le_bytes(*b"12,7,301")), 0);
    }

    #[test]
    fn votes_may_come_before_projects() {
        let e = parse(SMALL).expect("parses");
        let reordered = "META\nkey;value\nbudget;100,5\nvote_type;approval\n\
VOTES\nvoter_id;vote\nv1;1,2\nv2;1\nPROJECTS\nproject_id;cost;name;votes\n1;50;\"A; b\";2\n2;60,5;B;1\n";
        let again = parse(reordered).expect("parses");
        assert_eq!(e.ballots, again.ballots);
        assert_eq!(e.projects, again.projects);
        check_err(
            "VOTES\nvoter_id;vote\nv;1\nw;3\nMETA\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n",
            4,
            "unknown project",
        );
    }

    #[test]
    fn other_columns_are_kept_as_written_but_trimmed() {
        let text = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\n\
voter_id;vote;age;sex;district\nv1;1;42;M;Ursynów\nv2;1; 42 ;M;\nv3;1;42\nv4;1;4\r2;K;Wola\n\
v5;\"1\";42;K;\"Praga; Północ\"\n";
        let e = parse(text).expect("parses");
        let extras: Vec<&str> = e.ballots.iter().map(|b| b.extra).collect();
        assert_eq!(
            extras,
            [
                "42;M;Ursynów",
                "42;M;",
                "42;;",
                "\"4\r2\";K;Wola",
                "42;K;\"Praga; Północ\""
            ]
        );
        assert_eq!(parse(&write(&e)).expect("reparses"), e);
    }

    fn check_err(input: &str, line: usize, needle: &str) {
        let e = parse(input).expect_err("must fail");
        assert_eq!(e.line, line, "{e}");
        assert!(e.message.contains(needle), "{e}");
    }

    #[test]
    fn errors_name_the_line() {
        let base = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n";
        check_err(
            &format!("{base}VOTES\nvoter_id;vote\nv;9\n"),
            9,
            "unknown project",
        );
        check_err(&format!("{base}1;x\nVOTES\nvoter_id;vote\n"), 7, "cost");
        check_err(
            &format!("{base}VOTES\nvoter_id;vote\nv;1\nv;1\n"),
            10,
            "already voted",
        );
        check_err(
            "META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\n1;\"5\n",
            6,
            "never closed",
        );
        check_err("hello\n", 1, "section");
        check_err(
            "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv;1,1\n",
            10,
            "twice",
        );
        check_err("META\nkey;value\nbudget;1\n", 0, "PROJECTS");
    }
}
