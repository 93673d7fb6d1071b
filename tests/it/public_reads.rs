//! Public reads at scale: a published result is read from what the count
//! stored, never from the ballots; a receipt's proof comes from the tree
//! kept at the close; published files are cacheable for good and nothing
//! provisional or personal is; public answers are kept only while nothing
//! they came from changed, on any instance.
use crate::helpers::{TestApp, DEFAULT_CLIENT_IP};
use crate::results::{download, untar, PUBLISH};
use crate::voting::{election, CAST};
use api::domain::vote::{Channel, Choice};
use api::domain::{BidId, Evidence, Phase, Relation, Role, RoundId};
use api::service::{accounts, lifecycle, results, verification, voting, Actor};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

const RESULT: &str = "query($r: ID!) { roundResult(roundId: $r) { version pots { area { name } budgetPence spentPence leftPence voters funded { bid { id title } amountPence support votes } unfunded { id title costPence } unfundedBids { bid { id } costPence votes } turnoutByChannel { channel voted } explanation explanationCy: explanation(language: CY) ballotsSha256 inputSha256 resultSha256 } } }";
const PROOF: &str = "query($r: ID!, $c: String!) { receiptProof(roundId: $r, code: $c) { code commitment leafIndex treeSize hashes root verified } }";

/// A round of five ballots, counted and published; its receipts.
async fn published(app: &TestApp) -> (String, Vec<String>) {
    let e = election(app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 5).await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    let mut receipts = Vec::new();
    for (i, voter) in e.voters.iter().enumerate() {
        let picks = if i < 3 {
            json!([{ "bidId": e.bids[0] }, { "bidId": e.bids[2] }])
        } else {
            json!([{ "bidId": e.bids[3] }])
        };
        let data = app
            .ok(
                Some(&voter.token),
                CAST,
                json!({ "i": { "roundId": e.round, "choices": picks, "idempotencyKey": format!("reads-voter-{i:04}") } }),
            )
            .await;
        receipts.push(
            data["castBallot"]["receipt"]["code"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    crate::fixtures::advance(app, &e.officer, &e.round, "CLOSED").await;
    app.ok(Some(&councillor), PUBLISH, json!({ "r": e.round }))
        .await;
    (e.round, receipts)
}

/// Overwrites every stored copy of a round's ballots files.
async fn spoil_ballots_files(app: &TestApp, round: &str) {
    let db = &app.state.db;
    for sql in [
        format!(
            "UPDATE sealed_pots SET ballots_pb = 'not a ballots file' WHERE round_id = {round}"
        ),
        format!(
            "UPDATE pot_results SET ballots_pb = 'not a ballots file' WHERE version_id IN \
             (SELECT id FROM result_versions WHERE round_id = {round})"
        ),
    ] {
        db.execute_unprepared(&sql).await.expect("an update");
    }
}

#[tokio::test]
async fn a_published_result_is_read_from_what_the_count_stored() {
    let app = TestApp::spawn().await;
    let (round, receipts) = published(&app).await;
    let before = app.ok(None, RESULT, json!({ "r": round })).await;
    let pot = &before["roundResult"]["pots"][0];
    assert_eq!(pot["voters"], 5);
    assert_eq!(pot["funded"][0]["votes"], 3, "{pot:#}");
    assert!(!pot["explanation"].as_array().unwrap().is_empty());
    assert_ne!(pot["explanation"], pot["explanationCy"]);
    assert_eq!(
        pot["turnoutByChannel"],
        json!([{ "channel": "web", "voted": 5 }])
    );

    // Before: the published bundle checks out.
    let path = format!("/rounds/{round}/results/v1/bundle.tar");
    let (status, tar) = download(&app, &path, None).await;
    assert_eq!(status, 200);
    let files = untar(&tar);
    assert!(tally::bundle::verify(&|n: &str| files.get(n).cloned()).is_ok());

    // An attacker (or a fault) replaces every stored ballots file.
    spoil_ballots_files(&app, &round).await;

    // The result reads exactly as before: nothing read the ballots.
    let after = app.ok(None, RESULT, json!({ "r": round })).await;
    assert_eq!(after, before);
    // Receipts still prove their ballots.
    let proof = app
        .ok(None, PROOF, json!({ "r": round, "c": receipts[0] }))
        .await;
    assert_eq!(proof["receiptProof"]["verified"], true);
    // But the bundle, which serves the stored files, no longer checks out:
    // `tally verify` finds the ballots file does not match its hash.
    let (status, tar) = download(&app, &path, None).await;
    assert_eq!(status, 200);
    let files = untar(&tar);
    let problems: Vec<String> = tally::bundle::verify(&|n: &str| files.get(n).cloned())
        .expect_err("the spoiled bundle fails")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.iter().any(|p| p.contains(".pb")), "{problems:?}");
}

#[tokio::test]
async fn results_and_trees_stored_before_are_filled_in_at_start() {
    let app = TestApp::spawn().await;
    let (round, receipts) = published(&app).await;
    let before = app.ok(None, RESULT, json!({ "r": round })).await;
    let proof_before = app
        .ok(None, PROOF, json!({ "r": round, "c": receipts[1] }))
        .await;
    // As a database from before summaries and receipt trees were kept.
    let db = &app.state.db;
    for sql in [
        "UPDATE pot_results SET summary = NULL".to_owned(),
        format!("DELETE FROM receipt_nodes WHERE round_id = {round}"),
        format!("UPDATE ballots SET leaf = NULL, receipt_key = NULL WHERE round_id = {round}"),
    ] {
        db.execute_unprepared(&sql).await.expect("a change");
    }
    // The stored tree is gone (the instance that answered before still
    // holds the round's tree in memory, which is the same tree).
    let round_id = RoundId::new(round.parse().unwrap());
    let gone = results::receipt_proof(db, round_id, &receipts[1])
        .await
        .expect("a read");
    assert!(gone.is_none());
    // What the server does when it starts.
    results::backfill(db).await.expect("filled in");
    results::backfill(db)
        .await
        .expect("a second run changes nothing");
    assert_eq!(app.ok(None, RESULT, json!({ "r": round })).await, before);
    assert_eq!(
        app.ok(None, PROOF, json!({ "r": round, "c": receipts[1] }))
            .await,
        proof_before
    );
}

/// Every receipt of a round of 1,000 ballots: its proof read from the
/// stored tree is the proof made from the whole tree rebuilt from the
/// published commitments, and it checks out against the published root.
#[tokio::test]
async fn proofs_from_the_stored_tree_equal_the_rebuilt_trees_for_every_leaf() {
    const BALLOTS: usize = 1_000;
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 0).await;
    let state = &app.state;
    let officer = accounts::grant_role(
        &state.db,
        &state.secret,
        None,
        &api::service::parse_email("officer@council.test").unwrap(),
        Role::Officer,
    )
    .await
    .unwrap();
    let officer = Actor {
        account_id: officer.id,
        roles: officer.roles,
    };
    let councillor = accounts::grant_role(
        &state.db,
        &state.secret,
        None,
        &api::service::parse_email("cllr@council.test").unwrap(),
        Role::Councillor,
    )
    .await
    .unwrap();
    let councillor = Actor {
        account_id: councillor.id,
        roles: councillor.roles,
    };
    let round: RoundId = e.round.parse().unwrap();
    let bids: Vec<BidId> = e.bids.iter().map(|b| b.parse().unwrap()).collect();
    for chunk in (0..BALLOTS).collect::<Vec<_>>().chunks(100) {
        let cast = futures_util::future::join_all(chunk.iter().map(|&i| {
            let (officer, bids) = (&officer, &bids);
            async move {
                let person = verification::record_in_person(
                    state,
                    officer,
                    round,
                    verification::InPersonRecord {
                        details: verification::PersonDetails::parse(
                            &format!("Resident {}", name_of(i)),
                            &format!(
                                "19{}-{:02}-{:02}",
                                30 + i % 60,
                                1 + i / 60 % 12,
                                1 + i / 720 % 28
                            ),
                            "LS6 1AB",
                            Relation::Live,
                        )
                        .unwrap(),
                        evidence: Evidence::ProofOfAddress,
                        email: None,
                        phone: None,
                        reference: None,
                    },
                )
                .await
                .unwrap();
                voting::cast(
                    state,
                    voting::CastRequest {
                        round_id: round,
                        voter: voting::Voter::Officer {
                            officer: officer.clone(),
                            participant_id: person.id,
                        },
                        channel: Channel::Paper,
                        choices: vec![Choice {
                            bid_id: bids[i % bids.len()],
                            value: None,
                        }],
                        idempotency_key: format!("paper-ballot-{i:06}"),
                    },
                )
                .await
                .unwrap()
                .receipt_code
            }
        }))
        .await;
        assert_eq!(cast.len(), chunk.len());
    }
    let closed = lifecycle::advance(state, &officer, round, Phase::Closed)
        .await
        .unwrap();
    assert_eq!(closed.phase, Phase::Counted);
    lifecycle::publish(state, &councillor, round).await.unwrap();

    let (status, commitments) = download(
        &app,
        &format!("/rounds/{round}/results/v1/commitments.txt"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let leaves = tally::bundle::parse_commitments(&String::from_utf8_lossy(&commitments))
        .expect("commitments");
    assert_eq!(leaves.len(), BALLOTS);
    let root = tally::bundle::merkle_root(&leaves);
    let rebuilt = tally::bundle::inclusion_proofs(&leaves);
    for (i, leaf) in leaves.iter().enumerate() {
        let code = tally::bundle::receipt_code(leaf);
        let (proof, stored_root, commitment) = results::receipt_proof(&state.db, round, &code)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no proof for leaf {i}"));
        assert_eq!(proof, rebuilt[i], "leaf {i}");
        assert_eq!(stored_root, root, "leaf {i}");
        let hex: String = leaf.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(commitment, hex);
        assert!(tally::bundle::verify_inclusion(&root, leaf, &proof));
        // And from the tree held in memory, as the receipt check answers.
        let held = results::receipt_proof_held(&state.receipt_trees, &state.db, round, &code)
            .await
            .unwrap();
        assert_eq!(held, Some((proof, stored_root, commitment)), "leaf {i}");
    }
    let unknown = results::receipt_proof_held(
        &state.receipt_trees,
        &state.db,
        round,
        "AAAA-AAAA-AAAA-AAAA",
    )
    .await
    .unwrap();
    assert!(unknown.is_none(), "a code no ballot has finds nothing");
}

/// A distinct made-up surname for resident `i`: letters only, as names are.
fn name_of(i: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    let mut s = String::from("Q");
    let mut k = i;
    for _ in 0..4 {
        s.push(LETTERS[k % 26] as char);
        k /= 26;
    }
    s
}

#[tokio::test]
async fn published_files_are_cached_for_good_and_nothing_else_is() {
    let app = TestApp::spawn().await;
    let (round, _) = published(&app).await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    let pots = app
        .ok(
            None,
            "query($r: ID!) { roundResult(roundId: $r) { pots { ballotsUrl resultUrl } } }",
            json!({ "r": round }),
        )
        .await;
    let mut paths: Vec<String> = [
        "bundle.tar",
        "round.json",
        "commitments.txt",
        "audit.jsonl",
        "config.json",
    ]
    .iter()
    .map(|f| format!("/rounds/{round}/results/v1/{f}"))
    .collect();
    for p in pots["roundResult"]["pots"].as_array().unwrap() {
        paths.push(p["ballotsUrl"].as_str().unwrap().to_owned());
        paths.push(p["resultUrl"].as_str().unwrap().to_owned());
    }
    assert_eq!(paths.len(), 9, "two pots' files and the round's");
    for file in &paths {
        let url = format!("{}{file}", app.base);
        let res = app.client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), 200, "{file}");
        let headers = res.headers().clone();
        let body = res.bytes().await.unwrap();
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{file}"
        );
        assert!(headers.get("set-cookie").is_none(), "{file}");
        // A strong validator: quoted, no W/, and it names these bytes.
        let etag = headers["etag"].to_str().unwrap().to_owned();
        assert!(
            etag.starts_with('"') && etag.ends_with('"'),
            "{file}: {etag}"
        );
        assert_eq!(
            etag,
            format!("\"{}\"", &tally::canonical::sha256_hex(&body)[..32]),
            "{file}"
        );
        // The same request with it is a 304 with no body.
        let again = app
            .client
            .get(&url)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{file}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert_eq!(
            again.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(again.bytes().await.unwrap().is_empty());
        // Another validator is not a match.
        let other = app
            .client
            .get(&url)
            .header("if-none-match", "\"0000\"")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 200, "{file}");
    }
    // The CSV is for staff: never stored by anything in between, no
    // validator to replay.
    let pot = app
        .ok(
            Some(&councillor),
            "query($r: ID!) { roundResult(roundId: $r) { pots { ballotsUrl } } }",
            json!({ "r": round }),
        )
        .await["roundResult"]["pots"][0]["ballotsUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let csv_url = format!("{}{}", app.base, pot.replace(".pb", ".csv"));
    let csv = app
        .client
        .get(&csv_url)
        .bearer_auth(&councillor)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["cache-control"], "private, no-store");
    assert!(csv.headers().get("etag").is_none());

    // Nothing at an address that is not published is cacheable.
    let missing = app
        .client
        .get(format!("{}/rounds/{round}/results/v9/round.json", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_ne!(
        missing
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        "public, max-age=31536000, immutable"
    );
    assert!(missing.headers().get("etag").is_none());
}

const PAGE: &str = "query($r: ID!) { round(id: $r) { id title phase pots { area { id name } } } roundResult(roundId: $r) { version pots { area { name } funded { bid { id title } votes } unfunded { id title } } } resultVersions(roundId: $r) { version publishedAt } }";

/// The same request, sent with or without a session, to one instance.
async fn ask(app: &TestApp, base: &str, token: Option<&str>, variables: Value) -> Value {
    let v = app
        .gql_at(base, DEFAULT_CLIENT_IP, token, PAGE, variables)
        .await;
    assert!(v.get("errors").is_none(), "{v}");
    v["data"].clone()
}

fn names(page: &Value) -> (String, Vec<String>) {
    let pots = page["roundResult"]["pots"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let area = pots[0]["area"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let titles = pots
        .iter()
        .flat_map(|p| {
            let mut t: Vec<Value> = p["funded"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|f| f["bid"]["title"].clone())
                .collect();
            t.extend(
                p["unfunded"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|u| u["title"].clone()),
            );
            t
        })
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    (area, titles)
}

#[tokio::test]
async fn a_kept_public_answer_follows_every_change_made_on_any_instance() {
    let app = TestApp::spawn().await;
    let (round, _) = published(&app).await;
    let a = app.base.clone();
    let b = app.spawn_beside().await;
    let vars = json!({ "r": round });
    let first = ask(&app, &a, None, vars.clone()).await;
    let (area, titles) = names(&first);
    assert_eq!(area, "Hyde Park");
    assert_eq!(ask(&app, &a, None, vars.clone()).await, first);

    // The answer is kept: a change the database's revision does not show
    // (made here by putting the revision back) is not seen...
    let db = &app.state.db;
    let revision = |db: &sea_orm::DatabaseConnection| {
        let db = db.clone();
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT n FROM public_revision WHERE id = 1",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
        }
    };
    let before = revision(db).await;
    db.execute_unprepared(&format!(
        "UPDATE bids SET title = 'Renamed behind the revision' WHERE round_id = {round}"
    ))
    .await
    .unwrap();
    assert!(
        revision(db).await > before,
        "a change to bids moves the revision on"
    );
    db.execute_unprepared(&format!(
        "UPDATE public_revision SET n = {before} WHERE id = 1"
    ))
    .await
    .unwrap();
    assert_eq!(
        ask(&app, &a, None, vars.clone()).await,
        first,
        "the kept answer was sent"
    );

    // ...but every real change is, whichever instance made it: an officer
    // renaming the area on the other instance,
    let officer = app.officer().await;
    let area_id = first["round"]["pots"][0]["area"]["id"].clone();
    let renamed = app
        .gql_at(
            &b,
            DEFAULT_CLIENT_IP,
            Some(&officer),
            "mutation($a: ID!, $i: UpdateAreaInput!) { updateArea(areaId: $a, input: $i) { id } }",
            json!({ "a": area_id, "i": { "name": "Hyde Park and Woodhouse" } }),
        )
        .await;
    assert!(renamed.get("errors").is_none(), "{renamed}");
    let after = ask(&app, &a, None, vars.clone()).await;
    let (area, new_titles) = names(&after);
    assert_eq!(area, "Hyde Park and Woodhouse");
    assert!(new_titles
        .iter()
        .all(|t| t == "Renamed behind the revision"));
    assert_ne!(titles, new_titles);

    // and a tool writing to the database directly.
    db.execute_unprepared(&format!(
        "UPDATE rounds SET title = 'Neighbourhood Fund 2027' WHERE id = {round}"
    ))
    .await
    .unwrap();
    assert_eq!(
        ask(&app, &a, None, vars.clone()).await["round"]["title"],
        "Neighbourhood Fund 2027"
    );
    assert_eq!(
        ask(&app, &b, None, vars.clone()).await,
        ask(&app, &a, None, vars).await,
        "both instances give the same answer"
    );
}

#[tokio::test]
async fn a_signed_in_answer_is_never_kept_or_given_to_anyone_else() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL", "maxChoices": 3 }), 2).await;
    for (i, voter) in e.voters.iter().enumerate() {
        app.ok(
            Some(&voter.token),
            CAST,
            json!({ "i": { "roundId": e.round, "choices": [{ "bidId": e.bids[0] }], "idempotencyKey": format!("kept-voter-{i:04}") } }),
        )
        .await;
    }
    crate::fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    let councillor = app
        .signed_in_as("cllr@council.test", Role::Councillor)
        .await;
    let vars = json!({ "r": e.round });
    // The councillor sees the provisional result with the very request an
    // anonymous reader sends next; the reader does not.
    let staff = ask(&app, &app.base, Some(&councillor), vars.clone()).await;
    assert!(staff["roundResult"]["version"].is_number(), "{staff}");
    let public = ask(&app, &app.base, None, vars.clone()).await;
    assert!(public["roundResult"].is_null(), "{public}");
    // Nor does a kept anonymous answer reach the councillor.
    assert_eq!(ask(&app, &app.base, Some(&councillor), vars).await, staff);
}
