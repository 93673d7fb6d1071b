//! The count in plain words, step by step, in English and Welsh.
use super::view::{pence_of, pounds};
use crate::domain::Language;
use serde_json::Value;
use std::collections::HashMap;

/// What `tally` writes about a bid or the count's end, in Welsh; `None`
/// for anything it does not know, which is then shown as written.
fn welsh_term(term: &str) -> Option<&'static str> {
    Some(match term {
        "skipped: does not fit" => "wedi’i hepgor: nid yw’n ffitio yn yr arian sydd ar ôl",
        "does not fit: count stops" => "nid yw’n ffitio: mae’r cyfrif yn dod i ben",
        "below threshold" => "o dan y trothwy cefnogaeth",
        "not considered: count stopped" => "heb ei ystyried: roedd y cyfrif wedi dod i ben",
        "single run" => "un rhediad oedd ei angen",
        "raising the share once more would overspend" => {
            "byddai codi’r gyfran unwaith eto yn gwario gormod"
        }
        "first run already overspends" => "mae’r rhediad cyntaf eisoes yn gwario gormod",
        "outcome is exhaustive" => "nid oes arian ar ôl i ariannu cais arall",
        "every supported project is funded" => "mae pob cais â chefnogaeth wedi cael cyllid",
        "elected" => "wedi’u dewis",
        "excluded" => "wedi’u heithrio",
        "eliminated" => "wedi’u dileu",
        "surplus transferred from" => "gwarged wedi’i drosglwyddo oddi wrth",
        "first preferences counted" => "dewisiadau cyntaf wedi’u cyfrif",
        _ => return None,
    })
}

/// The count in plain words, one line per step, in English or Welsh.
pub(super) fn explain(
    result: &Value,
    titles: &HashMap<String, String>,
    rule: &str,
    language: Language,
) -> Vec<String> {
    let cy = language == Language::Cy;
    let term = |t: &str| -> String {
        if cy {
            welsh_term(t)
                .map(str::to_owned)
                .unwrap_or_else(|| t.to_owned())
        } else {
            t.to_owned()
        }
    };
    let title = |id: &Value| {
        id.as_str()
            .and_then(|i| titles.get(i))
            .cloned()
            .unwrap_or_else(|| format!("{} {id}", if cy { "cais" } else { "bid" }))
    };
    let money = |v: &Value| pounds(pence_of(v.as_str().unwrap_or("0")));
    let mut out = Vec::new();
    let rounds = result["rounds"].as_array().cloned().unwrap_or_default();
    match rule {
        "irv" | "stv-scottish" => {
            for (i, r) in rounds.iter().enumerate() {
                let summary = summarise_stage(r, titles, &term);
                out.push(if cy {
                    format!("Cam {}: {summary}", i + 1)
                } else {
                    format!("Stage {}: {summary}", i + 1)
                });
            }
        }
        _ => {
            for r in &rounds {
                let phase = r["phase"].as_str().unwrap_or("");
                if phase == "equal shares" {
                    let supporters = r["supporters_paying_share"]
                        .as_str()
                        .and_then(|s| s.parse::<u64>().ok())
                        .unwrap_or(0)
                        + r["supporters_paying_all_they_had"]
                            .as_str()
                            .and_then(|s| s.parse::<u64>().ok())
                            .unwrap_or(0);
                    let (n, bid, paid, cost) = (
                        &r["round"],
                        title(&r["project"]),
                        money(&r["payment_per_supporter"]),
                        money(&r["cost"]),
                    );
                    out.push(if cy {
                        format!("Rownd {n}: cafodd {bid} gyllid; talodd ei {supporters} cefnogwr {paid} yr un (y gost yw {cost}).")
                    } else {
                        format!("Round {n}: {bid} was funded; its {supporters} supporters paid {paid} each (the cost is {cost}).")
                    });
                } else {
                    let decision = r["decision"].as_str().unwrap_or("");
                    let left = money(&r["remaining_budget"]);
                    let position = r["position"]
                        .as_u64()
                        .or_else(|| r["round"].as_u64())
                        .unwrap_or(0);
                    let (bid, support, cost) = (
                        title(&r["project"]),
                        r["support"].as_str().unwrap_or("0"),
                        money(&r["cost"]),
                    );
                    let what = match (decision, cy) {
                        ("funded", false) => format!("funded; {left} left."),
                        ("funded", true) => format!("cafodd gyllid; {left} ar ôl."),
                        ("", false) => format!("{phase}; {left} left."),
                        ("", true) => format!("{}; {left} ar ôl.", term(phase)),
                        (other, false) => {
                            format!("not funded ({}); {left} left.", other.replace('_', " "))
                        }
                        (other, true) => format!(
                            "dim cyllid ({}); {left} ar ôl.",
                            term(&other.replace('_', " "))
                        ),
                    };
                    out.push(if cy {
                        format!("{position}. {bid} (cefnogaeth {support}, {cost}): {what}")
                    } else {
                        format!("{position}. {bid} ({support} support, {cost}): {what}")
                    });
                }
            }
        }
    }
    if let Some(reason) = result["details"]["equal_shares"]["stop_reason"].as_str() {
        out.push(if cy {
            format!("Daeth y cyfrif i ben oherwydd {}.", term(reason))
        } else {
            format!("The count stopped because {reason}.")
        });
    }
    out
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
