//! Storage model of the `ballot_duplicates` table: a person voted both on
//! paper (or through an officer) and online; which channel's ballot the
//! round's policy kept. No person, no ballot. Never exposed through the API
//! except as counts.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ballot_duplicates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub kept_channel: String,
    pub dropped_channel: String,
    pub day: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
