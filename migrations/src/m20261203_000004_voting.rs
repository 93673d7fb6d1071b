//! Voting: ballots kept apart from identity, the link that lets a voter
//! replace their ballot until voting closes (destroyed at close), the
//! answers to retried casts (also destroyed at close), who took part (for
//! turnout, never which ballot), and the count of people who voted both on
//! paper and online.
//!
//! Ballots carry no timestamp and no sequence: their identifier is random,
//! and on SQLite the table has no rowid, so that nothing in a ballot's row
//! or its place in the table tells when it was cast.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RoundPots {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum VerifiedParticipants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Ballots {
    Table,
    Id,
    RoundId,
    PotId,
    Content,
    Commitment,
    Channel,
}

#[derive(DeriveIden)]
enum BallotLinks {
    Table,
    RoundId,
    ParticipantId,
    BallotId,
    Channel,
    CastAt,
}

#[derive(DeriveIden)]
enum CastRequests {
    Table,
    RoundId,
    ParticipantId,
    KeyHmac,
    ReceiptCode,
    ReceiptKey,
    Replaced,
    CastAt,
}

#[derive(DeriveIden)]
enum Participation {
    Table,
    Id,
    RoundId,
    ParticipantId,
    PotId,
    Channel,
    Assurance,
    FirstVotedAt,
    LastVotedAt,
}

#[derive(DeriveIden)]
enum BallotDuplicates {
    Table,
    Id,
    RoundId,
    KeptChannel,
    DroppedChannel,
    Day,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            // WITHOUT ROWID: rows are kept in the order of their random
            // identifier, not of insertion.
            db.execute_unprepared(
                "CREATE TABLE ballots (
                    id TEXT NOT NULL PRIMARY KEY,
                    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
                    pot_id INTEGER NOT NULL REFERENCES round_pots(id) ON DELETE RESTRICT,
                    content TEXT NOT NULL,
                    commitment TEXT NOT NULL UNIQUE,
                    channel TEXT NULL
                ) WITHOUT ROWID",
            )
            .await?;
        } else {
            manager
                .create_table(
                    Table::create()
                        .table(Ballots::Table)
                        .col(string(Ballots::Id).primary_key())
                        .col(big_integer(Ballots::RoundId))
                        .col(big_integer(Ballots::PotId))
                        .col(text(Ballots::Content))
                        .col(string_uniq(Ballots::Commitment))
                        .col(string_null(Ballots::Channel))
                        .foreign_key(&mut fk(
                            "fk_ballots_round",
                            (Ballots::Table, Ballots::RoundId),
                            (Rounds::Table, Rounds::Id),
                            ForeignKeyAction::Cascade,
                        ))
                        .foreign_key(&mut fk(
                            "fk_ballots_pot",
                            (Ballots::Table, Ballots::PotId),
                            (RoundPots::Table, RoundPots::Id),
                            ForeignKeyAction::Restrict,
                        ))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_ballots_round_pot")
                    .table(Ballots::Table)
                    .col(Ballots::RoundId)
                    .col(Ballots::PotId)
                    .to_owned(),
            )
            .await?;

        // One current ballot per participant per round, enforced by the
        // primary key. Deleted for a round when its voting closes.
        manager
            .create_table(
                Table::create()
                    .table(BallotLinks::Table)
                    .col(big_integer(BallotLinks::RoundId))
                    .col(big_integer(BallotLinks::ParticipantId))
                    .col(string_uniq(BallotLinks::BallotId))
                    .col(string(BallotLinks::Channel))
                    .col(timestamp_with_time_zone(BallotLinks::CastAt))
                    .primary_key(
                        Index::create()
                            .col(BallotLinks::RoundId)
                            .col(BallotLinks::ParticipantId),
                    )
                    .foreign_key(&mut fk(
                        "fk_ballot_links_round",
                        (BallotLinks::Table, BallotLinks::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_ballot_links_participant",
                        (BallotLinks::Table, BallotLinks::ParticipantId),
                        (VerifiedParticipants::Table, VerifiedParticipants::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // The answer to each cast, by its idempotency key, so that a retry
        // gets the same receipt and changes nothing. Deleted at close.
        manager
            .create_table(
                Table::create()
                    .table(CastRequests::Table)
                    .col(big_integer(CastRequests::RoundId))
                    .col(big_integer(CastRequests::ParticipantId))
                    .col(string(CastRequests::KeyHmac))
                    .col(string(CastRequests::ReceiptCode))
                    .col(string(CastRequests::ReceiptKey))
                    .col(boolean(CastRequests::Replaced))
                    .col(timestamp_with_time_zone(CastRequests::CastAt))
                    .primary_key(
                        Index::create()
                            .col(CastRequests::RoundId)
                            .col(CastRequests::ParticipantId)
                            .col(CastRequests::KeyHmac),
                    )
                    .foreign_key(&mut fk(
                        "fk_cast_requests_round",
                        (CastRequests::Table, CastRequests::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_cast_requests_participant",
                        (CastRequests::Table, CastRequests::ParticipantId),
                        (VerifiedParticipants::Table, VerifiedParticipants::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // Who took part, by area, channel and assurance: turnout. Never
        // which ballot.
        manager
            .create_table(
                Table::create()
                    .table(Participation::Table)
                    .col(big_pk_auto(Participation::Id))
                    .col(big_integer(Participation::RoundId))
                    .col(big_integer_null(Participation::ParticipantId))
                    .col(big_integer(Participation::PotId))
                    .col(string(Participation::Channel))
                    .col(string(Participation::Assurance))
                    .col(timestamp_with_time_zone(Participation::FirstVotedAt))
                    .col(timestamp_with_time_zone(Participation::LastVotedAt))
                    .foreign_key(&mut fk(
                        "fk_participation_round",
                        (Participation::Table, Participation::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_participation_participant",
                        (Participation::Table, Participation::ParticipantId),
                        (VerifiedParticipants::Table, VerifiedParticipants::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_participation_pot",
                        (Participation::Table, Participation::PotId),
                        (RoundPots::Table, RoundPots::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_participation_participant")
                    .table(Participation::Table)
                    .col(Participation::RoundId)
                    .col(Participation::ParticipantId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BallotDuplicates::Table)
                    .col(big_pk_auto(BallotDuplicates::Id))
                    .col(big_integer(BallotDuplicates::RoundId))
                    .col(string(BallotDuplicates::KeptChannel))
                    .col(string(BallotDuplicates::DroppedChannel))
                    .col(string(BallotDuplicates::Day))
                    .foreign_key(&mut fk(
                        "fk_ballot_duplicates_round",
                        (BallotDuplicates::Table, BallotDuplicates::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
