//! Storage model of the `ballots` table: what was voted, kept apart from
//! who voted. A random identifier, the pot, the canonical content, the
//! receipt commitment and (at close, only where enough ballots share it)
//! the channel, and (from the commitment) its leaf in the receipt tree and
//! its receipt key; no timestamp, no sequence. Converted to domain types by the
//! services; never exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ballots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub round_id: i64,
    pub pot_id: i64,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub commitment: String,
    pub channel: Option<String>,
    /// Its place among the round's sorted commitments: its leaf in the
    /// receipt tree. Written at the close.
    pub leaf: Option<i64>,
    /// The first 64 bits of the commitment, big-endian, as a number: what
    /// a receipt code is looked up by. Written at the close.
    pub receipt_key: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
