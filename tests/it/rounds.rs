//! Areas and funding rounds: set-up, phases, schedules and frozen settings.
use crate::fixtures::{self, ADVANCE, CREATE_AREA, CREATE_ROUND};
use crate::helpers::TestApp;
use api::domain::Role;
use serde_json::json;

const SETTINGS: &str = "mutation($id: ID!, $b: BallotSettingsInput!, $r: CountingRuleInput!) {
  updateRoundSettings(id: $id, ballot: $b, countingRule: $r) { ballot { kind maxChoices } countingRule { name } settingsFrozen } }";

#[tokio::test]
async fn an_officer_sets_up_areas_and_a_round() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let data = app
        .ok(
            Some(&officer),
            CREATE_AREA,
            json!({ "i": { "name": "Hyde Park", "kind": "Ward", "coverage": ["ls6 1", "LS6 2AB", "ls2"] } }),
        )
        .await;
    assert_eq!(
        data["createArea"]["coverage"]["nodes"],
        json!(["LS2", "LS6 1", "LS6 2AB"])
    );
    let a = data["createArea"]["id"].as_str().unwrap().to_owned();
    let b = fixtures::area(&app, &officer, "Chapel Allerton", &["LS7 3"]).await;

    let data = app
        .ok(
            Some(&officer),
            CREATE_ROUND,
            json!({ "i": fixtures::round_input("Fund 2027", &[(&a, 2_500_000), (&b, 2_000_000)]) }),
        )
        .await;
    let round = &data["createRound"];
    assert_eq!(round["phase"], "DRAFT");
    assert_eq!(round["pots"][0]["amountPence"], 2_500_000);
    let id = round["id"].as_str().unwrap();

    let q = "query($id: ID!) { round(id: $id) { title phase settingsFrozen ballot { kind maxChoices } countingRule { name seed tieBreak } pots { amountDisplay area { name } } } }";
    let data = app.ok(Some(&officer), q, json!({ "id": id })).await;
    assert_eq!(data["round"]["pots"][0]["amountDisplay"], "£25,000.00");
    assert_eq!(
        data["round"]["countingRule"],
        json!({ "name": "mes-add1", "seed": "2027", "tieBreak": "COST_SUPPORT_SEED" })
    );

    // Drafts are hidden from residents until bids open.
    let resident = app.sign_in("res@example.org").await;
    assert_eq!(
        app.refused(Some(&resident), q, json!({ "id": id })).await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.ok(None, "{ rounds { nodes { id } } }", json!({})).await["rounds"]["nodes"],
        json!([])
    );
    fixtures::advance(&app, &officer, id, "BIDS_OPEN").await;
    assert_eq!(
        app.ok(Some(&resident), q, json!({ "id": id })).await["round"]["phase"],
        "BIDS_OPEN"
    );
}

#[tokio::test]
async fn residents_cannot_set_up_rounds() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let resident = app.sign_in("res@example.org").await;
    let input = json!({ "i": fixtures::round_input("Mine", &[(&area, 100)]) });
    assert_eq!(
        app.refused(Some(&resident), CREATE_ROUND, input.clone())
            .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(
        app.refused(None, CREATE_ROUND, input).await,
        "UNAUTHENTICATED"
    );
    let area_input = json!({ "i": { "name": "X", "kind": "ward", "coverage": ["LS6 1"] } });
    assert_eq!(
        app.refused(Some(&resident), CREATE_AREA, area_input).await,
        "NOT_AUTHORISED"
    );
}

#[tokio::test]
async fn bad_round_and_area_input_is_named() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let bad = json!({ "i": { "name": "X", "kind": "ward", "coverage": ["LS6 1", "NOT A POSTCODE", "12345"] } });
    let res = app.gql(Some(&officer), CREATE_AREA, bad).await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "INVALID_POSTCODE");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("NOT A POSTCODE"));

    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let dup = json!({ "i": { "name": "Hyde Park", "kind": "ward", "coverage": ["LS6 2"] } });
    assert_eq!(
        app.refused(Some(&officer), CREATE_AREA, dup).await,
        "NAME_TAKEN"
    );

    let mut input = fixtures::round_input("Fund", &[(&area, 100_000)]);
    input["countingRule"]["name"] = json!("stv-scottish");
    let res = app
        .gql(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "INVALID_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "countingRule");

    let mut input = fixtures::round_input("Fund", &[(&area, -5)]);
    input["title"] = json!("Fund");
    assert_eq!(
        app.refused(Some(&officer), CREATE_ROUND, json!({ "i": input }))
            .await,
        "INVALID_INPUT"
    );

    let mut input = fixtures::round_input("Fund", &[(&area, 100)]);
    input["schedule"] =
        json!({ "bidsOpenAt": "2027-02-01T09:00:00Z", "bidsCloseAt": "2027-01-01T09:00:00Z" });
    let res = app
        .gql(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "schedule");
}

#[tokio::test]
async fn ballot_settings_freeze_when_voting_opens() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let round = fixtures::round(&app, &officer, &[(&area, 500_000)]).await;
    fixtures::advance(&app, &officer, &round, "BIDS_OPEN").await;

    let ranked = json!({ "id": round, "b": { "kind": "RANKED", "maxChoices": 3 }, "r": { "name": "borda", "rankPoints": [3, 2, 1] } });
    let data = app.ok(Some(&officer), SETTINGS, ranked).await;
    assert_eq!(
        data["updateRoundSettings"]["ballot"],
        json!({ "kind": "RANKED", "maxChoices": 3 })
    );

    fixtures::advance(&app, &officer, &round, "BID_REVIEW").await;
    fixtures::advance(&app, &officer, &round, "VOTING").await;
    let approval = json!({ "id": round, "b": { "kind": "APPROVAL" }, "r": { "name": "greedy" } });
    let res = app.gql(Some(&officer), SETTINGS, approval).await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "SETTINGS_FROZEN");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("voting has opened"));
    // An admin is refused as well: the freeze is not a permission.
    let admin = app.signed_in_as("admin@council.test", Role::Admin).await;
    let approval = json!({ "id": round, "b": { "kind": "APPROVAL" }, "r": { "name": "greedy" } });
    assert_eq!(
        app.refused(Some(&admin), SETTINGS, approval).await,
        "SETTINGS_FROZEN"
    );
    let q = "query($id: ID!) { round(id: $id) { settingsFrozen ballot { kind } countingRule { name } } }";
    let data = app.ok(None, q, json!({ "id": round })).await;
    assert_eq!(
        data["round"],
        json!({ "settingsFrozen": true, "ballot": { "kind": "RANKED" }, "countingRule": { "name": "borda" } })
    );
}

#[tokio::test]
async fn phases_move_one_step_at_a_time_and_councillors_publish() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let round = fixtures::round(&app, &officer, &[(&area, 500_000)]).await;
    let res = app
        .gql(
            Some(&officer),
            ADVANCE,
            json!({ "id": round, "to": "VOTING" }),
        )
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "INVALID_TRANSITION");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("bids open"));
    for to in ["BIDS_OPEN", "BID_REVIEW", "VOTING"] {
        fixtures::advance(&app, &officer, &round, to).await;
    }
    let publish = json!({ "id": round, "to": "PUBLISHED" });
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    assert_eq!(
        app.refused(Some(&councillor), ADVANCE, publish.clone())
            .await,
        "INVALID_TRANSITION",
        "nothing counted, nothing to publish"
    );
    // Closing voting counts the round at once.
    let data = app
        .ok(
            Some(&officer),
            ADVANCE,
            json!({ "id": round, "to": "CLOSED" }),
        )
        .await;
    assert_eq!(data["advanceRound"]["phase"], "COUNTED");
    // Nobody moves a round to counted by hand: only a count does.
    assert_eq!(
        app.refused(
            Some(&officer),
            ADVANCE,
            json!({ "id": round, "to": "COUNTED" })
        )
        .await,
        "NOT_COUNTED"
    );
    assert_eq!(
        app.refused(Some(&officer), ADVANCE, publish.clone()).await,
        "NOT_AUTHORISED"
    );
    let data = app.ok(Some(&councillor), ADVANCE, publish).await;
    assert_eq!(data["advanceRound"]["phase"], "PUBLISHED");
    // A published round is final: it cannot be cancelled.
    assert_eq!(
        app.refused(
            Some(&officer),
            ADVANCE,
            json!({ "id": round, "to": "CANCELLED" })
        )
        .await,
        "INVALID_TRANSITION"
    );

    // A round can be cancelled before it is published, once.
    let other = fixtures::round(&app, &officer, &[(&area, 500_000)]).await;
    let cancel = json!({ "id": other, "to": "CANCELLED" });
    let data = app.ok(Some(&officer), ADVANCE, cancel.clone()).await;
    assert_eq!(data["advanceRound"]["phase"], "CANCELLED");
    assert_eq!(
        app.refused(Some(&officer), ADVANCE, cancel).await,
        "INVALID_TRANSITION"
    );
}

#[tokio::test]
async fn scheduled_phase_changes_happen_once_whoever_applies_them() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let now = chrono::Utc::now();
    let mut input = fixtures::round_input("Scheduled", &[(&area, 500_000)]);
    input["schedule"] = json!({
        "bidsOpenAt": (now + chrono::Duration::days(1)).to_rfc3339(),
        "bidsCloseAt": (now + chrono::Duration::days(8)).to_rfc3339(),
        "votingOpensAt": (now + chrono::Duration::days(14)).to_rfc3339(),
    });
    let data = app
        .ok(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await;
    let id: i64 = data["createRound"]["id"].as_str().unwrap().parse().unwrap();
    let phase = || async {
        app.ok(
            Some(&officer),
            "query($id: ID!) { round(id: $id) { phase } }",
            json!({ "id": id.to_string() }),
        )
        .await["round"]["phase"]
            .clone()
    };
    // Reading never moves a round on.
    assert_eq!(phase().await, "DRAFT");

    // Ten days on, two dates have passed. Several instances applying the
    // schedule at once agree, and each call takes at most one step.
    let later = now + chrono::Duration::days(10);
    let state = app.state.clone();
    let runs = (0..4).map(|_| {
        let state = state.clone();
        tokio::spawn(async move {
            api::service::lifecycle::apply_due(&state, None, later)
                .await
                .unwrap()
        })
    });
    let mut total = 0;
    for r in runs {
        let n = r.await.unwrap();
        assert!(n <= 1, "one step per round per call");
        total += n;
    }
    assert!(total >= 1);
    while api::service::lifecycle::apply_due(&state, None, later)
        .await
        .unwrap()
        > 0
    {
        total += 1;
    }
    assert_eq!(total, 2, "draft → bids open → bid review, each done once");
    assert_eq!(phase().await, "BID_REVIEW");

    use api::store::audit_events;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let changes = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("round_phase_changed"))
        .filter(audit_events::Column::SubjectId.eq(id.to_string()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(changes.len(), 2);
    assert!(changes
        .iter()
        .all(|c| c.actor_account_id.is_none() && c.details.contains("schedule")));
}

#[tokio::test]
async fn pots_change_only_in_draft() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let round = fixtures::round(&app, &officer, &[(&area, 500_000)]).await;
    let q = "mutation($id: ID!, $i: UpdateRoundInput!) { updateRound(id: $id, input: $i) { title pots { amountPence } } }";
    let data = app
        .ok(Some(&officer), q, json!({ "id": round, "i": { "title": "Renamed", "pots": [{ "areaId": area, "amountPence": 750_000 }] } }))
        .await;
    assert_eq!(
        data["updateRound"],
        json!({ "title": "Renamed", "pots": [{ "amountPence": 750_000 }] })
    );
    fixtures::advance(&app, &officer, &round, "BIDS_OPEN").await;
    let res = app
        .refused(
            Some(&officer),
            q,
            json!({ "id": round, "i": { "pots": [{ "areaId": area, "amountPence": 1 }] } }),
        )
        .await;
    assert_eq!(res, "PHASE_CLOSED");
}

#[tokio::test]
async fn the_demo_council_seeds_once() {
    let app = TestApp::spawn().await;
    api::demo::seed(&app.state).await.unwrap();
    api::demo::seed(&app.state).await.unwrap();
    let data = app
        .ok(
            None,
            "{ areas { nodes { name } } rounds { nodes { phase bids { nodes { title group { name } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["areas"]["nodes"].as_array().unwrap().len(), 2);
    let rounds = data["rounds"]["nodes"].as_array().unwrap();
    let phases: Vec<&str> = rounds
        .iter()
        .map(|r| r["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["PUBLISHED", "VOTING", "BIDS_OPEN"]);
    assert!(rounds[2]["bids"]["nodes"].as_array().unwrap().len() >= 4);
    // Its phone voter asked for reminders by text, in Welsh: the first
    // goes at the next tick, once, and says voting is open.
    for _ in 0..2 {
        api::service::reminders::tick(&app.state, chrono::Utc::now(), 100)
            .await
            .unwrap();
    }
    let texts = app.sms.requests_to("+447700900999");
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].form["Body"].contains("mae pleidleisio ar agor yn Summer Streets 2026"));
    // The published round's result is public, and checks out.
    let round = app
        .ok(None, "{ rounds { nodes { id title } } }", json!({}))
        .await["rounds"]["nodes"][0]
        .clone();
    assert_eq!(round["title"], api::demo::PUBLISHED_ROUND_TITLE);
    let result = app
        .ok(
            None,
            "query($r: ID!) { roundResult(roundId: $r) { pots { voters funded { bid { title } } } bundleUrl } }",
            json!({ "r": round["id"] }),
        )
        .await["roundResult"]
        .clone();
    let voters: u64 = result["pots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["voters"].as_u64().unwrap())
        .sum();
    assert_eq!(voters, 60);
    assert!(!result["pots"][0]["funded"].as_array().unwrap().is_empty());
    // Who took part, against the wards' population figures: every ward
    // has them, and the 60 voters are counted by area, age and decile.
    let taking_part = app
        .ok(
            None,
            "query($r: ID!) { round(id: $r) { pots { area { population { people } } } participation { voters turnout deprivationKnown byDeprivationDecile { groups { decile voters } } byAgeBand { representativeness } } } }",
            json!({ "r": round["id"] }),
        )
        .await["round"]
        .clone();
    for pot in taking_part["pots"].as_array().unwrap() {
        assert!(pot["area"]["population"]["people"].as_u64().unwrap() > 1_000);
    }
    let p = &taking_part["participation"];
    assert_eq!(p["voters"], 60);
    assert!(p["turnout"].as_f64().unwrap() > 0.0);
    assert_eq!(p["deprivationKnown"], true);
    let counted_by_decile: u64 = p["byDeprivationDecile"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["voters"].as_u64())
        .sum();
    assert!(counted_by_decile >= 30, "{p:#}");
    assert!(p["byAgeBand"]["representativeness"].is_number(), "{p:#}");
    let bundle = app
        .client
        .get(format!(
            "{}{}",
            app.base,
            result["bundleUrl"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut files = std::collections::HashMap::new();
    for entry in tar::Archive::new(&bundle[..]).entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry
            .path()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut body).unwrap();
        files.insert(name, body);
    }
    let checked = tally::bundle::verify(&|n: &str| files.get(n).cloned())
        .expect("the demo's bundle checks out");
    assert_eq!(checked.ballots, 60);
    // An account for every role, signing in with a code by email.
    for (email, roles) in [
        (api::demo::ADMIN_EMAIL, json!(["ADMIN"])),
        (api::demo::OFFICER_EMAIL, json!(["OFFICER"])),
        (api::demo::COUNCILLOR_EMAIL, json!(["COUNCILLOR"])),
        (api::demo::UNVERIFIED_RESIDENT_EMAIL, json!([])),
    ] {
        let token = app.sign_in(email).await;
        assert_eq!(
            app.ok(Some(&token), "{ me { roles } }", json!({})).await["me"]["roles"],
            roles
        );
    }
    // The verified resident can vote at once.
    let data = app
        .ok(
            None,
            "{ rounds(phase: VOTING) { nodes { id bids { nodes { id } } } } }",
            json!({}),
        )
        .await;
    let voting = &data["rounds"]["nodes"][0];
    let resident = app.sign_in(api::demo::VERIFIED_RESIDENT_EMAIL).await;
    let status = app
        .ok(
            Some(&resident),
            "query($r: ID!) { myVote(roundId: $r) { canVote } }",
            json!({ "r": voting["id"] }),
        )
        .await;
    assert_eq!(status["myVote"]["canVote"], true);
    let cast = app
        .ok(
            Some(&resident),
            crate::voting::CAST,
            json!({ "i": { "roundId": voting["id"], "choices": [{ "bidId": voting["bids"]["nodes"][0]["id"] }], "idempotencyKey": "demo-first-vote" } }),
        )
        .await;
    assert!(cast["castBallot"]["receipt"]["code"].is_string());
}

#[tokio::test]
async fn the_round_list_gives_each_round_its_own_pots() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let a = fixtures::area(&app, &officer, "Headingley", &["LS6 3"]).await;
    let b = fixtures::area(&app, &officer, "Roundhay", &["LS8 2"]).await;
    let first = fixtures::round(&app, &officer, &[(&a, 100_000), (&b, 200_000)]).await;
    let second = fixtures::round(&app, &officer, &[(&b, 300_000)]).await;
    let third = fixtures::round(&app, &officer, &[(&a, 400_000)]).await;
    let data = app
        .ok(
            Some(&officer),
            "{ rounds { nodes { id pots { amountPence area { name } } } } }",
            json!({}),
        )
        .await;
    // Newest first.
    assert_eq!(
        data["rounds"]["nodes"],
        json!([
            { "id": third, "pots": [{ "amountPence": 400_000, "area": { "name": "Headingley" } }] },
            { "id": second, "pots": [{ "amountPence": 300_000, "area": { "name": "Roundhay" } }] },
            { "id": first, "pots": [
                { "amountPence": 100_000, "area": { "name": "Headingley" } },
                { "amountPence": 200_000, "area": { "name": "Roundhay" } },
            ] },
        ])
    );
}
