//! Council rules in the count, as a round keeps them: limits on the money
//! bids of a category or an area may receive, the least support a bid
//! needs, sets of bids of which at most one may be funded, and bids funded
//! first. The counting module defines what each rule means
//! (`tally::constraints`); this is the round's copy, in pence and bid ids,
//! and what each pot's ballots file carries of it.
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A limit: an amount of money, or a share of the pot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Limit {
    /// Pence; whole pounds, since the ballots files write money in pounds.
    Pence(u64),
    /// `"30%"`, `"12.5%"`.
    Share(String),
}

impl Limit {
    /// As the counting module reads it: pounds as a string of digits, or
    /// the share.
    fn to_tally(&self) -> Value {
        match self {
            Limit::Pence(p) => json!((p / 100).to_string()),
            Limit::Share(s) => json!(s),
        }
    }
}

/// The rules a round's count applies in each of its pots.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountConstraints {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub category_max: BTreeMap<String, Limit>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub category_min: BTreeMap<String, Limit>,
    /// By area id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub area_max: BTreeMap<i64, Limit>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub area_min: BTreeMap<i64, Limit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_votes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_share: Option<String>,
    /// Bid ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exclusive: Vec<Vec<i64>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub must_fund: Vec<i64>,
}

/// The rules that can apply constraints: the ones that fund one bid at a
/// time from allocation ballots.
pub const CONSTRAINED_RULES: &[&str] = &[
    "greedy",
    "greedy-no-skip",
    "mes",
    "mes-add1",
    "mes-add1-no-early-stop",
    "phragmen",
];

/// A bid of one pot's ballot, as the constraints see it.
pub struct PotBid<'a> {
    pub id: i64,
    pub category: &'a str,
    pub area_id: i64,
}

impl CountConstraints {
    pub fn is_empty(&self) -> bool {
        *self == CountConstraints::default()
    }

    /// Every bid the rules name (in exclusive sets or funded first).
    pub fn named_bids(&self) -> std::collections::BTreeSet<i64> {
        self.exclusive
            .iter()
            .flatten()
            .chain(&self.must_fund)
            .copied()
            .collect()
    }

    /// Every area the rules name.
    pub fn named_areas(&self) -> std::collections::BTreeSet<i64> {
        self.area_max
            .keys()
            .chain(self.area_min.keys())
            .copied()
            .collect()
    }

    /// Checks everything that does not need the bids: the rule can apply
    /// constraints, every amount and share is well formed, categories are
    /// known, sets have two bids or more, and no bid is named twice. The
    /// bids themselves are checked against each pot when voting opens
    /// (`for_pot` and the counting module's own checks).
    pub fn parse(self, rule: &str, categories: &[&str]) -> Result<Self, String> {
        if self.is_empty() {
            return Ok(self);
        }
        if !CONSTRAINED_RULES.contains(&rule) {
            return Err(format!(
                "council rules apply only with the counting rules {}, not `{rule}`",
                CONSTRAINED_RULES.join(", ")
            ));
        }
        for (what, m) in [
            ("maximum", &self.category_max),
            ("minimum", &self.category_min),
        ] {
            for (category, limit) in m {
                if !categories.contains(&category.as_str()) {
                    return Err(format!(
                        "a category {what} names `{category}`, which is not a bid category ({})",
                        categories.join(", ")
                    ));
                }
                check_limit(limit, &format!("the {what} for {category}"))?;
            }
        }
        for (what, m) in [("maximum", &self.area_max), ("minimum", &self.area_min)] {
            for (area, limit) in m {
                check_limit(limit, &format!("the {what} for area {area}"))?;
            }
        }
        for (k, max) in &self.category_max {
            if let Some(min) = self.category_min.get(k) {
                check_order(min, max, &format!("the category {k}"))?;
            }
        }
        for (k, max) in &self.area_max {
            if let Some(min) = self.area_min.get(k) {
                check_order(min, max, &format!("area {k}"))?;
            }
        }
        if self.min_votes.is_some() && self.min_share.is_some() {
            return Err("give the least number of votes or the least share, not both".into());
        }
        if let Some(s) = &self.min_share {
            if tally::constraints::Percent::parse(s).is_none() {
                return Err(format!(
                    "the least share of the voters `{s}` is not a share (write e.g. \"5%\")"
                ));
            }
        }
        let mut seen = Vec::new();
        for (i, set) in self.exclusive.iter().enumerate() {
            if set.len() < 2 {
                return Err(format!("exclusive set {} needs at least two bids", i + 1));
            }
            for id in set {
                if seen.contains(id) {
                    return Err(format!(
                        "bid {id} is in more than one exclusive set, or twice in one"
                    ));
                }
                seen.push(*id);
            }
        }
        for (i, id) in self.must_fund.iter().enumerate() {
            if self.must_fund[..i].contains(id) {
                return Err(format!(
                    "bid {id} is named twice among the bids funded first"
                ));
            }
        }
        // The counting module reads the same rules the same way.
        tally::constraints::Constraints::from_json(&self.to_tally(None)).map_err(|e| e.0)?;
        Ok(self)
    }

    /// All the constraints as the counting module reads them (`pot`
    /// `None`), or what applies in one pot: its bids' exclusive sets and
    /// bids funded first; and limits for the categories and areas its bids
    /// have (a maximum for a category no bid has cannot bind and is left
    /// out; a minimum is kept, and the counting module refuses it, so that
    /// a minimum is never dropped unseen). `None` when nothing applies.
    pub fn to_tally(&self, pot: Option<&[PotBid<'_>]>) -> Value {
        let has_category = |c: &str| pot.is_none_or(|b| b.iter().any(|x| x.category == c));
        let has_area = |a: i64| pot.is_none_or(|b| b.iter().any(|x| x.area_id == a));
        let in_pot = |id: i64| pot.is_none_or(|b| b.iter().any(|x| x.id == id));
        let mut o = Map::new();
        let limits = |m: &BTreeMap<String, Limit>, keep_all: bool| -> Map<String, Value> {
            m.iter()
                .filter(|(k, _)| keep_all || has_category(k))
                .map(|(k, l)| (k.clone(), l.to_tally()))
                .collect()
        };
        let areas = |m: &BTreeMap<i64, Limit>, keep_all: bool| -> Map<String, Value> {
            m.iter()
                .filter(|(k, _)| keep_all || has_area(**k))
                .map(|(k, l)| (k.to_string(), l.to_tally()))
                .collect()
        };
        for (key, m) in [
            ("category_max", limits(&self.category_max, false)),
            ("category_min", limits(&self.category_min, true)),
            ("area_max", areas(&self.area_max, false)),
            ("area_min", areas(&self.area_min, true)),
        ] {
            if !m.is_empty() {
                o.insert(key.into(), Value::Object(m));
            }
        }
        if let Some(v) = self.min_votes {
            o.insert("min_votes".into(), json!(v));
        }
        if let Some(s) = &self.min_share {
            o.insert("min_share".into(), json!(s));
        }
        let sets: Vec<Vec<String>> = self
            .exclusive
            .iter()
            .map(|s| {
                s.iter()
                    .filter(|id| in_pot(**id))
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|s| s.len() >= 2)
            .collect();
        if !sets.is_empty() {
            o.insert("exclusive".into(), json!(sets));
        }
        let must: Vec<String> = self
            .must_fund
            .iter()
            .filter(|id| in_pot(**id))
            .map(i64::to_string)
            .collect();
        if !must.is_empty() {
            o.insert("must_fund".into(), json!(must));
        }
        Value::Object(o)
    }
}

fn check_limit(limit: &Limit, what: &str) -> Result<(), String> {
    match limit {
        Limit::Pence(p) if p % 100 != 0 => Err(format!(
            "{what} must be whole pounds (the results files write money in pounds)"
        )),
        Limit::Pence(_) => Ok(()),
        Limit::Share(s) => tally::constraints::Percent::parse(s)
            .map(|_| ())
            .ok_or_else(|| {
                format!("{what}: `{s}` is not a share of the pot (write e.g. \"30%\" or \"12.5%\", at most 100%)")
            }),
    }
}

/// A minimum above its maximum, when both are amounts or both shares.
fn check_order(min: &Limit, max: &Limit, what: &str) -> Result<(), String> {
    let above = match (min, max) {
        (Limit::Pence(a), Limit::Pence(b)) => a > b,
        (Limit::Share(a), Limit::Share(b)) => {
            match (
                tally::constraints::Percent::parse(a),
                tally::constraints::Percent::parse(b),
            ) {
                (Some(a), Some(b)) => {
                    u128::from(a.num) * u128::from(b.den) > u128::from(b.num) * u128::from(a.den)
                }
                _ => false,
            }
        }
        _ => false,
    };
    if above {
        return Err(format!("the minimum for {what} is above its maximum"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATS: &[&str] = &["transport", "green spaces"];

    fn bids() -> Vec<PotBid<'static>> {
        vec![
            PotBid {
                id: 7,
                category: "transport",
                area_id: 1,
            },
            PotBid {
                id: 8,
                category: "transport",
                area_id: 2,
            },
        ]
    }

    #[test]
    fn limits_are_checked_and_written_as_the_counting_module_reads_them() {
        let c = CountConstraints {
            category_max: BTreeMap::from([("transport".into(), Limit::Share("30%".into()))]),
            area_min: BTreeMap::from([(1, Limit::Pence(500_000))]),
            min_votes: Some(100),
            exclusive: vec![vec![7, 8]],
            must_fund: vec![7],
            ..Default::default()
        }
        .parse("mes-add1", CATS)
        .unwrap();
        assert_eq!(
            c.to_tally(None),
            json!({"category_max": {"transport": "30%"}, "area_min": {"1": "5000"},
                   "min_votes": 100, "exclusive": [["7", "8"]], "must_fund": ["7"]})
        );
        // Stored and read back unchanged.
        let stored = serde_json::to_string(&c).unwrap();
        assert_eq!(
            serde_json::from_str::<CountConstraints>(&stored).unwrap(),
            c
        );
    }

    #[test]
    fn each_wrong_rule_is_refused_with_its_reason() {
        let with = |c: CountConstraints, rule: &str| c.parse(rule, CATS).unwrap_err();
        let cap = |l: Limit| CountConstraints {
            category_max: BTreeMap::from([("transport".into(), l)]),
            ..Default::default()
        };
        assert!(with(cap(Limit::Share("30%".into())), "borda").contains("apply only"));
        assert!(with(cap(Limit::Share("130%".into())), "greedy").contains("not a share"));
        assert!(with(cap(Limit::Pence(150)), "greedy").contains("whole pounds"));
        let unknown = CountConstraints {
            category_min: BTreeMap::from([("sport".into(), Limit::Pence(100))]),
            ..Default::default()
        };
        assert!(with(unknown, "greedy").contains("not a bid category"));
        let upside = CountConstraints {
            area_max: BTreeMap::from([(1, Limit::Share("10%".into()))]),
            area_min: BTreeMap::from([(1, Limit::Share("12.5%".into()))]),
            ..Default::default()
        };
        assert!(with(upside, "greedy").contains("above its maximum"));
        let lonely = CountConstraints {
            exclusive: vec![vec![7]],
            ..Default::default()
        };
        assert!(with(lonely, "greedy").contains("at least two"));
        let both = CountConstraints {
            min_votes: Some(3),
            min_share: Some("5%".into()),
            ..Default::default()
        };
        assert!(with(both, "greedy").contains("not both"));
        // None at all fits any rule.
        assert!(CountConstraints::default().parse("borda", CATS).is_ok());
    }

    #[test]
    fn a_pot_carries_its_own_bids_and_every_minimum() {
        let c = CountConstraints {
            category_max: BTreeMap::from([("green spaces".into(), Limit::Share("10%".into()))]),
            category_min: BTreeMap::from([("green spaces".into(), Limit::Pence(100))]),
            area_max: BTreeMap::from([(2, Limit::Pence(100)), (3, Limit::Pence(100))]),
            exclusive: vec![vec![7, 8], vec![9, 10]],
            must_fund: vec![9],
            ..Default::default()
        };
        assert_eq!(
            c.to_tally(Some(&bids())),
            json!({"category_min": {"green spaces": "1"}, "area_max": {"2": "1"},
                   "exclusive": [["7", "8"]]})
        );
    }
}
