//! Reading and writing pabulib `.pb` files (see pabulib.org/format).
//!
//! The reader tolerates a byte-order mark, CRLF line ends, decimal commas in
//! amounts, quoted fields (`"..."` with `""` escapes, possibly spanning lines)
//! and any case of the section names. Every malformed line is reported as a
//! [`PbError`] naming the line; the reader never panics.

use crate::model::{Ballot, BallotConstraints, Election, Money, Project, VoteType};
use crate::rules::mes::BuildFx;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

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

/// One logical record: its first line number and its fields.
struct Record<'a> {
    line: usize,
    fields: Vec<Cow<'a, str>>,
}

/// Splits the text into `;`-separated records, honouring quotes. Lines
/// without a quote (nearly all) are split without copying.
fn records(text: &str) -> Result<Vec<Record<'_>>, PbError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut lines = text.split('\n').enumerate().peekable();
    while let Some((i, raw)) = lines.next() {
        let line_no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        if !line.contains('"') {
            out.push(Record {
                line: line_no,
                fields: line.split(';').map(Cow::Borrowed).collect(),
            });
            continue;
        }
        // Quote-aware: a quoted field may span lines.
        let mut fields: Vec<Cow<'_, str>> = Vec::new();
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
                        fields.push(Cow::Owned(std::mem::take(&mut field)));
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
            match lines.next() {
                Some((_, next)) => {
                    field.push('\n');
                    current = next.strip_suffix('\r').unwrap_or(next).to_string();
                }
                None => return err(line_no, "quoted field is never closed"),
            }
        }
        fields.push(Cow::Owned(field));
        out.push(Record {
            line: line_no,
            fields,
        });
    }
    Ok(out)
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

fn section_of(rec: &Record) -> Option<Section> {
    let first = rec.fields.first()?.trim();
    let rest_empty = rec.fields.iter().skip(1).all(|f| f.trim().is_empty());
    if !rest_empty {
        return None;
    }
    match first.to_ascii_lowercase().as_str() {
        "meta" => Some(Section::Meta),
        "projects" => Some(Section::Projects),
        "votes" => Some(Section::Votes),
        _ => None,
    }
}

struct RawProject {
    line: usize,
    id: String,
    cost: Decimal,
    name: Option<String>,
    category: Option<String>,
    extra: Vec<(String, String)>,
}

/// Parses a `.pb` file.
pub fn parse(text: &str) -> Result<Election, PbError> {
    let recs = records(text)?;
    let mut section = Section::None;
    let mut header: Option<Vec<String>> = None;
    let mut seen = HashMap::new();
    let mut meta: Vec<(String, String)> = Vec::new();
    let mut raw_projects: Vec<RawProject> = Vec::new();
    let mut raw_votes: Vec<Record> = Vec::new();
    let mut votes_header: Vec<String> = Vec::new();

    for rec in recs {
        if let Some(s) = section_of(&rec) {
            if seen.insert(s as u8, rec.line).is_some() {
                return err(rec.line, "section appears twice");
            }
            section = s;
            header = None;
            continue;
        }
        let Some(h) = &header else {
            if section == Section::None {
                return err(
                    rec.line,
                    "expected a section name (META, PROJECTS or VOTES)",
                );
            }
            let h: Vec<String> = rec.fields.iter().map(|f| f.trim().to_string()).collect();
            if h.iter().any(|f| f.is_empty()) {
                return err(rec.line, "empty column name in header");
            }
            for (i, a) in h.iter().enumerate() {
                if h[..i].contains(a) {
                    return err(rec.line, format!("column `{a}` appears twice"));
                }
            }
            match section {
                Section::Projects => {
                    for need in ["project_id", "cost"] {
                        if !h.iter().any(|c| c == need) {
                            return err(rec.line, format!("PROJECTS header lacks `{need}`"));
                        }
                    }
                }
                Section::Votes => {
                    for need in ["voter_id", "vote"] {
                        if !h.iter().any(|c| c == need) {
                            return err(rec.line, format!("VOTES header lacks `{need}`"));
                        }
                    }
                    votes_header = h.clone();
                }
                _ => {}
            }
            header = Some(h);
            continue;
        };
        let line = rec.line;
        let mut fields = rec.fields;
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
                fields.resize(h.len(), Cow::Borrowed(""));
                let mut id = String::new();
                let mut cost = None;
                let mut name = None;
                let mut category = None;
                let mut extra = Vec::new();
                for (col, value) in h.iter().zip(fields) {
                    match col.as_str() {
                        "project_id" => id = value.trim().to_string(),
                        "cost" => cost = Some(parse_decimal(&value, line, "cost")?),
                        "name" => name = Some(value.into_owned()).filter(|v| !v.is_empty()),
                        "category" => category = Some(value.into_owned()).filter(|v| !v.is_empty()),
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
                raw_votes.push(Record { line, fields });
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

    let meta_get = |key: &str| -> Option<&str> {
        meta.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let meta_line = |_key: &str| seen.get(&(Section::Meta as u8)).copied().unwrap_or(0);

    let Some(budget_str) = meta_get("budget") else {
        return err(meta_line("budget"), "META has no `budget`");
    };
    let budget_dec = parse_decimal(budget_str, meta_line("budget"), "budget")?;
    let max_sum_cost_dec = match meta_get("max_sum_cost") {
        Some(v) => Some(parse_decimal(v, meta_line("max_sum_cost"), "max_sum_cost")?),
        None => None,
    };
    let vote_type = match meta_get("vote_type") {
        Some(v) => VoteType::parse(v).ok_or_else(|| PbError {
            line: meta_line("vote_type"),
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

    // Few keys, looked up once per vote: a fast hasher.
    let mut index: HashMap<String, usize, BuildFx> =
        HashMap::with_capacity_and_hasher(raw_projects.len(), BuildFx::default());
    let mut projects = Vec::with_capacity(raw_projects.len());
    for p in raw_projects {
        if index.insert(p.id.clone(), projects.len()).is_some() {
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
                let d = parse_decimal(v, meta_line(key), key)?;
                if d.decimals != 0 {
                    return err(
                        meta_line(key),
                        format!("{key} `{v}` must be a whole number"),
                    );
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

    let col = |name: &str| votes_header.iter().position(|c| c == name);
    let (Some(voter_col), Some(vote_col)) = (col("voter_id"), col("vote")) else {
        return err(0, "VOTES header is missing");
    };
    let points_col = col("points");
    let extra_idx: Vec<usize> = (0..votes_header.len())
        .filter(|&i| i != voter_col && i != vote_col && Some(i) != points_col)
        .collect();
    let ballot_columns: Vec<String> = extra_idx.iter().map(|&i| votes_header[i].clone()).collect();
    let needs_points = vote_type.has_points();
    let mut ballots = Vec::with_capacity(raw_votes.len());
    // Voter ids are many and arbitrary: keep the default (keyed) hasher.
    let mut seen_voters: HashMap<&str, usize> = HashMap::with_capacity(raw_votes.len());
    let mut list: Vec<usize> = Vec::new();
    for rec in &raw_votes {
        let line = rec.line;
        let get = |i: usize| rec.fields.get(i).map(|s| s.as_ref()).unwrap_or("");
        let vid: &str = rec
            .fields
            .get(voter_col)
            .map(|s| s.as_ref())
            .unwrap_or("")
            .trim();
        if vid.is_empty() {
            return err(line, "voter_id is empty");
        }
        let voter_id = vid.to_string();
        if let Some(first) = seen_voters.insert(vid, line) {
            return err(
                line,
                format!("voter `{voter_id}` already voted on line {first}"),
            );
        }
        let vote = get(vote_col).trim();
        list.clear();
        if !vote.is_empty() {
            for id in vote.split(',') {
                let id = id.trim();
                let Some(&pi) = index.get(id) else {
                    return err(line, format!("vote names unknown project `{id}`"));
                };
                list.push(pi);
            }
        }
        let points = if needs_points {
            let Some(pc) = points_col else {
                return err(line, "this vote_type needs a `points` column");
            };
            let ps = get(pc).trim();
            let pts: Vec<u64> = if ps.is_empty() {
                Vec::new()
            } else {
                ps.split(',')
                    .map(|p| parse_int(p, line, "points"))
                    .collect::<Result<_, _>>()?
            };
            if pts.len() != list.len() {
                return err(
                    line,
                    format!("{} projects but {} points", list.len(), pts.len()),
                );
            }
            Some(pts)
        } else {
            None
        };
        // Duplicates: an approval listed twice counts once, points given
        // twice to a project add up; in a ranking it is ambiguous.
        let mut dedup: Vec<usize> = Vec::with_capacity(list.len());
        let mut dedup_points: Vec<u64> = Vec::new();
        for (k, &p) in list.iter().enumerate() {
            if let Some(pos) = dedup.iter().position(|&q| q == p) {
                if vote_type.is_approval_like() {
                    continue;
                }
                if let Some(pts) = &points {
                    dedup_points[pos] = dedup_points[pos].saturating_add(pts[k]);
                    continue;
                }
                return err(
                    line,
                    format!("project `{}` appears twice in the vote", projects[p].id),
                );
            }
            dedup.push(p);
            if let Some(pts) = &points {
                dedup_points.push(pts[k]);
            }
        }
        let extra = extra_idx
            .iter()
            .map(|&i| get(i).trim().to_string())
            .collect();
        ballots.push(Ballot {
            voter_id,
            projects: dedup,
            points: points.map(|_| dedup_points),
            extra,
        });
    }

    let budget = rescale(budget_dec, scale);
    // The budget is kept in META in its normalised form, so writing and
    // reading back gives the same election.
    for (k, v) in meta.iter_mut() {
        if k.eq_ignore_ascii_case("budget") {
            *v = format_money(budget, scale);
        }
    }
    Ok(Election {
        meta,
        ballot_columns,
        budget,
        money_scale: scale,
        vote_type,
        projects,
        ballots,
        constraints,
    })
}

fn quote(field: &str) -> String {
    if field.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
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
            e.vote_type.as_str()
        } else {
            v.as_str()
        };
        line(&mut out, &[k, v]);
    }
    if !wrote_budget {
        line(&mut out, &["budget", &budget]);
    }
    if !wrote_type {
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
    for b in &e.ballots {
        let vote: Vec<&str> = b
            .projects
            .iter()
            .map(|&i| e.projects[i].id.as_str())
            .collect();
        let vote = vote.join(",");
        let points = b
            .points
            .as_ref()
            .map(|p| {
                p.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let mut row: Vec<&str> = vec![&b.voter_id, &vote];
        if with_points {
            row.push(&points);
        }
        for i in 0..vote_cols.len() {
            row.push(b.extra.get(i).map(|v| v.as_str()).unwrap_or(""));
        }
        line(&mut out, &row);
    }
    out
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
        assert_eq!(e.ballots[0].projects, vec![0, 1]);
    }

    #[test]
    fn round_trip() {
        let e = parse(SMALL).expect("parses");
        let again = parse(&write(&e)).expect("reparses");
        assert_eq!(e, again);
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
