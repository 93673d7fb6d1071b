//! Results: the count when voting closes, the councillors' review,
//! publication, corrections, the published files and checking them with
//! `tally verify`'s own code, and a real election run end to end.
use crate::fixtures::{self, in_person_query, person, ADVANCE, CREATE_ROUND};
use crate::helpers::TestApp;
use crate::voting::{election, CAST};
use api::domain::Role;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

const RESULT: &str = "query($r: ID!, $v: Int) { roundResult(roundId: $r, version: $v) { version reason provisional publishedAt configuration configurationSha256 excludedBidIds bundleUrl pots { area { name } budgetPence spentPence leftPence voters funded { bid { id title } amountPence support } unfunded { id } unfundedBids { bid { id } costPence votes } fundedVotes: funded { votes } explanation explanationCy: explanation(language: CY) ballotsUrl resultUrl ballotsSha256 resultSha256 } } }";
const VERSIONS: &str =
    "query($r: ID!) { resultVersions(roundId: $r) { version reason countedAt publishedAt } }";
pub(crate) const PUBLISH: &str = "mutation($r: ID!) { publishResult(roundId: $r) { phase } }";
const COUNT: &str = "mutation($r: ID!) { countRound(roundId: $r) { phase countError } }";
pub(crate) const CORRECT: &str = "mutation($r: ID!, $why: String!, $x: [ID!]) { correctResult(roundId: $r, reason: $why, excludeBidIds: $x) }";
const LOG: &str = "query($r: ID!) { roundLog(roundId: $r) { seq kind details prev hash } }";
const PROOF: &str = "query($r: ID!, $c: String!) { receiptProof(roundId: $r, code: $c) { code commitment leafIndex treeSize hashes root verified } }";
const ASSISTED: &str =
    "mutation($i: CastAssistedBallotInput!) { castAssistedBallot(input: $i) { receipt { code } } }";

/// A bundle's files, by name.
pub(crate) type Files = HashMap<String, Vec<u8>>;

/// A published file, fetched over plain HTTP.
pub(crate) async fn download(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Vec<u8>) {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("the server answers");
    let status = res.status().as_u16();
    (status, res.bytes().await.expect("a body").to_vec())
}

/// The files of a `bundle.tar`, by name.
pub(crate) fn untar(bytes: &[u8]) -> Files {
    let mut archive = tar::Archive::new(bytes);
    let mut files = HashMap::new();
    for entry in archive.entries().expect("a tar archive") {
        let mut entry = entry.expect("an entry");
        let name = entry
            .path()
            .expect("a name")
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut body).expect("readable");
        files.insert(name, body);
    }
    files
}

/// `tally verify` on a bundle's files: what it checked, or each problem as
/// it prints them.
fn verify(files: &Files) -> Result<tally::bundle::Checked, Vec<String>> {
    tally::bundle::verify(&|name: &str| files.get(name).cloned())
        .map_err(|p| p.iter().map(ToString::to_string).collect())
}

fn choices(bids: &[&String]) -> Value {
    json!(bids
        .iter()
        .map(|b| json!({ "bidId": b }))
        .collect::<Vec<_>>())
}

#[tokio::test]
async fn a_round_is_counted_reviewed_published_and_corrected() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 5).await;
    let resident = &e.voters[0].token;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    // Three voters for the benches and the bins, two for the bowls green.
    let mut receipts = Vec::new();
    for (i, voter) in e.voters.iter().enumerate() {
        let picks = if i < 3 {
            vec![&e.bids[0], &e.bids[2]]
        } else {
            vec![&e.bids[3]]
        };
        let data = app
            .ok(
                Some(&voter.token),
                CAST,
                json!({ "i": { "roundId": e.round, "choices": choices(&picks), "idempotencyKey": format!("results-voter-{i:04}") } }),
            )
            .await;
        receipts.push(
            data["castBallot"]["receipt"]["code"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }

    // Nothing to count or publish while voting is open.
    assert_eq!(
        app.refused(Some(&e.officer), COUNT, json!({ "r": e.round }))
            .await,
        "INVALID_TRANSITION"
    );
    assert_eq!(
        app.refused(Some(&councillor), PUBLISH, json!({ "r": e.round }))
            .await,
        "INVALID_TRANSITION"
    );
    assert_eq!(
        app.refused(Some(resident), COUNT, json!({ "r": e.round }))
            .await,
        "NOT_AUTHORISED"
    );

    // Closing voting counts the round with its frozen rule.
    let data = app
        .ok(
            Some(&e.officer),
            ADVANCE,
            json!({ "id": e.round, "to": "CLOSED" }),
        )
        .await;
    assert_eq!(data["advanceRound"]["phase"], "COUNTED");
    assert_eq!(
        app.refused(Some(&e.officer), COUNT, json!({ "r": e.round }))
            .await,
        "INVALID_TRANSITION",
        "counted once"
    );

    // Only councillors see the provisional result: no figure reaches a
    // resident, an officer or anyone signed out, by any query or download.
    for who in [None, Some(resident.as_str()), Some(e.officer.as_str())] {
        let data = app.ok(who, RESULT, json!({ "r": e.round })).await;
        assert_eq!(data["roundResult"], Value::Null);
        let data = app.ok(who, VERSIONS, json!({ "r": e.round })).await;
        assert_eq!(data["resultVersions"], json!([]));
        let data = app
            .ok(who, PROOF, json!({ "r": e.round, "c": receipts[0] }))
            .await;
        assert_eq!(data["receiptProof"], Value::Null);
    }
    let data = app.ok(Some(resident), LOG, json!({ "r": e.round })).await;
    assert_eq!(
        data["roundLog"],
        json!([]),
        "the log is public once published"
    );
    // Staff see the log before, but only reviewers see the count's entry,
    // which holds the provisional result.
    for (who, sees_count) in [(&e.officer, false), (&councillor, true)] {
        let kinds: Vec<String> = app.ok(Some(who), LOG, json!({ "r": e.round })).await["roundLog"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["kind"].as_str().unwrap().to_owned())
            .collect();
        assert!(kinds.contains(&"phase_changed".to_owned()));
        assert_eq!(
            kinds.contains(&"counted".to_owned()),
            sees_count,
            "{kinds:?}"
        );
    }
    for file in ["bundle.tar", "round.json", "audit.jsonl", "commitments.txt"] {
        let (status, _) = download(
            &app,
            &format!("/rounds/{}/results/v1/{file}", e.round),
            None,
        )
        .await;
        assert_eq!(status, 404, "{file} is not published yet");
    }
    let provisional = app
        .ok(Some(&councillor), RESULT, json!({ "r": e.round }))
        .await["roundResult"]
        .clone();
    assert_eq!(provisional["version"], 1);
    assert_eq!(provisional["provisional"], true);
    assert_eq!(provisional["bundleUrl"], Value::Null);
    let hyde = &provisional["pots"][0];
    assert_eq!(hyde["area"]["name"], "Hyde Park");
    assert_eq!(hyde["voters"], 5);
    // Greedy by approvals: benches (3, £1,000), bins (3, £3,000), bowls
    // green (2, £6,000): £10,000 spent exactly.
    let funded: Vec<&str> = hyde["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bid"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        funded,
        [e.bids[0].as_str(), e.bids[2].as_str(), e.bids[3].as_str()]
    );
    assert_eq!(hyde["spentPence"], 1_000_000);
    assert_eq!(hyde["leftPence"], 0);
    assert_eq!(hyde["unfunded"], json!([{ "id": e.bids[1] }]));
    // How many ballots chose each bid, funded or not, for the chart.
    assert_eq!(hyde["unfundedBids"][0]["bid"]["id"], e.bids[1].as_str());
    assert_eq!(hyde["fundedVotes"][0]["votes"], 3, "{hyde:#}");
    assert!(hyde["unfundedBids"][0]["votes"].as_u64().is_some());
    let explanation = hyde["explanation"].as_array().unwrap();
    assert!(
        explanation[0]
            .as_str()
            .unwrap()
            .starts_with("1. Benches on the Moor (3 support, £1,000.00): funded;"),
        "{explanation:?}"
    );
    // The same count in Welsh, for the Welsh results page.
    let welsh = hyde["explanationCy"].as_array().unwrap();
    assert_eq!(welsh.len(), explanation.len());
    assert!(
        welsh[0]
            .as_str()
            .unwrap()
            .starts_with("1. Benches on the Moor (cefnogaeth 3, £1,000.00): cafodd gyllid;"),
        "{welsh:?}"
    );

    // Publishing is a councillor's act.
    for who in [resident.as_str(), e.officer.as_str()] {
        assert_eq!(
            app.refused(Some(who), PUBLISH, json!({ "r": e.round }))
                .await,
            "NOT_AUTHORISED"
        );
    }
    let data = app
        .ok(Some(&councillor), PUBLISH, json!({ "r": e.round }))
        .await;
    assert_eq!(data["publishResult"]["phase"], "PUBLISHED");
    assert_eq!(
        app.refused(Some(&councillor), PUBLISH, json!({ "r": e.round }))
            .await,
        "INVALID_TRANSITION",
        "a published result changes only by a correction with a reason"
    );
    // The group hears whether its bids were funded.
    let mail = app.smtp.messages_to("hello@friends.test");
    let told = mail
        .iter()
        .find(|m| m.contains("Benches on the Moor: funded"))
        .expect("the group is emailed the result");
    assert!(told.contains("Bulbs along the paths: not funded"), "{told}");

    // Now everyone sees it, and can check it.
    let public = app.ok(None, RESULT, json!({ "r": e.round })).await["roundResult"].clone();
    assert_eq!(public["provisional"], false);
    assert_eq!(
        public["pots"][0]["funded"],
        provisional["pots"][0]["funded"]
    );
    let (status, tar_v1) = download(
        &app,
        &format!("/rounds/{}/results/v1/bundle.tar", e.round),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let files = untar(&tar_v1);
    let checked = verify(&files).expect("the published bundle checks out");
    assert_eq!(checked.pots, 2);
    assert_eq!(checked.ballots, 5);
    assert_eq!(checked.commitments, 5);
    // Each file is also at its own address, the same bytes.
    let ballots_url = public["pots"][0]["ballotsUrl"].as_str().unwrap();
    let (status, pb) = download(&app, ballots_url, None).await;
    assert_eq!(status, 200);
    let pb_name = ballots_url.rsplit('/').next().unwrap();
    assert_eq!(&pb, files.get(pb_name).unwrap());
    let pb = String::from_utf8(pb).unwrap();
    for secret in ["voter0@example.org", "Voter Number0", "LS6 1AB"] {
        assert!(
            !pb.contains(secret),
            "the ballots file holds no personal data"
        );
    }
    // Every voter finds their receipt in the count.
    for code in &receipts {
        let proof = app
            .ok(
                None,
                PROOF,
                json!({ "r": e.round, "c": code.to_lowercase() }),
            )
            .await["receiptProof"]
            .clone();
        assert_eq!(proof["verified"], true);
        assert_eq!(&proof["code"], code);
        assert_eq!(proof["treeSize"], 5);
        let inclusion = tally::bundle::verify_receipt(&|n: &str| files.get(n).cloned(), code)
            .expect("the receipt is in the published bundle");
        assert_eq!(json!(inclusion.index), proof["leafIndex"]);
    }
    let data = app
        .ok(
            None,
            PROOF,
            json!({ "r": e.round, "c": "0000-0000-0000-0000" }),
        )
        .await;
    assert_eq!(data["receiptProof"], Value::Null);
    assert_eq!(
        app.refused(None, PROOF, json!({ "r": e.round, "c": "not a code" }))
            .await,
        "INVALID_INPUT"
    );
    let log = app.ok(None, LOG, json!({ "r": e.round })).await["roundLog"].clone();
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.ends_with(&[
            "phase_changed",
            "sealed",
            "counted",
            "phase_changed",
            "published"
        ]),
        "{kinds:?}"
    );

    // Officers download each pot as CSV for council reports; nobody else.
    let csv_path = format!(
        "/rounds/{}/results/v1/{}",
        e.round,
        pb_name.replace(".pb", ".csv")
    );
    let (status, csv) = download(&app, &csv_path, Some(&e.officer)).await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("bid_id,title,cost_pence,funded,support\n"));
    assert!(
        csv.contains("\"Benches on the Moor\",100000,yes,3"),
        "{csv}"
    );
    assert_eq!(download(&app, &csv_path, Some(resident)).await.0, 403);
    assert_eq!(download(&app, &csv_path, None).await.0, 403);

    // A correction: the bowls club has folded. Only councillors, only with
    // a reason, only bids on the ballot.
    let why = "The bowls club has folded and cannot run the repairs.";
    let x = json!([e.bids[3]]);
    assert_eq!(
        app.refused(
            Some(&e.officer),
            CORRECT,
            json!({ "r": e.round, "why": why, "x": x })
        )
        .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(
        app.refused(
            Some(&councillor),
            CORRECT,
            json!({ "r": e.round, "why": "", "x": x })
        )
        .await,
        "INVALID_INPUT"
    );
    assert_eq!(
        app.refused(
            Some(&councillor),
            CORRECT,
            json!({ "r": e.round, "why": why, "x": [e.ineligible] })
        )
        .await,
        "INVALID_INPUT"
    );
    let data = app
        .ok(
            Some(&councillor),
            CORRECT,
            json!({ "r": e.round, "why": why, "x": x }),
        )
        .await;
    assert_eq!(data["correctResult"], 2);
    let versions = app.ok(None, VERSIONS, json!({ "r": e.round })).await["resultVersions"].clone();
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["reason"], Value::Null);
    assert_eq!(versions[1]["version"], 2);
    assert_eq!(versions[1]["reason"], why);
    assert!(versions[1]["publishedAt"].is_string());
    let v2 = app.ok(None, RESULT, json!({ "r": e.round })).await["roundResult"].clone();
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["reason"], why);
    assert_eq!(v2["excludedBidIds"], x);
    let funded: Vec<&str> = v2["pots"][0]["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bid"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        funded,
        [e.bids[0].as_str(), e.bids[2].as_str(), e.bids[1].as_str()]
    );
    // The first version stays, unchanged, and both check out.
    let v1 = app.ok(None, RESULT, json!({ "r": e.round, "v": 1 })).await["roundResult"].clone();
    assert_eq!(v1["pots"][0]["funded"], public["pots"][0]["funded"]);
    assert_eq!(
        download(
            &app,
            &format!("/rounds/{}/results/v1/bundle.tar", e.round),
            None
        )
        .await
        .1,
        tar_v1,
        "a published version's files never change"
    );
    let (status, tar_v2) = download(
        &app,
        &format!("/rounds/{}/results/v2/bundle.tar", e.round),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let files2 = untar(&tar_v2);
    verify(&files2).expect("the correction checks out");
    let audit = String::from_utf8(files2["audit.jsonl"].clone()).unwrap();
    assert!(audit.lines().last().unwrap().contains("\"corrected\""));
    assert!(audit.contains(why));
}

/// Ballots of a real election (Assen, 2024: 84 voters, 14 projects, Equal
/// Shares with Add1) cast through officers, counted, published and checked;
/// the published result is the counting module's on the original file, and
/// the published ballots pass pabulib's own checker.
#[tokio::test]
async fn a_real_election_runs_end_to_end() {
    let original_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tally/testdata/pabulib/Netherlands_Assen_2024.pb"
    ))
    .expect("the fixture");
    let original = tally::pb::parse(&original_text).expect("a pabulib file");
    assert_eq!(original.ballots.len(), 84);
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    let area = fixtures::area(&app, &officer, "Assen", &["LS6 1"]).await;
    // The file's money is whole euros; the pot is in pence.
    let budget = original.budget as i64 * 100;
    let mut input = fixtures::round_input("Top Idee", &[(&area, budget)]);
    input["ballot"] = json!({ "kind": "APPROVAL", "minChoices": 2 });
    input["countingRule"] =
        json!({ "name": "mes-add1", "tieBreak": "COST_SUPPORT_SEED", "seed": "2024" });
    input["eligibility"] = fixtures::eligibility(json!({}));
    let round = app
        .ok(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await["createRound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fixtures::advance(&app, &officer, &round, "BIDS_OPEN").await;
    let chair = app.sign_in("chair@friends.test").await;
    let group = fixtures::group(&app, &chair, "Jongeren Assen", &area).await;
    let mut bid_of = HashMap::new();
    let mut title_of = HashMap::new();
    for p in &original.projects {
        let title = p.name.clone().unwrap();
        let id = fixtures::bid(
            &app,
            &chair,
            &round,
            &group,
            &area,
            &title,
            p.cost as i64 * 100,
        )
        .await;
        title_of.insert(id.clone(), title);
        bid_of.insert(p.id.clone(), id);
    }
    fixtures::advance(&app, &officer, &round, "BID_REVIEW").await;
    for id in bid_of.values() {
        app.ok(
            Some(&officer),
            "mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { status } }",
            json!({ "id": id }),
        )
        .await;
    }
    let mut verifications = Vec::new();
    for i in 0..original.ballots.len() {
        let input = json!({
            "person": person(&format!("Voter Number{i}"), &format!("19{:02}-0{}-1{}", 40 + i % 50, 1 + i % 9, i % 10), "LS6 1AB"),
            "evidence": "PHOTO_ID",
        });
        let v = app
            .ok(
                Some(&officer),
                &in_person_query(),
                json!({ "r": round, "i": input }),
            )
            .await;
        verifications.push(
            v["recordInPersonVerification"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    fixtures::advance(&app, &officer, &round, "VOTING").await;
    let mut receipts = Vec::new();
    for (i, ballot) in original.ballots.iter().enumerate() {
        let picks: Vec<&String> = ballot
            .projects
            .iter()
            .map(|p| &bid_of[&original.projects[*p as usize].id])
            .collect();
        let data = app
            .ok(
                Some(&officer),
                ASSISTED,
                json!({ "i": { "roundId": round, "verificationId": verifications[i], "channel": "PAPER", "choices": choices(&picks), "idempotencyKey": format!("assen-paper-{i:04}") } }),
            )
            .await;
        receipts.push(
            data["castAssistedBallot"]["receipt"]["code"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let data = app
        .ok(
            Some(&officer),
            ADVANCE,
            json!({ "id": round, "to": "CLOSED" }),
        )
        .await;
    assert_eq!(data["advanceRound"]["phase"], "COUNTED");
    app.ok(Some(&councillor), PUBLISH, json!({ "r": round }))
        .await;

    // The published result is the counting module's on the original file.
    let spec = tally::bundle::RuleSpec {
        name: "mes-add1".into(),
        tie_break: "cost-support-seed:2024".into(),
        min_support: None,
        rank_points: None,
        seats: None,
        excluded: Vec::new(),
    };
    let expected: Value =
        serde_json::from_str(&tally::bundle::count_pot(&spec, &original_text).unwrap()).unwrap();
    let expected: BTreeSet<String> = expected["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| title_of[&bid_of[p.as_str().unwrap()]].clone())
        .collect();
    let official: BTreeSet<String> = original
        .projects
        .iter()
        .zip(
            original_text
                .lines()
                .skip_while(|l| *l != "PROJECTS")
                .skip(2),
        )
        .filter(|(_, line)| line.split(';').nth(4) == Some("1"))
        .map(|(p, _)| p.name.clone().unwrap())
        .collect();
    assert_eq!(expected, official, "the counting module agrees with Assen");
    let published = app.ok(None, RESULT, json!({ "r": round })).await["roundResult"].clone();
    let funded: BTreeSet<String> = published["pots"][0]["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bid"]["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(funded, expected);
    assert_eq!(published["pots"][0]["voters"], 84);
    assert!(published["pots"][0]["explanation"][0]
        .as_str()
        .unwrap()
        .starts_with("Round 1: "));
    let welsh = published["pots"][0]["explanationCy"].as_array().unwrap();
    assert!(welsh[0].as_str().unwrap().starts_with("Rownd 1: cafodd "));
    assert!(
        welsh
            .last()
            .and_then(|l| l.as_str())
            .is_some_and(|l| l.starts_with("Daeth y cyfrif i ben oherwydd ")),
        "{welsh:?}"
    );
    for line in welsh.iter().filter_map(|l| l.as_str()) {
        for english in [" was funded", " came out of", "The count stopped"] {
            assert!(!line.contains(english), "{line}");
        }
    }

    // `tally verify` accepts the bundle, and every receipt is in it.
    let (status, tar) = download(&app, published["bundleUrl"].as_str().unwrap(), None).await;
    assert_eq!(status, 200);
    let files = untar(&tar);
    let checked = verify(&files).expect("the bundle checks out");
    assert_eq!((checked.ballots, checked.commitments), (84, 84));
    for code in &receipts {
        tally::bundle::verify_receipt(&|n: &str| files.get(n).cloned(), code)
            .expect("each receipt is in the bundle");
    }

    // Each single-point tampering is reported, naming file and place.
    let manifest: Value = serde_json::from_slice(&files["round.json"]).unwrap();
    let pb_name = manifest["pots"][0]["ballots"].as_str().unwrap().to_owned();
    let result_name = manifest["pots"][0]["result"].as_str().unwrap().to_owned();
    let text = |name: &str| String::from_utf8(files[name].clone()).unwrap();
    // Re-publishes a file's SHA-256 in the manifest, as a forger would.
    let forge = |mut f: Files, name: &str, sha_path: &[&str]| {
        let mut m: Value = serde_json::from_slice(&f["round.json"]).unwrap();
        let sha = tally::canonical::sha256_hex(&f[name]);
        let mut slot = &mut m;
        for key in sha_path {
            slot = match key.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => &mut slot[*key],
            };
        }
        *slot = json!(sha);
        f.insert("round.json".into(), serde_json::to_vec(&m).unwrap());
        f
    };
    let with = |name: &str, body: String| {
        let mut f = files.clone();
        f.insert(name.to_owned(), body.into_bytes());
        f
    };
    let pb = text(&pb_name);
    let votes_at = pb.lines().position(|l| l == "VOTES").unwrap() + 2;
    let lines: Vec<&str> = pb.lines().collect();
    let join = |ls: Vec<&str>| ls.join("\n") + "\n";
    // 1. One ballot changed (its first choice dropped, a valid ballot still).
    let mut changed = lines.clone();
    let (voter, votes) = changed[votes_at].split_once(';').unwrap();
    let mut picks: Vec<&str> = votes.split(',').collect();
    let other = original
        .projects
        .iter()
        .map(|p| bid_of[&p.id].as_str())
        .find(|b| !picks.contains(b))
        .unwrap();
    picks[0] = other;
    let changed_line = format!("{voter};{}", picks.join(","));
    changed[votes_at] = &changed_line;
    // 2. One ballot removed, with the count in META fixed up.
    let mut removed = lines.clone();
    removed.remove(votes_at);
    let removed = join(removed).replace("num_votes;84", "num_votes;83");
    // 3. One ballot added.
    let mut added = lines.clone();
    let extra = format!("85;{}", votes);
    added.push(&extra);
    let added = join(added).replace("num_votes;84", "num_votes;85");
    let audit = text("audit.jsonl");
    let entries: Vec<&str> = audit.lines().collect();
    // 4. A log entry removed; 5. a log entry edited.
    let mut fewer = entries.clone();
    fewer.remove(1);
    let edited = audit.replacen("\"phase_changed\"", "\"phase_changes\"", 1);
    // 6. A different seed.
    let config = text("config.json").replace("cost-support-seed:2024", "cost-support-seed:2025");
    // 7. A commitment swapped for another.
    let commitments = text("commitments.txt");
    let first = commitments.lines().next().unwrap();
    let swapped = commitments.replacen(first, &"ab".repeat(32), 1);
    let cases: Vec<(&str, Files, &str)> = vec![
        (
            "a ballot changed",
            with(&pb_name, join(changed.clone())),
            "changed since publication",
        ),
        (
            "a ballot changed, its SHA-256 re-published",
            forge(
                with(&pb_name, join(changed)),
                &pb_name,
                &["pots", "0", "ballots_sha256"],
            ),
            "a ballot was changed, added or removed",
        ),
        (
            "a ballot removed",
            forge(
                with(&pb_name, removed),
                &pb_name,
                &["pots", "0", "ballots_sha256"],
            ),
            "has 83 ballots, the result counted",
        ),
        (
            "a ballot added",
            forge(
                with(&pb_name, added),
                &pb_name,
                &["pots", "0", "ballots_sha256"],
            ),
            "has 85 ballots, the result counted",
        ),
        (
            "a log entry removed",
            forge(
                with("audit.jsonl", join(fewer)),
                "audit.jsonl",
                &["audit_sha256"],
            ),
            "audit.jsonl (entry 3, line 2): expected entry 2",
        ),
        (
            "a log entry edited",
            forge(
                with("audit.jsonl", edited),
                "audit.jsonl",
                &["audit_sha256"],
            ),
            "its content was changed",
        ),
        (
            "a different seed",
            forge(
                with("config.json", config),
                "config.json",
                &["config_sha256"],
            ),
            "counted with another configuration",
        ),
        (
            "a commitment swapped",
            forge(
                with("commitments.txt", swapped),
                "commitments.txt",
                &["commitments_sha256"],
            ),
            "the Merkle root of its 84 commitments",
        ),
    ];
    for (what, tampered, says) in cases {
        let problems = verify(&tampered).expect_err(what);
        assert!(
            problems.iter().any(|p| p.contains(says)),
            "{what}: expected a problem saying {says:?}, got {problems:#?}"
        );
        let file = if what.contains("log") {
            "audit.jsonl"
        } else if what.contains("seed") {
            &result_name
        } else if what.contains("commitment") {
            "commitments.txt"
        } else if what == "a ballot changed" {
            &pb_name
        } else {
            &result_name
        };
        assert!(
            problems.iter().any(|p| p.starts_with(file)),
            "{what}: expected {file} to be named, got {problems:#?}"
        );
    }

    // The published ballots pass pabulib's checker, where Python has it.
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../.venv/bin/python");
    let has_checker = std::process::Command::new(python)
        .args(["-c", "import pabulib.checker"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_checker {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(&pb_name);
        std::fs::write(&path, &files[&pb_name]).unwrap();
        let out = std::process::Command::new(python)
            .args([
                "-c",
                "import json, sys\nfrom pabulib.checker import Checker\nr = Checker().process_files([sys.argv[1]])\nprint(json.dumps(r, default=str))\nsys.exit(0 if r['metadata']['invalid'] == 0 else 1)",
                path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pabulib-checker: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        eprintln!("pabulib-checker is not installed in .venv: ./scripts/test installs it");
    }
}

/// A count that cannot be made leaves the round closed, with the reason
/// for officers and nothing written; once the cause is put right, an
/// officer counts it again.
#[tokio::test]
async fn a_failed_count_leaves_the_round_closed_with_its_reason() {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 2).await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    app.ok(
        Some(&e.voters[0].token),
        CAST,
        json!({ "i": { "roundId": e.round, "choices": choices(&[&e.bids[0]]), "idempotencyKey": "failed-count-0001" } }),
    )
    .await;
    // A stored ballot the count cannot read (as a damaged disk or a bad
    // hand edit would leave it).
    let db = &app.state.db;
    let round_id: i64 = e.round.parse().unwrap();
    let pot = api::store::round_pots::Entity::find()
        .filter(api::store::round_pots::Column::RoundId.eq(round_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let damaged = api::store::ballots::ActiveModel {
        id: Set("damaged-ballot".into()),
        round_id: Set(round_id),
        pot_id: Set(pot.id),
        content: Set("{\"bids\": [".into()),
        commitment: Set("00".repeat(32)),
        channel: Set(None),
        leaf: Set(None),
        receipt_key: Set(None),
    }
    .insert(db)
    .await
    .unwrap();

    let data = app
        .ok(
            Some(&e.officer),
            ADVANCE,
            json!({ "id": e.round, "to": "CLOSED" }),
        )
        .await;
    assert_eq!(data["advanceRound"]["phase"], "CLOSED");
    let reason = app
        .ok(
            Some(&e.officer),
            "query($id: ID!) { round(id: $id) { phase countError } }",
            json!({ "id": e.round }),
        )
        .await["round"]["countError"]
        .as_str()
        .expect("the reason, for officers")
        .to_owned();
    assert!(reason.contains("unreadable ballot"), "{reason}");
    assert_eq!(
        app.refused(Some(&e.officer), COUNT, json!({ "r": e.round }))
            .await,
        "COUNT_FAILED"
    );
    // Nothing half-written: no result, nothing to publish.
    assert_eq!(
        api::store::result_versions::Entity::find()
            .all(db)
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        api::store::pot_results::Entity::find()
            .all(db)
            .await
            .unwrap()
            .len(),
        0
    );
    let data = app
        .ok(Some(&councillor), RESULT, json!({ "r": e.round }))
        .await;
    assert_eq!(data["roundResult"], Value::Null);
    assert_eq!(
        app.refused(Some(&councillor), PUBLISH, json!({ "r": e.round }))
            .await,
        "INVALID_TRANSITION"
    );
    // Residents do not see why.
    let data = app
        .ok(
            Some(&e.voters[1].token),
            "query($id: ID!) { round(id: $id) { countError } }",
            json!({ "id": e.round }),
        )
        .await;
    assert_eq!(data["round"]["countError"], Value::Null);

    // Put right, the round is counted.
    api::store::ballots::Entity::delete_by_id(damaged.id)
        .exec(db)
        .await
        .unwrap();
    let data = app
        .ok(Some(&e.officer), COUNT, json!({ "r": e.round }))
        .await;
    assert_eq!(data["countRound"]["phase"], "COUNTED");
    assert_eq!(data["countRound"]["countError"], Value::Null);
}

/// A ranked round is counted by instant-runoff with the round's seed, and
/// its bundle checks out like any other.
#[tokio::test]
async fn a_ranked_round_is_counted_and_checks_out() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "RANKED", "maxChoices": 3 }), 3).await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    for (i, order) in [[2, 0, 1], [0, 2, 1], [2, 1, 0]].iter().enumerate() {
        let picks: Vec<&String> = order.iter().map(|k| &e.bids[*k]).collect();
        app.ok(
            Some(&e.voters[i].token),
            CAST,
            json!({ "i": { "roundId": e.round, "choices": choices(&picks), "idempotencyKey": format!("ranked-voter-{i:04}") } }),
        )
        .await;
    }
    let data = app
        .ok(
            Some(&e.officer),
            ADVANCE,
            json!({ "id": e.round, "to": "CLOSED" }),
        )
        .await;
    assert_eq!(data["advanceRound"]["phase"], "COUNTED");
    app.ok(Some(&councillor), PUBLISH, json!({ "r": e.round }))
        .await;
    let result = app.ok(None, RESULT, json!({ "r": e.round })).await["roundResult"].clone();
    // Two first preferences of three for the bins: a majority at once.
    assert_eq!(
        result["pots"][0]["funded"][0]["bid"]["id"],
        e.bids[2].as_str()
    );
    assert!(result["pots"][0]["explanation"][0]
        .as_str()
        .unwrap()
        .starts_with("Stage 1: "));
    let stage = &result["pots"][0]["explanationCy"][0];
    assert!(stage
        .as_str()
        .unwrap()
        .starts_with("Cam 1: wedi’u dewis: Bins"));
    // Chapel Allerton's one bid is elected unopposed, with no ballots.
    assert_eq!(
        result["pots"][1]["funded"][0]["bid"]["id"],
        e.other_pot_bid.as_str()
    );
    let (status, tar) = download(&app, result["bundleUrl"].as_str().unwrap(), None).await;
    assert_eq!(status, 200);
    verify(&untar(&tar)).expect("the ranked bundle checks out");
}

/// A title written as a spreadsheet formula (any group can write one) is
/// not run when an officer opens the pot's CSV: the cell begins with `'`.
#[tokio::test]
async fn a_formula_in_a_title_is_not_run_from_the_results_csv() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 1).await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    let formulas = [
        "=HYPERLINK(\"http://evil.test\",\"Click for your grant\")",
        "+SUM(1,1)",
        "-1+1",
        "@cmd",
    ];
    for (bid, title) in e.bids.iter().zip(formulas) {
        api::store::bids::ActiveModel {
            id: Set(bid.parse().unwrap()),
            title: Set(title.to_owned()),
            ..Default::default()
        }
        .update(&app.state.db)
        .await
        .unwrap();
    }
    app.ok(
        Some(&e.voters[0].token),
        CAST,
        json!({ "i": { "roundId": e.round, "choices": choices(&[&e.bids[0]]), "idempotencyKey": "formula-csv-0001" } }),
    )
    .await;
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    app.ok(Some(&councillor), PUBLISH, json!({ "r": e.round }))
        .await;
    let result = app.ok(None, RESULT, json!({ "r": e.round })).await;
    let ballots_url = result["roundResult"]["pots"][0]["ballotsUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let csv_path = ballots_url.replace(".pb", ".csv");
    let (status, csv) = download(&app, &csv_path, Some(&e.officer)).await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let titles: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert_eq!(titles.len(), 4, "{csv}");
    for title in &titles {
        assert!(title.starts_with('\''), "{title:?} would run as a formula");
    }
    for formula in formulas {
        assert!(titles.contains(&format!("'{formula}")), "{titles:?}");
    }
}
