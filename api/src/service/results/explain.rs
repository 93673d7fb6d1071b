//! The count in plain words, step by step, in English and Welsh: typed
//! steps (`trace`) told with every sentence from the one dictionary
//! (`crate::words`).
use super::trace::{Decision, LimitName, Passed, Stage, StageAction, Step, Term, Trace};
use super::view::pounds;
use crate::domain::Language;
use crate::words::{self, fill, Words};
use std::collections::HashMap;

impl Term {
    /// The term in the reader's words.
    fn in_words(&self, w: &Words) -> String {
        match self {
            Self::SkippedDoesNotFit => w.term_skipped_does_not_fit,
            Self::DoesNotFitCountStops => w.term_does_not_fit_count_stops,
            Self::BelowThreshold => w.term_below_threshold,
            Self::NotConsidered => w.term_not_considered,
            Self::SingleRun => w.term_single_run,
            Self::RaisingWouldOverspend => w.term_raising_would_overspend,
            Self::FirstRunOverspends => w.term_first_run_overspends,
            Self::OutcomeExhaustive => w.term_outcome_exhaustive,
            Self::EverySupportedFunded => w.term_every_supported_funded,
            Self::Elected => w.term_elected,
            Self::Excluded => w.term_excluded,
            Self::Eliminated => w.term_eliminated,
            Self::SurplusTransferred => w.term_surplus_transferred,
            Self::FirstPreferences => w.term_first_preferences,
            Self::Other(text) => return text.clone(),
        }
        .to_owned()
    }
}

/// What an explanation names by id: bids by their titles, areas by their
/// names.
#[derive(Default)]
pub(super) struct Names {
    pub(super) bids: HashMap<String, String>,
    pub(super) areas: HashMap<String, String>,
}

impl Names {
    fn limit(&self, w: &Words, l: &LimitName) -> String {
        if l.area {
            self.areas
                .get(&l.key)
                .cloned()
                .unwrap_or_else(|| l.key.clone())
        } else {
            fill(w.limit_category, &[("key", &l.key)])
        }
    }
}

impl Trace {
    /// The count in plain words, one line per step, in English or Welsh.
    pub(super) fn explain(&self, names: &Names, language: Language) -> Vec<String> {
        let titles = &names.bids;
        let w = words::of(language);
        let title = |id: &str| {
            titles
                .get(id)
                .cloned()
                .unwrap_or_else(|| fill(w.explain_bid, &[("id", &format!("\"{id}\""))]))
        };
        let name = |id: &String| titles.get(id).cloned().unwrap_or_else(|| id.clone());
        let mut out = Vec::new();
        for (i, s) in self.stages.iter().enumerate() {
            let summary = summarise_stage(w, s, &name);
            let n = (i + 1).to_string();
            out.push(fill(w.explain_stage, &[("n", &n), ("summary", &summary)]));
        }
        for s in &self.steps {
            out.push(step(w, s, &title, names));
        }
        if let Some(reason) = &self.stopped {
            out.push(fill(w.explain_stopped, &[("reason", &reason.in_words(w))]));
        }
        out
    }
}

/// One step of a greedy or Equal Shares count, in words.
fn step(w: &Words, s: &Step, title: &dyn Fn(&str) -> String, names: &Names) -> String {
    match s {
        Step::MinimumNotMet {
            limit,
            minimum,
            funded,
            short,
        } => fill(
            w.explain_minimum_not_met,
            &[
                ("limit", &pounds(*minimum)),
                ("what", &names.limit(w, limit)),
                ("funded", &pounds(*funded)),
                ("short", &pounds(*short)),
            ],
        ),
        Step::EqualShares {
            n,
            bid,
            supporters,
            paid,
            cost,
        } => fill(
            w.explain_equal_shares,
            &[
                ("n", &n.to_string()),
                ("bid", &title(bid)),
                ("supporters", &supporters.to_string()),
                ("paid", &pounds(*paid)),
                ("cost", &pounds(*cost)),
            ],
        ),
        Step::Considered {
            position,
            bid,
            support,
            cost,
            decision,
            left,
        } => {
            let left = pounds(*left);
            let what = match decision {
                Decision::Funded => fill(w.explain_funded, &[("left", &left)]),
                Decision::Phase(phase) => fill(
                    w.explain_phase,
                    &[("phase", &phase.in_words(w)), ("left", &left)],
                ),
                Decision::NotFunded(why) => fill(
                    w.explain_not_funded,
                    &[("why", &why.in_words(w)), ("left", &left)],
                ),
                Decision::FundedFirst => fill(w.explain_funded_first, &[("left", &left)]),
                Decision::FundedForMinimum(limits) => {
                    let list: Vec<String> = limits.iter().map(|l| names.limit(w, l)).collect();
                    fill(
                        w.explain_funded_for_minimum,
                        &[("limits", &list.join(", ")), ("left", &left)],
                    )
                }
                Decision::PassedOver(p) => fill(
                    w.explain_not_funded,
                    &[("why", &passed(w, p, title, names)), ("left", &left)],
                ),
            };
            fill(
                w.explain_step,
                &[
                    ("position", &position.to_string()),
                    ("bid", &title(bid)),
                    ("support", support),
                    ("cost", &pounds(*cost)),
                    ("what", &what),
                ],
            )
        }
    }
}

/// Why a council rule kept a bid out, in words.
fn passed(w: &Words, p: &Passed, title: &dyn Fn(&str) -> String, names: &Names) -> String {
    match p {
        Passed::BelowMinVotes { votes, need } => fill(
            w.why_below_min_votes,
            &[("votes", &votes.to_string()), ("need", &need.to_string())],
        ),
        Passed::Exclusive { funded, set } => {
            let set: Vec<String> = set.iter().map(|b| title(b)).collect();
            fill(
                w.why_exclusive,
                &[("bid", &title(funded)), ("set", &set.join(", "))],
            )
        }
        Passed::OverMaximum {
            limit,
            maximum,
            would_be,
        } => fill(
            w.why_over_maximum,
            &[
                ("what", &names.limit(w, limit)),
                ("total", &pounds(*would_be)),
                ("limit", &pounds(*maximum)),
            ],
        ),
        Passed::HeldBack { left, need } => fill(
            w.why_held_back,
            &[("left", &pounds(*left)), ("need", &pounds(*need))],
        ),
    }
}

fn summarise_stage(w: &Words, s: &Stage, name: &dyn Fn(&String) -> String) -> String {
    let mut parts = Vec::new();
    for (term, list) in [
        (Term::Elected, &s.elected),
        (Term::Excluded, &s.excluded),
        (Term::Eliminated, &s.eliminated),
    ] {
        if !list.is_empty() {
            let names: Vec<String> = list.iter().map(name).collect();
            parts.push(format!("{}: {}", term.in_words(w), names.join(", ")));
        }
    }
    // A stage that names no list says what it did in its action.
    if parts.is_empty() {
        match &s.action {
            Some(StageAction::Elected(who)) => {
                parts.push(format!("{}: {}", Term::Elected.in_words(w), name(who)))
            }
            Some(StageAction::Excluded(who)) => {
                parts.push(format!("{}: {}", Term::Excluded.in_words(w), name(who)))
            }
            Some(StageAction::Surplus(who)) => parts.push(format!(
                "{} {}",
                Term::SurplusTransferred.in_words(w),
                name(who)
            )),
            Some(StageAction::FirstPreferences) => parts.push(Term::FirstPreferences.in_words(w)),
            None => {}
        }
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn greedy_steps_are_read_into_typed_values_and_told_in_both_languages() {
        let result = json!({
            "rounds": [
                {"phase": "greedy", "position": 1, "project": "7", "support": "12",
                 "cost": "500.00", "decision": "funded", "remaining_budget": "500.00"},
                {"phase": "greedy", "position": 2, "project": "9", "support": "4",
                 "cost": "800.00", "decision": "skipped: does not fit", "remaining_budget": "500.00"}
            ]
        });
        let trace = Trace::read(&result, "greedy");
        assert_eq!(
            trace.steps[1],
            Step::Considered {
                position: 2,
                bid: "9".into(),
                support: "4".into(),
                cost: 80_000,
                decision: Decision::NotFunded(Term::SkippedDoesNotFit),
                left: 50_000,
            }
        );
        let titles = Names {
            bids: HashMap::from([("7".to_string(), "Benches".to_string())]),
            ..Default::default()
        };
        let en = trace.explain(&titles, Language::En);
        let cy = trace.explain(&titles, Language::Cy);
        assert_eq!(en.len(), 2);
        assert!(
            en[0].contains("Benches") && en[0].contains("£500"),
            "{en:?}"
        );
        assert_ne!(en, cy);
    }

    #[test]
    fn equal_shares_and_ranked_stages_are_typed() {
        let mes = json!({
            "rounds": [{"phase": "equal shares", "round": 1, "project": "3", "cost": "300",
                        "payment_per_supporter": "10.0000",
                        "supporters_paying_share": "20", "supporters_paying_all_they_had": "5"}],
            "details": {"equal_shares": {"stop_reason": "outcome is exhaustive"}}
        });
        let t = Trace::read(&mes, "equal-shares");
        assert!(matches!(
            t.steps[0],
            Step::EqualShares { supporters: 25, .. }
        ));
        assert_eq!(t.stopped, Some(Term::OutcomeExhaustive));
        // In words a resident follows: residents pay nothing; the shares
        // are the pot's, and why the count stopped is a plain clause.
        let lines = t.explain(&Names::default(), Language::En);
        assert_eq!(
            lines,
            [
                "Round 1: bid \"3\" was funded. Its cost of £300.00 came out of the equal shares of the budget of the 25 voters who chose it: £10.00 from each share.",
                "The count stopped because no bid that is left costs less than the money that is left.",
            ]
        );
        let stv = json!({"rounds": [
            {"stage": 1, "action": {"kind": "first-preferences"}, "elected": []},
            {"stage": 2, "action": {"kind": "surplus", "candidate": "4"},
             "elected": [{"candidate": "4", "votes": "10", "by": "quota"}]}
        ]});
        let t = Trace::read(&stv, "stv-scottish");
        assert_eq!(t.stages[0].action, Some(StageAction::FirstPreferences));
        assert_eq!(t.stages[1].elected, vec!["4".to_string()]);
        let titles = Names {
            bids: HashMap::from([("4".to_string(), "Play park".to_string())]),
            ..Default::default()
        };
        let lines = t.explain(&titles, Language::En);
        assert!(lines[1].contains("Play park"), "{lines:?}");
    }
}
