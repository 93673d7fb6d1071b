//! Receipt commitments, the receipt tree kept at the close, and inclusion
//! proofs read from it.
//!
//! When voting closes, each ballot gets its place among the round's sorted
//! commitments (`ballots.leaf`: the leaves of its RFC 6962 tree, as
//! published in `commitments.txt`) and the key its receipt code gives
//! (`ballots.receipt_key`), and every node above the leaves is kept by
//! level and position (`receipt_nodes`). A receipt is then found through
//! an index, and its proof is a handful of stored rows: the cost of a
//! receipt check does not grow with the number of ballots.
use crate::domain::id::RoundId;
use crate::domain::vote::{receipt_key, receipt_key_of_code};
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{ballots, receipt_nodes, result_versions};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tally::receipt_tree;

/// The receipt commitments of a round's ballots, sorted: the leaves of its
/// Merkle tree.
pub(crate) async fn commitments(
    db: &impl ConnectionTrait,
    round_id: RoundId,
) -> ServiceResult<Vec<[u8; 32]>> {
    let mut out: Vec<[u8; 32]> = ballots::Entity::find()
        .select_only()
        .column(ballots::Column::Commitment)
        .filter(ballots::Column::RoundId.eq(round_id))
        .into_tuple::<String>()
        .all(db)
        .await
        .context("loading commitments")?
        .into_iter()
        .filter_map(|c| {
            let bytes = hex::decode(&c).ok()?;
            <[u8; 32]>::try_from(bytes.as_slice()).ok()
        })
        .collect();
    out.sort_unstable();
    Ok(out)
}

/// Rows per insert: well under both databases' limits on bound values.
const BATCH: usize = 2_000;

/// Keeps the receipt tree of a round's sorted commitments: every node above
/// the leaves (the leaves are the ballots, each with its place). Run in
/// the transaction that closes voting; a second run (an instance starting
/// while another fills in an old round) changes nothing.
pub(crate) async fn store_tree(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    leaves: &[[u8; 32]],
) -> ServiceResult<()> {
    let levels = receipt_tree::levels(leaves);
    for (level, nodes) in levels.iter().enumerate().skip(1) {
        for (k, chunk) in nodes.chunks(BATCH).enumerate() {
            let rows = chunk
                .iter()
                .enumerate()
                .map(|(i, h)| receipt_nodes::ActiveModel {
                    round_id: Set(round_id.get()),
                    level: Set(level as i32),
                    position: Set((k * BATCH + i) as i64),
                    hash: Set(hex::encode(h)),
                });
            receipt_nodes::Entity::insert_many(rows)
                .on_conflict_do_nothing_on([
                    receipt_nodes::Column::RoundId,
                    receipt_nodes::Column::Level,
                    receipt_nodes::Column::Position,
                ])
                .exec(db)
                .await
                .context("keeping the receipt tree")?;
        }
    }
    Ok(())
}

/// Rounds closed before the receipt tree was kept get theirs: each ballot
/// its leaf and receipt key, and the nodes above. Run when the server
/// starts.
pub(crate) async fn backfill_trees(db: &impl ConnectionTrait) -> ServiceResult<u64> {
    let rounds_without: Vec<i64> = ballots::Entity::find()
        .select_only()
        .column(ballots::Column::RoundId)
        .distinct()
        .filter(ballots::Column::Leaf.is_null())
        .into_tuple()
        .all(db)
        .await
        .context("finding ballots without a leaf")?;
    for &id in &rounds_without {
        let round_id = RoundId::new(id);
        let rows: Vec<(String, String)> = ballots::Entity::find()
            .select_only()
            .columns([ballots::Column::Id, ballots::Column::Commitment])
            .filter(ballots::Column::RoundId.eq(round_id))
            .into_tuple()
            .all(db)
            .await
            .context("loading commitments")?;
        let mut sorted: Vec<&str> = rows.iter().map(|(_, c)| c.as_str()).collect();
        sorted.sort_unstable();
        for (ballot, commitment) in &rows {
            let leaf = sorted.binary_search(&commitment.as_str()).ok();
            ballots::Entity::update_many()
                .col_expr(ballots::Column::Leaf, Expr::value(leaf.map(|l| l as i64)))
                .col_expr(
                    ballots::Column::ReceiptKey,
                    Expr::value(receipt_key(commitment)),
                )
                .filter(ballots::Column::Id.eq(ballot.as_str()))
                .exec(db)
                .await
                .context("placing a ballot in the receipt tree")?;
        }
        store_tree(db, round_id, &commitments(db, round_id).await?).await?;
    }
    Ok(rounds_without.len() as u64)
}

fn decode(hex_hash: &str) -> ServiceResult<[u8; 32]> {
    hex::decode(hex_hash)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("a damaged receipt tree")))
}

fn damaged() -> ServiceError {
    ServiceError::Unexpected(anyhow::anyhow!("a damaged receipt tree"))
}

/// A receipt's inclusion proof in a published round: the leaf, the tree
/// and the hashes up to the root, read from the stored tree: the ballot
/// found by its receipt key, its neighbour leaf, and one node per level.
/// `None` if the round is not published or no ballot has this receipt.
pub async fn receipt_proof(
    db: &DatabaseConnection,
    round_id: RoundId,
    code: &str,
) -> ServiceResult<Option<(tally::bundle::Inclusion, String, String)>> {
    let published = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round_id))
        .filter(result_versions::Column::PublishedAt.is_not_null())
        .one(db)
        .await
        .context("finding a published result")?;
    if published.is_none() {
        return Ok(None);
    }
    let code = crate::domain::vote::normalise_code(code);
    let key = code.as_deref().and_then(receipt_key_of_code);
    let (Some(code), Some(key)) = (code, key) else {
        return Err(ServiceError::invalid(
            "code",
            "a receipt code has 16 letters and digits, like 7K3M-9QXD-2RTF-HJ4W",
        ));
    };
    // Ballots whose commitment starts with the code's first 64 bits: one,
    // but for a one-in-2^64 chance; the code's other 16 bits decide.
    let found: Vec<(String, Option<i64>)> = ballots::Entity::find()
        .select_only()
        .columns([ballots::Column::Commitment, ballots::Column::Leaf])
        .filter(ballots::Column::RoundId.eq(round_id))
        .filter(ballots::Column::ReceiptKey.eq(key))
        .into_tuple()
        .all(db)
        .await
        .context("finding a receipt")?;
    let Some((commitment, leaf)) = found
        .into_iter()
        .find(|(c, _)| decode(c).is_ok_and(|bytes| tally::bundle::receipt_code(&bytes) == code))
    else {
        return Ok(None);
    };
    let leaf_bytes = decode(&commitment)?;
    let index = leaf.ok_or_else(damaged)? as u64;
    // The last leaf, through the index on (round, leaf): its place plus one
    // is the tree's size.
    let last: Option<Option<i64>> = ballots::Entity::find()
        .select_only()
        .column(ballots::Column::Leaf)
        .filter(ballots::Column::RoundId.eq(round_id))
        .filter(ballots::Column::Leaf.is_not_null())
        .order_by_desc(ballots::Column::Leaf)
        .into_tuple()
        .one(db)
        .await
        .context("sizing the receipt tree")?;
    let last = last.flatten();
    let size = last.map_or(0, |l| l as u64 + 1);
    let needed = receipt_tree::proof_nodes(index, size);
    let top = receipt_tree::height(size).saturating_sub(1);
    let mut hashes: Vec<Option<[u8; 32]>> = vec![None; needed.len()];
    // The leaf's neighbour is a ballot: its hash is made from its
    // commitment.
    if let Some(slot) = needed.iter().position(|(l, _)| *l == 0) {
        let neighbour: String = ballots::Entity::find()
            .select_only()
            .column(ballots::Column::Commitment)
            .filter(ballots::Column::RoundId.eq(round_id))
            .filter(ballots::Column::Leaf.eq(needed[slot].1 as i64))
            .into_tuple()
            .one(db)
            .await
            .context("reading the receipt tree")?
            .ok_or_else(damaged)?;
        hashes[slot] = Some(receipt_tree::leaf_hash(&decode(&neighbour)?));
    }
    // Every other node of the proof, and the root, in one query.
    let wanted: Vec<(u32, u64)> = needed
        .iter()
        .copied()
        .filter(|(l, _)| *l > 0)
        .chain((top > 0).then_some((top, 0)))
        .collect();
    let mut root = receipt_tree::leaf_hash(&leaf_bytes);
    if !wanted.is_empty() {
        // Each term names a whole primary key, so that both databases read
        // each node by its key rather than scan the round's tree.
        let mut any = Condition::any();
        for (l, p) in &wanted {
            any = any.add(
                Condition::all()
                    .add(receipt_nodes::Column::RoundId.eq(round_id))
                    .add(receipt_nodes::Column::Level.eq(*l as i32))
                    .add(receipt_nodes::Column::Position.eq(*p as i64)),
            );
        }
        let nodes = receipt_nodes::Entity::find()
            .filter(any)
            .all(db)
            .await
            .context("reading the receipt tree")?;
        for n in nodes {
            let at = (n.level as u32, n.position as u64);
            if top > 0 && at == (top, 0) {
                root = decode(&n.hash)?;
            }
            if let Some(slot) = needed.iter().position(|x| *x == at) {
                hashes[slot] = Some(decode(&n.hash)?);
            }
        }
    }
    let hashes: Vec<String> = hashes
        .into_iter()
        .map(|h| h.map(hex::encode).ok_or_else(damaged))
        .collect::<ServiceResult<_>>()?;
    Ok(Some((
        tally::bundle::Inclusion {
            index,
            tree_size: size,
            hashes,
        },
        hex::encode(root),
        commitment,
    )))
}
