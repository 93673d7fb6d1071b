use crate::graphql::types::population::{
    AreaPopulation, DeprivationLookup, ImportDeprivationInput, ImportPopulationInput,
};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::population;
use async_graphql::{Context, Object};

#[derive(Default)]
pub struct PopulationMutation;

#[Object]
impl PopulationMutation {
    /// Officers: imports an area's population by single year of age (the
    /// ONS mid-year estimates' CSV layout), replacing the figures in use.
    /// A file with any wrong line is refused whole with
    /// INVALID_POPULATION_FILE, naming the lines.
    async fn import_population(
        &self,
        ctx: &Context<'_>,
        input: ImportPopulationInput,
    ) -> async_graphql::Result<AreaPopulation> {
        let actor = signed_in(ctx)?;
        let area = parse_id(&input.area_id, "area")?;
        Ok(AreaPopulation(
            population::import_population(
                state(ctx),
                actor,
                area,
                &input.source,
                input.file.into(),
            )
            .await
            .gql()?,
        ))
    }

    /// Officers: imports the postcode → neighbourhood look-up and the
    /// neighbourhoods' deprivation deciles together, replacing those in
    /// use. People verified from then on are counted by the decile of
    /// their postcode (the postcode itself is not kept). A file with any
    /// wrong line is refused whole with INVALID_POPULATION_FILE.
    async fn import_deprivation(
        &self,
        ctx: &Context<'_>,
        input: ImportDeprivationInput,
    ) -> async_graphql::Result<DeprivationLookup> {
        let actor = signed_in(ctx)?;
        Ok(DeprivationLookup(
            population::import_deprivation(
                state(ctx),
                actor,
                &input.source,
                input.postcodes.into(),
                input.deciles.into(),
            )
            .await
            .gql()?,
        ))
    }
}
