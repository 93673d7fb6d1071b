//! The close checkpoint: the hash of the log's `sealed` entry, which
//! witnesses receive when voting closes. A forger who changes ballots,
//! recounts and rebuilds every hash and the whole log chain makes a bundle
//! that checks out on its own; given the witnessed checkpoint, `verify`
//! refuses it.

mod forge;

use forge::{forge, genuine, with_ballots, Files, POT_3};
use serde_json::{json, Value};
use tally::bundle::{parse_checkpoint, verify, verify_with, Options, Problem, Report};

fn check(files: &Files, checkpoint: Option<&str>) -> Report {
    let options = Options {
        checkpoint: checkpoint.map(|c| parse_checkpoint(c).expect("a checkpoint")),
    };
    verify_with(&|n: &str| files.get(n).cloned(), &options)
}

fn plain(files: &Files) -> Result<tally::bundle::Checked, Vec<Problem>> {
    verify(&|n: &str| files.get(n).cloned())
}

fn said(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The forger's ballots: five voters of pot 3 moved to the mural.
fn forged_pot_3() -> String {
    with_ballots(POT_3, &["1", "2", "3", "4", "5"], "34")
}

#[test]
fn a_genuine_bundle_holds_with_its_checkpoint_and_reports_it() {
    let g = genuine();
    let checked = plain(&g.files).unwrap_or_else(|p| panic!("{}", said(&p)));
    assert_eq!(checked.pots, 2);
    assert_eq!(checked.ballots, 16);
    assert_eq!(checked.checkpoint.as_deref(), Some(g.checkpoint.as_str()));
    assert_eq!(checked.checkpoint_entry, Some(3));
    let log = forge::entries(&g.files);
    assert_eq!(
        checked.log_head,
        log.last().unwrap()["hash"].as_str().map(str::to_owned)
    );
    assert_eq!(
        checked.merkle_root,
        Some(tally::bundle::merkle_root(&forge::commitments()))
    );
    for witnessed in [g.checkpoint.clone(), g.checkpoint.to_uppercase()] {
        let r = check(&g.files, Some(&witnessed));
        assert!(r.holds(), "{}", said(&r.problems));
        assert_eq!(r.checked, checked);
    }
}

#[test]
fn a_forgery_that_keeps_the_seal_is_caught_by_it() {
    let g = genuine();
    let forged = forge(&g.files, 3, &forged_pot_3(), false);
    assert_ne!(forge::selected(&forged, 3), forge::selected(&g.files, 3));
    let problems = plain(&forged).expect_err("the seal names other ballots");
    // Every other hash was rebuilt: only the seal tells.
    assert!(
        problems
            .iter()
            .all(|p| p.at.as_deref() == Some("audit.jsonl entry 3, sealed")),
        "{}",
        said(&problems)
    );
    let text = said(&problems);
    assert!(
        text.contains("pot-3.pb (audit.jsonl entry 3, sealed): these are not the ballots sealed"),
        "{text}"
    );
    // The seal is the witnessed one: still refused.
    let r = check(&forged, Some(&g.checkpoint));
    assert!(!r.holds());
    assert_eq!(r.checked.checkpoint.as_deref(), Some(g.checkpoint.as_str()));
}

#[test]
fn a_forgery_that_rewrites_the_seal_holds_alone_but_not_against_the_witnessed_checkpoint() {
    let g = genuine();
    let forged = forge(&g.files, 3, &forged_pot_3(), true);
    assert_ne!(forge::selected(&forged, 3), forge::selected(&g.files, 3));
    // On its own the forgery is consistent: that is what a checkpoint is for.
    let checked = plain(&forged).unwrap_or_else(|p| panic!("{}", said(&p)));
    let theirs = checked.checkpoint.clone().expect("a sealed entry");
    assert_ne!(theirs, g.checkpoint);
    // Against the witnessed checkpoint it fails, and says why.
    let r = check(&forged, Some(&g.checkpoint));
    assert!(!r.holds());
    let text = said(&r.problems);
    assert!(
        text.contains(&format!(
            "no sealed entry has the witnessed close checkpoint {}",
            g.checkpoint
        )) && text.contains(&theirs),
        "{text}"
    );
    // The genuine bundle still holds against it.
    assert!(check(&g.files, Some(&g.checkpoint)).holds());
}

#[test]
fn a_forgery_of_another_pot_or_with_a_ballot_added_is_named() {
    let g = genuine();
    let pot_5 = String::from_utf8(g.files["pot-5.pb"].clone()).unwrap();
    let forged = forge(&g.files, 5, &format!("{pot_5}7;52,53\n"), false);
    let text = said(&plain(&forged).unwrap_err());
    assert!(text.contains("pot-5.pb (audit.jsonl entry 3, sealed): these are not the ballots"));
    assert!(text.contains("pot-5.pb (audit.jsonl entry 3, sealed): 7 ballots, the close sealed 6"));
}

#[test]
fn the_log_must_be_intact_up_to_the_checkpoint() {
    let g = genuine();
    let mut files = g.files.clone();
    // The first entry edited, the chain left as it was.
    let mut log = forge::entries(&files);
    log[0]["details"]["to"] = json!("counted");
    files.insert("audit.jsonl".into(), forge::jsonl(&log).into_bytes());
    forge::manifest(&mut files, 1);
    let r = check(&files, Some(&g.checkpoint));
    let text = said(&r.problems);
    assert!(
        text.contains("audit.jsonl (entry 1, line 1): its content was changed"),
        "{text}"
    );
    assert!(
        text.contains(
            "audit.jsonl (entry 3): the log up to the witnessed close checkpoint is not intact"
        ),
        "{text}"
    );
    // Re-chained, the seal's hash changes: the witnessed one is gone.
    forge::rechain(&mut log);
    files.insert("audit.jsonl".into(), forge::jsonl(&log).into_bytes());
    forge::manifest(&mut files, 1);
    assert!(plain(&files).is_ok());
    let text = said(&check(&files, Some(&g.checkpoint)).problems);
    assert!(
        text.contains("no sealed entry has the witnessed close checkpoint"),
        "{text}"
    );
}

#[test]
fn without_a_sealed_entry_a_checkpoint_cannot_hold() {
    let old = forge::build(&[(3, POT_3)], false);
    let checked = plain(&old.files).expect("a bundle from before seals holds");
    assert_eq!(checked.checkpoint, None);
    assert_eq!(checked.checkpoint_entry, None);
    let witnessed = genuine().checkpoint;
    let r = check(&old.files, Some(&witnessed));
    assert!(!r.holds());
    assert!(
        said(&r.problems).contains("the log has no sealed entry"),
        "{}",
        said(&r.problems)
    );
}

#[test]
fn commitments_and_pots_are_checked_against_the_seal() {
    let g = genuine();
    // A receipt added after the close, with every hash rebuilt.
    let mut files = g.files.clone();
    let mut c = forge::commitments();
    c.push([7; 32]);
    c.sort_unstable();
    let txt: String = c.iter().map(|c| format!("{}\n", hex::encode(c))).collect();
    files.insert("commitments.txt".into(), txt.into_bytes());
    forge::manifest(&mut files, 1);
    let text = said(&plain(&files).unwrap_err());
    assert!(
        text.contains(
            "commitments.txt (audit.jsonl entry 3, sealed): 17 commitments, the close sealed 16"
        ),
        "{text}"
    );
    assert!(
        text.contains("commitments.txt (audit.jsonl entry 3, sealed): their Merkle root is"),
        "{text}"
    );
    // A pot left out of the bundle.
    let mut files = g.files.clone();
    files.remove("pot-5.pb");
    files.remove("pot-5.result.json");
    forge::manifest(&mut files, 1);
    let text = said(&plain(&files).unwrap_err());
    assert!(text.contains("audit.jsonl (audit.jsonl entry 3, sealed): pot 5 was sealed when voting closed, but the bundle has no ballots file for it"), "{text}");
    // A pot the close did not seal.
    let mut files = g.files.clone();
    files.insert("pot-9.pb".into(), forge::POT_5.as_bytes().to_vec());
    let result = tally::bundle::count_pot(&forge::spec(&[]), forge::POT_5).unwrap();
    files.insert("pot-9.result.json".into(), result.into_bytes());
    forge::manifest(&mut files, 1);
    let text = said(&plain(&files).unwrap_err());
    assert!(
        text.contains("pot-9.pb (audit.jsonl entry 3, sealed): pot 9 was not sealed"),
        "{text}"
    );
}

#[test]
fn a_correction_counts_the_sealed_files_and_keeps_the_checkpoint() {
    let g = genuine();
    // Bid 31 (pot 3) excluded: the files stay as sealed.
    let corrected = forge::correct(&g.files, &["31"]);
    assert_eq!(corrected["pot-3.pb"], g.files["pot-3.pb"]);
    let config: Value = serde_json::from_slice(&corrected["config.json"]).unwrap();
    assert_eq!(config["excluded"], json!(["31"]));
    let r = check(&corrected, Some(&g.checkpoint));
    assert!(r.holds(), "{}", said(&r.problems));
    assert_eq!(r.checked.checkpoint_entry, Some(3));
    assert_eq!(forge::selected(&corrected, 5), forge::selected(&g.files, 5));
    assert!(!forge::selected(&corrected, 3)
        .as_array()
        .unwrap()
        .contains(&json!("31")));
    // A configuration that excludes a bid no pot has is not this round's.
    let mut files = corrected.clone();
    let mut config = config;
    config["excluded"] = json!(["31", "99"]);
    files.insert(
        "config.json".into(),
        tally::canonical::to_canonical_string(&config).into_bytes(),
    );
    forge::manifest(&mut files, 2);
    let text = said(&plain(&files).unwrap_err());
    assert!(
        text.contains("config.json: it excludes 99, which no pot has"),
        "{text}"
    );
}

#[test]
fn voting_is_sealed_once_and_before_it_is_counted() {
    let g = genuine();
    let mut log = forge::entries(&g.files);
    // A second seal, after the count.
    let mut again = log[2].clone();
    again["seq"] = json!(log.len() + 1);
    log.push(again);
    forge::rechain(&mut log);
    let mut files = g.files.clone();
    files.insert("audit.jsonl".into(), forge::jsonl(&log).into_bytes());
    forge::manifest(&mut files, 1);
    let text = said(&plain(&files).unwrap_err());
    assert!(
        text.contains("voting closes once, but entries 3, 6 are each sealed"),
        "{text}"
    );
    // The seal moved after the count.
    let mut log = forge::entries(&g.files);
    log.swap(2, 3);
    for (i, e) in log.iter_mut().enumerate() {
        e["seq"] = json!(i + 1);
    }
    forge::rechain(&mut log);
    let mut files = g.files.clone();
    files.insert("audit.jsonl".into(), forge::jsonl(&log).into_bytes());
    forge::manifest(&mut files, 1);
    let text = said(&plain(&files).unwrap_err());
    assert!(
        text.contains("entries 3 count the round before its ballots were sealed (entry 4)"),
        "{text}"
    );
}

#[test]
fn checkpoints_are_64_hexadecimal_characters_in_either_case() {
    let hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let bytes = parse_checkpoint(hex).unwrap();
    assert_eq!(parse_checkpoint(&hex.to_uppercase()), Ok(bytes));
    assert_eq!(hex::encode(bytes), hex);
    assert!(parse_checkpoint(&hex[1..]).unwrap_err().contains("64"));
    assert!(parse_checkpoint(&hex.replace('9', "g"))
        .unwrap_err()
        .contains("hexadecimal"));
    assert!(parse_checkpoint("").is_err());
}
