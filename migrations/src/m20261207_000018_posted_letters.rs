//! Voting-code letters posted through GOV.UK Notify: how many of a batch's
//! letters are posted so far (a batch interrupted half way goes on from
//! there, posting none twice), and until when an officer's request holds
//! the batch (so that two requests at once do not both post it).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum VotingCodeBatches {
    Table,
    Posted,
    PostingUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ColumnDef::new(VotingCodeBatches::Posted)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(VotingCodeBatches::PostingUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(VotingCodeBatches::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            VotingCodeBatches::Posted.into_iden(),
            VotingCodeBatches::PostingUntil.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(VotingCodeBatches::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
