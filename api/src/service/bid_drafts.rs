//! Bid drafts: a group saves a bid before it is finished, comes back to it,
//! and sends it when it is complete. A draft is a bid with the status
//! `draft`: only the group's members see it, it is never on a round's list
//! or a ballot, and it does not hold up voting. It can be saved, changed and
//! sent only while bids are open; after that it stays a draft that the
//! group may delete.
use super::bids::{
    changed_fields, check_locality, cost_check, lock_bid, lock_open_pot, parse_details,
    parse_status, phase_closed, require_member, Bid, BidDetails, BidStatus, BidWelsh, Location,
    MapPoint, Parsed, CATEGORIES,
};
use super::{audit, rounds, Actor};
use crate::db::begin_write;
use crate::domain::id::{AreaId, BidId, GroupId, RoundId};
use crate::domain::{text::bounded, Pence, Phase};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::bids;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DatabaseTransaction, ModelTrait, Set};

/// What a draft holds: a title, so that the group can tell its drafts
/// apart, and whatever else it has written so far.
#[derive(Clone, Debug, Default)]
pub struct DraftDetails {
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub welsh: BidWelsh,
    pub cost_pence: Option<i64>,
    pub category: Option<String>,
    pub location: Location,
}

pub struct NewDraft {
    pub round_id: RoundId,
    pub group_id: GroupId,
    pub area_id: AreaId,
    pub details: DraftDetails,
}

/// A text that may be left empty in a draft, but not be too long.
fn optional_text(
    value: &Option<String>,
    field: &'static str,
    what: &str,
    max: usize,
) -> ServiceResult<String> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(String::new()),
        Some(v) => bounded(v, what, 1, max).map_err(|m| ServiceError::invalid(field, m)),
    }
}

/// Checks what a draft has so far. Only the title is required; what is
/// given must still make sense. Whether the draft is complete is checked
/// when it is sent.
fn parse_draft(d: &DraftDetails) -> ServiceResult<Parsed> {
    let title =
        bounded(&d.title, "a title", 3, 150).map_err(|m| ServiceError::invalid("title", m))?;
    let summary = optional_text(&d.summary, "summary", "a summary", 500)?;
    let description = optional_text(&d.description, "description", "a full description", 20_000)?;
    let cost = match d.cost_pence {
        None => Pence::ZERO,
        Some(c) => Pence::parse(c).map_err(|m| ServiceError::invalid("costPence", m))?,
    };
    let category = d
        .category
        .as_deref()
        .map(|c| c.trim().to_lowercase())
        .unwrap_or_default();
    if !category.is_empty() && !CATEGORIES.contains(&category.as_str()) {
        return Err(ServiceError::invalid(
            "category",
            format!("choose a category: {}", CATEGORIES.join(", ")),
        ));
    }
    // The location is checked as for a bid that is sent.
    let located = parse_details(&BidDetails {
        title: title.clone(),
        summary: "a summary long enough".into(),
        description: "a description that is long enough".into(),
        welsh: d.welsh.clone(),
        cost_pence: 1,
        category: "other".into(),
        location: d.location.clone(),
    })?;
    Ok(Parsed {
        title,
        summary,
        description,
        welsh: located.welsh,
        cost,
        category,
        location: located.location,
    })
}

fn bids_closed(round: &rounds::Round, doing: &str) -> ServiceError {
    phase_closed(&format!(
        "this round is {}: {doing} only while bids are open. You can still delete the draft",
        if round.phase == Phase::BidsOpen {
            "past its closing date"
        } else {
            round.phase.label()
        }
    ))
}

/// The draft's row, locked, once the actor is known to be one of its
/// group's members. A bid that is not a draft is refused.
async fn lock_draft(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: BidId,
    instead: &str,
) -> ServiceResult<bids::Model> {
    let bid = lock_bid(txn, id).await?;
    // A draft is hidden from everyone outside the group, as if it did
    // not exist.
    let status = parse_status(&bid)?;
    if status == BidStatus::Draft {
        require_member(txn, actor, bid.group_id.into())
            .await
            .map_err(|e| match e.code() {
                ErrorCode::NotAuthorised => ServiceError::not_found("bid"),
                _ => e,
            })?;
    } else {
        require_member(txn, actor, bid.group_id.into()).await?;
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            format!("this bid has already been sent, so it is not a draft: {instead}"),
        ));
    }
    Ok(bid)
}

/// Saves a new draft bid for a group, while the round's bids are open.
#[tracing::instrument(name = "save bid draft", skip_all, fields(round.id = new.round_id.get(), group.id = new.group_id.get()))]
pub async fn save(db: &DatabaseConnection, actor: &Actor, new: NewDraft) -> ServiceResult<Bid> {
    let mut parsed = parse_draft(&new.details)?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let (round, pot) = lock_open_pot(
        &txn,
        actor,
        (new.round_id, new.group_id, new.area_id),
        now,
        "drafts can be saved only while bids are open",
    )
    .await?;
    check_locality(&txn, &mut parsed.location, pot.area_id).await?;
    let bid = super::bids::insert(
        &txn,
        actor,
        (round.id, pot.id, new.group_id),
        parsed,
        BidStatus::Draft,
        now,
    )
    .await?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "bid_draft_saved",
        "bid",
        bid.id,
        serde_json::json!({ "title": bid.title }),
    )
    .await
    .context("auditing a draft")?;
    txn.commit().await.context("committing a draft")?;
    super::bids::get(db, bid.id.into()).await
}

/// Changes a draft, while the round's bids are open. The audit trail
/// records every field that changed.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: BidId,
    details: DraftDetails,
) -> ServiceResult<Bid> {
    let mut parsed = parse_draft(&details)?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let bid = lock_draft(&txn, actor, id, "change it with updateBid").await?;
    let round = rounds::lock_shared(&txn, bid.round_id.into()).await?;
    if !round.is_in(Phase::BidsOpen, now) {
        return Err(bids_closed(&round, "drafts can be changed"));
    }
    let pot_area = round
        .pots
        .iter()
        .find(|p| p.id == bid.pot_id.into())
        .map(|p| p.area_id)
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("draft {id} has no pot")))?;
    check_locality(&txn, &mut parsed.location, pot_area).await?;
    let changes = changed_fields(&bid, &parsed);
    if changes.is_empty() {
        txn.commit().await.context("ending a transaction")?;
        return super::bids::get(db, id).await;
    }
    bids::ActiveModel {
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
    }
    .update(&txn)
    .await
    .context("updating a draft")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "bid_draft_updated",
        "bid",
        id,
        serde_json::json!({ "changes": changes }),
    )
    .await
    .context("auditing a draft")?;
    txn.commit().await.context("committing a draft")?;
    super::bids::get(db, id).await
}

/// What a draft still lacks before it can be sent, as the words of a
/// sentence, with the field of the first.
fn missing(bid: &bids::Model) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if bid.summary.trim().is_empty() {
        out.push(("summary", "a summary"));
    }
    if bid.description.trim().is_empty() {
        out.push(("description", "a full description"));
    }
    if bid.cost_pence <= 0 {
        out.push(("costPence", "the cost"));
    }
    if bid.category.trim().is_empty() {
        out.push(("category", "a category"));
    }
    out
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Sends a complete draft: it becomes a submitted bid, with every check a
/// bid sent at once has (bids open, membership, the details, the cost
/// within the area's pot), all inside the write's transaction.
#[tracing::instrument(name = "submit bid draft", skip_all, fields(bid.id = id.get()))]
pub async fn submit(db: &DatabaseConnection, actor: &Actor, id: BidId) -> ServiceResult<Bid> {
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let bid = lock_draft(&txn, actor, id, "it needs no submitting").await?;
    let round = rounds::lock_shared(&txn, bid.round_id.into()).await?;
    if !round.is_in(Phase::BidsOpen, now) {
        return Err(bids_closed(&round, "drafts can be submitted"));
    }
    let lacking = missing(&bid);
    if let Some((field, _)) = lacking.first() {
        let words: Vec<&str> = lacking.iter().map(|(_, w)| *w).collect();
        return Err(ServiceError::invalid(
            field,
            format!(
                "this draft is not finished: add {} before you submit it",
                and_list(&words)
            ),
        ));
    }
    let parsed = parse_details(&BidDetails {
        title: bid.title.clone(),
        summary: bid.summary.clone(),
        description: bid.description.clone(),
        welsh: BidWelsh::of(&bid),
        cost_pence: bid.cost_pence,
        category: bid.category.clone(),
        location: Location {
            address: bid.location_address.clone(),
            point: bid
                .location_lat_e6
                .zip(bid.location_lng_e6)
                .map(|(lat_e6, lng_e6)| MapPoint { lat_e6, lng_e6 }),
            area: bid.locality_area_id.map(AreaId::from),
        },
    })?;
    let pot = round
        .pots
        .iter()
        .find(|p| p.id == bid.pot_id.into())
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("bid {id} has no pot")))?;
    cost_check(parsed.cost, pot.amount)?;
    bids::ActiveModel {
        id: Set(id.get()),
        status: Set(BidStatus::Submitted.as_str().into()),
        submitted_by: Set(actor.account_id.get()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("submitting a draft")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "bid_submitted",
        "bid",
        id,
        serde_json::json!({
            "cost_pence": bid.cost_pence,
            "title": bid.title,
            "status": { "from": BidStatus::Draft.as_str(), "to": BidStatus::Submitted.as_str() },
        }),
    )
    .await
    .context("auditing a bid")?;
    txn.commit().await.context("committing a bid")?;
    super::bids::get(db, id).await
}

/// Deletes a draft, at any time: it was never sent, so nothing else refers
/// to it. The audit trail keeps its title.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: BidId) -> ServiceResult<()> {
    let txn = begin_write(db).await.context("starting a transaction")?;
    let bid = lock_draft(&txn, actor, id, "withdraw it instead").await?;
    let title = bid.title.clone();
    bid.delete(&txn).await.context("deleting a draft")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "bid_draft_deleted",
        "bid",
        id,
        serde_json::json!({ "title": title }),
    )
    .await
    .context("auditing a draft")?;
    txn.commit().await.context("committing a draft")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parts_are_named_in_a_sentence() {
        assert_eq!(and_list(&["a summary"]), "a summary");
        assert_eq!(
            and_list(&["a summary", "the cost", "a category"]),
            "a summary, the cost and a category"
        );
    }

    #[test]
    fn a_draft_needs_only_a_title() {
        let d = DraftDetails {
            title: "Benches".into(),
            ..Default::default()
        };
        let p = parse_draft(&d).expect("a title alone is a draft");
        assert_eq!(p.cost, Pence::ZERO);
        assert!(p.summary.is_empty() && p.category.is_empty());
        let no_title = DraftDetails::default();
        assert!(parse_draft(&no_title).is_err());
        let bad_category = DraftDetails {
            title: "Benches".into(),
            category: Some("nonsense".into()),
            ..Default::default()
        };
        assert!(parse_draft(&bad_category).is_err());
    }
}
