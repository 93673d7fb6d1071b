//! `closed_codes`: the keyed hashes of a round's voting codes once voting
//! has closed, with nothing else (no person, no phone, no ballot), so that
//! a resident who texts or calls with their code afterwards is told that
//! voting has closed rather than that the code is not recognised. Purged
//! with the round's verification data.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("closed_codes"))
                    .col(ColumnDef::new(Alias::new("code_hmac")).string().not_null())
                    .col(
                        ColumnDef::new(Alias::new("round_id"))
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(Alias::new("code_hmac"))
                            .col(Alias::new("round_id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("closed_codes_round")
                    .table(Alias::new("closed_codes"))
                    .col(Alias::new("round_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("closed_codes")).to_owned())
            .await
    }
}
