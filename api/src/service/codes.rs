//! One-time codes, whatever carries them (email or text message): six digits
//! from the secure random source, stored only as a keyed hash, single use,
//! ten minutes, compared in constant time, at most five wrong tries each,
//! and limited sends per target and per client. Only the latest code for a
//! target counts.
use super::{limits, limits::Limit, Client};
use crate::crypto::{constant_time_eq, random_code, Secret};
use crate::db::lock_key;
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::one_time_codes;
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

pub const CODE_DIGITS: u32 = 6;
pub const CODE_LIFETIME_MINUTES: i64 = 10;
pub const MAX_WRONG_TRIES: i32 = 5;

/// The rules for one kind of code.
pub struct Policy {
    /// Stored in `one_time_codes.purpose`; codes of one purpose never answer
    /// for another.
    pub purpose: &'static str,
    /// The label of the code's keyed hash.
    pub hash_label: &'static str,
    /// How many codes one target (address, number) may be sent per hour.
    pub per_target_per_hour: u64,
    pub per_target_message: &'static str,
    /// How many codes one client may ask for.
    pub client: Limit,
    /// Where the person finds the code, for the message on a wrong code:
    /// "email" or "text message".
    pub carrier: &'static str,
}

fn code_hash(secret: &Secret, policy: &Policy, target: &str, binding: &str, code: &str) -> String {
    let value = if binding.is_empty() {
        format!("{target}:{code}")
    } else {
        format!("{target}:{binding}:{code}")
    };
    secret.keyed_hash(policy.hash_label, &value)
}

/// Makes and stores a new code for `target` (a keyed hash of the address or
/// number), after checking the per-client and per-target limits. `binding`
/// ties the code to something else the checker must present too (the
/// account asking, for verification codes); empty for none. Returns the
/// code, to be sent by the caller after the transaction commits.
pub async fn issue(
    db: &DatabaseTransaction,
    secret: &Secret,
    policy: &Policy,
    target: &str,
    binding: &str,
    client: &Client,
) -> ServiceResult<String> {
    let now = Utc::now();
    limits::take(db, &policy.client, &secret.keyed_hash("client", &client.ip)).await?;
    // Count and issue as one step, so that concurrent requests cannot all
    // pass the count.
    lock_key(db, &format!("codes:{}:{target}", policy.purpose))
        .await
        .context("locking a code target")?;
    let recent = one_time_codes::Entity::find()
        .filter(one_time_codes::Column::Purpose.eq(policy.purpose))
        .filter(one_time_codes::Column::TargetHmac.eq(target))
        .filter(one_time_codes::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(db)
        .await
        .context("counting recent codes")?;
    if recent >= policy.per_target_per_hour {
        return Err(ServiceError::refused(
            ErrorCode::RateLimited,
            policy.per_target_message,
        ));
    }
    let code = random_code(CODE_DIGITS);
    one_time_codes::ActiveModel {
        purpose: Set(policy.purpose.into()),
        target_hmac: Set(target.to_owned()),
        code_hash: Set(code_hash(secret, policy, target, binding, &code)),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(CODE_LIFETIME_MINUTES)),
        attempts: Set(0),
        consumed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .context("storing a one-time code")?;
    Ok(code)
}

/// The outcome of checking a code.
pub enum Check {
    /// The code was right and is now used up.
    Accepted,
    /// The code was refused. A wrong try has been counted in the
    /// transaction: commit it before returning the error.
    Refused(ServiceError),
}

/// Checks that `code` is in the right shape, before any lookup.
pub fn parse_code(code: &str, policy: &Policy) -> ServiceResult<String> {
    let code = code.trim();
    if code.len() != CODE_DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ServiceError::refused(
            ErrorCode::InvalidCode,
            format!(
                "enter the {CODE_DIGITS}-digit code from the {}",
                policy.carrier
            ),
        ));
    }
    Ok(code.to_owned())
}

/// Checks `code` against the latest code for `target`, and uses it up if it
/// is right. Run inside the caller's write transaction, so that what the
/// code unlocks happens in the same transaction as its use.
pub async fn consume(
    db: &impl ConnectionTrait,
    secret: &Secret,
    policy: &Policy,
    target: &str,
    binding: &str,
    code: &str,
) -> ServiceResult<Check> {
    let now = Utc::now();
    let latest = one_time_codes::Entity::find()
        .filter(one_time_codes::Column::Purpose.eq(policy.purpose))
        .filter(one_time_codes::Column::TargetHmac.eq(target))
        .order_by_desc(one_time_codes::Column::Id)
        .one(db)
        .await
        .context("finding the latest code")?;
    let wrong = || {
        Check::Refused(ServiceError::refused(
            ErrorCode::InvalidCode,
            format!(
                "that code is not right: check the most recent {} we sent you, or ask for a new code",
                policy.carrier
            ),
        ))
    };
    let Some(row) = latest.filter(|r| r.consumed_at.is_none()) else {
        return Ok(wrong());
    };
    if row.attempts >= MAX_WRONG_TRIES {
        return Ok(Check::Refused(too_many_tries()));
    }
    if row.expires_at <= now {
        return Ok(Check::Refused(ServiceError::refused(
            ErrorCode::CodeExpired,
            "that code has expired: ask for a new one",
        )));
    }
    if !constant_time_eq(
        &row.code_hash,
        &code_hash(secret, policy, target, binding, code),
    ) {
        let counted = one_time_codes::Entity::update_many()
            .col_expr(
                one_time_codes::Column::Attempts,
                Expr::col(one_time_codes::Column::Attempts).add(1),
            )
            .filter(one_time_codes::Column::Id.eq(row.id))
            .filter(one_time_codes::Column::Attempts.lt(MAX_WRONG_TRIES))
            .exec(db)
            .await
            .context("counting a wrong code")?;
        if counted.rows_affected == 0 || row.attempts + 1 >= MAX_WRONG_TRIES {
            return Ok(Check::Refused(too_many_tries()));
        }
        return Ok(wrong());
    }
    let consumed = one_time_codes::Entity::update_many()
        .col_expr(one_time_codes::Column::ConsumedAt, Expr::value(now))
        .filter(one_time_codes::Column::Id.eq(row.id))
        .filter(one_time_codes::Column::ConsumedAt.is_null())
        .filter(one_time_codes::Column::Attempts.lt(MAX_WRONG_TRIES))
        .exec(db)
        .await
        .context("using up a code")?;
    if consumed.rows_affected != 1 {
        return Ok(wrong());
    }
    Ok(Check::Accepted)
}

fn too_many_tries() -> ServiceError {
    ServiceError::refused(
        ErrorCode::TooManyAttempts,
        "too many wrong codes: ask for a new code",
    )
}

/// Forgets codes that expired more than a day ago: the per-target limits
/// only look back an hour, and a code's target is personal data.
pub async fn prune(db: &impl ConnectionTrait) -> ServiceResult<u64> {
    let res = one_time_codes::Entity::delete_many()
        .filter(one_time_codes::Column::ExpiresAt.lt(Utc::now() - Duration::days(1)))
        .exec(db)
        .await
        .context("pruning one-time codes")?;
    Ok(res.rows_affected)
}
