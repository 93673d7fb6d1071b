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
use std::sync::Arc;
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

/// A published round's receipt tree, held in memory: the sorted
/// commitments and every level above them.
struct Tree {
    commitments: Vec<[u8; 32]>,
    levels: Vec<Vec<[u8; 32]>>,
}

impl Tree {
    /// The proof for `code`, from memory. The commitments are sorted, so
    /// those a code's first 64 bits name sit together.
    fn proof(&self, code: &str, key: i64) -> Option<(tally::bundle::Inclusion, String, String)> {
        // The key is the first 64 bits, big-endian, as a signed number:
        // the same bits read unsigned order as the sorted commitments do.
        let key = key as u64;
        let first = self
            .commitments
            .partition_point(|c| u64::from_be_bytes(c[..8].try_into().unwrap_or_default()) < key);
        let index = self.commitments[first..]
            .iter()
            .take_while(|c| u64::from_be_bytes(c[..8].try_into().unwrap_or_default()) == key)
            .position(|c| tally::bundle::receipt_code(c) == code)?
            + first;
        let size = self.commitments.len() as u64;
        let hashes = receipt_tree::proof_nodes(index as u64, size)
            .into_iter()
            .map(|(level, position)| hex::encode(self.levels[level as usize][position as usize]))
            .collect();
        let root = self.levels.last()?.first()?;
        Some((
            tally::bundle::Inclusion {
                index: index as u64,
                tree_size: size,
                hashes,
            },
            hex::encode(root),
            hex::encode(self.commitments[index]),
        ))
    }
}

/// The most leaves the receipt trees held in memory may have between them
/// (about 100 bytes each): a round larger than this is answered from the
/// stored tree.
const TREE_LEAVES_HELD: usize = 1_000_000;

/// Published rounds' receipt trees, held in memory once one of their
/// receipts is checked. A round's tree is made when voting closes and a
/// round is published only after that, and no round goes back to voting:
/// a tree held for a published round is the tree every instance holds, so
/// holding it needs no word between instances. Bounded by
/// `TREE_LEAVES_HELD`, the least recently used round going first.
pub struct ReceiptTrees {
    held: std::sync::Mutex<lru::LruCache<i64, Slot>>,
}

/// A round's place among the held trees: filled once, by the first check
/// (`None` when the round's tree is too large to hold).
type Slot = Arc<tokio::sync::OnceCell<Option<Arc<Tree>>>>;

impl Default for ReceiptTrees {
    fn default() -> Self {
        Self {
            held: std::sync::Mutex::new(lru::LruCache::unbounded()),
        }
    }
}

impl ReceiptTrees {
    fn slot(&self, round_id: RoundId) -> Slot {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.get_or_insert(round_id.get(), Default::default).clone()
    }

    /// Drops the least recently used trees until those held fit the bound.
    fn trim(&self) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let leaves = |h: &lru::LruCache<i64, Slot>| {
            h.iter()
                .filter_map(|(_, c)| c.get().cloned().flatten())
                .map(|t| t.commitments.len())
                .sum::<usize>()
        };
        while held.len() > 1 && leaves(&held) > TREE_LEAVES_HELD {
            held.pop_lru();
        }
    }
}

/// `receipt_proof`, answered from memory once the round's tree is held:
/// the first check of a published round reads its commitments once; every
/// later one reads nothing. Not published, or too large to hold: read from
/// the stored tree.
pub async fn receipt_proof_held(
    trees: &ReceiptTrees,
    db: &DatabaseConnection,
    round_id: RoundId,
    code: &str,
) -> ServiceResult<Option<(tally::bundle::Inclusion, String, String)>> {
    let slot = trees.slot(round_id);
    let tree = match slot.get() {
        Some(tree) => tree.clone(),
        None => {
            let published = result_versions::Entity::find()
                .filter(result_versions::Column::RoundId.eq(round_id))
                .filter(result_versions::Column::PublishedAt.is_not_null())
                .one(db)
                .await
                .context("finding a published result")?
                .is_some();
            if !published {
                return receipt_proof(db, round_id, code).await;
            }
            let tree = slot.get_or_try_init(|| hold(db, round_id)).await?.clone();
            trees.trim();
            tree
        }
    };
    let Some(tree) = tree else {
        return receipt_proof(db, round_id, code).await;
    };
    let code = crate::domain::vote::normalise_code(code);
    let (Some(code), Some(key)) = (code.clone(), code.as_deref().and_then(receipt_key_of_code))
    else {
        return Err(ServiceError::invalid(
            "code",
            "a receipt code has 16 letters and digits, like 7K3M-9QXD-2RTF-HJ4W",
        ));
    };
    Ok(tree.proof(&code, key))
}

/// Reads a published round's tree into memory, and checks its root against
/// the one kept at the close. `None` (answer from the stored tree) when it
/// is too large to hold.
async fn hold(db: &DatabaseConnection, round_id: RoundId) -> ServiceResult<Option<Arc<Tree>>> {
    let commitments = commitments(db, round_id).await?;
    if commitments.len() > TREE_LEAVES_HELD {
        return Ok(None);
    }
    let levels = receipt_tree::levels(&commitments);
    let top = levels.len().saturating_sub(1);
    if top > 0 {
        let kept: Option<String> = receipt_nodes::Entity::find()
            .select_only()
            .column(receipt_nodes::Column::Hash)
            .filter(receipt_nodes::Column::RoundId.eq(round_id))
            .filter(receipt_nodes::Column::Level.eq(top as i32))
            .filter(receipt_nodes::Column::Position.eq(0))
            .into_tuple()
            .one(db)
            .await
            .context("reading the receipt tree")?;
        if kept.as_deref() != levels[top].first().map(hex::encode).as_deref() {
            tracing::error!(
                round = round_id.get(),
                "the receipt tree's commitments do not give the root kept at the close"
            );
            return Ok(None);
        }
    }
    Ok(Some(Arc::new(Tree {
        commitments,
        levels,
    })))
}
