use crate::error::ServiceError;
use crate::graphql::types::bid::{
    Bid, BidDetailsInput, BidDraftInput, ReviewDecision, SaveBidDraftInput, SubmitBidInput,
};
use crate::graphql::{parse_id, signed_in, state, to_gql, Gql};
use crate::service::{bid_drafts, bids};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct BidMutation;

fn draft_details(input: BidDraftInput) -> async_graphql::Result<bid_drafts::DraftDetails> {
    input
        .into_domain()
        .map_err(|m| to_gql(ServiceError::invalid("location", m)))
}

fn details(input: BidDetailsInput) -> async_graphql::Result<bids::BidDetails> {
    input
        .into_domain()
        .map_err(|m| to_gql(ServiceError::invalid("location", m)))
}

#[Object]
impl BidMutation {
    /// Group members: submits a bid into a round whose bids are open.
    async fn submit_bid(
        &self,
        ctx: &Context<'_>,
        input: SubmitBidInput,
    ) -> async_graphql::Result<Bid> {
        let actor = signed_in(ctx)?;
        let new = bids::NewBid {
            round_id: parse_id(&input.round_id, "round")?,
            group_id: parse_id(&input.group_id, "group")?,
            area_id: parse_id(&input.area_id, "area")?,
            details: details(input.details)?,
        };
        Ok(Bid(bids::submit(&state(ctx).db, actor, new).await.gql()?))
    }

    /// Group members: saves an unfinished bid as a draft, while the round's
    /// bids are open. Only the title is required. A draft is seen only by
    /// the group's members, until it is submitted with `submitBidDraft`.
    async fn save_bid_draft(
        &self,
        ctx: &Context<'_>,
        input: SaveBidDraftInput,
    ) -> async_graphql::Result<Bid> {
        let actor = signed_in(ctx)?;
        let new = bid_drafts::NewDraft {
            round_id: parse_id(&input.round_id, "round")?,
            group_id: parse_id(&input.group_id, "group")?,
            area_id: parse_id(&input.area_id, "area")?,
            details: draft_details(input.details)?,
        };
        Ok(Bid(bid_drafts::save(&state(ctx).db, actor, new)
            .await
            .gql()?))
    }

    /// Group members: replaces what a draft holds, while bids are open.
    async fn update_bid_draft(
        &self,
        ctx: &Context<'_>,
        id: ID,
        details: BidDraftInput,
    ) -> async_graphql::Result<Bid> {
        let actor = signed_in(ctx)?;
        Ok(Bid(bid_drafts::update(
            &state(ctx).db,
            actor,
            parse_id(&id, "bid")?,
            draft_details(details)?,
        )
        .await
        .gql()?))
    }

    /// Group members: sends a finished draft; it becomes SUBMITTED. Refused
    /// with INVALID_INPUT naming what is missing if it is not finished, and
    /// with the checks `submitBid` makes (bids open, cost within the pot).
    async fn submit_bid_draft(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Bid> {
        let actor = signed_in(ctx)?;
        Ok(Bid(bid_drafts::submit(
            &state(ctx).db,
            actor,
            parse_id(&id, "bid")?,
        )
        .await
        .gql()?))
    }

    /// Group members: deletes a draft, at any time. Returns its identifier.
    async fn delete_bid_draft(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let actor = signed_in(ctx)?;
        bid_drafts::delete(&state(ctx).db, actor, parse_id(&id, "bid")?)
            .await
            .gql()?;
        Ok(id)
    }

    /// Group members: edits a bid until bids close, or (until it is
    /// resubmitted) when an officer asked for changes. Editing a bid that
    /// was already found eligible or ineligible sends it back for review.
    async fn update_bid(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(name = "details")] details_input: BidDetailsInput,
    ) -> async_graphql::Result<Bid> {
        let actor = signed_in(ctx)?;
        Ok(Bid(bids::update(
            &state(ctx).db,
            actor,
            parse_id(&id, "bid")?,
            details(details_input)?,
        )
        .await
        .gql()?))
    }

    /// Group members: sends a bid that an officer asked to change back for
    /// review.
    async fn resubmit_bid(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Bid> {
        let actor = signed_in(ctx)?;
        Ok(Bid(bids::resubmit(
            &state(ctx).db,
            actor,
            parse_id(&id, "bid")?,
        )
        .await
        .gql()?))
    }

    /// Group members: withdraws a bid, until voting opens.
    async fn withdraw_bid(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Bid> {
        let actor = signed_in(ctx)?;
        Ok(Bid(bids::withdraw(
            &state(ctx).db,
            actor,
            parse_id(&id, "bid")?,
        )
        .await
        .gql()?))
    }

    /// Officers: records a bid's review. A reason is required unless
    /// eligible. Refused with CONFLICT_OF_INTEREST for a member of the
    /// bid's group.
    async fn review_bid(
        &self,
        ctx: &Context<'_>,
        id: ID,
        decision: ReviewDecision,
        reason: Option<String>,
    ) -> async_graphql::Result<Bid> {
        let actor = signed_in(ctx)?;
        Ok(Bid(bids::review_and_tell(
            state(ctx),
            actor,
            parse_id(&id, "bid")?,
            decision.into(),
            reason,
        )
        .await
        .gql()?))
    }
}
