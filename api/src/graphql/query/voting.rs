use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::graphql::types::verification::Verification;
use crate::graphql::types::voting::{MyBallot, Turnout, VoteStatus, VotingCodeBatch};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::{phone::codes, voting};
use async_graphql::connection::Connection;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct VotingQuery;

#[Object]
impl VotingQuery {
    /// Whether you have voted in a round, when and how; at any time.
    async fn my_vote(&self, ctx: &Context<'_>, round_id: ID) -> async_graphql::Result<VoteStatus> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(voting::my_status(&state(ctx).db, actor, id)
            .await
            .gql()?
            .into())
    }

    /// Your current ballot, while voting is open (null otherwise, or if you
    /// have not voted). Nobody else can see it.
    async fn my_ballot(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Option<MyBallot>> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(voting::my_ballot(state(ctx), actor, id)
            .await
            .gql()?
            .map(MyBallot))
    }

    /// Officers and councillors: who has voted so far, by area, channel and
    /// assurance. Never what anyone voted.
    async fn turnout(&self, ctx: &Context<'_>, round_id: ID) -> async_graphql::Result<Turnout> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(Turnout(
            voting::turnout(&state(ctx).db, actor, id).await.gql()?,
        ))
    }

    /// Officers: the verification a paper ballot form belongs to, from the
    /// 16-digit voting code printed on the letter it came with, to enter a
    /// form returned by post with `castAssistedBallot` (channel `PAPER`).
    /// Refused with INVALID_CODE for a code that is not a live code of this
    /// round (a newer letter voids the old code) and VOTING_CLOSED once
    /// voting has closed.
    async fn paper_form_voter(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        voting_code: String,
    ) -> async_graphql::Result<Verification> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(Verification(
            codes::paper_form_voter(state(ctx), actor, id, &voting_code)
                .await
                .gql()?,
        ))
    }

    /// Officers: a round's batches of voting codes whose letters can still
    /// be made again (not yet collected, and within their time), newest
    /// first.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn voting_code_batches(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, VotingCodeBatch>> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = codes::batches(state(ctx), actor, id, req).await.gql()?;
        Ok(pagination::connection(page, req, VotingCodeBatch::from))
    }
}
