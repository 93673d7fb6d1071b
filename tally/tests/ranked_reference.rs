//! Scottish STV against independent implementations.
//!
//! 1. The Droop package's stage-by-stage counts of the Glasgow 2007 wards and
//!    two synthetic tie cases (`*-scotland-fixed-p5-d5.txt`): identical quota,
//!    elected candidates and, at every stage, identical votes for every
//!    candidate, non-transferable votes and truncation loss. A few files are
//!    copied in `testdata/blt/`; the whole folder is used when the data folder
//!    is present.
//! 2. pref_voting's `stv_scottish` winners for every ward in the data folder,
//!    from the golden file written by `scripts/stv_pref_voting_compare.py`.
//!
//! The data folder is `$FAIRSHARE_DATA_DIR` if set, else `../shared/data`
//! beside the workspace root.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use tally::ranked::{
    count_stv_scottish, parse_blt, LotOrder, StvAction, StvConfig, StvOutcome, Votes,
};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("FAIRSHARE_DATA_DIR") {
        Some(d) => PathBuf::from(d),
        None => manifest_dir().join("../../shared/data"),
    };
    dir.is_dir().then_some(dir)
}

/// A stage as printed by Droop: every candidate's votes, non-transferable
/// votes and residual (truncation loss), in 1/100,000 units.
#[derive(Debug, PartialEq, Eq)]
struct RefStage {
    action: String,
    votes: BTreeMap<String, u64>,
    non_transferable: u64,
    residual: u64,
}

#[derive(Debug)]
struct Reference {
    quota: u64,
    stages: Vec<RefStage>,
    elected: BTreeSet<String>,
}

fn units(text: &str) -> u64 {
    let (whole, frac) = text.trim().split_once('.').expect("decimal");
    assert_eq!(frac.len(), 5, "five places in {text:?}");
    whole.parse::<u64>().expect("whole part") * 100_000 + frac.parse::<u64>().expect("fraction")
}

/// Droop prints names with each run of whitespace replaced by one space.
fn droop_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// Parses Droop's report. `names` are the election's candidates as Droop
/// prints them, used to split its grouped `Defeated: A, B (0.00000)` lines.
fn parse_reference(text: &str, names: &[String]) -> Reference {
    let mut quota = None;
    let mut blocks: Vec<RefStage> = Vec::new();
    for line in text.lines() {
        if let Some(q) = line.trim().strip_prefix("Quota:") {
            quota = Some(units(q));
        }
        if let Some(action) = line.strip_prefix("Action: ") {
            blocks.push(RefStage {
                action: action.to_string(),
                votes: BTreeMap::new(),
                non_transferable: 0,
                residual: 0,
            });
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        let t = line.trim();
        if let Some(v) = t.strip_prefix("Nontransferable votes:") {
            block.non_transferable = units(v);
        } else if let Some(v) = t.strip_prefix("Residual:") {
            block.residual = units(v);
        } else {
            for status in [
                "Hopeful:",
                "Elected:",
                "Pending:",
                "Defeated:",
                "Withdrawn:",
            ] {
                if let Some(rest) = t.strip_prefix(status) {
                    let (who, value) = rest.trim().rsplit_once(" (").expect("name (votes)");
                    let value = units(value.trim_end_matches(')'));
                    let who: Vec<String> = if names.iter().any(|n| n == who) {
                        vec![who.to_string()]
                    } else {
                        who.split(", ").map(str::to_string).collect()
                    };
                    for w in who {
                        assert!(names.contains(&w), "unknown candidate {w:?}");
                        block.votes.insert(w, value);
                    }
                }
            }
        }
    }
    let elected = blocks
        .iter()
        .rev()
        .find(|b| b.action == "Count Complete")
        .map(|b| b.action.clone())
        .map(|_| {
            text.rsplit("Action: Count Complete")
                .next()
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.trim().strip_prefix("Elected:"))
                .map(|r| {
                    r.trim()
                        .rsplit_once(" (")
                        .expect("name (votes)")
                        .0
                        .to_string()
                })
                .collect()
        })
        .expect("a Count Complete section");
    // Stages that change the totals: the first count, each surplus
    // transferred (Droop also logs zero surpluses, which move nothing and
    // which the Order does not transfer) and each exclusion transfer.
    let stages = blocks
        .into_iter()
        .filter(|b| {
            b.action == "Begin Count"
                || (b.action.starts_with("Surplus transferred:")
                    && !b.action.ends_with("(0.00000)"))
                || b.action.starts_with("Transfer defeated:")
        })
        .collect();
    Reference {
        quota: quota.expect("a Quota line"),
        stages,
        elected,
    }
}

/// Compares our count with Droop's; returns a description of the first
/// difference.
fn compare(outcome: &StvOutcome, reference: &Reference) -> Result<(), String> {
    if outcome.quota.units() != reference.quota {
        return Err(format!(
            "quota {} vs reference {}",
            outcome.quota,
            Votes::from_units(reference.quota)
        ));
    }
    let ours: BTreeSet<String> = outcome.selected.iter().map(|n| droop_name(n)).collect();
    if ours != reference.elected {
        return Err(format!(
            "elected {ours:?} vs reference {:?}",
            reference.elected
        ));
    }
    if outcome.rounds.len() != reference.stages.len() {
        return Err(format!(
            "{} stages vs reference {}",
            outcome.rounds.len(),
            reference.stages.len()
        ));
    }
    for (stage, want) in outcome.rounds.iter().zip(&reference.stages) {
        let got: BTreeMap<String, u64> = outcome
            .candidates
            .iter()
            .map(|n| droop_name(n))
            .zip(stage.votes.iter().map(|v| v.units()))
            .collect();
        let what = match &stage.action {
            StvAction::FirstPreferences => "first preferences".to_string(),
            StvAction::Surplus { candidate, .. } => format!("surplus of {candidate}"),
            StvAction::Exclusion { candidate, .. } => format!("exclusion of {candidate}"),
        };
        if got != want.votes {
            return Err(format!(
                "stage {} ({what}; reference: {}): votes {got:?} vs reference {:?}",
                stage.stage, want.action, want.votes
            ));
        }
        if stage.non_transferable.units() != want.non_transferable
            || stage.loss_by_truncation.units() != want.residual
        {
            return Err(format!(
                "stage {} ({what}): non-transferable {} / loss {} vs reference {} / {}",
                stage.stage,
                stage.non_transferable,
                stage.loss_by_truncation,
                Votes::from_units(want.non_transferable),
                Votes::from_units(want.residual)
            ));
        }
    }
    Ok(())
}

/// Droop draws lots in the order the candidates appear in the file.
const DROOP_LOTS: StvConfig = StvConfig {
    lot: LotOrder::FileOrder,
};

/// One reference comparison: file stem, our elected candidates (in order of
/// election) and the first difference, if any.
struct Checked {
    stem: String,
    selected: Vec<String>,
    ties: usize,
    result: Result<(), String>,
}

/// Checks every `X.blt` with an `X-scotland-fixed-p5-d5.txt` in `dir`.
fn check_reference_folder(dir: &Path) -> Vec<Checked> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "blt"))
        .collect();
    files.sort();
    let mut checked = Vec::new();
    for blt in files {
        let stem = blt.file_stem().and_then(|s| s.to_str()).expect("file name");
        let reference = dir.join(format!("{stem}-scotland-fixed-p5-d5.txt"));
        let Ok(reference_text) = fs::read_to_string(&reference) else {
            continue;
        };
        let election = parse_blt(&fs::read_to_string(&blt).expect("readable")).expect("parses");
        let names: Vec<String> = election
            .candidates()
            .iter()
            .map(|n| droop_name(n))
            .collect();
        let reference = parse_reference(&reference_text, &names);
        let outcome = count_stv_scottish(&election, &DROOP_LOTS);
        checked.push(Checked {
            stem: stem.to_string(),
            result: compare(&outcome, &reference),
            ties: outcome.ties.len(),
            selected: outcome.selected,
        });
    }
    checked
}

fn assert_all_match(checked: &[Checked]) {
    let failures: Vec<String> = checked
        .iter()
        .filter_map(|c| c.result.as_ref().err().map(|e| format!("{}: {e}", c.stem)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} differ from the reference:\n{}",
        failures.len(),
        checked.len(),
        failures.join("\n")
    );
}

#[test]
fn glasgow_fixtures_match_droop_stage_by_stage() {
    let checked = check_reference_folder(&manifest_dir().join("testdata/blt"));
    assert_eq!(checked.len(), 4, "fixtures present");
    assert_all_match(&checked);
}

#[test]
fn synthetic_ties_are_reported_as_droop_resolves_them() {
    let dir = manifest_dir().join("testdata/blt");
    let count = |name: &str| {
        let text = fs::read_to_string(dir.join(name)).expect("fixture");
        count_stv_scottish(&parse_blt(&text).expect("parses"), &DROOP_LOTS)
    };
    // weak-defeat: B and C tie on 3 at stage 2; B had fewer at stage 1.
    let defeat = count("weak-defeat.blt");
    let tie = &defeat.ties[0];
    assert_eq!(tie.candidates, ["B", "C"]);
    assert_eq!(tie.chosen, "B");
    assert_eq!(tie.history_stages, [1]);
    assert_eq!(defeat.selected, ["E", "D"]);
    // weak-surplus: E and F are equal at every stage, so lot (file order).
    let surplus = count("weak-surplus.blt");
    let tie = surplus
        .ties
        .iter()
        .find(|t| t.candidates == ["E", "F"])
        .expect("E/F tie reported");
    assert_eq!(tie.lot_among, ["E", "F"]);
    assert_eq!(tie.chosen, "E");
    assert_eq!(surplus.selected, ["A", "B", "C", "D"]);
}

/// With the data folder: every Glasgow 2007 reference count stage by stage,
/// and every ward's winners against pref_voting (all 23 and all 738: fewer
/// fails). Writes the conformance report `conformance/ranked.md` in the
/// target folder (and, with `UPDATE_CONFORMANCE=1`, the committed
/// `testdata/blt/conformance.md`) and prints the figures.
#[test]
fn full_data_conformance() {
    let Some(data) = data_dir() else {
        println!("data folder absent: full Glasgow and pref_voting comparisons skipped");
        return;
    };
    let glasgow = check_reference_folder(&data.join("scottish-stv/glasgow-2007-reference"));
    let glasgow_ok = glasgow.iter().filter(|c| c.result.is_ok()).count();

    let golden_text =
        fs::read_to_string(manifest_dir().join("testdata/blt/pref_voting_golden.json"))
            .expect("golden file");
    let golden: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&golden_text).expect("golden JSON");
    let dir = data.join("scottish-stv/wards");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .expect("wards folder")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|f| f.ends_with(".blt"))
        .collect();
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f.clone(),
                fs::read_to_string(dir.join(f)).expect("ward file"),
            )
        })
        .collect();
    let start = Instant::now();
    let mut outcomes = Vec::new();
    for (file, text) in &texts {
        let election = parse_blt(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        outcomes.push(count_stv_scottish(&election, &StvConfig::default()));
    }
    let elapsed = start.elapsed();
    let mut ward_rows = Vec::new();
    let mut ward_ok = 0;
    let (mut history_ties, mut lot_ties) = (0, 0);
    for ((file, _), outcome) in texts.iter().zip(&outcomes) {
        let mut ours = outcome.selected.clone();
        ours.sort();
        let theirs = golden.get(file);
        let verdict = match theirs {
            Some(t) if *t == ours => {
                ward_ok += 1;
                "match".to_string()
            }
            Some(_) => "DIFFERENT".to_string(),
            None => "not in the golden file (rerun the script)".to_string(),
        };
        for tie in &outcome.ties {
            match tie.method {
                tally::ranked::TieMethod::History => history_ties += 1,
                tally::ranked::TieMethod::Lot => lot_ties += 1,
            }
        }
        ward_rows.push(format!(
            "| {file} | stv-scottish | {} | {} | {} |",
            theirs.map(|t| t.join("; ")).unwrap_or_default(),
            outcome.selected.join("; "),
            verdict
        ));
    }

    let mut report = String::new();
    report.push_str("# Conformance of the ranked-ballot counts\n\n");
    report.push_str(
        "Generated by `UPDATE_CONFORMANCE=1 cargo test -p tally --release --test ranked_reference` \
         when the data folder is present.\n\n",
    );
    report.push_str("## Summary\n\n| reference | elections | identical | what is compared |\n|---|---|---|---|\n");
    report.push_str(&format!(
        "| Droop 0.11 `scotland` counts, glasgow-2007-reference | {} | {glasgow_ok} | quota, elected candidates, and at every stage every candidate's votes, non-transferable votes and truncation loss |\n",
        glasgow.len()
    ));
    report.push_str(&format!(
        "| pref_voting `stv_scottish`, wards | {} | {ward_ok} | elected candidates |\n\n",
        texts.len()
    ));
    report.push_str(&format!(
        "Over the wards, {history_ties} ties were met and broken by the history of the count \
         and {lot_ties} needed a lot (this includes ties that only fix the listing order of \
         candidates elected at the same stage).\n\n"
    ));
    report.push_str("## Glasgow 2007 reference counts\n\n| file | rule | ours (order of election) | ties | verdict |\n|---|---|---|---|---|\n");
    for c in &glasgow {
        report.push_str(&format!(
            "| {}.blt | stv-scottish (lots in file order, as Droop) | {} | {} | {} |\n",
            c.stem,
            c.selected.join("; "),
            c.ties,
            match &c.result {
                Ok(()) => "identical at every stage".to_string(),
                Err(e) => e.replace('|', "\\|"),
            }
        ));
    }
    report.push_str("\n## Wards against pref_voting\n\n| file | rule | pref_voting (sorted) | ours (order of election) | verdict |\n|---|---|---|---|---|\n");
    for row in &ward_rows {
        report.push_str(row);
        report.push('\n');
    }
    // The report goes to the target folder; the committed copy is rewritten
    // only when asked, so that running the tests leaves the tree alone.
    let out = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => manifest_dir().join("../target"),
    }
    .join("conformance");
    fs::create_dir_all(&out).expect("create the report folder");
    fs::write(out.join("ranked.md"), &report).expect("write the conformance report");
    if std::env::var_os("UPDATE_CONFORMANCE").is_some_and(|v| v == "1") {
        let path = manifest_dir().join("testdata/blt/conformance.md");
        if fs::read_to_string(&path).ok().as_deref() != Some(report.as_str()) {
            fs::write(&path, &report).expect("write testdata/blt/conformance.md");
        }
    }

    println!(
        "glasgow-2007-reference: {glasgow_ok}/{} identical stage by stage; \
         pref_voting: {ward_ok}/{} wards identical; \
         parse + count of all wards: {:.3} s",
        glasgow.len(),
        texts.len(),
        elapsed.as_secs_f64()
    );
    assert_eq!(glasgow.len(), 23, "21 Glasgow wards and 2 synthetic cases");
    assert_all_match(&glasgow);
    assert_eq!(texts.len(), 738, "every ward");
    assert_eq!(ward_ok, texts.len(), "see testdata/blt/conformance.md");
}
