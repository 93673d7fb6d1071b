//! Accounts and roles. Accounts are found by a keyed hash of their email
//! address; the address itself is not stored.
use super::{audit, Actor};
use crate::crypto::Secret;
use crate::db::begin_write;
use crate::domain::id::AccountId;
use crate::domain::{EmailAddress, Language, Role};
use crate::error::{Context, ServiceError, ServiceResult};
use crate::store::{account_roles, accounts};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

#[derive(Clone, Debug)]
pub struct Account {
    pub id: AccountId,
    pub display_name: Option<String>,
    pub roles: Vec<Role>,
    /// The language of the emails and texts sent to this person.
    pub language: Language,
    /// Whether anyone has signed in to it yet: a role granted to an address
    /// nobody has used may be a mistyped one.
    pub has_signed_in: bool,
}

pub async fn get(db: &impl ConnectionTrait, id: AccountId) -> ServiceResult<Account> {
    let a = accounts::Entity::find_by_id(id.get())
        .one(db)
        .await
        .context("loading an account")?
        .ok_or_else(|| ServiceError::not_found("account"))?;
    Ok(Account {
        id: a.id.into(),
        display_name: a.display_name,
        language: Language::from_stored(&a.language),
        roles: roles_of(db, id).await?,
        has_signed_in: a.last_sign_in_at.is_some(),
    })
}

/// Admins: the accounts that hold a role, a page at a time, by account.
pub async fn role_holders(
    db: &impl ConnectionTrait,
    actor: &Actor,
    page: super::PageRequest,
) -> ServiceResult<super::Page<Account>> {
    actor.require(Role::Admin, "see who holds roles")?;
    let ids: Vec<i64> = account_roles::Entity::find()
        .select_only()
        .column(account_roles::Column::AccountId)
        .distinct()
        .order_by_asc(account_roles::Column::AccountId)
        .offset(page.offset)
        .limit(page.limit + 1)
        .into_tuple()
        .all(db)
        .await
        .context("listing role holders")?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(get(db, id.into()).await?);
    }
    Ok(super::Page::from_rows(out, page))
}

/// The signed-in person sets the name other members of their groups and
/// the council's staff see (or clears it with an empty one).
pub async fn set_display_name(
    db: &DatabaseConnection,
    actor: &Actor,
    name: &str,
) -> ServiceResult<Account> {
    let name = match name.trim() {
        "" => None,
        n => Some(
            crate::domain::text::bounded(n, "your name", 1, 60)
                .map_err(|m| ServiceError::invalid("displayName", m))?,
        ),
    };
    accounts::Entity::update_many()
        .col_expr(
            accounts::Column::DisplayName,
            sea_orm::sea_query::Expr::value(name),
        )
        .filter(accounts::Column::Id.eq(actor.account_id))
        .filter(accounts::Column::DeletedAt.is_null())
        .exec(db)
        .await
        .context("setting a name")?;
    get(db, actor.account_id).await
}

/// Grants `role` to the account with this email address, making the account
/// if it does not exist yet (it is used at the person's first sign-in).
/// Only admins grant roles.
#[tracing::instrument(name = "grant role", skip(db, secret, actor, email), fields(role = role.as_str()))]
pub async fn grant_role(
    db: &DatabaseConnection,
    secret: &Secret,
    actor: Option<&Actor>,
    email: &EmailAddress,
    role: Role,
) -> ServiceResult<Account> {
    let granted_by = match actor {
        Some(a) => {
            a.require(Role::Admin, "grant roles")?;
            Some(a.account_id)
        }
        // Only the command line passes no actor (creating the first admin).
        None => None,
    };
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    // Found, or made for the person's first sign-in; granting a role is
    // not signing in, so nobody has signed in to a new account yet.
    let email_hmac = secret.keyed_hash("email", email.as_str());
    let found = accounts::Entity::find()
        .filter(accounts::Column::EmailHmac.eq(&email_hmac))
        .one(&txn)
        .await
        .context("finding an account")?;
    let account_id = match found {
        Some(a) => a.id,
        None => {
            let id = find_or_create_account(&txn, &email_hmac, now, None).await?;
            accounts::ActiveModel {
                id: Set(id),
                last_sign_in_at: Set(None),
                ..Default::default()
            }
            .update(&txn)
            .await
            .context("marking an account not yet used")?;
            id
        }
    };
    let exists = account_roles::Entity::find()
        .filter(account_roles::Column::AccountId.eq(account_id))
        .filter(account_roles::Column::Role.eq(role.as_str()))
        .one(&txn)
        .await
        .context("checking roles")?
        .is_some();
    if !exists {
        account_roles::ActiveModel {
            account_id: Set(account_id),
            role: Set(role.as_str().to_owned()),
            granted_by: Set(granted_by.map(|id| id.get())),
            granted_at: Set(now),
        }
        .insert(&txn)
        .await
        .context("granting a role")?;
        audit::record(
            &txn,
            granted_by.map(|id| id.get()),
            "role_granted",
            "account",
            account_id,
            serde_json::json!({ "role": role.as_str() }),
        )
        .await
        .context("auditing a role grant")?;
    }
    txn.commit().await.context("committing a role grant")?;
    get(db, account_id.into()).await
}

/// Takes `role` away. Admins cannot remove their own admin role, so that
/// there is always someone who can grant roles.
pub async fn revoke_role(
    db: &DatabaseConnection,
    actor: &Actor,
    account_id: AccountId,
    role: Role,
) -> ServiceResult<Account> {
    actor.require(Role::Admin, "take roles away")?;
    if role == Role::Admin && account_id == actor.account_id {
        return Err(ServiceError::invalid(
            "accountId",
            "you cannot remove your own admin role",
        ));
    }
    let txn = begin_write(db).await.context("starting a transaction")?;
    let res = account_roles::Entity::delete_many()
        .filter(account_roles::Column::AccountId.eq(account_id))
        .filter(account_roles::Column::Role.eq(role.as_str()))
        .exec(&txn)
        .await
        .context("revoking a role")?;
    if res.rows_affected > 0 {
        audit::record(
            &txn,
            Some(actor.account_id.get()),
            "role_revoked",
            "account",
            account_id,
            serde_json::json!({ "role": role.as_str() }),
        )
        .await
        .context("auditing a role revocation")?;
    }
    txn.commit().await.context("committing a role revocation")?;
    get(db, account_id).await
}

/// The account for an email address, made if it does not exist yet.
pub async fn ensure(
    db: &DatabaseConnection,
    secret: &Secret,
    email: &EmailAddress,
) -> ServiceResult<Account> {
    let txn = begin_write(db).await.context("starting a transaction")?;
    let id = find_or_create_account(
        &txn,
        &secret.keyed_hash("email", email.as_str()),
        Utc::now(),
        None,
    )
    .await?;
    txn.commit().await.context("committing an account")?;
    get(db, id.into()).await
}

/// The language the account with this keyed email hash chose, if there is
/// such an account and it chose one.
pub async fn language_of(
    db: &impl ConnectionTrait,
    email_hmac: &str,
) -> ServiceResult<Option<Language>> {
    Ok(accounts::Entity::find()
        .filter(accounts::Column::EmailHmac.eq(email_hmac))
        .one(db)
        .await
        .context("finding an account's language")?
        .filter(|a| a.language_chosen_at.is_some())
        .map(|a| Language::from_stored(&a.language)))
}

/// The language to write to an email address in: its account's, or
/// English when nobody has signed in with it.
pub async fn language_for_address(
    db: &impl ConnectionTrait,
    secret: &Secret,
    email: &EmailAddress,
) -> ServiceResult<Language> {
    Ok(language_of(db, &secret.keyed_hash("email", email.as_str()))
        .await?
        .unwrap_or_default())
}

/// The language the signed-in person reads; every email and text sent to
/// them is written in it.
#[tracing::instrument(name = "set language", skip(db, actor), fields(language = language.as_str()))]
pub async fn set_language(
    db: &DatabaseConnection,
    actor: &Actor,
    language: Language,
) -> ServiceResult<Account> {
    let txn = begin_write(db).await.context("starting a transaction")?;
    let account = accounts::Entity::find_by_id(actor.account_id.get())
        .lock_exclusive()
        .one(&txn)
        .await
        .context("loading an account")?
        .ok_or_else(|| ServiceError::not_found("account"))?;
    if account.language != language.as_str() || account.language_chosen_at.is_none() {
        accounts::ActiveModel {
            id: Set(account.id),
            language: Set(language.as_str().into()),
            language_chosen_at: Set(Some(Utc::now())),
            ..Default::default()
        }
        .update(&txn)
        .await
        .context("storing a language")?;
        audit::record(
            &txn,
            Some(actor.account_id.get()),
            "language_changed",
            "account",
            actor.account_id,
            serde_json::json!({ "language": { "from": account.language, "to": language.as_str() } }),
        )
        .await
        .context("auditing a language")?;
    }
    let account = get(&txn, actor.account_id).await?;
    txn.commit().await.context("committing a language")?;
    Ok(account)
}

/// The language of an account, English if it is not found.
pub async fn language_of_account(
    db: &impl ConnectionTrait,
    account_id: AccountId,
) -> ServiceResult<Language> {
    Ok(accounts::Entity::find_by_id(account_id.get())
        .one(db)
        .await
        .context("finding an account's language")?
        .map(|a| Language::from_stored(&a.language))
        .unwrap_or_default())
}

/// The roles an account holds, sorted.
pub async fn roles_of(
    db: &impl ConnectionTrait,
    account_id: AccountId,
) -> ServiceResult<Vec<Role>> {
    let rows = crate::store::account_roles::Entity::find()
        .filter(crate::store::account_roles::Column::AccountId.eq(account_id))
        .all(db)
        .await
        .context("loading roles")?;
    let mut roles: Vec<Role> = rows.iter().filter_map(|r| r.role.parse().ok()).collect();
    roles.sort();
    Ok(roles)
}

/// The account of an email address (its keyed hash), made at its first
/// sign-in.
pub(crate) async fn find_or_create_account(
    db: &impl ConnectionTrait,
    email_hmac: &str,
    now: chrono::DateTime<Utc>,
    language: Option<Language>,
) -> ServiceResult<i64> {
    if let Some(a) = accounts::Entity::find()
        .filter(accounts::Column::EmailHmac.eq(email_hmac))
        .one(db)
        .await
        .context("finding an account")?
    {
        // An account that never chose a language takes the one the person
        // signs in from.
        let adopt = language.filter(|_| a.language_chosen_at.is_none());
        accounts::ActiveModel {
            id: Set(a.id),
            last_sign_in_at: Set(Some(now)),
            language: adopt.map_or(sea_orm::ActiveValue::NotSet, |l| Set(l.as_str().to_owned())),
            language_chosen_at: adopt.map_or(sea_orm::ActiveValue::NotSet, |_| Set(Some(now))),
            ..Default::default()
        }
        .update(db)
        .await
        .context("updating last sign-in")?;
        return Ok(a.id);
    }
    let a = accounts::ActiveModel {
        email_hmac: Set(email_hmac.to_owned()),
        display_name: Set(None),
        created_at: Set(now),
        last_sign_in_at: Set(Some(now)),
        language: Set(language.unwrap_or_default().as_str().into()),
        language_chosen_at: Set(language.map(|_| now)),
        ..Default::default()
    }
    .insert(db)
    .await
    .context("creating an account")?;
    audit::record(
        db,
        None,
        "account_created",
        "account",
        a.id,
        serde_json::json!({}),
    )
    .await
    .context("auditing an account")?;
    Ok(a.id)
}
