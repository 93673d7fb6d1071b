//! The close of voting, and its witnesses.
//!
//! In the transaction that moves a round from voting to closed: the phone
//! channels' codes, calls and replies go; the ballots leave the sealed
//! store for good (`voting::seal`); each pot's ballots file is written as
//! it will be counted; and the round log gets its `sealed` entry: each
//! pot's number of ballots and the SHA-256 of its file, and the count and
//! Merkle root of the receipt commitments. That entry's hash is the
//! **close checkpoint**. The council signs it with its Ed25519 key, and it
//! is emailed at once to every group with a bid in the round and to
//! everyone observing the round: witnesses who hold it before anything is
//! counted. `tally verify BUNDLE --checkpoint HEX` then refuses any bundle
//! whose ballots or log differ from what was sealed, however well its
//! hashes were rebuilt.
use super::super::{accounts, audit, phone, results, round_log, rounds, voting, Actor};
use crate::db::begin_write;
use crate::domain::id::{AccountId, RoundId};
use crate::domain::{EmailAddress, Phase};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{accounts as account_rows, bids, groups, round_observers, rounds as round_rows};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use std::collections::BTreeSet;
use std::time::Duration;

/// What observers' addresses are sealed under.
const OBSERVER_EMAIL: &str = "observer-email";

/// Ends voting, before the phase changes: phone codes, calls and replies
/// go, and every ballot leaves the sealed store.
pub(super) async fn seal_voting(
    state: &AppState,
    txn: &DatabaseTransaction,
    round: &rounds::Round,
) -> ServiceResult<()> {
    phone::seal(txn, round.id).await?;
    voting::seal(txn, &state.secret, round.id).await?;
    Ok(())
}

/// Writes the pots' ballots files and the round log's `sealed` entry, after
/// the phase change is logged, in a savepoint: a ballot that cannot be read
/// (a damaged disk, a bad hand edit) must not keep voting open past its
/// date. The round then closes without a checkpoint; its count fails with
/// the reason, for officers, and the count that follows the repair seals it
/// (`seal_and_sign`, from `count`).
pub(super) async fn checkpoint(
    state: &AppState,
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    now: DateTime<Utc>,
) -> ServiceResult<Option<String>> {
    let savepoint = txn.begin().await.context("starting a savepoint")?;
    match seal_and_sign(state, &savepoint, round, now).await {
        Ok(checkpoint) => {
            savepoint.commit().await.context("sealing the ballots")?;
            Ok(Some(checkpoint))
        }
        Err(e) => {
            savepoint.rollback().await.context("rolling back a seal")?;
            tracing::warn!(round.id = round.id.get(), reason = %e, "the ballots could not be sealed at the close");
            Ok(None)
        }
    }
}

/// The pots' ballots files, the `sealed` entry and the council's signature,
/// in the caller's transaction; gives the checkpoint.
pub(super) async fn seal_and_sign(
    state: &AppState,
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    now: DateTime<Utc>,
) -> ServiceResult<String> {
    let sealed = results::seal_pots(txn, round).await?;
    let checkpoint = round_log::append(txn, round.id, "sealed", sealed.log_details(), now).await?;
    let signature = state
        .settings
        .signing_key
        .sign_checkpoint(round.id.get(), &checkpoint);
    round_rows::ActiveModel {
        id: Set(round.id.get()),
        close_checkpoint: Set(Some(checkpoint.clone())),
        close_signature: Set(Some(signature)),
        ..Default::default()
    }
    .update(txn)
    .await
    .context("keeping the close checkpoint")?;
    Ok(checkpoint)
}

/// After the close commits: the database files are scrubbed of what the
/// close deleted, the witnesses are sent the checkpoint, and the round is
/// counted.
pub(super) async fn after_close(state: &AppState, round_id: RoundId) {
    scrub(state).await;
    if let Err(e) = notify_witnesses(state, round_id).await {
        tracing::error!(round.id = round_id.get(), error = %e, "sending the close checkpoint");
    }
    // Counted at once with the frozen rule. A count that fails leaves the
    // round closed with the reason on it, for officers.
    let _ = super::count(state, None, round_id).await;
}

/// Scrubs the database files (`db::scrub_after_close`). A reader can hold
/// SQLite's WAL for a moment: the close waits up to ten seconds, then
/// leaves a task to keep trying for a minute.
async fn scrub(state: &AppState) {
    match crate::db::scrub_after_close(&state.db).await {
        Ok(()) => {}
        Err(e) => {
            tracing::warn!(error = %e, "scrubbing the database after a close; trying again");
            let db = state.db.clone();
            tokio::spawn(async move {
                for _ in 0..6 {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    match crate::db::scrub_after_close(&db).await {
                        Ok(()) => return,
                        Err(e) => {
                            tracing::warn!(error = %e, "scrubbing the database after a close")
                        }
                    }
                }
                tracing::error!("the database could not be scrubbed after a close");
            });
        }
    }
}

/// Emails the close checkpoint, with the council's signature, to every
/// group with a bid in the round and to every observer, each in their
/// language.
pub(super) async fn notify_witnesses(state: &AppState, round_id: RoundId) -> ServiceResult<()> {
    let round = round_rows::Entity::find_by_id(round_id.get())
        .one(&state.db)
        .await
        .context("loading a round")?
        .ok_or_else(|| ServiceError::not_found("round"))?;
    let (Some(checkpoint), Some(signature)) = (&round.close_checkpoint, &round.close_signature)
    else {
        return Ok(());
    };
    let group_ids: BTreeSet<i64> = bids::Entity::find()
        .select_only()
        .column(bids::Column::GroupId)
        .filter(bids::Column::RoundId.eq(round_id))
        .into_tuple::<i64>()
        .all(&state.db)
        .await
        .context("finding the round's groups")?
        .into_iter()
        .collect();
    let mut to: BTreeSet<String> = groups::Entity::find()
        .filter(groups::Column::Id.is_in(group_ids))
        .all(&state.db)
        .await
        .context("loading the round's groups")?
        .into_iter()
        .map(|g| g.contact_email)
        .collect();
    let key = state.secret.seal_key(OBSERVER_EMAIL);
    for o in round_observers::Entity::find()
        .filter(round_observers::Column::RoundId.eq(round_id))
        .all(&state.db)
        .await
        .context("loading the round's observers")?
    {
        if let Some(address) = key
            .open(
                &observer_context(o.round_id.into(), o.account_id.into()),
                &o.email_sealed,
            )
            .and_then(|b| String::from_utf8(b).ok())
        {
            to.insert(address);
        }
    }
    let public = &state.settings.public_url;
    let link = format!("{public}/rounds/{round_id}/results");
    let key_link = format!("{public}/.well-known/fairshare-signing-key");
    let mut failures = 0;
    for address in to {
        let Ok(address) = EmailAddress::parse(&address) else {
            continue;
        };
        let language = accounts::language_for_address(&state.db, &state.secret, &address).await?;
        let message = crate::channels::templates::CLOSE_CHECKPOINT.render(
            language,
            &state.settings.phone,
            &[
                (
                    "round",
                    language.pick(&round.title, round.title_cy.as_deref()),
                ),
                ("checkpoint", checkpoint),
                ("signature", signature),
                ("key_link", &key_link),
                ("link", &link),
            ],
        );
        if let Err(e) = state.mailer.send(&address, message).await {
            failures += 1;
            tracing::warn!(round.id = round_id.get(), error = %e, "emailing a witness the close checkpoint");
        }
    }
    if failures > 0 {
        return Err(ServiceError::Unexpected(anyhow::anyhow!(
            "{failures} witnesses could not be emailed the close checkpoint"
        )));
    }
    Ok(())
}

fn observer_context(round_id: RoundId, account_id: AccountId) -> String {
    format!("round-observer:{round_id}:{account_id}")
}

/// Asks for the round's close checkpoint to be emailed to the signed-in
/// person when voting closes. They give their address again, since only a
/// keyed hash of it is kept with their account: it must be the address they
/// sign in with. It is kept sealed, for this one email, until they stop
/// observing, delete their account, or the round's verification data is
/// purged.
#[tracing::instrument(name = "observe round", skip_all, fields(round.id = round_id.get()))]
pub async fn observe(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    email: &EmailAddress,
) -> ServiceResult<()> {
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = rounds::lock_shared(&txn, round_id).await?;
    if !rounds::may_see(Some(actor), round.phase) {
        return Err(ServiceError::not_found("round"));
    }
    if round.phase > Phase::Voting {
        return Err(ServiceError::refused(
            ErrorCode::PhaseClosed,
            "voting in this round has closed: its checkpoint is on the round's page",
        ));
    }
    let account = account_rows::Entity::find_by_id(actor.account_id.get())
        .one(&txn)
        .await
        .context("loading an account")?
        .ok_or_else(|| ServiceError::not_found("account"))?;
    if !crate::crypto::constant_time_eq(
        &account.email_hmac,
        &state.secret.keyed_hash("email", email.as_str()),
    ) {
        return Err(ServiceError::invalid(
            "email",
            "give the email address you sign in with: the checkpoint can only go to your own address",
        ));
    }
    let sealed = state.secret.seal_key(OBSERVER_EMAIL).seal(
        &observer_context(round_id, actor.account_id),
        email.as_str().as_bytes(),
    );
    round_observers::Entity::insert(round_observers::ActiveModel {
        round_id: Set(round_id.get()),
        account_id: Set(actor.account_id.get()),
        email_sealed: Set(sealed),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            round_observers::Column::RoundId,
            round_observers::Column::AccountId,
        ])
        .update_column(round_observers::Column::EmailSealed)
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await
    .context("keeping an observer")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "round_observed",
        "round",
        round_id,
        serde_json::json!({}),
    )
    .await
    .context("auditing an observer")?;
    txn.commit().await.context("committing an observer")?;
    Ok(())
}

/// Stops sending the round's checkpoint to the signed-in person, and
/// deletes their address.
pub async fn stop_observing(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
) -> ServiceResult<()> {
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    round_observers::Entity::delete_many()
        .filter(round_observers::Column::RoundId.eq(round_id))
        .filter(round_observers::Column::AccountId.eq(actor.account_id))
        .exec(&txn)
        .await
        .context("removing an observer")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "round_unobserved",
        "round",
        round_id,
        serde_json::json!({}),
    )
    .await
    .context("auditing an observer")?;
    txn.commit().await.context("committing an observer")?;
    Ok(())
}

/// Whether the signed-in person observes the round.
pub async fn observing(state: &AppState, actor: &Actor, round_id: RoundId) -> ServiceResult<bool> {
    Ok(round_observers::Entity::find()
        .filter(round_observers::Column::RoundId.eq(round_id))
        .filter(round_observers::Column::AccountId.eq(actor.account_id))
        .one(&state.db)
        .await
        .context("finding an observer")?
        .is_some())
}
