//! Instant-runoff voting: one winner.
//!
//! Each round counts every ballot paper for its highest-ranked continuing
//! candidate. A candidate with more than half of the papers still counting
//! (exhausted papers excluded) wins; so does the last continuing candidate.
//! Otherwise the candidate with the fewest papers is excluded (equal lowest:
//! the one with fewer papers at the most recent round where they differed,
//! then by lot, as in [`super::ties`]) and their papers move on. The BLT
//! seats field is ignored: instant-runoff fills one seat.
//!
//! All counts are whole numbers of papers.

use serde::Serialize;

use super::blt::BltElection;
use super::ties::{break_tie, LotOrder, Prefer, Tie, TieDecision, TieMethod};
use super::votes::Votes;

/// Options of an instant-runoff count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IrvConfig {
    /// How lots are drawn when history does not separate tied candidates.
    pub lot: LotOrder,
}

/// What ended a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum IrvAction {
    /// The candidate has a majority of the continuing papers, or is the last
    /// one left.
    Elected {
        /// The winner.
        candidate: String,
    },
    /// The candidate with the fewest papers is excluded.
    Exclusion {
        /// The excluded candidate.
        candidate: String,
    },
}

/// One round of an instant-runoff count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IrvRound {
    /// 1-based round number.
    pub round: usize,
    /// Papers per candidate at the start of the round, in file order
    /// (excluded and withdrawn candidates have 0).
    pub votes: Vec<u64>,
    /// Papers with no continuing preference left.
    pub exhausted: u64,
    /// Papers counting for a continuing candidate.
    pub continuing_papers: u64,
    /// What the round decided.
    pub action: IrvAction,
}

/// The result of an instant-runoff count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IrvOutcome {
    /// Candidate names as in the file, in file order.
    pub candidates: Vec<String>,
    /// Withdrawn candidates.
    pub withdrawn: Vec<String>,
    /// Papers with a preference for a candidate who is not withdrawn.
    pub valid_papers: u64,
    /// The lot order, first drawn first.
    pub lot_order: Vec<String>,
    /// The winner (empty only if every candidate is withdrawn).
    pub selected: Vec<String>,
    /// Every tie met.
    pub ties: Vec<Tie>,
    /// The rounds.
    pub rounds: Vec<IrvRound>,
}

/// Counts `election` by instant-runoff. Cannot fail.
pub fn count_irv(election: &BltElection, config: &IrvConfig) -> IrvOutcome {
    let names = election.candidates();
    let n = names.len();
    let mut continuing = vec![true; n];
    for &w in election.withdrawn() {
        continuing[w] = false;
    }
    let lot_ranks = config.lot.ranks(n);
    // (ballot index, position of the current preference)
    let mut piles: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut votes = vec![0u64; n];
    let mut exhausted = 0u64;
    let mut valid_papers = 0u64;
    let next = |ballot: usize, from: usize, continuing: &[bool]| {
        election.ballots()[ballot]
            .preferences()
            .iter()
            .enumerate()
            .skip(from)
            .find(|&(_, &c)| continuing[c])
            .map(|(i, &c)| (i, c))
    };
    for (b, ballot) in election.ballots().iter().enumerate() {
        if ballot.papers() == 0 {
            continue;
        }
        if let Some((i, c)) = next(b, 0, &continuing) {
            valid_papers += ballot.papers();
            votes[c] += ballot.papers();
            piles[c].push((b, i));
        }
    }

    let mut history: Vec<Vec<u64>> = Vec::new();
    let mut rounds = Vec::new();
    let mut ties = Vec::new();
    let mut selected = Vec::new();
    loop {
        let live: Vec<usize> = (0..n).filter(|&c| continuing[c]).collect();
        if live.is_empty() {
            break;
        }
        history.push(votes.clone());
        let total: u64 = live.iter().map(|&c| votes[c]).sum();
        let leader = live
            .iter()
            .copied()
            .max_by_key(|&c| (votes[c], usize::MAX - c));
        let winner = match (leader, live.len()) {
            (Some(c), _) if votes[c] * 2 > total => Some(c),
            (_, 1) => Some(live[0]),
            _ => None,
        };
        let round = rounds.len() + 1;
        if let Some(c) = winner {
            rounds.push(IrvRound {
                round,
                votes: votes.clone(),
                exhausted,
                continuing_papers: total,
                action: IrvAction::Elected {
                    candidate: names[c].clone(),
                },
            });
            selected.push(names[c].clone());
            break;
        }
        let low = live.iter().map(|&c| votes[c]).min().unwrap_or(0);
        let tied: Vec<usize> = live.iter().copied().filter(|&c| votes[c] == low).collect();
        let (out, stages, lot_among) = break_tie(&tied, &history, Prefer::Lowest, &lot_ranks);
        if tied.len() > 1 {
            ties.push(Tie {
                stage: round,
                decision: TieDecision::Exclusion,
                candidates: tied.iter().map(|&c| names[c].clone()).collect(),
                votes: Votes::from_papers(low),
                method: if lot_among.is_empty() {
                    TieMethod::History
                } else {
                    TieMethod::Lot
                },
                history_stages: stages,
                lot_among: {
                    let mut l = lot_among.clone();
                    l.sort_unstable();
                    l.iter().map(|&c| names[c].clone()).collect()
                },
                chosen: names[out].clone(),
            });
        }
        rounds.push(IrvRound {
            round,
            votes: votes.clone(),
            exhausted,
            continuing_papers: total,
            action: IrvAction::Exclusion {
                candidate: names[out].clone(),
            },
        });
        continuing[out] = false;
        for (b, i) in std::mem::take(&mut piles[out]) {
            let papers = election.ballots()[b].papers();
            match next(b, i + 1, &continuing) {
                Some((j, c)) => {
                    votes[c] += papers;
                    piles[c].push((b, j));
                }
                None => exhausted += papers,
            }
        }
        votes[out] = 0;
    }

    let mut lot_order: Vec<usize> = (0..n).collect();
    lot_order.sort_by_key(|&c| lot_ranks[c]);
    IrvOutcome {
        candidates: names.to_vec(),
        withdrawn: election
            .withdrawn()
            .iter()
            .map(|&c| names[c].clone())
            .collect(),
        valid_papers,
        lot_order: lot_order.iter().map(|&c| names[c].clone()).collect(),
        selected,
        ties,
        rounds,
    }
}
