//! Storage model of the `phone_calls` table: where each telephone call has
//! got to (JSON), keyed by the gateway's call identifier, so that any
//! instance can answer the call's next step. Deleted when the call ends
//! badly, an hour after it was last touched, and when voting closes.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "phone_calls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub call_sid: String,
    pub round_id: Option<i64>,
    pub state: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
