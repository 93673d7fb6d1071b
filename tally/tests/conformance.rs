//! Conformance: recount real pabulib elections from their VOTES section and
//! compare with the official outcome, the projects marked `selected=1`.
//!
//! Each file is counted with the rule it gives: the META `rule`, or, where
//! the META comment spells out a rule that META names only as
//! `greedy-custom`, that rule (`testdata/conformance-quirks.tsv`, whose
//! quoted evidence must occur in the comment). Every difference is then
//! either explained, where a recount with a fix named in that table
//! reproduces the official outcome exactly, or reported as unexplained.
//!
//! Always runs on the fixtures in `testdata/pabulib/`. When the shared data
//! folder exists (`$FAIRSHARE_DATA_DIR`, else `../shared/data` next to the
//! workspace), also on every file in its `pabulib/` folder (at least
//! [`MIN_FILES`]), writes the report to `conformance/pabulib.md` under the
//! target folder and checks the targets: 100% of Equal Shares elections, at
//! least 99% of `greedy`, `greedy-no-skip`, `greedy-threshold` and
//! `choose-1` elections, and every difference either explained and checked
//! or listed as unexplained. With `UPDATE_CONFORMANCE=1` it also rewrites
//! the committed `tally/CONFORMANCE.md`; otherwise the working tree is left
//! alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;
use common::{crate_dir, data_dir, report_dir};

/// Files the full run must have counted when the data folder is present.
const MIN_FILES: usize = 1223;
/// Of them, files with an official outcome.
const MIN_WITH_OUTCOME: usize = 1000;

fn pb_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "pb"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// One fix of `conformance-quirks.tsv`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Fix {
    /// Count with this rule: the one the file's comment describes.
    Rule(String),
    /// The city did not fund these projects.
    Exclude(Vec<String>),
    /// The city broke an exact tie in support for the more expensive project.
    TieCostDesc,
    /// Greedy with this budget (whole currency units), then greedy on with
    /// the full budget.
    InitialBudget(u64),
    /// Check of `selected=2`: the project that stopped the count was funded
    /// from a reserve when the money left covered at least this percentage
    /// of its cost.
    Reserve(u64),
    /// Check of `selected=3`: the most-supported projects not yet selected.
    ExtraHighest,
}

impl Fix {
    fn parse(s: &str) -> Fix {
        let (k, v) = s.split_once(':').unwrap_or((s, ""));
        match k {
            "rule" => Fix::Rule(v.to_string()),
            "exclude" => Fix::Exclude(v.split(',').map(str::to_string).collect()),
            "tie-order" if v == "cost-desc" => Fix::TieCostDesc,
            "initial-budget" => Fix::InitialBudget(v.parse().expect("initial-budget:N")),
            "reserve" => Fix::Reserve(v.parse().expect("reserve:PCT")),
            "extra" if v == "highest" => Fix::ExtraHighest,
            _ => panic!("unknown fix `{s}` in conformance-quirks.tsv"),
        }
    }

    /// Changes the count (as opposed to checking `selected=2` and `=3`).
    fn adjusts(&self) -> bool {
        matches!(
            self,
            Fix::Exclude(_) | Fix::TieCostDesc | Fix::InitialBudget(_)
        )
    }
}

/// One entry of `conformance-quirks.tsv`.
#[derive(Clone, Debug)]
struct Entry {
    pattern: String,
    code: String,
    fix_text: String,
    fixes: Vec<Fix>,
    /// Phrases that must occur in the file's META comment.
    evidence: Vec<String>,
    why: String,
}

impl Entry {
    fn matches(&self, file: &str) -> bool {
        match self.pattern.strip_suffix('*') {
            Some(prefix) => file.starts_with(prefix),
            None => file == self.pattern,
        }
    }

    fn rule(&self) -> Option<&str> {
        self.fixes.iter().find_map(|f| match f {
            Fix::Rule(r) => Some(r.as_str()),
            _ => None,
        })
    }

    fn adjustments(&self) -> Vec<Fix> {
        self.fixes.iter().filter(|f| f.adjusts()).cloned().collect()
    }

    fn stated_in_file(&self) -> bool {
        !self.evidence.is_empty()
    }
}

fn entries() -> Vec<Entry> {
    let text = std::fs::read_to_string(crate_dir().join("testdata/conformance-quirks.tsv"))
        .expect("testdata/conformance-quirks.tsv is readable");
    let mut v = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, code, fix, evidence, why] = cols[..] else {
            panic!("bad line in conformance-quirks.tsv (5 columns): {line}");
        };
        let fixes = if fix == "-" {
            Vec::new()
        } else {
            fix.split(';').map(Fix::parse).collect()
        };
        let evidence = if evidence == "-" {
            Vec::new()
        } else {
            evidence.split('|').map(str::to_string).collect()
        };
        v.push(Entry {
            pattern: file.to_string(),
            code: code.to_string(),
            fix_text: fix.to_string(),
            fixes,
            evidence,
            why: why.to_string(),
        });
    }
    v
}

/// How a file with an official outcome compares.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    /// The recount with the rule the file gives is the official outcome.
    Match,
    /// A recount with the entry's fixes is the official outcome (checked).
    Explained,
    Unexplained,
}

#[derive(Debug)]
struct Row {
    file: String,
    /// The META rule as written.
    rule: String,
    category: &'static str,
    /// The rule counted with (the META rule as `official` reads it, or the
    /// one the comment describes).
    counted_with: String,
    /// What plain greedy gives, where the META comment describes the rule.
    greedy_selection: Option<BTreeSet<String>>,
    official: Option<BTreeSet<String>>,
    /// Projects marked with other values than 0 and 1: value -> ids.
    markers: BTreeMap<String, BTreeSet<String>>,
    ours: BTreeSet<String>,
    /// The recount with the entry's fixes, when it has any.
    fixed: Option<BTreeSet<String>>,
    verdict: Option<Verdict>,
    entry: Option<Entry>,
    /// Facts about `selected=2`/`3` markers, for the report.
    marker_notes: Vec<String>,
    error: Option<String>,
    breaches: Vec<String>,
    failures: Vec<String>,
}

fn category(rule: &str, vote_type: &str) -> &'static str {
    let standard = matches!(rule, "greedy" | "greedy-no-skip" | "greedy-threshold");
    if rule.starts_with("equalshares") {
        "equal shares"
    } else if vote_type == "choose-1" && standard {
        "choose-1"
    } else {
        match rule {
            "greedy" => "greedy",
            "greedy-no-skip" => "greedy-no-skip",
            "greedy-threshold" => "greedy-threshold",
            "greedy-custom" => "greedy-custom",
            "greedy-exclusive" => "greedy-exclusive",
            _ => "unknown",
        }
    }
}

/// The targeted categories and their targets (percent identical, after
/// checked fixes).
fn target(cat: &str) -> Option<f64> {
    match cat {
        "equal shares" => Some(100.0),
        "greedy" | "greedy-no-skip" | "greedy-threshold" | "choose-1" => Some(99.0),
        _ => None,
    }
}

fn ids(e: &tally::Election, idx: &[usize]) -> BTreeSet<String> {
    idx.iter().map(|&p| e.projects[p].id.clone()).collect()
}

/// The election without some projects (ballots keep their other choices).
fn without(e: &tally::Election, drop: &[String]) -> Result<tally::Election, String> {
    for id in drop {
        if e.project_index(id).is_none() {
            return Err(format!("exclude: no project `{id}`"));
        }
    }
    let keep: Vec<bool> = e.projects.iter().map(|p| !drop.contains(&p.id)).collect();
    let mut map = vec![u32::MAX; e.projects.len()];
    let mut next = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            map[i] = next;
            next += 1;
        }
    }
    let mut out = e.clone();
    out.projects = e
        .projects
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| p.clone())
        .collect();
    let mut ballots = e.ballots.to_vec();
    for b in &mut ballots {
        let mut np = Vec::new();
        let mut npts = Vec::new();
        for (k, &p) in b.projects.iter().enumerate() {
            if keep[p as usize] {
                np.push(map[p as usize]);
                if let Some(v) = &b.points {
                    npts.push(v[k]);
                }
            }
        }
        b.projects = np;
        if b.points.is_some() {
            b.points = Some(npts);
        }
    }
    out.ballots = tally::model::Ballots::from_owned(&ballots).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The configuration a file is counted with: `rule` if given, else the
/// META rule (as `--rule official` reads it).
fn config(e: &tally::Election, rule: Option<&str>) -> Result<tally::RuleConfig, String> {
    match rule {
        Some(r) => Ok(tally::RuleConfig::new(
            tally::outcome::parse_rule(r, e).map_err(|e| e.to_string())?,
        )),
        None => tally::official_config(e)
            .map(|(c, _)| c)
            .map_err(|e| e.to_string()),
    }
}

/// Recounts with the adjusting fixes applied.
fn recount(
    e: &tally::Election,
    rule: Option<&str>,
    fixes: &[Fix],
) -> Result<BTreeSet<String>, String> {
    let mut e = e.clone();
    let mut cfg = config(&e, rule)?;
    let mut initial = None;
    for f in fixes {
        match f {
            Fix::Exclude(drop) => e = without(&e, drop)?,
            Fix::TieCostDesc => {
                let mut v: Vec<(u64, String)> =
                    e.projects.iter().map(|p| (p.cost, p.id.clone())).collect();
                v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                cfg.tie_break = tally::TieBreak::Explicit(v.into_iter().map(|x| x.1).collect());
            }
            Fix::InitialBudget(b) => initial = Some(b * 10u64.pow(e.money_scale)),
            Fix::Rule(_) | Fix::Reserve(_) | Fix::ExtraHighest => {}
        }
    }
    let Some(first) = initial else {
        let o = tally::count(&e, &cfg).map_err(|e| e.to_string())?;
        return Ok(o.selected.into_iter().collect());
    };
    // Greedy with the first budget, then on down the list with the whole
    // budget.
    let tally::Rule::Greedy(variant) = cfg.rule else {
        return Err("initial-budget applies to greedy rules only".into());
    };
    let full = e.budget;
    let mut stage = e.clone();
    stage.budget = first;
    let o = tally::count(&stage, &cfg).map_err(|e| e.to_string())?;
    let chosen: Vec<usize> = o.result.selected.clone();
    let rp = tally::rules::rank_points(&e, &cfg);
    let support = tally::rules::support(&e, &rp);
    let ranks = cfg.tie_break.ranks(&e.projects, &support);
    let r = tally::rules::greedy::run(&e, &support, &ranks, variant, full, &chosen, "greedy");
    Ok(ids(&e, &r.selected))
}

/// Checks the entry's `reserve` and `extra` statements against the
/// `selected=2` and `=3` markers; returns what was checked.
fn check_markers(e: &tally::Election, row: &Row, fixes: &[Fix]) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    let none = BTreeSet::new();
    let sel2 = row.markers.get("2").unwrap_or(&none);
    let sel3 = row.markers.get("3").unwrap_or(&none);
    let cfg = config(e, row.entry.as_ref().and_then(Entry::rule))?;
    let rp = tally::rules::rank_points(e, &cfg);
    let support = tally::rules::support(e, &rp);
    for f in fixes {
        match f {
            Fix::Reserve(pct) => {
                let o = tally::count(e, &cfg).map_err(|e| e.to_string())?;
                let spent: u64 = o.result.selected.iter().map(|&p| e.projects[p].cost).sum();
                let left = e.budget.saturating_sub(spent);
                let stopper = o.result.rounds.iter().find_map(|r| {
                    (r["decision"] == "does not fit: count stops")
                        .then(|| r["project"].as_str().map(str::to_string))
                        .flatten()
                });
                let expected: BTreeSet<String> = match &stopper {
                    Some(id) => {
                        let cost = e.projects[e.project_index(id).expect("known id")].cost;
                        if u128::from(left) * 100 >= u128::from(cost) * u128::from(*pct) {
                            BTreeSet::from([id.clone()])
                        } else {
                            BTreeSet::new()
                        }
                    }
                    None => BTreeSet::new(),
                };
                if expected != *sel2 {
                    return Err(format!(
                        "reserve rule predicts selected=2 {:?}, the file marks {:?}",
                        expected, sel2
                    ));
                }
                notes.push(match &stopper {
                    Some(id) => format!(
                        "stopped at {id}; {} left, {} its cost: {}",
                        left,
                        if expected.is_empty() {
                            format!("under {pct}% of")
                        } else {
                            format!("at least {pct}% of")
                        },
                        if expected.is_empty() {
                            "no selected=2, as marked"
                        } else {
                            "selected=2, as marked"
                        }
                    ),
                    None => "every project fitted; no selected=2, as marked".into(),
                });
            }
            Fix::ExtraHighest => {
                if sel3.is_empty() {
                    continue;
                }
                // Every project marked 3 has at least the support of every
                // project still unmarked.
                let idx = |id: &String| e.project_index(id).expect("known id");
                let official = row.official.clone().unwrap_or_default();
                let low3 = sel3.iter().map(|id| support[idx(id)]).min().unwrap_or(0);
                let high_rest = e
                    .projects
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| {
                        !official.contains(&p.id) && !sel2.contains(&p.id) && !sel3.contains(&p.id)
                    })
                    .map(|(i, _)| support[i])
                    .max()
                    .unwrap_or(0);
                if low3 < high_rest {
                    return Err(format!(
                        "selected=3 projects {:?} are not the most supported left ({} < {})",
                        sel3, low3, high_rest
                    ));
                }
                notes.push(format!(
                    "selected=3 {}: {} not yet selected",
                    fmt_set(sel3),
                    if sel3.len() == 1 {
                        "the most-voted project".to_string()
                    } else {
                        format!("the {} most-voted projects", sel3.len())
                    }
                ));
            }
            _ => {}
        }
    }
    Ok(notes)
}

fn count_file(path: &Path, table: &[Entry]) -> Row {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut row = Row {
        file,
        rule: String::new(),
        category: "unknown",
        counted_with: String::new(),
        greedy_selection: None,
        official: None,
        markers: BTreeMap::new(),
        ours: BTreeSet::new(),
        fixed: None,
        verdict: None,
        entry: None,
        marker_notes: Vec::new(),
        error: None,
        breaches: Vec::new(),
        failures: Vec::new(),
    };
    let found: Vec<&Entry> = table.iter().filter(|q| q.matches(&row.file)).collect();
    if found.len() > 1 {
        row.failures.push(format!(
            "{}: more than one entry in conformance-quirks.tsv",
            row.file
        ));
    }
    row.entry = found.first().map(|q| (*q).clone());
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            row.error = Some(e.to_string());
            return row;
        }
    };
    let e = match tally::pb::parse(&text) {
        Ok(e) => e,
        Err(err) => {
            row.error = Some(format!("parse error: {err}"));
            return row;
        }
    };
    row.rule = e.meta("rule").unwrap_or("unknown").to_string();
    row.category = category(&row.rule, e.vote_type.as_str());
    row.breaches = e
        .check_constraints()
        .iter()
        .map(|b| {
            format!(
                "{} {}: {} ballot(s), first from voter `{}`",
                b.constraint, b.limit, b.ballots, b.first_voter
            )
        })
        .collect();
    if e.projects.iter().any(|p| p.field("selected").is_some()) {
        row.official = Some(
            e.projects
                .iter()
                .filter(|p| p.field("selected") == Some("1"))
                .map(|p| p.id.clone())
                .collect(),
        );
        for p in &e.projects {
            if let Some(v) = p.field("selected").filter(|v| *v != "0" && *v != "1") {
                row.markers
                    .entry(v.to_string())
                    .or_default()
                    .insert(p.id.clone());
            }
        }
    }
    // The evidence must be in the file.
    let comment = e.meta("comment").unwrap_or("");
    if let Some(q) = &row.entry {
        for phrase in &q.evidence {
            if !comment.contains(phrase.as_str()) {
                row.failures.push(format!(
                    "{}: its META comment does not say «{phrase}»",
                    row.file
                ));
            }
        }
    }
    let described = row
        .entry
        .as_ref()
        .and_then(|q| q.rule().map(str::to_string));
    let cfg = match config(&e, described.as_deref()) {
        Ok(c) => c,
        Err(err) => {
            row.error = Some(err);
            return row;
        }
    };
    row.counted_with = cfg.rule_name();
    match tally::count(&e, &cfg) {
        Ok(o) => row.ours = o.selected.into_iter().collect(),
        Err(err) => {
            row.error = Some(err.to_string());
            return row;
        }
    }
    if described.is_some() {
        // What plain greedy gives, for the report.
        match recount(&e, Some("greedy"), &[]) {
            Ok(s) => row.greedy_selection = Some(s),
            Err(err) => row.error = Some(err),
        }
    }
    // `selected=2`/`3`: funded after the count from money outside the
    // budget, which the budget or the comment must show.
    if !row.markers.is_empty() {
        let cost_of = |set: &BTreeSet<String>| -> u64 {
            set.iter()
                .filter_map(|id| e.project_index(id))
                .map(|i| e.projects[i].cost)
                .sum()
        };
        let official = row.official.clone().unwrap_or_default();
        let all: BTreeSet<String> = row
            .markers
            .values()
            .flatten()
            .chain(&official)
            .cloned()
            .collect();
        let (c1, call) = (cost_of(&official), cost_of(&all));
        let money = |m: u64| tally::pb::format_money(m, e.money_scale);
        let by_budget = c1 <= e.budget && call > e.budget;
        let lower = comment.to_lowercase();
        let by_comment = lower.contains("selected=2")
            || lower.contains("selected=3")
            || lower.contains("in the selected column");
        let marks: Vec<String> = row
            .markers
            .iter()
            .map(|(v, s)| format!("selected={v}: {}", fmt_set(s)))
            .collect();
        row.marker_notes.push(format!(
            "{}; budget {}: selected=1 costs {}, with the others {}{}",
            marks.join("; "),
            money(e.budget),
            money(c1),
            money(call),
            if by_budget { " (over the budget)" } else { "" }
        ));
        if by_comment {
            row.marker_notes
                .push("the META comment says what the markers mean".into());
        }
        if !by_budget && !by_comment {
            row.failures.push(format!(
                "{}: neither the budget nor the comment shows that the projects marked {} were funded outside the count",
                row.file,
                row.markers.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let Some(official) = row.official.clone() else {
        return row;
    };
    let q = row.entry.clone();
    let adjustments = q.as_ref().map(Entry::adjustments).unwrap_or_default();
    if !adjustments.is_empty() {
        match recount(&e, described.as_deref(), &adjustments) {
            Ok(s) => row.fixed = Some(s),
            Err(err) => row
                .failures
                .push(format!("{}: the fix failed: {err}", row.file)),
        }
    }
    row.verdict = Some(if row.ours == official {
        Verdict::Match
    } else if row.fixed.as_ref() == Some(&official) {
        Verdict::Explained
    } else {
        Verdict::Unexplained
    });
    if let Some(q) = &q {
        let checks: Vec<Fix> = q
            .fixes
            .iter()
            .filter(|f| matches!(f, Fix::Reserve(_) | Fix::ExtraHighest))
            .cloned()
            .collect();
        match check_markers(&e, &row, &checks) {
            Ok(notes) => row.marker_notes.extend(notes),
            Err(err) => row.failures.push(format!("{}: {err}", row.file)),
        }
    }
    row
}

fn fmt_set(s: &BTreeSet<String>) -> String {
    let mut v: Vec<&String> = s.iter().collect();
    v.sort_by(|a, b| {
        a.parse::<u64>()
            .ok()
            .cmp(&b.parse::<u64>().ok())
            .then(a.cmp(b))
    });
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

fn diff(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    a.difference(b).cloned().collect()
}

/// What must hold of every row, whatever the folder: entries that explain
/// must explain, listed unexplained files must still differ, and any other
/// difference in a targeted category fails.
fn row_failures(r: &Row) -> Vec<String> {
    let mut f = r.failures.clone();
    if let Some(err) = &r.error {
        f.push(format!("{}: {err}", r.file));
        return f;
    }
    let (Some(off), Some(v)) = (&r.official, &r.verdict) else {
        return f;
    };
    let q = r.entry.as_ref();
    let code = q.map(|q| q.code.as_str());
    let adjusts = q.is_some_and(|q| !q.adjustments().is_empty());
    match v {
        Verdict::Match if adjusts || code == Some("UNEXPLAINED") => f.push(format!(
            "{}: listed in conformance-quirks.tsv as {} but now matches: remove it",
            r.file,
            code.unwrap_or_default()
        )),
        Verdict::Match | Verdict::Explained => {}
        Verdict::Unexplained => {
            let why = if q.and_then(Entry::rule).is_some() && !adjusts {
                format!(
                    "counted with {} as its comment describes, it does not give the official outcome",
                    r.counted_with
                )
            } else if adjusts {
                format!(
                    "the fix `{}` does not reproduce the official outcome",
                    q.map(|q| q.fix_text.as_str()).unwrap_or_default()
                )
            } else if code == Some("UNEXPLAINED") && target(r.category).is_none() {
                return f;
            } else {
                "unexplained mismatch".into()
            };
            f.push(format!(
                "{}: {why} (official only: {}; ours only: {})",
                r.file,
                fmt_set(&diff(off, &r.ours)),
                fmt_set(&diff(&r.ours, off))
            ));
        }
    }
    f
}

struct Summary {
    report: String,
    failures: Vec<String>,
}

fn pct(k: usize, n: usize) -> f64 {
    // Rounded down, so that a rate just short of its target never reads as
    // meeting it (296 of 299 is 98.99%, not 99.00%).
    if n == 0 {
        100.0
    } else {
        (10_000.0 * k as f64 / n as f64).floor() / 100.0
    }
}

fn check(rows: &[Row], table: &[Entry], full: bool) -> Summary {
    let mut failures: Vec<String> = rows.iter().flat_map(row_failures).collect();
    if full {
        for q in table {
            if !rows.iter().any(|r| q.matches(&r.file)) {
                failures.push(format!(
                    "conformance-quirks.tsv: `{}` matches no file",
                    q.pattern
                ));
            }
        }
    }
    let with: Vec<&Row> = rows.iter().filter(|r| r.verdict.is_some()).collect();
    let n = with.len();
    let is = |r: &&Row, v: Verdict| r.verdict.as_ref() == Some(&v);
    let matched = with.iter().filter(|r| is(r, Verdict::Match)).count();
    let described: Vec<&&Row> = with
        .iter()
        .filter(|r| is(r, Verdict::Match) && r.greedy_selection.is_some())
        .collect();
    let explained: Vec<&&Row> = with.iter().filter(|r| is(r, Verdict::Explained)).collect();
    let unexplained: Vec<&&Row> = with
        .iter()
        .filter(|r| is(r, Verdict::Unexplained))
        .collect();
    let stated = explained
        .iter()
        .filter(|r| r.entry.as_ref().is_some_and(Entry::stated_in_file))
        .count();

    let mut rep = String::new();
    rep.push_str(
        "# Conformance with published pabulib outcomes\n\n\
Generated by `cargo test -p tally --release --test conformance` (report under the target \
folder, `conformance/pabulib.md`; `UPDATE_CONFORMANCE=1` also rewrites this file).\n\n\
Each election is recounted from its VOTES section and compared with its official outcome: \
the projects marked `selected=1`. A file is counted with the rule it gives: the META `rule` \
(what `tally count FILE --rule official` does), or where META names only `greedy-custom` \
and the META comment spells the rule out, that rule. Projects marked `selected=2` or `3` \
were funded after the count from money outside the budget (a reserve, unused funds of \
other districts, a turnout award), so they are not part of the rule's outcome; in every \
such file the budget shows it (the `selected=1` projects fit in the budget, with the others \
they do not) and most comments say so.\n\n\
A difference is **explained** only where `tally/testdata/conformance-quirks.tsv` names a \
fix (projects the city did not fund, the city's order in an exact tie, a budget that grew \
after the count) and the test recounts with it: the recount must give the official outcome \
exactly. Where the fix is stated in the file, the table's quoted evidence must occur in the \
META comment. Every other difference is **unexplained**.\n\n",
    );
    rep.push_str(&format!(
        "## Summary\n\n{} files, {n} of them with an official outcome:\n\n\
| | files | share |\n|---|---|---|\n\
| identical to the recount with the rule the file gives | {matched} | {:.2}% |\n\
| explained: a recount with a named fix gives the official outcome (checked) | {} | {:.2}% |\n\
| unexplained | {} | {:.2}% |\n\n\
Of the {matched} identical, {} are counted with the rule the META comment describes \
(below); the others with the META rule. Of the {} explained, {stated} have a fix the file's \
comment states and {} a fix inferred from the data (the file does not say why).\n\n",
        rows.len(),
        pct(matched, n),
        explained.len(),
        pct(explained.len(), n),
        unexplained.len(),
        pct(unexplained.len(), n),
        described.len(),
        explained.len(),
        explained.len() - stated,
    ));
    rep.push_str(
        "| category (META rule) | with an official outcome | identical | rate | identical or explained | rate | unexplained | target |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut per: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for r in &with {
        let e = per.entry(r.category).or_default();
        e.0 += 1;
        match r.verdict {
            Some(Verdict::Match) => e.1 += 1,
            Some(Verdict::Explained) => e.2 += 1,
            _ => {}
        }
    }
    for (cat, (n, ok, fixed)) in &per {
        let rate = pct(ok + fixed, *n);
        rep.push_str(&format!(
            "| {cat} | {n} | {ok} | {:.2}% | {} | {rate:.2}% | {} | {} |\n",
            pct(*ok, *n),
            ok + fixed,
            n - ok - fixed,
            target(cat).map_or("report only".into(), |t| format!("{t}%"))
        ));
        if let Some(t) = target(cat) {
            if full && rate + 1e-9 < t {
                failures.push(format!(
                    "{cat}: {rate:.2}% identical or explained, target {t}%"
                ));
            }
        }
    }
    rep.push_str(
        "\n`greedy-exclusive` files are counted with greedy (the exclusions their comments \
name are fixes, below); `greedy-custom` and `unknown` with greedy unless the comment \
describes the rule.\n",
    );

    // Rules described in comments.
    let mut by_entry: BTreeMap<String, Vec<&&Row>> = BTreeMap::new();
    for r in &with {
        if let (Some(q), Some(_)) = (&r.entry, &r.greedy_selection) {
            by_entry.entry(q.pattern.clone()).or_default().push(r);
        }
    }
    if !by_entry.is_empty() {
        rep.push_str("\n## Rules described in the META comment\n\n");
    }
    for (pattern, rs) in &by_entry {
        let q = rs[0].entry.as_ref().expect("entry");
        let ok = rs.iter().filter(|r| is(r, Verdict::Match)).count();
        let off = rs
            .iter()
            .filter(|r| r.greedy_selection.as_ref() != r.official.as_ref())
            .collect::<Vec<_>>();
        rep.push_str(&format!(
            "`{pattern}` ({} files, META rule `{}`): {}. The comment says: {}.\n\n\
Counted with `{}`: {ok} of {} identical to the official outcome, as `--rule official` \
counts them now that it reads the comment. Counted with plain greedy, as it counted \
`{}` before, {} of them would differ:\n\n",
            rs.len(),
            rs[0].rule,
            q.why,
            q.evidence
                .iter()
                .map(|e| format!("«{e}»"))
                .collect::<Vec<_>>()
                .join(", "),
            rs[0].counted_with,
            rs.len(),
            rs[0].rule,
            off.len()
        ));
        rep.push_str("| file | official | greedy: + funded too, − not funded | greedy-no-skip (as described) |\n|---|---|---|---|\n");
        for r in off {
            let g = r.greedy_selection.clone().unwrap_or_default();
            let o = r.official.clone().unwrap_or_default();
            let plus = diff(&g, &o);
            let minus = diff(&o, &g);
            let mut d = Vec::new();
            if !plus.is_empty() {
                d.push(format!("+ {}", fmt_set(&plus)));
            }
            if !minus.is_empty() {
                d.push(format!("− {}", fmt_set(&minus)));
            }
            rep.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                r.file,
                fmt_set(&o),
                d.join("; "),
                if is(r, Verdict::Match) {
                    "identical"
                } else {
                    "DIFFERENT"
                }
            ));
        }
        let checked: Vec<&&&Row> = rs
            .iter()
            .filter(|r| !r.marker_notes.is_empty() && !r.markers.is_empty())
            .collect();
        if !checked.is_empty() {
            rep.push_str(&format!(
                "\nThe comment's account of `selected=2` and `3` is checked in all {} files: \
`selected=2` is exactly the project that stopped the count when the money left covers at \
least 80% of its cost (no file marks one otherwise), and `selected=3` projects are the most \
voted of those left. The {} files with such markers:\n\n| file | markers and check |\n|---|---|\n",
                rs.len(),
                checked.len()
            ));
            for r in checked {
                rep.push_str(&format!("| {} | {} |\n", r.file, r.marker_notes.join("; ")));
            }
        }
    }

    rep.push_str(
        "\n## Explained differences\n\nEach row was recounted with its fix; the recount gives the official outcome exactly.\n\n\
| file | META rule | counted with | official only | ours only | code | fix | source |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in &explained {
        let q = r.entry.as_ref().expect("explained rows have an entry");
        let off = r.official.clone().unwrap_or_default();
        let source = if q.stated_in_file() {
            format!(
                "the META comment: {}. {}",
                q.evidence
                    .iter()
                    .map(|e| format!("«{e}»"))
                    .collect::<Vec<_>>()
                    .join(" … "),
                q.why
            )
        } else {
            format!("not in the file: {}", q.why)
        };
        rep.push_str(&format!(
            "| {} | {} | {} | {} | {} | **{}** | `{}` | {} |\n",
            r.file,
            r.rule,
            r.counted_with,
            fmt_set(&diff(&off, &r.ours)),
            fmt_set(&diff(&r.ours, &off)),
            q.code,
            q.fix_text,
            source
        ));
    }
    rep.push_str(&format!(
        "\n## Unexplained differences\n\n{} files. No recount reproduces their official outcome; \
what the file itself says is quoted where it says anything.\n\n\
| file | META rule | counted with | official only | ours only | what the file says |\n|---|---|---|---|---|---|\n",
        unexplained.len()
    ));
    for r in &unexplained {
        let off = r.official.clone().unwrap_or_default();
        let says = match &r.entry {
            Some(q) if q.code == "UNEXPLAINED" => format!(
                "{}: {}",
                q.evidence
                    .iter()
                    .map(|e| format!("«{e}»"))
                    .collect::<Vec<_>>()
                    .join(" … "),
                q.why
            ),
            _ => "UNEXPLAINED".into(),
        };
        rep.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.file,
            r.rule,
            r.counted_with,
            fmt_set(&diff(&off, &r.ours)),
            fmt_set(&diff(&r.ours, &off)),
            says
        ));
    }

    let marked: Vec<&Row> = rows
        .iter()
        .filter(|r| !r.markers.is_empty() && r.greedy_selection.is_none())
        .collect();
    rep.push_str(&format!(
        "\n## Projects funded outside the count (`selected=2`, `3`)\n\n\
{} files mark projects with values other than 0 and 1. The official outcome compared \
is the `selected=1` set. Besides the files whose rule the comment describes (above):\n\n\
| file | META rule | markers and budget | result |\n|---|---|---|---|\n",
        rows.iter().filter(|r| !r.markers.is_empty()).count()
    ));
    for r in marked {
        rep.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.file,
            r.rule,
            r.marker_notes.join("; "),
            match r.verdict {
                Some(Verdict::Match) => "identical",
                Some(Verdict::Explained) => "explained (above)",
                _ => "unexplained",
            }
        ));
    }

    let breaking: Vec<&Row> = rows.iter().filter(|r| !r.breaches.is_empty()).collect();
    rep.push_str(&format!(
        "\n## Ballots outside the published constraints\n\n{} of {} files hold ballots that \
break a constraint in their META (lengths, points, spending limit; money in the file's \
smallest unit). They are counted as published; the count's output names them too.\n\n\
| file | constraint broken |\n|---|---|\n",
        breaking.len(),
        rows.len()
    ));
    for r in breaking {
        rep.push_str(&format!("| {} | {} |\n", r.file, r.breaches.join("; ")));
    }
    rep.push_str(
        "\n## Every election\n\n| file | META rule | counted with | official | ours | result |\n|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let result = match (&r.error, &r.verdict) {
            (Some(err), _) => format!("error: {err}"),
            (None, None) => "no official outcome in the file".into(),
            (None, Some(Verdict::Match)) => "identical".into(),
            (None, Some(Verdict::Explained)) => format!(
                "explained: **{}**",
                r.entry
                    .as_ref()
                    .map(|q| q.code.as_str())
                    .unwrap_or_default()
            ),
            (None, Some(Verdict::Unexplained)) => "**unexplained**".into(),
        };
        rep.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.file,
            r.rule,
            r.counted_with,
            r.official
                .as_ref()
                .map(fmt_set)
                .unwrap_or_else(|| "-".into()),
            fmt_set(&r.ours),
            result
        ));
    }
    Summary {
        report: rep,
        failures,
    }
}

fn row<'a>(rows: &'a [Row], file: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.file == file)
        .unwrap_or_else(|| panic!("fixture {file} is missing"))
}

#[test]
fn fixtures_match_or_are_explained() {
    let files = pb_files(&crate_dir().join("testdata/pabulib"));
    assert!(files.len() >= 14, "fixture set is missing");
    let table = entries();
    let rows: Vec<Row> = files.iter().map(|f| count_file(f, &table)).collect();
    let s = check(&rows, &table, false);
    assert!(s.failures.is_empty(), "{}", s.failures.join("\n"));
    for r in &rows {
        assert!(r.official.is_some(), "{} has an official outcome", r.file);
        assert_ne!(r.verdict, Some(Verdict::Unexplained), "{}", r.file);
    }
    let cats: BTreeSet<&str> = rows.iter().map(|r| r.category).collect();
    for need in [
        "equal shares",
        "greedy",
        "greedy-no-skip",
        "greedy-threshold",
        "choose-1",
        "greedy-custom",
        "greedy-exclusive",
    ] {
        assert!(cats.contains(need), "fixtures do not cover {need}");
    }

    // Poznań: greedy differs; the rule its comment describes
    // (greedy-no-skip) gives the official outcome, and the reserve rule
    // gives its selected=2 project.
    let p = row(
        &rows,
        "Poland_Poznan_2024_11_-_Fabianowo-Kotowo_Gorczyn_Junikowo_Kwiatowe_Lawica__large.pb",
    );
    assert_eq!(p.counted_with, "greedy-no-skip");
    assert_eq!(p.verdict, Some(Verdict::Match));
    assert_ne!(p.greedy_selection, p.official, "greedy differs");
    assert_eq!(p.markers["2"], BTreeSet::from(["RD-XI.1".to_string()]));
    assert!(p
        .marker_notes
        .iter()
        .any(|n| n.contains("selected=2, as marked")));
    // selected=3 in Poznań: the most-voted projects not yet selected.
    let p3 = row(
        &rows,
        "Poland_Poznan_2024_1_-_Nowe_Winogrady_Polnoc_Nowe_Winogrady_Poludnie_Nowe_Winogrady_Wschod_Stare_Winogrady__large.pb",
    );
    assert_eq!(p3.verdict, Some(Verdict::Match));
    assert_ne!(p3.greedy_selection, p3.official, "greedy differs");
    assert!(p3
        .marker_notes
        .iter()
        .any(|n| n.contains("selected=3 RD-I.1, RD-I.5")));

    // Bielany 2022: the project the comment names as not selected, left
    // out, gives the official outcome.
    let b = row(&rows, "Poland_Warszawa_2022_Bielany.pb");
    assert_eq!(b.verdict, Some(Verdict::Explained));
    assert_eq!(
        b.entry.as_ref().map(|q| q.code.as_str()),
        Some("EXCLUDED-IN-COMMENT")
    );
    assert!(b.ours.contains("1932") && !b.official.as_ref().is_some_and(|o| o.contains("1932")));

    // selected=2 from a turnout award (Gdynia 2025, says the comment) and
    // where only the budget shows it (Gdynia 2020, also a tie the city
    // broke for the dearer project): compared with the selected=1 set.
    let g = row(&rows, "Poland_Gdynia_2025_Babie_Doly__small.pb");
    assert_eq!(g.verdict, Some(Verdict::Match));
    assert!(g.markers.contains_key("2"));
    assert!(g.marker_notes.iter().any(|n| n.contains("comment says")));
    let g20 = row(&rows, "Poland_Gdynia_2020_Babie_Doly__small.pb");
    assert_eq!(g20.verdict, Some(Verdict::Explained));
    assert!(g20.marker_notes[0].contains("(over the budget)"));
    assert!(!g20.marker_notes.iter().any(|n| n.contains("comment says")));

    // A fix inferred from the data: Warszawa 2018 Las.
    let l = row(&rows, "Poland_Warszawa_2018_Las.pb");
    assert_eq!(l.verdict, Some(Verdict::Explained));
    assert_eq!(
        l.entry.as_ref().map(|q| q.code.as_str()),
        Some("EXCLUDED-BY-CITY")
    );
}

/// The checks themselves: a listed fix that does not reproduce the official
/// outcome, evidence missing from the comment, or an unlisted difference
/// each fail.
#[test]
fn unchecked_explanations_fail() {
    let file = crate_dir().join("testdata/pabulib/Poland_Warszawa_2022_Bielany.pb");
    let entry = |fix: &str, evidence: &str| Entry {
        pattern: "Poland_Warszawa_2022_Bielany.pb".into(),
        code: "EXCLUDED-IN-COMMENT".into(),
        fix_text: fix.into(),
        fixes: fix.split(';').map(Fix::parse).collect(),
        evidence: evidence.split('|').map(str::to_string).collect(),
        why: String::new(),
    };
    // The right fix and evidence: explained, no failure.
    let ok = count_file(
        &file,
        &[entry("exclude:1932", "so project 1932 was not selected")],
    );
    assert_eq!(ok.verdict, Some(Verdict::Explained));
    assert!(row_failures(&ok).is_empty());
    // A wrong fix: unexplained, and a failure.
    let wrong = count_file(
        &file,
        &[entry("exclude:201", "so project 1932 was not selected")],
    );
    assert_eq!(wrong.verdict, Some(Verdict::Unexplained));
    assert!(row_failures(&wrong)[0].contains("does not reproduce"));
    // Evidence the comment does not hold.
    let unsaid = count_file(&file, &[entry("exclude:1932", "1932 was withdrawn")]);
    assert!(row_failures(&unsaid)[0].contains("does not say"));
    // No entry at all: greedy-exclusive is not targeted, but an unlisted
    // difference still fails.
    let bare = count_file(&file, &[]);
    assert_eq!(bare.verdict, Some(Verdict::Unexplained));
    assert!(row_failures(&bare)[0].contains("unexplained mismatch"));
}

#[test]
fn full_data_folder_conformance() {
    let Some(dir) = data_dir() else {
        println!("pabulib data folder not found: skipping the full conformance run");
        return;
    };
    let files = pb_files(&dir);
    let table = entries();
    let rows: Vec<Row> = files.iter().map(|f| count_file(f, &table)).collect();
    let summary = check(&rows, &table, true);
    let out = report_dir();
    std::fs::create_dir_all(&out).expect("create the report folder");
    std::fs::write(out.join("pabulib.md"), &summary.report).expect("write report");
    if std::env::var_os("UPDATE_CONFORMANCE").is_some_and(|v| v == "1") {
        std::fs::write(crate_dir().join("CONFORMANCE.md"), &summary.report)
            .expect("write CONFORMANCE.md");
    }
    let with = rows.iter().filter(|r| r.verdict.is_some()).count();
    println!(
        "conformance: {} files, {with} with an official outcome; report in {}",
        rows.len(),
        out.join("pabulib.md").display()
    );
    assert!(
        rows.len() >= MIN_FILES && with >= MIN_WITH_OUTCOME,
        "the data folder gave {} files ({with} with an official outcome); at least {MIN_FILES} ({MIN_WITH_OUTCOME}) expected",
        rows.len()
    );
    assert!(
        summary.failures.is_empty(),
        "conformance failures:\n{}",
        summary.failures.join("\n")
    );
}
