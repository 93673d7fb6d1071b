//! Storage model of the `phone_messages` table: the reply given to each
//! inbound text message, by the gateway's message identifier, so that a
//! retried webhook gets the same reply. Never the sender's number. Deleted
//! after a day and when the round's voting closes.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "phone_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub message_sid: String,
    pub round_id: Option<i64>,
    pub reply: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
