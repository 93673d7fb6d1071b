//! Storage model of the `audit_events` table. Converted to domain types by the services; never exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_account_id: Option<i64>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    #[sea_orm(column_type = "Text")]
    pub details: String,
    /// Set on entries about a person's verification for a round: they are
    /// deleted with the round's verification data.
    pub purge_round_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
