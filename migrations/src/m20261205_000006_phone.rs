//! Voting by phone: voting codes (keyed hashes only) for residents with no
//! email or smartphone, the state of each telephone call (keyed by the
//! gateway's call identifier, so any instance can answer the next step),
//! and the answer to each inbound text message (so that a retried webhook
//! gets the same reply). Calls and answers are deleted when voting closes.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum VerifiedParticipants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum VotingCodes {
    Table,
    Id,
    RoundId,
    ParticipantId,
    CodeHmac,
    PhoneHmac,
    IssuedBy,
    IssuedAt,
    VoidedAt,
}

#[derive(DeriveIden)]
enum PhoneCalls {
    Table,
    CallSid,
    RoundId,
    State,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PhoneMessages {
    Table,
    MessageSid,
    RoundId,
    Reply,
    CreatedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(VotingCodes::Table)
                    .col(big_pk_auto(VotingCodes::Id))
                    .col(big_integer(VotingCodes::RoundId))
                    .col(big_integer(VotingCodes::ParticipantId))
                    .col(string_uniq(VotingCodes::CodeHmac))
                    .col(string_null(VotingCodes::PhoneHmac))
                    .col(big_integer_null(VotingCodes::IssuedBy))
                    .col(timestamp_with_time_zone(VotingCodes::IssuedAt))
                    .col(timestamp_with_time_zone_null(VotingCodes::VoidedAt))
                    .foreign_key(&mut fk(
                        "fk_voting_codes_round",
                        (VotingCodes::Table, VotingCodes::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    // Purging a round's verification data takes its codes.
                    .foreign_key(&mut fk(
                        "fk_voting_codes_participant",
                        (VotingCodes::Table, VotingCodes::ParticipantId),
                        (VerifiedParticipants::Table, VerifiedParticipants::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_voting_codes_issued_by",
                        (VotingCodes::Table, VotingCodes::IssuedBy),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_voting_codes_participant")
                    .table(VotingCodes::Table)
                    .col(VotingCodes::ParticipantId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_voting_codes_phone")
                    .table(VotingCodes::Table)
                    .col(VotingCodes::PhoneHmac)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PhoneCalls::Table)
                    .col(string(PhoneCalls::CallSid).primary_key())
                    .col(big_integer_null(PhoneCalls::RoundId))
                    .col(text(PhoneCalls::State))
                    .col(timestamp_with_time_zone(PhoneCalls::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_phone_calls_round",
                        (PhoneCalls::Table, PhoneCalls::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PhoneMessages::Table)
                    .col(string(PhoneMessages::MessageSid).primary_key())
                    .col(big_integer_null(PhoneMessages::RoundId))
                    .col(text(PhoneMessages::Reply))
                    .col(timestamp_with_time_zone(PhoneMessages::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_phone_messages_round",
                        (PhoneMessages::Table, PhoneMessages::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
