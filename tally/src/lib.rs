//! Deterministic, explained counting for participatory budgeting and
//! single-transferable-vote elections.
//!
//! This crate does no IO: it takes an election in memory and returns an
//! outcome with a round-by-round explanation.
#![forbid(unsafe_code)]

pub mod ranked;

pub mod arith;
pub mod bundle;
pub mod canonical;
pub mod constraints;
pub mod model;
pub mod outcome;
pub mod pb;
pub mod receipt_tree;
pub mod rules;
pub mod tiebreak;

pub use constraints::{ConstraintError, Constraints};
pub use model::{Ballot, BallotProblem, Election, Project, VoteType};
pub use outcome::{count, official_config, official_election, CountError, Outcome};
pub use rules::{Add1, GreedyVariant, MesUtility, Rule, RuleConfig};
pub use tiebreak::TieBreak;
