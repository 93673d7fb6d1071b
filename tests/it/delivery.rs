//! After the vote: a delivery record for every funded bid at publication,
//! the group's update with a photo approved by an officer, the round's log
//! and the bundle after it, a correction that unfunds a bid, and every
//! write refused to those who may not make it.
use crate::fixtures;
use crate::helpers::{error_code, TestApp};
use crate::results::{download, untar, CORRECT, PUBLISH};
use crate::voting::{election, CAST};
use api::domain::Role;
use api::service::delivery::photo::samples;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const DELIVERY: &str = "query($r: ID!, $a: ID) { roundDelivery(roundId: $r, areaId: $a) { totals { funded delivered cancelled promisedPence spentPence } deliveries { id status statusReason awardPence spentPence overspendReason bid { id title } milestones { title targetDate doneDate } updates { id body state reason photos { id url altText width height sha256 } } } } }";
const FUNDED: &str =
    "query($r: ID!) { roundResult(roundId: $r) { pots { funded { bid { id } amountPence } } } }";
const POST: &str = "mutation($i: PostDeliveryUpdateInput!) { postDeliveryUpdate(input: $i) { id state photos { id url } } }";
const DECIDE: &str = "mutation($u: ID!, $a: Boolean!, $r: String) { decideDeliveryUpdate(updateId: $u, approve: $a, reason: $r) { id state reason } }";
const WAITING: &str =
    "query($r: ID!) { deliveryUpdatesWaiting(roundId: $r) { id body bid { id } } }";
const STATUS: &str = "mutation($d: ID!, $s: DeliveryStatus!, $r: String) { setDeliveryStatus(deliveryId: $d, status: $s, reason: $r) { status statusReason } }";
const SPENT: &str = "mutation($d: ID!, $p: Pence!, $r: String) { setDeliverySpending(deliveryId: $d, spentPence: $p, reason: $r) { spentPence overspendReason } }";
const MILESTONES: &str = "mutation($d: ID!, $m: [MilestoneInput!]!) { setDeliveryMilestones(deliveryId: $d, milestones: $m) { milestones { title targetDate doneDate } } }";
const LOG: &str = "query($r: ID!) { roundLog(roundId: $r) { seq kind details } }";
const BID_DELIVERY: &str =
    "query($b: ID!) { bid(id: $b) { delivery { status updates { body } } } }";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn has(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn deliveries(app: &TestApp, who: Option<&str>, round: &str) -> Value {
    app.ok(who, DELIVERY, json!({ "r": round })).await["roundDelivery"].clone()
}

fn record<'a>(list: &'a Value, bid: &str) -> &'a Value {
    list["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["bid"]["id"] == bid)
        .unwrap_or_else(|| panic!("no delivery for bid {bid}: {list}"))
}

#[tokio::test]
async fn a_funded_bid_is_tracked_from_publication_to_delivery() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 5).await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    let chair = app.sign_in("chair@friends.test").await;
    let resident = e.voters[0].token.clone();
    // Three voters for the benches and the bins, two for the bowls green.
    for (i, voter) in e.voters.iter().enumerate() {
        let picks: Vec<&String> = if i < 3 {
            vec![&e.bids[0], &e.bids[2]]
        } else {
            vec![&e.bids[3]]
        };
        let choices: Vec<Value> = picks.iter().map(|b| json!({ "bidId": b })).collect();
        app.ok(
            Some(&voter.token),
            CAST,
            json!({ "i": { "roundId": e.round, "choices": choices, "idempotencyKey": format!("delivery-{i}") } }),
        )
        .await;
    }
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    // Counted, not published: nothing to track, for anyone.
    assert_eq!(
        deliveries(&app, Some(&councillor), &e.round).await["deliveries"],
        json!([])
    );
    app.ok(Some(&councillor), PUBLISH, json!({ "r": e.round }))
        .await;

    // Publication made a record for every funded bid, planned, awarded
    // what the result funds.
    let funded: Vec<(String, i64)> = app.ok(None, FUNDED, json!({ "r": e.round })).await
        ["roundResult"]["pots"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["funded"].as_array().unwrap().clone())
        .map(|f| {
            (
                f["bid"]["id"].as_str().unwrap().to_owned(),
                f["amountPence"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(funded.iter().any(|(b, _)| *b == e.bids[3]));
    let list = deliveries(&app, None, &e.round).await;
    let ids: BTreeSet<String> = list["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["bid"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, funded.iter().map(|(b, _)| b.clone()).collect());
    for (bid, amount) in &funded {
        let d = record(&list, bid);
        assert_eq!(d["status"], "PLANNED");
        assert_eq!(d["awardPence"], *amount);
        assert_eq!(d["spentPence"], 0);
    }
    assert_eq!(
        list["totals"]["promisedPence"],
        funded.iter().map(|(_, a)| a).sum::<i64>()
    );
    let benches = record(&list, &e.bids[0])["id"].as_str().unwrap().to_owned();
    let bowls = record(&list, &e.bids[3])["id"].as_str().unwrap().to_owned();

    // Another group's member, a resident, an officer and someone signed
    // out cannot post for the group.
    let rival = app.sign_in("rival@elsewhere.test").await;
    let hyde_park = app
        .ok(
            None,
            "{ areas(first: 100) { nodes { id name } } }",
            json!({}),
        )
        .await["areas"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Hyde Park")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fixtures::group(&app, &rival, "Rival Gardeners", &hyde_park).await;
    let text = "The benches arrived on Monday and the first two are in.";
    let photo = samples::with_location(&samples::jpeg(2400, 1200));
    let post = |photos: Vec<Value>| json!({ "i": { "deliveryId": benches, "body": text, "photos": photos } });
    let one =
        vec![json!({ "contentBase64": b64(&photo), "altText": "Two new benches by the path" })];
    for (who, code) in [
        (Some(rival.as_str()), "NOT_AUTHORISED"),
        (Some(resident.as_str()), "NOT_AUTHORISED"),
        (Some(e.officer.as_str()), "NOT_AUTHORISED"),
        (None, "UNAUTHENTICATED"),
    ] {
        let res = app.gql(who, POST, post(Vec::new())).await;
        assert_eq!(error_code(&res), code, "{res}");
    }
    // Someone in no group is not read past 64 KiB: a photo does not get in.
    let res = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&resident)
        .json(&json!({ "query": POST, "variables": post(one.clone()) }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
    // A file that is not an image, one over 5 MB, and a photo without alt
    // text: each refused in words, and nothing stored.
    let mut big = samples::jpeg(64, 64);
    big.resize(5 * 1024 * 1024 + 1, 0);
    for (photos, says) in [
        (
            vec![
                json!({ "contentBase64": b64(b"%PDF-1.7 minutes of the meeting"), "altText": "The minutes" }),
            ],
            "photo 1: the file is not a JPEG, PNG or WebP image",
        ),
        (
            vec![
                one[0].clone(),
                json!({ "contentBase64": b64(&big), "altText": "A large photo" }),
            ],
            "photo 2: the file is 5.0 MB: a photo can be at most 5 MB",
        ),
        (
            vec![json!({ "contentBase64": b64(&photo), "altText": "" })],
            "what photo 1 shows",
        ),
        (vec![one[0].clone(); 5], "at most 4 photos"),
    ] {
        let res = app.gql(Some(&chair), POST, post(photos)).await;
        assert_eq!(error_code(&res), "INVALID_INPUT", "{res}");
        assert_eq!(res["errors"][0]["extensions"]["field"], "photos");
        let message = res["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
    let seen = deliveries(&app, Some(&chair), &e.round).await;
    assert_eq!(
        record(&seen, &e.bids[0])["updates"],
        json!([]),
        "nothing stored"
    );

    // The group posts; it waits for an officer, unseen by the public.
    let posted = app.ok(Some(&chair), POST, post(one.clone())).await["postDeliveryUpdate"].clone();
    assert_eq!(posted["state"], "PENDING");
    let update = posted["id"].as_str().unwrap().to_owned();
    let photo_url = posted["photos"][0]["url"].as_str().unwrap().to_owned();
    assert_eq!(
        record(&deliveries(&app, None, &e.round).await, &e.bids[0])["updates"],
        json!([])
    );
    let (status, _) = download(&app, &photo_url, None).await;
    assert_eq!(status, 404, "a waiting photo is not public");
    let res = app
        .client
        .get(format!("{}{photo_url}", app.base))
        .bearer_auth(&chair)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "the group sees its own photo");
    assert_eq!(res.headers()["cache-control"], "private, no-store");

    // Only officers decide.
    let waiting = app
        .ok(Some(&e.officer), WAITING, json!({ "r": e.round }))
        .await;
    assert_eq!(waiting["deliveryUpdatesWaiting"][0]["id"], update.as_str());
    for who in [Some(chair.as_str()), Some(resident.as_str()), None] {
        let res = app
            .gql(who, DECIDE, json!({ "u": update, "a": true }))
            .await;
        assert!(
            ["NOT_AUTHORISED", "UNAUTHENTICATED"].contains(&error_code(&res).as_str()),
            "{res}"
        );
    }
    let log_before = app.ok(None, LOG, json!({ "r": e.round })).await["roundLog"]
        .as_array()
        .unwrap()
        .len();
    let approved = app
        .ok(Some(&e.officer), DECIDE, json!({ "u": update, "a": true }))
        .await;
    assert_eq!(approved["decideDeliveryUpdate"]["state"], "APPROVED");
    assert_eq!(
        app.refused(
            Some(&e.officer),
            DECIDE,
            json!({ "u": update, "a": false, "r": "Twice" })
        )
        .await,
        "INVALID_TRANSITION",
        "decided once"
    );

    // Public now: the text, and the photo without its location.
    let public = deliveries(&app, None, &e.round).await;
    let shown = &record(&public, &e.bids[0])["updates"][0];
    assert_eq!(shown["body"], text);
    assert_eq!(shown["photos"][0]["altText"], "Two new benches by the path");
    assert_eq!(shown["photos"][0]["width"], 1600);
    let res = app
        .client
        .get(format!("{}{photo_url}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let served = res.bytes().await.unwrap();
    assert!(has(&photo, b"Exif") && has(&photo, &2345u32.to_le_bytes()));
    assert!(!has(&served, b"Exif"), "the EXIF block is gone");
    assert!(!has(&served, b"FairsharePhone"), "so is the camera");
    assert!(!has(&served, &2345u32.to_le_bytes()), "and the position");
    assert_eq!(
        shown["photos"][0]["sha256"],
        tally::canonical::sha256_hex(&served)
    );
    // The bid's own page shows it; the group was emailed.
    let on_bid = app.ok(None, BID_DELIVERY, json!({ "b": e.bids[0] })).await;
    assert_eq!(on_bid["bid"]["delivery"]["updates"][0]["body"], text);
    let mail = app
        .smtp
        .wait_for_subject("hello@friends.test", "is public")
        .await;
    assert!(mail.contains(&format!("/bids/{}", e.bids[0])), "{mail}");

    // The log grew with the update's hashes.
    let log = app.ok(None, LOG, json!({ "r": e.round })).await["roundLog"].clone();
    let entry = log.as_array().unwrap().last().unwrap();
    assert_eq!(log.as_array().unwrap().len(), log_before + 1);
    assert_eq!(entry["kind"], "delivery_update");
    let details: Value = match &entry["details"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        v => v.clone(),
    };
    assert_eq!(
        details["text_sha256"],
        tally::canonical::sha256_hex(text.as_bytes())
    );
    assert_eq!(
        details["photos_sha256"],
        json!([tally::canonical::sha256_hex(&served)])
    );

    // Officers alone change status, spending and milestones; spending past
    // the award needs a reason, and so do delayed and cancelled.
    for who in [
        Some(chair.as_str()),
        Some(resident.as_str()),
        Some(councillor.as_str()),
        None,
    ] {
        let res = app
            .gql(who, STATUS, json!({ "d": benches, "s": "DELIVERED" }))
            .await;
        assert!(
            ["NOT_AUTHORISED", "UNAUTHENTICATED"].contains(&error_code(&res).as_str()),
            "{res}"
        );
    }
    assert_eq!(
        app.refused(
            Some(&e.officer),
            STATUS,
            json!({ "d": benches, "s": "DELAYED" })
        )
        .await,
        "INVALID_INPUT"
    );
    app.ok(
        Some(&e.officer),
        STATUS,
        json!({ "d": benches, "s": "IN_PROGRESS" }),
    )
    .await;
    let award = record(&public, &e.bids[0])["awardPence"].as_i64().unwrap();
    let res = app
        .gql(
            Some(&e.officer),
            SPENT,
            json!({ "d": benches, "p": award + 1 }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("more than the £"));
    app.ok(
        Some(&e.officer),
        SPENT,
        json!({ "d": benches, "p": award + 5_000, "r": "Concrete footings the survey missed" }),
    )
    .await;
    let m = app
        .ok(
            Some(&e.officer),
            MILESTONES,
            json!({ "d": benches, "m": [
                { "title": "Benches ordered", "targetDate": "2027-02-01", "doneDate": "2027-01-28" },
                { "title": "Benches installed", "targetDate": "2027-04-01" },
            ] }),
        )
        .await;
    assert_eq!(
        m["setDeliveryMilestones"]["milestones"][0],
        json!({ "title": "Benches ordered", "targetDate": "2027-02-01", "doneDate": "2027-01-28" })
    );
    app.ok(
        Some(&e.officer),
        STATUS,
        json!({ "d": benches, "s": "DELIVERED" }),
    )
    .await;
    let now = deliveries(&app, None, &e.round).await;
    assert_eq!(record(&now, &e.bids[0])["status"], "DELIVERED");
    assert_eq!(record(&now, &e.bids[0])["spentPence"], award + 5_000);
    assert_eq!(now["totals"]["delivered"], 1);

    // The version's bundle is as published, and still verifies; the latest
    // bundle carries the log as it stands, and verifies too.
    let (status, v1) = download(
        &app,
        &format!("/rounds/{}/results/v1/bundle.tar", e.round),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let v1 = untar(&v1);
    let v1_log = String::from_utf8(v1["audit.jsonl"].clone()).unwrap();
    assert!(
        !v1_log.contains("delivery_"),
        "a version's bundle never changes"
    );
    tally::bundle::verify(&|n: &str| v1.get(n).cloned()).expect("v1 verifies");
    let res = app
        .client
        .get(format!(
            "{}/rounds/{}/results/latest/bundle.tar",
            app.base, e.round
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=60");
    let latest = untar(&res.bytes().await.unwrap());
    let latest_log = String::from_utf8(latest["audit.jsonl"].clone()).unwrap();
    for kind in [
        "delivery_update",
        "delivery_status",
        "delivery_spent",
        "delivery_milestones",
    ] {
        assert!(latest_log.contains(kind), "{kind} in the latest log");
    }
    let checked = tally::bundle::verify(&|n: &str| latest.get(n).cloned())
        .expect("a bundle whose log grew after publication verifies");
    assert!(checked.audit_entries > v1_log.lines().count());
    // An update quietly edited in the log is found out.
    let forged_log = latest_log.replacen("delivery_spent", "delivery_spend", 1);
    let mut forged = latest.clone();
    forged.insert("audit.jsonl".into(), forged_log.into_bytes());
    assert!(tally::bundle::verify(&|n: &str| forged.get(n).cloned()).is_err());

    // The person who posted finds it in their data.
    let data = app.ok(Some(&chair), "{ myData }", json!({})).await;
    let mine: Value = serde_json::from_str(data["myData"].as_str().unwrap()).unwrap();
    assert_eq!(mine["deliveryUpdates"][0]["text"], text);

    // A correction that unfunds the bowls green cancels its record, with
    // the correction's reason.
    let why = "The bowls club has folded and the green is being sold.";
    app.ok(
        Some(&councillor),
        CORRECT,
        json!({ "r": e.round, "why": why, "x": [e.bids[3]] }),
    )
    .await;
    let after = deliveries(&app, None, &e.round).await;
    let cancelled = after["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == bowls.as_str())
        .unwrap();
    assert_eq!(cancelled["status"], "CANCELLED");
    assert_eq!(cancelled["statusReason"], why);
    assert_eq!(after["totals"]["cancelled"], 1);
    let res = app
        .gql(
            Some(&chair),
            POST,
            json!({ "i": { "deliveryId": bowls, "body": "Still hoping." } }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_TRANSITION", "{res}");
}

/// Subscribers of a round are told when a funded bid is delivered, and once
/// a month of the updates approved that month, by email and text, in their
/// language, each message once though two schedulers tick at once.
#[tokio::test]
async fn subscribers_hear_when_a_bid_is_delivered_and_each_month_of_the_news() {
    use api::service::reminders;
    use chrono::{Duration, Utc};
    let app = crate::phone::spawn_with(&[("FAIRSHARE_SCHEDULE_SECONDS", "3600")]).await;
    let e = crate::voting::election_in_review(&app, json!({ "kind": "APPROVAL" }), 2, None).await;
    let (email, number) = ("news.ann@example.org", "+447700900311");
    const SET: &str = "mutation($i: SetRemindersInput!) { setReminders(input: $i) { channel } }";
    app.ok(
        Some(&e.voters[0].token),
        SET,
        json!({ "i": { "roundId": e.round, "channel": "EMAIL", "contact": email } }),
    )
    .await;
    app.ok(
        Some(&e.voters[1].token),
        SET,
        json!({ "i": { "roundId": e.round, "channel": "TEXT", "contact": number, "language": "CY" } }),
    )
    .await;
    fixtures::advance(&app, &e.officer, &e.round, "VOTING").await;
    for (i, voter) in e.voters.iter().enumerate() {
        app.ok(
            Some(&voter.token),
            CAST,
            json!({ "i": { "roundId": e.round, "choices": [{ "bidId": e.bids[0] }], "idempotencyKey": format!("delivery-news-{i}") } }),
        )
        .await;
    }
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    app.ok(Some(&councillor), PUBLISH, json!({ "r": e.round }))
        .await;
    let tick = |now| {
        let app = &app;
        async move {
            let (a, b) = tokio::join!(
                reminders::tick(&app.state, now, 100),
                reminders::tick(&app.state, now, 100)
            );
            a.unwrap();
            b.unwrap();
        }
    };
    tick(Utc::now()).await;
    let subjects = |app: &TestApp| -> Vec<String> {
        app.smtp
            .messages_to(email)
            .iter()
            .map(|m| crate::helpers::decoded(m).0)
            .collect()
    };
    let texts = |app: &TestApp| -> Vec<String> {
        app.sms
            .requests_to(number)
            .into_iter()
            .map(|r| r.form.get("Body").cloned().unwrap_or_default())
            .collect()
    };
    assert_eq!(subjects(&app).len(), 1, "the results: {:?}", subjects(&app));

    // The group's update is approved; the benches are delivered.
    let chair = app.sign_in("chair@friends.test").await;
    let list = deliveries(&app, None, &e.round).await;
    let benches = record(&list, &e.bids[0])["id"].as_str().unwrap().to_owned();
    let text = "All four benches are in, and the first picnic was on Sunday.";
    let posted = app
        .ok(
            Some(&chair),
            POST,
            json!({ "i": { "deliveryId": benches, "body": text } }),
        )
        .await;
    let update = posted["postDeliveryUpdate"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(Some(&e.officer), DECIDE, json!({ "u": update, "a": true }))
        .await;
    // Nothing is said of an update until its month is over.
    tick(Utc::now()).await;
    assert_eq!(subjects(&app).len(), 1);
    app.ok(
        Some(&e.officer),
        STATUS,
        json!({ "d": benches, "s": "DELIVERED" }),
    )
    .await;
    tick(Utc::now()).await;
    tick(Utc::now()).await;
    assert_eq!(
        subjects(&app)[1..],
        ["Benches on the Moor is finished".to_owned()]
    );
    let said = texts(&app);
    let delivered: Vec<&String> = said.iter().filter(|t| t.contains("orffen")).collect();
    assert_eq!(delivered.len(), 1, "{said:?}");
    assert!(delivered[0].contains("Benches on the Moor"), "{said:?}");

    // Early next month, the month's news: once.
    let (year, month) = api::words::dates::last_month(Utc::now() + Duration::days(31));
    let next = api::words::dates::month_span(year, month).unwrap().1;
    let (this_year, this_month) = api::words::dates::last_month(next + Duration::hours(12));
    tick(next + Duration::hours(12)).await;
    tick(next + Duration::hours(12)).await;
    let named = api::words::dates::month(api::domain::Language::En, this_year, this_month);
    let digests: Vec<String> = app
        .smtp
        .messages_to(email)
        .iter()
        .map(|m| crate::helpers::decoded(m))
        .filter(|(s, _)| s.contains("What happened to the money"))
        .map(|(s, b)| format!("{s}\n{b}"))
        .collect();
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert!(digests[0].contains(&named), "{}", digests[0]);
    assert!(
        digests[0].contains(&format!("Benches on the Moor: {text}")),
        "{}",
        digests[0]
    );
    assert!(digests[0].contains(&format!("/rounds/{}/delivery", e.round)));
    let said = texts(&app);
    let welsh: Vec<&String> = said
        .iter()
        .filter(|t| t.contains("1 diweddariad newydd"))
        .collect();
    assert_eq!(welsh.len(), 1, "{said:?}");
}
