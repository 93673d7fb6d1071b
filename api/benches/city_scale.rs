//! City scale: one round of 10 pots and 100,000 ballots, cast through the
//! services, then closed, counted and published; then the public reads
//! that the day of publication brings, under 32 connections at once, against
//! the release server (and the web client, when it is built).
//!
//! The ballots are real when `../shared/data` is there: Warszawa's 2026
//! city-wide vote (61,668 ballots, 83 projects) and its nine largest
//! district votes, topped up to the number asked for from the same files;
//! otherwise generated with a fixed seed. Beside it, a small round of 60
//! ballots, so that the figures at 60 and at 100,000 ballots come from the
//! same run. It prints:
//! - the time to close (seal), count and publish;
//! - requests per second, p50 and p99 for `{ __typename }` (the floor of
//!   the stack, and the ratio's denominator), the web client's results
//!   query and receipt check (`RoundResultPage`, `ReceiptProof`) at both
//!   sizes, `RoundBids`, and the web client's results page (uncached, as
//!   a browser asks for it and uncompressed, and as a conditional GET) and
//!   receipt check.
//!
//! ```sh
//! cargo bench -p api --bench city_scale
//! FAIRSHARE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432 cargo bench -p api --bench city_scale
//! ```
//! `FAIRSHARE_BENCH_BALLOTS` (100000), `FAIRSHARE_BENCH_SECONDS` per
//! request kind (10), `FAIRSHARE_BENCH_CONNECTIONS` (32),
//! `FAIRSHARE_BENCH_RULE` (greedy); `FAIRSHARE_BENCH_PARSE=1` parses
//! every API answer under load into a JSON tree (by default the load reads
//! the status and the whole body, as wrk does); `FAIRSHARE_BENCH_BREAKDOWN=1` adds
//! `RoundBids` and `RoundResultPage` built up part by part, to see where
//! their time goes; `FAIRSHARE_BENCH_HOLD=SECONDS` waits that long, with
//! the addresses printed, before the load starts. Casting 100,000 ballots
//! takes minutes:
//! with `FAIRSHARE_BENCH_KEEP=DIR` the round in voting is kept (a SQLite
//! file in DIR, or a PostgreSQL template database) and the next run with
//! the same number of ballots starts from a copy of it. The web client is
//! measured when `web/dist/server.js` exists (`npm run build` in `web/`)
//! and `node` is on the `PATH`.
#[path = "../tests/common/mod.rs"]
mod common;

use api::config::Settings;
use api::domain::vote::{Channel, Choice};
use api::domain::{
    ballot::TieBreak, AccountId, AreaId, BallotKind, BallotSettings, BidId, CountingRule, Evidence,
    ParticipantId, Phase, Relation, Role, RoundId, Schedule,
};
use api::service::{accounts, areas, bids, groups, lifecycle, rounds, verification, voting, Actor};
use api::startup::Application;
use api::state::AppState;
use futures_util::future::join_all;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One pot's vote: its projects (title, cost in pence) and ballots (the
/// indices of the projects each names).
struct PotData {
    name: String,
    budget: i64,
    projects: Vec<(String, i64)>,
    ballots: Vec<Vec<u32>>,
}

const MAX_CHOICES: usize = 5;

fn data_dir() -> PathBuf {
    std::env::var("FAIRSHARE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"))
}

fn read_pb(path: &Path) -> Option<PotData> {
    let text = std::fs::read_to_string(path).ok()?;
    let e = tally::pb::parse(&text).ok()?;
    let name = path
        .file_stem()?
        .to_string_lossy()
        .trim_start_matches("Poland_Warszawa_2026")
        .trim_start_matches('_')
        .replace('_', " ");
    Some(PotData {
        name: if name.is_empty() {
            "Warszawa".into()
        } else {
            format!("Warszawa {name}")
        },
        budget: e.budget as i64,
        projects: e
            .projects
            .iter()
            .map(|p| {
                let title: String = p
                    .name
                    .clone()
                    .unwrap_or_default()
                    .chars()
                    .take(150)
                    .collect();
                let title = if title.chars().count() < 3 {
                    format!("Project {}", p.id)
                } else {
                    title
                };
                (title, p.cost.max(1) as i64)
            })
            .collect(),
        ballots: e
            .ballots
            .project_lists()
            .map(|b| b.iter().take(MAX_CHOICES).copied().collect())
            .filter(|b: &Vec<u32>| !b.is_empty())
            .collect(),
    })
}

/// Warszawa 2026: the city-wide vote and the nine largest districts,
/// trimmed (or topped up from the same ballots) to `n` in all.
fn warszawa(n: usize) -> Option<Vec<PotData>> {
    let dir = data_dir().join("pabulib");
    let city = read_pb(&dir.join("Poland_Warszawa_2026.pb"))?;
    let mut districts: Vec<PotData> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("Poland_Warszawa_2026_") && name.ends_with(".pb")
        })
        .filter_map(|e| read_pb(&e.path()))
        .collect();
    districts.sort_by_key(|d| std::cmp::Reverse(d.ballots.len()));
    districts.truncate(9);
    let mut pots = vec![city];
    pots.extend(districts);
    fit(&mut pots, n);
    Some(pots)
}

/// Trims the last pots' ballots, or repeats each pot's own ballots, so
/// that there are `n` in all.
fn fit(pots: &mut [PotData], n: usize) {
    let mut left = n;
    let count = pots.len();
    for (i, p) in pots.iter_mut().enumerate() {
        let share = if i + 1 == count {
            left
        } else {
            p.ballots.len().min(left.saturating_sub(count - i - 1))
        };
        if p.ballots.len() > share {
            p.ballots.truncate(share);
        }
        let real = p.ballots.len().max(1);
        let mut k = 0;
        while p.ballots.len() < share {
            let b = p.ballots[k % real].clone();
            p.ballots.push(b);
            k += 1;
        }
        left -= p.ballots.len();
    }
}

/// Ten pots of 30 projects, `n` approval ballots of one to five projects,
/// the popular ones more often: the same every run.
fn generated(n: usize) -> Vec<PotData> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    (0..10)
        .map(|k| {
            let projects: Vec<(String, i64)> = (0..30)
                .map(|j| {
                    (
                        format!("District {k} project {j}"),
                        rng.random_range(500_000..8_000_000),
                    )
                })
                .collect();
            let ballots = (0..n / 10 + usize::from(k < n % 10))
                .map(|_| {
                    let len = rng.random_range(1..=MAX_CHOICES);
                    let mut b: Vec<u32> = (0..len)
                        .map(|_| {
                            let x: f64 = rng.random();
                            (x * x * 30.0) as u32
                        })
                        .collect();
                    b.sort_unstable();
                    b.dedup();
                    b
                })
                .collect();
            PotData {
                name: format!("District {k}"),
                budget: 30_000_000,
                projects,
                ballots,
            }
        })
        .collect()
}

/// What a kept round in voting needs to be picked up again.
#[derive(Serialize, Deserialize)]
struct Seeded {
    source: String,
    ballots: usize,
    officer: i64,
    councillor: i64,
    round: i64,
    area: i64,
    small_round: i64,
    receipts: Vec<String>,
    small_receipts: Vec<String>,
}

fn err(e: api::error::ServiceError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

fn actor(id: i64, role: Role) -> Actor {
    Actor {
        account_id: AccountId::new(id),
        roles: vec![role],
    }
}

/// A round in voting with one pot per entry of `pots`, each in its own
/// area, its bids reviewed, and one resident verified in person and one
/// paper ballot cast per ballot. Returns the round, its first area and
/// every receipt code.
async fn seed_round(
    state: &AppState,
    officer: &Actor,
    chair: &Actor,
    title: &str,
    pots: &[PotData],
    areas_from: usize,
    people_from: usize,
) -> anyhow::Result<(RoundId, AreaId, Vec<String>)> {
    let db = &state.db;
    let mut area_ids = Vec::new();
    for (k, p) in pots.iter().enumerate() {
        let n = areas_from + k;
        area_ids.push(
            areas::create(
                db,
                officer,
                areas::NewArea {
                    name_cy: None,
                    description_cy: None,
                    name: format!("{} ({n})", p.name),
                    kind: "ward".into(),
                    description: "An area of the city.".into(),
                    coverage: vec![format!("LS{n} 1")],
                },
            )
            .await
            .map_err(err)?
            .id,
        );
    }
    let rule = std::env::var("FAIRSHARE_BENCH_RULE").unwrap_or_else(|_| "greedy".into());
    let round = rounds::create(
        db,
        officer,
        rounds::NewRound {
            title_cy: None,
            description_cy: None,
            title: title.into(),
            description: "A city-wide round.".into(),
            pots: area_ids
                .iter()
                .zip(pots)
                .map(|(a, p)| (*a, p.budget))
                .collect(),
            schedule: Schedule::default(),
            ballot: BallotSettings {
                kind: BallotKind::Approval,
                min_choices: None,
                max_choices: Some(MAX_CHOICES as u32),
                score_min: None,
                score_max: None,
                points_total: None,
                points_max_per_bid: None,
                duplicate_policy: Default::default(),
            },
            rule: CountingRule {
                name: rule,
                tie_break: TieBreak::CostSupportSeed,
                seed: Some(2026),
                min_support: None,
                rank_points: None,
                seats: None,
                constraints: None,
            },
            eligibility: api::domain::Eligibility::default(),
        },
    )
    .await
    .map_err(err)?;
    lifecycle::advance(state, officer, round.id, Phase::BidsOpen)
        .await
        .map_err(err)?;
    let mut bid_ids: Vec<Vec<BidId>> = Vec::new();
    for (k, p) in pots.iter().enumerate() {
        let group = groups::register(
            db,
            chair,
            groups::NewGroup {
                name: format!("Residents of {} {}", p.name, areas_from + k),
                description: "Neighbours who bid.".into(),
                contact_email: "group@example.org".into(),
                area_id: area_ids[k],
            },
        )
        .await
        .map_err(err)?;
        let mut ids = Vec::new();
        for (title, cost) in &p.projects {
            let bid = bids::submit(
                db,
                chair,
                bids::NewBid {
                    round_id: round.id,
                    group_id: group.id,
                    area_id: area_ids[k],
                    details: bids::BidDetails {
                        welsh: Default::default(),
                        title: title.clone(),
                        summary: "A project from the city's participatory budget.".into(),
                        description: "A project residents proposed and voted on.".into(),
                        cost_pence: *cost,
                        category: "community".into(),
                        location: bids::Location::default(),
                    },
                },
            )
            .await
            .map_err(err)?;
            ids.push(bid.id);
        }
        bid_ids.push(ids);
    }
    lifecycle::advance(state, officer, round.id, Phase::BidReview)
        .await
        .map_err(err)?;
    for b in bid_ids.iter().flatten() {
        bids::review(db, officer, *b, bids::ReviewDecision::Eligible, None)
            .await
            .map_err(err)?;
    }
    // One resident per ballot, verified in person.
    let mut people: Vec<(ParticipantId, usize, usize)> = Vec::new();
    let jobs: Vec<(usize, usize, usize)> = pots
        .iter()
        .enumerate()
        .flat_map(|(k, p)| (0..p.ballots.len()).map(move |b| (k, b)))
        .enumerate()
        .map(|(i, (k, b))| (people_from + i, k, b))
        .collect();
    for chunk in jobs.chunks(24) {
        let made = join_all(chunk.iter().map(|&(i, k, b)| async move {
            verification::record_in_person(
                state,
                officer,
                round.id,
                verification::InPersonRecord {
                    details: verification::PersonDetails::parse(
                        &format!("Resident {}", common::name_of(i)),
                        &format!(
                            "19{}-{:02}-{:02}",
                            30 + i % 60,
                            1 + i / 60 % 12,
                            1 + i / 720 % 28
                        ),
                        &format!("LS{} 1AB", areas_from + k),
                        Relation::Live,
                    )
                    .map_err(err)?,
                    evidence: Evidence::ProofOfAddress,
                    email: None,
                    phone: None,
                    reference: None,
                },
            )
            .await
            .map(|p| (p.id, k, b))
            .map_err(err)
        }))
        .await;
        for p in made {
            people.push(p?);
        }
    }
    lifecycle::advance(state, officer, round.id, Phase::Voting)
        .await
        .map_err(err)?;
    let mut receipts = Vec::with_capacity(people.len());
    for chunk in people.chunks(24) {
        let cast = join_all(chunk.iter().map(|&(participant_id, k, b)| {
            let choices: Vec<Choice> = pots[k].ballots[b]
                .iter()
                .map(|&j| Choice {
                    bid_id: bid_ids[k][j as usize],
                    value: None,
                })
                .collect();
            async move {
                voting::cast(
                    state,
                    voting::CastRequest {
                        round_id: round.id,
                        voter: voting::Voter::Officer {
                            officer: officer.clone(),
                            participant_id,
                        },
                        channel: Channel::Paper,
                        choices,
                        idempotency_key: format!("paper-ballot-{}", participant_id.get()),
                    },
                )
                .await
                .map(|c| c.receipt_code)
                .map_err(err)
            }
        }))
        .await;
        for c in cast {
            receipts.push(c?);
        }
    }
    Ok((round.id, area_ids[0], receipts))
}

async fn seed(state: &AppState, pots: &[PotData], source: &str) -> anyhow::Result<Seeded> {
    let db = &state.db;
    let account = |email: &'static str, role: Option<Role>| async move {
        let email = api::service::parse_email(email).map_err(err)?;
        match role {
            Some(r) => accounts::grant_role(db, &state.secret, None, &email, r).await,
            None => accounts::ensure(db, &state.secret, &email).await,
        }
        .map(|a| Actor {
            account_id: a.id,
            roles: a.roles,
        })
        .map_err(err)
    };
    let officer = account("officer@council.test", Some(Role::Officer)).await?;
    let councillor = account("cllr@council.test", Some(Role::Councillor)).await?;
    let chair = account("chair@example.org", None).await?;
    let ballots: usize = pots.iter().map(|p| p.ballots.len()).sum();
    let (round, area, receipts) =
        seed_round(state, &officer, &chair, "City Fund", pots, 1, 0).await?;
    let mut small = generated(60);
    small.truncate(1);
    small[0].ballots = generated(600).swap_remove(0).ballots;
    small[0].ballots.truncate(60);
    small[0].projects.truncate(20);
    for b in &mut small[0].ballots {
        b.retain(|&j| j < 20);
        if b.is_empty() {
            b.push(0);
        }
    }
    let (small_round, _, small_receipts) =
        seed_round(state, &officer, &chair, "Small Fund", &small, 90, ballots).await?;
    Ok(Seeded {
        source: source.into(),
        ballots,
        officer: officer.account_id.get(),
        councillor: councillor.account_id.get(),
        round: round.get(),
        area: area.get(),
        small_round: small_round.get(),
        receipts,
        small_receipts,
    })
}

/// Where a kept round in voting lives: a SQLite file and its notes, or a
/// PostgreSQL template database.
struct Keep {
    dir: PathBuf,
    server: Option<String>,
    ballots: usize,
}

impl Keep {
    fn notes(&self) -> PathBuf {
        let db = if self.server.is_some() {
            "pg"
        } else {
            "sqlite"
        };
        self.dir.join(format!("city-{db}-{}.json", self.ballots))
    }
    fn sqlite(&self) -> PathBuf {
        self.dir.join(format!("city-{}.db", self.ballots))
    }
    fn template(&self) -> String {
        format!("fairshare_city_{}", self.ballots)
    }
    fn load(&self) -> Option<Seeded> {
        serde_json::from_slice(&std::fs::read(self.notes()).ok()?).ok()
    }
    /// A fresh database that is a copy of the kept one.
    async fn restore(&self, dir: &Path) -> anyhow::Result<String> {
        match &self.server {
            None => {
                let to = dir.join("fairshare.db");
                std::fs::copy(self.sqlite(), &to)?;
                Ok(format!("sqlite://{}", to.display()))
            }
            Some(server) => {
                let name = format!("fairshare_city_run_{}", uuid::Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(format!("{server}/postgres")).await?;
                use sea_orm::ConnectionTrait;
                admin
                    .execute_unprepared(&format!(
                        "CREATE DATABASE {name} TEMPLATE {}",
                        self.template()
                    ))
                    .await?;
                admin.close().await.ok();
                Ok(format!("{server}/{name}"))
            }
        }
    }
    async fn save(
        &self,
        db_url: &str,
        db: &sea_orm::DatabaseConnection,
        seeded: &Seeded,
    ) -> anyhow::Result<()> {
        use sea_orm::ConnectionTrait;
        std::fs::create_dir_all(&self.dir)?;
        match &self.server {
            None => {
                let to = self.sqlite();
                let _ = std::fs::remove_file(&to);
                db.execute_unprepared(&format!("VACUUM INTO '{}'", to.display()))
                    .await?;
            }
            Some(server) => {
                let name = db_url.rsplit('/').next().unwrap_or_default().to_owned();
                let admin = sea_orm::Database::connect(format!("{server}/postgres")).await?;
                // A template may have no one connected.
                db.close_by_ref().await.ok();
                admin
                    .execute_unprepared(&format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                    ))
                    .await?;
                admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        self.template()
                    ))
                    .await?;
                admin
                    .execute_unprepared(&format!(
                        "CREATE DATABASE {} TEMPLATE {name}",
                        self.template()
                    ))
                    .await?;
                admin.close().await.ok();
            }
        }
        std::fs::write(self.notes(), serde_json::to_vec(seeded)?)?;
        Ok(())
    }
}

async fn app(db_url: &str, dir: &Path) -> anyhow::Result<Application> {
    let vars: HashMap<&str, String> = HashMap::from([
        ("FAIRSHARE_ADDR", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", db_url.to_owned()),
        ("FAIRSHARE_SECRET", common::SECRET.to_owned()),
        ("FAIRSHARE_MAIL_DIR", dir.join("mail").display().to_string()),
        ("FAIRSHARE_SMS_DIR", dir.join("sms").display().to_string()),
        (
            "FAIRSHARE_LETTER_DIR",
            dir.join("letters").display().to_string(),
        ),
    ]);
    Application::build(Settings::from_lookup(|k| vars.get(k).cloned())?).await
}

/// Requests per second, p50 and p99, and failures, of one kind of request.
struct Load {
    rate: f64,
    p50: Duration,
    p99: Duration,
    failed: usize,
}

/// `connections` clients each sending `request(client, i)` one after
/// another for `seconds`: a request counts if `ok` says its answer is
/// right.
async fn load<F, Fut>(connections: usize, seconds: u64, request: F) -> Load
where
    F: Fn(reqwest::Client, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let request = Arc::new(request);
    let stop = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            let request = request.clone();
            tokio::spawn(async move {
                // One keep-alive connection per client, as wrk has.
                let http = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .expect("a client");
                let (mut times, mut failed) = (Vec::new(), 0usize);
                let mut i = c;
                while Instant::now() < stop {
                    let t = Instant::now();
                    if request(http.clone(), i).await {
                        times.push(t.elapsed());
                    } else {
                        failed += 1;
                    }
                    i += connections;
                }
                (times, failed)
            })
        })
        .collect();
    let (mut times, mut failed) = (Vec::new(), 0);
    for t in tasks {
        let (t, f) = t.await.expect("a load task");
        times.extend(t);
        failed += f;
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_unstable();
    let pct = |p: f64| {
        times
            .get(((times.len().saturating_sub(1)) as f64 * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Load {
        rate: times.len() as f64 / elapsed,
        p50: pct(0.5),
        p99: pct(0.99),
        failed,
    }
}

async fn graphql(http: &reqwest::Client, base: &str, body: &str) -> Option<Value> {
    let r = http
        .post(format!("{base}/graphql"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    let v: Value = serde_json::from_slice(&r.bytes().await.ok()?).ok()?;
    v.get("errors").is_none().then_some(v)
}

/// Whether a GraphQL answer under load succeeded, read as wrk reads one:
/// the status, and the whole body taken in, without building a JSON tree
/// of it (which, for a 10-pot result, costs the load more CPU than the
/// server spends answering, on the same cores). An answer with errors ends
/// with its `errors` list (`async_graphql::Response` writes `data` first
/// and `errors` last), so a body that opens with `{"data":{` and ends with
/// `}}` has data and no errors. Each request is checked in full by
/// `graphql` before it is timed; `FAIRSHARE_BENCH_PARSE=1` parses every
/// answer under load too, as runs before this check did.
async fn answered(http: &reqwest::Client, base: &str, body: &str, parse: bool) -> bool {
    if parse {
        return graphql(http, base, body).await.is_some();
    }
    let Ok(r) = http
        .post(format!("{base}/graphql"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
    else {
        return false;
    };
    if !r.status().is_success() {
        return false;
    }
    r.bytes()
        .await
        .is_ok_and(|b| b.starts_with(br#"{"data":{"#) && b.ends_with(b"}}"))
}

/// The web client's own operations, so that the API is asked exactly what
/// the pages ask.
fn operation(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src/graphql/operations");
    let mut text = String::new();
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        if e.path().extension().is_some_and(|x| x == "graphql") {
            text.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
            text.push('\n');
        }
    }
    // The operation and every fragment the file defines: GraphQL servers
    // refuse unused fragments, so only those it spreads, transitively.
    let blocks = split_definitions(&text);
    let mut wanted: Vec<String> = vec![name.to_owned()];
    let mut out = String::new();
    let mut i = 0;
    while i < wanted.len() {
        let w = wanted[i].clone();
        if let Some(b) = blocks.iter().find(|(n, _)| *n == w) {
            out.push_str(&b.1);
            out.push('\n');
            for spread in b.1.split("...").skip(1) {
                let f: String = spread
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !f.is_empty() && f != "on" && !wanted.contains(&f) {
                    wanted.push(f);
                }
            }
        }
        i += 1;
    }
    out
}

/// `(name, text)` of each top-level definition of a GraphQL document.
fn split_definitions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, None::<usize>);
    for (i, ch) in text.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    if let Some(s) = start.take() {
                        let body = &text[s..=i];
                        let name = body
                            .split(|c: char| c.is_whitespace() || c == '(' || c == '{')
                            .filter(|w| !w.is_empty())
                            .nth(1)
                            .unwrap_or_default()
                            .to_owned();
                        out.push((name, body.to_owned()));
                    }
                }
            }
            _ if depth == 0 && start.is_none() && !ch.is_whitespace() => {
                let rest = &text[i..];
                if rest.starts_with("query")
                    || rest.starts_with("mutation")
                    || rest.starts_with("fragment")
                {
                    start = Some(i);
                }
            }
            _ => {}
        }
    }
    out
}

fn body(query: &str, variables: Value) -> String {
    json!({ "query": query, "variables": variables }).to_string()
}

/// What a browser says it accepts (Chromium's `Accept-Encoding`).
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// The web client, run as in production, in front of the API at `api`.
fn start_web(api: &str) -> Option<(std::process::Child, String)> {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web");
    if !web.join("dist/server.js").exists() {
        return None;
    }
    let port = common::free_port();
    let child = std::process::Command::new("node")
        .arg("dist/server.js")
        .current_dir(&web)
        .env("NODE_ENV", "production")
        .env(
            "FAIRSHARE_WEB_SECRET",
            "city-scale-benchmark-secret-0123456789",
        )
        .env("FAIRSHARE_WEB_PORT", port.to_string())
        .env("FAIRSHARE_API_URL", api)
        .env("FAIRSHARE_WEB_INSECURE_COOKIES", "true")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    Some((child, format!("http://127.0.0.1:{port}")))
}

async fn wait_for(http: &reqwest::Client, url: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

fn cookies(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A form's CSRF token and the cookies it is tied to.
async fn form(http: &reqwest::Client, url: &str) -> Option<(String, String)> {
    let r = http.get(url).send().await.ok()?;
    let jar = cookies(&r);
    let html = r.text().await.ok()?;
    let token = html
        .split("name=\"_csrf\" value=\"")
        .nth(1)?
        .split('"')
        .next()?
        .to_owned();
    Some((token, jar))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = env_or("FAIRSHARE_BENCH_BALLOTS", 100_000);
    let seconds: u64 = env_or("FAIRSHARE_BENCH_SECONDS", 10);
    let connections: usize = env_or("FAIRSHARE_BENCH_CONNECTIONS", 32);
    let dir = tempfile::tempdir()?;
    let server = std::env::var("FAIRSHARE_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|s| s.trim_end_matches('/').to_owned());
    let backend = if server.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let keep = std::env::var("FAIRSHARE_BENCH_KEEP").ok().map(|d| Keep {
        dir: PathBuf::from(d),
        server: server.clone(),
        ballots: n,
    });

    let kept = keep.as_ref().and_then(Keep::load);
    let (db_url, seeded) = match (&keep, kept) {
        (Some(k), Some(seeded)) => {
            println!(
                "{backend}: starting from the kept round in voting ({})",
                k.notes().display()
            );
            (k.restore(dir.path()).await?, seeded)
        }
        _ => {
            let (pots, source) = match warszawa(n) {
                Some(p) => (
                    p,
                    "Warszawa 2026 (pabulib): the city-wide vote and 9 districts",
                ),
                None => (generated(n), "generated (../shared/data is absent)"),
            };
            let db_url = common::database(dir.path()).await;
            let app = app(&db_url, dir.path()).await?;
            let t = Instant::now();
            let seeded = seed(app.state(), &pots, source).await?;
            println!(
                "{backend}: {} residents verified in person and {} paper ballots cast through the services in {:.0} s",
                seeded.ballots + 60,
                seeded.ballots + 60,
                t.elapsed().as_secs_f64()
            );
            if let Some(k) = &keep {
                k.save(&db_url, &app.state().db, &seeded).await?;
            }
            (db_url, seeded)
        }
    };
    println!(
        "ballots: {} in 10 pots, from {}",
        seeded.ballots, seeded.source
    );

    // Close (seal and count) and publish, through the services.
    let app = app(&db_url, dir.path()).await?;
    let state = app.state();
    let officer = actor(seeded.officer, Role::Officer);
    let councillor = actor(seeded.councillor, Role::Councillor);
    let (round, small) = (RoundId::new(seeded.round), RoundId::new(seeded.small_round));
    let t = Instant::now();
    let closed = lifecycle::advance(state, &officer, round, Phase::Closed)
        .await
        .map_err(err)?;
    let close = t.elapsed();
    anyhow::ensure!(closed.phase == Phase::Counted, "counted at close");
    let t = Instant::now();
    lifecycle::publish(state, &councillor, round)
        .await
        .map_err(err)?;
    let publish = t.elapsed();
    lifecycle::advance(state, &officer, small, Phase::Closed)
        .await
        .map_err(err)?;
    lifecycle::publish(state, &councillor, small)
        .await
        .map_err(err)?;
    // The same 10 pots and bids with 6 ballots each: what the figures at
    // 100,000 ballots are compared with, so that only the ballots differ.
    let mut shape = if seeded.source.starts_with("Warszawa") {
        warszawa(seeded.ballots).unwrap_or_else(|| generated(seeded.ballots))
    } else {
        generated(seeded.ballots)
    };
    for p in &mut shape {
        p.ballots.truncate(6);
    }
    let chair = Actor {
        account_id: accounts::ensure(
            &state.db,
            &state.secret,
            &api::service::parse_email("chair@example.org").map_err(err)?,
        )
        .await
        .map_err(err)?
        .id,
        roles: vec![],
    };
    let (same, _, same_receipts) = seed_round(
        state,
        &officer,
        &chair,
        "City Fund (60 ballots)",
        &shape,
        11,
        300_000,
    )
    .await?;
    lifecycle::advance(state, &officer, same, Phase::Closed)
        .await
        .map_err(err)?;
    lifecycle::publish(state, &councillor, same)
        .await
        .map_err(err)?;
    drop(app);

    // The release server, and the web client in front of it.
    let api = common::Server::start(&db_url, dir.path());
    let http = reqwest::Client::new();
    api.wait_ready(&http).await;
    let base = api.base.clone();
    let web = start_web(&base);
    let web_base = match &web {
        Some((_, b)) if wait_for(&http, &format!("{b}/accessibility")).await => Some(b.clone()),
        _ => None,
    };
    // To look at the published round by hand (a profiler, a browser)
    // before the load starts.
    let hold: u64 = env_or("FAIRSHARE_BENCH_HOLD", 0);
    if hold > 0 {
        println!(
            "  holding {hold} s: the API at {base}, the web client at {}, round {round}",
            web_base.as_deref().unwrap_or("(not running)")
        );
        tokio::time::sleep(Duration::from_secs(hold)).await;
    }

    let typename = body("{ __typename }", json!({}));
    let result_page = operation("RoundResultPage");
    let receipt = operation("ReceiptProof");
    let round_bids = operation("RoundBids");
    let result_body = |r: RoundId| {
        body(
            &result_page,
            json!({ "roundId": r.to_string(), "language": "EN" }),
        )
    };
    let bids_body = body(
        &round_bids,
        json!({ "id": round.to_string(), "areaId": seeded.area.to_string() }),
    );
    let receipt_bodies = |r: RoundId, codes: &[String]| -> Arc<Vec<String>> {
        Arc::new(
            codes
                .iter()
                .step_by((codes.len() / 5000).max(1))
                .map(|c| body(&receipt, json!({ "roundId": r.to_string(), "code": c })))
                .collect(),
        )
    };
    // Each request is checked once before it is timed.
    for (what, b) in [
        ("typename", &typename),
        ("results", &result_body(round)),
        ("bids", &bids_body),
        ("receipt", &receipt_bodies(round, &seeded.receipts)[0]),
    ] {
        let v = graphql(&http, &base, b).await;
        anyhow::ensure!(v.is_some(), "the {what} query failed");
        if what == "receipt" {
            anyhow::ensure!(
                v.as_ref()
                    .is_some_and(|v| v["data"]["receiptProof"]["verified"] == json!(true)),
                "a receipt did not verify"
            );
        }
    }

    let mut rows: Vec<(String, Load)> = Vec::new();
    let parse = std::env::var_os("FAIRSHARE_BENCH_PARSE").is_some();
    let api_load = |b: Arc<Vec<String>>, base: String| {
        load(connections, seconds, move |http, i| {
            let (b, base) = (b.clone(), base.clone());
            async move { answered(&http, &base, &b[i % b.len()], parse).await }
        })
    };
    rows.push((
        "API { __typename }".into(),
        api_load(Arc::new(vec![typename.clone()]), base.clone()).await,
    ));
    rows.push((
        format!("API RoundResultPage, {} ballots", seeded.ballots),
        api_load(Arc::new(vec![result_body(round)]), base.clone()).await,
    ));
    rows.push((
        "API RoundResultPage, 60 ballots, same 10 pots".into(),
        api_load(Arc::new(vec![result_body(same)]), base.clone()).await,
    ));
    rows.push((
        "API RoundResultPage, 60 ballots, 1 pot of 20".into(),
        api_load(Arc::new(vec![result_body(small)]), base.clone()).await,
    ));
    rows.push((
        format!("API ReceiptProof, {} ballots", seeded.ballots),
        api_load(receipt_bodies(round, &seeded.receipts), base.clone()).await,
    ));
    rows.push((
        "API ReceiptProof, 60 ballots, same 10 pots".into(),
        api_load(receipt_bodies(same, &same_receipts), base.clone()).await,
    ));
    rows.push((
        "API ReceiptProof, 60 ballots, 1 pot of 20".into(),
        api_load(receipt_bodies(small, &seeded.small_receipts), base.clone()).await,
    ));
    rows.push((
        "API RoundBids (20 bids of a pot)".into(),
        api_load(Arc::new(vec![bids_body.clone()]), base.clone()).await,
    ));
    // Where RoundBids' and RoundResultPage's time goes: each request
    // built up part by part.
    if std::env::var_os("FAIRSHARE_BENCH_BREAKDOWN").is_some() {
        let bids = json!({ "id": round.to_string(), "areaId": seeded.area.to_string() });
        let result = json!({ "r": round.to_string() });
        for (what, q, vars) in [
            ("  round only", "query($id: ID!) { round(id: $id) { id title phase } }", &bids),
            ("  + pots and areas", "query($id: ID!) { round(id: $id) { id title phase pots { id amountPence amountDisplay area { id name } } } }", &bids),
            ("  + 20 bids, no group", "query($id: ID!, $areaId: ID!) { round(id: $id) { id bids(areaId: $areaId, first: 20) { nodes { id title summary costPence costDisplay category status } } } }", &bids),
            ("  + 20 bids with groups", "query($id: ID!, $areaId: ID!) { round(id: $id) { id bids(areaId: $areaId, first: 20) { nodes { id title summary costPence costDisplay category status group { id name } } } } }", &bids),
            ("  result: version only", "query($r: ID!) { roundResult(roundId: $r) { version } }", &result),
            ("  + pots' figures", "query($r: ID!) { roundResult(roundId: $r) { version pots { budgetPence spentPence voters ballotsSha256 } } }", &result),
            ("  + explanations", "query($r: ID!) { roundResult(roundId: $r) { version pots { voters explanation } } }", &result),
            ("  + areas", "query($r: ID!) { roundResult(roundId: $r) { version pots { area { id name } } } }", &result),
            ("  + funded bids", "query($r: ID!) { roundResult(roundId: $r) { version pots { funded { bid { id title } amountPence support votes } } } }", &result),
            ("  + unfunded bids", "query($r: ID!) { roundResult(roundId: $r) { version pots { unfunded { id title costPence } unfundedBids { bid { id } votes } } } }", &result),
        ] {
            let b = body(q, vars.clone());
            anyhow::ensure!(graphql(&http, &base, &b).await.is_some(), "{what} failed");
            rows.push((what.into(), api_load(Arc::new(vec![b]), base.clone()).await));
        }
    }
    if let Some(web) = &web_base {
        let page = format!("{web}/rounds/{round}/results");
        let first = http.get(&page).send().await?;
        anyhow::ensure!(
            first.status().is_success(),
            "the results page: {}",
            first.status()
        );
        let etag = first
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // The page is compressed once, in the background, after it is first
        // rendered: wait until it is.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let r = http
                .get(&page)
                .header("accept-encoding", BROWSER_ENCODINGS)
                .send()
                .await?;
            if r.headers().contains_key("content-encoding") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // As a browser asks (every browser accepts brotli and gzip), then
        // as a client that accepts no compression.
        for (what, accept) in [
            ("web results page, uncached", Some(BROWSER_ENCODINGS)),
            ("web results page, uncached, uncompressed", None),
        ] {
            let p = page.clone();
            rows.push((
                what.into(),
                load(connections, seconds, move |http, _| {
                    let p = p.clone();
                    async move {
                        let mut get = http.get(&p);
                        if let Some(accept) = accept {
                            get = get.header("accept-encoding", accept);
                        }
                        match get.send().await {
                            Ok(r) if r.status().is_success() => {
                                // Compressed exactly when it was asked for.
                                let coded = r.headers().contains_key("content-encoding");
                                coded == accept.is_some() && r.bytes().await.is_ok()
                            }
                            _ => false,
                        }
                    }
                })
                .await,
            ));
        }
        if let Some(etag) = etag {
            let p = page.clone();
            rows.push((
                "web results page, conditional GET (304)".into(),
                load(connections, seconds, move |http, _| {
                    let (p, etag) = (p.clone(), etag.clone());
                    async move {
                        http.get(&p)
                            .header("if-none-match", etag)
                            .send()
                            .await
                            .is_ok_and(|r| r.status() == reqwest::StatusCode::NOT_MODIFIED)
                    }
                })
                .await,
            ));
        } else {
            println!("  the results page sent no ETag: no conditional GET to measure");
        }
        let check = format!("{web}/rounds/{round}/receipt");
        let codes = Arc::new(seeded.receipts.clone());
        let forms = Arc::new(tokio::sync::Mutex::new(
            HashMap::<usize, (String, String)>::new(),
        ));
        rows.push((
            format!("web receipt check (POST), {} ballots", seeded.ballots),
            load(connections, seconds, move |http, i| {
                let (check, codes, forms) = (check.clone(), codes.clone(), forms.clone());
                async move {
                    let slot = i % connections;
                    let known = forms.lock().await.get(&slot).cloned();
                    let Some((token, jar)) = (match known {
                        Some(f) => Some(f),
                        None => form(&http, &check).await,
                    }) else {
                        return false;
                    };
                    forms
                        .lock()
                        .await
                        .insert(slot, (token.clone(), jar.clone()));
                    let code = &codes[(i * 7919) % codes.len()];
                    let sent = http
                        .post(&check)
                        .header("cookie", jar)
                        .form(&[("_csrf", token.as_str()), ("code", code.as_str())])
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status().is_success() => r
                            .text()
                            .await
                            .is_ok_and(|html| html.contains(code.as_str())),
                        _ => false,
                    }
                }
            })
            .await,
        ));
    } else {
        println!(
            "  the web client is not built or node is not on the PATH: web pages not measured"
        );
    }

    println!();
    println!(
        "{backend}, {} ballots in 10 pots ({connections} connections, {seconds} s each):",
        seeded.ballots
    );
    println!(
        "  close (seal and count) {:.1} s, publish {:.1} s: {:.1} s in all",
        close.as_secs_f64(),
        publish.as_secs_f64(),
        (close + publish).as_secs_f64()
    );
    let floor = rows.first().map(|r| r.1.rate).unwrap_or(1.0);
    println!(
        "  {:<48} {:>9} {:>9} {:>9} {:>8} {:>7}",
        "request", "req/s", "p50 ms", "p99 ms", "÷floor", "failed"
    );
    for (what, l) in &rows {
        println!(
            "  {:<48} {:>9.0} {:>9.2} {:>9.2} {:>8.2} {:>7}",
            what,
            l.rate,
            l.p50.as_secs_f64() * 1e3,
            l.p99.as_secs_f64() * 1e3,
            l.rate / floor,
            l.failed
        );
    }
    if let Some((mut child, _)) = web {
        let _ = child.kill();
        let _ = child.wait();
    }
    drop(api);
    if let Some(server) = &server {
        if let Some(name) = db_url.rsplit('/').next() {
            api::db::drop_scratch(server, name).await.ok();
        }
    }
    Ok(())
}
