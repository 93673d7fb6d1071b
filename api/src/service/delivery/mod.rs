//! After the vote: what happened to the money. Every funded bid gets a
//! delivery record when its result is published (`record_in`, in the
//! publication's transaction, and again with each correction, which
//! cancels the records of bids it unfunds with its reason). Officers alone
//! change a record's status, spending and milestones; the bid's group
//! posts updates (text and up to four photos, `photo`), which are public
//! only once an officer approves them; councillors see everything. Each
//! public change is appended to the round's log, so a claim about delivery
//! cannot be quietly altered later, and audited with who made it.
//!
//! Invariant: the phase, role and membership checks of every write run
//! inside its transaction; an update is decided once (the `UPDATE` is
//! conditional on it still waiting).
pub mod photo;

use super::{audit, groups, round_log, rounds, Actor};
use crate::db::begin_write;
use crate::domain::id::{AccountId, BidId, DeliveryId, PhotoId, PotId, RoundId, UpdateId};
use crate::domain::{Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{bids, deliveries, delivery_milestones, delivery_photos, delivery_updates};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashMap;

/// Where a funded bid's delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Planned,
    InProgress,
    Delivered,
    Delayed,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Delivered => "delivered",
            Status::Delayed => "delayed",
            Status::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "in_progress" => Status::InProgress,
            "delivered" => Status::Delivered,
            "delayed" => Status::Delayed,
            "cancelled" => Status::Cancelled,
            _ => Status::Planned,
        }
    }

    /// Delayed and cancelled say why.
    fn needs_reason(self) -> bool {
        matches!(self, Status::Delayed | Status::Cancelled)
    }
}

/// What a project will do by when, and when it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    pub title: String,
    pub target: NaiveDate,
    pub done: Option<NaiveDate>,
}

/// A funded bid's delivery.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: DeliveryId,
    pub round_id: RoundId,
    pub pot_id: PotId,
    pub bid_id: BidId,
    pub award_pence: i64,
    pub status: Status,
    pub status_reason: Option<String>,
    pub spent_pence: i64,
    pub overspend_reason: Option<String>,
    pub milestones: Vec<Milestone>,
    pub updated_at: DateTime<Utc>,
}

/// Whether an update is public.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateState {
    Pending,
    Approved,
    Rejected,
}

impl UpdateState {
    fn parse(s: &str) -> Self {
        match s {
            "approved" => UpdateState::Approved,
            "rejected" => UpdateState::Rejected,
            _ => UpdateState::Pending,
        }
    }
}

/// A photo of an update, without its bytes.
#[derive(Clone, Debug)]
pub struct Photo {
    pub id: PhotoId,
    pub alt_text: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub sha256: String,
}

/// What a group said about its bid's delivery.
#[derive(Clone, Debug)]
pub struct Update {
    pub id: UpdateId,
    pub delivery_id: DeliveryId,
    pub bid_id: BidId,
    pub round_id: RoundId,
    pub body: String,
    pub state: UpdateState,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub photos: Vec<Photo>,
}

/// A photo as uploaded: its bytes and what it shows, in words.
pub struct NewPhoto {
    pub bytes: Vec<u8>,
    pub alt_text: String,
}

fn delivery_of(m: deliveries::Model, milestones: Vec<Milestone>) -> Delivery {
    Delivery {
        id: m.id.into(),
        round_id: m.round_id.into(),
        pot_id: m.pot_id.into(),
        bid_id: m.bid_id.into(),
        award_pence: m.award_pence,
        status: Status::parse(&m.status),
        status_reason: m.status_reason,
        spent_pence: m.spent_pence,
        overspend_reason: m.overspend_reason,
        milestones,
        updated_at: m.updated_at,
    }
}

fn milestone_of(m: delivery_milestones::Model) -> Milestone {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    Milestone {
        target: date(&m.target_date).unwrap_or_default(),
        done: m.done_date.as_deref().and_then(date),
        title: m.title,
    }
}

/// Records with their milestones.
async fn with_milestones(
    db: &impl ConnectionTrait,
    rows: Vec<deliveries::Model>,
) -> ServiceResult<Vec<Delivery>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut milestones: HashMap<i64, Vec<Milestone>> = HashMap::new();
    for m in delivery_milestones::Entity::find()
        .filter(delivery_milestones::Column::DeliveryId.is_in(ids))
        .order_by_asc(delivery_milestones::Column::Position)
        .all(db)
        .await
        .context("loading milestones")?
    {
        milestones
            .entry(m.delivery_id)
            .or_default()
            .push(milestone_of(m));
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let m = milestones.remove(&r.id).unwrap_or_default();
            delivery_of(r, m)
        })
        .collect())
}

/// Keeps the round's records in step with its latest published result:
/// a record for every funded bid (its award the amount funded), and a
/// bid no longer funded cancelled with `reason`. In the transaction that
/// publishes or corrects the result; each change goes in the round's log.
pub(crate) async fn record_in(
    txn: &DatabaseTransaction,
    round_id: RoundId,
    funded: &[(PotId, BidId, i64)],
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let existing: HashMap<i64, deliveries::Model> = deliveries::Entity::find()
        .filter(deliveries::Column::RoundId.eq(round_id))
        .all(txn)
        .await
        .context("loading deliveries")?
        .into_iter()
        .map(|d| (d.bid_id, d))
        .collect();
    for (pot, bid, award) in funded {
        match existing.get(&bid.get()) {
            None => {
                deliveries::ActiveModel {
                    round_id: Set(round_id.get()),
                    pot_id: Set(pot.get()),
                    bid_id: Set(bid.get()),
                    award_pence: Set(*award),
                    status: Set(Status::Planned.as_str().into()),
                    spent_pence: Set(0),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await
                .context("recording a delivery")?;
            }
            Some(d) if d.status == "cancelled" || d.award_pence != *award => {
                // Funded again by a correction, or for another amount.
                deliveries::ActiveModel {
                    id: Set(d.id),
                    award_pence: Set(*award),
                    status: Set(if d.status == "cancelled" {
                        Status::Planned.as_str().into()
                    } else {
                        d.status.clone()
                    }),
                    status_reason: Set(None),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .update(txn)
                .await
                .context("updating a delivery")?;
                round_log::append(
                    txn,
                    round_id,
                    "delivery_status",
                    json!({ "bid": bid.get(), "status": if d.status == "cancelled" { "planned" } else { d.status.as_str() }, "award_pence": award }),
                    now,
                )
                .await?;
            }
            Some(_) => {}
        }
    }
    let still: std::collections::HashSet<i64> = funded.iter().map(|(_, b, _)| b.get()).collect();
    for d in existing.values() {
        if still.contains(&d.bid_id) || d.status == "cancelled" {
            continue;
        }
        let reason = reason.unwrap_or("The corrected result does not fund this bid.");
        deliveries::ActiveModel {
            id: Set(d.id),
            status: Set(Status::Cancelled.as_str().into()),
            status_reason: Set(Some(reason.to_owned())),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(txn)
        .await
        .context("cancelling a delivery")?;
        round_log::append(
            txn,
            round_id,
            "delivery_status",
            json!({ "bid": d.bid_id, "status": "cancelled", "reason": reason }),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Who may see a round's deliveries: anyone once its result is published.
fn require_published(round: &rounds::Round) -> ServiceResult<()> {
    if round.phase == Phase::Published {
        Ok(())
    } else {
        Err(ServiceError::not_found("delivery"))
    }
}

/// Every funded bid's delivery in a published round, in the order of the
/// bids' numbers.
pub async fn for_round(
    db: &impl ConnectionTrait,
    caller: Option<&Actor>,
    round_id: RoundId,
) -> ServiceResult<Vec<Delivery>> {
    let round = rounds::get(db, caller, round_id).await?;
    if round.phase != Phase::Published {
        return Ok(Vec::new());
    }
    let rows = deliveries::Entity::find()
        .filter(deliveries::Column::RoundId.eq(round_id))
        .order_by_asc(deliveries::Column::BidId)
        .all(db)
        .await
        .context("loading deliveries")?;
    with_milestones(db, rows).await
}

/// A bid's delivery, if it was funded in a published round.
pub async fn for_bid(db: &impl ConnectionTrait, bid_id: BidId) -> ServiceResult<Option<Delivery>> {
    let Some(row) = deliveries::Entity::find()
        .filter(deliveries::Column::BidId.eq(bid_id))
        .one(db)
        .await
        .context("loading a delivery")?
    else {
        return Ok(None);
    };
    Ok(with_milestones(db, vec![row]).await?.pop())
}

async fn load(db: &impl ConnectionTrait, id: DeliveryId) -> ServiceResult<deliveries::Model> {
    deliveries::Entity::find_by_id(id.get())
        .one(db)
        .await
        .context("loading a delivery")?
        .ok_or_else(|| ServiceError::not_found("delivery"))
}

async fn bid_of(db: &impl ConnectionTrait, id: i64) -> ServiceResult<bids::Model> {
    bids::Entity::find_by_id(id)
        .one(db)
        .await
        .context("loading a bid")?
        .ok_or_else(|| ServiceError::not_found("bid"))
}

/// Whether the caller sees updates that are not public: officers,
/// councillors, and the members of the bid's group.
async fn sees_unpublished(
    db: &impl ConnectionTrait,
    caller: Option<&Actor>,
    group_id: i64,
) -> ServiceResult<bool> {
    let Some(actor) = caller else {
        return Ok(false);
    };
    if actor.has(Role::Officer) || actor.has(Role::Councillor) {
        return Ok(true);
    }
    groups::is_member(db, actor.account_id, group_id.into()).await
}

/// Updates with their photos' details, newest first.
async fn updates_of(
    db: &impl ConnectionTrait,
    rows: Vec<delivery_updates::Model>,
    deliveries: &HashMap<i64, (BidId, RoundId)>,
) -> ServiceResult<Vec<Update>> {
    let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
    let mut photos: HashMap<i64, Vec<Photo>> = HashMap::new();
    let rows_of_photos: Vec<(i64, i64, String, String, i32, i32, String)> =
        delivery_photos::Entity::find()
            .select_only()
            .columns([
                delivery_photos::Column::Id,
                delivery_photos::Column::UpdateId,
                delivery_photos::Column::AltText,
                delivery_photos::Column::ContentType,
                delivery_photos::Column::Width,
                delivery_photos::Column::Height,
                delivery_photos::Column::Sha256,
            ])
            .filter(delivery_photos::Column::UpdateId.is_in(ids))
            .order_by_asc(delivery_photos::Column::Position)
            .into_tuple()
            .all(db)
            .await
            .context("loading photos")?;
    for (id, update, alt_text, content_type, width, height, sha256) in rows_of_photos {
        photos.entry(update).or_default().push(Photo {
            id: id.into(),
            alt_text,
            content_type,
            width,
            height,
            sha256,
        });
    }
    Ok(rows
        .into_iter()
        .filter_map(|u| {
            let (bid_id, round_id) = *deliveries.get(&u.delivery_id)?;
            Some(Update {
                id: u.id.into(),
                delivery_id: u.delivery_id.into(),
                bid_id,
                round_id,
                photos: photos.remove(&u.id).unwrap_or_default(),
                body: u.body,
                state: UpdateState::parse(&u.state),
                reason: u.reason,
                created_at: u.created_at,
                decided_at: u.decided_at,
            })
        })
        .collect())
}

/// A delivery's updates the caller may see, newest first: approved ones
/// for everyone; waiting and refused ones too for officers, councillors
/// and the bid's group.
pub async fn updates(
    db: &impl ConnectionTrait,
    caller: Option<&Actor>,
    delivery: &Delivery,
) -> ServiceResult<Vec<Update>> {
    let bid = bid_of(db, delivery.bid_id.get()).await?;
    let mut q = delivery_updates::Entity::find()
        .filter(delivery_updates::Column::DeliveryId.eq(delivery.id));
    if !sees_unpublished(db, caller, bid.group_id).await? {
        q = q.filter(delivery_updates::Column::State.eq("approved"));
    }
    let rows = q
        .order_by_desc(delivery_updates::Column::CreatedAt)
        .order_by_desc(delivery_updates::Column::Id)
        .all(db)
        .await
        .context("loading updates")?;
    let map = HashMap::from([(delivery.id.get(), (delivery.bid_id, delivery.round_id))]);
    updates_of(db, rows, &map).await
}

/// A round's approved updates, newest first, at most `limit`: its feed.
pub async fn public_updates(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    limit: u64,
) -> ServiceResult<Vec<Update>> {
    let round = rounds::get(db, None, round_id).await?;
    require_published(&round)?;
    approved_or_waiting(db, round_id, "approved", limit).await
}

/// A round's updates approved between `from` and `to`, oldest first: a
/// month's digest.
pub async fn approved_between(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ServiceResult<Vec<Update>> {
    let mut list = approved_or_waiting(db, round_id, "approved", 200).await?;
    list.retain(|u| u.decided_at.is_some_and(|d| d >= from && d < to));
    list.reverse();
    Ok(list)
}

/// Updates waiting for an officer, oldest first.
pub async fn waiting(
    db: &impl ConnectionTrait,
    actor: &Actor,
    round_id: RoundId,
) -> ServiceResult<Vec<Update>> {
    if !(actor.has(Role::Officer) || actor.has(Role::Councillor)) {
        return Err(ServiceError::not_authorised(
            "only officers and councillors see updates waiting for approval",
        ));
    }
    let mut u = approved_or_waiting(db, round_id, "pending", 500).await?;
    u.reverse();
    Ok(u)
}

async fn approved_or_waiting(
    db: &impl ConnectionTrait,
    round_id: RoundId,
    state: &str,
    limit: u64,
) -> ServiceResult<Vec<Update>> {
    let map: HashMap<i64, (BidId, RoundId)> = deliveries::Entity::find()
        .filter(deliveries::Column::RoundId.eq(round_id))
        .all(db)
        .await
        .context("loading deliveries")?
        .into_iter()
        .map(|d| (d.id, (BidId::from(d.bid_id), round_id)))
        .collect();
    let rows = delivery_updates::Entity::find()
        .filter(delivery_updates::Column::DeliveryId.is_in(map.keys().copied()))
        .filter(delivery_updates::Column::State.eq(state))
        .order_by_desc(delivery_updates::Column::CreatedAt)
        .order_by_desc(delivery_updates::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .context("loading updates")?;
    updates_of(db, rows, &map).await
}

/// What a person posted, for their own data.
pub async fn posted_by(
    db: &impl ConnectionTrait,
    account: AccountId,
) -> ServiceResult<Vec<Update>> {
    let rows = delivery_updates::Entity::find()
        .filter(delivery_updates::Column::AccountId.eq(account))
        .order_by_asc(delivery_updates::Column::Id)
        .all(db)
        .await
        .context("loading updates")?;
    let ids: Vec<i64> = rows.iter().map(|u| u.delivery_id).collect();
    let map = deliveries::Entity::find()
        .filter(deliveries::Column::Id.is_in(ids))
        .all(db)
        .await
        .context("loading deliveries")?
        .into_iter()
        .map(|d| (d.id, (BidId::from(d.bid_id), RoundId::from(d.round_id))))
        .collect();
    updates_of(db, rows, &map).await
}

/// A photo's type and bytes, for whoever may see its update.
pub async fn photo(
    db: &impl ConnectionTrait,
    caller: Option<&Actor>,
    id: PhotoId,
) -> ServiceResult<(String, Vec<u8>, bool)> {
    let p = delivery_photos::Entity::find_by_id(id.get())
        .one(db)
        .await
        .context("loading a photo")?
        .ok_or_else(|| ServiceError::not_found("photo"))?;
    let u = delivery_updates::Entity::find_by_id(p.update_id)
        .one(db)
        .await
        .context("loading an update")?
        .ok_or_else(|| ServiceError::not_found("photo"))?;
    let public = u.state == "approved";
    if !public {
        let d = load(db, u.delivery_id.into()).await?;
        let bid = bid_of(db, d.bid_id).await?;
        if !sees_unpublished(db, caller, bid.group_id).await? {
            return Err(ServiceError::not_found("photo"));
        }
    }
    Ok((p.content_type, p.data, public))
}

/// The bid's group posts an update, with up to four photos, to wait for an
/// officer's approval. The photos are checked and re-encoded before
/// anything is written: a bad one stores nothing.
pub async fn post_update(
    state: &AppState,
    actor: &Actor,
    delivery_id: DeliveryId,
    body: &str,
    photos: Vec<NewPhoto>,
) -> ServiceResult<Update> {
    let body = crate::domain::text::bounded(body, "the update", 1, 2000)
        .map_err(|m| ServiceError::invalid("body", m))?;
    if photos.len() > photo::MAX_PHOTOS {
        return Err(ServiceError::invalid(
            "photos",
            format!("an update can have at most {} photos", photo::MAX_PHOTOS),
        ));
    }
    let mut alts = Vec::new();
    let mut files = Vec::new();
    for (i, p) in photos.into_iter().enumerate() {
        let alt = crate::domain::text::bounded(
            &p.alt_text,
            &format!("what photo {} shows (its alt text)", i + 1),
            3,
            300,
        )
        .map_err(|m| ServiceError::invalid("photos", m))?;
        alts.push(alt);
        files.push(p.bytes);
    }
    // Decoding and encoding take CPU time: off the async threads.
    let processed = tokio::task::spawn_blocking(move || {
        files
            .iter()
            .enumerate()
            .map(|(i, f)| photo::process(f).map_err(|m| format!("photo {}: {m}", i + 1)))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("processing photos: {e}")))?
    .map_err(|m| ServiceError::invalid("photos", m))?;

    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let d = load(&txn, delivery_id).await?;
    let round = rounds::lock_exclusive(&txn, d.round_id.into()).await?;
    require_published(&round)?;
    let bid = bid_of(&txn, d.bid_id).await?;
    groups::require_member_locked(&txn, actor, bid.group_id.into()).await?;
    if d.status == "cancelled" {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "this bid's delivery is cancelled: there is nothing to update",
        ));
    }
    let u = delivery_updates::ActiveModel {
        delivery_id: Set(d.id),
        account_id: Set(Some(actor.account_id.get())),
        body: Set(body),
        state: Set("pending".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("saving an update")?;
    for (i, (p, alt)) in processed.into_iter().zip(alts).enumerate() {
        delivery_photos::ActiveModel {
            update_id: Set(u.id),
            position: Set(i as i32),
            alt_text: Set(alt),
            content_type: Set(p.content_type.into()),
            data: Set(p.data),
            width: Set(p.width as i32),
            height: Set(p.height as i32),
            sha256: Set(p.sha256),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .context("saving a photo")?;
    }
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "delivery_update_posted",
        "delivery",
        d.id,
        json!({ "update": u.id, "bid": d.bid_id }),
    )
    .await
    .context("auditing an update")?;
    txn.commit().await.context("saving an update")?;
    let map = HashMap::from([(d.id, (BidId::from(d.bid_id), RoundId::from(d.round_id)))]);
    Ok(updates_of(&state.db, vec![u], &map).await?.remove(0))
}

fn require_officer(actor: &Actor, to_do: &str) -> ServiceResult<()> {
    actor.require(Role::Officer, to_do)
}

/// An officer approves an update (it becomes public, goes in the round's
/// log, and the group is emailed) or refuses it with a reason.
pub async fn decide_update(
    state: &AppState,
    actor: &Actor,
    update_id: UpdateId,
    approve: bool,
    reason: Option<&str>,
) -> ServiceResult<Update> {
    require_officer(actor, "approve delivery updates")?;
    let reason = match (approve, reason.map(str::trim).filter(|r| !r.is_empty())) {
        (false, None) => {
            return Err(ServiceError::invalid(
                "reason",
                "say why the update is not approved, for the group",
            ))
        }
        (_, Some(r)) => Some(
            crate::domain::text::bounded(r, "the reason", 3, 1000)
                .map_err(|m| ServiceError::invalid("reason", m))?,
        ),
        (true, None) => None,
    };
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let u = delivery_updates::Entity::find_by_id(update_id.get())
        .one(&txn)
        .await
        .context("loading an update")?
        .ok_or_else(|| ServiceError::not_found("update"))?;
    let d = load(&txn, u.delivery_id.into()).await?;
    let round = rounds::lock_exclusive(&txn, d.round_id.into()).await?;
    require_published(&round)?;
    let decided = delivery_updates::Entity::update_many()
        .col_expr(
            delivery_updates::Column::State,
            Expr::value(if approve { "approved" } else { "rejected" }),
        )
        .col_expr(
            delivery_updates::Column::Reason,
            Expr::value(reason.clone()),
        )
        .col_expr(delivery_updates::Column::DecidedAt, Expr::value(now))
        .col_expr(
            delivery_updates::Column::DecidedBy,
            Expr::value(actor.account_id.get()),
        )
        .filter(delivery_updates::Column::Id.eq(u.id))
        .filter(delivery_updates::Column::State.eq("pending"))
        .exec(&txn)
        .await
        .context("deciding an update")?;
    if decided.rows_affected != 1 {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "this update has already been decided",
        ));
    }
    let map = HashMap::from([(d.id, (BidId::from(d.bid_id), RoundId::from(d.round_id)))]);
    let fresh = delivery_updates::Entity::find_by_id(u.id)
        .one(&txn)
        .await
        .context("loading an update")?
        .ok_or_else(|| ServiceError::not_found("update"))?;
    let update = updates_of(&txn, vec![fresh], &map).await?.remove(0);
    if approve {
        round_log::append(
            &txn,
            d.round_id.into(),
            "delivery_update",
            json!({
                "bid": d.bid_id,
                "update": u.id,
                "text_sha256": tally::canonical::sha256_hex(update.body.as_bytes()),
                "photos_sha256": update.photos.iter().map(|p| p.sha256.clone()).collect::<Vec<_>>(),
            }),
            now,
        )
        .await?;
    }
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        if approve {
            "delivery_update_approved"
        } else {
            "delivery_update_refused"
        },
        "delivery",
        d.id,
        json!({ "update": u.id, "reason": reason }),
    )
    .await
    .context("auditing a decision")?;
    txn.commit().await.context("deciding an update")?;
    if approve {
        if let Err(e) = tell_group(state, &round, d.bid_id).await {
            tracing::warn!(error = %e, "emailing a group that its update is public");
        }
    }
    Ok(update)
}

/// Emails the bid's group that its update is public.
async fn tell_group(state: &AppState, round: &rounds::Round, bid_id: i64) -> ServiceResult<()> {
    let bid = bid_of(&state.db, bid_id).await?;
    let group = groups::get(&state.db, bid.group_id.into()).await?;
    let Ok(to) = crate::domain::EmailAddress::parse(&group.contact_email) else {
        return Ok(());
    };
    let language = super::accounts::language_for_address(&state.db, &state.secret, &to).await?;
    let link = format!("{}/bids/{}", state.settings.public_url, bid.id);
    let title = language
        .pick(&bid.title, bid.title_cy.as_deref())
        .to_owned();
    state
        .mailer
        .send(
            &to,
            crate::channels::templates::DELIVERY_UPDATE_APPROVED.render(
                language,
                &state.settings.phone,
                &[
                    ("title", &title),
                    ("round", round.title_in(language)),
                    ("link", &link),
                ],
            ),
        )
        .await?;
    Ok(())
}

/// A change an officer makes to a record: its status (with a reason when
/// delayed or cancelled), the money spent so far (past the award only with
/// a reason), or its milestones (all of them, replacing the old).
pub enum Change {
    Status {
        status: Status,
        reason: Option<String>,
    },
    Spent {
        pence: i64,
        reason: Option<String>,
    },
    Milestones(Vec<Milestone>),
}

/// At most this many milestones a delivery.
pub const MAX_MILESTONES: usize = 12;

/// An officer changes a delivery record; the change is audited and goes
/// in the round's log.
pub async fn change(
    state: &AppState,
    actor: &Actor,
    id: DeliveryId,
    change: Change,
) -> ServiceResult<Delivery> {
    require_officer(actor, "change a delivery's status, spending or milestones")?;
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let d = load(&txn, id).await?;
    let round = rounds::lock_exclusive(&txn, d.round_id.into()).await?;
    require_published(&round)?;
    let mut row = deliveries::ActiveModel {
        id: Set(d.id),
        updated_at: Set(now),
        ..Default::default()
    };
    let (kind, details) = match change {
        Change::Status { status, reason } => {
            let reason = reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty());
            let reason = match (status.needs_reason(), reason) {
                (true, None) => {
                    return Err(ServiceError::invalid(
                        "reason",
                        format!(
                            "say why the delivery is {}",
                            if status == Status::Delayed {
                                "delayed"
                            } else {
                                "cancelled"
                            }
                        ),
                    ))
                }
                (_, Some(r)) => Some(
                    crate::domain::text::bounded(&r, "the reason", 3, 1000)
                        .map_err(|m| ServiceError::invalid("reason", m))?,
                ),
                (false, None) => None,
            };
            row.status = Set(status.as_str().into());
            row.status_reason = Set(reason.clone());
            (
                "delivery_status",
                json!({ "bid": d.bid_id, "status": status.as_str(), "reason": reason }),
            )
        }
        Change::Spent { pence, reason } => {
            if pence < 0 {
                return Err(ServiceError::invalid(
                    "spentPence",
                    "the money spent cannot be less than nothing",
                ));
            }
            let reason = reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty());
            let reason = if pence > d.award_pence {
                Some(
                    crate::domain::text::bounded(
                        reason.as_deref().unwrap_or(""),
                        "why more than the award was spent",
                        10,
                        1000,
                    )
                    .map_err(|m| {
                        ServiceError::invalid(
                            "reason",
                            format!(
                                "{m}: the spending is more than the £{} awarded",
                                crate::domain::Pence::parse(d.award_pence)
                                    .unwrap_or(crate::domain::Pence::ZERO)
                            ),
                        )
                    })?,
                )
            } else {
                reason
            };
            row.spent_pence = Set(pence);
            row.overspend_reason = Set(reason.clone());
            (
                "delivery_spent",
                json!({ "bid": d.bid_id, "spent_pence": pence, "reason": reason }),
            )
        }
        Change::Milestones(list) => {
            if list.len() > MAX_MILESTONES {
                return Err(ServiceError::invalid(
                    "milestones",
                    format!("a delivery can have at most {MAX_MILESTONES} milestones"),
                ));
            }
            let mut clean = Vec::new();
            for (i, m) in list.into_iter().enumerate() {
                let title = crate::domain::text::bounded(
                    &m.title,
                    &format!("what milestone {} is", i + 1),
                    3,
                    200,
                )
                .map_err(|e| ServiceError::invalid("milestones", e))?;
                clean.push(Milestone { title, ..m });
            }
            delivery_milestones::Entity::delete_many()
                .filter(delivery_milestones::Column::DeliveryId.eq(d.id))
                .exec(&txn)
                .await
                .context("replacing milestones")?;
            for (i, m) in clean.iter().enumerate() {
                delivery_milestones::ActiveModel {
                    delivery_id: Set(d.id),
                    title: Set(m.title.clone()),
                    target_date: Set(m.target.format("%Y-%m-%d").to_string()),
                    done_date: Set(m.done.map(|x| x.format("%Y-%m-%d").to_string())),
                    position: Set(i as i32),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .context("saving a milestone")?;
            }
            (
                "delivery_milestones",
                json!({
                    "bid": d.bid_id,
                    "milestones": clean.iter().map(|m| json!({
                        "title": m.title,
                        "target": m.target.format("%Y-%m-%d").to_string(),
                        "done": m.done.map(|x| x.format("%Y-%m-%d").to_string()),
                    })).collect::<Vec<_>>(),
                }),
            )
        }
    };
    row.update(&txn).await.context("changing a delivery")?;
    round_log::append(&txn, d.round_id.into(), kind, details.clone(), now).await?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        kind,
        "delivery",
        d.id,
        details,
    )
    .await
    .context("auditing a delivery change")?;
    txn.commit().await.context("changing a delivery")?;
    for_bid(&state.db, d.bid_id.into())
        .await?
        .ok_or_else(|| ServiceError::not_found("delivery"))
}

/// What a round's funded bids add up to: money promised and spent, and how
/// many were delivered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub funded: u32,
    pub delivered: u32,
    pub cancelled: u32,
    pub promised_pence: i64,
    pub spent_pence: i64,
}

pub fn totals(deliveries: &[Delivery]) -> Totals {
    let mut t = Totals::default();
    for d in deliveries {
        t.funded += 1;
        t.spent_pence += d.spent_pence;
        match d.status {
            Status::Delivered => t.delivered += 1,
            Status::Cancelled => {
                t.cancelled += 1;
                continue;
            }
            _ => {}
        }
        t.promised_pence += d.award_pence;
    }
    t
}
