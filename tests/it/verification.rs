//! Eligibility rules, self-declared postcodes, email codes, checks in person,
//! one person one vote, self-service and purge.
use crate::fixtures::{
    self, born_years_ago, declare_query, eligibility, in_person_query, person, verification_round,
    CONFIRM_CODE, MY_VERIFICATIONS, REQUEST_CODE,
};
use crate::helpers::TestApp;
use api::store::{audit_events, verification_conflicts, verified_participants};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

const ROUND_ELIGIBILITY: &str = "query($id: ID!) { round(id: $id) { settingsFrozen eligibility { relations minAge methods postcodeAloneEnough } } }";
const UPDATE_ELIGIBILITY: &str = "mutation($id: ID!, $e: EligibilityInput!) { updateRound(id: $id, input: { eligibility: $e }) { eligibility { minAge methods } } }";

async fn declare(app: &TestApp, token: &str, round: &str, p: Value) -> Value {
    app.gql(Some(token), &declare_query(), json!({ "r": round, "p": p }))
        .await
}

fn code(res: &Value) -> &str {
    res["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("(no error)")
}

/// Every stored row and audit entry, as text, to look for personal data.
async fn everything_stored(app: &TestApp) -> String {
    let participants = verified_participants::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    let audits = audit_events::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    format!("{participants:?} {audits:?}").to_lowercase()
}

#[tokio::test]
async fn rounds_carry_eligibility_rules_that_freeze_when_voting_opens() {
    let app = TestApp::spawn().await;
    let rules = eligibility(json!({ "minAge": 16, "relations": ["LIVE", "WORK"] }));
    let r = verification_round(&app, rules).await;
    let data = app
        .ok(
            Some(&r.officer),
            ROUND_ELIGIBILITY,
            json!({ "id": r.round }),
        )
        .await;
    assert_eq!(
        data["round"]["eligibility"],
        json!({ "relations": ["LIVE", "WORK"], "minAge": 16, "methods": ["POSTCODE", "SMS", "EMAIL", "REGISTER", "IN_PERSON"], "postcodeAloneEnough": false })
    );

    // Rules that cannot be met are refused, naming the field.
    let res = app
        .gql(
            Some(&r.officer),
            UPDATE_ELIGIBILITY,
            json!({ "id": r.round, "e": eligibility(json!({ "methods": ["SMS"] })) }),
        )
        .await;
    assert_eq!(code(&res), "INVALID_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "eligibility");
    let res = app
        .gql(
            Some(&r.officer),
            UPDATE_ELIGIBILITY,
            json!({ "id": r.round, "e": eligibility(json!({ "methods": ["REGISTER"], "postcodeAloneEnough": true })) }),
        )
        .await;
    assert_eq!(code(&res), "INVALID_INPUT");

    let data = app
        .ok(
            Some(&r.officer),
            UPDATE_ELIGIBILITY,
            json!({ "id": r.round, "e": eligibility(json!({ "minAge": 11 })) }),
        )
        .await;
    assert_eq!(data["updateRound"]["eligibility"]["minAge"], 11);

    // Residents cannot change them.
    let resident = app.sign_in("res@example.org").await;
    let res = app
        .gql(
            Some(&resident),
            UPDATE_ELIGIBILITY,
            json!({ "id": r.round, "e": eligibility(json!({})) }),
        )
        .await;
    assert_eq!(code(&res), "NOT_AUTHORISED");

    fixtures::advance(&app, &r.officer, &r.round, "BID_REVIEW").await;
    fixtures::advance(&app, &r.officer, &r.round, "VOTING").await;
    let res = app
        .gql(
            Some(&r.officer),
            UPDATE_ELIGIBILITY,
            json!({ "id": r.round, "e": eligibility(json!({ "minAge": 18 })) }),
        )
        .await;
    assert_eq!(code(&res), "SETTINGS_FROZEN");
    let data = app
        .ok(
            Some(&r.officer),
            ROUND_ELIGIBILITY,
            json!({ "id": r.round }),
        )
        .await;
    assert_eq!(data["round"]["eligibility"]["minAge"], 11);
    assert_eq!(data["round"]["settingsFrozen"], true);
}

#[tokio::test]
async fn a_postcode_alone_verifies_where_the_round_says_so() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "postcodeAloneEnough": true, "minAge": 16 })),
    )
    .await;
    let ann = app.sign_in("ann@example.org").await;
    let res = declare(
        &app,
        &ann,
        &r.round,
        person("Ann Smith", "1984-03-21", "ls6 1ab"),
    )
    .await;
    let v = &res["data"]["declareEligibility"];
    assert_eq!(v["verified"], true, "{res:#}");
    assert_eq!(v["methods"], json!(["POSTCODE"]));
    assert_eq!(v["area"]["name"], "Hyde Park");
    assert_eq!(v["relation"], "LIVE");
    assert_eq!(v["ageCheckedAtLeast"], 16);

    // What voting will check: eligible, in Hyde Park.
    let round_id: i64 = r.round.parse().unwrap();
    let account_id = app.ok(Some(&ann), "{ me { id } }", json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    let eligible = || async {
        let round = api::service::rounds::load(&app.state.db, round_id.into())
            .await
            .unwrap();
        api::service::verification::eligible_area(&app.state.db, &round, account_id.into())
            .await
            .map(|e| e.map(|e| e.area_id))
    };
    assert_eq!(eligible().await.unwrap(), Some(r.area.parse().unwrap()));
    // Rules tightened before voting: the postcode alone no longer counts,
    // and an older minimum age was not checked.
    app.ok(
        Some(&r.officer),
        UPDATE_ELIGIBILITY,
        json!({ "id": r.round, "e": eligibility(json!({ "minAge": 16 })) }),
    )
    .await;
    assert_eq!(eligible().await.unwrap(), None);
    app.ok(
        Some(&r.officer),
        UPDATE_ELIGIBILITY,
        json!({ "id": r.round, "e": eligibility(json!({ "postcodeAloneEnough": true, "minAge": 18 })) }),
    )
    .await;
    assert_eq!(eligible().await.unwrap(), None);

    // Nothing personal is stored or audited: not the name, the date of
    // birth nor the postcode.
    let stored = everything_stored(&app).await;
    for secret in ["ann", "smith", "1984", "ls6 1ab", "ls61ab"] {
        assert!(!stored.contains(secret), "`{secret}` is stored: {stored}");
    }
}

#[tokio::test]
async fn every_declaration_refusal_has_its_code() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "postcodeAloneEnough": true, "minAge": 16 })),
    )
    .await;
    let bob = app.sign_in("bob@example.org").await;
    let cases = [
        (person("Bob Jones", "1990-01-01", "LS7 3AB"), "NOT_IN_AREA"),
        (
            person("Bob Jones", "1990-01-01", "NOT A CODE"),
            "INVALID_POSTCODE",
        ),
        (
            person("Bob Jones", "1990-13-45", "LS6 1AB"),
            "INVALID_INPUT",
        ),
        (person("   ", "1990-01-01", "LS6 1AB"), "INVALID_INPUT"),
        (
            person("Bob Jones", &born_years_ago(16, 1), "LS6 1AB"),
            "TOO_YOUNG",
        ),
    ];
    for (p, want) in cases {
        let res = declare(&app, &bob, &r.round, p.clone()).await;
        assert_eq!(code(&res), want, "{p}: {res:#}");
    }
    // Sixteen today is old enough.
    let res = declare(
        &app,
        &bob,
        &r.round,
        person("Bob Jones", &born_years_ago(16, 0), "LS6 1AB"),
    )
    .await;
    assert_eq!(
        res["data"]["declareEligibility"]["verified"], true,
        "{res:#}"
    );

    // Working in the area does not count in this round.
    let mut worker = person("Cat Brown", "1980-05-05", "LS6 2DE");
    worker["relation"] = json!("WORK");
    let res = declare(&app, &bob, &r.round, worker).await;
    assert_eq!(code(&res), "RELATION_NOT_ACCEPTED");

    // Signed out: refused.
    let res = app
        .gql(
            None,
            &declare_query(),
            json!({ "r": r.round, "p": person("Bob Jones", "1990-01-01", "LS6 1AB") }),
        )
        .await;
    assert_eq!(code(&res), "UNAUTHENTICATED");

    // A draft round is invisible to residents; a closed one has closed.
    let draft = fixtures::round(&app, &r.officer, &[(&r.area, 100)]).await;
    let res = declare(
        &app,
        &bob,
        &draft,
        person("Bob Jones", "1990-01-01", "LS6 1AB"),
    )
    .await;
    assert_eq!(code(&res), "NOT_FOUND");
    for to in ["BID_REVIEW", "VOTING", "CLOSED"] {
        fixtures::advance(&app, &r.officer, &r.round, to).await;
    }
    let res = declare(
        &app,
        &bob,
        &r.round,
        person("Bob Jones", "1990-01-01", "LS6 1AB"),
    )
    .await;
    assert_eq!(code(&res), "PHASE_CLOSED");
}

#[tokio::test]
async fn rounds_that_count_work_and_study_accept_them() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "postcodeAloneEnough": true, "relations": ["LIVE", "WORK", "STUDY"] })),
    )
    .await;
    let dan = app.sign_in("dan@example.org").await;
    let mut p = person("Dan Green", "2001-02-03", "LS6 2EF");
    p["relation"] = json!("STUDY");
    let res = declare(&app, &dan, &r.round, p).await;
    assert_eq!(
        res["data"]["declareEligibility"]["relation"], "STUDY",
        "{res:#}"
    );
    assert_eq!(res["data"]["declareEligibility"]["verified"], true);
}

#[tokio::test]
async fn where_a_postcode_is_not_enough_an_email_code_completes_it() {
    let app = TestApp::spawn().await;
    // An email code is low assurance: a round must accept that for it to
    // verify anyone.
    let r = verification_round(&app, eligibility(json!({ "acceptLowAssurance": true }))).await;
    let eve = app.sign_in("eve@example.org").await;
    let res = declare(
        &app,
        &eve,
        &r.round,
        person("Eve Adams", "1970-07-07", "LS6 1AB"),
    )
    .await;
    assert_eq!(
        res["data"]["declareEligibility"]["verified"], false,
        "{res:#}"
    );

    // A code to another address of hers, through the real SMTP server.
    let vars = json!({ "r": r.round, "c": "EMAIL", "to": "Eve.Home@Example.net" });
    app.ok(Some(&eve), REQUEST_CODE, vars).await;
    let code_sent = app.smtp.wait_for_code("eve.home@example.net", 1).await;
    let message = &app.smtp.messages_to("eve.home@example.net")[0];
    assert!(message.contains("Hyde Park Fund"), "{message}");
    let wrong = if code_sent == "000000" {
        "111111"
    } else {
        "000000"
    };
    let res = app
        .gql(
            Some(&eve),
            CONFIRM_CODE,
            json!({ "r": r.round, "c": "EMAIL", "to": "eve.home@example.net", "code": wrong }),
        )
        .await;
    assert_eq!(code(&res), "INVALID_CODE");
    let data = app
        .ok(
            Some(&eve),
            CONFIRM_CODE,
            json!({ "r": r.round, "c": "EMAIL", "to": "eve.home@example.net", "code": code_sent }),
        )
        .await;
    assert_eq!(data["confirmVerificationCode"]["verified"], true);
    assert_eq!(
        data["confirmVerificationCode"]["methods"],
        json!(["POSTCODE", "EMAIL"])
    );
    assert_eq!(data["confirmVerificationCode"]["hasEmail"], true);
    // Used once only.
    let res = app
        .gql(
            Some(&eve),
            CONFIRM_CODE,
            json!({ "r": r.round, "c": "EMAIL", "to": "eve.home@example.net", "code": code_sent }),
        )
        .await;
    assert_eq!(code(&res), "INVALID_CODE");
    // Bad addresses are named.
    let res = app
        .gql(
            Some(&eve),
            REQUEST_CODE,
            json!({ "r": r.round, "c": "EMAIL", "to": "not an address" }),
        )
        .await;
    assert_eq!(code(&res), "INVALID_EMAIL");
}

#[tokio::test]
async fn codes_need_a_declaration_and_an_accepting_round() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "methods": ["POSTCODE", "REGISTER"] })),
    )
    .await;
    let fay = app.sign_in("fay@example.org").await;
    let res = app
        .gql(
            Some(&fay),
            REQUEST_CODE,
            json!({ "r": r.round, "c": "EMAIL", "to": "fay@example.org" }),
        )
        .await;
    assert_eq!(code(&res), "METHOD_NOT_ACCEPTED");

    let r2 = verification_round_second(&app, &r.officer, &r.area).await;
    let res = app
        .gql(
            Some(&fay),
            REQUEST_CODE,
            json!({ "r": r2, "c": "EMAIL", "to": "fay@example.org" }),
        )
        .await;
    assert_eq!(code(&res), "NOT_DECLARED");
}

async fn verification_round_second(app: &TestApp, officer: &str, area: &str) -> String {
    let round = fixtures::round(app, officer, &[(area, 500)]).await;
    fixtures::advance(app, officer, &round, "BIDS_OPEN").await;
    round
}

#[tokio::test]
async fn officers_verify_people_in_person_without_email_or_phone() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({ "minAge": 11 }))).await;
    let input = json!({
        "person": person("Gwen Hughes", "1941-09-30", "LS6 2AB"),
        "evidence": "PROOF_OF_ADDRESS"
    });
    let data = app
        .ok(
            Some(&r.officer),
            &in_person_query(),
            json!({ "r": r.round, "i": input }),
        )
        .await;
    let v = &data["recordInPersonVerification"];
    assert_eq!(v["verified"], true);
    assert_eq!(v["methods"], json!(["IN_PERSON"]));
    assert_eq!(v["accountId"], Value::Null);
    assert_eq!(v["hasPhone"], false);
    assert_eq!(v["hasEmail"], false);
    assert_eq!(v["evidence"], "PROOF_OF_ADDRESS");
    assert!(v["recordedBy"].is_string());

    // Attributed and audited, without personal details.
    let audits = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("verified_in_person"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audits.len(), 1);
    assert_eq!(
        audits[0].actor_account_id.map(|a| a.to_string()),
        v["recordedBy"].as_str().map(str::to_owned)
    );
    assert!(audits[0].details.contains("proof_of_address"));
    let stored = everything_stored(&app).await;
    for secret in ["gwen", "hughes", "1941", "ls6 2ab"] {
        assert!(!stored.contains(secret), "`{secret}` is stored");
    }

    // The same person again is refused.
    let again = json!({
        "person": person("HUGHES, Gwen", "30/09/1941", "ls62ab"),
        "evidence": "PHOTO_ID"
    });
    let res = app
        .gql(
            Some(&r.officer),
            &in_person_query(),
            json!({ "r": r.round, "i": again }),
        )
        .await;
    assert_eq!(code(&res), "ALREADY_VERIFIED_ELSEWHERE");

    // Checks still apply; only officers may do it.
    let young = json!({ "person": person("Hal Hughes", &born_years_ago(10, 0), "LS6 2AB"), "evidence": "PHOTO_ID" });
    let res = app
        .gql(
            Some(&r.officer),
            &in_person_query(),
            json!({ "r": r.round, "i": young }),
        )
        .await;
    assert_eq!(code(&res), "TOO_YOUNG");
    let resident = app.sign_in("ivy@example.org").await;
    let ivy =
        json!({ "person": person("Ivy Hughes", "1980-01-01", "LS6 2AB"), "evidence": "PHOTO_ID" });
    let res = app
        .gql(
            Some(&resident),
            &in_person_query(),
            json!({ "r": r.round, "i": ivy }),
        )
        .await;
    assert_eq!(code(&res), "NOT_AUTHORISED");
}

#[tokio::test]
async fn in_person_with_an_email_lets_the_person_sign_in_and_see_it() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({}))).await;
    let input = json!({
        "person": person("Jack Pryce", "1950-04-04", "LS6 1DF"),
        "evidence": "PHONE_CALL_CHECKS",
        "email": "jack@example.org",
        "phone": "07700 900456"
    });
    let data = app
        .ok(
            Some(&r.officer),
            &in_person_query(),
            json!({ "r": r.round, "i": input }),
        )
        .await;
    assert_eq!(data["recordInPersonVerification"]["hasPhone"], true);
    let jack = app.sign_in("jack@example.org").await;
    let mine = app.ok(Some(&jack), MY_VERIFICATIONS, json!({})).await;
    assert_eq!(mine["myVerifications"][0]["verified"], true);
    assert_eq!(mine["myVerifications"][0]["methods"], json!(["IN_PERSON"]));
    // Bad contact details are named.
    let bad = json!({ "person": person("Kim Pryce", "1950-04-04", "LS6 1DF"), "evidence": "PHOTO_ID", "phone": "0113 496 0000" });
    let res = app
        .gql(
            Some(&r.officer),
            &in_person_query(),
            json!({ "r": r.round, "i": bad }),
        )
        .await;
    assert_eq!(code(&res), "INVALID_PHONE");
}

#[tokio::test]
async fn rounds_that_refuse_a_method_say_so() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "methods": ["POSTCODE"], "postcodeAloneEnough": true })),
    )
    .await;
    let input =
        json!({ "person": person("Lee Ward", "1960-06-06", "LS6 1AB"), "evidence": "PHOTO_ID" });
    let res = app
        .gql(
            Some(&r.officer),
            &in_person_query(),
            json!({ "r": r.round, "i": input }),
        )
        .await;
    assert_eq!(code(&res), "METHOD_NOT_ACCEPTED");

    let r2 = {
        let mut input = fixtures::round_input("In person only", &[(&r.area, 100)]);
        input["eligibility"] = eligibility(json!({ "methods": ["IN_PERSON"] }));
        let data = app
            .ok(
                Some(&r.officer),
                fixtures::CREATE_ROUND,
                json!({ "i": input }),
            )
            .await;
        let id = data["createRound"]["id"].as_str().unwrap().to_owned();
        fixtures::advance(&app, &r.officer, &id, "BIDS_OPEN").await;
        id
    };
    let mo = app.sign_in("mo@example.org").await;
    let res = declare(&app, &mo, &r2, person("Mo Khan", "1975-01-01", "LS6 1AB")).await;
    assert_eq!(code(&res), "METHOD_NOT_ACCEPTED");
}

#[tokio::test]
async fn one_person_one_vote_across_accounts_and_methods() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({ "postcodeAloneEnough": true }))).await;

    // Nia is verified in person, with no account.
    let input =
        json!({ "person": person("Nia Evans", "1988-08-08", "LS6 1EF"), "evidence": "PHOTO_ID" });
    app.ok(
        Some(&r.officer),
        &in_person_query(),
        json!({ "r": r.round, "i": input }),
    )
    .await;
    // Later someone signs up online with the same details, written
    // differently: held for a check (not told why), and an officer sees
    // the duplicate.
    let online = app.sign_in("nia@example.org").await;
    let res = declare(
        &app,
        &online,
        &r.round,
        person("EVANS, nia", "08/08/1988", "ls61ef"),
    )
    .await;
    let v = &res["data"]["declareEligibility"];
    assert_eq!(
        (v["held"].clone(), v["verified"].clone()),
        (json!(true), json!(false)),
        "{res:#}"
    );

    // A second online account for Olu, after the first.
    let olu1 = app.sign_in("olu@example.org").await;
    let olu2 = app.sign_in("olu.other@example.org").await;
    let first = declare(
        &app,
        &olu1,
        &r.round,
        person("Olu Ade", "1999-09-09", "LS6 2GH"),
    )
    .await;
    assert_eq!(first["data"]["declareEligibility"]["verified"], true);
    let res = declare(
        &app,
        &olu2,
        &r.round,
        person("Olu Ade", "1999-09-09", "LS6 2GH"),
    )
    .await;
    assert_eq!(res["data"]["declareEligibility"]["held"], true, "{res:#}");

    let q = "query($r: ID!) { verificationConflicts(roundId: $r) { nodes { id kind claimantAccountId verificationId resolution } } }";
    let conflicts = app.ok(Some(&r.officer), q, json!({ "r": r.round })).await;
    let list = conflicts["verificationConflicts"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|c| c["kind"] == "identity"));
    // Residents cannot see them.
    let res = app.gql(Some(&olu2), q, json!({ "r": r.round })).await;
    assert_eq!(code(&res), "NOT_AUTHORISED");

    // The officer moves Nia's in-person verification to her new account,
    // and keeps Olu's first account.
    let resolve = "mutation($id: ID!, $res: ConflictResolution!) { resolveVerificationConflict(id: $id, resolution: $res) { resolution resolvedAt } }";
    let data = app
        .ok(
            Some(&r.officer),
            resolve,
            json!({ "id": list[0]["id"], "res": "MOVE_TO_CLAIMANT" }),
        )
        .await;
    assert_eq!(
        data["resolveVerificationConflict"]["resolution"],
        "move_to_claimant"
    );
    let mine = app.ok(Some(&online), MY_VERIFICATIONS, json!({})).await;
    assert_eq!(mine["myVerifications"][0]["methods"], json!(["IN_PERSON"]));
    assert_eq!(mine["myVerifications"][0]["verified"], true);
    app.ok(
        Some(&r.officer),
        resolve,
        json!({ "id": list[1]["id"], "res": "KEEP_EXISTING" }),
    )
    .await;
    let mine = app.ok(Some(&olu2), MY_VERIFICATIONS, json!({})).await;
    assert_eq!(
        mine["myVerifications"][0]["verified"], false,
        "still held: {mine:#}"
    );
    // Resolved once only; residents cannot resolve.
    let res = app
        .gql(
            Some(&r.officer),
            resolve,
            json!({ "id": list[1]["id"], "res": "MOVE_TO_CLAIMANT" }),
        )
        .await;
    assert_eq!(code(&res), "INVALID_TRANSITION");
    let res = app
        .gql(
            Some(&olu2),
            resolve,
            json!({ "id": list[1]["id"], "res": "MOVE_TO_CLAIMANT" }),
        )
        .await;
    assert_eq!(code(&res), "NOT_AUTHORISED");
    let audits = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("verification_conflict_resolved"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audits.len(), 2);
    assert!(audits[0].details.contains("to_account"));

    // Declaring again on the same account just updates it.
    let res = declare(
        &app,
        &olu1,
        &r.round,
        person("Olu Ade", "1999-09-09", "LS6 2GH"),
    )
    .await;
    assert_eq!(
        res["data"]["declareEligibility"]["verified"], true,
        "{res:#}"
    );
    let rows = verified_participants::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    // Nia's (moved to her new account), Olu's, and the second account's
    // declaration, which the officer left held and unverified.
    assert_eq!(rows.len(), 3, "one record per account");
    assert_eq!(rows.iter().filter(|r| r.held).count(), 1);
}

#[tokio::test]
async fn residents_see_and_delete_their_own_data() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "postcodeAloneEnough": true, "minAge": 16 })),
    )
    .await;
    let pat = app.sign_in("pat@example.org").await;
    declare(
        &app,
        &pat,
        &r.round,
        person("Pat Lowe", "1966-06-16", "LS6 1AB"),
    )
    .await;
    let mine = app.ok(Some(&pat), MY_VERIFICATIONS, json!({})).await;
    let v = &mine["myVerifications"][0];
    assert_eq!(v["roundId"], json!(r.round));
    assert_eq!(v["ageCheckedAtLeast"], 16);
    let stored: Vec<String> = serde_json::from_value(v["storedData"].clone()).unwrap();
    assert!(
        stored
            .iter()
            .any(|s| s.contains("keyed hashes of your name")),
        "{stored:?}"
    );

    // Someone else sees only their own (nothing).
    let other = app.sign_in("quin@example.org").await;
    assert_eq!(
        app.ok(Some(&other), MY_VERIFICATIONS, json!({})).await["myVerifications"],
        json!([])
    );
    let del = "mutation($r: ID!) { deleteMyVerification(roundId: $r) }";
    assert_eq!(
        app.ok(Some(&other), del, json!({ "r": r.round })).await["deleteMyVerification"],
        false
    );
    assert_eq!(
        app.ok(Some(&pat), del, json!({ "r": r.round })).await["deleteMyVerification"],
        true
    );
    assert_eq!(
        app.ok(Some(&pat), MY_VERIFICATIONS, json!({})).await["myVerifications"],
        json!([])
    );
    assert!(verified_participants::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        app.refused(None, MY_VERIFICATIONS, json!({})).await,
        "UNAUTHENTICATED"
    );
    // The officer list no longer has them.
    let q = "query($r: ID!) { verifications(roundId: $r) { nodes { id } } }";
    assert_eq!(
        app.ok(Some(&r.officer), q, json!({ "r": r.round })).await["verifications"]["nodes"],
        json!([])
    );
}

#[tokio::test]
async fn verification_data_is_purged_after_publication_and_retention() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({ "postcodeAloneEnough": true }))).await;
    let ray = app.sign_in("ray@example.org").await;
    let sam = app.sign_in("sam@example.org").await;
    declare(
        &app,
        &ray,
        &r.round,
        person("Ray Lamb", "1977-07-17", "LS6 1AB"),
    )
    .await;
    let res = declare(
        &app,
        &sam,
        &r.round,
        person("Ray Lamb", "1977-07-17", "LS6 1AB"),
    )
    .await;
    assert_eq!(res["data"]["declareEligibility"]["held"], true, "{res:#}");
    app.ok(
        Some(&r.officer),
        "mutation($i: ImportRegisterInput!) { importRegister(input: $i) { rowsAccepted } }",
        json!({ "i": { "roundId": r.round, "content": "name,dob,postcode\nTom Lamb,1979-01-01,LS6 1AB\n", "columns": { "fullName": "name", "dateOfBirth": "dob", "postcode": "postcode" } } }),
    )
    .await;
    // Another round, still open, keeps its data.
    let open = verification_round_second(&app, &r.officer, &r.area).await;
    declare(
        &app,
        &ray,
        &open,
        person("Ray Lamb", "1977-07-17", "LS6 1AB"),
    )
    .await;

    let round_id: i64 = r.round.parse().unwrap();
    let retention = chrono::Duration::days(30);
    let now = chrono::Utc::now();
    use api::service::verification::purge;
    // Not published yet: refused for that round, and nothing purged.
    let err = purge(
        &app.state.db,
        Some(round_id),
        retention,
        now + chrono::Duration::days(365),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code().as_str(), "PHASE_CLOSED");
    // A cancelled round is finished as a published one is.
    fixtures::advance(&app, &r.officer, &r.round, "CANCELLED").await;

    // Within the retention period: kept.
    assert!(purge(&app.state.db, None, retention, now)
        .await
        .unwrap()
        .is_empty());
    let err = purge(&app.state.db, Some(round_id), retention, now)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("retention"), "{err}");

    // After it: gone, for that round only, once.
    let later = now + chrono::Duration::days(31);
    // The keyed hashes of the round's closed voting codes go with it.
    for round in [round_id, open.parse().unwrap()] {
        use sea_orm::{ActiveModelTrait, Set};
        api::store::closed_codes::ActiveModel {
            code_hmac: Set(format!("code-of-{round}")),
            round_id: Set(round),
        }
        .insert(&app.state.db)
        .await
        .unwrap();
    }
    let purged = purge(&app.state.db, None, retention, later).await.unwrap();
    let codes_left = api::store::closed_codes::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(codes_left.len(), 1);
    assert_eq!(codes_left[0].round_id.to_string(), open);
    assert_eq!(purged.len(), 1);
    assert_eq!(purged[0].round_id, round_id.into());
    assert_eq!(purged[0].participants, 2, "Ray, and Sam's held declaration");
    assert_eq!(purged[0].register_entries, 1);
    assert!(purged[0].audit_entries >= 2, "{:?}", purged[0]);
    // Nothing about anyone's verification for that round is left in the
    // audit trail.
    let personal = audit_events::Entity::find()
        .filter(audit_events::Column::PurgeRoundId.eq(round_id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(personal.is_empty());
    let left = verified_participants::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].round_id.to_string(), open);
    assert!(verification_conflicts::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .is_empty());
    assert!(api::store::register_entries::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .is_empty());
    assert!(purge(&app.state.db, None, retention, later)
        .await
        .unwrap()
        .is_empty());
    let q = "query($id: ID!) { round(id: $id) { verificationPurgedAt } }";
    let data = app.ok(Some(&ray), q, json!({ "id": r.round })).await;
    assert!(data["round"]["verificationPurgedAt"].is_string());
    let audits = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("verification_purged"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audits.len(), 1);
}

/// A second account that writes the same name with look-alike letters of
/// other scripts (Greek and Cyrillic) is the same person: held for an
/// officer, not verified, in a round that takes a postcode alone.
#[tokio::test]
async fn look_alike_letters_do_not_make_a_second_person() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({ "postcodeAloneEnough": true }))).await;
    let first = app.sign_in("zoe@example.org").await;
    let res = declare(
        &app,
        &first,
        &r.round,
        person("Zoë O'Brien-Smith", "1990-10-10", "LS6 1AB"),
    )
    .await;
    assert_eq!(
        res["data"]["declareEligibility"]["verified"], true,
        "{res:#}"
    );
    // Greek Ζ, ο, Ο, Β and Cyrillic е, Ѕ: it reads the same to a person.
    let second = app.sign_in("zoe.again@example.org").await;
    let res = declare(
        &app,
        &second,
        &r.round,
        person("Ζοе Ο'Βriеn-Ѕmith", "1990-10-10", "LS6 1AB"),
    )
    .await;
    let v = &res["data"]["declareEligibility"];
    assert_eq!(
        (v["held"].clone(), v["verified"].clone()),
        (json!(true), json!(false)),
        "{res:#}"
    );
    // A partly disguised name with one word in common is held as similar.
    let third = app.sign_in("zoe.third@example.org").await;
    let res = declare(
        &app,
        &third,
        &r.round,
        person("Ζое Ο'Brian", "1990-10-10", "LS6 1AB"),
    )
    .await;
    assert_eq!(res["data"]["declareEligibility"]["held"], true, "{res:#}");
    let q = "query($r: ID!) { verificationConflicts(roundId: $r) { nodes { kind } } }";
    let conflicts = app.ok(Some(&r.officer), q, json!({ "r": r.round })).await;
    let kinds: Vec<&str> = conflicts["verificationConflicts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 2, "{conflicts}");
    assert!(kinds.contains(&"identity"), "{kinds:?}");
}

/// Someone who starts online and chooses to be seen in person is completed
/// by the officer's check: with the reference on their screen (or their
/// email address), their own record; without it, the officer is told what
/// to ask for, not that they are "already verified".
#[tokio::test]
async fn someone_who_started_online_is_completed_in_person_by_their_reference() {
    let app = TestApp::spawn().await;
    // A postcode alone is not enough here: Kim is part-way after declaring.
    let r = verification_round(&app, eligibility(json!({}))).await;
    let kim = app.sign_in("kim@example.org").await;
    let kim_details = person("Kim Lee", "1948-02-03", "LS6 1AB");
    let res = declare(&app, &kim, &r.round, kim_details.clone()).await;
    assert_eq!(
        res["data"]["declareEligibility"]["verified"], false,
        "{res:#}"
    );
    let mine = app
        .ok(
            Some(&kim),
            "{ myVerifications { id verified inPersonReference } }",
            json!({}),
        )
        .await;
    let reference = mine["myVerifications"][0]["inPersonReference"]
        .as_str()
        .unwrap()
        .to_owned();
    let own_id = mine["myVerifications"][0]["id"].clone();
    assert!(reference.starts_with(&format!("{}-", own_id.as_str().unwrap())));

    let check = |reference: Option<&str>, details: Value| json!({ "r": r.round, "i": { "person": details, "evidence": "PROOF_OF_ADDRESS", "reference": reference } });
    // Without the reference: what to ask for, by its own code.
    let res = app
        .gql(
            Some(&r.officer),
            &in_person_query(),
            check(None, kim_details.clone()),
        )
        .await;
    assert_eq!(
        crate::helpers::error_code(&res),
        "STARTED_ONLINE",
        "{res:#}"
    );
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("reference on their screen"));
    // A made-up reference, and someone else's details with the right one.
    let forged = format!("{}-AAAAA", own_id.as_str().unwrap());
    let res = app
        .gql(
            Some(&r.officer),
            &in_person_query(),
            check(Some(&forged), kim_details.clone()),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&res), "INVALID_INPUT", "{res:#}");
    let res = app
        .gql(
            Some(&r.officer),
            &in_person_query(),
            check(
                Some(&reference),
                person("Kim Leigh", "1948-02-03", "LS6 1AB"),
            ),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&res), "INVALID_INPUT", "{res:#}");
    // Read aloud and typed in lower case with a space: still hers.
    let typed = reference.to_lowercase().replace('-', " - ");
    let done = app
        .ok(
            Some(&r.officer),
            &in_person_query(),
            check(Some(&typed), kim_details),
        )
        .await;
    let v = &done["recordInPersonVerification"];
    assert_eq!(v["id"], own_id);
    assert_eq!(v["verified"], true, "{done:#}");
    let mine = app
        .ok(Some(&kim), "{ myVerifications { id verified } }", json!({}))
        .await;
    assert_eq!(mine["myVerifications"][0]["verified"], true);
    assert_eq!(mine["myVerifications"].as_array().unwrap().len(), 1);
}
