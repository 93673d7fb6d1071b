//! Receipt proofs at scale: a round of 10,000 ballots (paper ballots
//! entered by an officer for 10,000 residents verified in person, through
//! the services), closed, counted and published; then every voter's
//! receipt is found in the published commitments and its RFC 6962
//! inclusion proof checked against the published root.
//!
//! Prints the proof size, the time to build the tree, to make every proof,
//! to check one, and what one `receiptProof` request costs the server.
//!
//! ```sh
//! cargo bench -p api --bench receipt_proofs
//! FAIRSHARE_BENCH_BALLOTS=20000 cargo bench -p api --bench receipt_proofs
//! ```
//! On SQLite in a temporary folder, or on PostgreSQL with
//! `FAIRSHARE_TEST_DATABASE_URL` (a fresh database is created).
#[path = "../tests/common/mod.rs"]
mod common;

use api::config::Settings;
use api::domain::vote::{Channel, Choice};
use api::domain::{
    ballot::TieBreak, BallotKind, BallotSettings, CountingRule, Evidence, ParticipantId, Phase,
    Relation, Role, Schedule,
};
use api::service::{
    accounts, areas, bids, groups, lifecycle, results, rounds, verification, voting, Actor,
};
use api::startup::Application;
use futures_util::future::join_all;
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    (best, out.expect("at least one run"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("FAIRSHARE_BENCH_BALLOTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let db_url = common::database(dir.path()).await;
    let vars: HashMap<&str, String> = HashMap::from([
        ("FAIRSHARE_ADDR", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", db_url.clone()),
        ("FAIRSHARE_SECRET", common::SECRET.to_owned()),
        (
            "FAIRSHARE_MAIL_DIR",
            dir.path().join("mail").display().to_string(),
        ),
        (
            "FAIRSHARE_SMS_DIR",
            dir.path().join("sms").display().to_string(),
        ),
        (
            "FAIRSHARE_LETTER_DIR",
            dir.path().join("letters").display().to_string(),
        ),
    ]);
    let settings = Settings::from_lookup(|k| vars.get(k).cloned())?;
    let app = Application::build(settings).await?;
    let state = app.state().clone();
    let db = &state.db;
    let backend = if db_url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let err = |e: api::error::ServiceError| anyhow::anyhow!("{e}");
    let actor = |a: api::service::accounts::Account| Actor {
        account_id: a.id,
        roles: a.roles,
    };
    let officer = actor(
        accounts::grant_role(
            db,
            &state.secret,
            None,
            &api::service::parse_email("officer@council.test").map_err(err)?,
            Role::Officer,
        )
        .await
        .map_err(err)?,
    );
    let councillor = actor(
        accounts::grant_role(
            db,
            &state.secret,
            None,
            &api::service::parse_email("cllr@council.test").map_err(err)?,
            Role::Councillor,
        )
        .await
        .map_err(err)?,
    );
    let chair = actor(
        accounts::ensure(
            db,
            &state.secret,
            &api::service::parse_email("chair@example.org").map_err(err)?,
        )
        .await
        .map_err(err)?,
    );
    let area = areas::create(
        db,
        &officer,
        areas::NewArea {
            name_cy: None,
            description_cy: None,
            name: "Hyde Park".into(),
            kind: "ward".into(),
            description: "The Moor and its streets.".into(),
            coverage: vec!["LS6 1".into()],
        },
    )
    .await
    .map_err(err)?;
    let round = rounds::create(
        db,
        &officer,
        rounds::NewRound {
            title_cy: None,
            description_cy: None,
            title: "Receipt Fund".into(),
            description: "A large round.".into(),
            pots: vec![(area.id, 1_000_000)],
            schedule: Schedule::default(),
            ballot: BallotSettings {
                kind: BallotKind::Approval,
                min_choices: None,
                max_choices: Some(3),
                score_min: None,
                score_max: None,
                points_total: None,
                points_max_per_bid: None,
                duplicate_policy: Default::default(),
            },
            rule: CountingRule {
                name: "mes-add1".into(),
                tie_break: TieBreak::CostSupportSeed,
                seed: Some(1),
                min_support: None,
                rank_points: None,
                seats: None,
                constraints: None,
            },
            eligibility: api::domain::Eligibility::default(),
        },
    )
    .await
    .map_err(err)?;
    lifecycle::advance(&state, &officer, round.id, Phase::BidsOpen)
        .await
        .map_err(err)?;
    let group = groups::register(
        db,
        &chair,
        groups::NewGroup {
            name: "Friends of the Moor".into(),
            description: "Volunteers.".into(),
            contact_email: "friends@example.org".into(),
            area_id: area.id,
        },
    )
    .await
    .map_err(err)?;
    let mut on_ballot = Vec::new();
    for i in 0..6 {
        let bid = bids::submit(
            db,
            &chair,
            bids::NewBid {
                round_id: round.id,
                group_id: group.id,
                area_id: area.id,
                details: bids::BidDetails {
                    welsh: Default::default(),
                    title: format!("Project number {i}"),
                    summary: "Something for the street.".into(),
                    description: "A longer description of something for the street.".into(),
                    cost_pence: 100_000 + 50_000 * i,
                    category: "community".into(),
                    location: bids::Location::default(),
                },
            },
        )
        .await
        .map_err(err)?;
        on_ballot.push(bid.id);
    }
    lifecycle::advance(&state, &officer, round.id, Phase::BidReview)
        .await
        .map_err(err)?;
    for b in &on_ballot {
        bids::review(db, &officer, *b, bids::ReviewDecision::Eligible, None)
            .await
            .map_err(err)?;
    }

    let t = Instant::now();
    let mut participants = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(100) {
        let made = join_all(chunk.iter().map(|&i| {
            let (state, officer) = (&state, &officer);
            async move {
                verification::record_in_person(
                    state,
                    officer,
                    round.id,
                    verification::InPersonRecord {
                        details: verification::PersonDetails::parse(
                            &format!("Resident {}", common::name_of(i)),
                            &format!(
                                "19{}-{:02}-{:02}",
                                30 + i % 60,
                                1 + i / 60 % 12,
                                1 + i / 720 % 28
                            ),
                            "LS6 1AB",
                            Relation::Live,
                        )
                        .map_err(err)?,
                        evidence: Evidence::ProofOfAddress,
                        email: None,
                        phone: None,
                        reference: None,
                    },
                )
                .await
                .map(|p| p.id)
            }
        }))
        .await;
        for p in made {
            participants.push(p.map_err(err)?);
        }
    }
    println!(
        "{backend}: {n} residents verified in person in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    lifecycle::advance(&state, &officer, round.id, Phase::Voting)
        .await
        .map_err(err)?;

    let t = Instant::now();
    let mut receipts = Vec::with_capacity(n);
    for chunk in participants.chunks(200).map(<[ParticipantId]>::to_vec) {
        let cast = join_all(chunk.into_iter().enumerate().map(|(k, participant_id)| {
            let (state, officer, on_ballot) = (&state, &officer, &on_ballot);
            async move {
                let picks = [
                    on_ballot[(participant_id.get() as usize + k) % on_ballot.len()],
                    on_ballot[(participant_id.get() as usize * 7) % on_ballot.len()],
                ];
                let mut picks = picks.to_vec();
                picks.sort_unstable();
                picks.dedup();
                voting::cast(
                    state,
                    voting::CastRequest {
                        round_id: round.id,
                        voter: voting::Voter::Officer {
                            officer: officer.clone(),
                            participant_id,
                        },
                        channel: Channel::Paper,
                        choices: picks
                            .into_iter()
                            .map(|bid_id| Choice {
                                bid_id,
                                value: None,
                            })
                            .collect(),
                        idempotency_key: format!("paper-ballot-{participant_id:08}"),
                    },
                )
                .await
                .map(|c| c.receipt_code)
            }
        }))
        .await;
        for c in cast {
            receipts.push(c.map_err(err)?);
        }
    }
    println!(
        "{backend}: {n} paper ballots cast in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let closed = lifecycle::advance(&state, &officer, round.id, Phase::Closed)
        .await
        .map_err(err)?;
    assert_eq!(closed.phase, Phase::Counted, "counted at close");
    println!(
        "{backend}: closed and counted in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    lifecycle::publish(&state, &councillor, round.id)
        .await
        .map_err(err)?;

    // What anyone downloads.
    let files: HashMap<String, Vec<u8>> = results::bundle(db, round.id, None, false)
        .await
        .map_err(err)?
        .expect("a published bundle")
        .into_iter()
        .collect();
    let manifest: serde_json::Value = serde_json::from_slice(&files["round.json"])?;
    let root = manifest["merkle_root"].as_str().unwrap_or("").to_owned();
    let leaves =
        tally::bundle::parse_commitments(&String::from_utf8_lossy(&files["commitments.txt"]))
            .map_err(|(line, m)| anyhow::anyhow!("commitments.txt line {line}: {m}"))?;
    assert_eq!(leaves.len(), n, "one commitment per ballot");

    let (build, built_root) = best_of(5, || tally::bundle::merkle_root(&leaves));
    assert_eq!(built_root, root, "the published root");
    let (prove_all, proofs) = best_of(3, || tally::bundle::inclusion_proofs(&leaves));

    // Every receipt: found by its code, its proof checked against the root.
    let index: HashMap<String, usize> = leaves
        .iter()
        .enumerate()
        .map(|(i, c)| (tally::bundle::receipt_code(c), i))
        .collect();
    let t = Instant::now();
    let mut verified = 0usize;
    for code in &receipts {
        let i = index[code];
        if tally::bundle::verify_inclusion(&root, &leaves[i], &proofs[i]) {
            verified += 1;
        }
    }
    let verify_all = t.elapsed();
    assert_eq!(verified, n, "every receipt's proof checks out");
    let sizes: Vec<usize> = proofs.iter().map(|p| p.hashes.len()).collect();
    let (min, max) = (
        sizes.iter().min().copied().unwrap_or(0),
        sizes.iter().max().copied().unwrap_or(0),
    );

    // One voter's request: the server reads the proof from the stored tree.
    let sample: Vec<&String> = receipts.iter().step_by((n / 50).max(1)).collect();
    let t = Instant::now();
    for code in &sample {
        let (proof, r, _) = results::receipt_proof(db, round.id, code)
            .await
            .map_err(err)?
            .expect("a proof");
        assert_eq!(r, root);
        assert!(proof.hashes.len() <= max);
    }
    let per_request = t.elapsed() / sample.len() as u32;

    println!("{backend}: {n} receipts, every inclusion proof verified against the published root ({verified}/{n})");
    println!(
        "  proof size: {min}–{max} hashes ({}–{} bytes); tree of {n} leaves built in {:.2} ms (best of 5)",
        min * 32,
        max * 32,
        build.as_secs_f64() * 1e3
    );
    println!(
        "  every proof made from one tree in {:.1} ms (best of 3); every proof checked in {:.1} ms ({:.1} µs each)",
        prove_all.as_secs_f64() * 1e3,
        verify_all.as_secs_f64() * 1e3,
        verify_all.as_secs_f64() * 1e6 / n as f64
    );
    println!(
        "  one receiptProof request (find the ballot by its receipt key, read its proof from the stored tree): {:.1} ms, mean of {}",
        per_request.as_secs_f64() * 1e3,
        sample.len()
    );
    Ok(())
}
