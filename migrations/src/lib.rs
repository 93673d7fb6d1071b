//! Database schema for Fairshare, as ordered migrations that run unchanged on
//! SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261124_000002_verification;
mod m20261202_000003_hardening;
mod m20261203_000004_voting;
mod m20261204_000005_results;
mod m20261205_000006_phone;
mod m20261206_000007_accounts;
mod m20261206_000008_sealed_ballots;
mod m20261206_000009_phone_safety;
mod m20261207_000010_public_reads;
mod m20261207_000011_public_revision;
mod m20261207_000012_bid_locality;
mod m20261207_000013_closed_codes;
mod m20261207_000014_welsh_content;
mod m20261207_000015_invitation_hint;
mod m20261207_000016_reminders;
mod m20261207_000017_population;
mod m20261207_000018_posted_letters;
mod m20261208_000019_delivery;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261124_000002_verification::Migration),
            Box::new(m20261202_000003_hardening::Migration),
            Box::new(m20261203_000004_voting::Migration),
            Box::new(m20261204_000005_results::Migration),
            Box::new(m20261205_000006_phone::Migration),
            Box::new(m20261206_000007_accounts::Migration),
            Box::new(m20261206_000008_sealed_ballots::Migration),
            Box::new(m20261206_000009_phone_safety::Migration),
            Box::new(m20261207_000010_public_reads::Migration),
            Box::new(m20261207_000011_public_revision::Migration),
            Box::new(m20261207_000012_bid_locality::Migration),
            Box::new(m20261207_000013_closed_codes::Migration),
            Box::new(m20261207_000014_welsh_content::Migration),
            Box::new(m20261207_000015_invitation_hint::Migration),
            Box::new(m20261207_000016_reminders::Migration),
            Box::new(m20261207_000017_population::Migration),
            Box::new(m20261207_000018_posted_letters::Migration),
            Box::new(m20261208_000019_delivery::Migration),
        ]
    }
}
