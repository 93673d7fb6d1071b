//! Wall-time figures on real elections (run with
//! `cargo bench -p tally --bench pb_bench`). Skips with a message when the
//! data folder is absent.
//!
//! - parse + Method of Equal Shares with Add1 on `Poland_Warszawa_2026.pb`
//!   (target: under 200 ms on one core, exact decisions), best and median
//!   of 7 runs;
//! - plain MES and greedy on the largest Wrocław 2015 file (target: under
//!   100 ms);
//! - the same under a constraint: the category with the most money asked
//!   for capped at 30% of the budget, and without it, best and median of 7
//!   each, alternating;
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

/// Warszawa 2026 under Equal Shares with Add1, with and without a 30% cap
/// on its largest category (by the cost of its bids).
fn add1_with_a_category_cap(text: &str, e: &tally::Election) {
    let mut asked: std::collections::BTreeMap<String, u64> = Default::default();
    for p in &e.projects {
        for c in tally::constraints::names(p.category.as_deref()) {
            *asked.entry(c).or_default() += p.cost;
        }
    }
    let Some((largest, _)) = asked.iter().max_by_key(|(_, &c)| c) else {
        println!("Warszawa 2026 has no categories; skipping the constrained count");
        return;
    };
    let plain = rule("mes-add1", e);
    let mut capped = plain.clone();
    capped.constraints = Some(
        tally::Constraints::from_json(
            &serde_json::json!({"category_max": {largest.as_str(): "30%"}}),
        )
        .expect("constraints"),
    );
    let run = |cfg: &tally::RuleConfig| {
        let e = tally::pb::parse(text).expect("parses");
        tally::count(&e, cfg).expect("counts")
    };
    // Alternate, so that drift in the machine's speed touches both alike.
    let (mut with, mut without) = (Vec::new(), Vec::new());
    let (mut o_with, mut o_without) = (None, None);
    for _ in 0..7 {
        let t = Instant::now();
        o_without = Some(run(&plain));
        without.push(t.elapsed());
        let t = Instant::now();
        o_with = Some(run(&capped));
        with.push(t.elapsed());
    }
    with.sort();
    without.sort();
    let (o_with, o_without) = (o_with.expect("ran"), o_without.expect("ran"));
    let steps = |o: &tally::Outcome| o.to_json()["details"]["equal_shares"]["add1_runs"].clone();
    let passed = o_with.to_json()["details"]["constraints"]["passed_over"]
        .as_array()
        .map_or(0, Vec::len);
    println!(
        "Warszawa 2026, parse + MES with Add1: without constraints {} best, {} median ({} steps, {} funded); with `{largest}` capped at 30% {} best, {} median ({} steps, {} funded, {passed} bids passed over by the cap), of 7 each",
        ms(without[0]),
        ms(without[3]),
        steps(&o_without),
        o_without.selected.len(),
        ms(with[0]),
        ms(with[3]),
        steps(&o_with),
        o_with.selected.len(),
    );
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
        add1_with_a_category_cap(&text, &e);
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
