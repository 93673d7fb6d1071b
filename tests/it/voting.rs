//! Voting: every ballot kind, its refusals, replacement, retries, close,
//! assisted and paper ballots, turnout, secrecy, and many voters at once.
use crate::fixtures::{self, eligibility, in_person_query, person, CREATE_ROUND};
use crate::helpers::{error_code, TestApp};
use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

pub const CAST: &str = "mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { code key } castAt replaced retried } }";
pub const ASSISTED: &str = "mutation($i: CastAssistedBallotInput!) { castAssistedBallot(input: $i) { receipt { code } replaced retried } }";
const MY_BALLOT: &str = "query($r: ID!) { myBallot(roundId: $r) { channel lines { position value bid { id title } } } }";
const MY_VOTE: &str =
    "query($r: ID!) { myVote(roundId: $r) { voted lastVotedAt channel canVote } }";
const TURNOUT: &str = "query($r: ID!) { turnout(roundId: $r) { voted verified byArea { area { name } voted verified } byChannel { channel voted } byAssurance { assurance voted } duplicates { kept dropped people } } }";
const REVIEW: &str = "mutation($id: ID!, $d: ReviewDecision!, $r: String) { reviewBid(id: $id, decision: $d, reason: $r) { status } }";

/// A round over Hyde Park (£10,000) and Chapel Allerton (£5,000) with the
/// given ballot settings, four eligible bids in Hyde Park (£1,000, £2,000,
/// £3,000, £6,000), one ineligible there, one eligible in Chapel Allerton,
/// and `voters` residents of Hyde Park verified in person and signed in.
pub struct Election {
    pub officer: String,
    pub round: String,
    pub bids: Vec<String>,
    pub ineligible: String,
    pub other_pot_bid: String,
    pub voters: Vec<Voter>,
}

pub struct Voter {
    pub token: String,
    pub verification: String,
}

pub async fn election(app: &TestApp, ballot: Value, voters: usize) -> Election {
    election_closing(app, ballot, voters, None).await
}

/// `election`, with voting set to close at `closes`.
pub async fn election_closing(
    app: &TestApp,
    ballot: Value,
    voters: usize,
    closes: Option<chrono::DateTime<chrono::Utc>>,
) -> Election {
    let e = election_in_review(app, ballot, voters, closes).await;
    fixtures::advance(app, &e.officer, &e.round, "VOTING").await;
    e
}

/// The same election just before voting opens: its bids reviewed, its
/// voters verified.
pub async fn election_in_review(
    app: &TestApp,
    ballot: Value,
    voters: usize,
    closes: Option<chrono::DateTime<chrono::Utc>>,
) -> Election {
    let officer = app.officer().await;
    let hyde_park = fixtures::area(app, &officer, "Hyde Park", &["LS6 1", "LS6 2"]).await;
    let chapel = fixtures::area(app, &officer, "Chapel Allerton", &["LS7 3"]).await;
    let mut input = fixtures::round_input(
        "Neighbourhood Fund",
        &[(&hyde_park, 1_000_000), (&chapel, 500_000)],
    );
    input["ballot"] = ballot;
    input["countingRule"] = if input["ballot"]["kind"] == "RANKED" {
        json!({ "name": "irv", "seats": 1 })
    } else {
        json!({ "name": "greedy" })
    };
    input["eligibility"] = eligibility(json!({}));
    if let Some(closes) = closes {
        input["schedule"] = json!({ "votingClosesAt": closes.to_rfc3339() });
    }
    let round = app
        .ok(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await["createRound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fixtures::advance(app, &officer, &round, "BIDS_OPEN").await;
    let chair = app.sign_in("chair@friends.test").await;
    let group = fixtures::group(app, &chair, "Friends of the Moor", &hyde_park).await;
    let mut bids = Vec::new();
    for (title, cost) in [
        ("Benches on the Moor", 100_000),
        ("Bulbs along the paths", 200_000),
        ("Bins by the play area", 300_000),
        ("Bowls green repairs", 600_000),
    ] {
        bids.push(fixtures::bid(app, &chair, &round, &group, &hyde_park, title, cost).await);
    }
    let ineligible = fixtures::bid(
        app,
        &chair,
        &round,
        &group,
        &hyde_park,
        "Bandstand lights",
        100_000,
    )
    .await;
    let other = fixtures::group(app, &chair, "Allotment Society", &chapel).await;
    let other_pot_bid = fixtures::bid(
        app,
        &chair,
        &round,
        &other,
        &chapel,
        "Beds for the allotment",
        50_000,
    )
    .await;
    fixtures::advance(app, &officer, &round, "BID_REVIEW").await;
    for b in bids.iter().chain([&other_pot_bid]) {
        app.ok(Some(&officer), REVIEW, json!({ "id": b, "d": "ELIGIBLE" }))
            .await;
    }
    app.ok(
        Some(&officer),
        REVIEW,
        json!({ "id": ineligible, "d": "INELIGIBLE", "r": "Outside the ward." }),
    )
    .await;
    let voters = verified_voters(app, &officer, &round, voters, 0).await;
    Election {
        officer,
        round,
        bids,
        ineligible,
        other_pot_bid,
        voters,
    }
}

/// `n` residents of Hyde Park, verified in person with an email address
/// and signed in (each from their own client address).
pub async fn verified_voters(
    app: &TestApp,
    officer: &str,
    round: &str,
    n: usize,
    from: usize,
) -> Vec<Voter> {
    let mut out = Vec::new();
    let indices: Vec<usize> = (from..from + n).collect();
    for chunk in indices.chunks(25) {
        let made = join_all(chunk.iter().map(|&i| async move {
            let email = format!("voter{i}@example.org");
            let input = json!({
                "person": person(&format!("Voter Number{i}"), &format!("19{:02}-0{}-1{}", 40 + i % 50, 1 + i % 9, i % 10), "LS6 1AB"),
                "evidence": "PHOTO_ID",
                "email": email,
            });
            let v = app
                .ok(Some(officer), &in_person_query(), json!({ "r": round, "i": input }))
                .await;
            let verification = v["recordInPersonVerification"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let token = app
                .sign_in_from(&email, &format!("10.{}.{}.{}", i / 65536 % 256, i / 256 % 256, i % 256))
                .await;
            Voter {
                token,
                verification,
            }
        }))
        .await;
        out.extend(made);
    }
    out
}

pub fn choices(bids: &[&str]) -> Value {
    json!(bids
        .iter()
        .map(|b| json!({ "bidId": b }))
        .collect::<Vec<_>>())
}

fn valued(lines: &[(&str, i64)]) -> Value {
    json!(lines
        .iter()
        .map(|(b, v)| json!({ "bidId": b, "value": v }))
        .collect::<Vec<_>>())
}

pub async fn cast(app: &TestApp, token: &str, round: &str, choices: Value, key: &str) -> Value {
    app.gql(
        Some(token),
        CAST,
        json!({ "i": { "roundId": round, "choices": choices, "idempotencyKey": key } }),
    )
    .await
}

/// Every ballot the store holds, every column as text: while voting is
/// open they are sealed, and opened here with each round's key (a test's
/// view, which nothing in the service offers); after the close, the rows of
/// `ballots`.
pub async fn ballot_rows(app: &TestApp) -> Vec<BTreeMap<String, Value>> {
    api::service::voting::stored_ballots(&app.state)
        .await
        .unwrap()
        .into_iter()
        .map(|b| {
            BTreeMap::from([
                ("id".to_owned(), json!(b.id)),
                ("round_id".to_owned(), json!(b.round_id.to_string())),
                ("pot_id".to_owned(), json!(b.pot_id.to_string())),
                ("content".to_owned(), json!(b.content)),
                ("commitment".to_owned(), json!(b.commitment)),
                ("channel".to_owned(), json!(b.channel)),
            ])
        })
        .collect()
}

/// Every row of a table, every column as text.
pub async fn dump_table(app: &TestApp, table: &str) -> Vec<BTreeMap<String, Value>> {
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let columns: Vec<String> = match backend {
        DbBackend::Sqlite => db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT name FROM pragma_table_info('{table}')"),
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.try_get::<String>("", "name").unwrap())
            .collect(),
        _ => db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = 'public' ORDER BY ordinal_position"),
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.try_get::<String>("", "column_name").unwrap())
            .collect(),
    };
    let select = columns
        .iter()
        .map(|c| format!("CAST({c} AS TEXT) AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    db.query_all_raw(Statement::from_string(
        backend,
        format!("SELECT {select} FROM {table}"),
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|r| {
        columns
            .iter()
            .map(|c| {
                let v: Option<String> = r.try_get("", c).unwrap();
                (c.clone(), v.map(Value::String).unwrap_or(Value::Null))
            })
            .collect()
    })
    .collect()
}

async fn table_names(app: &TestApp) -> Vec<String> {
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'",
    };
    db.query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get::<String>("", "t").unwrap())
        .collect()
}

#[tokio::test]
async fn approval_ballots_are_cast_checked_replaced_and_retried() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 2 }), 2).await;
    let v = &e.voters[0];
    let b = |i: usize| e.bids[i].as_str();

    // Each wrong shape has its code, and stores nothing.
    for (choices, code) in [
        (self::choices(&[]), "TOO_FEW_CHOICES"),
        (self::choices(&[b(0), b(1), b(2)]), "TOO_MANY_CHOICES"),
        (self::choices(&[b(0), b(0)]), "DUPLICATE_RANK"),
        (self::choices(&[&e.ineligible]), "BID_NOT_IN_POT"),
        (self::choices(&[&e.other_pot_bid]), "BID_NOT_IN_POT"),
        (self::choices(&["not-a-bid"]), "BID_NOT_IN_POT"),
        (valued(&[(b(0), 3)]), "INVALID_INPUT"),
    ] {
        let res = cast(&app, &v.token, &e.round, choices.clone(), "key-wrong-0001").await;
        assert_eq!(error_code(&res), code, "{choices}");
        assert!(!res["errors"][0]["message"].as_str().unwrap().is_empty());
    }
    assert!(ballot_rows(&app).await.is_empty());
    let res = cast(&app, &v.token, &e.round, self::choices(&[b(0)]), "short").await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "idempotencyKey");

    // A good ballot: a receipt, and the voter can see it.
    let first = cast(
        &app,
        &v.token,
        &e.round,
        self::choices(&[b(1), b(0)]),
        "key-first-0001",
    )
    .await;
    let receipt = first["data"]["castBallot"]["receipt"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(receipt.len(), 19, "{first:#}");
    assert_eq!(first["data"]["castBallot"]["replaced"], false);
    let mine = app
        .ok(Some(&v.token), MY_BALLOT, json!({ "r": e.round }))
        .await;
    let ids: Vec<&str> = mine["myBallot"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["bid"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [b(0), b(1)], "stored in canonical order");

    // A retry with the same key: the same receipt, nothing changed.
    let retry = cast(
        &app,
        &v.token,
        &e.round,
        self::choices(&[b(1), b(0)]),
        "key-first-0001",
    )
    .await;
    assert_eq!(
        retry["data"]["castBallot"]["receipt"]["code"],
        receipt.as_str()
    );
    assert_eq!(retry["data"]["castBallot"]["retried"], true);
    assert_eq!(ballot_rows(&app).await.len(), 1);

    // A change of mind replaces it; only the latest counts.
    let second = cast(
        &app,
        &v.token,
        &e.round,
        self::choices(&[b(3)]),
        "key-second-001",
    )
    .await;
    assert_eq!(second["data"]["castBallot"]["replaced"], true);
    assert_ne!(
        second["data"]["castBallot"]["receipt"]["code"],
        receipt.as_str()
    );
    let rows = ballot_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["content"],
        json!(format!("{{\"bids\":[{}]}}", b(3)))
    );
    // A late retry of the first cast changes nothing back.
    let late = cast(
        &app,
        &v.token,
        &e.round,
        self::choices(&[b(1), b(0)]),
        "key-first-0001",
    )
    .await;
    assert_eq!(late["data"]["castBallot"]["retried"], true);
    assert_eq!(ballot_rows(&app).await[0]["content"], rows[0]["content"]);

    // Status, at any time.
    let status = app
        .ok(Some(&v.token), MY_VOTE, json!({ "r": e.round }))
        .await;
    assert_eq!(status["myVote"]["voted"], true);
    assert_eq!(status["myVote"]["channel"], "WEB");
    let other = app
        .ok(Some(&e.voters[1].token), MY_VOTE, json!({ "r": e.round }))
        .await;
    assert_eq!(other["myVote"]["voted"], false);
    assert_eq!(other["myVote"]["canVote"], true);
    // Nobody but the voter sees the ballot.
    assert!(app
        .ok(Some(&e.voters[1].token), MY_BALLOT, json!({ "r": e.round }))
        .await["myBallot"]
        .is_null());
    assert!(app
        .ok(Some(&e.officer), MY_BALLOT, json!({ "r": e.round }))
        .await["myBallot"]
        .is_null());

    // Someone who is not verified, and the round once closed.
    let stranger = app.sign_in("stranger@example.org").await;
    let res = cast(
        &app,
        &stranger,
        &e.round,
        self::choices(&[b(0)]),
        "key-stranger-1",
    )
    .await;
    assert_eq!(error_code(&res), "NOT_VERIFIED");
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    let res = cast(
        &app,
        &e.voters[1].token,
        &e.round,
        self::choices(&[b(0)]),
        "key-too-late-1",
    )
    .await;
    assert_eq!(error_code(&res), "VOTING_CLOSED");
    assert!(app
        .ok(Some(&v.token), MY_BALLOT, json!({ "r": e.round }))
        .await["myBallot"]
        .is_null());
    let status = app
        .ok(Some(&v.token), MY_VOTE, json!({ "r": e.round }))
        .await;
    assert_eq!(status["myVote"]["voted"], true);
    assert_eq!(status["myVote"]["canVote"], false);
}

#[tokio::test]
async fn knapsack_ballots_fit_the_pot() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "KNAPSACK" }), 1).await;
    let t = &e.voters[0].token;
    let b = |i: usize| e.bids[i].as_str();
    // £1,000 + £3,000 + £6,000 = £10,000: exactly the pot.
    let ok = cast(
        &app,
        t,
        &e.round,
        choices(&[b(0), b(2), b(3)]),
        "knapsack-ok-01",
    )
    .await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
    let res = cast(
        &app,
        t,
        &e.round,
        choices(&[b(1), b(2), b(3)]),
        "knapsack-over1",
    )
    .await;
    assert_eq!(error_code(&res), "OVER_BUDGET");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("£10,000.00"));
}

#[tokio::test]
async fn ranked_ballots_keep_their_order() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "RANKED", "maxChoices": 3 }), 1).await;
    let t = &e.voters[0].token;
    let b = |i: usize| e.bids[i].as_str();
    let res = cast(
        &app,
        t,
        &e.round,
        choices(&[b(2), b(0), b(2)]),
        "ranked-dup-001",
    )
    .await;
    assert_eq!(error_code(&res), "DUPLICATE_RANK");
    let res = cast(
        &app,
        t,
        &e.round,
        choices(&[b(2), b(0), b(1), b(3)]),
        "ranked-many-01",
    )
    .await;
    assert_eq!(error_code(&res), "TOO_MANY_CHOICES");
    let ok = cast(
        &app,
        t,
        &e.round,
        choices(&[b(2), b(0), b(1)]),
        "ranked-ok-0001",
    )
    .await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
    let mine = app.ok(Some(t), MY_BALLOT, json!({ "r": e.round })).await;
    let order: Vec<(i64, &str)> = mine["myBallot"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["position"].as_i64().unwrap(),
                l["bid"]["id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(order, [(1, b(2)), (2, b(0)), (3, b(1))]);
}

#[tokio::test]
async fn scoring_ballots_rate_every_bid_on_the_scale() {
    let app = TestApp::spawn().await;
    let e = election(
        &app,
        json!({ "kind": "SCORING", "scoreMin": 1, "scoreMax": 5 }),
        1,
    )
    .await;
    let t = &e.voters[0].token;
    let b = |i: usize| e.bids[i].as_str();
    let res = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 5), (b(1), 4)]),
        "scoring-few-01",
    )
    .await;
    assert_eq!(error_code(&res), "TOO_FEW_CHOICES");
    let res = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 5), (b(1), 4), (b(2), 6), (b(3), 1)]),
        "scoring-high-1",
    )
    .await;
    assert_eq!(error_code(&res), "SCORE_OUT_OF_RANGE");
    let res = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 5), (b(1), 4), (b(2), 0), (b(3), 1)]),
        "scoring-low-01",
    )
    .await;
    assert_eq!(error_code(&res), "SCORE_OUT_OF_RANGE");
    let res = cast(
        &app,
        t,
        &e.round,
        choices(&[b(0), b(1), b(2), b(3)]),
        "scoring-none-1",
    )
    .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    let ok = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(3), 1), (b(0), 5), (b(1), 4), (b(2), 3)]),
        "scoring-ok-001",
    )
    .await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
    let rows = ballot_rows(&app).await;
    let expected = format!(
        "{{\"bids\":[{},{},{},{}],\"values\":[5,4,3,1]}}",
        b(0),
        b(1),
        b(2),
        b(3)
    );
    assert_eq!(rows[0]["content"], json!(expected));
}

#[tokio::test]
async fn points_ballots_spread_their_points() {
    let app = TestApp::spawn().await;
    let e = election(
        &app,
        json!({ "kind": "POINTS_ALLOCATION", "pointsTotal": 10, "pointsMaxPerBid": 6 }),
        1,
    )
    .await;
    let t = &e.voters[0].token;
    let b = |i: usize| e.bids[i].as_str();
    let res = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 7), (b(1), 3)]),
        "points-per-001",
    )
    .await;
    assert_eq!(error_code(&res), "POINTS_EXCEED_LIMIT");
    let res = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 6), (b(1), 5)]),
        "points-total-1",
    )
    .await;
    assert_eq!(error_code(&res), "POINTS_EXCEED_LIMIT");
    let res = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 0), (b(1), 0)]),
        "points-none-01",
    )
    .await;
    assert_eq!(error_code(&res), "TOO_FEW_CHOICES");
    // Bids left at 0 are not on the ballot.
    let ok = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 6), (b(1), 4), (b(2), 0)]),
        "points-ok-0001",
    )
    .await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
    let mine = app.ok(Some(t), MY_BALLOT, json!({ "r": e.round })).await;
    assert_eq!(mine["myBallot"]["lines"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn money_ballots_share_out_the_pot() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "MONEY_ALLOCATION" }), 1).await;
    let t = &e.voters[0].token;
    let b = |i: usize| e.bids[i].as_str();
    // More to one bid than it costs.
    let res = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 150_000)]),
        "money-bid-0001",
    )
    .await;
    assert_eq!(error_code(&res), "OVER_BUDGET");
    // More than the pot in all.
    let res = cast(
        &app,
        t,
        &e.round,
        valued(&[
            (b(0), 100_000),
            (b(1), 200_000),
            (b(2), 300_000),
            (b(3), 600_000),
        ]),
        "money-pot-0001",
    )
    .await;
    assert_eq!(error_code(&res), "OVER_BUDGET");
    let res = cast(&app, t, &e.round, valued(&[(b(0), -5)]), "money-neg-0001").await;
    assert_eq!(error_code(&res), "SCORE_OUT_OF_RANGE");
    let ok = cast(
        &app,
        t,
        &e.round,
        valued(&[(b(0), 100_000), (b(3), 600_000)]),
        "money-ok-00001",
    )
    .await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
}

#[tokio::test]
async fn officers_enter_assisted_and_paper_ballots_under_the_duplicate_policy() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 3).await;
    let b = |i: usize| e.bids[i].as_str();
    let assisted = |v: &Voter, channel: &str, bids: &[&str], key: &str| json!({ "i": { "roundId": e.round, "verificationId": v.verification, "channel": channel, "choices": choices(bids), "idempotencyKey": key } });
    // A resident cannot enter a ballot for someone else.
    assert_eq!(
        app.refused(
            Some(&e.voters[0].token),
            ASSISTED,
            assisted(&e.voters[1], "ASSISTED", &[b(0)], "assist-resident")
        )
        .await,
        "NOT_AUTHORISED"
    );
    // Paper for voter 0: counted, audited with the officer, not shown back.
    let data = app
        .ok(
            Some(&e.officer),
            ASSISTED,
            assisted(&e.voters[0], "PAPER", &[b(0)], "paper-voter-0000"),
        )
        .await;
    assert_eq!(data["castAssistedBallot"]["replaced"], false);
    let res = app
        .gql(
            Some(&e.officer),
            "mutation($i: CastAssistedBallotInput!) { castAssistedBallot(input: $i) { receipt { code } lines } }",
            assisted(&e.voters[0], "PAPER", &[b(0)], "paper-voter-0000"),
        )
        .await;
    assert_eq!(
        error_code(&res),
        "GRAPHQL_VALIDATION_FAILED",
        "no field gives the ballot back"
    );
    let audits: Vec<_> = api::store::audit_events::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "ballot_cast")
        .collect();
    assert_eq!(audits.len(), 1);
    assert!(audits[0].details.contains("paper"));
    let officer_id = app.ok(Some(&e.officer), "{ me { id } }", json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    assert_eq!(audits[0].actor_account_id, Some(officer_id));
    // The voter then votes online: by default the later ballot counts, and
    // the case is counted for officers.
    let online = cast(
        &app,
        &e.voters[0].token,
        &e.round,
        choices(&[b(1)]),
        "online-after-paper",
    )
    .await;
    assert_eq!(online["data"]["castBallot"]["replaced"], true, "{online:#}");
    // Voter 1 votes online first, then a paper form comes in: replaced too.
    cast(
        &app,
        &e.voters[1].token,
        &e.round,
        choices(&[b(2)]),
        "online-voter-1111",
    )
    .await;
    app.ok(
        Some(&e.officer),
        ASSISTED,
        assisted(&e.voters[1], "ASSISTED", &[b(3)], "assisted-voter-11"),
    )
    .await;
    let t = app
        .ok(Some(&e.officer), TURNOUT, json!({ "r": e.round }))
        .await["turnout"]
        .clone();
    assert_eq!(t["voted"], 2);
    assert_eq!(t["verified"], 3);
    assert_eq!(
        t["byArea"],
        json!([
            { "area": { "name": "Hyde Park" }, "voted": 2, "verified": 3 },
            { "area": { "name": "Chapel Allerton" }, "voted": 0, "verified": 0 }
        ])
    );
    assert_eq!(
        t["byChannel"],
        json!([{ "channel": "WEB", "voted": 1 }, { "channel": "ASSISTED", "voted": 1 }])
    );
    assert_eq!(
        t["byAssurance"],
        json!([{ "assurance": "higher", "voted": 2 }])
    );
    assert_eq!(
        t["duplicates"],
        json!([
            { "kept": "WEB", "dropped": "PAPER", "people": 1 },
            { "kept": "ASSISTED", "dropped": "WEB", "people": 1 }
        ])
    );
    // Residents do not see turnout during voting.
    assert_eq!(
        app.refused(Some(&e.voters[2].token), TURNOUT, json!({ "r": e.round }))
            .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(ballot_rows(&app).await.len(), 2);
}

#[tokio::test]
async fn a_round_that_keeps_the_paper_ballot_refuses_the_online_one() {
    let app = TestApp::spawn().await;
    let e = election(
        &app,
        json!({ "kind": "APPROVAL", "duplicatePolicy": "OFFICER_COUNTS" }),
        1,
    )
    .await;
    let v = &e.voters[0];
    app.ok(
        Some(&e.officer),
        ASSISTED,
        json!({ "i": { "roundId": e.round, "verificationId": v.verification, "channel": "PAPER", "choices": choices(&[&e.bids[0]]), "idempotencyKey": "paper-kept-0001" } }),
    )
    .await;
    let res = cast(
        &app,
        &v.token,
        &e.round,
        choices(&[&e.bids[1]]),
        "online-refused-1",
    )
    .await;
    assert_eq!(error_code(&res), "ALREADY_VOTED");
    let rows = ballot_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["content"],
        json!(format!("{{\"bids\":[{}]}}", e.bids[0]))
    );
    let t = app
        .ok(Some(&e.officer), TURNOUT, json!({ "r": e.round }))
        .await;
    assert_eq!(
        t["turnout"]["duplicates"],
        json!([{ "kept": "PAPER", "dropped": "WEB", "people": 1 }])
    );
}

/// After close, nothing in the database links a person to a ballot.
#[tokio::test]
async fn after_close_no_table_links_a_person_to_a_ballot() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 12).await;
    let mut receipts = Vec::new();
    for (i, v) in e.voters.iter().enumerate() {
        let res = cast(
            &app,
            &v.token,
            &e.round,
            choices(&[&e.bids[i % 4]]),
            &format!("secrecy-key-{i:04}"),
        )
        .await;
        receipts.push(
            res["data"]["castBallot"]["receipt"]["code"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // One replaces, and one comes in on paper.
    cast(
        &app,
        &e.voters[0].token,
        &e.round,
        choices(&[&e.bids[3]]),
        "secrecy-again-01",
    )
    .await;
    app.ok(
        Some(&e.officer),
        ASSISTED,
        json!({ "i": { "roundId": e.round, "verificationId": e.voters[1].verification, "channel": "PAPER", "choices": choices(&[&e.bids[2]]), "idempotencyKey": "secrecy-paper-01" } }),
    )
    .await;
    // While voting is open, each voter's ballot is in the sealed store
    // (they can replace it), under a keyed hash of the voter.
    assert_eq!(dump_table(&app, "sealed_ballots").await.len(), 12);
    assert_eq!(dump_table(&app, "round_keys").await.len(), 1);
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;

    let ballots = ballot_rows(&app).await;
    assert_eq!(ballots.len(), 12);
    let ballot_ids: HashSet<String> = ballots
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .collect();
    let commitments: HashSet<String> = ballots
        .iter()
        .map(|b| b["commitment"].as_str().unwrap().to_owned())
        .collect();
    // A ballot row holds no person, no time and no sequence.
    let mut columns: Vec<&String> = ballots[0].keys().collect();
    columns.sort();
    assert_eq!(
        columns,
        [
            "channel",
            "commitment",
            "content",
            "id",
            "pot_id",
            "round_id"
        ]
    );
    // The paper ballot was the only one of its kind in the ward: its
    // channel is gone, so it cannot be matched to the one paper voter.
    assert!(ballots
        .iter()
        .all(|b| b["channel"].is_null() || b["channel"] == "web"));
    assert_eq!(ballots.iter().filter(|b| b["channel"] == "web").count(), 11);
    // Ballot identifiers are random, not a sequence.
    assert!(ballot_ids
        .iter()
        .all(|id| id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit())));

    // No other table holds a ballot's identifier, commitment or receipt.
    for table in table_names(&app).await {
        if table == "ballots" {
            continue;
        }
        let rows = dump_table(&app, &table).await;
        if ["sealed_ballots", "cast_answers", "round_keys"].contains(&table.as_str()) {
            assert!(rows.is_empty(), "{table} is emptied at close");
        }
        for row in &rows {
            for (column, value) in row {
                let Some(text) = value.as_str() else { continue };
                for secret in ballot_ids.iter().chain(&commitments).chain(&receipts) {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{table}.{column} holds a ballot's {secret}"
                    );
                }
            }
        }
    }
    // What remains of who voted: participation, which names no ballot and
    // carries no column that a ballot row shares except the pot.
    let participation = dump_table(&app, "participation").await;
    assert_eq!(participation.len(), 12);
    let shared: Vec<&String> = participation[0]
        .keys()
        .filter(|c| {
            ballots[0].contains_key(*c) && !["round_id", "pot_id", "id"].contains(&c.as_str())
        })
        .collect();
    assert_eq!(
        shared,
        ["channel"],
        "only the channel, coarsened on ballots"
    );
    // The ballots are not in the order they were cast.
    let mut cast_order = Vec::new();
    for c in &receipts {
        if let Some(b) = ballots.iter().position(|b| {
            api::domain::vote::Receipt::code_of(b["commitment"].as_str().unwrap()).as_deref()
                == Some(c.as_str())
        }) {
            cast_order.push(b);
        }
    }
    assert!(cast_order.len() >= 10);
    let sorted = {
        let mut s = cast_order.clone();
        s.sort();
        s
    };
    assert_ne!(cast_order, sorted, "rows are shuffled at close");
}

/// 200 voters at once, casting, replacing and retrying with the same keys.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_voters_at_once_are_each_counted_once() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 200).await;
    let round = &e.round;
    let bids = &e.bids;
    let app = &app;
    let results = join_all(e.voters.iter().enumerate().map(|(i, v)| async move {
        let first = format!("load-{i:04}-first");
        let second = format!("load-{i:04}-second");
        let a = json!([{ "bidId": bids[i % 4] }]);
        let b = json!([{ "bidId": bids[(i + 1) % 4] }]);
        // Cast, retry the same cast at once, then (for half of them)
        // replace and retry the replacement.
        let (r1, r2) = tokio::join!(
            cast(app, &v.token, round, a.clone(), &first),
            cast(app, &v.token, round, a, &first)
        );
        let mut acknowledged = vec![(first.clone(), r1), (first, r2)];
        if i % 2 == 0 {
            let (r3, r4) = tokio::join!(
                cast(app, &v.token, round, b.clone(), &second),
                cast(app, &v.token, round, b, &second)
            );
            acknowledged.push((second.clone(), r3));
            acknowledged.push((second, r4));
        }
        (i, acknowledged)
    }))
    .await;
    let mut final_receipt: BTreeMap<usize, String> = BTreeMap::new();
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    for (i, acks) in &results {
        for (key, res) in acks {
            assert!(res.get("errors").is_none(), "voter {i}: {res:#}");
            let code = res["data"]["castBallot"]["receipt"]["code"]
                .as_str()
                .unwrap()
                .to_owned();
            // Retries of one key got one receipt.
            if let Some(seen) = by_key.insert(key.clone(), code.clone()) {
                assert_eq!(seen, code, "{key}");
            }
        }
        let last_key = &acks.last().unwrap().0;
        final_receipt.insert(*i, by_key[last_key].clone());
    }
    let ballots = ballot_rows(app).await;
    assert_eq!(ballots.len(), 200, "one current ballot per voter");
    let stored: HashSet<String> = ballots
        .iter()
        .map(|b| api::domain::vote::Receipt::code_of(b["commitment"].as_str().unwrap()).unwrap())
        .collect();
    for (i, code) in &final_receipt {
        assert!(stored.contains(code), "voter {i}'s last receipt is present");
    }
    assert_eq!(stored.len(), 200, "none counted twice");
    let t = app
        .ok(Some(&e.officer), TURNOUT, json!({ "r": e.round }))
        .await;
    assert_eq!(t["turnout"]["voted"], 200);
}

/// A write that fails part-way through a cast (here: the audit table has
/// gone) loses that cast whole, tells the voter to try again, and leaves
/// the ballots cast beside it in the same batch intact.
#[tokio::test]
async fn a_cast_that_fails_part_way_leaves_nothing_half_written() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 2 }), 6).await;
    let db = &app.state.db;
    let b = |i: usize| e.bids[i].as_str();
    app.ok(
        Some(&e.voters[0].token),
        CAST,
        json!({ "i": { "roundId": e.round, "choices": choices(&[b(0)]), "idempotencyKey": "before-the-fault" } }),
    )
    .await;
    db.execute_unprepared("ALTER TABLE audit_events RENAME TO audit_events_away")
        .await
        .unwrap();
    // Five voters at once: each ballot is written, then its audit fails.
    let answers = join_all((1..6).map(|i| {
        let (app, e) = (&app, &e);
        async move {
            cast(
                app,
                &e.voters[i].token,
                &e.round,
                choices(&[b(1)]),
                &format!("during-the-fault-{i}"),
            )
            .await
        }
    }))
    .await;
    for res in &answers {
        assert_eq!(error_code(res), "INTERNAL", "{res:#}");
        let message = res["errors"][0]["message"].as_str().unwrap();
        assert!(!message.contains("audit"), "no internal text: {message}");
    }
    assert_eq!(
        ballot_rows(&app).await.len(),
        1,
        "only the ballot cast before"
    );
    db.execute_unprepared("ALTER TABLE audit_events_away RENAME TO audit_events")
        .await
        .unwrap();
    // Put right, the same casts go through, once each.
    for i in 1..6 {
        let res = cast(
            &app,
            &e.voters[i].token,
            &e.round,
            choices(&[b(1)]),
            &format!("during-the-fault-{i}"),
        )
        .await;
        assert!(res.get("errors").is_none(), "{res:#}");
        assert_eq!(res["data"]["castBallot"]["retried"], false);
    }
    assert_eq!(ballot_rows(&app).await.len(), 6);
}

/// Deleting your verification while voting is open withdraws the vote
/// cast with it: proving who you are again and voting again counts you
/// once, not twice. After the close, ballots name nobody and stay.
#[tokio::test]
async fn deleting_a_verification_while_voting_withdraws_its_vote() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 2).await;
    let delete = "mutation($r: ID!) { deleteMyVerification(roundId: $r) }";
    let cast = |i: usize, key: &str| json!({ "i": { "roundId": e.round, "choices": choices(&[e.bids[i].as_str()]), "idempotencyKey": key } });
    app.ok(Some(&e.voters[0].token), CAST, cast(0, "first-0001"))
        .await;
    app.ok(Some(&e.voters[1].token), CAST, cast(1, "other-0001"))
        .await;
    assert_eq!(ballot_rows(&app).await.len(), 2);
    let done = app
        .ok(Some(&e.voters[0].token), delete, json!({ "r": e.round }))
        .await;
    assert_eq!(done["deleteMyVerification"], true);
    // Withdrawn: the store and the turnout no longer hold it.
    assert_eq!(ballot_rows(&app).await.len(), 1);
    let turnout = app
        .ok(Some(&e.officer), TURNOUT, json!({ "r": e.round }))
        .await;
    assert_eq!(turnout["turnout"]["voted"], 1, "{turnout:#}");
    // Proven again (the same details, the same address), and voting again.
    let again = json!({
        "person": person("Voter Number0", "1940-01-10", "LS6 1AB"),
        "evidence": "PHOTO_ID",
        "email": "voter0@example.org",
    });
    app.ok(
        Some(&e.officer),
        &in_person_query(),
        json!({ "r": e.round, "i": again }),
    )
    .await;
    app.ok(Some(&e.voters[0].token), CAST, cast(2, "again-0001"))
        .await;
    assert_eq!(ballot_rows(&app).await.len(), 2);
    crate::fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    // Counted once each: two ballots, the second voter's and the new one.
    let first: i64 = e.bids[0].parse().unwrap();
    let kept: Vec<Value> = ballot_rows(&app)
        .await
        .iter()
        .map(|b| serde_json::from_str(b["content"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(
        kept.iter()
            .all(|c| !c["bids"].as_array().unwrap().contains(&json!(first))),
        "{kept:?}"
    );
    // After the close, deleting leaves the ballots as counted.
    app.ok(Some(&e.voters[1].token), delete, json!({ "r": e.round }))
        .await;
    assert_eq!(ballot_rows(&app).await.len(), 2);
}

/// A round closed by hand before its closing date says when voting really
/// closed (`votingClosedAt`), from its log; before that it says nothing.
#[tokio::test]
async fn a_round_closed_early_says_when_voting_closed() {
    let app = TestApp::spawn().await;
    let closes = chrono::Utc::now() + chrono::Duration::days(10);
    let e = election_closing(&app, json!({ "kind": "APPROVAL" }), 0, Some(closes)).await;
    let query =
        "query($id: ID!) { round(id: $id) { phase votingClosedAt schedule { votingClosesAt } } }";
    let open = app.ok(None, query, json!({ "id": e.round })).await;
    assert_eq!(open["round"]["phase"], "VOTING");
    assert!(open["round"]["votingClosedAt"].is_null(), "{open}");
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    crate::fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    let after = chrono::Utc::now() + chrono::Duration::seconds(1);
    // The close is counted at once: the round is counted, and still says
    // when voting closed.
    let closed = app.ok(None, query, json!({ "id": e.round })).await;
    assert_eq!(closed["round"]["phase"], "COUNTED", "{closed}");
    let at: chrono::DateTime<chrono::Utc> = closed["round"]["votingClosedAt"]
        .as_str()
        .expect("a closing time")
        .parse()
        .unwrap();
    assert!(
        before <= at && at <= after,
        "closed at {at}, not at {closes}"
    );
}
