//! How messages reach people: email now; text messages beside it later.
//! Every channel is a small enum of backends with a real one for production
//! and a local one for development.
pub mod email;
pub mod templates;
