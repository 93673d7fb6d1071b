//! Storage model of the `voting_codes` table: a participant's voting code
//! for a round, as a keyed hash, and (once they have texted with it) a
//! keyed hash of the phone number that used it. Never exposed through the
//! API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voting_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub participant_id: i64,
    pub code_hmac: String,
    pub phone_hmac: Option<String>,
    pub issued_by: Option<i64>,
    pub issued_at: DateTimeUtc,
    /// Set when the code was replaced by a new one.
    pub voided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
