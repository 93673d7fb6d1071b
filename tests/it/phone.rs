//! Voting by phone: voting codes and their letters, text-message ballots of
//! every kind, keypad calls, replacement, retries, signatures and the limit
//! on guessing codes. Requests are signed here by an implementation of the
//! gateway's signature written apart from the server's (on `ring`), checked
//! against Twilio's published example.
use crate::fixtures::{in_person_query, person};
use crate::helpers::{error_code, TestApp};
use crate::voting::{election, election_closing, Election, CAST};
use api::store::ballots;
use base64::Engine;
use futures_util::future::join_all;
use sea_orm::EntityTrait;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

const TOKEN: &str = "phone-gateway-token-for-tests";
/// The address the gateway is configured with: the server is reached at
/// another (as behind a proxy), and signatures cover this one.
const PUBLIC: &str = "https://vote.leeds.example";
const ISSUE: &str = "mutation($i: IssueVotingCodesInput!) { issueVotingCodes(input: $i) { issued remaining pdfBase64 csv } }";

/// Twilio's signature: HMAC-SHA1 over the URL and the parameters sorted by
/// name, base64.
fn sign(token: &str, url: &str, params: &[(&str, &str)]) -> String {
    let mut sorted: Vec<(&str, &str)> = params.to_vec();
    sorted.sort();
    let mut data = String::from(url);
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, token.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(ring::hmac::sign(&key, data.as_bytes()))
}

#[test]
fn the_test_signer_agrees_with_twilios_published_example() {
    let params = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+12349013030"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("To", "+18005551212"),
    ];
    assert_eq!(
        sign(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params
        ),
        "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    );
}

pub(crate) async fn spawn() -> TestApp {
    spawn_with(&[]).await
}

/// `spawn` with more settings.
pub(crate) async fn spawn_with(extra: &[(&str, &str)]) -> TestApp {
    let mut vars = vec![
        ("PHONE_AUTH_TOKEN", TOKEN),
        ("FAIRSHARE_WEBHOOK_URL", PUBLIC),
        ("FAIRSHARE_SMS_NUMBER", "07700 900555"),
        ("FAIRSHARE_VOICE_NUMBER", "0113 496 0555"),
        ("FAIRSHARE_HELP_LINE", "0113 496 0999"),
    ];
    vars.extend_from_slice(extra);
    TestApp::spawn_with(&vars).await
}

static SEQ: AtomicU64 = AtomicU64::new(1);

fn sid(prefix: &str) -> String {
    format!("{prefix}{:032x}", SEQ.fetch_add(1, Ordering::Relaxed))
}

/// Posts a signed webhook; returns the status and body.
async fn post(app: &TestApp, path: &str, params: &[(&str, &str)]) -> (u16, String) {
    let signature = sign(TOKEN, &format!("{PUBLIC}{path}"), params);
    post_signed(app, path, params, &signature).await
}

async fn post_signed(
    app: &TestApp,
    path: &str,
    params: &[(&str, &str)],
    signature: &str,
) -> (u16, String) {
    let res = app
        .client
        .post(format!("{}{path}", app.base))
        .header("x-twilio-signature", signature)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(params))
        .send()
        .await
        .expect("the webhook answers");
    let status = res.status().as_u16();
    (status, res.text().await.expect("a body"))
}

fn form(params: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Posts a form to the development page (no signature); returns the page.
async fn dev_page(app: &TestApp, params: &[(&str, &str)]) -> String {
    app.client
        .post(format!("{}/phone/dev", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(params))
        .send()
        .await
        .expect("the page answers")
        .text()
        .await
        .expect("a page")
}

/// The texts of the elements `tag` in TwiML, unescaped.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&format!("<{tag}")) {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let body = &after[open_end + 1..];
        let Some(end) = body.find(&format!("</{tag}>")) else {
            break;
        };
        out.push(
            body[..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &body[end..];
    }
    out
}

/// Sends a text message; returns the reply's messages.
pub(crate) async fn text(app: &TestApp, from: &str, body: &str) -> Vec<String> {
    text_as(app, &sid("SM"), from, body).await
}

async fn text_as(app: &TestApp, message_sid: &str, from: &str, body: &str) -> Vec<String> {
    let (status, xml) = post(
        app,
        "/phone/sms",
        &[
            ("MessageSid", message_sid),
            ("AccountSid", "AC0123"),
            ("From", from),
            ("To", "+447700900555"),
            ("Body", body),
            ("NumMedia", "0"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{xml}");
    assert!(xml.starts_with("<?xml"), "{xml}");
    elements(&xml, "Message")
}

/// One step of a call; returns what is said and the raw TwiML.
async fn press(app: &TestApp, call: &str, from: &str, digits: Option<&str>) -> (String, String) {
    let mut params = vec![
        ("CallSid", call),
        ("AccountSid", "AC0123"),
        ("From", from),
        ("To", "+441134960555"),
        ("CallStatus", "in-progress"),
    ];
    if let Some(d) = digits {
        params.push(("Digits", d));
    }
    let (status, xml) = post(app, "/phone/voice", &params).await;
    assert_eq!(status, 200, "{xml}");
    (elements(&xml, "Say").join(" "), xml)
}

/// Every ballot the store holds (sealed ones opened with their round's
/// key, as only a test may).
async fn ballot_rows(app: &TestApp) -> Vec<ballots::Model> {
    api::service::voting::stored_ballots(&app.state)
        .await
        .expect("ballots")
}

fn content(row: &ballots::Model) -> Value {
    serde_json::from_str(&row.content).expect("ballot content")
}

fn ids(bids: &[&String]) -> Value {
    json!(bids
        .iter()
        .map(|b| b.parse::<i64>().unwrap())
        .collect::<Vec<_>>())
}

/// `n` residents of Hyde Park verified in person with no email (so no
/// account), then voting codes issued to everyone without one; returns
/// their codes, in the order they were verified.
pub(crate) async fn phone_voters(app: &TestApp, e: &Election, n: usize) -> Vec<String> {
    for i in 0..n {
        let input = json!({
            "person": person(&format!("Phone Voter{i}"), &format!("1950-0{}-1{}", 1 + i % 9, i % 10), "LS6 2AB"),
            "evidence": "PHOTO_ID",
        });
        app.ok(
            Some(&e.officer),
            &in_person_query(),
            json!({ "r": e.round, "i": input }),
        )
        .await;
    }
    let data = app
        .ok(
            Some(&e.officer),
            ISSUE,
            json!({ "i": { "roundId": e.round } }),
        )
        .await;
    let letters = &data["issueVotingCodes"];
    assert_eq!(letters["issued"], n);
    assert_eq!(letters["remaining"], 0);
    let mut reader = csv::Reader::from_reader(letters["csv"].as_str().unwrap().as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (reference, code) = (at("reference"), at("voting_code"));
    let mut rows: Vec<(i64, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[reference].trim_start_matches('V').parse().unwrap(),
                r[code].to_owned(),
            )
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, c)| c).collect()
}

pub(crate) fn receipt_in(reply: &str) -> String {
    let at = reply.find("receipt is ").expect("a receipt") + "receipt is ".len();
    reply[at..at + 19].to_owned()
}

/// A ballot kind's case: its settings, the message after the code, and the
/// expected content as bid indices and values.
type KindCase = (Value, &'static str, Vec<usize>, Option<Vec<i64>>);

#[tokio::test]
async fn a_text_message_ballot_of_every_kind() {
    let cases: Vec<KindCase> = vec![
        (
            json!({ "kind": "APPROVAL", "maxChoices": 3 }),
            "VOTE 1 3",
            vec![0, 2],
            None,
        ),
        (
            json!({ "kind": "KNAPSACK" }),
            "vote 1, 2, 3",
            vec![0, 1, 2],
            None,
        ),
        (
            json!({ "kind": "RANKED", "maxChoices": 3 }),
            "RANK 3 1",
            vec![2, 0],
            None,
        ),
        (
            json!({ "kind": "SCORING", "scoreMin": 0, "scoreMax": 5 }),
            "SCORE 1=5 2=0 3=3 4=1",
            vec![0, 1, 2, 3],
            Some(vec![5, 0, 3, 1]),
        ),
        (
            json!({ "kind": "POINTS_ALLOCATION", "pointsTotal": 10 }),
            "POINTS 1=6 4=4",
            vec![0, 3],
            Some(vec![6, 4]),
        ),
        (
            json!({ "kind": "MONEY_ALLOCATION" }),
            "MONEY 1=£1000 2=500",
            vec![0, 1],
            Some(vec![100_000, 50_000]),
        ),
    ];
    for (ballot, message, expected, values) in cases {
        let kind = ballot["kind"].as_str().unwrap().to_owned();
        let app = spawn().await;
        let e = election(&app, ballot, 1).await;
        let codes = phone_voters(&app, &e, 1).await;
        let phone = "07700 900001";
        // The first message carries the code; the list of bids first.
        let list = text(&app, phone, &format!("{} BIDS", codes[0])).await;
        let all = list.join("\n");
        assert!(
            all.contains("1 Benches on the Moor - £1,000.00"),
            "{kind}: {all}"
        );
        assert!(
            all.contains("4 Bowls green repairs - £6,000.00"),
            "{kind}: {all}"
        );
        assert!(
            !all.contains("Bandstand"),
            "{kind}: ineligible bids are not listed"
        );
        assert!(
            !all.contains("allotment"),
            "{kind}: other areas' bids are not listed"
        );
        // Then the vote, from the same phone without the code.
        let reply = text(&app, "+447700900001", message).await;
        assert_eq!(reply.len(), 1, "{kind}: {reply:?}");
        assert!(
            reply[0].contains("your vote in Neighbourhood Fund is recorded"),
            "{kind}: {reply:?}"
        );
        assert!(
            reply[0].contains("project 1, Benches on the Moor"),
            "{kind}: {reply:?}"
        );
        let receipt = receipt_in(&reply[0]);
        let rows = ballot_rows(&app).await;
        assert_eq!(rows.len(), 1, "{kind}: one ballot");
        let c = content(&rows[0]);
        let want: Vec<&String> = expected.iter().map(|&i| &e.bids[i]).collect();
        assert_eq!(c["bids"], ids(&want), "{kind}");
        match &values {
            Some(v) => assert_eq!(c["values"], json!(v), "{kind}"),
            None => assert!(c.get("values").is_none(), "{kind}"),
        }
        assert_eq!(rows[0].channel.as_deref(), Some("sms"));
        assert_eq!(
            api::domain::vote::Receipt::code_of(&rows[0].commitment).as_deref(),
            Some(receipt.as_str()),
            "{kind}: the receipt in the reply is the ballot's"
        );
        // Status, in English and in Welsh.
        let status = text(&app, phone, "STATUS").await;
        assert!(
            status[0].starts_with("You have voted in Neighbourhood Fund (by text message)"),
            "{kind}: {status:?}"
        );
        let statws = text(&app, phone, "statws").await;
        assert!(
            statws[0]
                .starts_with("Rydych wedi pleidleisio yn Neighbourhood Fund (drwy neges destun)"),
            "{kind}: {statws:?}"
        );
    }
}

#[tokio::test]
async fn texts_explain_every_error_and_cast_nothing() {
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 2 }), 0).await;
    let codes = phone_voters(&app, &e, 1).await;
    let code = &codes[0];
    let phone = "+447700900002";
    let one = |r: Vec<String>| {
        assert_eq!(r.len(), 1, "{r:?}");
        r[0].clone()
    };
    let cases: Vec<(String, &str)> = vec![
        ("VOTE 1".into(), "We do not recognise this phone. Start your message with the 16-digit voting code"),
        ("1234 5678 VOTE 1".into(), "Your voting code has 16 digits"),
        ("1111 2222 3333 4444 VOTE 1".into(), "We do not recognise that voting code. Check the 16 digits on your letter, or call 0113 496 0999"),
        (format!("{code} VOTE 1 2 3"), "Choose no more than 2 bids. Text HELP for how to vote."),
        ("VOTE 9".into(), "There is no project 9 on your ballot: the projects are numbered 1 to 4."),
        ("VOTE".into(), "Your message had no project numbers. To vote, text VOTE and the numbers of the projects you choose, for example: VOTE 2 5. Choose up to 2."),
        ("VOTE three".into(), "We could not read \"three\"."),
        ("VOTE 1=2".into(), "This round's ballot works differently."),
        ("VOTE 1 2=3".into(), "Write every choice the same way."),
        ("RANK 1 2".into(), "This round's ballot works differently."),
        ("VOTE 1 1".into(), "Each bid can appear only once on your ballot."),
        ("FROG".into(), "We did not understand \"FROG\"."),
        ("PLEIDLAIS 1 2 3".into(), "Rydych wedi dewis gormod o gynigion."),
        ("PLEIDLAIS 7".into(), "Nid oes prosiect 7 ar eich papur pleidleisio"),
    ];
    for (message, expected) in &cases {
        let reply = one(text(&app, phone, message).await);
        assert!(reply.starts_with(expected), "{message}: {reply}");
    }
    let help = one(text(&app, phone, "help").await);
    assert!(
        help.starts_with("To vote, text VOTE and the numbers"),
        "{help}"
    );
    let cymorth = one(text(&app, phone, "CYMORTH").await);
    assert!(
        cymorth.starts_with("I bleidleisio, tecstiwch PLEIDLAIS"),
        "{cymorth}"
    );
    // Another phone, with no code, is not this voter.
    let other = one(text(&app, "+447700900099", "STATUS").await);
    assert!(
        other.starts_with("We do not recognise this phone"),
        "{other}"
    );
    assert!(
        ballot_rows(&app).await.is_empty(),
        "no refused message cast anything"
    );

    let ok = one(text(&app, phone, "VOTE 2").await);
    assert!(ok.contains("is recorded"), "{ok}");
    assert_eq!(ballot_rows(&app).await.len(), 1);

    // The development page plays the same conversation without a gateway.
    let page = dev_page(
        &app,
        &[("kind", "sms"), ("From", phone), ("Body", "STATUS")],
    )
    .await;
    assert!(
        page.contains("You have voted in Neighbourhood Fund (by text message)"),
        "{page}"
    );

    // Once voting closes, the code says so and the phone means nothing,
    // and nothing is cast.
    crate::fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    let closed = one(text(&app, phone, &format!("{code} VOTE 1")).await);
    assert_eq!(closed, "Voting in Neighbourhood Fund has closed.");
    let after = one(text(&app, phone, "VOTE 1").await);
    assert!(
        after.starts_with("We do not recognise this phone"),
        "{after}"
    );
    assert_eq!(ballot_rows(&app).await.len(), 1);
}

#[tokio::test]
async fn a_text_replaces_a_browser_ballot_and_letters_carry_the_code() {
    let app = spawn().await;
    let closes = (chrono::Utc::now() + chrono::Duration::days(10))
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc();
    let e = election_closing(&app, json!({ "kind": "APPROVAL" }), 1, Some(closes)).await;
    let voter = &e.voters[0];
    let web = app
        .ok(
            Some(&voter.token),
            CAST,
            json!({ "i": { "roundId": e.round, "choices": [{ "bidId": e.bids[0] }], "idempotencyKey": "web-ballot-1" } }),
        )
        .await;
    assert_eq!(web["castBallot"]["replaced"], false);
    // The officer sends this resident a letter too (they asked for one).
    let data = app
        .ok(
            Some(&e.officer),
            ISSUE,
            json!({ "i": { "roundId": e.round, "recipients": [{
                "verificationId": voter.verification,
                "name": "Mrs Gwenllian Parry",
                "address": ["12 Woodhouse Lane", "Leeds", "LS6 1AB"],
            }] } }),
        )
        .await;
    let letters = &data["issueVotingCodes"];
    assert_eq!(letters["issued"], 1);
    let csv = letters["csv"].as_str().unwrap();
    let code = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(10)
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 19, "{csv}");

    // The PDF opens and says it all, in English and Welsh.
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(letters["pdfBase64"].as_str().unwrap())
        .unwrap();
    let printed = pdf_text(letters["pdfBase64"].as_str().unwrap());
    for expected in [
        code.as_str(),
        "Mrs Gwenllian Parry",
        "12 Woodhouse Lane",
        "Your voting code for Neighbourhood Fund",
        "Eich cod pleidleisio ar gyfer Neighbourhood Fund",
        "Call 0113 496 0555",
        "Ffoniwch 0113 496 0555",
        "to 07700 900555",
        "i 07700 900555",
        "0113 496 0999",
        "Cyngor Arddangos Leeds",
        "Tecstiwch",
        "this letter in large print or Braille",
        "llythyr hwn mewn print bras neu Braille",
        // When voting closes, and how to hear the results and check a
        // receipt by phone.
        format!("Voting closes on {}.", closes.format("%-d %B %Y")).as_str(),
        "Mae pleidleisio'n cau ar",
        "After voting closes, call 0113 496 0999 to hear the results",
        "Ar ôl i bleidleisio gau, ffoniwch 0113 496 0999",
    ] {
        assert!(
            printed.contains(expected),
            "the letter says {expected:?}:\n{printed}"
        );
    }
    // Clear print: the size of every line of text as the PDF sets it
    // (each `Tf` operator of every page's content), not a guess from the
    // code that wrote it. At least 12 points everywhere, and the body,
    // most lines, at 14.
    let doc = lopdf::Document::load_mem(&pdf).expect("the letters are a PDF");
    let mut sizes: Vec<f64> = Vec::new();
    for (_, page) in doc.get_pages() {
        let content =
            lopdf::content::Content::decode(&doc.get_page_content(page).unwrap()).unwrap();
        for op in content.operations.iter().filter(|op| op.operator == "Tf") {
            sizes.push(match &op.operands[1] {
                lopdf::Object::Integer(i) => *i as f64,
                lopdf::Object::Real(r) => f64::from(*r),
                other => panic!("a font size {other:?}"),
            });
        }
    }
    assert_eq!(doc.get_pages().len(), 2, "one sheet: English, then Welsh");
    assert!(sizes.len() > 30, "{sizes:?}");
    let smallest = sizes.iter().cloned().fold(f64::MAX, f64::min);
    assert!(
        smallest >= 12.0,
        "the smallest text is {smallest} points: {sizes:?}"
    );
    let body = sizes.iter().filter(|s| **s == 14.0).count();
    assert!(
        body * 2 > sizes.len(),
        "most lines are at 14 points: {sizes:?}"
    );

    // By text, the ballot replaces the browser's.
    let reply = text(&app, "+447700900003", &format!("{code} VOTE 2 3")).await;
    assert!(
        reply[0].contains("is recorded and replaces your earlier vote"),
        "{reply:?}"
    );
    let until = format!(
        "You can change your vote until {} (10 days left).",
        closes.format("%-d %B %Y")
    );
    assert!(reply.concat().contains(&until), "{reply:?}");
    let mine = app
        .ok(
            Some(&voter.token),
            "query($r: ID!) { myBallot(roundId: $r) { channel lines { bid { id } } } }",
            json!({ "r": e.round }),
        )
        .await;
    assert_eq!(mine["myBallot"]["channel"], "SMS");
    let lines: Vec<&str> = mine["myBallot"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["bid"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(lines, vec![e.bids[1].as_str(), e.bids[2].as_str()]);
    assert_eq!(
        ballot_rows(&app).await.len(),
        1,
        "the browser ballot is gone"
    );

    // A new letter voids the old code.
    app.ok(
        Some(&e.officer),
        ISSUE,
        json!({ "i": { "roundId": e.round, "recipients": [{ "verificationId": voter.verification }] } }),
    )
    .await;
    let old = text(&app, "+447700900004", &format!("{code} STATUS")).await;
    assert!(
        old[0].starts_with("We do not recognise that voting code"),
        "{old:?}"
    );
    // Officers only, and the audit names the officer but no code.
    let resident = app
        .refused(
            Some(&voter.token),
            ISSUE,
            json!({ "i": { "roundId": e.round } }),
        )
        .await;
    assert_eq!(resident, "NOT_AUTHORISED");
    let audit = crate::voting::dump_table(&app, "audit_events").await;
    let issued: Vec<_> = audit
        .iter()
        .filter(|r| r["action"] == "voting_codes.issued")
        .collect();
    assert_eq!(issued.len(), 2);
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    for r in &audit {
        let row = serde_json::to_string(r).unwrap();
        assert!(
            !row.contains(&digits) && !row.contains(&code),
            "no code in the audit"
        );
        assert!(!row.contains("Woodhouse"), "no address in the audit");
    }
}

#[tokio::test]
async fn a_retried_webhook_casts_once() {
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 0).await;
    let codes = phone_voters(&app, &e, 1).await;
    let message = sid("SM");
    let body = format!("{} VOTE 1 2", codes[0]);
    // The gateway retries at once, twice over.
    let replies = join_all((0..3).map(|_| text_as(&app, &message, "+447700900005", &body))).await;
    let receipts: Vec<String> = replies.iter().map(|r| receipt_in(&r[0])).collect();
    assert!(receipts.iter().all(|r| *r == receipts[0]), "{replies:?}");
    assert!(
        replies.iter().all(|r| !r[0].contains("replaces")),
        "{replies:?}"
    );
    // And later, after the reply was kept.
    let later = text_as(&app, &message, "+447700900005", &body).await;
    assert_eq!(later, replies[0]);
    assert_eq!(ballot_rows(&app).await.len(), 1, "one ballot");

    // A retried confirmation on a call casts once too.
    let call = sid("CA");
    let from = "+441134960001";
    press(&app, &call, from, None).await;
    press(&app, &call, from, Some("1")).await;
    let digits: String = codes[0].chars().filter(char::is_ascii_digit).collect();
    press(&app, &call, from, Some(&format!("{digits}#"))).await;
    press(&app, &call, from, Some("3#")).await;
    let (first, _) = press(&app, &call, from, Some("1")).await;
    let (again, _) = press(&app, &call, from, Some("1")).await;
    assert!(
        first.contains("Your vote is recorded and replaces your earlier vote"),
        "{first}"
    );
    let spelt = |s: &str| {
        s[s.find("Your receipt is: ").unwrap()..]
            .split('.')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(spelt(&first), spelt(&again), "the receipt is read again");
    let rows = ballot_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(content(&rows[0])["bids"], ids(&[&e.bids[2]]));
}

#[tokio::test]
async fn unsigned_and_tampered_requests_are_refused() {
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 0).await;
    let codes = phone_voters(&app, &e, 1).await;
    let body = format!("{} VOTE 1", codes[0]);
    let params = [
        ("MessageSid", "SM00000000000000000000000000000001"),
        ("From", "+447700900006"),
        ("Body", body.as_str()),
    ];
    let good = sign(TOKEN, &format!("{PUBLIC}/phone/sms"), &params);
    // No signature.
    let res = app
        .client
        .post(format!("{}/phone/sms", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&params))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    // Signed with another token, for another address, or over another body.
    let wrong_token = sign("another-token", &format!("{PUBLIC}/phone/sms"), &params);
    let wrong_url = sign(TOKEN, &format!("{}/phone/sms", app.base), &params);
    let tampered = [params[0], params[1], ("Body", "1111 2222 3333 4444 VOTE 2")];
    for (ps, signature) in [
        (&params[..], wrong_token.as_str()),
        (&params[..], wrong_url.as_str()),
        (&tampered[..], good.as_str()),
        (&params[..], ""),
    ] {
        let (status, reply) = post_signed(&app, "/phone/sms", ps, signature).await;
        assert_eq!(status, 403, "{reply}");
        assert!(!reply.contains("Message"), "{reply}");
    }
    let voice = [
        ("CallSid", "CA0001"),
        ("From", "+447700900006"),
        ("Digits", "1"),
    ];
    let (status, _) = post_signed(&app, "/phone/voice", &voice, &good).await;
    assert_eq!(status, 403);
    assert!(ballot_rows(&app).await.is_empty(), "nothing cast");
    // The phone was not tied to the code either.
    let status = text(&app, "+447700900006", "STATUS").await;
    assert!(
        status[0].starts_with("We do not recognise this phone"),
        "{status:?}"
    );
    // The good signature works.
    let (status, reply) = post_signed(&app, "/phone/sms", &params, &good).await;
    assert_eq!(status, 200);
    assert!(reply.contains("is recorded"), "{reply}");
}

#[tokio::test]
async fn guessing_voting_codes_is_capped() {
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 0).await;
    let codes = phone_voters(&app, &e, 1).await;
    let attacker = "+447700900666";
    let guesses: Vec<String> = (0..1_000)
        .map(|i| format!("{:016} STATUS", 5_000_000_000_000_000u64 + i * 7_919))
        .collect();
    let mut replies = Vec::new();
    for chunk in guesses.chunks(25) {
        replies.extend(join_all(chunk.iter().map(|g| text(&app, attacker, g))).await);
    }
    let checked = replies
        .iter()
        .filter(|r| r[0].starts_with("We do not recognise that voting code"))
        .count();
    let refused = replies
        .iter()
        .filter(|r| r[0].starts_with("Too many voting codes tried from this phone"))
        .count();
    eprintln!(
        "1,000 wrong codes from one phone: {checked} checked, {refused} refused by the limit"
    );
    assert_eq!(checked, 10, "the limit lets 10 attempts an hour through");
    assert_eq!(refused, 990);
    // Even the right code is refused from that phone within the hour…
    let right = text(&app, attacker, &format!("{} STATUS", codes[0])).await;
    assert!(right[0].starts_with("Too many voting codes"), "{right:?}");
    // …and works from the resident's own.
    let own = text(&app, "+447700900007", &format!("{} STATUS", codes[0])).await;
    assert!(
        own[0].starts_with("You have not voted in Neighbourhood Fund yet"),
        "{own:?}"
    );
    // On the keypad, three wrong codes end the call with the help line.
    let call = sid("CA");
    let from = "+441134960002";
    press(&app, &call, from, None).await;
    press(&app, &call, from, Some("1")).await;
    for n in 0..3 {
        let (said, xml) = press(&app, &call, from, Some("9999888877776666#")).await;
        assert!(
            said.contains("We do not recognise that voting code"),
            "{said}"
        );
        assert_eq!(xml.contains("<Hangup/>"), n == 2, "{xml}");
    }
    let (said, xml) = press(&app, &call, from, Some("1")).await;
    assert!(
        said.contains("For English, press 1"),
        "a new call after the end: {xml}"
    );
}

#[tokio::test]
async fn a_keypad_call_for_approval_and_ranked_rounds() {
    // Approval, in English.
    let app = spawn().await;
    // Voting closes in ten days, at noon.
    let closes = (chrono::Utc::now() + chrono::Duration::days(10))
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc();
    let e = election_closing(
        &app,
        json!({ "kind": "APPROVAL", "maxChoices": 3 }),
        0,
        Some(closes),
    )
    .await;
    let codes = phone_voters(&app, &e, 2).await;
    let digits = |c: &str| c.chars().filter(char::is_ascii_digit).collect::<String>();
    let call = sid("CA");
    let from = "+441134960003";
    let (said, xml) = press(&app, &call, from, None).await;
    assert!(
        said.contains("For English, press 1. ") && said.contains("Am Gymraeg, pwyswch 2."),
        "{said}"
    );
    assert!(
        xml.contains("<Gather input=\"dtmf\" action=\"https://vote.leeds.example/phone/voice\""),
        "{xml}"
    );
    assert!(xml.contains("language=\"cy-GB\""), "{xml}");
    // Silence is asked again.
    let (said, _) = press(&app, &call, from, None).await;
    assert!(said.starts_with("We did not hear any keys."), "{said}");
    let (said, _) = press(&app, &call, from, Some("1")).await;
    assert!(
        said.contains("Please enter the 16-digit voting code"),
        "{said}"
    );
    let (said, _) = press(&app, &call, from, Some(&format!("{}#", digits(&codes[0])))).await;
    for expected in [
        "You are voting in Neighbourhood Fund, for projects in Hyde Park. There are 4 projects.",
        format!("Voting closes on {}: 10 days left.", closes.format("%-d %B %Y")).as_str(),
        "Project 1: Benches on the Moor, costing £1,000.00.",
        "Project 4: Bowls green repairs, costing £6,000.00.",
        "Enter the numbers of the projects you choose, pressing star between numbers, then press hash.",
        "Choose up to 3.",
    ] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    assert!(!said.contains("Bandstand"), "{said}");
    // A project that does not exist, then a choice, then start again.
    let (said, _) = press(&app, &call, from, Some("1*9#")).await;
    assert!(said.starts_with("There is no project 9."), "{said}");
    let (said, _) = press(&app, &call, from, Some("1*3#")).await;
    assert!(
        said.starts_with(
            "You chose: project 1, Benches on the Moor. project 3, Bins by the play area."
        ),
        "{said}"
    );
    assert!(
        said.contains("To confirm your vote, press 1. To start again, press 2."),
        "{said}"
    );
    let (said, _) = press(&app, &call, from, Some("2")).await;
    assert!(said.starts_with("Enter the numbers"), "{said}");
    let (said, _) = press(&app, &call, from, Some("0#")).await;
    assert!(
        said.starts_with("Project 1: Benches"),
        "the projects again: {said}"
    );
    let (said, _) = press(&app, &call, from, Some("2*4#")).await;
    assert!(
        said.starts_with(
            "You chose: project 2, Bulbs along the paths. project 4, Bowls green repairs."
        ),
        "{said}"
    );
    assert!(
        ballot_rows(&app).await.is_empty(),
        "nothing cast before confirming"
    );
    let (said, _) = press(&app, &call, from, Some("1")).await;
    assert!(
        said.starts_with("Thank you. Your vote is recorded."),
        "{said}"
    );
    let rows = ballot_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(content(&rows[0])["bids"], ids(&[&e.bids[1], &e.bids[3]]));
    assert_eq!(rows[0].channel.as_deref(), Some("phone"));
    let code = api::domain::vote::Receipt::code_of(&rows[0].commitment).unwrap();
    // Read a group of four at a time, each letter with its word, so that B,
    // D, E and V cannot be mistaken: what is said gives the receipt back.
    assert_eq!(heard_receipt(&said), code, "{said}");
    let (again, _) = press(&app, &call, from, Some("1")).await;
    assert_eq!(heard_receipt(&again), code, "{again}");
    assert!(
        said.contains("After voting closes, call 0113 496 0999 to hear the results"),
        "{said}"
    );
    let (bye, xml) = press(&app, &call, from, None).await;
    assert!(
        bye.contains("Goodbye") && xml.contains("<Hangup/>"),
        "{bye}"
    );

    // Ranked, in Welsh.
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "RANKED", "maxChoices": 3 }), 0).await;
    let codes = phone_voters(&app, &e, 1).await;
    let call = sid("CA");
    press(&app, &call, from, None).await;
    let (said, xml) = press(&app, &call, from, Some("2")).await;
    assert!(said.contains("Rhowch y cod pleidleisio 16 digid"), "{said}");
    assert!(xml.contains("language=\"cy-GB\""), "{xml}");
    let (said, _) = press(&app, &call, from, Some(&format!("{}#", digits(&codes[0])))).await;
    assert!(
        said.contains("Prosiect 3: Bins by the play area, yn costio £3,000.00."),
        "{said}"
    );
    assert!(said.contains("yn nhrefn eich dewis"), "{said}");
    let (said, _) = press(&app, &call, from, Some("3*1*3#")).await;
    assert!(
        said.starts_with("Gall pob cynnig ymddangos unwaith yn unig"),
        "{said}"
    );
    let (said, _) = press(&app, &call, from, Some("3*1#")).await;
    assert!(said.starts_with("Fe wnaethoch ddewis: dewis 1: prosiect 3, Bins by the play area. dewis 2: prosiect 1, Benches on the Moor."), "{said}");
    let (said, _) = press(&app, &call, from, Some("1")).await;
    assert!(
        said.starts_with("Diolch. Mae eich pleidlais wedi'i chofnodi."),
        "{said}"
    );
    let rows = ballot_rows(&app).await;
    assert_eq!(
        content(&rows[0])["bids"],
        ids(&[&e.bids[2], &e.bids[0]]),
        "in rank order"
    );

    // A points ballot cannot be keyed: the call says so and ends.
    let app = spawn().await;
    let e = election(
        &app,
        json!({ "kind": "POINTS_ALLOCATION", "pointsTotal": 10 }),
        0,
    )
    .await;
    let codes = phone_voters(&app, &e, 1).await;
    let call = sid("CA");
    press(&app, &call, from, None).await;
    press(&app, &call, from, Some("1")).await;
    let (said, xml) = press(&app, &call, from, Some(&format!("{}#", digits(&codes[0])))).await;
    assert!(
        said.starts_with("This round's ballot cannot be filled in on a telephone keypad."),
        "{said}"
    );
    assert!(
        said.contains("0113 496 0999") && xml.contains("<Hangup/>"),
        "{said}"
    );
}

#[tokio::test]
async fn the_demo_resident_votes_by_text_on_the_development_page() {
    let app = TestApp::spawn().await;
    api::demo::seed(&app.state).await.unwrap();
    let app = &app;
    let sms = |body: String| async move {
        dev_page(
            app,
            &[("kind", "sms"), ("From", "+447700900321"), ("Body", &body)],
        )
        .await
    };
    let page = sms(format!("{} BIDS", api::demo::DEMO_VOTING_CODE)).await;
    assert!(
        page.contains("1 Street tree planting - £5,500.00"),
        "{page}"
    );
    let page = sms("VOTE 1 2".into()).await;
    assert!(
        page.contains("your vote in Summer Streets 2026 is recorded"),
        "{page}"
    );
    // Keypad calls play on the same page.
    let call = |digits: String| async move {
        dev_page(
            app,
            &[
                ("kind", "voice"),
                ("From", "+441134960321"),
                ("CallSid", "CAdemo1"),
                ("Digits", &digits),
            ],
        )
        .await
    };
    let page = call(String::new()).await;
    assert!(page.contains("For English, press 1."), "{page}");
    let page = call("1".into()).await;
    assert!(
        page.contains("Please enter the 16-digit voting code"),
        "{page}"
    );
    let digits: String = api::demo::DEMO_VOTING_CODE.split_whitespace().collect();
    let page = call(format!("{digits}#")).await;
    assert!(
        page.contains("You are voting in Summer Streets 2026"),
        "{page}"
    );
}

/// The phone number an officer types when checking someone in person is
/// only a record: texting from it, without a voting code, votes for no
/// one. A typo must not hand a vote to whoever holds the mistyped number.
#[tokio::test]
async fn a_number_an_officer_typed_is_no_way_to_vote() {
    use crate::fixtures::{declare_query, CONFIRM_CODE, REQUEST_CODE};
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 0).await;
    let typed = "07700 900777";
    let input = json!({
        "person": person("Olwen Typo", "1961-06-06", "LS6 2AB"),
        "evidence": "PHOTO_ID",
        "phone": typed,
    });
    let v = app
        .ok(
            Some(&e.officer),
            &in_person_query(),
            json!({ "r": e.round, "i": input }),
        )
        .await;
    assert_eq!(v["recordInPersonVerification"]["hasPhone"], true);
    // Whoever holds that number texts a vote with no code.
    for attempt in ["VOTE 3", "STATUS", "BIDS"] {
        let reply = text(&app, "+447700900777", attempt).await;
        assert!(
            reply[0].starts_with("We do not recognise this phone"),
            "{attempt}: {reply:?}"
        );
    }
    assert!(ballot_rows(&app).await.is_empty(), "nothing cast");
    // With the code from the letter, the person votes from that phone, and
    // then (having texted their code from it) without the code.
    let data = app
        .ok(
            Some(&e.officer),
            ISSUE,
            json!({ "i": { "roundId": e.round } }),
        )
        .await;
    let csv = data["issueVotingCodes"]["csv"].as_str().unwrap().to_owned();
    let code = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(10)
        .unwrap()
        .to_owned();
    let first = text(&app, "+447700900777", &format!("{code} VOTE 1")).await;
    assert!(first[0].contains("is recorded"), "{first:?}");
    let second = text(&app, "+447700900777", "VOTE 2").await;
    assert!(
        second[0].contains("replaces your earlier vote"),
        "{second:?}"
    );

    // A number proven by a text-message code identifies its voter…
    let resident = app.sign_in("rhian@example.org").await;
    app.ok(
        Some(&resident),
        &declare_query(),
        json!({ "r": e.round, "p": person("Rhian Proven", "1972-03-03", "LS6 1AB") }),
    )
    .await;
    app.ok(
        Some(&resident),
        REQUEST_CODE,
        json!({ "r": e.round, "c": "SMS", "to": "07700 900888" }),
    )
    .await;
    let sent = app.sms.code_to("+447700900888", 1);
    let confirmed = app
        .ok(
            Some(&resident),
            CONFIRM_CODE,
            json!({ "r": e.round, "c": "SMS", "to": "07700 900888", "code": sent }),
        )
        .await;
    assert_eq!(confirmed["confirmVerificationCode"]["verified"], true);
    let own = text(&app, "+447700900888", "VOTE 4").await;
    assert!(own[0].contains("is recorded"), "{own:?}");
    // …until the account is deleted: the number goes with it.
    app.ok(
        Some(&resident),
        "mutation { deleteMyAccount(confirm: true) }",
        json!({}),
    )
    .await;
    let after = text(&app, "+447700900888", "VOTE 1").await;
    assert!(
        after[0].starts_with("We do not recognise this phone"),
        "{after:?}"
    );
    let records = crate::voting::dump_table(&app, "verified_participants").await;
    let detached: Vec<_> = records
        .iter()
        .filter(|r| {
            r["account_id"].is_null() && r["methods"].as_str().is_some_and(|m| m.contains("sms"))
        })
        .collect();
    assert_eq!(detached.len(), 1, "{records:?}");
    assert!(detached[0]["phone_hmac"].is_null(), "{detached:?}");
    assert_eq!(ballot_rows(&app).await.len(), 2, "the two voters' ballots");
}

/// A copy of the database files, taken while voting is open, links no
/// call or text to a voter's choices or receipt: where a call has got to,
/// the reply to each text and the receipts kept for retries are sealed.
#[tokio::test]
async fn the_database_files_show_no_reply_receipt_or_choice() {
    use secrecy::ExposeSecret;
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 0).await;
    let codes = phone_voters(&app, &e, 2).await;
    let reply = text(&app, "+447700900010", &format!("{} VOTE 1 3", codes[0])).await;
    assert!(
        reply[0].contains("You chose: project 1, Benches on the Moor"),
        "{reply:?}"
    );
    let by_text = receipt_in(&reply[0]);
    // A keypad call, left at its receipt (the call is not over).
    let call = sid("CA");
    let from = "+441134960010";
    press(&app, &call, from, None).await;
    press(&app, &call, from, Some("1")).await;
    let digits: String = codes[1].chars().filter(char::is_ascii_digit).collect();
    press(&app, &call, from, Some(&format!("{digits}#"))).await;
    let (said, _) = press(&app, &call, from, Some("2*4#")).await;
    assert!(
        said.starts_with("You chose: project 2, Bulbs along the paths"),
        "{said}"
    );
    let (said, _) = press(&app, &call, from, Some("1")).await;
    assert!(said.contains("Your receipt is"), "{said}");
    let receipts: Vec<String> = ballot_rows(&app)
        .await
        .iter()
        .map(|b| api::domain::vote::Receipt::code_of(&b.commitment).unwrap())
        .collect();
    assert_eq!(receipts.len(), 2);
    assert!(receipts.contains(&by_text));
    let mut needles: Vec<String> = vec![
        "You chose".into(),
        "is recorded".into(),
        "Your receipt is".into(),
        "project 1, Benches on the Moor".into(),
        "project 2, Bulbs along the paths".into(),
        "Numbers".into(),
    ];
    for r in &receipts {
        needles.push(r.clone());
        needles.push(r.replace('-', ""));
    }
    // What the phone tables and the kept receipts hold, on any database.
    for table in [
        "phone_calls",
        "phone_messages",
        "cast_answers",
        "sealed_ballots",
    ] {
        let rows = serde_json::to_string(&crate::voting::dump_table(&app, table).await).unwrap();
        for n in &needles {
            assert!(!rows.contains(n.as_str()), "{table} shows {n:?}: {rows}");
        }
    }
    // On SQLite, the files themselves, the write-ahead log included.
    let url = app.state.settings.database_url.expose_secret().to_owned();
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap();
        let mut files = 0;
        for file in [path.to_owned(), format!("{path}-wal")] {
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            files += 1;
            for n in &needles {
                assert!(
                    !bytes.windows(n.len()).any(|w| w == n.as_bytes()),
                    "{file} holds {n:?}"
                );
            }
        }
        assert!(files >= 1, "the database files are read");
    }
}

const ISSUE_BATCH: &str = "mutation($i: IssueVotingCodesInput!) { issueVotingCodes(input: $i) { batchId issued remaining keptUntil pdfBase64 csv } }";
const REPRINT: &str = "mutation($b: ID!) { reprintVotingCodeLetters(batchId: $b) { batchId issued remaining keptUntil pdfBase64 csv } }";
const COLLECT: &str = "mutation($b: ID!) { collectVotingCodeLetters(batchId: $b) { id letters } }";
const BATCHES: &str = "query($r: ID!) { votingCodeBatches(roundId: $r) { nodes { id letters remaining issuedAt keptUntil } } }";

/// The (reference, name, code) of each letter in a batch's CSV, sorted.
fn csv_letters(csv: &str) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (reference, name, code) = (at("reference"), at("name"), at("voting_code"));
    let mut rows: Vec<_> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[reference].to_owned(),
                r[name].to_owned(),
                r[code].to_owned(),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// `n` people verified in person for the election's round, with no
/// account, written straight to the database (a thousand checks in person
/// through the API would only make the test slow).
async fn seed_in_person(app: &TestApp, e: &Election, n: usize) {
    use api::store::verified_participants as vp;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let voter: i64 = e.voters[0].verification.parse().unwrap();
    let area = vp::Entity::find_by_id(voter)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .area_id;
    let round: i64 = e.round.parse().unwrap();
    let now = chrono::Utc::now();
    let rows: Vec<vp::ActiveModel> = (0..n)
        .map(|i| vp::ActiveModel {
            round_id: Set(round),
            account_id: Set(None),
            area_id: Set(area),
            relation: Set("live".into()),
            identity_hmac: Set(format!("seeded-{i}")),
            residence_hmac: Set(None),
            held: Set(false),
            phone_hmac: Set(None),
            phone_proven: Set(false),
            email_hmac: Set(None),
            methods: Set("in_person".into()),
            age_checked_min: Set(None),
            evidence: Set(Some("photo_id".into())),
            recorded_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            verified_at: Set(Some(now)),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(200) {
        vp::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&app.state.db)
            .await
            .unwrap();
    }
}

/// A thousand letters print after their codes are committed: a ballot
/// cast meanwhile completes before the batch's answer arrives.
#[tokio::test]
async fn a_ballot_completes_while_a_thousand_letters_print() {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 1).await;
    seed_in_person(&app, &e, 1_000).await;
    let round: i64 = e.round.parse().unwrap();
    let issuing = {
        let request = app
            .client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&e.officer)
            .json(&json!({ "query": ISSUE_BATCH, "variables": { "i": { "roundId": e.round } } }));
        tokio::spawn(async move {
            let res = request.send().await.expect("the batch answers");
            res.json::<Value>().await.expect("a JSON answer")
        })
    };
    // Once the codes are stored (committed, so another connection sees
    // them)…
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let stored = api::store::voting_codes::Entity::find()
            .filter(api::store::voting_codes::Column::RoundId.eq(round))
            .count(&app.state.db)
            .await
            .unwrap();
        if stored == 1_000 {
            break;
        }
        assert!(
            !issuing.is_finished(),
            "the batch answered before its codes were stored"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the codes were never stored"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // …a resident's ballot is cast and completes, while the letters print.
    let cast = app
        .ok(
            Some(&e.voters[0].token),
            CAST,
            json!({ "i": { "roundId": e.round, "choices": [{ "bidId": e.bids[0] }], "idempotencyKey": "while-printing" } }),
        )
        .await;
    assert_eq!(cast["castBallot"]["replaced"], false);
    assert!(
        !issuing.is_finished(),
        "the ballot completed before the batch's answer arrived"
    );
    let answer = issuing.await.unwrap();
    assert!(answer.get("errors").is_none(), "{answer:#}");
    let letters = &answer["data"]["issueVotingCodes"];
    assert_eq!(letters["issued"], 1_000);
    assert_eq!(letters["remaining"], 0);
    assert!(letters["batchId"].as_str().is_some_and(|b| !b.is_empty()));
    assert_eq!(csv_letters(letters["csv"].as_str().unwrap()).len(), 1_000);
}

/// The answer to a batch is lost: its letters are made again, the same,
/// until the officer collects them; then the server no longer has them.
#[tokio::test]
async fn a_lost_batch_of_letters_is_made_again_until_collected() {
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 2).await;
    let recipients = json!([
        { "verificationId": e.voters[0].verification, "name": "Mrs Gwenllian Parry", "address": ["12 Woodhouse Lane", "Leeds", "LS6 1AB"] },
        { "verificationId": e.voters[1].verification, "name": "Mr Idris Bevan", "address": ["3 Cliff Road", "Leeds", "LS6 2AB"] },
    ]);
    let first = app
        .ok(
            Some(&e.officer),
            ISSUE_BATCH,
            json!({ "i": { "roundId": e.round, "recipients": recipients } }),
        )
        .await["issueVotingCodes"]
        .clone();
    let batch = first["batchId"].as_str().unwrap().to_owned();
    let printed = csv_letters(first["csv"].as_str().unwrap());
    assert_eq!(printed.len(), 2);
    // At rest, the batch shows no code, name or address.
    let stored =
        serde_json::to_string(&crate::voting::dump_table(&app, "voting_code_batches").await)
            .unwrap();
    assert!(stored.contains(&batch), "the batch is kept");
    for (_, name, code) in &printed {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        assert!(
            !stored.contains(name.as_str())
                && !stored.contains(&digits)
                && !stored.contains(code.as_str()),
            "{stored}"
        );
    }
    assert!(!stored.contains("Woodhouse"), "{stored}");
    // The officer never got the answer: the batch is listed, and its
    // letters are made again, the same codes for the same people.
    let listed = app
        .ok(Some(&e.officer), BATCHES, json!({ "r": e.round }))
        .await;
    let nodes = listed["votingCodeBatches"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1, "{listed}");
    assert_eq!(nodes[0]["id"], batch.as_str());
    assert_eq!(nodes[0]["letters"], 2);
    let again = app
        .ok(Some(&e.officer), REPRINT, json!({ "b": batch }))
        .await["reprintVotingCodeLetters"]
        .clone();
    assert_eq!(again["batchId"], batch.as_str());
    assert_eq!(csv_letters(again["csv"].as_str().unwrap()), printed);
    assert!(!again["pdfBase64"].as_str().unwrap().is_empty());
    // A reprinted code works.
    let reply = text(&app, "+447700900020", &format!("{} STATUS", printed[0].2)).await;
    assert!(reply[0].starts_with("You have not voted"), "{reply:?}");
    // Residents cannot see or make letters.
    let resident = &e.voters[0].token;
    assert_eq!(
        app.refused(Some(resident), REPRINT, json!({ "b": batch }))
            .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(
        app.refused(Some(resident), BATCHES, json!({ "r": e.round }))
            .await,
        "NOT_AUTHORISED"
    );
    // A new code for one person voids theirs: a reprint leaves it out.
    app.ok(
        Some(&e.officer),
        ISSUE_BATCH,
        json!({ "i": { "roundId": e.round, "recipients": [{ "verificationId": e.voters[1].verification }] } }),
    )
    .await;
    let partial = app
        .ok(Some(&e.officer), REPRINT, json!({ "b": batch }))
        .await["reprintVotingCodeLetters"]
        .clone();
    assert_eq!(partial["issued"], 1);
    // Collected: the server forgets the letters.
    let collected = app
        .ok(Some(&e.officer), COLLECT, json!({ "b": batch }))
        .await;
    assert_eq!(collected["collectVotingCodeLetters"]["letters"], 2);
    for q in [REPRINT, COLLECT] {
        assert_eq!(
            app.refused(Some(&e.officer), q, json!({ "b": batch }))
                .await,
            "NOT_FOUND"
        );
    }
    assert_eq!(
        app.refused(Some(&e.officer), REPRINT, json!({ "b": "not-a-batch" }))
            .await,
        "NOT_FOUND"
    );
    let rows = crate::voting::dump_table(&app, "voting_code_batches").await;
    assert_eq!(rows.len(), 1, "only the second batch is left: {rows:?}");
    // When voting closes, the batches go with the codes.
    crate::fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    assert!(crate::voting::dump_table(&app, "voting_code_batches")
        .await
        .is_empty());
    let audit = crate::voting::dump_table(&app, "audit_events").await;
    for action in ["voting_codes.reprinted", "voting_codes.collected"] {
        assert!(
            audit.iter().any(|r| r["action"] == action),
            "{action} audited"
        );
    }
}

/// The ids of a round's verified people without an account (those who
/// get letters), in the order they were verified.
async fn verified_without_account(app: &TestApp, round: &str) -> Vec<i64> {
    use api::store::verified_participants as vp;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    vp::Entity::find()
        .filter(vp::Column::RoundId.eq(round.parse::<i64>().unwrap()))
        .filter(vp::Column::AccountId.is_null())
        .order_by_asc(vp::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// The letters' text, as `pdftotext` reads it from a batch's PDF.
fn pdf_text(pdf_base64: &str) -> String {
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(pdf_base64)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letters.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install -y poppler-utils)");
    assert!(out.status.success(), "pdftotext reads the letters");
    String::from_utf8(out.stdout).unwrap()
}

/// A batch of letters addressed from a names-and-addresses file keyed by
/// the letters' references: the names and addresses are printed, the
/// letters CSV given back with them filled in does as well, and every
/// mistake in the file is named with its line, issuing nothing.
#[tokio::test]
async fn a_names_and_addresses_file_addresses_a_batch_of_letters() {
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 1).await;
    seed_in_person(&app, &e, 3).await;
    let waiting = verified_without_account(&app, &e.round).await;
    assert_eq!(waiting.len(), 3);
    let issue = |addresses: String| json!({ "i": { "roundId": e.round, "addresses": addresses } });
    let invalid = |res: &Value| -> String {
        assert_eq!(error_code(res), "INVALID_INPUT", "{res:#}");
        res["errors"][0]["message"].as_str().unwrap().to_owned()
    };
    // Mistakes, each named; nothing is issued by any of them.
    let v = |i: usize| format!("V{}", waiting[i]);
    for (file, says) in [
        (
            "name,address_1\nMr A,1 Road\n".to_owned(),
            "a column named reference",
        ),
        ("reference,name\n".to_owned(), "has no one in it"),
        (
            format!("reference,name\n{},Mr A\nX12,Mrs B\n", v(0)),
            "line 3: \"X12\" is not a letter reference",
        ),
        (
            format!("reference,name\n{},Mr A\n{},Mr A again\n", v(0), v(0)),
            "is named twice",
        ),
        (
            "reference,name\nV99999999,Nobody\n".to_owned(),
            "V99999999 is not the reference of anyone verified for this round",
        ),
        (
            format!(
                "reference,name,address_1\n{},{},1 Road\n",
                v(0),
                "x".repeat(101)
            ),
            "up to 100 characters",
        ),
    ] {
        let res = app
            .gql(Some(&e.officer), ISSUE_BATCH, issue(file.clone()))
            .await;
        let message = invalid(&res);
        assert!(message.contains(says), "{file:?}: {message}");
    }
    let both = app
        .gql(
            Some(&e.officer),
            ISSUE_BATCH,
            json!({ "i": { "roundId": e.round, "addresses": format!("reference\n{}\n", v(0)), "recipients": [{ "verificationId": waiting[0].to_string() }] } }),
        )
        .await;
    assert!(invalid(&both).contains("not both"));
    assert!(crate::voting::dump_table(&app, "voting_codes")
        .await
        .is_empty());

    // A file as a council's mail merge writes it: a byte-order mark, other
    // capitals, a blank line, and one person left for later.
    let file = format!(
        "\u{feff}Reference,Name,Address_1,Address_2,Address_3\n{},Mrs Gwenllian Parry,12 Woodhouse Lane,Leeds,LS6 1AB\n\n{},\"Bevan, Idris\",3 Cliff Road,,LS6 2AB\n",
        v(0),
        v(1).to_lowercase()
    );
    let letters =
        app.ok(Some(&e.officer), ISSUE_BATCH, issue(file)).await["issueVotingCodes"].clone();
    assert_eq!(letters["issued"], 2);
    let rows = csv_letters(letters["csv"].as_str().unwrap());
    assert_eq!(
        rows.iter()
            .map(|(r, n, _)| (r.clone(), n.clone()))
            .collect::<Vec<_>>(),
        vec![
            (v(0), "Mrs Gwenllian Parry".to_owned()),
            (v(1), "Bevan, Idris".to_owned())
        ]
    );
    let printed = pdf_text(letters["pdfBase64"].as_str().unwrap());
    for expected in [
        "Mrs Gwenllian Parry",
        "12 Woodhouse Lane",
        "LS6 1AB",
        "Bevan, Idris",
        "3 Cliff Road",
        "LS6 2AB",
        v(0).as_str(),
        v(1).as_str(),
    ] {
        assert!(
            printed.contains(expected),
            "{expected} is on a letter:\n{printed}"
        );
    }
    // The third person is still waiting for a letter.
    let rest = app
        .ok(
            Some(&e.officer),
            ISSUE_BATCH,
            json!({ "i": { "roundId": e.round } }),
        )
        .await["issueVotingCodes"]
        .clone();
    assert_eq!(rest["issued"], 1);
    assert_eq!(csv_letters(rest["csv"].as_str().unwrap())[0].0, v(2));

    // The letters CSV itself, given back with a name and address filled in,
    // addresses new letters (new codes, which void the old).
    let mut back = csv::Writer::from_writer(Vec::new());
    {
        let mut reader = csv::Reader::from_reader(rest["csv"].as_str().unwrap().as_bytes());
        let headers = reader.headers().unwrap().clone();
        back.write_record(&headers).unwrap();
        for r in reader.records() {
            let mut r: Vec<String> = r.unwrap().iter().map(str::to_owned).collect();
            r[1] = "Mr Dafydd Rees".into();
            r[2] = "7 Chapeltown Road".into();
            back.write_record(&r).unwrap();
        }
    }
    let back = String::from_utf8(back.into_inner().unwrap()).unwrap();
    let again =
        app.ok(Some(&e.officer), ISSUE_BATCH, issue(back)).await["issueVotingCodes"].clone();
    assert_eq!(again["issued"], 1);
    let again_rows = csv_letters(again["csv"].as_str().unwrap());
    assert_eq!(again_rows[0].1, "Mr Dafydd Rees");
    assert_ne!(
        again_rows[0].2,
        csv_letters(rest["csv"].as_str().unwrap())[0].2,
        "a new code"
    );
    assert!(pdf_text(again["pdfBase64"].as_str().unwrap()).contains("7 Chapeltown Road"));
}

/// A code from a letter, texted or keyed after voting has closed, is told
/// that voting has closed (not that it is unknown); a made-up code is
/// still unknown; and nothing of it outlives the round's verification
/// data.
#[tokio::test]
async fn a_code_after_the_close_is_told_voting_has_closed() {
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 0).await;
    let codes = phone_voters(&app, &e, 2).await;
    let reply = text(&app, "+447700900020", &format!("{} VOTE 1", codes[0])).await;
    assert!(reply[0].contains("You chose"), "{reply:?}");
    crate::fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    // Texted: by the voter who voted, and by one who did not.
    for (from, code) in [("+447700900020", &codes[0]), ("+447700900021", &codes[1])] {
        let reply = text(&app, from, &format!("{code} BIDS")).await;
        assert_eq!(
            reply,
            ["Voting in Neighbourhood Fund has closed."],
            "{reply:?}"
        );
    }
    let reply = text(&app, "+447700900022", "1234 5678 9012 3456 BIDS").await;
    assert!(
        reply[0].starts_with("We do not recognise that voting code."),
        "{reply:?}"
    );
    // Keyed.
    let call = sid("CA");
    let from = "+441134960020";
    press(&app, &call, from, None).await;
    press(&app, &call, from, Some("1")).await;
    let digits: String = codes[1].chars().filter(char::is_ascii_digit).collect();
    let (said, _) = press(&app, &call, from, Some(&format!("{digits}#"))).await;
    assert!(
        said.contains("Voting in Neighbourhood Fund has closed."),
        "{said}"
    );
    // What is kept: the codes' keyed hashes with the round, nothing else.
    let kept = crate::voting::dump_table(&app, "closed_codes").await;
    assert_eq!(kept.len(), 2, "{kept:#?}");
    for row in &kept {
        let keys: Vec<&String> = row.keys().collect();
        assert_eq!(keys, ["code_hmac", "round_id"]);
    }
}

/// The receipt a caller hears, written back down: "Part 1: 7, B as in
/// Bravo, …." gives `7B…-…`. Each letter must come with the word of the
/// NATO phonetic alphabet that starts with it.
fn heard_receipt(said: &str) -> String {
    const WORDS: [(&str, &str); 8] = [
        ("B", "Bravo"),
        ("D", "Delta"),
        ("E", "Echo"),
        ("V", "Victor"),
        ("M", "Mike"),
        ("N", "November"),
        ("P", "Papa"),
        ("T", "Tango"),
    ];
    let from = said.find("Your receipt is: ").expect("a receipt") + "Your receipt is: ".len();
    let mut groups = Vec::new();
    for n in 1..=4 {
        let start = said[from..]
            .find(&format!("Part {n}: "))
            .map(|i| from + i + format!("Part {n}: ").len())
            .expect("four parts");
        let end = start + said[start..].find('.').expect("a part ends");
        let group: String = said[start..end]
            .split(", ")
            .map(|c| match c.split_once(" as in ") {
                Some((letter, word)) => {
                    assert!(word.starts_with(letter), "{c}");
                    if let Some((_, w)) = WORDS.iter().find(|(l, _)| *l == letter) {
                        assert_eq!(word, *w, "{c}");
                    }
                    letter.to_owned()
                }
                None => {
                    assert!(c.len() == 1 && c.chars().all(|d| d.is_ascii_digit()), "{c}");
                    c.to_owned()
                }
            })
            .collect();
        groups.push(group);
    }
    groups.join("-")
}

const PAPER_FORM: &str = "query($r: ID!, $c: String!) { paperFormVoter(roundId: $r, votingCode: $c) { id area { id name } } }";

/// A paper ballot form returned by post, days after its voter was verified
/// in person, is found by the voting code printed on its letter and entered
/// by an officer as a paper ballot; a replaced code, a wrong code and a
/// closed round are refused, and residents cannot look anyone up.
#[tokio::test]
async fn a_paper_ballot_form_returned_by_post_is_entered_by_its_voting_code() {
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 1).await;
    let codes = phone_voters(&app, &e, 2).await;
    let found = app
        .ok(
            Some(&e.officer),
            PAPER_FORM,
            json!({ "r": e.round, "c": codes[1] }),
        )
        .await;
    let voter = &found["paperFormVoter"];
    assert_eq!(voter["area"]["name"], "Hyde Park");
    // The code as typed from the form: spaces, dashes or none.
    let typed = codes[1].replace(' ', "-");
    let again = app
        .ok(
            Some(&e.officer),
            PAPER_FORM,
            json!({ "r": e.round, "c": typed }),
        )
        .await;
    assert_eq!(again["paperFormVoter"]["id"], voter["id"]);

    let cast = app
        .ok(
            Some(&e.officer),
            crate::voting::ASSISTED,
            json!({ "i": {
                "roundId": e.round,
                "verificationId": voter["id"],
                "channel": "PAPER",
                "choices": [{ "bidId": e.bids[0] }],
                "idempotencyKey": "posted-form-1",
            } }),
        )
        .await;
    assert_eq!(cast["castAssistedBallot"]["replaced"], false);
    let rows = ballot_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].channel.as_deref(), Some("paper"));
    assert_eq!(content(&rows[0])["bids"], ids(&[&e.bids[0]]));

    // Wrong, malformed, and residents.
    let wrong = app
        .refused(
            Some(&e.officer),
            PAPER_FORM,
            json!({ "r": e.round, "c": "1111 2222 3333 4444" }),
        )
        .await;
    assert_eq!(wrong, "INVALID_CODE");
    let short = app
        .refused(
            Some(&e.officer),
            PAPER_FORM,
            json!({ "r": e.round, "c": "1234" }),
        )
        .await;
    assert_eq!(short, "INVALID_INPUT");
    let resident = app
        .refused(
            Some(&e.voters[0].token),
            PAPER_FORM,
            json!({ "r": e.round, "c": codes[0] }),
        )
        .await;
    assert_eq!(resident, "NOT_AUTHORISED");

    // A new letter voids the old code.
    app.ok(
        Some(&e.officer),
        ISSUE,
        json!({ "i": { "roundId": e.round, "recipients": [{ "verificationId": voter["id"] }] } }),
    )
    .await;
    let old = app
        .refused(
            Some(&e.officer),
            PAPER_FORM,
            json!({ "r": e.round, "c": codes[1] }),
        )
        .await;
    assert_eq!(old, "INVALID_CODE");

    // After the close, the form's code says so.
    crate::fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    let closed = app
        .refused(
            Some(&e.officer),
            PAPER_FORM,
            json!({ "r": e.round, "c": codes[0] }),
        )
        .await;
    assert_eq!(closed, "VOTING_CLOSED");
}

/// Voting-code letters posted through GOV.UK Notify (the local server,
/// which checks each token): each letter its own precompiled PDF whose
/// address sits in Notify's address block; a batch stopped half way by a
/// refusal goes on without posting anyone twice; a batch without
/// addresses, and a council without letters, are refused; once posted,
/// the server forgets the letters.
#[tokio::test]
async fn voting_code_letters_are_posted_through_gov_uk_notify() {
    use crate::helpers::NotifyServer;
    use api::config::LetterSettings;
    use api::service::phone::codes;
    let app = spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 1).await;
    seed_in_person(&app, &e, 3).await;
    let waiting = verified_without_account(&app, &e.round).await;
    let file = format!(
        "reference,name,address_1,address_2,address_3\nV{},Mrs Gwenllian Parry,12 Woodhouse Lane,Leeds,LS6 1AB\nV{},Idris Bevan,3 Cliff Road,,LS6 2AB\n",
        waiting[0], waiting[1]
    );
    let batch = app
        .ok(
            Some(&e.officer),
            ISSUE_BATCH,
            json!({ "i": { "roundId": e.round, "addresses": file } }),
        )
        .await["issueVotingCodes"]
        .clone();
    let codes_printed = csv_letters(batch["csv"].as_str().unwrap());
    let batch_id = batch["batchId"].as_str().unwrap().to_owned();
    let officer = api::service::Actor {
        account_id: app.ok(Some(&e.officer), "{ me { id } }", json!({})).await["me"]["id"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            .into(),
        roles: vec![api::domain::Role::Officer],
    };

    let notify = NotifyServer::start().await;
    let posting = |key: String| {
        let mut settings = app.state.settings.clone();
        settings.letters = LetterSettings::Notify {
            url: notify.base.clone(),
            key: key.into(),
            template_id: uuid::Uuid::new_v4().to_string(),
            postage: "second".into(),
        };
        settings
    };
    // A wrong key: Notify refuses the first letter; nothing is posted and
    // the batch is kept.
    let wrong = api::startup::build_state(posting(format!(
        "fairshare-test-{}-{}",
        notify.service_id,
        uuid::Uuid::new_v4()
    )))
    .await
    .unwrap();
    let err = codes::post(&wrong, &officer, &batch_id)
        .await
        .err()
        .expect("refused");
    assert!(
        err.to_string()
            .contains("0 of the batch's 2 letters were posted"),
        "{err}"
    );
    assert_eq!(notify.refused(), 1);

    // Meanwhile the second person's letter is issued again (its old code
    // void): that letter is left out of the batch's posting.
    app.ok(
        Some(&e.officer),
        ISSUE_BATCH,
        json!({ "i": { "roundId": e.round, "addresses": format!("reference,name,address_1,address_2\nV{},Idris Bevan,3 Cliff Road,LS6 2AB\n", waiting[1]) } }),
    )
    .await;

    // The right key posts the first, once.
    let right = api::startup::build_state(posting(notify.api_key()))
        .await
        .unwrap();
    let posted = codes::post(&right, &officer, &batch_id).await.unwrap();
    assert_eq!(posted.posted, 1);
    let sent = notify.accepted();
    assert_eq!(sent.len(), 1);
    for (n, (letter, (reference, name, code))) in sent.iter().zip(&codes_printed).enumerate() {
        assert_eq!(letter.path, "/v2/notifications/letter");
        assert_eq!(letter.body["postage"], "second");
        assert_eq!(
            letter.body["reference"],
            format!("voting-codes-{}-{}", &batch_id[..8], n + 1)
        );
        let pdf = letter.body["content"].as_str().unwrap();
        let text = pdf_text(pdf);
        for expected in [name.as_str(), reference.as_str(), code.as_str()] {
            assert!(text.contains(expected), "{expected} in:\n{text}");
        }
        // The address, from the name to the postcode, inside Notify's
        // address block: 24.6 mm from the left, between 50.3 mm and
        // 77.1 mm from the top (each word's middle, as pdftotext places
        // it).
        let mm = |points: f64| points * 25.4 / 72.0;
        for word in [name.split(' ').next().unwrap(), "LS6"] {
            let (x, top, bottom) = word_position(pdf, word);
            let middle = mm((top + bottom) / 2.0);
            assert!((mm(x) - 24.6).abs() < 1.0, "{word}: x {} mm", mm(x));
            assert!(middle > 50.3 && middle < 77.1, "{word}: y {middle} mm");
        }
    }
    // The server has forgotten the letters; posting again finds nothing.
    assert_eq!(
        app.refused(Some(&e.officer), REPRINT, json!({ "b": batch_id }))
            .await,
        "NOT_FOUND"
    );
    assert!(codes::post(&right, &officer, &batch_id).await.is_err());
    assert_eq!(notify.accepted().len(), 1);
    let audit = crate::voting::dump_table(&app, "audit_events").await;
    assert!(audit.iter().any(|r| r["action"] == "voting_codes.posted"));

    // A batch without addresses cannot be posted; through the API, the
    // development server's letters folder takes none of it.
    let rest = app
        .ok(
            Some(&e.officer),
            ISSUE_BATCH,
            json!({ "i": { "roundId": e.round } }),
        )
        .await["issueVotingCodes"]
        .clone();
    let res = app
        .gql(
            Some(&e.officer),
            "mutation($b: ID!) { postVotingCodeLetters(batchId: $b) { posted } }",
            json!({ "b": rest["batchId"] }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("1 of this batch's 1 letters have no name and address"));
    let mut settings = app.state.settings.clone();
    settings.letters = LetterSettings::Off;
    let without = api::startup::build_state(settings).await.unwrap();
    let err = codes::post(&without, &officer, rest["batchId"].as_str().unwrap())
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("does not post letters"), "{err}");
}

/// Where `pdftotext -bbox` finds a word on the first page: its left edge,
/// top and bottom, in points from the page's top left.
fn word_position(pdf_base64: &str, word: &str) -> (f64, f64, f64) {
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(pdf_base64)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8(out.stdout).unwrap();
    let line = html
        .lines()
        .find(|l| l.contains(&format!(">{word}</word>")))
        .unwrap_or_else(|| panic!("{word} on the first page:\n{html}"));
    let attr = |name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("xMin"), attr("yMin"), attr("yMax"))
}
