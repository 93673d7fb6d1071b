//! Sentences about a ballot that texts and calls both say, built from the
//! dictionary of what people read and hear (`crate::words`).
use super::{day, left, PhoneBallot};
use crate::domain::{ballot::BallotKind, vote::Channel, Language, Pence};
use crate::words::{self, fill};

pub fn money(pence: i64) -> String {
    Pence::parse(pence).unwrap_or(Pence::ZERO).to_string()
}

/// The limits of a ballot, as a sentence (or nothing).
pub fn limits(lang: Language, b: &PhoneBallot) -> String {
    let w = words::of(lang);
    let s = &b.round.ballot;
    let pot = money(b.pot.get());
    let mut parts = Vec::new();
    match s.kind {
        BallotKind::Approval | BallotKind::Knapsack | BallotKind::Ranked => {
            if let Some(max) = s.max_choices {
                parts.push(fill(w.limit_up_to, &[("max", &max.to_string())]));
            }
            if let Some(min) = s.min_choices.filter(|m| *m > 1) {
                parts.push(fill(w.limit_at_least, &[("min", &min.to_string())]));
            }
            if s.kind == BallotKind::Knapsack {
                parts.push(fill(w.limit_pot, &[("pot", &pot)]));
            }
        }
        BallotKind::Scoring => {
            let (lo, hi) = (s.score_min.unwrap_or(0), s.score_max.unwrap_or(5));
            parts.push(fill(
                w.limit_scores,
                &[("lo", &lo.to_string()), ("hi", &hi.to_string())],
            ));
        }
        BallotKind::PointsAllocation => {
            if let Some(t) = s.points_total {
                parts.push(fill(w.limit_points, &[("total", &t.to_string())]));
            }
            if let Some(m) = s.points_max_per_bid {
                parts.push(fill(w.limit_points_per_bid, &[("max", &m.to_string())]));
            }
        }
        BallotKind::MoneyAllocation => parts.push(fill(w.limit_money, &[("pot", &pot)])),
    }
    parts.join(" ")
}

/// An example text-message vote for this kind of ballot, and what it means.
pub fn example(lang: Language, kind: BallotKind) -> (&'static str, &'static str) {
    let w = words::of(lang);
    match kind {
        BallotKind::Approval | BallotKind::Knapsack => (w.example_choose, w.example_choose_means),
        BallotKind::Ranked => (w.example_rank, w.example_rank_means),
        BallotKind::Scoring => (w.example_score, w.example_score_means),
        BallotKind::PointsAllocation => (w.example_points, w.example_points_means),
        BallotKind::MoneyAllocation => (w.example_money, w.example_money_means),
    }
}

/// How to vote by text on this ballot.
pub fn sms_how_to(lang: Language, b: &PhoneBallot) -> String {
    let w = words::of(lang);
    let kind = b.round.ballot.kind;
    let what = match kind {
        BallotKind::Ranked => w.sms_what_rank,
        BallotKind::Scoring => w.sms_what_score,
        BallotKind::PointsAllocation => w.sms_what_points,
        BallotKind::MoneyAllocation => w.sms_what_money,
        BallotKind::Approval | BallotKind::Knapsack => w.sms_what_choose,
    };
    fill(
        w.sms_how_to,
        &[
            ("what", what),
            ("example", example(lang, kind).0),
            ("limits", &limits(lang, b)),
        ],
    )
    .trim_end()
    .to_owned()
}

/// The choices of a ballot read back, one line each.
pub fn read_back(
    lang: Language,
    b: &PhoneBallot,
    choices: &[crate::domain::vote::Choice],
) -> Vec<String> {
    let w = words::of(lang);
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let n = b.number_of(c.bid_id).unwrap_or(0);
            let title = b
                .bids
                .iter()
                .find(|x| x.id == c.bid_id.get())
                .map(|x| short(b.bid_title(lang, x), 60))
                .unwrap_or_default();
            let project = fill(w.project, &[("number", &n.to_string()), ("title", &title)]);
            let with = |text: &str, name: &str, value: &str| {
                fill(text, &[("project", &project), (name, value)])
            };
            match (b.round.ballot.kind, c.value) {
                (BallotKind::Ranked, _) => {
                    with(w.read_back_ranked, "position", &(i + 1).to_string())
                }
                (BallotKind::MoneyAllocation, Some(v)) => {
                    with(w.read_back_money, "amount", &money(v))
                }
                (BallotKind::Scoring, Some(v)) => with(w.read_back_score, "value", &v.to_string()),
                (BallotKind::PointsAllocation, Some(v)) => {
                    with(w.read_back_points, "value", &v.to_string())
                }
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

pub fn channel(lang: Language, c: Channel) -> &'static str {
    let w = words::of(lang);
    match c {
        Channel::Web => w.channel_web,
        Channel::Sms => w.channel_sms,
        Channel::Phone => w.channel_phone,
        _ => w.channel_council,
    }
}

/// "You can change your vote until …" for a ballot.
pub fn until(lang: Language, b: &PhoneBallot) -> String {
    let w = words::of(lang);
    match b.closes_at() {
        Some(c) => fill(
            w.until_day,
            &[
                ("day", &day(lang, c)),
                ("left", &left(lang, c, chrono::Utc::now())),
            ],
        ),
        None => w.until_close.into(),
    }
}

/// " and replaces your earlier vote", or nothing.
pub fn replaces(lang: Language, replaced: bool) -> &'static str {
    if replaced {
        words::of(lang).replaces_earlier
    } else {
        ""
    }
}
