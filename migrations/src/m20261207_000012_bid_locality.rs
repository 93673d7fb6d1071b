//! `bids.locality_area_id`: the part of its pot's area a bid is for (a
//! ward of a borough-wide pot), for the council rules that limit the money
//! an area receives. Empty: the pot's whole area.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("bids"))
                    .add_column(
                        ColumnDef::new(Alias::new("locality_area_id"))
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("bids"))
                    .drop_column(Alias::new("locality_area_id"))
                    .to_owned(),
            )
            .await
    }
}
