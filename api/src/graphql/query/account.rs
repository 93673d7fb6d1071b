use crate::graphql::signed_in;
use crate::graphql::{caller, state, types::account::Account, Gql};
use crate::service::{accounts, personal_data};
use async_graphql::{Context, Object};

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in account, or null.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        match caller(ctx) {
            None => Ok(None),
            Some(a) => Ok(Some(Account(
                accounts::get(&state(ctx).db, a.account_id).await.gql()?,
            ))),
        }
    }

    /// Everything the platform holds about the signed-in person, as a JSON
    /// document (pretty-printed): account, roles, groups, invitations, the
    /// bids they wrote, each round's verification (how and when, never the
    /// hashes), whether they voted in each round (never what), sessions and
    /// audit entries.
    async fn my_data(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let actor = signed_in(ctx)?;
        let data = personal_data::export(&state(ctx).db, actor).await.gql()?;
        serde_json::to_string_pretty(&data)
            .map_err(|e| crate::error::ServiceError::Unexpected(e.into()))
            .gql()
    }
}
