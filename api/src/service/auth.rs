//! Sign-in with one-time codes sent by email, and sessions.
use super::{audit, limits, limits::Limit, Actor};
use crate::channels::templates;
use crate::crypto::{constant_time_eq, random_code, random_token, sha256_hex};
use crate::db::begin_write;
use crate::domain::{EmailAddress, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{account_roles, accounts, one_time_codes, sessions};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

pub const CODE_DIGITS: u32 = 6;
pub const CODE_LIFETIME_MINUTES: i64 = 10;
pub const MAX_WRONG_TRIES: i32 = 5;
pub const MAX_CODES_PER_ADDRESS_PER_HOUR: u64 = 5;

const PURPOSE_SIGN_IN: &str = "sign_in";

const CLIENT_LIMIT: Limit = Limit {
    bucket: "sign_in_code_client",
    max: 30,
    window: Duration::hours(1),
    message: "too many sign-in codes have been asked for from this connection; wait an hour and try again",
};

/// Where a request came from, for rate limits. Only ever stored hashed.
#[derive(Clone, Debug)]
pub struct Client {
    pub ip: String,
}

pub struct NewSession {
    pub token: String,
    pub account_id: i64,
    pub expires_at: DateTime<Utc>,
}

fn email_key(state: &AppState, email: &EmailAddress) -> String {
    state.secret.keyed_hash("email", email.as_str())
}

fn code_hash(state: &AppState, target: &str, code: &str) -> String {
    state
        .secret
        .keyed_hash("sign-in-code", &format!("{target}:{code}"))
}

/// Sends a sign-in code to `email`. The answer is the same whether or not an
/// account exists for the address: anyone may sign in, and an account is
/// made at the first sign-in.
#[tracing::instrument(name = "request sign-in code", skip_all)]
pub async fn request_code(state: &AppState, email: &str, client: &Client) -> ServiceResult<()> {
    let email = EmailAddress::parse(email)
        .map_err(|m| ServiceError::refused(ErrorCode::InvalidEmail, m))?;
    let target = email_key(state, &email);
    let code = random_code(CODE_DIGITS);
    let now = Utc::now();

    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    limits::take(
        &txn,
        &CLIENT_LIMIT,
        &state.secret.keyed_hash("client", &client.ip),
    )
    .await?;
    let recent = one_time_codes::Entity::find()
        .filter(one_time_codes::Column::Purpose.eq(PURPOSE_SIGN_IN))
        .filter(one_time_codes::Column::TargetHmac.eq(&target))
        .filter(one_time_codes::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(&txn)
        .await
        .context("counting recent codes")?;
    if recent >= MAX_CODES_PER_ADDRESS_PER_HOUR {
        return Err(ServiceError::refused(
            ErrorCode::RateLimited,
            "too many codes have been sent to this address in the last hour; wait a while and try again",
        ));
    }
    one_time_codes::ActiveModel {
        purpose: Set(PURPOSE_SIGN_IN.into()),
        target_hmac: Set(target.clone()),
        code_hash: Set(code_hash(state, &target, &code)),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(CODE_LIFETIME_MINUTES)),
        attempts: Set(0),
        consumed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("storing a sign-in code")?;
    txn.commit().await.context("committing a sign-in code")?;

    let minutes = CODE_LIFETIME_MINUTES.to_string();
    let message = templates::SIGN_IN_CODE.render(&[("code", &code), ("minutes", &minutes)]);
    state.mailer.send(&email, message).await?;
    Ok(())
}

/// Checks a code and, if it is right, starts a session. Only the most recent
/// code for an address counts; each allows `MAX_WRONG_TRIES` wrong guesses.
#[tracing::instrument(name = "sign in", skip_all)]
pub async fn sign_in(state: &AppState, email: &str, code: &str) -> ServiceResult<NewSession> {
    let email = EmailAddress::parse(email)
        .map_err(|m| ServiceError::refused(ErrorCode::InvalidEmail, m))?;
    let code = code.trim();
    if code.len() != CODE_DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ServiceError::refused(
            ErrorCode::InvalidCode,
            format!("enter the {CODE_DIGITS}-digit code from the email"),
        ));
    }
    let target = email_key(state, &email);
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    let latest = one_time_codes::Entity::find()
        .filter(one_time_codes::Column::Purpose.eq(PURPOSE_SIGN_IN))
        .filter(one_time_codes::Column::TargetHmac.eq(&target))
        .order_by_desc(one_time_codes::Column::Id)
        .one(&txn)
        .await
        .context("finding the latest code")?;
    let wrong = || {
        ServiceError::refused(
            ErrorCode::InvalidCode,
            "that code is not right: check the most recent email we sent you, or ask for a new code",
        )
    };
    let Some(row) = latest.filter(|r| r.consumed_at.is_none()) else {
        return Err(wrong());
    };
    if row.attempts >= MAX_WRONG_TRIES {
        return Err(too_many_tries());
    }
    if row.expires_at <= now {
        return Err(ServiceError::refused(
            ErrorCode::CodeExpired,
            "that code has expired: ask for a new one",
        ));
    }
    if !constant_time_eq(&row.code_hash, &code_hash(state, &target, code)) {
        let counted = one_time_codes::Entity::update_many()
            .col_expr(
                one_time_codes::Column::Attempts,
                Expr::col(one_time_codes::Column::Attempts).add(1),
            )
            .filter(one_time_codes::Column::Id.eq(row.id))
            .filter(one_time_codes::Column::Attempts.lt(MAX_WRONG_TRIES))
            .exec(&txn)
            .await
            .context("counting a wrong code")?;
        txn.commit().await.context("committing a wrong try")?;
        if counted.rows_affected == 0 || row.attempts + 1 >= MAX_WRONG_TRIES {
            return Err(too_many_tries());
        }
        return Err(wrong());
    }
    let consumed = one_time_codes::Entity::update_many()
        .col_expr(one_time_codes::Column::ConsumedAt, Expr::value(now))
        .filter(one_time_codes::Column::Id.eq(row.id))
        .filter(one_time_codes::Column::ConsumedAt.is_null())
        .filter(one_time_codes::Column::Attempts.lt(MAX_WRONG_TRIES))
        .exec(&txn)
        .await
        .context("using up a code")?;
    if consumed.rows_affected != 1 {
        return Err(wrong());
    }
    let account_id = find_or_create_account(&txn, &target, now).await?;
    let session = start_session(&txn, account_id, now + state.settings.session_ttl).await?;
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

fn too_many_tries() -> ServiceError {
    ServiceError::refused(
        ErrorCode::TooManyAttempts,
        "too many wrong codes: ask for a new code",
    )
}

pub(crate) async fn find_or_create_account(
    db: &impl ConnectionTrait,
    email_hmac: &str,
    now: DateTime<Utc>,
) -> ServiceResult<i64> {
    if let Some(a) = accounts::Entity::find()
        .filter(accounts::Column::EmailHmac.eq(email_hmac))
        .one(db)
        .await
        .context("finding an account")?
    {
        accounts::ActiveModel {
            id: Set(a.id),
            last_sign_in_at: Set(Some(now)),
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
        ..Default::default()
    }
    .insert(db)
    .await
    .context("creating an account")?;
    Ok(a.id)
}

async fn start_session(
    db: &impl ConnectionTrait,
    account_id: i64,
    expires_at: DateTime<Utc>,
) -> ServiceResult<NewSession> {
    let token = random_token();
    sessions::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        account_id: Set(account_id),
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
    let Some(session) = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(sha256_hex(token)))
        .filter(sessions::Column::RevokedAt.is_null())
        .filter(sessions::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await
        .context("finding a session")?
    else {
        return Ok(None);
    };
    let roles = roles_of(db, session.account_id).await?;
    Ok(Some(Actor {
        account_id: session.account_id,
        roles,
    }))
}

pub async fn roles_of(db: &impl ConnectionTrait, account_id: i64) -> ServiceResult<Vec<Role>> {
    let rows = account_roles::Entity::find()
        .filter(account_roles::Column::AccountId.eq(account_id))
        .all(db)
        .await
        .context("loading roles")?;
    let mut roles: Vec<Role> = rows.iter().filter_map(|r| r.role.parse().ok()).collect();
    roles.sort();
    Ok(roles)
}

/// Ends the session the token belongs to.
pub async fn sign_out(db: &DatabaseConnection, token: &str) -> ServiceResult<bool> {
    let res = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(sessions::Column::TokenHash.eq(sha256_hex(token)))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .context("revoking a session")?;
    Ok(res.rows_affected > 0)
}
