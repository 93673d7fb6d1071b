//! Voting by text message: the inbound webhook's conversation. A message is
//! an optional voting code followed by a keyword: `VOTE 3 7 12`,
//! `RANK 7 3 12`, `SCORE 3=5 7=4`, `POINTS 3=4 7=6`, `MONEY 3=250`,
//! `BIDS`, `STATUS`, `HELP` (or their Welsh forms). The reply confirms the
//! ballot in words with its receipt, or says in one sentence what is wrong.
//! The reply is a list of messages; the HTTP edge writes it as the
//! gateway's markup (`http::twiml`).
use super::phrases::{self, short};
use super::{
    ballot_for, by_phone, check_code, closed_round, code_digits, no_ballot, phone_key, refusal,
    ByPhone, CodeIs, Entry, EntryProblem, NoBallot, Participant, PhoneBallot,
};
use crate::domain::id::RoundId;
use crate::domain::{ballot::BallotKind, vote::Channel, Language};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::service::voting::{self, CastRequest, Voter};
use crate::state::AppState;
use crate::store::{phone_messages, voting_codes};
use crate::words::{self, fill};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// The longest reply message; longer replies (the list of bids) are split.
const MAX_MESSAGE: usize = 600;

/// An inbound message, as the gateway posts it.
pub struct Inbound {
    pub message_sid: String,
    pub from: String,
    pub body: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keyword {
    Vote,
    Rank,
    Score,
    Points,
    Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Command {
    /// A code and nothing else.
    Hello,
    Help,
    Status,
    Bids,
    Vote(Keyword, String),
    /// Reminders by text to this number.
    Remind,
    /// No more reminders to this number.
    Stop,
    Unknown(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Code {
    None,
    Given(String),
    /// Leading digits that are not a whole code.
    Malformed,
}

/// Reads a message: its code, language and command.
fn parse(body: &str) -> (Code, Language, Command) {
    let words: Vec<&str> = body.split_whitespace().collect();
    let lead = words
        .iter()
        .take_while(|w| w.chars().all(|c| c.is_ascii_digit() || c == '-'))
        .count();
    let code = if lead == 0 {
        Code::None
    } else {
        match code_digits(&words[..lead].join("")) {
            Some(d) => Code::Given(d),
            None => Code::Malformed,
        }
    };
    let rest = &words[lead..];
    let Some(first) = rest.first() else {
        return (code, Language::En, Command::Hello);
    };
    let keyword: String = first
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect();
    let tail = rest[1..].join(" ");
    let (lang, command) = match keyword.as_str() {
        "VOTE" => (Language::En, Command::Vote(Keyword::Vote, tail)),
        "PLEIDLAIS" | "PLEIDLEISIO" => (Language::Cy, Command::Vote(Keyword::Vote, tail)),
        "RANK" => (Language::En, Command::Vote(Keyword::Rank, tail)),
        "TREFN" => (Language::Cy, Command::Vote(Keyword::Rank, tail)),
        "SCORE" => (Language::En, Command::Vote(Keyword::Score, tail)),
        "SGOR" | "SGÔR" => (Language::Cy, Command::Vote(Keyword::Score, tail)),
        "POINTS" => (Language::En, Command::Vote(Keyword::Points, tail)),
        "PWYNTIAU" => (Language::Cy, Command::Vote(Keyword::Points, tail)),
        "MONEY" => (Language::En, Command::Vote(Keyword::Money, tail)),
        "ARIAN" => (Language::Cy, Command::Vote(Keyword::Money, tail)),
        "HELP" => (Language::En, Command::Help),
        "CYMORTH" | "HELO" => (Language::Cy, Command::Help),
        "STATUS" => (Language::En, Command::Status),
        "STATWS" => (Language::Cy, Command::Status),
        "BIDS" | "LIST" | "PROJECTS" => (Language::En, Command::Bids),
        "CYNIGION" | "RHESTR" | "PROSIECTAU" => (Language::Cy, Command::Bids),
        "REMIND" | "REMINDERS" | "REMINDME" => (Language::En, Command::Remind),
        "ATGOFFA" | "ATGOFFAFI" => (Language::Cy, Command::Remind),
        "STOP" | "UNSUBSCRIBE" | "STOPALL" | "END" | "CANCEL" => (Language::En, Command::Stop),
        "STOPIO" | "DIWEDD" => (Language::Cy, Command::Stop),
        _ => (Language::En, Command::Unknown(short(first, 20))),
    };
    (code, lang, command)
}

/// Why the numbers of a vote could not be read.
#[derive(Debug, PartialEq, Eq)]
enum Unreadable {
    Nothing,
    Token(String),
    Mixed,
}

/// `3 7 12` or `3=5 7=4` (also `3:5`, `£` and commas allowed).
fn read_entry(text: &str) -> Result<Entry, Unreadable> {
    let cleaned = text.replace([',', ';'], " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().collect();
    if tokens.is_empty() {
        return Err(Unreadable::Nothing);
    }
    let mut numbers = Vec::new();
    let mut pairs = Vec::new();
    for t in &tokens {
        let bad = || Unreadable::Token(short(t, 20));
        if let Some((n, v)) = t.split_once(['=', ':']) {
            let n: u32 = n.trim().parse().map_err(|_| bad())?;
            let v = v.trim().trim_start_matches('£');
            let v: i64 = v.parse().map_err(|_| bad())?;
            pairs.push((n, v));
        } else {
            numbers.push(
                t.trim_start_matches('#')
                    .parse::<u32>()
                    .map_err(|_| bad())?,
            );
        }
    }
    match (numbers.is_empty(), pairs.is_empty()) {
        (false, true) => Ok(Entry::Numbers(numbers)),
        (true, false) => Ok(Entry::Pairs(pairs)),
        _ => Err(Unreadable::Mixed),
    }
}

fn keyword_fits(k: Keyword, kind: BallotKind) -> bool {
    match k {
        Keyword::Vote => true,
        Keyword::Rank => kind == BallotKind::Ranked,
        Keyword::Score => kind == BallotKind::Scoring,
        Keyword::Points => kind == BallotKind::PointsAllocation,
        Keyword::Money => kind == BallotKind::MoneyAllocation,
    }
}

struct Ctx<'a> {
    state: &'a AppState,
    lang: Language,
}

impl Ctx<'_> {
    fn words(&self) -> &'static words::Words {
        words::of(self.lang)
    }

    fn help_line(&self) -> &str {
        &self.state.settings.phone.help_line
    }

    /// A pointer to Welsh, for a council that offers it (nothing in Welsh).
    fn welsh_hint(&self) -> &'static str {
        if self.state.settings.phone.welsh {
            self.words().sms_welsh_hint
        } else {
            ""
        }
    }

    fn general_help(&self) -> String {
        fill(
            self.words().sms_general_help,
            &[
                ("help", self.help_line()),
                ("welsh_hint", self.welsh_hint()),
            ],
        )
    }

    fn unknown_phone(&self) -> String {
        fill(
            self.words().sms_unknown_phone,
            &[
                ("help", self.help_line()),
                ("welsh_hint", self.welsh_hint()),
            ],
        )
    }

    fn no_ballot(&self, why: NoBallot, round: &str) -> String {
        let w = self.words();
        let help = match why {
            NoBallot::NotVerified => w.sms_not_verified_help,
            NoBallot::NotEligible => w.sms_not_eligible_help,
            NoBallot::NotOpen | NoBallot::Closed => "",
        };
        let sentence = no_ballot(self.lang, &why, round);
        format!("{sentence}{}", fill(help, &[("help", self.help_line())]))
    }
}

/// Answers one inbound message: the reply's messages. A message seen
/// before (the gateway retrying) gets the reply it got the first time.
#[tracing::instrument(name = "text message", skip_all)]
pub async fn handle(state: &AppState, inbound: Inbound) -> Vec<String> {
    if let Some(reply) = earlier_reply(state, &inbound.message_sid).await {
        return reply;
    }
    let (_, lang, _) = parse(&inbound.body);
    match answer(state, &inbound).await {
        Ok((parts, round_id)) => {
            keep_reply(
                state,
                &inbound.message_sid,
                round_id.map(Into::into),
                &parts,
            )
            .await;
            parts
        }
        Err(e) => {
            tracing::error!(error = %e, "answering a text message");
            vec![refusal(lang, &e)]
        }
    }
}

/// The reply kept for a message, if it was answered before.
async fn earlier_reply(state: &AppState, message_sid: &str) -> Option<Vec<String>> {
    if message_sid.is_empty() {
        return None;
    }
    match phone_messages::Entity::find_by_id(message_sid.to_owned())
        .one(&state.db)
        .await
    {
        Ok(found) => found
            .and_then(|done| {
                super::open_state(&state.secret, "phone_messages", message_sid, &done.reply)
            })
            .and_then(|reply| serde_json::from_str(&reply).ok()),
        Err(e) => {
            tracing::error!(error = %e, "looking up an earlier reply");
            None
        }
    }
}

/// Keeps a reply, sealed, so that a retried message gets the same one.
async fn keep_reply(
    state: &AppState,
    message_sid: &str,
    round_id: Option<RoundId>,
    parts: &[String],
) {
    if message_sid.is_empty() {
        return;
    }
    let reply = serde_json::to_string(parts).unwrap_or_default();
    let stored = phone_messages::Entity::insert(phone_messages::ActiveModel {
        message_sid: Set(message_sid.to_owned()),
        round_id: Set(round_id.map(|id| id.get())),
        reply: Set(super::seal_state(
            &state.secret,
            "phone_messages",
            message_sid,
            &reply,
        )),
        created_at: Set(chrono::Utc::now()),
    })
    .on_conflict(
        OnConflict::column(phone_messages::Column::MessageSid)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await;
    if let Err(e) = stored {
        tracing::error!(error = %e, "keeping a text-message reply");
    }
}

/// Who is texting: by the code in the message, or by the phone number.
/// `Err` is the reply when they cannot be told.
async fn who_texts(
    ctx: &Ctx<'_>,
    inbound: &Inbound,
    code: Code,
    command: &Command,
) -> ServiceResult<Result<Participant, String>> {
    let (state, w) = (ctx.state, ctx.words());
    let (caller_key, _) = phone_key(&state.secret, &inbound.from);
    let digits = match code {
        Code::Malformed => return Ok(Err(w.sms_code_malformed.into())),
        Code::None => {
            return Ok(match by_phone(&state.db, &caller_key).await? {
                ByPhone::One(p) => Ok(p),
                // Help needs no voter: the general help.
                _ if *command == Command::Help => Err(ctx.general_help()),
                ByPhone::Nobody => Err(ctx.unknown_phone()),
                ByPhone::Several => Err(w.sms_several_voters.into()),
            });
        }
        Code::Given(digits) => digits,
    };
    let found = match check_code(
        &state.db,
        &state.secret,
        &super::CODE_ATTEMPTS,
        &caller_key,
        &digits,
    )
    .await
    {
        Err(e @ ServiceError::Refused { .. }) => return Ok(Err(refusal(ctx.lang, &e))),
        Err(e) => return Err(e),
        Ok(CodeIs::Unknown) => {
            let help = [("help", ctx.help_line())];
            return Ok(Err(fill(w.sms_code_unknown, &help)));
        }
        Ok(CodeIs::Closed(round)) => {
            return Ok(Err(closed_round(&state.db, ctx.lang, round).await?));
        }
        Ok(CodeIs::Valid(found)) => found,
    };
    // The next messages from this phone need no code: a code sent to the
    // resident came from this number.
    if found.phone_hmac.as_deref() != Some(caller_key.as_str()) {
        let mut am: voting_codes::ActiveModel = found.clone().into();
        am.phone_hmac = Set(Some(caller_key.clone()));
        am.update(&state.db)
            .await
            .context("remembering the phone that used a code")?;
    }
    Ok(Ok(Participant {
        round_id: found.round_id.into(),
        participant_id: found.participant_id.into(),
    }))
}

/// The reply's messages, and the round they concern.
async fn answer(state: &AppState, inbound: &Inbound) -> ServiceResult<(Vec<String>, Option<i64>)> {
    let (code, lang, command) = parse(&inbound.body);
    let ctx = Ctx { state, lang };
    let w = ctx.words();
    if command == Command::Stop {
        // Reminders to the number stop, whoever texts and with or without
        // a code: the number is all it takes.
        let stopped = match crate::domain::PhoneNumber::parse(&inbound.from) {
            Ok(number) => crate::service::reminders::stop_by_number(state, &number).await?,
            Err(_) => 0,
        };
        let reply = if stopped > 0 {
            w.sms_reminders_stopped
        } else {
            w.sms_reminders_none
        };
        return Ok((vec![reply.into()], None));
    }
    let who = match who_texts(&ctx, inbound, code, &command).await? {
        Ok(who) => who,
        Err(reply) => return Ok((vec![reply], None)),
    };
    let round_id = Some(who.round_id);
    let ballot = match ballot_for(&state.db, who).await? {
        Ok(b) => b,
        Err(why) => {
            let round = crate::service::rounds::load(&state.db, who.round_id).await?;
            return Ok((
                vec![ctx.no_ballot(why, round.title_in(lang))],
                round_id.map(|id| id.get()),
            ));
        }
    };
    let how = phrases::sms_how_to(lang, &ballot);
    let parts = match command {
        Command::Hello => vec![fill(
            w.sms_hello,
            &[
                ("round", ballot.round.title_in(lang)),
                ("area", ballot.area(lang)),
                ("how", &how),
                ("welsh_hint", ctx.welsh_hint()),
            ],
        )],
        Command::Help => vec![fill(
            w.sms_help,
            &[("how", &how), ("general", &ctx.general_help())],
        )],
        Command::Bids => bids_list(lang, &ballot),
        Command::Status => vec![status(state, lang, &ballot).await?],
        Command::Unknown(word) => vec![fill(
            w.sms_not_understood,
            &[("word", &word), ("how", &how)],
        )],
        Command::Vote(keyword, text) => {
            vec![vote(state, lang, inbound, &ballot, keyword, &text).await?]
        }
        Command::Remind => {
            let number = crate::domain::PhoneNumber::parse(&inbound.from)
                .map_err(|e| ServiceError::invalid("from", e))?;
            crate::service::reminders::subscribe_by_text(
                state,
                who.round_id,
                who.participant_id,
                &number,
                lang,
            )
            .await?;
            vec![fill(
                w.sms_reminders_set,
                &[("round", ballot.round.title_in(lang))],
            )]
        }
        // Answered before the voter is looked up.
        Command::Stop => vec![w.sms_reminders_none.into()],
    };
    Ok((parts, round_id.map(|id| id.get())))
}

/// The ballot's projects, numbered, in as many messages as they need.
fn bids_list(lang: Language, b: &PhoneBallot) -> Vec<String> {
    let w = words::of(lang);
    let head = fill(
        w.sms_bids_heading,
        &[
            ("area", b.area(lang)),
            ("pot", &phrases::money(b.pot.get())),
        ],
    );
    let mut parts = vec![head];
    for (i, bid) in b.bids.iter().enumerate() {
        let line = fill(
            w.sms_bid_line,
            &[
                ("number", &(i + 1).to_string()),
                ("title", &short(b.bid_title(lang, bid), 60)),
                ("cost", &phrases::money(bid.cost_pence)),
            ],
        );
        let last = parts.last_mut().expect("parts has the heading");
        if last.chars().count() + 1 + line.chars().count() > MAX_MESSAGE {
            parts.push(line);
        } else {
            last.push('\n');
            last.push_str(&line);
        }
    }
    parts.push(phrases::sms_how_to(lang, b));
    parts
}

async fn status(state: &AppState, lang: Language, b: &PhoneBallot) -> ServiceResult<String> {
    let w = words::of(lang);
    let link = voting::current_channel(state, b.round.id, b.participant_id).await?;
    Ok(match link {
        Some(channel) => fill(
            w.sms_status_voted,
            &[
                ("round", b.round.title_in(lang)),
                ("channel", phrases::channel(lang, channel)),
                ("until", &phrases::until(lang, b)),
            ],
        ),
        None => fill(
            w.sms_status_not_voted,
            &[
                ("round", b.round.title_in(lang)),
                ("how", &phrases::sms_how_to(lang, b)),
            ],
        ),
    })
}

/// The choices of a vote, or the reply that says why they cannot be read.
fn read_choices(
    lang: Language,
    b: &PhoneBallot,
    keyword: Keyword,
    text: &str,
) -> Result<Vec<crate::domain::vote::Choice>, String> {
    let w = words::of(lang);
    let how = phrases::sms_how_to(lang, b);
    let with_how = |sentence: &str| fill(sentence, &[("how", &how)]);
    if !keyword_fits(keyword, b.round.ballot.kind) {
        return Err(with_how(w.sms_works_differently));
    }
    let entry = match read_entry(text) {
        Ok(e) => e,
        Err(Unreadable::Nothing) => return Err(with_how(w.sms_no_numbers)),
        Err(Unreadable::Token(t)) => {
            return Err(fill(w.sms_unreadable, &[("token", &t), ("how", &how)]))
        }
        Err(Unreadable::Mixed) => return Err(with_how(w.sms_mixed)),
    };
    b.choices(&entry).map_err(|problem| match problem {
        EntryProblem::NoSuchBid(n) => fill(
            w.sms_no_such_bid,
            &[
                ("number", &n.to_string()),
                ("count", &b.bids.len().to_string()),
            ],
        ),
        EntryProblem::WrongShape => with_how(w.sms_works_differently),
    })
}

async fn vote(
    state: &AppState,
    lang: Language,
    inbound: &Inbound,
    b: &PhoneBallot,
    keyword: Keyword,
    text: &str,
) -> ServiceResult<String> {
    let w = words::of(lang);
    let choices = match read_choices(lang, b, keyword, text) {
        Ok(c) => c,
        Err(reply) => return Ok(reply),
    };
    // The gateway's message id, whatever its form, as a key the voting
    // service takes: a retry of the message is a retry of the cast.
    let key = if inbound.message_sid.is_empty() {
        format!("sms:{}", uuid::Uuid::new_v4().simple())
    } else {
        format!(
            "sms:{}",
            &crate::crypto::sha256_hex(&inbound.message_sid)[..40]
        )
    };
    let cast = voting::cast(
        state,
        CastRequest {
            round_id: b.round.id,
            voter: Voter::Participant {
                participant_id: b.participant_id,
            },
            channel: Channel::Sms,
            choices: choices.clone(),
            idempotency_key: key,
        },
    )
    .await;
    let cast = match cast {
        Ok(c) => c,
        Err(e @ ServiceError::Refused { .. }) => {
            let final_refusal = matches!(
                refused_code(&e),
                Some(
                    ErrorCode::VotingClosed
                        | ErrorCode::NotEligible
                        | ErrorCode::NotVerified
                        | ErrorCode::AlreadyVoted
                )
            );
            let again = if final_refusal {
                ""
            } else {
                w.sms_refusal_help
            };
            return Ok(format!("{}{again}", refusal(lang, &e)));
        }
        Err(e) => return Err(e),
    };
    let chosen = phrases::read_back(lang, b, &choices).join("; ");
    Ok(fill(
        w.sms_recorded,
        &[
            ("round", b.round.title_in(lang)),
            ("replaces", phrases::replaces(lang, cast.replaced)),
            ("chosen", &chosen),
            ("receipt", &cast.receipt_code),
            ("until", &phrases::until(lang, b)),
        ],
    ))
}

fn refused_code(e: &ServiceError) -> Option<ErrorCode> {
    match e {
        ServiceError::Refused { code, .. } => Some(*code),
        ServiceError::Unexpected(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_read() {
        assert_eq!(
            parse("1234 5678 9012 3456 vote 3, 7, 12"),
            (
                Code::Given("1234567890123456".into()),
                Language::En,
                Command::Vote(Keyword::Vote, "3, 7, 12".into())
            )
        );
        assert_eq!(
            parse("Pleidlais 3 7"),
            (
                Code::None,
                Language::Cy,
                Command::Vote(Keyword::Vote, "3 7".into())
            )
        );
        assert_eq!(
            parse("1234567890123456"),
            (
                Code::Given("1234567890123456".into()),
                Language::En,
                Command::Hello
            )
        );
        assert_eq!(parse("12345 BIDS").0, Code::Malformed);
        assert_eq!(parse("cymorth").2, Command::Help);
        assert_eq!(parse("what?").2, Command::Unknown("what?".into()));
        assert_eq!(read_entry("3 7 12"), Ok(Entry::Numbers(vec![3, 7, 12])));
        assert_eq!(
            read_entry("3=5, 7:£4"),
            Ok(Entry::Pairs(vec![(3, 5), (7, 4)]))
        );
        assert_eq!(read_entry("3 7=1"), Err(Unreadable::Mixed));
        assert_eq!(read_entry("three"), Err(Unreadable::Token("three".into())));
        assert_eq!(read_entry(""), Err(Unreadable::Nothing));
    }
}
