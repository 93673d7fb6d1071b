//! What every request can reach: the database, the secret, the channels
//! and (on SQLite) the ballot writer. Holds no per-user state, so any
//! number of instances can serve the same PostgreSQL database.
use crate::channels::{email::Mailer, letters::LetterSender, sms::SmsSender};
use crate::config::Settings;
use crate::crypto::Secret;
use crate::service::results::ReceiptTrees;
use crate::service::voting::writer::BallotWriter;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub secret: Secret,
    pub mailer: Mailer,
    pub sms: SmsSender,
    pub letters: LetterSender,
    pub settings: Settings,
    /// The group-commit writer every ballot goes through (one lane on
    /// SQLite, several on PostgreSQL).
    pub ballot_writer: BallotWriter,
    /// Published rounds' receipt trees, held in memory (they never change).
    pub receipt_trees: Arc<ReceiptTrees>,
}
