//! Use cases. Each takes the database (or the application state) and domain
//! types, checks the caller's role itself, and returns domain types or a
//! typed refusal. Every channel (GraphQL now; text messages and assisted
//! entry later) calls these same functions.
pub mod accounts;
pub mod areas;
pub mod audit;
pub mod auth;
pub mod bid_drafts;
pub mod bids;
pub mod codes;
pub mod delivery;
pub mod groups;
pub mod lifecycle;
pub mod limits;
pub mod personal_data;
pub mod phone;
pub mod population;
pub mod register;
pub mod reminders;
pub mod representation;
pub mod results;
pub mod round_log;
pub mod rounds;
pub mod simulate;
pub mod verification;
pub mod voting;

use crate::domain::id::AccountId;
use crate::domain::Role;
use crate::error::{ErrorCode, ServiceError, ServiceResult};

/// Where a request came from, for rate limits. Only ever stored hashed.
#[derive(Clone, Debug)]
pub struct Client {
    pub ip: String,
}

/// A signed-in account and the roles it holds.
#[derive(Clone, Debug)]
pub struct Actor {
    pub account_id: AccountId,
    pub roles: Vec<Role>,
}

impl Actor {
    /// Whether the account holds `role`. An admin may do everything an
    /// officer may.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role) || (role == Role::Officer && self.roles.contains(&Role::Admin))
    }

    pub fn require(&self, role: Role, to_do: &str) -> ServiceResult<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(ServiceError::not_authorised(format!(
                "only {}s can {to_do}",
                role.as_str()
            )))
        }
    }
}

/// How an imported file arrives: as text, or base64 for the raw bytes of a
/// file (so that a file in the wrong encoding can be recognised and
/// refused). The register, population and deprivation imports take it.
pub enum Content {
    Text(String),
    Base64(String),
}

/// The caller must be signed in.
/// An email address as a person typed it, parsed at the edge with the
/// error every channel gives.
pub fn parse_email(raw: &str) -> ServiceResult<crate::domain::EmailAddress> {
    crate::domain::EmailAddress::parse(raw)
        .map_err(|m| ServiceError::refused(crate::error::ErrorCode::InvalidEmail, m))
}

pub fn signed_in(caller: Option<&Actor>) -> ServiceResult<&Actor> {
    caller.ok_or_else(|| ServiceError::refused(ErrorCode::Unauthenticated, "sign in first"))
}

/// Which slice of a list to return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub offset: u64,
    pub limit: u64,
}

impl PageRequest {
    /// Everything, for internal callers that need a whole list (an area's
    /// coverage has at most 10,000 entries).
    pub const EVERYTHING: PageRequest = PageRequest {
        offset: 0,
        limit: 100_000,
    };
}

/// One slice of a list, and whether more follow.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Cuts `rows`, fetched with one more than `page.limit`, to the page.
    pub fn from_rows(mut rows: Vec<T>, page: PageRequest) -> Page<T> {
        let has_next = rows.len() as u64 > page.limit;
        rows.truncate(page.limit as usize);
        Page {
            items: rows,
            has_next,
        }
    }
}
