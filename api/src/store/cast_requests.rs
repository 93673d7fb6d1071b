//! Storage model of the `cast_requests` table: the receipt given for each
//! idempotency key (sealed with a key derived from the server secret), so
//! that a retried cast gets the same answer and changes nothing. Deleted for a round when its voting closes. Never exposed
//! through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cast_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub participant_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key_hmac: String,
    pub receipt_code: String,
    pub receipt_key: String,
    pub replaced: bool,
    pub cast_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
