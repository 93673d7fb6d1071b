//! Results: each version of a round's count (the first count, then any
//! correction, each with its reason), the ballots and result of every pot
//! as published, the reason a count failed, and the round's hash-chained
//! log.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    CountError,
}

#[derive(DeriveIden)]
enum RoundPots {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ResultVersions {
    Table,
    Id,
    RoundId,
    Version,
    Reason,
    ConfigJson,
    ExcludedBids,
    CreatedBy,
    CreatedAt,
    PublishedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum PotResults {
    Table,
    Id,
    VersionId,
    PotId,
    BallotsPb,
    BallotsSha256,
    ResultJson,
    ResultSha256,
}

#[derive(DeriveIden)]
enum RoundLog {
    Table,
    RoundId,
    Seq,
    At,
    Kind,
    Details,
    PrevHash,
    Hash,
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
        manager
            .alter_table(
                Table::alter()
                    .table(Rounds::Table)
                    .add_column(text_null(Rounds::CountError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ResultVersions::Table)
                    .col(big_pk_auto(ResultVersions::Id))
                    .col(big_integer(ResultVersions::RoundId))
                    .col(integer(ResultVersions::Version))
                    .col(text_null(ResultVersions::Reason))
                    .col(text(ResultVersions::ConfigJson))
                    .col(text(ResultVersions::ExcludedBids))
                    .col(big_integer_null(ResultVersions::CreatedBy))
                    .col(timestamp_with_time_zone(ResultVersions::CreatedAt))
                    .col(big_integer_null(ResultVersions::PublishedBy))
                    .col(timestamp_with_time_zone_null(ResultVersions::PublishedAt))
                    .foreign_key(&mut fk(
                        "fk_result_versions_round",
                        (ResultVersions::Table, ResultVersions::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_result_versions_created_by",
                        (ResultVersions::Table, ResultVersions::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_result_versions_published_by",
                        (ResultVersions::Table, ResultVersions::PublishedBy),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_result_versions_round")
                    .table(ResultVersions::Table)
                    .col(ResultVersions::RoundId)
                    .col(ResultVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PotResults::Table)
                    .col(big_pk_auto(PotResults::Id))
                    .col(big_integer(PotResults::VersionId))
                    .col(big_integer(PotResults::PotId))
                    .col(text(PotResults::BallotsPb))
                    .col(string(PotResults::BallotsSha256))
                    .col(text(PotResults::ResultJson))
                    .col(string(PotResults::ResultSha256))
                    .foreign_key(&mut fk(
                        "fk_pot_results_version",
                        (PotResults::Table, PotResults::VersionId),
                        (ResultVersions::Table, ResultVersions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_pot_results_pot",
                        (PotResults::Table, PotResults::PotId),
                        (RoundPots::Table, RoundPots::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pot_results_version")
                    .table(PotResults::Table)
                    .col(PotResults::VersionId)
                    .col(PotResults::PotId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoundLog::Table)
                    .col(big_integer(RoundLog::RoundId))
                    .col(big_integer(RoundLog::Seq))
                    .col(timestamp_with_time_zone(RoundLog::At))
                    .col(string(RoundLog::Kind))
                    .col(text(RoundLog::Details))
                    .col(string(RoundLog::PrevHash))
                    .col(string(RoundLog::Hash))
                    .primary_key(Index::create().col(RoundLog::RoundId).col(RoundLog::Seq))
                    .foreign_key(&mut fk(
                        "fk_round_log_round",
                        (RoundLog::Table, RoundLog::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
