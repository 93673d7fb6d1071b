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
    let own = match account_id {
        Some(a) => own_record(&txn, round_id, a.into()).await?,
        None => None,
    };
    let own_id = own.as_ref().map(|o| o.id);
    for (column, value) in [
        (
            verified_participants::Column::IdentityHmac,
            Some(&checked.identity_hmac),
        ),
        (verified_participants::Column::PhoneHmac, phone.as_ref()),
        (verified_participants::Column::EmailHmac, mailbox.as_ref()),
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
