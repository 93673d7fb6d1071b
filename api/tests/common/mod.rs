//! Running the real `fairshare` binary for tests and benchmarks: a fresh
//! database, a server process, and a round in voting with verified,
//! signed-in voters, set up through the API.
#![allow(dead_code)]
use serde_json::{json, Value};

use std::path::Path;
use std::process::{Child, Command, Stdio};

use std::time::{Duration, Instant};

pub const SECRET: &str = "processes-test-secret-k7Qp2vX9mZ4rT8wL1nB6yH3jF5dS0gC";
pub const OFFICER: &str = "officer@council.test";

/// A fresh database: a SQLite file in `dir`, or a new PostgreSQL database.
pub async fn database(dir: &Path) -> String {
    api::db::scratch(dir, "fairshare_proc")
        .await
        .expect("a fresh database")
        .0
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One `fairshare` process.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(db: &str, dir: &Path) -> Server {
        let port = free_port();
        // FAIRSHARE_BIN runs another build of the server (a benchmark's
        // "before").
        let bin = std::env::var("FAIRSHARE_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_fairshare").to_owned());
        let child = Command::new(bin)
            .arg("serve")
            .env("DATABASE_URL", db)
            .env("FAIRSHARE_ADDR", format!("127.0.0.1:{port}"))
            .env("FAIRSHARE_SECRET", SECRET)
            .env("FAIRSHARE_MAIL_DIR", dir.join("mail"))
            .env("FAIRSHARE_LETTER_DIR", dir.join("letters"))
            .env("FAIRSHARE_SMS_DIR", dir.join("sms"))
            .env("FAIRSHARE_LETTER_DIR", dir.join("letters"))
            .env("FAIRSHARE_TRUSTED_PROXY_HOPS", "1")
            .env("RUST_LOG", "info")
            .stderr(Stdio::null())
            // FAIRSHARE_TEST_SERVER_LOG=FILE keeps the servers' logs.
            .stdout(match std::env::var("FAIRSHARE_TEST_SERVER_LOG") {
                Ok(path) => std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map(Stdio::from)
                    .unwrap_or_else(|_| Stdio::null()),
                Err(_) => Stdio::null(),
            })
            .spawn()
            .expect("starting fairshare");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    pub async fn wait_ready(&self, http: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = http.get(format!("{}/health", self.base)).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown, no flush, as a crash or a pulled plug.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub async fn gql(
    http: &reqwest::Client,
    base: &str,
    ip: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Result<Value, reqwest::Error> {
    let mut req = http
        .post(format!("{base}/graphql"))
        .header("content-type", "application/json")
        .header("x-forwarded-for", ip)
        .body(json!({ "query": query, "variables": variables }).to_string());
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let text = req.send().await?.text().await?;
    Ok(serde_json::from_str(&text).unwrap_or_else(|_| json!({ "errors": [{ "message": text }] })))
}

pub async fn ok(
    http: &reqwest::Client,
    base: &str,
    ip: &str,
    token: Option<&str>,
    q: &str,
    v: Value,
) -> Value {
    let res = gql(http, base, ip, token, q, v)
        .await
        .expect("the server answers");
    assert!(res.get("errors").is_none(), "{res:#}");
    res["data"].clone()
}

/// Signs in with the code from the development mail folder.
pub async fn sign_in(
    http: &reqwest::Client,
    base: &str,
    dir: &Path,
    email: &str,
    ip: &str,
) -> String {
    ok(
        http,
        base,
        ip,
        None,
        "mutation($e: String!) { requestSignInCode(email: $e) { sent } }",
        json!({ "e": email }),
    )
    .await;
    let code = code_for(&dir.join("mail"), email);
    let data = ok(
        http,
        base,
        ip,
        None,
        "mutation($e: String!, $c: String!) { signIn(email: $e, code: $c) { token } }",
        json!({ "e": email, "c": code }),
    )
    .await;
    data["signIn"]["token"].as_str().unwrap().to_owned()
}

/// The code in the newest message to `email` in a mail folder.
pub fn code_for(dir: &Path, email: &str) -> String {
    let mut newest: Option<(std::time::SystemTime, String)> = None;
    for e in std::fs::read_dir(dir).expect("the mail folder").flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if !text
            .lines()
            .any(|l| l.trim().eq_ignore_ascii_case(&format!("To: {email}")))
        {
            continue;
        }
        let t = e.metadata().and_then(|m| m.modified()).unwrap();
        if newest.as_ref().is_none_or(|(n, _)| t >= *n) {
            newest = Some((t, text));
        }
    }
    let text = newest.expect("a message").1;
    let subject = text.lines().find(|l| l.starts_with("Subject:")).unwrap();
    subject.chars().filter(char::is_ascii_digit).collect()
}

pub struct Election {
    pub round: String,
    pub bids: Vec<String>,
    pub voters: Vec<String>,
    pub officer: String,
}

/// Closes the election's voting: the ballots leave the sealed store and
/// can be read, anonymous, from `ballots`.
pub async fn close(http: &reqwest::Client, base: &str, e: &Election) {
    ok(
        http,
        base,
        "192.0.2.1",
        Some(&e.officer),
        "mutation($id: ID!, $to: Phase!) { advanceRound(id: $id, to: $to) { phase } }",
        json!({ "id": e.round, "to": "CLOSED" }),
    )
    .await;
}

/// An officer, an area, a round in voting with four eligible bids, and
/// `n` verified residents signed in, set up through the API.
pub async fn election(
    http: &reqwest::Client,
    base: &str,
    dir: &Path,
    db: &str,
    n: usize,
) -> Election {
    let status = Command::new(env!("CARGO_BIN_EXE_fairshare"))
        .args(["create-admin", OFFICER])
        .env("DATABASE_URL", db)
        .env("FAIRSHARE_SECRET", SECRET)
        .env("FAIRSHARE_MAIL_DIR", dir.join("mail"))
        .env("FAIRSHARE_LETTER_DIR", dir.join("letters"))
        .stdout(Stdio::null())
        .status()
        .expect("fairshare create-admin");
    assert!(status.success());
    let officer = sign_in(http, base, dir, OFFICER, "192.0.2.1").await;
    let o = |q: &'static str, v: Value| {
        let officer = officer.clone();
        async move { ok(http, base, "192.0.2.1", Some(&officer), q, v).await }
    };
    let area = o(
        "mutation($i: CreateAreaInput!) { createArea(input: $i) { id } }",
        json!({ "i": { "name": "Hyde Park", "kind": "ward", "coverage": ["LS6 1"] } }),
    )
    .await["createArea"]["id"]
        .clone();
    let round = o(
        "mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }",
        json!({ "i": { "title": "Crash Fund", "pots": [{ "areaId": area, "amountPence": 1_000_000 }], "ballot": { "kind": "APPROVAL" }, "countingRule": { "name": "greedy" } } }),
    )
    .await["createRound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let advance = "mutation($id: ID!, $to: Phase!) { advanceRound(id: $id, to: $to) { phase } }";
    o(advance, json!({ "id": round, "to": "BIDS_OPEN" })).await;
    let chair = sign_in(http, base, dir, "chair@example.org", "192.0.2.2").await;
    let group = ok(
        http,
        base,
        "192.0.2.2",
        Some(&chair),
        "mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }",
        json!({ "i": { "name": "Friends", "description": "Volunteers.", "contactEmail": "f@example.org", "areaId": area } }),
    )
    .await["registerGroup"]["id"]
        .clone();
    let mut bids = Vec::new();
    for i in 0..4 {
        let bid = ok(
            http,
            base,
            "192.0.2.2",
            Some(&chair),
            "mutation($i: SubmitBidInput!) { submitBid(input: $i) { id } }",
            json!({ "i": { "roundId": round, "groupId": group, "areaId": area, "details": {
                "title": format!("Project number {i}"), "summary": "Something for the street.",
                "description": "A longer description of something for the street.",
                "costPence": 100_000, "category": "community" } } }),
        )
        .await["submitBid"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        bids.push(bid);
    }
    o(advance, json!({ "id": round, "to": "BID_REVIEW" })).await;
    for b in &bids {
        o(
            "mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { status } }",
            json!({ "id": b }),
        )
        .await;
    }
    let mut voters = Vec::new();
    for i in 0..n {
        let email = format!("voter{i}@example.org");
        o(
            "mutation($r: ID!, $i: InPersonVerificationInput!) { recordInPersonVerification(roundId: $r, input: $i) { id } }",
            json!({ "r": round, "i": { "person": { "name": format!("Voter Number{i}"), "dateOfBirth": format!("19{:02}-01-1{}", 40 + i % 50, i % 10), "postcode": "LS6 1AB" }, "evidence": "PHOTO_ID", "email": email } }),
        )
        .await;
        voters.push(
            sign_in(
                http,
                base,
                dir,
                &email,
                &format!("10.1.{}.{}", i / 256, i % 256),
            )
            .await,
        );
    }
    o(advance, json!({ "id": round, "to": "VOTING" })).await;
    Election {
        round,
        bids,
        voters,
        officer,
    }
}

pub const CAST: &str =
    "mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { code } retried } }";

pub fn cast_vars(e: &Election, bid: usize, key: &str) -> Value {
    json!({ "i": { "roundId": e.round, "choices": [{ "bidId": e.bids[bid % e.bids.len()] }], "idempotencyKey": key } })
}

/// What the database holds for the round, read straight from it: the
/// ballots (after the close), the sealed ballots still waiting (one per
/// voter before the close) and the participation records.
pub async fn stored(db: &str) -> (Vec<(String, String)>, Vec<String>, usize) {
    use sea_orm::{ConnectionTrait, Statement};
    let conn = sea_orm::Database::connect(db).await.expect("the database");
    let backend = conn.get_database_backend();
    let rows = |sql: &str| Statement::from_string(backend, sql.to_owned());
    let ballots: Vec<(String, String)> = conn
        .query_all_raw(rows("SELECT id, commitment FROM ballots"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.try_get("", "id").unwrap(),
                r.try_get("", "commitment").unwrap(),
            )
        })
        .collect();
    let links: Vec<String> = conn
        .query_all_raw(rows("SELECT id FROM sealed_ballots"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get("", "id").unwrap())
        .collect();
    let participation = conn
        .query_all_raw(rows("SELECT id FROM participation"))
        .await
        .unwrap()
        .len();
    conn.close().await.ok();
    (ballots, links, participation)
}

/// A distinct made-up surname for resident `i` (up to 26^5 of them):
/// letters only, as names are.
pub fn name_of(i: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    let mut s = String::from("Q");
    let mut k = i;
    for _ in 0..5 {
        s.push(LETTERS[k % 26] as char);
        k /= 26;
    }
    s
}
