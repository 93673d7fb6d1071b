//! Scottish STV: The Scottish Local Government Elections Order 2007
//! (SSI 2007/42), schedule 1, rules 45–52.
//!
//! - Rule 45: the first stage credits each candidate with one vote per
//!   ballot paper giving them a first preference.
//! - Rule 46: quota = floor(valid papers / (seats + 1)) + 1.
//! - Rule 47: a candidate whose votes equal or exceed the quota is elected.
//! - Rule 48: a surplus is transferred from **all** the ballot papers the
//!   elected candidate holds (the weighted inclusive Gregory method); each
//!   paper moves to its next continuing preference at the value
//!   `surplus × value of the paper when received / candidate's votes`,
//!   calculated to five decimal places with any remainder ignored. Papers
//!   with no further continuing preference are non-transferable. The
//!   candidate keeps exactly the quota; what truncation drops is recorded
//!   as `loss_by_truncation`.
//! - Rule 49: with several surpluses, the largest first; equal surpluses by
//!   history, then by lot.
//! - Rule 50: when no surplus remains to transfer, the continuing candidate
//!   with the fewest votes is excluded and every paper they hold moves at
//!   the value it has.
//! - Rule 51: equal lowest by history, then by lot.
//! - Rule 52: when the continuing candidates are no more than the vacancies
//!   left, they are all elected and no further transfer is made.
//!
//! **Invariant**: every value is a whole number of 1/100,000 vote units
//! ([`Votes`]); products are taken in `u128` before the truncating
//! division, so there is no rounding other than the one the Order asks for.

use std::collections::BTreeMap;

use serde::Serialize;

use super::blt::BltElection;
use super::ties::{break_tie, LotOrder, Prefer, Tie, TieDecision, TieMethod};
use super::votes::{Votes, UNITS_PER_VOTE};

/// Options of a Scottish STV count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StvConfig {
    /// How lots are drawn when history does not separate tied candidates.
    pub lot: LotOrder,
}

/// Why a candidate was elected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElectedBy {
    /// Reached the quota (rule 47).
    Quota,
    /// Filled a last vacancy without the quota (rule 52).
    LastVacancies,
}

/// A candidate elected at the end of a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Elected {
    /// The candidate's name.
    pub candidate: String,
    /// Their votes when elected.
    pub votes: Votes,
    /// Quota or last vacancies.
    pub by: ElectedBy,
}

/// Papers of one value in a surplus transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferValue {
    /// Value of each paper when the elected candidate received it.
    pub value_received: Votes,
    /// Value at which each of these papers is transferred (truncated).
    pub transfer_value: Votes,
    /// Number of ballot papers at this value (transferable or not).
    pub papers: u64,
}

/// Papers of one value moved in an exclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParcelValue {
    /// Value of each paper.
    pub value: Votes,
    /// Number of ballot papers.
    pub papers: u64,
}

/// What a stage did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StvAction {
    /// Stage 1: first preferences (rule 45).
    FirstPreferences,
    /// Transfer of a surplus (rules 48–49).
    Surplus {
        /// The elected candidate whose surplus moves.
        candidate: String,
        /// Their votes before the transfer.
        votes: Votes,
        /// Votes above the quota.
        surplus: Votes,
        /// One entry per distinct value of the papers held.
        transfer_values: Vec<TransferValue>,
    },
    /// Exclusion of the candidate with the fewest votes (rules 50–51).
    Exclusion {
        /// The excluded candidate.
        candidate: String,
        /// Their votes when excluded.
        votes: Votes,
        /// The papers they held, by value.
        parcels: Vec<ParcelValue>,
    },
}

/// One stage of the count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StvStage {
    /// 1-based stage number.
    pub stage: usize,
    /// What the stage did.
    pub action: StvAction,
    /// Every candidate's votes at the end of the stage, in file order.
    pub votes: Vec<Votes>,
    /// Value of all non-transferable papers so far.
    pub non_transferable: Votes,
    /// Value lost so far to the five-decimal truncation of transfer values.
    pub loss_by_truncation: Votes,
    /// Candidates elected at the end of this stage, in order of election.
    pub elected: Vec<Elected>,
}

/// The result of a Scottish STV count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StvOutcome {
    /// Candidate names as in the file, in file order.
    pub candidates: Vec<String>,
    /// Withdrawn candidates.
    pub withdrawn: Vec<String>,
    /// Number of seats.
    pub seats: usize,
    /// Valid ballot papers: papers with a preference for at least one
    /// candidate who is not withdrawn.
    pub valid_papers: u64,
    /// The quota (rule 46).
    pub quota: Votes,
    /// The lot order used to break ties that history leaves open, first
    /// drawn first.
    pub lot_order: Vec<String>,
    /// Elected candidates in order of election.
    pub selected: Vec<String>,
    /// Every tie met, in the order met.
    pub ties: Vec<Tie>,
    /// The stages.
    pub rounds: Vec<StvStage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Continuing,
    Elected,
    Excluded,
    Withdrawn,
}

/// Identical papers travelling together: same ranking, same value.
#[derive(Debug, Clone, Copy)]
struct Parcel {
    ballot: usize,
    /// Index in the ranking of the candidate now holding the papers.
    position: usize,
    papers: u64,
    /// Value of each paper, in units.
    value: u64,
}

struct Count<'a> {
    election: &'a BltElection,
    status: Vec<Status>,
    votes: Vec<u64>,
    piles: Vec<Vec<Parcel>>,
    quota: u64,
    non_transferable: u64,
    loss: u64,
    /// Candidates elected with a surplus not yet transferred.
    pending: Vec<usize>,
    history: Vec<Vec<u64>>,
    lot_ranks: Vec<usize>,
    ties: Vec<Tie>,
    stages: Vec<StvStage>,
    selected: Vec<usize>,
}

impl Count<'_> {
    fn name(&self, c: usize) -> String {
        self.election.candidates()[c].clone()
    }

    /// Next continuing candidate after `position` on the parcel's ranking.
    fn next_continuing(&self, parcel: &Parcel) -> Option<(usize, usize)> {
        let prefs = self.election.ballots()[parcel.ballot].preferences();
        prefs
            .iter()
            .enumerate()
            .skip(parcel.position + 1)
            .find(|&(_, &c)| self.status[c] == Status::Continuing)
            .map(|(i, &c)| (i, c))
    }

    fn continuing(&self) -> Vec<usize> {
        (0..self.status.len())
            .filter(|&c| self.status[c] == Status::Continuing)
            .collect()
    }

    fn seats_left(&self) -> usize {
        self.election.seats().saturating_sub(self.selected.len())
    }

    fn resolve(&mut self, tied: &[usize], prefer: Prefer, decision: TieDecision) -> usize {
        let (chosen, stages, lot_among) = break_tie(tied, &self.history, prefer, &self.lot_ranks);
        if tied.len() > 1 {
            let mut names: Vec<usize> = tied.to_vec();
            names.sort_unstable();
            let mut lot: Vec<usize> = lot_among.clone();
            lot.sort_unstable();
            let stage = match decision {
                TieDecision::ElectionOrder => self.stages.len(),
                _ => self.stages.len() + 1,
            };
            self.ties.push(Tie {
                stage,
                decision,
                candidates: names.iter().map(|&c| self.name(c)).collect(),
                votes: Votes::from_units(self.votes[tied[0]]),
                method: if lot_among.is_empty() {
                    TieMethod::History
                } else {
                    TieMethod::Lot
                },
                history_stages: stages,
                lot_among: lot.iter().map(|&c| self.name(c)).collect(),
                chosen: self.name(chosen),
            });
        }
        chosen
    }

    /// Orders `group` by votes, highest first, equal votes by tie-break.
    fn order_by_votes(&mut self, mut group: Vec<usize>) -> Vec<usize> {
        let mut ordered = Vec::with_capacity(group.len());
        while let Some(best) = group.iter().map(|&c| self.votes[c]).max() {
            let tied: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&c| self.votes[c] == best)
                .collect();
            let chosen = self.resolve(&tied, Prefer::Highest, TieDecision::ElectionOrder);
            group.retain(|&c| c != chosen);
            ordered.push(chosen);
        }
        ordered
    }

    fn record_stage(&mut self, action: StvAction) {
        self.history.push(self.votes.clone());
        self.stages.push(StvStage {
            stage: self.stages.len() + 1,
            action,
            votes: self.votes.iter().map(|&v| Votes::from_units(v)).collect(),
            non_transferable: Votes::from_units(self.non_transferable),
            loss_by_truncation: Votes::from_units(self.loss),
            elected: Vec::new(),
        });
    }

    fn elect(&mut self, c: usize, by: ElectedBy) {
        self.status[c] = Status::Elected;
        self.selected.push(c);
        let elected = Elected {
            candidate: self.name(c),
            votes: Votes::from_units(self.votes[c]),
            by,
        };
        if let Some(stage) = self.stages.last_mut() {
            stage.elected.push(elected);
        }
        if by == ElectedBy::Quota && self.votes[c] > self.quota {
            self.pending.push(c);
        }
    }

    /// Rule 47, at the end of a stage.
    fn elect_quota_reachers(&mut self) {
        let reached: Vec<usize> = self
            .continuing()
            .into_iter()
            .filter(|&c| self.votes[c] >= self.quota)
            .collect();
        for c in self.order_by_votes(reached) {
            if self.seats_left() > 0 {
                self.elect(c, ElectedBy::Quota);
            }
        }
    }

    /// Moves a parcel to its next continuing preference at `value` per paper;
    /// returns false if it is non-transferable.
    fn pass_on(&mut self, mut parcel: Parcel, value: u64) -> bool {
        parcel.value = value;
        let amount = parcel.papers.saturating_mul(value);
        match self.next_continuing(&parcel) {
            Some((position, c)) => {
                parcel.position = position;
                self.votes[c] += amount;
                self.piles[c].push(parcel);
                true
            }
            None => {
                self.non_transferable += amount;
                false
            }
        }
    }

    /// Rules 48–49: transfer the surplus of `c`.
    fn transfer_surplus(&mut self, c: usize) {
        let total = self.votes[c];
        let surplus = total.saturating_sub(self.quota);
        let pile = std::mem::take(&mut self.piles[c]);
        let mut by_value: BTreeMap<u64, (u64, u64)> = BTreeMap::new();
        let mut moved: u64 = 0;
        for parcel in pile {
            // value × surplus / total, truncated to whole units (5 places).
            let tv = u128::from(parcel.value) * u128::from(surplus) / u128::from(total.max(1));
            let tv = u64::try_from(tv).unwrap_or(u64::MAX);
            let entry = by_value.entry(parcel.value).or_insert((tv, 0));
            entry.1 += parcel.papers;
            moved += parcel.papers.saturating_mul(tv);
            self.pass_on(parcel, tv);
        }
        self.votes[c] = self.quota;
        self.loss += surplus.saturating_sub(moved);
        let transfer_values = by_value
            .into_iter()
            .rev()
            .map(|(value, (tv, papers))| TransferValue {
                value_received: Votes::from_units(value),
                transfer_value: Votes::from_units(tv),
                papers,
            })
            .collect();
        self.record_stage(StvAction::Surplus {
            candidate: self.name(c),
            votes: Votes::from_units(total),
            surplus: Votes::from_units(surplus),
            transfer_values,
        });
    }

    /// Rule 50: exclude `c` and move every paper at its value.
    fn exclude(&mut self, c: usize) {
        self.status[c] = Status::Excluded;
        let held = self.votes[c];
        let pile = std::mem::take(&mut self.piles[c]);
        let mut by_value: BTreeMap<u64, u64> = BTreeMap::new();
        for parcel in pile {
            *by_value.entry(parcel.value).or_insert(0) += parcel.papers;
            self.pass_on(parcel, parcel.value);
        }
        self.votes[c] = 0;
        let parcels = by_value
            .into_iter()
            .rev()
            .map(|(value, papers)| ParcelValue {
                value: Votes::from_units(value),
                papers,
            })
            .collect();
        self.record_stage(StvAction::Exclusion {
            candidate: self.name(c),
            votes: Votes::from_units(held),
            parcels,
        });
    }
}

/// Counts `election` under the Scottish STV rules. Cannot fail: a
/// [`BltElection`] is always countable.
pub fn count_stv_scottish(election: &BltElection, config: &StvConfig) -> StvOutcome {
    let n = election.candidates().len();
    let mut status = vec![Status::Continuing; n];
    for &w in election.withdrawn() {
        status[w] = Status::Withdrawn;
    }
    let mut count = Count {
        election,
        status,
        votes: vec![0; n],
        piles: vec![Vec::new(); n],
        quota: 0,
        non_transferable: 0,
        loss: 0,
        pending: Vec::new(),
        history: Vec::new(),
        lot_ranks: config.lot.ranks(n),
        ties: Vec::new(),
        stages: Vec::new(),
        selected: Vec::new(),
    };

    // Rule 45: first preferences (skipping withdrawn candidates).
    let mut valid_papers: u64 = 0;
    for (b, ballot) in election.ballots().iter().enumerate() {
        if ballot.papers() == 0 {
            continue;
        }
        let start = Parcel {
            ballot: b,
            position: 0,
            papers: ballot.papers(),
            value: UNITS_PER_VOTE,
        };
        let first = ballot
            .preferences()
            .iter()
            .position(|&c| count.status[c] == Status::Continuing);
        if let Some(position) = first {
            let c = ballot.preferences()[position];
            valid_papers += ballot.papers();
            count.votes[c] += ballot.papers() * UNITS_PER_VOTE;
            count.piles[c].push(Parcel { position, ..start });
        }
    }

    // Rule 46: the quota.
    let seats = election.seats() as u64;
    count.quota = (valid_papers / (seats + 1) + 1) * UNITS_PER_VOTE;
    count.record_stage(StvAction::FirstPreferences);
    count.elect_quota_reachers();

    loop {
        if count.seats_left() == 0 {
            break;
        }
        // Rule 52: last vacancies.
        let continuing = count.continuing();
        if continuing.len() <= count.seats_left() {
            for c in count.order_by_votes(continuing) {
                count.elect(c, ElectedBy::LastVacancies);
            }
            break;
        }
        // Rules 48–49: the largest surplus first.
        if let Some(best) = count.pending.iter().map(|&c| count.votes[c]).max() {
            let tied: Vec<usize> = count
                .pending
                .iter()
                .copied()
                .filter(|&c| count.votes[c] == best)
                .collect();
            let chosen = count.resolve(&tied, Prefer::Highest, TieDecision::SurplusOrder);
            count.pending.retain(|&c| c != chosen);
            count.transfer_surplus(chosen);
        } else {
            // Rules 50–51: exclude the lowest.
            let Some(low) = continuing.iter().map(|&c| count.votes[c]).min() else {
                break;
            };
            let tied: Vec<usize> = continuing
                .iter()
                .copied()
                .filter(|&c| count.votes[c] == low)
                .collect();
            let chosen = count.resolve(&tied, Prefer::Lowest, TieDecision::Exclusion);
            count.exclude(chosen);
        }
        count.elect_quota_reachers();
    }

    let names = |cs: &mut dyn Iterator<Item = usize>| -> Vec<String> {
        cs.map(|c| election.candidates()[c].clone()).collect()
    };
    let mut lot_order: Vec<usize> = (0..n).collect();
    lot_order.sort_by_key(|&c| count.lot_ranks[c]);
    StvOutcome {
        candidates: election.candidates().to_vec(),
        withdrawn: names(&mut election.withdrawn().iter().copied()),
        seats: election.seats(),
        valid_papers,
        quota: Votes::from_units(count.quota),
        lot_order: names(&mut lot_order.into_iter()),
        selected: names(&mut count.selected.iter().copied()),
        ties: count.ties,
        rounds: count.stages,
    }
}
