//! Voting: the one service every channel calls (the browser, officers
//! entering assisted and paper ballots, and later text messages and the
//! telephone). It checks the ballot with the counting module's own
//! constraint checks, so that what is accepted is exactly what the count
//! reads, and stores it apart from the voter.
//!
//! Invariant: a ballot row holds a random identifier, the pot, the content,
//! the receipt commitment and (after close, only where enough ballots share
//! it) the channel; never the voter, a time or a sequence. While voting is
//! open, `ballot_links` (one row per voter) says which ballot is a voter's
//! current one, so that they can replace it, and `cast_requests` holds the
//! answer to each idempotency key. Both are deleted, in the transaction
//! that closes voting, before anything is counted; the ballots are then
//! rewritten in random order. `participation` records that a person voted
//! (area, channel, assurance, when), never which ballot.
use super::{audit, rounds, verification, Actor};
use crate::crypto::Secret;
use crate::domain::{
    ballot::BallotKind,
    vote::{BallotContent, Channel, Choice, Receipt},
    Phase, Role,
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{
    ballot_duplicates, ballot_links, ballots, bids, cast_requests, participation,
    verified_participants,
};
use chrono::{DateTime, Utc};
use rand::{rngs::OsRng, seq::SliceRandom, TryRngCore};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap};

pub mod writer;

/// At close, a ballot keeps its channel only where at least this many
/// ballots of its pot share it: a smaller group (the one paper ballot in a
/// ward) could be matched with the turnout record of who voted that way.
pub const MIN_CHANNEL_GROUP: u64 = 10;

/// Who is casting.
#[derive(Clone, Debug)]
pub enum Voter {
    /// A signed-in participant, for themselves.
    Account(Actor),
    /// An officer, for the verified participant with this record.
    Officer { officer: Actor, participant_id: i64 },
    /// A participant identified by another channel (a voting code, a
    /// verified phone number), by their verification record.
    Participant { participant_id: i64 },
}

#[derive(Clone, Debug)]
pub struct CastRequest {
    pub round_id: i64,
    pub voter: Voter,
    pub channel: Channel,
    pub choices: Vec<Choice>,
    /// Chosen by the client, the same for every retry of one cast.
    pub idempotency_key: String,
}

/// What a voter is told after casting.
#[derive(Clone, Debug)]
pub struct Cast {
    pub receipt_code: String,
    pub receipt_key: String,
    pub cast_at: DateTime<Utc>,
    /// Whether this ballot replaced an earlier one.
    pub replaced: bool,
    /// Whether this was a retry of a cast already made (nothing changed).
    pub retried: bool,
}

/// Casts a ballot through the group-commit writer (one transaction and one
/// disk sync for every ballot waiting in its lane). It is acknowledged only
/// once committed.
#[tracing::instrument(name = "cast ballot", skip_all, fields(round.id = request.round_id, channel = request.channel.as_str()))]
pub async fn cast(state: &AppState, request: CastRequest) -> ServiceResult<Cast> {
    check_key(&request.idempotency_key)?;
    state.ballot_writer.cast(request).await
}

fn check_key(key: &str) -> ServiceResult<()> {
    let ok = (8..=100).contains(&key.len()) && key.chars().all(|c| c.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "idempotencyKey",
            "send an idempotency key of 8 to 100 visible characters, the same for every retry of one ballot",
        ))
    }
}

fn refused(code: ErrorCode, message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, message)
}

/// The verification record of the voter, and who is acting.
async fn voter_record(
    txn: &DatabaseTransaction,
    round_id: i64,
    voter: &Voter,
) -> ServiceResult<(verified_participants::Model, Option<i64>)> {
    let not_verified = || {
        refused(
            ErrorCode::NotVerified,
            "you need to prove you live in the area before you can vote: verify for this round first",
        )
    };
    match voter {
        Voter::Account(actor) => {
            let record = verified_participants::Entity::find()
                .filter(verified_participants::Column::RoundId.eq(round_id))
                .filter(verified_participants::Column::AccountId.eq(actor.account_id))
                .lock_exclusive()
                .one(txn)
                .await
                .context("finding the voter")?
                .ok_or_else(not_verified)?;
            Ok((record, Some(actor.account_id)))
        }
        Voter::Officer {
            officer,
            participant_id,
        } => {
            officer.require(Role::Officer, "enter ballots for other people")?;
            let record = verified_participants::Entity::find_by_id(*participant_id)
                .lock_exclusive()
                .one(txn)
                .await
                .context("finding the voter")?
                .filter(|r| r.round_id == round_id)
                .ok_or_else(|| ServiceError::not_found("verified participant"))?;
            if record.account_id == Some(officer.account_id) {
                return Err(refused(
                    ErrorCode::ConflictOfInterest,
                    "you cannot enter your own ballot as an officer: vote online, or ask another officer",
                ));
            }
            Ok((record, Some(officer.account_id)))
        }
        Voter::Participant { participant_id } => {
            let record = verified_participants::Entity::find_by_id(*participant_id)
                .lock_exclusive()
                .one(txn)
                .await
                .context("finding the voter")?
                .filter(|r| r.round_id == round_id)
                .ok_or_else(not_verified)?;
            let account = record.account_id;
            Ok((record, account))
        }
    }
}

/// The bids on a pot's ballot: its eligible bids, by identifier.
pub(crate) async fn ballot_bids(
    db: &impl ConnectionTrait,
    pot_id: i64,
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
        let Some(&i) = index.get(&c.bid_id) else {
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
    let mut lines: Vec<(i64, Option<i64>)> = choices.iter().map(|c| (c.bid_id, c.value)).collect();
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

/// What a cast came to, once its transaction commits.
pub(crate) enum Outcome {
    Cast(Cast),
    /// Refused under the round's duplicate policy. The refusal is kept
    /// (counted for officers, and answered the same to a retry), so the
    /// transaction commits all the same.
    Kept(ServiceError),
}

impl Outcome {
    pub(crate) fn into_result(self) -> ServiceResult<Cast> {
        match self {
            Outcome::Cast(c) => Ok(c),
            Outcome::Kept(e) => Err(e),
        }
    }
}

fn already_voted(by_officer: bool) -> ServiceError {
    refused(
        ErrorCode::AlreadyVoted,
        format!(
            "this person has already voted ({}); the round's rules keep that ballot",
            if by_officer {
                "through an officer"
            } else {
                "themselves"
            }
        ),
    )
}

/// What the casts of one transaction share: the rounds and the bids on each
/// pot's ballot, which no cast changes and which nothing else can change
/// while the transaction holds the round locked.
#[derive(Default)]
pub(crate) struct BatchCache {
    rounds: HashMap<i64, rounds::Round>,
    bids: HashMap<i64, Vec<bids::Model>>,
    /// Writes every cast makes that nothing in the batch reads back:
    /// written together by [`flush`] before the batch commits.
    audits: Vec<crate::store::audit_events::ActiveModel>,
    participation: BTreeMap<(i64, i64), participation::ActiveModel>,
}

/// Writes what the casts of a batch deferred: their audit entries in one
/// statement, their participation in another (a person who cast twice in
/// the batch once, as of their last cast).
pub(crate) async fn flush(txn: &DatabaseTransaction, cache: &mut BatchCache) -> ServiceResult<()> {
    audit::insert_all(txn, std::mem::take(&mut cache.audits))
        .await
        .context("auditing ballots")?;
    let rows: Vec<participation::ActiveModel> = std::mem::take(&mut cache.participation)
        .into_values()
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    // One statement: a first vote inserts, a later one updates.
    participation::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                participation::Column::RoundId,
                participation::Column::ParticipantId,
            ])
            .update_columns([
                participation::Column::PotId,
                participation::Column::Channel,
                participation::Column::Assurance,
                participation::Column::LastVotedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await
        .context("recording participation")?;
    Ok(())
}

impl BatchCache {
    /// Forgets deferred writes of a cast that was undone.
    pub(crate) fn forget_writes(&mut self) {
        self.audits.clear();
        self.participation.clear();
    }
}

/// The cast itself, inside a transaction the caller commits. Every check
/// (phase, eligibility, ballot) runs here, with the round and the voter's
/// slot locked.
pub(crate) async fn cast_in(
    txn: &DatabaseTransaction,
    secret: &Secret,
    request: &CastRequest,
    now: DateTime<Utc>,
    cache: &mut BatchCache,
) -> ServiceResult<Outcome> {
    let round = match cache.rounds.get(&request.round_id) {
        Some(r) => r.clone(),
        None => {
            let r = rounds::lock_shared(txn, request.round_id).await?;
            cache.rounds.insert(r.id, r.clone());
            r
        }
    };
    if let Voter::Account(a) = &request.voter {
        if !rounds::may_see(Some(a), round.phase) {
            return Err(ServiceError::not_found("round"));
        }
    }
    if !round.is_in(Phase::Voting, now) {
        let message = if round.phase < Phase::Voting {
            "voting for this round has not opened yet".to_string()
        } else {
            format!(
                "voting for this round has closed: it is {}",
                round.phase.label()
            )
        };
        return Err(refused(ErrorCode::VotingClosed, message));
    }
    let (record, actor_account) = voter_record(txn, round.id, &request.voter).await?;
    let eligible = match verification::eligible(&round, &record) {
        Ok(e) => e,
        Err(verification::Ineligible::NotVerified) => {
            return Err(refused(
                ErrorCode::NotVerified,
                if record.held {
                    "the council is checking your details before you can vote"
                } else {
                    "you need to finish proving you live in the area before you can vote"
                },
            ))
        }
        Err(verification::Ineligible::NotEligible) => return Err(refused(
            ErrorCode::NotEligible,
            "this round's rules (age, or where you live, work or study) do not let you vote in it",
        )),
    };
    // One cast at a time per voter: the voter's record was read `FOR
    // UPDATE` on PostgreSQL; on SQLite the write transaction is alone.
    let key_hmac = secret.keyed_hash(
        "cast-key",
        &format!("{}:{}:{}", round.id, record.id, request.idempotency_key),
    );
    if let Some(done) = cast_requests::Entity::find_by_id((round.id, record.id, key_hmac.clone()))
        .one(txn)
        .await
        .context("looking for an earlier cast")?
    {
        if done.receipt_code.is_empty() {
            // Refused before under the duplicate policy: the same answer.
            let link = ballot_links::Entity::find_by_id((round.id, record.id))
                .one(txn)
                .await
                .context("finding the voter's ballot")?;
            let by_officer = link
                .and_then(|l| Channel::parse(&l.channel))
                .is_some_and(Channel::through_officer);
            return Ok(Outcome::Kept(already_voted(by_officer)));
        }
        let (receipt_code, receipt_key) = opened_receipt(secret, &done)?;
        return Ok(Outcome::Cast(Cast {
            receipt_code,
            receipt_key,
            cast_at: done.cast_at,
            replaced: done.replaced,
            retried: true,
        }));
    }
    let pot = round.pot_for_area(eligible.area_id).ok_or_else(|| {
        ServiceError::Unexpected(anyhow::anyhow!("participant's area has no pot"))
    })?;
    let on_ballot = match cache.bids.entry(pot.id) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => e.insert(ballot_bids(txn, pot.id).await?),
    };
    let content = check_choices(&round.ballot, pot.amount.get(), on_ballot, &request.choices)?;

    let link = ballot_links::Entity::find_by_id((round.id, record.id))
        .one(txn)
        .await
        .context("finding the voter's ballot")?;
    if let Some(old) = &link {
        let old_channel = Channel::parse(&old.channel).unwrap_or(Channel::Web);
        let crossing = old_channel.through_officer() != request.channel.through_officer();
        let replaces = round
            .ballot
            .duplicate_policy
            .replaces(old_channel, request.channel);
        if crossing {
            let (kept, dropped) = if replaces {
                (request.channel, old_channel)
            } else {
                (old_channel, request.channel)
            };
            ballot_duplicates::ActiveModel {
                round_id: Set(round.id),
                kept_channel: Set(kept.as_str().into()),
                dropped_channel: Set(dropped.as_str().into()),
                day: Set(now.format("%Y-%m-%d").to_string()),
                ..Default::default()
            }
            .insert(txn)
            .await
            .context("counting a duplicate")?;
        }
        if !replaces {
            cast_requests::ActiveModel {
                round_id: Set(round.id),
                participant_id: Set(record.id),
                key_hmac: Set(key_hmac),
                receipt_code: Set(String::new()),
                receipt_key: Set(String::new()),
                replaced: Set(false),
                cast_at: Set(now),
            }
            .insert(txn)
            .await
            .context("keeping the answer to a cast")?;
            return Ok(Outcome::Kept(already_voted(old_channel.through_officer())));
        }
        ballots::Entity::delete_by_id(old.ballot_id.clone())
            .exec(txn)
            .await
            .context("removing the replaced ballot")?;
        ballot_links::Entity::delete_by_id((round.id, record.id))
            .exec(txn)
            .await
            .context("unlinking the replaced ballot")?;
    }

    let mut key = [0u8; 16];
    OsRng
        .try_fill_bytes(&mut key)
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("the random source failed: {e}")))?;
    let receipt = Receipt::new(round.id, &key);
    let ballot_id = uuid::Uuid::new_v4().simple().to_string();
    ballots::ActiveModel {
        id: Set(ballot_id.clone()),
        round_id: Set(round.id),
        pot_id: Set(pot.id),
        content: Set(content.to_json()),
        commitment: Set(receipt.commitment.clone()),
        channel: Set(Some(request.channel.as_str().into())),
    }
    .insert(txn)
    .await
    .context("storing a ballot")?;
    ballot_links::ActiveModel {
        round_id: Set(round.id),
        participant_id: Set(record.id),
        ballot_id: Set(ballot_id),
        channel: Set(request.channel.as_str().into()),
        cast_at: Set(now),
    }
    .insert(txn)
    .await
    .context("linking a ballot")?;
    let replaced = link.is_some();
    let (receipt_code, receipt_key) =
        sealed_receipt(secret, round.id, record.id, &key_hmac, &receipt);
    cast_requests::ActiveModel {
        round_id: Set(round.id),
        participant_id: Set(record.id),
        key_hmac: Set(key_hmac),
        receipt_code: Set(receipt_code),
        receipt_key: Set(receipt_key),
        replaced: Set(replaced),
        cast_at: Set(now),
    }
    .insert(txn)
    .await
    .context("keeping the answer to a cast")?;
    // Written with the rest of the batch (`flush`).
    cache.participation.insert(
        (round.id, record.id),
        participation::ActiveModel {
            round_id: Set(round.id),
            participant_id: Set(Some(record.id)),
            pot_id: Set(pot.id),
            channel: Set(request.channel.as_str().into()),
            assurance: Set(eligible.assurance.as_str().into()),
            first_voted_at: Set(now),
            last_voted_at: Set(now),
            ..Default::default()
        },
    );
    // That the person voted, and how; never which ballot.
    cache.audits.push(audit::personal_event(
        round.id,
        actor_account,
        "ballot_cast",
        "verified_participant",
        record.id,
        serde_json::json!({ "channel": request.channel.as_str(), "replaced": replaced }),
    ));
    if let Voter::Officer { officer, .. } = &request.voter {
        // Ballots given through an officer are in the round's public log,
        // by officer and channel: never by person, never the ballot.
        super::round_log::append(
            txn,
            round.id,
            "ballot_entered_by_officer",
            serde_json::json!({ "by": officer.account_id, "channel": request.channel.as_str() }),
            now,
        )
        .await?;
    }
    Ok(Outcome::Cast(Cast {
        receipt_code: receipt.code,
        receipt_key: receipt.key,
        cast_at: now,
        replaced,
        retried: false,
    }))
}

/// Closes the link between voters and ballots, in the transaction that
/// moves the round from voting to closed: the links and the answers to
/// retried casts are deleted; channels are kept only where at least
/// `MIN_CHANNEL_GROUP` ballots of a pot share one; and the ballots are
/// written again in random order, so that not even their place in the
/// table follows the order of casting. Voting codes, calls and the replies
/// to text messages go too.
/// The receipt kept for a retry, sealed at rest (`Secret::seal_key`): a
/// copy of the database files does not show which voter holds which
/// receipt, and so which ballot, while voting is open.
fn sealed_receipt(
    secret: &Secret,
    round_id: i64,
    participant_id: i64,
    key_hmac: &str,
    receipt: &Receipt,
) -> (String, String) {
    let key = secret.seal_key("cast-receipt");
    let at = format!("cast_requests:{round_id}:{participant_id}:{key_hmac}");
    (
        key.seal(&format!("{at}:code"), receipt.code.as_bytes()),
        key.seal(&format!("{at}:key"), receipt.key.as_bytes()),
    )
}

fn opened_receipt(secret: &Secret, done: &cast_requests::Model) -> ServiceResult<(String, String)> {
    // Kept before receipts were sealed: a plain code has dashes, which
    // sealed text never has.
    if done.receipt_code.contains('-') {
        return Ok((done.receipt_code.clone(), done.receipt_key.clone()));
    }
    let key = secret.seal_key("cast-receipt");
    let at = format!(
        "cast_requests:{}:{}:{}",
        done.round_id, done.participant_id, done.key_hmac
    );
    let open = |what: &str, sealed: &str| {
        key.open(&format!("{at}:{what}"), sealed)
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!("a kept receipt does not open"))
            })
    };
    Ok((
        open("code", &done.receipt_code)?,
        open("key", &done.receipt_key)?,
    ))
}

pub async fn seal(txn: &DatabaseTransaction, round_id: i64) -> ServiceResult<u64> {
    super::phone::seal(txn, round_id).await?;
    ballot_links::Entity::delete_many()
        .filter(ballot_links::Column::RoundId.eq(round_id))
        .exec(txn)
        .await
        .context("removing the links to ballots")?;
    cast_requests::Entity::delete_many()
        .filter(cast_requests::Column::RoundId.eq(round_id))
        .exec(txn)
        .await
        .context("removing the answers to casts")?;
    let mut rows = ballots::Entity::find()
        .filter(ballots::Column::RoundId.eq(round_id))
        .all(txn)
        .await
        .context("loading ballots")?;
    let mut groups: BTreeMap<(i64, Option<String>), u64> = BTreeMap::new();
    for b in &rows {
        *groups.entry((b.pot_id, b.channel.clone())).or_default() += 1;
    }
    for b in &mut rows {
        if groups[&(b.pot_id, b.channel.clone())] < MIN_CHANNEL_GROUP {
            b.channel = None;
        }
    }
    rows.shuffle(&mut OsRng.unwrap_err());
    ballots::Entity::delete_many()
        .filter(ballots::Column::RoundId.eq(round_id))
        .exec(txn)
        .await
        .context("clearing ballots to rewrite them")?;
    let count = rows.len() as u64;
    for chunk in rows.chunks(500) {
        ballots::Entity::insert_many(chunk.iter().cloned().map(|b| ballots::ActiveModel {
            id: Set(b.id),
            round_id: Set(b.round_id),
            pot_id: Set(b.pot_id),
            content: Set(b.content),
            commitment: Set(b.commitment),
            channel: Set(b.channel),
        }))
        .exec(txn)
        .await
        .context("rewriting ballots")?;
    }
    Ok(count)
}

/// A voter's current ballot, for them alone, while voting is open.
#[derive(Clone, Debug)]
pub struct MyBallot {
    pub choices: Vec<Choice>,
    pub channel: Channel,
    pub cast_at: DateTime<Utc>,
}

/// Whether and when the signed-in person voted in a round (at any time),
/// and how.
#[derive(Clone, Debug)]
pub struct VoteStatus {
    pub voted: bool,
    pub last_voted_at: Option<DateTime<Utc>>,
    pub channel: Option<Channel>,
    /// Whether they may (still) vote or change their vote now.
    pub can_vote: bool,
}

pub async fn my_status(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: i64,
) -> ServiceResult<VoteStatus> {
    let round = rounds::get(db, Some(actor), round_id).await?;
    let record = verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .filter(verified_participants::Column::AccountId.eq(actor.account_id))
        .one(db)
        .await
        .context("finding the voter")?;
    let Some(record) = record else {
        return Ok(VoteStatus {
            voted: false,
            last_voted_at: None,
            channel: None,
            can_vote: false,
        });
    };
    let p = participation::Entity::find()
        .filter(participation::Column::RoundId.eq(round_id))
        .filter(participation::Column::ParticipantId.eq(record.id))
        .one(db)
        .await
        .context("finding a participation")?;
    let can_vote =
        round.is_in(Phase::Voting, Utc::now()) && verification::eligible(&round, &record).is_ok();
    Ok(VoteStatus {
        voted: p.is_some(),
        last_voted_at: p.as_ref().map(|p| p.last_voted_at),
        channel: p.as_ref().and_then(|p| Channel::parse(&p.channel)),
        can_vote,
    })
}

/// The signed-in person's current ballot, while voting is open; `None`
/// when they have not voted, and after close (when the link is gone).
pub async fn my_ballot(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: i64,
) -> ServiceResult<Option<MyBallot>> {
    let round = rounds::get(db, Some(actor), round_id).await?;
    if !round.is_in(Phase::Voting, Utc::now()) {
        return Ok(None);
    }
    let Some(record) = verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .filter(verified_participants::Column::AccountId.eq(actor.account_id))
        .one(db)
        .await
        .context("finding the voter")?
    else {
        return Ok(None);
    };
    let Some(link) = ballot_links::Entity::find_by_id((round_id, record.id))
        .one(db)
        .await
        .context("finding the voter's ballot")?
    else {
        return Ok(None);
    };
    let ballot = ballots::Entity::find_by_id(link.ballot_id.clone())
        .one(db)
        .await
        .context("loading a ballot")?
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("a linked ballot is missing")))?;
    let content: BallotContent = serde_json::from_str(&ballot.content)
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("unreadable ballot: {e}")))?;
    let choices = content
        .bids
        .iter()
        .enumerate()
        .map(|(i, &bid_id)| Choice {
            bid_id,
            value: content.values.as_ref().and_then(|v| v.get(i).copied()),
        })
        .collect();
    Ok(Some(MyBallot {
        choices,
        channel: Channel::parse(&link.channel).unwrap_or(Channel::Web),
        cast_at: link.cast_at,
    }))
}

/// Turnout so far, for officers and councillors: counts of people who
/// voted, never what anyone voted.
#[derive(Clone, Debug, Default)]
pub struct Turnout {
    pub voted: u64,
    pub verified: u64,
    pub by_area: Vec<(i64, u64, u64)>,
    pub by_channel: Vec<(Channel, u64)>,
    pub by_assurance: Vec<(String, u64)>,
    /// People who voted both through an officer and by themselves:
    /// (kept channel, dropped channel, how many).
    pub duplicates: Vec<(Channel, Channel, u64)>,
}

pub async fn turnout(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: i64,
) -> ServiceResult<Turnout> {
    if !(actor.has(Role::Officer) || actor.has(Role::Councillor)) {
        return Err(ServiceError::not_authorised(
            "only officers and councillors see turnout",
        ));
    }
    let round = rounds::load(db, round_id).await?;
    let rows = participation::Entity::find()
        .filter(participation::Column::RoundId.eq(round_id))
        .all(db)
        .await
        .context("counting participation")?;
    let verified = verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .filter(verified_participants::Column::VerifiedAt.is_not_null())
        .filter(verified_participants::Column::Held.eq(false))
        .all(db)
        .await
        .context("counting verified participants")?;
    let mut t = Turnout {
        voted: rows.len() as u64,
        verified: verified.len() as u64,
        ..Default::default()
    };
    let mut by_area: BTreeMap<i64, (u64, u64)> =
        round.pots.iter().map(|p| (p.area_id, (0, 0))).collect();
    let area_of_pot: HashMap<i64, i64> = round.pots.iter().map(|p| (p.id, p.area_id)).collect();
    let mut by_channel: BTreeMap<Channel, u64> = BTreeMap::new();
    let mut by_assurance: BTreeMap<String, u64> = BTreeMap::new();
    for r in &rows {
        if let Some(area) = area_of_pot.get(&r.pot_id) {
            by_area.entry(*area).or_default().0 += 1;
        }
        if let Some(c) = Channel::parse(&r.channel) {
            *by_channel.entry(c).or_default() += 1;
        }
        *by_assurance.entry(r.assurance.clone()).or_default() += 1;
    }
    for v in &verified {
        by_area.entry(v.area_id).or_default().1 += 1;
    }
    t.by_area = by_area.into_iter().map(|(a, (v, e))| (a, v, e)).collect();
    t.by_channel = by_channel.into_iter().collect();
    t.by_assurance = by_assurance.into_iter().collect();
    let dups = ballot_duplicates::Entity::find()
        .filter(ballot_duplicates::Column::RoundId.eq(round_id))
        .all(db)
        .await
        .context("counting duplicates")?;
    let mut d: BTreeMap<(Channel, Channel), u64> = BTreeMap::new();
    for x in dups {
        if let (Some(k), Some(dr)) = (
            Channel::parse(&x.kept_channel),
            Channel::parse(&x.dropped_channel),
        ) {
            *d.entry((k, dr)).or_default() += 1;
        }
    }
    t.duplicates = d.into_iter().map(|((k, dr), n)| (k, dr, n)).collect();
    Ok(t)
}

/// How many ballots a round holds (all pots).
pub async fn ballot_count(db: &impl ConnectionTrait, round_id: i64) -> ServiceResult<u64> {
    ballots::Entity::find()
        .filter(ballots::Column::RoundId.eq(round_id))
        .count(db)
        .await
        .context("counting ballots")
}
