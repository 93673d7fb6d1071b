//! Community groups and their members.
use super::{audit, auth::find_or_create_account, Actor};
use crate::crypto::Secret;
use crate::db::begin_write;
use crate::domain::{text::bounded, EmailAddress};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{areas, group_members, groups};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

#[derive(Clone, Debug)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// The group's public contact address, chosen by the group.
    pub contact_email: String,
    pub area_id: i64,
}

pub struct NewGroup {
    pub name: String,
    pub description: String,
    pub contact_email: String,
    pub area_id: i64,
}

fn to_group(g: groups::Model) -> Group {
    Group {
        id: g.id,
        name: g.name,
        description: g.description,
        contact_email: g.contact_email,
        area_id: g.area_id,
    }
}

/// Registers a group; the person registering it becomes its first member.
#[tracing::instrument(name = "register group", skip_all)]
pub async fn register(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewGroup,
) -> ServiceResult<Group> {
    let name = bounded(&new.name, "the group's name", 2, 150)
        .map_err(|m| ServiceError::invalid("name", m))?;
    let description = bounded(&new.description, "a description of the group", 1, 5000)
        .map_err(|m| ServiceError::invalid("description", m))?;
    let contact = EmailAddress::parse(&new.contact_email)
        .map_err(|m| ServiceError::refused(ErrorCode::InvalidEmail, m))?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    areas::Entity::find_by_id(new.area_id)
        .one(&txn)
        .await
        .context("checking an area")?
        .ok_or_else(|| ServiceError::not_found("area"))?;
    if groups::Entity::find()
        .filter(groups::Column::Name.eq(&name))
        .one(&txn)
        .await
        .context("checking names")?
        .is_some()
    {
        return Err(ServiceError::refused(
            ErrorCode::NameTaken,
            format!("a group called {name} is already registered"),
        ));
    }
    let g = groups::ActiveModel {
        name: Set(name),
        description: Set(description),
        contact_email: Set(contact.as_str().to_owned()),
        area_id: Set(new.area_id),
        created_by: Set(actor.account_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("registering a group")?;
    group_members::ActiveModel {
        group_id: Set(g.id),
        account_id: Set(actor.account_id),
        joined_at: Set(now),
    }
    .insert(&txn)
    .await
    .context("adding the first member")?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "group_registered",
        "group",
        g.id,
        serde_json::json!({}),
    )
    .await
    .context("auditing a group")?;
    txn.commit().await.context("committing a group")?;
    Ok(to_group(g))
}

/// Adds the person with this email address to the group. Only members add
/// members.
pub async fn add_member(
    db: &DatabaseConnection,
    secret: &Secret,
    actor: &Actor,
    group_id: i64,
    email: &str,
) -> ServiceResult<Group> {
    let group = get(db, group_id).await?;
    require_member(db, actor, group_id).await?;
    let email = EmailAddress::parse(email)
        .map_err(|m| ServiceError::refused(ErrorCode::InvalidEmail, m))?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let account_id =
        find_or_create_account(&txn, &secret.keyed_hash("email", email.as_str()), now).await?;
    if !is_member(&txn, account_id, group_id).await? {
        group_members::ActiveModel {
            group_id: Set(group_id),
            account_id: Set(account_id),
            joined_at: Set(now),
        }
        .insert(&txn)
        .await
        .context("adding a member")?;
        audit::record(
            &txn,
            Some(actor.account_id),
            "group_member_added",
            "group",
            group_id,
            serde_json::json!({ "account": account_id }),
        )
        .await
        .context("auditing a member")?;
    }
    txn.commit().await.context("committing a member")?;
    Ok(group)
}

pub async fn is_member(
    db: &impl ConnectionTrait,
    account_id: i64,
    group_id: i64,
) -> ServiceResult<bool> {
    Ok(group_members::Entity::find_by_id((group_id, account_id))
        .one(db)
        .await
        .context("checking membership")?
        .is_some())
}

pub async fn require_member(
    db: &impl ConnectionTrait,
    actor: &Actor,
    group_id: i64,
) -> ServiceResult<()> {
    if is_member(db, actor.account_id, group_id).await? {
        Ok(())
    } else {
        Err(ServiceError::not_authorised(
            "only members of the group can act for it",
        ))
    }
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ServiceResult<Group> {
    groups::Entity::find_by_id(id)
        .one(db)
        .await
        .context("loading a group")?
        .map(to_group)
        .ok_or_else(|| ServiceError::not_found("group"))
}

pub async fn list(db: &DatabaseConnection) -> ServiceResult<Vec<Group>> {
    Ok(groups::Entity::find()
        .order_by_asc(groups::Column::Name)
        .all(db)
        .await
        .context("listing groups")?
        .into_iter()
        .map(to_group)
        .collect())
}

pub async fn of_account(db: &DatabaseConnection, account_id: i64) -> ServiceResult<Vec<Group>> {
    let ids: Vec<i64> = group_members::Entity::find()
        .filter(group_members::Column::AccountId.eq(account_id))
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
