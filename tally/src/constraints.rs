//! Council rules in the count: limits on the money given to a category or
//! an area, the least support a bid needs, sets of bids of which at most
//! one may be funded, and bids committed before the count.
//!
//! Constraints are written as one JSON object (the `.pb` META key
//! `constraints`, or the command line's `--constraints FILE.json`):
//!
//! ```json
//! {"category_max":{"transport":"30%"},"area_min":{"1":"500000"},
//!  "min_votes":100,"exclusive":[["12","13"]],"must_fund":["7"]}
//! ```
//!
//! **Definitions.** `B` is the pot's budget, `S` the bids funded so far
//! (the `must_fund` bids first), `spent(S)` their cost, and for a limit
//! `k` (a category or an area) `money_k(S)` the cost of the bids of `S`
//! that belong to it. A bid belongs to each category its `category`
//! column lists (comma-separated) and each area its `area` column lists.
//!
//! - An amount is whole money units of the file (pence), as a JSON integer
//!   or a string of digits, or a share of `B` written `"30%"` or
//!   `"12.5%"` (at most six decimals, at most 100%). A share is resolved
//!   exactly: a maximum to `floor(B × share)`, a minimum to
//!   `ceil(B × share)` (money is whole units, so `money ≤ B × share`
//!   exactly when `money ≤ floor(B × share)`, and likewise for `≥`).
//! - `category_max` / `area_max`: `money_k ≤ max_k` in every outcome. A bid
//!   whose funding would take one of its categories or areas over its
//!   maximum is passed over.
//! - `category_min` / `area_min`: the rules aim at `money_k ≥ min_k`.
//!   Money is held back: with `need(S) = Σ_k max(0, min_k − money_k(S))`
//!   over every minimum, a bid `c` that fits the budget is passed over
//!   when `need(S ∪ {c}) > 0` and `spent(S ∪ {c}) + need(S ∪ {c}) > B`
//!   (what it contributes to its own categories and areas counts). After
//!   the rule, any minimum not met is filled: the bids of every unmet
//!   minimum, most supported first (ties by the tie-break order), are
//!   funded while they are still in an unmet minimum, fit the money left
//!   and pass every test here. A minimum still not met is reported
//!   (`details.constraints.unmet_minimums`, a note and a step), never
//!   dropped. A bid in two limits with minimums counts for both, so the
//!   money held back may be more than strictly needed.
//! - `min_votes` (a whole number) or `min_share` (a share of the voters,
//!   `"5%"`): a bid is fundable only with at least that many votes, its
//!   votes being the ballots that list it (with more than zero points on
//!   ballots with points).
//! - `exclusive`: sets of at least two bids; once one bid of a set is
//!   funded, the others are passed over.
//! - `must_fund`: funded first, in the order given, their cost taken from
//!   the budget; `min_votes` does not apply to them.
//!
//! Every test is a function of the bids funded so far, so a rule that
//! funds one bid at a time can apply it before each decision. A bid that
//! fails one is passed over; a rule never stops because of a constraint.
//!
//! A set of constraints that cannot hold is refused before counting, with
//! the reason: an unknown key or project, a malformed amount, a category
//! or area no bid has, a minimum above its maximum, minimums of one kind
//! adding up to more than the budget, a minimum above the total cost of
//! the bids that could meet it, `must_fund` bids that cost more than the
//! budget, break a maximum or share an exclusive set, or leave too little
//! for the minimums.

use crate::model::{Election, Money};
use crate::pb::format_money;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Why a set of constraints was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstraintError(pub String);

impl fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "constraints: {}", self.0)
    }
}

impl std::error::Error for ConstraintError {}

fn bad<T>(msg: impl Into<String>) -> Result<T, ConstraintError> {
    Err(ConstraintError(msg.into()))
}

/// A share in percent, exactly `num / den` percent (`den` a power of ten).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Percent {
    pub num: u64,
    pub den: u64,
}

impl Percent {
    /// `"30%"`, `"12.5%"`: at most three digits before the point, at most
    /// six after it, at most 100%.
    pub fn parse(s: &str) -> Option<Percent> {
        let body = s.trim().strip_suffix('%')?.trim_end();
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || int.len() > 3 || frac.len() > 6 || !digits(int) || !digits(frac) {
            return None;
        }
        if body.contains('.') && frac.is_empty() {
            return None;
        }
        let den = 10u64.pow(frac.len() as u32);
        let num = int.parse::<u64>().ok()? * den + frac.parse::<u64>().unwrap_or(0);
        (num <= 100 * den).then_some(Percent { num, den })
    }

    /// Written back, without needless zeros (`"12.5%"`).
    pub fn text(&self) -> String {
        let int = self.num / self.den;
        let frac = self.num % self.den;
        if frac == 0 {
            return format!("{int}%");
        }
        // den = 10^width
        let width = self.den.to_string().len() - 1;
        let f = format!("{frac:0width$}");
        format!("{int}.{}%", f.trim_end_matches('0'))
    }

    /// `floor(total × share)`.
    fn floor_of(&self, total: u128) -> u128 {
        total * u128::from(self.num) / (100 * u128::from(self.den))
    }

    /// `ceil(total × share)`.
    fn ceil_of(&self, total: u128) -> u128 {
        let d = 100 * u128::from(self.den);
        (total * u128::from(self.num)).div_ceil(d)
    }
}

/// An amount: whole money units, or a share of the budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Amount {
    /// Whole money units as the file writes them (pence).
    Money(u64),
    Share(Percent),
}

impl Amount {
    fn parse(v: &Value, what: &str) -> Result<Amount, ConstraintError> {
        match v {
            Value::Number(n) => match n.as_u64() {
                Some(x) => Ok(Amount::Money(x)),
                None => bad(format!(
                    "{what}: `{n}` is not a whole, non-negative amount of money"
                )),
            },
            Value::String(s) => {
                let t = s.trim();
                if t.ends_with('%') {
                    return Percent::parse(t).map(Amount::Share).ok_or_else(|| {
                        ConstraintError(format!(
                            "{what}: `{s}` is not a share of the budget (write e.g. \"30%\" or \"12.5%\", at most 100%)"
                        ))
                    });
                }
                if !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()) {
                    return Ok(Amount::Money(t.parse().unwrap_or(0)));
                }
                bad(format!(
                    "{what}: `{s}` is neither whole money units (pence, e.g. \"500000\") nor a share (\"30%\")"
                ))
            }
            other => bad(format!(
                "{what}: `{other}` is neither whole money units nor a share of the budget"
            )),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Amount::Money(x) => Value::String(x.to_string()),
            Amount::Share(p) => Value::String(p.text()),
        }
    }

    /// In the election's money, a maximum rounded down, a minimum up.
    fn resolve(&self, budget: Money, scale: u32, maximum: bool) -> u128 {
        match self {
            Amount::Money(x) => u128::from(*x) * 10u128.pow(scale),
            Amount::Share(p) if maximum => p.floor_of(u128::from(budget)),
            Amount::Share(p) => p.ceil_of(u128::from(budget)),
        }
    }
}

/// A set of constraints as written (before it meets an election).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Constraints {
    pub category_max: BTreeMap<String, Amount>,
    pub category_min: BTreeMap<String, Amount>,
    pub area_max: BTreeMap<String, Amount>,
    pub area_min: BTreeMap<String, Amount>,
    pub min_votes: Option<u64>,
    pub min_share: Option<Percent>,
    pub exclusive: Vec<Vec<String>>,
    pub must_fund: Vec<String>,
}

/// The keys a constraints object may have.
pub const KEYS: [&str; 8] = [
    "category_max",
    "category_min",
    "area_max",
    "area_min",
    "min_votes",
    "min_share",
    "exclusive",
    "must_fund",
];

fn id_of(v: &Value, what: &str) -> Result<String, ConstraintError> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        other => bad(format!("{what}: `{other}` is not a project id")),
    }
}

fn ids_of(v: &Value, what: &str) -> Result<Vec<String>, ConstraintError> {
    let Value::Array(a) = v else {
        return bad(format!("{what} must be a list of project ids"));
    };
    let ids = a
        .iter()
        .map(|x| id_of(x, what))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return bad(format!("{what} names project `{id}` twice"));
        }
    }
    Ok(ids)
}

fn amounts_of(v: &Value, key: &str) -> Result<BTreeMap<String, Amount>, ConstraintError> {
    let Value::Object(o) = v else {
        return bad(format!(
            "{key} must be an object from names to amounts, e.g. {{\"transport\":\"30%\"}}"
        ));
    };
    let mut out = BTreeMap::new();
    for (name, amount) in o {
        let name_t = name.trim();
        if name_t.is_empty() {
            return bad(format!("{key} has an empty name"));
        }
        out.insert(
            name_t.to_owned(),
            Amount::parse(amount, &format!("{key} `{name_t}`"))?,
        );
    }
    Ok(out)
}

impl Constraints {
    /// Reads the JSON text of a constraints object.
    pub fn parse(text: &str) -> Result<Constraints, ConstraintError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| ConstraintError(format!("not valid JSON: {e}")))?;
        Constraints::from_json(&v)
    }

    /// Reads a constraints object; unknown keys are refused.
    pub fn from_json(v: &Value) -> Result<Constraints, ConstraintError> {
        let Value::Object(o) = v else {
            return bad("must be a JSON object");
        };
        let mut c = Constraints::default();
        for (key, value) in o {
            match key.as_str() {
                "category_max" => c.category_max = amounts_of(value, key)?,
                "category_min" => c.category_min = amounts_of(value, key)?,
                "area_max" => c.area_max = amounts_of(value, key)?,
                "area_min" => c.area_min = amounts_of(value, key)?,
                "min_votes" => {
                    c.min_votes = Some(
                        value
                            .as_u64()
                            .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
                            .ok_or_else(|| {
                                ConstraintError(format!(
                                    "min_votes: `{value}` is not a whole number of votes"
                                ))
                            })?,
                    )
                }
                "min_share" => {
                    c.min_share =
                        Some(value.as_str().and_then(Percent::parse).ok_or_else(|| {
                            ConstraintError(format!(
                            "min_share: `{value}` is not a share of the voters (write e.g. \"5%\")"
                        ))
                        })?)
                }
                "exclusive" => {
                    let Value::Array(sets) = value else {
                        return bad("exclusive must be a list of lists of project ids");
                    };
                    for (i, set) in sets.iter().enumerate() {
                        let what = format!("exclusive set {}", i + 1);
                        let ids = ids_of(set, &what)?;
                        if ids.len() < 2 {
                            return bad(format!("{what} needs at least two bids"));
                        }
                        c.exclusive.push(ids);
                    }
                }
                "must_fund" => c.must_fund = ids_of(value, "must_fund")?,
                other => {
                    return bad(format!(
                        "unknown key `{other}` (the keys are {})",
                        KEYS.join(", ")
                    ))
                }
            }
        }
        if c.min_votes.is_some() && c.min_share.is_some() {
            return bad("give min_votes or min_share, not both");
        }
        Ok(c)
    }

    /// No constraint at all.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// The constraints in one canonical form: amounts as strings, only the
    /// keys given.
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        let amounts = |m: &BTreeMap<String, Amount>| {
            Value::Object(m.iter().map(|(k, a)| (k.clone(), a.to_json())).collect())
        };
        for (key, m) in [
            ("category_max", &self.category_max),
            ("category_min", &self.category_min),
            ("area_max", &self.area_max),
            ("area_min", &self.area_min),
        ] {
            if !m.is_empty() {
                o.insert(key.into(), amounts(m));
            }
        }
        if let Some(v) = self.min_votes {
            o.insert("min_votes".into(), json!(v));
        }
        if let Some(p) = &self.min_share {
            o.insert("min_share".into(), json!(p.text()));
        }
        if !self.exclusive.is_empty() {
            o.insert("exclusive".into(), json!(self.exclusive));
        }
        if !self.must_fund.is_empty() {
            o.insert("must_fund".into(), json!(self.must_fund));
        }
        Value::Object(o)
    }

    /// The constraints once the projects `removed` have left an election
    /// whose projects are now `kept` (a correction): the removed projects
    /// leave `must_fund` and the exclusive sets (a set left with one bid is
    /// no constraint), and a maximum whose category or area no kept
    /// project has, which can no longer bind, goes. Minimums stay: one that
    /// can no longer be met is refused when counting, never dropped.
    pub fn without(&self, removed: &[String], kept: &[crate::model::Project]) -> Constraints {
        let mut c = self.clone();
        c.must_fund.retain(|id| !removed.contains(id));
        for set in &mut c.exclusive {
            set.retain(|id| !removed.contains(id));
        }
        c.exclusive.retain(|set| set.len() >= 2);
        c.category_max.retain(|k, _| {
            kept.iter()
                .any(|p| names(p.category.as_deref()).contains(k))
        });
        c.area_max
            .retain(|k, _| kept.iter().any(|p| names(p.area()).contains(k)));
        c
    }

    /// The constraints a `.pb` file's META carries (key `constraints`), if
    /// any.
    pub fn of_election(e: &Election) -> Result<Option<Constraints>, ConstraintError> {
        match e.meta("constraints") {
            None => Ok(None),
            Some(text) => Constraints::parse(text)
                .map(Some)
                .map_err(|ConstraintError(m)| ConstraintError(format!("META constraints: {m}"))),
        }
    }
}

/// What a limit bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    CategoryMax,
    CategoryMin,
    AreaMax,
    AreaMin,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::CategoryMax => "category_max",
            Kind::CategoryMin => "category_min",
            Kind::AreaMax => "area_max",
            Kind::AreaMin => "area_min",
        }
    }

    fn is_max(self) -> bool {
        matches!(self, Kind::CategoryMax | Kind::AreaMax)
    }

    fn is_area(self) -> bool {
        matches!(self, Kind::AreaMax | Kind::AreaMin)
    }

    /// "category ‘transport’" in English and Welsh.
    fn en(self, key: &str) -> String {
        if self.is_area() {
            format!("area ‘{key}’")
        } else {
            format!("category ‘{key}’")
        }
    }

    fn cy(self, key: &str) -> String {
        if self.is_area() {
            format!("yr ardal ‘{key}’")
        } else {
            format!("y categori ‘{key}’")
        }
    }

    /// Without the article, for after "â’r" ("with the").
    fn cy_bare(self, key: &str) -> String {
        if self.is_area() {
            format!("ardal ‘{key}’")
        } else {
            format!("categori ‘{key}’")
        }
    }
}

/// One limit on the money given to a category or an area.
#[derive(Clone, Debug)]
pub struct Limit {
    pub kind: Kind,
    pub key: String,
    pub given: Amount,
    /// In the election's money.
    pub limit: u128,
    /// The bids it covers, in file order.
    pub members: Vec<usize>,
}

/// Constraints resolved against one election: what every test needs.
#[derive(Clone, Debug)]
pub struct Plan {
    pub spec: Constraints,
    pub budget: Money,
    scale: u32,
    costs: Vec<Money>,
    ids: Vec<String>,
    pub limits: Vec<Limit>,
    /// The limits each bid is in.
    of_project: Vec<Vec<u32>>,
    pub sets: Vec<Vec<usize>>,
    sets_of: Vec<Vec<u32>>,
    /// Each bid's votes (ballots that list it), and the least a bid needs.
    pub votes: Vec<u64>,
    pub min_votes: Option<u64>,
    pub must_fund: Vec<usize>,
}

/// Splits a `category` or `area` value into its names.
pub fn names(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Plan {
    /// Resolves the constraints against an election, refusing a set that
    /// cannot hold (see the module documentation).
    pub fn new(spec: &Constraints, e: &Election) -> Result<Plan, ConstraintError> {
        let m = e.projects.len();
        let index = |id: &str, what: &str| {
            e.project_index(id)
                .ok_or_else(|| ConstraintError(format!("{what}: `{id}` is not a project here")))
        };
        let must_fund = spec
            .must_fund
            .iter()
            .map(|id| index(id, "must_fund"))
            .collect::<Result<Vec<_>, _>>()?;
        let sets = spec
            .exclusive
            .iter()
            .enumerate()
            .map(|(i, set)| {
                set.iter()
                    .map(|id| index(id, &format!("exclusive set {}", i + 1)))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut sets_of = vec![Vec::new(); m];
        for (s, set) in sets.iter().enumerate() {
            for &p in set {
                sets_of[p].push(s as u32);
            }
        }
        // Votes: ballots that list the bid (with points above zero).
        let mut votes = vec![0u64; m];
        for b in &e.ballots {
            match b.points {
                Some(pts) => {
                    for (&p, &x) in b.projects.iter().zip(pts) {
                        if x > 0 {
                            votes[p as usize] += 1;
                        }
                    }
                }
                None => {
                    for &p in b.projects {
                        votes[p as usize] += 1;
                    }
                }
            }
        }
        let voters = e.ballots.len() as u128;
        let min_votes = match (&spec.min_votes, &spec.min_share) {
            (Some(v), _) => Some(*v),
            (None, Some(p)) => Some(p.ceil_of(voters) as u64),
            (None, None) => None,
        };
        let categories: Vec<Vec<String>> = e
            .projects
            .iter()
            .map(|p| names(p.category.as_deref()))
            .collect();
        let areas: Vec<Vec<String>> = e.projects.iter().map(|p| names(p.area())).collect();
        let mut limits = Vec::new();
        for (kind, map) in [
            (Kind::CategoryMax, &spec.category_max),
            (Kind::CategoryMin, &spec.category_min),
            (Kind::AreaMax, &spec.area_max),
            (Kind::AreaMin, &spec.area_min),
        ] {
            for (key, given) in map {
                let of = if kind.is_area() { &areas } else { &categories };
                let members: Vec<usize> = (0..m).filter(|&p| of[p].contains(key)).collect();
                if members.is_empty() {
                    return bad(format!(
                        "{} `{key}`: no bid has this {}",
                        kind.key(),
                        if kind.is_area() { "area" } else { "category" }
                    ));
                }
                limits.push(Limit {
                    kind,
                    key: key.clone(),
                    given: given.clone(),
                    limit: given.resolve(e.budget, e.money_scale, kind.is_max()),
                    members,
                });
            }
        }
        let mut of_project = vec![Vec::new(); m];
        for (k, l) in limits.iter().enumerate() {
            for &p in &l.members {
                of_project[p].push(k as u32);
            }
        }
        let plan = Plan {
            spec: spec.clone(),
            budget: e.budget,
            scale: e.money_scale,
            costs: e.projects.iter().map(|p| p.cost).collect(),
            ids: e.projects.iter().map(|p| p.id.clone()).collect(),
            limits,
            of_project,
            sets,
            sets_of,
            votes,
            min_votes,
            must_fund,
        };
        plan.feasible()?;
        Ok(plan)
    }

    fn money(&self, x: u128) -> String {
        format_money(u64::try_from(x).unwrap_or(u64::MAX), self.scale)
    }

    /// Refuses a set of constraints that cannot hold.
    fn feasible(&self) -> Result<(), ConstraintError> {
        let budget = u128::from(self.budget);
        for l in &self.limits {
            if l.kind.is_max() {
                continue;
            }
            let max_kind = if l.kind.is_area() {
                Kind::AreaMax
            } else {
                Kind::CategoryMax
            };
            if let Some(mx) = self
                .limits
                .iter()
                .find(|x| x.kind == max_kind && x.key == l.key)
            {
                if l.limit > mx.limit {
                    return bad(format!(
                        "{} `{}` is {}, above {} `{}` of {}",
                        l.kind.key(),
                        l.key,
                        self.money(l.limit),
                        mx.kind.key(),
                        mx.key,
                        self.money(mx.limit)
                    ));
                }
            }
            let reachable: u128 = l
                .members
                .iter()
                .filter(|&&p| self.must_fund.contains(&p) || self.enough_votes(p))
                .map(|&p| u128::from(self.costs[p]))
                .sum();
            if l.limit > reachable {
                return bad(format!(
                    "{} `{}` is {}, above the total cost of the bids that could meet it ({}{})",
                    l.kind.key(),
                    l.key,
                    self.money(l.limit),
                    self.money(reachable),
                    if self.min_votes.is_some() {
                        ", bids with enough votes"
                    } else {
                        ""
                    }
                ));
            }
        }
        for (area, name) in [(false, "category_min"), (true, "area_min")] {
            let sum: u128 = self
                .limits
                .iter()
                .filter(|l| !l.kind.is_max() && l.kind.is_area() == area)
                .map(|l| l.limit)
                .sum();
            if sum > budget {
                return bad(format!(
                    "the {name} minimums add up to {}, more than the budget of {}",
                    self.money(sum),
                    self.money(budget)
                ));
            }
        }
        let mut state = State::empty(self);
        for &p in &self.must_fund {
            let id = &self.ids[p];
            if let Some(&s) = self.sets_of[p]
                .iter()
                .find(|&&s| state.taken[s as usize].is_some())
            {
                let other = state.taken[s as usize].unwrap_or(p);
                return bad(format!(
                    "must_fund names `{id}` and `{}`, which are in the same exclusive set",
                    self.ids[other]
                ));
            }
            state.fund(p);
            if state.spent > budget {
                return bad(format!(
                    "the must_fund bids cost {}, more than the budget of {}",
                    self.money(state.spent),
                    self.money(budget)
                ));
            }
            for &k in &self.of_project[p] {
                let l = &self.limits[k as usize];
                if l.kind.is_max() && state.money[k as usize] > l.limit {
                    return bad(format!(
                        "the must_fund bids give {} to {} `{}`, over its maximum of {}",
                        self.money(state.money[k as usize]),
                        l.kind.key(),
                        l.key,
                        self.money(l.limit)
                    ));
                }
            }
        }
        let need = state.need();
        if state.spent + need > budget {
            return bad(format!(
                "after the must_fund bids ({}) the budget of {} leaves {}, less than the {} the minimums still need",
                self.money(state.spent),
                self.money(budget),
                self.money(budget - state.spent),
                self.money(need)
            ));
        }
        Ok(())
    }

    fn enough_votes(&self, p: usize) -> bool {
        self.min_votes.is_none_or(|v| self.votes[p] >= v)
    }

    /// The bids with too few votes (never fundable, unless must_fund).
    pub fn below_min_votes(&self) -> Vec<usize> {
        (0..self.costs.len())
            .filter(|&p| !self.enough_votes(p) && !self.must_fund.contains(&p))
            .collect()
    }

    /// Whether any limit is a minimum.
    pub fn has_minimums(&self) -> bool {
        self.limits.iter().any(|l| !l.kind.is_max())
    }
}

/// Why a constraint passed a bid over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Fewer votes than a bid needs.
    Votes { votes: u64, need: u64 },
    /// Another bid of one of its exclusive sets is funded.
    Exclusive { set: usize, with: usize },
    /// Funding it would take a limit over its maximum.
    Max { limit: usize, total: u128 },
    /// After funding it, less would be left than the unmet minimums need.
    HeldBack { left: u128, need: u128 },
}

/// A step's words about a constraint: the decision term, the sentence in
/// English and Welsh, and the constraint as data.
pub struct Told {
    pub term: &'static str,
    pub en: String,
    pub cy: String,
    pub constraint: Value,
}

impl Told {
    /// Adds `decision`, `because` and `constraint` to a step.
    pub fn put(self, step: &mut Value) {
        step["decision"] = json!(self.term);
        step["because"] = json!({"en": self.en, "cy": self.cy});
        step["constraint"] = self.constraint;
    }
}

impl Plan {
    /// A blocked bid, in words.
    pub fn tell(&self, p: usize, b: &Block) -> Told {
        let cost = self.money(u128::from(self.costs[p]));
        match b {
            Block::Votes { votes, need } => Told {
                term: "below minimum votes",
                en: format!("not fundable: it has {votes} votes and a bid needs at least {need}"),
                cy: format!(
                    "ni ellir ei ariannu: mae ganddo {votes} o bleidleisiau ac mae angen o leiaf {need} ar gais"
                ),
                constraint: json!({"kind": if self.spec.min_share.is_some() {"min_share"} else {"min_votes"},
                    "votes": votes, "need": need}),
            },
            Block::Exclusive { set, with } => {
                let list = self.sets[*set]
                    .iter()
                    .map(|&q| self.ids[q].as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let w = &self.ids[*with];
                Told {
                    term: "passed over: exclusive set",
                    en: format!(
                        "passed over: bid {w} of the same exclusive set ({list}) is already funded, and at most one of them may be"
                    ),
                    cy: format!(
                        "wedi’i hepgor: mae cais {w} o’r un set gyfyngedig ({list}) eisoes wedi cael cyllid, a dim ond un ohonynt a gaiff gyllid"
                    ),
                    constraint: json!({"kind": "exclusive", "set": self.sets[*set].iter().map(|&q| &self.ids[q]).collect::<Vec<_>>(), "funded": w}),
                }
            }
            Block::Max { limit, total } => {
                let l = &self.limits[*limit];
                let (mx, t) = (self.money(l.limit), self.money(*total));
                Told {
                    term: "passed over: over maximum",
                    en: format!(
                        "passed over: funding it ({cost}) would take {} to {t}, over its maximum of {mx}",
                        l.kind.en(&l.key)
                    ),
                    cy: format!(
                        "wedi’i hepgor: byddai ei ariannu ({cost}) yn mynd â’r {} i {t}, dros ei uchafswm o {mx}",
                        l.kind.cy_bare(&l.key)
                    ),
                    constraint: json!({"kind": l.kind.key(), "key": l.key, "limit": mx, "would_be": t}),
                }
            }
            Block::HeldBack { left, need } => {
                let (left, need) = (self.money(*left), self.money(*need));
                Told {
                    term: "passed over: money held for minimums",
                    en: format!(
                        "passed over: funding it would leave {left}, less than the {need} held back for the minimums not yet met"
                    ),
                    cy: format!(
                        "wedi’i hepgor: byddai ei ariannu yn gadael {left}, llai na’r {need} a gedwir yn ôl ar gyfer yr isafsymiau nas cyrhaeddwyd eto"
                    ),
                    constraint: json!({"kind": "minimums", "left": left, "held_back": need}),
                }
            }
        }
    }

    /// A must_fund bid, in words.
    pub fn tell_must_fund(&self) -> Told {
        Told {
            term: "funded",
            en: "funded first: committed before the count (must_fund), its cost taken from the budget".into(),
            cy: "wedi’i ariannu’n gyntaf: wedi’i ymrwymo cyn y cyfrif (must_fund), a’i gost wedi’i thynnu o’r gyllideb".into(),
            constraint: json!({"kind": "must_fund"}),
        }
    }

    /// A bid funded to meet minimums, in words (`state` before funding it).
    pub fn tell_filled(&self, p: usize, state: &State<'_>) -> Told {
        let unmet: Vec<usize> = self.of_project[p]
            .iter()
            .map(|&k| k as usize)
            .filter(|&k| !self.limits[k].kind.is_max() && state.money[k] < self.limits[k].limit)
            .collect();
        let words = |cy: bool| {
            unmet
                .iter()
                .map(|&k| {
                    let l = &self.limits[k];
                    let (have, of) = (self.money(state.money[k]), self.money(l.limit));
                    if cy {
                        format!("{} ({have} o {of} hyd yma)", l.kind.cy(&l.key))
                    } else {
                        format!("{} ({have} of {of} so far)", l.kind.en(&l.key))
                    }
                })
                .collect::<Vec<_>>()
                .join(if cy { " a " } else { " and " })
        };
        Told {
            term: "funded",
            en: format!("funded to meet the minimum for {}", words(false)),
            cy: format!(
                "wedi’i ariannu i gyrraedd yr isafswm ar gyfer {}",
                words(true)
            ),
            constraint: json!({"kind": "minimums", "for": unmet.iter().map(|&k| json!({"kind": self.limits[k].kind.key(), "key": self.limits[k].key})).collect::<Vec<_>>()}),
        }
    }
}

/// The constraints' state during a count: the bids funded so far and what
/// they give each limit.
#[derive(Clone, Debug)]
pub struct State<'p> {
    pub plan: &'p Plan,
    money: Vec<u128>,
    pub spent: u128,
    /// The money the hold-back for minimums is measured against: the
    /// budget, or under Add1 what the raised shares add up to (see
    /// [`State::with_budget`]).
    budget: u128,
    taken: Vec<Option<usize>>,
    funded: Vec<bool>,
}

impl<'p> State<'p> {
    fn empty(plan: &'p Plan) -> Self {
        State {
            plan,
            money: vec![0; plan.limits.len()],
            spent: 0,
            budget: u128::from(plan.budget),
            taken: vec![None; plan.sets.len()],
            funded: vec![false; plan.costs.len()],
        }
    }

    /// The state after the must_fund bids.
    pub fn new(plan: &'p Plan) -> Self {
        let mut s = State::empty(plan);
        for &p in &plan.must_fund {
            s.fund(p);
        }
        s
    }

    /// The state after the must_fund bids, holding money back for the
    /// minimums out of `budget` instead of the pot's budget (Equal Shares
    /// under Add1: the must_fund cost plus what the raised shares add up
    /// to).
    pub fn with_budget(plan: &'p Plan, budget: u128) -> Self {
        let mut s = State::new(plan);
        s.budget = budget;
        s
    }

    pub fn is_funded(&self, p: usize) -> bool {
        self.funded[p]
    }

    /// Records `p` as funded.
    pub fn fund(&mut self, p: usize) {
        let cost = u128::from(self.plan.costs[p]);
        self.spent += cost;
        self.funded[p] = true;
        for &k in &self.plan.of_project[p] {
            self.money[k as usize] += cost;
        }
        for &s in &self.plan.sets_of[p] {
            self.taken[s as usize].get_or_insert(p);
        }
    }

    /// What the unmet minimums still need.
    pub fn need(&self) -> u128 {
        self.need_with(None)
    }

    fn need_with(&self, extra: Option<usize>) -> u128 {
        let add = extra.map(|p| u128::from(self.plan.costs[p]));
        let mut need = 0u128;
        for (k, l) in self.plan.limits.iter().enumerate() {
            if l.kind.is_max() {
                continue;
            }
            let mut have = self.money[k];
            if let (Some(p), Some(c)) = (extra, add) {
                if self.plan.of_project[p].contains(&(k as u32)) {
                    have += c;
                }
            }
            need += l.limit.saturating_sub(have);
        }
        need
    }

    /// Whether a constraint passes `p` over now. A bid that does not fit
    /// the budget at all is not passed over by a constraint: the rule
    /// decides what that means.
    pub fn check(&self, p: usize) -> Option<Block> {
        let plan = self.plan;
        if !self.plan.must_fund.contains(&p) {
            if let Some(need) = plan.min_votes {
                if plan.votes[p] < need {
                    return Some(Block::Votes {
                        votes: plan.votes[p],
                        need,
                    });
                }
            }
        }
        for &s in &plan.sets_of[p] {
            if let Some(with) = self.taken[s as usize] {
                if with != p {
                    return Some(Block::Exclusive {
                        set: s as usize,
                        with,
                    });
                }
            }
        }
        let cost = u128::from(plan.costs[p]);
        for &k in &plan.of_project[p] {
            let l = &plan.limits[k as usize];
            if l.kind.is_max() && self.money[k as usize] + cost > l.limit {
                return Some(Block::Max {
                    limit: k as usize,
                    total: self.money[k as usize] + cost,
                });
            }
        }
        let after = self.spent + cost;
        let budget = self.budget;
        if after <= budget && plan.has_minimums() {
            let need = self.need_with(Some(p));
            if need > 0 && after + need > budget {
                return Some(Block::HeldBack {
                    left: budget - after,
                    need,
                });
            }
        }
        None
    }

    /// The minimums not met, as data.
    pub fn unmet(&self) -> Vec<(usize, u128)> {
        self.plan
            .limits
            .iter()
            .enumerate()
            .filter(|(k, l)| !l.kind.is_max() && self.money[*k] < l.limit)
            .map(|(k, l)| (k, l.limit - self.money[k]))
            .collect()
    }

    /// Whether `p` is in a minimum not yet met.
    pub fn in_unmet_minimum(&self, p: usize) -> bool {
        self.plan.of_project[p].iter().any(|&k| {
            let l = &self.plan.limits[k as usize];
            !l.kind.is_max() && self.money[k as usize] < l.limit
        })
    }

    /// An unmet minimum, in words and as data.
    pub fn tell_unmet(&self, k: usize, short: u128) -> Told {
        let plan = self.plan;
        let l = &plan.limits[k];
        let (lim, have, short) = (
            plan.money(l.limit),
            plan.money(self.money[k]),
            plan.money(short),
        );
        Told {
            term: "minimum not met",
            en: format!(
                "the minimum of {lim} for {} was not met: {have} was funded, {short} short",
                l.kind.en(&l.key)
            ),
            cy: format!(
                "ni chyrhaeddwyd yr isafswm o {lim} ar gyfer {}: cafodd {have} ei ariannu, {short} yn brin",
                l.kind.cy(&l.key)
            ),
            constraint: json!({"kind": l.kind.key(), "key": l.key, "limit": lim, "funded": have, "short_by": short}),
        }
    }

    /// `details.constraints`: every constraint and what became of it.
    pub fn details(&self, passed_over: &[(usize, Value)]) -> Value {
        let plan = self.plan;
        let ids = |v: &[usize]| v.iter().map(|&p| plan.ids[p].clone()).collect::<Vec<_>>();
        let limits: Vec<Value> = plan
            .limits
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let met = if l.kind.is_max() {
                    self.money[k] <= l.limit
                } else {
                    self.money[k] >= l.limit
                };
                json!({
                    "kind": l.kind.key(),
                    "key": l.key,
                    "given": l.given.to_json(),
                    "limit": plan.money(l.limit),
                    "bids": ids(&l.members),
                    "funded": plan.money(self.money[k]),
                    "met": met,
                })
            })
            .collect();
        let unmet: Vec<Value> = self
            .unmet()
            .into_iter()
            .map(|(k, short)| {
                let l = &plan.limits[k];
                json!({"kind": l.kind.key(), "key": l.key, "limit": plan.money(l.limit),
                       "funded": plan.money(self.money[k]), "short_by": plan.money(short)})
            })
            .collect();
        let mut out = json!({
            "spec": plan.spec.to_json(),
            "limits": limits,
            "unmet_minimums": unmet,
            "passed_over": passed_over.iter().map(|(p, c)| json!({"project": plan.ids[*p], "constraint": c})).collect::<Vec<_>>(),
        });
        if let Some(v) = plan.min_votes {
            out["min_votes"] = json!({"need": v, "below": ids(&plan.below_min_votes())});
        }
        if !plan.sets.is_empty() {
            out["exclusive"] = Value::Array(
                plan.sets
                    .iter()
                    .enumerate()
                    .map(|(s, set)| {
                        json!({"bids": ids(set), "funded": self.taken[s].map(|p| plan.ids[p].clone())})
                    })
                    .collect(),
            );
        }
        if !plan.must_fund.is_empty() {
            out["must_fund"] = json!(ids(&plan.must_fund));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_left_out_leave_the_constraints_too() {
        let c = Constraints::parse(
            r#"{"category_max":{"sport":"10%","parks":"20%"},"category_min":{"sport":"1"},
                "exclusive":[["1","2"],["3","4","5"]],"must_fund":["2","6"]}"#,
        )
        .unwrap();
        let project = |id: &str, category: &str| crate::model::Project {
            id: id.into(),
            cost: 1,
            name: None,
            category: Some(category.into()),
            extra: Vec::new(),
        };
        let kept = [
            project("1", "parks"),
            project("3", "parks"),
            project("4", "parks"),
        ];
        let t = c.without(&["2".into(), "5".into(), "6".into()], &kept);
        // Sport has no bid left: its maximum goes, its minimum stays.
        assert_eq!(
            t.to_json(),
            serde_json::json!({"category_max": {"parks": "20%"}, "category_min": {"sport": "1"},
                               "exclusive": [["3", "4"]]})
        );
        assert_eq!(c.without(&[], &kept).must_fund, c.must_fund);
    }

    #[test]
    fn shares_are_exact_and_written_back() {
        let p = Percent::parse("12.5%").unwrap();
        assert_eq!((p.num, p.den), (125, 10));
        assert_eq!(p.text(), "12.5%");
        assert_eq!(Percent::parse("30%").unwrap().text(), "30%");
        assert_eq!(Percent::parse("100%").unwrap().text(), "100%");
        assert_eq!(Percent::parse("0.000001%").unwrap().text(), "0.000001%");
        for bad in [
            "101%",
            "30",
            "%",
            "3.%",
            ".5%",
            "-1%",
            "1e2%",
            "0.0000001%",
            "abc%",
        ] {
            assert_eq!(Percent::parse(bad), None, "{bad}");
        }
        // floor and ceil of 1001 × 30% = 300.3
        let p = Percent::parse("30%").unwrap();
        assert_eq!((p.floor_of(1001), p.ceil_of(1001)), (300, 301));
        assert_eq!((p.floor_of(1000), p.ceil_of(1000)), (300, 300));
    }

    #[test]
    fn the_json_is_read_strictly_and_written_canonically() {
        let c = Constraints::parse(
            r#"{"category_max":{"transport":"30%"},"area_min":{"1":"500000"},"min_votes":100,"exclusive":[["12","13"]],"must_fund":["7"]}"#,
        )
        .unwrap();
        assert_eq!(
            c.category_max["transport"],
            Amount::Share(Percent { num: 30, den: 1 })
        );
        assert_eq!(c.area_min["1"], Amount::Money(500000));
        assert_eq!(
            c.to_json().to_string(),
            r#"{"area_min":{"1":"500000"},"category_max":{"transport":"30%"},"exclusive":[["12","13"]],"min_votes":100,"must_fund":["7"]}"#
        );
        assert_eq!(Constraints::from_json(&c.to_json()).unwrap(), c);
        assert!(Constraints::parse("{}").unwrap().is_empty());
        for (text, needle) in [
            (
                r#"{"category_maximum":{}}"#,
                "unknown key `category_maximum`",
            ),
            (
                r#"{"category_max":{"a":"£30"}}"#,
                "neither whole money units",
            ),
            (r#"{"category_max":{"a":"130%"}}"#, "not a share"),
            (r#"{"category_max":{"a":-5}}"#, "not a whole, non-negative"),
            (r#"{"category_max":{"a":1.5}}"#, "not a whole, non-negative"),
            (r#"{"category_max":["a"]}"#, "must be an object"),
            (r#"{"min_votes":"many"}"#, "not a whole number of votes"),
            (r#"{"min_share":5}"#, "not a share of the voters"),
            (r#"{"min_votes":1,"min_share":"5%"}"#, "not both"),
            (r#"{"exclusive":[["1"]]}"#, "at least two bids"),
            (r#"{"exclusive":[["1","1"]]}"#, "twice"),
            (r#"{"exclusive":["1","2"]}"#, "list of project ids"),
            (r#"{"must_fund":"7"}"#, "list of project ids"),
            (r#"[1]"#, "JSON object"),
            (r#"{"#, "not valid JSON"),
        ] {
            let e = Constraints::parse(text).unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }
}
