use crate::domain::id::AreaId;
use crate::error::ServiceError;
use crate::graphql::types::round::{
    BallotSettings, CountingRule, CreateRoundInput, Phase, PotInput, Round, UpdateRoundInput,
};
use crate::graphql::{parse_id, signed_in, state, to_gql, Gql};
use crate::service::rounds;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct RoundMutation;

fn pots(input: Vec<PotInput>) -> async_graphql::Result<Vec<(AreaId, i64)>> {
    input
        .into_iter()
        .map(|p| Ok((parse_id(&p.area_id, "area")?, p.amount_pence.0)))
        .collect()
}

fn rule(input: CountingRule) -> async_graphql::Result<crate::domain::CountingRule> {
    input
        .into_domain()
        .map_err(|m| to_gql(ServiceError::invalid("countingRule", m)))
}

#[Object]
impl RoundMutation {
    /// Officers: sets up a funding round, as a draft.
    async fn create_round(
        &self,
        ctx: &Context<'_>,
        input: CreateRoundInput,
    ) -> async_graphql::Result<Round> {
        let actor = signed_in(ctx)?;
        let new = rounds::NewRound {
            title: input.title,
            description: input.description,
            title_cy: input.title_cy,
            description_cy: input.description_cy,
            pots: pots(input.pots)?,
            schedule: input.schedule.into(),
            ballot: input.ballot.into(),
            rule: rule(input.counting_rule)?,
            eligibility: input.eligibility.map(Into::into).unwrap_or_default(),
        };
        Ok(Round(
            rounds::create(&state(ctx).db, actor, new).await.gql()?,
        ))
    }

    /// Officers: changes a round's title, description, dates or (while a
    /// draft) pots.
    async fn update_round(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateRoundInput,
    ) -> async_graphql::Result<Round> {
        let actor = signed_in(ctx)?;
        let changes = rounds::RoundChanges {
            title: input.title,
            description: input.description,
            title_cy: input.title_cy,
            description_cy: input.description_cy,
            schedule: input.schedule.map(Into::into),
            pots: input.pots.map(pots).transpose()?,
            eligibility: input.eligibility.map(Into::into),
        };
        Ok(Round(
            rounds::update(&state(ctx).db, actor, parse_id(&id, "round")?, changes)
                .await
                .gql()?,
        ))
    }

    /// Officers: changes the ballot settings and counting rule. Refused with
    /// SETTINGS_FROZEN once voting has opened.
    async fn update_round_settings(
        &self,
        ctx: &Context<'_>,
        id: ID,
        ballot: BallotSettings,
        counting_rule: CountingRule,
    ) -> async_graphql::Result<Round> {
        let actor = signed_in(ctx)?;
        let round = rounds::update_settings(
            &state(ctx).db,
            actor,
            parse_id(&id, "round")?,
            ballot.into(),
            rule(counting_rule)?,
        )
        .await
        .gql()?;
        Ok(Round(round))
    }

    /// Moves a round on to its next phase (officers), publishes its results
    /// (councillors), or cancels it (officers).
    async fn advance_round(
        &self,
        ctx: &Context<'_>,
        id: ID,
        to: Phase,
    ) -> async_graphql::Result<Round> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&id, "round")?;
        Ok(Round(
            crate::service::lifecycle::advance(state(ctx), actor, id, to.into())
                .await
                .gql()?,
        ))
    }

    /// Asks for the round's close checkpoint to be emailed to you when
    /// voting closes, so that you hold it before anything is counted and can
    /// check the published result against it. Give the email address you
    /// sign in with (only a keyed hash of it is kept with your account); it
    /// is kept sealed for this one email until you stop observing, delete
    /// your account, or the round's verification data is purged. Refused
    /// with PHASE_CLOSED once voting has closed.
    async fn observe_round(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        email: String,
    ) -> async_graphql::Result<Round> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        let email = crate::domain::EmailAddress::parse(&email)
            .map_err(|m| ServiceError::refused(crate::error::ErrorCode::InvalidEmail, m))
            .gql()?;
        crate::service::lifecycle::observe(state(ctx), actor, id, &email)
            .await
            .gql()?;
        Ok(Round(
            rounds::get(&state(ctx).db, Some(actor), id).await.gql()?,
        ))
    }

    /// Stops emailing you the round's close checkpoint, and deletes your
    /// address.
    async fn stop_observing_round(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Round> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        crate::service::lifecycle::stop_observing(state(ctx), actor, id)
            .await
            .gql()?;
        Ok(Round(
            rounds::get(&state(ctx).db, Some(actor), id).await.gql()?,
        ))
    }
}
