use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::graphql::types::group::{Group, GroupInvitation};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::groups;
use async_graphql::{connection::Connection, Context, Object, ID};

#[derive(Default)]
pub struct GroupQuery;

#[Object]
impl GroupQuery {
    /// Community groups, by name.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn groups(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, Group>> {
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = groups::list(&state(ctx).db, req).await.gql()?;
        Ok(pagination::connection(page, req, Group))
    }

    async fn group(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Group> {
        Ok(Group(
            groups::get(&state(ctx).db, parse_id(&id, "group")?)
                .await
                .gql()?,
        ))
    }

    /// Invitations to join a group sent to the signed-in person's email
    /// address and not yet answered.
    async fn my_group_invitations(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<GroupInvitation>> {
        let actor = signed_in(ctx)?;
        Ok(groups::my_invitations(&state(ctx).db, actor)
            .await
            .gql()?
            .into_iter()
            .map(GroupInvitation)
            .collect())
    }
}
