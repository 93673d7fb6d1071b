//! Bids: costed projects that community groups put into an open round, and
//! the officers' review of them.
use super::{audit, groups, rounds, Actor, Page, PageRequest};
use crate::db::begin_write;
use crate::domain::id::{AreaId, BidId, GroupId, PotId, RoundId};
use crate::domain::{text::bounded, Language, Pence, Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{bid_reviews, bids};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidStatus {
    /// Saved by the group but not yet sent: seen only by its members.
    Draft,
    Submitted,
    Eligible,
    Ineligible,
    ChangesRequested,
    Withdrawn,
}

impl BidStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BidStatus::Draft => "draft",
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
            BidStatus::Draft,
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
    /// The part of the pot's area the bid is for (a ward of a
    /// borough-wide pot), which council rules on areas count it in; `None`:
    /// the pot's whole area.
    pub area: Option<AreaId>,
}

#[derive(Clone, Debug)]
pub struct Bid {
    pub id: BidId,
    pub round_id: RoundId,
    pub area_id: AreaId,
    pub group_id: GroupId,
    pub title: String,
    pub summary: String,
    pub description: String,
    /// The title, summary and description in Welsh, where the group gave
    /// them.
    pub welsh: BidWelsh,
    pub cost: Pence,
    pub category: String,
    pub location: Location,
    pub status: BidStatus,
    pub review_reason: Option<String>,
}

/// A bid's words in Welsh: each optional, so that Welsh pages, calls and
/// letters fall back to the English where one is missing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BidWelsh {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

impl BidWelsh {
    /// Checks each part as its English is checked; empty is none.
    pub fn parse(&self) -> ServiceResult<BidWelsh> {
        use crate::domain::text::welsh;
        Ok(BidWelsh {
            title: welsh(self.title.as_deref(), "the Welsh title", 3, 150)
                .map_err(|m| ServiceError::invalid("titleCy", m))?,
            summary: welsh(self.summary.as_deref(), "the Welsh summary", 10, 500)
                .map_err(|m| ServiceError::invalid("summaryCy", m))?,
            description: welsh(
                self.description.as_deref(),
                "the Welsh description",
                20,
                20_000,
            )
            .map_err(|m| ServiceError::invalid("descriptionCy", m))?,
        })
    }

    pub(super) fn of(row: &bids::Model) -> BidWelsh {
        BidWelsh {
            title: row.title_cy.clone(),
            summary: row.summary_cy.clone(),
            description: row.description_cy.clone(),
        }
    }
}

pub struct BidDetails {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub welsh: BidWelsh,
    pub cost_pence: i64,
    pub category: String,
    pub location: Location,
}

pub struct NewBid {
    pub round_id: RoundId,
    pub group_id: GroupId,
    pub area_id: AreaId,
    pub details: BidDetails,
}

pub use crate::domain::category::CATEGORIES;

pub(super) struct Parsed {
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) description: String,
    pub(super) welsh: BidWelsh,
    pub(super) cost: Pence,
    pub(super) category: String,
    pub(super) location: Location,
}

pub(super) fn parse_details(d: &BidDetails) -> ServiceResult<Parsed> {
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
        welsh: d.welsh.parse()?,
        cost,
        category,
        location: Location {
            address,
            point: d.location.point,
            area: d.location.area,
        },
    })
}

/// The locality a bid names must be an area; the pot's own area is stored
/// as none. Checked inside the write.
pub(super) async fn check_locality(
    txn: &DatabaseTransaction,
    location: &mut Location,
    pot_area: AreaId,
) -> ServiceResult<()> {
    match location.area {
        Some(a) if a == pot_area => location.area = None,
        Some(a) => {
            crate::store::areas::Entity::find_by_id(a.get())
                .one(txn)
                .await
                .context("checking an area")?
                .ok_or_else(|| ServiceError::invalid("localityId", "there is no such area"))?;
        }
        None => {}
    }
    Ok(())
}

pub(super) fn cost_check(cost: Pence, pot: Pence) -> ServiceResult<()> {
    if cost > pot {
        return Err(ServiceError::refused(
            ErrorCode::BidCostExceedsPot,
            format!("this bid costs {cost}, more than the {pot} in this area's pot: reduce the cost or split the project"),
        ));
    }
    Ok(())
}

fn still_a_draft(instead: &str) -> ServiceError {
    ServiceError::refused(
        ErrorCode::InvalidTransition,
        format!("this bid is still a draft: {instead}"),
    )
}

pub(super) fn phase_closed(message: &str) -> ServiceError {
    ServiceError::refused(ErrorCode::PhaseClosed, message)
}

/// The group's membership of the actor, checked inside the write's
/// transaction with the membership row locked, so that a member removed
/// meanwhile cannot act for the group.
pub(super) async fn require_member(
    txn: &DatabaseTransaction,
    actor: &Actor,
    group_id: GroupId,
) -> ServiceResult<()> {
    groups::get(txn, group_id).await?;
    groups::require_member_locked(txn, actor, group_id).await
}

/// The checks a new bid or draft depends on, inside its transaction: the
/// round locked shared and visible to the actor, the actor a member of the
/// group, bids open, and the area's pot in the round. `closed` ends the
/// refusal when bids are not open.
pub(super) async fn lock_open_pot(
    txn: &DatabaseTransaction,
    actor: &Actor,
    (round_id, group_id, area_id): (RoundId, GroupId, AreaId),
    now: chrono::DateTime<Utc>,
    closed: &str,
) -> ServiceResult<(rounds::Round, rounds::Pot)> {
    let round = rounds::lock_shared(txn, round_id).await?;
    if !rounds::may_see(Some(actor), round.phase) {
        return Err(ServiceError::not_found("round"));
    }
    require_member(txn, actor, group_id).await?;
    if !round.is_in(Phase::BidsOpen, now) {
        return Err(phase_closed(&format!(
            "this round is {}: {closed}",
            if round.phase == Phase::BidsOpen {
                "past its closing date"
            } else {
                round.phase.label()
            }
        )));
    }
    let pot = round.pot_for_area(area_id).cloned().ok_or_else(|| {
        ServiceError::refused(
            ErrorCode::AreaNotInRound,
            "this round has no pot for that area",
        )
    })?;
    Ok((round, pot))
}

#[tracing::instrument(name = "submit bid", skip_all, fields(round.id = new.round_id.get(), group.id = new.group_id.get()))]
pub async fn submit(db: &DatabaseConnection, actor: &Actor, new: NewBid) -> ServiceResult<Bid> {
    let mut parsed = parse_details(&new.details)?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let (round, pot) = lock_open_pot(
        &txn,
        actor,
        (new.round_id, new.group_id, new.area_id),
        now,
        "bids can only be submitted while bids are open",
    )
    .await?;
    cost_check(parsed.cost, pot.amount)?;
    check_locality(&txn, &mut parsed.location, pot.area_id).await?;
    let bid = insert(
        &txn,
        actor,
        (round.id, pot.id, new.group_id),
        parsed,
        BidStatus::Submitted,
        now,
    )
    .await?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "bid_submitted",
        "bid",
        bid.id,
        serde_json::json!({ "cost_pence": bid.cost_pence, "title": bid.title }),
    )
    .await
    .context("auditing a bid")?;
    txn.commit().await.context("committing a bid")?;
    get(db, bid.id.into()).await
}

/// Stores a new bid (or draft) for a group on a round's pot, written by
/// `actor`: the one insert for both.
pub(super) async fn insert(
    txn: &DatabaseTransaction,
    actor: &Actor,
    (round_id, pot_id, group_id): (RoundId, PotId, GroupId),
    parsed: Parsed,
    status: BidStatus,
    now: chrono::DateTime<Utc>,
) -> ServiceResult<bids::Model> {
    bids::ActiveModel {
        round_id: Set(round_id.get()),
        pot_id: Set(pot_id.get()),
        group_id: Set(group_id.get()),
        title: Set(parsed.title),
        summary: Set(parsed.summary),
        description: Set(parsed.description),
        title_cy: Set(parsed.welsh.title),
        summary_cy: Set(parsed.welsh.summary),
        description_cy: Set(parsed.welsh.description),
        cost_pence: Set(parsed.cost.get()),
        category: Set(parsed.category),
        location_address: Set(parsed.location.address),
        location_lat_e6: Set(parsed.location.point.map(|p| p.lat_e6)),
        location_lng_e6: Set(parsed.location.point.map(|p| p.lng_e6)),
        locality_area_id: Set(parsed.location.area.map(|a| a.get())),
        status: Set(status.as_str().into()),
        review_reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        submitted_by: Set(actor.account_id.get()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .context("storing a bid")
}

/// The bid's row, locked against other changes until the transaction ends.
pub(super) async fn lock_bid(txn: &DatabaseTransaction, id: BidId) -> ServiceResult<bids::Model> {
    bids::Entity::find_by_id(id.get())
        .lock_exclusive()
        .one(txn)
        .await
        .context("loading a bid")?
        .ok_or_else(|| ServiceError::not_found("bid"))
}

/// Each field that an edit changed, with its old and new value.
pub(super) fn changed_fields(
    old: &bids::Model,
    new: &Parsed,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::json;
    let mut out = serde_json::Map::new();
    let mut field = |name: &str, before: serde_json::Value, after: serde_json::Value| {
        if before != after {
            out.insert(name.into(), json!({ "from": before, "to": after }));
        }
    };
    field("title", json!(old.title), json!(new.title));
    field("summary", json!(old.summary), json!(new.summary));
    field(
        "description",
        json!(old.description),
        json!(new.description),
    );
    field("title_cy", json!(old.title_cy), json!(new.welsh.title));
    field(
        "summary_cy",
        json!(old.summary_cy),
        json!(new.welsh.summary),
    );
    field(
        "description_cy",
        json!(old.description_cy),
        json!(new.welsh.description),
    );
    field("cost_pence", json!(old.cost_pence), json!(new.cost.get()));
    field("category", json!(old.category), json!(new.category));
    field(
        "location_address",
        json!(old.location_address),
        json!(new.location.address),
    );
    field(
        "location_point",
        json!([old.location_lat_e6, old.location_lng_e6]),
        json!([
            new.location.point.map(|p| p.lat_e6),
            new.location.point.map(|p| p.lng_e6)
        ]),
    );
    field(
        "locality_area_id",
        json!(old.locality_area_id),
        json!(new.location.area.map(|a| a.get())),
    );
    out
}

/// Edits a bid: while bids are open, or (until the group resubmits it)
/// when an officer has asked for changes. Editing a bid that was already
/// reviewed sends it back for review: what residents vote on is what an
/// officer approved. The audit trail records every field that changed.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: BidId,
    details: BidDetails,
) -> ServiceResult<Bid> {
    let mut parsed = parse_details(&details)?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let bid = lock_bid(&txn, id).await?;
    require_member(&txn, actor, bid.group_id.into()).await?;
    let round = rounds::lock_shared(&txn, bid.round_id.into()).await?;
    let status: BidStatus = parse_status(&bid)?;
    let open_for_changes = round.is_in(Phase::BidsOpen, now) || round.is_in(Phase::BidReview, now);
    let editable = match status {
        BidStatus::Draft => return Err(still_a_draft("change it with updateBidDraft")),
        BidStatus::Withdrawn => return Err(phase_closed("this bid has been withdrawn")),
        BidStatus::ChangesRequested => open_for_changes,
        _ => round.is_in(Phase::BidsOpen, now),
    };
    if !editable {
        return Err(phase_closed(
            "bids can be edited only until bids close, or when an officer asks for changes",
        ));
    }
    let pot = round
        .pots
        .iter()
        .find(|p| p.id == bid.pot_id.into())
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("bid {id} has no pot")))?;
    cost_check(parsed.cost, pot.amount)?;
    check_locality(&txn, &mut parsed.location, pot.area_id).await?;
    let changes = changed_fields(&bid, &parsed);
    if changes.is_empty() {
        txn.commit().await.context("ending a transaction")?;
        return get(db, id).await;
    }
    // Reviewed bids go back for review; a bid sent back for changes stays
    // with the group until it resubmits it.
    let back_to_review = matches!(status, BidStatus::Eligible | BidStatus::Ineligible);
    let mut am = bids::ActiveModel {
        id: Set(id.get()),
        title: Set(parsed.title),
        summary: Set(parsed.summary),
        description: Set(parsed.description),
        title_cy: Set(parsed.welsh.title),
        summary_cy: Set(parsed.welsh.summary),
        description_cy: Set(parsed.welsh.description),
        cost_pence: Set(parsed.cost.get()),
        category: Set(parsed.category),
        location_address: Set(parsed.location.address),
        location_lat_e6: Set(parsed.location.point.map(|p| p.lat_e6)),
        location_lng_e6: Set(parsed.location.point.map(|p| p.lng_e6)),
        locality_area_id: Set(parsed.location.area.map(|a| a.get())),
        updated_at: Set(now),
        ..Default::default()
    };
    if back_to_review {
        am.status = Set(BidStatus::Submitted.as_str().into());
        am.review_reason = Set(None);
    }
    am.update(&txn).await.context("updating a bid")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "bid_updated",
        "bid",
        id,
        serde_json::json!({
            "changes": changes,
            "status": { "from": status.as_str(), "to": if back_to_review { BidStatus::Submitted.as_str() } else { status.as_str() } },
        }),
    )
    .await
    .context("auditing a bid")?;
    txn.commit().await.context("committing a bid")?;
    get(db, id).await
}

/// The group sends a bid back for review after making the changes an
/// officer asked for. The officer's reason stays in the bid's history.
pub async fn resubmit(db: &DatabaseConnection, actor: &Actor, id: BidId) -> ServiceResult<Bid> {
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let bid = lock_bid(&txn, id).await?;
    require_member(&txn, actor, bid.group_id.into()).await?;
    let round = rounds::lock_shared(&txn, bid.round_id.into()).await?;
    if parse_status(&bid)? != BidStatus::ChangesRequested {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "only a bid sent back for changes can be resubmitted",
        ));
    }
    if !(round.is_in(Phase::BidsOpen, now) || round.is_in(Phase::BidReview, now)) {
        return Err(phase_closed(
            "bids can be resubmitted only until voting opens",
        ));
    }
    bids::ActiveModel {
        id: Set(id.get()),
        status: Set(BidStatus::Submitted.as_str().into()),
        review_reason: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("resubmitting a bid")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "bid_resubmitted",
        "bid",
        id,
        serde_json::json!({ "status": { "from": "changes_requested", "to": "submitted" } }),
    )
    .await
    .context("auditing a bid")?;
    txn.commit().await.context("committing a bid")?;
    get(db, id).await
}

/// Withdraws a bid, at any time until voting opens.
pub async fn withdraw(db: &DatabaseConnection, actor: &Actor, id: BidId) -> ServiceResult<Bid> {
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let bid = lock_bid(&txn, id).await?;
    require_member(&txn, actor, bid.group_id.into()).await?;
    let round = rounds::lock_shared(&txn, bid.round_id.into()).await?;
    if !(round.is_in(Phase::BidsOpen, now) || round.is_in(Phase::BidReview, now)) {
        return Err(phase_closed(
            "bids can be withdrawn only until voting opens",
        ));
    }
    match parse_status(&bid)? {
        BidStatus::Withdrawn => {
            return Err(phase_closed("this bid has already been withdrawn"));
        }
        BidStatus::Draft => {
            return Err(still_a_draft(
                "it has not been sent, so delete it instead of withdrawing it",
            ));
        }
        _ => {}
    }
    bids::ActiveModel {
        id: Set(id.get()),
        status: Set(BidStatus::Withdrawn.as_str().into()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("withdrawing a bid")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "bid_withdrawn",
        "bid",
        id,
        serde_json::json!({ "status": { "from": bid.status, "to": "withdrawn" } }),
    )
    .await
    .context("auditing a bid")?;
    txn.commit().await.context("committing a bid")?;
    get(db, id).await
}

/// Reviews a bid (as [`review`]), then emails the group's contact address
/// the outcome and the reason. The review stands if the email fails.
pub async fn review_and_tell(
    state: &crate::state::AppState,
    actor: &Actor,
    id: BidId,
    decision: ReviewDecision,
    reason: Option<String>,
) -> ServiceResult<Bid> {
    let bid = review(&state.db, actor, id, decision, reason).await?;
    if let Err(e) = tell_group(state, &bid).await {
        tracing::error!(bid.id = bid.id.get(), error = %e, "emailing a group about a review");
    }
    Ok(bid)
}

async fn tell_group(state: &crate::state::AppState, bid: &Bid) -> ServiceResult<()> {
    let group = super::groups::get(&state.db, bid.group_id).await?;
    let Ok(to) = crate::domain::EmailAddress::parse(&group.contact_email) else {
        return Ok(());
    };
    let round = super::rounds::load(&state.db, bid.round_id).await?;
    let language = super::accounts::language_for_address(&state.db, &state.secret, &to).await?;
    let Some(outcome) = review_outcome(language, bid.status) else {
        return Ok(());
    };
    let reason = bid
        .review_reason
        .as_deref()
        .map(|r| crate::words::fill(crate::words::of(language).review_reason, &[("reason", r)]))
        .unwrap_or_default();
    let outcome = outcome.to_owned() + &reason;
    let link = format!("{}/groups/{}", state.settings.public_url, bid.group_id);
    state
        .mailer
        .send(
            &to,
            crate::channels::templates::BID_REVIEWED.render(
                language,
                &state.settings.phone,
                &[
                    ("title", &bid.title),
                    ("round", round.title_in(language)),
                    ("outcome", &outcome),
                    ("link", &link),
                ],
            ),
        )
        .await
        .map_err(ServiceError::Unexpected)
}

/// What a review means for the group, in their language.
fn review_outcome(language: Language, status: BidStatus) -> Option<&'static str> {
    let w = crate::words::of(language);
    Some(match status {
        BidStatus::Eligible => w.review_eligible,
        BidStatus::Ineligible => w.review_ineligible,
        BidStatus::ChangesRequested => w.review_changes_requested,
        _ => return None,
    })
}

/// An officer's decision on a bid. A bid found ineligible, or sent back for
/// changes, carries the reason, which the group sees; every decision is
/// kept in the bid's history. An officer who is a member of the bid's group
/// may not review it.
pub async fn review(
    db: &DatabaseConnection,
    actor: &Actor,
    id: BidId,
    decision: ReviewDecision,
    reason: Option<String>,
) -> ServiceResult<Bid> {
    actor.require(Role::Officer, "review bids")?;
    let reason = match (
        decision,
        reason.as_deref().map(str::trim).filter(|r| !r.is_empty()),
    ) {
        (_, Some(r)) => Some(
            bounded(r, "the reason", 1, 2000).map_err(|m| ServiceError::invalid("reason", m))?,
        ),
        (ReviewDecision::Eligible, None) => None,
        (_, None) => {
            return Err(ServiceError::invalid(
                "reason",
                "give the group a reason, so that they know what to do",
            ));
        }
    };
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let bid = lock_bid(&txn, id).await?;
    if parse_status(&bid)? == BidStatus::Draft {
        // Drafts are the group's own until it sends them.
        return Err(ServiceError::not_found("bid"));
    }
    if groups::is_member_locked(&txn, actor.account_id, bid.group_id.into()).await? {
        return Err(ServiceError::refused(
            ErrorCode::ConflictOfInterest,
            "you are a member of the group that made this bid: another officer must review it",
        ));
    }
    let round = rounds::lock_shared(&txn, bid.round_id.into()).await?;
    if !(round.is_in(Phase::BidsOpen, now) || round.is_in(Phase::BidReview, now)) {
        return Err(phase_closed("bids can be reviewed only until voting opens"));
    }
    let from = parse_status(&bid)?;
    if from == BidStatus::Withdrawn {
        return Err(phase_closed("this bid has been withdrawn"));
    }
    let (status, action) = match decision {
        ReviewDecision::Eligible => (BidStatus::Eligible, "bid_found_eligible"),
        ReviewDecision::Ineligible => (BidStatus::Ineligible, "bid_found_ineligible"),
        ReviewDecision::ChangesRequested => (BidStatus::ChangesRequested, "bid_changes_requested"),
    };
    bids::ActiveModel {
        id: Set(id.get()),
        status: Set(status.as_str().into()),
        review_reason: Set(reason.clone()),
        reviewed_by: Set(Some(actor.account_id.get())),
        reviewed_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("recording a review")?;
    bid_reviews::ActiveModel {
        bid_id: Set(id.get()),
        decision: Set(status.as_str().into()),
        reason: Set(reason),
        reviewed_by: Set(Some(actor.account_id.get())),
        reviewed_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("keeping a review")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        action,
        "bid",
        id,
        serde_json::json!({ "status": { "from": from.as_str(), "to": status.as_str() } }),
    )
    .await
    .context("auditing a review")?;
    txn.commit().await.context("committing a review")?;
    get(db, id).await
}

/// One review decision in a bid's history.
#[derive(Clone, Debug)]
pub struct Review {
    pub decision: BidStatus,
    pub reason: Option<String>,
    pub reviewed_at: chrono::DateTime<Utc>,
}

/// Every review decision on a bid, oldest first.
pub async fn history(db: &impl ConnectionTrait, bid_id: BidId) -> ServiceResult<Vec<Review>> {
    bid_reviews::Entity::find()
        .filter(bid_reviews::Column::BidId.eq(bid_id))
        .order_by_asc(bid_reviews::Column::Id)
        .all(db)
        .await
        .context("loading a bid's reviews")?
        .into_iter()
        .map(|r| {
            Ok(Review {
                decision: r
                    .decision
                    .parse()
                    .map_err(|e: String| ServiceError::Unexpected(anyhow::anyhow!(e)))?,
                reason: r.reason,
                reviewed_at: r.reviewed_at,
            })
        })
        .collect()
}

pub(super) fn parse_status(b: &bids::Model) -> ServiceResult<BidStatus> {
    b.status
        .parse()
        .map_err(|e: String| ServiceError::Unexpected(anyhow::anyhow!(e)))
}

pub async fn get(db: &impl ConnectionTrait, id: BidId) -> ServiceResult<Bid> {
    let b = bids::Entity::find_by_id(id.get())
        .one(db)
        .await
        .context("loading a bid")?
        .ok_or_else(|| ServiceError::not_found("bid"))?;
    to_bid(db, b).await
}

/// The bids with these identifiers, in one query (those that exist, in no
/// particular order).
pub async fn get_many(db: &impl ConnectionTrait, ids: &[BidId]) -> ServiceResult<Vec<Bid>> {
    let rows = bids::Entity::find()
        .filter(bids::Column::Id.is_in(ids.iter().map(|i| i.get())))
        .all(db)
        .await
        .context("loading bids")?;
    to_bids(db, rows).await
}

/// A bid as `caller` may see it: a draft only by its group's members;
/// to anyone else it does not exist.
pub async fn get_for(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    id: BidId,
) -> ServiceResult<Bid> {
    let bid = get(db, id).await?;
    if bid.status == BidStatus::Draft {
        let member = match caller {
            Some(a) => groups::is_member(db, a.account_id, bid.group_id).await?,
            None => false,
        };
        if !member {
            return Err(ServiceError::not_found("bid"));
        }
    }
    Ok(bid)
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
            from_row(b, area_id.into())
        })
        .collect()
}

fn from_row(b: bids::Model, area_id: AreaId) -> ServiceResult<Bid> {
    let status = b
        .status
        .parse()
        .map_err(|e: String| ServiceError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(Bid {
        id: b.id.into(),
        round_id: b.round_id.into(),
        area_id,
        group_id: b.group_id.into(),
        welsh: BidWelsh::of(&b),
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
            area: b.locality_area_id.map(AreaId::from),
        },
        status,
        review_reason: b.review_reason,
    })
}

/// Which bids of a round to list.
#[derive(Clone, Debug, Default)]
pub struct BidFilter {
    pub area_id: Option<AreaId>,
    pub category: Option<String>,
    /// Words to find in the title or summary.
    pub search: Option<String>,
    /// Staff only; others see what the phase shows them.
    pub status: Option<BidStatus>,
}

/// The bids of a round, a page at a time. Everyone sees the bids that are
/// not withdrawn until voting opens; from then on only eligible bids, which
/// are the ballot. Officers and councillors may filter by any status.
/// Drafts are never listed here: they belong to their group until sent.
pub async fn of_round(
    db: &impl ConnectionTrait,
    caller: Option<&Actor>,
    round: &rounds::Round,
    filter: &BidFilter,
    page: PageRequest,
) -> ServiceResult<Page<Bid>> {
    let staff = caller.is_some_and(|a| a.has(Role::Officer) || a.has(Role::Councillor));
    let mut q = bids::Entity::find()
        .filter(bids::Column::RoundId.eq(round.id))
        .filter(bids::Column::Status.ne(BidStatus::Draft.as_str()));
    match filter.status {
        Some(BidStatus::Draft) => {
            return Ok(Page {
                items: vec![],
                has_next: false,
            })
        }
        Some(status) if staff => q = q.filter(bids::Column::Status.eq(status.as_str())),
        _ if round.phase.settings_frozen() => {
            q = q.filter(bids::Column::Status.eq(BidStatus::Eligible.as_str()));
            if let Some(status) = filter.status.filter(|s| *s != BidStatus::Eligible) {
                // Nothing else is on the ballot.
                q = q.filter(bids::Column::Status.eq(status.as_str()));
            }
        }
        Some(BidStatus::Withdrawn) => {
            return Ok(Page {
                items: vec![],
                has_next: false,
            })
        }
        Some(status) => q = q.filter(bids::Column::Status.eq(status.as_str())),
        None => q = q.filter(bids::Column::Status.ne(BidStatus::Withdrawn.as_str())),
    }
    if let Some(area) = filter.area_id {
        match round.pot_for_area(area) {
            Some(pot) => q = q.filter(bids::Column::PotId.eq(pot.id)),
            None => {
                return Ok(Page {
                    items: vec![],
                    has_next: false,
                })
            }
        }
    }
    if let Some(c) = filter
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        q = q.filter(bids::Column::Category.eq(c.to_lowercase()));
    }
    if let Some(words) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        // lower(column) LIKE lower(pattern): the same on both databases
        // (SQLite's LIKE ignores case, PostgreSQL's does not).
        use sea_orm::sea_query::{Condition, Func};
        for word in words.split_whitespace().take(8) {
            let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
            let lower = |c: bids::Column| Expr::expr(Func::lower(Expr::col(c)));
            q = q.filter(
                Condition::any()
                    .add(
                        lower(bids::Column::Title)
                            .like(LikeExpr::new(pattern.clone()).escape('\\')),
                    )
                    .add(lower(bids::Column::Summary).like(LikeExpr::new(pattern).escape('\\'))),
            );
        }
    }
    let rows = q
        .order_by_asc(bids::Column::Id)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("listing bids")?;
    Ok(Page::from_rows(to_bids(db, rows).await?, page))
}

/// Escapes `%`, `_` and the escape character itself for a LIKE pattern.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A group's bids, a page at a time; drafts and withdrawn ones only for its
/// members.
pub async fn of_group(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    group_id: GroupId,
    page: PageRequest,
) -> ServiceResult<Page<Bid>> {
    let member = match caller {
        Some(a) => groups::is_member(db, a.account_id, group_id).await?,
        None => false,
    };
    let mut q = bids::Entity::find().filter(bids::Column::GroupId.eq(group_id));
    if !member {
        q = q.filter(
            bids::Column::Status
                .is_not_in([BidStatus::Withdrawn.as_str(), BidStatus::Draft.as_str()]),
        );
    }
    let rows = q
        .order_by_asc(bids::Column::Id)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("listing bids")?;
    Ok(Page::from_rows(to_bids(db, rows).await?, page))
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
