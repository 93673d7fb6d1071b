use crate::graphql::{parse_id, state, types::area::Area, Gql};
use crate::service::areas;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct AreaQuery;

#[Object]
impl AreaQuery {
    async fn areas(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Area>> {
        Ok(areas::list(&state(ctx).db)
            .await
            .gql()?
            .into_iter()
            .map(Area)
            .collect())
    }

    async fn area(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Area> {
        Ok(Area(
            areas::get(&state(ctx).db, parse_id(&id, "area")?)
                .await
                .gql()?,
        ))
    }
}
