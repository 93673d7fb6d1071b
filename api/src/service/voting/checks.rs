//! What a ballot may say: the bids on a pot's ballot, and the choices
//! checked by the counting module's own constraints.
use crate::domain::id::PotId;
use crate::domain::{
    ballot::BallotKind,
    vote::{BallotContent, Choice},
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::bids;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn refused(code: ErrorCode, message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, message)
}

/// The bids on a pot's ballot: its eligible bids, by identifier.
pub(crate) async fn ballot_bids(
    db: &impl ConnectionTrait,
    pot_id: PotId,
) -> ServiceResult<Vec<bids::Model>> {
    bids::Entity::find()
        .filter(bids::Column::PotId.eq(pot_id))
        .filter(bids::Column::Status.eq("eligible"))
        .order_by_asc(bids::Column::Id)
        .all(db)
        .await
        .context("loading the ballot's bids")
}

/// Checks the choices against the round's ballot settings through the
/// counting module, and gives the canonical content.
pub(crate) fn check_choices(
    kind: &crate::domain::BallotSettings,
    pot_pence: i64,
    bids_on_ballot: &[bids::Model],
    choices: &[Choice],
) -> ServiceResult<BallotContent> {
    use tally::model::{BallotRef, Ballots};
    use tally::{BallotProblem, Election, Project};
    let index: HashMap<i64, usize> = bids_on_ballot
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id, i))
        .collect();
    let with_values = matches!(
        kind.kind,
        BallotKind::Scoring | BallotKind::PointsAllocation | BallotKind::MoneyAllocation
    );
    // Points and money left at nothing are not choices: a form sends 0 for
    // every bid it does not touch.
    let choices: Vec<Choice> = choices
        .iter()
        .copied()
        .filter(|c| {
            !(matches!(
                kind.kind,
                BallotKind::PointsAllocation | BallotKind::MoneyAllocation
            ) && c.value == Some(0))
        })
        .collect();
    let mut projects = Vec::with_capacity(choices.len());
    let mut points = Vec::with_capacity(choices.len());
    for c in &choices {
        let Some(&i) = index.get(&c.bid_id.get()) else {
            return Err(refused(
                ErrorCode::BidNotInPot,
                "one of your choices is not on the ballot for your area",
            ));
        };
        projects.push(i as u32);
        match (with_values, c.value) {
            (true, Some(v)) if v >= 0 => points.push(v as u64),
            (true, Some(_)) => {
                return Err(refused(
                    ErrorCode::ScoreOutOfRange,
                    "a score, points or amount cannot be below zero",
                ))
            }
            (true, None) => {
                return Err(ServiceError::invalid(
                    "choices",
                    match kind.kind {
                        BallotKind::Scoring => "give a score for each bid",
                        BallotKind::PointsAllocation => "give the points for each bid you choose",
                        _ => "give the amount for each bid you choose",
                    },
                ))
            }
            (false, Some(_)) => {
                return Err(ServiceError::invalid(
                    "choices",
                    "this ballot takes bids only, without a number",
                ))
            }
            (false, None) => {}
        }
    }
    let pot = pot_pence.max(0) as u64;
    let (vote_type, constraints) = tally_shape(kind, pot, bids_on_ballot.len() as u64);
    let election = Election {
        meta: Vec::new(),
        ballot_columns: Vec::new(),
        budget: pot,
        money_scale: 0,
        vote_type,
        projects: bids_on_ballot
            .iter()
            .map(|b| Project {
                id: b.id.to_string(),
                cost: b.cost_pence.max(0) as u64,
                name: None,
                category: None,
                extra: Vec::new(),
            })
            .collect(),
        ballots: Ballots::new(with_values),
        constraints,
    };
    let ballot = BallotRef {
        voter_id: "",
        projects: &projects,
        points: with_values.then_some(&points[..]),
        extra: "",
    };
    if let Err(problem) = election.check_ballot(&ballot) {
        return Err(match problem {
            BallotProblem::UnknownProject(_) => refused(
                ErrorCode::BidNotInPot,
                "one of your choices is not on the ballot for your area",
            ),
            BallotProblem::Repeated(_) => refused(
                ErrorCode::DuplicateRank,
                "each bid can appear only once on your ballot",
            ),
            BallotProblem::Points => {
                ServiceError::invalid("choices", "give one number for each bid")
            }
            BallotProblem::Breaks { constraint, limit } => breach(kind.kind, constraint, limit),
        });
    }
    // Money: no more to a bid than it costs.
    if kind.kind == BallotKind::MoneyAllocation {
        for (&p, &amount) in projects.iter().zip(&points) {
            let bid = &bids_on_ballot[p as usize];
            if amount > bid.cost_pence.max(0) as u64 {
                return Err(refused(
                    ErrorCode::OverBudget,
                    format!(
                        "you gave {} to \"{}\", which costs {}: give it no more than it costs",
                        crate::domain::Pence::parse(amount as i64)
                            .unwrap_or(crate::domain::Pence::ZERO),
                        bid.title,
                        crate::domain::Pence::parse(bid.cost_pence)
                            .unwrap_or(crate::domain::Pence::ZERO)
                    ),
                ));
            }
        }
    }
    // Canonical order: a ranking keeps its order; anything else is sorted
    // by bid.
    let mut lines: Vec<(i64, Option<i64>)> =
        choices.iter().map(|c| (c.bid_id.get(), c.value)).collect();
    if kind.kind != BallotKind::Ranked {
        lines.sort_by_key(|(b, _)| *b);
    }
    Ok(BallotContent {
        bids: lines.iter().map(|(b, _)| *b).collect(),
        values: with_values.then(|| lines.iter().map(|(_, v)| v.unwrap_or(0)).collect()),
    })
}

/// The counting module's view of a round's ballot: its vote type and the
/// constraints a ballot must keep, for a pot of `pot` pence with `n` bids.
/// Used to check each ballot as it is cast and to publish the pot's
/// ballots, so that both say the same.
pub(crate) fn tally_shape(
    kind: &crate::domain::BallotSettings,
    pot: u64,
    n: u64,
) -> (tally::VoteType, tally::model::BallotConstraints) {
    use tally::model::BallotConstraints;
    use tally::VoteType;
    let u = |x: Option<u32>| x.map(u64::from);
    match kind.kind {
        BallotKind::Approval => (
            VoteType::Approval,
            BallotConstraints {
                min_length: Some(u(kind.min_choices).unwrap_or(1)),
                max_length: u(kind.max_choices),
                ..Default::default()
            },
        ),
        BallotKind::Knapsack => (
            VoteType::Knapsack,
            BallotConstraints {
                min_length: Some(u(kind.min_choices).unwrap_or(1)),
                max_length: u(kind.max_choices),
                max_sum_cost: Some(pot),
                ..Default::default()
            },
        ),
        BallotKind::Ranked => (
            VoteType::Ordinal,
            BallotConstraints {
                min_length: Some(u(kind.min_choices).unwrap_or(1)),
                max_length: u(kind.max_choices),
                ..Default::default()
            },
        ),
        // Every bid is rated, as at decision days.
        BallotKind::Scoring => (
            VoteType::Scoring,
            BallotConstraints {
                min_length: Some(n),
                max_length: Some(n),
                min_points: u(kind.score_min),
                max_points: u(kind.score_max),
                ..Default::default()
            },
        ),
        BallotKind::PointsAllocation => (
            VoteType::Cumulative,
            BallotConstraints {
                min_sum_points: Some(1),
                max_points: u(kind.points_max_per_bid),
                max_sum_points: u(kind.points_total),
                ..Default::default()
            },
        ),
        BallotKind::MoneyAllocation => (
            VoteType::Allocation,
            BallotConstraints {
                min_sum_points: Some(1),
                max_sum_points: Some(pot),
                ..Default::default()
            },
        ),
    }
}

/// A broken constraint, in a resident's words.
fn breach(kind: BallotKind, constraint: &str, limit: u64) -> ServiceError {
    let plural = |n: u64, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let money = |p: u64| {
        crate::domain::Pence::parse(p as i64)
            .unwrap_or(crate::domain::Pence::ZERO)
            .to_string()
    };
    match (kind, constraint) {
        (BallotKind::Scoring, "min_length") => {
            refused(ErrorCode::TooFewChoices, "give every bid a score")
        }
        (_, "min_length") => refused(
            ErrorCode::TooFewChoices,
            format!("choose at least {}", plural(limit, "bid", "bids")),
        ),
        (_, "max_length") => refused(
            ErrorCode::TooManyChoices,
            format!("choose no more than {}", plural(limit, "bid", "bids")),
        ),
        (_, "max_sum_cost") => refused(
            ErrorCode::OverBudget,
            format!(
                "the bids you chose cost more than the {} in your area's pot: take one out",
                money(limit)
            ),
        ),
        (BallotKind::Scoring, "min_points") | (BallotKind::Scoring, "max_points") => refused(
            ErrorCode::ScoreOutOfRange,
            "give each bid a score on the ballot's scale",
        ),
        (_, "max_points") => refused(
            ErrorCode::PointsExceedLimit,
            format!(
                "give no more than {} to one bid",
                plural(limit, "point", "points")
            ),
        ),
        (BallotKind::MoneyAllocation, "max_sum_points") => refused(
            ErrorCode::OverBudget,
            format!(
                "you shared out more than the {} in your area's pot",
                money(limit)
            ),
        ),
        (_, "max_sum_points") => refused(
            ErrorCode::PointsExceedLimit,
            format!(
                "you have {} to spread, no more",
                plural(limit, "point", "points")
            ),
        ),
        (BallotKind::MoneyAllocation, "min_sum_points") => {
            refused(ErrorCode::TooFewChoices, "share out some of the money")
        }
        (_, "min_sum_points") => refused(ErrorCode::TooFewChoices, "give some of your points"),
        (_, other) => {
            ServiceError::invalid("choices", format!("this ballot breaks the rule {other}"))
        }
    }
}
