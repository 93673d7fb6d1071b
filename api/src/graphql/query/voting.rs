use crate::graphql::types::voting::{MyBallot, Turnout, VoteStatus};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::voting;
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
}
