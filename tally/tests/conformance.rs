//! Conformance: recount real pabulib elections from their VOTES section with
//! the rule their META names and compare with the official `selected`
//! column.
//!
//! Always runs on the fixtures in `testdata/pabulib/`. When the shared data
//! folder exists (`$FAIRSHARE_DATA_DIR`, else `../shared/data` next to the
//! workspace), also on every file in its `pabulib/` folder, writes the
//! report to `target/conformance/pabulib.md` and checks the targets:
//! 100% of Equal Shares elections, at least 99% of `greedy`,
//! `greedy-no-skip`, `greedy-threshold` and `choose-1` elections, and every
//! mismatch explained by `testdata/conformance-quirks.tsv`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;
use common::{crate_dir, data_dir};

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

/// A known quirk: a code, a machine-checked fix and an explanation.
#[derive(Clone, Debug)]
struct Quirk {
    code: String,
    fix: String,
    why: String,
}

/// `file -> quirk` from the checked-in table of known quirks.
fn quirks() -> BTreeMap<String, Quirk> {
    let text = std::fs::read_to_string(crate_dir().join("testdata/conformance-quirks.tsv"))
        .expect("testdata/conformance-quirks.tsv is readable");
    let mut m = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut it = line.splitn(4, '\t');
        let (Some(f), Some(code), Some(fix), Some(why)) =
            (it.next(), it.next(), it.next(), it.next())
        else {
            panic!("bad quirk line: {line}");
        };
        m.insert(
            f.to_string(),
            Quirk {
                code: code.to_string(),
                fix: fix.to_string(),
                why: why.to_string(),
            },
        );
    }
    m
}

#[derive(Debug)]
struct Row {
    path: PathBuf,
    file: String,
    rule: String,
    category: &'static str,
    official: Option<BTreeSet<String>>,
    ours: BTreeSet<String>,
    error: Option<String>,
    /// Published constraints that some ballots break.
    breaches: Vec<String>,
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
            _ => "other",
        }
    }
}

fn count_file(path: &Path) -> Row {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut row = Row {
        path: path.to_path_buf(),
        file,
        rule: String::new(),
        category: "other",
        official: None,
        ours: BTreeSet::new(),
        error: None,
        breaches: Vec::new(),
    };
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
    row.category = category(&row.rule, e.vote_type.as_str());
    if e.projects.iter().any(|p| p.field("selected").is_some()) {
        row.official = Some(
            e.projects
                .iter()
                .filter(|p| p.field("selected") == Some("1"))
                .map(|p| p.id.clone())
                .collect(),
        );
    }
    match tally::official_config(&e).and_then(|(cfg, _)| tally::count(&e, &cfg)) {
        Ok(o) => row.ours = o.selected.into_iter().collect(),
        Err(err) => row.error = Some(err.to_string()),
    }
    row
}

/// Recounts with a quirk's fix applied: `exclude:ID,ID` (the city did not
/// fund these projects, for reasons outside the file) or `tie-order:cost-desc`
/// (the city broke an exact tie in favour of the more expensive project).
fn recount_with_fix(path: &Path, fix: &str) -> Result<BTreeSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut e = tally::pb::parse(&text).map_err(|e| e.to_string())?;
    let (mut cfg, _) = tally::official_config(&e).map_err(|e| e.to_string())?;
    if let Some(ids) = fix.strip_prefix("exclude:") {
        let ids: Vec<&str> = ids.split(',').collect();
        let keep: Vec<bool> = e
            .projects
            .iter()
            .map(|p| !ids.contains(&p.id.as_str()))
            .collect();
        let mut map = vec![u32::MAX; e.projects.len()];
        let mut next = 0;
        for (i, k) in keep.iter().enumerate() {
            if *k {
                map[i] = next;
                next += 1;
            }
        }
        e.projects = e
            .projects
            .into_iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(p, _)| p)
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
        e.ballots = tally::model::Ballots::from_owned(&ballots).map_err(|e| e.to_string())?;
    } else if fix == "tie-order:cost-desc" {
        let mut ids: Vec<(u64, String)> =
            e.projects.iter().map(|p| (p.cost, p.id.clone())).collect();
        ids.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        cfg.tie_break = tally::TieBreak::Explicit(ids.into_iter().map(|x| x.1).collect());
    } else {
        return Err(format!("unknown fix `{fix}`"));
    }
    let o = tally::count(&e, &cfg).map_err(|e| e.to_string())?;
    Ok(o.selected.into_iter().collect())
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

struct Summary {
    report: String,
    failures: Vec<String>,
}

fn check(rows: &[Row], quirks: &BTreeMap<String, Quirk>, enforce_rates: bool) -> Summary {
    let mut failures = Vec::new();
    // category -> (with official outcome, identical, identical after a verified quirk fix)
    let mut per: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut table = String::new();
    let mut mismatches = String::new();
    for r in rows {
        let status;
        match (&r.error, &r.official) {
            (Some(err), _) => {
                status = format!("error: {err}");
                failures.push(format!("{}: {err}", r.file));
            }
            (None, None) => status = "no official outcome in the file".to_string(),
            (None, Some(off)) => {
                let e = per.entry(r.category).or_default();
                e.0 += 1;
                if *off == r.ours {
                    e.1 += 1;
                    status = "match".to_string();
                } else {
                    let only_off: BTreeSet<String> = off.difference(&r.ours).cloned().collect();
                    let only_ours: BTreeSet<String> = r.ours.difference(off).cloned().collect();
                    match quirks.get(&r.file) {
                        Some(q) => {
                            let verified = match recount_with_fix(&r.path, &q.fix) {
                                Ok(sel) => sel == *off,
                                Err(err) => {
                                    failures.push(format!("{}: quirk fix failed: {err}", r.file));
                                    false
                                }
                            };
                            if verified {
                                e.2 += 1;
                            } else {
                                failures.push(format!(
                                    "{}: the quirk fix `{}` does not reproduce the official outcome",
                                    r.file, q.fix
                                ));
                            }
                            status = format!("mismatch, explained: **{}**", q.code);
                            mismatches.push_str(&format!(
                                "| {} | {} | {} | {} | **{}** (`{}`, {}): {} |\n",
                                r.file,
                                r.rule,
                                fmt_set(&only_off),
                                fmt_set(&only_ours),
                                q.code,
                                q.fix,
                                if verified {
                                    "recount with the fix reproduces the official outcome"
                                } else {
                                    "NOT VERIFIED"
                                },
                                q.why
                            ));
                        }
                        None if r.category == "other" => {
                            status = format!("mismatch, explained: rule `{}`", r.rule);
                            mismatches.push_str(&format!(
                                "| {} | {} | {} | {} | **rule `{}`**: the official procedure is not fully described by the file (see its META comment); counted with plain greedy |\n",
                                r.file,
                                r.rule,
                                fmt_set(&only_off),
                                fmt_set(&only_ours),
                                r.rule
                            ));
                        }
                        None => {
                            status = "MISMATCH, unexplained".to_string();
                            mismatches.push_str(&format!(
                                "| {} | {} | {} | {} | UNEXPLAINED |\n",
                                r.file,
                                r.rule,
                                fmt_set(&only_off),
                                fmt_set(&only_ours)
                            ));
                            failures.push(format!(
                                "{}: unexplained mismatch (official only: {}; ours only: {})",
                                r.file,
                                fmt_set(&only_off),
                                fmt_set(&only_ours)
                            ));
                        }
                    }
                }
            }
        }
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            r.file,
            r.rule,
            r.official
                .as_ref()
                .map(fmt_set)
                .unwrap_or_else(|| "-".into()),
            fmt_set(&r.ours),
            status
        ));
    }
    let mut report = String::from(
        "# Conformance with published pabulib outcomes\n\n\
Each election is recounted from its VOTES section with the rule its META names \
(`tally count FILE --rule official`) and compared with the projects marked \
`selected=1`. Generated by `cargo test -p tally --release --test conformance`.\n\n\
A mismatch in a targeted category is explained only by an entry of \
`tally/testdata/conformance-quirks.tsv` whose fix (projects the city did not fund, or \
the city's order for an exact tie) is applied and the election recounted: the \
recount must reproduce the official outcome exactly.\n\n\
## Summary\n\n| category | elections with an official outcome | identical as published | rate | identical after a verified quirk fix | rate | target |\n|---|---|---|---|---|---|---|\n",
    );
    for (cat, (n, ok, fixed)) in &per {
        // Rounded down, so that a rate just short of its target never
        // reads as meeting it (296 of 299 is 98.99%, not 99.00%).
        let pct = |k: usize| {
            if *n == 0 {
                100.0
            } else {
                (10_000.0 * k as f64 / *n as f64).floor() / 100.0
            }
        };
        let raw = pct(*ok);
        let rate = pct(ok + fixed);
        let target = match *cat {
            "equal shares" => 100.0,
            "other" => 0.0,
            _ => 99.0,
        };
        report.push_str(&format!(
            "| {cat} | {n} | {ok} | {raw:.2}% | {} | {rate:.2}% | {} |\n",
            ok + fixed,
            if target > 0.0 {
                format!("{target}%")
            } else {
                "report only".into()
            }
        ));
        if enforce_rates && rate + 1e-9 < target {
            failures.push(format!("{cat}: {rate:.2}% identical, target {target}%"));
        }
    }
    report.push_str(
        "\n`other` = META rules that the file does not fully describe (`greedy-custom`, \
`greedy-exclusive`, `unknown`): counted with plain greedy and reported, not targeted.\n\n\
## Mismatches\n\n| file | rule | official only | ours only | reason |\n|---|---|---|---|---|\n",
    );
    report.push_str(&mismatches);
    let breaking: Vec<&Row> = rows.iter().filter(|r| !r.breaches.is_empty()).collect();
    report.push_str(&format!(
        "\n## Ballots outside the published constraints\n\n{} of {} files hold ballots that \
break a constraint in their META (lengths, points, spending limit; money in the file's \
smallest unit). They are counted as published; the count's output names them too.\n\n\
| file | constraint broken |\n|---|---|\n",
        breaking.len(),
        rows.len()
    ));
    for r in breaking {
        report.push_str(&format!("| {} | {} |\n", r.file, r.breaches.join("; ")));
    }
    report.push_str("\n## Every election\n\n| file | rule | official | ours | result |\n|---|---|---|---|---|\n");
    report.push_str(&table);
    Summary { report, failures }
}

#[test]
fn fixtures_match_official_outcomes() {
    let files = pb_files(&crate_dir().join("testdata/pabulib"));
    assert!(files.len() >= 5, "fixture set is missing");
    let rows: Vec<Row> = files.iter().map(|f| count_file(f)).collect();
    // Every fixture has an official outcome and matches it exactly.
    for r in &rows {
        assert!(r.error.is_none(), "{}: {:?}", r.file, r.error);
        assert_eq!(
            r.official.as_ref(),
            Some(&r.ours),
            "{} ({})",
            r.file,
            r.rule
        );
    }
    let cats: BTreeSet<&str> = rows.iter().map(|r| r.category).collect();
    for need in [
        "equal shares",
        "greedy",
        "greedy-no-skip",
        "greedy-threshold",
        "choose-1",
    ] {
        assert!(cats.contains(need), "fixtures do not cover {need}");
    }
}

#[test]
fn full_data_folder_conformance() {
    let Some(dir) = data_dir() else {
        println!("pabulib data folder not found: skipping the full conformance run");
        return;
    };
    let files = pb_files(&dir);
    let rows: Vec<Row> = files.iter().map(|f| count_file(f)).collect();
    let q = quirks();
    let summary = check(&rows, &q, true);
    let out = crate_dir().join("../target/conformance");
    std::fs::create_dir_all(&out).expect("create target/conformance");
    std::fs::write(out.join("pabulib.md"), &summary.report).expect("write report");
    // The committed copy is refreshed on every full run.
    std::fs::write(crate_dir().join("CONFORMANCE.md"), &summary.report)
        .expect("write CONFORMANCE.md");
    // Quirks must stay true: a listed file that now matches is stale.
    for r in &rows {
        if let (Some(off), true) = (&r.official, q.contains_key(&r.file)) {
            assert!(
                *off != r.ours,
                "{} is listed in conformance-quirks.tsv but now matches: remove it",
                r.file
            );
        }
    }
    assert!(
        summary.failures.is_empty(),
        "conformance failures:\n{}",
        summary.failures.join("\n")
    );
}
