//! A round's public log: phase changes, register imports, checks in person
//! and assisted ballots (by officer, never by person), counts,
//! publications and corrections. Each entry carries the hash of the one
//! before it, so that removing or editing one shows (`tally verify`).
//! Entries never hold personal data, and never anything that ties a person
//! to a ballot.
use crate::db::lock_key;
use crate::domain::id::RoundId;
use crate::error::{Context, ServiceResult};
use crate::store::round_log;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{json, Value};

/// Appends an entry, inside the transaction of what it records, and gives
/// its hash.
pub async fn append(
    txn: &DatabaseTransaction,
    round_id: RoundId,
    kind: &str,
    details: Value,
    now: DateTime<Utc>,
) -> ServiceResult<String> {
    lock_key(txn, &format!("round-log:{round_id}"))
        .await
        .context("locking a round's log")?;
    let last = round_log::Entity::find()
        .filter(round_log::Column::RoundId.eq(round_id))
        .order_by_desc(round_log::Column::Seq)
        .one(txn)
        .await
        .context("reading a round's log")?;
    let (seq, prev) = match last {
        Some(l) => (l.seq + 1, l.hash),
        None => (1, String::new()),
    };
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let entry = json!({ "seq": seq, "at": at, "kind": kind, "details": details, "prev": prev });
    let hash = tally::bundle::entry_hash(&entry);
    round_log::ActiveModel {
        round_id: Set(round_id.get()),
        seq: Set(seq),
        at: Set(now),
        kind: Set(kind.to_owned()),
        details: Set(tally::canonical::to_canonical_string(&details)),
        prev_hash: Set(prev),
        hash: Set(hash.clone()),
    }
    .insert(txn)
    .await
    .context("writing a round's log")?;
    Ok(hash)
}

/// The round's log, oldest first, each entry as published.
pub async fn entries(db: &impl ConnectionTrait, round_id: RoundId) -> ServiceResult<Vec<Value>> {
    Ok(round_log::Entity::find()
        .filter(round_log::Column::RoundId.eq(round_id))
        .order_by_asc(round_log::Column::Seq)
        .all(db)
        .await
        .context("reading a round's log")?
        .into_iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "at": e.at.to_rfc3339_opts(SecondsFormat::Secs, true),
                "kind": e.kind,
                "details": serde_json::from_str::<Value>(&e.details).unwrap_or(Value::Null),
                "prev": e.prev_hash,
                "hash": e.hash,
            })
        })
        .collect())
}

/// The log as `audit.jsonl`: one canonical JSON entry per line.
pub fn to_jsonl(entries: &[Value]) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&tally::canonical::to_canonical_string(e));
        out.push('\n');
    }
    out
}

/// When voting opened and closed (`DD.MM.YYYY`, as pabulib writes dates),
/// from the round's log.
pub async fn voting_dates(
    db: &impl ConnectionTrait,
    round_id: RoundId,
) -> ServiceResult<(String, String)> {
    let entries = entries(db, round_id).await?;
    let when = |to: &str| {
        entries
            .iter()
            .rev()
            .find(|e| e["kind"] == "phase_changed" && e["details"]["to"] == to)
            .and_then(|e| DateTime::parse_from_rfc3339(e["at"].as_str()?).ok())
            .map(|at| at.format("%d.%m.%Y").to_string())
    };
    let end = when("closed").unwrap_or_else(|| Utc::now().format("%d.%m.%Y").to_string());
    Ok((when("voting").unwrap_or_else(|| end.clone()), end))
}

/// When voting closed, by its date or by an officer: the time of the log's
/// change of phase to `closed`, the latest of the round's phase changes.
/// `None` while voting has not closed.
pub async fn voting_closed_at(
    db: &impl ConnectionTrait,
    round_id: RoundId,
) -> ServiceResult<Option<DateTime<Utc>>> {
    let changes = round_log::Entity::find()
        .filter(round_log::Column::RoundId.eq(round_id))
        .filter(round_log::Column::Kind.eq("phase_changed"))
        .order_by_desc(round_log::Column::Seq)
        .all(db)
        .await
        .context("reading a round's log")?;
    Ok(changes.into_iter().find_map(|e| {
        let details: Value = serde_json::from_str(&e.details).ok()?;
        (details["to"] == "closed").then_some(e.at)
    }))
}
