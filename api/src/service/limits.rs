//! Rate limits kept in the database, so that every instance behind a load
//! balancer counts the same events.
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::rate_events;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

pub struct Limit {
    pub bucket: &'static str,
    pub max: u64,
    pub window: Duration,
    pub message: &'static str,
}

/// Refuses with `RATE_LIMITED` when `key_hmac` has used up `limit`, and
/// otherwise records one more event.
pub async fn take(db: &impl ConnectionTrait, limit: &Limit, key_hmac: &str) -> ServiceResult<()> {
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
