//! Council rules in the count, as the API shows and takes them.
use super::scalars::Pence;
use crate::domain::constraints::{self as domain, Limit};
use async_graphql::{InputObject, SimpleObject, ID};
use std::collections::BTreeMap;

/// A limit on the money bids of one category, or of one area, may receive
/// in a pot's count: an amount or a share of the pot (exactly one is set).
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "SpendingLimitInput")]
pub struct SpendingLimit {
    /// A bid category (categoryMax, categoryMin) or an area's id (areaMax,
    /// areaMin).
    pub key: String,
    /// Whole pounds, in pence.
    pub pence: Option<Pence>,
    /// A share of the pot, as "30%" or "12.5%".
    pub share: Option<String>,
}

/// Council rules the count applies in every pot of the round: spending
/// limits by category and area, the least support a bid needs, sets of bids
/// of which at most one may be funded, and bids funded first.
#[derive(SimpleObject, InputObject, Clone, Default)]
#[graphql(input_name = "CountConstraintsInput")]
pub struct CountConstraints {
    #[graphql(default)]
    pub category_max: Vec<SpendingLimit>,
    #[graphql(default)]
    pub category_min: Vec<SpendingLimit>,
    #[graphql(default)]
    pub area_max: Vec<SpendingLimit>,
    #[graphql(default)]
    pub area_min: Vec<SpendingLimit>,
    /// The least number of votes a bid needs to be fundable.
    pub min_votes: Option<u32>,
    /// Or the least share of the voters, as "5%".
    pub min_share: Option<String>,
    /// Sets of bid ids of which at most one may be funded.
    #[graphql(default)]
    pub exclusive: Vec<Vec<ID>>,
    /// Bid ids funded first, their cost taken from the pot.
    #[graphql(default)]
    pub must_fund: Vec<ID>,
}

impl SpendingLimit {
    /// A limit as the API shows it.
    pub fn of(key: impl ToString, limit: &Limit) -> SpendingLimit {
        let (pence, share) = match limit {
            Limit::Pence(p) => (Some(Pence(*p as i64)), None),
            Limit::Share(s) => (None, Some(s.clone())),
        };
        SpendingLimit {
            key: key.to_string(),
            pence,
            share,
        }
    }

    /// The key as typed (trimmed) and the limit: an amount or a share,
    /// exactly one, never negative.
    pub fn parse(self, what: &str) -> Result<(String, Limit), String> {
        let key = self.key.trim().to_owned();
        if key.is_empty() {
            return Err(format!("a {what} needs a category or an area"));
        }
        let limit = match (self.pence, self.share) {
            (Some(p), None) if p.0 >= 0 => Limit::Pence(p.0 as u64),
            (Some(_), None) => return Err(format!("the {what} for {key} must not be negative")),
            (None, Some(s)) => Limit::Share(s.trim().to_owned()),
            _ => {
                return Err(format!(
                    "the {what} for {key} needs an amount or a share, exactly one"
                ))
            }
        };
        Ok((key, limit))
    }
}

fn limits_out<K: ToString>(m: &BTreeMap<K, Limit>) -> Vec<SpendingLimit> {
    m.iter()
        .map(|(k, l)| SpendingLimit::of(k.to_string(), l))
        .collect()
}

impl From<domain::CountConstraints> for CountConstraints {
    fn from(c: domain::CountConstraints) -> Self {
        let ids = |v: &[i64]| v.iter().map(|i| ID(i.to_string())).collect::<Vec<_>>();
        CountConstraints {
            category_max: limits_out(&c.category_max),
            category_min: limits_out(&c.category_min),
            area_max: limits_out(&c.area_max),
            area_min: limits_out(&c.area_min),
            min_votes: c.min_votes.map(|v| v.min(u64::from(u32::MAX)) as u32),
            min_share: c.min_share,
            exclusive: c.exclusive.iter().map(|s| ids(s)).collect(),
            must_fund: ids(&c.must_fund),
        }
    }
}

/// A round's limit: categories are stored in lower case.
fn limit_in(l: SpendingLimit, what: &str) -> Result<(String, Limit), String> {
    let (key, limit) = l.parse(what)?;
    Ok((key.to_lowercase(), limit))
}

fn categories_in(v: Vec<SpendingLimit>, what: &str) -> Result<BTreeMap<String, Limit>, String> {
    let mut out = BTreeMap::new();
    for l in v {
        let (k, limit) = limit_in(l, what)?;
        if out.insert(k.clone(), limit).is_some() {
            return Err(format!("{k} has two {what}s"));
        }
    }
    Ok(out)
}

fn areas_in(v: Vec<SpendingLimit>, what: &str) -> Result<BTreeMap<i64, Limit>, String> {
    let mut out = BTreeMap::new();
    for l in v {
        let (k, limit) = limit_in(l, what)?;
        let id: i64 = k
            .parse()
            .map_err(|_| format!("an area {what} names `{k}`, which is not an area id"))?;
        if out.insert(id, limit).is_some() {
            return Err(format!("area {id} has two {what}s"));
        }
    }
    Ok(out)
}

fn bid_ids(v: Vec<ID>) -> Result<Vec<i64>, String> {
    v.into_iter()
        .map(|id| {
            id.trim()
                .parse::<i64>()
                .map_err(|_| format!("`{}` is not a bid id", id.as_str()))
        })
        .collect()
}

impl CountConstraints {
    /// The domain's constraints; the counting rule checks them further.
    pub fn into_domain(self) -> Result<domain::CountConstraints, String> {
        Ok(domain::CountConstraints {
            category_max: categories_in(self.category_max, "maximum")?,
            category_min: categories_in(self.category_min, "minimum")?,
            area_max: areas_in(self.area_max, "maximum")?,
            area_min: areas_in(self.area_min, "minimum")?,
            min_votes: self.min_votes.map(u64::from),
            min_share: self
                .min_share
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            exclusive: self
                .exclusive
                .into_iter()
                .map(bid_ids)
                .collect::<Result<_, _>>()?,
            must_fund: bid_ids(self.must_fund)?,
        })
    }
}
