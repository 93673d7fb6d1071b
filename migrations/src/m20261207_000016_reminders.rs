//! Reminders people asked for. `reminder_subscriptions`: one a person and
//! round, with the email address or mobile number to use, sealed with a key
//! derived from the server secret (and a keyed hash of it, so that `STOP`
//! from a number finds its reminders without opening any); deleted when
//! they stop, with their verification, and with the round's verification
//! data. `reminder_messages`: the queue, one row a subscription and
//! message, unique on the two, so that no message is sent twice; a row
//! says only whether its message is still to do, never whether it was sent
//! or left out because the person had voted.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReminderSubscriptions {
    Table,
    Id,
    RoundId,
    ParticipantId,
    AccountId,
    Channel,
    Language,
    ContactSealed,
    ContactHmac,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReminderMessages {
    Table,
    Id,
    SubscriptionId,
    RoundId,
    Kind,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum VerifiedParticipants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReminderSubscriptions::Table)
                    .col(big_pk_auto(ReminderSubscriptions::Id))
                    .col(big_integer(ReminderSubscriptions::RoundId))
                    .col(big_integer(ReminderSubscriptions::ParticipantId))
                    .col(big_integer_null(ReminderSubscriptions::AccountId))
                    .col(string(ReminderSubscriptions::Channel))
                    .col(string(ReminderSubscriptions::Language))
                    .col(text(ReminderSubscriptions::ContactSealed))
                    .col(string(ReminderSubscriptions::ContactHmac))
                    .col(timestamp_with_time_zone(ReminderSubscriptions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reminder_subscriptions_round")
                            .from(ReminderSubscriptions::Table, ReminderSubscriptions::RoundId)
                            .to(Rounds::Table, Rounds::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reminder_subscriptions_participant")
                            .from(
                                ReminderSubscriptions::Table,
                                ReminderSubscriptions::ParticipantId,
                            )
                            .to(VerifiedParticipants::Table, VerifiedParticipants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "idx_reminder_subscriptions_person",
                vec![
                    ReminderSubscriptions::RoundId,
                    ReminderSubscriptions::ParticipantId,
                ],
                true,
            ),
            (
                "idx_reminder_subscriptions_contact",
                vec![ReminderSubscriptions::ContactHmac],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(ReminderSubscriptions::Table);
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReminderMessages::Table)
                    .col(big_pk_auto(ReminderMessages::Id))
                    .col(big_integer(ReminderMessages::SubscriptionId))
                    .col(big_integer(ReminderMessages::RoundId))
                    .col(string(ReminderMessages::Kind))
                    .col(string(ReminderMessages::Status))
                    .col(integer(ReminderMessages::Attempts))
                    .col(timestamp_with_time_zone(ReminderMessages::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(
                        ReminderMessages::ClaimedUntil,
                    ))
                    .col(timestamp_with_time_zone(ReminderMessages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reminder_messages_subscription")
                            .from(ReminderMessages::Table, ReminderMessages::SubscriptionId)
                            .to(ReminderSubscriptions::Table, ReminderSubscriptions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reminder_messages_once")
                    .table(ReminderMessages::Table)
                    .col(ReminderMessages::SubscriptionId)
                    .col(ReminderMessages::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reminder_messages_round")
                    .table(ReminderMessages::Table)
                    .col(ReminderMessages::RoundId)
                    .col(ReminderMessages::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reminder_messages_due")
                    .table(ReminderMessages::Table)
                    .col(ReminderMessages::Status)
                    .col(ReminderMessages::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReminderMessages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ReminderSubscriptions::Table).to_owned())
            .await
    }
}
