//! Ballot secrecy at rest, tried as an attacker would: by reading the
//! database files themselves (SQLite's `.db`, `-wal` and `-shm`, compared
//! byte for byte with a copy holding only the live rows, so that anything
//! deleted but still in the file shows; PostgreSQL's pages, dead row
//! versions included, through `pageinspect`, and the WAL written since the
//! round opened), during voting and after the close. (`sqlite3 .recover`
//! needs the `sqlite_dbpage` table, which Debian's build of SQLite leaves
//! out; the comparison finds what it would.)
//!
//! What a voter holds (receipt codes and keys, idempotency keys) must be
//! nowhere in the files; while voting is open no ballot content or
//! commitment is readable without the server secret; after the close,
//! ballot identifiers, contents and commitments appear only in the
//! anonymous `ballots` table.
use crate::helpers::TestApp;
use crate::phone::{phone_voters, receipt_in, spawn, text};
use crate::voting::{cast, choices, election, ASSISTED};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// What voters were given, and so what nobody else may find.
#[derive(Default)]
struct VoterSecrets {
    receipt_codes: Vec<String>,
    receipt_keys: Vec<String>,
    idempotency_keys: Vec<String>,
}

impl VoterSecrets {
    /// Every form in which a secret could be stored.
    fn needles(&self) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        for c in &self.receipt_codes {
            out.push((c.clone(), "a receipt code"));
            out.push((c.replace('-', ""), "a receipt code"));
        }
        for k in &self.receipt_keys {
            out.push((k.clone(), "a receipt key"));
        }
        for k in &self.idempotency_keys {
            out.push((k.clone(), "an idempotency key"));
        }
        out
    }
}

/// The ballots after the close, read through the database as it is meant
/// to be read.
struct Ballots {
    ids: Vec<String>,
    commitments: Vec<String>,
    contents: Vec<String>,
}

async fn ballots(app: &TestApp) -> Ballots {
    let db = &app.state.db;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, commitment, content FROM ballots",
        ))
        .await
        .unwrap();
    let get = |r: &sea_orm::QueryResult, c: &str| r.try_get::<String>("", c).unwrap();
    Ballots {
        ids: rows.iter().map(|r| get(r, "id")).collect(),
        commitments: rows.iter().map(|r| get(r, "commitment")).collect(),
        contents: rows.iter().map(|r| get(r, "content")).collect(),
    }
}

fn find(haystack: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty() && haystack.windows(n.len()).any(|w| w == n)
}

/// Web voters (some replacing their ballot), paper ballots through an
/// officer, and text-message voters (one replacing): every channel that
/// writes ballots.
async fn vote(app: &TestApp) -> (crate::voting::Election, VoterSecrets) {
    let e = election(app, json!({ "kind": "APPROVAL" }), 14).await;
    let codes = phone_voters(app, &e, 3).await;
    let mut s = VoterSecrets::default();
    let keep = |res: &Value, key: &str, s: &mut VoterSecrets| {
        let r = &res["data"]["castBallot"]["receipt"];
        assert!(r["code"].is_string(), "{res:#}");
        s.receipt_codes.push(r["code"].as_str().unwrap().to_owned());
        s.receipt_keys.push(r["key"].as_str().unwrap().to_owned());
        s.idempotency_keys.push(key.to_owned());
    };
    for (i, v) in e.voters.iter().enumerate().take(12) {
        let key = format!("secret-at-rest-{i:03}-a");
        let res = cast(app, &v.token, &e.round, choices(&[&e.bids[i % 4]]), &key).await;
        keep(&res, &key, &mut s);
        if i % 3 == 0 {
            let key = format!("secret-at-rest-{i:03}-b");
            let two = [e.bids[(i + 1) % 4].as_str(), e.bids[(i + 2) % 4].as_str()];
            let res = cast(app, &v.token, &e.round, choices(&two), &key).await;
            keep(&res, &key, &mut s);
        }
    }
    for (i, v) in e.voters.iter().enumerate().skip(12) {
        let key = format!("secret-paper-{i:03}");
        let res = app
            .ok(
                Some(&e.officer),
                ASSISTED,
                json!({ "i": { "roundId": e.round, "verificationId": v.verification, "channel": "PAPER", "choices": choices(&[&e.bids[0]]), "idempotencyKey": key } }),
            )
            .await;
        s.receipt_codes.push(
            res["castAssistedBallot"]["receipt"]["code"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        s.idempotency_keys.push(key);
    }
    for (i, code) in codes.iter().enumerate() {
        let from = format!("+4477009001{i:02}");
        let reply = text(app, &from, &format!("{code} VOTE {}", 1 + i % 3)).await;
        s.receipt_codes.push(receipt_in(&reply[0]));
        if i == 0 {
            let reply = text(app, &from, "VOTE 2 3").await;
            assert!(reply[0].contains("replaces"), "{reply:?}");
            s.receipt_codes.push(receipt_in(&reply[0]));
        }
    }
    (e, s)
}

async fn close(app: &TestApp, e: &crate::voting::Election) {
    crate::fixtures::advance(app, &e.officer, &e.round, "CLOSED").await;
}

#[tokio::test]
async fn a_copy_of_the_database_files_links_no_voter_to_a_ballot() {
    let app = spawn().await;
    match app.state.db.get_database_backend() {
        DbBackend::Sqlite => sqlite(&app).await,
        DbBackend::Postgres => postgres(&app).await,
        other => panic!("no test for {other:?}"),
    }
}

/// The SQLite database's files, as a copy of them would hold them.
fn sqlite_files(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    let path = app.database_path().expect("a SQLite database");
    ["", "-wal", "-shm"]
        .into_iter()
        .map(|suffix| {
            let name = format!("{}{suffix}", path.display());
            let bytes = std::fs::read(&name).unwrap_or_default();
            (name, bytes)
        })
        .collect()
}

/// A copy of the database holding only its live rows: SQLite's own
/// `VACUUM INTO` rebuilds it page by page, and writes no free page, no
/// freed cell and no WAL.
async fn live_copy(app: &TestApp) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    app.state
        .db
        .execute_unprepared(&format!("VACUUM INTO '{}'", live.display()))
        .await
        .unwrap();
    std::fs::read(live).unwrap()
}

fn occurrences(haystack: &[u8], needle: &str) -> usize {
    let n = needle.as_bytes();
    haystack.windows(n.len()).filter(|w| *w == n).count()
}

async fn sqlite(app: &TestApp) {
    let (e, secrets) = vote(app).await;
    // During voting, a copy of the files shows no ballot and no receipt.
    for (name, bytes) in sqlite_files(app) {
        for (needle, what) in secrets.needles() {
            assert!(
                !find(&bytes, &needle),
                "{name} holds {what} during voting: {needle}"
            );
        }
        assert!(
            !find(&bytes, "{\"bids\":["),
            "{name} holds a ballot's content during voting"
        );
    }
    close(app, &e).await;
    let b = ballots(app).await;
    assert_eq!(b.ids.len(), 12 + 2 + 3);

    for (name, bytes) in sqlite_files(app) {
        for (needle, what) in secrets.needles() {
            assert!(
                !find(&bytes, &needle),
                "{name} holds {what} after the close"
            );
        }
        if !name.ends_with(".db") {
            // The WAL and its index: emptied by the close.
            for id in b.ids.iter().chain(&b.commitments) {
                assert!(!find(&bytes, id), "{name} holds a ballot's {id}");
            }
        }
    }
    // The database file holds no more copies of any ballot's identifier,
    // commitment or content than its live rows do: nothing deleted (a
    // link, an old ballot, a sealed row) is left in a free page or a freed
    // cell, where a copy of the file would find it.
    let db_file = &sqlite_files(app)[0].1;
    let live = live_copy(app).await;
    let contents: BTreeSet<&String> = b.contents.iter().collect();
    for x in b.ids.iter().chain(&b.commitments).chain(contents) {
        let (found, expected) = (occurrences(db_file, x), occurrences(&live, x));
        assert!(expected >= 1, "the live rows hold {x}");
        assert_eq!(found, expected, "the file holds {x} outside the live rows");
    }
}

async fn postgres(app: &TestApp) {
    let db = &app.state.db;
    let one = |sql: String| async move {
        db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await
            .unwrap()
            .unwrap()
    };
    db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pageinspect")
        .await
        .unwrap();
    // The WAL written from here on is kept until the test has read it: a
    // replication slot holds it back from being recycled (other tests write
    // plenty meanwhile). One left by a test that failed half-way goes first.
    db.execute_unprepared(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
         WHERE slot_name LIKE 'fairshare_secrecy_%' AND NOT active",
    )
    .await
    .unwrap();
    let slot = format!("fairshare_secrecy_{}", uuid::Uuid::new_v4().simple());
    db.execute_unprepared(&format!(
        "SELECT pg_create_physical_replication_slot('{slot}', true)"
    ))
    .await
    .unwrap();
    let start: String = one("SELECT pg_current_wal_lsn()::text AS l".into())
        .await
        .try_get("", "l")
        .unwrap();
    let (e, secrets) = vote(app).await;
    for (relation, bytes) in &pages(app).await {
        for (needle, what) in secrets.needles() {
            assert!(
                !find(bytes, &needle),
                "{relation} holds {what} during voting"
            );
        }
        assert!(
            !find(bytes, "{\"bids\":["),
            "{relation} holds a ballot's content during voting"
        );
    }
    let closing: String = one("SELECT pg_current_wal_lsn()::text AS l".into())
        .await
        .try_get("", "l")
        .unwrap();
    close(app, &e).await;
    let end: String = one("SELECT pg_current_wal_lsn()::text AS l".into())
        .await
        .try_get("", "l")
        .unwrap();
    let b = ballots(app).await;
    assert_eq!(b.ids.len(), 12 + 2 + 3);

    // Every page of every relation of the database, dead rows included
    // (the close's `VACUUM` runs after its commit, before it answers).
    for (relation, bytes) in pages(app).await {
        for (needle, what) in secrets.needles() {
            assert!(!find(&bytes, &needle), "{relation} holds {what}");
        }
        let of_ballots = relation == "ballots" || relation.starts_with("ballots:");
        if !of_ballots {
            for x in b.ids.iter().chain(&b.commitments) {
                assert!(!find(&bytes, x), "{relation} holds a ballot's {x}");
            }
            assert!(
                !find(&bytes, "{\"bids\":["),
                "{relation} holds a ballot's content"
            );
        }
    }
    // The WAL since the round opened: no voter's secret at all, and
    // before the close no ballot's commitment or content.
    let wal = wal_between(app, &start, &end).await;
    db.execute_unprepared(&format!("SELECT pg_drop_replication_slot('{slot}')"))
        .await
        .unwrap();
    let voting_part = &wal[..wal_offset(&start, &closing).min(wal.len())];
    for (needle, what) in secrets.needles() {
        assert!(!find(&wal, &needle), "the WAL holds {what}");
    }
    // (The WAL is the whole server's: other tests' rounds close in it
    // meanwhile, and a content such as `{"bids":[3]}` is not this round's
    // alone. A commitment is: 256 random bits.)
    for c in &b.commitments {
        assert!(
            !find(voting_part, c),
            "the WAL written during voting holds a commitment"
        );
    }
}

/// The raw pages of every relation in the test's database.
async fn pages(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    let db = &app.state.db;
    let relations = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT c.relname AS name, (pg_relation_size(c.oid) / 8192)::bigint AS blocks,
                    COALESCE(t.relname, c.relname) AS owner
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_index i ON i.indexrelid = c.oid
             LEFT JOIN pg_class t ON t.oid = i.indrelid
             WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't')
               AND pg_relation_size(c.oid) > 0",
        ))
        .await
        .unwrap();
    let mut out = Vec::new();
    for r in relations {
        let name: String = r.try_get("", "name").unwrap();
        let owner: String = r.try_get("", "owner").unwrap();
        let blocks: i64 = r.try_get("", "blocks").unwrap();
        let schema = if name.starts_with("pg_toast") {
            "pg_toast"
        } else {
            "public"
        };
        let mut bytes = Vec::new();
        for block in 0..blocks {
            let page = db
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("SELECT get_raw_page('{schema}.\"{name}\"', {block}) AS p"),
                ))
                .await
                .unwrap()
                .unwrap();
            bytes.extend(page.try_get::<Vec<u8>>("", "p").unwrap());
        }
        // An index is named by the table it indexes.
        out.push((
            if owner == name {
                name
            } else {
                format!("{owner}:{name}")
            },
            bytes,
        ));
    }
    out
}

const WAL_SEGMENT: u64 = 16 * 1024 * 1024;

fn lsn(text: &str) -> u64 {
    let (hi, lo) = text.split_once('/').unwrap();
    (u64::from_str_radix(hi, 16).unwrap() << 32) | u64::from_str_radix(lo, 16).unwrap()
}

/// Where `to` falls in the bytes read from `from`'s segment on.
fn wal_offset(from: &str, to: &str) -> usize {
    let start = lsn(from) / WAL_SEGMENT * WAL_SEGMENT;
    (lsn(to) - start) as usize
}

/// The WAL segments from `from` to `to`, read as the server's files.
async fn wal_between(app: &TestApp, from: &str, to: &str) -> Vec<u8> {
    let db = &app.state.db;
    let (first, last) = (lsn(from) / WAL_SEGMENT, lsn(to) / WAL_SEGMENT);
    let mut out = Vec::new();
    for segment in first..=last {
        let at = segment * WAL_SEGMENT;
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT pg_read_binary_file('pg_wal/' || pg_walfile_name('{:X}/{:X}'::pg_lsn)) AS w",
                    at >> 32,
                    (at & 0xffff_ffff) + 1
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        out.extend(row.try_get::<Vec<u8>>("", "w").unwrap());
    }
    out
}
