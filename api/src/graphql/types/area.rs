use crate::service::areas;
use async_graphql::{InputObject, Object, ID};

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
    /// Full postcodes (`LS6 1AB`), sectors (`LS6 1`) or districts (`LS6`).
    async fn coverage(&self) -> &[String] {
        &self.0.coverage
    }
}

#[derive(InputObject)]
pub struct CreateAreaInput {
    pub name: String,
    /// ward, parish, estate, neighbourhood or district.
    pub kind: String,
    #[graphql(default)]
    pub description: String,
    /// Full postcodes, sectors or districts.
    pub coverage: Vec<String>,
}
