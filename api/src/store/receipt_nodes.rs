//! Storage model of the `receipt_nodes` table: every node of a closed
//! round's receipt tree above the leaves, by level (1 is the parents of
//! leaves) and position, hex.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "receipt_nodes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub level: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i64,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
