//! Council rules in the count, end to end: set with the counting rule
//! while the round is not yet voting, checked against each pot when voting
//! opens, told to residents in words, written into the sealed ballots
//! files, applied by the count, explained, published and checked by
//! `tally verify`'s own code; and the rule simulator, for staff only.
use crate::fixtures::{self, bid_input, CREATE_ROUND, SUBMIT_BID};
use crate::helpers::{error_code, TestApp};
use crate::results::{download, untar, PUBLISH};
use crate::voting::{verified_voters, CAST};
use api::domain::Role;
use serde_json::{json, Value};

const SETTINGS: &str = "mutation($id: ID!, $b: BallotSettingsInput!, $r: CountingRuleInput!) { updateRoundSettings(id: $id, ballot: $b, countingRule: $r) { countingRule { name constraints { categoryMax { key pence share } minVotes exclusive mustFund } } } }";
const REVIEW: &str =
    "mutation($id: ID!, $d: ReviewDecision!) { reviewBid(id: $id, decision: $d) { status } }";
const WORDS: &str = "query($id: ID!) { round(id: $id) { en: constraintsInWords cy: constraintsInWords(language: CY) } }";
const RESULT: &str = "query($r: ID!) { roundResult(roundId: $r) { bundleUrl pots { funded { bid { id } } explanation explanationCy: explanation(language: CY) } } }";
const SIMULATE: &str = "query($i: SimulationInput!) { simulateCount(input: $i) { pots { name budgetPence voters bids { id votes categories } outcomes { rule error funded spentPence votersWithFundedChoice averagePencePerVoter byCategory { key pence moneyShare voteShare } } } } }";

/// A bid of `category`, submitted; its id.
async fn bid(
    app: &TestApp,
    chair: &str,
    ids: (&str, &str, &str),
    title: &str,
    cost: i64,
    category: &str,
) -> String {
    let (round, group, area) = ids;
    let mut input = bid_input(round, group, area, title, cost);
    input["details"]["category"] = json!(category);
    app.ok(Some(chair), SUBMIT_BID, json!({ "i": input })).await["submitBid"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn rule(constraints: Value) -> Value {
    json!({ "name": "greedy", "tieBreak": "COST_SUPPORT_SEED", "seed": "7", "constraints": constraints })
}

const BALLOT: &str = r#"{ "kind": "APPROVAL", "maxChoices": 5 }"#;

#[tokio::test]
async fn a_round_with_council_rules_is_voted_counted_published_and_verified() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1", "LS6 2"]).await;
    let mut input = fixtures::round_input("Neighbourhood Fund", &[(&area, 1_000_000)]);
    input["countingRule"] = rule(Value::Null);
    input["eligibility"] = fixtures::eligibility(json!({}));
    let round = app
        .ok(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await["createRound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fixtures::advance(&app, &officer, &round, "BIDS_OPEN").await;
    let chair = app.sign_in("chair@friends.test").await;
    let group = fixtures::group(&app, &chair, "Friends of the Moor", &area).await;
    let ids = (round.as_str(), group.as_str(), area.as_str());
    let a = bid(
        &app,
        &chair,
        ids,
        "Meadow on the Moor",
        400_000,
        "environment",
    )
    .await;
    let b = bid(
        &app,
        &chair,
        ids,
        "Trees on the Moor",
        300_000,
        "environment",
    )
    .await;
    let c = bid(&app, &chair, ids, "Outdoor gym", 300_000, "sport").await;
    let d = bid(
        &app,
        &chair,
        ids,
        "Hedges by the road",
        250_000,
        "environment",
    )
    .await;
    let e = bid(&app, &chair, ids, "Goalposts", 100_000, "sport").await;
    let f = bid(&app, &chair, ids, "Bird boxes", 50_000, "environment").await;
    fixtures::advance(&app, &officer, &round, "BID_REVIEW").await;
    for x in [&a, &b, &c, &d, &e, &f] {
        app.ok(Some(&officer), REVIEW, json!({ "id": x, "d": "ELIGIBLE" }))
            .await;
    }
    let ballot: Value = serde_json::from_str(BALLOT).unwrap();
    // Wrong rules are refused with their reason, and nothing is stored.
    for (wrong, says) in [
        (
            json!({ "categoryMax": [{ "key": "knitting", "share": "30%" }] }),
            "not a bid category",
        ),
        (
            json!({ "exclusive": [[a, "999999"]] }),
            "not a bid of this round",
        ),
        (
            json!({ "categoryMax": [{ "key": "sport", "share": "130%" }] }),
            "not a share",
        ),
        (
            json!({ "categoryMax": [{ "key": "sport", "pence": 150, "share": "1%" }] }),
            "exactly one",
        ),
    ] {
        let res = app
            .gql(
                Some(&officer),
                SETTINGS,
                json!({ "id": round, "b": ballot, "r": rule(wrong) }),
            )
            .await;
        assert_eq!(error_code(&res), "INVALID_INPUT", "{res:#}");
        let message = res["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
    // A minimum no bid can meet: voting does not open, and says why.
    let impossible = json!({ "categoryMin": [{ "key": "culture", "pence": 10000 }] });
    app.ok(
        Some(&officer),
        SETTINGS,
        json!({ "id": round, "b": ballot, "r": rule(impossible) }),
    )
    .await;
    let voters = verified_voters(&app, &officer, &round, 4, 0).await;
    let res = app
        .gql(
            Some(&officer),
            fixtures::ADVANCE,
            json!({ "id": round, "to": "VOTING" }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT", "{res:#}");
    assert!(
        res["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Hyde Park"),
        "{res:#}"
    );
    // The council's real rules: at most half the pot on the environment,
    // two votes at least, the meadow or the trees (one site), and the
    // goalposts already promised.
    let rules = json!({
        "categoryMax": [{ "key": "environment", "share": "50%" }],
        "minVotes": 2,
        "exclusive": [[a, b]],
        "mustFund": [e],
    });
    let set = app
        .ok(
            Some(&officer),
            SETTINGS,
            json!({ "id": round, "b": ballot, "r": rule(rules) }),
        )
        .await;
    assert_eq!(
        set["updateRoundSettings"]["countingRule"]["constraints"]["categoryMax"][0]["share"],
        "50%"
    );
    fixtures::advance(&app, &officer, &round, "VOTING").await;
    // Frozen with the other settings.
    let res = app
        .gql(
            Some(&officer),
            SETTINGS,
            json!({ "id": round, "b": ballot, "r": rule(Value::Null) }),
        )
        .await;
    assert_eq!(error_code(&res), "SETTINGS_FROZEN");
    // Residents read the rules in words before they vote, in both
    // languages, with the bids' titles.
    let words = app.ok(None, WORDS, json!({ "id": round })).await["round"].clone();
    let en: Vec<&str> = words["en"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        en,
        [
            "No more than 50% of the pot goes to bids in the category environment.",
            "A bid needs at least 2 votes to be funded.",
            "At most one of these bids can be funded: Meadow on the Moor, Trees on the Moor.",
            "Goalposts is funded first; its cost comes out of the pot.",
        ]
    );
    assert!(words["cy"][3]
        .as_str()
        .unwrap()
        .starts_with("Caiff Goalposts gyllid"));
    // Meadow 3 votes, trees 3, gym 2, hedges 2, bird boxes 1, goalposts 0.
    let picks = [
        vec![&a, &b, &c],
        vec![&a, &b],
        vec![&b, &c, &d],
        vec![&a, &d, &f],
    ];
    for (i, p) in picks.iter().enumerate() {
        let choices: Vec<Value> = p.iter().map(|x| json!({ "bidId": x })).collect();
        app.ok(
            Some(&voters[i].token),
            CAST,
            json!({ "i": { "roundId": round, "choices": choices, "idempotencyKey": format!("rules-{i:04}") } }),
        )
        .await;
    }
    let closed = app
        .ok(
            Some(&officer),
            fixtures::ADVANCE,
            json!({ "id": round, "to": "CLOSED" }),
        )
        .await;
    assert_eq!(closed["advanceRound"]["phase"], "COUNTED");
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    app.ok(Some(&councillor), PUBLISH, json!({ "r": round }))
        .await;
    let result = app.ok(None, RESULT, json!({ "r": round })).await["roundResult"].clone();
    let pot = &result["pots"][0];
    let funded: Vec<&str> = pot["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bid"]["id"].as_str().unwrap())
        .collect();
    // Goalposts first (promised); then the trees (3 votes, cheaper than the
    // meadow); the meadow shares their site; the hedges would take the
    // environment to £5,500, over £5,000; the gym fits; the bird boxes have
    // one vote.
    assert_eq!(funded, [e.as_str(), b.as_str(), c.as_str()]);
    let text = pot["explanation"].as_array().unwrap();
    let said = |needle: &str| {
        assert!(
            text.iter().any(|l| l.as_str().unwrap().contains(needle)),
            "no line says {needle:?}: {text:#?}"
        )
    };
    said("Goalposts (0 support, £1,000.00): funded first, committed before the count");
    said("Meadow on the Moor (3 support, £4,000.00): not funded (Trees on the Moor is already funded, and at most one of Meadow on the Moor, Trees on the Moor may be)");
    said("Hedges by the road (2 support, £2,500.00): not funded (funding it would take the category environment to £5,500.00, over its maximum of £5,000.00)");
    said("Bird boxes (1 support, £500.00): not funded (it has 1 votes and a bid needs at least 2)");
    let cy = pot["explanationCy"].as_array().unwrap();
    assert!(
        cy.iter()
            .any(|l| l.as_str().unwrap().contains("eisoes wedi cael cyllid")),
        "{cy:#?}"
    );
    // The published files carry the rules, and `tally verify` applies them.
    let (status, tar) = download(&app, result["bundleUrl"].as_str().unwrap(), None).await;
    assert_eq!(status, 200);
    let files = untar(&tar);
    let (name, pb) = files
        .iter()
        .find(|(n, _)| n.ends_with(".pb"))
        .expect("a ballots file");
    let pb = String::from_utf8(pb.clone()).unwrap();
    let sealed = tally::pb::parse(&pb).expect("a .pb file");
    let written: Value =
        serde_json::from_str(sealed.meta("constraints").expect("the rules in META")).unwrap();
    assert_eq!(
        written,
        json!({"category_max": {"environment": "50%"}, "min_votes": 2,
               "exclusive": [[a, b]], "must_fund": [e]})
    );
    tally::bundle::verify(&|n: &str| files.get(n).cloned())
        .unwrap_or_else(|p| panic!("the bundle checks out: {p:?}"));
    // A forger who drops the rules from the ballots file (and would count
    // without them) is caught: the file no longer has its sealed hash.
    let mut forged = files.clone();
    let without: String = pb
        .lines()
        .filter(|l| !l.starts_with("constraints;"))
        .map(|l| format!("{l}\n"))
        .collect();
    forged.insert(name.clone(), without.into_bytes());
    assert!(tally::bundle::verify(&|n: &str| forged.get(n).cloned()).is_err());
    // The goalposts can no longer go ahead: the correction leaves out a bid
    // the rules named (funded first), and the recount drops it from them.
    let v2 = app
        .ok(
            Some(&councillor),
            crate::results::CORRECT,
            json!({ "r": round, "why": "The goalposts were paid for by the league.", "x": [e] }),
        )
        .await;
    assert_eq!(v2["correctResult"], 2);
    let result = app.ok(None, RESULT, json!({ "r": round })).await["roundResult"].clone();
    let funded: Vec<&str> = result["pots"][0]["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bid"]["id"].as_str().unwrap())
        .collect();
    // £10,000 for the rest: the trees, the gym, and the hedges still over
    // the environment's half.
    assert_eq!(funded, [b.as_str(), c.as_str()]);
    let (_, tar) = download(&app, result["bundleUrl"].as_str().unwrap(), None).await;
    let files = untar(&tar);
    tally::bundle::verify(&|n: &str| files.get(n).cloned())
        .unwrap_or_else(|p| panic!("the corrected bundle checks out: {p:?}"));
}

const FILE: &str = "META
key;value
description;Simulated ward
num_projects;4
num_votes;5
budget;1000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;category;name
1;600;transport;Bus shelter
2;500;education;Books
3;400;education;Laptops
4;100;culture;Mural
VOTES
voter_id;vote
1;1,2
2;1
3;2,3
4;1,3
5;4
";

fn three_rules() -> Value {
    json!([
        { "name": "greedy" },
        { "name": "mes-add1" },
        { "name": "greedy", "constraints": { "categoryMax": [{ "key": "transport", "share": "10%" }] } },
    ])
}

#[tokio::test]
async fn the_simulator_compares_rules_for_staff_and_refuses_residents_and_bad_files() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let sim = app
        .ok(
            Some(&officer),
            SIMULATE,
            json!({ "i": { "pbFile": FILE, "rules": three_rules() } }),
        )
        .await["simulateCount"]
        .clone();
    let pot = &sim["pots"][0];
    assert_eq!(pot["voters"], 5);
    assert_eq!(pot["budgetPence"], 100_000);
    let outcomes = pot["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 3);
    let funded = |i: usize| -> Vec<&str> {
        outcomes[i]["funded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect()
    };
    // Greedy: the bus shelter (3 votes), then laptops (2, cheaper than the
    // books), £1,000 spent; nothing left for the mural.
    assert_eq!(funded(0), ["1", "3"]);
    assert_eq!(outcomes[0]["votersWithFundedChoice"], 4);
    // Equal Shares gives the mural's one voter their share.
    assert!(funded(1).contains(&"4"), "{:?}", funded(1));
    // Each outcome's voters with a funded choice, recounted from the file.
    let ballots = [
        vec!["1", "2"],
        vec!["1"],
        vec!["2", "3"],
        vec!["1", "3"],
        vec!["4"],
    ];
    for (i, o) in outcomes.iter().enumerate() {
        let f = funded(i);
        let n = ballots
            .iter()
            .filter(|b| b.iter().any(|x| f.contains(x)))
            .count();
        assert_eq!(o["votersWithFundedChoice"], n, "{f:?}");
    }
    // With transport capped at 10%, the bus shelter is passed over.
    assert!(!funded(2).contains(&"1"));
    for o in outcomes {
        assert_eq!(o["error"], Value::Null);
    }
    let transport = |i: usize| {
        outcomes[i]["byCategory"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "transport")
            .cloned()
            .unwrap()
    };
    assert_eq!(transport(0)["pence"], 60_000);
    assert_eq!(transport(2)["pence"], 0);
    // 3 of the 8 votes are for transport.
    assert!((transport(0)["voteShare"].as_f64().unwrap() - 0.375).abs() < 1e-9);

    // Residents and strangers are refused.
    let resident = app.sign_in("resident@example.org").await;
    let res = app
        .gql(
            Some(&resident),
            SIMULATE,
            json!({ "i": { "pbFile": FILE, "rules": three_rules() } }),
        )
        .await;
    assert_eq!(error_code(&res), "NOT_AUTHORISED");
    let res = app
        .gql(
            None,
            SIMULATE,
            json!({ "i": { "pbFile": FILE, "rules": three_rules() } }),
        )
        .await;
    assert_eq!(error_code(&res), "UNAUTHENTICATED");

    // Bad files and requests are refused with what is wrong.
    for (i, says) in [
        (
            json!({ "pbFile": "META\nkey;value\nbudget;lots\n", "rules": three_rules() }),
            "not a pabulib .pb file",
        ),
        (
            json!({ "pbFile": format!("{FILE}{}", "#".repeat(4 * 1024 * 1024)), "rules": three_rules() }),
            "at most 4194304 bytes",
        ),
        (
            json!({ "pbFile": FILE, "rules": [{ "name": "borda" }] }),
            "cannot count with `borda`",
        ),
        (json!({ "pbFile": FILE, "rules": [] }), "between one and 6"),
        (json!({ "rules": three_rules() }), "exactly one"),
    ] {
        let res = app.gql(Some(&officer), SIMULATE, json!({ "i": i })).await;
        assert_eq!(error_code(&res), "INVALID_INPUT", "{res:#}");
        let message = res["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
}

#[tokio::test]
async fn the_simulator_counts_a_closed_round_for_councillors_before_publication() {
    let app = TestApp::spawn().await;
    let e = crate::voting::election(&app, serde_json::from_str(BALLOT).unwrap(), 3).await;
    let input = |r: &str| json!({ "i": { "roundId": r, "rules": three_rules() } });
    // While voting, nobody may count the ballots.
    let res = app.gql(Some(&e.officer), SIMULATE, input(&e.round)).await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    for (i, picks) in [[0, 1], [1, 2], [0, 2]].iter().enumerate() {
        let choices: Vec<Value> = picks
            .iter()
            .map(|k| json!({ "bidId": e.bids[*k] }))
            .collect();
        app.ok(
            Some(&e.voters[i].token),
            CAST,
            json!({ "i": { "roundId": e.round, "choices": choices, "idempotencyKey": format!("sim-{i:04}") } }),
        )
        .await;
    }
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    // Counted, not published: an officer may not see it yet.
    let res = app.gql(Some(&e.officer), SIMULATE, input(&e.round)).await;
    assert_eq!(error_code(&res), "NOT_AUTHORISED");
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    let sim = app.ok(Some(&councillor), SIMULATE, input(&e.round)).await;
    let pots = sim["simulateCount"]["pots"].as_array().unwrap();
    assert_eq!(pots.len(), 2);
    assert_eq!(pots[0]["name"], "Hyde Park");
    assert_eq!(pots[0]["voters"], 3);
    assert_eq!(pots[0]["outcomes"].as_array().unwrap().len(), 3);
    // The round's bids carry their categories from the sealed file.
    assert_eq!(pots[0]["bids"][0]["categories"][0], "environment");
    app.ok(Some(&councillor), PUBLISH, json!({ "r": e.round }))
        .await;
    // Published: any officer may.
    app.ok(Some(&e.officer), SIMULATE, input(&e.round)).await;
}

const BID_LOCALITY: &str = "query($id: ID!) { bid(id: $id) { area { name } locality { name } } }";

#[tokio::test]
async fn a_limit_on_a_ward_counts_the_bids_that_name_it() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1", "LS6 2"]).await;
    let woodhouse = fixtures::area(&app, &officer, "Woodhouse", &["LS2 9"]).await;
    let little_london = fixtures::area(&app, &officer, "Little London", &["LS7 1"]).await;
    let mut input = fixtures::round_input("Neighbourhood Fund", &[(&area, 1_000_000)]);
    input["countingRule"] = rule(Value::Null);
    input["eligibility"] = fixtures::eligibility(json!({}));
    let round = app
        .ok(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await["createRound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fixtures::advance(&app, &officer, &round, "BIDS_OPEN").await;
    let chair = app.sign_in("chair@friends.test").await;
    let group = fixtures::group(&app, &chair, "Friends of the Moor", &area).await;
    let in_ward = |title: &str, cost: i64, ward: &str| {
        let mut i = bid_input(&round, &group, &area, title, cost);
        i["details"]["localityId"] = json!(ward);
        i
    };
    let mut ids = Vec::new();
    for (title, cost, ward) in [
        ("Woodhouse benches", 400_000, &woodhouse),
        ("Woodhouse bins", 300_000, &woodhouse),
        ("Little London planters", 300_000, &little_london),
    ] {
        let id = app
            .ok(
                Some(&chair),
                SUBMIT_BID,
                json!({ "i": in_ward(title, cost, ward) }),
            )
            .await["submitBid"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        ids.push(id);
    }
    let res = app
        .gql(
            Some(&chair),
            SUBMIT_BID,
            json!({ "i": in_ward("Nowhere", 1_000, "999999") }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    let shown = app.ok(None, BID_LOCALITY, json!({ "id": ids[0] })).await;
    assert_eq!(shown["bid"]["area"]["name"], "Hyde Park");
    assert_eq!(shown["bid"]["locality"]["name"], "Woodhouse");
    fixtures::advance(&app, &officer, &round, "BID_REVIEW").await;
    for x in &ids {
        app.ok(Some(&officer), REVIEW, json!({ "id": x, "d": "ELIGIBLE" }))
            .await;
    }
    let ballot: Value = serde_json::from_str(BALLOT).unwrap();
    let rules = json!({ "areaMax": [{ "key": woodhouse, "share": "50%" }] });
    app.ok(
        Some(&officer),
        SETTINGS,
        json!({ "id": round, "b": ballot, "r": rule(rules) }),
    )
    .await;
    let words = app.ok(None, WORDS, json!({ "id": round })).await;
    assert_eq!(
        words["round"]["en"][0],
        "No more than 50% of the pot goes to bids in Woodhouse."
    );
    let voters = verified_voters(&app, &officer, &round, 3, 0).await;
    fixtures::advance(&app, &officer, &round, "VOTING").await;
    for (i, p) in [vec![0, 1, 2], vec![0, 1], vec![0]].iter().enumerate() {
        let choices: Vec<Value> = p.iter().map(|k| json!({ "bidId": ids[*k] })).collect();
        app.ok(
            Some(&voters[i].token),
            CAST,
            json!({ "i": { "roundId": round, "choices": choices, "idempotencyKey": format!("ward-{i:04}") } }),
        )
        .await;
    }
    fixtures::advance(&app, &officer, &round, "CLOSED").await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    app.ok(Some(&councillor), PUBLISH, json!({ "r": round }))
        .await;
    let result = app.ok(None, RESULT, json!({ "r": round })).await["roundResult"].clone();
    let pot = &result["pots"][0];
    let funded: Vec<&str> = pot["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bid"]["id"].as_str().unwrap())
        .collect();
    // The benches (3 votes) fit Woodhouse's £5,000; the bins would take it
    // to £7,000; the planters are in Little London.
    assert_eq!(funded, [ids[0].as_str(), ids[2].as_str()]);
    assert!(
        pot["explanation"].as_array().unwrap().iter().any(|l| l
            .as_str()
            .unwrap()
            .contains("would take Woodhouse to £7,000.00, over its maximum of £5,000.00")),
        "{pot:#}"
    );
    let (_, tar) = download(&app, result["bundleUrl"].as_str().unwrap(), None).await;
    let files = untar(&tar);
    tally::bundle::verify(&|n: &str| files.get(n).cloned())
        .unwrap_or_else(|p| panic!("the bundle checks out: {p:?}"));
    // The simulator names the wards, and counts them under other rules.
    let sim = app
        .ok(
            Some(&officer),
            SIMULATE,
            json!({ "i": { "roundId": round, "rules": [
                { "name": "greedy" },
                { "name": "greedy", "constraints": { "areaMax": [{ "key": woodhouse, "share": "50%" }] } },
            ] } }),
        )
        .await;
    let outcomes = &sim["simulateCount"]["pots"][0]["outcomes"];
    assert_eq!(outcomes[0]["funded"].as_array().unwrap().len(), 3);
    assert_eq!(outcomes[1]["funded"].as_array().unwrap().len(), 2);
    let sim_areas = app
        .ok(
            Some(&officer),
            "query($i: SimulationInput!) { simulateCount(input: $i) { pots { outcomes { byArea { key label pence } } } } }",
            json!({ "i": { "roundId": round, "rules": [{ "name": "greedy" }] } }),
        )
        .await;
    let by_area = &sim_areas["simulateCount"]["pots"][0]["outcomes"][0]["byArea"];
    assert!(
        by_area
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["label"] == "Woodhouse" && a["pence"] == 700_000),
        "{by_area:#}"
    );
}
