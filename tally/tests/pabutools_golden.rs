//! Cross-check against an independent implementation: pabutools (PyPI).
//!
//! `testdata/pabutools-golden.json` maps each approval election to the
//! selections pabutools computed (`scripts/pabutools_compare.py`) with
//! lexicographic tie-breaking and cost satisfaction:
//! `greedy` (greedy_utilitarian_welfare), `mes` (method_of_equal_shares) and
//! `mes-add1` (method_of_equal_shares with voter_budget_increment=1). We count
//! the same elections with `--tie-break lexicographic` and the rules
//! `greedy`, `mes`, `mes-add1` and require identical selections. Fixture
//! files are always checked; the others when the data folder is present.
//! Where Add1 takes pabutools too long for one call, its own loop ran in
//! pieces (`scripts/pabutools_add1_pieces.py`); the outcome is in the same
//! file.

use std::collections::{BTreeMap, BTreeSet};

mod common;
use common::{crate_dir, data_dir};

/// Selections compared when the data folder is present: 898 elections,
/// three rules each.
const MIN_SELECTIONS: usize = 2694;
/// Add1 loops run in pieces, checked when the data folder is present.
const MIN_PIECES: usize = 5;

fn ours(text: &str, rule: &str) -> Result<BTreeSet<String>, String> {
    let e = tally::pb::parse(text).map_err(|e| e.to_string())?;
    let mut cfg =
        tally::RuleConfig::new(tally::outcome::parse_rule(rule, &e).map_err(|e| e.to_string())?);
    cfg.tie_break = tally::TieBreak::Lexicographic;
    let o = tally::count(&e, &cfg).map_err(|e| e.to_string())?;
    Ok(o.selected.into_iter().collect())
}

#[test]
fn identical_to_pabutools() {
    let golden_text = std::fs::read_to_string(crate_dir().join("testdata/pabutools-golden.json"))
        .expect("testdata/pabutools-golden.json is readable");
    let golden: BTreeMap<String, BTreeMap<String, Vec<String>>> =
        serde_json::from_str(&golden_text).expect("golden file is valid JSON");
    let fixtures = crate_dir().join("testdata/pabulib");
    let data = data_dir();
    let mut checked = 0usize;
    let mut fixture_checked = 0usize;
    let mut skipped = 0usize;
    let mut failures = Vec::new();
    for (file, rules) in &golden {
        let fixture = fixtures.join(file);
        let path = if fixture.is_file() {
            fixture_checked += 1;
            fixture
        } else if let Some(p) = data.as_ref().map(|d| d.join(file)).filter(|p| p.is_file()) {
            p
        } else {
            skipped += 1;
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("readable election");
        for (rule, expected) in rules {
            let expected: BTreeSet<String> = expected.iter().cloned().collect();
            match ours(&text, rule) {
                Ok(got) if got == expected => {}
                Ok(got) => failures.push(format!(
                    "{file} {rule}: pabutools only {:?}, ours only {:?}",
                    expected.difference(&got).collect::<Vec<_>>(),
                    got.difference(&expected).collect::<Vec<_>>()
                )),
                Err(e) => failures.push(format!("{file} {rule}: {e}")),
            }
            checked += 1;
        }
    }
    println!(
        "pabutools golden: {checked} selections compared ({fixture_checked} fixture files), {skipped} files not present"
    );
    assert!(
        fixture_checked >= 5,
        "golden file lacks the fixture elections"
    );
    if data.is_some() {
        assert!(
            checked >= MIN_SELECTIONS,
            "the data folder is present but only {checked} selections were compared \
             ({skipped} files missing); at least {MIN_SELECTIONS} expected"
        );
    }
    assert!(
        failures.is_empty(),
        "differences from pabutools:\n{}",
        failures.join("\n")
    );
}

/// What pabutools recorded at one step of its Add1 loop
/// (`testdata/pabutools-endpoints.json`, `scripts/pabutools_endpoints.py`).
#[derive(serde::Deserialize)]
struct Step {
    step: u64,
    /// Only recorded at the last steps.
    selected: Option<Vec<String>>,
    feasible: bool,
    exhaustive: Option<bool>,
}

#[derive(serde::Deserialize)]
struct Endpoint {
    final_step: u64,
    steps: Vec<Step>,
}

/// pabutools' own Add1 loop, run in pieces where one call takes hours
/// (`testdata/pabutools-add1-pieces.json`, `scripts/pabutools_add1_pieces.py`).
#[derive(serde::Deserialize)]
struct Pieces {
    result: Option<PiecesResult>,
}

#[derive(serde::Deserialize)]
struct PiecesResult {
    /// The step at which pabutools' loop stopped.
    stop_step: u64,
    /// `exhaustive`, or `not feasible` (then it took the previous outcome).
    reason: String,
    selected: Vec<String>,
}

/// Ours with Add1 and lexicographic ties: the selection, the step whose
/// outcome it takes, and whether it stopped because the next step overspends.
fn ours_add1(text: &str) -> (BTreeSet<String>, u64, bool) {
    let e = tally::pb::parse(text).expect("the election parses");
    let mut cfg = tally::RuleConfig::new(
        tally::outcome::parse_rule("mes-add1", &e).expect("mes-add1 is a rule"),
    );
    cfg.tie_break = tally::TieBreak::Lexicographic;
    let o = tally::count(&e, &cfg).expect("the election counts");
    let es = &o.result.details["equal_shares"];
    let runs = es["add1_runs"].as_u64().expect("add1_runs");
    let overspent = es["stop_reason"]
        .as_str()
        .is_some_and(|r| r.starts_with("raising the share once more"));
    let last = if overspent { runs - 2 } else { runs - 1 };
    (o.selected.into_iter().collect(), last, overspent)
}

/// Where Add1 takes pabutools hours (up to 153,146 runs of the method), its
/// loop ran in pieces, and it also checked the step where ours stops, the
/// steps around it and earlier samples. Ours must stop where pabutools'
/// loop stops, for the same reason and with the same outcome; at the step
/// ours takes, pabutools' outcome must be ours; and pabutools' loop must
/// go on at every earlier step checked.
#[test]
fn add1_stops_where_pabutools_stops() {
    let read = |name: &str| {
        std::fs::read_to_string(crate_dir().join("testdata").join(name))
            .unwrap_or_else(|e| panic!("testdata/{name} is readable: {e}"))
    };
    let endpoints: BTreeMap<String, Endpoint> =
        serde_json::from_str(&read("pabutools-endpoints.json"))
            .expect("endpoint file is valid JSON");
    let pieces: BTreeMap<String, Pieces> =
        serde_json::from_str(&read("pabutools-add1-pieces.json"))
            .expect("pieces file is valid JSON");
    let Some(data) = data_dir() else {
        println!("pabutools endpoints: data folder not present, skipped");
        return;
    };
    let files: BTreeSet<&String> = endpoints.keys().chain(pieces.keys()).collect();
    let mut failures = Vec::new();
    let (mut steps, mut stops, mut checked_endpoints) = (0usize, 0usize, 0usize);
    for file in files {
        let Ok(text) = std::fs::read_to_string(data.join(file)) else {
            continue;
        };
        let (selected, ours_final, overspent) = ours_add1(&text);
        if let Some(r) = pieces.get(file).and_then(|p| p.result.as_ref()) {
            stops += 1;
            let theirs: BTreeSet<String> = r.selected.iter().cloned().collect();
            let (step, reason) = if overspent {
                (ours_final + 1, "not feasible")
            } else {
                (ours_final, "exhaustive")
            };
            if r.stop_step != step || r.reason != reason || theirs != selected {
                failures.push(format!(
                    "{file}: pabutools' loop stops at step {} ({}), ours at {step} ({reason}); \
                     pabutools only {:?}, ours only {:?}",
                    r.stop_step,
                    r.reason,
                    theirs.difference(&selected).collect::<Vec<_>>(),
                    selected.difference(&theirs).collect::<Vec<_>>()
                ));
            }
        }
        let Some(ep) = endpoints.get(file) else {
            continue;
        };
        checked_endpoints += 1;
        if ours_final != ep.final_step {
            failures.push(format!(
                "{file}: ours stops at step {ours_final}, pabutools was checked at {}",
                ep.final_step
            ));
            continue;
        }
        for s in &ep.steps {
            steps += 1;
            let theirs: BTreeSet<String> = s.selected.iter().flatten().cloned().collect();
            let ok = if s.step < ep.final_step {
                s.feasible && s.exhaustive == Some(false)
            } else if s.step == ep.final_step {
                s.selected.is_some()
                    && theirs == selected
                    && s.feasible
                    && s.exhaustive == Some(!overspent)
            } else {
                overspent && s.step == ep.final_step + 1 && !s.feasible
            };
            if !ok {
                failures.push(format!(
                    "{file}: step {} (ours stops at {}): pabutools feasible {}, exhaustive {:?}, \
                     selects {} projects, ours {}",
                    s.step,
                    ep.final_step,
                    s.feasible,
                    s.exhaustive,
                    theirs.len(),
                    selected.len()
                ));
            }
        }
    }
    println!(
        "pabutools Add1 stops: {stops} loops run in pieces; {} elections, {steps} steps checked one by one",
        endpoints.len()
    );
    assert!(
        stops >= MIN_PIECES && checked_endpoints >= MIN_PIECES,
        "the data folder is present but only {stops} loops in pieces and {checked_endpoints} endpoint files were checked; at least {MIN_PIECES} expected"
    );
    assert!(
        failures.is_empty(),
        "differences from pabutools:\n{}",
        failures.join("\n")
    );
}
