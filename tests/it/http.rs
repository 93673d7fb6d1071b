//! What reaches the server that is not a well-formed request: every case gets
//! a 4xx or a GraphQL error with a code, never a panic or a 500 with details.
use crate::fixtures;
use crate::helpers::TestApp;
use serde_json::{json, Value};

async fn post_raw(
    app: &TestApp,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let res = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn health_reports_the_database() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(format!("{}/health", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({ "status": "ok", "database": "reachable" })
    );
}

#[tokio::test]
async fn only_json_posts_are_executed() {
    let app = TestApp::spawn().await;
    let mutation = r#"mutation { requestSignInCode(email: "csrf@example.org") { sent } }"#;

    // Forms and multipart are what a hostile page can send cross-site.
    let (status, body) = post_raw(
        &app,
        "application/x-www-form-urlencoded",
        format!("query={mutation}"),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["code"].as_str()),
        (415, Some("UNSUPPORTED_MEDIA_TYPE"))
    );
    let (status, _) = post_raw(&app, "multipart/form-data; boundary=x", "--x--").await;
    assert_eq!(status, 415);
    let (status, _) = post_raw(&app, "text/plain", json!({ "query": mutation }).to_string()).await;
    assert_eq!(status, 415);

    // GET never executes anything, and serves no explorer that would load
    // code from elsewhere.
    let res = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("query", mutation)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 405);
    assert!(!res.text().await.unwrap().contains("<script"));
    assert_eq!(app.smtp.count_to("csrf@example.org"), 0, "no mutation ran");
}

#[tokio::test]
async fn production_serves_no_graphiql() {
    let secret = "k7Qp2vX9mZ4rT8wL1nB6yH3jF5dS0gCeA2uV7iO9";
    let app = TestApp::spawn_with(&[
        ("FAIRSHARE_ENV", "production"),
        ("FAIRSHARE_SECRET", secret),
        ("FAIRSHARE_ALLOW_SQLITE", "true"),
        (
            "FAIRSHARE_SIGNING_KEY",
            "B0Jc8mQ2rWf7XyZ1aS4dF6gH8jK0lP3oI5uY7tR9eWs=",
        ),
        // Production takes only an https:// gateway; this one is never
        // reached by this test.
        ("SMS_GATEWAY_URL", "https://sms-gateway.invalid"),
    ])
    .await;
    let res = app
        .client
        .get(format!("{}/graphql", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 405);
}

#[tokio::test]
async fn malformed_requests_get_4xx() {
    let app = TestApp::spawn().await;
    let (status, body) = post_raw(&app, "application/json", "{ not json").await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["code"].as_str()),
        (400, Some("BAD_REQUEST"))
    );
    let (status, body) = post_raw(
        &app,
        "application/json",
        r#"[{"query":"{ areas { id } }"},{"query":"{ areas { id } }"}]"#,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["code"].as_str()),
        (400, Some("BATCH_NOT_ALLOWED"))
    );
    let (status, _) = post_raw(&app, "application/json", r#"{"variables": {}}"#).await;
    assert_eq!(status, 400);
    let (status, _) = post_raw(&app, "application/json", r#"{"query": 5}"#).await;
    assert_eq!(status, 400);
    let huge =
        json!({ "query": format!("{{ areas {{ id }} }} #{}", "x".repeat(200_000)) }).to_string();
    let (status, _) = post_raw(&app, "application/json", huge).await;
    assert_eq!(status, 413);
    let res = app
        .client
        .get(format!("{}/nowhere", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
}

#[tokio::test]
async fn bad_documents_get_graphql_errors_with_codes() {
    let app = TestApp::spawn().await;
    for query in [
        "{ areas { id ",
        "{ areas { nonsense } }",
        "{ nonsense }",
        "mutation { createArea(input: { name: 1 }) { id } }",
        "{ round(id: \"1\") { bids { round { bids { round { bids { round { bids { round { bids { round { id } } } } } } } } } } } }",
        "query($x: Int!) { areas { id } }",
        "{ areas { id ...F } } fragment F on Area { ...G } fragment G on Area { ...F }",
    ] {
        let res = app.gql(None, query, json!({})).await;
        let code = res["errors"][0]["extensions"]["code"].as_str();
        assert!(code.is_some(), "{query}: {res:#}");
    }
    // A query far too wide is refused by its complexity.
    let wide = format!(
        "{{ {} }}",
        (0..500)
            .map(|i| format!("a{i}: areas {{ id name }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let res = app.gql(None, &wide, json!({})).await;
    assert!(
        res["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("complex"),
        "{res:#}"
    );
    // Identifiers that are not ours are simply not found.
    let res = app
        .gql(
            None,
            "{ round(id: \"'; DROP TABLE rounds; --\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn internal_failures_are_not_shown() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    use sea_orm::ConnectionTrait;
    let drop = match app.state.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "DROP TABLE bids CASCADE",
        _ => "DROP TABLE bids",
    };
    app.state.db.execute_unprepared(drop).await.unwrap();
    let res = app
        .gql(
            None,
            "query($id: ID!) { round(id: $id) { title bids { nodes { id } } } }",
            json!({ "id": r.round }),
        )
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "INTERNAL");
    // The path names the field that failed (`round.bids`); nothing else may
    // say what went wrong inside.
    let mut shown = res["errors"][0].clone();
    shown.as_object_mut().unwrap().remove("path");
    let text = shown.to_string().to_lowercase();
    assert!(text.contains("something went wrong on our side"), "{res:#}");
    for leak in ["bids", "table", "sql", "relation", "database", "no such"] {
        assert!(!text.contains(leak), "the error shows `{leak}`: {res:#}");
    }
}

/// A deep query that asks nothing about the schema is refused for its
/// depth, in words about its depth (fields or fragments); only
/// introspection nested too far is refused as such.
#[tokio::test]
async fn a_deep_query_is_refused_for_its_depth_not_as_introspection() {
    let app = TestApp::spawn().await;
    for (levels, says) in [(4, "nested too deep"), (12, "recursion depth")] {
        let deep = format!(
            "{{ round(id: \"1\") {{ {} id {} }} }}",
            "bids(first: 0) { nodes { round { ".repeat(levels),
            "} } } ".repeat(levels)
        );
        let res = app.gql(None, &deep, json!({})).await;
        let message = res["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(!message.contains("introspection"), "{res:#}");
        assert!(message.contains(says), "{res:#}");
        assert_eq!(
            res["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
            "{res:#}"
        );
    }
    let fragments = format!(
        "{{ {} __typename {} }}",
        "... on Query { ".repeat(40),
        "} ".repeat(40)
    );
    let res = app.gql(None, &fragments, json!({})).await;
    let message = res["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(!message.contains("introspection"), "{res:#}");
    assert!(message.contains("depth"), "{res:#}");
    let recursive =
        "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    let res = app.gql(None, recursive, json!({})).await;
    let message = res["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("introspection"), "{res:#}");
}
