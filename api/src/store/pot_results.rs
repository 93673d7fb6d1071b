//! Storage model of the `pot_results` table: a pot's ballots as published
//! (pabulib text), its result (canonical JSON) and what the result shows,
//! in one result version.
//! Never exposed through the API directly.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pot_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version_id: i64,
    pub pot_id: i64,
    #[sea_orm(column_type = "Text")]
    pub ballots_pb: String,
    pub ballots_sha256: String,
    #[sea_orm(column_type = "Text")]
    pub result_json: String,
    pub result_sha256: String,
    /// What the result shows, worked out when it was stored
    /// (`service::results::summary::PotSummary`, JSON).
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
