//! Storage model of the `area_population` table: an area's population by
//! single year of age, one row a geography of the imported estimates.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "area_population")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub area_id: i64,
    /// The ONS code of the geography (an LSOA like `E01011295`, or a ward).
    pub geography_code: String,
    pub geography_name: String,
    /// A JSON array of 91 counts: ages 0 to 89, then 90 and over.
    #[sea_orm(column_type = "Text")]
    pub people_by_age: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
