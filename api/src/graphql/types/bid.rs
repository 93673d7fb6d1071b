use super::{area::Area, group::Group, round::Round, scalars::Pence};
use crate::graphql::{caller, state, Gql};
use crate::service::{bid_drafts, bids};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "bids::BidStatus")]
pub enum BidStatus {
    /// Saved by the group but not yet sent; seen only by its members.
    Draft,
    Submitted,
    Eligible,
    Ineligible,
    ChangesRequested,
    Withdrawn,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "bids::ReviewDecision")]
pub enum ReviewDecision {
    Eligible,
    Ineligible,
    ChangesRequested,
}

/// One officer's decision on a bid.
pub struct BidReview(pub bids::Review);

#[Object]
impl BidReview {
    /// The status the decision gave the bid.
    async fn decision(&self) -> BidStatus {
        self.0.decision.into()
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    async fn reviewed_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.reviewed_at
    }
}

/// Where a project would happen.
#[derive(SimpleObject, InputObject, Clone, Default)]
#[graphql(input_name = "LocationInput")]
pub struct Location {
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl From<bids::Location> for Location {
    fn from(l: bids::Location) -> Self {
        Location {
            address: l.address,
            latitude: l.point.map(|p| p.lat_e6 as f64 / 1e6),
            longitude: l.point.map(|p| p.lng_e6 as f64 / 1e6),
        }
    }
}

impl Location {
    pub fn into_domain(self) -> Result<bids::Location, String> {
        let point = match (self.latitude, self.longitude) {
            (None, None) => None,
            (Some(lat), Some(lng))
                if lat.is_finite()
                    && lng.is_finite()
                    && lat.abs() <= 90.0
                    && lng.abs() <= 180.0 =>
            {
                Some(bids::MapPoint {
                    lat_e6: (lat * 1e6).round() as i64,
                    lng_e6: (lng * 1e6).round() as i64,
                })
            }
            (Some(_), Some(_)) => return Err("the map point is not a real place".into()),
            _ => return Err("give both latitude and longitude, or neither".into()),
        };
        Ok(bids::Location {
            address: self.address,
            point,
            area: None,
        })
    }
}

/// The area a bid's `localityId` names.
fn locality(id: Option<ID>) -> Result<Option<crate::domain::AreaId>, String> {
    id.map(|i| {
        i.trim()
            .parse::<i64>()
            .map(crate::domain::AreaId::from)
            .map_err(|_| format!("`{}` is not an area id", i.as_str()))
    })
    .transpose()
}

pub struct Bid(pub bids::Bid);

/// A costed project that a community group proposes for an area's pot.
#[Object]
impl Bid {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The title in Welsh, or null where the group gave none (then Welsh
    /// pages and calls use `title`, marked as English).
    async fn title_cy(&self) -> Option<&str> {
        self.0.welsh.title.as_deref()
    }
    /// The summary in Welsh, or null.
    async fn summary_cy(&self) -> Option<&str> {
        self.0.welsh.summary.as_deref()
    }
    /// The description in Welsh, or null.
    async fn description_cy(&self) -> Option<&str> {
        self.0.welsh.description.as_deref()
    }
    /// Zero in a draft whose cost is not given yet.
    async fn cost_pence(&self) -> Pence {
        Pence(self.0.cost.get())
    }
    /// The cost as people read it, like £4,500.00.
    async fn cost_display(&self) -> String {
        self.0.cost.to_string()
    }
    /// Empty in a draft whose category is not chosen yet.
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn location(&self) -> Location {
        self.0.location.clone().into()
    }
    async fn status(&self) -> BidStatus {
        self.0.status.into()
    }
    /// What happened after the vote, if the bid was funded and the result
    /// is published.
    async fn delivery(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::delivery::Delivery>> {
        let db = &state(ctx).db;
        let Some(d) = crate::service::delivery::for_bid(db, self.0.id)
            .await
            .gql()?
        else {
            return Ok(None);
        };
        let round = crate::graphql::loaders::round(ctx, d.round_id.get()).await?;
        Ok(
            (round.phase == crate::domain::Phase::Published)
                .then_some(super::delivery::Delivery(d)),
        )
    }
    /// Why an officer found the bid ineligible or asked for changes, for
    /// the bid as it stands (cleared when the bid goes back for review).
    /// Seen by officers and by the group's own members.
    async fn review_reason(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if bids::may_see_review(&state(ctx).db, caller(ctx), &self.0)
            .await
            .gql()?
        {
            Ok(self.0.review_reason.clone())
        } else {
            Ok(None)
        }
    }
    /// Every review decision, oldest first, with its reason. Seen by
    /// officers and by the group's own members; empty for others.
    async fn review_history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<BidReview>> {
        let db = &state(ctx).db;
        if !bids::may_see_review(db, caller(ctx), &self.0).await.gql()? {
            return Ok(Vec::new());
        }
        Ok(bids::history(db, self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(BidReview)
            .collect())
    }
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Area> {
        Ok(Area(
            crate::graphql::loaders::area(ctx, self.0.area_id.get()).await?,
        ))
    }
    /// The part of its pot's area the bid is for (a ward of a borough-wide
    /// pot); null: the pot's whole area.
    async fn locality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Area>> {
        match self.0.location.area {
            Some(a) => Ok(Some(Area(
                crate::graphql::loaders::area(ctx, a.get()).await?,
            ))),
            None => Ok(None),
        }
    }
    async fn group(&self, ctx: &Context<'_>) -> async_graphql::Result<Group> {
        Ok(Group(
            crate::graphql::loaders::group(ctx, self.0.group_id.get()).await?,
        ))
    }
    async fn round(&self, ctx: &Context<'_>) -> async_graphql::Result<Round> {
        Ok(Round(
            crate::graphql::loaders::round(ctx, self.0.round_id.get()).await?,
        ))
    }
}

#[derive(InputObject)]
pub struct BidDetailsInput {
    pub title: String,
    /// One or two sentences, shown on the ballot.
    pub summary: String,
    pub description: String,
    /// The title, summary and description in Welsh, each optional.
    pub title_cy: Option<String>,
    pub summary_cy: Option<String>,
    pub description_cy: Option<String>,
    pub cost_pence: Pence,
    pub category: String,
    #[graphql(default)]
    pub location: Location,
    /// The part of the pot's area the bid is for (a ward of a borough-wide
    /// pot), which council rules on areas count it in; none: all of it.
    pub locality_id: Option<ID>,
}

impl BidDetailsInput {
    pub fn into_domain(self) -> Result<bids::BidDetails, String> {
        let mut location = self.location.into_domain()?;
        location.area = locality(self.locality_id)?;
        Ok(bids::BidDetails {
            title: self.title,
            summary: self.summary,
            description: self.description,
            welsh: bids::BidWelsh {
                title: self.title_cy,
                summary: self.summary_cy,
                description: self.description_cy,
            },
            cost_pence: self.cost_pence.0,
            category: self.category,
            location,
        })
    }
}

#[derive(InputObject)]
pub struct SubmitBidInput {
    pub round_id: ID,
    pub group_id: ID,
    /// The area whose pot the bid is for.
    pub area_id: ID,
    pub details: BidDetailsInput,
}

/// What a draft holds so far: a title, and whatever else is written.
/// Missing or empty fields are fine until the draft is submitted.
#[derive(InputObject)]
pub struct BidDraftInput {
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// As for a bid: the Welsh, each optional.
    pub title_cy: Option<String>,
    pub summary_cy: Option<String>,
    pub description_cy: Option<String>,
    pub cost_pence: Option<Pence>,
    pub category: Option<String>,
    #[graphql(default)]
    pub location: Location,
    /// As for a bid: the part of the pot's area it is for.
    pub locality_id: Option<ID>,
}

impl BidDraftInput {
    pub fn into_domain(self) -> Result<bid_drafts::DraftDetails, String> {
        let mut location = self.location.into_domain()?;
        location.area = locality(self.locality_id)?;
        Ok(bid_drafts::DraftDetails {
            title: self.title,
            summary: self.summary,
            description: self.description,
            welsh: bids::BidWelsh {
                title: self.title_cy,
                summary: self.summary_cy,
                description: self.description_cy,
            },
            cost_pence: self.cost_pence.map(|p| p.0),
            category: self.category,
            location,
        })
    }
}

#[derive(InputObject)]
pub struct SaveBidDraftInput {
    pub round_id: ID,
    pub group_id: ID,
    /// The area whose pot the bid is for.
    pub area_id: ID,
    pub details: BidDraftInput,
}
