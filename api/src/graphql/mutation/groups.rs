use crate::graphql::types::group::{Group, RegisterGroupInput};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::groups;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct GroupMutation;

#[Object]
impl GroupMutation {
    /// Registers a community group; you become its first member.
    async fn register_group(
        &self,
        ctx: &Context<'_>,
        input: RegisterGroupInput,
    ) -> async_graphql::Result<Group> {
        let actor = signed_in(ctx)?;
        let new = groups::NewGroup {
            name: input.name,
            description: input.description,
            contact_email: input.contact_email,
            area_id: parse_id(&input.area_id, "area")?,
        };
        Ok(Group(
            groups::register(&state(ctx).db, actor, new).await.gql()?,
        ))
    }

    /// Members: adds the person with this email address to the group.
    async fn add_group_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        email: String,
    ) -> async_graphql::Result<Group> {
        let actor = signed_in(ctx)?;
        let st = state(ctx);
        let id = parse_id(&group_id, "group")?;
        Ok(Group(
            groups::add_member(&st.db, &st.secret, actor, id, &email)
                .await
                .gql()?,
        ))
    }
}
