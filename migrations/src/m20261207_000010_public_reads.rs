//! Public reads that cost the same at 60 ballots and at 100,000.
//!
//! - `pot_results.summary`: everything a published result shows (votes
//!   per bid, funded and unfunded, turnout by channel, the explanation in
//!   English and Welsh), worked out once when the count is stored, as
//!   JSON. Reading a result no longer parses the ballots file. Results
//!   stored before get theirs when the server starts.
//! - `ballots.leaf` and `ballots.receipt_key`, written when voting closes:
//!   each ballot's place among the sorted commitments (the leaves of the
//!   receipt tree), and the first 64 bits of its commitment as a number,
//!   which a receipt code gives, so that a receipt is found through an
//!   index. Both come from the commitment, which the row already holds;
//!   no other table holds anything of a ballot.
//! - `receipt_nodes`: every node of a closed round's receipt tree above
//!   the leaves, by level and position. A receipt's proof is read from a
//!   few of them, not rebuilt from every ballot.
//! - `idx_bids_pot_status`: the bids of one pot by status, in order, as
//!   the bid list reads them.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PotResults {
    Table,
    Summary,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bids {
    Table,
    PotId,
    Status,
    Id,
}

#[derive(DeriveIden)]
enum Ballots {
    Table,
    RoundId,
    Leaf,
    ReceiptKey,
}

#[derive(DeriveIden)]
enum ReceiptNodes {
    Table,
    RoundId,
    Level,
    Position,
    Hash,
}

fn to_round(name: &str, from: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(Rounds::Table, Rounds::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PotResults::Table)
                    .add_column(text_null(PotResults::Summary))
                    .to_owned(),
            )
            .await?;
        for column in [Ballots::Leaf, Ballots::ReceiptKey] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Ballots::Table)
                        .add_column(big_integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        for (name, column) in [
            ("idx_ballots_leaf", Ballots::Leaf),
            ("idx_ballots_receipt_key", Ballots::ReceiptKey),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Ballots::Table)
                        .col(Ballots::RoundId)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReceiptNodes::Table)
                    .col(big_integer(ReceiptNodes::RoundId))
                    .col(integer(ReceiptNodes::Level))
                    .col(big_integer(ReceiptNodes::Position))
                    .col(string(ReceiptNodes::Hash))
                    .primary_key(
                        Index::create()
                            .col(ReceiptNodes::RoundId)
                            .col(ReceiptNodes::Level)
                            .col(ReceiptNodes::Position),
                    )
                    .foreign_key(&mut to_round(
                        "fk_receipt_nodes_round",
                        (ReceiptNodes::Table, ReceiptNodes::RoundId),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bids_pot_status")
                    .table(Bids::Table)
                    .col(Bids::PotId)
                    .col(Bids::Status)
                    .col(Bids::Id)
                    .to_owned(),
            )
            .await
    }
}
