//! Welsh for what the council and groups write: round titles and
//! descriptions, area names, bid titles, summaries and descriptions. Each
//! is optional; Welsh texts, calls and letters use it where it is given and
//! the English where it is not.
use crate::fixtures::{self, bid_details, SUBMIT_BID};
use crate::helpers::TestApp;
use crate::phone::{phone_voters, spawn, text};
use crate::voting::Election;
use base64::Engine;
use serde_json::{json, Value};

const ROUND: &str =
    "query($id: ID!) { round(id: $id) { title titleCy description descriptionCy } }";
const UPDATE_ROUND: &str = "mutation($id: ID!, $i: UpdateRoundInput!) { updateRound(id: $id, input: $i) { title titleCy descriptionCy } }";
const UPDATE_AREA: &str = "mutation($id: ID!, $i: UpdateAreaInput!) { updateArea(areaId: $id, input: $i) { name nameCy descriptionCy } }";
const BID: &str = "query($id: ID!) { bid(id: $id) { title titleCy summaryCy descriptionCy } }";
const REVIEW: &str =
    "mutation($id: ID!, $d: ReviewDecision!) { reviewBid(id: $id, decision: $d) { status } }";
const ISSUE: &str =
    "mutation($i: IssueVotingCodesInput!) { issueVotingCodes(input: $i) { issued pdfBase64 } }";

fn welsh_bid(round: &str, group: &str, area: &str, title: &str, cy: Value) -> Value {
    let mut details = bid_details(title, 100_000);
    for (k, v) in cy.as_object().unwrap() {
        details[k] = v.clone();
    }
    json!({ "roundId": round, "groupId": group, "areaId": area, "details": details })
}

#[tokio::test]
async fn welsh_words_are_kept_checked_and_taken_away() {
    let app = spawn().await;
    let r = fixtures::open_round(&app).await;

    // A round's Welsh title and description.
    let set = app
        .ok(
            Some(&r.officer),
            UPDATE_ROUND,
            json!({ "id": r.round, "i": { "titleCy": "  Cronfa’r Gymdogaeth ", "descriptionCy": "Arian ar gyfer prosiectau." } }),
        )
        .await;
    assert_eq!(set["updateRound"]["titleCy"], "Cronfa’r Gymdogaeth");
    let read = app.ok(None, ROUND, json!({ "id": r.round })).await;
    assert_eq!(read["round"]["title"], "Neighbourhood Fund");
    assert_eq!(read["round"]["descriptionCy"], "Arian ar gyfer prosiectau.");
    let long = "a".repeat(201);
    let refused = app
        .gql(
            Some(&r.officer),
            UPDATE_ROUND,
            json!({ "id": r.round, "i": { "titleCy": long } }),
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "INVALID_INPUT");
    assert_eq!(refused["errors"][0]["extensions"]["field"], "titleCy");
    // Nothing changed.
    let read = app.ok(None, ROUND, json!({ "id": r.round })).await;
    assert_eq!(read["round"]["titleCy"], "Cronfa’r Gymdogaeth");

    // An area's Welsh name; empty takes it away.
    let set = app
        .ok(
            Some(&r.officer),
            UPDATE_AREA,
            json!({ "id": r.area, "i": { "nameCy": "Parc Hyde" } }),
        )
        .await;
    assert_eq!(set["updateArea"]["nameCy"], "Parc Hyde");
    assert_eq!(set["updateArea"]["name"], "Hyde Park");
    let cleared = app
        .ok(
            Some(&r.officer),
            UPDATE_AREA,
            json!({ "id": r.area, "i": { "nameCy": " " } }),
        )
        .await;
    assert_eq!(cleared["updateArea"]["nameCy"], Value::Null);

    // A bid's Welsh, checked as its English is.
    let short = app
        .gql(
            Some(&r.member),
            SUBMIT_BID,
            json!({ "i": welsh_bid(&r.round, &r.group, &r.area, "Benches on the Moor", json!({ "titleCy": "Meinciau ar y Rhos", "summaryCy": "Byr" })) }),
        )
        .await;
    assert_eq!(short["errors"][0]["extensions"]["code"], "INVALID_INPUT");
    assert_eq!(short["errors"][0]["extensions"]["field"], "summaryCy");
    let sent = app
        .ok(
            Some(&r.member),
            SUBMIT_BID,
            json!({ "i": welsh_bid(&r.round, &r.group, &r.area, "Benches on the Moor", json!({ "titleCy": "Meinciau ar y Rhos", "summaryCy": "Tair mainc newydd ger y llwybr." })) }),
        )
        .await;
    let id = sent["submitBid"]["id"].as_str().unwrap();
    let bid = app.ok(None, BID, json!({ "id": id })).await;
    assert_eq!(bid["bid"]["titleCy"], "Meinciau ar y Rhos");
    assert_eq!(bid["bid"]["summaryCy"], "Tair mainc newydd ger y llwybr.");
    assert_eq!(bid["bid"]["descriptionCy"], Value::Null);
}

/// A Welsh text gets the round, area and projects in Welsh where they have
/// it and in English where they do not; the letter's Welsh side does too.
#[tokio::test]
async fn welsh_texts_and_letters_use_the_welsh_words() {
    let app = spawn().await;
    let r = fixtures::open_round(&app).await;
    app.ok(
        Some(&r.officer),
        UPDATE_ROUND,
        json!({ "id": r.round, "i": { "titleCy": "Cronfa’r Gymdogaeth" } }),
    )
    .await;
    app.ok(
        Some(&r.officer),
        UPDATE_AREA,
        json!({ "id": r.area, "i": { "nameCy": "Parc Hyde" } }),
    )
    .await;
    let mut bids = Vec::new();
    for (title, cy) in [
        (
            "Benches on the Moor",
            json!({ "titleCy": "Meinciau ar y Rhos" }),
        ),
        ("Bulbs along the paths", json!({})),
    ] {
        let sent = app
            .ok(
                Some(&r.member),
                SUBMIT_BID,
                json!({ "i": welsh_bid(&r.round, &r.group, &r.area, title, cy) }),
            )
            .await;
        bids.push(sent["submitBid"]["id"].as_str().unwrap().to_owned());
    }
    fixtures::advance(&app, &r.officer, &r.round, "BID_REVIEW").await;
    for b in &bids {
        app.ok(
            Some(&r.officer),
            REVIEW,
            json!({ "id": b, "d": "ELIGIBLE" }),
        )
        .await;
    }
    fixtures::advance(&app, &r.officer, &r.round, "VOTING").await;
    let e = Election {
        officer: r.officer.clone(),
        round: r.round.clone(),
        bids: bids.clone(),
        ineligible: String::new(),
        other_pot_bid: String::new(),
        voters: Vec::new(),
    };
    let codes = phone_voters(&app, &e, 1).await;

    let welsh = text(&app, "+447700900321", &format!("{} CYNIGION", codes[0]))
        .await
        .concat();
    assert!(welsh.contains("Parc Hyde"), "{welsh}");
    assert!(welsh.contains("Meinciau ar y Rhos"), "{welsh}");
    // No Welsh title: the English.
    assert!(welsh.contains("Bulbs along the paths"), "{welsh}");
    assert!(!welsh.contains("Benches on the Moor"), "{welsh}");
    let english = text(&app, "+447700900321", "BIDS").await.concat();
    assert!(
        english.contains("Hyde Park") && english.contains("Benches on the Moor"),
        "{english}"
    );

    // The letter: English side in English, Welsh side in Welsh.
    let data = app
        .ok(
            Some(&r.officer),
            ISSUE,
            json!({ "i": { "roundId": r.round, "recipients": [{ "verificationId": verification_of(&app, &r.officer, &r.round).await }] } }),
        )
        .await;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(data["issueVotingCodes"]["pdfBase64"].as_str().unwrap())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install -y poppler-utils)");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("Your voting code for Neighbourhood Fund"),
        "{printed}"
    );
    // (pdftotext keeps the letter's line breaks.)
    assert!(
        printed.contains("Eich cod pleidleisio ar gyfer Cronfa’r"),
        "{printed}"
    );
    assert!(
        printed.contains("brosiectau cymunedol yn Parc"),
        "{printed}"
    );
    assert!(printed.contains("in Hyde Park"), "{printed}");
}

async fn verification_of(app: &TestApp, officer: &str, round: &str) -> String {
    let data = app
        .ok(
            Some(officer),
            "query($r: ID!) { verifications(roundId: $r) { nodes { id } } }",
            json!({ "r": round }),
        )
        .await;
    data["verifications"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}
