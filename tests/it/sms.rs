//! Text-message codes, through a real HTTP server on loopback standing in
//! for a Twilio-compatible gateway.
use crate::fixtures::{
    declare_query, eligibility, person, verification_round, VerificationRound, CONFIRM_CODE,
    REQUEST_CODE,
};
use crate::helpers::{error_code, TestApp, SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM};
use api::store::one_time_codes;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use std::collections::BTreeMap;

/// A round where a postcode is not enough, and a resident who declared.
async fn declared(app: &TestApp, email: &str, name: &str) -> (VerificationRound, String) {
    let r = verification_round(app, eligibility(json!({}))).await;
    let token = declare_as(app, &r, email, name).await;
    (r, token)
}

async fn declare_as(app: &TestApp, r: &VerificationRound, email: &str, name: &str) -> String {
    let token = app.sign_in(email).await;
    let data = app
        .ok(
            Some(&token),
            &declare_query(),
            json!({ "r": r.round, "p": person(name, "1980-02-02", "LS6 1AB") }),
        )
        .await;
    assert_eq!(data["declareEligibility"]["verified"], false);
    token
}

fn confirm_vars(round: &str, to: &str, code: &str) -> serde_json::Value {
    json!({ "r": round, "c": "SMS", "to": to, "code": code })
}

#[tokio::test]
async fn a_text_message_code_verifies_and_the_gateway_gets_a_twilio_request() {
    let app = TestApp::spawn().await;
    let (r, ann) = declared(&app, "ann@example.org", "Ann Smith").await;
    let data = app
        .ok(
            Some(&ann),
            REQUEST_CODE,
            json!({ "r": r.round, "c": "SMS", "to": "07700 900123" }),
        )
        .await;
    assert_eq!(data["requestVerificationCode"]["sent"], true);

    let requests = app.sms.requests();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(
        req.path,
        format!("/2010-04-01/Accounts/{SMS_ACCOUNT_SID}/Messages.json")
    );
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{SMS_ACCOUNT_SID}:{SMS_AUTH_TOKEN}"));
    assert_eq!(
        req.authorization.as_deref(),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(
        req.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        req.form.get("To").map(String::as_str),
        Some("+447700900123")
    );
    assert_eq!(req.form.get("From").map(String::as_str), Some(SMS_FROM));
    let body = req.form.get("Body").unwrap();
    assert!(
        body.contains("Hyde Park Fund") && body.contains("10 minutes"),
        "{body}"
    );
    assert!(body.chars().count() <= 160, "one text message: {body}");
    let code = app.sms.code_to("+447700900123", 1);

    // The code is stored hashed, and the number only as a keyed hash.
    let rows = one_time_codes::Entity::find()
        .filter(one_time_codes::Column::Purpose.eq("verify_sms"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].code_hash.contains(&code) && !rows[0].target_hmac.contains("7700"));

    // The number written another way is the same number.
    let data = app
        .ok(
            Some(&ann),
            CONFIRM_CODE,
            confirm_vars(&r.round, "+44 7700 900123", &code),
        )
        .await;
    let v = &data["confirmVerificationCode"];
    assert_eq!(v["verified"], true);
    assert_eq!(v["methods"], json!(["POSTCODE", "SMS"]));
    assert_eq!(v["hasPhone"], true);
    // Single use.
    assert_eq!(
        app.refused(
            Some(&ann),
            CONFIRM_CODE,
            confirm_vars(&r.round, "07700900123", &code)
        )
        .await,
        "INVALID_CODE"
    );
}

#[tokio::test]
async fn sms_refusals_have_their_codes() {
    let app = TestApp::spawn().await;
    let (r, bob) = declared(&app, "bob@example.org", "Bob Jones").await;
    for (to, want) in [
        ("0113 496 0000", "INVALID_PHONE"),
        ("+33 6 12 34 56 78", "INVALID_PHONE"),
        ("call me", "INVALID_PHONE"),
    ] {
        let res = app
            .gql(
                Some(&bob),
                REQUEST_CODE,
                json!({ "r": r.round, "c": "SMS", "to": to }),
            )
            .await;
        assert_eq!(error_code(&res), want, "{to}");
    }
    assert!(app.sms.requests().is_empty(), "nothing sent");

    // Not declared yet.
    let cy = app.sign_in("cy@example.org").await;
    let res = app
        .gql(
            Some(&cy),
            REQUEST_CODE,
            json!({ "r": r.round, "c": "SMS", "to": "07700900124" }),
        )
        .await;
    assert_eq!(error_code(&res), "NOT_DECLARED");
    // Malformed and never-sent codes.
    assert_eq!(
        app.refused(
            Some(&bob),
            CONFIRM_CODE,
            confirm_vars(&r.round, "07700900125", "12ab")
        )
        .await,
        "INVALID_CODE"
    );
    assert_eq!(
        app.refused(
            Some(&bob),
            CONFIRM_CODE,
            confirm_vars(&r.round, "07700900125", "123456")
        )
        .await,
        "INVALID_CODE"
    );
    // An expired code.
    app.ok(
        Some(&bob),
        REQUEST_CODE,
        json!({ "r": r.round, "c": "SMS", "to": "07700900125" }),
    )
    .await;
    let code = app.sms.code_to("+447700900125", 1);
    use sea_orm::sea_query::Expr;
    one_time_codes::Entity::update_many()
        .col_expr(
            one_time_codes::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(one_time_codes::Column::Purpose.eq("verify_sms"))
        .exec(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        app.refused(
            Some(&bob),
            CONFIRM_CODE,
            confirm_vars(&r.round, "07700900125", &code)
        )
        .await,
        "CODE_EXPIRED"
    );

    // The gateway failing is our error, not the resident's, and says nothing
    // about the number.
    app.sms.fail(true);
    let res = app
        .gql(
            Some(&bob),
            REQUEST_CODE,
            json!({ "r": r.round, "c": "SMS", "to": "07700900126" }),
        )
        .await;
    assert_eq!(error_code(&res), "INTERNAL");
    assert!(!res.to_string().contains("7700"), "{res}");
    app.sms.fail(false);

    // A round that does not take text messages.
    let other = verification_round_without_sms(&app, &r).await;
    let res = app
        .gql(
            Some(&bob),
            REQUEST_CODE,
            json!({ "r": other, "c": "SMS", "to": "07700900126" }),
        )
        .await;
    assert_eq!(error_code(&res), "METHOD_NOT_ACCEPTED");
}

async fn verification_round_without_sms(app: &TestApp, r: &VerificationRound) -> String {
    let mut input = crate::fixtures::round_input("No texts", &[(&r.area, 100)]);
    input["eligibility"] =
        eligibility(json!({ "methods": ["POSTCODE", "EMAIL"], "acceptLowAssurance": true }));
    let data = app
        .ok(
            Some(&r.officer),
            crate::fixtures::CREATE_ROUND,
            json!({ "i": input }),
        )
        .await;
    let id = data["createRound"]["id"].as_str().unwrap().to_owned();
    crate::fixtures::advance(app, &r.officer, &id, "BIDS_OPEN").await;
    id
}

#[tokio::test]
async fn a_code_works_only_for_the_account_that_asked() {
    let app = TestApp::spawn().await;
    let (r, dee) = declared(&app, "dee@example.org", "Dee Hart").await;
    let mal = declare_as(&app, &r, "mal@example.org", "Mal Evans").await;
    app.ok(
        Some(&dee),
        REQUEST_CODE,
        json!({ "r": r.round, "c": "SMS", "to": "07700900200" }),
    )
    .await;
    let code = app.sms.code_to("+447700900200", 1);
    assert_eq!(
        app.refused(
            Some(&mal),
            CONFIRM_CODE,
            confirm_vars(&r.round, "07700900200", &code)
        )
        .await,
        "INVALID_CODE"
    );
    let data = app
        .ok(
            Some(&dee),
            CONFIRM_CODE,
            confirm_vars(&r.round, "07700900200", &code),
        )
        .await;
    assert_eq!(data["confirmVerificationCode"]["verified"], true);

    // One phone, one person: Mal proving the same number is refused.
    app.ok(
        Some(&mal),
        REQUEST_CODE,
        json!({ "r": r.round, "c": "SMS", "to": "07700900200" }),
    )
    .await;
    let code = app.sms.code_to("+447700900200", 2);
    assert_eq!(
        app.refused(
            Some(&mal),
            CONFIRM_CODE,
            confirm_vars(&r.round, "07700900200", &code)
        )
        .await,
        "ALREADY_VERIFIED_ELSEWHERE"
    );
    let q = "query($r: ID!) { verificationConflicts(roundId: $r) { nodes { kind } } }";
    let data = app.ok(Some(&r.officer), q, json!({ "r": r.round })).await;
    assert_eq!(
        data["verificationConflicts"]["nodes"],
        json!([{ "kind": "sms" }])
    );
}

#[tokio::test]
async fn a_thousand_wrong_guesses_at_a_text_message_code_are_refused_after_the_cap() {
    let app = TestApp::spawn().await;
    let (r, eve) = declared(&app, "eve@example.org", "Eve Adams").await;
    app.ok(
        Some(&eve),
        REQUEST_CODE,
        json!({ "r": r.round, "c": "SMS", "to": "07700900300" }),
    )
    .await;
    let code = app.sms.code_to("+447700900300", 1);
    let started = std::time::Instant::now();
    let mut outcomes: BTreeMap<String, u32> = BTreeMap::new();
    for guess in 0..1000u32 {
        let guess = format!("{:06}", (guess * 7919 + 13) % 1_000_000);
        if guess == code {
            continue;
        }
        let got = app
            .refused(
                Some(&eve),
                CONFIRM_CODE,
                confirm_vars(&r.round, "07700900300", &guess),
            )
            .await;
        *outcomes.entry(got).or_insert(0) += 1;
    }
    let elapsed = started.elapsed();
    eprintln!("1,000 wrong text-message code guesses: {outcomes:?} in {elapsed:?}");
    // Four are plain wrong; from the fifth on, every guess is refused.
    assert_eq!(outcomes.get("INVALID_CODE"), Some(&4), "{outcomes:?}");
    assert!(
        outcomes.get("TOO_MANY_ATTEMPTS").copied().unwrap_or(0) >= 995,
        "{outcomes:?}"
    );
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    let row = one_time_codes::Entity::find()
        .filter(one_time_codes::Column::Purpose.eq("verify_sms"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.attempts, 5, "counted up to the cap and no further");
    // Even the right code is now refused; the resident is not verified.
    assert_eq!(
        app.refused(
            Some(&eve),
            CONFIRM_CODE,
            confirm_vars(&r.round, "07700900300", &code)
        )
        .await,
        "TOO_MANY_ATTEMPTS"
    );
    let mine = app
        .ok(
            Some(&eve),
            "{ myVerifications { verified hasPhone } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine["myVerifications"],
        json!([{ "verified": false, "hasPhone": false }])
    );
}

#[tokio::test]
async fn text_message_codes_are_rate_limited_per_number_and_per_client() {
    let app = TestApp::spawn().await;
    let (r, fay) = declared(&app, "fay@example.org", "Fay Ward").await;
    let request = |token: String, ip: &'static str, to: String| {
        let app = &app;
        let round = r.round.clone();
        async move {
            app.gql_from(
                ip,
                Some(&token),
                REQUEST_CODE,
                json!({ "r": round, "c": "SMS", "to": to }),
            )
            .await
        }
    };
    // Per number: three an hour, whoever asks.
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        let res = request(fay.clone(), "203.0.113.1", "07700900400".into()).await;
        outcomes.push(res.get("errors").map(|_| error_code(&res)));
    }
    assert_eq!(
        outcomes,
        vec![None, None, None, Some("RATE_LIMITED".to_owned())]
    );
    let gus = declare_as(&app, &r, "gus@example.org", "Gus Hill").await;
    let res = request(gus.clone(), "203.0.113.2", "07700900400".into()).await;
    assert_eq!(
        error_code(&res),
        "RATE_LIMITED",
        "another account, same number"
    );
    assert_eq!(
        app.sms.requests_to("+447700900400").len(),
        3,
        "no fourth text"
    );

    // Per client: ten an hour from one connection, whatever the number.
    let mut refused_at = None;
    for i in 0..15 {
        let res = request(gus.clone(), "203.0.113.3", format!("077009005{i:02}")).await;
        if res.get("errors").is_some() {
            assert_eq!(error_code(&res), "RATE_LIMITED");
            refused_at = Some(i);
            break;
        }
    }
    assert_eq!(
        refused_at,
        Some(10),
        "the 11th request from one client is refused"
    );
    // Another client is not affected.
    let res = request(gus, "203.0.113.4", "07700900600".into()).await;
    assert!(res.get("errors").is_none(), "{res:#}");
    assert_eq!(app.sms.requests().len(), 3 + 10 + 1);
}
