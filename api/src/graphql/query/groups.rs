use crate::graphql::{parse_id, state, types::group::Group, Gql};
use crate::service::groups;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct GroupQuery;

#[Object]
impl GroupQuery {
    async fn groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Group>> {
        Ok(groups::list(&state(ctx).db)
            .await
            .gql()?
            .into_iter()
            .map(Group)
            .collect())
    }

    async fn group(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Group> {
        Ok(Group(
            groups::get(&state(ctx).db, parse_id(&id, "group")?)
                .await
                .gql()?,
        ))
    }
}
