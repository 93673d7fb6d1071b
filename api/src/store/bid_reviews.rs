//! Storage model of the `bid_reviews` table: every review decision on a bid,
//! with its reason. Converted to domain types by the services; never exposed
//! through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bid_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bid_id: i64,
    pub decision: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
