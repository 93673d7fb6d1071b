//! Eligibility rules, verification records and register import reports.
use super::area::Area;
use crate::domain::{self, eligibility};
use crate::service::{register, verification};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

/// How a person is connected to an area.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Live,
    Work,
    Study,
}

impl From<domain::Relation> for Relation {
    fn from(r: domain::Relation) -> Self {
        match r {
            domain::Relation::Live => Relation::Live,
            domain::Relation::Work => Relation::Work,
            domain::Relation::Study => Relation::Study,
        }
    }
}

impl From<Relation> for domain::Relation {
    fn from(r: Relation) -> Self {
        match r {
            Relation::Live => domain::Relation::Live,
            Relation::Work => domain::Relation::Work,
            Relation::Study => domain::Relation::Study,
        }
    }
}

/// A way of proving eligibility.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum VerificationMethod {
    /// The resident's own statement of their postcode.
    Postcode,
    /// A one-time code sent by text message to a UK mobile.
    Sms,
    /// A one-time code sent by email.
    Email,
    /// A match against the register the council imported.
    Register,
    /// An officer checked the person in person or by phone.
    InPerson,
}

impl From<domain::Method> for VerificationMethod {
    fn from(m: domain::Method) -> Self {
        match m {
            domain::Method::Postcode => VerificationMethod::Postcode,
            domain::Method::Sms => VerificationMethod::Sms,
            domain::Method::Email => VerificationMethod::Email,
            domain::Method::Register => VerificationMethod::Register,
            domain::Method::InPerson => VerificationMethod::InPerson,
        }
    }
}

impl From<VerificationMethod> for domain::Method {
    fn from(m: VerificationMethod) -> Self {
        match m {
            VerificationMethod::Postcode => domain::Method::Postcode,
            VerificationMethod::Sms => domain::Method::Sms,
            VerificationMethod::Email => domain::Method::Email,
            VerificationMethod::Register => domain::Method::Register,
            VerificationMethod::InPerson => domain::Method::InPerson,
        }
    }
}

/// What an officer checked when verifying someone in person.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    PhotoId,
    ProofOfAddress,
    CouncilRecord,
    PhoneCallChecks,
    KnownToOfficer,
}

impl From<domain::Evidence> for Evidence {
    fn from(e: domain::Evidence) -> Self {
        match e {
            domain::Evidence::PhotoId => Evidence::PhotoId,
            domain::Evidence::ProofOfAddress => Evidence::ProofOfAddress,
            domain::Evidence::CouncilRecord => Evidence::CouncilRecord,
            domain::Evidence::PhoneCallChecks => Evidence::PhoneCallChecks,
            domain::Evidence::KnownToOfficer => Evidence::KnownToOfficer,
        }
    }
}

impl From<Evidence> for domain::Evidence {
    fn from(e: Evidence) -> Self {
        match e {
            Evidence::PhotoId => domain::Evidence::PhotoId,
            Evidence::ProofOfAddress => domain::Evidence::ProofOfAddress,
            Evidence::CouncilRecord => domain::Evidence::CouncilRecord,
            Evidence::PhoneCallChecks => domain::Evidence::PhoneCallChecks,
            Evidence::KnownToOfficer => domain::Evidence::KnownToOfficer,
        }
    }
}

/// Who may take part in a round. Frozen once voting opens.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "EligibilityInput")]
pub struct Eligibility {
    /// Which connections to an area count.
    pub relations: Vec<Relation>,
    /// The youngest age at which a person may take part (on the day voting
    /// closes, or today if that is not scheduled).
    pub min_age: Option<u32>,
    /// Which proofs the round accepts.
    pub methods: Vec<VerificationMethod>,
    /// Whether a self-declared postcode is enough by itself.
    pub postcode_alone_enough: bool,
}

impl From<eligibility::Eligibility> for Eligibility {
    fn from(e: eligibility::Eligibility) -> Self {
        Eligibility {
            relations: e.relations.into_iter().map(Into::into).collect(),
            min_age: e.min_age,
            methods: e.methods.into_iter().map(Into::into).collect(),
            postcode_alone_enough: e.postcode_alone_enough,
        }
    }
}

impl From<Eligibility> for eligibility::Eligibility {
    fn from(e: Eligibility) -> Self {
        eligibility::Eligibility {
            relations: e.relations.into_iter().map(Into::into).collect(),
            min_age: e.min_age,
            methods: e.methods.into_iter().map(Into::into).collect(),
            postcode_alone_enough: e.postcode_alone_enough,
        }
    }
}

/// A person's name, date of birth (YYYY-MM-DD or DD/MM/YYYY) and postcode.
/// Checked, then reduced to a keyed hash: none of them is stored.
#[derive(InputObject)]
pub struct PersonDetailsInput {
    pub name: String,
    pub date_of_birth: String,
    pub postcode: String,
    #[graphql(default_with = "Relation::Live")]
    pub relation: Relation,
}

impl From<PersonDetailsInput> for verification::PersonDetails {
    fn from(p: PersonDetailsInput) -> Self {
        verification::PersonDetails {
            name: p.name,
            date_of_birth: p.date_of_birth,
            postcode: p.postcode,
            relation: p.relation.into(),
        }
    }
}

/// Which carrier a verification code goes by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CodeChannel {
    Sms,
    Email,
}

impl From<CodeChannel> for verification::Channel {
    fn from(c: CodeChannel) -> Self {
        match c {
            CodeChannel::Sms => verification::Channel::Sms,
            CodeChannel::Email => verification::Channel::Email,
        }
    }
}

#[derive(InputObject)]
pub struct InPersonVerificationInput {
    pub person: PersonDetailsInput,
    pub evidence: Evidence,
    /// The person's email address, if they want to sign in later.
    pub email: Option<String>,
    /// The person's UK mobile number, if they have one.
    pub phone: Option<String>,
}

pub struct Verification(pub verification::Participant);

/// A person's verification for one round. Holds no personal details: only
/// which area, how they are connected to it, and how they proved it.
#[Object]
impl Verification {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn round_id(&self) -> ID {
        ID(self.0.round_id.to_string())
    }
    /// The account it belongs to; null for someone verified in person
    /// without an email address.
    async fn account_id(&self) -> Option<ID> {
        self.0.account_id.map(|a| ID(a.to_string()))
    }
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Area> {
        Ok(Area(
            crate::graphql::loaders::area(ctx, self.0.area_id).await?,
        ))
    }
    async fn relation(&self) -> Relation {
        self.0.relation.into()
    }
    /// The proofs given so far.
    async fn methods(&self) -> Vec<VerificationMethod> {
        self.0.methods.iter().map(|m| (*m).into()).collect()
    }
    /// True once the proofs meet the round's rules: the person may vote.
    async fn verified(&self) -> bool {
        self.0.verified_at.is_some()
    }
    async fn verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.verified_at
    }
    /// The minimum age that was checked; the date of birth is not kept.
    async fn age_checked_at_least(&self) -> Option<u32> {
        self.0.age_checked_min
    }
    /// Whether a keyed hash of a phone number is held.
    async fn has_phone(&self) -> bool {
        self.0.has_phone
    }
    /// Whether a keyed hash of an email address is held.
    async fn has_email(&self) -> bool {
        self.0.has_email
    }
    async fn evidence(&self) -> Option<Evidence> {
        self.0.evidence.map(Into::into)
    }
    /// The officer who checked the person in person.
    async fn recorded_by(&self) -> Option<ID> {
        self.0.recorded_by.map(|a| ID(a.to_string()))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// What is stored about the person for this verification, in words.
    async fn stored_data(&self) -> Vec<String> {
        let mut out = vec![
            "a keyed hash of your name, date of birth and postcode (these themselves are not kept)"
                .to_string(),
            "the area, your connection to it and how you proved it".to_string(),
        ];
        if self.0.age_checked_min.is_some() {
            out.push("that your age was checked against the minimum".into());
        }
        if self.0.has_phone {
            out.push("a keyed hash of your mobile number".into());
        }
        if self.0.has_email {
            out.push("a keyed hash of your email address".into());
        }
        out
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ConflictResolution {
    /// The claimant is the person: move the verification to their account.
    MoveToClaimant,
    /// Keep the existing verification; the claimant stays unverified.
    KeepExisting,
}

impl From<ConflictResolution> for verification::Resolution {
    fn from(r: ConflictResolution) -> Self {
        match r {
            ConflictResolution::MoveToClaimant => verification::Resolution::MoveToClaimant,
            ConflictResolution::KeepExisting => verification::Resolution::KeepExisting,
        }
    }
}

pub struct VerificationConflict(pub verification::Conflict);

/// A second account that tried to verify as someone already verified.
#[Object]
impl VerificationConflict {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn round_id(&self) -> ID {
        ID(self.0.round_id.to_string())
    }
    /// The existing verification.
    async fn verification_id(&self) -> ID {
        ID(self.0.participant_id.to_string())
    }
    /// The account that tried.
    async fn claimant_account_id(&self) -> ID {
        ID(self.0.claimant_account_id.to_string())
    }
    /// What matched: identity, sms or email.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    /// move_to_claimant or keep_existing, once resolved.
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
}

/// Which columns of the file hold what; matched to the header row without
/// regard to case. Give either fullName, or givenNames and familyName.
#[derive(InputObject)]
pub struct RegisterColumnsInput {
    pub full_name: Option<String>,
    pub given_names: Option<String>,
    pub family_name: Option<String>,
    pub date_of_birth: String,
    pub postcode: String,
}

impl From<RegisterColumnsInput> for register::Columns {
    fn from(c: RegisterColumnsInput) -> Self {
        register::Columns {
            full_name: c.full_name,
            given_names: c.given_names,
            family_name: c.family_name,
            date_of_birth: c.date_of_birth,
            postcode: c.postcode,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ContentEncoding {
    /// The CSV text itself.
    Text,
    /// The file's bytes in base64, so that a file in the wrong character
    /// encoding can be recognised.
    #[graphql(name = "BASE64")]
    Base64,
}

#[derive(InputObject)]
pub struct ImportRegisterInput {
    pub round_id: ID,
    /// The CSV file, with a header row. At most 4 MiB.
    pub content: String,
    #[graphql(default_with = "ContentEncoding::Text")]
    pub encoding: ContentEncoding,
    pub columns: RegisterColumnsInput,
}

#[derive(SimpleObject)]
pub struct RefusedRow {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct RegisterImportReport {
    pub import_id: ID,
    pub rows_accepted: u32,
    pub rows_refused: u32,
    /// The refused rows, in order of line, at most 500.
    pub refused: Vec<RefusedRow>,
}

impl From<register::ImportReport> for RegisterImportReport {
    fn from(r: register::ImportReport) -> Self {
        RegisterImportReport {
            import_id: ID(r.import_id.to_string()),
            rows_accepted: r.rows_accepted,
            rows_refused: r.rows_refused,
            refused: r
                .refused
                .into_iter()
                .map(|r| RefusedRow {
                    line: r.line,
                    reason: r.reason,
                })
                .collect(),
        }
    }
}

#[derive(SimpleObject)]
pub struct VerificationCodeSent {
    /// Always true when the request was accepted, whether or not the number
    /// or address is known.
    pub sent: bool,
    pub message: String,
}
