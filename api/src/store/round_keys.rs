//! Storage model of the `round_keys` table: each voting round's random
//! key, sealed with a key derived from the server secret. Under it, while
//! the round is voting, ballots are sealed and voters' tags computed. The
//! row is deleted in the transaction that closes voting. Never exposed
//! through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i64,
    pub sealed_key: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
