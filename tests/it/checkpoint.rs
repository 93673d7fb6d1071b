//! The witnessed close checkpoint, tried as a forger would: the real
//! server closes a round, its witnesses (the groups with a bid, and an
//! observer) get the checkpoint by email before anything is published,
//! signed with the council's key; then a published bundle is forged (ballots
//! changed, recounted, every hash and the whole log chain rebuilt) and
//! `tally verify --checkpoint` refuses it, while the genuine bundle and a
//! correction pass with the same checkpoint.
use crate::fixtures;
use crate::helpers::{decoded, error_code, TestApp};
use crate::results::{download, untar, Files, CORRECT, PUBLISH};
use crate::voting::{election, CAST};
use api::domain::Role;
use serde_json::{json, Value};

const OBSERVE: &str =
    "mutation($r: ID!, $e: String!) { observeRound(roundId: $r, email: $e) { id observing } }";
const STOP: &str = "mutation($r: ID!) { stopObservingRound(roundId: $r) { observing } }";
const ROUND: &str =
    "query($r: ID!) { round(id: $r) { phase closeCheckpoint closeCheckpointSignature } }";

fn verify(files: &Files, checkpoint: Option<&str>) -> Result<tally::bundle::Checked, Vec<String>> {
    let options = tally::bundle::Options {
        checkpoint: checkpoint.map(|c| tally::bundle::parse_checkpoint(c).unwrap()),
    };
    tally::bundle::verify_with(&|name: &str| files.get(name).cloned(), &options)
        .into_result()
        .map_err(|p| p.iter().map(ToString::to_string).collect())
}

fn sha256(bytes: &[u8]) -> String {
    tally::canonical::sha256_hex(bytes)
}

fn log(files: &Files) -> Vec<Value> {
    String::from_utf8(files["audit.jsonl"].clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Writes the log back with every entry re-chained: each `prev` the hash
/// before it, each `hash` recomputed; and the manifest's log fields.
fn rechain(files: &mut Files, mut entries: Vec<Value>) {
    let mut prev = String::new();
    for e in &mut entries {
        e["prev"] = json!(prev);
        let h = tally::bundle::entry_hash(e);
        e["hash"] = json!(h);
        prev = h;
    }
    let text: String = entries
        .iter()
        .map(|e| format!("{}\n", tally::canonical::to_canonical_string(e)))
        .collect();
    let mut manifest: Value = serde_json::from_slice(&files["round.json"]).unwrap();
    manifest["audit_sha256"] = json!(sha256(text.as_bytes()));
    manifest["audit_head"] = json!(prev);
    manifest["audit_entries"] = json!(entries.len());
    files.insert("audit.jsonl".into(), text.into_bytes());
    files.insert(
        "round.json".into(),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    );
}

/// The forgery: in the first pot, every ballot that names the first
/// funded bid names instead the bid that was not funded; the pot is
/// recounted with `tally`, and every hash that covers it is rebuilt (the
/// manifest, the log's count entry and, if `reseal`, its sealed entry too),
/// then the whole log is re-chained.
fn forge(genuine: &Files, reseal: bool) -> Files {
    let mut files = genuine.clone();
    let mut manifest: Value = serde_json::from_slice(&files["round.json"]).unwrap();
    let pot = manifest["pots"][0].clone();
    let (pb_name, result_name) = (
        pot["ballots"].as_str().unwrap().to_owned(),
        pot["result"].as_str().unwrap().to_owned(),
    );
    let pb = String::from_utf8(files[&pb_name].clone()).unwrap();
    let result: Value = serde_json::from_slice(&files[&result_name]).unwrap();
    let funded = result["selected"][0].as_str().unwrap().to_owned();
    let election = tally::pb::parse(&pb).unwrap();
    let loser = election
        .projects
        .iter()
        .map(|p| p.id.clone())
        .find(|id| !result["selected"].as_array().unwrap().contains(&json!(id)))
        .expect("a bid that was not funded");
    // Ballot lines are `voter;bid,bid`: swap the funded bid for the loser.
    let mut in_votes = false;
    let mut changed = 0;
    let forged_pb: String = pb
        .lines()
        .map(|l| {
            if l.trim() == "VOTES" {
                in_votes = true;
            }
            if in_votes && l.contains(';') {
                let (voter, rest) = l.split_once(';').unwrap();
                let (bids, tail) = rest.split_once(';').unwrap_or((rest, ""));
                let mut ids: Vec<&str> = bids.split(',').collect();
                if ids.contains(&funded.as_str()) && !ids.contains(&loser.as_str()) {
                    for id in &mut ids {
                        if *id == funded {
                            *id = &loser;
                        }
                    }
                    changed += 1;
                    let sep = if tail.is_empty() && !rest.contains(';') {
                        ""
                    } else {
                        ";"
                    };
                    return format!("{voter};{}{sep}{tail}\n", ids.join(","));
                }
            }
            format!("{l}\n")
        })
        .collect();
    assert!(changed > 0, "the forgery changes ballots");
    let config: Value = serde_json::from_slice(&files["config.json"]).unwrap();
    let spec = tally::bundle::RuleSpec::from_json(&config).unwrap();
    let forged_result = tally::bundle::count_pot(&spec, &forged_pb).unwrap();
    let (pb_sha, result_sha) = (
        sha256(forged_pb.as_bytes()),
        sha256(forged_result.as_bytes()),
    );
    files.insert(pb_name, forged_pb.into_bytes());
    files.insert(result_name, forged_result.clone().into_bytes());
    manifest["pots"][0]["ballots_sha256"] = json!(pb_sha);
    manifest["pots"][0]["result_sha256"] = json!(result_sha);
    files.insert(
        "round.json".into(),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    );
    let pot_id = pot["id"].clone();
    let forged: Value = serde_json::from_str(&forged_result).unwrap();
    let mut entries = log(&files);
    for e in &mut entries {
        let kind = e["kind"].as_str().unwrap().to_owned();
        for p in e["details"]["pots"].as_array_mut().into_iter().flatten() {
            if p["pot"] != pot_id {
                continue;
            }
            if kind == "sealed" && reseal {
                p["ballots_sha256"] = json!(pb_sha);
            }
            if kind == "counted" {
                p["ballots_sha256"] = json!(pb_sha);
                p["result_sha256"] = json!(result_sha);
                p["selected"] = forged["selected"].clone();
            }
        }
    }
    rechain(&mut files, entries);
    files
}

#[tokio::test]
async fn witnesses_hold_the_close_checkpoint_and_a_rehashed_forgery_fails_against_it() {
    let app = TestApp::spawn().await;
    let e = election(&app, json!({ "kind": "APPROVAL" }), 6).await;
    // An observer asks for the checkpoint: with their own address only.
    let observer = app.sign_in("observer@press.test").await;
    let wrong = app
        .gql(
            Some(&observer),
            OBSERVE,
            json!({ "r": e.round, "e": "someone.else@press.test" }),
        )
        .await;
    assert_eq!(error_code(&wrong), "INVALID_INPUT", "{wrong:#}");
    let watching = app
        .ok(
            Some(&observer),
            OBSERVE,
            json!({ "r": e.round, "e": "Observer@Press.test" }),
        )
        .await;
    assert_eq!(watching["observeRound"]["observing"], true);
    // One who changes their mind is not sent it.
    let quitter = app.sign_in("quitter@press.test").await;
    app.ok(
        Some(&quitter),
        OBSERVE,
        json!({ "r": e.round, "e": "quitter@press.test" }),
    )
    .await;
    let stopped = app.ok(Some(&quitter), STOP, json!({ "r": e.round })).await;
    assert_eq!(stopped["stopObservingRound"]["observing"], false);

    // Bids 0 and 1 are popular, bid 3 (£6,000) less so.
    let picks = [[0, 1], [0, 1], [0, 3], [1, 3], [0, 2], [3, 1]];
    for (i, v) in e.voters.iter().enumerate() {
        let lines: Vec<Value> = picks[i]
            .iter()
            .map(|b| json!({ "bidId": e.bids[*b] }))
            .collect();
        app.ok(
            Some(&v.token),
            CAST,
            json!({ "i": { "roundId": e.round, "choices": lines, "idempotencyKey": format!("checkpoint-{i:04}") } }),
        )
        .await;
    }
    let before = app.ok(None, ROUND, json!({ "r": e.round })).await;
    assert_eq!(before["round"]["closeCheckpoint"], Value::Null);
    fixtures::advance(&app, &e.officer, &e.round, "CLOSED").await;
    let closed = app.ok(None, ROUND, json!({ "r": e.round })).await;
    let checkpoint = closed["round"]["closeCheckpoint"]
        .as_str()
        .expect("a checkpoint once voting closes")
        .to_owned();
    let signature = closed["round"]["closeCheckpointSignature"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(checkpoint.len(), 64);

    // The signature verifies against the published key, for this round
    // and this checkpoint only.
    let key: Value = app
        .client
        .get(format!("{}/.well-known/fairshare-signing-key", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let public = key["public_key"].as_str().unwrap();
    let round_id: i64 = e.round.parse().unwrap();
    assert!(api::crypto::verify_checkpoint(
        public,
        round_id,
        &checkpoint,
        &signature
    ));
    assert!(!api::crypto::verify_checkpoint(
        public,
        round_id + 1,
        &checkpoint,
        &signature
    ));

    // Every witness has it by email, before anything is published.
    assert_eq!(closed["round"]["phase"], "COUNTED");
    for witness in ["hello@friends.test", "observer@press.test"] {
        let mail = app.smtp.messages_to(witness);
        let sent = mail
            .iter()
            .map(|m| decoded(m))
            .find(|(subject, _)| subject.contains("close checkpoint"))
            .unwrap_or_else(|| panic!("{witness} was sent the checkpoint"));
        assert!(sent.1.contains(&checkpoint), "{}", sent.1);
        assert!(sent.1.contains(&signature), "{}", sent.1);
        assert!(sent.1.contains(&format!("--checkpoint {checkpoint}")));
    }
    assert!(
        app.smtp
            .messages_to("quitter@press.test")
            .iter()
            .all(|m| !decoded(m).0.contains("checkpoint")),
        "no email to one who stopped observing"
    );
    // Too late to ask once voting has closed.
    let late = app
        .gql(
            Some(&observer),
            OBSERVE,
            json!({ "r": e.round, "e": "observer@press.test" }),
        )
        .await;
    assert_eq!(error_code(&late), "PHASE_CLOSED");

    let councillor = app
        .signed_in_as("councillor@council.test", Role::Councillor)
        .await;
    app.ok(Some(&councillor), PUBLISH, json!({ "r": e.round }))
        .await;
    let (status, tar) = download(
        &app,
        &format!("/rounds/{}/results/v1/bundle.tar", e.round),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let genuine = untar(&tar);
    let checked = verify(&genuine, Some(&checkpoint)).expect("the genuine bundle passes");
    assert_eq!(checked.checkpoint.as_deref(), Some(checkpoint.as_str()));

    // A forgery that keeps the sealed entry fails even without a
    // checkpoint: the sealed entry names the genuine ballots file.
    let kept = forge(&genuine, false);
    let problems = verify(&kept, None).expect_err("the sealed entry gives it away");
    assert!(problems.iter().any(|p| p.contains("seal")), "{problems:?}");

    // A forgery that rewrites the sealed entry too passes every check a
    // bundle can make of itself…
    let resealed = forge(&genuine, true);
    let funded = |files: &Files| -> Value {
        let manifest: Value = serde_json::from_slice(&files["round.json"]).unwrap();
        let name = manifest["pots"][0]["result"].as_str().unwrap().to_owned();
        serde_json::from_slice::<Value>(&files[&name]).unwrap()["selected"].clone()
    };
    assert_ne!(
        funded(&resealed),
        funded(&genuine),
        "the forgery changes who is funded"
    );
    verify(&resealed, None).expect("a rehashed forgery passes without the checkpoint");
    // …but not against the checkpoint the witnesses hold.
    let problems = verify(&resealed, Some(&checkpoint)).expect_err("the checkpoint refuses it");
    assert!(
        problems.iter().any(|p| p.contains("checkpoint")),
        "{problems:?}"
    );

    // A correction is published as a new version and keeps the checkpoint.
    app.ok(
        Some(&councillor),
        CORRECT,
        json!({ "r": e.round, "why": "The bowls club has closed for good.", "x": [e.bids[3]] }),
    )
    .await;
    let (status, tar) = download(
        &app,
        &format!("/rounds/{}/results/v2/bundle.tar", e.round),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let corrected = untar(&tar);
    verify(&corrected, Some(&checkpoint)).expect("the correction passes with the same checkpoint");
    let still = app.ok(None, ROUND, json!({ "r": e.round })).await;
    assert_eq!(still["round"]["closeCheckpoint"], json!(checkpoint));
}
