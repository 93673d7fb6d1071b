//! Batched loading of related records, so that a list of bids or pots costs
//! one query for their areas, groups and rounds rather than one query each.
//! Loaders live for one request.
use super::Gql;
use crate::domain::id::{AreaId, BidId, GroupId, RoundId};
use crate::error::ServiceError;
use crate::service::{
    areas::{self, Area},
    bids::{self, Bid},
    groups::{self, Group},
    rounds::{self, Round},
};
use async_graphql::{dataloader::DataLoader, dataloader::Loader, Context};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;

pub struct AreaLoader {
    db: DatabaseConnection,
}

impl Loader<AreaId> for AreaLoader {
    type Value = Area;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[AreaId]) -> Result<HashMap<AreaId, Area>, Self::Error> {
        let found = areas::get_many(&self.db, keys).await.gql()?;
        Ok(found.into_iter().map(|a| (a.id, a)).collect())
    }
}

pub struct GroupLoader {
    db: DatabaseConnection,
}

impl Loader<GroupId> for GroupLoader {
    type Value = Group;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[GroupId]) -> Result<HashMap<GroupId, Group>, Self::Error> {
        let found = groups::get_many(&self.db, keys).await.gql()?;
        Ok(found.into_iter().map(|g| (g.id, g)).collect())
    }
}

/// Bids by identifier, whatever their status: the resolver decides who may
/// see them (a result names only bids that were on the ballot).
pub struct BidLoader {
    db: DatabaseConnection,
}

impl Loader<BidId> for BidLoader {
    type Value = Bid;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[BidId]) -> Result<HashMap<BidId, Bid>, Self::Error> {
        let found = bids::get_many(&self.db, keys).await.gql()?;
        Ok(found.into_iter().map(|b| (b.id, b)).collect())
    }
}

/// Rounds by identifier, whatever their phase: the resolver decides who
/// may see them.
pub struct RoundLoader {
    db: DatabaseConnection,
}

impl Loader<RoundId> for RoundLoader {
    type Value = Round;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[RoundId]) -> Result<HashMap<RoundId, Round>, Self::Error> {
        let found = rounds::get_many(&self.db, keys).await.gql()?;
        Ok(found.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// The loaders of one request.
pub fn attach(request: async_graphql::Request, db: &DatabaseConnection) -> async_graphql::Request {
    request
        .data(DataLoader::new(AreaLoader { db: db.clone() }, tokio::spawn))
        .data(DataLoader::new(
            GroupLoader { db: db.clone() },
            tokio::spawn,
        ))
        .data(DataLoader::new(
            RoundLoader { db: db.clone() },
            tokio::spawn,
        ))
        .data(DataLoader::new(BidLoader { db: db.clone() }, tokio::spawn))
}

/// The bid with this identifier, through the request's loader.
pub(crate) async fn bid(ctx: &Context<'_>, id: BidId) -> async_graphql::Result<Bid> {
    let found = match ctx.data_opt::<DataLoader<BidLoader>>() {
        Some(loader) => loader.load_one(id).await?,
        None => Some(bids::get(&super::state(ctx).db, id).await.gql()?),
    };
    found.ok_or_else(|| super::to_gql(ServiceError::not_found("bid")))
}

/// The bids with these identifiers, in the order given, through the
/// request's loader.
pub(crate) async fn bids(ctx: &Context<'_>, ids: &[BidId]) -> async_graphql::Result<Vec<Bid>> {
    let mut found = match ctx.data_opt::<DataLoader<BidLoader>>() {
        Some(loader) => loader.load_many(ids.iter().copied()).await?,
        None => bids::get_many(&super::state(ctx).db, ids)
            .await
            .gql()?
            .into_iter()
            .map(|b| (b.id, b))
            .collect(),
    };
    ids.iter()
        .map(|id| {
            found
                .remove(id)
                .ok_or_else(|| super::to_gql(ServiceError::not_found("bid")))
        })
        .collect()
}

/// The area with this identifier, through the request's loader.
pub(crate) async fn area(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Area> {
    let found = match ctx.data_opt::<DataLoader<AreaLoader>>() {
        Some(loader) => loader.load_one(id.into()).await?,
        None => Some(areas::get(&super::state(ctx).db, id.into()).await.gql()?),
    };
    found.ok_or_else(|| super::to_gql(ServiceError::not_found("area")))
}

/// The group with this identifier, through the request's loader.
pub(crate) async fn group(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Group> {
    let found = match ctx.data_opt::<DataLoader<GroupLoader>>() {
        Some(loader) => loader.load_one(id.into()).await?,
        None => Some(groups::get(&super::state(ctx).db, id.into()).await.gql()?),
    };
    found.ok_or_else(|| super::to_gql(ServiceError::not_found("group")))
}

/// The round with this identifier, if the caller may see it, through the
/// request's loader.
pub(crate) async fn round(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Round> {
    let found = match ctx.data_opt::<DataLoader<RoundLoader>>() {
        Some(loader) => loader.load_one(id.into()).await?,
        None => Some(rounds::load(&super::state(ctx).db, id.into()).await.gql()?),
    };
    found
        .filter(|r| rounds::may_see(super::caller(ctx), r.phase))
        .ok_or_else(|| super::to_gql(ServiceError::not_found("round")))
}
