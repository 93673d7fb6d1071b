//! What the platform holds about the signed-in person: all of it, to
//! download, and deleting the account.
//!
//! Deleting keeps the `accounts` row as an empty shell (its id, when it was
//! made and deleted), so that what the person did for others (a group
//! registered, a round set up, a bid written, a review) still points to a
//! row; the email hash that found the person is replaced by a random value,
//! so the shell is no one. Sessions, roles, memberships and sign-in codes
//! go; audit entries they made lose their actor; entries that were only
//! about them (sign-ins, their language) go. Verification records stay,
//! detached from the account, until the round's retention period ends:
//! they hold only hashes and stop the same person from being verified and
//! voting twice in a round. Ballots were never linked to anyone.
use super::{audit, Actor};
use crate::crypto::random_token;
use crate::db::begin_write;
use crate::domain::Role;
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{
    account_roles, accounts, audit_events, group_invitations, group_members, groups,
    one_time_codes, sessions, verification_conflicts, verified_participants,
};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// Audit entries that only say something about the person themselves;
/// they go with the account.
const ABOUT_THE_PERSON_ONLY: [&str; 4] = [
    "account_created",
    "signed_in",
    "signed_out",
    "language_changed",
];

/// Deletes the signed-in person's account, in one transaction. Refused
/// without `confirm`, for the last admin, and while the person is the only
/// member of a group (someone must be left to speak for its bids).
#[tracing::instrument(name = "delete account", skip_all, fields(account.id = actor.account_id))]
pub async fn delete_account(
    db: &DatabaseConnection,
    actor: &Actor,
    confirm: bool,
) -> ServiceResult<()> {
    if !confirm {
        return Err(ServiceError::invalid(
            "confirm",
            "confirm that you want to delete your account",
        ));
    }
    let id = actor.account_id;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let account = accounts::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await
        .context("locking the account")?
        .filter(|a| a.deleted_at.is_none())
        .ok_or_else(|| ServiceError::not_found("account"))?;

    // The last admin stays: someone must be able to grant roles. Every
    // admin's role row is locked, so two admins cannot both leave at once.
    let admins: Vec<i64> = account_roles::Entity::find()
        .select_only()
        .column(account_roles::Column::AccountId)
        .filter(account_roles::Column::Role.eq(Role::Admin.as_str()))
        .order_by_asc(account_roles::Column::AccountId)
        .lock_exclusive()
        .into_tuple()
        .all(&txn)
        .await
        .context("locking the admins")?;
    if admins.contains(&id) && admins.len() == 1 {
        return Err(ServiceError::refused(
            ErrorCode::LastAdmin,
            "you are the only admin: make someone else an admin before you delete your account",
        ));
    }

    // A group keeps at least one member. Each group's membership rows are
    // locked, as when a member leaves.
    let mine: Vec<i64> = group_members::Entity::find()
        .select_only()
        .column(group_members::Column::GroupId)
        .filter(group_members::Column::AccountId.eq(id))
        .order_by_asc(group_members::Column::GroupId)
        .into_tuple()
        .all(&txn)
        .await
        .context("finding memberships")?;
    let mut alone_in = Vec::new();
    for group_id in mine {
        let members = group_members::Entity::find()
            .filter(group_members::Column::GroupId.eq(group_id))
            .lock_exclusive()
            .all(&txn)
            .await
            .context("locking a group's members")?;
        if members.len() == 1 {
            alone_in.push(group_id);
        }
    }
    if !alone_in.is_empty() {
        let names: Vec<String> = groups::Entity::find()
            .filter(groups::Column::Id.is_in(alone_in))
            .order_by_asc(groups::Column::Name)
            .all(&txn)
            .await
            .context("naming groups")?
            .into_iter()
            .map(|g| g.name)
            .collect();
        return Err(ServiceError::refused(
            ErrorCode::LastMember,
            format!(
                "you are the only member of {}: invite someone to take over (they must accept) before you delete your account, or ask the council to close the group",
                names.join(", ")
            ),
        ));
    }

    sessions::Entity::delete_many()
        .filter(sessions::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("deleting sessions")?;
    account_roles::Entity::delete_many()
        .filter(account_roles::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("deleting roles")?;
    group_members::Entity::delete_many()
        .filter(group_members::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("deleting memberships")?;
    one_time_codes::Entity::delete_many()
        .filter(one_time_codes::Column::TargetHmac.eq(&account.email_hmac))
        .exec(&txn)
        .await
        .context("deleting sign-in codes")?;
    group_invitations::Entity::update_many()
        .col_expr(
            group_invitations::Column::InvitedBy,
            Expr::value(Option::<i64>::None),
        )
        .filter(group_invitations::Column::InvitedBy.eq(id))
        .exec(&txn)
        .await
        .context("detaching invitations")?;
    verified_participants::Entity::update_many()
        .col_expr(
            verified_participants::Column::AccountId,
            Expr::value(Option::<i64>::None),
        )
        .filter(verified_participants::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("detaching verification records")?;
    verification_conflicts::Entity::update_many()
        .col_expr(
            verification_conflicts::Column::ClaimantAccountId,
            Expr::value(Option::<i64>::None),
        )
        .filter(verification_conflicts::Column::ClaimantAccountId.eq(id))
        .exec(&txn)
        .await
        .context("detaching verification checks")?;
    audit_events::Entity::delete_many()
        .filter(audit_events::Column::SubjectType.eq("account"))
        .filter(audit_events::Column::SubjectId.eq(id.to_string()))
        .filter(audit_events::Column::Action.is_in(ABOUT_THE_PERSON_ONLY))
        .exec(&txn)
        .await
        .context("deleting audit entries about the person")?;
    audit_events::Entity::update_many()
        .col_expr(
            audit_events::Column::ActorAccountId,
            Expr::value(Option::<i64>::None),
        )
        .filter(audit_events::Column::ActorAccountId.eq(id))
        .exec(&txn)
        .await
        .context("detaching audit entries")?;
    accounts::ActiveModel {
        id: Set(id),
        email_hmac: Set(format!("deleted:{}", random_token())),
        display_name: Set(None),
        last_sign_in_at: Set(None),
        language: Set("en".into()),
        deleted_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("emptying the account")?;
    audit::record(
        &txn,
        None,
        "account_deleted",
        "account",
        id,
        serde_json::json!({}),
    )
    .await
    .context("auditing a deletion")?;
    txn.commit().await.context("committing a deletion")?;
    tracing::info!(account.id = id, "account deleted");
    Ok(())
}
