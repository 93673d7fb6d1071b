//! When an account chose its language: until then the language (English
//! by default) follows the pages the person signs in from.
//!
//! Deleting an account: the row stays, reduced to its id and dates, so that
//! what the person did for others (a group registered, a round set up, a bid
//! written) still points somewhere; `deleted_at` says it is no one now. The
//! email hash, sessions, roles, memberships and every personal link go.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    DeletedAt,
    LanguageChosenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::DeletedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::LanguageChosenAt))
                    .to_owned(),
            )
            .await
    }
}
