//! Voting by phone: residents with no email or smartphone vote by text
//! message or on a telephone keypad, identified by the voting code on a
//! letter the council posts them (or, by text, by a phone number they
//! verified or already used with their code).
//!
//! - `codes`: issuing voting codes and printing the letters (`letters`).
//! - `sms`: the inbound text-message webhook (`VOTE 3 7 12`, `BIDS`…).
//! - `voice`: the telephone keypad webhook, a call's steps kept in the
//!   database so that any instance can answer the next one.
//! - `phrases`: sentences about a ballot, from the dictionary of what
//!   people read and hear (`crate::words`), in English or Welsh.
//! - `signature`: the gateway's request signatures. Its answers (TwiML)
//!   are written at the HTTP edge (`http::twiml`) from what `sms` and
//!   `voice` decide to say.
//!
//! Every ballot goes through the one `voting` service, with the same
//! checks, receipts, replacement rule and idempotency as the browser.
//! Codes and phone numbers are kept only as keyed hashes and never logged.
use super::{limits, rounds, verification};
use crate::crypto::Secret;
use crate::db::begin_write;
use crate::domain::id::{BidId, ParticipantId, RoundId};
use crate::domain::{ballot::BallotKind, vote::Choice, Language, Pence, Phase};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{
    areas, bids, phone_calls, phone_messages, verified_participants, voting_code_batches,
    voting_codes,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

pub mod codes;
pub mod letters;
pub mod phrases;
pub mod signature;
pub mod sms;
pub mod voice;

/// The number of digits in a voting code: 10^16 codes, so that even a
/// million live codes and a million guesses leave a chance of a hit below
/// one in ten thousand (each phone number has `CODE_ATTEMPTS` an hour).
pub const CODE_DIGITS: usize = 16;

/// Voting-code attempts one phone number may make in an hour, right or
/// wrong.
pub const CODE_ATTEMPTS: limits::Limit = limits::Limit {
    bucket: "voting-code",
    max: 10,
    window: Duration::hours(1),
    message: "too many voting codes tried from this phone: try again in an hour",
};

/// Paper ballot forms one officer may look up by their voting code in an
/// hour: a day's post at one sitting, not a search of the codes.
pub const PAPER_FORM_LOOKUPS: limits::Limit = limits::Limit {
    bucket: "paper-form",
    max: 300,
    window: Duration::hours(1),
    message: "too many paper ballot forms looked up: try again in an hour",
};

/// The keyed hash a voting code is stored and found by.
pub(crate) fn code_hash(secret: &Secret, digits: &str) -> String {
    secret.keyed_hash("voting-code", digits)
}

/// The keyed hash of a caller's number, for rate limits and for matching a
/// number verified by code. A UK mobile number is hashed in the same form
/// verification uses; anything else as sent.
pub(crate) fn phone_key(secret: &Secret, from: &str) -> (String, bool) {
    match crate::domain::PhoneNumber::parse(from) {
        Ok(p) => (verification::phone_hash(secret, &p), true),
        Err(_) => (secret.keyed_hash("phone", from.trim()), false),
    }
}

/// What calls and texts leave in the database (where a call has got to,
/// the reply to a text) is sealed with this key (`Secret::seal_key`), bound
/// to its table and the gateway's id: the database files alone do not link
/// a call or a message to a participant, their choices or their receipt.
fn state_key(secret: &Secret) -> crate::crypto::SealKey {
    secret.seal_key("phone-state")
}

/// Seals `plain` for the row `id` of `table`.
pub(crate) fn seal_state(secret: &Secret, table: &str, id: &str, plain: &str) -> String {
    state_key(secret).seal(&format!("{table}:{id}"), plain.as_bytes())
}

/// Opens what `seal_state` sealed; `None` for anything else (a row written
/// before sealing, or altered), which is then treated as absent.
pub(crate) fn open_state(secret: &Secret, table: &str, id: &str, sealed: &str) -> Option<String> {
    state_key(secret)
        .open(&format!("{table}:{id}"), sealed)
        .and_then(|b| String::from_utf8(b).ok())
}

/// The digits of a voting code as typed (spaces and dashes allowed).
pub(crate) fn code_digits(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == CODE_DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A voting code as printed: four groups of four.
pub fn format_code(digits: &str) -> String {
    digits
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Who a message or call is from, once identified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub round_id: RoundId,
    pub participant_id: ParticipantId,
}

/// What a voting code is.
pub(crate) enum CodeIs {
    /// A code of a round in voting (or about to be).
    Valid(voting_codes::Model),
    /// A code of a round whose voting has closed.
    Closed(RoundId),
    /// Not a code (or one replaced by a new one).
    Unknown,
}

/// Takes one voting-code attempt for `caller_key` and looks the code up:
/// `Err(RATE_LIMITED)` once the caller has used their attempts.
pub(crate) async fn check_code(
    db: &DatabaseConnection,
    secret: &Secret,
    limit: &limits::Limit,
    caller_key: &str,
    digits: &str,
) -> ServiceResult<CodeIs> {
    let txn = begin_write(db).await.context("starting a transaction")?;
    limits::take(&txn, limit, caller_key).await?;
    txn.commit().await.context("recording a code attempt")?;
    let hmac = code_hash(secret, digits);
    if let Some(found) = voting_codes::Entity::find()
        .filter(voting_codes::Column::CodeHmac.eq(&hmac))
        .filter(voting_codes::Column::VoidedAt.is_null())
        .one(db)
        .await
        .context("looking up a voting code")?
    {
        return Ok(CodeIs::Valid(found));
    }
    Ok(crate::store::closed_codes::Entity::find()
        .filter(crate::store::closed_codes::Column::CodeHmac.eq(&hmac))
        .one(db)
        .await
        .context("looking up a closed code")?
        .map_or(CodeIs::Unknown, |c| CodeIs::Closed(c.round_id.into())))
}

/// What a phone number alone says about who is texting.
pub(crate) enum ByPhone {
    Nobody,
    One(Participant),
    /// More than one voter (a household's shared phone, or two rounds).
    Several,
}

/// The participants in rounds now in voting whose number this is: proven
/// by a code sent to it (a text-message verification code), or used with
/// their voting code before. A number that was only typed (by an officer,
/// on a form) identifies no one: a typo must not hand a vote to whoever
/// holds the mistyped number.
pub(crate) async fn by_phone(db: &DatabaseConnection, phone_hmac: &str) -> ServiceResult<ByPhone> {
    let mut found: Vec<Participant> = verified_participants::Entity::find()
        .filter(verified_participants::Column::PhoneHmac.eq(phone_hmac))
        .filter(verified_participants::Column::PhoneProven.eq(true))
        .all(db)
        .await
        .context("finding a phone number")?
        .into_iter()
        .map(|r| Participant {
            round_id: r.round_id.into(),
            participant_id: r.id.into(),
        })
        .collect();
    found.extend(
        voting_codes::Entity::find()
            .filter(voting_codes::Column::PhoneHmac.eq(phone_hmac))
            .filter(voting_codes::Column::VoidedAt.is_null())
            .all(db)
            .await
            .context("finding a phone number")?
            .into_iter()
            .map(|c| Participant {
                round_id: c.round_id.into(),
                participant_id: c.participant_id.into(),
            }),
    );
    found.sort_by_key(|p| (p.round_id, p.participant_id));
    found.dedup();
    let mut in_voting = Vec::new();
    for p in found {
        let round = rounds::load(db, p.round_id).await?;
        if round.phase == Phase::Voting {
            in_voting.push(p);
        }
    }
    Ok(match in_voting.as_slice() {
        [] => ByPhone::Nobody,
        [one] => ByPhone::One(*one),
        _ => ByPhone::Several,
    })
}

/// A participant's ballot as the phone reads it: the bids of their area's
/// pot, numbered from 1 in the order every channel lists them.
#[derive(Clone, Debug)]
pub struct PhoneBallot {
    pub round: rounds::Round,
    pub participant_id: ParticipantId,
    pub area_name: String,
    pub area_name_cy: Option<String>,
    pub pot: Pence,
    pub bids: Vec<bids::Model>,
}

/// Why a participant cannot use the phone ballot now.
pub(crate) enum NoBallot {
    NotOpen,
    Closed,
    NotVerified,
    NotEligible,
}

pub(crate) async fn ballot_for(
    db: &impl ConnectionTrait,
    who: Participant,
) -> ServiceResult<Result<PhoneBallot, NoBallot>> {
    let round = rounds::load(db, who.round_id).await?;
    let now = Utc::now();
    if !round.is_in(Phase::Voting, now) {
        return Ok(Err(if round.phase < Phase::Voting {
            NoBallot::NotOpen
        } else {
            NoBallot::Closed
        }));
    }
    let Some(record) = verified_participants::Entity::find_by_id(who.participant_id.get())
        .one(db)
        .await
        .context("finding the voter")?
    else {
        return Ok(Err(NoBallot::NotVerified));
    };
    let eligible = match verification::eligible(&round, &record) {
        Ok(e) => e,
        Err(verification::Ineligible::NotVerified) => return Ok(Err(NoBallot::NotVerified)),
        Err(verification::Ineligible::NotEligible) => return Ok(Err(NoBallot::NotEligible)),
    };
    let Some(pot) = round.pot_for_area(eligible.area_id).cloned() else {
        return Ok(Err(NoBallot::NotEligible));
    };
    let (area_name, area_name_cy) = areas::Entity::find_by_id(eligible.area_id.get())
        .one(db)
        .await
        .context("loading the area")?
        .map(|a| (a.name, a.name_cy))
        .unwrap_or_default();
    let bids = super::voting::ballot_bids(db, pot.id).await?;
    Ok(Ok(PhoneBallot {
        round,
        participant_id: who.participant_id,
        area_name,
        area_name_cy,
        pot: pot.amount,
        bids,
    }))
}

/// What the voter entered: bid numbers (in order, for a ranking), or bid
/// numbers each with a number (a score, points, or pounds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    Numbers(Vec<u32>),
    Pairs(Vec<(u32, i64)>),
}

/// Why an entry does not make a ballot, before the voting service's own
/// checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryProblem {
    /// A number that is no bid on this ballot.
    NoSuchBid(u32),
    /// Bid numbers alone where numbers for each are needed, or the reverse.
    WrongShape,
}

impl PhoneBallot {
    /// The area's name in `lang`: the Welsh where the council gave one.
    pub fn area(&self, lang: Language) -> &str {
        lang.pick(&self.area_name, self.area_name_cy.as_deref())
    }

    /// A bid's title in `lang`: the Welsh where its group gave one.
    pub fn bid_title<'a>(&self, lang: Language, bid: &'a bids::Model) -> &'a str {
        lang.pick(&bid.title, bid.title_cy.as_deref())
    }

    /// The ballot's choices from what was entered.
    pub fn choices(&self, entry: &Entry) -> Result<Vec<Choice>, EntryProblem> {
        let with_values = matches!(
            self.round.ballot.kind,
            BallotKind::Scoring | BallotKind::PointsAllocation | BallotKind::MoneyAllocation
        );
        let bid = |n: u32| -> Result<i64, EntryProblem> {
            self.bids
                .get((n as usize).wrapping_sub(1))
                .map(|b| b.id)
                .ok_or(EntryProblem::NoSuchBid(n))
        };
        match (entry, with_values) {
            (Entry::Numbers(ns), false) => ns
                .iter()
                .map(|&n| {
                    Ok(Choice {
                        bid_id: (bid(n)?).into(),
                        value: None,
                    })
                })
                .collect(),
            (Entry::Pairs(ps), true) => ps
                .iter()
                .map(|&(n, v)| {
                    let value = if self.round.ballot.kind == BallotKind::MoneyAllocation {
                        v.saturating_mul(100)
                    } else {
                        v
                    };
                    Ok(Choice {
                        bid_id: (bid(n)?).into(),
                        value: Some(value),
                    })
                })
                .collect(),
            _ => Err(EntryProblem::WrongShape),
        }
    }

    /// The number of a bid on this ballot.
    pub fn number_of(&self, bid_id: BidId) -> Option<usize> {
        self.bids
            .iter()
            .position(|b| b.id == bid_id.get())
            .map(|i| i + 1)
    }

    pub fn closes_at(&self) -> Option<DateTime<Utc>> {
        self.round.schedule.voting_closes_at
    }
}

// Dates and days left as people say them, in the UK's calendar days.
pub use crate::words::dates::{day, left, uk_day};

/// A refusal from the voting service as one sentence for a text message or
/// a call. The service's English messages are written for residents and
/// say the particulars ("choose no more than 2 bids"); in another language
/// the refusal is said by its code.
pub fn refusal(lang: Language, error: &ServiceError) -> String {
    let w = crate::words::of(lang);
    let ServiceError::Refused { code, message, .. } = error else {
        return w.something_went_wrong.into();
    };
    if lang == Language::En {
        let mut s = message.clone();
        if let Some(first) = s.get(0..1) {
            s.replace_range(0..1, &first.to_uppercase());
        }
        if !s.ends_with('.') {
            s.push('.');
        }
        return s;
    }
    match code {
        ErrorCode::TooManyChoices => w.refusal_too_many_choices,
        ErrorCode::TooFewChoices => w.refusal_too_few_choices,
        ErrorCode::OverBudget => w.refusal_over_budget,
        ErrorCode::DuplicateRank => w.refusal_duplicate_rank,
        ErrorCode::ScoreOutOfRange => w.refusal_score_out_of_range,
        ErrorCode::PointsExceedLimit => w.refusal_points_exceed_limit,
        ErrorCode::BidNotInPot => w.refusal_bid_not_in_pot,
        ErrorCode::VotingClosed => w.refusal_voting_closed,
        ErrorCode::NotEligible => w.refusal_not_eligible,
        ErrorCode::NotVerified => w.refusal_not_verified,
        ErrorCode::AlreadyVoted => w.refusal_already_voted,
        ErrorCode::RateLimited => w.refusal_rate_limited,
        _ => w.refusal_other,
    }
    .into()
}

/// A code of a round whose voting has closed, in one sentence: "Voting in
/// {round} has closed."
pub(crate) async fn closed_round(
    db: &impl ConnectionTrait,
    lang: Language,
    round_id: RoundId,
) -> ServiceResult<String> {
    let round = rounds::load(db, round_id).await?;
    Ok(no_ballot(lang, &NoBallot::Closed, round.title_in(lang)))
}

/// Why there is no ballot, in one sentence, for texts and calls alike.
pub(crate) fn no_ballot(lang: Language, why: &NoBallot, round: &str) -> String {
    let w = crate::words::of(lang);
    let text = match why {
        NoBallot::NotOpen => w.no_ballot_not_open,
        NoBallot::Closed => w.no_ballot_closed,
        NoBallot::NotVerified => w.no_ballot_not_verified,
        NoBallot::NotEligible => w.no_ballot_not_eligible,
    };
    crate::words::fill(text, &[("round", round)])
}

/// Forgets calls left more than an hour, replies more than a day old, and
/// batches of letters past their time.
pub async fn prune(db: &impl ConnectionTrait) -> ServiceResult<()> {
    let now = Utc::now();
    phone_calls::Entity::delete_many()
        .filter(phone_calls::Column::UpdatedAt.lt(now - Duration::hours(1)))
        .exec(db)
        .await
        .context("pruning telephone calls")?;
    phone_messages::Entity::delete_many()
        .filter(phone_messages::Column::CreatedAt.lt(now - Duration::days(1)))
        .exec(db)
        .await
        .context("pruning text-message replies")?;
    voting_code_batches::Entity::delete_many()
        .filter(voting_code_batches::Column::KeptUntil.lt(now))
        .exec(db)
        .await
        .context("pruning batches of letters")?;
    Ok(())
}

/// At close: everything that could tie a phone, a code or a call to a
/// ballot goes, in the transaction that closes voting. Only the codes' keyed
/// hashes stay, each with the round alone (`closed_codes`), so that a code
/// from a letter is answered "voting has closed".
pub async fn seal(db: &impl ConnectionTrait, round_id: RoundId) -> ServiceResult<()> {
    use sea_orm::sea_query::{Alias, Query};
    let keep = Query::insert()
        .into_table(Alias::new("closed_codes"))
        .columns([Alias::new("code_hmac"), Alias::new("round_id")])
        .select_from(
            Query::select()
                .columns([
                    voting_codes::Column::CodeHmac,
                    voting_codes::Column::RoundId,
                ])
                .from(voting_codes::Entity)
                .and_where(voting_codes::Column::RoundId.eq(round_id.get()))
                .and_where(voting_codes::Column::VoidedAt.is_null())
                .to_owned(),
        )
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("keeping closed codes: {e}")))?
        .to_owned();
    db.execute_raw(db.get_database_backend().build(&keep))
        .await
        .context("keeping the codes' hashes")?;
    phone_calls::Entity::delete_many()
        .filter(phone_calls::Column::RoundId.eq(round_id))
        .exec(db)
        .await
        .context("removing telephone calls")?;
    phone_messages::Entity::delete_many()
        .filter(phone_messages::Column::RoundId.eq(round_id))
        .exec(db)
        .await
        .context("removing text-message replies")?;
    voting_codes::Entity::delete_many()
        .filter(voting_codes::Column::RoundId.eq(round_id))
        .exec(db)
        .await
        .context("removing voting codes")?;
    voting_code_batches::Entity::delete_many()
        .filter(voting_code_batches::Column::RoundId.eq(round_id))
        .exec(db)
        .await
        .context("removing batches of letters")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_typed() {
        assert_eq!(
            code_digits("1234 5678-9012 3456").as_deref(),
            Some("1234567890123456")
        );
        assert_eq!(code_digits("1234 5678 9012 345"), None);
        assert_eq!(code_digits("1234 5678 9012 345X"), None);
        assert_eq!(format_code("1234567890123456"), "1234 5678 9012 3456");
    }
}
