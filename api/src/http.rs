//! The HTTP surface: `POST /graphql` (JSON only), `GET /health`, plain
//! downloads of published results (`downloads`), and the phone gateway's
//! webhooks (`phone`).
mod downloads;
mod phone;
mod public_reads;
pub mod twiml;

use crate::domain::Role;
use crate::graphql::{mutation::accounts_cookie_name, FairshareSchema, Schemas, SessionToken};
use crate::service::auth::{self, Client};
use crate::state::AppState;
use axum::{
    body::Body,
    extract::{ConnectInfo, DefaultBodyLimit, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::json;
use std::net::SocketAddr;
use tower_http::{catch_panic::CatchPanicLayer, trace::TraceLayer};

/// The largest request body we read. A GraphQL document for this API is a
/// few kilobytes; anything far larger is a mistake or an attack.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The largest request body we read from a signed-in officer or admin: room
/// for a register file (at most 4 MiB, a third more as base64) in
/// `importRegister`, and for the two files of `importDeprivation` (at most
/// 8 MiB each, a third more as base64). Everyone else stays at
/// `MAX_BODY_BYTES`.
pub const MAX_OFFICER_BODY_BYTES: usize = 24 * 1024 * 1024;

/// The largest request body we read from a member of a community group
/// whose request says it is larger than `MAX_BODY_BYTES`: an update on a
/// funded bid with its four photos (at most 5 MiB each, a third more as
/// base64) in `postDeliveryUpdate`.
pub const MAX_GROUP_BODY_BYTES: usize = 28 * 1024 * 1024;

/// The most time one request may take. A request that runs over is
/// stopped (its transaction rolled back) and answered `TIMEOUT`; each SQL
/// statement is bounded beneath this too (`db::STATEMENT_TIMEOUT_MS`).
pub const REQUEST_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Clone)]
struct HttpState {
    app: AppState,
    schemas: Schemas,
    /// Public answers kept while nothing they came from has changed.
    public: std::sync::Arc<public_reads::PublicReads>,
}

pub fn router(app: AppState, schemas: Schemas) -> Router {
    Router::new()
        .route("/graphql", get(get_graphql).post(graphql))
        .route("/health", get(health))
        .route("/.well-known/fairshare-signing-key", get(signing_key))
        .route(
            "/rounds/{round}/results/{version}/{file}",
            get(downloads::result_file),
        )
        .route("/delivery/photos/{file}", get(downloads::delivery_photo))
        .route("/phone/sms", post(phone::sms_webhook))
        .route("/phone/voice", post(phone::voice_webhook))
        .route("/phone/dev", get(phone::dev_page).post(phone::dev_send))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(|_| internal_error()))
        .layer(TraceLayer::new_for_http())
        .with_state(HttpState {
            app,
            schemas,
            public: Default::default(),
        })
}

fn error_body(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })),
    )
        .into_response()
}

fn internal_error() -> Response {
    tracing::error!("a request handler panicked");
    error_body(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL",
        "something went wrong on our side; please try again later",
    )
}

async fn not_found() -> Response {
    error_body(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "there is nothing at this address",
    )
}

/// The council's public key, which signs every round's close checkpoint,
/// and what exactly it signs.
async fn signing_key(State(s): State<HttpState>) -> Response {
    (
        [(axum::http::header::CACHE_CONTROL, "public, max-age=300")],
        Json(json!({
            "algorithm": "Ed25519",
            "public_key": s.app.settings.signing_key.public_hex(),
            "encoding": "hex",
            "signs": "the close checkpoint of each round, as the UTF-8 text \"fairshare close checkpoint\\nround ROUND_ID\\nCHECKPOINT\\n\"",
        })),
    )
        .into_response()
}

async fn health(State(s): State<HttpState>) -> Response {
    if crate::db::ping(&s.app.db).await {
        (
            StatusCode::OK,
            Json(json!({ "status": "ok", "database": "reachable" })),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": "unreachable" })),
        )
            .into_response()
    }
}

/// GraphQL runs only over POST. There is no in-browser explorer: the
/// schema is published in `api/schema.graphql`, and any GraphQL tool can
/// load it by introspection.
async fn get_graphql() -> Response {
    error_body(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "send GraphQL requests as POST with a JSON body",
    )
}

/// The session token from `Authorization: Bearer …` or the session cookie.
fn session_token(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = v.strip_prefix("Bearer ") {
            return Some(t.trim().to_owned());
        }
    }
    let cookie_name = accounts_cookie_name();
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == cookie_name)
        .map(|(_, v)| v.to_owned())
}

/// The client's address, for rate limits. Behind `hops` trusted proxies,
/// each of which appends the address it received the request from to
/// `X-Forwarded-For`, the client is the `hops`-th address from the right:
/// everything further left was written by the client itself and proves
/// nothing. With no trusted proxies, or a header shorter than the chain,
/// the connection's own peer address is used.
fn client_ip(headers: &HeaderMap, peer: SocketAddr, hops: usize) -> String {
    if hops == 0 {
        return peer.ip().to_string();
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    match forwarded.len().checked_sub(hops).map(|i| forwarded[i]) {
        Some(ip) if ip.parse::<std::net::IpAddr>().is_ok() => ip.to_owned(),
        _ => peer.ip().to_string(),
    }
}

/// A GraphQL answer already in JSON, as `graphql` sends every answer.
fn json_answer(body: axum::body::Bytes) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `POST /graphql`. Only `application/json` is accepted: browsers cannot send
/// it cross-site without a preflight, which is our defence against
/// cross-site request forgery. Batches are refused.
async fn graphql(
    State(s): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let json_content = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json_content {
        return error_body(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send GraphQL requests with Content-Type: application/json",
        );
    }
    // Who is asking decides how much we read: officers may upload a
    // register; nobody else needs more than a few kilobytes.
    let token = session_token(&headers);
    let actor = match &token {
        Some(token) => match auth::authenticate(&s.app.db, token).await {
            Ok(actor) => actor,
            Err(e) => {
                tracing::error!(error = %e, "authenticating a request");
                return internal_error();
            }
        },
        None => None,
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let limit = match &actor {
        Some(a) if a.has(Role::Officer) => MAX_OFFICER_BODY_BYTES,
        // Only a large request costs the look-up of memberships.
        Some(a) if declared.is_some_and(|n| n > MAX_BODY_BYTES) => {
            match crate::service::groups::in_any(&s.app.db, a.account_id).await {
                Ok(true) => MAX_GROUP_BODY_BYTES,
                Ok(false) => MAX_BODY_BYTES,
                Err(e) => {
                    tracing::error!(error = %e, "checking a request's sender");
                    return internal_error();
                }
            }
        }
        _ => MAX_BODY_BYTES,
    };
    let body = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return error_body(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "the request is too large",
            )
        }
    };
    // Someone not signed in asking what anyone may read: the answer kept
    // for this exact request, if nothing it came from has changed since.
    let public_key = token.is_none().then(|| public_reads::key(&body));
    let mut revision = None;
    if let Some(key) = public_key.as_ref().filter(|k| s.public.has(k)) {
        revision = s.public.revisions.read(&s.app.db).await;
        if let Some(kept) = revision.and_then(|r| s.public.get(key, r)) {
            return json_answer(kept);
        }
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return error_body(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the request body is not valid JSON",
            )
        }
    };
    if value.is_array() {
        return error_body(
            StatusCode::BAD_REQUEST,
            "BATCH_NOT_ALLOWED",
            "send one GraphQL request at a time",
        );
    }
    const SHAPE: &str = "the request must be a JSON object with a `query` string, \
                         and optional `variables` and `operationName`";
    if !value.get("query").is_some_and(serde_json::Value::is_string) {
        return error_body(StatusCode::BAD_REQUEST, "BAD_REQUEST", SHAPE);
    }
    let mut request: async_graphql::Request = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(_) => return error_body(StatusCode::BAD_REQUEST, "BAD_REQUEST", SHAPE),
    };

    // The revision is read before the answer is worked out: a change made
    // meanwhile moves it on, and the answer is then not sent again.
    let keep = match public_key {
        Some(key) if public_reads::keepable(&request.query) => {
            if revision.is_none() {
                revision = s.public.revisions.read(&s.app.db).await;
            }
            revision.map(|r| (key, r))
        }
        _ => None,
    };
    request = crate::graphql::loaders::attach(request, &s.app.db);
    if let Some(actor) = actor {
        request = request.data(actor);
    }
    if let Some(token) = token {
        request = request.data(SessionToken(token));
    }
    request = request.data(Client {
        ip: client_ip(&headers, peer, s.app.settings.trusted_proxy_hops),
    });

    // Introspection (what GraphQL tools send to learn the schema) nests
    // deeper than any query of the product needs: it runs under limits of
    // its own (`graphql::schema::introspection_only`).
    use crate::graphql::schema::{route, Route, MAX_INTROSPECTION_LISTS};
    let schema: &FairshareSchema = match route(&request.query) {
        Route::Main => &s.schemas.main,
        Route::Introspection => &s.schemas.introspection,
        Route::TooNested => {
            return error_body(
                StatusCode::OK,
                "GRAPHQL_VALIDATION_FAILED",
                &format!("the introspection in this query (`__schema` or `__type`) nests more than {MAX_INTROSPECTION_LISTS} lists on one path: ask for the schema as the standard introspection query does"),
            )
        }
    };
    let Ok(mut response) = tokio::time::timeout(REQUEST_TIME_BUDGET, schema.execute(request)).await
    else {
        tracing::warn!("a request ran out of time");
        return error_body(
            StatusCode::SERVICE_UNAVAILABLE,
            "TIMEOUT",
            "the request took too long and was stopped: try again, or ask for less at once",
        );
    };
    // Errors raised by the GraphQL engine itself (syntax, validation, limits)
    // carry no code of ours: give them one.
    for e in &mut response.errors {
        let ext = e.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            ext.set("code", "GRAPHQL_VALIDATION_FAILED");
        }
    }
    if let Some((key, revision)) = keep {
        if response.errors.is_empty() && response.http_headers.is_empty() {
            if let Ok(body) = serde_json::to_vec(&response) {
                let body = axum::body::Bytes::from(body);
                s.public.put(key, revision, body.clone());
                return json_answer(body);
            }
        }
    }
    let headers = std::mem::take(&mut response.http_headers);
    let mut http = Json(response).into_response();
    for (name, value) in headers.iter() {
        http.headers_mut().append(name, value.clone());
    }
    http.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    http
}
