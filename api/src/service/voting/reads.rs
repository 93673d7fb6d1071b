//! What voters, officers and councillors read about voting: a voter's own
//! status and current ballot, turnout, and how many ballots a round holds.
use super::super::{rounds, verification, Actor};
use super::store;
use crate::domain::id::{AreaId, ParticipantId, PotId, RoundId};
use crate::domain::{
    vote::{Channel, Choice},
    Phase, Role,
};
use crate::error::{Context, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{ballot_duplicates, ballots, participation, verified_participants};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};
use std::collections::{BTreeMap, HashMap};

/// A voter's current ballot, for them alone, while voting is open.
#[derive(Clone, Debug)]
pub struct MyBallot {
    pub choices: Vec<Choice>,
    pub channel: Channel,
    pub cast_at: DateTime<Utc>,
}

/// Whether and when the signed-in person voted in a round (at any time),
/// and how.
#[derive(Clone, Debug)]
pub struct VoteStatus {
    pub voted: bool,
    pub last_voted_at: Option<DateTime<Utc>>,
    pub channel: Option<Channel>,
    /// Whether they may (still) vote or change their vote now.
    pub can_vote: bool,
}

pub async fn my_status(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: RoundId,
) -> ServiceResult<VoteStatus> {
    let round = rounds::get(db, Some(actor), round_id).await?;
    let record = verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .filter(verified_participants::Column::AccountId.eq(actor.account_id))
        .one(db)
        .await
        .context("finding the voter")?;
    let Some(record) = record else {
        return Ok(VoteStatus {
            voted: false,
            last_voted_at: None,
            channel: None,
            can_vote: false,
        });
    };
    let p = participation::Entity::find()
        .filter(participation::Column::RoundId.eq(round_id))
        .filter(participation::Column::ParticipantId.eq(record.id))
        .one(db)
        .await
        .context("finding a participation")?;
    let can_vote =
        round.is_in(Phase::Voting, Utc::now()) && verification::eligible(&round, &record).is_ok();
    Ok(VoteStatus {
        voted: p.is_some(),
        last_voted_at: p.as_ref().map(|p| p.last_voted_at),
        channel: p.as_ref().and_then(|p| Channel::parse(&p.channel)),
        can_vote,
    })
}

/// The signed-in person's current ballot, while voting is open; `None`
/// when they have not voted, and after close (when the sealed store and
/// its key are gone).
pub async fn my_ballot(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
) -> ServiceResult<Option<MyBallot>> {
    let db = &state.db;
    let round = rounds::get(db, Some(actor), round_id).await?;
    if !round.is_in(Phase::Voting, Utc::now()) {
        return Ok(None);
    }
    let Some(record) = verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .filter(verified_participants::Column::AccountId.eq(actor.account_id))
        .one(db)
        .await
        .context("finding the voter")?
    else {
        return Ok(None);
    };
    let Some(key) = store::existing_key(db, &state.secret, round_id).await? else {
        return Ok(None);
    };
    let Some(ballot) = store::current(db, &key, record.id.into()).await? else {
        return Ok(None);
    };
    let content = ballot.content;
    let choices = content
        .bids
        .iter()
        .enumerate()
        .map(|(i, &bid_id)| Choice {
            bid_id: bid_id.into(),
            value: content.values.as_ref().and_then(|v| v.get(i).copied()),
        })
        .collect();
    Ok(Some(MyBallot {
        choices,
        channel: ballot.channel,
        cast_at: ballot.cast_at,
    }))
}

/// Every ballot the store holds, opened: the sealed store while voting is
/// open (with each round's key), `ballots` after the close; sealed ballots
/// carry their voter's tag as their id. For the end-to-end tests, which
/// check what the store holds; nothing in the service reads a ballot while
/// voting is open but its own voter's.
#[cfg(feature = "test-support")]
pub async fn stored_ballots(state: &AppState) -> ServiceResult<Vec<ballots::Model>> {
    let mut out = ballots::Entity::find()
        .all(&state.db)
        .await
        .context("loading ballots")?;
    let sealed = crate::store::sealed_ballots::Entity::find()
        .all(&state.db)
        .await
        .context("loading sealed ballots")?;
    let mut keys = HashMap::new();
    for row in sealed {
        if let std::collections::hash_map::Entry::Vacant(e) = keys.entry(row.round_id) {
            e.insert(store::existing_key(&state.db, &state.secret, row.round_id.into()).await?);
        }
        let Some(Some(key)) = keys.get(&row.round_id) else {
            continue;
        };
        let b = key.open_ballot(&row)?;
        out.push(ballots::Model {
            id: row.id,
            round_id: row.round_id,
            pot_id: row.pot_id,
            content: b.content.to_json(),
            commitment: b.commitment,
            channel: Some(b.channel.as_str().to_owned()),
            leaf: None,
            receipt_key: None,
        });
    }
    Ok(out)
}

/// How a participant's current ballot came in, while voting is open
/// (`None` if they have not voted).
pub(crate) async fn current_channel(
    state: &AppState,
    round_id: RoundId,
    participant_id: ParticipantId,
) -> ServiceResult<Option<Channel>> {
    let Some(key) = store::existing_key(&state.db, &state.secret, round_id).await? else {
        return Ok(None);
    };
    Ok(store::current(&state.db, &key, participant_id)
        .await?
        .map(|b| b.channel))
}

/// Turnout so far, for officers and councillors: counts of people who
/// voted, never what anyone voted.
#[derive(Clone, Debug, Default)]
pub struct Turnout {
    pub voted: u64,
    pub verified: u64,
    pub by_area: Vec<(AreaId, u64, u64)>,
    pub by_channel: Vec<(Channel, u64)>,
    pub by_assurance: Vec<(String, u64)>,
    /// People who voted both through an officer and by themselves:
    /// (kept channel, dropped channel, how many).
    pub duplicates: Vec<(Channel, Channel, u64)>,
}

pub async fn turnout(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: RoundId,
) -> ServiceResult<Turnout> {
    if !(actor.has(Role::Officer) || actor.has(Role::Councillor)) {
        return Err(ServiceError::not_authorised(
            "only officers and councillors see turnout",
        ));
    }
    let round = rounds::load(db, round_id).await?;
    let rows = participation::Entity::find()
        .filter(participation::Column::RoundId.eq(round_id))
        .all(db)
        .await
        .context("counting participation")?;
    let verified = verified_participants::Entity::find()
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .filter(verified_participants::Column::VerifiedAt.is_not_null())
        .filter(verified_participants::Column::Held.eq(false))
        .all(db)
        .await
        .context("counting verified participants")?;
    let mut t = Turnout {
        voted: rows.len() as u64,
        verified: verified.len() as u64,
        ..Default::default()
    };
    let mut by_area: BTreeMap<AreaId, (u64, u64)> =
        round.pots.iter().map(|p| (p.area_id, (0, 0))).collect();
    let area_of_pot: HashMap<PotId, AreaId> =
        round.pots.iter().map(|p| (p.id, p.area_id)).collect();
    let mut by_channel: BTreeMap<Channel, u64> = BTreeMap::new();
    let mut by_assurance: BTreeMap<String, u64> = BTreeMap::new();
    for r in &rows {
        if let Some(area) = area_of_pot.get(&PotId::from(r.pot_id)) {
            by_area.entry(*area).or_default().0 += 1;
        }
        if let Some(c) = Channel::parse(&r.channel) {
            *by_channel.entry(c).or_default() += 1;
        }
        *by_assurance.entry(r.assurance.clone()).or_default() += 1;
    }
    for v in &verified {
        by_area.entry(v.area_id.into()).or_default().1 += 1;
    }
    t.by_area = by_area.into_iter().map(|(a, (v, e))| (a, v, e)).collect();
    t.by_channel = by_channel.into_iter().collect();
    t.by_assurance = by_assurance.into_iter().collect();
    let dups = ballot_duplicates::Entity::find()
        .filter(ballot_duplicates::Column::RoundId.eq(round_id))
        .all(db)
        .await
        .context("counting duplicates")?;
    let mut d: BTreeMap<(Channel, Channel), u64> = BTreeMap::new();
    for x in dups {
        if let (Some(k), Some(dr)) = (
            Channel::parse(&x.kept_channel),
            Channel::parse(&x.dropped_channel),
        ) {
            *d.entry((k, dr)).or_default() += 1;
        }
    }
    t.duplicates = d.into_iter().map(|((k, dr), n)| (k, dr, n)).collect();
    Ok(t)
}

/// How many ballots a round holds (all pots).
/// Before the close these are in the sealed store; after it, in `ballots`.
pub async fn ballot_count(db: &impl ConnectionTrait, round_id: RoundId) -> ServiceResult<u64> {
    let open = crate::store::sealed_ballots::Entity::find()
        .filter(crate::store::sealed_ballots::Column::RoundId.eq(round_id))
        .count(db)
        .await
        .context("counting ballots")?;
    let closed = ballots::Entity::find()
        .filter(ballots::Column::RoundId.eq(round_id))
        .count(db)
        .await
        .context("counting ballots")?;
    Ok(open + closed)
}
