//! Storage model of the `deliveries` table: one a funded bid, after the
//! vote (`service::delivery`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub pot_id: i64,
    #[sea_orm(unique)]
    pub bid_id: i64,
    pub award_pence: i64,
    /// `planned`, `in_progress`, `delivered`, `delayed` or `cancelled`.
    pub status: String,
    /// Why it is delayed or cancelled.
    pub status_reason: Option<String>,
    pub spent_pence: i64,
    /// The officer's reason for spending more than the award.
    pub overspend_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
