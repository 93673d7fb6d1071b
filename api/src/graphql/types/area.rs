use crate::graphql::pagination::{self, DEFAULT_PAGE, MAX_COVERAGE_PAGE};
use crate::graphql::{state, Gql};
use crate::service::areas;
use async_graphql::{connection::Connection, Context, InputObject, Object, ID};

pub struct Area(pub areas::Area);

/// A neighbourhood that rounds fund: a ward, parish or estate, covering a set
/// of postcodes, postcode sectors or districts.
#[Object]
impl Area {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// ward, parish, estate, neighbourhood or district.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The name in Welsh, or null where the council gave none (then Welsh
    /// pages, calls and letters use `name`, marked as English).
    async fn name_cy(&self) -> Option<&str> {
        self.0.name_cy.as_deref()
    }
    /// The description in Welsh, or null.
    async fn description_cy(&self) -> Option<&str> {
        self.0.description_cy.as_deref()
    }
    /// The population figures the council imported, or null.
    async fn population(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::population::AreaPopulation>> {
        Ok(
            crate::service::population::for_area(&state(ctx).db, self.0.id)
                .await
                .gql()?
                .map(super::population::AreaPopulation),
        )
    }
    /// Full postcodes (`LS6 1AB`), sectors (`LS6 1`) or districts (`LS6`),
    /// in order; up to 1,000 at a time.
    #[graphql(complexity = "pagination::cost(first, DEFAULT_PAGE, 1) / 10 + 1")]
    async fn coverage(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<u64, String>> {
        let req = pagination::request(first, after, DEFAULT_PAGE, MAX_COVERAGE_PAGE)?;
        let page = areas::coverage(&state(ctx).db, self.0.id, req)
            .await
            .gql()?;
        Ok(pagination::connection(page, req, |p| p))
    }
}

#[derive(InputObject)]
pub struct CreateAreaInput {
    pub name: String,
    /// ward, parish, estate, neighbourhood or district.
    pub kind: String,
    #[graphql(default)]
    pub description: String,
    /// The name in Welsh (optional).
    pub name_cy: Option<String>,
    /// The description in Welsh (optional).
    pub description_cy: Option<String>,
    /// Full postcodes, sectors or districts.
    pub coverage: Vec<String>,
}

#[derive(InputObject)]
pub struct UpdateAreaInput {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub description: Option<String>,
    /// The name in Welsh; an empty string takes it away.
    pub name_cy: Option<String>,
    /// The description in Welsh; an empty string takes it away.
    pub description_cy: Option<String>,
}
