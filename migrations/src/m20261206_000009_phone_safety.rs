//! Voting by phone, made safer.
//!
//! - `verified_participants.phone_proven`: whether the phone number on a
//!   verification record was proven by a code sent to it. Only a proven
//!   number identifies a texter without a voting code; a number an officer
//!   typed (or anything else not proven) only stops the number verifying a
//!   second person. Existing records count as proven only where the number
//!   can only have come from a text-message code: the `sms` method and no
//!   check in person (an officer's check could have replaced the number).
//! - `phone_calls.state` and `phone_messages.reply` are sealed from now on
//!   (the server seals them with a key derived from its secret): the rows
//!   written before, in plain text, go. They live an hour or a day anyway;
//!   a call in progress starts again, and a retried text is answered anew
//!   (its cast is idempotent).
//! - `voting_code_batches`: each batch of voting codes issued, with its
//!   letters (the codes, and the names and addresses given for them)
//!   sealed, so that the letters are printed after the codes are committed
//!   and can be made again if printing fails or the answer is lost. A
//!   batch is deleted once an officer says the letters are safe, after 24
//!   hours, or when the round's voting closes.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum VerifiedParticipants {
    Table,
    PhoneHmac,
    PhoneProven,
    Methods,
}

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
enum VotingCodeBatches {
    Table,
    Id,
    RoundId,
    IssuedBy,
    Letters,
    Remaining,
    Sealed,
    IssuedAt,
    KeptUntil,
}

#[derive(DeriveIden)]
enum PhoneCalls {
    Table,
}

#[derive(DeriveIden)]
enum PhoneMessages {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(VerifiedParticipants::Table)
                    .add_column(boolean(VerifiedParticipants::PhoneProven).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(VerifiedParticipants::Table)
                    .value(VerifiedParticipants::PhoneProven, true)
                    .and_where(Expr::col(VerifiedParticipants::PhoneHmac).is_not_null())
                    .and_where(Expr::col(VerifiedParticipants::Methods).like("%sms%"))
                    .and_where(Expr::col(VerifiedParticipants::Methods).not_like("%in_person%"))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(Query::delete().from_table(PhoneCalls::Table).to_owned())
            .await?;
        manager
            .exec_stmt(Query::delete().from_table(PhoneMessages::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VotingCodeBatches::Table)
                    .col(string(VotingCodeBatches::Id).primary_key())
                    .col(big_integer(VotingCodeBatches::RoundId))
                    .col(big_integer_null(VotingCodeBatches::IssuedBy))
                    .col(integer(VotingCodeBatches::Letters))
                    .col(integer(VotingCodeBatches::Remaining))
                    .col(text(VotingCodeBatches::Sealed))
                    .col(timestamp_with_time_zone(VotingCodeBatches::IssuedAt))
                    .col(timestamp_with_time_zone(VotingCodeBatches::KeptUntil))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_voting_code_batches_round")
                            .from(VotingCodeBatches::Table, VotingCodeBatches::RoundId)
                            .to(Rounds::Table, Rounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_voting_code_batches_issued_by")
                            .from(VotingCodeBatches::Table, VotingCodeBatches::IssuedBy)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_voting_code_batches_round")
                    .table(VotingCodeBatches::Table)
                    .col(VotingCodeBatches::RoundId)
                    .col(VotingCodeBatches::IssuedAt)
                    .to_owned(),
            )
            .await
    }
}
