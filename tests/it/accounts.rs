//! Your account: the language we write to you in, the data we hold about
//! you, and deleting it.
use crate::fixtures;
use crate::helpers::{decoded, TestApp};
use serde_json::json;

const SET_LANGUAGE: &str = "mutation($l: Language!) { setLanguage(language: $l) { id language } }";
const ME: &str = "{ me { id language } }";
const REVIEW: &str = "mutation($id: ID!, $d: ReviewDecision!, $r: String) { reviewBid(id: $id, decision: $d, reason: $r) { status } }";

fn last_to(app: &TestApp, email: &str) -> (String, String) {
    let all = app.smtp.messages_to(email);
    decoded(all.last().expect("an email"))
}

#[tokio::test]
async fn a_welsh_account_is_written_to_in_welsh() {
    let app = TestApp::spawn().await;
    let token = app.sign_in("gwen@example.org").await;
    assert_eq!(
        app.ok(Some(&token), ME, json!({})).await["me"]["language"],
        "EN"
    );

    let data = app
        .ok(Some(&token), SET_LANGUAGE, json!({ "l": "CY" }))
        .await;
    assert_eq!(data["setLanguage"]["language"], "CY");
    assert_eq!(
        app.ok(Some(&token), ME, json!({})).await["me"]["language"],
        "CY"
    );

    // The next sign-in code comes in Welsh, whatever the page asks for.
    app.gql(
        None,
        "mutation($e: String!) { requestSignInCode(email: $e, language: EN) { sent } }",
        json!({ "e": "gwen@example.org" }),
    )
    .await;
    app.smtp.wait_for_code("gwen@example.org", 2).await;
    let (subject, body) = last_to(&app, "gwen@example.org");
    assert!(
        subject.starts_with("Eich cod mewngofnodi Fairshare"),
        "{subject}"
    );
    assert!(body.contains("Mae’n gweithio unwaith"), "{body}");
    assert!(!body.contains("works once"), "{body}");

    // Back to English: the next one is in English.
    app.ok(Some(&token), SET_LANGUAGE, json!({ "l": "EN" }))
        .await;
    app.request_code("gwen@example.org").await;
    app.smtp.wait_for_code("gwen@example.org", 3).await;
    let (subject, body) = last_to(&app, "gwen@example.org");
    assert!(
        subject.starts_with("Your Fairshare sign-in code"),
        "{subject}"
    );
    assert!(body.contains("works once"), "{body}");

    // Nobody signed out: setting a language needs a session.
    let res = app.gql(None, SET_LANGUAGE, json!({ "l": "CY" })).await;
    assert_eq!(crate::helpers::error_code(&res), "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_new_address_gets_the_pages_language_and_keeps_it() {
    let app = TestApp::spawn().await;
    app.gql(
        None,
        "mutation($e: String!) { requestSignInCode(email: $e, language: CY) { sent } }",
        json!({ "e": "newydd@example.org" }),
    )
    .await;
    let code = app.smtp.wait_for_code("newydd@example.org", 1).await;
    let (_, body) = last_to(&app, "newydd@example.org");
    assert!(body.contains("Eich cod i fewngofnodi"), "{body}");
    let data = app
        .ok(
            None,
            "mutation($e: String!, $c: String!) { signIn(email: $e, code: $c, language: CY) { account { language } } }",
            json!({ "e": "newydd@example.org", "c": code }),
        )
        .await;
    assert_eq!(data["signIn"]["account"]["language"], "CY");
}

#[tokio::test]
async fn a_group_whose_contact_reads_welsh_hears_of_its_review_in_welsh() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    // The group's contact address belongs to an account that reads Welsh.
    let contact = app.sign_in("hello@friends.test").await;
    app.ok(Some(&contact), SET_LANGUAGE, json!({ "l": "CY" }))
        .await;
    let bid = fixtures::bid(
        &app, &r.member, &r.round, &r.group, &r.area, "Meinciau", 100_000,
    )
    .await;
    fixtures::advance(&app, &r.officer, &r.round, "BID_REVIEW").await;
    app.ok(
        Some(&r.officer),
        REVIEW,
        json!({ "id": bid, "d": "CHANGES_REQUESTED", "r": "Add the cost of signs." }),
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.smtp.count_to("hello@friends.test") < 2 {
        assert!(std::time::Instant::now() < deadline, "no review email");
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let (subject, body) = last_to(&app, "hello@friends.test");
    assert_eq!(subject, "Mae eich cais \"Meinciau\" wedi’i adolygu");
    assert!(body.contains("wedi gofyn am newidiadau"), "{body}");
    assert!(
        body.contains("Rheswm y swyddog: Add the cost of signs."),
        "{body}"
    );
}
