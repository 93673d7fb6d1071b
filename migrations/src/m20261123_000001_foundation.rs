//! Accounts, sessions, one-time codes, rate limits, areas, funding rounds,
//! community groups, bids and the audit trail.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    EmailHmac,
    DisplayName,
    CreatedAt,
    LastSignInAt,
}

#[derive(DeriveIden)]
enum AccountRoles {
    Table,
    AccountId,
    Role,
    GrantedBy,
    GrantedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    AccountId,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum OneTimeCodes {
    Table,
    Id,
    Purpose,
    TargetHmac,
    CodeHash,
    CreatedAt,
    ExpiresAt,
    Attempts,
    ConsumedAt,
}

#[derive(DeriveIden)]
enum RateEvents {
    Table,
    Id,
    Bucket,
    KeyHmac,
    At,
}

#[derive(DeriveIden)]
enum Areas {
    Table,
    Id,
    Name,
    Kind,
    Description,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AreaCoverage {
    Table,
    Id,
    AreaId,
    Prefix,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    Title,
    Description,
    Phase,
    BidsOpenAt,
    BidsCloseAt,
    VotingOpensAt,
    VotingClosesAt,
    BallotSettings,
    CountingRule,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PhaseChangedAt,
}

#[derive(DeriveIden)]
enum RoundPots {
    Table,
    Id,
    RoundId,
    AreaId,
    AmountPence,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    Name,
    Description,
    ContactEmail,
    AreaId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GroupMembers {
    Table,
    GroupId,
    AccountId,
    JoinedAt,
}

#[derive(DeriveIden)]
enum Bids {
    Table,
    Id,
    RoundId,
    PotId,
    GroupId,
    Title,
    Summary,
    Description,
    CostPence,
    Category,
    LocationAddress,
    LocationLatE6,
    LocationLngE6,
    Status,
    ReviewReason,
    ReviewedBy,
    ReviewedAt,
    SubmittedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorAccountId,
    Action,
    SubjectType,
    SubjectId,
    Details,
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
                    .table(Accounts::Table)
                    .col(big_pk_auto(Accounts::Id))
                    .col(string_uniq(Accounts::EmailHmac))
                    .col(string_null(Accounts::DisplayName))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone_null(Accounts::LastSignInAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccountRoles::Table)
                    .col(big_integer(AccountRoles::AccountId))
                    .col(string(AccountRoles::Role))
                    .col(big_integer_null(AccountRoles::GrantedBy))
                    .col(timestamp_with_time_zone(AccountRoles::GrantedAt))
                    .primary_key(
                        Index::create()
                            .col(AccountRoles::AccountId)
                            .col(AccountRoles::Role),
                    )
                    .foreign_key(&mut fk(
                        "fk_account_roles_account",
                        (AccountRoles::Table, AccountRoles::AccountId),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(string_uniq(Sessions::TokenHash))
                    .col(big_integer(Sessions::AccountId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                    .foreign_key(&mut fk(
                        "fk_sessions_account",
                        (Sessions::Table, Sessions::AccountId),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OneTimeCodes::Table)
                    .col(big_pk_auto(OneTimeCodes::Id))
                    .col(string(OneTimeCodes::Purpose))
                    .col(string(OneTimeCodes::TargetHmac))
                    .col(string(OneTimeCodes::CodeHash))
                    .col(timestamp_with_time_zone(OneTimeCodes::CreatedAt))
                    .col(timestamp_with_time_zone(OneTimeCodes::ExpiresAt))
                    .col(integer(OneTimeCodes::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(OneTimeCodes::ConsumedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_one_time_codes_target")
                    .table(OneTimeCodes::Table)
                    .col(OneTimeCodes::Purpose)
                    .col(OneTimeCodes::TargetHmac)
                    .col(OneTimeCodes::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RateEvents::Table)
                    .col(big_pk_auto(RateEvents::Id))
                    .col(string(RateEvents::Bucket))
                    .col(string(RateEvents::KeyHmac))
                    .col(timestamp_with_time_zone(RateEvents::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rate_events_key")
                    .table(RateEvents::Table)
                    .col(RateEvents::Bucket)
                    .col(RateEvents::KeyHmac)
                    .col(RateEvents::At)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Areas::Table)
                    .col(big_pk_auto(Areas::Id))
                    .col(string_uniq(Areas::Name))
                    .col(string(Areas::Kind))
                    .col(text(Areas::Description))
                    .col(timestamp_with_time_zone(Areas::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AreaCoverage::Table)
                    .col(big_pk_auto(AreaCoverage::Id))
                    .col(big_integer(AreaCoverage::AreaId))
                    .col(string(AreaCoverage::Prefix))
                    .foreign_key(&mut fk(
                        "fk_area_coverage_area",
                        (AreaCoverage::Table, AreaCoverage::AreaId),
                        (Areas::Table, Areas::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_area_coverage_unique")
                    .table(AreaCoverage::Table)
                    .col(AreaCoverage::AreaId)
                    .col(AreaCoverage::Prefix)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_area_coverage_prefix")
                    .table(AreaCoverage::Table)
                    .col(AreaCoverage::Prefix)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Rounds::Table)
                    .col(big_pk_auto(Rounds::Id))
                    .col(string(Rounds::Title))
                    .col(text(Rounds::Description))
                    .col(string(Rounds::Phase))
                    .col(timestamp_with_time_zone_null(Rounds::BidsOpenAt))
                    .col(timestamp_with_time_zone_null(Rounds::BidsCloseAt))
                    .col(timestamp_with_time_zone_null(Rounds::VotingOpensAt))
                    .col(timestamp_with_time_zone_null(Rounds::VotingClosesAt))
                    .col(text(Rounds::BallotSettings))
                    .col(text(Rounds::CountingRule))
                    .col(big_integer(Rounds::CreatedBy))
                    .col(timestamp_with_time_zone(Rounds::CreatedAt))
                    .col(timestamp_with_time_zone(Rounds::UpdatedAt))
                    .col(timestamp_with_time_zone(Rounds::PhaseChangedAt))
                    .foreign_key(&mut fk(
                        "fk_rounds_created_by",
                        (Rounds::Table, Rounds::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoundPots::Table)
                    .col(big_pk_auto(RoundPots::Id))
                    .col(big_integer(RoundPots::RoundId))
                    .col(big_integer(RoundPots::AreaId))
                    .col(big_integer(RoundPots::AmountPence))
                    .foreign_key(&mut fk(
                        "fk_round_pots_round",
                        (RoundPots::Table, RoundPots::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_round_pots_area",
                        (RoundPots::Table, RoundPots::AreaId),
                        (Areas::Table, Areas::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_round_pots_unique")
                    .table(RoundPots::Table)
                    .col(RoundPots::RoundId)
                    .col(RoundPots::AreaId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Groups::Table)
                    .col(big_pk_auto(Groups::Id))
                    .col(string_uniq(Groups::Name))
                    .col(text(Groups::Description))
                    .col(string(Groups::ContactEmail))
                    .col(big_integer(Groups::AreaId))
                    .col(big_integer(Groups::CreatedBy))
                    .col(timestamp_with_time_zone(Groups::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_groups_area",
                        (Groups::Table, Groups::AreaId),
                        (Areas::Table, Areas::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_groups_created_by",
                        (Groups::Table, Groups::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GroupMembers::Table)
                    .col(big_integer(GroupMembers::GroupId))
                    .col(big_integer(GroupMembers::AccountId))
                    .col(timestamp_with_time_zone(GroupMembers::JoinedAt))
                    .primary_key(
                        Index::create()
                            .col(GroupMembers::GroupId)
                            .col(GroupMembers::AccountId),
                    )
                    .foreign_key(&mut fk(
                        "fk_group_members_group",
                        (GroupMembers::Table, GroupMembers::GroupId),
                        (Groups::Table, Groups::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_group_members_account",
                        (GroupMembers::Table, GroupMembers::AccountId),
                        (Accounts::Table, Accounts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Bids::Table)
                    .col(big_pk_auto(Bids::Id))
                    .col(big_integer(Bids::RoundId))
                    .col(big_integer(Bids::PotId))
                    .col(big_integer(Bids::GroupId))
                    .col(string(Bids::Title))
                    .col(text(Bids::Summary))
                    .col(text(Bids::Description))
                    .col(big_integer(Bids::CostPence))
                    .col(string(Bids::Category))
                    .col(text_null(Bids::LocationAddress))
                    .col(big_integer_null(Bids::LocationLatE6))
                    .col(big_integer_null(Bids::LocationLngE6))
                    .col(string(Bids::Status))
                    .col(text_null(Bids::ReviewReason))
                    .col(big_integer_null(Bids::ReviewedBy))
                    .col(timestamp_with_time_zone_null(Bids::ReviewedAt))
                    .col(big_integer(Bids::SubmittedBy))
                    .col(timestamp_with_time_zone(Bids::CreatedAt))
                    .col(timestamp_with_time_zone(Bids::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_bids_round",
                        (Bids::Table, Bids::RoundId),
                        (Rounds::Table, Rounds::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_bids_pot",
                        (Bids::Table, Bids::PotId),
                        (RoundPots::Table, RoundPots::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_bids_group",
                        (Bids::Table, Bids::GroupId),
                        (Groups::Table, Groups::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_bids_round")
                    .table(Bids::Table)
                    .col(Bids::RoundId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(big_integer_null(AuditEvents::ActorAccountId))
                    .col(string(AuditEvents::Action))
                    .col(string(AuditEvents::SubjectType))
                    .col(string(AuditEvents::SubjectId))
                    .col(text(AuditEvents::Details))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_subject")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::SubjectType)
                    .col(AuditEvents::SubjectId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
