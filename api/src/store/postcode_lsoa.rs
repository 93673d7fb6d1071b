//! Storage model of the `postcode_lsoa` table: which neighbourhood (LSOA)
//! a postcode is in. Public data, from the ONS postcode look-up.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "postcode_lsoa")]
pub struct Model {
    /// The postcode as `Postcode::full` writes it (`LS6 1AB`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub postcode: String,
    pub lsoa_code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
