//! The rule simulator: a round's ballots, or an uploaded `.pb` file,
//! counted under several rules side by side.
use crate::domain::constraints::Limit;
use crate::error::ServiceError;
use crate::graphql::types::constraints::{CountConstraints, SpendingLimit};
use crate::graphql::types::scalars::Pence;
use crate::graphql::{parse_id, signed_in, state, to_gql, Gql};
use crate::service::simulate::{self, Choice, Rules, Source};
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};

#[derive(Default)]
pub struct SimulateQuery;

/// The ballots to count: a round's, or a file's (exactly one).
#[derive(InputObject)]
pub struct SimulationInput {
    /// A closed, counted or published round.
    pub round_id: Option<ID>,
    /// The text of a pabulib `.pb` file, at most 4 MiB.
    pub pb_file: Option<String>,
    /// One to six rules to compare.
    pub rules: Vec<SimulatedRuleInput>,
}

#[derive(InputObject)]
pub struct SimulatedRuleInput {
    /// greedy, greedy-no-skip, mes, mes-add1, mes-add1-no-early-stop or
    /// phragmen.
    pub name: String,
    /// Council rules, by the file's names: categories, areas (a round's
    /// area ids) and bid ids as its ballots file writes them. Null: none,
    /// whatever the round or file sets.
    pub constraints: Option<CountConstraints>,
}

/// Counts of one set of ballots under several rules.
#[derive(SimpleObject)]
pub struct Simulation {
    pub pots: Vec<SimulatedPot>,
}

/// One pot, and each rule's outcome for it.
#[derive(SimpleObject)]
pub struct SimulatedPot {
    /// The pot's area name (a round) or the file's unit or description.
    pub name: String,
    pub budget_pence: Pence,
    pub voters: u64,
    pub bids: Vec<SimulatedBid>,
    /// One per rule asked for, in the same order.
    pub outcomes: Vec<SimulatedOutcome>,
}

/// A bid (a project of the file) with what it asked for and its votes.
#[derive(SimpleObject)]
pub struct SimulatedBid {
    pub id: ID,
    pub title: String,
    pub cost_pence: Pence,
    pub categories: Vec<String>,
    pub areas: Vec<String>,
    /// Ballots that name it.
    pub votes: u64,
}

/// What one rule funds, and what that gives categories, areas and voters.
#[derive(SimpleObject)]
pub struct SimulatedOutcome {
    pub rule: String,
    pub constraints: Option<CountConstraints>,
    /// Why this rule could not count these ballots (the rest is then
    /// empty).
    pub error: Option<String>,
    /// Ids of the bids funded, in the order funded.
    pub funded: Vec<ID>,
    pub spent_pence: Pence,
    pub by_category: Vec<MoneyShare>,
    pub by_area: Vec<MoneyShare>,
    /// Voters with at least one funded choice.
    pub voters_with_funded_choice: u64,
    /// The money a voter's choices received, on average (a bid counts in
    /// full for each of its voters).
    pub average_pence_per_voter: Pence,
}

/// Money and votes going to one category or area under one rule.
#[derive(SimpleObject)]
pub struct MoneyShare {
    pub key: String,
    /// The area's name for a round's areas; otherwise the key.
    pub label: String,
    pub pence: Pence,
    /// Of the money spent, 0 to 1.
    pub money_share: f64,
    /// Of all the votes cast (ballot entries), 0 to 1.
    pub vote_share: f64,
}

fn limits(v: Vec<SpendingLimit>) -> Result<Vec<(String, Limit)>, String> {
    v.into_iter().map(|l| l.parse("limit")).collect()
}

fn rules_of(c: CountConstraints) -> Result<Rules, String> {
    let ids = |v: Vec<ID>| {
        v.into_iter()
            .map(|i| i.trim().to_owned())
            .collect::<Vec<_>>()
    };
    Ok(Rules {
        category_max: limits(c.category_max)?,
        category_min: limits(c.category_min)?,
        area_max: limits(c.area_max)?,
        area_min: limits(c.area_min)?,
        min_votes: c.min_votes.map(u64::from),
        min_share: c
            .min_share
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        exclusive: c.exclusive.into_iter().map(ids).collect(),
        must_fund: ids(c.must_fund),
    })
}

fn limits_out(v: &[(String, Limit)]) -> Vec<SpendingLimit> {
    v.iter().map(|(k, l)| SpendingLimit::of(k, l)).collect()
}

fn rules_out(r: &Rules) -> CountConstraints {
    let ids = |v: &[String]| v.iter().map(|i| ID(i.clone())).collect::<Vec<_>>();
    CountConstraints {
        category_max: limits_out(&r.category_max),
        category_min: limits_out(&r.category_min),
        area_max: limits_out(&r.area_max),
        area_min: limits_out(&r.area_min),
        min_votes: r.min_votes.map(|v| v.min(u64::from(u32::MAX)) as u32),
        min_share: r.min_share.clone(),
        exclusive: r.exclusive.iter().map(|s| ids(s)).collect(),
        must_fund: ids(&r.must_fund),
    }
}

fn share(s: simulate::Share) -> MoneyShare {
    MoneyShare {
        key: s.key,
        label: s.label,
        pence: Pence(s.pence),
        money_share: s.money_share,
        vote_share: s.vote_share,
    }
}

#[Object]
impl SimulateQuery {
    /// Officers, councillors and admins: counts one set of ballots under
    /// several rules side by side. The ballots are a round's sealed files
    /// (once voting has closed; until its result is published, councillors
    /// and admins only, as for the provisional result) or an uploaded
    /// pabulib `.pb` file of at most 4 MiB. Residents are refused with
    /// NOT_AUTHORISED; a file that cannot be read with INVALID_INPUT (field
    /// `pbFile`) saying what is wrong. Nothing is stored.
    async fn simulate_count(
        &self,
        ctx: &Context<'_>,
        input: SimulationInput,
    ) -> async_graphql::Result<Simulation> {
        let actor = signed_in(ctx)?;
        let source = match (input.round_id, input.pb_file) {
            (Some(id), None) => Source::Round(parse_id(&id, "round")?),
            (None, Some(text)) => Source::File(text),
            _ => {
                return Err(to_gql(ServiceError::invalid(
                    "input",
                    "give a round or a file, exactly one",
                )))
            }
        };
        let choices = input
            .rules
            .into_iter()
            .map(|r| {
                Ok(Choice {
                    rule: r.name.trim().to_owned(),
                    rules: r.constraints.map(rules_of).transpose()?,
                })
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(|m| to_gql(ServiceError::invalid("rules", m)))?;
        let sim = simulate::simulate(&state(ctx).db, actor, source, choices)
            .await
            .gql()?;
        Ok(Simulation {
            pots: sim
                .pots
                .into_iter()
                .map(|p| SimulatedPot {
                    name: p.name,
                    budget_pence: Pence(p.budget_pence),
                    voters: p.voters,
                    bids: p
                        .bids
                        .into_iter()
                        .map(|b| SimulatedBid {
                            id: ID(b.id),
                            title: b.title,
                            cost_pence: Pence(b.cost_pence),
                            categories: b.categories,
                            areas: b.areas,
                            votes: b.votes,
                        })
                        .collect(),
                    outcomes: p
                        .outcomes
                        .into_iter()
                        .map(|o| SimulatedOutcome {
                            rule: o.choice.rule.clone(),
                            constraints: o.choice.rules.as_ref().map(rules_out),
                            error: o.error,
                            funded: o.funded.into_iter().map(ID).collect(),
                            spent_pence: Pence(o.spent_pence),
                            by_category: o.by_category.into_iter().map(share).collect(),
                            by_area: o.by_area.into_iter().map(share).collect(),
                            voters_with_funded_choice: o.voters_with_funded_choice,
                            average_pence_per_voter: Pence(o.average_pence_per_voter),
                        })
                        .collect(),
                })
                .collect(),
        })
    }
}
