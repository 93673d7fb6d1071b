use super::{area::Area, bid::Bid};
use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::graphql::{caller, signed_in, state, Gql};
use crate::service::{bids, groups};
use async_graphql::{connection::Connection, Context, Enum, InputObject, Object, ID};
use chrono::{DateTime, Utc};

pub struct Group(pub groups::Group);

/// A community group that puts bids into rounds.
#[Object]
impl Group {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The group's public contact address.
    async fn contact_email(&self) -> &str {
        &self.0.contact_email
    }
    /// The area the group works in.
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Area> {
        Ok(Area(
            crate::graphql::loaders::area(ctx, self.0.area_id.get()).await?,
        ))
    }
    /// The group's bids; withdrawn ones only for its members.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn bids(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, Bid>> {
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = bids::of_group(&state(ctx).db, caller(ctx), self.0.id, req)
            .await
            .gql()?;
        Ok(pagination::connection(page, req, Bid))
    }
    /// Members only: who is in the group.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, GroupMember>> {
        let actor = signed_in(ctx)?;
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = groups::members(&state(ctx).db, actor, self.0.id, req)
            .await
            .gql()?;
        Ok(pagination::connection(page, req, GroupMember))
    }
    /// Members only: invitations sent and not yet answered.
    async fn pending_invitations(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<GroupInvitation>> {
        let actor = signed_in(ctx)?;
        Ok(groups::invitations(&state(ctx).db, actor, self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(GroupInvitation)
            .collect())
    }
}

pub struct GroupMember(pub groups::Member);

/// A member of a community group, as the other members see them.
#[Object]
impl GroupMember {
    async fn account_id(&self) -> ID {
        ID(self.0.account_id.to_string())
    }
    /// The name the member chose for themselves, if any.
    async fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }
    async fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "groups::InvitationStatus")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
    Revoked,
    Expired,
}

pub struct GroupInvitation(pub groups::Invitation);

/// An invitation to join a group, sent by email. The address is not kept:
/// only a keyed hash of it, and while the invitation is open a hint of it
/// for the group's members.
#[Object]
impl GroupInvitation {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn group(&self, ctx: &Context<'_>) -> async_graphql::Result<Group> {
        Ok(Group(
            crate::graphql::loaders::group(ctx, self.0.group_id.get()).await?,
        ))
    }
    async fn status(&self) -> InvitationStatus {
        self.0.status.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    /// Who it is for, while it is open: the address's first letter and its
    /// domain (`j•••@example.org`); null once it is answered, withdrawn,
    /// replaced or expired.
    async fn address_hint(&self) -> Option<&str> {
        self.0.address_hint.as_deref()
    }
}

#[derive(InputObject)]
pub struct RegisterGroupInput {
    pub name: String,
    pub description: String,
    pub contact_email: String,
    pub area_id: ID,
}
