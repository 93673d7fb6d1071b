//! Resident verification: a round's eligibility rules, verified participants
//! (the record later voting checks, kept apart from any ballot), the
//! council's register as keyed hashes, and duplicate identities for officers
//! to resolve.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    Eligibility,
    VerificationPurgedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Areas {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum VerifiedParticipants {
    Table,
    Id,
    RoundId,
    AccountId,
    AreaId,
    Relation,
    IdentityHmac,
    PhoneHmac,
    EmailHmac,
    Methods,
    AgeCheckedMin,
    Evidence,
    RecordedBy,
    CreatedAt,
    UpdatedAt,
    VerifiedAt,
}

#[derive(DeriveIden)]
enum RegisterImports {
    Table,
    Id,
    RoundId,
    ImportedBy,
    ImportedAt,
    RowsAccepted,
    RowsRefused,
}

#[derive(DeriveIden)]
enum RegisterEntries {
    Table,
    Id,
    RoundId,
    ImportId,
    IdentityHmac,
}

#[derive(DeriveIden)]
enum VerificationConflicts {
    Table,
    Id,
    RoundId,
    ParticipantId,
    ClaimantAccountId,
    Kind,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
    Resolution,
}

/// The rules every round had before rounds carried their own: residents of
/// the round's areas, any age, every method, a postcode alone not enough.
const DEFAULT_ELIGIBILITY: &str = r#"{"relations":["live"],"min_age":null,"methods":["postcode","sms","email","register","in_person"],"postcode_alone_enough":false}"#;

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

fn unique(name: &str, table: impl IntoIden, cols: &[VerifiedParticipants]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table).unique();
    for c in cols {
        idx.col(*c);
    }
    idx.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Rounds::Table)
                    .add_column(text(Rounds::Eligibility).default(DEFAULT_ELIGIBILITY))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rounds::Table)
                    .add_column(timestamp_with_time_zone_null(Rounds::VerificationPurgedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VerifiedParticipants::Table)
                    .col(big_pk_auto(VerifiedParticipants::Id))
                    .col(big_integer(VerifiedParticipants::RoundId))
                    .col(big_integer_null(VerifiedParticipants::AccountId))
                    .col(big_integer(VerifiedParticipants::AreaId))
                    .col(string(VerifiedParticipants::Relation))
                    .col(string(VerifiedParticipants::IdentityHmac))
                    .col(string_null(VerifiedParticipants::PhoneHmac))
                    .col(string_null(VerifiedParticipants::EmailHmac))
                    .col(string(VerifiedParticipants::Methods))
                    .col(integer_null(VerifiedParticipants::AgeCheckedMin))
                    .col(string_null(VerifiedParticipants::Evidence))
                    .col(big_integer_null(VerifiedParticipants::RecordedBy))
                    .col(timestamp_with_time_zone(VerifiedParticipants::CreatedAt))
                    .col(timestamp_with_time_zone(VerifiedParticipants::UpdatedAt))
                    .col(timestamp_with_time_zone_null(
                        VerifiedParticipants::VerifiedAt,
                    ))
                    .foreign_key(&mut fk(
                        "fk_verified_participants_round",
                        (VerifiedParticipants::Table, VerifiedParticipants::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_verified_participants_account",
                        (VerifiedParticipants::Table, VerifiedParticipants::AccountId),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_verified_participants_area",
                        (VerifiedParticipants::Table, VerifiedParticipants::AreaId),
                        (Areas::Table, Areas::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // One person, one record per round: by identity, by account, by
        // phone and by email (NULLs, where not given, never collide).
        for (name, cols) in [
            (
                "idx_verified_participants_identity",
                vec![
                    VerifiedParticipants::RoundId,
                    VerifiedParticipants::IdentityHmac,
                ],
            ),
            (
                "idx_verified_participants_account",
                vec![
                    VerifiedParticipants::RoundId,
                    VerifiedParticipants::AccountId,
                ],
            ),
            (
                "idx_verified_participants_phone",
                vec![
                    VerifiedParticipants::RoundId,
                    VerifiedParticipants::PhoneHmac,
                ],
            ),
            (
                "idx_verified_participants_email",
                vec![
                    VerifiedParticipants::RoundId,
                    VerifiedParticipants::EmailHmac,
                ],
            ),
        ] {
            manager
                .create_index(unique(name, VerifiedParticipants::Table, &cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(RegisterImports::Table)
                    .col(big_pk_auto(RegisterImports::Id))
                    .col(big_integer(RegisterImports::RoundId))
                    .col(big_integer(RegisterImports::ImportedBy))
                    .col(timestamp_with_time_zone(RegisterImports::ImportedAt))
                    .col(integer(RegisterImports::RowsAccepted))
                    .col(integer(RegisterImports::RowsRefused))
                    .foreign_key(&mut fk(
                        "fk_register_imports_round",
                        (RegisterImports::Table, RegisterImports::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RegisterEntries::Table)
                    .col(big_pk_auto(RegisterEntries::Id))
                    .col(big_integer(RegisterEntries::RoundId))
                    .col(big_integer(RegisterEntries::ImportId))
                    .col(string(RegisterEntries::IdentityHmac))
                    .foreign_key(&mut fk(
                        "fk_register_entries_round",
                        (RegisterEntries::Table, RegisterEntries::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_register_entries_import",
                        (RegisterEntries::Table, RegisterEntries::ImportId),
                        (RegisterImports::Table, RegisterImports::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_register_entries_identity")
                    .table(RegisterEntries::Table)
                    .col(RegisterEntries::RoundId)
                    .col(RegisterEntries::IdentityHmac)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VerificationConflicts::Table)
                    .col(big_pk_auto(VerificationConflicts::Id))
                    .col(big_integer(VerificationConflicts::RoundId))
                    .col(big_integer(VerificationConflicts::ParticipantId))
                    .col(big_integer(VerificationConflicts::ClaimantAccountId))
                    .col(string(VerificationConflicts::Kind))
                    .col(timestamp_with_time_zone(VerificationConflicts::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        VerificationConflicts::ResolvedAt,
                    ))
                    .col(big_integer_null(VerificationConflicts::ResolvedBy))
                    .col(string_null(VerificationConflicts::Resolution))
                    .foreign_key(&mut fk(
                        "fk_verification_conflicts_round",
                        (VerificationConflicts::Table, VerificationConflicts::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_verification_conflicts_participant",
                        (
                            VerificationConflicts::Table,
                            VerificationConflicts::ParticipantId,
                        ),
                        (VerifiedParticipants::Table, VerifiedParticipants::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_verification_conflicts_claimant",
                        (
                            VerificationConflicts::Table,
                            VerificationConflicts::ClaimantAccountId,
                        ),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
