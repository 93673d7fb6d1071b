//! Storage model of the `reminder_subscriptions` table: who asked to be
//! reminded about a round, by email or text, and in which language. The
//! address or number is sealed with a key derived from the server secret
//! and used only for these reminders; its keyed hash lets `STOP` from a
//! number find it. Deleted when they stop, with their verification and with
//! the round's verification data.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminder_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub participant_id: i64,
    pub account_id: Option<i64>,
    /// `email` or `sms`.
    pub channel: String,
    /// `en` or `cy`.
    pub language: String,
    #[sea_orm(column_type = "Text")]
    pub contact_sealed: String,
    pub contact_hmac: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
