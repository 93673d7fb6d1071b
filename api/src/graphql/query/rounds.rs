use crate::graphql::types::round::{Phase, Round};
use crate::graphql::{caller, parse_id, state, Gql};
use crate::service::rounds;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct RoundQuery;

#[Object]
impl RoundQuery {
    /// Funding rounds, newest first. Drafts are listed only for officers and
    /// councillors.
    async fn rounds(
        &self,
        ctx: &Context<'_>,
        phase: Option<Phase>,
    ) -> async_graphql::Result<Vec<Round>> {
        Ok(
            rounds::list(&state(ctx).db, caller(ctx), phase.map(Into::into))
                .await
                .gql()?
                .into_iter()
                .map(Round)
                .collect(),
        )
    }

    async fn round(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Round> {
        Ok(Round(
            rounds::get(&state(ctx).db, caller(ctx), parse_id(&id, "round")?)
                .await
                .gql()?,
        ))
    }
}
