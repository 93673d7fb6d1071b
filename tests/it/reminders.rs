//! Reminders people asked for: consent by the web, by an officer and by
//! text; each message sent once, at its time, by email (real SMTP) and text
//! (the local gateway), with two schedulers at work on one database; none
//! to someone who voted; stopped by link and by `STOP`; nothing left after
//! the round's verification data is purged.
use crate::fixtures;
use crate::helpers::{decoded, error_code, TestApp};
use crate::phone::text;
use crate::voting::{cast, choices, dump_table, election_in_review, Election};
use api::domain::Role;
use api::service::reminders;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

const SET: &str = "mutation($i: SetRemindersInput!) { setReminders(input: $i) { roundId channel contactHint language } }";
const MINE: &str = "{ myReminders { roundId channel contactHint language } }";
const STOP_LINK: &str =
    "mutation($s: ID!, $t: String!) { stopRemindersByLink(subscription: $s, token: $t) }";

/// A server whose own scheduler stays out of the way (its first tick runs
/// before anyone asks for reminders): the test runs the ticks, at the
/// times it chooses.
async fn spawn() -> TestApp {
    crate::phone::spawn_with(&[("FAIRSHARE_SCHEDULE_SECONDS", "3600")]).await
}

/// Two schedulers' ticks at once, as two instances would run them.
async fn tick_twice(app: &TestApp, now: DateTime<Utc>) {
    let (a, b) = tokio::join!(
        reminders::tick(&app.state, now, 100),
        reminders::tick(&app.state, now, 100)
    );
    a.unwrap();
    b.unwrap();
}

fn texts_to(app: &TestApp, number: &str) -> Vec<String> {
    app.sms
        .requests_to(number)
        .into_iter()
        .map(|r| r.form.get("Body").cloned().unwrap_or_default())
        .collect()
}

fn subjects_to(app: &TestApp, email: &str) -> Vec<String> {
    app.smtp
        .messages_to(email)
        .iter()
        .map(|m| decoded(m).0)
        .collect()
}

#[tokio::test]
async fn reminders_go_once_at_their_times_and_stop_when_asked() {
    let app = spawn().await;
    let closes = Utc::now() + Duration::days(10);
    let e: Election =
        election_in_review(&app, json!({ "kind": "APPROVAL" }), 3, Some(closes)).await;
    let (email, text_a, text_b) = (
        "reminders.ann@example.org",
        "+447700900301",
        "+447700900302",
    );

    // Consent: a resident by email, another by text in Welsh, and an
    // officer for a third, verified in person, by text.
    let by_email = app
        .ok(
            Some(&e.voters[0].token),
            SET,
            json!({ "i": { "roundId": e.round, "channel": "EMAIL", "contact": email } }),
        )
        .await;
    assert_eq!(by_email["setReminders"]["contactHint"], "r•••@example.org");
    app.ok(
        Some(&e.voters[1].token),
        SET,
        json!({ "i": { "roundId": e.round, "channel": "TEXT", "contact": "07700 900301", "language": "CY" } }),
    )
    .await;
    app.ok(
        Some(&e.officer),
        SET,
        json!({ "i": { "roundId": e.round, "verificationId": e.voters[2].verification, "channel": "TEXT", "contact": text_b } }),
    )
    .await;
    let mine = app.ok(Some(&e.voters[1].token), MINE, json!({})).await;
    assert_eq!(
        mine["myReminders"],
        json!([{ "roundId": e.round, "channel": "TEXT", "contactHint": "•••• ••• 301", "language": "CY" }])
    );
    // At rest, the address and numbers are sealed.
    let stored = serde_json::to_string(&dump_table(&app, "reminder_subscriptions").await).unwrap();
    for plain in [email, text_a, text_b, "7700900301", "7700900302"] {
        assert!(
            !stored.contains(plain),
            "{plain} is stored as it is: {stored}"
        );
    }

    // Nothing is due before voting opens.
    tick_twice(&app, Utc::now()).await;
    assert!(subjects_to(&app, email).is_empty());
    assert!(texts_to(&app, text_a).is_empty());

    // Voting opens: each is told once, in their language.
    fixtures::advance(&app, &e.officer, &e.round, "VOTING").await;
    tick_twice(&app, Utc::now()).await;
    tick_twice(&app, Utc::now()).await;
    assert_eq!(
        subjects_to(&app, email),
        vec!["Voting is open in Neighbourhood Fund"]
    );
    let opened = texts_to(&app, text_a);
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert!(
        opened[0].contains("mae pleidleisio ar agor yn Neighbourhood Fund"),
        "{opened:?}"
    );
    assert!(opened[0].contains("Atebwch STOP"), "{opened:?}");
    assert_eq!(texts_to(&app, text_b).len(), 1);

    // Ann votes. Two days before the close, the others are reminded, once;
    // Ann is not.
    let voted = cast(
        &app,
        &e.voters[0].token,
        &e.round,
        choices(&[&e.bids[0]]),
        "ann-votes",
    )
    .await;
    assert!(voted.get("errors").is_none(), "{voted}");
    let before_close = closes - Duration::hours(47);
    tick_twice(&app, before_close).await;
    tick_twice(&app, before_close + Duration::minutes(5)).await;
    assert_eq!(
        subjects_to(&app, email).len(),
        1,
        "no 'closing' to someone who voted"
    );
    let a = texts_to(&app, text_a);
    assert_eq!(a.len(), 2, "{a:?}");
    assert!(a[1].contains("nid ydych wedi pleidleisio eto"), "{a:?}");
    assert_eq!(texts_to(&app, text_b).len(), 2);
    // The queue says only that each message is done: not who was left out.
    let queue = dump_table(&app, "reminder_messages").await;
    assert_eq!(queue.len(), 6, "{queue:?}");
    assert!(queue.iter().all(|m| m["status"] == "done"), "{queue:?}");

    // The stop link in Ann's email; a link cut short is refused.
    let (_, body) = decoded(&app.smtp.messages_to(email)[0]);
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/reminders/stop?"))
        .expect("a link to stop")
        .trim_end_matches('.');
    let query = link.split_once('?').unwrap().1;
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .unwrap()
            .to_owned()
    };
    let (s, t) = (param("s"), param("t"));
    assert_eq!(
        app.refused(None, STOP_LINK, json!({ "s": s, "t": &t[..t.len() - 1] }))
            .await,
        "NOT_FOUND"
    );
    for _ in 0..2 {
        let stopped = app.ok(None, STOP_LINK, json!({ "s": s, "t": t })).await;
        assert_eq!(stopped["stopRemindersByLink"], true);
    }
    // STOP by text from the third person's number.
    let reply = text(&app, text_b, "STOP").await;
    assert!(
        reply[0].starts_with("You will get no more reminders by text"),
        "{reply:?}"
    );
    let reply = text(&app, text_b, "STOP").await;
    assert_eq!(reply, vec!["This number gets no reminders from us."]);

    // Counted and published: only the one still asking hears of it.
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    app.ok(
        Some(&councillor),
        crate::results::PUBLISH,
        json!({ "r": e.round }),
    )
    .await;
    tick_twice(&app, Utc::now()).await;
    tick_twice(&app, Utc::now()).await;
    let a = texts_to(&app, text_a);
    assert_eq!(a.len(), 3, "{a:?}");
    assert!(a[2].contains("canlyniadau Neighbourhood Fund"), "{a:?}");
    assert_eq!(subjects_to(&app, email).len(), 1);
    assert_eq!(texts_to(&app, text_b).len(), 2);

    // The owner sees their reminders in their data, in full.
    let data = app
        .ok(Some(&e.voters[1].token), "{ myData }", json!({}))
        .await;
    let data: Value = serde_json::from_str(data["myData"].as_str().unwrap()).unwrap();
    assert_eq!(data["reminders"][0]["to"], text_a, "{data:#}");

    // The round's verification data is purged: no reminder is left, in
    // the tables or in the database's files.
    let sealed: Vec<String> = dump_table(&app, "reminder_subscriptions")
        .await
        .iter()
        .map(|r| r["contact_sealed"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        sealed.len(),
        1,
        "only the texts to the second person are left"
    );
    let in_files = |needle: &str| in_database_files(&app, needle);
    // (The files are read as a copy of them would be: the sealed number is
    // there before the purge.)
    if app.database_path().is_some() {
        assert!(in_files(&sealed[0][..24]));
    }
    assert_eq!(purge_now(&app, &e.round).await, 1);
    assert!(dump_table(&app, "reminder_subscriptions").await.is_empty());
    assert!(dump_table(&app, "reminder_messages").await.is_empty());
    for needle in sealed
        .iter()
        .map(|s| &s[..24])
        .chain([text_a, "7700900301"])
    {
        assert!(!in_files(needle), "the database files still hold {needle}");
    }
}

/// Purges a published round's verification data now, as its retention
/// period had passed; how many rounds were purged.
async fn purge_now(app: &TestApp, round: &str) -> usize {
    api::service::verification::purge(
        &app.state.db,
        Some(round.parse().unwrap()),
        Duration::zero(),
        Utc::now() + Duration::seconds(1),
    )
    .await
    .unwrap()
    .len()
}

/// Whether the SQLite database's files (as a copy of them would be read)
/// hold `needle`; false on PostgreSQL, whose pages `secrecy` reads.
fn in_database_files(app: &TestApp, needle: &str) -> bool {
    let Some(path) = app.database_path() else {
        return false;
    };
    ["", "-wal"].iter().any(|suffix| {
        let bytes = std::fs::read(format!("{}{suffix}", path.display())).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

/// A failed send is tried again later, and sent once.
#[tokio::test]
async fn a_failed_reminder_is_tried_again_later() {
    let app = spawn().await;
    let e = election_in_review(&app, json!({ "kind": "APPROVAL" }), 1, None).await;
    let number = "+447700900311";
    app.ok(
        Some(&e.voters[0].token),
        SET,
        json!({ "i": { "roundId": e.round, "channel": "TEXT", "contact": number } }),
    )
    .await;
    fixtures::advance(&app, &e.officer, &e.round, "VOTING").await;
    app.sms.fail(true);
    let now = Utc::now();
    tick_twice(&app, now).await;
    let queue = dump_table(&app, "reminder_messages").await;
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["status"], "pending");
    assert_eq!(queue[0]["attempts"].to_string().trim_matches('"'), "1");
    // The gateway saw one attempt. Not again before the wait is over.
    assert_eq!(texts_to(&app, number).len(), 1);
    app.sms.fail(false);
    tick_twice(&app, now + Duration::seconds(30)).await;
    assert_eq!(texts_to(&app, number).len(), 1);
    tick_twice(&app, now + Duration::minutes(3)).await;
    tick_twice(&app, now + Duration::minutes(6)).await;
    assert_eq!(
        texts_to(&app, number).len(),
        2,
        "sent once, after one failure"
    );
    assert_eq!(
        dump_table(&app, "reminder_messages").await[0]["status"],
        "done"
    );
}

/// Reminders by text from a phone voter: `REMIND` with their code.
#[tokio::test]
async fn a_phone_voter_asks_for_reminders_by_text() {
    let app = spawn().await;
    let e = crate::voting::election(&app, json!({ "kind": "APPROVAL" }), 0).await;
    let codes = crate::phone::phone_voters(&app, &e, 1).await;
    let number = "+447700900321";
    let reply = text(&app, number, &format!("{} REMIND", codes[0])).await;
    assert!(
        reply[0]
            .starts_with("We will text you two days before voting in Neighbourhood Fund closes"),
        "{reply:?}"
    );
    let rows = dump_table(&app, "reminder_subscriptions").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["channel"], "sms");
    let reply = text(&app, number, "STOP").await;
    assert!(
        reply[0].starts_with("You will get no more reminders"),
        "{reply:?}"
    );
    assert!(dump_table(&app, "reminder_subscriptions").await.is_empty());
}

/// Refusals: not verified, a bad number or address, someone else's
/// verification, and after the close.
#[tokio::test]
async fn reminders_are_refused_with_reasons() {
    let app = spawn().await;
    let e = crate::voting::election(&app, json!({ "kind": "APPROVAL" }), 1).await;
    let stranger = app.sign_in("stranger@example.org").await;
    let set = |channel: &str, contact: &str| json!({ "i": { "roundId": e.round, "channel": channel, "contact": contact } });
    assert_eq!(
        app.refused(Some(&stranger), SET, set("EMAIL", "s@example.org"))
            .await,
        "NOT_VERIFIED"
    );
    for (channel, contact, says) in [
        ("TEXT", "0113 496 0000", "enter a UK mobile number"),
        ("EMAIL", "not an address", "email"),
    ] {
        let res = app
            .gql(Some(&e.voters[0].token), SET, set(channel, contact))
            .await;
        assert_eq!(error_code(&res), "INVALID_INPUT", "{res}");
        assert!(
            res["errors"][0]["message"].as_str().unwrap().contains(says),
            "{res}"
        );
    }
    let mut someone_else = set("TEXT", "07700 900331");
    someone_else["i"]["verificationId"] = json!(e.voters[0].verification);
    assert_eq!(
        app.refused(Some(&e.voters[0].token), SET, someone_else)
            .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(
        app.refused(None, SET, set("EMAIL", "a@example.org")).await,
        "UNAUTHENTICATED"
    );
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    assert_eq!(
        app.refused(Some(&e.voters[0].token), SET, set("EMAIL", "a@example.org"))
            .await,
        "PHASE_CLOSED"
    );
    assert!(dump_table(&app, "reminder_subscriptions").await.is_empty());
}

/// Reminders go with the verification they were asked for, and with the
/// account.
#[tokio::test]
async fn reminders_go_with_the_verification_and_the_account() {
    let app = spawn().await;
    let e = crate::voting::election(&app, json!({ "kind": "APPROVAL" }), 2).await;
    for (i, number) in ["07700 900341", "07700 900342"].iter().enumerate() {
        app.ok(
            Some(&e.voters[i].token),
            SET,
            json!({ "i": { "roundId": e.round, "channel": "TEXT", "contact": number } }),
        )
        .await;
    }
    assert_eq!(dump_table(&app, "reminder_subscriptions").await.len(), 2);
    app.ok(
        Some(&e.voters[0].token),
        "mutation($r: ID!) { deleteMyVerification(roundId: $r) }",
        json!({ "r": e.round }),
    )
    .await;
    assert_eq!(dump_table(&app, "reminder_subscriptions").await.len(), 1);
    app.ok(
        Some(&e.voters[1].token),
        "mutation { deleteMyAccount(confirm: true) }",
        json!({}),
    )
    .await;
    assert!(dump_table(&app, "reminder_subscriptions").await.is_empty());
}

/// A second instance sends through GOV.UK Notify (the local server, which
/// checks every token as Notify does); one with a wrong key is refused and
/// its message waits to be tried again.
#[tokio::test]
async fn reminders_go_through_gov_uk_notify() {
    use crate::helpers::NotifyServer;
    use api::config::{EmailSettings, SmsSettings};
    let app = spawn().await;
    let notify = NotifyServer::start().await;
    let (email_template, sms_template) = (
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::new_v4().to_string(),
    );
    let with_key = |key: String| {
        let mut settings = app.state.settings.clone();
        settings.email = EmailSettings::Notify {
            url: notify.base.clone(),
            key: key.clone().into(),
            template_id: email_template.clone(),
        };
        settings.sms = SmsSettings::Notify {
            url: notify.base.clone(),
            key: key.into(),
            template_id: sms_template.clone(),
        };
        settings
    };
    let e = election_in_review(&app, json!({ "kind": "APPROVAL" }), 2, None).await;
    app.ok(
        Some(&e.voters[0].token),
        SET,
        json!({ "i": { "roundId": e.round, "channel": "EMAIL", "contact": "notify.ann@example.org", "language": "CY" } }),
    )
    .await;
    app.ok(
        Some(&e.voters[1].token),
        SET,
        json!({ "i": { "roundId": e.round, "channel": "TEXT", "contact": "07700 900351" } }),
    )
    .await;
    fixtures::advance(&app, &e.officer, &e.round, "VOTING").await;

    // A wrong key: Notify refuses, and both messages wait.
    let wrong = format!(
        "fairshare-test-{}-{}",
        notify.service_id,
        uuid::Uuid::new_v4()
    );
    let wrong = api::startup::build_state(with_key(wrong)).await.unwrap();
    reminders::tick(&wrong, Utc::now(), 100).await.unwrap();
    assert_eq!(notify.refused(), 2);
    assert!(notify.accepted().is_empty());
    assert_eq!(reminders::waiting(&app.state.db).await.unwrap(), 2);

    // The right key, after the wait.
    let right = api::startup::build_state(with_key(notify.api_key()))
        .await
        .unwrap();
    reminders::tick(&right, Utc::now() + Duration::minutes(3), 100)
        .await
        .unwrap();
    let sent = notify.accepted();
    assert_eq!(sent.len(), 2, "{sent:?}");
    let email = sent
        .iter()
        .find(|r| r.path == "/v2/notifications/email")
        .unwrap();
    assert_eq!(email.body["email_address"], "notify.ann@example.org");
    assert_eq!(email.body["template_id"], email_template.as_str());
    assert_eq!(
        email.body["personalisation"]["subject"],
        "Mae pleidleisio ar agor yn Neighbourhood Fund"
    );
    let body = email.body["personalisation"]["body"].as_str().unwrap();
    assert!(body.contains("/reminders/stop?s="), "{body}");
    assert!(body.contains("&lang=cy"), "a Welsh stop page: {body}");
    let sms = sent
        .iter()
        .find(|r| r.path == "/v2/notifications/sms")
        .unwrap();
    assert_eq!(sms.body["phone_number"], "+447700900351");
    assert_eq!(sms.body["template_id"], sms_template.as_str());
    assert!(sms.body["personalisation"]["body"]
        .as_str()
        .unwrap()
        .contains("voting is open in Neighbourhood Fund"));
    // Nothing went by SMTP or the other gateway.
    assert_eq!(app.smtp.count_to("notify.ann@example.org"), 0);
    assert!(texts_to(&app, "+447700900351").is_empty());
    assert_eq!(reminders::waiting(&app.state.db).await.unwrap(), 0);
}

/// Letters by post, through GOV.UK Notify's letter template: asked for by an
/// officer for someone verified in person, in Welsh; "opens" at once, and
/// "closing" a week before the close (a letter takes days), while the
/// emails' "closing" still waits for two days before; an address without a
/// postcode is refused; a council without letters offers none.
#[tokio::test]
async fn reminders_by_post_go_through_gov_uk_notify_a_week_before_the_close() {
    use crate::helpers::NotifyServer;
    use api::config::LetterSettings;
    let app = spawn().await;
    let notify = NotifyServer::start().await;
    let template = uuid::Uuid::new_v4().to_string();
    let closes = Utc::now() + Duration::days(10);
    let e = election_in_review(&app, json!({ "kind": "APPROVAL" }), 2, Some(closes)).await;
    let channels = app.ok(None, "{ reminderChannels }", json!({})).await;
    assert_eq!(
        channels["reminderChannels"],
        json!(["EMAIL", "TEXT", "LETTER"])
    );

    let by_post = |contact: &str| json!({ "i": { "roundId": e.round, "verificationId": e.voters[0].verification, "channel": "LETTER", "contact": contact, "language": "CY" } });
    let res = app
        .gql(
            Some(&e.officer),
            SET,
            by_post("Gwen Demo\n12 Woodhouse Street"),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("is not a UK postcode"));
    let set = app
        .ok(
            Some(&e.officer),
            SET,
            by_post("Gwen Demo\n12 Woodhouse Street\nLeeds\nls6 1ab"),
        )
        .await;
    assert_eq!(set["setReminders"]["channel"], "LETTER");
    assert_eq!(set["setReminders"]["contactHint"], "LS6 1•• (post)");
    app.ok(
        Some(&e.voters[1].token),
        SET,
        json!({ "i": { "roundId": e.round, "channel": "EMAIL", "contact": "post.ben@example.org" } }),
    )
    .await;
    fixtures::advance(&app, &e.officer, &e.round, "VOTING").await;

    let mut settings = app.state.settings.clone();
    settings.letters = LetterSettings::Notify {
        url: notify.base.clone(),
        key: notify.api_key().into(),
        template_id: template.clone(),
        postage: "second".into(),
    };
    let posting = api::startup::build_state(settings.clone()).await.unwrap();
    reminders::tick(&posting, Utc::now(), 100).await.unwrap();
    let letters = notify.accepted();
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0].path, "/v2/notifications/letter");
    let p = &letters[0].body["personalisation"];
    assert_eq!(letters[0].body["template_id"], template.as_str());
    assert_eq!(p["address_line_1"], "Gwen Demo");
    assert_eq!(p["address_line_2"], "12 Woodhouse Street");
    assert_eq!(p["address_line_3"], "Leeds");
    assert_eq!(p["address_line_4"], "LS6 1AB");
    assert_eq!(
        p["subject"],
        "Mae pleidleisio ar agor yn Neighbourhood Fund"
    );
    assert!(p["body"].as_str().unwrap().contains("/reminders/stop?s="));
    assert_eq!(subjects_to(&app, "post.ben@example.org").len(), 1);

    // Six days before the close the letter goes; the email waits.
    reminders::tick(&posting, closes - Duration::days(6), 100)
        .await
        .unwrap();
    let letters = notify.accepted();
    assert_eq!(letters.len(), 2);
    assert!(letters[1].body["personalisation"]["subject"]
        .as_str()
        .unwrap()
        .starts_with("Mae pleidleisio yn Neighbourhood Fund yn cau ar"));
    assert_eq!(subjects_to(&app, "post.ben@example.org").len(), 1);
    reminders::tick(&posting, closes - Duration::hours(47), 100)
        .await
        .unwrap();
    let subjects = subjects_to(&app, "post.ben@example.org");
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects[1].starts_with("Voting in Neighbourhood Fund closes on"));
    assert_eq!(notify.accepted().len(), 2, "each letter once");

    // The results go by post too, once published.
    let data = app
        .ok(
            Some(&e.officer),
            "mutation($id: ID!) { advanceRound(id: $id, to: CLOSED) { phase } }",
            json!({ "id": e.round }),
        )
        .await;
    assert_eq!(data["advanceRound"]["phase"], "COUNTED");
    let councillor = app
        .signed_in_as("councillor@council.test", Role::Councillor)
        .await;
    app.ok(
        Some(&councillor),
        crate::results::PUBLISH,
        json!({ "r": e.round }),
    )
    .await;
    reminders::tick(&posting, Utc::now(), 100).await.unwrap();
    let letters = notify.accepted();
    assert_eq!(letters.len(), 3);
    assert_eq!(
        letters[2].body["personalisation"]["subject"],
        "Mae canlyniadau Neighbourhood Fund wedi’u cyhoeddi"
    );

    // At rest the address is sealed; the purge of the round's verification
    // data leaves nothing of it in the tables or the database's files.
    let rows = dump_table(&app, "reminder_subscriptions").await;
    let stored = serde_json::to_string(&rows).unwrap();
    for plain in ["Woodhouse Street", "Gwen Demo", "LS6 1AB"] {
        assert!(!stored.contains(plain), "{plain} is stored as it is");
    }
    let sealed: Vec<String> = rows
        .iter()
        .map(|r| r["contact_sealed"].as_str().unwrap()[..24].to_owned())
        .collect();
    assert_eq!(purge_now(&app, &e.round).await, 1);
    assert!(dump_table(&app, "reminder_subscriptions").await.is_empty());
    for needle in &sealed {
        assert!(
            !in_database_files(&app, needle),
            "the database files still hold {needle}"
        );
    }

    // Without letters, none is offered and none can be asked for.
    settings.letters = LetterSettings::Off;
    let without = api::startup::build_state(settings).await.unwrap();
    let officer = api::service::Actor {
        account_id: 1.into(),
        roles: vec![Role::Officer],
    };
    let refused = reminders::subscribe(
        &without,
        &officer,
        e.round.parse::<i64>().unwrap().into(),
        Some(e.voters[0].verification.parse::<i64>().unwrap().into()),
        reminders::Contact::Letter(
            api::domain::PostalAddress::parse("Gwen Demo\n12 Woodhouse Street\nLS6 1AB").unwrap(),
        ),
        api::domain::Language::En,
    )
    .await
    .unwrap_err();
    assert!(refused
        .to_string()
        .contains("does not send reminders by post"));
}
