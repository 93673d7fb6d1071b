//! Sign-in with one-time codes, sessions and roles.
use crate::helpers::{code_in, error_code, TestApp};
use api::store::one_time_codes;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

const SIGN_IN: &str = "mutation($e: String!, $c: String!) { signIn(email: $e, code: $c) { token expiresAt account { id roles } } }";
const ME: &str = "{ me { id roles } }";

#[tokio::test]
async fn a_resident_signs_in_with_the_code_from_a_real_email() {
    let app = TestApp::spawn().await;
    let res = app.request_code("Ann.Smith@Example.org").await;
    assert_eq!(res["data"]["requestSignInCode"]["sent"], true);
    let code = app.smtp.wait_for_code("ann.smith@example.org", 1).await;
    let message = &app.smtp.messages_to("ann.smith@example.org")[0];
    assert!(
        message.contains("works once"),
        "the email explains the code:\n{message}"
    );

    // Sign in over raw HTTP, to see the cookie.
    let res = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(
            &json!({ "query": SIGN_IN, "variables": { "e": "ann.smith@example.org", "c": code } }),
        )
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    let body: serde_json::Value = res.json().await.unwrap();
    let token = body["data"]["signIn"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    assert!(token.len() >= 22, "at least 128 bits of token");
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "cookie has {attr}: {cookie}");
    }
    assert!(cookie.starts_with(&format!("fairshare_session={token}")));

    // The token works as a bearer token and as a cookie.
    let me = app.ok(Some(&token), ME, json!({})).await;
    assert_eq!(me["me"]["roles"], json!([]));
    let res: serde_json::Value = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("cookie", format!("other=1; fairshare_session={token}"))
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(res["data"]["me"]["id"], me["me"]["id"]);

    // Signing in again later finds the same account.
    let again = app.sign_in("ann.smith@example.org").await;
    let me2 = app.ok(Some(&again), ME, json!({})).await;
    assert_eq!(me2["me"]["id"], me["me"]["id"]);
}

#[tokio::test]
async fn codes_are_stored_hashed_and_work_once() {
    let app = TestApp::spawn().await;
    app.request_code("bob@example.org").await;
    let code = app.smtp.wait_for_code("bob@example.org", 1).await;
    let rows = one_time_codes::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].code_hash.contains(&code) && !rows[0].target_hmac.contains("bob"));
    assert_eq!(rows[0].code_hash.len(), 64);

    app.ok(None, SIGN_IN, json!({ "e": "bob@example.org", "c": code }))
        .await;
    let reused = app
        .refused(None, SIGN_IN, json!({ "e": "bob@example.org", "c": code }))
        .await;
    assert_eq!(reused, "INVALID_CODE");
}

#[tokio::test]
async fn five_wrong_codes_kill_the_code() {
    let app = TestApp::spawn().await;
    app.request_code("carol@example.org").await;
    let code = app.smtp.wait_for_code("carol@example.org", 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for attempt in 1..=5 {
        let got = app
            .refused(
                None,
                SIGN_IN,
                json!({ "e": "carol@example.org", "c": wrong }),
            )
            .await;
        let want = if attempt < 5 {
            "INVALID_CODE"
        } else {
            "TOO_MANY_ATTEMPTS"
        };
        assert_eq!(got, want, "attempt {attempt}");
    }
    // Even the right code no longer works.
    let got = app
        .refused(
            None,
            SIGN_IN,
            json!({ "e": "carol@example.org", "c": code }),
        )
        .await;
    assert_eq!(got, "TOO_MANY_ATTEMPTS");
    // A new code does.
    app.sign_in("carol@example.org").await;
}

#[tokio::test]
async fn a_thousand_wrong_guesses_are_refused_after_the_cap() {
    let app = TestApp::spawn().await;
    app.request_code("dan@example.org").await;
    let code = app.smtp.wait_for_code("dan@example.org", 1).await;
    let mut codes = std::collections::BTreeMap::new();
    for guess in 0..1000u32 {
        let guess = format!("{:06}", (guess * 7919 + 13) % 1_000_000);
        if guess == code {
            continue;
        }
        let got = app
            .refused(None, SIGN_IN, json!({ "e": "dan@example.org", "c": guess }))
            .await;
        *codes.entry(got).or_insert(0u32) += 1;
    }
    // Four are plain wrong; from the fifth on, every guess is refused outright.
    assert_eq!(codes.get("INVALID_CODE"), Some(&4), "{codes:?}");
    assert!(
        codes.get("TOO_MANY_ATTEMPTS").copied().unwrap_or(0) >= 995,
        "{codes:?}"
    );
    let row = one_time_codes::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.attempts, 5,
        "wrong tries are counted up to the cap and no further"
    );
    let got = app
        .refused(None, SIGN_IN, json!({ "e": "dan@example.org", "c": code }))
        .await;
    assert_eq!(got, "TOO_MANY_ATTEMPTS");
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = TestApp::spawn().await;
    app.request_code("erin@example.org").await;
    let code = app.smtp.wait_for_code("erin@example.org", 1).await;
    // Age the code past its ten minutes.
    use sea_orm::sea_query::Expr;
    one_time_codes::Entity::update_many()
        .col_expr(
            one_time_codes::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(one_time_codes::Column::Id.gt(0))
        .exec(&app.state.db)
        .await
        .unwrap();
    let got = app
        .refused(None, SIGN_IN, json!({ "e": "erin@example.org", "c": code }))
        .await;
    assert_eq!(got, "CODE_EXPIRED");
}

#[tokio::test]
async fn only_the_latest_code_counts() {
    let app = TestApp::spawn().await;
    app.request_code("fay@example.org").await;
    let first = app.smtp.wait_for_code("fay@example.org", 1).await;
    app.request_code("fay@example.org").await;
    let second = app.smtp.wait_for_code("fay@example.org", 2).await;
    if first != second {
        assert_eq!(
            app.refused(None, SIGN_IN, json!({ "e": "fay@example.org", "c": first }))
                .await,
            "INVALID_CODE"
        );
    }
    app.ok(
        None,
        SIGN_IN,
        json!({ "e": "fay@example.org", "c": second }),
    )
    .await;
}

#[tokio::test]
async fn code_requests_are_rate_limited_per_address_and_per_client() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        let res = app.request_code("gus@example.org").await;
        assert!(res.get("errors").is_none(), "{res:#}");
    }
    assert_eq!(
        error_code(&app.request_code("gus@example.org").await),
        "RATE_LIMITED"
    );
    assert_eq!(
        app.smtp.count_to("gus@example.org"),
        5,
        "no sixth email went out"
    );

    // Per client: one address each time, from one client address.
    let q = "mutation($e: String!) { requestSignInCode(email: $e) { sent } }";
    let mut refused_at = None;
    for i in 0..40 {
        let res = app
            .gql_from(
                "203.0.113.9",
                None,
                q,
                json!({ "e": format!("user{i}@example.org") }),
            )
            .await;
        if res.get("errors").is_some() {
            assert_eq!(error_code(&res), "RATE_LIMITED");
            refused_at = Some(i);
            break;
        }
    }
    assert_eq!(
        refused_at,
        Some(30),
        "the 31st request from one client within the hour is refused"
    );
    // Another client is not affected.
    let res = app
        .gql_from(
            "203.0.113.10",
            None,
            q,
            json!({ "e": "someone@example.org" }),
        )
        .await;
    assert!(res.get("errors").is_none(), "{res:#}");
}

#[tokio::test]
async fn the_answer_does_not_reveal_whether_an_address_is_known() {
    let app = TestApp::spawn().await;
    app.sign_in("known@example.org").await;
    let known = app.request_code("known@example.org").await;
    let unknown = app.request_code("unknown@example.org").await;
    assert_eq!(known, unknown);
}

#[tokio::test]
async fn bad_addresses_and_malformed_codes_get_clear_errors() {
    let app = TestApp::spawn().await;
    assert_eq!(
        error_code(&app.request_code("not an address").await),
        "INVALID_EMAIL"
    );
    let got = app
        .refused(None, SIGN_IN, json!({ "e": "x@example.org", "c": "12ab" }))
        .await;
    assert_eq!(got, "INVALID_CODE");
    let got = app
        .refused(
            None,
            SIGN_IN,
            json!({ "e": "x@example.org", "c": "123456" }),
        )
        .await;
    assert_eq!(got, "INVALID_CODE", "no code was ever sent");
}

#[tokio::test]
async fn signing_out_revokes_the_session() {
    let app = TestApp::spawn().await;
    let token = app.sign_in("hal@example.org").await;
    assert!(!app.ok(Some(&token), ME, json!({})).await["me"].is_null());
    let out = app
        .ok(Some(&token), "mutation { signOut }", json!({}))
        .await;
    assert_eq!(out["signOut"], true);
    assert!(app.ok(Some(&token), ME, json!({})).await["me"].is_null());
    assert_eq!(
        app.refused(Some(&token), "mutation { signOut }", json!({}))
            .await,
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn expired_sessions_do_not_authenticate() {
    let app = TestApp::spawn().await;
    let token = app.sign_in("ivy@example.org").await;
    use api::store::sessions;
    use sea_orm::sea_query::Expr;
    sessions::Entity::update_many()
        .col_expr(
            sessions::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(sessions::Column::Id.gt(0))
        .exec(&app.state.db)
        .await
        .unwrap();
    assert!(app.ok(Some(&token), ME, json!({})).await["me"].is_null());
}

#[tokio::test]
async fn only_admins_grant_roles() {
    let app = TestApp::spawn().await;
    let grant = "mutation($e: String!, $r: Role!) { grantRole(email: $e, role: $r) { id roles } }";
    let officer = app.officer().await;
    let resident = app.sign_in("jo@example.org").await;
    assert_eq!(
        app.refused(
            Some(&officer),
            grant,
            json!({ "e": "jo@example.org", "r": "OFFICER" })
        )
        .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(
        app.refused(
            Some(&resident),
            grant,
            json!({ "e": "jo@example.org", "r": "ADMIN" })
        )
        .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(
        app.refused(None, grant, json!({ "e": "jo@example.org", "r": "ADMIN" }))
            .await,
        "UNAUTHENTICATED"
    );

    let admin = app
        .signed_in_as("admin@council.test", api::domain::Role::Admin)
        .await;
    let data = app
        .ok(
            Some(&admin),
            grant,
            json!({ "e": "jo@example.org", "r": "COUNCILLOR" }),
        )
        .await;
    assert_eq!(data["grantRole"]["roles"], json!(["COUNCILLOR"]));
    // The resident's existing session now carries the role.
    assert_eq!(
        app.ok(Some(&resident), ME, json!({})).await["me"]["roles"],
        json!(["COUNCILLOR"])
    );

    let id = data["grantRole"]["id"].as_str().unwrap();
    let revoke = "mutation($a: ID!, $r: Role!) { revokeRole(accountId: $a, role: $r) { roles } }";
    let data = app
        .ok(Some(&admin), revoke, json!({ "a": id, "r": "COUNCILLOR" }))
        .await;
    assert_eq!(data["revokeRole"]["roles"], json!([]));
}

#[test]
fn code_extraction_reads_the_subject() {
    assert_eq!(
        code_in("To: a@b.c\nSubject: Your Fairshare sign-in code: 123456\n\nbody"),
        Some("123456".into())
    );
    assert_eq!(code_in("Subject: nothing here\n"), None);
}
