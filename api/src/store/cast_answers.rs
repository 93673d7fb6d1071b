//! Storage model of the `cast_answers` table: the answer given to each
//! idempotency key while a round is voting, so that a retried cast gets the
//! same receipt and changes nothing. The tag is a keyed hash of the voter
//! and the key under the round's key; the answer is sealed with it.
//! Deleted for a round when its voting closes. Never exposed through the
//! API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cast_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key_tag: String,
    pub sealed: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
