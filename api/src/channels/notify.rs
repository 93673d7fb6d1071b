//! GOV.UK Notify, which UK public services use to send email, text
//! messages and letters: its REST API (`POST /v2/notifications/email`,
//! `/sms` and `/letter`),
//! each request carrying a JSON Web Token signed (HS256) with the API key's
//! secret, whose `iss` is the service's id and `iat` the time of the
//! request (Notify refuses one more than 30 seconds off).
//!
//! Messages are written here, in English or Welsh, as for SMTP; in Notify
//! the council makes one email template whose subject is `((subject))` and
//! whose body is `((body))`, and one text-message template whose body is
//! `((body))` (see the README). Addresses, numbers and Notify's answers
//! (which may quote them) are never logged.
use anyhow::{bail, Context};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// A Notify API key, read into the two parts a token needs.
#[derive(Clone)]
pub struct NotifyKey {
    service_id: String,
    secret: SecretString,
}

impl NotifyKey {
    /// A key as Notify gives it: `{key name}-{service id}-{secret}`, the two
    /// last parts UUIDs (the name may hold hyphens itself).
    pub fn parse(key: &str) -> anyhow::Result<Self> {
        let key = key.trim();
        if key.len() < 74 || !key.is_char_boundary(key.len() - 73) {
            bail!("NOTIFY_API_KEY is not a GOV.UK Notify API key (name, service id, secret)");
        }
        let service_id = &key[key.len() - 73..key.len() - 37];
        let secret = &key[key.len() - 36..];
        if uuid::Uuid::parse_str(service_id).is_err() || uuid::Uuid::parse_str(secret).is_err() {
            bail!("NOTIFY_API_KEY is not a GOV.UK Notify API key (name, service id, secret)");
        }
        Ok(NotifyKey {
            service_id: service_id.to_owned(),
            secret: SecretString::from(secret.to_owned()),
        })
    }

    /// The token for a request made now.
    fn token(&self) -> anyhow::Result<String> {
        #[derive(serde::Serialize)]
        struct Claims<'a> {
            iss: &'a str,
            iat: i64,
        }
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &Claims {
                iss: &self.service_id,
                iat: chrono::Utc::now().timestamp(),
            },
            &jsonwebtoken::EncodingKey::from_secret(self.secret.expose_secret().as_bytes()),
        )
        .context("signing a GOV.UK Notify token")
    }
}

/// A client of one Notify service.
#[derive(Clone)]
pub struct Notify {
    client: reqwest::Client,
    base: String,
    key: NotifyKey,
}

impl Notify {
    pub fn new(base: &str, key: NotifyKey) -> anyhow::Result<Self> {
        Ok(Notify {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .connect_timeout(Duration::from_secs(10))
                .build()
                .context("setting up the GOV.UK Notify client")?,
            base: base.trim_end_matches('/').to_owned(),
            key,
        })
    }

    async fn post(&self, path: &str, body: serde_json::Value) -> anyhow::Result<()> {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(self.key.token()?)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .context("reaching GOV.UK Notify")?;
        let status = res.status();
        if !status.is_success() {
            // Notify's answer may quote the address or number: only the
            // status is told.
            bail!("GOV.UK Notify refused the message with HTTP {status}");
        }
        Ok(())
    }

    /// One email through the council's `((subject))`/`((body))` template.
    pub async fn email(
        &self,
        template_id: &str,
        to: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        self.post(
            "/v2/notifications/email",
            serde_json::json!({
                "email_address": to,
                "template_id": template_id,
                "personalisation": { "subject": subject, "body": body },
            }),
        )
        .await
    }

    /// One letter through the council's letter template, whose heading is
    /// `((subject))` and whose text is `((body))`; Notify prints the
    /// address from `address_line_1` to `address_line_7` (the postcode
    /// last).
    pub async fn letter(
        &self,
        template_id: &str,
        address: &[String],
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        let mut personalisation = serde_json::Map::new();
        for (i, line) in address.iter().take(7).enumerate() {
            personalisation.insert(format!("address_line_{}", i + 1), line.clone().into());
        }
        personalisation.insert("subject".into(), subject.into());
        personalisation.insert("body".into(), body.into());
        self.post(
            "/v2/notifications/letter",
            serde_json::json!({
                "template_id": template_id,
                "personalisation": personalisation,
            }),
        )
        .await
    }

    /// One precompiled letter: the PDF as it is, printed and posted.
    pub async fn precompiled_letter(
        &self,
        reference: &str,
        pdf: &[u8],
        postage: &str,
    ) -> anyhow::Result<()> {
        use base64::Engine;
        self.post(
            "/v2/notifications/letter",
            serde_json::json!({
                "reference": reference,
                "content": base64::engine::general_purpose::STANDARD.encode(pdf),
                "postage": postage,
            }),
        )
        .await
    }

    /// One text message through the council's `((body))` template.
    pub async fn sms(&self, template_id: &str, to: &str, body: &str) -> anyhow::Result<()> {
        self.post(
            "/v2/notifications/sms",
            serde_json::json!({
                "phone_number": to,
                "template_id": template_id,
                "personalisation": { "body": body },
            }),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_read_from_its_end() {
        let key = NotifyKey::parse(
            "my-key-name-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0",
        )
        .unwrap();
        assert_eq!(key.service_id, "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(
            key.secret.expose_secret(),
            "3d844edf-8d35-48ac-975b-e847b4f122b0"
        );
        for bad in [
            "",
            "short",
            "name-not-a-uuid-at-all-not-a-uuid-at-all-not-a-uuid-at-all-xxxxxxxxxxxxx",
        ] {
            assert!(NotifyKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_token_names_the_service_and_is_signed_with_the_secret() {
        let key = NotifyKey::parse(
            "k-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0",
        )
        .unwrap();
        let token = key.token().unwrap();
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        v.set_issuer(&["26785a09-ab16-4eb0-8407-a37497a57506"]);
        let data = jsonwebtoken::decode::<serde_json::Value>(
            &token,
            &jsonwebtoken::DecodingKey::from_secret(b"3d844edf-8d35-48ac-975b-e847b4f122b0"),
            &v,
        )
        .unwrap();
        let iat = data.claims["iat"].as_i64().unwrap();
        assert!((chrono::Utc::now().timestamp() - iat).abs() <= 2);
        assert!(jsonwebtoken::decode::<serde_json::Value>(
            &token,
            &jsonwebtoken::DecodingKey::from_secret(b"another secret"),
            &v
        )
        .is_err());
    }
}
