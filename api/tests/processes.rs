//! The server as separate processes, the way it runs in production: killed
//! in the middle of voting and started again, and two instances over one
//! PostgreSQL database. Each test runs the real `fairshare` binary on its
//! own database (SQLite by default, PostgreSQL when
//! `FAIRSHARE_TEST_DATABASE_URL` is set) and talks to it over HTTP.
mod common;

use common::*;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// SIGKILL the server in the middle of a load, start it again, and check
/// that every acknowledged ballot is there and nothing is half-written;
/// twenty times.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_ballots_survive_twenty_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut server = Server::start(&db, dir.path());
    server.wait_ready(&http).await;
    let e = Arc::new(election(&http, &server.base, dir.path(), &db, 30).await);
    // Per voter: the casts sent (key, bid), in order, and which of them were
    // acknowledged with which receipt.
    type Log = HashMap<usize, Vec<(String, usize, Option<String>)>>;
    let log: Arc<Mutex<Log>> = Arc::default();
    let mut acknowledged_total = 0;
    let mut per_cycle: Vec<usize> = Vec::new();
    for cycle in 0..20 {
        if cycle > 0 {
            server = Server::start(&db, dir.path());
            server.wait_ready(&http).await;
        }
        let base = server.base.clone();
        let acked_now = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut load = Vec::new();
        for v in 0..e.voters.len() {
            let (http, base, e, log, acked_now) = (
                http.clone(),
                base.clone(),
                e.clone(),
                log.clone(),
                acked_now.clone(),
            );
            load.push(tokio::spawn(async move {
                let mut n = 0;
                let give_up = Instant::now() + Duration::from_secs(60);
                while Instant::now() < give_up {
                    let key = format!("crash-{cycle:02}-{v:03}-{n:04}");
                    let bid = v + n + cycle;
                    log.lock()
                        .unwrap()
                        .entry(v)
                        .or_default()
                        .push((key.clone(), bid, None));
                    let res = gql(
                        &http,
                        &base,
                        &format!("10.2.0.{v}"),
                        Some(&e.voters[v]),
                        CAST,
                        cast_vars(&e, bid, &key),
                    )
                    .await;
                    match res {
                        Ok(r) if r.get("errors").is_none() => {
                            let code = r["data"]["castBallot"]["receipt"]["code"]
                                .as_str()
                                .unwrap()
                                .to_owned();
                            let mut l = log.lock().unwrap();
                            l.get_mut(&v).unwrap().last_mut().unwrap().2 = Some(code);
                            acked_now.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                        Ok(r) => panic!("a refusal under load: {r:#}"),
                        Err(_) => break, // the server is gone
                    }
                    n += 1;
                }
            }));
        }
        // Kill once the load is under way (some ballots acknowledged), at a
        // moment that varies from cycle to cycle.
        let deadline = Instant::now() + Duration::from_secs(30);
        while acked_now.load(std::sync::atomic::Ordering::SeqCst) < 10 && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis((cycle as u64 * 53) % 250)).await;
        server.kill();
        for t in load {
            t.await.unwrap();
        }
        acknowledged_total = log
            .lock()
            .unwrap()
            .values()
            .flatten()
            .filter(|(_, _, r)| r.is_some())
            .count();
        per_cycle.push(acknowledged_total - per_cycle.iter().sum::<usize>());
    }
    // Start once more. Each voter's last cast (acknowledged or not) is
    // retried with its key: if it was committed before the crash, the
    // retry returns its receipt and changes nothing; if not, it is cast now.
    let server = Server::start(&db, dir.path());
    server.wait_ready(&http).await;
    let log = log.lock().unwrap().clone();
    let mut last_receipt = BTreeMap::new();
    for (v, casts) in &log {
        let (key, bid, acked) = casts.last().unwrap();
        let r = ok(
            &http,
            &server.base,
            &format!("10.3.0.{v}"),
            Some(&e.voters[*v]),
            CAST,
            cast_vars(&e, *bid, key),
        )
        .await;
        let code = r["castBallot"]["receipt"]["code"]
            .as_str()
            .unwrap()
            .to_owned();
        if let Some(acked) = acked {
            assert_eq!(
                &code, acked,
                "an acknowledged cast answers a retry with its receipt"
            );
            assert_eq!(r["castBallot"]["retried"], true);
        }
        last_receipt.insert(*v, code);
    }
    // One sealed ballot per voter while voting is open; at the close, one
    // whole ballot per voter, each voter's last cast.
    let (_, sealed, participation) = stored(&db).await;
    assert_eq!(sealed.len(), e.voters.len());
    assert_eq!(participation, e.voters.len());
    close(&http, &server.base, &e).await;
    let (ballots, sealed, _) = stored(&db).await;
    assert!(sealed.is_empty());
    let codes: Vec<String> = ballots
        .iter()
        .map(|(_, c)| api::domain::vote::Receipt::code_of(c).unwrap())
        .collect();
    assert_eq!(ballots.len(), e.voters.len());
    for (v, code) in &last_receipt {
        assert!(codes.contains(code), "voter {v}'s last ballot is there");
    }
    // Every acknowledged ballot was there until its own voter replaced it:
    // each acknowledged receipt is either current or followed by a later
    // cast of the same voter.
    for (v, casts) in &log {
        for (i, (_, _, acked)) in casts.iter().enumerate() {
            if let Some(code) = acked {
                assert!(
                    codes.contains(code) || i + 1 < casts.len(),
                    "voter {v}: {code} lost"
                );
            }
        }
    }
    // Each kill came in the middle of a load.
    assert!(
        per_cycle.iter().all(|n| *n >= 10),
        "ballots acknowledged per cycle: {per_cycle:?}"
    );
    println!(
        "20 crashes: {acknowledged_total} ballots acknowledged ({per_cycle:?} per cycle), {} voters, every acknowledged ballot kept",
        e.voters.len()
    );
}

/// Two API processes over one PostgreSQL database, requests split between
/// them: 200 voters casting, replacing and retrying; one current ballot
/// each, every acknowledged receipt present, none counted twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_over_one_postgresql_agree() {
    if std::env::var("FAIRSHARE_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .is_none()
    {
        // SQLite runs one instance only: this is a PostgreSQL test.
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path()).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let a = Server::start(&db, dir.path());
    let b = Server::start(&db, dir.path());
    a.wait_ready(&http).await;
    b.wait_ready(&http).await;
    let e = Arc::new(election(&http, &a.base, dir.path(), &db, 200).await);
    let bases = [a.base.clone(), b.base.clone()];
    let mut tasks = Vec::new();
    for v in 0..e.voters.len() {
        let (http, e, bases) = (http.clone(), e.clone(), bases.clone());
        tasks.push(tokio::spawn(async move {
            let ip = format!("10.4.{}.{}", v / 256, v % 256);
            let first = format!("two-{v:03}-first");
            let second = format!("two-{v:03}-second");
            // The same cast to both instances at once, then a replacement.
            let (r1, r2) = tokio::join!(
                gql(
                    &http,
                    &bases[0],
                    &ip,
                    Some(&e.voters[v]),
                    CAST,
                    cast_vars(&e, v, &first)
                ),
                gql(
                    &http,
                    &bases[1],
                    &ip,
                    Some(&e.voters[v]),
                    CAST,
                    cast_vars(&e, v, &first)
                )
            );
            let (r1, r2) = (r1.unwrap(), r2.unwrap());
            assert_eq!(
                r1["data"]["castBallot"]["receipt"], r2["data"]["castBallot"]["receipt"],
                "{r1:#} {r2:#}"
            );
            let mut last = r1["data"]["castBallot"]["receipt"]["code"]
                .as_str()
                .unwrap()
                .to_owned();
            if v % 2 == 0 {
                let r3 = gql(
                    &http,
                    &bases[v % 2],
                    &ip,
                    Some(&e.voters[v]),
                    CAST,
                    cast_vars(&e, v + 1, &second),
                )
                .await
                .unwrap();
                last = r3["data"]["castBallot"]["receipt"]["code"]
                    .as_str()
                    .unwrap()
                    .to_owned();
            }
            (v, last)
        }));
    }
    let mut expected = Vec::new();
    for t in tasks {
        expected.push(t.await.unwrap());
    }
    let (_, sealed, participation) = stored(&db).await;
    assert_eq!(sealed.len(), 200);
    assert_eq!(participation, 200);
    close(&http, &a.base, &e).await;
    let (ballots, _, _) = stored(&db).await;
    let codes: Vec<String> = ballots
        .iter()
        .map(|(_, c)| api::domain::vote::Receipt::code_of(c).unwrap())
        .collect();
    assert_eq!(ballots.len(), 200);
    for (v, code) in expected {
        assert!(codes.contains(&code), "voter {v}'s receipt is present");
    }
    let distinct: std::collections::HashSet<&String> = codes.iter().collect();
    assert_eq!(distinct.len(), 200, "none counted twice");
}
