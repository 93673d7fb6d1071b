//! Storage model of the `verified_participants` table: who may take part in a
//! round, as keyed hashes. Converted to domain types by the services; never
//! exposed through the API.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "verified_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub account_id: Option<i64>,
    pub area_id: i64,
    pub relation: String,
    /// Keyed hash of the normalised name and date of birth: one person.
    pub identity_hmac: String,
    /// Keyed hash of name, date of birth and postcode, matched against the
    /// register.
    pub residence_hmac: Option<String>,
    /// Held for an officer's check (a similar identity is already verified):
    /// not eligible to vote until resolved.
    pub held: bool,
    /// Keyed hash of the phone number: one number verifies one person.
    pub phone_hmac: Option<String>,
    /// Whether that number was proven by a code sent to it (a text-message
    /// verification code). Only then does it identify a texter without a
    /// voting code; a number an officer typed never does.
    pub phone_proven: bool,
    pub email_hmac: Option<String>,
    /// Comma-separated methods proven, like `postcode,sms`.
    pub methods: String,
    pub age_checked_min: Option<i32>,
    pub evidence: Option<String>,
    pub recorded_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub verified_at: Option<DateTimeUtc>,
    /// The age band (`AgeBand::key`), from the date of birth; the date
    /// itself is not kept.
    pub age_band: Option<String>,
    /// The deprivation decile of the postcode, when the look-up knew it;
    /// the postcode itself is not kept.
    pub deprivation_decile: Option<i16>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
