//! Mutation roots, one per area of the product, merged into one.
mod accounts;
mod areas;
mod bids;
mod groups;
mod population;
mod reminders;
mod results;
mod rounds;
mod verification;
mod voting;

#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    accounts::AccountMutation,
    areas::AreaMutation,
    rounds::RoundMutation,
    groups::GroupMutation,
    bids::BidMutation,
    verification::VerificationMutation,
    voting::VotingMutation,
    results::ResultsMutation,
    reminders::RemindersMutation,
    population::PopulationMutation,
    crate::graphql::types::delivery::DeliveryMutation,
);

/// The name of the session cookie.
pub fn accounts_cookie_name() -> &'static str {
    accounts::SESSION_COOKIE
}
