//! Storage model of the `sealed_pots` table: each pot's ballots file
//! (pabulib `.pb`) exactly as sealed at the close of voting, with its
//! SHA-256 and its number of ballots, as the round log's `sealed` entry
//! records them. Every count of the round, corrections included, reads
//! this file.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sealed_pots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub pot_id: i64,
    pub ballots: i64,
    #[sea_orm(column_type = "Text")]
    pub ballots_pb: String,
    pub ballots_sha256: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
