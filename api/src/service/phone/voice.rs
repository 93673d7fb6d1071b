//! Voting on a telephone keypad: the voice webhook answers each step of a
//! call with TwiML. The caller chooses a language (where the council
//! offers Welsh), enters their voting code, hears the round and each
//! project's number, title and cost, keys in their choices, hears them
//! read back, confirms with 1 (or starts again with 2) and hears their
//! receipt. Silence and wrong keys are asked again; the third failure ends
//! the call politely with the help line. Where the call has got to lives
//! in the database, keyed by the gateway's call identifier.
use super::words::{self, money, short};
use super::{
    ballot_for, check_code, code_digits, phone_key, refusal, twiml::Voice, Entry, EntryProblem,
    Lang, NoBallot, Participant, PhoneBallot,
};
use crate::domain::{ballot::BallotKind, vote::Channel};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::service::voting::{self, CastRequest, Voter};
use crate::state::AppState;
use crate::store::phone_calls;
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
    lang: Lang,
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

/// Answers one step of a call with TwiML.
#[tracing::instrument(name = "telephone call", skip_all)]
pub async fn handle(state: &AppState, inbound: Inbound) -> String {
    match step(state, &inbound).await {
        Ok(xml) => xml,
        Err(e) => {
            tracing::error!(error = %e, "answering a call");
            let _ = phone_calls::Entity::delete_by_id(inbound.call_sid.clone())
                .exec(&state.db)
                .await;
            Voice::new()
                .say(Lang::En, &format!("Sorry, something went wrong on our side and your vote was not recorded. Please call {} for help. Goodbye.", state.settings.phone.help_line))
                .hangup()
                .finish()
        }
    }
}

fn action(state: &AppState) -> String {
    format!("{}/phone/voice", state.settings.phone.webhook_url)
}

async fn save(state: &AppState, sid: &str, call: &Call) -> ServiceResult<()> {
    let row = phone_calls::ActiveModel {
        call_sid: Set(sid.to_owned()),
        round_id: Set(call.who.map(|w| w.round_id)),
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

async fn step(state: &AppState, inbound: &Inbound) -> ServiceResult<String> {
    let sid = short(inbound.call_sid.trim(), 64);
    if sid.is_empty() {
        return Ok(Voice::new().hangup().finish());
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
    let (mut call, xml, keep) = match stored
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
            let xml = prompt(state, &call, None, None).await?;
            (call, xml, Keep::Save)
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
    Ok(xml)
}

/// The question for the call's step, after `before` (what to say first).
async fn prompt(
    state: &AppState,
    call: &Call,
    before: Option<String>,
    ballot: Option<&PhoneBallot>,
) -> ServiceResult<String> {
    let lang = call.lang;
    let p = &state.settings.phone;
    let greeted = before.is_some();
    let mut v = Voice::new();
    if let Some(b) = before {
        v = v.say(lang, &b);
    }
    let action = action(state);
    Ok(match call.step {
        Step::Language => v
            .gather(
                &action,
                Some(1),
                &[
                    (
                        Lang::En,
                        format!(
                            "Welcome to {}'s community funding vote. For English, press 1.",
                            p.council_name
                        ),
                    ),
                    (
                        Lang::Cy,
                        format!(
                            "Croeso i bleidlais cyllido cymunedol {}. Am Gymraeg, pwyswch 2.",
                            p.council_name_cy
                        ),
                    ),
                ],
            )
            .finish(),
        Step::Code => {
            let text = match lang {
                Lang::En => "Please enter the 16-digit voting code from your letter, then press the hash key.",
                Lang::Cy => "Rhowch y cod pleidleisio 16 digid o'ch llythyr, yna pwyswch yr allwedd hash.",
            };
            let mut prompts = Vec::new();
            if !state.settings.phone.welsh && !greeted {
                prompts.push((
                    Lang::En,
                    format!("Welcome to {}'s community funding vote.", p.council_name),
                ));
            }
            prompts.push((lang, text.to_owned()));
            v.gather(&action, None, &prompts).finish()
        }
        Step::Choices => {
            let b = ballot.ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!("a call's ballot is missing"))
            })?;
            v.gather(&action, None, &[(lang, instructions(lang, b))])
                .finish()
        }
        Step::Confirm => {
            let text = match lang {
                Lang::En => "To confirm your vote, press 1. To start again, press 2.",
                Lang::Cy => "I gadarnhau eich pleidlais, pwyswch 1. I ddechrau eto, pwyswch 2.",
            };
            v.gather(&action, Some(1), &[(lang, text.to_owned())])
                .finish()
        }
        Step::Done => {
            let receipt = call.receipt.clone().unwrap_or_default();
            let text = match lang {
                Lang::En => format!(
                    "Your receipt is: {}. To hear it again, press 1. Otherwise, thank you for voting: you can hang up.",
                    spell(&receipt)
                ),
                Lang::Cy => format!(
                    "Eich derbynneb yw: {}. I'w chlywed eto, pwyswch 1. Fel arall, diolch am bleidleisio: gallwch roi'r ffôn i lawr.",
                    spell(&receipt)
                ),
            };
            v.gather(&action, Some(1), &[(lang, text)]).finish()
        }
    })
}

/// A receipt read one character at a time.
fn spell(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The round and its projects, read after the code.
fn introduction(lang: Lang, b: &PhoneBallot) -> String {
    let mut s = match lang {
        Lang::En => format!(
            "You are voting in {}, for projects in {}. There are {} projects.",
            b.round.title,
            b.area_name,
            b.bids.len()
        ),
        Lang::Cy => format!(
            "Rydych yn pleidleisio yn {}, ar gyfer prosiectau yn {}. Mae {} prosiect.",
            b.round.title,
            b.area_name,
            b.bids.len()
        ),
    };
    s.push(' ');
    s.push_str(&projects(lang, b));
    s
}

fn projects(lang: Lang, b: &PhoneBallot) -> String {
    b.bids
        .iter()
        .enumerate()
        .map(|(i, bid)| match lang {
            Lang::En => format!(
                "Project {}: {}, costing {}.",
                i + 1,
                short(&bid.title, 80),
                money(bid.cost_pence)
            ),
            Lang::Cy => format!(
                "Prosiect {}: {}, yn costio {}.",
                i + 1,
                short(&bid.title, 80),
                money(bid.cost_pence)
            ),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn instructions(lang: Lang, b: &PhoneBallot) -> String {
    let how = match (lang, b.round.ballot.kind) {
        (Lang::En, BallotKind::Ranked) => "Enter the numbers of the projects in order of preference, your first choice first, pressing star between numbers, then press hash.",
        (Lang::En, BallotKind::Scoring) => "Enter a score for each project in turn, one key for each project, then press hash.",
        (Lang::En, _) => "Enter the numbers of the projects you choose, pressing star between numbers, then press hash.",
        (Lang::Cy, BallotKind::Ranked) => "Rhowch rifau'r prosiectau yn nhrefn eich dewis, eich dewis cyntaf yn gyntaf, gan bwyso seren rhwng rhifau, yna pwyswch hash.",
        (Lang::Cy, BallotKind::Scoring) => "Rhowch sgôr i bob prosiect yn ei dro, un allwedd i bob prosiect, yna pwyswch hash.",
        (Lang::Cy, _) => "Rhowch rifau'r prosiectau a ddewiswch, gan bwyso seren rhwng rhifau, yna pwyswch hash.",
    };
    let again = match lang {
        Lang::En => "To hear the projects again, press 0 then hash.",
        Lang::Cy => "I glywed y prosiectau eto, pwyswch 0 yna hash.",
    };
    format!("{how} {} {again}", words::limits(lang, b))
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

fn goodbye(state: &AppState, lang: Lang, before: &str) -> String {
    let help = &state.settings.phone.help_line;
    let text = match lang {
        Lang::En => format!("{before} For help, call {help}. Goodbye."),
        Lang::Cy => format!("{before} Am help, ffoniwch {help}. Hwyl fawr."),
    };
    Voice::new().say(lang, text.trim()).hangup().finish()
}

/// A failed step: asked again, or the call ends at the third.
async fn failed(
    state: &AppState,
    mut call: Call,
    problem: String,
    ballot: Option<&PhoneBallot>,
) -> ServiceResult<(Call, String, Keep)> {
    call.failures += 1;
    if call.failures >= MAX_FAILURES {
        let sorry = match call.lang {
            Lang::En => format!("{problem} Sorry, we could not take your vote this time."),
            Lang::Cy => {
                format!("{problem} Mae'n ddrwg gennym, ni allem gymryd eich pleidlais y tro hwn.")
            }
        };
        let xml = goodbye(state, call.lang, &sorry);
        return Ok((call, xml, Keep::Forget));
    }
    let xml = prompt(state, &call, Some(problem), ballot).await?;
    Ok((call, xml, Keep::Save))
}

fn silence(lang: Lang) -> String {
    match lang {
        Lang::En => "We did not hear any keys.".into(),
        Lang::Cy => "Ni chlywsom unrhyw allweddi.".into(),
    }
}

async fn no_ballot(
    state: &AppState,
    lang: Lang,
    why: NoBallot,
    who: Participant,
) -> ServiceResult<String> {
    let round = crate::service::rounds::load(&state.db, who.round_id).await?;
    let t = &round.title;
    let text = match (lang, why) {
        (Lang::En, NoBallot::NotOpen) => format!("Voting in {t} has not opened yet."),
        (Lang::En, NoBallot::Closed) => format!("Voting in {t} has closed."),
        (Lang::En, NoBallot::NotVerified) => {
            "The council is still checking your details before you can vote.".into()
        }
        (Lang::En, NoBallot::NotEligible) => format!("The rules of {t} do not let you vote in it."),
        (Lang::Cy, NoBallot::NotOpen) => format!("Nid yw pleidleisio yn {t} wedi agor eto."),
        (Lang::Cy, NoBallot::Closed) => format!("Mae pleidleisio yn {t} wedi cau."),
        (Lang::Cy, NoBallot::NotVerified) => {
            "Mae'r cyngor yn dal i wirio eich manylion cyn y gallwch bleidleisio.".into()
        }
        (Lang::Cy, NoBallot::NotEligible) => {
            format!("Nid yw rheolau {t} yn gadael i chi bleidleisio ynddi.")
        }
    };
    Ok(goodbye(state, lang, &text))
}

async fn advance(
    state: &AppState,
    inbound: &Inbound,
    mut call: Call,
    digits: Option<&str>,
) -> ServiceResult<(Call, String, Keep)> {
    let lang = call.lang;
    // The ballot, for the steps after the code.
    let ballot = match call.who {
        Some(who) => match ballot_for(&state.db, who).await? {
            Ok(b) => Some(b),
            Err(why) => {
                let xml = no_ballot(state, lang, why, who).await?;
                return Ok((call, xml, Keep::Forget));
            }
        },
        None => None,
    };
    let Some(digits) = digits else {
        if call.step == Step::Done {
            let xml = goodbye(state, lang, "");
            return Ok((call, xml, Keep::Forget));
        }
        return failed(state, call, silence(lang), ballot.as_ref()).await;
    };
    match call.step {
        Step::Language => match digits {
            "1" | "2" => {
                call.lang = if digits == "2" { Lang::Cy } else { Lang::En };
                call.step = Step::Code;
                call.failures = 0;
                let xml = prompt(state, &call, None, None).await?;
                Ok((call, xml, Keep::Save))
            }
            _ => {
                failed(
                    state,
                    call,
                    "Press 1 for English. Pwyswch 2 am Gymraeg.".into(),
                    None,
                )
                .await
            }
        },
        Step::Code => {
            let Some(code) = code_digits(digits.trim_end_matches('#')) else {
                let problem = match lang {
                    Lang::En => "A voting code has 16 digits.",
                    Lang::Cy => "Mae gan god pleidleisio 16 digid.",
                };
                return failed(state, call, problem.into(), None).await;
            };
            let (caller_key, _) = phone_key(&state.secret, &inbound.from);
            let found = match check_code(&state.db, &state.secret, &caller_key, &code).await {
                Err(e @ ServiceError::Refused { .. }) => {
                    let xml = goodbye(state, lang, &refusal(lang, &e));
                    return Ok((call, xml, Keep::Forget));
                }
                Err(e) => return Err(e),
                Ok(found) => found,
            };
            let Some(found) = found else {
                let problem = match lang {
                    Lang::En => "We do not recognise that voting code.",
                    Lang::Cy => "Nid ydym yn adnabod y cod pleidleisio hwnnw.",
                };
                return failed(state, call, problem.into(), None).await;
            };
            let who = Participant {
                round_id: found.round_id,
                participant_id: found.participant_id,
            };
            let b = match ballot_for(&state.db, who).await? {
                Ok(b) => b,
                Err(why) => {
                    let xml = no_ballot(state, lang, why, who).await?;
                    return Ok((call, xml, Keep::Forget));
                }
            };
            if !keypad_ballot(&b) {
                let text = match lang {
                    Lang::En => "This round's ballot cannot be filled in on a telephone keypad. Please vote by text message or online, or ask the council to take your vote.",
                    Lang::Cy => "Ni ellir llenwi papur pleidleisio'r rownd hon ar fysellbad ffôn. Pleidleisiwch drwy neges destun neu ar-lein, neu gofynnwch i'r cyngor gymryd eich pleidlais.",
                };
                let xml = goodbye(state, lang, text);
                return Ok((call, xml, Keep::Forget));
            }
            call.who = Some(who);
            call.step = Step::Choices;
            call.failures = 0;
            let xml = prompt(state, &call, Some(introduction(lang, &b)), Some(&b)).await?;
            Ok((call, xml, Keep::Save))
        }
        Step::Choices => {
            let b = ballot.ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("no ballot")))?;
            if digits.trim_end_matches('#') == "0" {
                let xml = prompt(state, &call, Some(projects(lang, &b)), Some(&b)).await?;
                return Ok((call, xml, Keep::Save));
            }
            let not_read = match lang {
                Lang::En => "We could not read those keys.",
                Lang::Cy => "Ni allem ddarllen yr allweddi hynny.",
            };
            let Some(entry) = keyed_entry(&b, digits.trim_end_matches('#')) else {
                let problem = if b.round.ballot.kind == BallotKind::Scoring {
                    match lang {
                        Lang::En => format!(
                            "Please enter one key for each of the {} projects.",
                            b.bids.len()
                        ),
                        Lang::Cy => format!(
                            "Rhowch un allwedd ar gyfer pob un o'r {} prosiect.",
                            b.bids.len()
                        ),
                    }
                } else {
                    not_read.into()
                };
                return failed(state, call, problem, Some(&b)).await;
            };
            let choices = match b.choices(&entry) {
                Ok(c) => c,
                Err(EntryProblem::NoSuchBid(n)) => {
                    let problem = match lang {
                        Lang::En => format!(
                            "There is no project {n}. The projects are numbered 1 to {}.",
                            b.bids.len()
                        ),
                        Lang::Cy => format!(
                            "Nid oes prosiect {n}. Mae'r prosiectau wedi'u rhifo o 1 i {}.",
                            b.bids.len()
                        ),
                    };
                    return failed(state, call, problem, Some(&b)).await;
                }
                Err(EntryProblem::WrongShape) => {
                    return failed(state, call, not_read.into(), Some(&b)).await
                }
            };
            // The same checks the cast will make, before reading it back.
            if let Err(e) = voting::check_choices(&b.round.ballot, b.pot.get(), &b.bids, &choices) {
                return failed(state, call, refusal(lang, &e), Some(&b)).await;
            }
            let said = words::read_back(lang, &b, &choices).join(". ");
            let before = match lang {
                Lang::En => format!("You chose: {said}."),
                Lang::Cy => format!("Fe wnaethoch ddewis: {said}."),
            };
            call.entry = Some(entry);
            call.step = Step::Confirm;
            call.failures = 0;
            let xml = prompt(state, &call, Some(before), Some(&b)).await?;
            Ok((call, xml, Keep::Save))
        }
        Step::Confirm => {
            let b = ballot.ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("no ballot")))?;
            match digits {
                "1" => {
                    let entry = call.entry.clone().ok_or_else(|| {
                        ServiceError::Unexpected(anyhow::anyhow!("a call's choices are missing"))
                    })?;
                    let choices = b.choices(&entry).map_err(|_| {
                        ServiceError::Unexpected(anyhow::anyhow!("a call's choices no longer fit"))
                    })?;
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
                            let before = match lang {
                                Lang::En => format!(
                                    "Thank you. Your vote is recorded{}.",
                                    if cast.replaced {
                                        " and replaces your earlier vote"
                                    } else {
                                        ""
                                    }
                                ),
                                Lang::Cy => format!(
                                    "Diolch. Mae eich pleidlais wedi'i chofnodi{}.",
                                    if cast.replaced {
                                        " ac mae'n disodli eich pleidlais gynharach"
                                    } else {
                                        ""
                                    }
                                ),
                            };
                            let before = format!("{before} {}", words::until(lang, &b));
                            let xml = prompt(state, &call, Some(before), Some(&b)).await?;
                            Ok((call, xml, Keep::Save))
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
                                let xml = goodbye(state, lang, &refusal(lang, &e));
                                return Ok((call, xml, Keep::Forget));
                            }
                            call.step = Step::Choices;
                            call.attempt += 1;
                            failed(state, call, refusal(lang, &e), Some(&b)).await
                        }
                        Err(e) => Err(e),
                    }
                }
                "2" => {
                    call.step = Step::Choices;
                    call.entry = None;
                    call.attempt += 1;
                    let xml = prompt(state, &call, None, Some(&b)).await?;
                    Ok((call, xml, Keep::Save))
                }
                _ => {
                    let problem = match lang {
                        Lang::En => "Please press 1 or 2.",
                        Lang::Cy => "Pwyswch 1 neu 2.",
                    };
                    failed(state, call, problem.into(), Some(&b)).await
                }
            }
        }
        Step::Done => {
            if digits == "1" {
                let xml = prompt(state, &call, None, ballot.as_ref()).await?;
                Ok((call, xml, Keep::Save))
            } else {
                let bye = match lang {
                    Lang::En => "Thank you for voting.",
                    Lang::Cy => "Diolch am bleidleisio.",
                };
                let xml = goodbye(state, lang, bye);
                Ok((call, xml, Keep::Forget))
            }
        }
    }
}
