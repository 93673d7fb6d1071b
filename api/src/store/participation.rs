//! Storage model of the `participation` table: that a participant voted,
//! where, how and when (for turnout and disputes), never which ballot.
//! Never exposed through the API except as counts.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub participant_id: Option<i64>,
    pub pot_id: i64,
    pub channel: String,
    pub assurance: String,
    pub first_voted_at: DateTimeUtc,
    pub last_voted_at: DateTimeUtc,
    /// The voter's age band (`AgeBand::key`) on the day it was worked out.
    pub age_band: Option<String>,
    /// The deprivation decile of the voter's postcode, when it was known.
    pub deprivation_decile: Option<i16>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
