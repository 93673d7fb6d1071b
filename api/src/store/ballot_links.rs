//! Storage model of the `ballot_links` table: which ballot is a
//! participant's current one, so that they can replace it. The only link
//! between a person and a ballot; every row of a round is deleted when its
//! voting closes. Never exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ballot_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub round_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub participant_id: i64,
    pub ballot_id: String,
    pub channel: String,
    pub cast_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
