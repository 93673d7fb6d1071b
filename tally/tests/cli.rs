//! The `tally` command's contract: one JSON object on stdout with
//! `selected`, `rule`, `input_sha256`, `ties` and `rounds`; on bad input a
//! one-line error and a non-zero exit code. Runs the built binary.

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
        (&["verify", "--help"][..], &["BUNDLE", "--receipt"][..]),
        (&["verify", "-h"][..], &["BUNDLE", "--receipt"][..]),
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
