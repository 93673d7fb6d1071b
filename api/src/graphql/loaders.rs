//! Batched loading of related records, so that a list of bids or pots costs
//! one query for their areas rather than one query each. Loaders live for
//! one request.
use super::Gql;
use crate::error::ServiceError;
use crate::service::areas::{self, Area};
use async_graphql::{dataloader::DataLoader, dataloader::Loader, Context};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;

pub struct AreaLoader {
    db: DatabaseConnection,
}

impl Loader<i64> for AreaLoader {
    type Value = Area;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Area>, Self::Error> {
        let found = areas::get_many(&self.db, keys).await.gql()?;
        Ok(found.into_iter().map(|a| (a.id, a)).collect())
    }
}

pub fn area_loader(db: DatabaseConnection) -> DataLoader<AreaLoader> {
    DataLoader::new(AreaLoader { db }, tokio::spawn)
}

/// The area with this identifier, through the request's loader.
pub(crate) async fn area(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Area> {
    let found = match ctx.data_opt::<DataLoader<AreaLoader>>() {
        Some(loader) => loader.load_one(id).await?,
        None => Some(areas::get(&super::state(ctx).db, id).await.gql()?),
    };
    found.ok_or_else(|| super::to_gql(ServiceError::not_found("area")))
}
