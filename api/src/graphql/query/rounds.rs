use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::graphql::types::round::{Phase, Round};
use crate::graphql::{caller, parse_id, state, Gql};
use crate::service::rounds;
use async_graphql::{connection::Connection, Context, Object, ID};

#[derive(Default)]
pub struct RoundQuery;

#[Object]
impl RoundQuery {
    /// Funding rounds, newest first. Drafts are listed only for officers and
    /// councillors.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn rounds(
        &self,
        ctx: &Context<'_>,
        phase: Option<Phase>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, Round>> {
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = rounds::list(&state(ctx).db, caller(ctx), phase.map(Into::into), req)
            .await
            .gql()?;
        Ok(pagination::connection(page, req, Round))
    }

    async fn round(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Round> {
        Ok(Round(
            rounds::get(&state(ctx).db, caller(ctx), parse_id(&id, "round")?)
                .await
                .gql()?,
        ))
    }
}
