//! Ballot load: the real server (the release `fairshare` binary) over HTTP,
//! N verified voters each with their own session casting and replacing
//! ballots through `castBallot` at once, on SQLite and on PostgreSQL.
//! Prints ballots per second, latency percentiles and errors, and for
//! reference the raw rate of single-row insert-and-commit transactions on
//! the same database with the same durability settings.
//!
//! ```sh
//! cargo bench -p api --bench ballot_load
//! FAIRSHARE_BENCH_VOTERS=100 FAIRSHARE_BENCH_SECONDS=10 \
//!   FAIRSHARE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432 cargo bench -p api --bench ballot_load
//! ```
//! Without `FAIRSHARE_TEST_DATABASE_URL` it tries PostgreSQL at
//! 127.0.0.1:5432 and skips it if none answers. `FAIRSHARE_BENCH_ONLY=sqlite`
//! (or `postgres`) runs one of the two.
#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

struct Figures {
    ballots: usize,
    errors: usize,
    seconds: f64,
    latencies: Vec<Duration>,
}

async fn load(http: &reqwest::Client, base: &str, e: Arc<Election>, seconds: u64) -> Figures {
    let stop = Instant::now() + Duration::from_secs(seconds);
    let results: Arc<Mutex<(Vec<Duration>, usize)>> = Arc::default();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for v in 0..e.voters.len() {
        let (http, base, e, results) = (http.clone(), base.to_owned(), e.clone(), results.clone());
        tasks.push(tokio::spawn(async move {
            let ip = format!("10.9.{}.{}", v / 256, v % 256);
            let mut n = 0usize;
            let mut mine = Vec::new();
            let mut errors = 0;
            while Instant::now() < stop {
                let key = format!("bench-{v:04}-{n:06}");
                let t = Instant::now();
                let res = gql(
                    &http,
                    &base,
                    &ip,
                    Some(&e.voters[v]),
                    CAST,
                    cast_vars(&e, v + n, &key),
                )
                .await;
                match res {
                    Ok(r) if r.get("errors").is_none() => mine.push(t.elapsed()),
                    _ => errors += 1,
                }
                n += 1;
            }
            let mut r = results.lock().unwrap();
            r.0.extend(mine);
            r.1 += errors;
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let (mut latencies, errors) = std::mem::take(&mut *results.lock().unwrap());
    latencies.sort();
    Figures {
        ballots: latencies.len(),
        errors,
        seconds,
        latencies,
    }
}

/// Single-row insert-and-commit transactions on the same database with the
/// same settings: one connection after another, and `concurrency` at once.
async fn raw_commits(db_url: &str, seconds: u64, concurrency: usize) -> (f64, f64) {
    let db = api::db::connect(db_url).await.expect("the database");
    let backend = db.get_database_backend();
    let create = match backend {
        DbBackend::Sqlite => {
            "CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"
        }
        _ => "CREATE TABLE IF NOT EXISTS bench_raw (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)",
    };
    db.execute_unprepared(create).await.unwrap();
    let one = move |db: sea_orm::DatabaseConnection| async move {
        let txn = api::db::begin_write(&db).await.unwrap();
        if backend == DbBackend::Postgres {
            txn.execute_unprepared("SET LOCAL synchronous_commit = on")
                .await
                .unwrap();
        }
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                DbBackend::Sqlite => "INSERT INTO bench_raw (v) VALUES (?)",
                _ => "INSERT INTO bench_raw (v) VALUES ($1)",
            },
            ["a ballot-sized row of about a hundred bytes, stored and committed durably".into()],
        ))
        .await
        .unwrap();
        txn.commit().await.unwrap();
    };
    let stop = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut n = 0;
    while Instant::now() < stop {
        one(db.clone()).await;
        n += 1;
    }
    let sequential = n as f64 / started.elapsed().as_secs_f64();
    let stop = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (db, count) = (db.clone(), count.clone());
            tokio::spawn(async move {
                while Instant::now() < stop {
                    one(db.clone()).await;
                    count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let concurrent =
        count.load(std::sync::atomic::Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    db.execute_unprepared("DROP TABLE bench_raw").await.unwrap();
    (sequential, concurrent)
}

async fn run(label: &str, db: String, dir: &std::path::Path, voters: usize, seconds: u64) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(voters)
        .build()
        .unwrap();
    let server = Server::start(&db, dir);
    server.wait_ready(&http).await;
    eprintln!("{label}: setting up {voters} verified voters…");
    let e = Arc::new(election(&http, &server.base, dir, &db, voters).await);
    // Warm the connections, then measure.
    load(&http, &server.base, e.clone(), 1).await;
    let f = load(&http, &server.base, e.clone(), seconds).await;
    drop(server);
    let (raw_seq, raw_conc) = raw_commits(&db, 3, voters).await;
    let rate = f.ballots as f64 / f.seconds;
    println!(
        "{label}: {voters} voters, {:.1} s: {} ballots, {:.0} ballots/s, p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, {} errors",
        f.seconds,
        f.ballots,
        rate,
        percentile(&f.latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&f.latencies, 0.95).as_secs_f64() * 1e3,
        percentile(&f.latencies, 0.99).as_secs_f64() * 1e3,
        f.errors,
    );
    println!(
        "{label}: raw single-row insert-and-commit, same database and durability: {raw_seq:.0}/s one at a time, {raw_conc:.0}/s with {voters} at once; ballots/s is {:.1}x the one-at-a-time rate",
        rate / raw_seq
    );
}

#[tokio::main]
async fn main() {
    let voters = env_usize("FAIRSHARE_BENCH_VOTERS", 100);
    let seconds = env_usize("FAIRSHARE_BENCH_SECONDS", 10) as u64;
    // FAIRSHARE_BENCH_ONLY=sqlite or postgres runs one of the two.
    let only = std::env::var("FAIRSHARE_BENCH_ONLY").unwrap_or_default();
    let dir = tempfile::tempdir().unwrap();
    let sqlite_dir = dir.path().join("sqlite");
    std::fs::create_dir_all(&sqlite_dir).unwrap();
    let sqlite = format!("sqlite://{}/fairshare.db", sqlite_dir.display());
    if only != "postgres" {
        run("SQLite", sqlite, &sqlite_dir, voters, seconds).await;
    }
    if only == "sqlite" {
        return;
    }

    if std::env::var("FAIRSHARE_TEST_DATABASE_URL").is_err() {
        std::env::set_var(
            "FAIRSHARE_TEST_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432",
        );
    }
    let pg_dir = dir.path().join("postgres");
    std::fs::create_dir_all(&pg_dir).unwrap();
    let reachable = tokio::net::TcpStream::connect("127.0.0.1:5432")
        .await
        .is_ok();
    if reachable {
        let db = database(&pg_dir).await;
        run("PostgreSQL", db, &pg_dir, voters, seconds).await;
    } else {
        println!("PostgreSQL: no server at 127.0.0.1:5432, skipped");
    }
}
