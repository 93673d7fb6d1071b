//! The delivery of funded bids, after the vote. `deliveries`: one a funded
//! bid, made when its result is published and kept in step with
//! corrections: its status, the money awarded and spent so far, and an
//! officer's recorded reason where spending passes the award.
//! `delivery_milestones`: what the project will do by when, and when it
//! did. `delivery_updates`: what the bid's group says, public once an
//! officer approves it; `delivery_photos`: up to four photos an update,
//! re-encoded on upload (no EXIF, no location), stored here.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Id,
    RoundId,
    PotId,
    BidId,
    AwardPence,
    Status,
    StatusReason,
    SpentPence,
    OverspendReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DeliveryMilestones {
    Table,
    Id,
    DeliveryId,
    Title,
    TargetDate,
    DoneDate,
    Position,
}

#[derive(DeriveIden)]
enum DeliveryUpdates {
    Table,
    Id,
    DeliveryId,
    AccountId,
    Body,
    State,
    Reason,
    CreatedAt,
    DecidedAt,
    DecidedBy,
}

#[derive(DeriveIden)]
enum DeliveryPhotos {
    Table,
    Id,
    UpdateId,
    Position,
    AltText,
    ContentType,
    Data,
    Width,
    Height,
    Sha256,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bids {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Deliveries::Table)
                    .col(big_pk_auto(Deliveries::Id))
                    .col(big_integer(Deliveries::RoundId))
                    .col(big_integer(Deliveries::PotId))
                    .col(big_integer_uniq(Deliveries::BidId))
                    .col(big_integer(Deliveries::AwardPence))
                    .col(string(Deliveries::Status))
                    .col(text_null(Deliveries::StatusReason))
                    .col(big_integer(Deliveries::SpentPence).default(0))
                    .col(text_null(Deliveries::OverspendReason))
                    .col(timestamp_with_time_zone(Deliveries::CreatedAt))
                    .col(timestamp_with_time_zone(Deliveries::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_deliveries_round")
                            .from(Deliveries::Table, Deliveries::RoundId)
                            .to(Rounds::Table, Rounds::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_deliveries_bid")
                            .from(Deliveries::Table, Deliveries::BidId)
                            .to(Bids::Table, Bids::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deliveries_round")
                    .table(Deliveries::Table)
                    .col(Deliveries::RoundId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeliveryMilestones::Table)
                    .col(big_pk_auto(DeliveryMilestones::Id))
                    .col(big_integer(DeliveryMilestones::DeliveryId))
                    .col(text(DeliveryMilestones::Title))
                    .col(string(DeliveryMilestones::TargetDate))
                    .col(string_null(DeliveryMilestones::DoneDate))
                    .col(integer(DeliveryMilestones::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_delivery_milestones_delivery")
                            .from(DeliveryMilestones::Table, DeliveryMilestones::DeliveryId)
                            .to(Deliveries::Table, Deliveries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeliveryUpdates::Table)
                    .col(big_pk_auto(DeliveryUpdates::Id))
                    .col(big_integer(DeliveryUpdates::DeliveryId))
                    .col(big_integer_null(DeliveryUpdates::AccountId))
                    .col(text(DeliveryUpdates::Body))
                    .col(string(DeliveryUpdates::State))
                    .col(text_null(DeliveryUpdates::Reason))
                    .col(timestamp_with_time_zone(DeliveryUpdates::CreatedAt))
                    .col(timestamp_with_time_zone_null(DeliveryUpdates::DecidedAt))
                    .col(big_integer_null(DeliveryUpdates::DecidedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_delivery_updates_delivery")
                            .from(DeliveryUpdates::Table, DeliveryUpdates::DeliveryId)
                            .to(Deliveries::Table, Deliveries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_delivery_updates_delivery")
                    .table(DeliveryUpdates::Table)
                    .col(DeliveryUpdates::DeliveryId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeliveryPhotos::Table)
                    .col(big_pk_auto(DeliveryPhotos::Id))
                    .col(big_integer(DeliveryPhotos::UpdateId))
                    .col(integer(DeliveryPhotos::Position))
                    .col(text(DeliveryPhotos::AltText))
                    .col(string(DeliveryPhotos::ContentType))
                    .col(blob(DeliveryPhotos::Data))
                    .col(integer(DeliveryPhotos::Width))
                    .col(integer(DeliveryPhotos::Height))
                    .col(string(DeliveryPhotos::Sha256))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_delivery_photos_update")
                            .from(DeliveryPhotos::Table, DeliveryPhotos::UpdateId)
                            .to(DeliveryUpdates::Table, DeliveryUpdates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_delivery_photos_update")
                    .table(DeliveryPhotos::Table)
                    .col(DeliveryPhotos::UpdateId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DeliveryPhotos::Table.into_iden(),
            DeliveryUpdates::Table.into_iden(),
            DeliveryMilestones::Table.into_iden(),
            Deliveries::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
