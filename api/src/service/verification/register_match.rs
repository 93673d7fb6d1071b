//! A resident's declaration is found on the council's register.
use super::*;
use crate::db::begin_write;
use crate::domain::id::RoundId;
use crate::service::{auth::Client, limits};
use crate::state::AppState;
use crate::store::{register_entries, register_imports};

/// Whether the council has given the round a register with anyone on it:
/// without one, checking against the register could only ever fail, so it
/// is not offered.
pub async fn register_available(
    db: &impl ConnectionTrait,
    round_id: RoundId,
) -> ServiceResult<bool> {
    Ok(register_imports::Entity::find()
        .filter(register_imports::Column::RoundId.eq(round_id))
        .filter(register_imports::Column::RowsAccepted.gt(0))
        .one(db)
        .await
        .context("finding a register")?
        .is_some())
}

/// Matches the resident's declared details (name, date of birth and
/// postcode) against the register the council imported for this round.
/// Capped per account, per connection and per register entry tried, so
/// that the register cannot be used to look people up.
#[tracing::instrument(name = "match register", skip(state, actor, client), fields(round.id = round_id.get()))]
pub async fn match_register(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    client: &Client,
) -> ServiceResult<Participant> {
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = round_for_resident(&txn, actor, round_id).await?;
    if !round.eligibility.accepts(Method::Register) {
        return Err(not_accepted(Method::Register));
    }
    if !register_available(&txn, round_id).await? {
        return Err(ServiceError::refused(
            ErrorCode::MethodNotAccepted,
            "the council has not given this round a register to check you against: choose another way to prove who you are",
        ));
    }
    let Some(own) = own_record(&txn, round_id, actor.account_id).await? else {
        return Err(not_declared());
    };
    let Some(residence) = own.residence_hmac.clone() else {
        return Err(not_declared());
    };
    for (limit, key) in [
        (
            &REGISTER_CLIENT_LIMIT,
            state.secret.keyed_hash("client", &client.ip),
        ),
        (
            &REGISTER_ACCOUNT_LIMIT,
            state
                .secret
                .keyed_hash("account", &actor.account_id.to_string()),
        ),
        (&REGISTER_ENTRY_LIMIT, residence.clone()),
    ] {
        if let Err(e) = limits::take(&txn, limit, &key).await {
            // Keep the attempts counted so far.
            txn.commit().await.context("committing register checks")?;
            return Err(e);
        }
    }
    let on_register = own.relation == Relation::Live.as_str()
        && register_entries::Entity::find()
            .filter(register_entries::Column::RoundId.eq(round_id))
            .filter(register_entries::Column::IdentityHmac.eq(&residence))
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
    audit::record_personal(
        &txn,
        round_id,
        Some(actor.account_id.get()),
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
