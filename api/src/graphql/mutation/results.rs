use crate::domain::id::BidId;
use crate::graphql::types::round::Round;
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::lifecycle;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct ResultsMutation;

#[Object]
impl ResultsMutation {
    /// Officers: counts a closed round again after a count failed (closing
    /// voting counts it at once). Refused with COUNT_FAILED and the reason
    /// if it still cannot be counted.
    async fn count_round(&self, ctx: &Context<'_>, round_id: ID) -> async_graphql::Result<Round> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(Round(
            lifecycle::count(state(ctx), Some(actor), id).await.gql()?,
        ))
    }

    /// Councillors: publishes a counted round's result (the same as
    /// advanceRound to PUBLISHED). Groups are told by email.
    async fn publish_result(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Round> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(Round(
            lifecycle::publish(state(ctx), actor, id).await.gql()?,
        ))
    }

    /// Councillors: corrects a published result by publishing a new
    /// version with a reason, recounted without the bids named (a project
    /// that can no longer go ahead). Every version stays visible. Returns
    /// the new version's number.
    async fn correct_result(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        reason: String,
        #[graphql(default)] exclude_bid_ids: Vec<ID>,
    ) -> async_graphql::Result<i32> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        let exclude = exclude_bid_ids
            .iter()
            .map(|b| parse_id(b, "bid"))
            .collect::<async_graphql::Result<Vec<BidId>>>()?;
        lifecycle::correct(state(ctx), actor, id, &reason, exclude)
            .await
            .gql()
    }
}
