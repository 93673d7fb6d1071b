//! Storage model of the `population_imports` table: the version of the
//! population figures (per area) and of the deprivation look-up in use.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "population_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `population` or `deprivation`.
    pub kind: String,
    pub area_id: Option<i64>,
    /// What the officer said the figures are (`ONS mid-2022 estimates`).
    pub source: String,
    pub rows: i64,
    pub imported_by: Option<i64>,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
