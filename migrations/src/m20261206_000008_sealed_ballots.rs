//! Ballot secrecy at rest and the witnessed close checkpoint.
//!
//! While a round is voting, nothing in the database ties a voter to a
//! ballot in plaintext: each round has a random key (`round_keys`, sealed
//! with a key derived from the server secret, deleted at the close); a
//! ballot waits in `sealed_ballots` under an identifier that is a keyed
//! hash of its voter under the round key, its content sealed with that key;
//! the answer to each retried cast (`cast_answers`) is sealed the same way.
//! At the close the ballots are opened, written to `ballots` under fresh
//! random identifiers in random order, and every sealed row and the key are
//! deleted. `ballot_links` and `cast_requests`, which held voters and
//! ballot identifiers in plaintext, go.
//!
//! `sealed_pots` keeps each pot's ballots file exactly as sealed at the
//! close, the file every count of the round reads; `rounds` gains the close
//! checkpoint (the hash of the round log's `sealed` entry) and the council's
//! signature of it. `round_observers` holds who asked to be sent the
//! checkpoint: the address sealed, for that purpose only.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    CloseCheckpoint,
    CloseSignature,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RoundPots {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RoundKeys {
    Table,
    RoundId,
    SealedKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SealedBallots {
    Table,
    Id,
    RoundId,
    PotId,
    Sealed,
}

#[derive(DeriveIden)]
enum CastAnswers {
    Table,
    RoundId,
    KeyTag,
    Sealed,
}

#[derive(DeriveIden)]
enum SealedPots {
    Table,
    RoundId,
    PotId,
    Ballots,
    BallotsPb,
    BallotsSha256,
}

#[derive(DeriveIden)]
enum RoundObservers {
    Table,
    Id,
    RoundId,
    AccountId,
    EmailSealed,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BallotLinks {
    Table,
}

#[derive(DeriveIden)]
enum CastRequests {
    Table,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Links made under the old store cannot be sealed without the
        // server secret, which a migration does not have: a round must not
        // be voting, with ballots cast, across this upgrade.
        let db = manager.get_connection();
        let open = db
            .query_one_raw(sea_orm::Statement::from_string(
                manager.get_database_backend(),
                "SELECT COUNT(*) AS n FROM ballot_links".to_owned(),
            ))
            .await?
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        if open > 0 {
            return Err(DbErr::Migration(format!(
                "{open} ballots are linked to voters in a round that is voting: close its voting \
                 with the previous version before upgrading (the new ballot store seals these \
                 links, which needs the server and not a migration)"
            )));
        }
        manager
            .drop_table(Table::drop().table(BallotLinks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CastRequests::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoundKeys::Table)
                    .col(big_integer(RoundKeys::RoundId).primary_key())
                    .col(text(RoundKeys::SealedKey))
                    .col(timestamp_with_time_zone(RoundKeys::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_round_keys_round",
                        (RoundKeys::Table, RoundKeys::RoundId),
                        (Rounds::Table, Rounds::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SealedBallots::Table)
                    .col(string(SealedBallots::Id).primary_key())
                    .col(big_integer(SealedBallots::RoundId))
                    .col(big_integer(SealedBallots::PotId))
                    .col(text(SealedBallots::Sealed))
                    .foreign_key(&mut fk(
                        "fk_sealed_ballots_round",
                        (SealedBallots::Table, SealedBallots::RoundId),
                        (Rounds::Table, Rounds::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_sealed_ballots_pot",
                        (SealedBallots::Table, SealedBallots::PotId),
                        (RoundPots::Table, RoundPots::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sealed_ballots_round")
                    .table(SealedBallots::Table)
                    .col(SealedBallots::RoundId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CastAnswers::Table)
                    .col(big_integer(CastAnswers::RoundId))
                    .col(string(CastAnswers::KeyTag))
                    .col(text(CastAnswers::Sealed))
                    .primary_key(
                        Index::create()
                            .col(CastAnswers::RoundId)
                            .col(CastAnswers::KeyTag),
                    )
                    .foreign_key(&mut fk(
                        "fk_cast_answers_round",
                        (CastAnswers::Table, CastAnswers::RoundId),
                        (Rounds::Table, Rounds::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SealedPots::Table)
                    .col(big_integer(SealedPots::RoundId))
                    .col(big_integer(SealedPots::PotId))
                    .col(big_integer(SealedPots::Ballots))
                    .col(text(SealedPots::BallotsPb))
                    .col(string(SealedPots::BallotsSha256))
                    .primary_key(
                        Index::create()
                            .col(SealedPots::RoundId)
                            .col(SealedPots::PotId),
                    )
                    .foreign_key(&mut fk(
                        "fk_sealed_pots_round",
                        (SealedPots::Table, SealedPots::RoundId),
                        (Rounds::Table, Rounds::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_sealed_pots_pot",
                        (SealedPots::Table, SealedPots::PotId),
                        (RoundPots::Table, RoundPots::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoundObservers::Table)
                    .col(big_pk_auto(RoundObservers::Id))
                    .col(big_integer(RoundObservers::RoundId))
                    .col(big_integer(RoundObservers::AccountId))
                    .col(text(RoundObservers::EmailSealed))
                    .col(timestamp_with_time_zone(RoundObservers::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_round_observers_round",
                        (RoundObservers::Table, RoundObservers::RoundId),
                        (Rounds::Table, Rounds::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_round_observers_account",
                        (RoundObservers::Table, RoundObservers::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_round_observers_unique")
                    .table(RoundObservers::Table)
                    .col(RoundObservers::RoundId)
                    .col(RoundObservers::AccountId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rounds::Table)
                    .add_column(string_null(Rounds::CloseCheckpoint))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rounds::Table)
                    .add_column(string_null(Rounds::CloseSignature))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
