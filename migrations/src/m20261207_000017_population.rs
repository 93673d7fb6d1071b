//! Who lives where, to set turnout against. `area_population`: an area's
//! population by single year of age, one row a geography (an LSOA or a
//! ward) as the ONS mid-year estimates give it, the ages as a JSON array
//! (index 90 is "90 and over"). `lsoa_deprivation`: each neighbourhood's
//! deprivation decile (1 the most deprived tenth), from the English IMD or
//! the Welsh WIMD. `postcode_lsoa`: which neighbourhood a postcode is in.
//! `population_imports`: which version of each is in use, and who imported
//! it. A participant's record and the record that they took part keep an
//! age band and a decile: never a date of birth, never a postcode.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AreaPopulation {
    Table,
    Id,
    AreaId,
    GeographyCode,
    GeographyName,
    PeopleByAge,
}

#[derive(DeriveIden)]
enum LsoaDeprivation {
    Table,
    LsoaCode,
    Decile,
    IndexName,
}

#[derive(DeriveIden)]
enum PostcodeLsoa {
    Table,
    Postcode,
    LsoaCode,
}

#[derive(DeriveIden)]
enum PopulationImports {
    Table,
    Id,
    Kind,
    AreaId,
    Source,
    Rows,
    ImportedBy,
    ImportedAt,
}

#[derive(DeriveIden)]
enum Areas {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum VerifiedParticipants {
    Table,
    AgeBand,
    DeprivationDecile,
}

#[derive(DeriveIden)]
enum Participation {
    Table,
    AgeBand,
    DeprivationDecile,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AreaPopulation::Table)
                    .col(big_pk_auto(AreaPopulation::Id))
                    .col(big_integer(AreaPopulation::AreaId))
                    .col(string(AreaPopulation::GeographyCode))
                    .col(string(AreaPopulation::GeographyName))
                    .col(text(AreaPopulation::PeopleByAge))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_area_population_area")
                            .from(AreaPopulation::Table, AreaPopulation::AreaId)
                            .to(Areas::Table, Areas::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_area_population_geography")
                    .table(AreaPopulation::Table)
                    .col(AreaPopulation::AreaId)
                    .col(AreaPopulation::GeographyCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LsoaDeprivation::Table)
                    .col(string(LsoaDeprivation::LsoaCode).primary_key())
                    .col(small_integer(LsoaDeprivation::Decile))
                    .col(string(LsoaDeprivation::IndexName))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PostcodeLsoa::Table)
                    .col(string(PostcodeLsoa::Postcode).primary_key())
                    .col(string(PostcodeLsoa::LsoaCode))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PopulationImports::Table)
                    .col(big_pk_auto(PopulationImports::Id))
                    .col(string(PopulationImports::Kind))
                    .col(big_integer_null(PopulationImports::AreaId))
                    .col(string(PopulationImports::Source))
                    .col(big_integer(PopulationImports::Rows))
                    .col(big_integer_null(PopulationImports::ImportedBy))
                    .col(timestamp_with_time_zone(PopulationImports::ImportedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_population_imports_area")
                            .from(PopulationImports::Table, PopulationImports::AreaId)
                            .to(Areas::Table, Areas::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_population_imports_kind")
                    .table(PopulationImports::Table)
                    .col(PopulationImports::Kind)
                    .col(PopulationImports::AreaId)
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column an ALTER TABLE.
        for (table, band, decile) in [
            (
                VerifiedParticipants::Table.into_iden(),
                VerifiedParticipants::AgeBand.into_iden(),
                VerifiedParticipants::DeprivationDecile.into_iden(),
            ),
            (
                Participation::Table.into_iden(),
                Participation::AgeBand.into_iden(),
                Participation::DeprivationDecile.into_iden(),
            ),
        ] {
            for column in [
                ColumnDef::new(band.clone()).string().null().to_owned(),
                ColumnDef::new(decile.clone())
                    .small_integer()
                    .null()
                    .to_owned(),
            ] {
                manager
                    .alter_table(
                        Table::alter()
                            .table(table.clone())
                            .add_column(column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            (
                VerifiedParticipants::Table.into_iden(),
                VerifiedParticipants::AgeBand.into_iden(),
            ),
            (
                VerifiedParticipants::Table.into_iden(),
                VerifiedParticipants::DeprivationDecile.into_iden(),
            ),
            (
                Participation::Table.into_iden(),
                Participation::AgeBand.into_iden(),
            ),
            (
                Participation::Table.into_iden(),
                Participation::DeprivationDecile.into_iden(),
            ),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        for table in [
            PopulationImports::Table.into_iden(),
            PostcodeLsoa::Table.into_iden(),
            LsoaDeprivation::Table.into_iden(),
            AreaPopulation::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
