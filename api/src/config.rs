//! Configuration, read once at start-up from the environment into one typed
//! struct. The defaults run on a laptop; production refuses to start without
//! what it needs.
use crate::crypto::Secret;
use anyhow::{bail, Context};
use std::{net::SocketAddr, path::PathBuf, time::Duration};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP, for a relay on the same host or private network.
    None,
    /// Upgrade with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Clone, Debug)]
pub enum EmailSettings {
    Smtp {
        host: String,
        port: u16,
        tls: SmtpTls,
        username: Option<String>,
        password: Option<String>,
        from: String,
    },
    /// Development only: each message is written to a folder.
    Folder { dir: PathBuf, from: String },
}

/// Where text messages go. The auth token is kept out of `Debug`.
#[derive(Clone)]
pub enum SmsSettings {
    /// A Twilio-compatible gateway (`SMS_GATEWAY_URL`, `SMS_ACCOUNT_SID`,
    /// `SMS_AUTH_TOKEN`, `SMS_FROM`).
    Gateway {
        url: String,
        account_sid: String,
        auth_token: String,
        from: String,
    },
    /// Development only: each message is written to a folder
    /// (`FAIRSHARE_SMS_DIR`, default `./data/sms`).
    Folder { dir: PathBuf },
}

impl std::fmt::Debug for SmsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmsSettings::Gateway {
                url,
                account_sid,
                from,
                ..
            } => f
                .debug_struct("Gateway")
                .field("url", url)
                .field("account_sid", account_sid)
                .field("auth_token", &"<redacted>")
                .field("from", from)
                .finish(),
            SmsSettings::Folder { dir } => f.debug_struct("Folder").field("dir", dir).finish(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub environment: Environment,
    pub addr: SocketAddr,
    pub database_url: String,
    pub secret: Secret,
    pub email: EmailSettings,
    pub sms: SmsSettings,
    /// How long after a round is published (or cancelled) its verification
    /// data is kept before `fairshare purge-verification` deletes it
    /// (`FAIRSHARE_VERIFICATION_RETENTION_DAYS`, default 90).
    pub verification_retention: chrono::Duration,
    /// Trust the left-most `X-Forwarded-For` address as the client's (set
    /// when running behind a load balancer that sets it).
    pub trust_forwarded_for: bool,
    /// How often each instance applies scheduled phase changes.
    pub schedule_interval: Duration,
    pub session_ttl: chrono::Duration,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/fairshare.db";
const DEVELOPMENT_SECRET: &[u8] = b"fairshare-development-secret-not-for-production-use";

impl Settings {
    /// Reads settings from the process environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
    }

    /// Reads settings through `get`, so tests need not touch the process
    /// environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let environment = match get("FAIRSHARE_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                bail!("FAIRSHARE_ENV must be `development` or `production`, not `{other}`")
            }
        };
        let production = environment == Environment::Production;
        let addr = get("FAIRSHARE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .context("FAIRSHARE_ADDR must be an address and port, like 127.0.0.1:8080")?;
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if production
            && database_url.starts_with("sqlite:")
            && get("FAIRSHARE_ALLOW_SQLITE").is_none()
        {
            tracing::warn!("running in production on SQLite: one instance only");
        }
        let secret = match get("FAIRSHARE_SECRET") {
            Some(s) if s.len() >= 32 => Secret::new(s.into_bytes()),
            Some(_) => bail!("FAIRSHARE_SECRET must be at least 32 characters"),
            None if production => bail!("FAIRSHARE_SECRET is required in production"),
            None => Secret::new(DEVELOPMENT_SECRET.to_vec()),
        };
        let from =
            get("MAIL_FROM").unwrap_or_else(|| "Fairshare <no-reply@fairshare.localhost>".into());
        let email = match get("SMTP_HOST") {
            Some(host) => {
                let tls = match get("SMTP_TLS").as_deref() {
                    None | Some("starttls") => SmtpTls::StartTls,
                    Some("tls") => SmtpTls::Tls,
                    Some("none") => SmtpTls::None,
                    Some(other) => {
                        bail!("SMTP_TLS must be `starttls`, `tls` or `none`, not `{other}`")
                    }
                };
                let default_port = match tls {
                    SmtpTls::None => 25,
                    SmtpTls::StartTls => 587,
                    SmtpTls::Tls => 465,
                };
                let port = match get("SMTP_PORT") {
                    Some(p) => p.parse().context("SMTP_PORT must be a port number")?,
                    None => default_port,
                };
                EmailSettings::Smtp {
                    host,
                    port,
                    tls,
                    username: get("SMTP_USERNAME"),
                    password: get("SMTP_PASSWORD"),
                    from,
                }
            }
            None if production => {
                bail!("SMTP_HOST is required in production: sign-in codes must reach people")
            }
            None => EmailSettings::Folder {
                dir: get("FAIRSHARE_MAIL_DIR")
                    .unwrap_or_else(|| "./data/mail".into())
                    .into(),
                from,
            },
        };
        let sms = match get("SMS_GATEWAY_URL") {
            Some(url) => {
                if !(url.starts_with("https://") || (!production && url.starts_with("http://"))) {
                    bail!("SMS_GATEWAY_URL must be an https:// address (http:// is allowed in development only)");
                }
                let need = |key: &str| {
                    get(key)
                        .with_context(|| format!("{key} is required when SMS_GATEWAY_URL is set"))
                };
                SmsSettings::Gateway {
                    url,
                    account_sid: need("SMS_ACCOUNT_SID")?,
                    auth_token: need("SMS_AUTH_TOKEN")?,
                    from: need("SMS_FROM")?,
                }
            }
            None if production => {
                bail!("SMS_GATEWAY_URL is required in production: verification codes must reach people")
            }
            None => SmsSettings::Folder {
                dir: get("FAIRSHARE_SMS_DIR")
                    .unwrap_or_else(|| "./data/sms".into())
                    .into(),
            },
        };
        let verification_retention =
            chrono::Duration::days(match get("FAIRSHARE_VERIFICATION_RETENTION_DAYS") {
                Some(s) => s
                    .parse::<u16>()
                    .context(
                        "FAIRSHARE_VERIFICATION_RETENTION_DAYS must be a whole number of days",
                    )?
                    .into(),
                None => 90,
            });
        let trust_forwarded_for = matches!(
            get("FAIRSHARE_TRUST_FORWARDED_FOR").as_deref(),
            Some("true" | "1")
        );
        let schedule_interval = Duration::from_secs(match get("FAIRSHARE_SCHEDULE_SECONDS") {
            Some(s) => s
                .parse()
                .context("FAIRSHARE_SCHEDULE_SECONDS must be a whole number")?,
            None => 30,
        });
        Ok(Settings {
            environment,
            addr,
            database_url,
            secret,
            email,
            sms,
            verification_retention,
            trust_forwarded_for,
            schedule_interval,
            session_ttl: chrono::Duration::days(14),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_run_on_a_laptop() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.environment, Environment::Development);
        assert_eq!(s.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database_url, DEFAULT_DATABASE_URL);
        assert!(matches!(s.email, EmailSettings::Folder { .. }));
        assert!(matches!(s.sms, SmsSettings::Folder { .. }));
        assert_eq!(s.verification_retention, chrono::Duration::days(90));
    }

    #[test]
    fn production_refuses_to_start_without_an_sms_gateway() {
        let secret = "x".repeat(40);
        let base = [
            ("FAIRSHARE_ENV", "production"),
            ("FAIRSHARE_SECRET", secret.as_str()),
            ("SMTP_HOST", "smtp.example.org"),
        ];
        let err = settings(&base).unwrap_err();
        assert!(err.to_string().contains("SMS_GATEWAY_URL"), "{err}");
        let mut vars = base.to_vec();
        vars.push(("SMS_GATEWAY_URL", "http://sms.example.org"));
        let err = settings(&vars).unwrap_err();
        assert!(err.to_string().contains("https"), "{err}");
        vars.pop();
        vars.push(("SMS_GATEWAY_URL", "https://sms.example.org"));
        let err = settings(&vars).unwrap_err();
        assert!(err.to_string().contains("SMS_ACCOUNT_SID"), "{err}");
        vars.extend([
            ("SMS_ACCOUNT_SID", "AC123"),
            ("SMS_AUTH_TOKEN", "very-secret-token"),
            ("SMS_FROM", "+447700900000"),
        ]);
        let ok = settings(&vars).unwrap();
        assert!(matches!(ok.sms, SmsSettings::Gateway { .. }));
        let shown = format!("{:?}", ok.sms);
        assert!(!shown.contains("very-secret-token"), "{shown}");
        assert!(settings(&[("FAIRSHARE_VERIFICATION_RETENTION_DAYS", "soon")]).is_err());
    }

    #[test]
    fn production_refuses_to_start_without_smtp_or_secret() {
        let err = settings(&[("FAIRSHARE_ENV", "production")]).unwrap_err();
        assert!(err.to_string().contains("FAIRSHARE_SECRET"));
        let secret = "x".repeat(40);
        let err = settings(&[
            ("FAIRSHARE_ENV", "production"),
            ("FAIRSHARE_SECRET", &secret),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("SMTP_HOST"), "{err}");
        let ok = settings(&[
            ("FAIRSHARE_ENV", "production"),
            ("FAIRSHARE_SECRET", &secret),
            ("SMTP_HOST", "smtp.example.org"),
            ("SMS_GATEWAY_URL", "https://sms.example.org"),
            ("SMS_ACCOUNT_SID", "AC123"),
            ("SMS_AUTH_TOKEN", "token"),
            ("SMS_FROM", "Fairshare"),
        ])
        .unwrap();
        assert!(matches!(
            ok.email,
            EmailSettings::Smtp {
                port: 587,
                tls: SmtpTls::StartTls,
                ..
            }
        ));
    }

    #[test]
    fn bad_values_are_named() {
        assert!(settings(&[("FAIRSHARE_ADDR", "nowhere")])
            .unwrap_err()
            .to_string()
            .contains("FAIRSHARE_ADDR"));
        assert!(settings(&[("SMTP_HOST", "h"), ("SMTP_TLS", "maybe")])
            .unwrap_err()
            .to_string()
            .contains("SMTP_TLS"));
    }
}
