//! Query roots, one per area of the product, merged into one.
mod account;
mod areas;
mod bids;
mod groups;
mod results;
mod rounds;
mod simulate;
mod verification;
mod voting;

#[derive(async_graphql::MergedObject, Default)]
pub struct Query(
    account::AccountQuery,
    areas::AreaQuery,
    rounds::RoundQuery,
    groups::GroupQuery,
    bids::BidQuery,
    verification::VerificationQuery,
    voting::VotingQuery,
    results::ResultsQuery,
    simulate::SimulateQuery,
    crate::graphql::types::delivery::DeliveryQuery,
);
