use crate::domain::{EmailAddress, Language as DomainLanguage, PhoneNumber, PostalAddress};
use crate::error::ServiceError;
use crate::graphql::types::reminders::{ReminderChannel, Reminders, SetRemindersInput};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::reminders::{self, Contact};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct RemindersMutation;

#[Object]
impl RemindersMutation {
    /// Verified residents (or officers, for someone verified in person):
    /// asks for a round's reminders by email, text message or letter, in
    /// English or Welsh. Asking again changes where they go. Refused with
    /// NOT_VERIFIED before verification, PHASE_CLOSED once voting has
    /// closed, INVALID_INPUT for an address or number that cannot be used.
    async fn set_reminders(
        &self,
        ctx: &Context<'_>,
        input: SetRemindersInput,
    ) -> async_graphql::Result<Reminders> {
        let actor = signed_in(ctx)?;
        let round_id = parse_id(&input.round_id, "round")?;
        let participant = match &input.verification_id {
            Some(id) => Some(parse_id(id, "verified participant")?),
            None => None,
        };
        let contact = match input.channel {
            ReminderChannel::Email => EmailAddress::parse(&input.contact)
                .map(Contact::Email)
                .map_err(|e| ServiceError::invalid("contact", e)),
            ReminderChannel::Text => PhoneNumber::parse(&input.contact)
                .map(Contact::Text)
                .map_err(|e| ServiceError::invalid("contact", e)),
            ReminderChannel::Letter => PostalAddress::parse(&input.contact)
                .map(Contact::Letter)
                .map_err(|e| ServiceError::invalid("contact", e)),
        }
        .gql()?;
        let language: DomainLanguage = input.language.map_or(DomainLanguage::En, Into::into);
        Ok(Reminders(
            reminders::subscribe(state(ctx), actor, round_id, participant, contact, language)
                .await
                .gql()?,
        ))
    }

    /// Stops the signed-in person's reminders for a round (every round when
    /// left out) and deletes the address or number. How many stopped.
    async fn stop_reminders(
        &self,
        ctx: &Context<'_>,
        round_id: Option<ID>,
    ) -> async_graphql::Result<i32> {
        let actor = signed_in(ctx)?;
        let round_id = match &round_id {
            Some(id) => Some(parse_id(id, "round")?),
            None => None,
        };
        let stopped = reminders::stop_mine(state(ctx), actor, round_id)
            .await
            .gql()?;
        Ok(i32::try_from(stopped).unwrap_or(i32::MAX))
    }

    /// Anyone with the link in a reminder email: stops those reminders and
    /// deletes the address. True, also when they had stopped already;
    /// NOT_FOUND for a link that is not whole.
    async fn stop_reminders_by_link(
        &self,
        ctx: &Context<'_>,
        subscription: ID,
        token: String,
    ) -> async_graphql::Result<bool> {
        let id: i64 = subscription.parse().map_err(|_| {
            crate::graphql::to_gql(ServiceError::refused(
                crate::error::ErrorCode::NotFound,
                "this link to stop reminders is not complete: copy the whole link from the email",
            ))
        })?;
        reminders::stop_by_link(state(ctx), id, &token)
            .await
            .gql()?;
        Ok(true)
    }
}
