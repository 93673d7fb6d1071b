//! `tally count FILE --rule RULE [--tie-break ORDER] [--json]`
//!
//! Reads a pabulib `.pb` file (or a `.blt` file for ranked rules), counts it
//! and prints the result: one canonical JSON object with `--json`, a short
//! summary otherwise. Bad input: a one-line error on stderr, exit code 1
//! (2 for bad usage).
//!
//! `tally verify BUNDLE [--receipt CODE]`
//!
//! Checks a published result bundle (a folder, or a `.tar` of one):
//! recounts every pot and compares the result byte for byte, recomputes the
//! Merkle root of the receipt commitments, and walks the round's log. With
//! `--receipt`, checks that receipt's inclusion proof. Prints one line per
//! problem (which file, which line or entry) and exits with 1 if there is
//! any.

use std::process::ExitCode;

const USAGE: &str = "usage: tally count FILE --rule RULE [--tie-break lexicographic|cost-support-seed[:SEED]] [--completion greedy] [--json]
       tally verify BUNDLE [--receipt CODE]
  RULE for .pb: greedy, greedy-no-skip, greedy-threshold, mes, mes-add1, mes-add1-no-early-stop, phragmen, official
  RULE for .blt: stv-scottish, irv
  BUNDLE: a published result folder, or a .tar of one";

/// A bundle's files, by name.
fn read_bundle(path: &str) -> Result<std::collections::HashMap<String, Vec<u8>>, String> {
    let mut files = std::collections::HashMap::new();
    let p = std::path::Path::new(path);
    if p.is_dir() {
        for entry in std::fs::read_dir(p).map_err(|e| format!("{path}: {e}"))? {
            let entry = entry.map_err(|e| format!("{path}: {e}"))?;
            if entry.path().is_file() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let bytes = std::fs::read(entry.path()).map_err(|e| format!("{name}: {e}"))?;
                files.insert(name, bytes);
            }
        }
    } else {
        let file = std::fs::File::open(p).map_err(|e| format!("{path}: {e}"))?;
        let mut archive = tar::Archive::new(file);
        for entry in archive
            .entries()
            .map_err(|e| format!("{path}: not a folder or a tar archive: {e}"))?
        {
            let mut entry = entry.map_err(|e| format!("{path}: {e}"))?;
            let name = entry
                .path()
                .map_err(|e| format!("{path}: {e}"))?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes)
                .map_err(|e| format!("{name}: {e}"))?;
            if !name.is_empty() {
                files.insert(name, bytes);
            }
        }
    }
    Ok(files)
}

/// `tally verify`: prints what holds, or each problem; exit code 1 on any.
fn verify(args: &[String]) -> ExitCode {
    let (path, receipt) = match args {
        [p] => (p, None),
        [p, flag, code] if flag == "--receipt" => (p, Some(code)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let files = match read_bundle(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            return ExitCode::from(1);
        }
    };
    let read = |name: &str| files.get(name).cloned();
    if let Some(code) = receipt {
        return match tally::bundle::verify_receipt(&read, code) {
            Ok(p) => {
                println!(
                    "receipt {code} is in the count: leaf {} of {}, proven by {} hashes up to the published Merkle root",
                    p.index,
                    p.tree_size,
                    p.hashes.len()
                );
                ExitCode::SUCCESS
            }
            Err(problem) => {
                eprintln!("error: {problem}");
                ExitCode::from(1)
            }
        };
    }
    match tally::bundle::verify(&read) {
        Ok(c) => {
            println!(
                "the bundle holds: {} pots recounted from {} ballots give the published results; {} receipt commitments give the published Merkle root; the log's {} entries are intact",
                c.pots, c.ballots, c.commitments, c.audit_entries
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {}", one_line(&p.to_string()));
            }
            ExitCode::from(1)
        }
    }
}

struct Args {
    file: String,
    rule: String,
    tie_break: Option<String>,
    completion: bool,
    json: bool,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    match it.next().as_deref() {
        Some("count") => {}
        Some(other) => return Err(format!("unknown command `{other}`")),
        None => return Err("missing command".into()),
    }
    let mut file = None;
    let mut rule = None;
    let mut tie_break = None;
    let mut completion = false;
    let mut json = false;
    while let Some(a) = it.next() {
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match key.as_str() {
            "--rule" => rule = Some(value("--rule")?),
            "--tie-break" => tie_break = Some(value("--tie-break")?),
            "--completion" => {
                let v = value("--completion")?;
                if v != "greedy" {
                    return Err(format!("unknown completion `{v}`"));
                }
                completion = true;
            }
            "--json" => json = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            _ => {
                if file.replace(a).is_some() {
                    return Err("more than one FILE".into());
                }
            }
        }
    }
    Ok(Args {
        file: file.ok_or("missing FILE")?,
        rule: rule.ok_or("missing --rule")?,
        tie_break,
        completion,
        json,
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn run(args: &Args) -> Result<String, String> {
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{}: not valid UTF-8", args.file))?;
    if args.file.to_ascii_lowercase().ends_with(".blt") {
        if args.tie_break.is_some() || args.completion {
            return Err("--tie-break and --completion apply to .pb files only".into());
        }
        let out = tally::ranked::count_blt_json(&text, &args.rule)
            .map_err(|e| format!("{}: {e}", args.file))?;
        if args.json {
            return Ok(out);
        }
        let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
        return Ok(format!("rule: {}\nelected: {}", args.rule, v["selected"]));
    }
    let election = tally::pb::parse(&text).map_err(|e| format!("{}: {e}", args.file))?;
    let mut cfg = if args.rule == "official" {
        tally::official_config(&election)
            .map_err(|e| format!("{}: {e}", args.file))?
            .0
    } else {
        tally::RuleConfig::new(
            tally::outcome::parse_rule(&args.rule, &election)
                .map_err(|e| format!("{}: {e}", args.file))?,
        )
    };
    if let Some(tb) = &args.tie_break {
        cfg.tie_break = tally::outcome::parse_tie_break(tb).map_err(|e| e.to_string())?;
    }
    if args.completion {
        match &mut cfg.rule {
            tally::Rule::Mes {
                greedy_completion, ..
            } => *greedy_completion = true,
            _ => return Err("--completion greedy applies to the mes rules only".into()),
        }
    }
    let outcome = tally::count(&election, &cfg).map_err(|e| format!("{}: {e}", args.file))?;
    // The process ends right after printing: leave freeing the election
    // (tens of thousands of ballots) to the operating system.
    std::mem::forget(election);
    if args.json {
        let s = outcome.to_json_string();
        std::mem::forget(outcome);
        Ok(s)
    } else {
        let mut s = format!(
            "rule: {}\ntie-break: {}\nselected ({}): {}\ninput sha256: {}\nconfig sha256: {}",
            outcome.rule,
            outcome.tie_break,
            outcome.selected.len(),
            outcome.selected.join(", "),
            outcome.input_sha256,
            outcome.config_sha256,
        );
        for t in &outcome.to_json()["ties"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            s.push_str(&format!("\ntie: {t}"));
        }
        for n in &outcome.notes {
            s.push_str(&format!("\nnote: {n}"));
        }
        Ok(s)
    }
}

fn main() -> ExitCode {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all.first().map(String::as_str) == Some("verify") {
        return verify(&all[1..]);
    }
    let args = match parse_args(all.into_iter()) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {}", one_line(&e));
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(1)
        }
    }
}
