//! `--rule official` counts as the file says: where the META `rule` is one
//! this counter does not know and the META comment spells the rule out,
//! that rule, with nothing inferred from the data.
//!
//! Poznań's files name `greedy-custom` and describe it: greedy down the
//! list until a project does not fit, then that project from a reserve if
//! the money left covers at least 80% of it. Every Poznań file (the two
//! fixtures always, all 71 where the shared data is) must give exactly the
//! projects the file marks `selected=1` and, from the reserve, the one it
//! marks `selected=2`.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn poznan_files() -> Vec<PathBuf> {
    let mut dirs = vec![common::crate_dir().join("testdata").join("pabulib")];
    dirs.extend(common::data_dir());
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("Poland_Poznan_") && n.ends_with(".pb"))
        })
        .collect();
    // A fixture is also in the shared data: each file once.
    files.sort_by_key(|p| p.file_name().map(|n| n.to_owned()));
    files.dedup_by_key(|p| p.file_name().map(|n| n.to_owned()));
    files
}

/// The projects a file marks with `selected=value`, sorted.
fn marked(e: &tally::Election, value: &str) -> Vec<String> {
    let mut ids: Vec<String> = e
        .projects
        .iter()
        .filter(|p| p.field("selected") == Some(value))
        .map(|p| p.id.clone())
        .collect();
    ids.sort();
    ids
}

fn official(path: &Path) -> (tally::Election, tally::Outcome) {
    let text = std::fs::read_to_string(path).expect("a pabulib file");
    let e = tally::pb::parse(&text).expect("parses");
    let (cfg, notes) = tally::official_config(&e).expect("the file's rule");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("counted as the META comment describes it")),
        "{}: {notes:?}",
        path.display()
    );
    let outcome = tally::count(&e, &cfg).expect("counts");
    (e, outcome)
}

#[test]
fn official_counts_every_poznan_file_as_its_comment_says() {
    let files = poznan_files();
    assert!(files.len() >= 2, "the fixtures are there");
    let mut agree = 0;
    let mut reserves = 0;
    for path in &files {
        let (e, outcome) = official(path);
        assert_eq!(
            outcome.to_json()["rule"],
            "greedy-no-skip-reserve:80",
            "{}",
            path.display()
        );
        let mut ours = outcome.selected.clone();
        ours.sort();
        let reserve: Vec<String> = outcome.to_json()["details"]["reserve"]["project"]
            .as_str()
            .map(|p| vec![p.to_owned()])
            .unwrap_or_default();
        reserves += reserve.len();
        assert_eq!(
            ours,
            marked(&e, "1"),
            "{}: the budget's projects",
            path.display()
        );
        assert_eq!(
            reserve,
            marked(&e, "2"),
            "{}: the reserve's project",
            path.display()
        );
        agree += 1;
    }
    println!(
        "--rule official gives the official outcome of {agree} of {} Poznań files ({reserves} with a project from the reserve)",
        files.len()
    );
}

#[test]
fn the_command_says_how_it_counted() {
    let file = poznan_files().into_iter().next().expect("a Poznań fixture");
    let out = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args([
            "count",
            &file.display().to_string(),
            "--rule",
            "official",
            "--json",
        ])
        .output()
        .expect("the tally binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["rule"], "greedy-no-skip-reserve:80");
    let notes = v["notes"].to_string();
    assert!(notes.contains("greedy-custom"), "{notes}");
    assert!(notes.contains("at least 80% of its cost"), "{notes}");
}

#[test]
fn a_rule_the_comment_does_not_describe_is_still_plain_greedy() {
    let text = "META\nkey;value\nbudget;100\nnum_projects;2\nnum_votes;2\nvote_type;approval\nrule;greedy-custom\ncomment;#1: The city chose the projects.\nPROJECTS\nproject_id;cost\n1;60\n2;50\nVOTES\nvoter_id;vote\nv;1,2\nw;1\n";
    let e = tally::pb::parse(text).expect("parses");
    let (cfg, notes) = tally::official_config(&e).expect("a rule");
    assert_eq!(cfg.rule_name(), "greedy");
    assert!(notes[0].contains("names no rule this counter applies"));
    // Stated, with the reserve: at 80%, 40 left covers a project of 50.
    let text = text.replace(
        "The city chose the projects.",
        "We fund projects until the next project on the list does not fit within the budget. If the remaining budget is enough to fund at least 80% of that project, we fund it from a reserve.",
    );
    let e = tally::pb::parse(&text).expect("parses");
    let (cfg, _) = tally::official_config(&e).expect("a rule");
    let outcome = tally::count(&e, &cfg).expect("counts");
    assert_eq!(outcome.selected, vec!["1"]);
    assert_eq!(outcome.to_json()["details"]["reserve"]["project"], "2");
    // Under 80% of it left: no reserve.
    let text = text.replace("2;50", "2;51");
    let e = tally::pb::parse(&text).expect("parses");
    let (cfg, _) = tally::official_config(&e).expect("a rule");
    let outcome = tally::count(&e, &cfg).expect("counts");
    assert!(outcome.to_json()["details"].get("reserve").is_none());
}
