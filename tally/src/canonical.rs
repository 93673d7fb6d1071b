//! Canonical forms and their SHA-256, so a published result pins exactly
//! what was counted and how.
//!
//! The canonical input is the JSON object
//! `{"budget","money_scale","vote_type","projects":[[id,cost],...],
//! "ballots":[[voter_id,[ids...],[points...]|null],...]}` with sorted keys
//! and no whitespace (serde_json's default map is ordered by key). Names,
//! categories and other columns do not change a count and are not covered.

use crate::model::Election;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The canonical JSON of everything in an election that a count depends on.
pub fn input_json(e: &Election) -> Value {
    json!({
        "budget": e.budget.to_string(),
        "money_scale": e.money_scale,
        "vote_type": e.vote_type.as_str(),
        "projects": e.projects.iter().map(|p| json!([p.id, p.cost.to_string()])).collect::<Vec<_>>(),
        "ballots": e.ballots.iter().map(|b| json!([
            b.voter_id,
            b.projects.iter().map(|&i| e.projects[i].id.as_str()).collect::<Vec<_>>(),
            b.points,
        ])).collect::<Vec<_>>(),
    })
}

/// Canonical JSON text: sorted keys, no whitespace.
pub fn to_canonical_string(v: &Value) -> String {
    // serde_json without `preserve_order` keeps object keys sorted.
    v.to_string()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn input_sha256(e: &Election) -> String {
    sha256_hex(to_canonical_string(&input_json(e)).as_bytes())
}
