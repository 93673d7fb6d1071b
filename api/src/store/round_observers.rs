//! Storage model of the `round_observers` table: people who asked to be
//! sent a round's close checkpoint. The address is sealed with a key
//! derived from the server secret and used for that one email; the row goes
//! when they stop observing, when their account is deleted and with the
//! round's verification data.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round_observers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub account_id: i64,
    pub email_sealed: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
