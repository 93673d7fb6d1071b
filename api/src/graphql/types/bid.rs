use super::{area::Area, group::Group, round::Round, scalars::Pence};
use crate::graphql::{caller, state, Gql};
use crate::service::{bids, groups, rounds};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum BidStatus {
    Submitted,
    Eligible,
    Ineligible,
    ChangesRequested,
    Withdrawn,
}

impl From<bids::BidStatus> for BidStatus {
    fn from(s: bids::BidStatus) -> Self {
        match s {
            bids::BidStatus::Submitted => BidStatus::Submitted,
            bids::BidStatus::Eligible => BidStatus::Eligible,
            bids::BidStatus::Ineligible => BidStatus::Ineligible,
            bids::BidStatus::ChangesRequested => BidStatus::ChangesRequested,
            bids::BidStatus::Withdrawn => BidStatus::Withdrawn,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    Eligible,
    Ineligible,
    ChangesRequested,
}

impl From<ReviewDecision> for bids::ReviewDecision {
    fn from(d: ReviewDecision) -> Self {
        match d {
            ReviewDecision::Eligible => bids::ReviewDecision::Eligible,
            ReviewDecision::Ineligible => bids::ReviewDecision::Ineligible,
            ReviewDecision::ChangesRequested => bids::ReviewDecision::ChangesRequested,
        }
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
        })
    }
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
    async fn cost_pence(&self) -> Pence {
        Pence(self.0.cost.get())
    }
    /// The cost as people read it, like £4,500.00.
    async fn cost_display(&self) -> String {
        self.0.cost.to_string()
    }
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn location(&self) -> Location {
        self.0.location.clone().into()
    }
    async fn status(&self) -> BidStatus {
        self.0.status.into()
    }
    /// Why an officer found the bid ineligible or asked for changes. Seen by
    /// officers and by the group's own members.
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
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Area> {
        Ok(Area(
            crate::graphql::loaders::area(ctx, self.0.area_id).await?,
        ))
    }
    async fn group(&self, ctx: &Context<'_>) -> async_graphql::Result<Group> {
        Ok(Group(
            groups::get(&state(ctx).db, self.0.group_id).await.gql()?,
        ))
    }
    async fn round(&self, ctx: &Context<'_>) -> async_graphql::Result<Round> {
        Ok(Round(
            rounds::get(&state(ctx).db, caller(ctx), self.0.round_id)
                .await
                .gql()?,
        ))
    }
}

#[derive(InputObject)]
pub struct BidDetailsInput {
    pub title: String,
    /// One or two sentences, shown on the ballot.
    pub summary: String,
    pub description: String,
    pub cost_pence: Pence,
    pub category: String,
    #[graphql(default)]
    pub location: Location,
}

impl BidDetailsInput {
    pub fn into_domain(self) -> Result<bids::BidDetails, String> {
        Ok(bids::BidDetails {
            title: self.title,
            summary: self.summary,
            description: self.description,
            cost_pence: self.cost_pence.0,
            category: self.category,
            location: self.location.into_domain()?,
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
