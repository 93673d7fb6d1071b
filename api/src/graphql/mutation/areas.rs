use crate::graphql::types::area::{Area, CreateAreaInput, UpdateAreaInput};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::areas;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct AreaMutation;

#[Object]
impl AreaMutation {
    /// Officers: sets up an area.
    async fn create_area(
        &self,
        ctx: &Context<'_>,
        input: CreateAreaInput,
    ) -> async_graphql::Result<Area> {
        let actor = signed_in(ctx)?;
        let new = areas::NewArea {
            name: input.name,
            kind: input.kind,
            description: input.description,
            name_cy: input.name_cy,
            description_cy: input.description_cy,
            coverage: input.coverage,
        };
        Ok(Area(areas::create(&state(ctx).db, actor, new).await.gql()?))
    }

    /// Officers: changes an area's name, kind or description, in English
    /// or Welsh.
    async fn update_area(
        &self,
        ctx: &Context<'_>,
        area_id: ID,
        input: UpdateAreaInput,
    ) -> async_graphql::Result<Area> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&area_id, "area")?;
        Ok(Area(
            areas::update(
                &state(ctx).db,
                actor,
                id,
                areas::AreaChanges {
                    name: input.name,
                    kind: input.kind,
                    description: input.description,
                    name_cy: input.name_cy,
                    description_cy: input.description_cy,
                },
            )
            .await
            .gql()?,
        ))
    }

    /// Officers: replaces the postcodes, sectors and districts an area
    /// covers. Refused with SETTINGS_FROZEN while a round with a pot for the
    /// area is voting, closed or counted.
    async fn set_area_coverage(
        &self,
        ctx: &Context<'_>,
        area_id: ID,
        coverage: Vec<String>,
    ) -> async_graphql::Result<Area> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&area_id, "area")?;
        Ok(Area(
            areas::set_coverage(&state(ctx).db, actor, id, coverage)
                .await
                .gql()?,
        ))
    }
}
