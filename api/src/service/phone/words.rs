//! What text messages and calls say, in English and Welsh.
use super::{day, letters, Lang, PhoneBallot};
use crate::domain::{ballot::BallotKind, vote::Channel, Pence};

pub fn money(pence: i64) -> String {
    Pence::parse(pence).unwrap_or(Pence::ZERO).to_string()
}

/// The limits of a ballot, as a sentence (or nothing).
pub fn limits(lang: Lang, b: &PhoneBallot) -> String {
    let s = &b.round.ballot;
    let mut parts = Vec::new();
    match s.kind {
        BallotKind::Approval | BallotKind::Knapsack | BallotKind::Ranked => {
            if let Some(max) = s.max_choices {
                parts.push(match lang {
                    Lang::En => format!("Choose up to {max}."),
                    Lang::Cy => format!("Dewiswch hyd at {max}."),
                });
            }
            if let Some(min) = s.min_choices.filter(|m| *m > 1) {
                parts.push(match lang {
                    Lang::En => format!("Choose at least {min}."),
                    Lang::Cy => format!("Dewiswch o leiaf {min}."),
                });
            }
            if s.kind == BallotKind::Knapsack {
                parts.push(match lang {
                    Lang::En => format!(
                        "Together they may cost no more than {}.",
                        money(b.pot.get())
                    ),
                    Lang::Cy => format!(
                        "Gyda'i gilydd ni allant gostio mwy na {}.",
                        money(b.pot.get())
                    ),
                });
            }
        }
        BallotKind::Scoring => {
            let (lo, hi) = (s.score_min.unwrap_or(0), s.score_max.unwrap_or(5));
            parts.push(match lang {
                Lang::En => format!("Give every project a score from {lo} to {hi}."),
                Lang::Cy => format!("Rhowch sgôr o {lo} i {hi} i bob prosiect."),
            });
        }
        BallotKind::PointsAllocation => {
            if let Some(t) = s.points_total {
                parts.push(match lang {
                    Lang::En => format!("You have {t} points to share out."),
                    Lang::Cy => format!("Mae gennych {t} o bwyntiau i'w rhannu."),
                });
            }
            if let Some(m) = s.points_max_per_bid {
                parts.push(match lang {
                    Lang::En => format!("At most {m} to one project."),
                    Lang::Cy => format!("Dim mwy na {m} i un prosiect."),
                });
            }
        }
        BallotKind::MoneyAllocation => parts.push(match lang {
            Lang::En => format!("Share out up to {} in whole pounds.", money(b.pot.get())),
            Lang::Cy => format!(
                "Rhannwch hyd at {} mewn punnoedd cyfan.",
                money(b.pot.get())
            ),
        }),
    }
    parts.join(" ")
}

/// How to vote by text on this ballot.
pub fn sms_how_to(lang: Lang, b: &PhoneBallot) -> String {
    let ex = letters::example(lang, b.round.ballot.kind);
    let what = match (lang, b.round.ballot.kind) {
        (Lang::En, BallotKind::Ranked) => {
            "text RANK and the numbers of the projects in order, your first choice first"
        }
        (Lang::En, BallotKind::Scoring) => "text SCORE and each project's number with its score",
        (Lang::En, BallotKind::PointsAllocation) => {
            "text POINTS and each project's number with its points"
        }
        (Lang::En, BallotKind::MoneyAllocation) => {
            "text MONEY and each project's number with the pounds you give it"
        }
        (Lang::En, _) => "text VOTE and the numbers of the projects you choose",
        (Lang::Cy, BallotKind::Ranked) => {
            "tecstiwch TREFN a rhifau'r prosiectau mewn trefn, eich dewis cyntaf yn gyntaf"
        }
        (Lang::Cy, BallotKind::Scoring) => "tecstiwch SGOR a rhif pob prosiect gyda'i sgôr",
        (Lang::Cy, BallotKind::PointsAllocation) => {
            "tecstiwch PWYNTIAU a rhif pob prosiect gyda'i bwyntiau"
        }
        (Lang::Cy, BallotKind::MoneyAllocation) => {
            "tecstiwch ARIAN a rhif pob prosiect gyda'r punnoedd a roddwch iddo"
        }
        (Lang::Cy, _) => "tecstiwch PLEIDLAIS a rhifau'r prosiectau a ddewiswch",
    };
    let limits = limits(lang, b);
    match lang {
        Lang::En => format!("To vote, {what}, for example: {ex}. {limits}"),
        Lang::Cy => format!("I bleidleisio, {what}, er enghraifft: {ex}. {limits}"),
    }
    .trim_end()
    .to_owned()
}

/// The choices of a ballot read back, one line each.
pub fn read_back(
    lang: Lang,
    b: &PhoneBallot,
    choices: &[crate::domain::vote::Choice],
) -> Vec<String> {
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let n = b.number_of(c.bid_id).unwrap_or(0);
            let title = b
                .bids
                .iter()
                .find(|x| x.id == c.bid_id)
                .map(|x| short(&x.title, 60))
                .unwrap_or_default();
            let project = match lang {
                Lang::En => format!("project {n}, {title}"),
                Lang::Cy => format!("prosiect {n}, {title}"),
            };
            match (b.round.ballot.kind, c.value) {
                (BallotKind::Ranked, _) => match lang {
                    Lang::En => format!("choice {}: {project}", i + 1),
                    Lang::Cy => format!("dewis {}: {project}", i + 1),
                },
                (BallotKind::MoneyAllocation, Some(v)) => format!("{project}: {}", money(v)),
                (BallotKind::Scoring, Some(v)) => match lang {
                    Lang::En => format!("{project}: score {v}"),
                    Lang::Cy => format!("{project}: sgôr {v}"),
                },
                (BallotKind::PointsAllocation, Some(v)) => match lang {
                    Lang::En => format!("{project}: {v} points"),
                    Lang::Cy => format!("{project}: {v} pwynt"),
                },
                _ => project,
            }
        })
        .collect()
}

/// A title cut to `max` characters.
pub fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

pub fn channel(lang: Lang, c: Channel) -> &'static str {
    match (lang, c) {
        (Lang::En, Channel::Web) => "online",
        (Lang::En, Channel::Sms) => "by text message",
        (Lang::En, Channel::Phone) => "by phone",
        (Lang::En, _) => "through the council",
        (Lang::Cy, Channel::Web) => "ar-lein",
        (Lang::Cy, Channel::Sms) => "drwy neges destun",
        (Lang::Cy, Channel::Phone) => "dros y ffôn",
        (Lang::Cy, _) => "drwy'r cyngor",
    }
}

/// "You can change your vote until …" for a ballot.
pub fn until(lang: Lang, b: &PhoneBallot) -> String {
    match (lang, b.closes_at()) {
        (Lang::En, Some(c)) => format!("You can change your vote until {}.", day(lang, c)),
        (Lang::En, None) => "You can change your vote until voting closes.".into(),
        (Lang::Cy, Some(c)) => format!("Gallwch newid eich pleidlais tan {}.", day(lang, c)),
        (Lang::Cy, None) => "Gallwch newid eich pleidlais nes bydd pleidleisio'n cau.".into(),
    }
}
