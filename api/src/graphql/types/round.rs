use super::{
    account::Language,
    area::Area,
    bid::{Bid, BidStatus},
    constraints::CountConstraints,
    scalars::Pence,
    verification::Eligibility,
};
use crate::domain::{ballot, Phase as DomainPhase, Schedule as DomainSchedule};
use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::graphql::{caller, parse_id, state, Gql};
use crate::service::{bids, rounds};
use async_graphql::{connection::Connection, Context, Enum, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainPhase")]
pub enum Phase {
    Draft,
    BidsOpen,
    BidReview,
    Voting,
    Closed,
    Counted,
    Published,
    Cancelled,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "ballot::BallotKind")]
pub enum BallotKind {
    Approval,
    Knapsack,
    Ranked,
    Scoring,
    PointsAllocation,
    MoneyAllocation,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "ballot::TieBreak")]
pub enum TieBreak {
    /// Lowest cost, then most support, then a published seeded order.
    CostSupportSeed,
    /// By bid identifier.
    Lexicographic,
}

/// What a ballot looks like in this round.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "BallotSettingsInput")]
pub struct BallotSettings {
    pub kind: BallotKind,
    /// The fewest bids a voter must choose or rank.
    pub min_choices: Option<u32>,
    /// The most bids a voter may choose, or the longest ranking.
    pub max_choices: Option<u32>,
    /// Scoring ballots: the scale.
    pub score_min: Option<u32>,
    pub score_max: Option<u32>,
    /// Points allocation: points to spread, and the most on one bid.
    pub points_total: Option<u32>,
    pub points_max_per_bid: Option<u32>,
    /// Which ballot counts when one person votes both through an officer
    /// (paper or assisted) and by themselves. By default, the later one.
    #[graphql(default)]
    pub duplicate_policy: DuplicatePolicy,
}

/// Which ballot counts when one person votes both through an officer and
/// by themselves.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "crate::domain::vote::DuplicatePolicy")]
pub enum DuplicatePolicy {
    /// The later ballot replaces the earlier.
    #[default]
    LatestCounts,
    /// The ballot given through an officer stands.
    OfficerCounts,
    /// The ballot the voter cast themselves stands.
    SelfCounts,
}

impl From<ballot::BallotSettings> for BallotSettings {
    fn from(b: ballot::BallotSettings) -> Self {
        BallotSettings {
            kind: b.kind.into(),
            min_choices: b.min_choices,
            max_choices: b.max_choices,
            score_min: b.score_min,
            score_max: b.score_max,
            points_total: b.points_total,
            points_max_per_bid: b.points_max_per_bid,
            duplicate_policy: b.duplicate_policy.into(),
        }
    }
}

impl From<BallotSettings> for ballot::BallotSettings {
    fn from(b: BallotSettings) -> Self {
        ballot::BallotSettings {
            kind: b.kind.into(),
            min_choices: b.min_choices,
            max_choices: b.max_choices,
            score_min: b.score_min,
            score_max: b.score_max,
            points_total: b.points_total,
            points_max_per_bid: b.points_max_per_bid,
            duplicate_policy: b.duplicate_policy.into(),
        }
    }
}

/// The published rule that counts the ballots.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "CountingRuleInput")]
pub struct CountingRule {
    /// greedy, greedy-no-skip, greedy-threshold, mes, mes-add1,
    /// mes-add1-no-early-stop, phragmen, borda, irv or stv-scottish.
    pub name: String,
    #[graphql(default_with = "TieBreak::CostSupportSeed")]
    pub tie_break: TieBreak,
    /// Seed of the published tie-break order (a string: it may exceed 2^53).
    pub seed: Option<String>,
    /// greedy-threshold: the least support a bid needs.
    pub min_support: Option<u32>,
    /// borda: points for first, second, … place.
    pub rank_points: Option<Vec<u32>>,
    /// irv and stv-scottish: how many bids to elect.
    pub seats: Option<u32>,
    /// Council rules the count applies in each pot (greedy, greedy-no-skip,
    /// the Equal Shares rules and phragmen only); null: none.
    pub constraints: Option<CountConstraints>,
}

impl From<ballot::CountingRule> for CountingRule {
    fn from(r: ballot::CountingRule) -> Self {
        CountingRule {
            name: r.name,
            tie_break: r.tie_break.into(),
            seed: r.seed.map(|s| s.to_string()),
            min_support: r.min_support.map(|m| m.min(u32::MAX as u64) as u32),
            rank_points: r.rank_points,
            seats: r.seats,
            constraints: r.constraints.map(Into::into),
        }
    }
}

impl CountingRule {
    pub fn into_domain(self) -> Result<ballot::CountingRule, String> {
        let seed = match self.seed {
            Some(s) => Some(
                s.trim()
                    .parse::<u64>()
                    .map_err(|_| "the seed must be a whole number".to_string())?,
            ),
            None => None,
        };
        Ok(ballot::CountingRule {
            name: self.name.trim().to_owned(),
            tie_break: self.tie_break.into(),
            seed,
            min_support: self.min_support.map(u64::from),
            rank_points: self.rank_points,
            seats: self.seats,
            constraints: self.constraints.map(|c| c.into_domain()).transpose()?,
        })
    }
}

/// When the round moves on by itself. A phase without a date waits for an
/// officer.
#[derive(SimpleObject, InputObject, Clone, Default)]
#[graphql(input_name = "ScheduleInput")]
pub struct Schedule {
    pub bids_open_at: Option<DateTime<Utc>>,
    pub bids_close_at: Option<DateTime<Utc>>,
    pub voting_opens_at: Option<DateTime<Utc>>,
    pub voting_closes_at: Option<DateTime<Utc>>,
}

impl From<DomainSchedule> for Schedule {
    fn from(s: DomainSchedule) -> Self {
        Schedule {
            bids_open_at: s.bids_open_at,
            bids_close_at: s.bids_close_at,
            voting_opens_at: s.voting_opens_at,
            voting_closes_at: s.voting_closes_at,
        }
    }
}

impl From<Schedule> for DomainSchedule {
    fn from(s: Schedule) -> Self {
        DomainSchedule {
            bids_open_at: s.bids_open_at,
            bids_close_at: s.bids_close_at,
            voting_opens_at: s.voting_opens_at,
            voting_closes_at: s.voting_closes_at,
        }
    }
}

pub struct Pot(pub rounds::Pot);

/// The money a round holds for one area.
#[Object]
impl Pot {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn amount_pence(&self) -> Pence {
        Pence(self.0.amount.get())
    }
    /// The amount as people read it, like £12,000.00.
    async fn amount_display(&self) -> String {
        self.0.amount.to_string()
    }
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Area> {
        Ok(Area(
            crate::graphql::loaders::area(ctx, self.0.area_id.get()).await?,
        ))
    }
}

pub struct Round(pub rounds::Round);

/// A neighbourhood funding round.
#[Object]
impl Round {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The title in Welsh, or null where the council gave none (then
    /// Welsh pages show `title`, marked as English).
    async fn title_cy(&self) -> Option<&str> {
        self.0.title_cy.as_deref()
    }
    /// The description in Welsh, or null.
    async fn description_cy(&self) -> Option<&str> {
        self.0.description_cy.as_deref()
    }
    async fn phase(&self) -> Phase {
        self.0.phase.into()
    }
    async fn phase_changed_at(&self) -> DateTime<Utc> {
        self.0.phase_changed_at
    }
    /// When voting closed, whether at its scheduled time or by an officer
    /// earlier (from the round's public log); null until it has closed.
    async fn voting_closed_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        if self.0.phase < DomainPhase::Closed || self.0.phase == DomainPhase::Cancelled {
            return Ok(None);
        }
        crate::service::round_log::voting_closed_at(&state(ctx).db, self.0.id)
            .await
            .gql()
    }
    /// Who took part, by area, age band, deprivation decile, channel and
    /// assurance, against the population: officers and councillors from
    /// the opening of voting, everyone once the result is published; null
    /// before. Never what anyone chose.
    async fn participation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::population::RoundParticipation>> {
        Ok(
            crate::service::representation::for_round(&state(ctx).db, caller(ctx), self.0.id)
                .await
                .gql()?
                .map(super::population::RoundParticipation),
        )
    }
    /// Officers and councillors, while voting is open: each area's age
    /// bands, those furthest below their share of the population first,
    /// with the reminders their people asked for that would go out now.
    /// Empty outside voting or without population figures.
    async fn outreach(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::population::OutreachGroup>> {
        let actor = crate::graphql::signed_in(ctx)?;
        Ok(
            crate::service::representation::outreach(&state(ctx).db, actor, self.0.id)
                .await
                .gql()?
                .into_iter()
                .map(super::population::OutreachGroup)
                .collect(),
        )
    }
    async fn schedule(&self) -> Schedule {
        self.0.schedule.into()
    }
    async fn ballot(&self) -> BallotSettings {
        self.0.ballot.clone().into()
    }
    async fn counting_rule(&self) -> CountingRule {
        self.0.rule.clone().into()
    }
    /// The round's council rules in plain words, for residents before they
    /// vote: English unless `language` says otherwise. Empty when there are
    /// none.
    async fn constraints_in_words(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Language::En")] language: Language,
    ) -> async_graphql::Result<Vec<String>> {
        rounds::rules_in_words(&state(ctx).db, &self.0, language.into())
            .await
            .gql()
    }
    /// Who may take part, and how they prove it. Frozen with the ballot
    /// settings once voting opens.
    async fn eligibility(&self) -> Eligibility {
        self.0.eligibility.clone().into()
    }
    /// Whether residents can be checked against the council's register:
    /// the round accepts it and a register with people on it was imported.
    /// Without one the check could only fail, so it is not offered.
    async fn register_available(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        if !self
            .0
            .eligibility
            .accepts(crate::domain::eligibility::Method::Register)
        {
            return Ok(false);
        }
        crate::service::verification::register_available(&state(ctx).db, self.0.id)
            .await
            .gql()
    }
    /// When the round's verification data was purged, if it has been.
    async fn verification_purged_at(&self) -> Option<DateTime<Utc>> {
        self.0.verification_purged_at
    }
    /// Officers: why the last count failed, if it did (the round then
    /// stays closed).
    async fn count_error(&self, ctx: &Context<'_>) -> Option<&str> {
        let staff =
            crate::graphql::caller(ctx).is_some_and(|a| a.has(crate::domain::Role::Officer));
        self.0.count_error.as_deref().filter(|_| staff)
    }
    /// The close checkpoint: the hash (hex SHA-256) of the round log's
    /// `sealed` entry, written when voting closed and before anything was
    /// counted. It pins each pot's ballots file and the receipt commitments:
    /// `tally verify BUNDLE --checkpoint HEX` refuses a bundle that differs.
    /// Null before voting closes.
    async fn close_checkpoint(&self) -> Option<&str> {
        self.0.close_checkpoint.as_deref()
    }
    /// The council's Ed25519 signature (hex) of the close checkpoint, over
    /// the lines "fairshare close checkpoint", "round ID" and the
    /// checkpoint; the public key is at /.well-known/fairshare-signing-key.
    async fn close_checkpoint_signature(&self) -> Option<&str> {
        self.0.close_signature.as_deref()
    }
    /// Whether the signed-in person asked to be emailed the close
    /// checkpoint (false when signed out).
    async fn observing(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let Some(actor) = crate::graphql::caller(ctx) else {
            return Ok(false);
        };
        crate::service::lifecycle::observing(crate::graphql::state(ctx), actor, self.0.id)
            .await
            .gql()
    }
    /// True once voting has opened: ballot settings and counting rule can no
    /// longer change.
    async fn settings_frozen(&self) -> bool {
        self.0.phase.settings_frozen()
    }
    async fn pots(&self) -> Vec<Pot> {
        self.0.pots.iter().cloned().map(Pot).collect()
    }
    /// The bids in this round. Until voting opens, every bid that is not
    /// withdrawn; from then on only the eligible bids, which are the
    /// ballot. Officers and councillors may filter by any status. Drafts
    /// are never listed: they are their group's until sent.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn bids(
        &self,
        ctx: &Context<'_>,
        area_id: Option<ID>,
        category: Option<String>,
        #[graphql(desc = "Words to find in the title or summary.")] search: Option<String>,
        status: Option<BidStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, Bid>> {
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let filter = bids::BidFilter {
            area_id: area_id.as_ref().map(|a| parse_id(a, "area")).transpose()?,
            category,
            search,
            status: status.map(Into::into),
        };
        let page = bids::of_round(&state(ctx).db, caller(ctx), &self.0, &filter, req)
            .await
            .gql()?;
        Ok(pagination::connection(page, req, Bid))
    }
}

#[derive(InputObject)]
pub struct PotInput {
    pub area_id: ID,
    pub amount_pence: Pence,
}

#[derive(InputObject)]
pub struct CreateRoundInput {
    pub title: String,
    #[graphql(default)]
    pub description: String,
    /// The title in Welsh, for Welsh pages, calls and letters (optional:
    /// without it they show the English, marked as English).
    pub title_cy: Option<String>,
    /// The description in Welsh (optional).
    pub description_cy: Option<String>,
    pub pots: Vec<PotInput>,
    #[graphql(default)]
    pub schedule: Schedule,
    pub ballot: BallotSettings,
    pub counting_rule: CountingRule,
    /// Who may take part. By default: people who live in the round's areas,
    /// any age, every method, a postcode alone not enough.
    pub eligibility: Option<Eligibility>,
}

#[derive(InputObject)]
pub struct UpdateRoundInput {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The Welsh title; an empty string takes it away.
    pub title_cy: Option<String>,
    /// The Welsh description; an empty string takes it away.
    pub description_cy: Option<String>,
    pub schedule: Option<Schedule>,
    /// Only while the round is a draft.
    pub pots: Option<Vec<PotInput>>,
    /// Refused with SETTINGS_FROZEN once voting has opened.
    pub eligibility: Option<Eligibility>,
}
