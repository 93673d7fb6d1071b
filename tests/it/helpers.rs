//! `TestApp`: the real server on a free port, over its own fresh database
//! (SQLite by default; PostgreSQL when `FAIRSHARE_TEST_DATABASE_URL` is set),
//! sending email to a real SMTP server on loopback.
use api::{config::Settings, startup::Application, state::AppState};
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    net::TcpListener as StdListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub smtp: SmtpServer,
    pub sms: SmsGateway,
    _db: TestDatabase,
    _dir: tempfile::TempDir,
}

/// Runs the same request from a given client address (the server trusts
/// `X-Forwarded-For` in tests, as it does behind a load balancer).
pub const DEFAULT_CLIENT_IP: &str = "198.51.100.7";

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    pub async fn spawn_with(extra: &[(&str, &str)]) -> TestApp {
        // TEST_LOG=1 shows the server's logs (with --nocapture).
        if std::env::var_os("TEST_LOG").is_some() {
            api::telemetry::init(api::config::Environment::Development);
        }
        let dir = tempfile::tempdir().expect("temporary folder");
        let db = TestDatabase::create(dir.path()).await;
        let smtp = SmtpServer::start(dir.path());
        let sms = SmsGateway::start().await;
        let mut vars: HashMap<String, String> = HashMap::from([
            ("FAIRSHARE_ADDR".into(), "127.0.0.1:0".into()),
            ("DATABASE_URL".into(), db.url.clone()),
            (
                "FAIRSHARE_SECRET".into(),
                format!("test-secret-{}", uuid::Uuid::new_v4()),
            ),
            ("SMTP_HOST".into(), "127.0.0.1".into()),
            ("SMTP_PORT".into(), smtp.port.to_string()),
            ("SMTP_TLS".into(), "none".into()),
            (
                "MAIL_FROM".into(),
                "Fairshare <no-reply@fairshare.test>".into(),
            ),
            ("FAIRSHARE_TRUST_FORWARDED_FOR".into(), "true".into()),
            ("SMS_GATEWAY_URL".into(), sms.base.clone()),
            ("SMS_ACCOUNT_SID".into(), SMS_ACCOUNT_SID.into()),
            ("SMS_AUTH_TOKEN".into(), SMS_AUTH_TOKEN.into()),
            ("SMS_FROM".into(), SMS_FROM.into()),
            (
                "FAIRSHARE_LETTER_DIR".into(),
                dir.path().join("letters").display().to_string(),
            ),
        ]);
        for (k, v) in extra {
            vars.insert(k.to_string(), v.to_string());
        }
        let settings = Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings");
        let app = Application::build(settings)
            .await
            .expect("the application builds");
        let addr = app.local_addr().expect("bound address");
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("http client"),
            state,
            smtp,
            sms,
            _db: db,
            _dir: dir,
        }
    }

    /// Starts a second instance of the server on the same database, as a
    /// load balancer would run it beside this one; its base address.
    pub async fn spawn_beside(&self) -> String {
        let app = Application::build(self.state.settings.clone())
            .await
            .expect("a second instance builds");
        let addr = app.local_addr().expect("bound address");
        tokio::spawn(app.run_until_stopped());
        format!("http://{addr}")
    }

    /// The SQLite database file, when the test runs on SQLite.
    pub fn database_path(&self) -> Option<PathBuf> {
        self._db
            .url
            .strip_prefix("sqlite://")
            .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p)))
    }

    /// Sends a GraphQL request and returns the whole JSON response.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.gql_from(DEFAULT_CLIENT_IP, token, query, variables)
            .await
    }

    pub async fn gql_from(
        &self,
        ip: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        self.gql_at(&self.base, ip, token, query, variables).await
    }

    /// The same, sent to the instance at `base` (one `spawn_beside` started).
    pub async fn gql_at(
        &self,
        base: &str,
        ip: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut req = self
            .client
            .post(format!("{base}/graphql"))
            .header("x-forwarded-for", ip)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("request reaches the server");
        assert_eq!(res.status().as_u16(), 200, "GraphQL answers 200");
        res.json().await.expect("a JSON response")
    }

    /// Runs a query that must succeed, returning `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let res = self.gql(token, query, variables).await;
        assert!(res.get("errors").is_none(), "unexpected errors: {res:#}");
        res["data"].clone()
    }

    /// Runs a query that must be refused, returning the error's code.
    pub async fn refused(&self, token: Option<&str>, query: &str, variables: Value) -> String {
        let res = self.gql(token, query, variables).await;
        error_code(&res)
    }

    pub async fn request_code(&self, email: &str) -> Value {
        self.gql(
            None,
            "mutation($e: String!) { requestSignInCode(email: $e) { sent message } }",
            json!({ "e": email }),
        )
        .await
    }

    /// Signs in through the real journey: ask for a code, read it from the
    /// email the SMTP server received, send it back.
    pub async fn sign_in(&self, email: &str) -> String {
        self.sign_in_from(email, DEFAULT_CLIENT_IP).await
    }

    /// Signs in from a given client address (each client may ask for 30
    /// codes an hour).
    pub async fn sign_in_from(&self, email: &str, ip: &str) -> String {
        let before = self.smtp.count_to(email);
        let res = self
            .gql_from(
                ip,
                None,
                "mutation($e: String!) { requestSignInCode(email: $e) { sent message } }",
                json!({ "e": email }),
            )
            .await;
        assert!(res.get("errors").is_none(), "code request failed: {res:#}");
        let code = self.smtp.wait_for_code(email, before + 1).await;
        let data = self
            .ok(
                None,
                "mutation($e: String!, $c: String!) { signIn(email: $e, code: $c) { token } }",
                json!({ "e": email, "c": code }),
            )
            .await;
        data["signIn"]["token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    /// An account holding `role`, signed in.
    pub async fn signed_in_as(&self, email: &str, role: api::domain::Role) -> String {
        let address = api::service::parse_email(email).expect("a valid email address");
        api::service::accounts::grant_role(
            &self.state.db,
            &self.state.secret,
            None,
            &address,
            role,
        )
        .await
        .expect("granting a role");
        self.sign_in(email).await
    }

    pub async fn officer(&self) -> String {
        self.signed_in_as("officer@council.test", api::domain::Role::Officer)
            .await
    }
}

pub fn error_code(res: &Value) -> String {
    res["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error with a code, got {res:#}"))
        .to_owned()
}

/// A fresh database for one test, dropped afterwards.
struct TestDatabase {
    url: String,
    /// (server URL, database name) when on PostgreSQL.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    async fn create(dir: &Path) -> TestDatabase {
        let (url, postgres) = api::db::scratch(dir, "fairshare_test")
            .await
            .expect("a fresh test database");
        TestDatabase { url, postgres }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((server, name)) = self.postgres.take() {
            // Drop runs outside async code: use a runtime of our own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(api::db::drop_scratch(&server, &name)).ok()
            })
            .join();
        }
    }
}

/// A real SMTP server (Python's aiosmtpd) on a free loopback port, storing
/// every message it receives in a Maildir.
pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    child: Child,
}

fn python() -> PathBuf {
    if let Ok(p) = std::env::var("FAIRSHARE_TEST_PYTHON") {
        return p.into();
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    if venv.exists() {
        venv
    } else {
        "python3".into()
    }
}

impl SmtpServer {
    fn start(dir: &Path) -> SmtpServer {
        let port = StdListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let maildir = dir.join("maildir");
        let child = Command::new(python())
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting aiosmtpd (run ./scripts/test, which installs it)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start: is it installed? (./scripts/test installs it)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer {
            port,
            maildir,
            child,
        }
    }

    /// Every message received so far, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let mut out: Vec<(std::time::SystemTime, String)> = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) {
                for e in entries.flatten() {
                    let modified = e
                        .metadata()
                        .and_then(|m| m.modified())
                        .unwrap_or(std::time::UNIX_EPOCH);
                    if let Ok(text) = std::fs::read_to_string(e.path()) {
                        out.push((modified, text));
                    }
                }
            }
        }
        out.sort_by_key(|(t, _)| *t);
        out.into_iter().map(|(_, t)| t).collect()
    }

    pub fn messages_to(&self, email: &str) -> Vec<String> {
        let needle = format!("To: {email}");
        self.messages()
            .into_iter()
            .filter(|m| {
                m.lines()
                    .any(|l| l.trim_end().eq_ignore_ascii_case(&needle))
            })
            .collect()
    }

    pub fn count_to(&self, email: &str) -> usize {
        self.messages_to(email).len()
    }

    /// Waits until `count` messages to `email` have arrived, and returns the
    /// code in the newest.
    pub async fn wait_for_code(&self, email: &str, count: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let msgs = self.messages_to(email);
            if msgs.len() >= count {
                let newest = msgs.last().expect("at least one message");
                return code_in(newest).unwrap_or_else(|| panic!("no code in message:\n{newest}"));
            }
            assert!(Instant::now() < deadline, "no email reached {email}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl SmtpServer {
    /// Waits for a message to `email` whose subject says `needle`, and
    /// returns its body, decoded.
    pub async fn wait_for_subject(&self, email: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some((_, body)) = self
                .messages_to(email)
                .iter()
                .map(|m| decoded(m))
                .find(|(subject, _)| subject.contains(needle))
            {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "no email to {email} says \"{needle}\""
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The six-digit code in an email's subject.
pub fn code_in(message: &str) -> Option<String> {
    let subject = message
        .lines()
        .find(|l| l.starts_with("Subject:"))?
        .trim_end();
    let digits: String = subject.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 6).then_some(digits)
}

pub const SMS_ACCOUNT_SID: &str = "AC0123456789abcdef";
pub const SMS_AUTH_TOKEN: &str = "test-auth-token";
pub const SMS_FROM: &str = "Fairshare";

/// One request the SMS gateway received.
#[derive(Clone, Debug)]
pub struct GatewayRequest {
    pub path: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub form: HashMap<String, String>,
}

/// A real HTTP server on loopback standing in for a Twilio-compatible SMS
/// gateway: it records every request and answers as the gateway does (or
/// with an error, when told to fail).
pub struct SmsGateway {
    pub base: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<GatewayRequest>>>,
    failing: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl SmsGateway {
    async fn start() -> SmsGateway {
        use axum::{
            extract::{Form, Path, State},
            http::{HeaderMap, StatusCode},
            routing::post,
            Router,
        };
        use std::sync::{atomic::AtomicBool, Arc, Mutex};
        type Shared = (Arc<Mutex<Vec<GatewayRequest>>>, Arc<AtomicBool>);
        async fn messages(
            State((received, failing)): State<Shared>,
            Path(sid): Path<String>,
            headers: HeaderMap,
            Form(form): Form<HashMap<String, String>>,
        ) -> (StatusCode, String) {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            received.lock().expect("gateway log").push(GatewayRequest {
                path: format!("/2010-04-01/Accounts/{sid}/Messages.json"),
                authorization: header("authorization"),
                content_type: header("content-type"),
                form,
            });
            if failing.load(std::sync::atomic::Ordering::SeqCst) {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    r#"{"code":20503,"message":"Service unavailable"}"#.into(),
                );
            }
            (
                StatusCode::CREATED,
                r#"{"sid":"SM0123","status":"queued"}"#.into(),
            )
        }
        let received = Arc::new(Mutex::new(Vec::new()));
        let failing = Arc::new(AtomicBool::new(false));
        let router = Router::new()
            .route("/2010-04-01/Accounts/{sid}/Messages.json", post(messages))
            .with_state((received.clone(), failing.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for the SMS gateway");
        let addr = listener.local_addr().expect("gateway address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        SmsGateway {
            base: format!("http://{addr}"),
            received,
            failing,
        }
    }

    pub fn requests(&self) -> Vec<GatewayRequest> {
        self.received.lock().expect("gateway log").clone()
    }

    pub fn requests_to(&self, e164: &str) -> Vec<GatewayRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.form.get("To").map(String::as_str) == Some(e164))
            .collect()
    }

    pub fn fail(&self, failing: bool) {
        self.failing
            .store(failing, std::sync::atomic::Ordering::SeqCst);
    }

    /// The code in the newest message to `e164`, once `count` have arrived.
    pub fn code_to(&self, e164: &str, count: usize) -> String {
        let msgs = self.requests_to(e164);
        assert!(
            msgs.len() >= count,
            "expected {count} text messages to {e164}, got {}",
            msgs.len()
        );
        let body = msgs
            .last()
            .and_then(|m| m.form.get("Body"))
            .expect("a message body");
        sms_code_in(body).unwrap_or_else(|| panic!("no code in the text message: {body}"))
    }
}

/// The first run of six digits in a text message.
pub fn sms_code_in(body: &str) -> Option<String> {
    body.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .map(str::to_owned)
}

/// The text of an email's body, decoded from base64 or quoted-printable
/// (how a body with Welsh letters travels), and its subject decoded from
/// RFC 2047 words.
pub fn decoded(message: &str) -> (String, String) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let (head, body) = message
        .replace("\r\n", "\n")
        .split_once("\n\n")
        .map(|(h, b)| (h.to_owned(), b.to_owned()))
        .unwrap_or_default();
    // Headers may fold onto following lines.
    let head = head.replace("\n ", " ").replace("\n\t", " ");
    let header = |name: &str| {
        head.lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&format!("{name}:")))
            .map(|l| l[name.len() + 1..].trim().to_owned())
            .unwrap_or_default()
    };
    // Encoded words next to each other join without the space between them.
    let mut subject = String::new();
    let mut last_encoded = false;
    for word in header("subject").split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let encoded = lower.starts_with("=?utf-8?") && lower.ends_with("?=") && word.len() > 12;
        let text = if lower.starts_with("=?utf-8?b?") && encoded {
            String::from_utf8(b64.decode(&word[10..word.len() - 2]).unwrap_or_default())
                .unwrap_or_default()
        } else if lower.starts_with("=?utf-8?q?") && encoded {
            quoted_printable(&word[10..word.len() - 2].replace('_', " "))
        } else {
            word.to_owned()
        };
        let joined = encoded && last_encoded;
        if !subject.is_empty() && !joined {
            subject.push(' ');
        }
        subject.push_str(&text);
        last_encoded = encoded;
    }
    let body = match header("content-transfer-encoding")
        .to_ascii_lowercase()
        .as_str()
    {
        "base64" => String::from_utf8(b64.decode(body.replace('\n', "")).unwrap_or_default())
            .unwrap_or_default(),
        "quoted-printable" => quoted_printable(&body),
        _ => body,
    };
    (subject, body)
}

fn quoted_printable(text: &str) -> String {
    let text = text.replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A request the local GOV.UK Notify server accepted.
#[derive(Clone, Debug)]
pub struct NotifyRequest {
    pub path: String,
    pub body: serde_json::Value,
}

/// A real HTTP server on loopback implementing the part of GOV.UK Notify's
/// API the platform uses (`POST /v2/notifications/email` and `/sms`). It
/// checks each request's token as Notify does: HS256 with the API key's
/// secret, `iss` the service id, `iat` within 30 seconds of now; it
/// records what it accepts and answers 403, as Notify does, otherwise.
pub struct NotifyServer {
    pub base: String,
    pub service_id: String,
    pub secret: String,
    accepted: std::sync::Arc<std::sync::Mutex<Vec<NotifyRequest>>>,
    refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl NotifyServer {
    pub async fn start() -> NotifyServer {
        use axum::{
            body::Bytes,
            extract::State,
            http::{HeaderMap, StatusCode, Uri},
            routing::post,
            Router,
        };
        use std::sync::{atomic::AtomicUsize, Arc, Mutex};
        #[derive(Clone)]
        struct Shared {
            service_id: String,
            secret: String,
            accepted: Arc<Mutex<Vec<NotifyRequest>>>,
            refused: Arc<AtomicUsize>,
        }
        async fn notification(
            State(s): State<Shared>,
            uri: Uri,
            headers: HeaderMap,
            body: Bytes,
        ) -> (StatusCode, String) {
            let token = headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            let mut rules = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
            rules.required_spec_claims.clear();
            rules.validate_exp = false;
            rules.set_issuer(&[&s.service_id]);
            let valid = jsonwebtoken::decode::<serde_json::Value>(
                token,
                &jsonwebtoken::DecodingKey::from_secret(s.secret.as_bytes()),
                &rules,
            )
            .ok()
            .and_then(|t| t.claims["iat"].as_i64())
            .is_some_and(|iat| (chrono::Utc::now().timestamp() - iat).abs() <= 30);
            let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
            let ok_content = headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/json"));
            if !valid || !ok_content || json.is_none() {
                s.refused.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                return (
                    StatusCode::FORBIDDEN,
                    r#"{"status_code":403,"errors":[{"error":"AuthError","message":"Invalid token: signature, api token not found"}]}"#.into(),
                );
            }
            s.accepted.lock().expect("notify log").push(NotifyRequest {
                path: uri.path().to_owned(),
                body: json.unwrap_or_default(),
            });
            (
                StatusCode::CREATED,
                format!(r#"{{"id":"{}","reference":null}}"#, uuid::Uuid::new_v4()),
            )
        }
        let shared = Shared {
            service_id: uuid::Uuid::new_v4().to_string(),
            secret: uuid::Uuid::new_v4().to_string(),
            accepted: Arc::new(Mutex::new(Vec::new())),
            refused: Arc::new(AtomicUsize::new(0)),
        };
        let router = Router::new()
            .route("/v2/notifications/email", post(notification))
            .route("/v2/notifications/sms", post(notification))
            .route("/v2/notifications/letter", post(notification))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for Notify");
        let addr = listener.local_addr().expect("Notify's address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        NotifyServer {
            base: format!("http://{addr}"),
            service_id: shared.service_id,
            secret: shared.secret,
            accepted: shared.accepted,
            refused: shared.refused,
        }
    }

    /// An API key for this service, as Notify gives it.
    pub fn api_key(&self) -> String {
        format!("fairshare-test-{}-{}", self.service_id, self.secret)
    }

    pub fn accepted(&self) -> Vec<NotifyRequest> {
        self.accepted.lock().expect("notify log").clone()
    }

    pub fn refused(&self) -> usize {
        self.refused.load(std::sync::atomic::Ordering::SeqCst)
    }
}
