//! Age bands and deprivation deciles: what a participation record keeps of
//! a person's age and postcode, to set turnout against the population.
use std::fmt;

/// The oldest single year of age the ONS estimates give: 90 means "90 and
/// over".
pub const TOP_AGE: u32 = 90;

/// An age band. The youngest band starts at the round's minimum age, if
/// it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgeBand {
    Under18,
    From18To24,
    From25To34,
    From35To44,
    From45To54,
    From55To64,
    From65To74,
    From75,
}

impl AgeBand {
    pub const ALL: [AgeBand; 8] = [
        AgeBand::Under18,
        AgeBand::From18To24,
        AgeBand::From25To34,
        AgeBand::From35To44,
        AgeBand::From45To54,
        AgeBand::From55To64,
        AgeBand::From65To74,
        AgeBand::From75,
    ];

    pub fn of_age(age: u32) -> AgeBand {
        match age {
            0..=17 => AgeBand::Under18,
            18..=24 => AgeBand::From18To24,
            25..=34 => AgeBand::From25To34,
            35..=44 => AgeBand::From35To44,
            45..=54 => AgeBand::From45To54,
            55..=64 => AgeBand::From55To64,
            65..=74 => AgeBand::From65To74,
            _ => AgeBand::From75,
        }
    }

    /// The ages in the band, `TOP_AGE` standing for "90 and over".
    pub fn ages(self) -> std::ops::RangeInclusive<u32> {
        match self {
            AgeBand::Under18 => 0..=17,
            AgeBand::From18To24 => 18..=24,
            AgeBand::From25To34 => 25..=34,
            AgeBand::From35To44 => 35..=44,
            AgeBand::From45To54 => 45..=54,
            AgeBand::From55To64 => 55..=64,
            AgeBand::From65To74 => 65..=74,
            AgeBand::From75 => 75..=TOP_AGE,
        }
    }

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            AgeBand::Under18 => "0-17",
            AgeBand::From18To24 => "18-24",
            AgeBand::From25To34 => "25-34",
            AgeBand::From35To44 => "35-44",
            AgeBand::From45To54 => "45-54",
            AgeBand::From55To64 => "55-64",
            AgeBand::From65To74 => "65-74",
            AgeBand::From75 => "75+",
        }
    }

    pub fn from_key(key: &str) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|b| b.key() == key)
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A deprivation decile: 1 is the most deprived tenth of neighbourhoods in
/// the nation, 10 the least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decile(u8);

impl Decile {
    pub fn new(n: i64) -> Option<Decile> {
        (1..=10).contains(&n).then_some(Decile(n as u8))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// The decile of a rank among `of` neighbourhoods (rank 1 the most
    /// deprived): decile d holds the ranks above (d − 1) tenths of `of` and
    /// at most d tenths, so decile 1 is the first tenth of ranks.
    pub fn of_rank(rank: u32, of: u32) -> Option<Decile> {
        if rank == 0 || rank > of {
            return None;
        }
        let decile = (u64::from(rank) * 10).div_ceil(u64::from(of));
        Decile::new(decile as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_age_has_one_band_and_the_bands_cover_every_age() {
        for age in 0..=TOP_AGE + 20 {
            let band = AgeBand::of_age(age);
            assert!(band.ages().contains(&age.min(TOP_AGE)), "{age} in {band}");
            assert_eq!(AgeBand::from_key(band.key()), Some(band));
        }
        let covered: u32 = AgeBand::ALL.iter().map(|b| b.ages().count() as u32).sum();
        assert_eq!(covered, TOP_AGE + 1);
    }

    #[test]
    fn ranks_cut_into_tenths_as_published() {
        // WIMD 2019 ranks 1,909 neighbourhoods; a tenth of them is 190.9.
        assert_eq!(Decile::of_rank(1, 1909).map(Decile::get), Some(1));
        assert_eq!(Decile::of_rank(190, 1909).map(Decile::get), Some(1));
        assert_eq!(Decile::of_rank(191, 1909).map(Decile::get), Some(2));
        assert_eq!(Decile::of_rank(1909, 1909).map(Decile::get), Some(10));
        assert_eq!(Decile::of_rank(0, 1909), None);
        assert_eq!(Decile::of_rank(1910, 1909), None);
        assert_eq!(Decile::new(0), None);
        assert_eq!(Decile::new(11), None);
    }
}
