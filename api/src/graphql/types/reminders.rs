use super::account::Language;
use crate::service::reminders;
use async_graphql::{Enum, InputObject, Object, ID};

/// How reminders reach someone.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ReminderChannel {
    Email,
    /// Text messages to a UK mobile number.
    Text,
    /// Letters by post (only where the council sends letters: see
    /// `reminderChannels`).
    Letter,
}

/// Asks for a round's reminders: when voting opens, two days before it
/// closes (only if you have not voted by then) and when the results are
/// out.
#[derive(InputObject)]
pub struct SetRemindersInput {
    pub round_id: ID,
    /// Officers: the verification (its number, as in the letter reference
    /// V12) of someone verified in person who asked for reminders. Left
    /// out: your own.
    pub verification_id: Option<ID>,
    pub channel: ReminderChannel,
    /// The email address, the UK mobile number, or (for LETTER) the name
    /// and postal address, one line each and the postcode last, to send
    /// them to. Kept sealed for these reminders only, and deleted when they
    /// stop.
    pub contact: String,
    /// The language of the reminders (default: English).
    pub language: Option<Language>,
}

/// Someone's reminders for a round.
pub struct Reminders(pub reminders::Reminders);

#[Object]
impl Reminders {
    async fn round_id(&self) -> ID {
        ID(self.0.round_id.to_string())
    }
    async fn channel(&self) -> ReminderChannel {
        match self.0.channel.as_str() {
            "sms" => ReminderChannel::Text,
            "letter" => ReminderChannel::Letter,
            _ => ReminderChannel::Email,
        }
    }
    /// The address or number, partly hidden: `j•••@example.org`,
    /// `•••• ••• 123`, `LS6 1•• (post)`.
    async fn contact_hint(&self) -> &str {
        &self.0.contact_hint
    }
    async fn language(&self) -> Language {
        self.0.language.into()
    }
}
