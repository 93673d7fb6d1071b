//! Welsh for what the council and groups write: a round's title and
//! description, an area's name and description, a bid's title, summary and
//! description. Each is optional; where it is empty, Welsh pages, calls
//! and letters fall back to the English (and mark it as English).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: &[(&str, &str)] = &[
    ("rounds", "title_cy"),
    ("rounds", "description_cy"),
    ("areas", "name_cy"),
    ("areas", "description_cy"),
    ("bids", "title_cy"),
    ("bids", "summary_cy"),
    ("bids", "description_cy"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite alters a table one column at a time.
        for (table, column) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .add_column(ColumnDef::new(Alias::new(*column)).text().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in COLUMNS.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .drop_column(Alias::new(*column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
