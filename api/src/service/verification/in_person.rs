//! An officer records that they checked a person in person.
use super::*;
use crate::db::begin_write;
use crate::domain::id::RoundId;
use crate::domain::Role;
use crate::service::accounts::find_or_create_account;
use crate::state::AppState;

/// What an officer records after checking someone in person.
pub struct InPersonRecord {
    pub details: PersonDetails,
    pub evidence: Evidence,
    /// The person's email address, if they have one and want to sign in
    /// later (to see or delete their data).
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The reference on the screen of someone who started online and
    /// chose to be seen in person (`reference`).
    pub reference: Option<String>,
}

/// Crockford's base 32: no I, L, O or U, so a reference read aloud or
/// typed from a screen is not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn check_letters(secret: &crate::crypto::Secret, id: i64) -> String {
    let mac = secret.keyed_hash("in-person-reference", &id.to_string());
    mac.bytes()
        .take(5)
        .map(|b| ALPHABET[(b as usize) % 32] as char)
        .collect()
}

/// The reference a person who started online shows an officer, so that
/// the officer's check completes their own record: their record's number
/// and five letters only the server can make for it (a keyed hash), like
/// `1234-K7QX2`. It is worked out, never stored.
pub fn reference(secret: &crate::crypto::Secret, id: ParticipantId) -> String {
    format!("{}-{}", id.get(), check_letters(secret, id.get()))
}

/// The record a reference names, if its letters are right; typed in any
/// case, with or without spaces, O read as 0 and I or L as 1.
fn parse_reference(secret: &crate::crypto::Secret, text: &str) -> Option<i64> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let (id, letters) = clean.split_once('-')?;
    let id: i64 = id.parse().ok()?;
    crate::crypto::constant_time_eq(letters, &check_letters(secret, id)).then_some(id)
}

/// An officer records that they checked a person at an event, a library or
/// by phone. The person may have no email or phone at all. Officers see
/// duplicates plainly: they are the ones who resolve them.
#[tracing::instrument(name = "verify in person", skip(state, actor, record), fields(round.id = round_id.get()))]
pub async fn record_in_person(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    record: InPersonRecord,
) -> ServiceResult<Participant> {
    actor.require(Role::Officer, "verify people in person")?;
    let email = record
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| {
            EmailAddress::parse(e).map_err(|m| ServiceError::refused(ErrorCode::InvalidEmail, m))
        })
        .transpose()?;
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
    let mailbox = email.as_ref().map(|e| mailbox_hash(&state.secret, e));
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = round_for_officer(&txn, round_id).await?;
    if !round.eligibility.accepts(Method::InPerson) {
        return Err(not_accepted(Method::InPerson));
    }
    let checked = check_person(&txn, &state.secret, &round, &record.details).await?;
    let account_id = match &email {
        Some(e) => Some(
            find_or_create_account(
                &txn,
                &state.secret.keyed_hash("email", e.as_str()),
                now,
                None,
            )
            .await?,
        ),
        None => None,
    };
    if account_id == Some(actor.account_id.get()) {
        return Err(ServiceError::refused(
            ErrorCode::ConflictOfInterest,
            "you cannot verify yourself: another officer must check you",
        ));
    }
    let by_email = match account_id {
        Some(a) => own_record(&txn, round_id, a.into()).await?,
        None => None,
    };
    // Someone who started online is completed by the reference on their
    // screen: the details the officer checked must be the ones they gave.
    let by_reference = match record.reference.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => {
            let wrong = || {
                ServiceError::invalid(
                    "reference",
                    "this reference is not right: check it against the person's screen, or leave it empty",
                )
            };
            let id = parse_reference(&state.secret, text).ok_or_else(wrong)?;
            let found = verified_participants::Entity::find_by_id(id)
                .filter(verified_participants::Column::RoundId.eq(round_id))
                .one(&txn)
                .await
                .context("finding a reference")?
                .ok_or_else(wrong)?;
            if found.identity_hmac != checked.identity_hmac {
                return Err(ServiceError::invalid(
                    "reference",
                    "the name, date of birth or postcode you entered are not the ones this person gave online: check them with the person",
                ));
            }
            Some(found)
        }
    };
    if let (Some(a), Some(b)) = (&by_email, &by_reference) {
        if a.id != b.id {
            return Err(ServiceError::refused(
                ErrorCode::AlreadyVerifiedElsewhere,
                "the email address and the reference belong to two different people's records: check which is right",
            ));
        }
    }
    let own = by_reference.or(by_email);
    let own_id = own.as_ref().map(|o| o.id);
    for (column, value, identity) in [
        (
            verified_participants::Column::IdentityHmac,
            Some(&checked.identity_hmac),
            true,
        ),
        (
            verified_participants::Column::PhoneHmac,
            phone.as_ref(),
            false,
        ),
        (
            verified_participants::Column::EmailHmac,
            mailbox.as_ref(),
            false,
        ),
    ] {
        let Some(value) = value else { continue };
        let Some(other) = holder_of(&txn, round_id, column, value)
            .await?
            .filter(|o| Some(o.id) != own_id)
        else {
            continue;
        };
        if identity && other.verified_at.is_none() {
            // They started online and are part-way: their own record is
            // completed, once the officer knows which it is.
            return Err(ServiceError::refused(
                ErrorCode::StartedOnline,
                "this person started proving who they are online: ask them for the reference on their screen (it looks like 1234-K7QX2), or the email address they signed in with, and enter it",
            ));
        }
        return Err(ServiceError::refused(
            ErrorCode::AlreadyVerifiedElsewhere,
            "this person, phone number or email address is already verified for this round",
        ));
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
            // A number typed by an officer is never proven: it replaces a
            // proven number only by being a different one, and then is not.
            phone_proven: Set(o.phone_proven
                && phone
                    .as_ref()
                    .is_none_or(|p| Some(p) == o.phone_hmac.as_ref())),
            phone_hmac: Set(phone.or(o.phone_hmac)),
            email_hmac: Set(mailbox.or(o.email_hmac)),
            residence_hmac: Set(Some(checked.residence_hmac.clone())),
            // An officer who saw the person settles a held declaration.
            held: Set(false),
            methods: Set(methods_to_string(&methods)),
            evidence: Set(Some(record.evidence.as_str().into())),
            recorded_by: Set(Some(actor.account_id.get())),
            updated_at: Set(now),
            verified_at: Set(verified),
            ..Default::default()
        }
        .update(&txn)
        .await
        .map_err(|e| duplicate_or(e, "recording an in-person check"))?,
        None => new_participant(NewParticipant {
            round_id,
            account_id: account_id.map(Into::into),
            checked: &checked,
            identity_hmac: checked.identity_hmac.clone(),
            held: false,
            phone_hmac: phone,
            email_hmac: mailbox,
            methods: &methods,
            evidence: Some(record.evidence),
            recorded_by: Some(actor.account_id.get()),
            now,
            verified_at: verified,
        })
        .insert(&txn)
        .await
        .map_err(|e| duplicate_or(e, "recording an in-person check"))?,
    };
    store_similarity_keys(&txn, round_id, saved.id.into(), &checked.similarity_hmacs).await?;
    audit::record_personal(
        &txn,
        round_id,
        Some(actor.account_id.get()),
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
    crate::service::round_log::append(
        &txn,
        round_id,
        "verified_in_person",
        serde_json::json!({ "by": actor.account_id, "evidence": record.evidence.as_str() }),
        now,
    )
    .await?;
    txn.commit()
        .await
        .context("committing an in-person check")?;
    Ok(to_participant(saved))
}
