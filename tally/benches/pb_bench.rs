//! Wall-time figures on real elections (run with
//! `cargo bench -p tally --bench pb_bench`). Skips with a message when the
//! data folder is absent.
//!
//! - parse + Method of Equal Shares with Add1 on `Poland_Warszawa_2026.pb`
//!   (target: under 200 ms on one core, exact decisions), best and median
//!   of 7 runs;
//! - plain MES and greedy on the largest Wrocław 2015 file (target: under
//!   100 ms);
//! - MES+Add1 (until overspend) on `Poland_Wieliczka_2023_Green_Budget.pb`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn data_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("FAIRSHARE_DATA_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
    };
    let p = base.join("pabulib");
    p.is_dir().then_some(p)
}

/// Best and median of `runs` timings, and the last result.
fn best_median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        times.push(t.elapsed());
        last = Some(r);
    }
    times.sort();
    (times[0], times[runs / 2], last.expect("at least one run"))
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        last = Some(r);
    }
    (best, last.expect("at least one run"))
}

fn rule(name: &str, e: &tally::Election) -> tally::RuleConfig {
    let r = tally::outcome::parse_rule(name, e).expect("known rule");
    tally::RuleConfig::new(r)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let Some(dir) = data_dir() else {
        println!("pb_bench: data folder not found (set FAIRSHARE_DATA_DIR); skipping");
        return;
    };
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();

    if let Some(text) = read("Poland_Warszawa_2026.pb") {
        let (t_parse, e) = best_of(3, || tally::pb::parse(&text).expect("parses"));
        let cfg = rule("mes", &e);
        let (t_mes, _) = best_of(3, || tally::count(&e, &cfg).expect("counts"));
        let cfg = rule("mes-add1", &e);
        let (best, median, o) = best_median(7, || {
            let e = tally::pb::parse(&text).expect("parses");
            tally::count(&e, &cfg).expect("counts")
        });
        let d = &o.to_json()["details"]["equal_shares"];
        println!(
            "Warszawa 2026 ({} voters): parse {}, MES {}, parse + MES with Add1 {} best, {} median of 7 ({} Add1 steps, {} needing exact arithmetic), target < 200 ms",
            e.ballots.len(),
            ms(t_parse),
            ms(t_mes),
            ms(best),
            ms(median),
            d["add1_runs"],
            d["add1_runs_needing_exact_arithmetic"],
        );
    } else {
        println!("Poland_Warszawa_2026.pb not found; skipping");
    }

    // The largest Wrocław 2015 file.
    let mut wroclaw: Vec<(u64, String)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|f| {
                    let n = f.file_name().to_string_lossy().into_owned();
                    let len = f.metadata().ok()?.len();
                    n.starts_with("Poland_Wroclaw_2015").then_some((len, n))
                })
                .collect()
        })
        .unwrap_or_default();
    wroclaw.sort();
    if let Some((_, name)) = wroclaw.last() {
        let text = read(name).unwrap_or_default();
        let (t_parse, e) = best_of(3, || tally::pb::parse(&text).expect("parses"));
        for r in ["greedy", "mes"] {
            let cfg = rule(r, &e);
            let (t, _) = best_of(5, || tally::count(&e, &cfg).expect("counts"));
            println!(
                "{name} ({} voters): {r} {} (parse {} not included), target < 100 ms",
                e.ballots.len(),
                ms(t),
                ms(t_parse)
            );
        }
    }

    if let Some(text) = read("Poland_Wieliczka_2023_Green_Budget.pb") {
        let e = tally::pb::parse(&text).expect("parses");
        for r in ["mes", "mes-add1", "mes-add1-no-early-stop"] {
            let cfg = rule(r, &e);
            let (t, _) = best_of(3, || tally::count(&e, &cfg).expect("counts"));
            println!(
                "Wieliczka 2023 Green Budget ({} voters): {r} {}",
                e.ballots.len(),
                ms(t)
            );
        }
    }
}
