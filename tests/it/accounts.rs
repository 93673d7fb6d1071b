//! Your account: the language we write to you in, the data we hold about
//! you, and deleting it.
use crate::fixtures;
use crate::helpers::{decoded, error_code, TestApp};
use api::domain::Role;
use serde_json::{json, Value};

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
        subject.starts_with("Eich cod mewngofnodi Cronfa Cymdogaethau"),
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
        subject.starts_with("Your Neighbourhood Fund sign-in code"),
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

const DELETE: &str = "mutation($c: Boolean!) { deleteMyAccount(confirm: $c) }";

#[tokio::test]
async fn deleting_an_account_removes_the_person_and_keeps_what_others_rely_on() {
    use api::store::{
        account_roles, accounts, audit_events, bids, group_members, groups, sessions,
        verified_participants,
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let r = fixtures::open_round(&app).await;
    let me = app.ok(Some(&r.member), ME, json!({})).await;
    let id: i64 = me["me"]["id"].as_str().unwrap().parse().unwrap();
    let bid = fixtures::bid(
        &app, &r.member, &r.round, &r.group, &r.area, "Benches", 100_000,
    )
    .await;
    app.ok(
        Some(&r.member),
        &fixtures::declare_query(),
        json!({ "r": r.round, "p": fixtures::person("Ann Smith", "1980-02-03", "LS6 1AB") }),
    )
    .await;

    // No confirmation, nothing happens.
    let res = app
        .gql(Some(&r.member), DELETE, json!({ "c": false }))
        .await;
    assert_eq!(crate::helpers::error_code(&res), "INVALID_INPUT");

    // The only member of a group must hand it over first.
    let res = app.gql(Some(&r.member), DELETE, json!({ "c": true })).await;
    assert_eq!(crate::helpers::error_code(&res), "LAST_MEMBER");
    let message = res["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("Friends of the Moor"), "{message}");
    assert!(app.ok(Some(&r.member), ME, json!({})).await["me"].is_object());

    let other = app.sign_in("second@friends.test").await;
    fixtures::join_group(&app, &r.member, &r.group, "second@friends.test", &other).await;
    let data = app.ok(Some(&r.member), DELETE, json!({ "c": true })).await;
    assert_eq!(data["deleteMyAccount"], true);

    // The session is gone; the account is an empty shell.
    assert!(app.ok(Some(&r.member), ME, json!({})).await["me"].is_null());
    let shell = accounts::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(shell.deleted_at.is_some());
    assert!(shell.email_hmac.starts_with("deleted:"));
    assert!(shell.display_name.is_none() && shell.last_sign_in_at.is_none());
    let left = |n: usize, what: &str| assert_eq!(n, 0, "{what} left for the deleted account");
    left(
        sessions::Entity::find()
            .filter(sessions::Column::AccountId.eq(id))
            .all(db)
            .await
            .unwrap()
            .len(),
        "sessions",
    );
    left(
        group_members::Entity::find()
            .filter(group_members::Column::AccountId.eq(id))
            .all(db)
            .await
            .unwrap()
            .len(),
        "memberships",
    );
    left(
        account_roles::Entity::find()
            .filter(account_roles::Column::AccountId.eq(id))
            .all(db)
            .await
            .unwrap()
            .len(),
        "roles",
    );
    left(
        verified_participants::Entity::find()
            .filter(verified_participants::Column::AccountId.eq(id))
            .all(db)
            .await
            .unwrap()
            .len(),
        "verification records",
    );
    left(
        audit_events::Entity::find()
            .filter(audit_events::Column::ActorAccountId.eq(id))
            .all(db)
            .await
            .unwrap()
            .len(),
        "audit entries by the person",
    );
    let about: Vec<String> = audit_events::Entity::find()
        .filter(audit_events::Column::SubjectType.eq("account"))
        .filter(audit_events::Column::SubjectId.eq(id.to_string()))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(about, ["account_deleted"], "sign-ins and the like go");
    // What others rely on stays: the group, its bid, the anonymous
    // verification record (it stops the same person being verified twice),
    // the audit entry of the bid without its author.
    assert!(groups::Entity::find_by_id(r.group.parse::<i64>().unwrap())
        .one(db)
        .await
        .unwrap()
        .is_some());
    assert!(bids::Entity::find_by_id(bid.parse::<i64>().unwrap())
        .one(db)
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        verified_participants::Entity::find()
            .filter(verified_participants::Column::AccountId.is_null())
            .all(db)
            .await
            .unwrap()
            .len(),
        1
    );
    let submitted = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("bid_submitted"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(submitted.actor_account_id, None);

    // Signing in with the same address later makes a new, empty account.
    let again = app.sign_in("chair@friends.test").await;
    let fresh = app
        .ok(Some(&again), "{ me { id groups { id } } }", json!({}))
        .await;
    assert_ne!(fresh["me"]["id"], me["me"]["id"]);
    assert_eq!(fresh["me"]["groups"], json!([]));
    // Deleting twice is not possible: the old session is gone.
    let res = app.gql(Some(&r.member), DELETE, json!({ "c": true })).await;
    assert_eq!(crate::helpers::error_code(&res), "UNAUTHENTICATED");
}

#[tokio::test]
async fn the_last_admin_cannot_delete_their_account() {
    let app = TestApp::spawn().await;
    let admin = app
        .signed_in_as("admin@council.test", api::domain::Role::Admin)
        .await;
    let res = app.gql(Some(&admin), DELETE, json!({ "c": true })).await;
    assert_eq!(crate::helpers::error_code(&res), "LAST_ADMIN");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("make someone else an admin"));

    let first_id = app.ok(Some(&admin), "{ me { id } }", json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The first admin makes the second, through the API.
    app.ok(
        Some(&admin),
        "mutation { grantRole(email: \"admin2@council.test\", role: ADMIN) { id } }",
        json!({}),
    )
    .await;
    let second = app.sign_in("admin2@council.test").await;
    assert_eq!(
        app.ok(Some(&admin), DELETE, json!({ "c": true })).await["deleteMyAccount"],
        true
    );
    // Now the other is the last.
    let res = app.gql(Some(&second), DELETE, json!({ "c": true })).await;
    assert_eq!(crate::helpers::error_code(&res), "LAST_ADMIN");

    // Staff who leave keep their name on what they did: the grant still
    // names the first admin (now an emptied account).
    use api::store::audit_events;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let granted = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("role_granted"))
        .filter(audit_events::Column::ActorAccountId.is_not_null())
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(granted.len(), 1, "{granted:?}");
    assert_eq!(
        granted[0].actor_account_id.map(|i| i.to_string()),
        Some(first_id)
    );
}

#[tokio::test]
async fn your_data_holds_everything_about_you_and_nothing_secret() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    fixtures::bid(
        &app, &r.member, &r.round, &r.group, &r.area, "Benches", 100_000,
    )
    .await;
    app.ok(
        Some(&r.member),
        &fixtures::declare_query(),
        json!({ "r": r.round, "p": fixtures::person("Ann Smith", "1980-02-03", "LS6 1AB") }),
    )
    .await;
    app.ok(Some(&r.member), SET_LANGUAGE, json!({ "l": "CY" }))
        .await;

    let data = app.ok(Some(&r.member), "{ myData }", json!({})).await;
    let text = data["myData"].as_str().expect("a JSON document");
    assert!(text.contains('\n'), "pretty-printed to be read");
    let mine: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(mine["account"]["language"], "cy");
    assert_eq!(mine["groups"][0]["group"]["name"], "Friends of the Moor");
    assert_eq!(mine["bidsYouWrote"][0]["title"], "Benches");
    assert_eq!(mine["bidsYouWrote"][0]["round"]["id"], r.round.as_str());
    let v = &mine["verification"][0];
    assert_eq!(v["round"]["id"], r.round.as_str());
    assert_eq!(v["area"], "Hyde Park");
    assert_eq!(v["methods"], json!(["postcode"]));
    assert_eq!(mine["voting"][0]["voted"], false);
    let actions: Vec<&str> = mine["auditEntries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "account_created",
        "signed_in",
        "group_registered",
        "bid_submitted",
        "language_changed",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    assert!(mine["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["live"] == true));

    // No hash of anything, no name, date of birth or postcode.
    use api::store::{accounts, verified_participants};
    use sea_orm::EntityTrait;
    let account = accounts::Entity::find().all(&app.state.db).await.unwrap();
    let record = verified_participants::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut secrets: Vec<String> = account.into_iter().map(|a| a.email_hmac).collect();
    secrets.push(record.identity_hmac);
    secrets.extend(record.residence_hmac);
    for s in secrets.iter().map(String::as_str).chain([
        "Ann Smith",
        "1980-02-03",
        "LS6 1AB",
        "chair@friends.test",
    ]) {
        assert!(!text.contains(s), "{s} is in the download");
    }

    // Only for the signed-in person.
    let res = app.gql(None, "{ myData }", json!({})).await;
    assert_eq!(crate::helpers::error_code(&res), "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_account_that_never_chose_takes_the_language_it_signs_in_from_once() {
    let app = TestApp::spawn().await;
    // Made by an admin, not by its owner: no language chosen yet.
    let email = api::service::parse_email("sian@example.org").unwrap();
    api::service::accounts::ensure(&app.state.db, &app.state.secret, &email)
        .await
        .unwrap();
    const SIGN_IN: &str = "mutation($e: String!, $c: String!, $l: Language) { signIn(email: $e, code: $c, language: $l) { account { language } } }";
    let sign_in_from = |lang: &'static str, n: usize| {
        let app = &app;
        async move {
            app.gql(
                None,
                "mutation($e: String!, $l: Language) { requestSignInCode(email: $e, language: $l) { sent } }",
                json!({ "e": "sian@example.org", "l": lang }),
            )
            .await;
            let code = app.smtp.wait_for_code("sian@example.org", n).await;
            app.ok(
                None,
                SIGN_IN,
                json!({ "e": "sian@example.org", "c": code, "l": lang }),
            )
            .await["signIn"]["account"]["language"]
                .clone()
        }
    };
    // The first code follows the page; signing in from a Welsh page makes
    // the account Welsh.
    assert_eq!(sign_in_from("CY", 1).await, "CY");
    // From then on the account's choice wins over the page's.
    assert_eq!(sign_in_from("EN", 2).await, "CY");
    let (_, body) = last_to(&app, "sian@example.org");
    assert!(body.contains("Eich cod i fewngofnodi"), "{body}");
}

/// After a resident deletes their account, the officer's record of
/// checking them in person still says what was done, but no longer names
/// the account.
#[tokio::test]
async fn a_check_in_person_no_longer_names_a_deleted_account() {
    use crate::fixtures::{eligibility, in_person_query, person, verification_round};
    use serde_json::Value;
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({}))).await;
    let input = json!({
        "person": person("Ffion Hughes", "1979-07-07", "LS6 1AB"),
        "evidence": "PHOTO_ID",
        "email": "ffion@example.org",
    });
    let v = app
        .ok(
            Some(&r.officer),
            &in_person_query(),
            json!({ "r": r.round, "i": input }),
        )
        .await;
    let account = v["recordInPersonVerification"]["accountId"].clone();
    assert!(!account.is_null());
    let checked = |rows: &[std::collections::BTreeMap<String, Value>]| -> Value {
        let row = rows
            .iter()
            .find(|r| r["action"] == "verified_in_person")
            .expect("the check is audited");
        serde_json::from_str(row["details"].as_str().unwrap()).unwrap()
    };
    let before = checked(&crate::voting::dump_table(&app, "audit_events").await);
    assert_eq!(before["account"].to_string(), account.as_str().unwrap());
    let ffion = app.sign_in("ffion@example.org").await;
    app.ok(Some(&ffion), DELETE, json!({ "c": true })).await;
    let after = checked(&crate::voting::dump_table(&app, "audit_events").await);
    assert!(after["account"].is_null(), "{after}");
    assert_eq!(after["evidence"], before["evidence"], "what was done stays");
}

const HOLDERS: &str = "{ roleHolders(first: 50) { nodes { id displayName roles hasSignedIn } } }";
const GRANT_ROLE: &str =
    "mutation($e: String!, $r: Role!) { grantRole(email: $e, role: $r) { id roles hasSignedIn } }";
const REVOKE_ROLE: &str =
    "mutation($a: ID!, $r: Role!) { revokeRole(accountId: $a, role: $r) { id roles } }";
const SET_NAME: &str = "mutation($n: String!) { setDisplayName(name: $n) { displayName } }";

/// Admins see who holds roles and take them away; a role granted to an
/// address nobody has signed in with says so (it may be mistyped); people
/// name themselves, and the list shows the names.
#[tokio::test]
async fn admins_list_role_holders_and_people_name_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in_as("admin@council.test", Role::Admin).await;
    let officer = app.officer().await;
    app.ok(Some(&officer), SET_NAME, json!({ "n": "  Olu Officer " }))
        .await;
    // A mistyped address: the account exists, but nobody has used it.
    let typo = app
        .ok(
            Some(&admin),
            GRANT_ROLE,
            json!({ "e": "offcer@council.test", "r": "OFFICER" }),
        )
        .await;
    assert_eq!(typo["grantRole"]["hasSignedIn"], false);
    let holders = app.ok(Some(&admin), HOLDERS, json!({})).await;
    let nodes = holders["roleHolders"]["nodes"].as_array().unwrap().clone();
    assert_eq!(nodes.len(), 3, "{nodes:#?}");
    assert!(nodes.iter().any(|n| n["displayName"] == "Olu Officer"
        && n["roles"] == json!(["OFFICER"])
        && n["hasSignedIn"] == true));
    // Taken away again: no longer listed.
    app.ok(
        Some(&admin),
        REVOKE_ROLE,
        json!({ "a": typo["grantRole"]["id"], "r": "OFFICER" }),
    )
    .await;
    let holders = app.ok(Some(&admin), HOLDERS, json!({})).await;
    assert_eq!(holders["roleHolders"]["nodes"].as_array().unwrap().len(), 2);
    // Only admins see the list.
    let res = app.gql(Some(&officer), HOLDERS, json!({})).await;
    assert_eq!(error_code(&res), "NOT_AUTHORISED");
    // A name too long is refused; an empty one clears it.
    let res = app
        .gql(Some(&officer), SET_NAME, json!({ "n": "x".repeat(61) }))
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    let cleared = app.ok(Some(&officer), SET_NAME, json!({ "n": " " })).await;
    assert_eq!(cleared["setDisplayName"]["displayName"], Value::Null);
}

/// Email speaks for the council's service, by its name and with its help
/// line, never for the software; an invitation carries the link to answer
/// it.
#[tokio::test]
async fn email_comes_from_the_councils_service_and_invitations_carry_a_link() {
    let app = TestApp::spawn_with(&[
        ("FAIRSHARE_SERVICE_NAME", "Ward Fund"),
        ("FAIRSHARE_COUNCIL_NAME", "Kirklees Council"),
        ("FAIRSHARE_HELP_LINE", "01484 221000"),
        ("FAIRSHARE_PUBLIC_URL", "https://fund.kirklees.example"),
    ])
    .await;
    let chair = app.sign_in("chair@friends.test").await;
    let (subject, body) = last_to(&app, "chair@friends.test");
    assert!(
        subject.starts_with("Your Ward Fund sign-in code: "),
        "{subject}"
    );
    assert!(body.contains("to sign in to Ward Fund is"), "{body}");
    assert!(
        body.contains("Ward Fund, Kirklees Council\nHelp: 01484 221000"),
        "{body}"
    );

    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let group = fixtures::group(&app, &chair, "Friends of the Moor", &area).await;
    app.ok(
        Some(&chair),
        fixtures::INVITE,
        json!({ "g": group, "e": "new.member@friends.test" }),
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.smtp.count_to("new.member@friends.test") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "no invitation arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let (subject, body) = last_to(&app, "new.member@friends.test");
    assert_eq!(
        subject,
        "You are invited to join Friends of the Moor on Ward Fund"
    );
    assert!(
        body.contains("https://fund.kirklees.example/groups"),
        "{body}"
    );
    for message in app.smtp.messages() {
        assert!(!decoded(&message).1.contains("Fairshare"), "{message}");
    }
}

const PENDING: &str = "query($g: ID!) { group(id: $g) { pendingInvitations { id addressHint } } }";

/// A group's members see who each open invitation is for, as a hint of the
/// address, and the hint is gone from the database once the invitation is
/// answered or replaced.
#[tokio::test]
async fn open_invitations_show_who_they_are_for_until_answered() {
    let app = TestApp::spawn().await;
    let chair = app.sign_in("chair@friends.test").await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let group = fixtures::group(&app, &chair, "Friends of the Moor", &area).await;
    for email in [
        "jane.smith@example.org",
        "Bob@Moor.example",
        "bob@moor.example",
    ] {
        app.ok(
            Some(&chair),
            fixtures::INVITE,
            json!({ "g": group, "e": email }),
        )
        .await;
    }
    let pending = app.ok(Some(&chair), PENDING, json!({ "g": group })).await;
    let mut hints: Vec<&str> = pending["group"]["pendingInvitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["addressHint"].as_str().unwrap())
        .collect();
    hints.sort();
    // The second invitation to Bob replaced the first.
    assert_eq!(hints, vec!["b•••@moor.example", "j•••@example.org"]);

    let jane = app.sign_in("jane.smith@example.org").await;
    let mine = app
        .ok(Some(&jane), fixtures::MY_INVITATIONS, json!({}))
        .await;
    let id = mine["myGroupInvitations"][0]["id"].clone();
    app.ok(
        Some(&jane),
        fixtures::ANSWER_INVITATION,
        json!({ "id": id, "a": true }),
    )
    .await;
    // In the database: one hint left, Bob's open invitation's.
    let rows = crate::voting::dump_table(&app, "group_invitations").await;
    let kept: Vec<&Value> = rows
        .iter()
        .map(|r| &r["address_hint"])
        .filter(|h| !h.is_null())
        .collect();
    assert_eq!(kept, vec![&json!("b•••@moor.example")], "{rows:?}");

    // Once Bob's invitation has expired, the scheduler's prune clears its
    // hint too.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    api::store::group_invitations::Entity::update_many()
        .col_expr(
            api::store::group_invitations::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(api::store::group_invitations::Column::AddressHint.is_not_null())
        .exec(&app.state.db)
        .await
        .unwrap();
    api::service::groups::prune(&app.state.db).await.unwrap();
    let rows = crate::voting::dump_table(&app, "group_invitations").await;
    assert!(rows.iter().all(|r| r["address_hint"].is_null()), "{rows:?}");
}
