use super::group::Group;
use crate::domain::{Language as DomainLanguage, Role as DomainRole};
use crate::graphql::{state, Gql};
use crate::service::{accounts, groups};
use async_graphql::{Context, Enum, Object, SimpleObject, ID};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainRole")]
pub enum Role {
    Officer,
    Councillor,
    Admin,
}

/// English or Welsh: the language of the pages, emails and texts.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainLanguage")]
pub enum Language {
    En,
    Cy,
}

pub struct Account(pub accounts::Account);

/// A person who has signed in. Their email address is not stored: only a
/// keyed hash of it, to find the account at the next sign-in.
#[Object]
impl Account {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }

    /// The language of the emails and texts sent to this person.
    async fn language(&self) -> Language {
        self.0.language.into()
    }

    /// Whether anyone has signed in to this account yet. A role granted to
    /// an address nobody has used may have been mistyped.
    async fn has_signed_in(&self) -> bool {
        self.0.has_signed_in
    }

    /// Roles beyond resident, which every account is.
    async fn roles(&self) -> Vec<Role> {
        self.0.roles.iter().map(|r| Role::from(*r)).collect()
    }

    /// The community groups this person is a member of.
    async fn groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Group>> {
        Ok(groups::of_account(&state(ctx).db, self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(Group)
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct SignInPayload {
    /// The session token. Also set as an HttpOnly cookie; send it back as
    /// `Authorization: Bearer …` where cookies are not available.
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub account: Account,
}

#[derive(SimpleObject)]
pub struct CodeRequested {
    /// Always true when the request was accepted, whether or not the address
    /// already had an account.
    pub sent: bool,
    pub message: String,
}
