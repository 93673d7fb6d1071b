//! Storage model of the `identity_keys` table: keyed hashes of a date of
//! birth with each word of a name, so that similar identities (a typo, a
//! dropped middle name) can be found without storing names. Converted to
//! domain types by the services; never exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "identity_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub participant_id: i64,
    pub key_hmac: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
