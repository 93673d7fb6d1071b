//! Plain downloads of published results: every file of a result version at
//! a stable address, `/rounds/ROUND/results/vN/FILE`, and all of them at
//! once as `bundle.tar`, the archive `tally verify` reads. A published
//! version never changes, so its files may be cached for good
//! (`immutable`, with a strong `ETag` of their bytes, and `304 Not
//! Modified` for a client that holds them). Officers and councillors also
//! download each pot's result as CSV, which nothing in between may keep.
use super::{error_body, session_token, HttpState};
use crate::domain::Role;
use crate::service::{auth, bids, results};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

fn not_published() -> Response {
    let mut r = error_body(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "there is no published result at this address",
    );
    // It may be published in a minute: nothing in between keeps the "no".
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A published file never changes: kept a year by anyone, and never asked
/// for again (`immutable`).
const FOREVER: &str = "public, max-age=31536000, immutable";
/// The latest version with the log as it stands: it grows after
/// publication.
const FOR_A_MINUTE: &str = "public, max-age=60";

/// A strong validator of these exact bytes: the first 128 bits of their
/// SHA-256, quoted.
fn etag_of(bytes: &[u8]) -> String {
    format!("\"{}\"", &tally::canonical::sha256_hex(bytes)[..32])
}

/// Whether `If-None-Match` names this validator (or `*`).
fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag))
}

/// A published file, or `304 Not Modified` when the client holds it.
fn published_file(
    name: &str,
    bytes: Vec<u8>,
    headers: &HeaderMap,
    cache: &'static str,
) -> Response {
    let etag = etag_of(&bytes);
    let mut response = if not_modified(headers, &etag) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        r
    } else {
        file_response(name, bytes, cache)
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

fn unavailable(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "serving a result file");
    error_body(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL",
        "something went wrong on our side; please try again later",
    )
}

/// `v3` → 3.
fn version_of(segment: &str) -> Option<i32> {
    segment
        .strip_prefix('v')
        .and_then(|n| n.parse::<i32>().ok())
        .filter(|n| *n >= 1)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("json") => "application/json",
        Some("jsonl") => "application/x-ndjson",
        Some("tar") => "application/x-tar",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    }
}

fn file_response(name: &str, bytes: Vec<u8>, cache: &'static str) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(name)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The bundle's files in one tar archive, under a folder named for the
/// round and version, with fixed times and modes: the same version always
/// gives the same bytes.
fn tar_of(folder: &str, files: &[(String, Vec<u8>)], mtime: u64) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in files {
        let mut head = tar::Header::new_ustar();
        head.set_size(bytes.len() as u64);
        head.set_mode(0o644);
        head.set_mtime(mtime);
        head.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut head, format!("{folder}/{name}"), bytes.as_slice())?;
    }
    builder.into_inner()
}

/// `GET /rounds/{round}/results/{version}/{file}`.
pub(super) async fn result_file(
    State(s): State<HttpState>,
    Path((round_id, version, file)): Path<(i64, String, String)>,
    headers: HeaderMap,
) -> Response {
    // `latest`: the latest published version with the round's log as it
    // stands now, delivery entries included. It changes as the log grows:
    // kept a minute, not for good.
    let latest = version == "latest";
    let cache = if latest { FOR_A_MINUTE } else { FOREVER };
    let Some(version) = version_of(&version).or(latest.then_some(0)) else {
        return not_published();
    };
    let version = (!latest).then_some(version);
    if let Some(pot) = file
        .strip_prefix("pot-")
        .and_then(|f| f.strip_suffix(".csv"))
        .and_then(|p| p.parse::<i64>().ok())
    {
        let Some(version) = version else {
            return not_published();
        };
        return csv_file(&s, round_id, version, pot, &headers, &file).await;
    }
    let files = match results::bundle(&s.app.db, round_id.into(), version, latest).await {
        Ok(Some(files)) => files,
        Ok(None) => return not_published(),
        Err(crate::error::ServiceError::Refused { .. }) => return not_published(),
        Err(e) => return unavailable(e),
    };
    if file == "bundle.tar" {
        let version = files
            .iter()
            .find(|(n, _)| n == "round.json")
            .and_then(|(_, b)| serde_json::from_slice::<serde_json::Value>(b).ok())
            .and_then(|m| m["version"].as_i64())
            .unwrap_or(0);
        let folder = if latest {
            format!("round-{round_id}-latest")
        } else {
            format!("round-{round_id}-v{version}")
        };
        let mtime = files
            .iter()
            .find(|(n, _)| n == "round.json")
            .and_then(|(_, b)| serde_json::from_slice::<serde_json::Value>(b).ok())
            .and_then(|m| chrono::DateTime::parse_from_rfc3339(m["published_at"].as_str()?).ok())
            .map(|t| t.timestamp().max(0) as u64)
            .unwrap_or(0);
        return match tar_of(&folder, &files, mtime) {
            Ok(bytes) => published_file(&format!("{folder}.tar"), bytes, &headers, cache),
            Err(e) => unavailable(e),
        };
    }
    match files.into_iter().find(|(n, _)| *n == file) {
        Some((name, bytes)) => published_file(&name, bytes, &headers, cache),
        None => error_body(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "this result has no file of that name",
        ),
    }
}

/// A pot's result as CSV: officers and councillors only (councillors also
/// for a provisional version). Never cached by anything in between.
async fn csv_file(
    s: &HttpState,
    round_id: i64,
    version: i32,
    pot_id: i64,
    headers: &HeaderMap,
    name: &str,
) -> Response {
    let actor = match session_token(headers) {
        Some(token) => match auth::authenticate(&s.app.db, &token).await {
            Ok(a) => a,
            Err(e) => return unavailable(e),
        },
        None => None,
    };
    let Some(actor) = actor.filter(|a| a.has(Role::Officer) || a.has(Role::Councillor)) else {
        return error_body(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "sign in as an officer or councillor to download results as CSV",
        );
    };
    let result =
        match results::result(&s.app.db, Some(&actor), round_id.into(), Some(version)).await {
            Ok(Some(r)) => r,
            Ok(None) | Err(crate::error::ServiceError::Refused { .. }) => return not_published(),
            Err(e) => return unavailable(e),
        };
    let Some(pot) = result.pots.iter().find(|p| p.pot_id == pot_id.into()) else {
        return not_published();
    };
    let ids: Vec<_> = pot.summary.bids().collect();
    let titles = match bids::get_many(&s.app.db, &ids).await {
        Ok(found) => found.into_iter().map(|b| (b.id, b.title)).collect(),
        Err(e) => return unavailable(e),
    };
    file_response(
        name,
        results::csv(pot, &titles).into_bytes(),
        "private, no-store",
    )
}

/// `GET /delivery/photos/{id}.jpg` (or `.png`): a photo of a delivery
/// update. Once its update is public it never changes, and is kept for good
/// by anyone; before, only the bid's group and staff see it, and nothing in
/// between keeps it.
pub(super) async fn delivery_photo(
    State(s): State<HttpState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let missing = || {
        error_body(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "there is no photo at this address",
        )
    };
    let Some(id) = file
        .split_once('.')
        .map_or(file.as_str(), |(id, _)| id)
        .parse::<i64>()
        .ok()
    else {
        return missing();
    };
    let actor = match session_token(&headers) {
        Some(token) => match auth::authenticate(&s.app.db, &token).await {
            Ok(a) => a,
            Err(e) => return unavailable(e),
        },
        None => None,
    };
    match crate::service::delivery::photo(&s.app.db, actor.as_ref(), id.into()).await {
        Ok((content_type, bytes, public)) => {
            let etag = etag_of(&bytes);
            let cache = if public { FOREVER } else { "private, no-store" };
            let mut r = if public && not_modified(&headers, &etag) {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                (StatusCode::OK, bytes).into_response()
            };
            let h = r.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            h.insert(
                header::HeaderName::from_static("x-content-type-options"),
                HeaderValue::from_static("nosniff"),
            );
            if let Ok(v) = HeaderValue::from_str(&etag) {
                h.insert(header::ETAG, v);
            }
            r
        }
        Err(crate::error::ServiceError::Unexpected(e)) => unavailable(e),
        Err(_) => missing(),
    }
}
