//! Community groups and their members. People join a group only by
//! accepting an invitation sent to their email address; members can see
//! who else is in the group, remove members and leave.
use super::{audit, Actor, Page, PageRequest};
use crate::channels::templates;
use crate::db::begin_write;
use crate::domain::id::{AccountId, AreaId, GroupId, InvitationId};
use crate::domain::{
    text::{bounded, name_key},
    EmailAddress,
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{accounts, areas, group_invitations, group_members, groups};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// How long an invitation stays open.
pub const INVITATION_DAYS: i64 = 14;

#[derive(Clone, Debug)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    /// The group's public contact address, chosen by the group.
    pub contact_email: String,
    pub area_id: AreaId,
}

pub struct NewGroup {
    pub name: String,
    pub description: String,
    pub contact_email: String,
    pub area_id: AreaId,
}

/// A member as other members see them: the name they chose for
/// themselves, if any.
#[derive(Clone, Debug)]
pub struct Member {
    pub account_id: AccountId,
    pub display_name: Option<String>,
    pub joined_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
    Revoked,
    Expired,
}

#[derive(Clone, Debug)]
pub struct Invitation {
    pub id: InvitationId,
    pub group_id: GroupId,
    pub status: InvitationStatus,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Who it is for (`j•••@example.org`), while it is open.
    pub address_hint: Option<String>,
}

fn to_group(g: groups::Model) -> Group {
    Group {
        id: g.id.into(),
        name: g.name,
        description: g.description,
        contact_email: g.contact_email,
        area_id: g.area_id.into(),
    }
}

fn to_invitation(i: group_invitations::Model, now: DateTime<Utc>) -> Invitation {
    let status = if i.accepted_at.is_some() {
        InvitationStatus::Accepted
    } else if i.declined_at.is_some() {
        InvitationStatus::Declined
    } else if i.revoked_at.is_some() {
        InvitationStatus::Revoked
    } else if i.expires_at <= now {
        InvitationStatus::Expired
    } else {
        InvitationStatus::Pending
    };
    Invitation {
        id: i.id.into(),
        group_id: i.group_id.into(),
        address_hint: i
            .address_hint
            .filter(|_| status == InvitationStatus::Pending),
        status,
        created_at: i.created_at,
        expires_at: i.expires_at,
    }
}

/// Clears the address hints of invitations no longer open: of `group`'s
/// invitations to `email_hmac` just replaced, or (with neither) of every
/// expired one. The scheduler runs the second on each tick.
async fn forget_hints(
    db: &impl sea_orm::ConnectionTrait,
    group: Option<GroupId>,
    email_hmac: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut update = group_invitations::Entity::update_many()
        .col_expr(
            group_invitations::Column::AddressHint,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(group_invitations::Column::AddressHint.is_not_null());
    update = match (group, email_hmac) {
        (Some(g), Some(h)) => update
            .filter(group_invitations::Column::GroupId.eq(g.get()))
            .filter(group_invitations::Column::EmailHmac.eq(h))
            .filter(group_invitations::Column::RevokedAt.is_not_null()),
        _ => update.filter(group_invitations::Column::ExpiresAt.lte(now)),
    };
    update.exec(db).await.context("clearing invitation hints")?;
    Ok(())
}

/// Clears the address hints of expired invitations.
pub async fn prune(db: &DatabaseConnection) -> ServiceResult<()> {
    forget_hints(db, None, None, Utc::now()).await
}

fn name_taken(name: &str) -> ServiceError {
    ServiceError::refused(
        ErrorCode::NameTaken,
        format!("a group called {name} is already registered"),
    )
}

/// Registers a group; the person registering it becomes its first member.
/// Names are unique whatever their case, accents or spacing.
#[tracing::instrument(name = "register group", skip_all)]
pub async fn register(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewGroup,
) -> ServiceResult<Group> {
    let name = bounded(&new.name, "the group's name", 2, 150)
        .map_err(|m| ServiceError::invalid("name", m))?;
    let key = name_key(&name);
    if key.is_empty() {
        return Err(ServiceError::invalid(
            "name",
            "the group's name needs letters or digits",
        ));
    }
    let description = bounded(&new.description, "a description of the group", 1, 5000)
        .map_err(|m| ServiceError::invalid("description", m))?;
    let contact = EmailAddress::parse(&new.contact_email)
        .map_err(|m| ServiceError::refused(ErrorCode::InvalidEmail, m))?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    areas::Entity::find_by_id(new.area_id.get())
        .one(&txn)
        .await
        .context("checking an area")?
        .ok_or_else(|| ServiceError::not_found("area"))?;
    if groups::Entity::find()
        .filter(groups::Column::NameKey.eq(&key))
        .one(&txn)
        .await
        .context("checking names")?
        .is_some()
    {
        return Err(name_taken(&name));
    }
    let g = groups::ActiveModel {
        name: Set(name.clone()),
        name_key: Set(Some(key)),
        description: Set(description),
        contact_email: Set(contact.as_str().to_owned()),
        area_id: Set(new.area_id.get()),
        created_by: Set(actor.account_id.get()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_or(e, || name_taken(&name), "registering a group"))?;
    group_members::ActiveModel {
        group_id: Set(g.id),
        account_id: Set(actor.account_id.get()),
        joined_at: Set(now),
    }
    .insert(&txn)
    .await
    .context("adding the first member")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "group_registered",
        "group",
        g.id,
        serde_json::json!({ "name": g.name }),
    )
    .await
    .context("auditing a group")?;
    txn.commit().await.context("committing a group")?;
    Ok(to_group(g))
}

/// A unique index caught what a concurrent request wrote between our check
/// and our write.
pub(crate) fn unique_or(
    e: sea_orm::DbErr,
    refusal: impl FnOnce() -> ServiceError,
    what: &'static str,
) -> ServiceError {
    if matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    ) {
        refusal()
    } else {
        ServiceError::Unexpected(anyhow::Error::new(e).context(what))
    }
}

/// Invites the person with this email address to join the group, by email.
/// Only members invite. Nobody is added without accepting. The answer is
/// the same whether or not the address has an account.
#[tracing::instrument(name = "invite group member", skip(state, actor, email), fields(group.id = group_id.get()))]
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    group_id: GroupId,
    email: &EmailAddress,
) -> ServiceResult<Invitation> {
    let email_hmac = state.secret.keyed_hash("email", email.as_str());
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let group = get(&txn, group_id).await?;
    require_member_locked(&txn, actor, group_id).await?;
    let invitee = accounts::Entity::find()
        .filter(accounts::Column::EmailHmac.eq(&email_hmac))
        .one(&txn)
        .await
        .context("finding an account")?;
    let already_member = match &invitee {
        Some(a) => is_member(&txn, a.id.into(), group_id).await?,
        None => false,
    };
    let language = invitee
        .map(|a| crate::domain::Language::from_stored(&a.language))
        .unwrap_or_default();
    if already_member {
        return Err(ServiceError::refused(
            ErrorCode::NameTaken,
            "that person is already a member of the group",
        ));
    }
    // One open invitation per address: a new one replaces the old.
    group_invitations::Entity::update_many()
        .col_expr(
            group_invitations::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(group_invitations::Column::GroupId.eq(group_id))
        .filter(group_invitations::Column::EmailHmac.eq(&email_hmac))
        .filter(group_invitations::Column::AcceptedAt.is_null())
        .filter(group_invitations::Column::DeclinedAt.is_null())
        .filter(group_invitations::Column::RevokedAt.is_null())
        .exec(&txn)
        .await
        .context("replacing an invitation")?;
    forget_hints(&txn, Some(group_id), Some(&email_hmac), now).await?;
    let invitation = group_invitations::ActiveModel {
        group_id: Set(group_id.get()),
        email_hmac: Set(email_hmac),
        address_hint: Set(Some(email.hint())),
        invited_by: Set(Some(actor.account_id.get())),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        accepted_at: Set(None),
        declined_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("storing an invitation")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "group_member_invited",
        "group",
        group_id,
        serde_json::json!({ "invitation": invitation.id }),
    )
    .await
    .context("auditing an invitation")?;
    txn.commit().await.context("committing an invitation")?;
    let days = INVITATION_DAYS.to_string();
    let link = format!("{}/groups", state.settings.public_url);
    state
        .mailer
        .send(
            email,
            templates::GROUP_INVITATION.render(
                language,
                &state.settings.phone,
                &[("group", &group.name), ("days", &days), ("link", &link)],
            ),
        )
        .await?;
    Ok(to_invitation(invitation, now))
}

/// The open invitations addressed to the signed-in person's email address.
pub async fn my_invitations(
    db: &DatabaseConnection,
    actor: &Actor,
) -> ServiceResult<Vec<Invitation>> {
    let account = accounts::Entity::find_by_id(actor.account_id.get())
        .one(db)
        .await
        .context("loading an account")?
        .ok_or_else(|| ServiceError::not_found("account"))?;
    let now = Utc::now();
    Ok(group_invitations::Entity::find()
        .filter(group_invitations::Column::EmailHmac.eq(account.email_hmac))
        .filter(group_invitations::Column::AcceptedAt.is_null())
        .filter(group_invitations::Column::DeclinedAt.is_null())
        .filter(group_invitations::Column::RevokedAt.is_null())
        .filter(group_invitations::Column::ExpiresAt.gt(now))
        .order_by_asc(group_invitations::Column::Id)
        .limit(100)
        .all(db)
        .await
        .context("listing invitations")?
        .into_iter()
        .map(|i| to_invitation(i, now))
        .collect())
}

/// The person the invitation was sent to accepts or declines it.
#[tracing::instrument(name = "answer group invitation", skip(db, actor), fields(invitation.id = id.get()))]
pub async fn answer(
    db: &DatabaseConnection,
    actor: &Actor,
    id: InvitationId,
    accept: bool,
) -> ServiceResult<Invitation> {
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let account = accounts::Entity::find_by_id(actor.account_id.get())
        .one(&txn)
        .await
        .context("loading an account")?
        .ok_or_else(|| ServiceError::not_found("account"))?;
    let invitation = group_invitations::Entity::find_by_id(id.get())
        .lock_exclusive()
        .one(&txn)
        .await
        .context("loading an invitation")?
        .filter(|i| i.email_hmac == account.email_hmac)
        .ok_or_else(|| ServiceError::not_found("invitation"))?;
    if to_invitation(invitation.clone(), now).status != InvitationStatus::Pending {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "this invitation is no longer open: ask the group to invite you again",
        ));
    }
    let mut am = group_invitations::ActiveModel {
        id: Set(id.get()),
        ..Default::default()
    };
    am.address_hint = Set(None);
    if accept {
        am.accepted_at = Set(Some(now));
        if !is_member(&txn, actor.account_id, invitation.group_id.into()).await? {
            group_members::ActiveModel {
                group_id: Set(invitation.group_id),
                account_id: Set(actor.account_id.get()),
                joined_at: Set(now),
            }
            .insert(&txn)
            .await
            .context("adding a member")?;
        }
    } else {
        am.declined_at = Set(Some(now));
    }
    let saved = am.update(&txn).await.context("answering an invitation")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        if accept {
            "group_invitation_accepted"
        } else {
            "group_invitation_declined"
        },
        "group",
        invitation.group_id,
        serde_json::json!({ "invitation": id }),
    )
    .await
    .context("auditing an invitation")?;
    txn.commit().await.context("committing an invitation")?;
    Ok(to_invitation(saved, now))
}

/// The group's members, oldest first. Only members see them.
pub async fn members(
    db: &DatabaseConnection,
    actor: &Actor,
    group_id: GroupId,
    page: PageRequest,
) -> ServiceResult<Page<Member>> {
    require_member(db, actor, group_id).await?;
    let rows = group_members::Entity::find()
        .filter(group_members::Column::GroupId.eq(group_id))
        .order_by_asc(group_members::Column::JoinedAt)
        .order_by_asc(group_members::Column::AccountId)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("listing members")?;
    let names: std::collections::HashMap<i64, Option<String>> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(rows.iter().map(|m| m.account_id)))
        .all(db)
        .await
        .context("loading members' names")?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let members = rows
        .into_iter()
        .map(|m| Member {
            display_name: names.get(&m.account_id).cloned().flatten(),
            account_id: m.account_id.into(),
            joined_at: m.joined_at,
        })
        .collect();
    Ok(Page::from_rows(members, page))
}

/// The group's pending invitations, for its members.
pub async fn invitations(
    db: &DatabaseConnection,
    actor: &Actor,
    group_id: GroupId,
) -> ServiceResult<Vec<Invitation>> {
    require_member(db, actor, group_id).await?;
    let now = Utc::now();
    Ok(group_invitations::Entity::find()
        .filter(group_invitations::Column::GroupId.eq(group_id))
        .order_by_desc(group_invitations::Column::Id)
        .limit(100)
        .all(db)
        .await
        .context("listing invitations")?
        .into_iter()
        .map(|i| to_invitation(i, now))
        .filter(|i| i.status == InvitationStatus::Pending)
        .collect())
}

/// Withdraws a pending invitation. Any member may.
pub async fn revoke_invitation(
    db: &DatabaseConnection,
    actor: &Actor,
    id: InvitationId,
) -> ServiceResult<Invitation> {
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let invitation = group_invitations::Entity::find_by_id(id.get())
        .lock_exclusive()
        .one(&txn)
        .await
        .context("loading an invitation")?
        .ok_or_else(|| ServiceError::not_found("invitation"))?;
    require_member_locked(&txn, actor, invitation.group_id.into()).await?;
    if to_invitation(invitation.clone(), now).status != InvitationStatus::Pending {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "this invitation is no longer open",
        ));
    }
    let saved = group_invitations::ActiveModel {
        id: Set(id.get()),
        revoked_at: Set(Some(now)),
        address_hint: Set(None),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("revoking an invitation")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "group_invitation_revoked",
        "group",
        invitation.group_id,
        serde_json::json!({ "invitation": id }),
    )
    .await
    .context("auditing an invitation")?;
    txn.commit().await.context("committing an invitation")?;
    Ok(to_invitation(saved, now))
}

/// Removes a member from the group: another member doing it, or the member
/// leaving. A group always keeps at least one member, who can speak for
/// its bids.
#[tracing::instrument(name = "remove group member", skip(db, actor), fields(group.id = group_id.get()))]
pub async fn remove_member(
    db: &DatabaseConnection,
    actor: &Actor,
    group_id: GroupId,
    account_id: AccountId,
) -> ServiceResult<Group> {
    let txn = begin_write(db).await.context("starting a transaction")?;
    let group = get(&txn, group_id).await?;
    require_member_locked(&txn, actor, group_id).await?;
    // Lock every membership row of the group: two members removing each
    // other at once must not leave it empty.
    let members = group_members::Entity::find()
        .filter(group_members::Column::GroupId.eq(group_id))
        .lock_exclusive()
        .all(&txn)
        .await
        .context("locking the members")?;
    if !members.iter().any(|m| m.account_id == account_id.get()) {
        return Err(ServiceError::not_found("member"));
    }
    if members.len() == 1 {
        return Err(ServiceError::refused(
            ErrorCode::LastMember,
            "a group needs at least one member: invite someone else first, or ask the council to close the group",
        ));
    }
    group_members::Entity::delete_by_id((group_id.get(), account_id.get()))
        .exec(&txn)
        .await
        .context("removing a member")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        if account_id == actor.account_id {
            "group_member_left"
        } else {
            "group_member_removed"
        },
        "group",
        group_id,
        serde_json::json!({ "account": account_id }),
    )
    .await
    .context("auditing a member")?;
    txn.commit().await.context("committing a member")?;
    Ok(group)
}

pub async fn is_member(
    db: &impl ConnectionTrait,
    account_id: AccountId,
    group_id: GroupId,
) -> ServiceResult<bool> {
    Ok(
        group_members::Entity::find_by_id((group_id.get(), account_id.get()))
            .one(db)
            .await
            .context("checking membership")?
            .is_some(),
    )
}

/// Membership checked inside a write transaction, the membership row locked
/// (`FOR SHARE`) until it ends, so that a removal cannot slip between the
/// check and the write.
pub async fn is_member_locked(
    txn: &DatabaseTransaction,
    account_id: AccountId,
    group_id: GroupId,
) -> ServiceResult<bool> {
    Ok(
        group_members::Entity::find_by_id((group_id.get(), account_id.get()))
            .lock_shared()
            .one(txn)
            .await
            .context("checking membership")?
            .is_some(),
    )
}

fn not_a_member() -> ServiceError {
    ServiceError::not_authorised("only members of the group can act for it")
}

pub async fn require_member(
    db: &impl ConnectionTrait,
    actor: &Actor,
    group_id: GroupId,
) -> ServiceResult<()> {
    if is_member(db, actor.account_id, group_id).await? {
        Ok(())
    } else {
        Err(not_a_member())
    }
}

pub async fn require_member_locked(
    txn: &DatabaseTransaction,
    actor: &Actor,
    group_id: GroupId,
) -> ServiceResult<()> {
    if is_member_locked(txn, actor.account_id, group_id).await? {
        Ok(())
    } else {
        Err(not_a_member())
    }
}

pub async fn get(db: &impl ConnectionTrait, id: GroupId) -> ServiceResult<Group> {
    groups::Entity::find_by_id(id.get())
        .one(db)
        .await
        .context("loading a group")?
        .map(to_group)
        .ok_or_else(|| ServiceError::not_found("group"))
}

/// The groups with these identifiers (those that exist), in one query.
pub async fn get_many(db: &impl ConnectionTrait, ids: &[GroupId]) -> ServiceResult<Vec<Group>> {
    Ok(groups::Entity::find()
        .filter(groups::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .context("loading groups")?
        .into_iter()
        .map(to_group)
        .collect())
}

pub async fn list(db: &DatabaseConnection, page: PageRequest) -> ServiceResult<Page<Group>> {
    let rows = groups::Entity::find()
        .order_by_asc(groups::Column::Name)
        .order_by_asc(groups::Column::Id)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("listing groups")?;
    Ok(Page::from_rows(
        rows.into_iter().map(to_group).collect(),
        page,
    ))
}

pub async fn of_account(
    db: &DatabaseConnection,
    account_id: AccountId,
) -> ServiceResult<Vec<Group>> {
    let ids: Vec<i64> = group_members::Entity::find()
        .filter(group_members::Column::AccountId.eq(account_id))
        .limit(1000)
        .all(db)
        .await
        .context("listing memberships")?
        .into_iter()
        .map(|m| m.group_id)
        .collect();
    Ok(groups::Entity::find()
        .filter(groups::Column::Id.is_in(ids))
        .order_by_asc(groups::Column::Name)
        .all(db)
        .await
        .context("listing groups")?
        .into_iter()
        .map(to_group)
        .collect())
}

/// Whether the account is a member of any group.
pub async fn in_any(db: &impl ConnectionTrait, account_id: AccountId) -> ServiceResult<bool> {
    Ok(group_members::Entity::find()
        .filter(group_members::Column::AccountId.eq(account_id))
        .one(db)
        .await
        .context("checking memberships")?
        .is_some())
}

/// How many members a group has.
pub async fn member_count(db: &impl ConnectionTrait, group_id: GroupId) -> ServiceResult<u64> {
    group_members::Entity::find()
        .filter(group_members::Column::GroupId.eq(group_id))
        .count(db)
        .await
        .context("counting members")
}
