//! Results: counting a closed round's sealed ballots files with its frozen
//! rule (`count`), what each pot's result shows worked out once as it is
//! stored (`summary`, with the count explained in `explain`), the stored
//! result as people read it (`view`), and everything a resident or a
//! journalist needs to check the count: the bundle (`bundle`), receipt
//! proofs (`receipts`) and CSV (`export`). When these happen is the
//! lifecycle's business (`service::lifecycle`).
//!
//! Invariant: a round is `counted` only with a stored count, made in the
//! transaction that moves it there. A count that fails leaves the round
//! closed, with the reason for officers and nothing half-written. Before
//! publication only councillors and admins see any figure. Reads never
//! parse ballots: a result is read from its stored summary, a receipt's
//! proof from the receipt tree kept at the close.

mod bundle;
mod count;
mod explain;
mod export;
mod receipts;
mod summary;
mod trace;
mod view;

pub use bundle::bundle;
pub(crate) use count::{check_rules, count_in, seal_pots, store_version};
pub use count::{rule_spec, rule_spec_excluding, Sealed, SealedPot};
pub use export::csv;
pub use receipts::{receipt_proof, receipt_proof_held, ReceiptTrees};
pub use summary::{FundedLine, PotSummary, UnfundedLine};
pub(crate) use view::funded_in;
pub use view::{result, versions, PotResult, RoundResult};

use super::Actor;
use crate::domain::Role;

/// What results and rounds stored before summaries and receipt trees
/// were kept need: each result's summary, each closed round's receipt
/// tree. Run when the server starts, after the migrations; idempotent.
pub async fn backfill(db: &sea_orm::DatabaseConnection) -> crate::error::ServiceResult<()> {
    let summaries = summary::backfill(db).await?;
    let trees = receipts::backfill_trees(db).await?;
    if summaries + trees > 0 {
        tracing::info!(summaries, trees, "filled in stored results");
    }
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    tally::canonical::sha256_hex(bytes)
}

/// Who may see a result before it is published.
fn reviewer(caller: Option<&Actor>) -> bool {
    caller.is_some_and(|a| a.has(Role::Councillor) || a.has(Role::Admin))
}

#[cfg(test)]
mod tests {
    use super::view::pence_of;
    use super::*;
    use crate::domain::ballot::{TieBreak, RULES};
    use crate::domain::CountingRule;

    /// Every rule a round may choose is one the counting module runs, under
    /// the same name, with the round's options and seed.
    #[test]
    fn every_rule_a_round_may_choose_is_one_the_count_runs() {
        for (name, _) in RULES {
            let rule = CountingRule {
                name: (*name).into(),
                tie_break: TieBreak::CostSupportSeed,
                seed: Some(2027),
                min_support: Some(3),
                rank_points: Some(vec![3, 2, 1]),
                seats: Some(2),
                constraints: None,
            };
            let spec = rule_spec(&rule);
            assert_eq!(spec.name, *name);
            assert_eq!(spec.tie_break, "cost-support-seed:2027");
            assert_eq!(spec.seats, Some(2));
            let config = spec.pb_config().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                config.is_none(),
                matches!(*name, "irv" | "stv-scottish"),
                "{name}: ranked rules count as BLT, the rest as .pb"
            );
            // The configuration round-trips through config.json.
            assert_eq!(
                tally::bundle::RuleSpec::from_json(&spec.to_json()),
                Ok(spec)
            );
        }
        let lexicographic = rule_spec(&CountingRule {
            name: "mes".into(),
            tie_break: TieBreak::Lexicographic,
            seed: None,
            min_support: None,
            rank_points: None,
            seats: None,
            constraints: None,
        });
        assert_eq!(lexicographic.tie_break, "lexicographic");
        assert!(lexicographic.pb_config().is_ok());
    }

    #[test]
    fn money_in_results_reads_as_pence() {
        assert_eq!(pence_of("1234.5"), 123_450);
        assert_eq!(pence_of("7"), 700);
        assert_eq!(pence_of("0.07"), 7);
    }
}
