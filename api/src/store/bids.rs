//! Storage model of the `bids` table. Converted to domain types by the services; never exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bids")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub pot_id: i64,
    pub group_id: i64,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub title_cy: Option<String>,
    pub summary_cy: Option<String>,
    pub description_cy: Option<String>,
    pub cost_pence: i64,
    pub category: String,
    #[sea_orm(column_type = "Text")]
    pub location_address: Option<String>,
    pub location_lat_e6: Option<i64>,
    pub location_lng_e6: Option<i64>,
    /// The part of the pot's area the bid is for; `None`: all of it.
    pub locality_area_id: Option<i64>,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub review_reason: Option<String>,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub submitted_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
