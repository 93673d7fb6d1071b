//! The count in plain words, step by step, in English and Welsh.
use super::view::{pence_of, pounds};
use crate::domain::Language;
use crate::words::{self, fill, Words};
use serde_json::Value;
use std::collections::HashMap;

/// What `tally` writes about a bid or the count's end, in the reader's
/// words (`words::Words`, `term_…`); `None` for anything it does not
/// know, which is then shown as written.
fn known_term(w: &Words, term: &str) -> Option<&'static str> {
    Some(match term {
        "skipped: does not fit" => w.term_skipped_does_not_fit,
        "does not fit: count stops" => w.term_does_not_fit_count_stops,
        "below threshold" => w.term_below_threshold,
        "not considered: count stopped" => w.term_not_considered,
        "single run" => w.term_single_run,
        "raising the share once more would overspend" => w.term_raising_would_overspend,
        "first run already overspends" => w.term_first_run_overspends,
        "outcome is exhaustive" => w.term_outcome_exhaustive,
        "every supported project is funded" => w.term_every_supported_funded,
        "elected" => w.term_elected,
        "excluded" => w.term_excluded,
        "eliminated" => w.term_eliminated,
        "surplus transferred from" => w.term_surplus_transferred,
        "first preferences counted" => w.term_first_preferences,
        _ => return None,
    })
}

/// The count in plain words, one line per step, in English or Welsh: every
/// sentence from the one dictionary (`crate::words`).
pub(super) fn explain(
    result: &Value,
    titles: &HashMap<String, String>,
    rule: &str,
    language: Language,
) -> Vec<String> {
    let w = words::of(language);
    let term = |t: &str| -> String { known_term(w, t).unwrap_or(t).to_owned() };
    let title = |id: &Value| {
        id.as_str()
            .and_then(|i| titles.get(i))
            .cloned()
            .unwrap_or_else(|| fill(w.explain_bid, &[("id", &id.to_string())]))
    };
    let money = |v: &Value| pounds(pence_of(v.as_str().unwrap_or("0")));
    let mut out = Vec::new();
    let rounds = result["rounds"].as_array().cloned().unwrap_or_default();
    match rule {
        "irv" | "stv-scottish" => {
            for (i, r) in rounds.iter().enumerate() {
                let summary = summarise_stage(r, titles, &term);
                let n = (i + 1).to_string();
                out.push(fill(w.explain_stage, &[("n", &n), ("summary", &summary)]));
            }
        }
        _ => {
            for r in &rounds {
                out.push(step(w, r, &title, &money, &term));
            }
        }
    }
    if let Some(reason) = result["details"]["equal_shares"]["stop_reason"].as_str() {
        out.push(fill(w.explain_stopped, &[("reason", &term(reason))]));
    }
    out
}

/// One round of a greedy or Equal Shares count, in words.
fn step(
    w: &Words,
    r: &Value,
    title: &dyn Fn(&Value) -> String,
    money: &dyn Fn(&Value) -> String,
    term: &dyn Fn(&str) -> String,
) -> String {
    let phase = r["phase"].as_str().unwrap_or("");
    if phase == "equal shares" {
        let count = |key: &str| {
            r[key]
                .as_str()
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let supporters = (count("supporters_paying_share")
            + count("supporters_paying_all_they_had"))
        .to_string();
        return fill(
            w.explain_equal_shares,
            &[
                ("n", &r["round"].to_string()),
                ("bid", &title(&r["project"])),
                ("supporters", &supporters),
                ("paid", &money(&r["payment_per_supporter"])),
                ("cost", &money(&r["cost"])),
            ],
        );
    }
    let decision = r["decision"].as_str().unwrap_or("");
    let left = money(&r["remaining_budget"]);
    let position = r["position"]
        .as_u64()
        .or_else(|| r["round"].as_u64())
        .unwrap_or(0)
        .to_string();
    let what = match decision {
        "funded" => fill(w.explain_funded, &[("left", &left)]),
        "" => fill(w.explain_phase, &[("phase", &term(phase)), ("left", &left)]),
        other => fill(
            w.explain_not_funded,
            &[("why", &term(&other.replace('_', " "))), ("left", &left)],
        ),
    };
    fill(
        w.explain_step,
        &[
            ("position", &position),
            ("bid", &title(&r["project"])),
            ("support", r["support"].as_str().unwrap_or("0")),
            ("cost", &money(&r["cost"])),
            ("what", &what),
        ],
    )
}

fn summarise_stage(
    r: &Value,
    titles: &HashMap<String, String>,
    term: &dyn Fn(&str) -> String,
) -> String {
    let name = |v: &Value| {
        v.as_str()
            .and_then(|s| titles.get(s).cloned())
            .unwrap_or_else(|| v.to_string().trim_matches('"').to_owned())
    };
    let mut parts = Vec::new();
    for key in ["elected", "excluded", "eliminated"] {
        if let Some(list) = r[key].as_array() {
            if !list.is_empty() {
                parts.push(format!(
                    "{}: {}",
                    term(key),
                    list.iter().map(name).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    // A stage that names no list says what it did in its action.
    if parts.is_empty() {
        let action = &r["action"];
        let who = || name(&action["candidate"]);
        match action["kind"].as_str() {
            Some("elected") => parts.push(format!("{}: {}", term("elected"), who())),
            Some("exclusion") => parts.push(format!("{}: {}", term("excluded"), who())),
            Some("surplus") => {
                parts.push(format!("{} {}", term("surplus transferred from"), who()))
            }
            Some("first-preferences") => parts.push(term("first preferences counted")),
            _ => {}
        }
    }
    if parts.is_empty() {
        r.to_string()
    } else {
        parts.join("; ")
    }
}
