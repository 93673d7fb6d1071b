use crate::graphql::types::results::{ReceiptProof, ResultVersion, RoundLogEntry, RoundResult};
use crate::graphql::{caller, parse_id, state, Gql};
use crate::service::{results, round_log, rounds};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct ResultsQuery;

#[Object]
impl ResultsQuery {
    /// A round's result: the latest version, or the one asked for. Before
    /// publication only councillors and admins see it; null for anyone
    /// else, and when there is no count.
    async fn round_result(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        version: Option<i32>,
    ) -> async_graphql::Result<Option<RoundResult>> {
        let id = parse_id(&round_id, "round")?;
        Ok(results::result(&state(ctx).db, caller(ctx), id, version)
            .await
            .gql()?
            .map(RoundResult))
    }

    /// Every version of a round's result the caller may see, with the
    /// reason for each correction.
    async fn result_versions(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Vec<ResultVersion>> {
        let id = parse_id(&round_id, "round")?;
        Ok(results::versions(&state(ctx).db, caller(ctx), id)
            .await
            .gql()?
            .into_iter()
            .map(
                |(version, reason, counted_at, published_at)| ResultVersion {
                    version,
                    reason,
                    counted_at,
                    published_at,
                },
            )
            .collect())
    }

    /// Once a round is published: the proof that the ballot with this
    /// receipt is in the count (null if no counted ballot has it).
    async fn receipt_proof(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        code: String,
    ) -> async_graphql::Result<Option<ReceiptProof>> {
        let id = parse_id(&round_id, "round")?;
        let Some((proof, root, commitment)) =
            results::receipt_proof_held(&state(ctx).receipt_trees, &state(ctx).db, id, &code)
                .await
                .gql()?
        else {
            return Ok(None);
        };
        let leaf: [u8; 32] = hex::decode(&commitment)
            .ok()
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 32]);
        Ok(Some(ReceiptProof {
            code: tally::bundle::receipt_code(&leaf),
            verified: tally::bundle::verify_inclusion(&root, &leaf, &proof),
            commitment,
            leaf_index: proof.index,
            tree_size: proof.tree_size,
            hashes: proof.hashes,
            root,
        }))
    }

    /// The round's log, each entry hashing the one before: public once the
    /// result is published; for staff before, without the count's entries
    /// unless they may review the provisional result.
    async fn round_log(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Vec<RoundLogEntry>> {
        let id = parse_id(&round_id, "round")?;
        let db = &state(ctx).db;
        let round = rounds::get(db, caller(ctx), id).await.gql()?;
        let staff = caller(ctx).is_some_and(|a| {
            a.has(crate::domain::Role::Officer) || a.has(crate::domain::Role::Councillor)
        });
        let published = round.phase == crate::domain::Phase::Published;
        if !staff && !published {
            return Ok(Vec::new());
        }
        // Before publication a count's entries hold the provisional result:
        // only those who may review it see them.
        let reviewer = caller(ctx).is_some_and(|a| {
            a.has(crate::domain::Role::Councillor) || a.has(crate::domain::Role::Admin)
        });
        Ok(round_log::entries(db, id)
            .await
            .gql()?
            .into_iter()
            .filter(|e| {
                published
                    || reviewer
                    || !matches!(e["kind"].as_str(), Some("counted" | "recounted"))
            })
            .map(|e| RoundLogEntry {
                seq: e["seq"].as_i64().unwrap_or(0),
                at: e["at"].as_str().unwrap_or("").to_owned(),
                kind: e["kind"].as_str().unwrap_or("").to_owned(),
                details: tally::canonical::to_canonical_string(&e["details"]),
                prev: e["prev"].as_str().unwrap_or("").to_owned(),
                hash: e["hash"].as_str().unwrap_or("").to_owned(),
            })
            .collect())
    }
}
