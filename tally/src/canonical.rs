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
use std::fmt::Write as _;

/// The canonical JSON of everything in an election that a count depends on.
pub fn input_json(e: &Election) -> Value {
    json!({
        "budget": e.budget.to_string(),
        "money_scale": e.money_scale,
        "vote_type": e.vote_type.as_str(),
        "projects": e.projects.iter().map(|p| json!([p.id, p.cost.to_string()])).collect::<Vec<_>>(),
        "ballots": e.ballots.iter().map(|b| json!([
            b.voter_id,
            b.projects.iter().map(|&i| e.projects[i as usize].id.as_str()).collect::<Vec<_>>(),
            b.points,
        ])).collect::<Vec<_>>(),
    })
}

/// Canonical JSON text: sorted keys, no whitespace.
pub fn to_canonical_string(v: &Value) -> String {
    // serde_json without `preserve_order` keeps object keys sorted.
    v.to_string()
}

/// A string as serde_json writes it (quoted, escaped).
fn json_string(x: &str) -> String {
    let mut s = String::with_capacity(x.len() + 2);
    push_json_string(&mut s, x);
    s
}

/// Appends a string as serde_json writes it: strings without quotes,
/// backslashes or control characters are copied as they are.
fn push_json_string(buf: &mut String, x: &str) {
    if x.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        buf.push_str(&Value::String(x.to_string()).to_string());
    } else {
        buf.push('"');
        buf.push_str(x);
        buf.push('"');
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// SHA-256 of the canonical input, streamed (the same bytes as
/// `to_canonical_string(&input_json(e))`, without building the tree).
pub fn input_sha256(e: &Election) -> String {
    let mut h = Sha256::new();
    h.update(b"{\"ballots\":[");
    // Project ids are written once per vote: escape each id once.
    let ids: Vec<String> = e.projects.iter().map(|p| json_string(&p.id)).collect();
    let mut buf = String::with_capacity(1 << 16);
    for (i, b) in e.ballots.iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        buf.push('[');
        push_json_string(&mut buf, b.voter_id);
        buf.push_str(",[");
        for (k, &p) in b.projects.iter().enumerate() {
            if k > 0 {
                buf.push(',');
            }
            buf.push_str(&ids[p as usize]);
        }
        buf.push_str("],");
        match &b.points {
            None => buf.push_str("null"),
            Some(pts) => {
                buf.push('[');
                for (k, x) in pts.iter().enumerate() {
                    if k > 0 {
                        buf.push(',');
                    }
                    let _ = write!(buf, "{x}");
                }
                buf.push(']');
            }
        }
        buf.push(']');
        if buf.len() >= (1 << 16) - 1024 {
            h.update(buf.as_bytes());
            buf.clear();
        }
    }
    h.update(buf.as_bytes());
    let rest = json!({
        "budget": e.budget.to_string(),
        "money_scale": e.money_scale,
        "projects": e.projects.iter().map(|p| json!([p.id, p.cost.to_string()])).collect::<Vec<_>>(),
        "vote_type": e.vote_type.as_str(),
    })
    .to_string();
    // `rest` is `{"budget":...}`: continue the object after the ballots.
    h.update(b"],");
    h.update(&rest.as_bytes()[1..]);
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_hash_equals_hash_of_canonical_json() {
        let text = "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n\"a\"\"b\";5\n2;3\nVOTES\nvoter_id;vote;points\nv\\1;\"a\"\"b\",2;1,4\nw;;\n";
        let e = crate::pb::parse(text).expect("parses");
        assert_eq!(
            input_sha256(&e),
            sha256_hex(to_canonical_string(&input_json(&e)).as_bytes())
        );
    }
}
