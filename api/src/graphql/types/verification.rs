//! Eligibility rules, verification records and register import reports.
use super::area::Area;
use crate::domain::{self, eligibility};
use crate::service::{register, verification};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

/// How a person is connected to an area.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::Relation")]
pub enum Relation {
    Live,
    Work,
    Study,
}

/// A way of proving eligibility.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::Method")]
pub enum VerificationMethod {
    /// The resident's own statement of their postcode (low assurance).
    Postcode,
    /// A one-time code sent by text message to a UK mobile (higher
    /// assurance).
    Sms,
    /// A one-time code sent by email (low assurance).
    Email,
    /// A match against the register the council imported (higher
    /// assurance).
    Register,
    /// An officer checked the person in person or by phone (higher
    /// assurance).
    InPerson,
}

/// How strongly a verification ties a person to an area.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::Assurance")]
pub enum Assurance {
    /// A self-declared postcode, an email code.
    Low,
    /// A text to a UK mobile, the register, a check in person.
    Higher,
}

/// What an officer checked when verifying someone in person.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::Evidence")]
pub enum Evidence {
    PhotoId,
    ProofOfAddress,
    CouncilRecord,
    PhoneCallChecks,
    KnownToOfficer,
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
    /// Whether a self-declared postcode is enough by itself (needs
    /// acceptLowAssurance).
    pub postcode_alone_enough: bool,
    /// Whether low-assurance proofs alone (a self-declared postcode, an
    /// email code) verify a person. Off by default: at least one
    /// higher-assurance proof is needed. Shown publicly.
    #[graphql(default)]
    pub accept_low_assurance: bool,
}

impl From<eligibility::Eligibility> for Eligibility {
    fn from(e: eligibility::Eligibility) -> Self {
        Eligibility {
            relations: e.relations.into_iter().map(Into::into).collect(),
            min_age: e.min_age,
            methods: e.methods.into_iter().map(Into::into).collect(),
            postcode_alone_enough: e.postcode_alone_enough,
            accept_low_assurance: e.accept_low_assurance,
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
            accept_low_assurance: e.accept_low_assurance,
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

impl PersonDetailsInput {
    /// The details parsed, each field's error named.
    pub fn parse(self) -> async_graphql::Result<verification::PersonDetails> {
        use crate::graphql::Gql;
        verification::PersonDetails::parse(
            &self.name,
            &self.date_of_birth,
            &self.postcode,
            self.relation.into(),
        )
        .gql()
    }
}

/// Which carrier a verification code goes by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "verification::Channel")]
pub enum CodeChannel {
    Sms,
    Email,
}

#[derive(InputObject)]
pub struct InPersonVerificationInput {
    pub person: PersonDetailsInput,
    pub evidence: Evidence,
    /// The person's email address, if they want to sign in later.
    pub email: Option<String>,
    /// The person's UK mobile number, if they have one.
    pub phone: Option<String>,
    /// The reference on the screen of someone who started online
    /// (`Verification.inPersonReference`): their own record is completed.
    /// Without it (or their email address), an in-person check of someone
    /// part-way is refused with STARTED_ONLINE.
    pub reference: Option<String>,
}

pub struct Verification(pub verification::Participant);

/// A person's verification for one round. Holds no personal details: only
/// which area, how they are connected to it, and how they proved it.
#[Object]
impl Verification {
    /// What the person shows an officer who checks them in person, so that
    /// the check completes this record (`InPersonVerificationInput.reference`),
    /// like `1234-K7QX2`.
    async fn in_person_reference(&self, ctx: &Context<'_>) -> String {
        verification::in_person_reference(&crate::graphql::state(ctx).secret, self.0.id)
    }
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
            crate::graphql::loaders::area(ctx, self.0.area_id.get()).await?,
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
    /// True while the council needs to check the details before the
    /// person may vote (they are similar to details already given).
    async fn held(&self) -> bool {
        self.0.held
    }
    /// The assurance of the strongest proof given.
    async fn assurance(&self) -> Assurance {
        self.0.assurance().into()
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
            "keyed hashes of your name with your date of birth, and with your postcode (these themselves are not kept)"
                .to_string(),
            "keyed hashes of each word of your name with your date of birth, to spot the same person twice"
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
#[graphql(remote = "verification::Resolution")]
pub enum ConflictResolution {
    /// The claimant is the person: move the verification to their account.
    MoveToClaimant,
    /// Keep the existing verification; the claimant stays unverified.
    KeepExisting,
    /// Two different people: release the claimant's held declaration.
    DistinctPeople,
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
    /// The existing verification; null if it has since been deleted.
    async fn verification_id(&self) -> Option<ID> {
        self.0.participant_id.map(|p| ID(p.to_string()))
    }
    /// The account that tried; null if it has since been deleted.
    async fn claimant_account_id(&self) -> Option<ID> {
        self.0.claimant_account_id.map(|a| ID(a.to_string()))
    }
    /// What matched: identity, similar (same date of birth and a word of
    /// the name), sms or email.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    /// move_to_claimant, keep_existing or distinct_people, once resolved.
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
