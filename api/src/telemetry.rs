//! Logging. Fields are dotted and structured (`round.id = 3`); nothing
//! personal (codes, emails, phone numbers, names, postcodes) is ever logged.
use crate::config::Environment;
use tracing_subscriber::{fmt, EnvFilter};

pub fn init(environment: Environment) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn,tower_http=info")
    });
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = match environment {
        Environment::Production => builder.json().flatten_event(true).try_init(),
        Environment::Development => builder.compact().try_init(),
    };
}
