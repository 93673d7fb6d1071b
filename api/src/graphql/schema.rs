use super::{mutation::Mutation, query::Query};
use crate::state::AppState;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{EmptySubscription, Schema};

pub type FairshareSchema = Schema<Query, Mutation, EmptySubscription>;

/// Limits that keep one request from doing unbounded work. Lists are
/// paginated, and a list field counts as its page size times what is asked
/// of each item, so the complexity limit bounds the rows a query can touch.
pub const MAX_DEPTH: usize = 10;
pub const MAX_COMPLEXITY: usize = 2_000;

/// Introspection queries (`__schema`, `__type` and nothing else) nest
/// deeper than the product's own queries: the standard one that GraphQL
/// tools send is 13 levels deep. They run under these limits instead; what
/// bounds their size is `MAX_INTROSPECTION_LISTS`.
pub const MAX_INTROSPECTION_DEPTH: usize = 16;
/// The most list fields (`types`, `fields`, `args`…) on any one path of an
/// introspection query. The standard query needs three (types → fields →
/// args); a query that recursed through `fields { type { fields … } } }`
/// would grow with the size of the schema at every level.
pub const MAX_INTROSPECTION_LISTS: usize = 3;

/// The schema for ordinary requests, and the same schema answering only
/// introspection under its own limits.
#[derive(Clone)]
pub struct Schemas {
    pub main: FairshareSchema,
    pub introspection: FairshareSchema,
}

pub fn build_schema(state: AppState) -> FairshareSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(state)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20)
        .finish()
}

pub fn build_schemas(state: AppState) -> Schemas {
    Schemas {
        main: build_schema(state.clone()),
        introspection: Schema::build(Query::default(), Mutation::default(), EmptySubscription)
            .data(state)
            .introspection_only()
            .limit_depth(MAX_INTROSPECTION_DEPTH)
            .limit_complexity(MAX_COMPLEXITY)
            .limit_recursive_depth(32)
            .limit_directives(20)
            .finish(),
    }
}

/// The schema in SDL, as committed in `api/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .finish()
        .sdl()
}

/// Which schema a request runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// The product's own queries (they may ask for `__typename` or a
    /// little of `__schema` too).
    Main,
    /// Only `__schema`, `__type` or `__typename` at the top: what GraphQL
    /// tools send to learn the schema.
    Introspection,
    /// Introspection that nests more than `MAX_INTROSPECTION_LISTS` lists
    /// on one path: its answer would grow with the schema at every level.
    TooNested,
}

/// Decides how to run `query`. A query that does not parse goes to the
/// main schema, which reports the syntax error.
pub fn route(query: &str) -> Route {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return Route::Main;
    };
    let nested = doc
        .operations
        .iter()
        .map(|(_, op)| lists_on_path(&doc, &op.node.selection_set.node, None, 0))
        .max()
        .unwrap_or(0);
    if nested > MAX_INTROSPECTION_LISTS {
        return Route::TooNested;
    }
    let only_introspection = doc.operations.iter().all(|(_, op)| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .all(|s| match &s.node {
                Selection::Field(f) => {
                    matches!(
                        f.node.name.node.as_str(),
                        "__schema" | "__type" | "__typename"
                    )
                }
                _ => false,
            })
    });
    if only_introspection {
        Route::Introspection
    } else {
        Route::Main
    }
}

/// Whether `query` asks only about the schema itself, within the limits.
pub fn introspection_only(query: &str) -> bool {
    route(query) == Route::Introspection
}

const INTROSPECTION_LISTS: [&str; 8] = [
    "types",
    "fields",
    "args",
    "inputFields",
    "interfaces",
    "possibleTypes",
    "enumValues",
    "directives",
];

/// The most list fields on any path below `set` inside `__schema` or
/// `__type` (`lists` is `None` outside them), following fragments to a
/// bounded depth, so that a fragment cycle cannot loop. Too deep inside
/// introspection counts as too many lists; too deep outside it is left to
/// the main schema's depth limit, which says so in its own words.
fn lists_on_path(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    lists: Option<usize>,
    depth: usize,
) -> usize {
    if depth > MAX_INTROSPECTION_DEPTH * 2 {
        return if lists.is_some() { usize::MAX } else { 0 };
    }
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(f) => {
                let name = f.node.name.node.as_str();
                let here = match lists {
                    None if matches!(name, "__schema" | "__type") => Some(0),
                    None => None,
                    Some(n) => Some(n + usize::from(INTROSPECTION_LISTS.contains(&name))),
                };
                lists_on_path(doc, &f.node.selection_set.node, here, depth + 1)
                    .max(here.unwrap_or(0))
            }
            Selection::InlineFragment(i) => {
                lists_on_path(doc, &i.node.selection_set.node, lists, depth + 1)
            }
            Selection::FragmentSpread(spread) => {
                match doc.fragments.get(&spread.node.fragment_name.node) {
                    Some(frag) => {
                        lists_on_path(doc, &frag.node.selection_set.node, lists, depth + 1)
                    }
                    None => lists.unwrap_or(0),
                }
            }
        })
        .max()
        .unwrap_or(lists.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn introspection_is_recognised_and_bounded() {
        assert!(introspection_only("{ __schema { queryType { name } } }"));
        assert!(introspection_only(
            "{ __schema { types { name fields { name args { name } } } } }"
        ));
        assert!(!introspection_only(
            "{ __schema { queryType { name } } rounds { nodes { id } } }"
        ));
        assert!(!introspection_only("{ rounds { nodes { id } } }"));
        assert!(!introspection_only(
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
        ));
        assert!(!introspection_only(
            "query { __schema { types { ...F } } } fragment F on __Type { fields { type { fields { args { name } } } } }"
        ));
        assert!(!introspection_only("not graphql"));
        // Mixed queries run on the main schema, but their introspection
        // is bounded just the same.
        assert_eq!(route("{ __typename rounds { nodes { id } } }"), Route::Main);
        assert_eq!(
            route("{ rounds { nodes { id } } __schema { types { fields { type { fields { type { fields { name } } } } } } } }"),
            Route::TooNested
        );
        // A deep query with no introspection in it is the main schema's
        // to refuse (by its depth limit), not an introspection query.
        let deep = format!(
            "{{ round(id: \"1\") {{ {} id {} }} }}",
            "bids { nodes { round { ".repeat(12),
            "} } } ".repeat(12)
        );
        assert_eq!(route(&deep), Route::Main);
        let fragments = format!(
            "{{ {} __typename {} }}",
            "... on Query { ".repeat(40),
            "} ".repeat(40)
        );
        assert_eq!(route(&fragments), Route::Main);
        // Deep inside introspection is still too nested.
        let deep_schema = format!(
            "{{ __schema {{ {} name {} }} }}",
            "... on __Schema { ".repeat(40),
            "} ".repeat(40)
        );
        assert_eq!(route(&deep_schema), Route::TooNested);
    }
}
