//! Reminders people asked for: when voting opens, two days before it
//! closes (only to those who have not voted by then), and when the results
//! are out, by email or text message, in their language.
//!
//! **Consent.** Nothing is sent to anyone who did not ask. A verified
//! resident asks on the web, an officer records the request of someone
//! verified in person, and a phone voter texts `REMIND`. The address or
//! number is then kept for this alone: sealed with a key derived from the
//! server secret, shown to no one but its owner (in `myData`), and deleted
//! when they stop (a link in every email, `STOP` by text, or their
//! account's page), with their verification, and with the round's
//! verification data.
//!
//! **The queue.** The scheduler (every instance) puts each message due into
//! `reminder_messages`, one row a subscription and message under a unique
//! key, so that no instance can queue one twice; it then claims rows one
//! at a time with a conditional `UPDATE` (only one instance's succeeds),
//! sends, and marks them done. A failed send is tried again with growing
//! waits, up to `MAX_ATTEMPTS`; a claim left by an instance that stopped
//! runs out after `CLAIM`, and another sends the message. At most
//! `reminders_per_tick` messages go at each tick, to keep within the
//! gateways' rates.
//!
//! **Who has voted** is read inside the send of a "closing" message, from
//! the participation record that turnout already keeps. A row of the queue
//! says only "done", whether its message was sent or not needed: no list
//! of people who have not voted is ever written down.
use super::{audit, rounds, Actor};
use crate::crypto::{constant_time_eq, SealKey, Secret};
use crate::db::begin_write;
use crate::domain::id::{ParticipantId, RoundId};
use crate::domain::{EmailAddress, Language, Phase, PhoneNumber, PostalAddress, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{
    participation, reminder_messages as messages, reminder_subscriptions as subs,
    verified_participants,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashSet;

/// How long before voting closes the "closing" reminder goes.
pub const CLOSING_NOTICE: Duration = Duration::hours(48);
/// How long before voting closes a "closing" reminder by post goes: a
/// letter is printed the next working day and takes two or three more to
/// arrive.
pub const LETTER_CLOSING_NOTICE: Duration = Duration::days(7);
/// Sends tried before a message is given up.
pub const MAX_ATTEMPTS: i32 = 5;
/// How long an instance holds a message it is sending.
const CLAIM: Duration = Duration::minutes(2);

/// Where the reminders go.
#[derive(Clone, Debug)]
pub enum Contact {
    Email(EmailAddress),
    Text(PhoneNumber),
    Letter(PostalAddress),
}

impl Contact {
    fn channel(&self) -> &'static str {
        match self {
            Contact::Email(_) => "email",
            Contact::Text(_) => "sms",
            Contact::Letter(_) => "letter",
        }
    }

    fn value(&self) -> String {
        match self {
            Contact::Email(e) => e.as_str().to_owned(),
            Contact::Text(p) => p.e164().to_owned(),
            Contact::Letter(a) => a.as_text(),
        }
    }
}

/// A person's reminders for a round, as they and the pages see them.
#[derive(Clone, Debug)]
pub struct Reminders {
    pub id: i64,
    pub round_id: RoundId,
    /// `email`, `sms` or `letter`.
    pub channel: String,
    pub language: Language,
    /// The address or number, partly hidden (`j•••@example.org`,
    /// `•••• ••• 123`, `LS6 1•• (post)`).
    pub contact_hint: String,
}

/// The messages, in the order a round sends them. After the results, the
/// funded bids' delivery: a message when one is delivered, and a digest of
/// each month's public updates (while the reminders are kept: they go with
/// the round's verification data at the end of its retention period).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Opens,
    Closing,
    Results,
    /// A funded bid is delivered: the bid's id.
    Delivered(i64),
    /// The public updates of a UK calendar month: its year and month.
    Digest(i32, u32),
}

impl Kind {
    fn as_string(self) -> String {
        match self {
            Kind::Opens => "opens".into(),
            Kind::Closing => "closing".into(),
            Kind::Results => "results".into(),
            Kind::Delivered(bid) => format!("delivered:{bid}"),
            Kind::Digest(year, month) => format!("digest:{year:04}-{month:02}"),
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "opens" => Some(Kind::Opens),
            "closing" => Some(Kind::Closing),
            "results" => Some(Kind::Results),
            _ => {
                if let Some(bid) = s.strip_prefix("delivered:") {
                    return bid.parse().ok().map(Kind::Delivered);
                }
                let (year, month) = s.strip_prefix("digest:")?.split_once('-')?;
                Some(Kind::Digest(year.parse().ok()?, month.parse().ok()?))
            }
        }
    }
}

fn contact_key(secret: &Secret) -> SealKey {
    secret.seal_key("reminder-contact")
}

fn contact_context(round_id: i64, participant_id: i64) -> String {
    format!("reminder:{round_id}:{participant_id}")
}

fn contact_hash(secret: &Secret, value: &str) -> String {
    secret.keyed_hash("reminder-contact", value)
}

/// The token of a subscription's "stop" link.
pub fn stop_token(secret: &Secret, subscription_id: i64) -> String {
    secret.keyed_hash("reminder-stop", &subscription_id.to_string())
}

fn hint(channel: &str, value: &str) -> String {
    if channel == "letter" {
        // The postcode's sector: enough to recognise, not to find.
        let sector = value
            .lines()
            .last()
            .and_then(|p| p.get(..p.len().saturating_sub(2)))
            .unwrap_or("");
        return format!("{sector}•• (post)");
    }
    if channel == "sms" {
        let tail: String = value
            .chars()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return format!("•••• ••• {tail}");
    }
    match value.split_once('@') {
        Some((local, domain)) => {
            format!("{}•••@{domain}", local.chars().next().unwrap_or('•'))
        }
        None => "•••".into(),
    }
}

fn to_reminders(secret: &Secret, row: &subs::Model) -> Reminders {
    let value = open_contact(secret, row).unwrap_or_default();
    Reminders {
        id: row.id,
        round_id: row.round_id.into(),
        channel: row.channel.clone(),
        language: Language::from_stored(&row.language),
        contact_hint: hint(&row.channel, &value),
    }
}

fn open_contact(secret: &Secret, row: &subs::Model) -> Option<String> {
    contact_key(secret)
        .open(
            &contact_context(row.round_id, row.participant_id),
            &row.contact_sealed,
        )
        .and_then(|b| String::from_utf8(b).ok())
}

/// Asks for a round's reminders, by email or text, in `language`: for the
/// signed-in person's own verification, or (officers) for the participant
/// `participant` verified in person. Asking again replaces the address or
/// number and the language; messages already sent are not sent again.
/// Refused once voting has closed.
#[tracing::instrument(name = "set reminders", skip_all, fields(round.id = round_id.get()))]
pub async fn subscribe(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    participant: Option<ParticipantId>,
    contact: Contact,
    language: Language,
) -> ServiceResult<Reminders> {
    if matches!(contact, Contact::Letter(_)) && !state.letters.available() {
        return Err(ServiceError::invalid(
            "channel",
            "this council does not send reminders by post: choose email or text message",
        ));
    }
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = rounds::lock_shared(&txn, round_id).await?;
    if round.phase == Phase::Draft || round.phase > Phase::Voting {
        return Err(ServiceError::refused(
            ErrorCode::PhaseClosed,
            "reminders can be asked for from when a round opens until voting closes",
        ));
    }
    let record = match participant {
        Some(id) => {
            actor.require(Role::Officer, "ask for reminders for someone else")?;
            verified_participants::Entity::find_by_id(id.get())
                .filter(verified_participants::Column::RoundId.eq(round_id))
                .one(&txn)
                .await
                .context("loading a participant")?
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "verificationId",
                        format!("V{id} is not the reference of anyone verified for this round"),
                    )
                })?
        }
        None => verified_participants::Entity::find()
            .filter(verified_participants::Column::RoundId.eq(round_id))
            .filter(verified_participants::Column::AccountId.eq(actor.account_id))
            .one(&txn)
            .await
            .context("loading a participant")?
            .ok_or_else(|| {
                ServiceError::refused(
                    ErrorCode::NotVerified,
                    "prove that you can take part in this round first: reminders are for people verified for it",
                )
            })?,
    };
    if record.verified_at.is_none() {
        return Err(ServiceError::refused(
            ErrorCode::NotVerified,
            "finish proving that you can take part in this round first",
        ));
    }
    let by = if participant.is_some() {
        "officer"
    } else {
        "resident"
    };
    let row = keep(
        &txn,
        &state.secret,
        &record,
        &contact,
        language,
        Some(actor.account_id.get()),
        by,
    )
    .await?;
    txn.commit().await.context("committing reminders")?;
    Ok(to_reminders(&state.secret, &row))
}

/// Text messages: `REMIND` from a phone voter, identified by their code or
/// number, asks for reminders by text to the number they texted from.
pub async fn subscribe_by_text(
    state: &AppState,
    round_id: RoundId,
    participant: ParticipantId,
    number: &PhoneNumber,
    language: Language,
) -> ServiceResult<()> {
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = rounds::lock_shared(&txn, round_id).await?;
    if round.phase > Phase::Voting {
        return Err(ServiceError::refused(
            ErrorCode::VotingClosed,
            "voting in this round has closed",
        ));
    }
    let record = verified_participants::Entity::find_by_id(participant.get())
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .one(&txn)
        .await
        .context("loading a participant")?
        .ok_or_else(|| ServiceError::not_found("verified participant"))?;
    keep(
        &txn,
        &state.secret,
        &record,
        &Contact::Text(number.clone()),
        language,
        None,
        "text",
    )
    .await?;
    txn.commit().await.context("committing reminders")?;
    Ok(())
}

/// Keeps a participant's reminders (a new row, or new contact and language
/// for the row they had), and audits it, inside the caller's transaction;
/// gives the row.
async fn keep(
    txn: &DatabaseTransaction,
    secret: &Secret,
    record: &verified_participants::Model,
    contact: &Contact,
    language: Language,
    actor: Option<i64>,
    by: &str,
) -> ServiceResult<subs::Model> {
    let sealed = contact_key(secret).seal(
        &contact_context(record.round_id, record.id),
        contact.value().as_bytes(),
    );
    subs::Entity::insert(subs::ActiveModel {
        round_id: Set(record.round_id),
        participant_id: Set(record.id),
        account_id: Set(record.account_id),
        channel: Set(contact.channel().into()),
        language: Set(language.as_str().into()),
        contact_sealed: Set(sealed),
        contact_hmac: Set(contact_hash(secret, &contact.value())),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([subs::Column::RoundId, subs::Column::ParticipantId])
            .update_columns([
                subs::Column::AccountId,
                subs::Column::Channel,
                subs::Column::Language,
                subs::Column::ContactSealed,
                subs::Column::ContactHmac,
            ])
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await
    .context("keeping reminders")?;
    // About a person's verification: purged with the round's.
    audit::record_personal(
        txn,
        record.round_id.into(),
        actor,
        "reminders_set",
        "verified_participant",
        record.id,
        serde_json::json!({ "channel": contact.channel(), "by": by }),
    )
    .await
    .context("auditing reminders")?;
    subs::Entity::find()
        .filter(subs::Column::RoundId.eq(record.round_id))
        .filter(subs::Column::ParticipantId.eq(record.id))
        .one(txn)
        .await
        .context("reading reminders back")?
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("reminders not kept")))
}

/// The signed-in person's reminders, every round.
pub async fn mine(state: &AppState, actor: &Actor) -> ServiceResult<Vec<Reminders>> {
    Ok(own_rows(&state.db, actor)
        .await?
        .iter()
        .map(|r| to_reminders(&state.secret, r))
        .collect())
}

async fn own_rows(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<subs::Model>> {
    let participants: Vec<i64> = verified_participants::Entity::find()
        .select_only()
        .column(verified_participants::Column::Id)
        .filter(verified_participants::Column::AccountId.eq(actor.account_id))
        .into_tuple()
        .all(db)
        .await
        .context("loading own verifications")?;
    subs::Entity::find()
        .filter(
            Condition::any()
                .add(subs::Column::AccountId.eq(actor.account_id))
                .add(subs::Column::ParticipantId.is_in(participants)),
        )
        .order_by_asc(subs::Column::Id)
        .all(db)
        .await
        .context("loading reminders")
}

/// `myData`: the person's reminders with the address or number in full.
pub async fn export_mine(state: &AppState, actor: &Actor) -> ServiceResult<serde_json::Value> {
    let rows = own_rows(&state.db, actor).await?;
    Ok(serde_json::Value::Array(
        rows.iter()
            .map(|r| {
                serde_json::json!({
                    "round": r.round_id,
                    "by": match r.channel.as_str() { "sms" => "text message", "letter" => "letter", _ => "email" },
                    "to": open_contact(&state.secret, r),
                    "language": r.language,
                    "asked_at": r.created_at,
                })
            })
            .collect(),
    ))
}

/// Stops the signed-in person's reminders for a round (every round with
/// `None`); deletes the address or number. How many stopped.
pub async fn stop_mine(
    state: &AppState,
    actor: &Actor,
    round_id: Option<RoundId>,
) -> ServiceResult<u64> {
    let ids: Vec<i64> = own_rows(&state.db, actor)
        .await?
        .into_iter()
        .filter(|r| round_id.is_none_or(|id| r.round_id == id.get()))
        .map(|r| r.id)
        .collect();
    delete(&state.db, ids).await
}

/// The link in every reminder email: stops that subscription. A link whose
/// reminders were stopped already is answered as if it had stopped them.
pub async fn stop_by_link(
    state: &AppState,
    subscription_id: i64,
    token: &str,
) -> ServiceResult<()> {
    if !constant_time_eq(token, &stop_token(&state.secret, subscription_id)) {
        return Err(ServiceError::refused(
            ErrorCode::NotFound,
            "this link to stop reminders is not complete: copy the whole link from the email",
        ));
    }
    delete(&state.db, vec![subscription_id]).await?;
    Ok(())
}

/// `STOP` by text: every reminder by text to this number stops. How many.
pub async fn stop_by_number(state: &AppState, number: &PhoneNumber) -> ServiceResult<u64> {
    let ids: Vec<i64> = subs::Entity::find()
        .select_only()
        .column(subs::Column::Id)
        .filter(subs::Column::Channel.eq("sms"))
        .filter(subs::Column::ContactHmac.eq(contact_hash(&state.secret, number.e164())))
        .into_tuple()
        .all(&state.db)
        .await
        .context("finding reminders by number")?;
    delete(&state.db, ids).await
}

async fn delete(db: &impl ConnectionTrait, ids: Vec<i64>) -> ServiceResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    messages::Entity::delete_many()
        .filter(messages::Column::SubscriptionId.is_in(ids.clone()))
        .exec(db)
        .await
        .context("removing reminders' messages")?;
    Ok(subs::Entity::delete_many()
        .filter(subs::Column::Id.is_in(ids))
        .exec(db)
        .await
        .context("removing reminders")?
        .rows_affected)
}

/// Deletes a round's reminders, inside the caller's transaction (the purge
/// of its verification data).
pub async fn purge_round(db: &impl ConnectionTrait, round_id: i64) -> ServiceResult<u64> {
    messages::Entity::delete_many()
        .filter(messages::Column::RoundId.eq(round_id))
        .exec(db)
        .await
        .context("purging reminders' messages")?;
    Ok(subs::Entity::delete_many()
        .filter(subs::Column::RoundId.eq(round_id))
        .exec(db)
        .await
        .context("purging reminders")?
        .rows_affected)
}

/// Deletes the reminders of an account and of its verification records,
/// inside the caller's transaction (deleting the account).
pub async fn delete_for_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    records: &[i64],
) -> ServiceResult<()> {
    let ids: Vec<i64> = subs::Entity::find()
        .select_only()
        .column(subs::Column::Id)
        .filter(
            Condition::any()
                .add(subs::Column::AccountId.eq(account_id))
                .add(subs::Column::ParticipantId.is_in(records.to_vec())),
        )
        .into_tuple()
        .all(db)
        .await
        .context("finding an account's reminders")?;
    delete(db, ids).await?;
    Ok(())
}

/// One scheduler tick: queues the messages that became due, then sends up
/// to `limit` of those waiting. How many messages were dealt with.
pub async fn tick(state: &AppState, now: DateTime<Utc>, limit: u64) -> ServiceResult<u64> {
    queue_due(&state.db, now).await?;
    send_due(state, now, limit).await
}

/// Queues, for each round with reminders, the messages due now: "opens"
/// while voting is open (for those who asked before it opened), "closing"
/// within `CLOSING_NOTICE` of the close, "results" once published. A
/// message queued before (by this instance or another) is not queued again.
pub async fn queue_due(db: &DatabaseConnection, now: DateTime<Utc>) -> ServiceResult<()> {
    let round_ids: Vec<i64> = subs::Entity::find()
        .select_only()
        .column(subs::Column::RoundId)
        .distinct()
        .into_tuple()
        .all(db)
        .await
        .context("finding rounds with reminders")?;
    for round_id in round_ids {
        let round = rounds::load(db, round_id.into()).await?;
        let closes = round.schedule.voting_closes_at;
        let open = round.phase == Phase::Voting && closes.is_none_or(|c| now < c);
        let mut due = Vec::new();
        if open {
            due.push((Kind::Opens, Some(round.phase_changed_at)));
        }
        // Letters' "closing" goes first; the others wait in the queue until
        // `CLOSING_NOTICE` before the close.
        if open && closes.is_some_and(|c| now >= c - LETTER_CLOSING_NOTICE.max(CLOSING_NOTICE)) {
            due.push((Kind::Closing, None));
        }
        if round.phase == Phase::Published {
            due.push((Kind::Results, None));
            for d in crate::service::delivery::for_round(db, None, round.id).await? {
                if d.status == crate::service::delivery::Status::Delivered {
                    due.push((Kind::Delivered(d.bid_id.get()), None));
                }
            }
            let (year, month) = crate::words::dates::last_month(now);
            if let Some((from, to)) = crate::words::dates::month_span(year, month) {
                if !crate::service::delivery::approved_between(db, round.id, from, to)
                    .await?
                    .is_empty()
                {
                    due.push((Kind::Digest(year, month), None));
                }
            }
        }
        for (kind, asked_before) in due {
            let send_at = |channel: &str| match (kind, closes) {
                (Kind::Closing, Some(c)) if channel != "letter" => (c - CLOSING_NOTICE).max(now),
                _ => now,
            };
            queue(db, round_id, kind, asked_before, &send_at, now).await?;
        }
    }
    Ok(())
}

async fn queue(
    db: &DatabaseConnection,
    round_id: i64,
    kind: Kind,
    asked_before: Option<DateTime<Utc>>,
    send_at: &(dyn Fn(&str) -> DateTime<Utc> + Sync),
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut q = subs::Entity::find()
        .select_only()
        .column(subs::Column::Id)
        .column(subs::Column::Channel)
        .filter(subs::Column::RoundId.eq(round_id));
    if let Some(before) = asked_before {
        q = q.filter(subs::Column::CreatedAt.lt(before));
    }
    // Once every message of this kind is queued (the usual case at each
    // tick), two counts through the indexes say so, and nothing is listed.
    let queued_count = messages::Entity::find()
        .filter(messages::Column::RoundId.eq(round_id))
        .filter(messages::Column::Kind.eq(kind.as_string()))
        .count(db)
        .await
        .context("counting queued reminders")?;
    if queued_count >= q.clone().count(db).await.context("counting reminders")? {
        return Ok(());
    }
    let wanted: Vec<(i64, String)> = q.into_tuple().all(db).await.context("listing reminders")?;
    let queued: HashSet<i64> = messages::Entity::find()
        .select_only()
        .column(messages::Column::SubscriptionId)
        .filter(messages::Column::RoundId.eq(round_id))
        .filter(messages::Column::Kind.eq(kind.as_string()))
        .into_tuple::<i64>()
        .all(db)
        .await
        .context("listing queued reminders")?
        .into_iter()
        .collect();
    let rows: Vec<messages::ActiveModel> = wanted
        .into_iter()
        .filter(|(id, _)| !queued.contains(id))
        .map(|(subscription_id, channel)| messages::ActiveModel {
            subscription_id: Set(subscription_id),
            round_id: Set(round_id),
            kind: Set(kind.as_string()),
            status: Set("pending".into()),
            attempts: Set(0),
            next_attempt_at: Set(send_at(&channel)),
            claimed_until: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        // Another instance may have queued some meanwhile: the unique key
        // keeps one row each.
        messages::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([messages::Column::SubscriptionId, messages::Column::Kind])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await
            .context("queueing reminders")?;
    }
    Ok(())
}

/// How many messages are waiting to be sent (for the benchmark and tests).
pub async fn waiting(db: &DatabaseConnection) -> ServiceResult<u64> {
    messages::Entity::find()
        .filter(messages::Column::Status.eq("pending"))
        .count(db)
        .await
        .context("counting waiting reminders")
}

/// Sends up to `limit` waiting messages, each claimed first so that no
/// other instance sends it too.
pub async fn send_due(state: &AppState, now: DateTime<Utc>, limit: u64) -> ServiceResult<u64> {
    let free = Condition::any()
        .add(messages::Column::ClaimedUntil.is_null())
        .add(messages::Column::ClaimedUntil.lt(now));
    let due: Vec<messages::Model> = messages::Entity::find()
        .filter(messages::Column::Status.eq("pending"))
        .filter(messages::Column::NextAttemptAt.lte(now))
        .filter(free.clone())
        .order_by_asc(messages::Column::Id)
        .limit(limit)
        .all(&state.db)
        .await
        .context("finding reminders to send")?;
    let mut handled = 0;
    for message in due {
        let claimed = messages::Entity::update_many()
            .col_expr(messages::Column::ClaimedUntil, Expr::value(now + CLAIM))
            .filter(messages::Column::Id.eq(message.id))
            .filter(messages::Column::Status.eq("pending"))
            // Still due: another instance may have tried it meanwhile and
            // put it back to wait.
            .filter(messages::Column::NextAttemptAt.lte(now))
            .filter(free.clone())
            .exec(&state.db)
            .await
            .context("claiming a reminder")?;
        if claimed.rows_affected != 1 {
            continue;
        }
        match deliver(state, &message, now).await {
            Ok(()) => {
                messages::Entity::update_many()
                    .col_expr(messages::Column::Status, Expr::value("done"))
                    .col_expr(
                        messages::Column::ClaimedUntil,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .filter(messages::Column::Id.eq(message.id))
                    .exec(&state.db)
                    .await
                    .context("marking a reminder done")?;
            }
            Err(e) => {
                let attempts = message.attempts + 1;
                let status = if attempts >= MAX_ATTEMPTS {
                    "failed"
                } else {
                    "pending"
                };
                // 2, 4, 8, 16 minutes.
                let wait = Duration::minutes(1 << attempts.min(10));
                tracing::warn!(error = %e, attempts, status, "sending a reminder");
                messages::Entity::update_many()
                    .col_expr(messages::Column::Status, Expr::value(status))
                    .col_expr(messages::Column::Attempts, Expr::value(attempts))
                    .col_expr(messages::Column::NextAttemptAt, Expr::value(now + wait))
                    .col_expr(
                        messages::Column::ClaimedUntil,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .filter(messages::Column::Id.eq(message.id))
                    .exec(&state.db)
                    .await
                    .context("putting a reminder back")?;
            }
        }
        handled += 1;
    }
    if handled > 0 {
        tracing::info!(handled, "reminders");
    }
    Ok(handled)
}

/// Sends one message if it is still needed: "opens" and "closing" only
/// while voting is open, "closing" only to someone who has not voted (read
/// here, from the participation record), "results" once published.
async fn deliver(
    state: &AppState,
    message: &messages::Model,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let Some(kind) = Kind::parse(&message.kind) else {
        return Ok(());
    };
    let Some(sub) = subs::Entity::find_by_id(message.subscription_id)
        .one(&state.db)
        .await
        .context("loading reminders")?
    else {
        return Ok(());
    };
    let round = rounds::load(&state.db, sub.round_id.into()).await?;
    let closes = round.schedule.voting_closes_at;
    let open = round.phase == Phase::Voting && closes.is_none_or(|c| now < c);
    let needed = match kind {
        Kind::Opens => open,
        Kind::Closing => {
            open && participation::Entity::find()
                .filter(participation::Column::RoundId.eq(sub.round_id))
                .filter(participation::Column::ParticipantId.eq(sub.participant_id))
                .count(&state.db)
                .await
                .context("reading whether someone voted")?
                == 0
        }
        Kind::Results => round.phase == Phase::Published,
        Kind::Delivered(_) | Kind::Digest(..) => round.phase == Phase::Published,
    };
    if !needed {
        return Ok(());
    }
    let Some(to) = open_contact(&state.secret, &sub) else {
        return Err(ServiceError::Unexpected(anyhow::anyhow!(
            "a reminder's address could not be opened"
        )));
    };
    let lang = Language::from_stored(&sub.language);
    let public = &state.settings.public_url;
    let link = match kind {
        Kind::Results => format!("{public}/rounds/{}/results", sub.round_id),
        Kind::Delivered(_) | Kind::Digest(..) => {
            format!("{public}/rounds/{}/delivery", sub.round_id)
        }
        _ => format!("{public}/rounds/{}", sub.round_id),
    };
    // What the delivery messages say: the bid delivered, or the month's
    // updates, one line each.
    let (mut title, mut month, mut updates, mut count) =
        (String::new(), String::new(), String::new(), String::new());
    match kind {
        Kind::Delivered(bid) => {
            let Some(d) = crate::service::delivery::for_bid(&state.db, bid.into()).await? else {
                return Ok(());
            };
            if d.status != crate::service::delivery::Status::Delivered {
                return Ok(());
            }
            let b = crate::store::bids::Entity::find_by_id(bid)
                .one(&state.db)
                .await
                .context("loading a bid")?;
            title = b
                .map(|b| lang.pick(&b.title, b.title_cy.as_deref()).to_owned())
                .unwrap_or_default();
        }
        Kind::Digest(year, m) => {
            let Some((from, to)) = crate::words::dates::month_span(year, m) else {
                return Ok(());
            };
            let list =
                crate::service::delivery::approved_between(&state.db, round.id, from, to).await?;
            if list.is_empty() {
                return Ok(());
            }
            let ids: Vec<i64> = list.iter().map(|u| u.bid_id.get()).collect();
            let titles: std::collections::HashMap<i64, String> = crate::store::bids::Entity::find()
                .filter(crate::store::bids::Column::Id.is_in(ids))
                .all(&state.db)
                .await
                .context("loading bids")?
                .into_iter()
                .map(|b| (b.id, lang.pick(&b.title, b.title_cy.as_deref()).to_owned()))
                .collect();
            updates = list
                .iter()
                .map(|u| {
                    let text: String = u.body.chars().take(280).collect();
                    let more = if u.body.chars().count() > 280 {
                        "…"
                    } else {
                        ""
                    };
                    format!(
                        "- {}: {text}{more}",
                        titles.get(&u.bid_id.get()).map_or("", String::as_str)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            count = list.len().to_string();
            month = crate::words::dates::month(lang, year, m);
        }
        _ => {}
    }
    let closes_day = closes
        .map(|c| crate::words::dates::day(lang, c))
        .unwrap_or_default();
    let closes_sentence = match (closes, lang) {
        (Some(_), Language::Cy) => format!(" tan {closes_day}."),
        (Some(_), Language::En) => format!(" until {closes_day}."),
        (None, _) => ".".into(),
    };
    // The stop page opens in the reminder's language.
    let stop = format!(
        "{public}/reminders/stop?s={}&t={}{}",
        sub.id,
        stop_token(&state.secret, sub.id),
        if lang == Language::Cy { "&lang=cy" } else { "" }
    );
    let values = [
        ("round", round.title_in(lang)),
        ("link", link.as_str()),
        ("closes", closes_day.as_str()),
        ("closes_sentence", closes_sentence.as_str()),
        ("stop", stop.as_str()),
        ("title", title.as_str()),
        ("month", month.as_str()),
        ("updates", updates.as_str()),
        ("count", count.as_str()),
    ];
    use crate::channels::templates as t;
    if sub.channel == "letter" {
        let template = match kind {
            Kind::Opens => t::REMINDER_OPENS_LETTER,
            Kind::Closing => t::REMINDER_CLOSING_LETTER,
            Kind::Results => t::REMINDER_RESULTS_LETTER,
            Kind::Delivered(_) => t::REMINDER_DELIVERED_LETTER,
            Kind::Digest(..) => t::REMINDER_DIGEST_LETTER,
        };
        let address =
            PostalAddress::parse(&to).map_err(|e| ServiceError::Unexpected(anyhow::anyhow!(e)))?;
        let letter = template.render(lang, &state.settings.phone, &values);
        return state
            .letters
            .send(&address, &letter.subject, &letter.body)
            .await
            .map_err(ServiceError::Unexpected);
    }
    if sub.channel == "sms" {
        let template = match kind {
            Kind::Opens => t::REMINDER_OPENS_SMS,
            Kind::Closing => t::REMINDER_CLOSING_SMS,
            Kind::Results => t::REMINDER_RESULTS_SMS,
            Kind::Delivered(_) => t::REMINDER_DELIVERED_SMS,
            Kind::Digest(..) => t::REMINDER_DIGEST_SMS,
        };
        let number =
            PhoneNumber::parse(&to).map_err(|e| ServiceError::Unexpected(anyhow::anyhow!(e)))?;
        let text = template.render(lang, &state.settings.phone, &values);
        state
            .sms
            .send(&number, text.body.trim())
            .await
            .map_err(ServiceError::Unexpected)
    } else {
        let template = match kind {
            Kind::Opens => t::REMINDER_OPENS,
            Kind::Closing => t::REMINDER_CLOSING,
            Kind::Results => t::REMINDER_RESULTS,
            Kind::Delivered(_) => t::REMINDER_DELIVERED,
            Kind::Digest(..) => t::REMINDER_DIGEST,
        };
        let address =
            EmailAddress::parse(&to).map_err(|e| ServiceError::Unexpected(anyhow::anyhow!(e)))?;
        state
            .mailer
            .send(
                &address,
                template.render(lang, &state.settings.phone, &values),
            )
            .await
            .map_err(ServiceError::Unexpected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_hide_most_of_an_address_or_number() {
        assert_eq!(hint("email", "jane@example.org"), "j•••@example.org");
        assert_eq!(hint("sms", "+447700900123"), "•••• ••• 123");
        assert_eq!(
            hint("letter", "Gwen Demo\n12 Woodhouse Street\nLS6 1AB"),
            "LS6 1•• (post)"
        );
    }
}
