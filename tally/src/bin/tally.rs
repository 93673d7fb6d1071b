//! `tally count FILE --rule RULE [--tie-break ORDER] [--completion greedy]
//! [--constraints FILE.json] [--json]`
//!
//! Reads a pabulib `.pb` file (or a `.blt` file for ranked rules), counts it
//! and prints the result: one canonical JSON object with `--json`, a short
//! summary otherwise. A `.pb` whose META has `constraints` is counted under
//! them; `--constraints` replaces them. Bad input: a one-line error on
//! stderr, exit code 1.
//!
//! `tally verify BUNDLE [--checkpoint HEX] [--receipt CODE]`
//!
//! Checks a published result bundle (a folder, or a `.tar` of one):
//! recounts every pot and compares the result byte for byte, recomputes the
//! Merkle root of the receipt commitments, walks the round's log, and
//! checks the ballots files and commitments against the log's `sealed`
//! entry. Always prints the close checkpoint found (the hash of that
//! entry), the log head and the Merkle root. With `--checkpoint`, the
//! bundle holds only if its log has the witnessed sealed entry. With
//! `--receipt`, also checks that receipt's inclusion proof. Prints one
//! line per problem (which file, which line or entry) and exits with 1 if
//! there is any.
//!
//! Bad usage (an unknown option, a missing argument): one line naming the
//! argument, then the usage, exit code 2. `--help` prints the usage of the
//! command or of a subcommand and exits with 0.

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;

/// Counts participatory budgets and STV elections, and checks published
/// results.
#[derive(Parser)]
#[command(
    name = "tally",
    version,
    disable_help_subcommand = true,
    arg_required_else_help = true,
    args_override_self = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Counts a pabulib .pb file, or a .blt file with a ranked rule.
    Count(CountArgs),
    /// Checks a published result bundle: recounts every pot, rebuilds the
    /// Merkle root of the receipt commitments, walks the round's log and
    /// checks the ballots against the close checkpoint.
    Verify(VerifyArgs),
}

#[derive(Args)]
struct CountArgs {
    /// The election: a pabulib .pb file, or a .blt file for stv-scottish
    /// and irv.
    #[arg(value_name = "FILE")]
    file: String,
    /// For .pb: greedy, greedy-no-skip, greedy-threshold, mes, mes-add1,
    /// mes-add1-no-early-stop, phragmen, official (the rule, budget and
    /// candidates the file states). For .blt: stv-scottish, irv.
    #[arg(long, value_name = "RULE")]
    rule: String,
    /// How exact ties are broken (.pb only): lexicographic, or
    /// cost-support-seed[:SEED] (the default, seed 0).
    #[arg(long, value_name = "ORDER")]
    tie_break: Option<String>,
    /// After Equal Shares, fund what is left greedily by support (.pb, mes
    /// rules only).
    #[arg(long, value_name = "METHOD", value_parser = ["greedy"])]
    completion: Option<String>,
    /// The council's constraints, a JSON object (.pb only): category_max,
    /// category_min, area_max, area_min (pence or "30%" of the budget),
    /// min_votes or min_share, exclusive, must_fund. It replaces the
    /// constraints the file's META carries under `constraints` ({} counts
    /// without any); without it those are applied.
    #[arg(long, value_name = "FILE.json")]
    constraints: Option<String>,
    /// Prints the result as one canonical JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct VerifyArgs {
    /// A published result folder, or a .tar of one.
    #[arg(value_name = "BUNDLE")]
    bundle: String,
    /// The close checkpoint witnesses received when voting closed (64
    /// hexadecimal characters): the bundle holds only if its log has the
    /// sealed entry with this hash, intact with every entry before it, and
    /// its ballots files and receipt commitments are the ones it sealed.
    #[arg(long, value_name = "HEX", value_parser = tally::bundle::parse_checkpoint)]
    checkpoint: Option<[u8; 32]>,
    /// Also checks that this receipt's ballot is in the count: its
    /// commitment's inclusion proof up to the published Merkle root.
    #[arg(long, value_name = "CODE")]
    receipt: Option<String>,
}

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

/// `tally verify`: prints the close checkpoint, the log head and the
/// Merkle root found, then what holds or each problem; exit code 1 on any.
fn verify(args: &VerifyArgs) -> ExitCode {
    let files = match read_bundle(&args.bundle) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            return ExitCode::from(1);
        }
    };
    let read = |name: &str| files.get(name).cloned();
    let options = tally::bundle::Options {
        checkpoint: args.checkpoint,
    };
    let report = tally::bundle::verify_with(&read, &options);
    print_found(&report.checked);
    let mut failed = !report.holds();
    if report.holds() {
        let c = &report.checked;
        println!(
            "the bundle holds: {} pots recounted from {} ballots give the published results; {} receipt commitments give the published Merkle root; the log's {} entries are intact",
            c.pots, c.ballots, c.commitments, c.audit_entries
        );
        match (c.checkpoint_entry, args.checkpoint) {
            (Some(entry), Some(_)) => println!("the witnessed close checkpoint is the log's sealed entry {entry}: these ballots and receipt commitments are the ones sealed when voting closed"),
            (Some(_), None) => println!("compare the close checkpoint with the one the council sent witnesses when voting closed, or give it with --checkpoint"),
            (None, _) => {}
        }
    }
    for p in &report.problems {
        eprintln!("error: {}", one_line(&p.to_string()));
    }
    if let Some(code) = &args.receipt {
        failed |= !receipt(&read, code);
    }
    match (failed, args.checkpoint) {
        (false, _) => ExitCode::SUCCESS,
        (true, Some(w)) => {
            eprintln!(
                "error: the bundle does not check out against the witnessed close checkpoint {}",
                hex::encode(w)
            );
            ExitCode::from(1)
        }
        (true, None) => ExitCode::from(1),
    }
}

/// The close checkpoint, the log head and the Merkle root, as found.
fn print_found(c: &tally::bundle::Checked) {
    match (&c.checkpoint, c.checkpoint_entry) {
        (Some(h), Some(seq)) => println!("close checkpoint: {h} (log entry {seq}, sealed)"),
        _ => println!("close checkpoint: none (the log has no sealed entry)"),
    }
    match &c.log_head {
        Some(h) => println!("log head: {h} (entry {} of the log)", c.audit_entries),
        None => println!("log head: none (no log entry was read)"),
    }
    match &c.merkle_root {
        Some(r) => println!(
            "Merkle root: {r} (recomputed from {} receipt commitments)",
            c.commitments
        ),
        None => println!("Merkle root: none (the commitments could not be read)"),
    }
}

/// `--receipt`: whether the receipt is in the count, printed.
fn receipt(read: &dyn Fn(&str) -> Option<Vec<u8>>, code: &str) -> bool {
    match tally::bundle::verify_receipt(read, code) {
        Ok(p) => {
            println!(
                "receipt {code} is in the count: leaf {} of {}, proven by {} hashes up to the published Merkle root",
                p.index,
                p.tree_size,
                p.hashes.len()
            );
            true
        }
        Err(problem) => {
            eprintln!("error: {}", one_line(&problem.to_string()));
            false
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn run(args: &CountArgs) -> Result<String, String> {
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{}: not valid UTF-8", args.file))?;
    if args.file.to_ascii_lowercase().ends_with(".blt") {
        if args.tie_break.is_some() || args.completion.is_some() || args.constraints.is_some() {
            return Err(
                "--tie-break, --completion and --constraints apply to .pb files only".into(),
            );
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
    // `official`: the file's rule, budget and candidates, and how they were
    // read from the file.
    let (election, mut cfg, chosen) = if args.rule == "official" {
        tally::official_election(election).map_err(|e| format!("{}: {e}", args.file))?
    } else {
        let rule = tally::outcome::parse_rule(&args.rule, &election)
            .map_err(|e| format!("{}: {e}", args.file))?;
        (election, tally::RuleConfig::new(rule), Vec::new())
    };
    if let Some(tb) = &args.tie_break {
        cfg.tie_break = tally::outcome::parse_tie_break(tb).map_err(|e| e.to_string())?;
    }
    if args.completion.is_some() {
        match &mut cfg.rule {
            tally::Rule::Mes {
                greedy_completion, ..
            } => *greedy_completion = true,
            _ => return Err("--completion greedy applies to the mes rules only".into()),
        }
    }
    if let Some(path) = &args.constraints {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        cfg.constraints =
            Some(tally::Constraints::parse(&text).map_err(|e| format!("{path}: {e}"))?);
    }
    let outcome = tally::count(&election, &cfg)
        .map_err(|e| format!("{}: {e}", args.file))?
        .noting_first(chosen);
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
        // What each constraint did, in English.
        for r in outcome.to_json()["rounds"].as_array().into_iter().flatten() {
            if let Some(because) = r["because"]["en"].as_str() {
                match r["project"].as_str() {
                    Some(p) => s.push_str(&format!("\nconstraint: {p}: {because}")),
                    None => s.push_str(&format!("\nconstraint: {because}")),
                }
            }
        }
        for n in &outcome.notes {
            s.push_str(&format!("\nnote: {n}"));
        }
        Ok(s)
    }
}

/// The usage of the subcommand named on the command line (of the whole
/// command if none is).
fn usage() -> String {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    let named = std::env::args().nth(1).unwrap_or_default();
    match cmd.find_subcommand_mut(&named) {
        Some(sub) => sub.render_usage().to_string(),
        None => cmd.render_usage().to_string(),
    }
}

/// The arguments, or the exit code for help (0) and bad usage (2): bad
/// usage is one line naming the argument, then the usage.
fn parse() -> Result<Cli, ExitCode> {
    let e = match Cli::try_parse() {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return Err(ExitCode::from(if e.use_stderr() { 2 } else { 0 }));
        }
        _ => {}
    }
    let text = e.render().to_string();
    let message = one_line(text.split("\n\n").next().unwrap_or_default());
    if message.starts_with("error:") {
        eprintln!("{message}");
    } else {
        eprintln!("error: {message}");
    }
    eprintln!("{}", usage().trim_end());
    eprintln!("For more information, try '--help'.");
    Err(ExitCode::from(2))
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let args = match cli.command {
        Command::Verify(v) => return verify(&v),
        Command::Count(c) => c,
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
