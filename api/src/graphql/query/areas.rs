use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::graphql::{parse_id, state, types::area::Area, Gql};
use crate::service::areas;
use async_graphql::{connection::Connection, Context, Object, ID};

#[derive(Default)]
pub struct AreaQuery;

#[Object]
impl AreaQuery {
    /// Areas, by name.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn areas(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, Area>> {
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = areas::list(&state(ctx).db, req).await.gql()?;
        Ok(pagination::connection(page, req, Area))
    }

    /// Officers and councillors: the postcode → deprivation decile
    /// look-up in use, or null.
    async fn deprivation_lookup(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::types::population::DeprivationLookup>> {
        let actor = crate::graphql::signed_in(ctx)?;
        Ok(crate::service::population::lookup(&state(ctx).db, actor)
            .await
            .gql()?
            .map(crate::graphql::types::population::DeprivationLookup))
    }

    async fn area(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Area> {
        Ok(Area(
            areas::get(&state(ctx).db, parse_id(&id, "area")?)
                .await
                .gql()?,
        ))
    }
}
