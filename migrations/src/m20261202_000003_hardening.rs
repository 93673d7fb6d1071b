//! Hardening before voting: names unique whatever their case or accents,
//! group membership by invitation, the history of bid reviews, identity keys
//! that do not depend on the postcode (with similarity keys for officers),
//! duplicate records that outlive the deletion of either side, account
//! language, and audit entries that are purged with a round's verification
//! data.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Language,
}

#[derive(DeriveIden)]
enum Areas {
    Table,
    Name,
    NameKey,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    Name,
    NameKey,
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

#[derive(DeriveIden)]
enum GroupInvitations {
    Table,
    Id,
    GroupId,
    EmailHmac,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
    DeclinedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum BidReviews {
    Table,
    Id,
    BidId,
    Decision,
    Reason,
    ReviewedBy,
    ReviewedAt,
}

#[derive(DeriveIden)]
enum VerifiedParticipants {
    Table,
    Id,
    ResidenceHmac,
    Held,
}

#[derive(DeriveIden)]
enum IdentityKeys {
    Table,
    Id,
    RoundId,
    ParticipantId,
    KeyHmac,
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

#[derive(DeriveIden)]
enum VerificationConflictsNew {
    Table,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    PurgeRoundId,
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

async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(column.to_owned())
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();

        // Names compare without regard to case, accents or spacing. Existing
        // names get a lower-case key here; the API writes the full key.
        add_column(
            manager,
            Areas::Table,
            string_null(Areas::NameKey).to_owned(),
        )
        .await?;
        add_column(
            manager,
            Groups::Table,
            string_null(Groups::NameKey).to_owned(),
        )
        .await?;
        for (table, name, key) in [
            (
                Areas::Table.to_string(),
                Areas::Name.to_string(),
                Areas::NameKey.to_string(),
            ),
            (
                Groups::Table.to_string(),
                Groups::Name.to_string(),
                Groups::NameKey.to_string(),
            ),
        ] {
            db.execute_unprepared(&format!(
                "UPDATE {table} SET {key} = lower(trim({name})) WHERE {key} IS NULL"
            ))
            .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_areas_name_key")
                    .table(Areas::Table)
                    .col(Areas::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_groups_name_key")
                    .table(Groups::Table)
                    .col(Groups::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        add_column(
            manager,
            Accounts::Table,
            string(Accounts::Language).default("en").to_owned(),
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(GroupInvitations::Table)
                    .col(big_pk_auto(GroupInvitations::Id))
                    .col(big_integer(GroupInvitations::GroupId))
                    .col(string(GroupInvitations::EmailHmac))
                    .col(big_integer_null(GroupInvitations::InvitedBy))
                    .col(timestamp_with_time_zone(GroupInvitations::CreatedAt))
                    .col(timestamp_with_time_zone(GroupInvitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(GroupInvitations::AcceptedAt))
                    .col(timestamp_with_time_zone_null(GroupInvitations::DeclinedAt))
                    .col(timestamp_with_time_zone_null(GroupInvitations::RevokedAt))
                    .foreign_key(&mut fk(
                        "fk_group_invitations_group",
                        (GroupInvitations::Table, GroupInvitations::GroupId),
                        (Groups::Table, Groups::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_group_invitations_invited_by",
                        (GroupInvitations::Table, GroupInvitations::InvitedBy),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_group_invitations_email")
                    .table(GroupInvitations::Table)
                    .col(GroupInvitations::EmailHmac)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BidReviews::Table)
                    .col(big_pk_auto(BidReviews::Id))
                    .col(big_integer(BidReviews::BidId))
                    .col(string(BidReviews::Decision))
                    .col(text_null(BidReviews::Reason))
                    .col(big_integer_null(BidReviews::ReviewedBy))
                    .col(timestamp_with_time_zone(BidReviews::ReviewedAt))
                    .foreign_key(&mut fk(
                        "fk_bid_reviews_bid",
                        (BidReviews::Table, BidReviews::BidId),
                        (Bids::Table, Bids::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_bid_reviews_reviewer",
                        (BidReviews::Table, BidReviews::ReviewedBy),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bid_reviews_bid")
                    .table(BidReviews::Table)
                    .col(BidReviews::BidId)
                    .to_owned(),
            )
            .await?;

        // The register proves residence: it is matched on name, date of
        // birth and postcode. The identity key (one person, one vote) is
        // name and date of birth alone.
        add_column(
            manager,
            VerifiedParticipants::Table,
            string_null(VerifiedParticipants::ResidenceHmac).to_owned(),
        )
        .await?;
        add_column(
            manager,
            VerifiedParticipants::Table,
            boolean(VerifiedParticipants::Held)
                .default(false)
                .to_owned(),
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdentityKeys::Table)
                    .col(big_pk_auto(IdentityKeys::Id))
                    .col(big_integer(IdentityKeys::RoundId))
                    .col(big_integer(IdentityKeys::ParticipantId))
                    .col(string(IdentityKeys::KeyHmac))
                    .foreign_key(&mut fk(
                        "fk_identity_keys_round",
                        (IdentityKeys::Table, IdentityKeys::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_identity_keys_participant",
                        (IdentityKeys::Table, IdentityKeys::ParticipantId),
                        (VerifiedParticipants::Table, VerifiedParticipants::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_identity_keys_key")
                    .table(IdentityKeys::Table)
                    .col(IdentityKeys::RoundId)
                    .col(IdentityKeys::KeyHmac)
                    .to_owned(),
            )
            .await?;

        // Duplicate records outlive the deletion of either side (a resident
        // deleting their own verification, or their account) until the
        // round's verification data is purged.
        manager
            .create_table(
                Table::create()
                    .table(VerificationConflictsNew::Table)
                    .col(big_pk_auto(VerificationConflicts::Id))
                    .col(big_integer(VerificationConflicts::RoundId))
                    .col(big_integer_null(VerificationConflicts::ParticipantId))
                    .col(big_integer_null(VerificationConflicts::ClaimantAccountId))
                    .col(string(VerificationConflicts::Kind))
                    .col(timestamp_with_time_zone(VerificationConflicts::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        VerificationConflicts::ResolvedAt,
                    ))
                    .col(big_integer_null(VerificationConflicts::ResolvedBy))
                    .col(string_null(VerificationConflicts::Resolution))
                    .foreign_key(&mut fk(
                        "fk_verification_cases_round",
                        (
                            VerificationConflictsNew::Table,
                            VerificationConflicts::RoundId,
                        ),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_verification_cases_participant",
                        (
                            VerificationConflictsNew::Table,
                            VerificationConflicts::ParticipantId,
                        ),
                        (VerifiedParticipants::Table, VerifiedParticipants::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_verification_cases_claimant",
                        (
                            VerificationConflictsNew::Table,
                            VerificationConflicts::ClaimantAccountId,
                        ),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "INSERT INTO verification_conflicts_new (id, round_id, participant_id, claimant_account_id, kind, created_at, resolved_at, resolved_by, resolution) \
             SELECT id, round_id, participant_id, claimant_account_id, kind, created_at, resolved_at, resolved_by, resolution FROM verification_conflicts",
        )
        .await?;
        manager
            .drop_table(Table::drop().table(VerificationConflicts::Table).to_owned())
            .await?;
        manager
            .rename_table(
                Table::rename()
                    .table(
                        VerificationConflictsNew::Table,
                        VerificationConflicts::Table,
                    )
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // Carry the sequence on past the copied identifiers.
            db.execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('verification_conflicts', 'id'), COALESCE((SELECT MAX(id) FROM verification_conflicts), 0) + 1, false)",
            )
            .await?;
        }

        // Audit entries about a person's verification are kept only as long
        // as the verification itself.
        add_column(
            manager,
            AuditEvents::Table,
            big_integer_null(AuditEvents::PurgeRoundId).to_owned(),
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_purge_round")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::PurgeRoundId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
