use crate::graphql::types::verification::{Verification, VerificationConflict};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::verification;
use async_graphql::{Context, Object, ID};

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
    async fn verifications(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Vec<Verification>> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(verification::participants(&state(ctx).db, actor, id)
            .await
            .gql()?
            .into_iter()
            .map(Verification)
            .collect())
    }

    /// Officers: duplicate verifications to resolve.
    async fn verification_conflicts(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Vec<VerificationConflict>> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(verification::conflicts(&state(ctx).db, actor, id)
            .await
            .gql()?
            .into_iter()
            .map(VerificationConflict)
            .collect())
    }
}
