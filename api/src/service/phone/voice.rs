//! Voting on a telephone keypad: the voice webhook answers each step of a
//! call. The caller chooses a language (where the council offers Welsh),
//! enters their voting code, hears the round and each project's number,
//! title and cost, keys in their choices, hears them read back, confirms
//! with 1 (or starts again with 2) and hears their receipt. Silence and
//! wrong keys are asked again; the third failure ends the call politely
//! with the help line. Where the call has got to lives in the database,
//! sealed, keyed by the gateway's call identifier.
//!
//! Each step's `Answer` says what to say and what to ask; the HTTP edge
//! writes it as the gateway's markup (`http::twiml`).
use super::phrases::{self, money, short};
use super::{
    ballot_for, check_code, closed_round, code_digits, no_ballot, phone_key, refusal, CodeIs,
    Entry, EntryProblem, NoBallot, Participant, PhoneBallot,
};
use crate::domain::{ballot::BallotKind, vote::Channel, Language};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::service::voting::{self, CastRequest, Voter};
use crate::state::AppState;
use crate::store::phone_calls;
use crate::words::{self, fill};
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};
use serde::{Deserialize, Serialize};

/// Failures (silence, wrong keys) before the call is ended.
pub const MAX_FAILURES: u32 = 3;

/// A call's request from the gateway.
pub struct Inbound {
    pub call_sid: String,
    pub from: String,
    pub digits: Option<String>,
}

/// What a call hears and does next, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    pub actions: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Say(Language, String),
    /// Asks for keys: `digits` of them, or any number ended by `#`. The
    /// prompts are interrupted by the first key; silence comes back as a
    /// step without keys.
    Ask {
        digits: Option<u32>,
        prompts: Vec<(Language, String)>,
    },
    Hangup,
}

impl Answer {
    pub fn say(mut self, lang: Language, text: &str) -> Self {
        self.actions.push(Action::Say(lang, text.to_owned()));
        self
    }

    pub fn ask(mut self, digits: Option<u32>, prompts: Vec<(Language, String)>) -> Self {
        self.actions.push(Action::Ask { digits, prompts });
        self
    }

    pub fn hangup(mut self) -> Self {
        self.actions.push(Action::Hangup);
        self
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
enum Step {
    #[default]
    Language,
    Code,
    Choices,
    Confirm,
    Done,
}

/// Where a call has got to.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Call {
    step: Step,
    lang: Language,
    who: Option<Participant>,
    entry: Option<Entry>,
    failures: u32,
    /// Which try at the ballot this is (the idempotency key of its cast).
    attempt: u32,
    receipt: Option<String>,
}

/// What to do with the call after answering.
enum Keep {
    Save,
    Forget,
}

/// The call after a step, what it hears, and whether it goes on.
type Next = (Call, Answer, Keep);

/// Answers one step of a call.
#[tracing::instrument(name = "telephone call", skip_all)]
pub async fn handle(state: &AppState, inbound: Inbound) -> Answer {
    match step(state, &inbound).await {
        Ok(answer) => answer,
        Err(e) => {
            tracing::error!(error = %e, "answering a call");
            let _ = phone_calls::Entity::delete_by_id(inbound.call_sid.clone())
                .exec(&state.db)
                .await;
            let help = &state.settings.phone.help_line;
            let text = fill(words::of(Language::En).voice_failed, &[("help", help)]);
            Answer::default().say(Language::En, &text).hangup()
        }
    }
}

async fn save(state: &AppState, sid: &str, call: &Call) -> ServiceResult<()> {
    let row = phone_calls::ActiveModel {
        call_sid: Set(sid.to_owned()),
        round_id: Set(call.who.map(|w| w.round_id).map(|id| id.get())),
        state: Set(super::seal_state(
            &state.secret,
            "phone_calls",
            sid,
            &serde_json::to_string(call).map_err(|e| {
                ServiceError::Unexpected(anyhow::anyhow!("writing a call's state: {e}"))
            })?,
        )),
        updated_at: Set(chrono::Utc::now()),
    };
    phone_calls::Entity::insert(row)
        .on_conflict(
            OnConflict::column(phone_calls::Column::CallSid)
                .update_columns([
                    phone_calls::Column::RoundId,
                    phone_calls::Column::State,
                    phone_calls::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&state.db)
        .await
        .context("keeping a call's state")?;
    Ok(())
}

async fn step(state: &AppState, inbound: &Inbound) -> ServiceResult<Answer> {
    let sid = short(inbound.call_sid.trim(), 64);
    if sid.is_empty() {
        return Ok(Answer::default().hangup());
    }
    let stored = phone_calls::Entity::find_by_id(sid.clone())
        .one(&state.db)
        .await
        .context("loading a call")?;
    let digits = inbound
        .digits
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let (mut call, answer, keep) = match stored
        .and_then(|s| super::open_state(&state.secret, "phone_calls", &sid, &s.state))
        .and_then(|s| serde_json::from_str::<Call>(&s).ok())
    {
        None => {
            // A new call: the first question, whatever was keyed.
            let call = Call {
                step: if state.settings.phone.welsh {
                    Step::Language
                } else {
                    Step::Code
                },
                ..Default::default()
            };
            let answer = prompt(state, &call, None, None)?;
            (call, answer, Keep::Save)
        }
        Some(call) => advance(state, inbound, call, digits).await?,
    };
    match keep {
        Keep::Save => save(state, &sid, &call).await?,
        Keep::Forget => {
            call.entry = None;
            phone_calls::Entity::delete_by_id(sid)
                .exec(&state.db)
                .await
                .context("forgetting a call")?;
        }
    }
    Ok(answer)
}

/// The question for the call's step, after `before` (what to say first).
fn prompt(
    state: &AppState,
    call: &Call,
    before: Option<String>,
    ballot: Option<&PhoneBallot>,
) -> ServiceResult<Answer> {
    let lang = call.lang;
    let w = words::of(lang);
    let p = &state.settings.phone;
    let greeted = before.is_some();
    let mut answer = Answer::default();
    if let Some(b) = before {
        answer = answer.say(lang, &b);
    }
    Ok(match call.step {
        Step::Language => answer.ask(
            Some(1),
            vec![
                (
                    Language::En,
                    fill(
                        words::of(Language::En).voice_choose_language,
                        &[("council", &p.council_name)],
                    ),
                ),
                (
                    Language::Cy,
                    fill(
                        words::of(Language::Cy).voice_choose_language,
                        &[("council", &p.council_name_cy)],
                    ),
                ),
            ],
        ),
        Step::Code => {
            let mut prompts = Vec::new();
            if !p.welsh && !greeted {
                let welcome = words::of(Language::En).voice_welcome;
                prompts.push((Language::En, fill(welcome, &[("council", &p.council_name)])));
            }
            prompts.push((lang, w.voice_enter_code.to_owned()));
            answer.ask(None, prompts)
        }
        Step::Choices => {
            let b = ballot.ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!("a call's ballot is missing"))
            })?;
            answer.ask(None, vec![(lang, instructions(lang, b))])
        }
        Step::Confirm => answer.ask(Some(1), vec![(lang, w.voice_confirm.to_owned())]),
        Step::Done => {
            let receipt = spell(lang, call.receipt.as_deref().unwrap_or_default());
            let after = fill(
                w.voice_after_close,
                &[("help", &state.settings.phone.help_line)],
            );
            let text = format!(
                "{} {after}",
                fill(w.voice_receipt, &[("receipt", &receipt)])
            );
            answer.ask(Some(1), vec![(lang, text)])
        }
    })
}

/// The NATO phonetic alphabet, A to Z: said after each letter of a
/// receipt, so that B, D, E and V cannot be mistaken on a phone line.
const PHONETIC: [&str; 26] = [
    "Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett",
    "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
    "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu",
];

/// A receipt read aloud a group of four at a time, one character at a
/// time, each letter with its phonetic word: "Part 1: 7, B as in Bravo, …".
fn spell(lang: Language, code: &str) -> String {
    let w = words::of(lang);
    code.split('-')
        .filter(|group| !group.is_empty())
        .enumerate()
        .map(|(i, group)| {
            let characters = group
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| match c.to_ascii_uppercase() {
                    l @ 'A'..='Z' => fill(
                        w.spoken_letter,
                        &[
                            ("letter", &l.to_string()),
                            ("word", PHONETIC[(l as u8 - b'A') as usize]),
                        ],
                    ),
                    d => d.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            fill(
                w.spoken_group,
                &[
                    ("number", &(i + 1).to_string()),
                    ("characters", &characters),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The round and its projects, read after the code.
fn introduction(lang: Language, b: &PhoneBallot) -> String {
    let said = fill(
        words::of(lang).voice_introduction,
        &[
            ("round", b.round.title_in(lang)),
            ("area", b.area(lang)),
            ("count", &b.bids.len().to_string()),
        ],
    );
    let closes = match b.closes_at() {
        Some(c) if c > chrono::Utc::now() => {
            let now = chrono::Utc::now();
            let when = fill(
                words::of(lang).voice_closes,
                &[
                    ("day", &super::day(lang, c)),
                    ("left", &super::left(lang, c, now)),
                ],
            );
            format!(" {when}")
        }
        _ => String::new(),
    };
    format!("{said}{closes} {}", projects(lang, b))
}

fn projects(lang: Language, b: &PhoneBallot) -> String {
    let w = words::of(lang);
    b.bids
        .iter()
        .enumerate()
        .map(|(i, bid)| {
            fill(
                w.voice_project,
                &[
                    ("number", &(i + 1).to_string()),
                    ("title", &short(b.bid_title(lang, bid), 80)),
                    ("cost", &money(bid.cost_pence)),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn instructions(lang: Language, b: &PhoneBallot) -> String {
    let w = words::of(lang);
    let how = match b.round.ballot.kind {
        BallotKind::Ranked => w.voice_how_rank,
        BallotKind::Scoring => w.voice_how_score,
        _ => w.voice_how_choose,
    };
    fill(
        w.voice_instructions,
        &[("how", how), ("limits", &phrases::limits(lang, b))],
    )
}

/// Whether this ballot can be filled in on a keypad.
fn keypad_ballot(b: &PhoneBallot) -> bool {
    match b.round.ballot.kind {
        BallotKind::Approval | BallotKind::Knapsack | BallotKind::Ranked => true,
        BallotKind::Scoring => b.round.ballot.score_max.unwrap_or(5) <= 9,
        BallotKind::PointsAllocation | BallotKind::MoneyAllocation => false,
    }
}

/// Keys pressed as an entry: `3*7*12` or, for scores, one key a project.
fn keyed_entry(b: &PhoneBallot, digits: &str) -> Option<Entry> {
    if b.round.ballot.kind == BallotKind::Scoring {
        let scores: Option<Vec<i64>> = digits
            .chars()
            .map(|c| c.to_digit(10).map(i64::from))
            .collect();
        let scores = scores?;
        if scores.len() != b.bids.len() {
            return None;
        }
        return Some(Entry::Pairs(
            scores
                .into_iter()
                .enumerate()
                .map(|(i, s)| (i as u32 + 1, s))
                .collect(),
        ));
    }
    let numbers: Option<Vec<u32>> = digits
        .split('*')
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect();
    numbers.filter(|n| !n.is_empty()).map(Entry::Numbers)
}

/// Says `before`, then the help line, and hangs up.
fn goodbye(state: &AppState, lang: Language, before: &str) -> Answer {
    let help = &state.settings.phone.help_line;
    let text = fill(
        words::of(lang).voice_goodbye,
        &[("before", before), ("help", help)],
    );
    Answer::default().say(lang, text.trim()).hangup()
}

/// A failed step: asked again, or the call ends at the third.
fn failed(
    state: &AppState,
    mut call: Call,
    problem: String,
    ballot: Option<&PhoneBallot>,
) -> ServiceResult<Next> {
    call.failures += 1;
    if call.failures >= MAX_FAILURES {
        let sorry = fill(words::of(call.lang).voice_sorry, &[("problem", &problem)]);
        let answer = goodbye(state, call.lang, &sorry);
        return Ok((call, answer, Keep::Forget));
    }
    let answer = prompt(state, &call, Some(problem), ballot)?;
    Ok((call, answer, Keep::Save))
}

/// The call ends: there is no ballot for this voter now.
async fn ended_without_ballot(
    state: &AppState,
    call: Call,
    why: NoBallot,
    who: Participant,
) -> ServiceResult<Next> {
    let round = crate::service::rounds::load(&state.db, who.round_id).await?;
    let answer = goodbye(
        state,
        call.lang,
        &no_ballot(call.lang, &why, round.title_in(call.lang)),
    );
    Ok((call, answer, Keep::Forget))
}

fn missing_ballot() -> ServiceError {
    ServiceError::Unexpected(anyhow::anyhow!("no ballot"))
}

async fn advance(
    state: &AppState,
    inbound: &Inbound,
    call: Call,
    digits: Option<&str>,
) -> ServiceResult<Next> {
    // The ballot, for the steps after the code.
    let ballot = match call.who {
        Some(who) => match ballot_for(&state.db, who).await? {
            Ok(b) => Some(b),
            Err(why) => return ended_without_ballot(state, call, why, who).await,
        },
        None => None,
    };
    let Some(digits) = digits else {
        if call.step == Step::Done {
            let answer = goodbye(state, call.lang, "");
            return Ok((call, answer, Keep::Forget));
        }
        let silence = words::of(call.lang).voice_silence.to_owned();
        return failed(state, call, silence, ballot.as_ref());
    };
    match call.step {
        Step::Language => on_language(state, call, digits),
        Step::Code => on_code(state, inbound, call, digits).await,
        Step::Choices => on_choices(state, call, digits, &ballot.ok_or_else(missing_ballot)?),
        Step::Confirm => {
            let b = ballot.ok_or_else(missing_ballot)?;
            on_confirm(state, inbound, call, digits, &b).await
        }
        Step::Done => on_done(state, call, digits, ballot.as_ref()),
    }
}

fn on_language(state: &AppState, mut call: Call, digits: &str) -> ServiceResult<Next> {
    match digits {
        "1" | "2" => {
            call.lang = if digits == "2" {
                Language::Cy
            } else {
                Language::En
            };
            call.step = Step::Code;
            call.failures = 0;
            let answer = prompt(state, &call, None, None)?;
            Ok((call, answer, Keep::Save))
        }
        _ => {
            let again = words::of(call.lang).voice_press_language.to_owned();
            failed(state, call, again, None)
        }
    }
}

async fn on_code(
    state: &AppState,
    inbound: &Inbound,
    mut call: Call,
    digits: &str,
) -> ServiceResult<Next> {
    let lang = call.lang;
    let w = words::of(lang);
    let Some(code) = code_digits(digits.trim_end_matches('#')) else {
        return failed(state, call, w.voice_code_length.into(), None);
    };
    let (caller_key, _) = phone_key(&state.secret, &inbound.from);
    let found = match check_code(
        &state.db,
        &state.secret,
        &super::CODE_ATTEMPTS,
        &caller_key,
        &code,
    )
    .await
    {
        Err(e @ ServiceError::Refused { .. }) => {
            let answer = goodbye(state, lang, &refusal(lang, &e));
            return Ok((call, answer, Keep::Forget));
        }
        Err(e) => return Err(e),
        Ok(CodeIs::Valid(found)) => found,
        Ok(CodeIs::Closed(round)) => {
            let said = closed_round(&state.db, lang, round).await?;
            return Ok((call, goodbye(state, lang, &said), Keep::Forget));
        }
        Ok(CodeIs::Unknown) => {
            return failed(state, call, w.voice_code_unknown.into(), None);
        }
    };
    let who = Participant {
        round_id: found.round_id.into(),
        participant_id: found.participant_id.into(),
    };
    let b = match ballot_for(&state.db, who).await? {
        Ok(b) => b,
        Err(why) => return ended_without_ballot(state, call, why, who).await,
    };
    if !keypad_ballot(&b) {
        let answer = goodbye(state, lang, w.voice_no_keypad);
        return Ok((call, answer, Keep::Forget));
    }
    call.who = Some(who);
    call.step = Step::Choices;
    call.failures = 0;
    let answer = prompt(state, &call, Some(introduction(lang, &b)), Some(&b))?;
    Ok((call, answer, Keep::Save))
}

fn on_choices(
    state: &AppState,
    mut call: Call,
    digits: &str,
    b: &PhoneBallot,
) -> ServiceResult<Next> {
    let lang = call.lang;
    let w = words::of(lang);
    if digits.trim_end_matches('#') == "0" {
        let answer = prompt(state, &call, Some(projects(lang, b)), Some(b))?;
        return Ok((call, answer, Keep::Save));
    }
    let count = b.bids.len().to_string();
    let Some(entry) = keyed_entry(b, digits.trim_end_matches('#')) else {
        let problem = if b.round.ballot.kind == BallotKind::Scoring {
            fill(w.voice_one_key_each, &[("count", &count)])
        } else {
            w.voice_keys_unread.into()
        };
        return failed(state, call, problem, Some(b));
    };
    let choices = match b.choices(&entry) {
        Ok(c) => c,
        Err(EntryProblem::NoSuchBid(n)) => {
            let problem = fill(
                w.voice_no_such_project,
                &[("number", &n.to_string()), ("count", &count)],
            );
            return failed(state, call, problem, Some(b));
        }
        Err(EntryProblem::WrongShape) => {
            return failed(state, call, w.voice_keys_unread.into(), Some(b))
        }
    };
    // The same checks the cast will make, before reading it back.
    if let Err(e) = voting::check_choices(&b.round.ballot, b.pot.get(), &b.bids, &choices) {
        return failed(state, call, refusal(lang, &e), Some(b));
    }
    let said = phrases::read_back(lang, b, &choices).join(". ");
    let before = fill(w.voice_you_chose, &[("chosen", &said)]);
    call.entry = Some(entry);
    call.step = Step::Confirm;
    call.failures = 0;
    let answer = prompt(state, &call, Some(before), Some(b))?;
    Ok((call, answer, Keep::Save))
}

async fn on_confirm(
    state: &AppState,
    inbound: &Inbound,
    mut call: Call,
    digits: &str,
    b: &PhoneBallot,
) -> ServiceResult<Next> {
    match digits {
        "1" => cast(state, inbound, call, b).await,
        "2" => {
            call.step = Step::Choices;
            call.entry = None;
            call.attempt += 1;
            let answer = prompt(state, &call, None, Some(b))?;
            Ok((call, answer, Keep::Save))
        }
        _ => {
            let again = words::of(call.lang).voice_press_1_or_2.to_owned();
            failed(state, call, again, Some(b))
        }
    }
}

/// Casts the confirmed choices through the voting service.
async fn cast(
    state: &AppState,
    inbound: &Inbound,
    mut call: Call,
    b: &PhoneBallot,
) -> ServiceResult<Next> {
    let lang = call.lang;
    let entry = call
        .entry
        .clone()
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("a call's choices are missing")))?;
    let choices = b
        .choices(&entry)
        .map_err(|_| ServiceError::Unexpected(anyhow::anyhow!("a call's choices no longer fit")))?;
    let cast = voting::cast(
        state,
        CastRequest {
            round_id: b.round.id,
            voter: Voter::Participant {
                participant_id: b.participant_id,
            },
            channel: Channel::Phone,
            choices,
            idempotency_key: format!(
                "call:{}:{}",
                &crate::crypto::sha256_hex(&inbound.call_sid)[..40],
                call.attempt
            ),
        },
    )
    .await;
    match cast {
        Ok(cast) => {
            call.step = Step::Done;
            call.entry = None;
            call.failures = 0;
            call.receipt = Some(cast.receipt_code);
            let recorded = fill(
                words::of(lang).voice_recorded,
                &[("replaces", phrases::replaces(lang, cast.replaced))],
            );
            let before = format!("{recorded} {}", phrases::until(lang, b));
            let answer = prompt(state, &call, Some(before), Some(b))?;
            Ok((call, answer, Keep::Save))
        }
        Err(e @ ServiceError::Refused { code, .. }) => {
            if matches!(
                code,
                ErrorCode::VotingClosed
                    | ErrorCode::NotEligible
                    | ErrorCode::NotVerified
                    | ErrorCode::AlreadyVoted
                    | ErrorCode::RateLimited
            ) {
                let answer = goodbye(state, lang, &refusal(lang, &e));
                return Ok((call, answer, Keep::Forget));
            }
            call.step = Step::Choices;
            call.attempt += 1;
            failed(state, call, refusal(lang, &e), Some(b))
        }
        Err(e) => Err(e),
    }
}

fn on_done(
    state: &AppState,
    call: Call,
    digits: &str,
    ballot: Option<&PhoneBallot>,
) -> ServiceResult<Next> {
    if digits == "1" {
        let answer = prompt(state, &call, None, ballot)?;
        Ok((call, answer, Keep::Save))
    } else {
        let answer = goodbye(state, call.lang, words::of(call.lang).voice_thanks);
        Ok((call, answer, Keep::Forget))
    }
}
