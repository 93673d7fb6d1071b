use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_PAGE};
use crate::graphql::signed_in;
use crate::graphql::{caller, state, types::account::Account, Gql};
use crate::service::{accounts, personal_data};
use async_graphql::{connection::Connection, Context, Object};

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

    /// Admins only: the accounts that hold a role (officer, councillor or
    /// admin), by account, with their names and roles. Email addresses are
    /// not stored, so a role holder shows their name once they have set one
    /// (`setDisplayName`).
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, child_complexity)")]
    async fn role_holders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, Account>> {
        let actor = signed_in(ctx)?;
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_PAGE)?;
        let page = accounts::role_holders(&state(ctx).db, actor, req)
            .await
            .gql()?;
        Ok(pagination::connection(page, req, Account))
    }

    /// How this council can send reminders: email and text messages
    /// always, letters where it sends them.
    async fn reminder_channels(
        &self,
        ctx: &Context<'_>,
    ) -> Vec<crate::graphql::types::reminders::ReminderChannel> {
        use crate::graphql::types::reminders::ReminderChannel;
        let mut channels = vec![ReminderChannel::Email, ReminderChannel::Text];
        if crate::graphql::state(ctx).letters.available() {
            channels.push(ReminderChannel::Letter);
        }
        channels
    }

    /// The signed-in person's reminders, for every round they asked about.
    async fn my_reminders(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::types::reminders::Reminders>> {
        let actor = signed_in(ctx)?;
        Ok(crate::service::reminders::mine(state(ctx), actor)
            .await
            .gql()?
            .into_iter()
            .map(crate::graphql::types::reminders::Reminders)
            .collect())
    }

    /// Everything the platform holds about the signed-in person, as a JSON
    /// document (pretty-printed): account, roles, groups, invitations, the
    /// bids they wrote, each round's verification (how and when, never the
    /// hashes), whether they voted in each round (never what), sessions and
    /// audit entries.
    async fn my_data(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let actor = signed_in(ctx)?;
        let mut data = personal_data::export(&state(ctx).db, actor).await.gql()?;
        data["reminders"] = crate::service::reminders::export_mine(state(ctx), actor)
            .await
            .gql()?;
        serde_json::to_string_pretty(&data)
            .map_err(|e| crate::error::ServiceError::Unexpected(e.into()))
            .gql()
    }
}
