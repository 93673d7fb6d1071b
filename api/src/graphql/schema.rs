use super::{mutation::Mutation, query::Query};
use crate::state::AppState;
use async_graphql::{EmptySubscription, Schema};

pub type FairshareSchema = Schema<Query, Mutation, EmptySubscription>;

/// Limits that keep one request from doing unbounded work.
pub const MAX_DEPTH: usize = 10;
pub const MAX_COMPLEXITY: usize = 400;

pub fn build_schema(state: AppState) -> FairshareSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(state)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20)
        .finish()
}

/// The schema in SDL, as committed in `api/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .finish()
        .sdl()
}
