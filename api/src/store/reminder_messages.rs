//! Storage model of the `reminder_messages` table: the reminders' queue,
//! one row a subscription and message (`opens`, `closing`, `results`),
//! unique on the two. `status` is `pending`, `done` (sent, or not needed:
//! never which) or `failed` (given up after retries).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminder_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subscription_id: i64,
    pub round_id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// An instance sending it holds it until then.
    pub claimed_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
