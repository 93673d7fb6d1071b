//! Storage model of the `result_versions` table: one count of a round (the
//! first, or a correction with its reason), provisional until published.
//! Never exposed through the API directly.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "result_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub version: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub config_json: String,
    /// JSON list of bid identifiers left out of this count.
    #[sea_orm(column_type = "Text")]
    pub excluded_bids: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub published_by: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
