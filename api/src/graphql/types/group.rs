use super::{area::Area, bid::Bid};
use crate::graphql::{state, Gql};
use crate::service::{bids, groups};
use async_graphql::{Context, InputObject, Object, ID};

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
            crate::graphql::loaders::area(ctx, self.0.area_id).await?,
        ))
    }
    async fn bids(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Bid>> {
        Ok(bids::of_group(&state(ctx).db, self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(Bid)
            .collect())
    }
}

#[derive(InputObject)]
pub struct RegisterGroupInput {
    pub name: String,
    pub description: String,
    pub contact_email: String,
    pub area_id: ID,
}
