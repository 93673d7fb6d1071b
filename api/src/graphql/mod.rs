//! The GraphQL schema. Knows nothing of HTTP: the server only wires it.
//! Resolvers are thin: they parse identifiers, call a service and convert
//! domain types to GraphQL objects.
pub mod loaders;
pub mod mutation;
pub mod pagination;
pub mod query;
pub mod schema;
pub mod types;

use crate::error::{ErrorCode, ServiceError, ServiceResult};
use crate::service::Actor;
use crate::state::AppState;
use async_graphql::{Context, ErrorExtensions, ID};

use crate::domain::Id;

pub use schema::{build_schema, build_schemas, FairshareSchema, Schemas};

/// The session token of the request, when it carried one.
#[derive(Clone)]
pub struct SessionToken(pub String);

pub(crate) fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    // Inserted by `build_schema`; a schema without it cannot be built.
    ctx.data_unchecked::<AppState>()
}

pub(crate) fn caller<'a>(ctx: &Context<'a>) -> Option<&'a Actor> {
    ctx.data_opt::<Actor>()
}

/// Converts a service refusal into a GraphQL error with a stable
/// `extensions.code`. Unexpected errors are logged here, once, with their
/// context, and shown only as `INTERNAL`.
pub(crate) fn to_gql(err: ServiceError) -> async_graphql::Error {
    match err {
        ServiceError::Refused {
            code,
            message,
            field,
        } => async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code.as_str());
            if let Some(f) = field {
                e.set("field", f);
            }
        }),
        ServiceError::Unexpected(e) => {
            tracing::error!(error = format!("{e:#}"), "unexpected error");
            async_graphql::Error::new("something went wrong on our side; please try again later")
                .extend_with(|_, x| x.set("code", ErrorCode::Internal.as_str()))
        }
    }
}

pub(crate) trait Gql<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> Gql<T> for ServiceResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(to_gql)
    }
}

/// Identifiers are opaque strings in the API and typed ids inside: an id
/// that does not parse names no row, so it is "not found" like one that
/// names a deleted row.
pub(crate) fn parse_id<T: Id>(id: &ID, what: &str) -> async_graphql::Result<T> {
    id.parse::<T>()
        .map_err(|_| to_gql(ServiceError::not_found(what)))
}

pub(crate) fn signed_in<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Actor> {
    crate::service::signed_in(caller(ctx)).gql()
}
