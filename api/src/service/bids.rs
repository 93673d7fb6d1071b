//! Bids: costed projects that community groups put into an open round, and
//! the officers' review of them.
use super::{audit, groups, rounds, Actor};
use crate::db::begin_write;
use crate::domain::{text::bounded, Pence, Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::bids;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidStatus {
    Submitted,
    Eligible,
    Ineligible,
    ChangesRequested,
    Withdrawn,
}

impl BidStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BidStatus::Submitted => "submitted",
            BidStatus::Eligible => "eligible",
            BidStatus::Ineligible => "ineligible",
            BidStatus::ChangesRequested => "changes_requested",
            BidStatus::Withdrawn => "withdrawn",
        }
    }
}

impl FromStr for BidStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [
            BidStatus::Submitted,
            BidStatus::Eligible,
            BidStatus::Ineligible,
            BidStatus::ChangesRequested,
            BidStatus::Withdrawn,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
        .ok_or_else(|| format!("unknown bid status `{s}`"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewDecision {
    Eligible,
    Ineligible,
    ChangesRequested,
}

/// A place on the map, in millionths of a degree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapPoint {
    pub lat_e6: i64,
    pub lng_e6: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub address: Option<String>,
    pub point: Option<MapPoint>,
}

#[derive(Clone, Debug)]
pub struct Bid {
    pub id: i64,
    pub round_id: i64,
    pub area_id: i64,
    pub group_id: i64,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub cost: Pence,
    pub category: String,
    pub location: Location,
    pub status: BidStatus,
    pub review_reason: Option<String>,
}

pub struct BidDetails {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub cost_pence: i64,
    pub category: String,
    pub location: Location,
}

pub struct NewBid {
    pub round_id: i64,
    pub group_id: i64,
    pub area_id: i64,
    pub details: BidDetails,
}

pub const CATEGORIES: &[&str] = &[
    "community",
    "environment",
    "health",
    "young people",
    "older people",
    "sport",
    "culture",
    "education",
    "transport",
    "public space",
    "safety",
    "other",
];

struct Parsed {
    title: String,
    summary: String,
    description: String,
    cost: Pence,
    category: String,
    location: Location,
}

fn parse_details(d: &BidDetails) -> ServiceResult<Parsed> {
    let title =
        bounded(&d.title, "a title", 3, 150).map_err(|m| ServiceError::invalid("title", m))?;
    let summary = bounded(&d.summary, "a summary", 10, 500)
        .map_err(|m| ServiceError::invalid("summary", m))?;
    let description = bounded(&d.description, "a full description", 20, 20_000)
        .map_err(|m| ServiceError::invalid("description", m))?;
    let cost = Pence::parse(d.cost_pence).map_err(|m| ServiceError::invalid("costPence", m))?;
    if cost.get() == 0 {
        return Err(ServiceError::invalid(
            "costPence",
            "enter what the project will cost",
        ));
    }
    let category = d.category.trim().to_lowercase();
    if !CATEGORIES.contains(&category.as_str()) {
        return Err(ServiceError::invalid(
            "category",
            format!("choose a category: {}", CATEGORIES.join(", ")),
        ));
    }
    let address = match &d.location.address {
        Some(a) if !a.trim().is_empty() => Some(
            bounded(a, "the address", 1, 300).map_err(|m| ServiceError::invalid("location", m))?,
        ),
        _ => None,
    };
    if let Some(p) = d.location.point {
        // The UK lies between about 49.8°N and 60.9°N, 8.7°W and 1.8°E.
        if !(49_000_000..=61_000_000).contains(&p.lat_e6)
            || !(-9_000_000..=2_000_000).contains(&p.lng_e6)
        {
            return Err(ServiceError::invalid(
                "location",
                "the map point is not in the United Kingdom",
            ));
        }
    }
    Ok(Parsed {
        title,
        summary,
        description,
        cost,
        category,
        location: Location {
            address,
            point: d.location.point,
        },
    })
}

fn cost_check(cost: Pence, pot: Pence) -> ServiceResult<()> {
    if cost > pot {
        return Err(ServiceError::refused(
            ErrorCode::BidCostExceedsPot,
            format!("this bid costs {cost}, more than the {pot} in this area's pot: reduce the cost or split the project"),
        ));
    }
    Ok(())
}

fn phase_closed(message: &str) -> ServiceError {
    ServiceError::refused(ErrorCode::PhaseClosed, message)
}

#[tracing::instrument(name = "submit bid", skip_all, fields(round.id = new.round_id, group.id = new.group_id))]
pub async fn submit(db: &DatabaseConnection, actor: &Actor, new: NewBid) -> ServiceResult<Bid> {
    let parsed = parse_details(&new.details)?;
    let round = rounds::get(db, Some(actor), new.round_id).await?;
    groups::get(db, new.group_id).await?;
    groups::require_member(db, actor, new.group_id).await?;
    if round.phase != Phase::BidsOpen {
        return Err(phase_closed(&format!(
            "this round is {}: bids can only be submitted while bids are open",
            round.phase.label()
        )));
    }
    let pot = round.pot_for_area(new.area_id).ok_or_else(|| {
        ServiceError::refused(
            ErrorCode::AreaNotInRound,
            "this round has no pot for that area",
        )
    })?;
    cost_check(parsed.cost, pot.amount)?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let bid = bids::ActiveModel {
        round_id: Set(round.id),
        pot_id: Set(pot.id),
        group_id: Set(new.group_id),
        title: Set(parsed.title),
        summary: Set(parsed.summary),
        description: Set(parsed.description),
        cost_pence: Set(parsed.cost.get()),
        category: Set(parsed.category),
        location_address: Set(parsed.location.address),
        location_lat_e6: Set(parsed.location.point.map(|p| p.lat_e6)),
        location_lng_e6: Set(parsed.location.point.map(|p| p.lng_e6)),
        status: Set(BidStatus::Submitted.as_str().into()),
        review_reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        submitted_by: Set(actor.account_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("storing a bid")?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "bid_submitted",
        "bid",
        bid.id,
        serde_json::json!({ "cost_pence": bid.cost_pence }),
    )
    .await
    .context("auditing a bid")?;
    txn.commit().await.context("committing a bid")?;
    get(db, bid.id).await
}

/// Edits a bid: while bids are open, or during review when an officer has
/// asked for changes (the bid then goes back for review).
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    details: BidDetails,
) -> ServiceResult<Bid> {
    let parsed = parse_details(&details)?;
    let bid = get(db, id).await?;
    groups::require_member(db, actor, bid.group_id).await?;
    let round = rounds::get(db, Some(actor), bid.round_id).await?;
    let editable = match (round.phase, bid.status) {
        (_, BidStatus::Withdrawn) => return Err(phase_closed("this bid has been withdrawn")),
        (Phase::BidsOpen, _) => true,
        (Phase::BidReview, BidStatus::ChangesRequested) => true,
        _ => false,
    };
    if !editable {
        return Err(phase_closed(
            "bids can be edited only until bids close, or when an officer asks for changes",
        ));
    }
    let pot = round
        .pot_for_area(bid.area_id)
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("bid {id} has no pot")))?;
    cost_check(parsed.cost, pot.amount)?;
    let txn = begin_write(db).await.context("starting a transaction")?;
    let mut am = bids::ActiveModel {
        id: Set(id),
        title: Set(parsed.title),
        summary: Set(parsed.summary),
        description: Set(parsed.description),
        cost_pence: Set(parsed.cost.get()),
        category: Set(parsed.category),
        location_address: Set(parsed.location.address),
        location_lat_e6: Set(parsed.location.point.map(|p| p.lat_e6)),
        location_lng_e6: Set(parsed.location.point.map(|p| p.lng_e6)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if bid.status == BidStatus::ChangesRequested {
        am.status = Set(BidStatus::Submitted.as_str().into());
    }
    am.update(&txn).await.context("updating a bid")?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "bid_updated",
        "bid",
        id,
        serde_json::json!({ "cost_pence": parsed.cost.get() }),
    )
    .await
    .context("auditing a bid")?;
    txn.commit().await.context("committing a bid")?;
    get(db, id).await
}

/// Withdraws a bid, at any time until voting opens.
pub async fn withdraw(db: &DatabaseConnection, actor: &Actor, id: i64) -> ServiceResult<Bid> {
    let bid = get(db, id).await?;
    groups::require_member(db, actor, bid.group_id).await?;
    let round = rounds::get(db, Some(actor), bid.round_id).await?;
    if !matches!(round.phase, Phase::BidsOpen | Phase::BidReview) {
        return Err(phase_closed(
            "bids can be withdrawn only until voting opens",
        ));
    }
    if bid.status == BidStatus::Withdrawn {
        return Err(phase_closed("this bid has already been withdrawn"));
    }
    set_status(db, actor, id, BidStatus::Withdrawn, None, "bid_withdrawn").await
}

/// An officer's decision on a bid. A bid found ineligible, or sent back for
/// changes, carries the reason, which the group sees.
pub async fn review(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    decision: ReviewDecision,
    reason: Option<String>,
) -> ServiceResult<Bid> {
    actor.require(Role::Officer, "review bids")?;
    let bid = get(db, id).await?;
    let round = rounds::get(db, Some(actor), bid.round_id).await?;
    if !matches!(round.phase, Phase::BidsOpen | Phase::BidReview) {
        return Err(phase_closed("bids can be reviewed only until voting opens"));
    }
    if bid.status == BidStatus::Withdrawn {
        return Err(phase_closed("this bid has been withdrawn"));
    }
    let reason = match (
        decision,
        reason.as_deref().map(str::trim).filter(|r| !r.is_empty()),
    ) {
        (ReviewDecision::Eligible, r) => r.map(str::to_owned),
        (_, Some(r)) => Some(
            bounded(r, "the reason", 1, 2000).map_err(|m| ServiceError::invalid("reason", m))?,
        ),
        (_, None) => {
            return Err(ServiceError::invalid(
                "reason",
                "give the group a reason, so that they know what to do",
            ));
        }
    };
    let (status, action) = match decision {
        ReviewDecision::Eligible => (BidStatus::Eligible, "bid_found_eligible"),
        ReviewDecision::Ineligible => (BidStatus::Ineligible, "bid_found_ineligible"),
        ReviewDecision::ChangesRequested => (BidStatus::ChangesRequested, "bid_changes_requested"),
    };
    set_status(db, actor, id, status, Some(reason), action).await
}

async fn set_status(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    status: BidStatus,
    review: Option<Option<String>>,
    action: &str,
) -> ServiceResult<Bid> {
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let mut am = bids::ActiveModel {
        id: Set(id),
        status: Set(status.as_str().into()),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(reason) = review {
        am.review_reason = Set(reason.clone());
        am.reviewed_by = Set(Some(actor.account_id));
        am.reviewed_at = Set(Some(now));
    }
    am.update(&txn).await.context("changing a bid's status")?;
    audit::record(
        &txn,
        Some(actor.account_id),
        action,
        "bid",
        id,
        serde_json::json!({ "status": status.as_str() }),
    )
    .await
    .context("auditing a bid")?;
    txn.commit().await.context("committing a bid")?;
    get(db, id).await
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ServiceResult<Bid> {
    let b = bids::Entity::find_by_id(id)
        .one(db)
        .await
        .context("loading a bid")?
        .ok_or_else(|| ServiceError::not_found("bid"))?;
    to_bid(db, b).await
}

async fn to_bid(db: &impl ConnectionTrait, b: bids::Model) -> ServiceResult<Bid> {
    let mut bids = to_bids(db, vec![b]).await?;
    bids.pop()
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("a bid vanished while loading")))
}

/// Converts rows to bids, loading their pots (for the area) in one query.
async fn to_bids(db: &impl ConnectionTrait, rows: Vec<bids::Model>) -> ServiceResult<Vec<Bid>> {
    use crate::store::round_pots;
    let pots: std::collections::HashMap<i64, i64> = round_pots::Entity::find()
        .filter(round_pots::Column::Id.is_in(rows.iter().map(|b| b.pot_id)))
        .all(db)
        .await
        .context("loading bids' pots")?
        .into_iter()
        .map(|p| (p.id, p.area_id))
        .collect();
    rows.into_iter()
        .map(|b| {
            let area_id = *pots.get(&b.pot_id).ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!("bid {} has no pot", b.id))
            })?;
            from_row(b, area_id)
        })
        .collect()
}

fn from_row(b: bids::Model, area_id: i64) -> ServiceResult<Bid> {
    let status = b
        .status
        .parse()
        .map_err(|e: String| ServiceError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(Bid {
        id: b.id,
        round_id: b.round_id,
        area_id,
        group_id: b.group_id,
        title: b.title,
        summary: b.summary,
        description: b.description,
        cost: Pence::parse(b.cost_pence).unwrap_or(Pence::ZERO),
        category: b.category,
        location: Location {
            address: b.location_address,
            point: b
                .location_lat_e6
                .zip(b.location_lng_e6)
                .map(|(lat_e6, lng_e6)| MapPoint { lat_e6, lng_e6 }),
        },
        status,
        review_reason: b.review_reason,
    })
}

/// The bids of a round, withdrawn ones left out.
pub async fn of_round(db: &DatabaseConnection, round_id: i64) -> ServiceResult<Vec<Bid>> {
    let rows = bids::Entity::find()
        .filter(bids::Column::RoundId.eq(round_id))
        .filter(bids::Column::Status.ne(BidStatus::Withdrawn.as_str()))
        .order_by_asc(bids::Column::Id)
        .all(db)
        .await
        .context("listing bids")?;
    to_bids(db, rows).await
}

pub async fn of_group(db: &DatabaseConnection, group_id: i64) -> ServiceResult<Vec<Bid>> {
    let rows = bids::Entity::find()
        .filter(bids::Column::GroupId.eq(group_id))
        .order_by_asc(bids::Column::Id)
        .all(db)
        .await
        .context("listing bids")?;
    to_bids(db, rows).await
}

/// Who may read the review reason: officers, and the group's own members.
pub async fn may_see_review(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    bid: &Bid,
) -> ServiceResult<bool> {
    match caller {
        None => Ok(false),
        Some(a) if a.has(Role::Officer) => Ok(true),
        Some(a) => groups::is_member(db, a.account_id, bid.group_id).await,
    }
}
