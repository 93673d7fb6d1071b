//! Storage model of the `voting_code_batches` table: a batch of voting
//! codes issued together, with its letters (the codes as printed, and the
//! names and addresses given for them) sealed with a key derived from the
//! server secret, so that the letters can be made again if printing fails
//! or the answer is lost. Deleted once an officer has the letters safe,
//! after a day, and when the round's voting closes. Never exposed through
//! the API as it is stored.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voting_code_batches")]
pub struct Model {
    /// A random UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub round_id: i64,
    pub issued_by: Option<i64>,
    /// How many letters (codes) the batch holds.
    pub letters: i32,
    /// How many people still had no code after it.
    pub remaining: i32,
    /// The letters, sealed (`service::phone::codes`).
    pub sealed: String,
    pub issued_at: DateTimeUtc,
    pub kept_until: DateTimeUtc,
    /// How far through its letters, in order, posting through GOV.UK
    /// Notify has gone (each posted, or left out as its code was replaced).
    pub posted: i32,
    /// Until when an officer's request to post the letters holds it.
    pub posting_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
