//! What every request can reach: the database, the secret and the channels.
//! Holds no per-user state, so any number of instances can serve the same
//! database.
use crate::channels::{email::Mailer, sms::SmsSender};
use crate::config::Settings;
use crate::crypto::Secret;
use sea_orm::DatabaseConnection;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub secret: Secret,
    pub mailer: Mailer,
    pub sms: SmsSender,
    pub settings: Settings,
}
