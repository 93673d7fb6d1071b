//! Storage model of the `delivery_updates` table: what a bid's group says
//! about its delivery, public once an officer approves it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_updates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub delivery_id: i64,
    /// Who posted it; emptied when their account is deleted.
    pub account_id: Option<i64>,
    pub body: String,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    /// Why it was not approved.
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
