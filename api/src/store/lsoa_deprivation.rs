//! Storage model of the `lsoa_deprivation` table: a neighbourhood's
//! deprivation decile (1 is the most deprived tenth of its nation).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lsoa_deprivation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lsoa_code: String,
    pub decile: i16,
    /// `IMD` (England) or `WIMD` (Wales).
    pub index_name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
