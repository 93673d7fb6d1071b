use crate::graphql::{caller, parse_id, state, types::bid::Bid, Gql};
use crate::service::bids;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct BidQuery;

#[Object]
impl BidQuery {
    /// A bid; a draft only for its group's members.
    async fn bid(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Bid> {
        let db = &state(ctx).db;
        let bid = bids::get_for(db, caller(ctx), parse_id(&id, "bid")?)
            .await
            .gql()?;
        // A bid is visible where its round is.
        crate::graphql::loaders::round(ctx, bid.round_id.get()).await?;
        Ok(Bid(bid))
    }

    /// The categories a bid can have.
    async fn bid_categories(&self) -> Vec<&'static str> {
        bids::CATEGORIES.to_vec()
    }
}
