//! Lists come a page at a time, as connections (`first`, `after`,
//! `pageInfo`), so that no query can ask for everything. The query
//! complexity counts a list field as its page size times what is asked of
//! each item.
use crate::error::ServiceError;
use crate::graphql::to_gql;
use crate::service::{Page, PageRequest};
use async_graphql::connection::{Connection, Edge};
use async_graphql::OutputType;

/// A page when the client does not say.
pub const DEFAULT_PAGE: usize = 20;
/// The largest page a client may ask for.
pub const MAX_PAGE: usize = 100;
/// An area's coverage, a list of short strings, comes in larger pages.
pub const MAX_COVERAGE_PAGE: usize = 1000;

/// A list's complexity: its page size times the complexity of each item.
pub fn cost(first: Option<i32>, default: usize, child: usize) -> usize {
    let n = first.map(|f| f.max(0) as usize).unwrap_or(default);
    n.saturating_mul(child.max(1)).saturating_add(1)
}

/// Reads `first` and `after` into a page request.
pub fn request(
    first: Option<i32>,
    after: Option<String>,
    default: usize,
    max: usize,
) -> async_graphql::Result<PageRequest> {
    let limit = match first {
        None => default,
        Some(f) if f < 0 => {
            return Err(to_gql(ServiceError::invalid(
                "first",
                "ask for a page of 0 or more items",
            )))
        }
        Some(f) if f as usize > max => {
            return Err(to_gql(ServiceError::invalid(
                "first",
                format!(
                    "ask for at most {max} items at a time, and follow pageInfo.endCursor for more"
                ),
            )))
        }
        Some(f) => f as usize,
    };
    let offset = match after.as_deref() {
        None | Some("") => 0,
        Some(c) => c
            .parse::<u64>()
            .ok()
            .and_then(|c| c.checked_add(1))
            .ok_or_else(|| {
                to_gql(ServiceError::invalid(
                    "after",
                    "that cursor is not one this list gave out",
                ))
            })?,
    };
    Ok(PageRequest {
        offset,
        limit: limit as u64,
    })
}

/// Builds a connection from a page, converting each item.
pub fn connection<T, U: OutputType>(
    page: Page<T>,
    request: PageRequest,
    convert: impl Fn(T) -> U,
) -> Connection<u64, U> {
    let mut c = Connection::new(request.offset > 0, page.has_next);
    c.edges.extend(
        page.items
            .into_iter()
            .enumerate()
            .map(|(i, item)| Edge::new(request.offset + i as u64, convert(item))),
    );
    c
}
