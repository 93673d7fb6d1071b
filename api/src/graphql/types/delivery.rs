//! After the vote: the delivery of funded bids (`service::delivery`).
use super::bid::Bid;
use super::scalars::Pence;
use crate::graphql::{caller, parse_id, signed_in, state, Gql};
use crate::service::{bids, delivery};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use base64::Engine;
use chrono::NaiveDate;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "delivery::Status")]
pub enum DeliveryStatus {
    Planned,
    InProgress,
    Delivered,
    /// Late: `statusReason` says why.
    Delayed,
    /// Will not go ahead: `statusReason` says why.
    Cancelled,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "delivery::UpdateState")]
pub enum DeliveryUpdateState {
    /// Waiting for an officer.
    Pending,
    /// Public.
    Approved,
    /// Not approved: `reason` says why, for the group.
    Rejected,
}

/// What a project will do by when, and when it did.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "MilestoneInput")]
pub struct Milestone {
    pub title: String,
    /// The date it should be done by.
    pub target_date: NaiveDate,
    /// The date it was done; empty until then.
    pub done_date: Option<NaiveDate>,
}

/// A funded bid's delivery: public once the round's result is published.
pub struct Delivery(pub delivery::Delivery);

#[Object]
impl Delivery {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn bid(&self, ctx: &Context<'_>) -> async_graphql::Result<Bid> {
        Ok(Bid(bids::get(&state(ctx).db, self.0.bid_id).await.gql()?))
    }
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    async fn status_reason(&self) -> Option<&str> {
        self.0.status_reason.as_deref()
    }
    /// The money the result funds.
    async fn award_pence(&self) -> Pence {
        Pence(self.0.award_pence)
    }
    /// The money spent so far, as the council records it.
    async fn spent_pence(&self) -> Pence {
        Pence(self.0.spent_pence)
    }
    /// The officer's reason for spending more than the award.
    async fn overspend_reason(&self) -> Option<&str> {
        self.0.overspend_reason.as_deref()
    }
    async fn milestones(&self) -> Vec<Milestone> {
        self.0
            .milestones
            .iter()
            .map(|m| Milestone {
                title: m.title.clone(),
                target_date: m.target,
                done_date: m.done,
            })
            .collect()
    }
    async fn updated_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.updated_at
    }
    /// Newest first: the public ones; waiting and refused ones too for
    /// officers, councillors and the bid's group.
    async fn updates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DeliveryUpdate>> {
        Ok(delivery::updates(&state(ctx).db, caller(ctx), &self.0)
            .await
            .gql()?
            .into_iter()
            .map(DeliveryUpdate)
            .collect())
    }
}

/// A photo of an update.
pub struct DeliveryPhoto(pub delivery::Photo);

#[Object]
impl DeliveryPhoto {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Where the photo is: `/delivery/photos/ID.jpg` on the API.
    async fn url(&self) -> String {
        let ext = if self.0.content_type == "image/png" {
            "png"
        } else {
            "jpg"
        };
        format!("/delivery/photos/{}.{ext}", self.0.id)
    }
    /// What it shows, for people who cannot see it.
    async fn alt_text(&self) -> &str {
        &self.0.alt_text
    }
    async fn width(&self) -> i32 {
        self.0.width
    }
    async fn height(&self) -> i32 {
        self.0.height
    }
    /// SHA-256 of its bytes, as the round's log records them.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
}

/// What a bid's group said about its delivery.
pub struct DeliveryUpdate(pub delivery::Update);

#[Object]
impl DeliveryUpdate {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn delivery_id(&self) -> ID {
        ID(self.0.delivery_id.to_string())
    }
    async fn bid(&self, ctx: &Context<'_>) -> async_graphql::Result<Bid> {
        Ok(Bid(bids::get(&state(ctx).db, self.0.bid_id).await.gql()?))
    }
    async fn round_id(&self) -> ID {
        ID(self.0.round_id.to_string())
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn state(&self) -> DeliveryUpdateState {
        self.0.state.into()
    }
    /// Why it was not approved.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    async fn created_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.created_at
    }
    /// When it was approved or refused.
    async fn decided_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.decided_at
    }
    async fn photos(&self) -> Vec<DeliveryPhoto> {
        self.0.photos.iter().cloned().map(DeliveryPhoto).collect()
    }
}

/// What a round's funded bids add up to.
#[derive(SimpleObject)]
pub struct DeliveryTotals {
    /// Funded bids, cancelled ones included.
    pub funded: i32,
    pub delivered: i32,
    pub cancelled: i32,
    /// Money awarded to the bids that are not cancelled.
    pub promised_pence: Pence,
    pub spent_pence: Pence,
}

/// A round's deliveries: every funded bid's, and what they add up to.
#[derive(SimpleObject)]
pub struct RoundDelivery {
    pub deliveries: Vec<Delivery>,
    pub totals: DeliveryTotals,
}

#[derive(Default)]
pub struct DeliveryQuery;

#[Object]
impl DeliveryQuery {
    /// What happened to the money of a published round: each funded bid's
    /// delivery (none before publication). `areaId` keeps one area's.
    async fn round_delivery(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        area_id: Option<ID>,
    ) -> async_graphql::Result<RoundDelivery> {
        let db = &state(ctx).db;
        let round_id = parse_id(&round_id, "round")?;
        let mut list = delivery::for_round(db, caller(ctx), round_id).await.gql()?;
        if let Some(area) = area_id {
            let area: crate::domain::id::AreaId = parse_id(&area, "area")?;
            let round = crate::service::rounds::get(db, caller(ctx), round_id)
                .await
                .gql()?;
            let pot = round.pot_for_area(area).map(|p| p.id);
            list.retain(|d| Some(d.pot_id) == pot);
        }
        let t = delivery::totals(&list);
        Ok(RoundDelivery {
            totals: DeliveryTotals {
                funded: t.funded as i32,
                delivered: t.delivered as i32,
                cancelled: t.cancelled as i32,
                promised_pence: Pence(t.promised_pence),
                spent_pence: Pence(t.spent_pence),
            },
            deliveries: list.into_iter().map(Delivery).collect(),
        })
    }

    /// A round's public updates, newest first (its feed).
    async fn delivery_updates(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        #[graphql(default = 20, validator(minimum = 1, maximum = 100))] first: u64,
    ) -> async_graphql::Result<Vec<DeliveryUpdate>> {
        Ok(
            delivery::public_updates(&state(ctx).db, parse_id(&round_id, "round")?, first)
                .await
                .gql()?
                .into_iter()
                .map(DeliveryUpdate)
                .collect(),
        )
    }

    /// Officers and councillors: updates waiting for approval, oldest
    /// first.
    async fn delivery_updates_waiting(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Vec<DeliveryUpdate>> {
        let actor = signed_in(ctx)?;
        Ok(
            delivery::waiting(&state(ctx).db, actor, parse_id(&round_id, "round")?)
                .await
                .gql()?
                .into_iter()
                .map(DeliveryUpdate)
                .collect(),
        )
    }
}

/// A photo to add to an update.
#[derive(InputObject)]
pub struct DeliveryPhotoInput {
    /// The file's bytes, base64: a JPEG, PNG or WebP of at most 5 MB.
    pub content_base64: String,
    /// What the photo shows, for people who cannot see it (3 to 300
    /// characters).
    pub alt_text: String,
}

#[derive(InputObject)]
pub struct PostDeliveryUpdateInput {
    pub delivery_id: ID,
    /// What happened, in 1 to 2,000 characters.
    pub body: String,
    /// At most 4.
    #[graphql(default)]
    pub photos: Vec<DeliveryPhotoInput>,
}

#[derive(Default)]
pub struct DeliveryMutation;

#[Object]
impl DeliveryMutation {
    /// The bid's group: posts an update, with up to 4 photos, to wait for
    /// an officer's approval. Photos are re-encoded (no EXIF, no
    /// location); a file that is not a JPEG, PNG or WebP image, or is over
    /// 5 MB, is refused and nothing is stored.
    async fn post_delivery_update(
        &self,
        ctx: &Context<'_>,
        input: PostDeliveryUpdateInput,
    ) -> async_graphql::Result<DeliveryUpdate> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&input.delivery_id, "delivery")?;
        let mut photos = Vec::new();
        for (i, p) in input.photos.into_iter().enumerate() {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(p.content_base64.trim())
                .map_err(|_| {
                    crate::graphql::to_gql(crate::error::ServiceError::invalid(
                        "photos",
                        format!(
                            "photo {}: the file did not arrive whole (not base64)",
                            i + 1
                        ),
                    ))
                })?;
            photos.push(delivery::NewPhoto {
                bytes,
                alt_text: p.alt_text,
            });
        }
        Ok(DeliveryUpdate(
            delivery::post_update(state(ctx), actor, id, &input.body, photos)
                .await
                .gql()?,
        ))
    }

    /// Officers: approves an update (it becomes public and goes in the
    /// round's log, and the group is emailed), or refuses it with a reason
    /// for the group.
    async fn decide_delivery_update(
        &self,
        ctx: &Context<'_>,
        update_id: ID,
        approve: bool,
        reason: Option<String>,
    ) -> async_graphql::Result<DeliveryUpdate> {
        let actor = signed_in(ctx)?;
        Ok(DeliveryUpdate(
            delivery::decide_update(
                state(ctx),
                actor,
                parse_id(&update_id, "update")?,
                approve,
                reason.as_deref(),
            )
            .await
            .gql()?,
        ))
    }

    /// Officers: a delivery's status; delayed and cancelled need a reason.
    async fn set_delivery_status(
        &self,
        ctx: &Context<'_>,
        delivery_id: ID,
        status: DeliveryStatus,
        reason: Option<String>,
    ) -> async_graphql::Result<Delivery> {
        let change = delivery::Change::Status {
            status: status.into(),
            reason,
        };
        self.change(ctx, &delivery_id, change).await
    }

    /// Officers: the money spent so far; more than the award needs a
    /// reason.
    async fn set_delivery_spending(
        &self,
        ctx: &Context<'_>,
        delivery_id: ID,
        spent_pence: Pence,
        reason: Option<String>,
    ) -> async_graphql::Result<Delivery> {
        let change = delivery::Change::Spent {
            pence: spent_pence.0,
            reason,
        };
        self.change(ctx, &delivery_id, change).await
    }

    /// Officers: a delivery's milestones, all of them (at most 12),
    /// replacing the old.
    async fn set_delivery_milestones(
        &self,
        ctx: &Context<'_>,
        delivery_id: ID,
        milestones: Vec<Milestone>,
    ) -> async_graphql::Result<Delivery> {
        let change = delivery::Change::Milestones(
            milestones
                .into_iter()
                .map(|m| delivery::Milestone {
                    title: m.title,
                    target: m.target_date,
                    done: m.done_date,
                })
                .collect(),
        );
        self.change(ctx, &delivery_id, change).await
    }
}

impl DeliveryMutation {
    async fn change(
        &self,
        ctx: &Context<'_>,
        id: &ID,
        change: delivery::Change,
    ) -> async_graphql::Result<Delivery> {
        let actor = signed_in(ctx)?;
        Ok(Delivery(
            delivery::change(state(ctx), actor, parse_id(id, "delivery")?, change)
                .await
                .gql()?,
        ))
    }
}
