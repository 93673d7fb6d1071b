//! Ranked-ballot counting: BLT input, instant-runoff and Scottish STV.
//!
//! - [`parse_blt`] reads a BLT file into a [`BltElection`], which is always
//!   countable (its invariants are checked when it is built).
//! - [`count_stv_scottish`] counts by The Scottish Local Government Elections
//!   Order 2007, rules 45–52 ([`stv`] module docs); [`count_irv`] by
//!   instant-runoff.
//! - [`count_blt_json`] does both steps and returns one canonical JSON object
//!   for the command line.
//!
//! **API boundary**: no IO. Vote values are exact integers in 1/100,000
//! vote units ([`Votes`]); no floating point is used anywhere in a count.
//! Every tie is recorded in the outcome's `ties`, with how it was broken.

mod blt;
mod irv;
mod stv;
mod ties;
mod votes;

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use blt::{parse_blt, Ballot, BltElection, MAX_CANDIDATES, MAX_PAPERS};
pub use irv::{count_irv, IrvAction, IrvConfig, IrvOutcome, IrvRound};
pub use stv::{
    count_stv_scottish, Elected, ElectedBy, ParcelValue, StvAction, StvConfig, StvOutcome,
    StvStage, TransferValue,
};
pub use ties::{LotOrder, Tie, TieDecision, TieMethod, DEFAULT_LOT_SEED};
pub use votes::{Votes, UNITS_PER_VOTE};

/// Why ranked ballots could not be read or counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RankedError {
    /// A line of the BLT file is malformed.
    Parse {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The election as a whole is not countable.
    Invalid(String),
    /// The rule name is not one of [`RankedRule::NAMES`].
    UnknownRule(String),
    /// The outcome could not be written as JSON.
    Output(String),
}

impl RankedError {
    pub(crate) fn parse(line: usize, message: impl Into<String>) -> RankedError {
        RankedError::Parse {
            line,
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> RankedError {
        RankedError::Invalid(message.into())
    }
}

impl fmt::Display for RankedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RankedError::Parse { line, message } => write!(f, "line {line}: {message}"),
            RankedError::Invalid(message) => write!(f, "invalid election: {message}"),
            RankedError::UnknownRule(rule) => write!(
                f,
                "unknown ranked-ballot rule {rule:?} (expected one of: {})",
                RankedRule::NAMES.join(", ")
            ),
            RankedError::Output(message) => write!(f, "could not write the result: {message}"),
        }
    }
}

impl std::error::Error for RankedError {}

/// Which count, with its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankedRule {
    /// Scottish STV (SSI 2007/42 rules 45–52).
    StvScottish(StvConfig),
    /// Instant-runoff, one winner.
    Irv(IrvConfig),
}

impl RankedRule {
    /// Rule names accepted by [`RankedRule::from_name`].
    pub const NAMES: [&'static str; 2] = ["stv-scottish", "irv"];

    /// The rule called `name`, with default options (lots drawn from the
    /// order seeded by [`DEFAULT_LOT_SEED`]).
    pub fn from_name(name: &str) -> Result<RankedRule, RankedError> {
        match name {
            "stv-scottish" => Ok(RankedRule::StvScottish(StvConfig::default())),
            "irv" => Ok(RankedRule::Irv(IrvConfig::default())),
            other => Err(RankedError::UnknownRule(other.to_string())),
        }
    }

    /// The exact variant name written in the output.
    pub fn name(&self) -> &'static str {
        match self {
            RankedRule::StvScottish(_) => "stv-scottish",
            RankedRule::Irv(_) => "irv",
        }
    }

    /// How lots are drawn.
    pub fn lot(&self) -> LotOrder {
        match self {
            RankedRule::StvScottish(c) => c.lot,
            RankedRule::Irv(c) => c.lot,
        }
    }
}

/// The rule configuration as published: its compact JSON has its keys in
/// sorted order at every level, so `rule_sha256` can be recomputed from
/// the `rule_config` object by any canonical (sorted-key, compact) JSON
/// writer.
#[derive(Serialize)]
struct RuleConfig {
    lot: LotOrder,
    rule: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Outcome {
    Stv(StvOutcome),
    Irv(IrvOutcome),
}

#[derive(Serialize)]
struct Report<'a> {
    rule: &'static str,
    rule_config: RuleConfig,
    rule_sha256: String,
    input_sha256: String,
    title: Option<&'a str>,
    #[serde(flatten)]
    outcome: Outcome,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads `text` as BLT and counts it with the rule named `rule`
/// (`stv-scottish` or `irv`, default options), returning one JSON object.
///
/// The object has `rule`, `rule_config`, `rule_sha256` (SHA-256 of
/// `rule_config` written as compact JSON with sorted keys, e.g.
/// `{"lot":{"kind":"seeded","seed":0},"rule":"stv-scottish"}`), `input_sha256` (SHA-256 of the
/// input bytes exactly as given, byte-order mark and line ends included, so
/// `sha256sum FILE.blt` reproduces it), `title`, then the outcome's fields:
/// `candidates`, `selected` (names as written in the file, in order of
/// election), `ties`, `rounds`, and so on.
pub fn count_blt_json(text: &str, rule: &str) -> Result<String, RankedError> {
    count_blt_json_with(text, &RankedRule::from_name(rule)?)
}

/// [`count_blt_json`] with explicit options.
pub fn count_blt_json_with(text: &str, rule: &RankedRule) -> Result<String, RankedError> {
    let election = parse_blt(text)?;
    let outcome = match rule {
        RankedRule::StvScottish(config) => Outcome::Stv(count_stv_scottish(&election, config)),
        RankedRule::Irv(config) => Outcome::Irv(count_irv(&election, config)),
    };
    let rule_config = RuleConfig {
        lot: rule.lot(),
        rule: rule.name(),
    };
    let config_json =
        serde_json::to_string(&rule_config).map_err(|e| RankedError::Output(e.to_string()))?;
    let report = Report {
        rule: rule.name(),
        rule_config,
        rule_sha256: sha256_hex(config_json.as_bytes()),
        input_sha256: sha256_hex(text.as_bytes()),
        title: election.title(),
        outcome,
    };
    serde_json::to_string(&report).map_err(|e| RankedError::Output(e.to_string()))
}
