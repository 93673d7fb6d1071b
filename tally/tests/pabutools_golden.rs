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

use std::collections::{BTreeMap, BTreeSet};

mod common;
use common::{crate_dir, data_dir};

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
    assert!(
        failures.is_empty(),
        "differences from pabutools:\n{}",
        failures.join("\n")
    );
}
