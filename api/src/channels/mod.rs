//! How messages reach people: email and text messages.
//! Every channel is a small enum of backends with a real one for production
//! and a local one for development.
pub mod email;
pub mod sms;
pub mod templates;
