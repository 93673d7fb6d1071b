//! Resident verification: who may take part in a round, and how they proved
//! it. The result is one verified participant record per person per round,
//! kept apart from anything a ballot will hold, which is what voting checks.
//! One module per use case:
//!
//! - `declare`: a resident states their name, date of birth and postcode;
//! - `contact`: a code by text message or email proves a contact;
//! - `register_match`: the declaration is found on the council's register;
//! - `in_person`: an officer records a check in person;
//! - `records`: a person's own records, deleting them, officers' lists and
//!   what voting asks (`eligible_area`);
//! - `conflicts`: duplicate and similar identities, which officers resolve;
//! - `purge`: deleting a finished round's verification data.
//!
//! Invariant: personal details (names, dates of birth, postcodes, phone
//! numbers, email addresses) are never stored or logged; only keyed hashes
//! of what must be compared (the identity key, the residence key, the
//! similarity keys, phone and email), the area, the relation, the methods
//! used and the minimum age that was checked.
mod conflicts;
mod contact;
mod declare;
mod in_person;
mod purge;
mod records;
mod register_match;

pub use conflicts::{conflicts, resolve, Conflict, Resolution};
pub use contact::{confirm_code, request_code};
pub use declare::declare;
pub use in_person::{record_in_person, reference as in_person_reference, InPersonRecord};
pub use purge::{purge, Purged};
pub use records::{
    delete_mine_in, eligible, eligible_area, mine, participants, Eligible, Ineligible,
};
pub use register_match::{match_register, register_available};

use super::{
    audit,
    codes::Policy,
    limits::Limit,
    rounds::{self, Round},
    Actor,
};
use crate::crypto::Secret;
use crate::domain::id::{AccountId, AreaId, ParticipantId, RoundId};
use crate::domain::{
    person::{identity_material, residence_material, similarity_materials},
    AgeBand, Assurance, DateOfBirth, Decile, EmailAddress, Evidence, Method, PersonName, Phase,
    PhoneNumber, Postcode, Relation,
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{
    areas as area_rows, identity_keys, verification_conflicts, verified_participants,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, SqlErr,
};
use std::collections::BTreeSet;

/// A verified (or partly verified) participant, without personal data.
#[derive(Clone, Debug)]
pub struct Participant {
    pub id: ParticipantId,
    pub round_id: RoundId,
    pub account_id: Option<AccountId>,
    pub area_id: AreaId,
    pub relation: Relation,
    pub methods: BTreeSet<Method>,
    /// When the proofs first met the round's rules; `None` while more proof
    /// is needed, or while the record is held.
    pub verified_at: Option<DateTime<Utc>>,
    /// Held for an officer's check: a similar identity is already recorded
    /// for the round.
    pub held: bool,
    pub age_checked_min: Option<u32>,
    pub has_phone: bool,
    pub has_email: bool,
    pub evidence: Option<Evidence>,
    pub recorded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl Participant {
    pub fn assurance(&self) -> Assurance {
        Assurance::of(&self.methods)
    }
}

/// What a person states about themselves, or an officer records: parsed
/// at the edge that received it.
pub struct PersonDetails {
    pub name: PersonName,
    pub date_of_birth: DateOfBirth,
    pub postcode: Postcode,
    pub relation: Relation,
}

impl PersonDetails {
    /// Parses the details as a person typed them, with the error each
    /// field gets; a date of birth is checked against today.
    pub fn parse(
        name: &str,
        date_of_birth: &str,
        postcode: &str,
        relation: Relation,
    ) -> ServiceResult<Self> {
        Ok(Self {
            name: PersonName::parse(name).map_err(|m| ServiceError::invalid("name", m))?,
            date_of_birth: DateOfBirth::parse(date_of_birth, Utc::now().date_naive())
                .map_err(|m| ServiceError::invalid("dateOfBirth", m))?,
            postcode: Postcode::parse(postcode)
                .map_err(|m| ServiceError::refused(ErrorCode::InvalidPostcode, m))?,
            relation,
        })
    }
}

/// Which carrier a verification code goes by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    fn method(self) -> Method {
        match self {
            Channel::Sms => Method::Sms,
            Channel::Email => Method::Email,
        }
    }
}

pub const MAX_SMS_PER_NUMBER_PER_HOUR: u64 = 3;
pub const MAX_SMS_PER_CLIENT_PER_HOUR: u64 = 10;

const SMS_POLICY: Policy = Policy {
    purpose: "verify_sms",
    hash_label: "verification-code",
    per_target_per_hour: MAX_SMS_PER_NUMBER_PER_HOUR,
    per_target_message: "too many codes have been sent to this number in the last hour; wait a while and try again",
    client: Limit {
        bucket: "verify_sms_client",
        max: MAX_SMS_PER_CLIENT_PER_HOUR,
        window: Duration::hours(1),
        message: "too many text-message codes have been asked for from this connection; wait an hour and try again",
    },
    carrier: "text message",
};

const EMAIL_POLICY: Policy = Policy {
    purpose: "verify_email",
    hash_label: "verification-code",
    per_target_per_hour: 5,
    per_target_message: "too many codes have been sent to this address in the last hour; wait a while and try again",
    client: Limit {
        bucket: "verify_email_client",
        max: 30,
        window: Duration::hours(1),
        message: "too many email codes have been asked for from this connection; wait an hour and try again",
    },
    carrier: "email",
};

/// Each declaration computes an identity: limiting them keeps one account
/// from trying out other people's details.
pub const MAX_DECLARATIONS_PER_ACCOUNT_PER_DAY: u64 = 5;
const DECLARE_ACCOUNT_LIMIT: Limit = Limit {
    bucket: "declare_account",
    max: MAX_DECLARATIONS_PER_ACCOUNT_PER_DAY,
    window: Duration::hours(24),
    message: "you have changed your details too many times today: try again tomorrow, or ask the council to check you in person",
};
const DECLARE_CLIENT_LIMIT: Limit = Limit {
    bucket: "declare_client",
    max: 30,
    window: Duration::hours(1),
    message: "too many declarations from this connection; wait an hour and try again",
};

/// Each register match compares a declaration with the register; limiting
/// them (per account, per connection and per register entry tried) keeps
/// anyone from probing who is on it.
pub const MAX_REGISTER_CHECKS_PER_ACCOUNT_PER_DAY: u64 = 3;
const REGISTER_ACCOUNT_LIMIT: Limit = Limit {
    bucket: "register_match_account",
    max: MAX_REGISTER_CHECKS_PER_ACCOUNT_PER_DAY,
    window: Duration::hours(24),
    message:
        "too many register checks from this account today; ask the council to check you in person",
};
const REGISTER_CLIENT_LIMIT: Limit = Limit {
    bucket: "register_match_client",
    max: 20,
    window: Duration::hours(1),
    message: "too many register checks from this connection; wait an hour and try again",
};
const REGISTER_ENTRY_LIMIT: Limit = Limit {
    bucket: "register_match_entry",
    max: 3,
    window: Duration::hours(24),
    message: "these details have been checked against the register too many times today; ask the council to check you in person",
};

fn policy(channel: Channel) -> &'static Policy {
    match channel {
        Channel::Sms => &SMS_POLICY,
        Channel::Email => &EMAIL_POLICY,
    }
}

pub(crate) fn identity_hash(secret: &Secret, material: &str) -> String {
    secret.keyed_hash("identity", material)
}

pub(crate) fn residence_hash(secret: &Secret, material: &str) -> String {
    secret.keyed_hash("residence", material)
}

fn similarity_hash(secret: &Secret, material: &str) -> String {
    secret.keyed_hash("similar-identity", material)
}

pub(crate) fn phone_hash(secret: &Secret, phone: &PhoneNumber) -> String {
    secret.keyed_hash("phone", phone.e164())
}

/// The key of the mailbox an address delivers to (sub-addresses and Gmail's
/// dots folded), so that one mailbox verifies one person.
fn mailbox_hash(secret: &Secret, email: &EmailAddress) -> String {
    secret.keyed_hash("mailbox", &email.mailbox())
}

fn methods_to_string(m: &BTreeSet<Method>) -> String {
    m.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(",")
}

fn methods_of(s: &str) -> BTreeSet<Method> {
    s.split(',').filter_map(Method::parse).collect()
}

/// One verification record, by its id.
pub async fn participant(
    db: &impl sea_orm::ConnectionTrait,
    id: ParticipantId,
) -> ServiceResult<Option<Participant>> {
    Ok(verified_participants::Entity::find_by_id(id.get())
        .one(db)
        .await
        .context("loading a verification")?
        .map(to_participant))
}

fn to_participant(r: verified_participants::Model) -> Participant {
    Participant {
        id: r.id.into(),
        round_id: r.round_id.into(),
        account_id: r.account_id.map(Into::into),
        area_id: r.area_id.into(),
        relation: Relation::parse(&r.relation).unwrap_or(Relation::Live),
        methods: methods_of(&r.methods),
        verified_at: r.verified_at.filter(|_| !r.held),
        held: r.held,
        age_checked_min: r.age_checked_min.and_then(|a| u32::try_from(a).ok()),
        has_phone: r.phone_hmac.is_some(),
        has_email: r.email_hmac.is_some(),
        evidence: r.evidence.as_deref().and_then(Evidence::parse),
        recorded_by: r.recorded_by,
        created_at: r.created_at,
    }
}

/// Details that passed every check, reduced to what is kept.
struct Checked {
    area_id: AreaId,
    relation: Relation,
    identity_hmac: String,
    residence_hmac: String,
    similarity_hmacs: Vec<String>,
    age_checked_min: Option<u32>,
    /// Kept instead of the date of birth, to set turnout against the
    /// population.
    age_band: AgeBand,
    /// The postcode's deprivation decile, when the look-up has it; kept
    /// instead of the postcode.
    deprivation_decile: Option<Decile>,
}

/// What a new verified-participant row holds.
struct NewParticipant<'a> {
    round_id: RoundId,
    account_id: Option<AccountId>,
    checked: &'a Checked,
    identity_hmac: String,
    held: bool,
    phone_hmac: Option<String>,
    email_hmac: Option<String>,
    methods: &'a BTreeSet<Method>,
    evidence: Option<Evidence>,
    recorded_by: Option<i64>,
    now: DateTime<Utc>,
    verified_at: Option<DateTime<Utc>>,
}

fn new_participant(p: NewParticipant<'_>) -> verified_participants::ActiveModel {
    verified_participants::ActiveModel {
        round_id: Set(p.round_id.get()),
        account_id: Set(p.account_id.map(|id| id.get())),
        area_id: Set(p.checked.area_id.get()),
        relation: Set(p.checked.relation.as_str().into()),
        identity_hmac: Set(p.identity_hmac),
        residence_hmac: Set(Some(p.checked.residence_hmac.clone())),
        held: Set(p.held),
        phone_hmac: Set(p.phone_hmac),
        // A new record's number (typed by an officer, if any) is not
        // proven: only a code sent to it proves it (`contact`).
        phone_proven: Set(false),
        email_hmac: Set(p.email_hmac),
        methods: Set(methods_to_string(p.methods)),
        age_checked_min: Set(p.checked.age_checked_min.map(|a| a as i32)),
        age_band: Set(Some(p.checked.age_band.key().into())),
        deprivation_decile: Set(p.checked.deprivation_decile.map(|d| i16::from(d.get()))),
        evidence: Set(p.evidence.map(|e| e.as_str().into())),
        recorded_by: Set(p.recorded_by),
        created_at: Set(p.now),
        updated_at: Set(p.now),
        verified_at: Set(p.verified_at),
        ..Default::default()
    }
}

fn already_verified() -> ServiceError {
    ServiceError::refused(
        ErrorCode::AlreadyVerifiedElsewhere,
        "this number or address is already used to verify someone for this round on another account: one person takes part once. If that was not you, the council can move the verification to this account",
    )
}

fn closed(round: &Round) -> ServiceError {
    ServiceError::refused(
        ErrorCode::PhaseClosed,
        format!(
            "verification for this round has closed: the round is {}",
            round.phase.label()
        ),
    )
}

fn not_accepted(method: Method) -> ServiceError {
    ServiceError::refused(
        ErrorCode::MethodNotAccepted,
        format!("this round does not accept {} as proof", method.label()),
    )
}

fn not_declared() -> ServiceError {
    ServiceError::refused(
        ErrorCode::NotDeclared,
        "first tell us your name, date of birth and postcode for this round",
    )
}

/// Residents verify while bids are open, during review and while voting
/// is open. Checked inside the write's transaction, the round locked.
async fn round_for_resident(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: RoundId,
) -> ServiceResult<Round> {
    let round = rounds::lock_shared(txn, id).await?;
    if !rounds::may_see(Some(actor), round.phase) {
        return Err(ServiceError::not_found("round"));
    }
    let now = Utc::now();
    if ![Phase::BidsOpen, Phase::BidReview, Phase::Voting]
        .iter()
        .any(|p| round.is_in(*p, now))
    {
        return Err(closed(&round));
    }
    Ok(round)
}

/// Officers verify people from the draft until voting closes. Checked
/// inside the write's transaction, the round locked.
async fn round_for_officer(txn: &DatabaseTransaction, id: RoundId) -> ServiceResult<Round> {
    let round = rounds::lock_shared(txn, id).await?;
    let now = Utc::now();
    let open = !round.phase.settings_frozen() || round.is_in(Phase::Voting, now);
    if !open {
        return Err(closed(&round));
    }
    Ok(round)
}

/// The day on which the minimum age must be reached: the day voting closes
/// if it is scheduled, otherwise today.
fn age_day(round: &Round, now: DateTime<Utc>) -> NaiveDate {
    round
        .schedule
        .voting_closes_at
        .filter(|d| *d > now)
        .unwrap_or(now)
        .date_naive()
}

/// Checks the relation, name, date of birth, postcode (in one of the round's
/// areas) and age, and computes the identity, residence and similarity keys.
async fn check_person(
    db: &impl ConnectionTrait,
    secret: &Secret,
    round: &Round,
    details: &PersonDetails,
) -> ServiceResult<Checked> {
    let rules = &round.eligibility;
    if !rules.relations.contains(&details.relation) {
        let allowed: Vec<&str> = rules.relations.iter().map(|r| r.as_str()).collect();
        return Err(ServiceError::refused(
            ErrorCode::RelationNotAccepted,
            format!(
                "this round is for people who {} in its areas",
                allowed.join(" or ")
            ),
        ));
    }
    let now = Utc::now();
    let (name, dob, postcode) = (&details.name, &details.date_of_birth, &details.postcode);
    let containing = super::areas::containing(db, postcode).await?;
    let Some(area_id) = round
        .pots
        .iter()
        .map(|p| p.area_id)
        .find(|a| containing.contains(a))
    else {
        let names = area_names(db, round).await?;
        return Err(ServiceError::refused(
            ErrorCode::NotInArea,
            format!(
                "that postcode is not in the areas this round covers ({})",
                names.join(", ")
            ),
        ));
    };
    let age = dob.age_on(age_day(round, now));
    if let Some(min) = rules.min_age {
        if age < min {
            return Err(ServiceError::refused(
                ErrorCode::TooYoung,
                format!("this round is for people aged {min} or over"),
            ));
        }
    }
    Ok(Checked {
        area_id,
        relation: details.relation,
        identity_hmac: identity_hash(secret, &identity_material(name, dob)),
        residence_hmac: residence_hash(secret, &residence_material(name, dob, postcode)),
        similarity_hmacs: similarity_materials(name, dob)
            .iter()
            .map(|m| similarity_hash(secret, m))
            .collect(),
        age_checked_min: rules.min_age,
        age_band: AgeBand::of_age(age),
        deprivation_decile: super::population::decile_of(db, postcode).await?,
    })
}

async fn area_names(db: &impl ConnectionTrait, round: &Round) -> ServiceResult<Vec<String>> {
    let ids: Vec<AreaId> = round.pots.iter().map(|p| p.area_id).collect();
    Ok(area_rows::Entity::find()
        .filter(area_rows::Column::Id.is_in(ids))
        .order_by_asc(area_rows::Column::Name)
        .all(db)
        .await
        .context("loading area names")?
        .into_iter()
        .map(|a| a.name)
        .collect())
}

async fn own_record(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    account_id: AccountId,
) -> ServiceResult<Option<verified_participants::Model>> {
    verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .filter(verified_participants::Column::AccountId.eq(account_id))
        .one(db)
        .await
        .context("loading a participant")
}

async fn holder_of(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    column: verified_participants::Column,
    hmac: &str,
) -> ServiceResult<Option<verified_participants::Model>> {
    verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .filter(column.eq(hmac))
        .one(db)
        .await
        .context("looking for a duplicate")
}

/// Another record of the round whose similarity keys meet these (the same
/// date of birth and a word of the name in common), leaving out records
/// that are themselves held: a claim waiting for an officer does not hold
/// up anyone else.
async fn similar_to(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    keys: &[String],
    except: Option<i64>,
) -> ServiceResult<Option<i64>> {
    let found = identity_keys::Entity::find()
        .filter(identity_keys::Column::RoundId.eq(round_id))
        .filter(identity_keys::Column::KeyHmac.is_in(keys.iter().cloned()))
        .all(db)
        .await
        .context("looking for similar identities")?;
    let candidates: Vec<i64> = found
        .into_iter()
        .map(|k| k.participant_id)
        .filter(|p| Some(*p) != except)
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    Ok(verified_participants::Entity::find()
        .filter(verified_participants::Column::Id.is_in(candidates))
        .filter(verified_participants::Column::Held.eq(false))
        .order_by_asc(verified_participants::Column::Id)
        .one(db)
        .await
        .context("looking for similar identities")?
        .map(|p| p.id))
}

/// Replaces a record's similarity keys.
async fn store_similarity_keys(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    participant_id: ParticipantId,
    keys: &[String],
) -> ServiceResult<()> {
    identity_keys::Entity::delete_many()
        .filter(identity_keys::Column::ParticipantId.eq(participant_id))
        .exec(db)
        .await
        .context("clearing similarity keys")?;
    let rows: Vec<identity_keys::ActiveModel> = keys
        .iter()
        .map(|k| identity_keys::ActiveModel {
            round_id: Set(round_id.get()),
            participant_id: Set(participant_id.get()),
            key_hmac: Set(k.clone()),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        identity_keys::Entity::insert_many(rows)
            .exec(db)
            .await
            .context("storing similarity keys")?;
    }
    Ok(())
}

/// Records that `claimant` tried to verify as someone already recorded
/// (`identity`, `similar`, `sms` or `email`), for an officer to resolve.
async fn record_conflict(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    participant_id: ParticipantId,
    claimant: AccountId,
    kind: &str,
) -> ServiceResult<()> {
    let open = verification_conflicts::Entity::find()
        .filter(verification_conflicts::Column::ParticipantId.eq(participant_id))
        .filter(verification_conflicts::Column::ClaimantAccountId.eq(claimant))
        .filter(verification_conflicts::Column::ResolvedAt.is_null())
        .one(db)
        .await
        .context("finding a conflict")?;
    if open.is_none() {
        let c = verification_conflicts::ActiveModel {
            round_id: Set(round_id.get()),
            participant_id: Set(Some(participant_id.get())),
            claimant_account_id: Set(Some(claimant.get())),
            kind: Set(kind.to_owned()),
            created_at: Set(Utc::now()),
            resolved_at: Set(None),
            resolved_by: Set(None),
            resolution: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .context("recording a conflict")?;
        audit::record_personal(
            db,
            round_id,
            Some(claimant.get()),
            "verification_conflict",
            "round",
            round_id,
            serde_json::json!({ "conflict": c.id, "participant": participant_id, "kind": kind }),
        )
        .await
        .context("auditing a conflict")?;
    }
    Ok(())
}

/// A unique index caught a duplicate that a concurrent request created
/// between our check and our write.
fn duplicate_or(e: DbErr, what: &'static str) -> ServiceError {
    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        already_verified()
    } else {
        ServiceError::Unexpected(anyhow::Error::new(e).context(what))
    }
}

fn verified_at(
    round: &Round,
    methods: &BTreeSet<Method>,
    before: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    round
        .eligibility
        .satisfied_by(methods)
        .then(|| before.unwrap_or(now))
}
