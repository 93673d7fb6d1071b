//! Storage model of the `sealed_ballots` table: the current ballot of each
//! voter while a round is voting. The identifier is a keyed hash of the
//! voter under the round's key, and everything else but the pot is sealed
//! with that key (content, commitment, channel, time). At the close every
//! row is opened, written to `ballots` under a fresh random identifier,
//! and deleted. Never exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sealed_ballots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub round_id: i64,
    pub pot_id: i64,
    pub sealed: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
