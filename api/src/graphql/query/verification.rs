use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::graphql::types::verification::{Verification, VerificationConflict};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::verification;
use async_graphql::{connection::Connection, Context, Object, ID};

#[derive(Default)]
pub struct VerificationQuery;

#[Object]
impl VerificationQuery {
    /// The signed-in person's own verifications, one per round, and what is
    /// stored for each.
    async fn my_verifications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<Verification>> {
        let actor = signed_in(ctx)?;
        Ok(verification::mine(&state(ctx).db, actor)
            .await
            .gql()?
            .into_iter()
            .map(Verification)
            .collect())
    }

    /// Officers: everyone verified, or part-way, for a round.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn verifications(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, Verification>> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = verification::participants(&state(ctx).db, actor, id, req)
            .await
            .gql()?;
        Ok(pagination::connection(page, req, Verification))
    }

    /// Officers: duplicate and similar identities to resolve.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn verification_conflicts(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, VerificationConflict>> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = verification::conflicts(&state(ctx).db, actor, id, req)
            .await
            .gql()?;
        Ok(pagination::connection(page, req, VerificationConflict))
    }
}
