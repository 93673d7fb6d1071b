//! How messages reach people: email, text messages and letters, by SMTP,
//! a Twilio-compatible gateway or GOV.UK Notify.
//! Every channel is a small enum of backends with a real one for production
//! and a local one for development.
pub mod email;
pub mod letters;
pub mod notify;
pub mod sms;
pub mod templates;
