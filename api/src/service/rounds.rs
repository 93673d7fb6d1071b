//! Funding rounds: pots per area, phases with dates, ballot settings and the
//! counting rule.
use super::{audit, Actor, Page, PageRequest};
use crate::db::begin_write;
use crate::domain::id::{AreaId, PotId, RoundId};
use crate::domain::{
    text::bounded, BallotSettings, CountingRule, Eligibility, Pence, Phase, Role, Schedule,
    ScheduleError,
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{areas, round_pots, rounds};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
pub struct Pot {
    pub id: PotId,
    pub area_id: AreaId,
    pub amount: Pence,
}

#[derive(Clone, Debug)]
pub struct Round {
    pub id: RoundId,
    pub title: String,
    pub description: String,
    /// The title and description in Welsh, where the council gave them.
    pub title_cy: Option<String>,
    pub description_cy: Option<String>,
    pub phase: Phase,
    pub schedule: Schedule,
    pub ballot: BallotSettings,
    pub rule: CountingRule,
    pub pots: Vec<Pot>,
    pub phase_changed_at: DateTime<Utc>,
    pub eligibility: Eligibility,
    /// When the round's verification data was purged, if it has been.
    pub verification_purged_at: Option<DateTime<Utc>>,
    /// Why the last count failed, if it did.
    pub count_error: Option<String>,
    /// The close checkpoint (hex), from the close of voting on.
    pub close_checkpoint: Option<String>,
    /// The council's Ed25519 signature of it (hex).
    pub close_signature: Option<String>,
}

impl Round {
    /// The title in `lang`: the Welsh where the council gave one.
    pub fn title_in(&self, lang: crate::domain::Language) -> &str {
        lang.pick(&self.title, self.title_cy.as_deref())
    }

    pub fn pot_for_area(&self, area_id: AreaId) -> Option<&Pot> {
        self.pots.iter().find(|p| p.area_id == area_id)
    }

    /// Whether the round is in `phase` and its scheduled end has not come.
    /// Writes allowed only in one phase check this rather than the stored
    /// phase alone: between a scheduled date and the scheduler's next tick
    /// the stored phase is stale, and a bid (or a ballot) must not slip in.
    pub fn is_in(&self, phase: Phase, now: DateTime<Utc>) -> bool {
        self.phase == phase && self.schedule.due_at(phase).is_none_or(|due| due > now)
    }
}

pub struct NewRound {
    pub title: String,
    pub description: String,
    pub title_cy: Option<String>,
    pub description_cy: Option<String>,
    pub pots: Vec<(AreaId, i64)>,
    pub schedule: Schedule,
    pub ballot: BallotSettings,
    pub rule: CountingRule,
    pub eligibility: Eligibility,
}

pub struct RoundChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `Some("")` takes the Welsh away.
    pub title_cy: Option<String>,
    pub description_cy: Option<String>,
    pub schedule: Option<Schedule>,
    pub pots: Option<Vec<(AreaId, i64)>>,
    /// Frozen, with the ballot settings, once voting opens.
    pub eligibility: Option<Eligibility>,
}

fn parse_eligibility(e: Eligibility) -> ServiceResult<Eligibility> {
    e.parse()
        .map_err(|m| ServiceError::invalid("eligibility", m))
}

fn parse_title(s: &str) -> ServiceResult<String> {
    bounded(s, "a title", 1, 200).map_err(|m| ServiceError::invalid("title", m))
}

fn parse_description(s: &str) -> ServiceResult<String> {
    bounded(s, "the description", 0, 20_000).map_err(|m| ServiceError::invalid("description", m))
}

fn parse_title_cy(s: Option<&str>) -> ServiceResult<Option<String>> {
    crate::domain::text::welsh(s, "the Welsh title", 1, 200)
        .map_err(|m| ServiceError::invalid("titleCy", m))
}

fn parse_description_cy(s: Option<&str>) -> ServiceResult<Option<String>> {
    crate::domain::text::welsh(s, "the Welsh description", 0, 20_000)
        .map_err(|m| ServiceError::invalid("descriptionCy", m))
}

fn parse_settings(
    ballot: BallotSettings,
    rule: CountingRule,
) -> ServiceResult<(BallotSettings, CountingRule)> {
    let ballot = ballot
        .parse()
        .map_err(|m| ServiceError::invalid("ballot", m))?;
    let mut rule = rule
        .parse(ballot.kind)
        .map_err(|m| ServiceError::invalid("countingRule", m))?;
    if let Some(c) = rule.constraints.take() {
        let c = c
            .parse(&rule.name, crate::domain::category::CATEGORIES)
            .map_err(|m| ServiceError::invalid("countingRule", m))?;
        rule.constraints = (!c.is_empty()).then_some(c);
    }
    Ok((ballot, rule))
}

/// Checks a round's council rules against what exists: every area they
/// name, and every bid they name a bid of this round, each exclusive set
/// within one pot. Run inside the write that stores them.
async fn check_constraints(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    rule: &CountingRule,
) -> ServiceResult<()> {
    use crate::store::bids;
    let Some(c) = &rule.constraints else {
        return Ok(());
    };
    let invalid = |m: String| ServiceError::invalid("countingRule", m);
    for id in c.named_areas() {
        let found = areas::Entity::find_by_id(id)
            .one(db)
            .await
            .context("checking an area")?;
        if found.is_none() {
            return Err(invalid(format!(
                "a council rule names area {id}, which does not exist"
            )));
        }
    }
    let named = c.named_bids();
    if named.is_empty() {
        return Ok(());
    }
    let pots: BTreeMap<i64, i64> = bids::Entity::find()
        .select_only()
        .column(bids::Column::Id)
        .column(bids::Column::PotId)
        .filter(bids::Column::RoundId.eq(round_id))
        .filter(bids::Column::Id.is_in(named.iter().copied()))
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await
        .context("checking the bids a rule names")?
        .into_iter()
        .collect();
    if let Some(missing) = named.iter().find(|id| !pots.contains_key(id)) {
        return Err(invalid(format!(
            "a council rule names bid {missing}, which is not a bid of this round"
        )));
    }
    for (i, set) in c.exclusive.iter().enumerate() {
        let first = pots[&set[0]];
        if set.iter().any(|b| pots[b] != first) {
            return Err(invalid(format!(
                "exclusive set {} names bids of different pots; each pot is counted on its own",
                i + 1
            )));
        }
    }
    Ok(())
}

async fn parse_pots(
    db: &impl ConnectionTrait,
    pots: &[(AreaId, i64)],
) -> ServiceResult<Vec<(AreaId, Pence)>> {
    if pots.is_empty() {
        return Err(ServiceError::invalid(
            "pots",
            "a round needs a pot for at least one area",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for &(area_id, amount) in pots {
        if !seen.insert(area_id) {
            return Err(ServiceError::invalid(
                "pots",
                "each area can have only one pot in a round",
            ));
        }
        let amount = Pence::parse(amount).map_err(|m| ServiceError::invalid("pots", m))?;
        if amount.get() == 0 {
            return Err(ServiceError::invalid("pots", "a pot must hold some money"));
        }
        areas::Entity::find_by_id(area_id.get())
            .one(db)
            .await
            .context("checking an area")?
            .ok_or_else(|| ServiceError::not_found("area"))?;
        out.push((area_id, amount));
    }
    Ok(out)
}

fn parse_schedule(s: Schedule, phase: Phase, now: DateTime<Utc>) -> ServiceResult<Schedule> {
    s.parse(phase, now).map_err(|e| match e {
        ScheduleError::OutOfOrder(m) => ServiceError::Refused {
            code: ErrorCode::ScheduleOutOfOrder,
            message: m,
            field: Some("schedule"),
        },
        ScheduleError::InPast(m) => ServiceError::Refused {
            code: ErrorCode::ScheduleInPast,
            message: m,
            field: Some("schedule"),
        },
    })
}

#[tracing::instrument(name = "create round", skip_all)]
pub async fn create(db: &DatabaseConnection, actor: &Actor, new: NewRound) -> ServiceResult<Round> {
    actor.require(Role::Officer, "set up funding rounds")?;
    let now = Utc::now();
    let title = parse_title(&new.title)?;
    let description = parse_description(&new.description)?;
    let title_cy = parse_title_cy(new.title_cy.as_deref())?;
    let description_cy = parse_description_cy(new.description_cy.as_deref())?;
    let schedule = parse_schedule(new.schedule, Phase::Draft, now)?;
    let (ballot, rule) = parse_settings(new.ballot, new.rule)?;
    let eligibility = parse_eligibility(new.eligibility)?;
    let txn = begin_write(db).await.context("starting a transaction")?;
    let pots = parse_pots(&txn, &new.pots).await?;
    let round = rounds::ActiveModel {
        title: Set(title),
        description: Set(description),
        title_cy: Set(title_cy),
        description_cy: Set(description_cy),
        phase: Set(Phase::Draft.as_str().into()),
        bids_open_at: Set(schedule.bids_open_at),
        bids_close_at: Set(schedule.bids_close_at),
        voting_opens_at: Set(schedule.voting_opens_at),
        voting_closes_at: Set(schedule.voting_closes_at),
        ballot_settings: Set(to_json(&ballot)?),
        counting_rule: Set(to_json(&rule)?),
        eligibility: Set(to_json(&eligibility)?),
        verification_purged_at: Set(None),
        count_error: Set(None),
        created_by: Set(actor.account_id.get()),
        created_at: Set(now),
        updated_at: Set(now),
        phase_changed_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("creating a round")?;
    insert_pots(&txn, round.id.into(), &pots).await?;
    check_constraints(&txn, round.id.into(), &rule).await?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "round_created",
        "round",
        round.id,
        serde_json::json!({}),
    )
    .await
    .context("auditing a round")?;
    txn.commit().await.context("committing a round")?;
    load(db, round.id.into()).await
}

async fn insert_pots(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    pots: &[(AreaId, Pence)],
) -> ServiceResult<()> {
    for (area_id, amount) in pots {
        round_pots::ActiveModel {
            round_id: Set(round_id.get()),
            area_id: Set((*area_id).get()),
            amount_pence: Set(amount.get()),
            ..Default::default()
        }
        .insert(db)
        .await
        .context("storing a pot")?;
    }
    Ok(())
}

fn to_json<T: serde::Serialize>(v: &T) -> ServiceResult<String> {
    serde_json::to_string(v).map_err(|e| {
        ServiceError::Unexpected(anyhow::Error::new(e).context("serialising settings"))
    })
}

/// Title, description, dates, and (while the round is a draft) pots.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: RoundId,
    changes: RoundChanges,
) -> ServiceResult<Round> {
    actor.require(Role::Officer, "change funding rounds")?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let round = lock_exclusive(&txn, id).await?;
    if round.phase.is_final() {
        return Err(ServiceError::refused(
            ErrorCode::PhaseClosed,
            format!(
                "this round is {} and can no longer be changed",
                round.phase.label()
            ),
        ));
    }
    let mut am = rounds::ActiveModel {
        id: Set(id.get()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if let Some(t) = &changes.title {
        am.title = Set(parse_title(t)?);
    }
    if let Some(d) = &changes.description {
        am.description = Set(parse_description(d)?);
    }
    if let Some(t) = &changes.title_cy {
        am.title_cy = Set(parse_title_cy(Some(t))?);
    }
    if let Some(d) = &changes.description_cy {
        am.description_cy = Set(parse_description_cy(Some(d))?);
    }
    if let Some(s) = changes.schedule {
        let s = parse_schedule(s, round.phase, now)?;
        am.bids_open_at = Set(s.bids_open_at);
        am.bids_close_at = Set(s.bids_close_at);
        am.voting_opens_at = Set(s.voting_opens_at);
        am.voting_closes_at = Set(s.voting_closes_at);
    }
    if let Some(pots) = &changes.pots {
        if round.phase != Phase::Draft {
            return Err(ServiceError::refused(
                ErrorCode::PhaseClosed,
                "pots can only be changed while the round is a draft",
            ));
        }
        let pots = parse_pots(&txn, pots).await?;
        round_pots::Entity::delete_many()
            .filter(round_pots::Column::RoundId.eq(id))
            .exec(&txn)
            .await
            .context("clearing pots")?;
        insert_pots(&txn, id, &pots).await?;
    }
    if let Some(e) = changes.eligibility {
        let e = parse_eligibility(e)?;
        if round.phase.settings_frozen() {
            return Err(frozen(round.phase));
        }
        // The round's row is locked for this transaction; the phase is
        // repeated in the update itself all the same.
        let res = rounds::Entity::update_many()
            .col_expr(rounds::Column::Eligibility, Expr::value(to_json(&e)?))
            .filter(rounds::Column::Id.eq(id))
            .filter(rounds::Column::Phase.is_in(unfrozen_phases()))
            .exec(&txn)
            .await
            .context("updating eligibility")?;
        if res.rows_affected != 1 {
            return Err(frozen(Phase::Voting));
        }
    }
    am.update(&txn).await.context("updating a round")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "round_updated",
        "round",
        id,
        serde_json::json!({}),
    )
    .await
    .context("auditing a round")?;
    txn.commit().await.context("committing a round")?;
    load(db, id).await
}

/// Changes the ballot settings and counting rule. Refused once voting has
/// opened, whatever the caller's role.
pub async fn update_settings(
    db: &DatabaseConnection,
    actor: &Actor,
    id: RoundId,
    ballot: BallotSettings,
    rule: CountingRule,
) -> ServiceResult<Round> {
    actor.require(Role::Officer, "change ballot settings")?;
    let (ballot, rule) = parse_settings(ballot, rule)?;
    let txn = begin_write(db).await.context("starting a transaction")?;
    let round = lock_exclusive(&txn, id).await?;
    if round.phase.settings_frozen() {
        return Err(frozen(round.phase));
    }
    check_constraints(&txn, id, &rule).await?;
    // The phase check is repeated in the update itself, so that a phase
    // change racing with this one cannot slip between them.
    let res = rounds::Entity::update_many()
        .col_expr(
            rounds::Column::BallotSettings,
            Expr::value(to_json(&ballot)?),
        )
        .col_expr(rounds::Column::CountingRule, Expr::value(to_json(&rule)?))
        .col_expr(rounds::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(rounds::Column::Id.eq(id))
        .filter(rounds::Column::Phase.is_in(unfrozen_phases()))
        .exec(&txn)
        .await
        .context("updating settings")?;
    if res.rows_affected != 1 {
        return Err(frozen(Phase::Voting));
    }
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "round_settings_changed",
        "round",
        id,
        serde_json::json!({
            "ballot": ballot_json(&ballot),
            "rule": rule.name,
            "constraints": rule.constraints.as_ref().map(|c| c.to_tally(None)),
        }),
    )
    .await
    .context("auditing settings")?;
    txn.commit().await.context("committing settings")?;
    load(db, id).await
}

fn unfrozen_phases() -> Vec<&'static str> {
    [Phase::Draft, Phase::BidsOpen, Phase::BidReview]
        .iter()
        .map(|p| p.as_str())
        .collect()
}

fn ballot_json(b: &BallotSettings) -> serde_json::Value {
    serde_json::to_value(b).unwrap_or_default()
}

fn frozen(phase: Phase) -> ServiceError {
    ServiceError::refused(
        ErrorCode::SettingsFrozen,
        format!(
            "the ballot settings, counting rule and eligibility rules are frozen because the round is {}: they cannot change once voting has opened",
            phase.label()
        ),
    )
}

/// Moves the round from `from` to `to` only if it is still in `from`, so that
/// two instances doing the same change agree on who did it.
pub(crate) async fn set_phase(
    db: &impl ConnectionTrait,
    id: RoundId,
    from: Phase,
    to: Phase,
    now: DateTime<Utc>,
) -> ServiceResult<bool> {
    let res = rounds::Entity::update_many()
        .col_expr(rounds::Column::Phase, Expr::value(to.as_str()))
        .col_expr(rounds::Column::PhaseChangedAt, Expr::value(now))
        .col_expr(rounds::Column::UpdatedAt, Expr::value(now))
        .filter(rounds::Column::Id.eq(id))
        .filter(rounds::Column::Phase.eq(from.as_str()))
        .exec(db)
        .await
        .context("changing phase")?;
    Ok(res.rows_affected == 1)
}

/// The rounds whose next scheduled phase change is due, each with the
/// phase it moves to (`lifecycle::apply_due` takes the steps).
pub async fn due(
    db: &impl ConnectionTrait,
    only: Option<i64>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<(Round, Phase)>> {
    let mut query = rounds::Entity::find().filter(
        rounds::Column::Phase.is_in(
            [
                Phase::Draft,
                Phase::BidsOpen,
                Phase::BidReview,
                Phase::Voting,
            ]
            .map(|p| p.as_str()),
        ),
    );
    if let Some(id) = only {
        query = query.filter(rounds::Column::Id.eq(id));
    }
    let mut out = Vec::new();
    for row in query
        .all(db)
        .await
        .context("finding rounds with scheduled changes")?
    {
        let round = to_round(row, Vec::new())?;
        if let (Some(due), Some(next)) = (round.schedule.due_at(round.phase), round.phase.next()) {
            if due <= now {
                out.push((round, next));
            }
        }
    }
    Ok(out)
}

/// The round, locked until the transaction ends against changes of phase
/// and settings, which take the lock exclusively (`lock_exclusive`). Writes
/// that depend on the round's phase load it this way, inside their own
/// transaction; any number of them hold it at once. On PostgreSQL it is a
/// shared transaction-scoped advisory lock on the round: `FOR SHARE` on the
/// row would do the same, but every new sharer rewrites the row's lock
/// list, which hundreds of ballots a second cannot afford. On SQLite a
/// write transaction already excludes every other writer.
pub async fn lock_shared(txn: &DatabaseTransaction, id: RoundId) -> ServiceResult<Round> {
    crate::db::lock_key_shared(txn, &round_key(id))
        .await
        .context("locking a round")?;
    load_with(txn, id, rounds::Entity::find_by_id(id.get())).await
}

/// The round, locked exclusively for a change of the round itself: it waits
/// for every write holding the round shared, and they wait for it.
pub async fn lock_exclusive(txn: &DatabaseTransaction, id: RoundId) -> ServiceResult<Round> {
    crate::db::lock_key(txn, &round_key(id))
        .await
        .context("locking a round")?;
    load_with(
        txn,
        id,
        rounds::Entity::find_by_id(id.get()).lock_exclusive(),
    )
    .await
}

fn round_key(id: RoundId) -> String {
    format!("round:{id}")
}

async fn load_with(
    db: &impl ConnectionTrait,
    id: RoundId,
    query: Select<rounds::Entity>,
) -> ServiceResult<Round> {
    let row = query
        .one(db)
        .await
        .context("loading a round")?
        .ok_or_else(|| ServiceError::not_found("round"))?;
    let pots = round_pots::Entity::find()
        .filter(round_pots::Column::RoundId.eq(id))
        .order_by_asc(round_pots::Column::Id)
        .all(db)
        .await
        .context("loading pots")?;
    to_round(row, pots)
}

pub async fn load(db: &impl ConnectionTrait, id: RoundId) -> ServiceResult<Round> {
    load_with(db, id, rounds::Entity::find_by_id(id.get())).await
}

fn to_round(row: rounds::Model, pots: Vec<round_pots::Model>) -> ServiceResult<Round> {
    let corrupt = |what: &str, e: String| {
        ServiceError::Unexpected(anyhow::anyhow!(
            "round {} has an unreadable {what}: {e}",
            row.id
        ))
    };
    Ok(Round {
        id: row.id.into(),
        phase: row.phase.parse().map_err(|e| corrupt("phase", e))?,
        ballot: serde_json::from_str(&row.ballot_settings)
            .map_err(|e| corrupt("ballot", e.to_string()))?,
        rule: serde_json::from_str(&row.counting_rule)
            .map_err(|e| corrupt("rule", e.to_string()))?,
        schedule: Schedule {
            bids_open_at: row.bids_open_at,
            bids_close_at: row.bids_close_at,
            voting_opens_at: row.voting_opens_at,
            voting_closes_at: row.voting_closes_at,
        },
        pots: pots
            .into_iter()
            .map(|p| Pot {
                id: p.id.into(),
                area_id: p.area_id.into(),
                amount: Pence::parse(p.amount_pence).unwrap_or(Pence::ZERO),
            })
            .collect(),
        phase_changed_at: row.phase_changed_at,
        eligibility: serde_json::from_str(&row.eligibility)
            .map_err(|e| corrupt("eligibility", e.to_string()))?,
        verification_purged_at: row.verification_purged_at,
        count_error: row.count_error,
        close_checkpoint: row.close_checkpoint,
        close_signature: row.close_signature,
        title: row.title,
        description: row.description,
        title_cy: row.title_cy,
        description_cy: row.description_cy,
    })
}

/// Drafts are seen only by officers, councillors and admins.
pub fn may_see(caller: Option<&Actor>, phase: Phase) -> bool {
    phase != Phase::Draft || caller.is_some_and(|a| a.has(Role::Officer) || a.has(Role::Councillor))
}

/// A round, as the caller may see it. Reads never write: a scheduled change
/// that is due shows once the scheduler has made it.
pub async fn get(
    db: &impl ConnectionTrait,
    caller: Option<&Actor>,
    id: RoundId,
) -> ServiceResult<Round> {
    let round = load(db, id).await?;
    if !may_see(caller, round.phase) {
        return Err(ServiceError::not_found("round"));
    }
    Ok(round)
}

/// The rounds with these identifiers, whatever their phase, in two
/// queries: the caller checks who may see them (`may_see`).
pub async fn get_many(db: &impl ConnectionTrait, ids: &[RoundId]) -> ServiceResult<Vec<Round>> {
    let rows = rounds::Entity::find()
        .filter(rounds::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .context("loading rounds")?;
    with_pots(db, rows).await
}

/// Rounds, newest first, a page at a time. Drafts only for staff.
pub async fn list(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    phase: Option<Phase>,
    page: PageRequest,
) -> ServiceResult<Page<Round>> {
    let mut q = rounds::Entity::find().order_by_desc(rounds::Column::Id);
    if let Some(p) = phase {
        q = q.filter(rounds::Column::Phase.eq(p.as_str()));
    }
    if !may_see(caller, Phase::Draft) {
        q = q.filter(rounds::Column::Phase.ne(Phase::Draft.as_str()));
    }
    let rows = q
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("listing rounds")?;
    Ok(Page::from_rows(with_pots(db, rows).await?, page))
}

/// Rounds with their pots, loaded in one query.
async fn with_pots(
    db: &impl ConnectionTrait,
    rows: Vec<rounds::Model>,
) -> ServiceResult<Vec<Round>> {
    let mut pots: BTreeMap<i64, Vec<round_pots::Model>> = BTreeMap::new();
    let found = round_pots::Entity::find()
        .filter(round_pots::Column::RoundId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(round_pots::Column::Id)
        .all(db)
        .await
        .context("loading pots")?;
    for pot in found {
        pots.entry(pot.round_id).or_default().push(pot);
    }
    rows.into_iter()
        .map(|row| {
            let round_pots = pots.remove(&row.id).unwrap_or_default();
            to_round(row, round_pots)
        })
        .collect()
}

/// Rounds in which an area's pot is past the point where who may vote
/// froze (voting opened, not yet published or cancelled). Their rows are
/// locked against a change of phase until the transaction ends.
pub async fn frozen_with_area(
    txn: &DatabaseTransaction,
    area_id: AreaId,
) -> ServiceResult<Vec<Round>> {
    let round_ids: Vec<i64> = round_pots::Entity::find()
        .filter(round_pots::Column::AreaId.eq(area_id))
        .all(txn)
        .await
        .context("finding an area's rounds")?
        .into_iter()
        .map(|p| p.round_id)
        .collect();
    let mut out = Vec::new();
    for id in round_ids {
        let round = lock_shared(txn, id.into()).await?;
        if round.phase.settings_frozen() && !round.phase.is_final() {
            out.push(round);
        }
    }
    Ok(out)
}

/// A round's council rules in plain words, in English or Welsh, naming
/// bids by their titles and areas by their names: what the round page tells
/// residents before they vote. Empty when there are none.
pub async fn rules_in_words(
    db: &impl ConnectionTrait,
    round: &Round,
    language: crate::domain::Language,
) -> ServiceResult<Vec<String>> {
    use crate::domain::constraints::Limit;
    use crate::store::bids;
    use crate::words::{self, fill};
    let Some(c) = &round.rule.constraints else {
        return Ok(Vec::new());
    };
    let w = words::of(language);
    let limit = |l: &Limit| match l {
        Limit::Pence(p) => Pence::parse(*p as i64).unwrap_or(Pence::ZERO).to_string(),
        Limit::Share(s) => fill(w.rules_share_of_pot, &[("share", s)]),
    };
    let named = c.named_bids();
    let titles: BTreeMap<i64, String> = if named.is_empty() {
        BTreeMap::new()
    } else {
        bids::Entity::find()
            .select_only()
            .column(bids::Column::Id)
            .column(bids::Column::Title)
            .filter(bids::Column::RoundId.eq(round.id))
            .filter(bids::Column::Id.is_in(named))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await
            .context("loading the bids a rule names")?
            .into_iter()
            .collect()
    };
    let title = |id: &i64| {
        titles
            .get(id)
            .cloned()
            .unwrap_or_else(|| fill(w.explain_bid, &[("id", &id.to_string())]))
    };
    let mut area_names = BTreeMap::new();
    for id in c.named_areas() {
        if let Some(a) = areas::Entity::find_by_id(id)
            .one(db)
            .await
            .context("loading an area")?
        {
            area_names.insert(id, a.name);
        }
    }
    let area = |id: &i64| {
        area_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    let mut out = Vec::new();
    for (text, m) in [
        (w.rules_category_max, &c.category_max),
        (w.rules_category_min, &c.category_min),
    ] {
        for (k, l) in m {
            out.push(fill(text, &[("limit", &limit(l)), ("category", k)]));
        }
    }
    for (text, m) in [
        (w.rules_area_max, &c.area_max),
        (w.rules_area_min, &c.area_min),
    ] {
        for (k, l) in m {
            out.push(fill(text, &[("limit", &limit(l)), ("area", &area(k))]));
        }
    }
    if let Some(v) = c.min_votes {
        out.push(fill(w.rules_min_votes, &[("votes", &v.to_string())]));
    }
    if let Some(s) = &c.min_share {
        out.push(fill(w.rules_min_share, &[("share", s)]));
    }
    for set in &c.exclusive {
        let names: Vec<String> = set.iter().map(title).collect();
        out.push(fill(w.rules_exclusive, &[("bids", &names.join(", "))]));
    }
    for id in &c.must_fund {
        out.push(fill(w.rules_must_fund, &[("bid", &title(id))]));
    }
    Ok(out)
}
