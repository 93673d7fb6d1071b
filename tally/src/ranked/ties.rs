//! Tie-breaking: first by the history of the count, then by lot.
//!
//! SSI 2007/42 rules 49(2)–(3) and 51(2): when candidates are equal, regard
//! is had to their votes at the end of the most recent preceding stage at
//! which they were unequal; if they were equal at every stage, the decision
//! is by lot. With three or more tied candidates, a stage at which they are
//! unequal keeps only those at the extreme (the lowest for an exclusion, the
//! highest for the order of surpluses) and the search goes on back through
//! earlier stages among those; lot decides among whoever is still tied after
//! the first stage.
//!
//! "By lot" is a published, reproducible order of all candidates
//! ([`LotOrder`]); the tied candidate that comes first in it wins the draw
//! (is excluded first, has its surplus transferred first, is listed first).

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::votes::Votes;

/// The seed used when none is given.
pub const DEFAULT_LOT_SEED: u64 = 0;

/// How "by lot" decisions are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LotOrder {
    /// Candidates ordered by `SHA-256("{seed}:{k}")` as lowercase hex,
    /// where `k` is the candidate's 1-based number in the file (ties of
    /// the hash, which do not happen in practice, by file order). Anyone
    /// can recompute the order from the seed.
    Seeded {
        /// The published seed.
        seed: u64,
    },
    /// The order of the candidates in the file, as the Droop and OpenSTV
    /// programs draw lots; useful to compare with them.
    FileOrder,
}

impl Default for LotOrder {
    fn default() -> Self {
        LotOrder::Seeded {
            seed: DEFAULT_LOT_SEED,
        }
    }
}

impl LotOrder {
    /// Position of each candidate in the draw (0 = drawn first).
    pub fn ranks(&self, candidates: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..candidates).collect();
        if let LotOrder::Seeded { seed } = *self {
            let keys: Vec<[u8; 32]> = (0..candidates)
                .map(|c| Sha256::digest(format!("{seed}:{}", c + 1)).into())
                .collect();
            order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
        }
        let mut ranks = vec![0; candidates];
        for (position, &c) in order.iter().enumerate() {
            ranks[c] = position;
        }
        ranks
    }
}

/// What a tie was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieDecision {
    /// Which of the candidates with the fewest votes to exclude (rule 51).
    Exclusion,
    /// Whose equal surplus to transfer first (rule 49(2)–(3)).
    SurplusOrder,
    /// In which order to list candidates elected at the same stage with
    /// equal votes (does not change who is elected).
    ElectionOrder,
}

/// How a tie was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieMethod {
    /// By the votes at an earlier stage.
    History,
    /// By lot, from the published lot order.
    Lot,
}

/// A tie met during the count and how it was broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tie {
    /// The stage at which the decision was taken: for an exclusion or a
    /// surplus, the stage that carries it out; for an election order, the
    /// stage at whose end the candidates were elected.
    pub stage: usize,
    /// What was decided.
    pub decision: TieDecision,
    /// The tied candidates, in file order.
    pub candidates: Vec<String>,
    /// Their equal number of votes.
    pub votes: Votes,
    /// History or lot.
    pub method: TieMethod,
    /// Earlier stages that separated some of the tied candidates, most
    /// recent first.
    pub history_stages: Vec<usize>,
    /// Those still tied when lots were drawn (empty unless by lot).
    pub lot_among: Vec<String>,
    /// The candidate chosen (excluded, transferred first, listed first).
    pub chosen: String,
}

/// Which end of the vote totals wins a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefer {
    /// The candidate with fewer votes (exclusion).
    Lowest,
    /// The candidate with more votes (surplus order, election order).
    Highest,
}

/// Breaks a tie among `tied` (candidate indices, at least one).
///
/// `history[k]` holds every candidate's votes (in any integer unit) at the
/// end of stage `k + 1`; `lot_ranks` comes from [`LotOrder::ranks`].
/// Returns the chosen candidate, the stages that narrowed the field, and the
/// candidates left for the lot (empty if history decided).
pub(crate) fn break_tie(
    tied: &[usize],
    history: &[Vec<u64>],
    prefer: Prefer,
    lot_ranks: &[usize],
) -> (usize, Vec<usize>, Vec<usize>) {
    let mut field: Vec<usize> = tied.to_vec();
    let mut stages = Vec::new();
    let value = |snapshot: &Vec<u64>, c: usize| snapshot.get(c).copied().unwrap_or(0);
    for (k, snapshot) in history.iter().enumerate().rev() {
        if field.len() <= 1 {
            break;
        }
        let values = field.iter().map(|&c| value(snapshot, c));
        let extreme = match prefer {
            Prefer::Lowest => values.min(),
            Prefer::Highest => values.max(),
        };
        let Some(extreme) = extreme else { break };
        let narrowed: Vec<usize> = field
            .iter()
            .copied()
            .filter(|&c| value(snapshot, c) == extreme)
            .collect();
        if narrowed.len() < field.len() {
            field = narrowed;
            stages.push(k + 1);
        }
    }
    match field[..] {
        [only] => (only, stages, Vec::new()),
        _ => {
            let chosen = field
                .iter()
                .copied()
                .min_by_key(|&c| lot_ranks.get(c).copied().unwrap_or(usize::MAX))
                .unwrap_or_default();
            (chosen, stages, field)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_uses_most_recent_difference() {
        // Stage 1: a=5 b=3 c=3; stage 2: a=4 b=4 c=6; stage 3: all 7.
        let history = vec![vec![5, 3, 3], vec![4, 4, 6], vec![7, 7, 7]];
        let ranks = LotOrder::FileOrder.ranks(3);
        // Lowest: stage 2 keeps a and b, stage 1 separates them: b.
        assert_eq!(
            break_tie(&[0, 1, 2], &history, Prefer::Lowest, &ranks),
            (1, vec![2, 1], vec![])
        );
        // Highest: stage 2 picks c at once.
        assert_eq!(
            break_tie(&[0, 1, 2], &history, Prefer::Highest, &ranks),
            (2, vec![2], vec![])
        );
    }

    #[test]
    fn equal_at_every_stage_goes_to_lot() {
        let history = vec![vec![3, 3], vec![3, 3]];
        let ranks = LotOrder::FileOrder.ranks(2);
        assert_eq!(
            break_tie(&[1, 0], &history, Prefer::Lowest, &ranks),
            (0, vec![], vec![1, 0])
        );
    }

    #[test]
    fn seeded_lot_order_is_a_reproducible_permutation() {
        let a = LotOrder::Seeded { seed: 7 }.ranks(12);
        let b = LotOrder::Seeded { seed: 7 }.ranks(12);
        let c = LotOrder::Seeded { seed: 8 }.ranks(12);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..12).collect::<Vec<_>>());
    }
}
