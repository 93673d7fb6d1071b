//! Storage model of the `rounds` table. Converted to domain types by the services; never exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub title_cy: Option<String>,
    pub description_cy: Option<String>,
    pub phase: String,
    pub bids_open_at: Option<DateTimeUtc>,
    pub bids_close_at: Option<DateTimeUtc>,
    pub voting_opens_at: Option<DateTimeUtc>,
    pub voting_closes_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub ballot_settings: String,
    #[sea_orm(column_type = "Text")]
    pub counting_rule: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub phase_changed_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub eligibility: String,
    pub verification_purged_at: Option<DateTimeUtc>,
    /// Why the last count failed, for officers; cleared by a count that
    /// succeeds.
    #[sea_orm(column_type = "Text", nullable)]
    pub count_error: Option<String>,
    /// The close checkpoint: the hash of the round log's `sealed` entry,
    /// set in the transaction that closes voting.
    pub close_checkpoint: Option<String>,
    /// The council's Ed25519 signature of the checkpoint, hex.
    pub close_signature: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
