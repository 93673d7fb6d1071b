//! Voting by text message: the inbound webhook's conversation. A message is
//! an optional voting code followed by a keyword: `VOTE 3 7 12`,
//! `RANK 7 3 12`, `SCORE 3=5 7=4`, `POINTS 3=4 7=6`, `MONEY 3=250`,
//! `BIDS`, `STATUS`, `HELP` (or their Welsh forms). The reply confirms the
//! ballot in words with its receipt, or says in one sentence what is wrong.
use super::words::{self, short};
use super::{
    ballot_for, by_phone, check_code, code_digits, phone_key, refusal, twiml, ByPhone, Entry,
    EntryProblem, Lang, NoBallot, Participant, PhoneBallot,
};
use crate::domain::{ballot::BallotKind, vote::Channel};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::service::voting::{self, CastRequest, Voter};
use crate::state::AppState;
use crate::store::{phone_messages, voting_codes};
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
fn parse(body: &str) -> (Code, Lang, Command) {
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
        return (code, Lang::En, Command::Hello);
    };
    let keyword: String = first
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect();
    let tail = rest[1..].join(" ");
    let (lang, command) = match keyword.as_str() {
        "VOTE" => (Lang::En, Command::Vote(Keyword::Vote, tail)),
        "PLEIDLAIS" | "PLEIDLEISIO" => (Lang::Cy, Command::Vote(Keyword::Vote, tail)),
        "RANK" => (Lang::En, Command::Vote(Keyword::Rank, tail)),
        "TREFN" => (Lang::Cy, Command::Vote(Keyword::Rank, tail)),
        "SCORE" => (Lang::En, Command::Vote(Keyword::Score, tail)),
        "SGOR" | "SGÔR" => (Lang::Cy, Command::Vote(Keyword::Score, tail)),
        "POINTS" => (Lang::En, Command::Vote(Keyword::Points, tail)),
        "PWYNTIAU" => (Lang::Cy, Command::Vote(Keyword::Points, tail)),
        "MONEY" => (Lang::En, Command::Vote(Keyword::Money, tail)),
        "ARIAN" => (Lang::Cy, Command::Vote(Keyword::Money, tail)),
        "HELP" => (Lang::En, Command::Help),
        "CYMORTH" | "HELO" => (Lang::Cy, Command::Help),
        "STATUS" => (Lang::En, Command::Status),
        "STATWS" => (Lang::Cy, Command::Status),
        "BIDS" | "LIST" | "PROJECTS" => (Lang::En, Command::Bids),
        "CYNIGION" | "RHESTR" | "PROSIECTAU" => (Lang::Cy, Command::Bids),
        _ => (Lang::En, Command::Unknown(short(first, 20))),
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
    lang: Lang,
}

impl Ctx<'_> {
    fn help_line(&self) -> &str {
        &self.state.settings.phone.help_line
    }

    fn welsh_hint(&self) -> &'static str {
        if self.state.settings.phone.welsh && self.lang == Lang::En {
            " Cymraeg: anfonwch CYMORTH."
        } else {
            ""
        }
    }

    fn general_help(&self) -> String {
        match self.lang {
            Lang::En => format!(
                "Vote by text: start your first message with the 16-digit voting code from your letter. Text BIDS for the list of projects, VOTE and their numbers to vote, STATUS to check your vote. Help: {}.{}",
                self.help_line(),
                self.welsh_hint()
            ),
            Lang::Cy => format!(
                "Pleidleisio drwy neges destun: dechreuwch eich neges gyntaf gyda'r cod pleidleisio 16 digid o'ch llythyr. Tecstiwch CYNIGION i gael rhestr o'r prosiectau, PLEIDLAIS a'u rhifau i bleidleisio, STATWS i wirio eich pleidlais. Help: {}.",
                self.help_line()
            ),
        }
    }

    fn unknown_phone(&self) -> String {
        match self.lang {
            Lang::En => format!(
                "We do not recognise this phone. Start your message with the 16-digit voting code from your letter, for example: 1234 5678 9012 3456 BIDS. Help: {}.{}",
                self.help_line(),
                self.welsh_hint()
            ),
            Lang::Cy => format!(
                "Nid ydym yn adnabod y ffôn hwn. Dechreuwch eich neges gyda'r cod pleidleisio 16 digid o'ch llythyr, er enghraifft: 1234 5678 9012 3456 CYNIGION. Help: {}.",
                self.help_line()
            ),
        }
    }

    fn no_ballot(&self, why: NoBallot, round: &str) -> String {
        let help = self.help_line();
        match (self.lang, why) {
            (Lang::En, NoBallot::NotOpen) => format!("Voting in {round} has not opened yet."),
            (Lang::En, NoBallot::Closed) => format!("Voting in {round} has closed."),
            (Lang::En, NoBallot::NotVerified) => format!(
                "The council is still checking your details before you can vote. Help: {help}."
            ),
            (Lang::En, NoBallot::NotEligible) => format!(
                "The rules of {round} do not let you vote in it. If this is wrong, call {help}."
            ),
            (Lang::Cy, NoBallot::NotOpen) => {
                format!("Nid yw pleidleisio yn {round} wedi agor eto.")
            }
            (Lang::Cy, NoBallot::Closed) => format!("Mae pleidleisio yn {round} wedi cau."),
            (Lang::Cy, NoBallot::NotVerified) => format!(
                "Mae'r cyngor yn dal i wirio eich manylion cyn y gallwch bleidleisio. Help: {help}."
            ),
            (Lang::Cy, NoBallot::NotEligible) => format!(
                "Nid yw rheolau {round} yn gadael i chi bleidleisio ynddi. Os yw hyn yn anghywir, ffoniwch {help}."
            ),
        }
    }
}

/// Answers one inbound message with TwiML. A message seen before (the
/// gateway retrying) gets the reply it got the first time.
#[tracing::instrument(name = "text message", skip_all)]
pub async fn handle(state: &AppState, inbound: Inbound) -> String {
    if !inbound.message_sid.is_empty() {
        match phone_messages::Entity::find_by_id(inbound.message_sid.clone())
            .one(&state.db)
            .await
        {
            Ok(Some(done)) => {
                if let Some(reply) = super::open_state(
                    &state.secret,
                    "phone_messages",
                    &inbound.message_sid,
                    &done.reply,
                ) {
                    return reply;
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "looking up an earlier reply"),
        }
    }
    let (_, lang, _) = parse(&inbound.body);
    match answer(state, &inbound).await {
        Ok((parts, round_id)) => {
            let reply = twiml::messages(&parts);
            if !inbound.message_sid.is_empty() {
                let stored = phone_messages::Entity::insert(phone_messages::ActiveModel {
                    message_sid: Set(inbound.message_sid.clone()),
                    round_id: Set(round_id),
                    reply: Set(super::seal_state(
                        &state.secret,
                        "phone_messages",
                        &inbound.message_sid,
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
            reply
        }
        Err(e) => {
            tracing::error!(error = %e, "answering a text message");
            twiml::messages(&[refusal(lang, &e)])
        }
    }
}

/// The reply's messages, and the round they concern.
async fn answer(state: &AppState, inbound: &Inbound) -> ServiceResult<(Vec<String>, Option<i64>)> {
    let (code, lang, command) = parse(&inbound.body);
    let ctx = Ctx { state, lang };
    let (caller_key, _) = phone_key(&state.secret, &inbound.from);
    let who: Participant = match code {
        Code::Malformed => {
            return Ok((
                vec![match lang {
                    Lang::En => "Your voting code has 16 digits: check it on your letter and put it at the start of your message.".into(),
                    Lang::Cy => "Mae gan eich cod pleidleisio 16 digid: gwiriwch ef ar eich llythyr a'i roi ar ddechrau eich neges.".into(),
                }],
                None,
            ))
        }
        Code::Given(digits) => {
            match check_code(&state.db, &state.secret, &caller_key, &digits).await {
                Err(e @ ServiceError::Refused { .. }) => return Ok((vec![refusal(lang, &e)], None)),
                Err(e) => return Err(e),
                Ok(None) => {
                    return Ok((
                        vec![match lang {
                            Lang::En => format!("We do not recognise that voting code. Check the 16 digits on your letter, or call {} for a new one.", ctx.help_line()),
                            Lang::Cy => format!("Nid ydym yn adnabod y cod pleidleisio hwnnw. Gwiriwch yr 16 digid ar eich llythyr, neu ffoniwch {} am un newydd.", ctx.help_line()),
                        }],
                        None,
                    ))
                }
                Ok(Some(found)) => {
                    // The next messages from this phone need no code.
                    if found.phone_hmac.as_deref() != Some(caller_key.as_str()) {
                        let mut am: voting_codes::ActiveModel = found.clone().into();
                        am.phone_hmac = Set(Some(caller_key.clone()));
                        am.update(&state.db)
                            .await
                            .context("remembering the phone that used a code")?;
                    }
                    Participant {
                        round_id: found.round_id,
                        participant_id: found.participant_id,
                    }
                }
            }
        }
        Code::None => match by_phone(&state.db, &caller_key).await? {
            ByPhone::One(p) => p,
            // Help needs no voter: the general help.
            _ if command == Command::Help => return Ok((vec![ctx.general_help()], None)),
            ByPhone::Nobody => return Ok((vec![ctx.unknown_phone()], None)),
                ByPhone::Several => {
                    return Ok((
                        vec![match lang {
                            Lang::En => "More than one voter uses this phone: start your message with your own 16-digit voting code.".into(),
                            Lang::Cy => "Mae mwy nag un pleidleisiwr yn defnyddio'r ffôn hwn: dechreuwch eich neges gyda'ch cod pleidleisio 16 digid eich hun.".into(),
                        }],
                        None,
                    ))
                }
        },
    };
    let round_id = Some(who.round_id);
    let ballot = match ballot_for(&state.db, who).await? {
        Ok(b) => b,
        Err(why) => {
            let round = crate::service::rounds::load(&state.db, who.round_id).await?;
            return Ok((vec![ctx.no_ballot(why, &round.title)], round_id));
        }
    };
    let parts = match command {
        Command::Hello => vec![match lang {
            Lang::En => format!(
                "Welcome. You can vote in {} for projects in {}. Text BIDS for the list of projects. {}{}",
                ballot.round.title,
                ballot.area_name,
                words::sms_how_to(lang, &ballot),
                ctx.welsh_hint()
            ),
            Lang::Cy => format!(
                "Croeso. Gallwch bleidleisio yn {} ar gyfer prosiectau yn {}. Tecstiwch CYNIGION i gael rhestr o'r prosiectau. {}",
                ballot.round.title,
                ballot.area_name,
                words::sms_how_to(lang, &ballot)
            ),
        }],
        Command::Help => vec![format!(
            "{} {}",
            words::sms_how_to(lang, &ballot),
            ctx.general_help()
        )],
        Command::Bids => bids_list(lang, &ballot),
        Command::Status => vec![status(state, lang, &ballot).await?],
        Command::Unknown(word) => vec![match lang {
            Lang::En => format!(
                "We did not understand \"{word}\". {} Text HELP for help.",
                words::sms_how_to(lang, &ballot)
            ),
            Lang::Cy => format!(
                "Nid oeddem yn deall \"{word}\". {} Tecstiwch CYMORTH am help.",
                words::sms_how_to(lang, &ballot)
            ),
        }],
        Command::Vote(keyword, text) => vec![vote(state, lang, inbound, &ballot, keyword, &text).await?],
    };
    Ok((parts, round_id))
}

/// The ballot's projects, numbered, in as many messages as they need.
fn bids_list(lang: Lang, b: &PhoneBallot) -> Vec<String> {
    let head = match lang {
        Lang::En => format!(
            "Projects in {} ({} to share):",
            b.area_name,
            words::money(b.pot.get())
        ),
        Lang::Cy => format!(
            "Prosiectau yn {} ({} i'w rannu):",
            b.area_name,
            words::money(b.pot.get())
        ),
    };
    let mut parts = vec![head];
    for (i, bid) in b.bids.iter().enumerate() {
        let line = format!(
            "{} {} - {}",
            i + 1,
            short(&bid.title, 60),
            words::money(bid.cost_pence)
        );
        let last = parts.last_mut().expect("parts has the heading");
        if last.chars().count() + 1 + line.chars().count() > MAX_MESSAGE {
            parts.push(line);
        } else {
            last.push('\n');
            last.push_str(&line);
        }
    }
    parts.push(words::sms_how_to(lang, b));
    parts
}

async fn status(state: &AppState, lang: Lang, b: &PhoneBallot) -> ServiceResult<String> {
    let link = voting::current_channel(state, b.round.id, b.participant_id).await?;
    Ok(match (lang, link) {
        (Lang::En, Some(l)) => format!(
            "You have voted in {} ({}). {}",
            b.round.title,
            words::channel(lang, l),
            words::until(lang, b)
        ),
        (Lang::Cy, Some(l)) => format!(
            "Rydych wedi pleidleisio yn {} ({}). {}",
            b.round.title,
            words::channel(lang, l),
            words::until(lang, b)
        ),
        (Lang::En, None) => format!(
            "You have not voted in {} yet. {}",
            b.round.title,
            words::sms_how_to(lang, b)
        ),
        (Lang::Cy, None) => format!(
            "Nid ydych wedi pleidleisio yn {} eto. {}",
            b.round.title,
            words::sms_how_to(lang, b)
        ),
    })
}

async fn vote(
    state: &AppState,
    lang: Lang,
    inbound: &Inbound,
    b: &PhoneBallot,
    keyword: Keyword,
    text: &str,
) -> ServiceResult<String> {
    let how = words::sms_how_to(lang, b);
    if !keyword_fits(keyword, b.round.ballot.kind) {
        return Ok(match lang {
            Lang::En => format!("This round's ballot works differently. {how}"),
            Lang::Cy => format!("Mae papur pleidleisio'r rownd hon yn gweithio'n wahanol. {how}"),
        });
    }
    let entry = match read_entry(text) {
        Ok(e) => e,
        Err(Unreadable::Nothing) => {
            return Ok(match lang {
                Lang::En => format!("Your message had no project numbers. {how}"),
                Lang::Cy => format!("Nid oedd rhifau prosiect yn eich neges. {how}"),
            })
        }
        Err(Unreadable::Token(t)) => {
            return Ok(match lang {
                Lang::En => format!("We could not read \"{t}\". {how}"),
                Lang::Cy => format!("Ni allem ddarllen \"{t}\". {how}"),
            })
        }
        Err(Unreadable::Mixed) => {
            return Ok(match lang {
                Lang::En => format!("Write every choice the same way. {how}"),
                Lang::Cy => format!("Ysgrifennwch bob dewis yr un ffordd. {how}"),
            })
        }
    };
    let choices = match b.choices(&entry) {
        Ok(c) => c,
        Err(EntryProblem::NoSuchBid(n)) => {
            return Ok(match lang {
                Lang::En => format!(
                    "There is no project {n} on your ballot: the projects are numbered 1 to {}. Text BIDS for the list.",
                    b.bids.len()
                ),
                Lang::Cy => format!(
                    "Nid oes prosiect {n} ar eich papur pleidleisio: mae'r prosiectau wedi'u rhifo o 1 i {}. Tecstiwch CYNIGION i gael y rhestr.",
                    b.bids.len()
                ),
            })
        }
        Err(EntryProblem::WrongShape) => {
            return Ok(match lang {
                Lang::En => format!("This round's ballot works differently. {how}"),
                Lang::Cy => format!(
                    "Mae papur pleidleisio'r rownd hon yn gweithio'n wahanol. {how}"
                ),
            })
        }
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
            let again = match (lang, refused_code(&e)) {
                (
                    _,
                    Some(
                        ErrorCode::VotingClosed
                        | ErrorCode::NotEligible
                        | ErrorCode::NotVerified
                        | ErrorCode::AlreadyVoted,
                    ),
                ) => String::new(),
                (Lang::En, _) => " Text HELP for how to vote.".into(),
                (Lang::Cy, _) => " Tecstiwch CYMORTH am help.".into(),
            };
            return Ok(format!("{}{again}", refusal(lang, &e)));
        }
        Err(e) => return Err(e),
    };
    let chosen = words::read_back(lang, b, &choices).join("; ");
    Ok(match lang {
        Lang::En => format!(
            "Thank you: your vote in {} is recorded{}. You chose: {chosen}. Your receipt is {}: keep it to check your vote in the published results. {}",
            b.round.title,
            if cast.replaced { " and replaces your earlier vote" } else { "" },
            cast.receipt_code,
            words::until(lang, b)
        ),
        Lang::Cy => format!(
            "Diolch: mae eich pleidlais yn {} wedi'i chofnodi{}. Fe wnaethoch ddewis: {chosen}. Eich derbynneb yw {}: cadwch hi i wirio eich pleidlais yn y canlyniadau a gyhoeddir. {}",
            b.round.title,
            if cast.replaced { " ac mae'n disodli eich pleidlais gynharach" } else { "" },
            cast.receipt_code,
            words::until(lang, b)
        ),
    })
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
                Lang::En,
                Command::Vote(Keyword::Vote, "3, 7, 12".into())
            )
        );
        assert_eq!(
            parse("Pleidlais 3 7"),
            (
                Code::None,
                Lang::Cy,
                Command::Vote(Keyword::Vote, "3 7".into())
            )
        );
        assert_eq!(
            parse("1234567890123456"),
            (
                Code::Given("1234567890123456".into()),
                Lang::En,
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
