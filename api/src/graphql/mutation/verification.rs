use crate::graphql::types::verification::{
    CodeChannel, ConflictResolution, ContentEncoding, ImportRegisterInput,
    InPersonVerificationInput, PersonDetailsInput, RegisterImportReport, Verification,
    VerificationCodeSent, VerificationConflict,
};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::{auth, codes, register, verification};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct VerificationMutation;

fn client(ctx: &Context<'_>) -> auth::Client {
    ctx.data_opt::<auth::Client>()
        .cloned()
        .unwrap_or(auth::Client {
            ip: "unknown".into(),
        })
}

#[Object]
impl VerificationMutation {
    /// Residents: states name, date of birth, postcode and connection to the
    /// area for a round. Checks the area (NOT_IN_AREA) and age (TOO_YOUNG).
    /// Verifies at once where a postcode alone is enough; otherwise a code,
    /// a register match or an officer completes it. Details that match or
    /// resemble someone already recorded give a record that is `held` until
    /// the council checks it. At most 5 declarations per account a day
    /// (RATE_LIMITED).
    async fn declare_eligibility(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        person: PersonDetailsInput,
    ) -> async_graphql::Result<Verification> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(Verification(
            verification::declare(state(ctx), actor, id, person.parse()?, &client(ctx))
                .await
                .gql()?,
        ))
    }

    /// Residents, after declaring: sends a one-time code by text message (to
    /// a UK mobile) or email. The answer does not say whether the number or
    /// address is known.
    async fn request_verification_code(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        channel: CodeChannel,
        to: String,
    ) -> async_graphql::Result<VerificationCodeSent> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        verification::request_code(state(ctx), actor, id, channel.into(), &to, &client(ctx))
            .await
            .gql()?;
        Ok(VerificationCodeSent {
            sent: true,
            message: format!(
                "we have sent a code: it works for {} minutes",
                codes::CODE_LIFETIME_MINUTES
            ),
        })
    }

    /// Residents: confirms the code, proving the number or address.
    async fn confirm_verification_code(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        channel: CodeChannel,
        to: String,
        code: String,
    ) -> async_graphql::Result<Verification> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(Verification(
            verification::confirm_code(state(ctx), actor, id, channel.into(), &to, &code)
                .await
                .gql()?,
        ))
    }

    /// Residents, after declaring: matches the declared details against the
    /// council's register (REGISTER_NO_MATCH if absent).
    async fn match_register(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<Verification> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        Ok(Verification(
            verification::match_register(state(ctx), actor, id, &client(ctx))
                .await
                .gql()?,
        ))
    }

    /// Residents: deletes their own verification for a round. While voting
    /// is open, a vote cast with it is withdrawn too (proving who you are
    /// again would otherwise count you twice); once voting has closed,
    /// ballots name nobody and stay as counted. True if there was one.
    async fn delete_my_verification(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
    ) -> async_graphql::Result<bool> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        crate::service::voting::delete_my_verification(state(ctx), actor, id)
            .await
            .gql()
    }

    /// Officers: records that they checked a person at an event, a library
    /// or by phone. The person may have no email or phone.
    async fn record_in_person_verification(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        input: InPersonVerificationInput,
    ) -> async_graphql::Result<Verification> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&round_id, "round")?;
        let record = verification::InPersonRecord {
            details: input.person.parse()?,
            evidence: input.evidence.into(),
            email: input.email,
            phone: input.phone,
            reference: input.reference,
        };
        Ok(Verification(
            verification::record_in_person(state(ctx), actor, id, record)
                .await
                .gql()?,
        ))
    }

    /// Officers: resolves a duplicate verification.
    async fn resolve_verification_conflict(
        &self,
        ctx: &Context<'_>,
        id: ID,
        resolution: ConflictResolution,
    ) -> async_graphql::Result<VerificationConflict> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&id, "conflict")?;
        Ok(VerificationConflict(
            verification::resolve(&state(ctx).db, actor, id, resolution.into())
                .await
                .gql()?,
        ))
    }

    /// Officers: imports the council's register (CSV with a header row) for
    /// a round. Only keyed hashes are kept. Good rows are stored together;
    /// bad rows are reported with their line and reason.
    async fn import_register(
        &self,
        ctx: &Context<'_>,
        input: ImportRegisterInput,
    ) -> async_graphql::Result<RegisterImportReport> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&input.round_id, "round")?;
        let content = match input.encoding {
            ContentEncoding::Text => register::Content::Text(input.content),
            ContentEncoding::Base64 => register::Content::Base64(input.content),
        };
        Ok(
            register::import(state(ctx), actor, id, content, input.columns.into())
                .await
                .gql()?
                .into(),
        )
    }
}
