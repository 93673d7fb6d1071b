//! Letters by post: a reminder written in the council's letter template,
//! or a finished PDF (a voting-code letter), through GOV.UK Notify, which
//! prints and posts them. In development each letter is written to a
//! folder instead. Without Notify letters in production, no letter is
//! offered. Addresses are never logged.
use crate::config::LetterSettings;
use crate::domain::PostalAddress;
use anyhow::Context;
use secrecy::ExposeSecret;
use std::path::PathBuf;

#[derive(Clone)]
pub enum LetterSender {
    Notify {
        notify: super::notify::Notify,
        template_id: String,
        postage: String,
    },
    Folder {
        dir: PathBuf,
    },
    Off,
}

impl LetterSender {
    pub fn from_settings(settings: &LetterSettings) -> anyhow::Result<Self> {
        match settings {
            LetterSettings::Notify {
                url,
                key,
                template_id,
                postage,
            } => Ok(LetterSender::Notify {
                notify: super::notify::Notify::new(
                    url,
                    super::notify::NotifyKey::parse(key.expose_secret())?,
                )?,
                template_id: template_id.clone(),
                postage: postage.clone(),
            }),
            LetterSettings::Folder { dir } => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating the letters folder {}", dir.display()))?;
                Ok(LetterSender::Folder { dir: dir.clone() })
            }
            LetterSettings::Off => Ok(LetterSender::Off),
        }
    }

    /// Whether letters can be sent at all.
    pub fn available(&self) -> bool {
        !matches!(self, LetterSender::Off)
    }

    /// One letter through the council's `((subject))`/`((body))` letter
    /// template, to `address`.
    pub async fn send(
        &self,
        address: &PostalAddress,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        match self {
            LetterSender::Notify {
                notify,
                template_id,
                ..
            } => {
                notify
                    .letter(template_id, &address.lines(), subject, body)
                    .await?;
                tracing::info!("letter handed to GOV.UK Notify");
                Ok(())
            }
            LetterSender::Folder { dir } => {
                let text = format!("{}\n\n{subject}\n\n{body}\n", address.as_text());
                write(dir, "txt", text.as_bytes()).await
            }
            LetterSender::Off => anyhow::bail!("this council does not send letters"),
        }
    }

    /// One finished letter (an A4 PDF whose first page has the address in
    /// Notify's address block), posted as it is. `reference` names the
    /// letter in Notify's records: never anything personal.
    pub async fn send_pdf(&self, reference: &str, pdf: &[u8]) -> anyhow::Result<()> {
        match self {
            LetterSender::Notify {
                notify, postage, ..
            } => {
                notify.precompiled_letter(reference, pdf, postage).await?;
                tracing::info!(reference, "letter handed to GOV.UK Notify");
                Ok(())
            }
            LetterSender::Folder { dir } => write(dir, "pdf", pdf).await,
            LetterSender::Off => anyhow::bail!("this council does not send letters"),
        }
    }
}

async fn write(dir: &std::path::Path, extension: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let name = format!(
        "{}-{}.{extension}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
        uuid::Uuid::new_v4().simple()
    );
    tokio::fs::write(dir.join(name), bytes)
        .await
        .context("writing a letter to the letters folder")
}
