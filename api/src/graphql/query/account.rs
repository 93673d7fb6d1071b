use crate::graphql::{caller, state, types::account::Account, Gql};
use crate::service::accounts;
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
}
