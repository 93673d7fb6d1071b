//! Configuration, read once at start-up from the environment into one typed
//! struct. The defaults run on a laptop; production refuses to start without
//! what it needs.
use crate::crypto::{CouncilKey, Secret};
use anyhow::{bail, Context};
use secrecy::SecretString;
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
        password: Option<SecretString>,
        from: String,
    },
    /// GOV.UK Notify (`NOTIFY_API_KEY`, `NOTIFY_EMAIL_TEMPLATE_ID`).
    Notify {
        url: String,
        key: SecretString,
        template_id: String,
    },
    /// Development only: each message is written to a folder.
    Folder { dir: PathBuf, from: String },
}

/// Where text messages go.
#[derive(Clone, Debug)]
pub enum SmsSettings {
    /// A Twilio-compatible gateway (`SMS_GATEWAY_URL`, `SMS_ACCOUNT_SID`,
    /// `SMS_AUTH_TOKEN`, `SMS_FROM`).
    Gateway {
        url: String,
        account_sid: String,
        auth_token: SecretString,
        from: String,
    },
    /// GOV.UK Notify (`NOTIFY_API_KEY`, `NOTIFY_SMS_TEMPLATE_ID`).
    Notify {
        url: String,
        key: SecretString,
        template_id: String,
    },
    /// Development only: each message is written to a folder
    /// (`FAIRSHARE_SMS_DIR`, default `./data/sms`).
    Folder { dir: PathBuf },
}

/// Where letters go.
#[derive(Clone, Debug)]
pub enum LetterSettings {
    /// GOV.UK Notify (`NOTIFY_API_KEY`, `NOTIFY_LETTER_TEMPLATE_ID`, and
    /// `NOTIFY_POSTAGE`: `first`, `second` (the default) or `economy`).
    Notify {
        url: String,
        key: SecretString,
        template_id: String,
        postage: String,
    },
    /// Development only: each letter is written to a folder
    /// (`FAIRSHARE_LETTER_DIR`, default `./data/letters`).
    Folder { dir: PathBuf },
    /// Production without Notify letters: none is offered.
    Off,
}

/// Voting by phone: the gateway's webhooks, and the numbers and names that
/// letters and replies give people.
#[derive(Clone, Debug)]
pub struct PhoneSettings {
    /// The gateway's auth token, which signs its webhooks
    /// (`PHONE_AUTH_TOKEN`, else `SMS_AUTH_TOKEN`). Without one the
    /// webhooks refuse every request.
    pub auth_token: Option<SecretString>,
    /// The address the gateway posts to, exactly as configured there
    /// (`FAIRSHARE_WEBHOOK_URL`, default the public URL): signatures cover
    /// the full URL, so behind a proxy this is the outside address.
    pub webhook_url: String,
    /// The number residents text (`FAIRSHARE_SMS_NUMBER`).
    pub sms_number: String,
    /// The number residents call (`FAIRSHARE_VOICE_NUMBER`).
    pub voice_number: String,
    /// The council's help line (`FAIRSHARE_HELP_LINE`).
    pub help_line: String,
    /// The council's name in English and Welsh (`FAIRSHARE_COUNCIL_NAME`,
    /// `FAIRSHARE_COUNCIL_NAME_CY`).
    pub council_name: String,
    pub council_name_cy: String,
    /// The service's name in English and Welsh (`FAIRSHARE_SERVICE_NAME`,
    /// `FAIRSHARE_SERVICE_NAME_CY`): email and text messages come from it.
    pub service_name: String,
    pub service_name_cy: String,
    /// Whether calls and letters offer Welsh (`FAIRSHARE_WELSH`, default
    /// true): a Welsh council offers it everywhere.
    pub welsh: bool,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub environment: Environment,
    pub addr: SocketAddr,
    /// May hold a password: kept out of `Debug`.
    pub database_url: SecretString,
    /// Where people reach the service (the web client), for links in
    /// email: `FAIRSHARE_PUBLIC_URL`.
    pub public_url: String,
    pub secret: Secret,
    pub email: EmailSettings,
    pub sms: SmsSettings,
    pub letters: LetterSettings,
    pub phone: PhoneSettings,
    /// How long after a round is published (or cancelled) its verification
    /// data is kept before `fairshare purge-verification` deletes it
    /// (`FAIRSHARE_VERIFICATION_RETENTION_DAYS`, default 90).
    pub verification_retention: chrono::Duration,
    /// How many proxies (load balancers) in front of the server append to
    /// `X-Forwarded-For`: the client's address is that many entries from
    /// the right. 0 (the default) ignores the header.
    pub trusted_proxy_hops: usize,
    /// How often each instance applies scheduled phase changes.
    pub schedule_interval: Duration,
    /// The most reminders an instance sends at each scheduler tick
    /// (`FAIRSHARE_REMINDERS_PER_TICK`, default 120: 4 a second at the
    /// default 30 s tick), to keep within the gateways' rates.
    pub reminders_per_tick: u64,
    /// PostgreSQL: how many ballot writers commit side by side
    /// (`FAIRSHARE_BALLOT_WRITERS`, default 4). SQLite always has one.
    pub ballot_writers: usize,
    pub session_ttl: chrono::Duration,
    /// The council's Ed25519 key, which signs each round's close checkpoint
    /// (`FAIRSHARE_SIGNING_KEY`: the 32-byte private key, base64; required
    /// in production, derived from the secret in development).
    pub signing_key: CouncilKey,
    /// Things worth a warning in the log, once logging has started.
    pub warnings: Vec<String>,
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
        let mut warnings = Vec::new();
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if production && database_url.starts_with("sqlite:") {
            if !matches!(get("FAIRSHARE_ALLOW_SQLITE").as_deref(), Some("true" | "1")) {
                bail!("production runs on PostgreSQL: set DATABASE_URL to a postgres:// address, or FAIRSHARE_ALLOW_SQLITE=true to run one instance on SQLite");
            }
            warnings.push(
                "running in production on SQLite (FAIRSHARE_ALLOW_SQLITE): run one instance only"
                    .to_owned(),
            );
        }
        let secret = match get("FAIRSHARE_SECRET") {
            Some(s) => {
                if production && is_published_secret(&s) {
                    bail!("FAIRSHARE_SECRET is the development or example value, which anyone can read: set a long random value of your own (`openssl rand -base64 48`)");
                }
                check_secret(&s)?;
                Secret::new(s.into_bytes())
            }
            None if production => bail!("FAIRSHARE_SECRET is required in production"),
            None => Secret::new(DEVELOPMENT_SECRET.to_vec()),
        };
        let signing_key = match get("FAIRSHARE_SIGNING_KEY") {
            Some(k) => CouncilKey::parse(&k).map_err(|e| anyhow::anyhow!("FAIRSHARE_SIGNING_KEY: {e}"))?,
            None if production => bail!(
                "FAIRSHARE_SIGNING_KEY is required in production: the council's Ed25519 private key, 32 random bytes in base64 (openssl rand -base64 32)"
            ),
            None => CouncilKey::from_seed(*secret.seal_key("development-signing-key").as_bytes()),
        };
        let service_name =
            get("FAIRSHARE_SERVICE_NAME").unwrap_or_else(|| "Neighbourhood Fund".into());
        // Email comes from the council's service, by its name (quoted: a
        // name may hold a comma).
        let from = get("MAIL_FROM").unwrap_or_else(|| {
            format!(
                "\"{}\" <no-reply@fairshare.localhost>",
                service_name.replace(['"', '\\'], "")
            )
        });
        // GOV.UK Notify, for email, text messages or both, when the council
        // gives its API key and the template for each.
        let notify_url =
            get("NOTIFY_URL").unwrap_or_else(|| "https://api.notifications.service.gov.uk".into());
        if !(notify_url.starts_with("https://")
            || (!production && notify_url.starts_with("http://")))
        {
            bail!(
                "NOTIFY_URL must be an https:// address (http:// is allowed in development only)"
            );
        }
        let notify_key = get("NOTIFY_API_KEY");
        if let Some(key) = &notify_key {
            crate::channels::notify::NotifyKey::parse(key)?;
        }
        let notify = |template: &str| -> anyhow::Result<Option<(String, SecretString, String)>> {
            match (get(template), &notify_key) {
                (None, _) => Ok(None),
                (Some(_), None) => bail!("{template} is set, but NOTIFY_API_KEY is not"),
                (Some(id), Some(key)) => {
                    if uuid::Uuid::parse_str(id.trim()).is_err() {
                        bail!("{template} must be a Notify template's id (a UUID)");
                    }
                    Ok(Some((
                        notify_url.clone(),
                        SecretString::from(key.clone()),
                        id.trim().to_owned(),
                    )))
                }
            }
        };
        let email_by_notify = notify("NOTIFY_EMAIL_TEMPLATE_ID")?;
        let sms_by_notify = notify("NOTIFY_SMS_TEMPLATE_ID")?;
        let email = match (email_by_notify, get("SMTP_HOST")) {
            (Some((url, key, template_id)), _) => EmailSettings::Notify {
                url,
                key,
                template_id,
            },
            (None, Some(host)) => {
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
                    password: get("SMTP_PASSWORD").map(SecretString::from),
                    from,
                }
            }
            (None, None) if production => {
                bail!("SMTP_HOST (or GOV.UK Notify) is required in production: sign-in codes must reach people")
            }
            (None, None) => EmailSettings::Folder {
                dir: get("FAIRSHARE_MAIL_DIR")
                    .unwrap_or_else(|| "./data/mail".into())
                    .into(),
                from,
            },
        };
        let sms = match (sms_by_notify, get("SMS_GATEWAY_URL")) {
            (Some((url, key, template_id)), _) => SmsSettings::Notify {
                url,
                key,
                template_id,
            },
            (None, Some(url)) => {
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
                    auth_token: SecretString::from(need("SMS_AUTH_TOKEN")?),
                    from: need("SMS_FROM")?,
                }
            }
            (None, None) if production => {
                bail!("SMS_GATEWAY_URL (or GOV.UK Notify) is required in production: verification codes must reach people")
            }
            (None, None) => SmsSettings::Folder {
                dir: get("FAIRSHARE_SMS_DIR")
                    .unwrap_or_else(|| "./data/sms".into())
                    .into(),
            },
        };
        let letters = match notify("NOTIFY_LETTER_TEMPLATE_ID")? {
            Some((url, key, template_id)) => {
                let postage = get("NOTIFY_POSTAGE").unwrap_or_else(|| "second".into());
                if !["first", "second", "economy"].contains(&postage.as_str()) {
                    bail!("NOTIFY_POSTAGE must be first, second or economy");
                }
                LetterSettings::Notify {
                    url,
                    key,
                    template_id,
                    postage,
                }
            }
            None if production => LetterSettings::Off,
            None => LetterSettings::Folder {
                dir: get("FAIRSHARE_LETTER_DIR")
                    .unwrap_or_else(|| "./data/letters".into())
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
        let trusted_proxy_hops = match get("FAIRSHARE_TRUSTED_PROXY_HOPS") {
            Some(n) => n
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 10)
                .context("FAIRSHARE_TRUSTED_PROXY_HOPS must be a number of proxies, 0 to 10")?,
            // The older switch: one load balancer.
            None => usize::from(matches!(
                get("FAIRSHARE_TRUST_FORWARDED_FOR").as_deref(),
                Some("true" | "1")
            )),
        };
        let schedule_interval = Duration::from_secs(match get("FAIRSHARE_SCHEDULE_SECONDS") {
            Some(s) => s
                .parse()
                .context("FAIRSHARE_SCHEDULE_SECONDS must be a whole number")?,
            None => 30,
        });
        let reminders_per_tick = match get("FAIRSHARE_REMINDERS_PER_TICK") {
            Some(s) => s
                .parse()
                .context("FAIRSHARE_REMINDERS_PER_TICK must be a whole number")?,
            None => 120,
        };
        let public_url = get("FAIRSHARE_PUBLIC_URL")
            .unwrap_or_else(|| "http://127.0.0.1:8080".into())
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("https://") || public_url.starts_with("http://")) {
            bail!("FAIRSHARE_PUBLIC_URL must be an http:// or https:// address");
        }
        let ballot_writers = match get("FAIRSHARE_BALLOT_WRITERS") {
            Some(n) => n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=32).contains(n))
                .context("FAIRSHARE_BALLOT_WRITERS must be a number from 1 to 32")?,
            None => crate::service::voting::writer::POSTGRES_LANES,
        };
        let webhook_url = get("FAIRSHARE_WEBHOOK_URL")
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| public_url.clone());
        if !(webhook_url.starts_with("https://") || webhook_url.starts_with("http://")) {
            bail!("FAIRSHARE_WEBHOOK_URL must be an http:// or https:// address");
        }
        // The phone gateway is usually the text-message gateway's account:
        // its token signs the webhooks, whether or not outgoing texts go
        // through it here.
        let phone_token = get("PHONE_AUTH_TOKEN").or_else(|| get("SMS_AUTH_TOKEN"));
        // The same variables and defaults as the web client's.
        let council_name =
            get("FAIRSHARE_COUNCIL_NAME").unwrap_or_else(|| "Leeds Demo Council".into());
        let council_name_cy = get("FAIRSHARE_COUNCIL_NAME_CY")
            .or_else(|| get("FAIRSHARE_COUNCIL_NAME"))
            .unwrap_or_else(|| "Cyngor Arddangos Leeds".into());
        let service_name_cy = get("FAIRSHARE_SERVICE_NAME_CY")
            .or_else(|| get("FAIRSHARE_SERVICE_NAME"))
            .unwrap_or_else(|| "Cronfa Cymdogaethau".into());
        let phone = PhoneSettings {
            auth_token: phone_token.map(SecretString::from),
            webhook_url,
            // Ofcom's numbers for drama: they reach no one.
            sms_number: get("FAIRSHARE_SMS_NUMBER").unwrap_or_else(|| "07700 900123".into()),
            voice_number: get("FAIRSHARE_VOICE_NUMBER").unwrap_or_else(|| "0113 496 0123".into()),
            help_line: get("FAIRSHARE_HELP_LINE").unwrap_or_else(|| "0113 496 0000".into()),
            council_name,
            council_name_cy,
            service_name,
            service_name_cy,
            welsh: !matches!(get("FAIRSHARE_WELSH").as_deref(), Some("false" | "0")),
        };
        Ok(Settings {
            environment,
            addr,
            database_url: SecretString::from(database_url),
            public_url,
            secret,
            email,
            sms,
            letters,
            phone,
            verification_retention,
            trusted_proxy_hops,
            schedule_interval,
            reminders_per_tick,
            ballot_writers,
            session_ttl: chrono::Duration::days(14),
            signing_key,
            warnings,
        })
    }
}

/// Secrets that were ever published with the code (the development
/// default, the compose file's old placeholder): never good in production.
const PUBLISHED_SECRETS: [&[u8]; 2] = [
    DEVELOPMENT_SECRET,
    b"change-me-to-a-long-random-secret-of-your-own",
];

/// Whether `s` is a published value, or a placeholder asking to be changed.
fn is_published_secret(s: &str) -> bool {
    PUBLISHED_SECRETS.contains(&s.as_bytes()) || s.to_ascii_lowercase().contains("change-me")
}

/// The least estimated entropy a secret must carry, in bits: 32 random
/// hexadecimal characters carry about 110 by this estimate.
const MIN_SECRET_BITS: f64 = 100.0;

/// Refuses a secret that is short or plainly not random (`aaaa…`,
/// `passwordpassword…`). The estimate is the Shannon entropy of the
/// secret's own characters times its length: generous to real random
/// strings, and low for repetition.
fn check_secret(s: &str) -> anyhow::Result<()> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 32 {
        bail!("FAIRSHARE_SECRET must be at least 32 characters");
    }
    let mut counts = std::collections::HashMap::new();
    for c in &chars {
        *counts.entry(*c).or_insert(0usize) += 1;
    }
    let n = chars.len() as f64;
    let per_char: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum();
    if per_char * n < MIN_SECRET_BITS {
        bail!("FAIRSHARE_SECRET is not random enough: use a long random value, for example the output of `openssl rand -base64 48`");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    /// A signing key for tests that are about something else.
    const SIGNING_KEY: &str = "B0Jc8mQ2rWf7XyZ1aS4dF6gH8jK0lP3oI5uY7tR9eWs=";

    fn settings(vars: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let mut map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.entry("FAIRSHARE_SIGNING_KEY".into())
            .or_insert_with(|| SIGNING_KEY.into());
        map.retain(|_, v| !v.is_empty());
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn the_council_signing_key_is_required_in_production_and_parsed() {
        let secret = "k7Qp2vX9mZ4rT8wL1nB6yH3jF5dS0gCeA2uV7iO9".to_string();
        let production = [
            ("FAIRSHARE_ENV", "production"),
            ("DATABASE_URL", "postgres://u@h/db"),
            ("FAIRSHARE_SECRET", secret.as_str()),
            ("SMTP_HOST", "smtp.example.org"),
            ("SMS_GATEWAY_URL", "https://sms.example.org"),
            ("FAIRSHARE_SIGNING_KEY", ""),
        ];
        let err = settings(&production).unwrap_err().to_string();
        assert!(err.contains("FAIRSHARE_SIGNING_KEY is required"), "{err}");
        let err = settings(&[("FAIRSHARE_SIGNING_KEY", "not a key")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("FAIRSHARE_SIGNING_KEY"), "{err}");
        let configured = settings(&[]).unwrap().signing_key;
        let a = settings(&[("FAIRSHARE_SIGNING_KEY", "")])
            .unwrap()
            .signing_key;
        let b = settings(&[("FAIRSHARE_SIGNING_KEY", "")])
            .unwrap()
            .signing_key;
        assert_eq!(
            a.public_hex(),
            b.public_hex(),
            "development derives one from the secret"
        );
        assert_ne!(a.public_hex(), configured.public_hex());
        let c = settings(&[("FAIRSHARE_SIGNING_KEY", &hex::encode([5u8; 32]))]).unwrap();
        assert_eq!(
            c.signing_key.public_hex(),
            CouncilKey::from_seed([5; 32]).public_hex()
        );
    }

    #[test]
    fn defaults_run_on_a_laptop() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.environment, Environment::Development);
        assert_eq!(s.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database_url.expose_secret(), DEFAULT_DATABASE_URL);
        assert!(matches!(s.email, EmailSettings::Folder { .. }));
        assert!(matches!(s.sms, SmsSettings::Folder { .. }));
        assert_eq!(s.verification_retention, chrono::Duration::days(90));
    }

    #[test]
    fn production_refuses_to_start_without_an_sms_gateway() {
        let secret = "k7Qp2vX9mZ4rT8wL1nB6yH3jF5dS0gCeA2uV7iO9".to_string();
        let base = [
            ("FAIRSHARE_ENV", "production"),
            ("DATABASE_URL", "postgres://app@db/fairshare"),
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
        let err = settings(&[
            ("FAIRSHARE_ENV", "production"),
            ("DATABASE_URL", "postgres://app@db/fairshare"),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("FAIRSHARE_SECRET"));
        let secret = "k7Qp2vX9mZ4rT8wL1nB6yH3jF5dS0gCeA2uV7iO9".to_string();
        let err = settings(&[
            ("FAIRSHARE_ENV", "production"),
            ("DATABASE_URL", "postgres://app@db/fairshare"),
            ("FAIRSHARE_SECRET", &secret),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("SMTP_HOST"), "{err}");
        let ok = settings(&[
            ("FAIRSHARE_ENV", "production"),
            ("DATABASE_URL", "postgres://app@db/fairshare"),
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
    fn secrets_must_look_random_and_stay_out_of_debug() {
        for weak in ["x".repeat(40), "ab".repeat(20), "short".to_string()] {
            assert!(
                settings(&[("FAIRSHARE_SECRET", &weak)]).is_err(),
                "{weak} should be refused"
            );
        }
        let ok = settings(&[
            ("FAIRSHARE_SECRET", "9f86d081884c7d659a2feaa0c55ad015"),
            ("DATABASE_URL", "postgres://app:hunter2-db@db/fairshare"),
            ("SMTP_HOST", "smtp.example.org"),
            ("SMTP_PASSWORD", "hunter2-smtp"),
        ])
        .unwrap();
        let shown = format!("{ok:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        // Production on SQLite needs saying so, and then warns once logging
        // has started.
        let prod = [
            ("FAIRSHARE_ENV", "production"),
            (
                "FAIRSHARE_SECRET",
                "k7Qp2vX9mZ4rT8wL1nB6yH3jF5dS0gCeA2uV7iO9",
            ),
            ("SMTP_HOST", "smtp.example.org"),
            ("SMS_GATEWAY_URL", "https://sms.example.org"),
            ("SMS_ACCOUNT_SID", "AC123"),
            ("SMS_AUTH_TOKEN", "token"),
            ("SMS_FROM", "Fairshare"),
        ];
        assert!(settings(&prod)
            .unwrap_err()
            .to_string()
            .contains("FAIRSHARE_ALLOW_SQLITE"));
        let mut allowed = prod.to_vec();
        allowed.push(("FAIRSHARE_ALLOW_SQLITE", "true"));
        assert_eq!(settings(&allowed).unwrap().warnings.len(), 1);
        let hops = settings(&[("FAIRSHARE_TRUSTED_PROXY_HOPS", "2")]).unwrap();
        assert_eq!(hops.trusted_proxy_hops, 2);
        assert_eq!(
            settings(&[("FAIRSHARE_TRUST_FORWARDED_FOR", "true")])
                .unwrap()
                .trusted_proxy_hops,
            1
        );
    }

    #[test]
    fn the_phone_token_defaults_to_the_sms_token() {
        let s = settings(&[("SMS_AUTH_TOKEN", "shared-gateway-token")]).unwrap();
        assert!(
            matches!(s.sms, SmsSettings::Folder { .. }),
            "no gateway set"
        );
        assert_eq!(
            s.phone.auth_token.as_ref().map(|t| t.expose_secret()),
            Some("shared-gateway-token")
        );
        let own = settings(&[
            ("SMS_AUTH_TOKEN", "shared-gateway-token"),
            ("PHONE_AUTH_TOKEN", "phone-token"),
        ])
        .unwrap();
        assert_eq!(
            own.phone.auth_token.as_ref().map(|t| t.expose_secret()),
            Some("phone-token")
        );
        assert!(settings(&[]).unwrap().phone.auth_token.is_none());
    }

    #[test]
    fn production_refuses_a_published_secret() {
        let prod = |secret: &str| {
            settings(&[
                ("FAIRSHARE_ENV", "production"),
                ("DATABASE_URL", "postgres://app@db/fairshare"),
                ("FAIRSHARE_SECRET", secret),
                ("SMTP_HOST", "smtp.example.org"),
                ("SMS_GATEWAY_URL", "https://sms.example.org"),
                ("SMS_ACCOUNT_SID", "AC123"),
                ("SMS_AUTH_TOKEN", "token"),
                ("SMS_FROM", "Fairshare"),
            ])
        };
        let development = std::str::from_utf8(DEVELOPMENT_SECRET).unwrap();
        for published in [
            development,
            "change-me-to-a-long-random-secret-of-your-own",
            "CHANGE-ME-k7Qp2vX9mZ4rT8wL1nB6yH3jF5dS0gCeA2uV7iO9",
        ] {
            let err = prod(published).unwrap_err().to_string();
            assert!(
                err.contains("development or example value"),
                "{published}: {err}"
            );
        }
        assert!(prod("k7Qp2vX9mZ4rT8wL1nB6yH3jF5dS0gCeA2uV7iO9").is_ok());
        // In development the development value is the default.
        assert!(settings(&[("FAIRSHARE_SECRET", development)]).is_ok());
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

    #[test]
    fn gov_uk_notify_sends_email_and_texts_when_given_a_key_and_templates() {
        let key =
            "council-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
        let template = "217a419e-6a7d-482a-9596-718b889dffce";
        let s = settings(&[
            ("NOTIFY_API_KEY", key),
            ("NOTIFY_EMAIL_TEMPLATE_ID", template),
            ("NOTIFY_SMS_TEMPLATE_ID", template),
        ])
        .unwrap();
        assert!(
            matches!(s.email, EmailSettings::Notify { ref url, .. } if url == "https://api.notifications.service.gov.uk")
        );
        assert!(matches!(s.sms, SmsSettings::Notify { .. }));
        // Email only: texts stay as they were.
        let s = settings(&[
            ("NOTIFY_API_KEY", key),
            ("NOTIFY_EMAIL_TEMPLATE_ID", template),
        ])
        .unwrap();
        assert!(matches!(s.email, EmailSettings::Notify { .. }));
        assert!(matches!(s.sms, SmsSettings::Folder { .. }));
        for (vars, says) in [
            (
                vec![("NOTIFY_EMAIL_TEMPLATE_ID", template)],
                "NOTIFY_API_KEY is not",
            ),
            (
                vec![
                    ("NOTIFY_API_KEY", "not-a-key"),
                    ("NOTIFY_EMAIL_TEMPLATE_ID", template),
                ],
                "not a GOV.UK Notify API key",
            ),
            (
                vec![
                    ("NOTIFY_API_KEY", key),
                    ("NOTIFY_SMS_TEMPLATE_ID", "template"),
                ],
                "a Notify template's id",
            ),
        ] {
            let err = settings(&vars).unwrap_err().to_string();
            assert!(err.contains(says), "{err}");
        }
    }
}
