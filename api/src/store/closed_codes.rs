//! Storage model of the `closed_codes` table: the keyed hash of each voting
//! code of a round whose voting has closed, and the round. Nothing ties it
//! to a person, a phone or a ballot; it lets the phone channels say
//! "voting has closed" to a code from a letter. Never exposed through the
//! API; purged with the round's verification data.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "closed_codes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code_hmac: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
