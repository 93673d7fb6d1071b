use crate::graphql::types::group::{Group, GroupInvitation, RegisterGroupInput};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::groups;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct GroupMutation;

#[Object]
impl GroupMutation {
    /// Registers a community group; you become its first member. Names are
    /// unique whatever their case or accents (NAME_TAKEN).
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

    /// Members: invites the person with this email address to join the
    /// group. They are emailed, and join only if they accept.
    async fn invite_group_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        email: String,
    ) -> async_graphql::Result<GroupInvitation> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&group_id, "group")?;
        Ok(GroupInvitation(
            groups::invite(
                state(ctx),
                actor,
                id,
                &crate::service::parse_email(&email).gql()?,
            )
            .await
            .gql()?,
        ))
    }

    /// The invited person accepts (joins the group) or declines.
    async fn answer_group_invitation(
        &self,
        ctx: &Context<'_>,
        invitation_id: ID,
        accept: bool,
    ) -> async_graphql::Result<GroupInvitation> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&invitation_id, "invitation")?;
        Ok(GroupInvitation(
            groups::answer(&state(ctx).db, actor, id, accept)
                .await
                .gql()?,
        ))
    }

    /// Members: withdraws an invitation that has not been answered.
    async fn revoke_group_invitation(
        &self,
        ctx: &Context<'_>,
        invitation_id: ID,
    ) -> async_graphql::Result<GroupInvitation> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&invitation_id, "invitation")?;
        Ok(GroupInvitation(
            groups::revoke_invitation(&state(ctx).db, actor, id)
                .await
                .gql()?,
        ))
    }

    /// Members: removes a member. Refused with LAST_MEMBER for the only one.
    async fn remove_group_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        account_id: ID,
    ) -> async_graphql::Result<Group> {
        let actor = signed_in(ctx)?;
        let group = parse_id(&group_id, "group")?;
        let account = parse_id(&account_id, "member")?;
        Ok(Group(
            groups::remove_member(&state(ctx).db, actor, group, account)
                .await
                .gql()?,
        ))
    }

    /// Leaves a group. Refused with LAST_MEMBER for the only member.
    async fn leave_group(&self, ctx: &Context<'_>, group_id: ID) -> async_graphql::Result<Group> {
        let actor = signed_in(ctx)?;
        let group = parse_id(&group_id, "group")?;
        Ok(Group(
            groups::remove_member(&state(ctx).db, actor, group, actor.account_id)
                .await
                .gql()?,
        ))
    }
}
