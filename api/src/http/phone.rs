//! The phone gateway's webhooks: `POST /phone/sms` (an inbound text
//! message) and `POST /phone/voice` (each step of a telephone call), as a
//! Twilio-compatible gateway posts them, answered with TwiML. Every request
//! must carry the gateway's signature over the configured public URL.
//! In development, `/phone/dev` plays a text conversation or a call against
//! the same handlers without a gateway.
use super::twiml;
use super::{error_body, not_found, HttpState};
use crate::config::Environment;
use crate::service::phone::{signature, sms, voice};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, StatusCode, Uri},
    response::{Html, IntoResponse, Response},
};
use secrecy::ExposeSecret;

type Params = Vec<(String, String)>;

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The posted parameters, if the request is signed by the gateway; else
/// why it is refused.
fn signed(
    s: &HttpState,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Params, &'static str> {
    let Some(token) = &s.app.settings.phone.auth_token else {
        return Err("voting by phone is not set up on this server");
    };
    let Some(given) = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
    else {
        tracing::warn!("a phone webhook without a signature was refused");
        return Err("the request is not signed by the phone gateway");
    };
    let params: Params = form_urlencoded::parse(body).into_owned().collect();
    let url = format!(
        "{}{}",
        s.app.settings.phone.webhook_url,
        uri.path_and_query().map_or(uri.path(), |p| p.as_str())
    );
    if !signature::valid(token.expose_secret(), &url, &params, given) {
        tracing::warn!("a phone webhook with a wrong signature was refused");
        return Err("the request's signature does not match");
    }
    Ok(params)
}

/// Where a call's keys are posted: the voice webhook itself, at the
/// address the gateway knows.
fn voice_action(s: &HttpState) -> String {
    format!("{}/phone/voice", s.app.settings.phone.webhook_url)
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

fn sms_inbound(params: &Params) -> sms::Inbound {
    sms::Inbound {
        message_sid: param(params, "MessageSid").unwrap_or_default().to_owned(),
        from: param(params, "From").unwrap_or_default().to_owned(),
        body: param(params, "Body").unwrap_or_default().to_owned(),
    }
}

fn voice_inbound(params: &Params) -> voice::Inbound {
    voice::Inbound {
        call_sid: param(params, "CallSid").unwrap_or_default().to_owned(),
        from: param(params, "From").unwrap_or_default().to_owned(),
        digits: param(params, "Digits").map(str::to_owned),
    }
}

pub(super) async fn sms_webhook(
    State(s): State<HttpState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match signed(&s, &uri, &headers, &body) {
        Ok(params) => xml(twiml::messages(
            &sms::handle(&s.app, sms_inbound(&params)).await,
        )),
        Err(why) => error_body(StatusCode::FORBIDDEN, "FORBIDDEN", why),
    }
}

pub(super) async fn voice_webhook(
    State(s): State<HttpState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match signed(&s, &uri, &headers, &body) {
        Ok(params) => xml(twiml::call(
            &voice::handle(&s.app, voice_inbound(&params)).await,
            &voice_action(&s),
        )),
        Err(why) => error_body(StatusCode::FORBIDDEN, "FORBIDDEN", why),
    }
}

/// Development only: a page to text or call the local server.
pub(super) async fn dev_page(State(s): State<HttpState>) -> Response {
    if s.app.settings.environment != Environment::Development {
        return not_found().await;
    }
    Html(page("+447700900123", "", &new_call_sid(), "", None)).into_response()
}

pub(super) async fn dev_send(State(s): State<HttpState>, body: Bytes) -> Response {
    if s.app.settings.environment != Environment::Development {
        return not_found().await;
    }
    let params: Params = form_urlencoded::parse(&body).into_owned().collect();
    let from = param(&params, "From").unwrap_or("+447700900123").to_owned();
    let (reply, call_sid, text) = match param(&params, "kind") {
        Some("voice") => {
            let mut sid = param(&params, "CallSid").unwrap_or_default().to_owned();
            if param(&params, "new").is_some() || sid.is_empty() {
                sid = new_call_sid();
            }
            let mut inbound = voice_inbound(&params);
            inbound.call_sid = sid.clone();
            inbound.digits = inbound.digits.filter(|d| !d.is_empty());
            let answer = voice::handle(&s.app, inbound).await;
            (twiml::call(&answer, &voice_action(&s)), sid, String::new())
        }
        _ => {
            let mut inbound = sms_inbound(&params);
            inbound.message_sid = format!("SMdev{}", uuid::Uuid::new_v4().simple());
            let text = inbound.body.clone();
            (
                twiml::messages(&sms::handle(&s.app, inbound).await),
                param(&params, "CallSid").unwrap_or_default().to_owned(),
                text,
            )
        }
    };
    Html(page(&from, &text, &call_sid, "", Some(&reply))).into_response()
}

fn new_call_sid() -> String {
    format!("CAdev{}", uuid::Uuid::new_v4().simple())
}

/// What a reply says (its messages, or what the call hears), for the page.
fn spoken(reply: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = reply;
    while let Some(start) = rest.find("<Message>").or_else(|| rest.find("<Say ")) {
        let after = &rest[start..];
        let (Some(open), Some(close)) = (after.find('>'), after.find("</")) else {
            break;
        };
        out.push(
            after[open + 1..close]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &after[close + 2..];
    }
    out
}

fn page(from: &str, text: &str, call_sid: &str, digits: &str, reply: Option<&str>) -> String {
    let e = twiml::escape;
    let reply = reply
        .map(|r| {
            let lines: String = spoken(r)
                .iter()
                .map(|l| format!("<li>{}</li>", e(l).replace('\n', "<br>")))
                .collect();
            format!(
                "<h2>Reply</h2><ul>{lines}</ul><details><summary>TwiML</summary><pre>{}</pre></details>",
                e(&r.replace("><", ">\n<"))
            )
        })
        .unwrap_or_default();
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Phone voting (development)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 48rem; margin: 1rem auto; padding: 0 1rem">
<h1>Phone voting (development)</h1>
<p>Plays the text-message and keypad webhooks against this server, without a gateway or signatures. Issue a voting code to a participant first (officers: <code>issueVotingCodes</code>); codes appear only on the letters.</p>
{reply}
<h2>Send a text message</h2>
<form method="post" action="/phone/dev">
<input type="hidden" name="kind" value="sms"><input type="hidden" name="CallSid" value="{sid}">
<p><label>From <input name="From" value="{from}"></label></p>
<p><label>Message <input name="Body" size="50" value="{text}"></label></p>
<p><button>Send</button></p>
</form>
<h2>Call</h2>
<form method="post" action="/phone/dev">
<input type="hidden" name="kind" value="voice">
<p><label>From <input name="From" value="{from}"></label> <label>Call <input name="CallSid" value="{sid}" size="40"></label></p>
<p><label>Keys (Digits) <input name="Digits" value="{digits}"></label></p>
<p><button>Press keys</button> <button name="new" value="1">Start a new call</button></p>
</form>
</body></html>"#,
        from = e(from),
        text = e(text),
        sid = e(call_sid),
        digits = e(digits),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_shows_what_a_reply_says() {
        let sms = twiml::messages(&["One & two".into(), "Three".into()]);
        assert_eq!(spoken(&sms), vec!["One & two", "Three"]);
        use crate::domain::Language;
        let call = twiml::call(
            &voice::Answer::default()
                .say(Language::En, "Hello")
                .ask(Some(1), vec![(Language::Cy, "Pwyswch 2".into())]),
            "/phone/voice",
        );
        assert_eq!(spoken(&call), vec!["Hello", "Pwyswch 2"]);
    }
}
