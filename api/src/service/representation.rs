//! Who is taking part against who lives there: turnout by area, age band,
//! deprivation decile, channel and assurance level, each group set against
//! its population where the council imported one, and how representative
//! the turnout is (the lowest group's participation rate over the highest,
//! as Go Vocal defines its representativeness score).
//!
//! Only who took part is counted, never what anyone chose: staff see it
//! from the opening of voting, everyone once the result is published.
//! A group of fewer than `SMALLEST_GROUP` people is shown as "fewer than
//! 10", and when that would let the total give it away, the next smallest
//! group is hidden too.
use super::{population, rounds, Actor};
use crate::domain::id::{AreaId, PotId, RoundId};
use crate::domain::vote::Channel;
use crate::domain::{AgeBand, Assurance, Decile, Phase, Role};
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{participation, reminder_subscriptions, verified_participants};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Groups of fewer people than this are not shown.
pub const SMALLEST_GROUP: u64 = 10;

/// What a group is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKey {
    Area(AreaId),
    AgeBand(AgeBand),
    Decile(Decile),
    Channel(Channel),
    Assurance(Assurance),
    /// Voters whose age band or decile is not known (the look-up did not
    /// have their postcode when they verified).
    NotKnown,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub key: GroupKey,
    /// None when fewer than `SMALLEST_GROUP` (or hidden with one that is).
    pub voters: Option<u64>,
    /// The people who live there and are old enough to take part, where
    /// the council's figures say.
    pub population: Option<u64>,
    pub share_of_voters: Option<f64>,
    pub share_of_population: Option<f64>,
    /// Voters over population.
    pub rate: Option<f64>,
}

impl Group {
    pub fn suppressed(&self) -> bool {
        self.voters.is_none()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Breakdown {
    pub groups: Vec<Group>,
    /// The lowest participation rate over the highest, among the groups
    /// shown with a population; None with fewer than two.
    pub representativeness: Option<f64>,
    pub lowest: Option<GroupKey>,
    pub highest: Option<GroupKey>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Representation {
    pub voters: u64,
    /// The people old enough to take part in the round's areas, when every
    /// area has a population.
    pub eligible_population: Option<u64>,
    pub turnout: Option<f64>,
    /// The youngest age counted in the population: the round's minimum age.
    pub from_age: u32,
    pub by_area: Breakdown,
    pub by_age_band: Breakdown,
    pub by_decile: Breakdown,
    pub by_channel: Breakdown,
    pub by_assurance: Breakdown,
    /// Whether the council imported a deprivation look-up.
    pub deprivation_known: bool,
}

/// Who may see a round's figures now: staff from the opening of voting,
/// everyone once published.
fn may_see(actor: Option<&Actor>, phase: Phase) -> bool {
    let staff = actor.is_some_and(|a| a.has(Role::Officer) || a.has(Role::Councillor));
    match phase {
        Phase::Published => true,
        Phase::Voting | Phase::Closed | Phase::Counted => staff,
        _ => false,
    }
}

/// One participation record, reduced to what is counted.
struct Took {
    area: Option<AreaId>,
    channel: Option<Channel>,
    assurance: Option<Assurance>,
    band: Option<AgeBand>,
    decile: Option<Decile>,
}

fn assurance(s: &str) -> Option<Assurance> {
    match s {
        "low" => Some(Assurance::Low),
        "higher" => Some(Assurance::Higher),
        _ => None,
    }
}

/// Hides groups of fewer than `SMALLEST_GROUP`, and one more where a single
/// hidden group could be worked out from the total: the next smallest, or,
/// when every other group is empty (the total is that group's), the empty
/// ones too, so that the total does not say whose it is.
fn suppress(counts: &mut [(GroupKey, u64, bool)]) {
    for c in counts.iter_mut() {
        c.2 = c.1 > 0 && c.1 < SMALLEST_GROUP;
    }
    if counts.iter().filter(|c| c.2).count() == 1 {
        match counts
            .iter_mut()
            .filter(|c| !c.2 && c.1 > 0)
            .min_by_key(|c| c.1)
        {
            Some(next) => next.2 = true,
            None => {
                for c in counts.iter_mut() {
                    c.2 = true;
                }
            }
        }
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Makes a breakdown from each group's voters and population.
fn breakdown(rows: Vec<(GroupKey, u64, Option<u64>)>, voters: u64) -> Breakdown {
    let mut counts: Vec<(GroupKey, u64, bool)> = rows.iter().map(|r| (r.0, r.1, false)).collect();
    suppress(&mut counts);
    let population_total: u64 = rows
        .iter()
        .filter(|r| r.0 != GroupKey::NotKnown)
        .filter_map(|r| r.2)
        .sum();
    let groups: Vec<Group> = rows
        .iter()
        .zip(&counts)
        .map(|((key, n, pop), (_, _, hidden))| {
            let shown = (!hidden).then_some(*n);
            Group {
                key: *key,
                voters: shown,
                population: *pop,
                share_of_voters: shown.and_then(|n| ratio(n, voters)),
                share_of_population: pop.and_then(|p| ratio(p, population_total)),
                rate: shown.zip(*pop).and_then(|(n, p)| ratio(n, p)),
            }
        })
        .collect();
    let rated: Vec<(GroupKey, f64)> = groups
        .iter()
        .filter(|g| g.key != GroupKey::NotKnown)
        .filter_map(|g| g.rate.map(|r| (g.key, r)))
        .collect();
    let lowest = rated.iter().min_by(|a, b| a.1.total_cmp(&b.1)).copied();
    let highest = rated.iter().max_by(|a, b| a.1.total_cmp(&b.1)).copied();
    let representativeness = match (lowest, highest) {
        (Some(l), Some(h)) if rated.len() >= 2 && h.1 > 0.0 => Some(l.1 / h.1),
        _ => None,
    };
    Breakdown {
        groups,
        representativeness,
        lowest: representativeness.and(lowest.map(|l| l.0)),
        highest: representativeness.and(highest.map(|h| h.0)),
    }
}

/// The round's figures, or None where the caller may not see them yet.
pub async fn for_round(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    round_id: RoundId,
) -> ServiceResult<Option<Representation>> {
    let round = rounds::load(db, round_id).await?;
    if !may_see(actor, round.phase) {
        return Ok(None);
    }
    let area_of_pot: HashMap<PotId, AreaId> =
        round.pots.iter().map(|p| (p.id, p.area_id)).collect();
    let areas: Vec<AreaId> = round.pots.iter().map(|p| p.area_id).collect();
    let took: Vec<Took> = participation::Entity::find()
        .select_only()
        .column(participation::Column::PotId)
        .column(participation::Column::Channel)
        .column(participation::Column::Assurance)
        .column(participation::Column::AgeBand)
        .column(participation::Column::DeprivationDecile)
        .filter(participation::Column::RoundId.eq(round_id))
        .into_tuple::<(i64, String, String, Option<String>, Option<i16>)>()
        .all(db)
        .await
        .context("counting participation")?
        .into_iter()
        .map(|(pot, channel, level, band, decile)| Took {
            area: area_of_pot.get(&PotId::from(pot)).copied(),
            channel: Channel::parse(&channel),
            assurance: assurance(&level),
            band: band.as_deref().and_then(AgeBand::from_key),
            decile: decile.and_then(|d| Decile::new(i64::from(d))),
        })
        .collect();
    let voters = took.len() as u64;
    let from_age = round.eligibility.min_age.unwrap_or(0);
    let geographies = population::geographies(db, &areas).await?;
    let every_area = areas.iter().all(|a| geographies.contains_key(a));
    let all: Vec<&population::Geography> = geographies.values().flatten().collect();

    // By area.
    let mut rows = Vec::new();
    for area in &areas {
        let n = took.iter().filter(|t| t.area == Some(*area)).count() as u64;
        let pop = geographies
            .get(area)
            .map(|g| g.iter().map(|g| g.aged_at_least(from_age)).sum());
        rows.push((GroupKey::Area(*area), n, pop));
    }
    let eligible_population = every_area.then(|| rows.iter().filter_map(|r| r.2).sum::<u64>());
    let by_area = breakdown(rows, voters);

    // By age band: the bands someone old enough can be in.
    let mut rows = Vec::new();
    for band in AgeBand::ALL {
        if *band.ages().end() < from_age {
            continue;
        }
        let n = took.iter().filter(|t| t.band == Some(band)).count() as u64;
        let pop = every_area.then(|| all.iter().map(|g| g.in_band(band, from_age)).sum());
        rows.push((GroupKey::AgeBand(band), n, pop));
    }
    let unknown = took.iter().filter(|t| t.band.is_none()).count() as u64;
    if unknown > 0 {
        rows.push((GroupKey::NotKnown, unknown, None));
    }
    let by_age_band = breakdown(rows, voters);

    // By deprivation decile: a population where the areas' geographies are
    // neighbourhoods the look-up has a decile for.
    let deprivation_known = population::has_lookup(db).await?;
    let codes: Vec<String> = all.iter().map(|g| g.code.clone()).collect();
    let decile_of = population::deciles_of(db, codes).await?;
    let mut population_by_decile: BTreeMap<Decile, u64> = BTreeMap::new();
    for g in &all {
        if let Some(d) = decile_of.get(&g.code) {
            *population_by_decile.entry(*d).or_default() += g.aged_at_least(from_age);
        }
    }
    let deciles_have_population = every_area && !population_by_decile.is_empty();
    let mut rows = Vec::new();
    for d in 1..=10 {
        let Some(decile) = Decile::new(d) else {
            continue;
        };
        let n = took.iter().filter(|t| t.decile == Some(decile)).count() as u64;
        let pop = deciles_have_population
            .then(|| population_by_decile.get(&decile).copied().unwrap_or(0));
        if n > 0 || pop.is_some_and(|p| p > 0) {
            rows.push((GroupKey::Decile(decile), n, pop));
        }
    }
    let unknown = took.iter().filter(|t| t.decile.is_none()).count() as u64;
    if unknown > 0 && (deprivation_known || !rows.is_empty()) {
        rows.push((GroupKey::NotKnown, unknown, None));
    }
    let by_decile = breakdown(rows, voters);

    // By channel and by assurance: shares of those who took part.
    let channels = [
        Channel::Web,
        Channel::Sms,
        Channel::Phone,
        Channel::Assisted,
        Channel::Paper,
    ];
    let rows = channels
        .iter()
        .map(|c| {
            let n = took.iter().filter(|t| t.channel == Some(*c)).count() as u64;
            (GroupKey::Channel(*c), n, None)
        })
        .collect();
    let by_channel = breakdown(rows, voters);
    let rows = [Assurance::Low, Assurance::Higher]
        .iter()
        .map(|a| {
            let n = took.iter().filter(|t| t.assurance == Some(*a)).count() as u64;
            (GroupKey::Assurance(*a), n, None)
        })
        .collect();
    let by_assurance = breakdown(rows, voters);

    Ok(Some(Representation {
        voters,
        turnout: eligible_population.and_then(|p| ratio(voters, p)),
        eligible_population,
        from_age,
        by_area,
        by_age_band,
        by_decile,
        by_channel,
        by_assurance,
        deprivation_known,
    }))
}

/// One area's age band, for officers reaching people during voting.
#[derive(Clone, Debug, PartialEq)]
pub struct OutreachGroup {
    pub area: AreaId,
    pub band: AgeBand,
    /// None when fewer than `SMALLEST_GROUP`.
    pub voters: Option<u64>,
    pub population: u64,
    pub share_of_voters: Option<f64>,
    pub share_of_population: f64,
    pub rate: Option<f64>,
    /// People there who asked for reminders and have not voted: the
    /// reminders that would go out if sent now, by email and by text
    /// (None when between 1 and 9).
    pub reminders_by_email: Option<u64>,
    pub reminders_by_text: Option<u64>,
}

fn small(n: u64) -> Option<u64> {
    (n == 0 || n >= SMALLEST_GROUP).then_some(n)
}

/// The areas' age bands furthest below their share of the population
/// first. Staff, while voting is open; empty when no area has a
/// population.
pub async fn outreach(
    db: &impl ConnectionTrait,
    actor: &Actor,
    round_id: RoundId,
) -> ServiceResult<Vec<OutreachGroup>> {
    if !(actor.has(Role::Officer) || actor.has(Role::Councillor)) {
        return Err(ServiceError::not_authorised(
            "only officers and councillors see who is taking part",
        ));
    }
    let round = rounds::load(db, round_id).await?;
    if round.phase != Phase::Voting {
        return Ok(Vec::new());
    }
    let area_of_pot: HashMap<PotId, AreaId> =
        round.pots.iter().map(|p| (p.id, p.area_id)).collect();
    let areas: Vec<AreaId> = round.pots.iter().map(|p| p.area_id).collect();
    let from_age = round.eligibility.min_age.unwrap_or(0);
    let geographies = population::geographies(db, &areas).await?;
    let rows = participation::Entity::find()
        .select_only()
        .column(participation::Column::PotId)
        .column(participation::Column::AgeBand)
        .column(participation::Column::ParticipantId)
        .filter(participation::Column::RoundId.eq(round_id))
        .into_tuple::<(i64, Option<String>, Option<i64>)>()
        .all(db)
        .await
        .context("counting participation")?;
    let voters = rows.len() as u64;
    let mut voted_in: HashMap<(AreaId, AgeBand), u64> = HashMap::new();
    let mut voted: HashSet<i64> = HashSet::new();
    for (pot, band, participant) in rows {
        if let (Some(area), Some(band)) = (
            area_of_pot.get(&PotId::from(pot)),
            band.as_deref().and_then(AgeBand::from_key),
        ) {
            *voted_in.entry((*area, band)).or_default() += 1;
        }
        voted.extend(participant);
    }
    // Who asked for reminders, where, and by what; those who voted get no
    // reminder to vote.
    let subscriptions: Vec<(i64, String)> = reminder_subscriptions::Entity::find()
        .select_only()
        .column(reminder_subscriptions::Column::ParticipantId)
        .column(reminder_subscriptions::Column::Channel)
        .filter(reminder_subscriptions::Column::RoundId.eq(round_id))
        .into_tuple()
        .all(db)
        .await
        .context("counting reminders")?;
    let places: HashMap<i64, (AreaId, Option<AgeBand>)> = verified_participants::Entity::find()
        .select_only()
        .column(verified_participants::Column::Id)
        .column(verified_participants::Column::AreaId)
        .column(verified_participants::Column::AgeBand)
        .filter(verified_participants::Column::RoundId.eq(round_id))
        .into_tuple::<(i64, i64, Option<String>)>()
        .all(db)
        .await
        .context("loading participants' areas")?
        .into_iter()
        .map(|(id, area, band)| {
            (
                id,
                (
                    AreaId::from(area),
                    band.as_deref().and_then(AgeBand::from_key),
                ),
            )
        })
        .collect();
    let mut remindable: HashMap<(AreaId, AgeBand, bool), u64> = HashMap::new();
    for (participant, channel) in subscriptions {
        if voted.contains(&participant) {
            continue;
        }
        if let Some((area, Some(band))) = places.get(&participant) {
            *remindable
                .entry((*area, *band, channel == "email"))
                .or_default() += 1;
        }
    }
    let total_population: u64 = geographies
        .values()
        .flatten()
        .map(|g| g.aged_at_least(from_age))
        .sum();
    let mut out = Vec::new();
    for area in &areas {
        let Some(places) = geographies.get(area) else {
            continue;
        };
        for band in AgeBand::ALL {
            let population: u64 = places.iter().map(|g| g.in_band(band, from_age)).sum();
            if population == 0 {
                continue;
            }
            let n = voted_in.get(&(*area, band)).copied().unwrap_or(0);
            let shown = small(n);
            out.push((
                ratio(population, total_population).unwrap_or(0.0)
                    - ratio(n, voters).unwrap_or(0.0),
                OutreachGroup {
                    area: *area,
                    band,
                    voters: shown,
                    population,
                    share_of_voters: shown.and_then(|n| ratio(n, voters)),
                    share_of_population: ratio(population, total_population).unwrap_or(0.0),
                    rate: shown.and_then(|n| ratio(n, population)),
                    reminders_by_email: small(
                        remindable.get(&(*area, band, true)).copied().unwrap_or(0),
                    ),
                    reminders_by_text: small(
                        remindable.get(&(*area, band, false)).copied().unwrap_or(0),
                    ),
                },
            ));
        }
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(out.into_iter().map(|(_, g)| g).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(b: AgeBand) -> GroupKey {
        GroupKey::AgeBand(b)
    }

    #[test]
    fn small_groups_are_hidden_and_a_lone_one_takes_the_next_smallest_with_it() {
        let b = breakdown(
            vec![
                (band(AgeBand::From18To24), 4, Some(100)),
                (band(AgeBand::From25To34), 12, Some(100)),
                (band(AgeBand::From35To44), 30, Some(100)),
            ],
            46,
        );
        let voters: Vec<Option<u64>> = b.groups.iter().map(|g| g.voters).collect();
        assert_eq!(voters, vec![None, None, Some(30)]);
        assert!(b.groups[0].rate.is_none() && b.groups[0].share_of_voters.is_none());
        // Two small groups hide each other; nobody is hidden for nothing.
        let b = breakdown(
            vec![
                (band(AgeBand::From18To24), 4, Some(100)),
                (band(AgeBand::From25To34), 3, Some(100)),
                (band(AgeBand::From35To44), 30, Some(100)),
                (band(AgeBand::From45To54), 0, Some(100)),
            ],
            37,
        );
        let voters: Vec<Option<u64>> = b.groups.iter().map(|g| g.voters).collect();
        assert_eq!(voters, vec![None, None, Some(30), Some(0)]);
        // One small group and the rest empty: the total is that group's,
        // so the empty ones are hidden as well.
        let b = breakdown(
            vec![
                (GroupKey::Channel(Channel::Web), 0, None),
                (GroupKey::Channel(Channel::Paper), 1, None),
                (GroupKey::Channel(Channel::Sms), 0, None),
            ],
            1,
        );
        assert!(b.groups.iter().all(|g| g.suppressed()));
    }

    #[test]
    fn representativeness_is_the_lowest_rate_over_the_highest() {
        let b = breakdown(
            vec![
                (band(AgeBand::From18To24), 10, Some(200)),
                (band(AgeBand::From25To34), 40, Some(200)),
                (band(AgeBand::From65To74), 20, Some(200)),
                (GroupKey::NotKnown, 15, None),
            ],
            85,
        );
        assert_eq!(b.representativeness, Some(0.05 / 0.2));
        assert_eq!(b.lowest, Some(band(AgeBand::From18To24)));
        assert_eq!(b.highest, Some(band(AgeBand::From25To34)));
        assert_eq!(b.groups[0].share_of_population, Some(200.0 / 600.0));
        assert_eq!(b.groups[3].share_of_population, None);
        let one = breakdown(vec![(band(AgeBand::From18To24), 10, Some(20))], 10);
        assert_eq!(one.representativeness, None);
    }
}
