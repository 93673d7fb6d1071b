//! The files of a published result, as `tally verify` reads them.
use super::super::{round_log, rounds};
use super::sha256_hex;
use super::view::find_version;
use crate::domain::id::RoundId;
use crate::error::{Context, ServiceResult};
use crate::store::pot_results;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

/// The files of a published result version, as `tally verify` reads them.
/// The log is cut at the entry that published the version, so that a
/// version's bundle never changes; with `log_now`, it is the whole log as
/// it stands, with what was logged after publication (the delivery of the
/// funded bids).
pub async fn bundle(
    db: &DatabaseConnection,
    round_id: RoundId,
    version: Option<i32>,
    log_now: bool,
) -> ServiceResult<Option<Vec<(String, Vec<u8>)>>> {
    let round = rounds::get(db, None, round_id).await?;
    let Some(result) = find_version(db, None, round_id, version).await? else {
        return Ok(None);
    };
    let stored = pot_results::Entity::find()
        .filter(pot_results::Column::VersionId.eq(result.id))
        .order_by_asc(pot_results::Column::PotId)
        .all(db)
        .await
        .context("loading a result's files")?;
    let leaves = super::receipts::commitments(db, round_id).await?;
    let commitments_txt: String = leaves
        .iter()
        .map(|c| format!("{}\n", hex::encode(c)))
        .collect();
    let log = round_log::entries(db, round_id).await?;
    // The log as it stood when this version was published: up to and
    // including the entry that published it (a provisional version has
    // none, and is never bundled).
    let cut = log.iter().position(|e| {
        matches!(e["kind"].as_str(), Some("published" | "corrected"))
            && e["details"]["version"].as_i64() == Some(i64::from(result.version))
    });
    let log: Vec<Value> = match cut {
        Some(i) if !log_now => log.into_iter().take(i + 1).collect(),
        _ => log,
    };
    let audit = round_log::to_jsonl(&log);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut pots = Vec::new();
    for p in stored {
        let area = round
            .pots
            .iter()
            .find(|x| x.id.get() == p.pot_id)
            .map(|x| x.area_id.get());
        let pb_name = format!("pot-{}.pb", p.pot_id);
        let result_name = format!("pot-{}.result.json", p.pot_id);
        pots.push(json!({
            "id": p.pot_id,
            "area": area,
            "ballots": pb_name,
            "ballots_sha256": p.ballots_sha256,
            "result": result_name,
            "result_sha256": p.result_sha256,
        }));
        files.push((pb_name, p.ballots_pb.into_bytes()));
        files.push((result_name, p.result_json.into_bytes()));
    }
    let manifest = json!({
        "format": tally::bundle::FORMAT,
        "round": { "id": round.id, "title": round.title },
        "version": result.version,
        "reason": result.reason,
        "published_at": result.published_at.map(|p| p.to_rfc3339()),
        "tally_version": env!("CARGO_PKG_VERSION"),
        "config": "config.json",
        "config_sha256": sha256_hex(result.config_json.as_bytes()),
        "pots": pots,
        "commitments": "commitments.txt",
        "commitments_sha256": sha256_hex(commitments_txt.as_bytes()),
        "commitments_count": leaves.len(),
        "merkle_root": tally::bundle::merkle_root(&leaves),
        "audit": "audit.jsonl",
        "audit_sha256": sha256_hex(audit.as_bytes()),
        "audit_entries": log.len(),
        "audit_head": log.last().and_then(|e| e["hash"].as_str()).unwrap_or(""),
    });
    files.push((
        "config.json".into(),
        result.config_json.clone().into_bytes(),
    ));
    files.push(("commitments.txt".into(), commitments_txt.into_bytes()));
    files.push(("audit.jsonl".into(), audit.into_bytes()));
    files.push((
        "round.json".into(),
        serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
    ));
    Ok(Some(files))
}
