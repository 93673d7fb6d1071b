//! Storage model of the `accounts` table. Converted to domain types by the services; never exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email_hmac: String,
    pub display_name: Option<String>,
    pub created_at: DateTimeUtc,
    pub last_sign_in_at: Option<DateTimeUtc>,
    /// `en` or `cy`: the language of the emails and texts we send.
    pub language: String,
    /// Set when the person deleted their account: the row then holds no
    /// personal data and no longer signs in.
    pub deleted_at: Option<DateTimeUtc>,
    /// When the person chose `language` (by the language switch, or by
    /// signing in from a page in it); until then it follows the pages they
    /// sign in from.
    pub language_chosen_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
