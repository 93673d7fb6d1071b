//! Sending text messages: a Twilio-compatible HTTP gateway in production, a
//! folder of `.txt` files in development. Phone numbers and message bodies
//! are never logged.
use crate::config::SmsSettings;
use crate::domain::PhoneNumber;
use anyhow::{bail, Context};
use secrecy::{ExposeSecret, SecretString};
use std::{path::PathBuf, time::Duration};

#[derive(Clone)]
pub enum SmsSender {
    /// `POST {base}/2010-04-01/Accounts/{sid}/Messages.json` with HTTP basic
    /// auth (account SID and auth token) and a form body `To`, `From`,
    /// `Body`, as Twilio and compatible gateways take it.
    Gateway {
        client: reqwest::Client,
        messages_url: String,
        account_sid: String,
        auth_token: SecretString,
        from: String,
    },
    /// GOV.UK Notify, through the council's `((body))` template.
    Notify {
        notify: super::notify::Notify,
        template_id: String,
    },
    /// Development only: each message is written to a folder.
    Folder { dir: PathBuf },
}

impl SmsSender {
    pub fn from_settings(settings: &SmsSettings) -> anyhow::Result<Self> {
        match settings {
            SmsSettings::Gateway {
                url,
                account_sid,
                auth_token,
                from,
            } => {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(20))
                    .connect_timeout(Duration::from_secs(10))
                    .build()
                    .context("setting up the SMS gateway client")?;
                Ok(SmsSender::Gateway {
                    client,
                    messages_url: format!(
                        "{}/2010-04-01/Accounts/{account_sid}/Messages.json",
                        url.trim_end_matches('/')
                    ),
                    account_sid: account_sid.clone(),
                    auth_token: auth_token.clone(),
                    from: from.clone(),
                })
            }
            SmsSettings::Notify {
                url,
                key,
                template_id,
            } => Ok(SmsSender::Notify {
                notify: super::notify::Notify::new(
                    url,
                    super::notify::NotifyKey::parse(key.expose_secret())?,
                )?,
                template_id: template_id.clone(),
            }),
            SmsSettings::Folder { dir } => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating the SMS folder {}", dir.display()))?;
                Ok(SmsSender::Folder { dir: dir.clone() })
            }
        }
    }

    /// Sends one text message.
    pub async fn send(&self, to: &PhoneNumber, body: &str) -> anyhow::Result<()> {
        match self {
            SmsSender::Gateway {
                client,
                messages_url,
                account_sid,
                auth_token,
                from,
            } => {
                let res = client
                    .post(messages_url)
                    .basic_auth(account_sid, Some(auth_token.expose_secret()))
                    .form(&[("To", to.e164()), ("From", from.as_str()), ("Body", body)])
                    .send()
                    .await
                    .context("reaching the SMS gateway")?;
                let status = res.status();
                if !status.is_success() {
                    // The gateway's answer may quote the number: log only
                    // the status.
                    bail!("the SMS gateway refused the message with HTTP {status}");
                }
                tracing::info!(
                    sms.status = status.as_u16(),
                    "text message handed to the gateway"
                );
            }
            SmsSender::Notify {
                notify,
                template_id,
            } => {
                notify.sms(template_id, to.e164(), body).await?;
                tracing::info!("text message handed to GOV.UK Notify");
            }
            SmsSender::Folder { dir } => {
                let path = dir.join(format!(
                    "{}-{}.txt",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f"),
                    uuid::Uuid::new_v4()
                ));
                tokio::fs::write(&path, format!("To: {}\n\n{body}\n", to.e164()))
                    .await
                    .with_context(|| format!("writing a text message to {}", path.display()))?;
                tracing::info!(sms.path = %path.display(), "text message written to the development folder");
            }
        }
        Ok(())
    }
}
