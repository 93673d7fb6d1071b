//! Receipt commitments and their inclusion proofs.
use crate::domain::id::RoundId;
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{ballots, result_versions};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

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

/// A receipt's inclusion proof in a published round: the leaf, the tree
/// and the hashes up to the root. `None` if the round is not published or
/// no ballot has this receipt.
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
    let Some(code) = crate::domain::vote::normalise_code(code) else {
        return Err(ServiceError::invalid(
            "code",
            "a receipt code has 16 letters and digits, like 7K3M-9QXD-2RTF-HJ4W",
        ));
    };
    let leaves = commitments(db, round_id).await?;
    let Some(index) = leaves
        .iter()
        .position(|c| tally::bundle::receipt_code(c) == code)
    else {
        return Ok(None);
    };
    let root = tally::bundle::merkle_root(&leaves);
    Ok(tally::bundle::inclusion_proof(&leaves, index)
        .map(|p| (p, root, hex::encode(leaves[index]))))
}
