//! A round's result, its versions, receipt proofs and the round's log.
use super::{account::Language, area::Area, bid::Bid, scalars::Pence};
use crate::domain::{BidId, Role};
use crate::graphql::{caller, loaders};
use crate::service::results;
use async_graphql::{Context, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

/// A funded bid, what it gets and its support under the rule.
pub struct FundedBid {
    bid_id: BidId,
    cost: i64,
    support: String,
    votes: u64,
}

#[Object]
impl FundedBid {
    async fn bid(&self, ctx: &Context<'_>) -> async_graphql::Result<Bid> {
        Ok(Bid(loaders::bid(ctx, self.bid_id).await?))
    }
    /// What the bid gets: its cost.
    async fn amount_pence(&self) -> Pence {
        Pence(self.cost)
    }
    /// Its support as the rule counts it (votes, points or score).
    async fn support(&self) -> &str {
        &self.support
    }
    /// How many ballots chose it.
    async fn votes(&self) -> u64 {
        self.votes
    }
}

/// A bid on the ballot that was not funded: what it asked for and how
/// many ballots chose it.
pub struct UnfundedBid {
    bid_id: BidId,
    cost: i64,
    votes: u64,
}

#[Object]
impl UnfundedBid {
    async fn bid(&self, ctx: &Context<'_>) -> async_graphql::Result<Bid> {
        Ok(Bid(loaders::bid(ctx, self.bid_id).await?))
    }
    /// What the bid asked for.
    async fn cost_pence(&self) -> Pence {
        Pence(self.cost)
    }
    /// How many ballots chose it.
    async fn votes(&self) -> u64 {
        self.votes
    }
}

#[derive(SimpleObject)]
pub struct ChannelCount {
    /// web, assisted, paper, sms or phone.
    pub channel: String,
    pub voted: u64,
}

pub struct PotResult {
    round_id: i64,
    version: i32,
    pot: results::PotResult,
}

/// One area's pot: what was funded, what was not, how the count went, and
/// the files to check it.
#[Object]
impl PotResult {
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Area> {
        Ok(Area(
            crate::graphql::loaders::area(ctx, self.pot.area_id.get()).await?,
        ))
    }
    async fn budget_pence(&self) -> Pence {
        Pence(self.pot.budget_pence)
    }
    async fn spent_pence(&self) -> Pence {
        Pence(self.pot.summary.spent_pence)
    }
    async fn left_pence(&self) -> Pence {
        Pence(self.pot.budget_pence - self.pot.summary.spent_pence)
    }
    /// Funded bids, in the order the count funded them.
    async fn funded(&self) -> Vec<FundedBid> {
        self.pot
            .summary
            .funded
            .iter()
            .map(|f| FundedBid {
                bid_id: f.bid,
                cost: f.cost_pence,
                support: f.support.clone(),
                votes: f.votes,
            })
            .collect()
    }
    /// Bids on the ballot that were not funded.
    async fn unfunded(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Bid>> {
        let ids: Vec<BidId> = self.pot.summary.unfunded.iter().map(|u| u.bid).collect();
        Ok(loaders::bids(ctx, &ids)
            .await?
            .into_iter()
            .map(Bid)
            .collect())
    }
    /// Bids on the ballot that were not funded, with what they asked for
    /// and how many ballots chose them (the same bids as `unfunded`).
    async fn unfunded_bids(&self) -> Vec<UnfundedBid> {
        self.pot
            .summary
            .unfunded
            .iter()
            .map(|u| UnfundedBid {
                bid_id: u.bid,
                cost: u.cost_pence,
                votes: u.votes,
            })
            .collect()
    }
    /// Ballots counted.
    async fn voters(&self) -> u64 {
        self.pot.summary.voters
    }
    /// People who voted, by channel.
    async fn turnout_by_channel(&self) -> Vec<ChannelCount> {
        self.pot
            .summary
            .turnout_by_channel
            .iter()
            .map(|(c, n)| ChannelCount {
                channel: c.clone(),
                voted: *n,
            })
            .collect()
    }
    /// The count, step by step, in plain words: English unless `language`
    /// asks for Welsh.
    async fn explanation(
        &self,
        #[graphql(default_with = "Language::En")] language: Language,
    ) -> &[String] {
        match language {
            Language::En => &self.pot.summary.explanation,
            Language::Cy => &self.pot.summary.explanation_cy,
        }
    }
    /// SHA-256 of the published ballots file.
    async fn ballots_sha256(&self) -> &str {
        &self.pot.ballots_sha256
    }
    /// SHA-256 of the ballots as the count read them.
    async fn input_sha256(&self) -> &str {
        &self.pot.summary.input_sha256
    }
    async fn result_sha256(&self) -> &str {
        &self.pot.result_sha256
    }
    /// Where to download the anonymised ballots (pabulib `.pb`).
    async fn ballots_url(&self) -> String {
        format!(
            "/rounds/{}/results/v{}/pot-{}.pb",
            self.round_id, self.version, self.pot.pot_id
        )
    }
    /// Where to download the result (canonical JSON from the counting
    /// module, with every round of the count).
    async fn result_url(&self) -> String {
        format!(
            "/rounds/{}/results/v{}/pot-{}.result.json",
            self.round_id, self.version, self.pot.pot_id
        )
    }
    /// The result as CSV for council reports: officers and councillors.
    async fn csv(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let staff = caller(ctx).is_some_and(|a| a.has(Role::Officer) || a.has(Role::Councillor));
        if !staff {
            return Ok(None);
        }
        let ids: Vec<BidId> = self.pot.summary.bids().collect();
        let titles = loaders::bids(ctx, &ids)
            .await?
            .into_iter()
            .map(|b| (b.id, b.title))
            .collect();
        Ok(Some(results::csv(&self.pot, &titles)))
    }
}

pub struct RoundResult(pub results::RoundResult);

/// A version of a round's result. Until it is published only councillors
/// and admins see it.
#[Object]
impl RoundResult {
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Why this version corrects the one before; none for the first count.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    async fn counted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// True until a councillor publishes it.
    async fn provisional(&self) -> bool {
        self.0.published_at.is_none()
    }
    /// The exact rule configuration and tie-break seed (JSON).
    async fn configuration(&self) -> &str {
        &self.0.config_json
    }
    async fn configuration_sha256(&self) -> String {
        tally::canonical::sha256_hex(self.0.config_json.as_bytes())
    }
    /// Bids left out by a correction.
    async fn excluded_bid_ids(&self) -> Vec<ID> {
        self.0
            .excluded_bids
            .iter()
            .map(|b| ID(b.to_string()))
            .collect()
    }
    async fn pots(&self) -> Vec<PotResult> {
        self.0
            .pots
            .iter()
            .cloned()
            .map(|pot| PotResult {
                round_id: self.0.round_id.get(),
                version: self.0.version,
                pot,
            })
            .collect()
    }
    /// Where to download every file of the result at once (published
    /// versions), for `tally verify`.
    async fn bundle_url(&self) -> Option<String> {
        self.0.published_at.map(|_| {
            format!(
                "/rounds/{}/results/v{}/bundle.tar",
                self.0.round_id, self.0.version
            )
        })
    }
}

#[derive(SimpleObject)]
pub struct ResultVersion {
    pub version: i32,
    pub reason: Option<String>,
    pub counted_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// The proof that a receipt's ballot is in the count: the receipt's
/// commitment is leaf `leafIndex` of an RFC 6962 Merkle tree of `treeSize`
/// leaves, and `hashes` lead from it to `root`.
#[derive(SimpleObject)]
pub struct ReceiptProof {
    pub code: String,
    pub commitment: String,
    pub leaf_index: u64,
    pub tree_size: u64,
    pub hashes: Vec<String>,
    pub root: String,
    /// Whether the proof checks out against the root.
    pub verified: bool,
}

#[derive(SimpleObject)]
pub struct RoundLogEntry {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    /// JSON.
    pub details: String,
    pub prev: String,
    pub hash: String,
}
