//! A code by text message or email proves that the resident holds a phone
//! number or a mailbox.
use super::*;
use crate::channels::templates;
use crate::db::begin_write;
use crate::domain::id::RoundId;
use crate::service::{
    auth::Client,
    codes::{self, Check},
};
use crate::state::AppState;

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
            let h = mailbox_hash(secret, &e);
            (Contact::Email(e), h)
        }
    })
}

/// Sends a verification code by text message or email. The answer is the
/// same whether or not the number or address is known to us.
#[tracing::instrument(name = "request verification code", skip(state, actor, to, client), fields(round.id = round_id.get(), channel = ?channel))]
pub async fn request_code(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    channel: Channel,
    to: &str,
    client: &Client,
) -> ServiceResult<()> {
    let (contact, target) = parse_contact(&state.secret, channel, to)?;
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = round_for_resident(&txn, actor, round_id).await?;
    if !round.eligibility.accepts(channel.method()) {
        return Err(not_accepted(channel.method()));
    }
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
    let language = crate::service::accounts::language_of_account(&txn, actor.account_id).await?;
    txn.commit().await.context("committing a code")?;

    let title: String = round.title_in(language).chars().take(40).collect();
    let minutes = codes::CODE_LIFETIME_MINUTES.to_string();
    let values = [
        ("code", code.as_str()),
        ("minutes", minutes.as_str()),
        ("round", title.as_str()),
    ];
    match contact {
        Contact::Phone(p) => {
            let message =
                templates::VERIFICATION_CODE_SMS.render(language, &state.settings.phone, &values);
            state.sms.send(&p, message.body.trim()).await?;
        }
        Contact::Email(e) => {
            state
                .mailer
                .send(
                    &e,
                    templates::VERIFICATION_CODE.render(language, &state.settings.phone, &values),
                )
                .await?;
        }
    }
    Ok(())
}

/// Checks a verification code and records the proven contact.
#[tracing::instrument(name = "confirm verification code", skip(state, actor, to, code), fields(round.id = round_id.get(), channel = ?channel))]
pub async fn confirm_code(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    channel: Channel,
    to: &str,
    code: &str,
) -> ServiceResult<Participant> {
    let method = channel.method();
    let (_, target) = parse_contact(&state.secret, channel, to)?;
    let code = codes::parse_code(code, policy(channel))?;
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = round_for_resident(&txn, actor, round_id).await?;
    if !round.eligibility.accepts(method) {
        return Err(not_accepted(method));
    }
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
        record_conflict(
            &txn,
            round_id,
            other.id.into(),
            actor.account_id,
            method.as_str(),
        )
        .await?;
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
        // A code sent to this number was entered: the number is proven, and
        // from now on identifies this voter by text.
        Channel::Sms => {
            am.phone_hmac = Set(Some(target));
            am.phone_proven = Set(true);
        }
        Channel::Email => am.email_hmac = Set(Some(target)),
    }
    let saved = am
        .update(&txn)
        .await
        .map_err(|e| duplicate_or(e, "recording a proven contact"))?;
    audit::record_personal(
        &txn,
        round_id,
        Some(actor.account_id.get()),
        "verification_code_confirmed",
        "verified_participant",
        saved.id,
        serde_json::json!({ "round": round_id, "method": method.as_str(), "verified": saved.verified_at.is_some() && !saved.held }),
    )
    .await
    .context("auditing a confirmed code")?;
    txn.commit().await.context("committing a confirmed code")?;
    Ok(to_participant(saved))
}
