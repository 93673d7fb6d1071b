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
//!
//! Some files' comments state the budget the count had after a change
//! (Łódź's citywide budget raised with the districts' unused funds,
//! Częstochowa's district with the highest turnout given the money left
//! over elsewhere), or a project that was not a candidate, its cost set to
//! an artificial value (Łódź 2024, Stoki-Sikawa-Podgórze). `official`
//! counts with that budget and leaves that project out, saying so in its
//! notes; every such file (the two fixtures always, all of them where the
//! shared data is) is compared with the projects it marks `selected=1`.

mod common;

use serde_json::Value;
use std::io::BufRead;
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

/// A file's META `comment`, read from the lines before `PROJECTS` only.
fn meta_comment(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.ok()?;
        let line = line.trim_start_matches('\u{feff}').trim_end();
        if line.eq_ignore_ascii_case("projects") {
            return None;
        }
        if let Some(c) = line.strip_prefix("comment;") {
            return Some(c.to_string());
        }
    }
    None
}

/// What a comment states, in the words of the pabulib files that state
/// it: the budget after a change, or a project left out with its cost set
/// to an artificial value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stated {
    Budget,
    LeftOut,
}

fn stated(comment: &str) -> Option<Stated> {
    let c = comment.to_lowercase();
    if c.contains("artificial value")
        && (c.contains("should not have been admitted") || c.contains("withdrawn"))
    {
        Some(Stated::LeftOut)
    } else if c.contains("budget was increased to")
        || c.contains("budget increased to")
        || c.contains("adjusted the budget from")
    {
        Some(Stated::Budget)
    } else {
        None
    }
}

/// Every file (fixtures and shared data, each once) whose comment states
/// a budget or a project left out.
fn stating_files() -> Vec<(PathBuf, Stated)> {
    let mut dirs = vec![common::crate_dir().join("testdata").join("pabulib")];
    dirs.extend(common::data_dir());
    let mut files: Vec<(PathBuf, Stated)> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pb"))
        .filter_map(|p| {
            let s = stated(&meta_comment(&p)?)?;
            Some((p, s))
        })
        .collect();
    files.sort_by_key(|(p, _)| p.file_name().map(|n| n.to_owned()));
    files.dedup_by_key(|(p, _)| p.file_name().map(|n| n.to_owned()));
    files
}

/// The file's official outcome reached otherwise than its comment says:
/// Łódź 2020's comment gives the budget (4.6 million first, 5,715,627
/// after the districts' unused funds) but says the additional projects
/// were selected "not strictly following the typical greedy rule", and
/// its META rule is `greedy-custom`: no rule it states reproduces it (the
/// conformance test's quirks do, with an inference).
const NOT_STATED: &[&str] = &["Poland_Lodz_2020.pb"];

#[test]
fn official_counts_with_the_budget_and_candidates_the_comment_states() {
    let files = stating_files();
    let fixtures = files
        .iter()
        .filter(|(p, _)| p.starts_with(common::crate_dir()))
        .count();
    assert!(fixtures >= 2, "the fixtures are there");
    let mut agree = 0;
    let mut differ = Vec::new();
    for (path, what) in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).expect("a pabulib file");
        let e = tally::pb::parse(&text).expect("parses");
        let official = marked(&e, "1");
        let meta_budget = e.budget;
        let (e, cfg, notes) = tally::official_election(e).expect("the file's count");
        let outcome = tally::count(&e, &cfg).expect("counts");
        match what {
            Stated::Budget => {
                let note = notes
                    .iter()
                    .find(|n| n.starts_with("budget as the META comment states it"))
                    .unwrap_or_else(|| panic!("{name}: no note on the budget: {notes:?}"));
                // In every such file META budget is already the amount.
                assert_eq!(e.budget, meta_budget, "{name}: {note}");
                assert!(note.ends_with("which is META budget"), "{name}: {note}");
            }
            Stated::LeftOut => {
                let left: Vec<&String> = notes
                    .iter()
                    .filter(|n| n.contains("is not a candidate"))
                    .collect();
                assert!(!left.is_empty(), "{name}: no project left out: {notes:?}");
                for n in left {
                    let id = n
                        .strip_prefix("project ")
                        .and_then(|r| r.split(' ').next())
                        .expect("the note names the project");
                    assert!(e.project_index(id).is_none(), "{name}: {id} is counted");
                    assert!(!official.iter().any(|p| p == id), "{name}: {id} funded");
                }
            }
        }
        let mut ours = outcome.selected.clone();
        ours.sort();
        if ours == official {
            agree += 1;
        } else {
            differ.push(name);
        }
    }
    println!(
        "--rule official gives the official outcome of {agree} of {} files whose comment states the budget or a project left out (differ: {})",
        files.len(),
        if differ.is_empty() { "none".to_string() } else { differ.join(", ") }
    );
    for name in &differ {
        assert!(NOT_STATED.contains(&name.as_str()), "{name} differs");
    }
    if common::data_dir().is_some() {
        // 3 Łódź citywide and 2 Częstochowa Kiedrzyn budgets, 1 Łódź
        // project left out.
        assert_eq!((agree, files.len()), (5, 6), "{differ:?}");
    } else {
        assert_eq!((agree, files.len()), (2, 2));
    }
}

#[test]
fn the_command_says_which_project_it_left_out_and_which_budget() {
    let dir = common::crate_dir().join("testdata").join("pabulib");
    let count = |name: &str| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_tally"))
            .args([
                "count",
                &dir.join(name).display().to_string(),
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
        serde_json::from_slice(&out.stdout).expect("one JSON object")
    };
    let v = count("Poland_Lodz_2024_Stoki-Sikawa-Podgorze.pb");
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("project W193ST is not a candidate"),
        "{notes}"
    );
    assert!(notes.contains("artificial value 999999999"), "{notes}");
    // Not a step of the count: never considered, let alone funded.
    assert!(!v["rounds"].to_string().contains("W193ST"), "left out");
    let mut selected: Vec<&str> = v["selected"]
        .as_array()
        .expect("selected")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    selected.sort();
    assert_eq!(
        selected,
        ["W050ST", "W051ST", "W109ST", "W251ST", "W258ST", "W270ST"]
    );
    let v = count("Poland_Czestochowa_2024_Kiedrzyn.pb");
    assert_eq!(v["budget"], "236277");
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("«the budget from 194 431 to 236 277»"),
        "{notes}"
    );
}

#[test]
fn a_stated_budget_and_a_withdrawn_project_are_what_is_counted() {
    // greedy-no-skip: the sentinel's cost would stop the count at once.
    let text = "META\nkey;value\nbudget;100\nnum_projects;3\nnum_votes;3\nvote_type;approval\nrule;greedy-no-skip\ncomment;#1: Project X was withdrawn; its cost was set to the artificial value 999999. #2: Unused funds were added: the budget was increased to 150.\nPROJECTS\nproject_id;cost\nX;999999\n1;60\n2;80\nVOTES\nvoter_id;vote\nu;X,1,2\nv;X,1\nw;X,2\n";
    let e = tally::pb::parse(text).expect("parses");
    let (e, cfg, notes) = tally::official_election(e).expect("a count");
    assert_eq!(e.budget, 150);
    assert!(e.project_index("X").is_none());
    let outcome = tally::count(&e, &cfg).expect("counts");
    assert_eq!(outcome.selected, ["1", "2"]);
    assert_eq!(outcome.to_json()["budget"], "150");
    assert!(notes[0].contains("«budget was increased to 150»"));
    assert!(notes[0].ends_with("150, not META budget 100"), "{notes:?}");
    assert!(notes[1].starts_with("project X is not a candidate: the META comment states it was withdrawn and that its cost was set to the artificial value 999999"));
    // An artificial cost for another reason (a free project), or a
    // withdrawal whose project does not have that cost: nothing changes.
    for comment in [
        "#1: Project X was free; we set its cost to an artificial value of 999999.",
        "#1: Project X was withdrawn; its cost was set to the artificial value 5.",
        "#1: Initial budget was 4.6 million PLN.",
    ] {
        let text = text.replace(
            text.split("comment;")
                .nth(1)
                .unwrap()
                .split('\n')
                .next()
                .unwrap(),
            comment,
        );
        let e = tally::pb::parse(&text).expect("parses");
        let (e, _, notes) = tally::official_election(e).expect("a count");
        assert_eq!((e.budget, e.projects.len()), (100, 3), "{comment}");
        assert!(notes.is_empty(), "{comment}: {notes:?}");
    }
}
