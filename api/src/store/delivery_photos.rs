//! Storage model of the `delivery_photos` table: a photo of an update, as
//! re-encoded on upload (no EXIF, no location).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_photos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub update_id: i64,
    pub position: i32,
    pub alt_text: String,
    /// `image/jpeg` or `image/png`.
    pub content_type: String,
    pub data: Vec<u8>,
    pub width: i32,
    pub height: i32,
    pub sha256: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
