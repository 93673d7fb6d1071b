//! The close of voting: ballots leave the sealed store for good.
use super::store;
use super::MIN_CHANNEL_GROUP;
use crate::crypto::Secret;
use crate::domain::id::RoundId;
use crate::error::{Context, ServiceResult};
use crate::store::{ballots, cast_answers, round_keys, sealed_ballots};
use rand::{rngs::OsRng, seq::SliceRandom, TryRngCore};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use std::collections::BTreeMap;

/// Opens every sealed ballot of the round and writes it to `ballots`
/// under a fresh random identifier, in random order, keeping its channel
/// only where at least `MIN_CHANNEL_GROUP` ballots of its pot share it;
/// then deletes the sealed ballots, the answers to retried casts and the
/// round's key. Runs in the transaction that moves the round from voting
/// to closed, before anything is counted. Returns how many ballots the
/// round holds.
pub async fn seal(
    txn: &DatabaseTransaction,
    secret: &Secret,
    round_id: RoundId,
) -> ServiceResult<u64> {
    let sealed = sealed_ballots::Entity::find()
        .filter(sealed_ballots::Column::RoundId.eq(round_id))
        .all(txn)
        .await
        .context("loading sealed ballots")?;
    let mut rows = Vec::with_capacity(sealed.len());
    if !sealed.is_empty() {
        let key = store::existing_key(txn, secret, round_id)
            .await?
            .ok_or_else(|| {
                crate::error::ServiceError::Unexpected(anyhow::anyhow!(
                    "round {round_id} has sealed ballots but no key"
                ))
            })?;
        for row in &sealed {
            let b = key.open_ballot(row)?;
            rows.push((row.pot_id, b));
        }
    }
    let mut groups: BTreeMap<(i64, &'static str), u64> = BTreeMap::new();
    for (pot, b) in &rows {
        *groups.entry((*pot, b.channel.as_str())).or_default() += 1;
    }
    // Each ballot's leaf in the receipt tree: its place among the sorted
    // commitments (hex sorts as the bytes do).
    let mut sorted: Vec<&str> = rows.iter().map(|(_, b)| b.commitment.as_str()).collect();
    sorted.sort_unstable();
    let mut fresh: Vec<ballots::ActiveModel> = rows
        .iter()
        .map(|(pot, b)| {
            let keep = groups[&(*pot, b.channel.as_str())] >= MIN_CHANNEL_GROUP;
            let leaf = sorted.binary_search(&b.commitment.as_str()).ok();
            ballots::ActiveModel {
                leaf: Set(leaf.map(|l| l as i64)),
                receipt_key: Set(crate::domain::vote::receipt_key(&b.commitment)),
                id: Set(uuid::Uuid::new_v4().simple().to_string()),
                round_id: Set(round_id.get()),
                pot_id: Set(*pot),
                content: Set(b.content.to_json()),
                commitment: Set(b.commitment.clone()),
                channel: Set(keep.then(|| b.channel.as_str().to_owned())),
            }
        })
        .collect();
    fresh.shuffle(&mut OsRng.unwrap_err());
    sealed_ballots::Entity::delete_many()
        .filter(sealed_ballots::Column::RoundId.eq(round_id))
        .exec(txn)
        .await
        .context("removing sealed ballots")?;
    cast_answers::Entity::delete_many()
        .filter(cast_answers::Column::RoundId.eq(round_id))
        .exec(txn)
        .await
        .context("removing the answers to casts")?;
    round_keys::Entity::delete_by_id(round_id.get())
        .exec(txn)
        .await
        .context("destroying the round's key")?;
    let mut fresh = fresh.into_iter().peekable();
    while fresh.peek().is_some() {
        let chunk: Vec<_> = fresh.by_ref().take(500).collect();
        ballots::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await
            .context("writing ballots")?;
    }
    super::reads::ballot_count(txn, round_id).await
}
