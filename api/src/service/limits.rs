//! Rate limits kept in the database, so that every instance behind a load
//! balancer counts the same events.
use crate::db::lock_key;
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::rate_events;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

pub struct Limit {
    pub bucket: &'static str,
    pub max: u64,
    pub window: Duration,
    pub message: &'static str,
}

/// Refuses with `RATE_LIMITED` when `key_hmac` has used up `limit`, and
/// otherwise records one more event. The count and the new event are one
/// step: concurrent requests for the same key wait for each other
/// (`db::lock_key`), so a limit of 30 lets exactly 30 through.
pub async fn take(db: &DatabaseTransaction, limit: &Limit, key_hmac: &str) -> ServiceResult<()> {
    lock_key(db, &format!("limit:{}:{key_hmac}", limit.bucket))
        .await
        .context("locking a rate-limit bucket")?;
    let now = Utc::now();
    let used = rate_events::Entity::find()
        .filter(rate_events::Column::Bucket.eq(limit.bucket))
        .filter(rate_events::Column::KeyHmac.eq(key_hmac))
        .filter(rate_events::Column::At.gt(now - limit.window))
        .count(db)
        .await
        .context("counting rate-limit events")?;
    if used >= limit.max {
        return Err(ServiceError::refused(ErrorCode::RateLimited, limit.message));
    }
    rate_events::ActiveModel {
        bucket: Set(limit.bucket.to_owned()),
        key_hmac: Set(key_hmac.to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .context("recording a rate-limit event")?;
    Ok(())
}

/// Forgets events older than a day.
pub async fn prune(db: &impl ConnectionTrait) -> ServiceResult<u64> {
    let res = rate_events::Entity::delete_many()
        .filter(rate_events::Column::At.lt(Utc::now() - Duration::days(1)))
        .exec(db)
        .await
        .context("pruning rate-limit events")?;
    Ok(res.rows_affected)
}
