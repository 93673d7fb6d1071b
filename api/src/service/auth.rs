//! Sign-in with one-time codes sent by email, and sessions.
use super::{
    audit,
    codes::{self, Check, Policy},
    limits::Limit,
    Actor,
};
use crate::channels::templates;
use crate::crypto::{random_token, sha256_hex};
use crate::db::begin_write;
use crate::domain::id::AccountId;
use crate::domain::{EmailAddress, Language, Role};
use crate::error::{Context, ServiceResult};
use crate::state::AppState;
use crate::store::{account_roles, sessions};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType,
    QueryFilter, QuerySelect, Set,
};

pub use super::codes::{CODE_DIGITS, CODE_LIFETIME_MINUTES, MAX_WRONG_TRIES};
pub const MAX_CODES_PER_ADDRESS_PER_HOUR: u64 = 5;

const SIGN_IN: Policy = Policy {
    purpose: "sign_in",
    hash_label: "sign-in-code",
    per_target_per_hour: MAX_CODES_PER_ADDRESS_PER_HOUR,
    per_target_message: "too many codes have been sent to this address in the last hour; wait a while and try again",
    client: Limit {
        bucket: "sign_in_code_client",
        max: 30,
        window: Duration::hours(1),
        message: "too many sign-in codes have been asked for from this connection; wait an hour and try again",
    },
    carrier: "email",
};

pub use super::Client;

pub struct NewSession {
    pub token: String,
    pub account_id: AccountId,
    pub expires_at: DateTime<Utc>,
}

fn email_key(state: &AppState, email: &EmailAddress) -> String {
    state.secret.keyed_hash("email", email.as_str())
}

/// Sends a sign-in code to `email`. The answer is the same whether or not an
/// account exists for the address: anyone may sign in, and an account is
/// made at the first sign-in. The email is written in the language the
/// account chose, or else in `language` (the page's).
#[tracing::instrument(name = "request sign-in code", skip_all)]
pub async fn request_code(
    state: &AppState,
    email: &EmailAddress,
    client: &Client,
    language: Option<Language>,
) -> ServiceResult<()> {
    let target = email_key(state, email);
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let code = codes::issue(&txn, &state.secret, &SIGN_IN, &target, "", client).await?;
    let stored = super::accounts::language_of(&txn, &target).await?;
    txn.commit().await.context("committing a sign-in code")?;

    let language = stored.or(language).unwrap_or_default();
    let minutes = CODE_LIFETIME_MINUTES.to_string();
    let message = templates::SIGN_IN_CODE.render(
        language,
        &state.settings.phone,
        &[("code", &code), ("minutes", &minutes)],
    );
    state.mailer.send(email, message).await?;
    Ok(())
}

/// Checks a code and, if it is right, starts a session. Only the most recent
/// code for an address counts; each allows `MAX_WRONG_TRIES` wrong guesses.
/// An account made by this sign-in, or one that never chose a language,
/// takes `language` (the page's); one that chose keeps its own.
#[tracing::instrument(name = "sign in", skip_all)]
pub async fn sign_in(
    state: &AppState,
    email: &EmailAddress,
    code: &str,
    language: Option<Language>,
) -> ServiceResult<NewSession> {
    let code = codes::parse_code(code, &SIGN_IN)?;
    let target = email_key(state, email);
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    if let Check::Refused(e) =
        codes::consume(&txn, &state.secret, &SIGN_IN, &target, "", &code).await?
    {
        txn.commit().await.context("committing a wrong try")?;
        return Err(e);
    }
    let now = Utc::now();
    let account_id = super::accounts::find_or_create_account(&txn, &target, now, language).await?;
    let session = start_session(&txn, account_id.into(), now + state.settings.session_ttl).await?;
    audit::record(
        &txn,
        Some(account_id),
        "signed_in",
        "account",
        account_id,
        serde_json::json!({}),
    )
    .await
    .context("auditing a sign-in")?;
    txn.commit().await.context("committing a sign-in")?;
    tracing::info!(account.id = account_id, "signed in");
    Ok(session)
}

async fn start_session(
    db: &impl ConnectionTrait,
    account_id: AccountId,
    expires_at: DateTime<Utc>,
) -> ServiceResult<NewSession> {
    let token = random_token();
    sessions::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        account_id: Set(account_id.get()),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .context("starting a session")?;
    Ok(NewSession {
        token,
        account_id,
        expires_at,
    })
}

/// The signed-in account for a session token, if the session is live.
pub async fn authenticate(db: &DatabaseConnection, token: &str) -> ServiceResult<Option<Actor>> {
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    // One statement for every request: the session and its account's
    // roles (one row per role, or one with none).
    let roles_of_account = sessions::Entity::belongs_to(account_roles::Entity)
        .from(sessions::Column::AccountId)
        .to(account_roles::Column::AccountId)
        .into();
    let rows: Vec<(i64, Option<String>)> = sessions::Entity::find()
        .select_only()
        .column(sessions::Column::AccountId)
        .column(account_roles::Column::Role)
        .join(JoinType::LeftJoin, roles_of_account)
        .filter(sessions::Column::TokenHash.eq(sha256_hex(token)))
        .filter(sessions::Column::RevokedAt.is_null())
        .filter(sessions::Column::ExpiresAt.gt(Utc::now()))
        .into_tuple()
        .all(db)
        .await
        .context("finding a session")?;
    let Some(&(account_id, _)) = rows.first() else {
        return Ok(None);
    };
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|(_, r)| r.as_deref()?.parse().ok())
        .collect();
    roles.sort();
    Ok(Some(Actor {
        account_id: account_id.into(),
        roles,
    }))
}

/// Ends the session the token belongs to.
pub async fn sign_out(db: &DatabaseConnection, token: &str) -> ServiceResult<bool> {
    let txn = begin_write(db).await.context("starting a transaction")?;
    let Some(session) = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(sha256_hex(token)))
        .filter(sessions::Column::RevokedAt.is_null())
        .one(&txn)
        .await
        .context("finding a session")?
    else {
        return Ok(false);
    };
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(sessions::Column::Id.eq(session.id))
        .exec(&txn)
        .await
        .context("revoking a session")?;
    audit::record(
        &txn,
        Some(session.account_id),
        "signed_out",
        "account",
        session.account_id,
        serde_json::json!({}),
    )
    .await
    .context("auditing a sign-out")?;
    txn.commit().await.context("committing a sign-out")?;
    Ok(true)
}
