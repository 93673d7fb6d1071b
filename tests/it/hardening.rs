//! The platform's promises to a council, each tried the way a careless
//! officer or an attacker would: rules that freeze, checks inside the write
//! transaction, bounded work, honest identity and a private audit trail.
//! The numbers are those of the findings these tests answer.
use crate::fixtures::{
    self, bid_details, eligibility, person, verification_round, ADVANCE, ANSWER_INVITATION,
    CONFIRM_CODE, CREATE_ROUND, INVITE, MY_INVITATIONS, REQUEST_CODE, SUBMIT_BID,
};
use crate::helpers::{error_code, TestApp};
use api::store::{audit_events, verification_conflicts};
use futures_util::future::join_all;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

const REVIEW: &str = "mutation($id: ID!, $d: ReviewDecision!, $r: String) { reviewBid(id: $id, decision: $d, reason: $r) { status reviewReason } }";
const UPDATE_BID: &str = "mutation($id: ID!, $d: BidDetailsInput!) { updateBid(id: $id, details: $d) { status title costPence category } }";
const COVERAGE: &str =
    "mutation($a: ID!, $c: [String!]!) { setAreaCoverage(areaId: $a, coverage: $c) { id } }";
const IMPORT: &str =
    "mutation($i: ImportRegisterInput!) { importRegister(input: $i) { rowsAccepted } }";
const DECLARE: &str = "mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified held assurance methods } }";

/// Runs `n` requests at once.
async fn concurrently<F, Fut>(n: usize, f: F) -> Vec<Value>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    join_all((0..n).map(f)).await
}

async fn audit_details(app: &TestApp, action: &str) -> Vec<Value> {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq(action))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| serde_json::from_str(&e.details).unwrap())
        .collect()
}

/// A round with bids open, one eligible bid, moved to voting.
async fn voting_round(app: &TestApp) -> (fixtures::OpenRound, String) {
    let r = fixtures::open_round(app).await;
    let bid = fixtures::bid(
        app, &r.member, &r.round, &r.group, &r.area, "Benches", 100_000,
    )
    .await;
    fixtures::advance(app, &r.officer, &r.round, "BID_REVIEW").await;
    app.ok(
        Some(&r.officer),
        REVIEW,
        json!({ "id": bid, "d": "ELIGIBLE" }),
    )
    .await;
    fixtures::advance(app, &r.officer, &r.round, "VOTING").await;
    (r, bid)
}

// 1. Who may vote freezes when voting opens: area coverage, eligibility and
// the register.
#[tokio::test]
async fn who_may_vote_freezes_when_voting_opens() {
    let app = TestApp::spawn().await;
    let (r, _) = voting_round(&app).await;
    let res = app
        .gql(
            Some(&r.officer),
            COVERAGE,
            json!({ "a": r.area, "c": ["LS6 1", "LS6 2", "LS6 3"] }),
        )
        .await;
    assert_eq!(error_code(&res), "SETTINGS_FROZEN");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("frozen"));
    let update = "mutation($id: ID!, $e: EligibilityInput!) { updateRound(id: $id, input: { eligibility: $e }) { id } }";
    assert_eq!(
        app.refused(
            Some(&r.officer),
            update,
            json!({ "id": r.round, "e": eligibility(json!({ "minAge": 18 })) })
        )
        .await,
        "SETTINGS_FROZEN"
    );
    let register = json!({ "i": { "roundId": r.round, "content": "name,dob,postcode\nAnn Smith,1980-01-01,LS6 1AB\n", "columns": { "fullName": "name", "dateOfBirth": "dob", "postcode": "postcode" } } });
    assert_eq!(
        app.refused(Some(&r.officer), IMPORT, register).await,
        "SETTINGS_FROZEN"
    );
    // The coverage really is unchanged.
    let q = "query($id: ID!) { area(id: $id) { coverage { nodes } } }";
    assert_eq!(
        app.ok(None, q, json!({ "id": r.area })).await["area"]["coverage"]["nodes"],
        json!(["LS6 1", "LS6 2"])
    );
    // Once the round is over, the area can change again for later rounds.
    fixtures::advance(&app, &r.officer, &r.round, "CANCELLED").await;
    app.ok(
        Some(&r.officer),
        COVERAGE,
        json!({ "a": r.area, "c": ["LS6 1", "LS6 2", "LS6 3"] }),
    )
    .await;
}

// 2. Editing a reviewed bid sends it back for review; the audit records
// every field that changed.
#[tokio::test]
async fn an_approved_bid_cannot_be_rewritten_behind_the_officers_back() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let bid = fixtures::bid(
        &app, &r.member, &r.round, &r.group, &r.area, "Benches", 160_000,
    )
    .await;
    app.ok(
        Some(&r.officer),
        REVIEW,
        json!({ "id": bid, "d": "ELIGIBLE" }),
    )
    .await;
    let mut details = bid_details("Something else entirely", 1_199_999);
    details["category"] = json!("sport");
    let res = app
        .gql(
            Some(&r.member),
            UPDATE_BID,
            json!({ "id": bid, "d": details }),
        )
        .await;
    // More than the £10,000 pot: refused, nothing changed.
    assert_eq!(error_code(&res), "BID_COST_EXCEEDS_POT");
    details["costPence"] = json!(999_999);
    let data = app
        .ok(
            Some(&r.member),
            UPDATE_BID,
            json!({ "id": bid, "d": details }),
        )
        .await;
    assert_eq!(
        data["updateBid"],
        json!({ "status": "SUBMITTED", "title": "Something else entirely", "costPence": 999_999, "category": "sport" })
    );
    let audits = audit_details(&app, "bid_updated").await;
    assert_eq!(audits.len(), 1);
    let changes = &audits[0]["changes"];
    assert_eq!(
        changes["title"],
        json!({ "from": "Benches", "to": "Something else entirely" })
    );
    assert_eq!(
        changes["cost_pence"],
        json!({ "from": 160_000, "to": 999_999 })
    );
    assert_eq!(
        changes["category"],
        json!({ "from": "environment", "to": "sport" })
    );
    assert_eq!(
        audits[0]["status"],
        json!({ "from": "eligible", "to": "submitted" })
    );
    // An edit that changes nothing changes nothing.
    app.ok(
        Some(&r.member),
        UPDATE_BID,
        json!({ "id": bid, "d": details }),
    )
    .await;
    assert_eq!(audit_details(&app, "bid_updated").await.len(), 1);
}

// 3. Voting opens only with every bid decided; only eligible bids are on the
// ballot.
#[tokio::test]
async fn voting_opens_only_when_every_bid_is_decided() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let b =
        |t: &'static str| fixtures::bid(&app, &r.member, &r.round, &r.group, &r.area, t, 100_000);
    let (yes, no, later, changes) = (
        b("Yes please").await,
        b("No thanks").await,
        b("Later on").await,
        b("Changes needed").await,
    );
    fixtures::advance(&app, &r.officer, &r.round, "BID_REVIEW").await;
    app.ok(
        Some(&r.officer),
        REVIEW,
        json!({ "id": yes, "d": "ELIGIBLE" }),
    )
    .await;
    app.ok(
        Some(&r.officer),
        REVIEW,
        json!({ "id": no, "d": "INELIGIBLE", "r": "Not in the area." }),
    )
    .await;
    app.ok(
        Some(&r.officer),
        REVIEW,
        json!({ "id": changes, "d": "CHANGES_REQUESTED", "r": "Add a quote." }),
    )
    .await;
    let res = app
        .gql(
            Some(&r.officer),
            ADVANCE,
            json!({ "id": r.round, "to": "VOTING" }),
        )
        .await;
    assert_eq!(error_code(&res), "BIDS_UNDECIDED");
    assert!(
        res["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("2 bids are still to be decided"),
        "{res:#}"
    );
    app.ok(
        Some(&r.member),
        "mutation($id: ID!) { withdrawBid(id: $id) { status } }",
        json!({ "id": later }),
    )
    .await;
    assert_eq!(
        app.refused(
            Some(&r.officer),
            ADVANCE,
            json!({ "id": r.round, "to": "VOTING" })
        )
        .await,
        "BIDS_UNDECIDED"
    );
    app.ok(
        Some(&r.officer),
        REVIEW,
        json!({ "id": changes, "d": "INELIGIBLE", "r": "No quote came." }),
    )
    .await;
    fixtures::advance(&app, &r.officer, &r.round, "VOTING").await;
    // The ballot: the eligible bid only, for residents and anonymous
    // visitors alike.
    let q = "query($id: ID!) { round(id: $id) { bids { nodes { title status } } } }";
    let resident = app.sign_in("res@example.org").await;
    for token in [None, Some(resident.as_str())] {
        assert_eq!(
            app.ok(token, q, json!({ "id": r.round })).await["round"]["bids"]["nodes"],
            json!([{ "title": "Yes please", "status": "ELIGIBLE" }])
        );
    }
}

// 4. Schedules in the past or out of order are refused; a write after a
// scheduled date is refused even before the scheduler has run; reads never
// write.
#[tokio::test]
async fn schedules_must_lie_ahead_and_reads_never_move_a_round() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let now = chrono::Utc::now();
    let at = |days: i64| (now + chrono::Duration::days(days)).to_rfc3339();
    let mut input = fixtures::round_input("Past", &[(&area, 500_000)]);
    input["schedule"] = json!({ "bidsOpenAt": at(-10), "bidsCloseAt": at(-3), "votingOpensAt": at(-2), "votingClosesAt": at(-1) });
    let res = app
        .gql(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await;
    assert_eq!(error_code(&res), "SCHEDULE_IN_PAST");
    assert_eq!(res["errors"][0]["extensions"]["field"], "schedule");
    input["schedule"] = json!({ "bidsOpenAt": at(5), "bidsCloseAt": at(2) });
    assert_eq!(
        app.refused(Some(&officer), CREATE_ROUND, json!({ "i": input.clone() }))
            .await,
        "SCHEDULE_OUT_OF_ORDER"
    );
    let q = "{ rounds { nodes { id } } }";
    assert_eq!(
        app.ok(Some(&officer), q, json!({})).await["rounds"]["nodes"],
        json!([]),
        "nothing was created"
    );

    // A round whose bids close tomorrow.
    input["schedule"] = json!({ "bidsCloseAt": at(1) });
    let id = app
        .ok(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await["createRound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fixtures::advance(&app, &officer, &id, "BIDS_OPEN").await;
    let member = app.sign_in("chair@friends.test").await;
    let group = fixtures::group(&app, &member, "Friends of the Moor", &area).await;
    fixtures::bid(&app, &member, &id, &group, &area, "In time", 10_000).await;
    // The closing date passes; the scheduler has not run yet.
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE rounds SET bids_close_at = '{}' WHERE id = {id}",
            (now - chrono::Duration::minutes(1)).format("%Y-%m-%d %H:%M:%S%:z")
        ))
        .await
        .unwrap();
    let late = json!({ "i": fixtures::bid_input(&id, &group, &area, "Too late", 10_000) });
    assert_eq!(
        app.refused(Some(&member), SUBMIT_BID, late).await,
        "PHASE_CLOSED"
    );
    // Reading the round does not move it on, and writes no audit entry.
    let before = audit_events::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .len();
    let read = "query($id: ID!) { round(id: $id) { phase } }";
    for _ in 0..3 {
        assert_eq!(
            app.ok(None, read, json!({ "id": id })).await["round"]["phase"],
            "BIDS_OPEN"
        );
        app.ok(None, "{ rounds { nodes { phase } } }", json!({}))
            .await;
    }
    let after = audit_events::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .len();
    assert_eq!(before, after);
    // The scheduler moves it, one step.
    assert_eq!(
        api::service::lifecycle::apply_due(&app.state, None, chrono::Utc::now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.ok(None, read, json!({ "id": id })).await["round"]["phase"],
        "BID_REVIEW"
    );
}

// 5. An officer may not review a bid of their own group.
#[tokio::test]
async fn an_officer_cannot_approve_their_own_groups_bid() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let own_group = fixtures::group(&app, &r.officer, "Officer's Allotment", &r.area).await;
    let bid = fixtures::bid(
        &app, &r.officer, &r.round, &own_group, &r.area, "My shed", 50_000,
    )
    .await;
    let res = app
        .gql(
            Some(&r.officer),
            REVIEW,
            json!({ "id": bid, "d": "ELIGIBLE" }),
        )
        .await;
    assert_eq!(error_code(&res), "CONFLICT_OF_INTEREST");
    let status = app
        .ok(
            None,
            "query($id: ID!) { bid(id: $id) { status } }",
            json!({ "id": bid }),
        )
        .await;
    assert_eq!(status["bid"]["status"], "SUBMITTED");
    // Another officer may.
    let other = app
        .signed_in_as("other.officer@council.test", api::domain::Role::Officer)
        .await;
    app.ok(Some(&other), REVIEW, json!({ "id": bid, "d": "ELIGIBLE" }))
        .await;
}

// 7. Checks a write depends on run inside its transaction: bids racing the
// close of bids, and rate limits under concurrent requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_bid_lands_after_bids_close() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let submit = |i: usize| {
        let vars = json!({ "i": fixtures::bid_input(&r.round, &r.group, &r.area, &format!("Bid {i}"), 1_000) });
        let app = &app;
        let member = r.member.clone();
        async move { app.gql(Some(&member), SUBMIT_BID, vars).await }
    };
    let close = async {
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        app.gql(
            Some(&r.officer),
            ADVANCE,
            json!({ "id": r.round, "to": "BID_REVIEW" }),
        )
        .await
    };
    let (results, closed) = tokio::join!(concurrently(60, submit), close);
    assert!(closed.get("errors").is_none(), "{closed:#}");
    let accepted = results.iter().filter(|r| r.get("errors").is_none()).count();
    for r in results.iter().filter(|r| r.get("errors").is_some()) {
        assert_eq!(error_code(r), "PHASE_CLOSED", "{r:#}");
    }
    // Every accepted bid was written before the phase changed.
    let changed_at = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("round_phase_changed"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.details.contains("bid_review"))
        .map(|e| e.at)
        .max()
        .unwrap();
    let bids = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("bid_submitted"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(bids.len(), accepted);
    assert!(bids.iter().all(|b| b.at <= changed_at));
    let stored = api::store::bids::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), accepted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limits_hold_under_concurrent_requests() {
    let app = TestApp::spawn().await;
    // 50 requests for codes to one address at once: exactly 5 are sent.
    let results = concurrently(50, |i| {
        let app = &app;
        async move {
            app.gql_from(
                &format!("198.51.100.{}", 10 + i),
                None,
                "mutation { requestSignInCode(email: \"gus@example.org\") { sent } }",
                json!({}),
            )
            .await
        }
    })
    .await;
    let sent = results.iter().filter(|r| r.get("errors").is_none()).count();
    assert_eq!(sent, 5);
    assert!(results
        .iter()
        .filter(|r| r.get("errors").is_some())
        .all(|r| error_code(r) == "RATE_LIMITED"));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.smtp.count_to("gus@example.org"), 5);

    // 50 requests from one client to different addresses: exactly 30 pass.
    let results = concurrently(50, |i| {
        let app = &app;
        async move {
            app.gql_from(
                "203.0.113.9",
                None,
                "mutation($e: String!) { requestSignInCode(email: $e) { sent } }",
                json!({ "e": format!("user{i}@example.org") }),
            )
            .await
        }
    })
    .await;
    assert_eq!(
        results.iter().filter(|r| r.get("errors").is_none()).count(),
        30
    );
}

// 8. One query cannot make the server do unbounded work.
#[tokio::test]
async fn a_nested_query_is_refused_or_bounded() {
    let app = TestApp::spawn().await;
    api::demo::seed(&app.state).await.unwrap();
    let nested = "rounds { nodes { bids { nodes { round { bids { nodes { round { bids { nodes { title } } } } } } } } } }";
    let query = format!(
        "{{ {} }}",
        (0..20)
            .map(|i| format!("a{i}: {nested}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(query.len() > 1500);
    let started = std::time::Instant::now();
    let res = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    assert!(body.len() < 2_000, "{} bytes", body.len());
    let lower = body.to_lowercase();
    assert!(
        lower.contains("complex") || lower.contains("too deep"),
        "{body}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // Pages are bounded too.
    let res = app
        .gql(None, "{ rounds(first: 150) { nodes { id } } }", json!({}))
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    // One level of the same query is answered, a page at a time.
    let data = app
        .ok(
            None,
            "{ rounds(first: 1) { nodes { bids(first: 2) { nodes { title round { title } } pageInfo { hasNextPage endCursor } } } } }",
            json!({}),
        )
        .await;
    let bids = &data["rounds"]["nodes"][0]["bids"];
    assert_eq!(bids["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(bids["pageInfo"]["hasNextPage"], true);
    let next = app
        .ok(
            None,
            "query($a: String) { rounds(first: 1) { nodes { bids(first: 100, after: $a) { nodes { title } } } } }",
            json!({ "a": bids["pageInfo"]["endCursor"] }),
        )
        .await;
    let rest = next["rounds"]["nodes"][0]["bids"]["nodes"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        rest, 5,
        "the seven bids of the demo's newest round, two then five"
    );
    // On PostgreSQL each statement has a time limit.
    if app.state.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let err = app
            .state
            .db
            .execute_unprepared("SELECT pg_sleep(7)")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("statement timeout"), "{err}");
    }
}

/// What graphql-core 3.2's `get_introspection_query()` sends, as GraphiQL,
/// codegen tools and schema linters do.
const STANDARD_INTROSPECTION: &str = r#"
    query IntrospectionQuery {
      __schema {
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types { ...FullType }
        directives { name description locations args { ...InputValue } }
      }
    }
    fragment FullType on __Type {
      kind name description
      fields(includeDeprecated: true) {
        name description
        args { ...InputValue }
        type { ...TypeRef }
        isDeprecated deprecationReason
      }
      inputFields { ...InputValue }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    fragment InputValue on __InputValue {
      name description type { ...TypeRef } defaultValue
    }
    fragment TypeRef on __Type {
      kind name
      ofType { kind name ofType { kind name ofType { kind name ofType { kind name
        ofType { kind name ofType { kind name ofType { kind name } } } } } } }
    }
"#;

// 9. The standard introspection query works; a recursive one does not.
#[tokio::test]
async fn tools_can_introspect_the_schema() {
    let app = TestApp::spawn().await;
    let data = app.ok(None, STANDARD_INTROSPECTION, json!({})).await;
    let types = data["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Round"));
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
    let recursive =
        "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    let res = app.gql(None, recursive, json!({})).await;
    assert!(res.get("errors").is_some(), "{res:#}");
    // Introspection never reaches data.
    let res = app
        .gql(
            None,
            "{ __schema { queryType { name } } rounds { nodes { id } } }",
            json!({}),
        )
        .await;
    assert!(
        res.get("errors").is_none(),
        "an ordinary query may ask for __schema too"
    );
}

// 10. One mailbox is one person, and low-assurance proofs do not verify
// anyone unless the round says so, publicly.
#[tokio::test]
async fn one_mailbox_does_not_make_four_residents() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({}))).await;
    let sybil = |n: usize, email: &'static str, name: &'static str| {
        let app = &app;
        let round = r.round.clone();
        async move {
            let token = app.sign_in(&format!("sybil{n}@example.net")).await;
            app.ok(
                Some(&token),
                DECLARE,
                json!({ "r": round, "p": person(name, "1990-01-01", "LS6 1AB") }),
            )
            .await;
            app.ok(
                Some(&token),
                REQUEST_CODE,
                json!({ "r": round, "c": "EMAIL", "to": email }),
            )
            .await;
            let code = app.smtp.wait_for_code(&email.to_lowercase(), 1).await;
            app.gql(
                Some(&token),
                CONFIRM_CODE,
                json!({ "r": round, "c": "EMAIL", "to": email, "code": code }),
            )
            .await
        }
    };
    // Under the default rules an email code is not enough.
    let res = sybil(1, "sybil@gmail.com", "Amy Ash").await;
    assert_eq!(
        res["data"]["confirmVerificationCode"]["verified"], false,
        "{res:#}"
    );

    // A round that accepts low assurance says so to everyone.
    let low = verification_round_named(
        &app,
        &r.officer,
        &r.area,
        "Low Fund",
        json!({ "acceptLowAssurance": true }),
    )
    .await;
    let q = "query($id: ID!) { round(id: $id) { eligibility { acceptLowAssurance } } }";
    assert_eq!(
        app.ok(None, q, json!({ "id": low })).await["round"]["eligibility"]["acceptLowAssurance"],
        true
    );
    let in_low = |n: usize, email: &'static str, name: &'static str| {
        let app = &app;
        let round = low.clone();
        async move {
            let token = app.sign_in(&format!("low{n}@example.net")).await;
            app.ok(
                Some(&token),
                DECLARE,
                json!({ "r": round, "p": person(name, &format!("19{}-02-02", 60 + n), "LS6 1AB") }),
            )
            .await;
            let before = app.smtp.count_to(&email.to_lowercase());
            app.ok(
                Some(&token),
                REQUEST_CODE,
                json!({ "r": round, "c": "EMAIL", "to": email }),
            )
            .await;
            let code = app
                .smtp
                .wait_for_code(&email.to_lowercase(), before + 1)
                .await;
            app.gql(
                Some(&token),
                CONFIRM_CODE,
                json!({ "r": round, "c": "EMAIL", "to": email, "code": code }),
            )
            .await
        }
    };
    let first = in_low(1, "sybil@gmail.com", "Bea Birch").await;
    assert_eq!(
        first["data"]["confirmVerificationCode"]["verified"], true,
        "{first:#}"
    );
    for (n, email, name) in [
        (2, "sybil+1@gmail.com", "Cal Cedar"),
        (3, "s.ybil@gmail.com", "Dot Dogwood"),
        (4, "S.Y.B.I.L+vote@googlemail.com", "Eli Elm"),
    ] {
        let res = in_low(n, email, name).await;
        assert_eq!(
            error_code(&res),
            "ALREADY_VERIFIED_ELSEWHERE",
            "{email}: {res:#}"
        );
    }
    let verified = api::store::verified_participants::Entity::find()
        .filter(api::store::verified_participants::Column::VerifiedAt.is_not_null())
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(verified.len(), 1, "one mailbox, one verified resident");
}

async fn verification_round_named(
    app: &TestApp,
    officer: &str,
    area: &str,
    title: &str,
    rules: Value,
) -> String {
    let mut input = fixtures::round_input(title, &[(area, 1_000_000)]);
    input["eligibility"] = eligibility(rules);
    let id = app
        .ok(Some(officer), CREATE_ROUND, json!({ "i": input }))
        .await["createRound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fixtures::advance(app, officer, &id, "BIDS_OPEN").await;
    id
}

// 11. One person has one identity key wherever they live or work and
// however their name is written; similar identities go to an officer.
#[tokio::test]
async fn one_person_one_key_and_similar_names_go_to_an_officer() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "relations": ["LIVE", "WORK"], "postcodeAloneEnough": true })),
    )
    .await;
    let home = app.sign_in("zoe.home@example.org").await;
    let res = app
        .ok(
            Some(&home),
            DECLARE,
            json!({ "r": r.round, "p": person("Zoë O'Brien-Smith", "1985-05-05", "LS6 1AB") }),
        )
        .await;
    assert_eq!(res["declareEligibility"]["verified"], true);
    // The same person, declaring where she works, another postcode and her
    // name typed plainly: the same identity.
    let work = app.sign_in("zoe.work@example.org").await;
    let mut p = person("zoe o brien smith", "05/05/1985", "LS6 2XY");
    p["relation"] = json!("WORK");
    let res = app
        .ok(Some(&work), DECLARE, json!({ "r": r.round, "p": p }))
        .await;
    assert_eq!(
        (
            res["declareEligibility"]["verified"].clone(),
            res["declareEligibility"]["held"].clone()
        ),
        (json!(false), json!(true))
    );
    // A similar name with the same birthday is held too.
    let twin = app.sign_in("zoe.twin@example.org").await;
    let res = app
        .ok(
            Some(&twin),
            DECLARE,
            json!({ "r": r.round, "p": person("Zoe O'Brian-Smith", "1985-05-05", "LS6 1AB") }),
        )
        .await;
    assert_eq!(res["declareEligibility"]["held"], true);
    // Someone else entirely is not.
    let amir = app.sign_in("amir@example.org").await;
    let res = app
        .ok(
            Some(&amir),
            DECLARE,
            json!({ "r": r.round, "p": person("Amir Khan", "1985-05-05", "LS6 1AB") }),
        )
        .await;
    assert_eq!(res["declareEligibility"]["verified"], true);

    let q = "query($r: ID!) { verificationConflicts(roundId: $r) { nodes { id kind } } }";
    let list = app.ok(Some(&r.officer), q, json!({ "r": r.round })).await["verificationConflicts"]
        ["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let kinds: Vec<&str> = list.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["identity", "similar"]);
    // The officer finds the twin is someone else: released, and verified.
    let resolve = "mutation($id: ID!) { resolveVerificationConflict(id: $id, resolution: DISTINCT_PEOPLE) { resolution } }";
    app.ok(Some(&r.officer), resolve, json!({ "id": list[1]["id"] }))
        .await;
    let mine = app
        .ok(
            Some(&twin),
            "{ myVerifications { verified held } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine["myVerifications"],
        json!([{ "verified": true, "held": false }])
    );
}

// 12. Nobody can use verification to look up other people, and deleting
// your own verification keeps the records of duplicates.
#[tokio::test]
async fn verification_is_not_a_look_up_service() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({ "postcodeAloneEnough": true }))).await;
    let victim = app.sign_in("victim@example.org").await;
    app.ok(
        Some(&victim),
        DECLARE,
        json!({ "r": r.round, "p": person("Vic Tim", "1950-01-01", "LS6 1AB") }),
    )
    .await;
    // An attacker declares the victim's exact details, then a similar name:
    // the two answers are the same, and neither names the victim.
    let attacker = app.sign_in("attacker@example.org").await;
    let exact = app
        .gql(
            Some(&attacker),
            DECLARE,
            json!({ "r": r.round, "p": person("Vic Tim", "1950-01-01", "LS6 1AB") }),
        )
        .await;
    let prober = app.sign_in("prober@example.org").await;
    let similar = app
        .gql(
            Some(&prober),
            DECLARE,
            json!({ "r": r.round, "p": person("Vic Timms", "1950-01-01", "LS6 1AB") }),
        )
        .await;
    assert_eq!(
        exact, similar,
        "the same answer for a match and a near miss"
    );
    assert!(!exact.to_string().contains("ALREADY_VERIFIED"));
    // Declarations are capped per account.
    let mut codes = Vec::new();
    for year in 1951..1960 {
        let res = app
            .gql(
                Some(&attacker),
                DECLARE,
                json!({ "r": r.round, "p": person("Someone Else", &format!("{year}-01-01"), "LS6 1AB") }),
            )
            .await;
        codes.push(
            res.get("errors")
                .map(|_| error_code(&res))
                .unwrap_or_default(),
        );
    }
    // One declaration earlier, four more allowed, then refusals.
    assert_eq!(
        codes.iter().filter(|c| c.is_empty()).count(),
        4,
        "{codes:?}"
    );
    assert!(codes[4..].iter().all(|c| c == "RATE_LIMITED"), "{codes:?}");

    // Register checks are capped per register entry, across accounts.
    let reg = verification_round_named(
        &app,
        &r.officer,
        &r.area,
        "Register Fund",
        json!({ "methods": ["REGISTER", "IN_PERSON"] }),
    )
    .await;
    app.ok(
        Some(&r.officer),
        IMPORT,
        json!({ "i": { "roundId": reg, "content": "name,dob,postcode\nReg Ister,1960-06-06,LS6 1AB\n", "columns": { "fullName": "name", "dateOfBirth": "dob", "postcode": "postcode" } } }),
    )
    .await;
    let mut codes = Vec::new();
    for i in 0..5 {
        let token = app.sign_in(&format!("guess{i}@example.org")).await;
        app.ok(
            Some(&token),
            DECLARE,
            json!({ "r": reg, "p": person("Reg Ister", "1960-06-07", "LS6 1AB") }),
        )
        .await;
        let res = app
            .gql(
                Some(&token),
                "mutation($r: ID!) { matchRegister(roundId: $r) { verified } }",
                json!({ "r": reg }),
            )
            .await;
        codes.push(error_code(&res));
    }
    assert_eq!(
        codes,
        [
            "REGISTER_NO_MATCH",
            "REGISTER_NO_MATCH",
            "REGISTER_NO_MATCH",
            "RATE_LIMITED",
            "RATE_LIMITED"
        ]
    );

    // The victim deletes their verification while the round is open: the
    // duplicate records stay for the officer.
    let round_id: i64 = r.round.parse().unwrap();
    let of_round = || {
        verification_conflicts::Entity::find()
            .filter(verification_conflicts::Column::RoundId.eq(round_id))
            .all(&app.state.db)
    };
    assert_eq!(of_round().await.unwrap().len(), 2);
    app.ok(
        Some(&victim),
        "mutation($r: ID!) { deleteMyVerification(roundId: $r) }",
        json!({ "r": r.round }),
    )
    .await;
    let after = of_round().await.unwrap();
    assert_eq!(after.len(), 2);
    assert!(after.iter().all(|c| c.participant_id.is_none()));
}

// 13. Behind a load balancer, a client cannot choose its own address.
#[tokio::test]
async fn a_forged_forwarded_for_header_does_not_escape_the_limit() {
    let app = TestApp::spawn().await;
    let q = "mutation($e: String!) { requestSignInCode(email: $e) { sent } }";
    let mut accepted = 0;
    for i in 0..40 {
        let res = app
            .client
            .post(format!("{}/graphql", app.base))
            // The client writes a new address each time; the load balancer
            // appends the real one.
            .header("x-forwarded-for", format!("10.9.8.{i}, 203.0.113.50"))
            .json(&json!({ "query": q, "variables": { "e": format!("f{i}@example.org") } }))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        if res.get("errors").is_none() {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 30);

    // Two proxies: the client is second from the right.
    let app = TestApp::spawn_with(&[("FAIRSHARE_TRUSTED_PROXY_HOPS", "2")]).await;
    let mut accepted = 0;
    for i in 0..35 {
        let res = app
            .client
            .post(format!("{}/graphql", app.base))
            .header(
                "x-forwarded-for",
                format!("10.9.8.{i}, 203.0.113.51, 10.0.0.2"),
            )
            .json(&json!({ "query": q, "variables": { "e": format!("g{i}@example.org") } }))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        if res.get("errors").is_none() {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 30);
}

// 14. Joining a group takes the person's consent; members can see, remove
// and leave; names are unique whatever their case or accents.
#[tokio::test]
async fn group_membership_is_by_invitation() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let sam = app.sign_in("sam@example.org").await;
    let sent = app
        .ok(
            Some(&r.member),
            INVITE,
            json!({ "g": r.group, "e": "Sam@Example.org" }),
        )
        .await;
    assert_eq!(sent["inviteGroupMember"]["status"], "PENDING");
    let email = app.smtp.messages_to("sam@example.org");
    assert!(
        email
            .iter()
            .any(|m| m.contains("Friends of the Moor") && m.contains("invited")),
        "{email:?}"
    );
    // Not a member until accepting.
    let members = "query($g: ID!) { group(id: $g) { members { nodes { accountId } } } }";
    assert_eq!(
        app.refused(Some(&sam), members, json!({ "g": r.group }))
            .await,
        "NOT_AUTHORISED"
    );
    let mine = app.ok(Some(&sam), MY_INVITATIONS, json!({})).await;
    assert_eq!(
        mine["myGroupInvitations"][0]["group"]["name"],
        "Friends of the Moor"
    );
    // Someone else cannot answer Sam's invitation.
    let eve = app.sign_in("eve@example.org").await;
    let id = mine["myGroupInvitations"][0]["id"].clone();
    assert_eq!(
        app.refused(
            Some(&eve),
            ANSWER_INVITATION,
            json!({ "id": id, "a": true })
        )
        .await,
        "NOT_FOUND"
    );
    app.ok(
        Some(&sam),
        ANSWER_INVITATION,
        json!({ "id": id, "a": true }),
    )
    .await;
    let list = app.ok(Some(&sam), members, json!({ "g": r.group })).await;
    assert_eq!(
        list["group"]["members"]["nodes"].as_array().unwrap().len(),
        2
    );
    // A declined invitation adds nobody.
    app.ok(
        Some(&r.member),
        INVITE,
        json!({ "g": r.group, "e": "eve@example.org" }),
    )
    .await;
    let eve_inv =
        app.ok(Some(&eve), MY_INVITATIONS, json!({})).await["myGroupInvitations"][0]["id"].clone();
    app.ok(
        Some(&eve),
        ANSWER_INVITATION,
        json!({ "id": eve_inv, "a": false }),
    )
    .await;
    assert_eq!(
        app.refused(Some(&eve), members, json!({ "g": r.group }))
            .await,
        "NOT_AUTHORISED"
    );
    // Remove and leave; the last member stays.
    let sam_id = app.ok(Some(&sam), "{ me { id } }", json!({})).await["me"]["id"].clone();
    let remove =
        "mutation($g: ID!, $a: ID!) { removeGroupMember(groupId: $g, accountId: $a) { id } }";
    app.ok(
        Some(&r.member),
        remove,
        json!({ "g": r.group, "a": sam_id }),
    )
    .await;
    assert_eq!(
        app.refused(Some(&sam), members, json!({ "g": r.group }))
            .await,
        "NOT_AUTHORISED"
    );
    let leave = "mutation($g: ID!) { leaveGroup(groupId: $g) { id } }";
    assert_eq!(
        app.refused(Some(&r.member), leave, json!({ "g": r.group }))
            .await,
        "LAST_MEMBER"
    );
    let audits = audit_details(&app, "group_member_removed").await;
    assert_eq!(audits.len(), 1);
    // Names unique whatever their case or accents.
    let dup = app
        .gql(
            Some(&sam),
            fixtures::REGISTER_GROUP,
            json!({ "i": { "name": "  friends OF the Moór ", "description": "Another.", "contactEmail": "x@example.org", "areaId": r.area } }),
        )
        .await;
    assert_eq!(error_code(&dup), "NAME_TAKEN");
    let area = app
        .gql(
            Some(&r.officer),
            fixtures::CREATE_AREA,
            json!({ "i": { "name": "HYDE PARK", "kind": "ward", "coverage": ["LS6 9"] } }),
        )
        .await;
    assert_eq!(error_code(&area), "NAME_TAKEN");
}

// 15. Every change is audited, sign-up and sign-out included.
#[tokio::test]
async fn account_creation_and_sign_out_are_audited() {
    let app = TestApp::spawn().await;
    let token = app.sign_in("new@example.org").await;
    assert_eq!(audit_details(&app, "account_created").await.len(), 1);
    app.ok(Some(&token), "mutation { signOut }", json!({}))
        .await;
    let out = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("signed_out"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(out.len(), 1);
    assert!(out[0].actor_account_id.is_some());
}

// 16. An SMTP server's reply that quotes the address never reaches a log.
#[tokio::test]
async fn smtp_refusals_are_reported_without_the_address() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    // A real SMTP conversation with a server that refuses the recipient,
    // quoting the address as real servers do.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 mail.test ESMTP\r\n").await.unwrap();
        while let Ok(Some(line)) = lines.next_line().await {
            let upper = line.to_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") {
                b"250 mail.test\r\n"
            } else if upper.starts_with("MAIL FROM") {
                b"250 OK\r\n"
            } else if upper.starts_with("RCPT TO") {
                b"550 5.1.1 <private.person@example.org>: Recipient address rejected\r\n"
            } else if upper.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await.ok();
                break;
            } else {
                b"250 OK\r\n"
            };
            write.write_all(reply).await.unwrap();
        }
    });
    let mailer = api::channels::email::Mailer::from_settings(&api::config::EmailSettings::Smtp {
        host: "127.0.0.1".into(),
        port,
        tls: api::config::SmtpTls::None,
        username: None,
        password: None,
        from: "Fairshare <no-reply@fairshare.test>".into(),
    })
    .unwrap();
    let to = api::domain::EmailAddress::parse("private.person@example.org").unwrap();
    let err = mailer
        .send(
            &to,
            api::channels::templates::SIGN_IN_CODE.render(
                api::domain::Language::En,
                &api::config::Settings::from_lookup(|_| None).unwrap().phone,
                &[("code", "123456"), ("minutes", "10")],
            ),
        )
        .await
        .unwrap_err();
    let logged = format!("{err:#} {err:?}");
    assert!(!logged.contains("private.person"), "{logged}");
    assert!(
        logged.contains("550") && logged.contains("permanent"),
        "{logged}"
    );
}

// 6 is `rounds::phases_move_one_step_at_a_time_and_councillors_publish`
// (NOT_COUNTED); 17 is the layout of the code itself.
#[tokio::test]
async fn the_undecided_and_uncounted_cannot_be_skipped_by_schedule() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    fixtures::bid(
        &app,
        &r.member,
        &r.round,
        &r.group,
        &r.area,
        "Undecided",
        100_000,
    )
    .await;
    fixtures::advance(&app, &r.officer, &r.round, "BID_REVIEW").await;
    let soon = chrono::Utc::now() + chrono::Duration::hours(1);
    app.ok(
        Some(&r.officer),
        "mutation($id: ID!, $s: ScheduleInput!) { updateRound(id: $id, input: { schedule: $s }) { id } }",
        json!({ "id": r.round, "s": { "votingOpensAt": soon.to_rfc3339() } }),
    )
    .await;
    // Voting is due, but a bid is undecided: the schedule waits.
    let later = soon + chrono::Duration::minutes(5);
    assert_eq!(
        api::service::lifecycle::apply_due(&app.state, None, later)
            .await
            .unwrap(),
        0
    );
    let q = "query($id: ID!) { round(id: $id) { phase } }";
    assert_eq!(
        app.ok(None, q, json!({ "id": r.round })).await["round"]["phase"],
        "BID_REVIEW"
    );
}
