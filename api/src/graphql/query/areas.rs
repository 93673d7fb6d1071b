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

    async fn area(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Area> {
        Ok(Area(
            areas::get(&state(ctx).db, parse_id(&id, "area")?)
                .await
                .gql()?,
        ))
    }
}
