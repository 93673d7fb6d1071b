//! `group_invitations.address_hint`: who an open invitation is for, as the
//! group's members see it (`j•••@example.org`), so that they can tell their
//! invitations apart. Cleared when the invitation is answered, withdrawn,
//! replaced or expires; the address itself is only ever a keyed hash.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("group_invitations"))
                    .add_column(ColumnDef::new(Alias::new("address_hint")).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("group_invitations"))
                    .drop_column(Alias::new("address_hint"))
                    .to_owned(),
            )
            .await
    }
}
