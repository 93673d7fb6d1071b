//! Sending email: SMTP through lettre in production, a folder of `.eml`
//! files in development.
use crate::config::{EmailSettings, SmtpTls};
use crate::domain::EmailAddress;
use anyhow::Context;
use lettre::{
    message::{header::ContentType, Mailbox},
    transport::smtp::authentication::Credentials,
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use secrecy::ExposeSecret;
use std::{path::PathBuf, time::Duration};

use super::templates::Rendered;

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// GOV.UK Notify, through the council's `((subject))`/`((body))`
    /// template (Notify sends from the service's own address).
    Notify {
        notify: super::notify::Notify,
        template_id: String,
        from: Mailbox,
    },
    Folder {
        dir: PathBuf,
        from: Mailbox,
    },
}

/// An SMTP failure, described without the server's own words: replies such
/// as `550 5.1.1 <ann@example.org>: Recipient address rejected` quote the
/// address, which must not reach a log.
fn redacted(e: lettre::transport::smtp::Error) -> anyhow::Error {
    let kind = if e.is_permanent() {
        "a permanent refusal"
    } else if e.is_transient() {
        "a temporary refusal"
    } else if e.is_timeout() {
        "a time-out"
    } else if e.is_tls() {
        "a TLS failure"
    } else {
        "a connection or protocol failure"
    };
    match e.status() {
        Some(code) => {
            anyhow::anyhow!("sending email over SMTP failed: {kind} (SMTP status {code})")
        }
        None => anyhow::anyhow!("sending email over SMTP failed: {kind}"),
    }
}

impl Mailer {
    pub fn from_settings(settings: &EmailSettings) -> anyhow::Result<Self> {
        match settings {
            EmailSettings::Smtp {
                host,
                port,
                tls,
                username,
                password,
                from,
            } => {
                let builder = match tls {
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                        .context("setting up SMTP with STARTTLS")?,
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                        .context("setting up SMTP over TLS")?,
                };
                let mut builder = builder.port(*port).timeout(Some(Duration::from_secs(20)));
                if let (Some(u), Some(p)) = (username, password) {
                    builder = builder
                        .credentials(Credentials::new(u.clone(), p.expose_secret().to_owned()));
                }
                Ok(Mailer::Smtp {
                    transport: builder.build(),
                    from: from.parse().context("MAIL_FROM is not a valid mailbox")?,
                })
            }
            EmailSettings::Notify {
                url,
                key,
                template_id,
            } => Ok(Mailer::Notify {
                notify: super::notify::Notify::new(
                    url,
                    super::notify::NotifyKey::parse(key.expose_secret())?,
                )?,
                template_id: template_id.clone(),
                from: "Notify <no-reply@notifications.service.gov.uk>"
                    .parse()
                    .context("a mailbox")?,
            }),
            EmailSettings::Folder { dir, from } => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating the mail folder {}", dir.display()))?;
                Ok(Mailer::Folder {
                    dir: dir.clone(),
                    from: from.parse().context("MAIL_FROM is not a valid mailbox")?,
                })
            }
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. }
            | Mailer::Notify { from, .. }
            | Mailer::Folder { from, .. } => from,
        }
    }

    /// Sends one plain-text message. The address is never logged.
    pub async fn send(&self, to: &EmailAddress, message: Rendered) -> anyhow::Result<()> {
        if let Mailer::Notify {
            notify,
            template_id,
            ..
        } = self
        {
            notify
                .email(template_id, to.as_str(), &message.subject, &message.body)
                .await?;
            tracing::info!("email handed to GOV.UK Notify");
            return Ok(());
        }
        let email = Message::builder()
            .from(self.from().clone())
            .to(to.as_str().parse().context("recipient address")?)
            .subject(message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body)
            .context("building the email")?;
        match self {
            Mailer::Smtp { transport, .. } => {
                // A failure that is not a refusal (a pooled connection the
                // server has since closed, a reset) gets one more try on a
                // fresh connection; a refusal does not.
                let sent = match transport.send(email.clone()).await {
                    Err(e) if !e.is_permanent() => {
                        tracing::warn!(error = %redacted(e), "sending email; trying once more");
                        transport.send(email).await
                    }
                    other => other,
                };
                sent.map_err(redacted)?;
                tracing::info!("email handed to the SMTP server");
            }
            // Sent above.
            Mailer::Notify { .. } => {}
            Mailer::Folder { dir, .. } => {
                let path = dir.join(format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f"),
                    uuid::Uuid::new_v4()
                ));
                tokio::fs::write(&path, email.formatted())
                    .await
                    .with_context(|| format!("writing email to {}", path.display()))?;
                tracing::info!(email.path = %path.display(), "email written to the development mail folder");
            }
        }
        Ok(())
    }
}
