//! The `tally` command's contract: one JSON object on stdout with
//! `selected`, `rule`, `input_sha256`, `ties` and `rounds`; on bad input a
//! one-line error and a non-zero exit code. Runs the built binary.

mod forge;

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tally(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .output()
        .expect("the tally binary runs")
}

fn fixture(path: &str) -> String {
    crate_dir()
        .join("testdata")
        .join(path)
        .display()
        .to_string()
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

/// The error line, checking there is exactly one before the usage text.
fn error_line(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let first = err.lines().next().unwrap_or_default().to_owned();
    assert!(first.starts_with("error: "), "{err}");
    first
}

#[test]
fn pb_counts_print_the_contract_fields() {
    let file = fixture("pabulib/Poland_Wieliczka_2023_Green_Budget.pb");
    for rule in [
        "greedy",
        "greedy-no-skip",
        "mes",
        "mes-add1",
        "mes-add1-no-early-stop",
        "phragmen",
        "official",
    ] {
        let v = json_of(&tally(&[
            "count",
            &file,
            "--rule",
            rule,
            "--tie-break",
            "lexicographic",
            "--json",
        ]));
        let selected = v["selected"].as_array().expect("selected is an array");
        assert!(!selected.is_empty(), "{rule}");
        assert!(selected.iter().all(Value::is_string), "{rule}");
        assert!(v["rule"].is_string(), "{rule}");
        assert!(v["ties"].is_array() && v["rounds"].is_array(), "{rule}");
        assert!(v["ballot_constraints"].is_array(), "{rule}");
        let sha = v["input_sha256"].as_str().expect("input_sha256");
        assert_eq!(sha.len(), 64);
        assert!(sha.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    // The file's own rule, with its options, and the library's answer.
    let text = std::fs::read_to_string(&file).expect("fixture");
    let e = tally::pb::parse(&text).expect("parses");
    let (cfg, _) = tally::official_config(&e).expect("official rule");
    let ours = tally::count(&e, &cfg).expect("counts");
    let v = json_of(&tally(&["count", &file, "--rule", "official", "--json"]));
    assert_eq!(v["rule"], "mes-add1-no-early-stop+comparison");
    assert_eq!(v["selected"], serde_json::json!(ours.selected));
    assert_eq!(v["input_sha256"], ours.input_sha256);
}

#[test]
fn blt_counts_name_the_elected_candidates() {
    let file = fixture("blt/Calton-2007.blt");
    for rule in ["stv-scottish", "irv"] {
        let v = json_of(&tally(&["count", &file, "--rule", rule, "--json"]));
        let selected = v["selected"].as_array().expect("selected");
        assert!(!selected.is_empty() && selected.iter().all(Value::is_string));
        assert!(v["ties"].is_array() && v["rounds"].is_array());
    }
}

#[test]
fn bad_input_is_one_line_and_a_failure() {
    let dir = std::env::temp_dir().join(format!("tally-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad: PathBuf = dir.join("bad.pb");
    std::fs::write(
        &bad,
        "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv;9\n",
    )
    .expect("write");
    let out = tally(&[
        "count",
        &bad.display().to_string(),
        "--rule",
        "mes",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let line = error_line(&out);
    assert!(
        line.contains("line 9") && line.contains("unknown project"),
        "{line}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);

    let missing = dir.join("missing.pb").display().to_string();
    let out = tally(&["count", &missing, "--rule", "mes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(error_line(&out).contains("missing.pb"));

    let out = tally(&[
        "count",
        &fixture("pabulib/Netherlands_Assen_2024.pb"),
        "--rule",
        "best",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(error_line(&out).contains("best"));

    let out = tally(&["count", "--rule", "mes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(error_line(&out).contains("FILE"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn help_prints_the_usage_and_succeeds() {
    for (args, names) in [
        (&["--help"][..], &["count", "verify"][..]),
        (
            &["count", "--help"][..],
            &["FILE", "--rule", "--tie-break", "--completion", "--json"][..],
        ),
        (
            &["verify", "--help"][..],
            &["BUNDLE", "--checkpoint", "--receipt"][..],
        ),
        (
            &["verify", "-h"][..],
            &["BUNDLE", "--checkpoint", "--receipt"][..],
        ),
    ] {
        let out = tally(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage: tally"), "{args:?}: {text}");
        for name in names {
            assert!(text.contains(name), "{args:?} does not name {name}: {text}");
        }
        assert!(out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn bad_usage_names_the_argument() {
    let file = fixture("pabulib/Netherlands_Assen_2024.pb");
    let cases: [(&[&str], &str); 6] = [
        (&["count", &file, "--rule", "mes", "--colour"], "--colour"),
        (
            &["count", &file, "--rule", "mes", "--completion", "all"],
            "--completion",
        ),
        (&["count", &file, "--rule"], "--rule"),
        (&["count", &file], "--rule"),
        (&["verify"], "BUNDLE"),
        (&["tally-up", &file], "tally-up"),
    ];
    for (args, name) in cases {
        let out = tally(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let line = error_line(&out);
        assert!(line.contains(name), "{args:?}: {line}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains("Usage: tally"), "{args:?}: {err}");
    }
    // No command at all: the usage, and a failure.
    let out = tally(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: tally"));
    // Options may come before the file, and `--key=value` works as before.
    let a = json_of(&tally(&["count", "--rule=mes", "--json", &file]));
    let b = json_of(&tally(&["count", &file, "--json", "--rule", "mes"]));
    assert_eq!(a, b);
}

#[test]
fn verify_prints_the_checkpoint_and_refuses_a_forgery_against_it() {
    let dir = std::env::temp_dir().join(format!("tally-cli-verify-{}", std::process::id()));
    let g = forge::genuine();
    let forged_pb = forge::with_ballots(forge::POT_3, &["1", "2", "3", "4", "5"], "34");
    let path = |name: &str| dir.join(name).display().to_string();
    forge::write_dir(&g.files, &dir.join("genuine"));
    forge::write_dir(
        &forge::forge(&g.files, 3, &forged_pb, true),
        &dir.join("forged"),
    );
    forge::write_dir(
        &forge::forge(&g.files, 3, &forged_pb, false),
        &dir.join("lazy"),
    );
    let stdout = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let root = tally::bundle::merkle_root(&forge::commitments());

    // The genuine bundle: what it found, always printed.
    let out = tally(&["verify", &path("genuine")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "close checkpoint: {} (log entry 3, sealed)",
            g.checkpoint
        )),
        "{text}"
    );
    assert!(
        text.contains("log head: ") && text.contains(&format!("Merkle root: {root}")),
        "{text}"
    );
    let upper = g.checkpoint.to_uppercase();
    for args in [
        vec!["verify", "--checkpoint", &upper, &path("genuine")],
        vec![
            "verify",
            &path("genuine"),
            &format!("--checkpoint={}", g.checkpoint),
        ],
    ] {
        let out = tally(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("the witnessed close checkpoint is the log's sealed entry 3"));
    }

    // The forgery that rewrote its seal holds on its own, with another
    // checkpoint, and fails against the witnessed one.
    let out = tally(&["verify", &path("forged")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("close checkpoint: ") && !stdout(&out).contains(&g.checkpoint));
    let out = tally(&["verify", &path("forged"), "--checkpoint", &g.checkpoint]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no sealed entry has the witnessed close checkpoint"),
        "{err}"
    );
    assert!(
        err.lines()
            .last()
            .unwrap()
            .contains("does not check out against the witnessed close checkpoint"),
        "{err}"
    );
    assert!(stdout(&out).contains("close checkpoint: "));

    // The forgery that kept the seal fails even without a checkpoint.
    let out = tally(&["verify", &path("lazy")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "error: pot-3.pb (audit.jsonl entry 3, sealed): these are not the ballots sealed"
        ),
        "{}",
        stderr(&out)
    );

    // A receipt, with the checkpoint.
    let code = tally::bundle::receipt_code(&forge::commitments()[4]);
    let out = tally(&[
        "verify",
        "--receipt",
        &code,
        "--checkpoint",
        &g.checkpoint,
        &path("genuine"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("receipt {code} is in the count: leaf 4 of 16")));

    // A malformed checkpoint is bad usage, named.
    for bad in [&g.checkpoint[1..], "not-a-checkpoint"] {
        let out = tally(&["verify", &path("genuine"), "--checkpoint", bad]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            error_line(&out).contains("--checkpoint"),
            "{}",
            stderr(&out)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn constraints_come_from_the_meta_or_the_command_line() {
    let file = fixture("constraints/riverside.pb");
    let count = |extra: &[&str]| {
        let mut args = vec!["count", &file, "--rule", "greedy", "--json"];
        args.extend_from_slice(extra);
        json_of(&tally(&args))
    };
    // The META's: transport capped at 50%, c and d exclusive.
    let v = count(&[]);
    assert_eq!(v["selected"], serde_json::json!(["a", "c", "f", "e"]));
    assert_eq!(
        v["config"]["constraints"],
        serde_json::json!({"category_max":{"transport":"50%"},"exclusive":[["c","d"]]})
    );
    let over: Vec<&str> = v["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["because"].is_object())
        .map(|r| r["decision"].as_str().unwrap())
        .collect();
    assert_eq!(
        over,
        ["passed over: over maximum", "passed over: exclusive set"]
    );
    // The command line's replace them.
    let json = fixture("constraints/area-min.json");
    let v = count(&["--constraints", &json]);
    assert_eq!(v["selected"], serde_json::json!(["e", "a", "b", "d"]));
    assert_eq!(
        v["config"]["constraints"],
        serde_json::json!({"area_min":{"2":"40%"},"must_fund":["e"]})
    );
    assert_eq!(
        v["details"]["constraints"]["must_fund"],
        serde_json::json!(["e"])
    );
    // `{}` counts without any: as a file without the key.
    let dir = std::env::temp_dir().join(format!("tally-cli-constraints-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "{}").expect("write");
    let v = count(&["--constraints", &empty.display().to_string()]);
    assert_eq!(v["selected"], serde_json::json!(["a", "b", "c"]));
    assert!(v["config"].get("constraints").is_none());
    assert!(v["details"].get("constraints").is_none());
    // The summary says what each constraint did.
    let out = tally(&["count", &file, "--rule", "mes-add1"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("constraint: "), "{text}");
}

#[test]
fn bad_constraints_are_one_line_and_a_failure() {
    let file = fixture("constraints/riverside.pb");
    let out = tally(&[
        "count",
        &file,
        "--rule",
        "mes",
        "--constraints",
        &fixture("constraints/unknown-key.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let line = error_line(&out);
    assert!(
        line.contains("unknown-key.json") && line.contains("unknown key `area_minimum`"),
        "{line}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    // Constraints that cannot hold are refused before counting.
    let dir = std::env::temp_dir().join(format!("tally-cli-badc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let over = dir.join("over.json");
    std::fs::write(&over, r#"{"must_fund":["a","b","c","d"]}"#).expect("write");
    let out = tally(&[
        "count",
        &file,
        "--rule",
        "greedy",
        "--constraints",
        &over.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        error_line(&out).contains("the must_fund bids cost 1200, more than the budget of 1000"),
        "{}",
        error_line(&out)
    );
    // Not for ranked ballots.
    let out = tally(&[
        "count",
        &fixture("blt/Calton-2007.blt"),
        "--rule",
        "irv",
        "--constraints",
        &over.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(error_line(&out).contains("--constraints"));
    // The help says the command line's replace the META's.
    let out = tally(&["count", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        help.contains("--constraints") && help.contains("replaces"),
        "{help}"
    );
}

#[test]
fn a_bundle_with_constraints_verifies_and_altered_constraints_do_not() {
    let pb = std::fs::read_to_string(crate_dir().join("testdata/constraints/riverside.pb"))
        .expect("fixture");
    let g = forge::build(&[(3, &pb)], true);
    let result: Value = serde_json::from_slice(&g.files["pot-3.result.json"]).unwrap();
    assert!(result["details"]["constraints"].is_object());
    let dir = std::env::temp_dir().join(format!("tally-cli-verify-c-{}", std::process::id()));
    let path = |name: &str| dir.join(name).display().to_string();
    forge::write_dir(&g.files, &dir.join("genuine"));
    let out = tally(&["verify", &path("genuine"), "--checkpoint", &g.checkpoint]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The constraints loosened, the pot recounted and every hash rebuilt
    // (the seal too): another outcome, which the witnessed checkpoint
    // refuses; keeping the seal, the bundle fails on its own.
    let altered = pb.replace(
        r#"constraints;{"category_max":{"transport":"50%"},"exclusive":[["c","d"]]}"#,
        r#"constraints;{"exclusive":[["c","d"]]}"#,
    );
    assert_ne!(altered, pb);
    assert_ne!(
        forge::selected(&forge::forge(&g.files, 3, &altered, true), 3),
        forge::selected(&g.files, 3)
    );
    forge::write_dir(
        &forge::forge(&g.files, 3, &altered, true),
        &dir.join("resealed"),
    );
    forge::write_dir(
        &forge::forge(&g.files, 3, &altered, false),
        &dir.join("kept-seal"),
    );
    let out = tally(&["verify", &path("resealed"), "--checkpoint", &g.checkpoint]);
    assert_eq!(out.status.code(), Some(1));
    let out = tally(&["verify", &path("kept-seal")]);
    assert_eq!(out.status.code(), Some(1));
    // Only the constraints edited in place: the file's hash and the
    // recount both give it away.
    let mut files = g.files.clone();
    files.insert("pot-3.pb".into(), altered.into_bytes());
    forge::write_dir(&files, &dir.join("edited"));
    let out = tally(&["verify", &path("edited")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("pot-3"), "{err}");
}
