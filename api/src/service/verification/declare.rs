//! A resident states who they are and where they live, work or study.
use super::*;
use crate::db::begin_write;
use crate::domain::id::RoundId;
use crate::service::{auth::Client, limits};
use crate::state::AppState;

/// A resident states their name, date of birth, postcode and how they are
/// connected to the area. Checks the area and age at once; the date of
/// birth is then forgotten. Where a postcode alone is enough, this verifies
/// them; otherwise a code, a register match or an officer completes it.
///
/// When the identity is already recorded for the round on another account,
/// or is similar to one that is (the same date of birth and a word of the
/// name in common), the declaration is held for an officer's check. The
/// resident is told only that their details need a check, which a similar
/// name can cause as well: nobody learns from this whether someone else
/// took part.
#[tracing::instrument(name = "declare eligibility", skip(state, actor, details, client), fields(round.id = round_id.get()))]
pub async fn declare(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    details: PersonDetails,
    client: &Client,
) -> ServiceResult<Participant> {
    let db = &state.db;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let round = round_for_resident(&txn, actor, round_id).await?;
    if !round.eligibility.allows_declaration() {
        return Err(ServiceError::refused(
            ErrorCode::MethodNotAccepted,
            "this round verifies people in person only: ask the council where and when",
        ));
    }
    let checked = check_person(&txn, &state.secret, &round, &details).await?;
    limits::take(
        &txn,
        &DECLARE_CLIENT_LIMIT,
        &state.secret.keyed_hash("client", &client.ip),
    )
    .await?;
    limits::take(
        &txn,
        &DECLARE_ACCOUNT_LIMIT,
        &state
            .secret
            .keyed_hash("account", &actor.account_id.to_string()),
    )
    .await?;
    let own = own_record(&txn, round_id, actor.account_id).await?;
    let own_id = own.as_ref().map(|r| r.id);
    let same = holder_of(
        &txn,
        round_id,
        verified_participants::Column::IdentityHmac,
        &checked.identity_hmac,
    )
    .await?
    .filter(|o| Some(o.id) != own_id);
    let similar = match &same {
        Some(_) => None,
        None => similar_to(&txn, round_id, &checked.similarity_hmacs, own_id).await?,
    };
    if let Some(other) = &same {
        record_conflict(
            &txn,
            round_id,
            other.id.into(),
            actor.account_id,
            "identity",
        )
        .await?;
    } else if let Some(other) = similar {
        record_conflict(&txn, round_id, other.into(), actor.account_id, "similar").await?;
    }
    let held = same.is_some() || similar.is_some();
    // The identity key is unique in a round: a record held because the same
    // identity is already there keeps a placeholder until an officer
    // decides who is who.
    let identity_hmac = if same.is_some() {
        format!("held:{}", uuid::Uuid::new_v4().simple())
    } else {
        checked.identity_hmac.clone()
    };

    let mut methods = BTreeSet::new();
    if let Some(own) = &own {
        methods = methods_of(&own.methods);
        if own.identity_hmac != identity_hmac
            || own.residence_hmac.as_ref() != Some(&checked.residence_hmac)
        {
            // New details: proofs about the old identity or address no
            // longer hold; proofs of a contact still do.
            methods.retain(|m| matches!(m, Method::Sms | Method::Email));
        }
    }
    if round.eligibility.accepts(Method::Postcode) {
        methods.insert(Method::Postcode);
    }
    let kept_since = own
        .as_ref()
        .filter(|o| o.identity_hmac == identity_hmac && !o.held)
        .and_then(|o| o.verified_at);
    let verified = verified_at(&round, &methods, kept_since, now);
    let saved = match own {
        Some(own) => verified_participants::ActiveModel {
            id: Set(own.id),
            area_id: Set(checked.area_id.get()),
            relation: Set(checked.relation.as_str().into()),
            identity_hmac: Set(identity_hmac),
            residence_hmac: Set(Some(checked.residence_hmac.clone())),
            held: Set(held),
            methods: Set(methods_to_string(&methods)),
            age_checked_min: Set(checked.age_checked_min.map(|a| a as i32)),
            age_band: Set(Some(checked.age_band.key().into())),
            deprivation_decile: Set(checked.deprivation_decile.map(|d| i16::from(d.get()))),
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
            checked: &checked,
            identity_hmac,
            held,
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
    store_similarity_keys(&txn, round_id, saved.id.into(), &checked.similarity_hmacs).await?;
    audit::record_personal(
        &txn,
        round_id,
        Some(actor.account_id.get()),
        "eligibility_declared",
        "verified_participant",
        saved.id,
        serde_json::json!({
            "round": round_id,
            "area": saved.area_id,
            "relation": saved.relation,
            "methods": saved.methods,
            "verified": saved.verified_at.is_some() && !saved.held,
            "held": saved.held,
        }),
    )
    .await
    .context("auditing a declaration")?;
    txn.commit().await.context("committing a declaration")?;
    Ok(to_participant(saved))
}
