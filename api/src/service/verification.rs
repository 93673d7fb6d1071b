//! Resident verification: who may take part in a round, and how they proved
//! it. The result is one verified participant record per person per round,
//! kept apart from anything a ballot will hold, which is what voting checks.
//!
//! Invariant: personal details (names, dates of birth, postcodes, phone
//! numbers, email addresses) are never stored or logged; only keyed hashes
//! of what must be compared (the identity key, phone and email), the area,
//! the relation, the methods used and the minimum age that was checked.
use super::{
    audit,
    auth::{find_or_create_account, Client},
    codes::{self, Check, Policy},
    limits::{self, Limit},
    rounds::{self, Round},
    Actor,
};
use crate::channels::templates;
use crate::crypto::Secret;
use crate::db::begin_write;
use crate::domain::{
    person::identity_material, DateOfBirth, EmailAddress, Evidence, Method, PersonName, Phase,
    PhoneNumber, Postcode, Relation, Role,
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{
    areas as area_rows, register_entries, rounds as round_rows, verification_conflicts,
    verified_participants,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, SqlErr,
};
use std::collections::BTreeSet;

/// A verified (or partly verified) participant, without personal data.
#[derive(Clone, Debug)]
pub struct Participant {
    pub id: i64,
    pub round_id: i64,
    pub account_id: Option<i64>,
    pub area_id: i64,
    pub relation: Relation,
    pub methods: BTreeSet<Method>,
    /// When the proofs first met the round's rules; `None` while more proof
    /// is needed.
    pub verified_at: Option<DateTime<Utc>>,
    pub age_checked_min: Option<u32>,
    pub has_phone: bool,
    pub has_email: bool,
    pub evidence: Option<Evidence>,
    pub recorded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// What a person states about themselves, or an officer records.
pub struct PersonDetails {
    pub name: String,
    pub date_of_birth: String,
    pub postcode: String,
    pub relation: Relation,
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

/// Each register match compares a declaration with the register; limiting
/// them keeps anyone from probing who is on it.
const REGISTER_MATCH_LIMIT: Limit = Limit {
    bucket: "register_match_account",
    max: 10,
    window: Duration::hours(24),
    message:
        "too many register checks from this account today; ask the council to check you in person",
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

fn phone_hash(secret: &Secret, phone: &PhoneNumber) -> String {
    secret.keyed_hash("phone", phone.e164())
}

fn email_hash(secret: &Secret, email: &EmailAddress) -> String {
    // The same key as accounts use, so an account's own address matches.
    secret.keyed_hash("email", email.as_str())
}

fn methods_to_string(m: &BTreeSet<Method>) -> String {
    m.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(",")
}

fn methods_of(s: &str) -> BTreeSet<Method> {
    s.split(',').filter_map(Method::parse).collect()
}

fn to_participant(r: verified_participants::Model) -> Participant {
    Participant {
        id: r.id,
        round_id: r.round_id,
        account_id: r.account_id,
        area_id: r.area_id,
        relation: Relation::parse(&r.relation).unwrap_or(Relation::Live),
        methods: methods_of(&r.methods),
        verified_at: r.verified_at,
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
    area_id: i64,
    relation: Relation,
    identity_hmac: String,
    age_checked_min: Option<u32>,
}

/// What a new verified-participant row holds.
struct NewParticipant<'a> {
    round_id: i64,
    account_id: Option<i64>,
    checked: Checked,
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
        round_id: Set(p.round_id),
        account_id: Set(p.account_id),
        area_id: Set(p.checked.area_id),
        relation: Set(p.checked.relation.as_str().into()),
        identity_hmac: Set(p.checked.identity_hmac),
        phone_hmac: Set(p.phone_hmac),
        email_hmac: Set(p.email_hmac),
        methods: Set(methods_to_string(p.methods)),
        age_checked_min: Set(p.checked.age_checked_min.map(|a| a as i32)),
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
        "these details are already verified for this round on another account: one person takes part once. If that was not you, or you cannot use that account any more, the council can move the verification to this account",
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

/// A round residents can verify for: visible to them, and not yet past
/// voting.
async fn round_for_resident(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> ServiceResult<Round> {
    let round = rounds::get(db, Some(actor), id).await?;
    if !matches!(
        round.phase,
        Phase::BidsOpen | Phase::BidReview | Phase::Voting
    ) {
        return Err(closed(&round));
    }
    Ok(round)
}

pub(crate) async fn round_for_officer(db: &DatabaseConnection, id: i64) -> ServiceResult<Round> {
    rounds::apply_due(db, Some(id), Utc::now()).await?;
    let round = rounds::load(db, id).await?;
    if round.phase.settings_frozen() && round.phase != Phase::Voting {
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
/// areas) and age, and computes the identity key.
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
    let name = PersonName::parse(&details.name).map_err(|m| ServiceError::invalid("name", m))?;
    let dob = DateOfBirth::parse(&details.date_of_birth, now.date_naive())
        .map_err(|m| ServiceError::invalid("dateOfBirth", m))?;
    let postcode = Postcode::parse(&details.postcode)
        .map_err(|m| ServiceError::refused(ErrorCode::InvalidPostcode, m))?;
    let containing = super::areas::containing(db, &postcode).await?;
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
    if let Some(min) = rules.min_age {
        if dob.age_on(age_day(round, now)) < min {
            return Err(ServiceError::refused(
                ErrorCode::TooYoung,
                format!("this round is for people aged {min} or over"),
            ));
        }
    }
    Ok(Checked {
        area_id,
        relation: details.relation,
        identity_hmac: identity_hash(secret, &identity_material(&name, &dob, &postcode)),
        age_checked_min: rules.min_age,
    })
}

async fn area_names(db: &impl ConnectionTrait, round: &Round) -> ServiceResult<Vec<String>> {
    let ids: Vec<i64> = round.pots.iter().map(|p| p.area_id).collect();
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
    round_id: i64,
    account_id: i64,
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
    round_id: i64,
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

/// Records that `claimant` tried to verify as someone already verified, for
/// an officer to resolve.
async fn record_conflict(
    db: &impl ConnectionTrait,
    round_id: i64,
    participant_id: i64,
    claimant: i64,
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
            round_id: Set(round_id),
            participant_id: Set(participant_id),
            claimant_account_id: Set(claimant),
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
        audit::record(
            db,
            Some(claimant),
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

/// A resident states their name, date of birth, postcode and how they are
/// connected to the area. Checks the area and age at once; the date of
/// birth is then forgotten. Where a postcode alone is enough, this verifies
/// them; otherwise a code, a register match or an officer completes it.
#[tracing::instrument(name = "declare eligibility", skip(state, actor, details), fields(round.id = round_id))]
pub async fn declare(
    state: &AppState,
    actor: &Actor,
    round_id: i64,
    details: PersonDetails,
) -> ServiceResult<Participant> {
    let db = &state.db;
    let round = round_for_resident(db, actor, round_id).await?;
    if !round.eligibility.allows_declaration() {
        return Err(ServiceError::refused(
            ErrorCode::MethodNotAccepted,
            "this round verifies people in person only: ask the council where and when",
        ));
    }
    let checked = check_person(db, &state.secret, &round, &details).await?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let own = own_record(&txn, round_id, actor.account_id).await?;
    if let Some(other) = holder_of(
        &txn,
        round_id,
        verified_participants::Column::IdentityHmac,
        &checked.identity_hmac,
    )
    .await?
    .filter(|o| Some(o.id) != own.as_ref().map(|r| r.id))
    {
        record_conflict(&txn, round_id, other.id, actor.account_id, "identity").await?;
        txn.commit().await.context("committing a conflict")?;
        return Err(already_verified());
    }
    let mut methods = BTreeSet::new();
    if let Some(own) = &own {
        methods = methods_of(&own.methods);
        if own.identity_hmac != checked.identity_hmac {
            // New details: proofs about the old identity no longer hold;
            // proofs of a contact still do.
            methods.retain(|m| matches!(m, Method::Sms | Method::Email));
        }
    }
    if round.eligibility.accepts(Method::Postcode) {
        methods.insert(Method::Postcode);
    }
    let verified = verified_at(
        &round,
        &methods,
        own.as_ref()
            .filter(|o| o.identity_hmac == checked.identity_hmac)
            .and_then(|o| o.verified_at),
        now,
    );
    let saved = match own {
        Some(own) => verified_participants::ActiveModel {
            id: Set(own.id),
            area_id: Set(checked.area_id),
            relation: Set(checked.relation.as_str().into()),
            identity_hmac: Set(checked.identity_hmac),
            methods: Set(methods_to_string(&methods)),
            age_checked_min: Set(checked.age_checked_min.map(|a| a as i32)),
            updated_at: Set(now),
            verified_at: Set(verified),
            ..Default::default()
        }
        .update(&txn)
        .await
        .map_err(|e| duplicate_or(e, "updating a declaration"))?,
        None => new_participant(NewParticipant {
            round_id,
            account_id: Some(actor.account_id),
            checked,
            phone_hmac: None,
            email_hmac: None,
            methods: &methods,
            evidence: None,
            recorded_by: None,
            now,
            verified_at: verified,
        })
        .insert(&txn)
        .await
        .map_err(|e| duplicate_or(e, "storing a declaration"))?,
    };
    audit::record(
        &txn,
        Some(actor.account_id),
        "eligibility_declared",
        "verified_participant",
        saved.id,
        serde_json::json!({
            "round": round_id,
            "area": saved.area_id,
            "relation": saved.relation,
            "methods": saved.methods,
            "verified": saved.verified_at.is_some(),
        }),
    )
    .await
    .context("auditing a declaration")?;
    txn.commit().await.context("committing a declaration")?;
    Ok(to_participant(saved))
}

enum Contact {
    Phone(PhoneNumber),
    Email(EmailAddress),
}

fn parse_contact(secret: &Secret, channel: Channel, to: &str) -> ServiceResult<(Contact, String)> {
    Ok(match channel {
        Channel::Sms => {
            let p = PhoneNumber::parse(to)
                .map_err(|m| ServiceError::refused(ErrorCode::InvalidPhone, m))?;
            let h = phone_hash(secret, &p);
            (Contact::Phone(p), h)
        }
        Channel::Email => {
            let e = EmailAddress::parse(to)
                .map_err(|m| ServiceError::refused(ErrorCode::InvalidEmail, m))?;
            let h = email_hash(secret, &e);
            (Contact::Email(e), h)
        }
    })
}

/// Sends a verification code by text message or email. The answer is the
/// same whether or not the number or address is known to us.
#[tracing::instrument(name = "request verification code", skip(state, actor, to, client), fields(round.id = round_id, channel = ?channel))]
pub async fn request_code(
    state: &AppState,
    actor: &Actor,
    round_id: i64,
    channel: Channel,
    to: &str,
    client: &Client,
) -> ServiceResult<()> {
    let db = &state.db;
    let round = round_for_resident(db, actor, round_id).await?;
    if !round.eligibility.accepts(channel.method()) {
        return Err(not_accepted(channel.method()));
    }
    let (contact, target) = parse_contact(&state.secret, channel, to)?;
    let txn = begin_write(db).await.context("starting a transaction")?;
    if own_record(&txn, round_id, actor.account_id)
        .await?
        .is_none()
    {
        return Err(not_declared());
    }
    let code = codes::issue(
        &txn,
        &state.secret,
        policy(channel),
        &target,
        &actor.account_id.to_string(),
        client,
    )
    .await?;
    txn.commit().await.context("committing a code")?;

    let title: String = round.title.chars().take(40).collect();
    let minutes = codes::CODE_LIFETIME_MINUTES.to_string();
    let values = [
        ("code", code.as_str()),
        ("minutes", minutes.as_str()),
        ("round", title.as_str()),
    ];
    match contact {
        Contact::Phone(p) => {
            let message = templates::VERIFICATION_CODE_SMS.render(&values);
            state.sms.send(&p, message.body.trim()).await?;
        }
        Contact::Email(e) => {
            state
                .mailer
                .send(&e, templates::VERIFICATION_CODE.render(&values))
                .await?;
        }
    }
    Ok(())
}

fn not_declared() -> ServiceError {
    ServiceError::refused(
        ErrorCode::NotDeclared,
        "first tell us your name, date of birth and postcode for this round",
    )
}

/// Checks a verification code and records the proven contact.
#[tracing::instrument(name = "confirm verification code", skip(state, actor, to, code), fields(round.id = round_id, channel = ?channel))]
pub async fn confirm_code(
    state: &AppState,
    actor: &Actor,
    round_id: i64,
    channel: Channel,
    to: &str,
    code: &str,
) -> ServiceResult<Participant> {
    let db = &state.db;
    let round = round_for_resident(db, actor, round_id).await?;
    let method = channel.method();
    if !round.eligibility.accepts(method) {
        return Err(not_accepted(method));
    }
    let (_, target) = parse_contact(&state.secret, channel, to)?;
    let code = codes::parse_code(code, policy(channel))?;
    let txn = begin_write(db).await.context("starting a transaction")?;
    let Some(own) = own_record(&txn, round_id, actor.account_id).await? else {
        return Err(not_declared());
    };
    if let Check::Refused(e) = codes::consume(
        &txn,
        &state.secret,
        policy(channel),
        &target,
        &actor.account_id.to_string(),
        &code,
    )
    .await?
    {
        txn.commit().await.context("committing a wrong try")?;
        return Err(e);
    }
    let column = match channel {
        Channel::Sms => verified_participants::Column::PhoneHmac,
        Channel::Email => verified_participants::Column::EmailHmac,
    };
    if let Some(other) = holder_of(&txn, round_id, column, &target)
        .await?
        .filter(|o| o.id != own.id)
    {
        record_conflict(&txn, round_id, other.id, actor.account_id, method.as_str()).await?;
        txn.commit().await.context("committing a conflict")?;
        return Err(already_verified());
    }
    let now = Utc::now();
    let mut methods = methods_of(&own.methods);
    methods.insert(method);
    let mut am = verified_participants::ActiveModel {
        id: Set(own.id),
        methods: Set(methods_to_string(&methods)),
        updated_at: Set(now),
        verified_at: Set(verified_at(&round, &methods, own.verified_at, now)),
        ..Default::default()
    };
    match channel {
        Channel::Sms => am.phone_hmac = Set(Some(target)),
        Channel::Email => am.email_hmac = Set(Some(target)),
    }
    let saved = am
        .update(&txn)
        .await
        .map_err(|e| duplicate_or(e, "recording a proven contact"))?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "verification_code_confirmed",
        "verified_participant",
        saved.id,
        serde_json::json!({ "round": round_id, "method": method.as_str(), "verified": saved.verified_at.is_some() }),
    )
    .await
    .context("auditing a confirmed code")?;
    txn.commit().await.context("committing a confirmed code")?;
    Ok(to_participant(saved))
}

/// Matches the resident's declared details against the register the council
/// imported for this round.
#[tracing::instrument(name = "match register", skip(state, actor), fields(round.id = round_id))]
pub async fn match_register(
    state: &AppState,
    actor: &Actor,
    round_id: i64,
) -> ServiceResult<Participant> {
    let db = &state.db;
    let round = round_for_resident(db, actor, round_id).await?;
    if !round.eligibility.accepts(Method::Register) {
        return Err(not_accepted(Method::Register));
    }
    let txn = begin_write(db).await.context("starting a transaction")?;
    let Some(own) = own_record(&txn, round_id, actor.account_id).await? else {
        return Err(not_declared());
    };
    limits::take(
        &txn,
        &REGISTER_MATCH_LIMIT,
        &state
            .secret
            .keyed_hash("account", &actor.account_id.to_string()),
    )
    .await?;
    let on_register = own.relation == Relation::Live.as_str()
        && register_entries::Entity::find()
            .filter(register_entries::Column::RoundId.eq(round_id))
            .filter(register_entries::Column::IdentityHmac.eq(&own.identity_hmac))
            .one(&txn)
            .await
            .context("matching the register")?
            .is_some();
    if !on_register {
        // Keep the counted attempt.
        txn.commit().await.context("committing a register check")?;
        return Err(ServiceError::refused(
            ErrorCode::RegisterNoMatch,
            "we could not find you on the council's register with the name, date of birth and postcode you gave: check them, or use another way to verify",
        ));
    }
    let now = Utc::now();
    let mut methods = methods_of(&own.methods);
    methods.insert(Method::Register);
    let saved = verified_participants::ActiveModel {
        id: Set(own.id),
        methods: Set(methods_to_string(&methods)),
        updated_at: Set(now),
        verified_at: Set(verified_at(&round, &methods, own.verified_at, now)),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("recording a register match")?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "register_matched",
        "verified_participant",
        saved.id,
        serde_json::json!({ "round": round_id }),
    )
    .await
    .context("auditing a register match")?;
    txn.commit().await.context("committing a register match")?;
    Ok(to_participant(saved))
}

/// What an officer records after checking someone in person.
pub struct InPersonRecord {
    pub details: PersonDetails,
    pub evidence: Evidence,
    /// The person's email address, if they have one and want to sign in
    /// later (to see or delete their data).
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// An officer records that they checked a person at an event, a library or
/// by phone. The person may have no email or phone at all.
#[tracing::instrument(name = "verify in person", skip(state, actor, record), fields(round.id = round_id))]
pub async fn record_in_person(
    state: &AppState,
    actor: &Actor,
    round_id: i64,
    record: InPersonRecord,
) -> ServiceResult<Participant> {
    actor.require(Role::Officer, "verify people in person")?;
    let db = &state.db;
    let round = round_for_officer(db, round_id).await?;
    if !round.eligibility.accepts(Method::InPerson) {
        return Err(not_accepted(Method::InPerson));
    }
    let checked = check_person(db, &state.secret, &round, &record.details).await?;
    let email = record
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| {
            EmailAddress::parse(e).map_err(|m| ServiceError::refused(ErrorCode::InvalidEmail, m))
        })
        .transpose()?
        .map(|e| email_hash(&state.secret, &e));
    let phone = record
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            PhoneNumber::parse(p).map_err(|m| ServiceError::refused(ErrorCode::InvalidPhone, m))
        })
        .transpose()?
        .map(|p| phone_hash(&state.secret, &p));
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let account_id = match &email {
        Some(h) => Some(find_or_create_account(&txn, h, now).await?),
        None => None,
    };
    let own = match account_id {
        Some(a) => own_record(&txn, round_id, a).await?,
        None => None,
    };
    let own_id = own.as_ref().map(|o| o.id);
    for (column, value) in [
        (
            verified_participants::Column::IdentityHmac,
            Some(&checked.identity_hmac),
        ),
        (verified_participants::Column::PhoneHmac, phone.as_ref()),
        (verified_participants::Column::EmailHmac, email.as_ref()),
    ] {
        let Some(value) = value else { continue };
        if holder_of(&txn, round_id, column, value)
            .await?
            .is_some_and(|o| Some(o.id) != own_id)
        {
            return Err(ServiceError::refused(
                ErrorCode::AlreadyVerifiedElsewhere,
                "this person, phone number or email address is already verified for this round: look them up before recording them again",
            ));
        }
    }
    if own
        .as_ref()
        .is_some_and(|o| o.identity_hmac != checked.identity_hmac)
    {
        return Err(ServiceError::refused(
            ErrorCode::AlreadyVerifiedElsewhere,
            "the account with this email address already declared different details for this round",
        ));
    }
    let mut methods = own
        .as_ref()
        .map(|o| methods_of(&o.methods))
        .unwrap_or_default();
    methods.insert(Method::InPerson);
    let verified = verified_at(
        &round,
        &methods,
        own.as_ref().and_then(|o| o.verified_at),
        now,
    );
    let saved = match own {
        Some(o) => verified_participants::ActiveModel {
            id: Set(o.id),
            phone_hmac: Set(phone.or(o.phone_hmac)),
            methods: Set(methods_to_string(&methods)),
            evidence: Set(Some(record.evidence.as_str().into())),
            recorded_by: Set(Some(actor.account_id)),
            updated_at: Set(now),
            verified_at: Set(verified),
            ..Default::default()
        }
        .update(&txn)
        .await
        .map_err(|e| duplicate_or(e, "recording an in-person check"))?,
        None => new_participant(NewParticipant {
            round_id,
            account_id,
            checked,
            phone_hmac: phone,
            email_hmac: email,
            methods: &methods,
            evidence: Some(record.evidence),
            recorded_by: Some(actor.account_id),
            now,
            verified_at: verified,
        })
        .insert(&txn)
        .await
        .map_err(|e| duplicate_or(e, "recording an in-person check"))?,
    };
    audit::record(
        &txn,
        Some(actor.account_id),
        "verified_in_person",
        "verified_participant",
        saved.id,
        serde_json::json!({
            "round": round_id,
            "area": saved.area_id,
            "evidence": record.evidence.as_str(),
            "account": saved.account_id,
        }),
    )
    .await
    .context("auditing an in-person check")?;
    txn.commit()
        .await
        .context("committing an in-person check")?;
    Ok(to_participant(saved))
}

/// The signed-in person's own verification records.
pub async fn mine(db: &DatabaseConnection, actor: &Actor) -> ServiceResult<Vec<Participant>> {
    Ok(verified_participants::Entity::find()
        .filter(verified_participants::Column::AccountId.eq(actor.account_id))
        .order_by_asc(verified_participants::Column::Id)
        .all(db)
        .await
        .context("loading own verifications")?
        .into_iter()
        .map(to_participant)
        .collect())
}

/// Deletes the signed-in person's verification for a round: every hash and
/// proof goes. They can verify again while the round is open.
pub async fn delete_mine(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: i64,
) -> ServiceResult<bool> {
    let txn = begin_write(db).await.context("starting a transaction")?;
    let Some(own) = own_record(&txn, round_id, actor.account_id).await? else {
        return Ok(false);
    };
    verified_participants::Entity::delete_by_id(own.id)
        .exec(&txn)
        .await
        .context("deleting a verification")?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "verification_deleted_by_resident",
        "verified_participant",
        own.id,
        serde_json::json!({ "round": round_id }),
    )
    .await
    .context("auditing a deletion")?;
    txn.commit().await.context("committing a deletion")?;
    Ok(true)
}

/// Officers: everyone verified (or part-way) for a round.
pub async fn participants(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: i64,
) -> ServiceResult<Vec<Participant>> {
    actor.require(Role::Officer, "see who is verified")?;
    rounds::load(db, round_id).await?;
    Ok(verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .order_by_asc(verified_participants::Column::Id)
        .all(db)
        .await
        .context("listing participants")?
        .into_iter()
        .map(to_participant)
        .collect())
}

/// The area a signed-in person may vote in, if they are verified for the
/// round. What voting checks. The proofs are judged against the round's
/// rules as they are now (frozen once voting opens), so a change of rules
/// before voting cannot leave someone verified under the old ones.
pub async fn eligible_area(
    db: &impl ConnectionTrait,
    round_id: i64,
    account_id: i64,
) -> ServiceResult<Option<i64>> {
    let Some(record) = own_record(db, round_id, account_id).await? else {
        return Ok(None);
    };
    let rules = rounds::load(db, round_id).await?.eligibility;
    let age_ok = match rules.min_age {
        None => true,
        Some(min) => record
            .age_checked_min
            .is_some_and(|checked| i64::from(checked) >= i64::from(min)),
    };
    let relation_ok =
        Relation::parse(&record.relation).is_some_and(|r| rules.relations.contains(&r));
    let proven = methods_of(&record.methods);
    Ok((age_ok && relation_ok && rules.satisfied_by(&proven)).then_some(record.area_id))
}

#[derive(Clone, Debug)]
pub struct Conflict {
    pub id: i64,
    pub round_id: i64,
    pub participant_id: i64,
    pub claimant_account_id: i64,
    /// What matched: `identity`, `sms` or `email`.
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution: Option<String>,
}

fn to_conflict(c: verification_conflicts::Model) -> Conflict {
    Conflict {
        id: c.id,
        round_id: c.round_id,
        participant_id: c.participant_id,
        claimant_account_id: c.claimant_account_id,
        kind: c.kind,
        created_at: c.created_at,
        resolved_at: c.resolved_at,
        resolution: c.resolution,
    }
}

/// Officers: second accounts that tried to verify as someone already
/// verified.
pub async fn conflicts(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: i64,
) -> ServiceResult<Vec<Conflict>> {
    actor.require(Role::Officer, "see duplicate verifications")?;
    Ok(verification_conflicts::Entity::find()
        .filter(verification_conflicts::Column::RoundId.eq(round_id))
        .order_by_asc(verification_conflicts::Column::Id)
        .all(db)
        .await
        .context("listing conflicts")?
        .into_iter()
        .map(to_conflict)
        .collect())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The claimant is the person: the verification moves to their account
    /// (their own part-way record, if any, is removed).
    MoveToClaimant,
    /// The existing verification stands; the claimant stays unverified.
    KeepExisting,
}

impl Resolution {
    fn as_str(self) -> &'static str {
        match self {
            Resolution::MoveToClaimant => "move_to_claimant",
            Resolution::KeepExisting => "keep_existing",
        }
    }
}

/// Officers: resolves a duplicate, with an audit entry.
#[tracing::instrument(name = "resolve verification conflict", skip(db, actor), fields(conflict.id = conflict_id))]
pub async fn resolve(
    db: &DatabaseConnection,
    actor: &Actor,
    conflict_id: i64,
    resolution: Resolution,
) -> ServiceResult<Conflict> {
    actor.require(Role::Officer, "resolve duplicate verifications")?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let c = verification_conflicts::Entity::find_by_id(conflict_id)
        .one(&txn)
        .await
        .context("loading a conflict")?
        .ok_or_else(|| ServiceError::not_found("conflict"))?;
    if c.resolved_at.is_some() {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "this duplicate has already been resolved",
        ));
    }
    let participant = verified_participants::Entity::find_by_id(c.participant_id)
        .one(&txn)
        .await
        .context("loading a participant")?
        .ok_or_else(|| ServiceError::not_found("participant"))?;
    if resolution == Resolution::MoveToClaimant {
        verified_participants::Entity::delete_many()
            .filter(verified_participants::Column::RoundId.eq(c.round_id))
            .filter(verified_participants::Column::AccountId.eq(c.claimant_account_id))
            .filter(verified_participants::Column::Id.ne(participant.id))
            .exec(&txn)
            .await
            .context("removing the claimant's own record")?;
        verified_participants::Entity::update_many()
            .col_expr(
                verified_participants::Column::AccountId,
                Expr::value(c.claimant_account_id),
            )
            .col_expr(verified_participants::Column::UpdatedAt, Expr::value(now))
            .filter(verified_participants::Column::Id.eq(participant.id))
            .exec(&txn)
            .await
            .context("moving a verification")?;
    }
    let saved = verification_conflicts::ActiveModel {
        id: Set(c.id),
        resolved_at: Set(Some(now)),
        resolved_by: Set(Some(actor.account_id)),
        resolution: Set(Some(resolution.as_str().into())),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("resolving a conflict")?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "verification_conflict_resolved",
        "verified_participant",
        participant.id,
        serde_json::json!({
            "conflict": c.id,
            "resolution": resolution.as_str(),
            "from_account": participant.account_id,
            "to_account": (resolution == Resolution::MoveToClaimant).then_some(c.claimant_account_id),
        }),
    )
    .await
    .context("auditing a resolution")?;
    txn.commit().await.context("committing a resolution")?;
    Ok(to_conflict(saved))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purged {
    pub round_id: i64,
    pub participants: u64,
    pub register_entries: u64,
}

/// Deletes the verification data (participants, duplicates, register
/// hashes) of rounds published or cancelled more than `retention` ago, or of
/// one such round. Run by `fairshare purge-verification`.
pub async fn purge(
    db: &DatabaseConnection,
    only: Option<i64>,
    retention: Duration,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Purged>> {
    let cutoff = now - retention;
    let finished = [Phase::Published.as_str(), Phase::Cancelled.as_str()];
    if let Some(id) = only {
        let round = rounds::load(db, id).await?;
        if !round.phase.is_final() {
            return Err(ServiceError::refused(
                ErrorCode::PhaseClosed,
                format!(
                    "round {id} is {}: its verification data is kept until it is published or cancelled",
                    round.phase.label()
                ),
            ));
        }
        if round.phase_changed_at > cutoff {
            return Err(ServiceError::refused(
                ErrorCode::PhaseClosed,
                format!(
                    "round {id} is kept until {} (the retention period of {} days)",
                    (round.phase_changed_at + retention).format("%Y-%m-%d %H:%M UTC"),
                    retention.num_days()
                ),
            ));
        }
    }
    let mut q = round_rows::Entity::find()
        .filter(round_rows::Column::Phase.is_in(finished))
        .filter(round_rows::Column::PhaseChangedAt.lte(cutoff))
        .filter(round_rows::Column::VerificationPurgedAt.is_null());
    if let Some(id) = only {
        q = q.filter(round_rows::Column::Id.eq(id));
    }
    let due = q.all(db).await.context("finding rounds to purge")?;
    let mut out = Vec::new();
    for r in due {
        let txn = begin_write(db).await.context("starting a transaction")?;
        let participants = verified_participants::Entity::delete_many()
            .filter(verified_participants::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging participants")?
            .rows_affected;
        verification_conflicts::Entity::delete_many()
            .filter(verification_conflicts::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging conflicts")?;
        let register_entries = register_entries::Entity::delete_many()
            .filter(register_entries::Column::RoundId.eq(r.id))
            .exec(&txn)
            .await
            .context("purging register hashes")?
            .rows_affected;
        round_rows::Entity::update_many()
            .col_expr(round_rows::Column::VerificationPurgedAt, Expr::value(now))
            .filter(round_rows::Column::Id.eq(r.id))
            .exec(&txn)
            .await
            .context("marking a round purged")?;
        audit::record(
            &txn,
            None,
            "verification_purged",
            "round",
            r.id,
            serde_json::json!({ "participants": participants, "register_entries": register_entries }),
        )
        .await
        .context("auditing a purge")?;
        txn.commit().await.context("committing a purge")?;
        tracing::info!(
            round.id = r.id,
            participants,
            register_entries,
            "verification data purged"
        );
        out.push(Purged {
            round_id: r.id,
            participants,
            register_entries,
        });
    }
    Ok(out)
}
