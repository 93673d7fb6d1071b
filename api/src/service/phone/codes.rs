//! Issuing voting codes: officers give each verified participant without
//! another way in (no account: verified in person, or from the register) a
//! code for the round, printed on a letter. Only a keyed hash of a code is
//! stored; a new code voids the old one. Every issue is audited by officer.
//!
//! **Letters are printed after the codes are committed.** Printing a
//! thousand letters takes seconds, and on SQLite a write transaction holds
//! the database's one write lock: printing inside it would stop every
//! ballot for that long. So the codes are created and stored in a short
//! transaction, together with a *batch* that keeps the batch's letters
//! (the codes as printed, and any names and addresses given) sealed with a
//! key derived from the server secret; the PDF and CSV are made after the
//! commit. If printing fails or the answer never reaches the officer, the
//! letters are made again from the batch (`reprint`): there is never a
//! code whose letter cannot be had. The sealed letters are deleted as soon
//! as an officer says they are safe (`collect`), after `KEEP_LETTERS`, and
//! when the round's voting closes (`super::seal`), whichever comes first:
//! only then is a code again held nowhere but on its letter.
use super::{code_hash, format_code, letters};
use crate::crypto::{random_code, SealKey, Secret};
use crate::db::begin_write;
use crate::domain::id::{ParticipantId, RoundId};
use crate::domain::{Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::service::{audit, rounds, verification, Actor, Page, PageRequest};
use crate::state::AppState;
use crate::store::{areas, verified_participants, voting_code_batches, voting_codes};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{HashMap, HashSet};

/// The most letters printed in one go: 1,000 pages print in about 1.8 s as
/// a PDF of about 3 MB (`cargo bench -p api --bench letters`), well inside
/// a request's 10 s. A larger mailing is issued in batches.
pub const MAX_LETTERS: usize = 1_000;

/// How long a batch's letters can be made again if the officer has not
/// said they are safe: long enough to retry a failed print or a lost
/// answer the next working morning, short enough that the codes do not
/// sit in the database (sealed) for the whole vote.
pub const KEEP_LETTERS: Duration = Duration::hours(24);

/// Who a letter goes to. The name and address are printed, and kept
/// (sealed) only with the batch until its letters are safe.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub participant_id: ParticipantId,
    pub name: Option<String>,
    pub address: Vec<String>,
}

/// A batch of codes issued together, whose letters can still be made.
#[derive(Clone, Debug)]
pub struct Batch {
    pub id: String,
    pub round_id: RoundId,
    pub issued_by: Option<i64>,
    /// How many codes (letters) it holds.
    pub letters: u32,
    /// Participants still without a code after it.
    pub remaining: u32,
    pub issued_at: DateTime<Utc>,
    /// Until when its letters can be made again.
    pub kept_until: DateTime<Utc>,
}

/// A batch's letters, printed.
pub struct Letters {
    pub batch: Batch,
    /// How many letters were printed: the batch's, less any whose code was
    /// replaced since.
    pub printed: u32,
    pub pdf: Vec<u8>,
    pub csv: String,
}

fn refused(code: ErrorCode, message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, message)
}

/// Issues codes to `recipients`, or (with none named) to every verified,
/// eligible participant of the round who has no account and no code yet,
/// at most `MAX_LETTERS` at a time, then prints their letters. Naming a
/// participant who has a code already issues a new one, which voids the
/// old.
#[tracing::instrument(name = "issue voting codes", skip_all, fields(round.id = round_id.get()))]
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    recipients: Option<Vec<Recipient>>,
) -> ServiceResult<Letters> {
    actor.require(Role::Officer, "issue voting codes")?;
    if let Some(r) = &recipients {
        check_recipients(r)?;
    }
    let (batch, letters) = store_batch(state, actor, round_id, recipients).await?;
    tracing::info!(issued = batch.letters, "voting codes issued");
    print(state, batch, letters).await
}

/// The largest names-and-addresses file read: 1,000 letters of six long
/// lines each fit well inside it.
pub const MAX_ADDRESSES_BYTES: usize = 1024 * 1024;

/// The people to send letters to, read from a names-and-addresses file:
/// CSV with a header row naming a `reference` column (the letter's
/// reference, `V` and the verification's number, as the letters CSV and
/// the officer's page after an in-person check show it), an optional
/// `name` column and up to six address columns (`address_1` to
/// `address_6`, or any whose name starts with "address"), so that the
/// letters CSV itself, with names and addresses filled in, can be given
/// back. Every problem is reported with its line.
pub fn recipients_from_csv(text: &str) -> ServiceResult<Vec<Recipient>> {
    let bad = |m: String| ServiceError::invalid("addresses", m);
    if text.len() > MAX_ADDRESSES_BYTES {
        return Err(bad(format!(
            "the names and addresses file is over {} KiB: send it in parts of at most {MAX_LETTERS} people",
            MAX_ADDRESSES_BYTES / 1024
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| bad("the names and addresses file could not be read as CSV".into()))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    let Some(reference_at) = header.iter().position(|h| h == "reference") else {
        return Err(bad(
            "the names and addresses file needs a header row with a column named reference".into(),
        ));
    };
    let name_at = header.iter().position(|h| h == "name");
    let address_at: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("address"))
        .map(|(i, _)| i)
        .collect();
    if address_at.len() > 6 {
        return Err(bad(
            "the names and addresses file has more than 6 address columns".into(),
        ));
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            bad(format!("line {line} could not be read as CSV"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let reference = record.get(reference_at).unwrap_or_default();
        let number = reference
            .strip_prefix(['V', 'v'])
            .unwrap_or(reference)
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                bad(format!(
                    "line {line}: \"{reference}\" is not a letter reference: a reference is V and a number, like V12"
                ))
            })?;
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        out.push(Recipient {
            participant_id: number.into(),
            name: name_at.map(field).filter(|n| !n.is_empty()),
            address: address_at
                .iter()
                .map(|&i| field(i))
                .filter(|l| !l.is_empty())
                .collect(),
        });
    }
    if out.is_empty() {
        return Err(bad(
            "the names and addresses file has no one in it: one row a person, under the header row"
                .into(),
        ));
    }
    Ok(out)
}

fn check_recipients(list: &[Recipient]) -> ServiceResult<()> {
    if list.len() > MAX_LETTERS {
        return Err(ServiceError::invalid(
            "recipients",
            format!("name at most {MAX_LETTERS} people at a time"),
        ));
    }
    let mut seen = HashSet::new();
    for x in list {
        if !seen.insert(x.participant_id) {
            return Err(ServiceError::invalid(
                "recipients",
                format!(
                    "V{} is named twice: each person can be named once",
                    x.participant_id
                ),
            ));
        }
        if x.address.len() > 6
            || x.name.as_ref().is_some_and(|n| n.chars().count() > 100)
            || x.address.iter().any(|l| l.chars().count() > 100)
        {
            return Err(ServiceError::invalid(
                "recipients",
                "give a name and at most 6 address lines of up to 100 characters each",
            ));
        }
    }
    Ok(())
}

/// The one short write: the round checked, the participants chosen, old
/// codes voided, new codes and the batch (its letters sealed) stored,
/// audited, committed. Nothing is printed here.
async fn store_batch(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    recipients: Option<Vec<Recipient>>,
) -> ServiceResult<(Batch, Vec<letters::Letter>)> {
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let round = rounds::lock_shared(&txn, round_id).await?;
    if round.phase > Phase::Voting || round.phase == Phase::Draft {
        return Err(refused(
            ErrorCode::PhaseClosed,
            format!(
                "voting codes are issued once the round is open and until voting closes: it is {}",
                round.phase.label()
            ),
        ));
    }
    let with_code = with_code(&txn, round_id).await?;
    let (chosen, remaining) = match recipients {
        Some(list) => (named(&txn, &round, list).await?, 0),
        None => waiting(&txn, &round, &with_code).await?,
    };
    if chosen.is_empty() {
        return Err(refused(
            ErrorCode::NotFound,
            "everyone who can vote in this round without an account already has a voting code",
        ));
    }
    let reissued = void_old(&txn, &chosen, &with_code, now).await?;
    let letters = store_codes(&txn, &state.secret, actor, &chosen, now).await?;
    let batch = Batch {
        id: uuid::Uuid::new_v4().to_string(),
        round_id,
        issued_by: Some(actor.account_id.get()),
        letters: letters.len() as u32,
        remaining,
        issued_at: now,
        kept_until: now + KEEP_LETTERS,
    };
    keep_letters(&txn, &state.secret, &batch, &letters).await?;
    // Names verification records: deleted with the round's verification
    // data, like every entry about a person's verification.
    audit::record_personal(
        &txn,
        round_id,
        Some(actor.account_id.get()),
        "voting_codes.issued",
        "round",
        round_id,
        serde_json::json!({
            "batch": batch.id,
            "issued": chosen.len(),
            "reissued": reissued,
            // References only: never a code, name or address.
            "verifications": chosen.iter().map(|(r, _)| r.id).collect::<Vec<_>>(),
        }),
    )
    .await
    .context("auditing voting codes")?;
    txn.commit().await.context("committing voting codes")?;
    Ok((batch, letters))
}

/// The participants of the round who hold a live code.
async fn with_code(txn: &DatabaseTransaction, round_id: RoundId) -> ServiceResult<HashSet<i64>> {
    Ok(voting_codes::Entity::find()
        .filter(voting_codes::Column::RoundId.eq(round_id))
        .filter(voting_codes::Column::VoidedAt.is_null())
        .all(txn)
        .await
        .context("loading voting codes")?
        .into_iter()
        .map(|c| c.participant_id)
        .collect())
}

type Chosen = Vec<(verified_participants::Model, Recipient)>;

/// The people an officer named, each verified for this round and able to
/// vote in it.
async fn named(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    list: Vec<Recipient>,
) -> ServiceResult<Chosen> {
    let ids: Vec<ParticipantId> = list.iter().map(|r| r.participant_id).collect();
    let records: HashMap<i64, verified_participants::Model> = verified_participants::Entity::find()
        .filter(verified_participants::Column::Id.is_in(ids))
        .filter(verified_participants::Column::RoundId.eq(round.id))
        .lock_exclusive()
        .all(txn)
        .await
        .context("loading participants")?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        let record = records
            .get(&r.participant_id.get())
            .cloned()
            .ok_or_else(|| {
                ServiceError::invalid(
                    "recipients",
                    format!(
                        "V{} is not the reference of anyone verified for this round",
                        r.participant_id
                    ),
                )
            })?;
        if verification::eligible(round, &record).is_err() {
            return Err(refused(
                ErrorCode::NotVerified,
                format!(
                    "V{} cannot vote in this round yet: finish or resolve their verification first",
                    r.participant_id
                ),
            ));
        }
        out.push((record, r));
    }
    Ok(out)
}

/// Everyone able to vote in the round with no account and no code yet, at
/// most `MAX_LETTERS`, and how many more are waiting.
async fn waiting(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    with_code: &HashSet<i64>,
) -> ServiceResult<(Chosen, u32)> {
    let waiting: Vec<verified_participants::Model> = verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round.id))
        .filter(verified_participants::Column::AccountId.is_null())
        .order_by_asc(verified_participants::Column::Id)
        .all(txn)
        .await
        .context("loading participants")?
        .into_iter()
        .filter(|r| !with_code.contains(&r.id) && verification::eligible(round, r).is_ok())
        .collect();
    let remaining = waiting.len().saturating_sub(MAX_LETTERS) as u32;
    let chosen = waiting
        .into_iter()
        .take(MAX_LETTERS)
        .map(|r| {
            let recipient = Recipient {
                participant_id: r.id.into(),
                name: None,
                address: Vec::new(),
            };
            (r, recipient)
        })
        .collect();
    Ok((chosen, remaining))
}

/// Voids the live codes of the chosen who had one; returns how many.
async fn void_old(
    txn: &DatabaseTransaction,
    chosen: &Chosen,
    with_code: &HashSet<i64>,
    now: DateTime<Utc>,
) -> ServiceResult<usize> {
    let reissued: Vec<i64> = chosen
        .iter()
        .map(|(r, _)| r.id)
        .filter(|id| with_code.contains(id))
        .collect();
    if !reissued.is_empty() {
        voting_codes::Entity::update_many()
            .col_expr(
                voting_codes::Column::VoidedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(voting_codes::Column::ParticipantId.is_in(reissued.clone()))
            .filter(voting_codes::Column::VoidedAt.is_null())
            .exec(txn)
            .await
            .context("voiding old voting codes")?;
    }
    Ok(reissued.len())
}

/// A new code for each of the chosen, stored as a keyed hash; returns
/// their letters.
async fn store_codes(
    txn: &DatabaseTransaction,
    secret: &Secret,
    actor: &Actor,
    chosen: &Chosen,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<letters::Letter>> {
    let area_names: HashMap<i64, (String, Option<String>)> = areas::Entity::find()
        .all(txn)
        .await
        .context("loading areas")?
        .into_iter()
        .map(|a| (a.id, (a.name, a.name_cy)))
        .collect();
    let mut letters_out = Vec::with_capacity(chosen.len());
    let mut rows = Vec::with_capacity(chosen.len());
    for (record, recipient) in chosen {
        let digits = random_code(super::CODE_DIGITS as u32);
        rows.push(voting_codes::ActiveModel {
            round_id: Set(record.round_id),
            participant_id: Set(record.id),
            code_hmac: Set(code_hash(secret, &digits)),
            phone_hmac: Set(None),
            issued_by: Set(Some(actor.account_id.get())),
            issued_at: Set(now),
            voided_at: Set(None),
            ..Default::default()
        });
        letters_out.push(letters::Letter {
            reference: format!("V{}", record.id),
            name: recipient.name.clone(),
            address: recipient.address.clone(),
            area: area_names
                .get(&record.area_id)
                .map(|(en, _)| en.clone())
                .unwrap_or_default(),
            area_cy: area_names
                .get(&record.area_id)
                .and_then(|(_, cy)| cy.clone()),
            code: format_code(&digits),
        });
    }
    for chunk in rows.chunks(500) {
        voting_codes::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await
            .context("storing voting codes")?;
    }
    Ok(letters_out)
}

/// The key that seals a batch's letters, and what binds them to it.
fn letters_key(secret: &Secret) -> SealKey {
    secret.seal_key("voting-code-letters")
}

fn letters_context(id: &str, round_id: RoundId) -> String {
    format!("voting_code_batches:{id}:{round_id}")
}

async fn keep_letters(
    txn: &DatabaseTransaction,
    secret: &Secret,
    batch: &Batch,
    letters: &[letters::Letter],
) -> ServiceResult<()> {
    let plain = serde_json::to_vec(letters)
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("keeping letters: {e}")))?;
    voting_code_batches::Entity::insert(voting_code_batches::ActiveModel {
        id: Set(batch.id.clone()),
        round_id: Set(batch.round_id.get()),
        issued_by: Set(batch.issued_by),
        letters: Set(batch.letters as i32),
        remaining: Set(batch.remaining as i32),
        sealed: Set(letters_key(secret).seal(&letters_context(&batch.id, batch.round_id), &plain)),
        issued_at: Set(batch.issued_at),
        kept_until: Set(batch.kept_until),
        posted: Set(0),
        posting_until: Set(None),
    })
    .exec_without_returning(txn)
    .await
    .context("keeping a batch of letters")?;
    Ok(())
}

/// Prints a batch's letters as PDF and CSV, off the async threads and
/// outside any transaction. A failure leaves the batch to print again.
async fn print(
    state: &AppState,
    batch: Batch,
    letters: Vec<letters::Letter>,
) -> ServiceResult<Letters> {
    let round = rounds::load(&state.db, batch.round_id).await?;
    let words = letters::Words::from_settings(&state.settings, &round);
    let printed = letters.len() as u32;
    let made = tokio::task::spawn_blocking(move || -> ServiceResult<_> {
        let csv = letters::csv(&words, &letters)?;
        let pdf = letters::pdf(&words, &letters)?;
        Ok((pdf, csv))
    })
    .await
    .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("printing letters: {e}")))
    .and_then(|r| r);
    match made {
        Ok((pdf, csv)) => Ok(Letters {
            batch,
            printed,
            pdf,
            csv,
        }),
        Err(e) => {
            tracing::error!(error = %e, batch.id = %batch.id, "printing voting-code letters");
            Err(refused(
                ErrorCode::LettersNotPrinted,
                format!(
                    "the voting codes are issued (batch {}), but their letters could not be printed: make them again with reprintVotingCodeLetters before {}",
                    batch.id,
                    batch.kept_until.format("%Y-%m-%d %H:%M UTC")
                ),
            ))
        }
    }
}

fn to_batch(row: &voting_code_batches::Model) -> Batch {
    Batch {
        id: row.id.clone(),
        round_id: row.round_id.into(),
        issued_by: row.issued_by,
        letters: row.letters.max(0) as u32,
        remaining: row.remaining.max(0) as u32,
        issued_at: row.issued_at,
        kept_until: row.kept_until,
    }
}

fn no_batch() -> ServiceError {
    refused(
        ErrorCode::NotFound,
        "no letters are kept for that batch: they were collected, or their time (a day, or until voting closed) is over. Issue new codes to the people concerned (a new code voids the old)",
    )
}

/// A batch whose letters can still be made, read inside `txn`.
async fn kept_batch(
    txn: &DatabaseTransaction,
    batch_id: &str,
    now: DateTime<Utc>,
) -> ServiceResult<voting_code_batches::Model> {
    if uuid::Uuid::parse_str(batch_id).is_err() {
        return Err(no_batch());
    }
    voting_code_batches::Entity::find_by_id(batch_id.to_owned())
        .lock_exclusive()
        .one(txn)
        .await
        .context("loading a batch of letters")?
        .filter(|b| b.kept_until > now)
        .ok_or_else(no_batch)
}

/// Makes a batch's letters again (the answer to `issue` was lost, or
/// printing failed), while they are kept. Letters whose code was replaced
/// since are left out. Audited by officer.
#[tracing::instrument(name = "reprint voting codes", skip_all)]
pub async fn reprint(state: &AppState, actor: &Actor, batch_id: &str) -> ServiceResult<Letters> {
    actor.require(Role::Officer, "make voting-code letters")?;
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let row = kept_batch(&txn, batch_id, now).await?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "voting_codes.reprinted",
        "round",
        row.round_id,
        serde_json::json!({ "batch": row.id }),
    )
    .await
    .context("auditing a reprint")?;
    txn.commit().await.context("committing a reprint")?;
    let letters: Vec<letters::Letter> = letters_key(&state.secret)
        .open(&letters_context(&row.id, row.round_id.into()), &row.sealed)
        .and_then(|plain| serde_json::from_slice(&plain).ok())
        .ok_or_else(|| {
            ServiceError::Unexpected(anyhow::anyhow!("a batch's letters do not open"))
        })?;
    let live = live_codes(state, row.round_id.into(), &letters).await?;
    let letters = letters
        .into_iter()
        .filter(|l| live.contains(&l.code))
        .collect();
    print(state, to_batch(&row), letters).await
}

/// The codes (as printed) among `letters` that are still live.
async fn live_codes(
    state: &AppState,
    round_id: RoundId,
    letters: &[letters::Letter],
) -> ServiceResult<HashSet<String>> {
    let by_hash: HashMap<String, &str> = letters
        .iter()
        .map(|l| {
            let digits: String = l.code.chars().filter(char::is_ascii_digit).collect();
            (code_hash(&state.secret, &digits), l.code.as_str())
        })
        .collect();
    let mut live = HashSet::new();
    let hashes: Vec<String> = by_hash.keys().cloned().collect();
    for chunk in hashes.chunks(500) {
        let rows: Vec<String> = voting_codes::Entity::find()
            .select_only()
            .column(voting_codes::Column::CodeHmac)
            .filter(voting_codes::Column::RoundId.eq(round_id))
            .filter(voting_codes::Column::VoidedAt.is_null())
            .filter(voting_codes::Column::CodeHmac.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&state.db)
            .await
            .context("checking voting codes")?;
        live.extend(
            rows.iter()
                .filter_map(|h| by_hash.get(h))
                .map(|c| c.to_string()),
        );
    }
    Ok(live)
}

/// How long one request to post a batch holds it.
const POSTING_HOLD: Duration = Duration::minutes(10);

/// A batch's letters posted.
pub struct Posted {
    pub batch: Batch,
    /// Letters posted, by this request and any before it.
    pub posted: u32,
}

/// Posts a batch's letters through GOV.UK Notify, each as its own
/// precompiled letter with the address in Notify's address block, then
/// forgets them as `collect` does. Every letter needs a name and address
/// (issue the batch with a names-and-addresses file). A batch interrupted
/// half way (Notify unreachable) keeps count of the letters posted and goes
/// on from there when asked again, so that nobody gets two; two requests at
/// once do not both post it. Audited by officer.
#[tracing::instrument(name = "post voting-code letters", skip_all)]
pub async fn post(state: &AppState, actor: &Actor, batch_id: &str) -> ServiceResult<Posted> {
    actor.require(Role::Officer, "post voting-code letters")?;
    if !state.letters.available() {
        return Err(refused(
            ErrorCode::InvalidInput,
            "this council does not post letters through GOV.UK Notify: print them, or send the CSV to the print supplier",
        ));
    }
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let row = kept_batch(&txn, batch_id, now).await?;
    if row.posting_until.is_some_and(|until| until > now) {
        return Err(refused(
            ErrorCode::InvalidInput,
            "this batch's letters are being posted already: wait a few minutes and look again",
        ));
    }
    let letters: Vec<letters::Letter> = letters_key(&state.secret)
        .open(&letters_context(&row.id, row.round_id.into()), &row.sealed)
        .and_then(|plain| serde_json::from_slice(&plain).ok())
        .ok_or_else(|| {
            ServiceError::Unexpected(anyhow::anyhow!("a batch's letters do not open"))
        })?;
    let without = letters
        .iter()
        .filter(|l| l.name.is_none() || l.address.is_empty())
        .count();
    if without > 0 {
        return Err(refused(
            ErrorCode::InvalidInput,
            format!(
                "{without} of this batch's {} letters have no name and address: issue them with a names-and-addresses file to post them, or print them",
                letters.len()
            ),
        ));
    }
    if let Some(why) = letters.iter().find_map(|l| letters::postable(l).err()) {
        return Err(refused(ErrorCode::InvalidInput, why));
    }
    voting_code_batches::Entity::update_many()
        .col_expr(
            voting_code_batches::Column::PostingUntil,
            Expr::value(now + POSTING_HOLD),
        )
        .filter(voting_code_batches::Column::Id.eq(row.id.clone()))
        .exec(&txn)
        .await
        .context("holding a batch to post")?;
    txn.commit().await.context("holding a batch to post")?;

    // Letters whose code was replaced since are not posted, as a reprint
    // leaves them out; the order is the batch's, so that a second request
    // goes on where the first stopped.
    let live = live_codes(state, row.round_id.into(), &letters).await?;
    let round = rounds::load(&state.db, row.round_id.into()).await?;
    let words = letters::Words::from_settings(&state.settings, &round);
    // How far through the batch's letters, in order: each is posted, or
    // left out as its code was replaced.
    let mut done = u32::try_from(row.posted).unwrap_or(0);
    let sent_before = |done: u32| {
        letters
            .iter()
            .take(done as usize)
            .filter(|l| live.contains(&l.code))
            .count() as u32
    };
    let short = &row.id[..8];
    for (n, letter) in letters.iter().enumerate().skip(done as usize) {
        if live.contains(&letter.code) {
            let pdf = {
                let (words, letter) = (words.clone(), letter.clone());
                tokio::task::spawn_blocking(move || letters::pdf_for_post(&words, &letter))
                    .await
                    .map_err(|e| {
                        ServiceError::Unexpected(anyhow::anyhow!("printing a letter: {e}"))
                    })??
            };
            if let Err(e) = state
                .letters
                .send_pdf(&format!("voting-codes-{short}-{}", n + 1), &pdf)
                .await
            {
                let posted = sent_before(done);
                tracing::warn!(error = %e, posted, "posting voting-code letters");
                release(state, &row.id).await?;
                return Err(refused(
                    ErrorCode::LettersNotPrinted,
                    format!(
                        "{posted} of the batch's {} letters were posted, then GOV.UK Notify could not be reached: post the batch again to send the rest (none is sent twice)",
                        letters.len()
                    ),
                ));
            }
        }
        done = n as u32 + 1;
        voting_code_batches::Entity::update_many()
            .col_expr(
                voting_code_batches::Column::Posted,
                Expr::value(done as i32),
            )
            .filter(voting_code_batches::Column::Id.eq(row.id.clone()))
            .exec(&state.db)
            .await
            .context("counting posted letters")?;
    }
    let posted = sent_before(done);
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    voting_code_batches::Entity::delete_by_id(row.id.clone())
        .exec(&txn)
        .await
        .context("forgetting a batch of letters")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "voting_codes.posted",
        "round",
        row.round_id,
        serde_json::json!({ "batch": row.id, "letters": posted }),
    )
    .await
    .context("auditing posted letters")?;
    txn.commit().await.context("committing posted letters")?;
    tracing::info!(letters = posted, "voting-code letters posted");
    Ok(Posted {
        batch: to_batch(&row),
        posted,
    })
}

/// Lets another request post a batch that stopped half way.
async fn release(state: &AppState, batch_id: &str) -> ServiceResult<()> {
    voting_code_batches::Entity::update_many()
        .col_expr(
            voting_code_batches::Column::PostingUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(voting_code_batches::Column::Id.eq(batch_id.to_owned()))
        .exec(&state.db)
        .await
        .context("releasing a batch")?;
    Ok(())
}

/// The officer has the batch's letters safe: the server forgets them (the
/// codes stay, as keyed hashes). Audited by officer.
#[tracing::instrument(name = "collect voting-code letters", skip_all)]
pub async fn collect(state: &AppState, actor: &Actor, batch_id: &str) -> ServiceResult<Batch> {
    actor.require(Role::Officer, "collect voting-code letters")?;
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let row = kept_batch(&txn, batch_id, now).await?;
    voting_code_batches::Entity::delete_by_id(row.id.clone())
        .exec(&txn)
        .await
        .context("forgetting a batch of letters")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "voting_codes.collected",
        "round",
        row.round_id,
        serde_json::json!({ "batch": row.id }),
    )
    .await
    .context("auditing a collection")?;
    txn.commit().await.context("committing a collection")?;
    Ok(to_batch(&row))
}

/// Officers: whose paper ballot form this is, from the voting code printed
/// on the letter it came with, so that a form returned by post can be
/// entered (`castAssistedBallot` with the `PAPER` channel) long after the
/// person was verified. Only a live code of this round finds anyone: one
/// replaced by a newer letter does not, and once voting has closed the
/// answer says so. Each look-up counts against `PAPER_FORM_LOOKUPS`.
pub async fn paper_form_voter(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    code: &str,
) -> ServiceResult<verification::Participant> {
    actor.require(Role::Officer, "enter paper ballots")?;
    let digits = super::code_digits(code).ok_or_else(|| {
        ServiceError::invalid(
            "votingCode",
            "Enter the 16-digit voting code printed on the form",
        )
    })?;
    let key = format!("officer:{}", actor.account_id.get());
    let unknown = || {
        refused(
            ErrorCode::InvalidCode,
            "That is not a voting code of this round: check the 16 digits on the form. A code replaced by a newer letter no longer works.",
        )
    };
    match super::check_code(
        &state.db,
        &state.secret,
        &super::PAPER_FORM_LOOKUPS,
        &key,
        &digits,
    )
    .await?
    {
        super::CodeIs::Valid(found) if found.round_id == round_id.get() => {
            verification::participant(&state.db, found.participant_id.into())
                .await?
                .ok_or_else(unknown)
        }
        super::CodeIs::Closed(r) if r == round_id => Err(refused(
            ErrorCode::VotingClosed,
            "Voting in this round has closed: a paper ballot form can no longer be entered.",
        )),
        _ => Err(unknown()),
    }
}

/// Officers: a round's batches whose letters can still be made, newest
/// first.
pub async fn batches(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    page: PageRequest,
) -> ServiceResult<Page<Batch>> {
    actor.require(Role::Officer, "see voting-code letters")?;
    rounds::load(&state.db, round_id).await?;
    let rows = voting_code_batches::Entity::find()
        .filter(voting_code_batches::Column::RoundId.eq(round_id))
        .filter(voting_code_batches::Column::KeptUntil.gt(Utc::now()))
        .order_by_desc(voting_code_batches::Column::IssuedAt)
        .order_by_asc(voting_code_batches::Column::Id)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(&state.db)
        .await
        .context("listing batches of letters")?;
    Ok(Page::from_rows(rows.iter().map(to_batch).collect(), page))
}
