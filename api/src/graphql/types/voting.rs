//! Ballots, receipts, a voter's own status, and turnout.
use super::{area::Area, bid::Bid};
use crate::domain::vote;
use crate::graphql::{parse_id, state, Gql};
use crate::service::{bids, voting};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

/// How a ballot came in.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "vote::Channel")]
pub enum VoteChannel {
    /// The voter, in a browser.
    Web,
    /// An officer, for the voter, on the phone or at an event.
    Assisted,
    /// An officer typing in a paper ballot form.
    Paper,
    /// The voter, by text message.
    Sms,
    /// The voter, on a telephone keypad.
    Phone,
}

/// How an officer enters a ballot for someone.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum OfficerChannel {
    Assisted,
    Paper,
}

impl From<OfficerChannel> for vote::Channel {
    fn from(c: OfficerChannel) -> Self {
        match c {
            OfficerChannel::Assisted => vote::Channel::Assisted,
            OfficerChannel::Paper => vote::Channel::Paper,
        }
    }
}

/// One line of a ballot. Approval and knapsack: the bids chosen. Ranked:
/// the bids in order of preference, first choice first. Scoring: every bid
/// with its score. Points: each bid given points, with the points. Money:
/// each bid given money, with the amount in pence.
#[derive(InputObject, Clone)]
pub struct BallotChoiceInput {
    pub bid_id: ID,
    /// The score, points or pence, for ballots that carry a number.
    pub value: Option<i32>,
}

pub(crate) fn choices(input: Vec<BallotChoiceInput>) -> async_graphql::Result<Vec<vote::Choice>> {
    if input.len() > 1000 {
        return Err(crate::graphql::to_gql(crate::error::ServiceError::invalid(
            "choices",
            "a ballot has at most 1,000 lines",
        )));
    }
    input
        .into_iter()
        .map(|c| {
            Ok(vote::Choice {
                bid_id: parse_id(&c.bid_id, "bid").map_err(|_| {
                    crate::graphql::to_gql(crate::error::ServiceError::refused(
                        crate::error::ErrorCode::BidNotInPot,
                        "one of your choices is not on the ballot for your area",
                    ))
                })?,
                value: c.value.map(i64::from),
            })
        })
        .collect()
}

#[derive(InputObject)]
pub struct CastBallotInput {
    pub round_id: ID,
    pub choices: Vec<BallotChoiceInput>,
    /// Chosen by the client, the same for every retry of one ballot: a
    /// retry gets the same receipt and changes nothing.
    pub idempotency_key: String,
}

#[derive(InputObject)]
pub struct CastAssistedBallotInput {
    pub round_id: ID,
    /// The verification record of the person voting.
    pub verification_id: ID,
    pub channel: OfficerChannel,
    pub choices: Vec<BallotChoiceInput>,
    pub idempotency_key: String,
}

/// What a voter keeps: the code to look for in the published count, and
/// the key that proves the receipt was theirs. Neither says how they
/// voted.
#[derive(SimpleObject)]
pub struct Receipt {
    /// Like `7K3M-9QXD-2RTF-HJ4W`.
    pub code: String,
    pub key: String,
}

#[derive(SimpleObject)]
pub struct CastBallotPayload {
    pub receipt: Receipt,
    pub cast_at: DateTime<Utc>,
    /// Whether this ballot replaced an earlier one, which no longer counts.
    pub replaced: bool,
    /// Whether this was a retry of a ballot already cast: nothing changed.
    pub retried: bool,
}

impl From<voting::Cast> for CastBallotPayload {
    fn from(c: voting::Cast) -> Self {
        CastBallotPayload {
            receipt: Receipt {
                code: c.receipt_code,
                key: c.receipt_key,
            },
            cast_at: c.cast_at,
            replaced: c.replaced,
            retried: c.retried,
        }
    }
}

/// Whether the signed-in person voted in a round.
#[derive(SimpleObject)]
pub struct VoteStatus {
    pub voted: bool,
    pub last_voted_at: Option<DateTime<Utc>>,
    pub channel: Option<VoteChannel>,
    /// Whether they may vote, or change their vote, now.
    pub can_vote: bool,
}

impl From<voting::VoteStatus> for VoteStatus {
    fn from(s: voting::VoteStatus) -> Self {
        VoteStatus {
            voted: s.voted,
            last_voted_at: s.last_voted_at,
            channel: s.channel.map(Into::into),
            can_vote: s.can_vote,
        }
    }
}

pub struct BallotLine {
    pub position: usize,
    pub choice: vote::Choice,
}

/// One line of your ballot.
#[Object]
impl BallotLine {
    async fn bid(&self, ctx: &Context<'_>) -> async_graphql::Result<Bid> {
        Ok(Bid(bids::get(&state(ctx).db, self.choice.bid_id)
            .await
            .gql()?))
    }
    /// 1 for the first line: the rank, on a ranked ballot.
    async fn position(&self) -> usize {
        self.position
    }
    /// The score, points or pence, where the ballot carries a number.
    async fn value(&self) -> Option<i64> {
        self.choice.value
    }
}

pub struct MyBallot(pub voting::MyBallot);

/// The signed-in person's current ballot. Only they see it, and only
/// while voting is open.
#[Object]
impl MyBallot {
    async fn lines(&self) -> Vec<BallotLine> {
        self.0
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| BallotLine {
                position: i + 1,
                choice: *c,
            })
            .collect()
    }
    async fn channel(&self) -> VoteChannel {
        self.0.channel.into()
    }
    async fn cast_at(&self) -> DateTime<Utc> {
        self.0.cast_at
    }
}

pub struct AreaTurnout {
    area_id: i64,
    voted: u64,
    verified: u64,
}

#[Object]
impl AreaTurnout {
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Area> {
        Ok(Area(
            crate::graphql::loaders::area(ctx, self.area_id).await?,
        ))
    }
    /// People who have voted.
    async fn voted(&self) -> u64 {
        self.voted
    }
    /// People verified to vote here.
    async fn verified(&self) -> u64 {
        self.verified
    }
}

#[derive(SimpleObject)]
pub struct ChannelTurnout {
    pub channel: VoteChannel,
    pub voted: u64,
}

#[derive(SimpleObject)]
pub struct AssuranceTurnout {
    /// low or higher.
    pub assurance: String,
    pub voted: u64,
}

#[derive(SimpleObject)]
pub struct DuplicateCount {
    /// The channel whose ballot the round's policy kept.
    pub kept: VoteChannel,
    pub dropped: VoteChannel,
    pub people: u64,
}

pub struct Turnout(pub voting::Turnout);

/// Who has voted so far, by area, channel and assurance. Counts of people,
/// never of choices: no partial result.
#[Object]
impl Turnout {
    async fn voted(&self) -> u64 {
        self.0.voted
    }
    async fn verified(&self) -> u64 {
        self.0.verified
    }
    async fn by_area(&self) -> Vec<AreaTurnout> {
        self.0
            .by_area
            .iter()
            .map(|&(area_id, voted, verified)| AreaTurnout {
                area_id: area_id.get(),
                voted,
                verified,
            })
            .collect()
    }
    async fn by_channel(&self) -> Vec<ChannelTurnout> {
        self.0
            .by_channel
            .iter()
            .map(|&(c, voted)| ChannelTurnout {
                channel: c.into(),
                voted,
            })
            .collect()
    }
    async fn by_assurance(&self) -> Vec<AssuranceTurnout> {
        self.0
            .by_assurance
            .iter()
            .map(|(a, voted)| AssuranceTurnout {
                assurance: a.clone(),
                voted: *voted,
            })
            .collect()
    }
    /// People who voted both through an officer and by themselves, and
    /// which ballot the round's policy kept.
    async fn duplicates(&self) -> Vec<DuplicateCount> {
        self.0
            .duplicates
            .iter()
            .map(|&(k, d, n)| DuplicateCount {
                kept: k.into(),
                dropped: d.into(),
                people: n,
            })
            .collect()
    }
}

/// Someone to send a voting-code letter to. The name and address are
/// printed on the letter, and kept only sealed with the batch until its
/// letters are collected (a day at most, and never after voting closes).
#[derive(InputObject)]
pub struct VotingCodeRecipientInput {
    /// Their verification record for the round.
    pub verification_id: ID,
    pub name: Option<String>,
    /// Up to 6 lines, the postcode last.
    #[graphql(default)]
    pub address: Vec<String>,
}

#[derive(InputObject)]
pub struct IssueVotingCodesInput {
    pub round_id: ID,
    /// The people to send letters to (a new code voids an old one). Left
    /// out: everyone verified for the round who has no account and no code
    /// yet, up to 1,000 at a time.
    pub recipients: Option<Vec<VotingCodeRecipientInput>>,
    /// Or the people, with their names and addresses, as a CSV file: a
    /// header row with a `reference` column (V and a number, as on the
    /// letters), `name`, and up to six columns `address_1` to
    /// `address_6`. The letters CSV with names and addresses filled in
    /// will do. Not with `recipients`.
    pub addresses: Option<String>,
}

/// Voting-code letters. The codes are stored only as keyed hashes; the
/// batch's letters are kept sealed until you collect them
/// (collectVotingCodeLetters), for a day, or until voting closes, so that
/// they can be made again (reprintVotingCodeLetters) if these files are
/// lost. After that the letters are the only place the codes can be read.
#[derive(SimpleObject)]
pub struct VotingCodeLetters {
    /// The batch the codes were issued in.
    pub batch_id: ID,
    /// How many letters these files hold.
    pub issued: u32,
    /// How many people still have no code (issue again for the next batch).
    pub remaining: u32,
    /// Until when the letters can be made again.
    pub kept_until: DateTime<Utc>,
    /// A PDF for mail merge, one page a person, base64-encoded.
    pub pdf_base64: String,
    /// The same as CSV, for a print supplier.
    pub csv: String,
}

impl From<crate::service::phone::codes::Letters> for VotingCodeLetters {
    fn from(l: crate::service::phone::codes::Letters) -> Self {
        use base64::Engine;
        VotingCodeLetters {
            batch_id: ID(l.batch.id),
            issued: l.printed,
            remaining: l.batch.remaining,
            kept_until: l.batch.kept_until,
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(&l.pdf),
            csv: l.csv,
        }
    }
}

/// A batch of voting codes whose letters can still be made again.
#[derive(SimpleObject)]
pub struct VotingCodeBatch {
    pub id: ID,
    /// How many codes it holds.
    pub letters: u32,
    /// How many people still had no code after it.
    pub remaining: u32,
    pub issued_at: DateTime<Utc>,
    /// Until when its letters can be made again.
    pub kept_until: DateTime<Utc>,
}

impl From<crate::service::phone::codes::Batch> for VotingCodeBatch {
    fn from(b: crate::service::phone::codes::Batch) -> Self {
        VotingCodeBatch {
            id: ID(b.id),
            letters: b.letters,
            remaining: b.remaining,
            issued_at: b.issued_at,
            kept_until: b.kept_until,
        }
    }
}

/// A batch's letters handed to GOV.UK Notify to print and post.
#[derive(SimpleObject)]
pub struct PostedVotingCodeLetters {
    pub batch: VotingCodeBatch,
    /// Letters posted (a letter whose code was replaced since is not).
    pub posted: u32,
}

impl From<crate::service::phone::codes::Posted> for PostedVotingCodeLetters {
    fn from(p: crate::service::phone::codes::Posted) -> Self {
        PostedVotingCodeLetters {
            batch: p.batch.into(),
            posted: p.posted,
        }
    }
}
