//! Population figures, the deprivation look-up, and who is taking part
//! against them.
use super::{
    area::Area,
    verification::{Assurance, ContentEncoding},
    voting::VoteChannel,
};
use crate::domain;
use crate::graphql::loaders;
use crate::service::{population, representation};
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

/// An age band. The youngest band starts at the round's minimum age.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::AgeBand")]
pub enum AgeBand {
    #[graphql(name = "UNDER_18")]
    Under18,
    #[graphql(name = "AGE_18_TO_24")]
    From18To24,
    #[graphql(name = "AGE_25_TO_34")]
    From25To34,
    #[graphql(name = "AGE_35_TO_44")]
    From35To44,
    #[graphql(name = "AGE_45_TO_54")]
    From45To54,
    #[graphql(name = "AGE_55_TO_64")]
    From55To64,
    #[graphql(name = "AGE_65_TO_74")]
    From65To74,
    #[graphql(name = "AGE_75_AND_OVER")]
    From75,
}

fn count(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The people of one age band in an area.
#[derive(SimpleObject)]
pub struct AgeBandPopulation {
    pub band: AgeBand,
    pub people: i32,
}

/// The population figures an officer imported for an area.
pub struct AreaPopulation(pub population::AreaPopulation);

#[Object]
impl AreaPopulation {
    /// Where the figures come from, as the officer put it.
    async fn source(&self) -> &str {
        &self.0.source
    }
    async fn imported_at(&self) -> DateTime<Utc> {
        self.0.imported_at
    }
    /// The geographies (LSOAs or wards) the figures add up.
    async fn geographies(&self) -> i32 {
        count(u64::from(self.0.geographies))
    }
    /// Everyone, of every age.
    async fn people(&self) -> i32 {
        count(self.0.people)
    }
    async fn by_age_band(&self) -> Vec<AgeBandPopulation> {
        self.0
            .by_band
            .iter()
            .map(|(band, people)| AgeBandPopulation {
                band: (*band).into(),
                people: count(*people),
            })
            .collect()
    }
}

/// The postcode → neighbourhood → deprivation decile look-up in use.
pub struct DeprivationLookup(pub population::DeprivationLookup);

#[Object]
impl DeprivationLookup {
    async fn source(&self) -> &str {
        &self.0.source
    }
    async fn imported_at(&self) -> DateTime<Utc> {
        self.0.imported_at
    }
    async fn postcodes(&self) -> i32 {
        count(self.0.postcodes)
    }
    /// Neighbourhoods (LSOAs) with a decile.
    async fn neighbourhoods(&self) -> i32 {
        count(self.0.neighbourhoods)
    }
    /// Postcodes in a neighbourhood the deciles file did not cover.
    async fn postcodes_without_decile(&self) -> i32 {
        count(self.0.postcodes_without_decile)
    }
}

/// A CSV file.
#[derive(InputObject)]
pub struct CsvFile {
    pub content: String,
    #[graphql(default_with = "ContentEncoding::Text")]
    pub encoding: ContentEncoding,
}

impl From<CsvFile> for population::Content {
    fn from(f: CsvFile) -> Self {
        match f.encoding {
            ContentEncoding::Text => population::Content::Text(f.content),
            ContentEncoding::Base64 => population::Content::Base64(f.content),
        }
    }
}

#[derive(InputObject)]
pub struct ImportPopulationInput {
    pub area_id: ID,
    /// Where the figures come from, like "ONS mid-2022 LSOA estimates".
    pub source: String,
    /// The ONS mid-year estimates by single year of age (columns 0 … 90+,
    /// or F0 … F90 and M0 … M90), one row a geography of the area. At most
    /// 4 MiB.
    pub file: CsvFile,
}

#[derive(InputObject)]
pub struct ImportDeprivationInput {
    /// Where the figures come from, like "ONS postcode look-up, IMD 2019".
    pub source: String,
    /// The ONS postcode → LSOA look-up (columns pcds and lsoa21cd or
    /// lsoa11cd), the council's postcodes. At most 16 MiB.
    pub postcodes: CsvFile,
    /// The English IMD (an LSOA code and the IMD decile) or the Welsh WIMD
    /// (an LSOA code and the WIMD decile or rank). At most 16 MiB.
    pub deciles: CsvFile,
}

/// One group of people who took part.
pub struct ParticipationGroup(representation::Group);

#[Object]
impl ParticipationGroup {
    /// What the group is: an area's id, an age band (`18-24`), a decile
    /// (`1` is the most deprived tenth), a channel (`WEB`), an assurance
    /// level (`HIGHER`), or `NOT_KNOWN`.
    async fn key(&self) -> String {
        match self.0.key {
            representation::GroupKey::Area(a) => a.to_string(),
            representation::GroupKey::AgeBand(b) => b.key().to_owned(),
            representation::GroupKey::Decile(d) => d.get().to_string(),
            representation::GroupKey::Channel(c) => c.as_str().to_uppercase(),
            representation::GroupKey::Assurance(a) => a.as_str().to_uppercase(),
            representation::GroupKey::NotKnown => "NOT_KNOWN".into(),
        }
    }
    /// The area, for groups by area.
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Area>> {
        match self.0.key {
            representation::GroupKey::Area(a) => Ok(Some(Area(loaders::area(ctx, a.get()).await?))),
            _ => Ok(None),
        }
    }
    async fn age_band(&self) -> Option<AgeBand> {
        match self.0.key {
            representation::GroupKey::AgeBand(b) => Some(b.into()),
            _ => None,
        }
    }
    /// 1 (the most deprived tenth of neighbourhoods) to 10.
    async fn decile(&self) -> Option<i32> {
        match self.0.key {
            representation::GroupKey::Decile(d) => Some(i32::from(d.get())),
            _ => None,
        }
    }
    async fn channel(&self) -> Option<VoteChannel> {
        match self.0.key {
            representation::GroupKey::Channel(c) => Some(c.into()),
            _ => None,
        }
    }
    async fn assurance(&self) -> Option<Assurance> {
        match self.0.key {
            representation::GroupKey::Assurance(a) => Some(a.into()),
            _ => None,
        }
    }
    /// People whose age band or decile is not known.
    async fn not_known(&self) -> bool {
        self.0.key == representation::GroupKey::NotKnown
    }
    /// How many took part; null when fewer than 10 (or hidden with such a
    /// group, so that the total does not give it away).
    async fn voters(&self) -> Option<i32> {
        self.0.voters.map(count)
    }
    /// Whether the number is hidden.
    async fn suppressed(&self) -> bool {
        self.0.suppressed()
    }
    /// The people old enough to take part, where the council's figures say.
    async fn population(&self) -> Option<i32> {
        self.0.population.map(count)
    }
    /// The group's share of everyone who took part (0 to 1).
    async fn share_of_voters(&self) -> Option<f64> {
        self.0.share_of_voters
    }
    /// The group's share of the population (0 to 1).
    async fn share_of_population(&self) -> Option<f64> {
        self.0.share_of_population
    }
    /// Voters over population (0 to 1).
    async fn rate(&self) -> Option<f64> {
        self.0.rate
    }
}

/// Who took part, in groups of one kind.
pub struct ParticipationBreakdown(representation::Breakdown);

#[Object]
impl ParticipationBreakdown {
    async fn groups(&self) -> Vec<ParticipationGroup> {
        self.0
            .groups
            .iter()
            .cloned()
            .map(ParticipationGroup)
            .collect()
    }
    /// The lowest group's participation rate over the highest (0 to 1, 1
    /// is every group alike), among the groups shown with a population;
    /// null with fewer than two.
    async fn representativeness(&self) -> Option<f64> {
        self.0.representativeness
    }
    async fn lowest(&self) -> Option<ParticipationGroup> {
        self.find(self.0.lowest)
    }
    async fn highest(&self) -> Option<ParticipationGroup> {
        self.find(self.0.highest)
    }
}

impl ParticipationBreakdown {
    fn find(&self, key: Option<representation::GroupKey>) -> Option<ParticipationGroup> {
        let key = key?;
        self.0
            .groups
            .iter()
            .find(|g| g.key == key)
            .cloned()
            .map(ParticipationGroup)
    }
}

/// Who took part in a round, against who lives there. Never what anyone
/// chose.
pub struct RoundParticipation(pub representation::Representation);

#[Object]
impl RoundParticipation {
    /// Everyone who took part.
    async fn voters(&self) -> i32 {
        count(self.0.voters)
    }
    /// The people old enough to take part in the round's areas, when every
    /// area has population figures.
    async fn eligible_population(&self) -> Option<i32> {
        self.0.eligible_population.map(count)
    }
    /// Voters over the eligible population (0 to 1).
    async fn turnout(&self) -> Option<f64> {
        self.0.turnout
    }
    /// The youngest age counted in the population (the round's minimum
    /// age, or 0).
    async fn from_age(&self) -> i32 {
        count(u64::from(self.0.from_age))
    }
    /// Groups of fewer people than this are not shown.
    async fn smallest_group_shown(&self) -> i32 {
        count(representation::SMALLEST_GROUP)
    }
    /// Whether the council imported a deprivation look-up.
    async fn deprivation_known(&self) -> bool {
        self.0.deprivation_known
    }
    async fn by_area(&self) -> ParticipationBreakdown {
        ParticipationBreakdown(self.0.by_area.clone())
    }
    async fn by_age_band(&self) -> ParticipationBreakdown {
        ParticipationBreakdown(self.0.by_age_band.clone())
    }
    async fn by_deprivation_decile(&self) -> ParticipationBreakdown {
        ParticipationBreakdown(self.0.by_decile.clone())
    }
    async fn by_channel(&self) -> ParticipationBreakdown {
        ParticipationBreakdown(self.0.by_channel.clone())
    }
    async fn by_assurance(&self) -> ParticipationBreakdown {
        ParticipationBreakdown(self.0.by_assurance.clone())
    }
}

/// An area's age band during voting: how far below its share of the
/// population it is, and the reminders its people asked for that would
/// go out now.
pub struct OutreachGroup(pub representation::OutreachGroup);

#[Object]
impl OutreachGroup {
    async fn area(&self, ctx: &Context<'_>) -> async_graphql::Result<Area> {
        Ok(Area(loaders::area(ctx, self.0.area.get()).await?))
    }
    async fn age_band(&self) -> AgeBand {
        self.0.band.into()
    }
    /// Null when fewer than 10.
    async fn voters(&self) -> Option<i32> {
        self.0.voters.map(count)
    }
    async fn population(&self) -> i32 {
        count(self.0.population)
    }
    async fn share_of_voters(&self) -> Option<f64> {
        self.0.share_of_voters
    }
    async fn share_of_population(&self) -> f64 {
        self.0.share_of_population
    }
    async fn rate(&self) -> Option<f64> {
        self.0.rate
    }
    /// People here who asked for reminders by email and have not voted
    /// (null when between 1 and 9).
    async fn reminders_by_email(&self) -> Option<i32> {
        self.0.reminders_by_email.map(count)
    }
    /// The same, by text message.
    async fn reminders_by_text(&self) -> Option<i32> {
        self.0.reminders_by_text.map(count)
    }
}
