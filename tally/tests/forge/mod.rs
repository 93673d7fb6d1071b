//! A genuine bundle made with the library, as the server publishes one
//! (two pots, receipt commitments, a log whose `sealed` entry comes before
//! the count), and forgeries of it made as an attacker would: ballots
//! changed, recounted, and every hash and the whole log chain rebuilt.
#![allow(dead_code)] // each test binary uses part of this module

use serde_json::{json, Value};
use std::collections::BTreeMap;
use tally::bundle::{count_pot, entry_hash, merkle_root, RuleSpec, FORMAT};
use tally::canonical::{sha256_hex, to_canonical_string};

/// A bundle's files by name.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Pot 3: four bids, ten approval ballots.
pub const POT_3: &str = "META\nkey;value\ndescription;Spring round – Riverside\ncountry;United Kingdom\nunit;Riverside\ninstance;Spring round\nnum_projects;4\nnum_votes;10\nbudget;1000\nvote_type;approval\nrule;mes\nPROJECTS\nproject_id;cost;name\n31;600;Benches\n32;400;Bins\n33;300;Bowls green\n34;500;Mural\nVOTES\nvoter_id;vote\n1;31,32\n2;31,32\n3;31,33\n4;32,33\n5;31\n6;32\n7;33,31\n8;31,32,33\n9;34\n10;32\n";

/// Pot 5: three bids, six approval ballots.
pub const POT_5: &str = "META\nkey;value\ndescription;Spring round – Hillside\ncountry;United Kingdom\nunit;Hillside\ninstance;Spring round\nnum_projects;3\nnum_votes;6\nbudget;800\nvote_type;approval\nrule;mes\nPROJECTS\nproject_id;cost;name\n51;500;Play park\n52;300;Planters\n53;200;Noticeboard\nVOTES\nvoter_id;vote\n1;51\n2;51,52\n3;52,53\n4;51\n5;53\n6;51,53\n";

/// The round's rule, leaving out `excluded`.
pub fn spec(excluded: &[&str]) -> RuleSpec {
    RuleSpec {
        name: "mes".into(),
        tie_break: "cost-support-seed:2024".into(),
        excluded: excluded.iter().map(|s| s.to_string()).collect(),
        ..RuleSpec::default()
    }
}

/// The receipt commitments, sorted as published.
pub fn commitments() -> Vec<[u8; 32]> {
    let mut c: Vec<[u8; 32]> = (0..16)
        .map(|i| {
            let mut b = [0u8; 32];
            hex::decode_to_slice(sha256_hex(format!("receipt {i}").as_bytes()), &mut b).unwrap();
            b
        })
        .collect();
    c.sort_unstable();
    c
}

fn commitments_txt(c: &[[u8; 32]]) -> String {
    c.iter().map(|c| format!("{}\n", hex::encode(c))).collect()
}

/// A genuine bundle and the close checkpoint witnesses were sent.
pub struct Genuine {
    pub files: Files,
    /// The hash of the `sealed` entry (empty when the log has none).
    pub checkpoint: String,
}

/// The genuine bundle: version 1 of a round with pots 3 and 5.
pub fn genuine() -> Genuine {
    build(&[(3, POT_3), (5, POT_5)], true)
}

/// A published first version, its log with or without a `sealed` entry.
pub fn build(pots: &[(i64, &str)], sealed: bool) -> Genuine {
    let c = commitments();
    let mut kinds = vec![
        (
            "phase_changed",
            json!({ "from": "bids_open", "to": "voting" }),
        ),
        ("phase_changed", json!({ "from": "voting", "to": "closed" })),
    ];
    if sealed {
        let seal = json!({
            "pots": pots.iter().map(|(id, pb)| json!({
                "pot": id,
                "ballots": tally::pb::parse(pb).unwrap().ballots.len(),
                "ballots_sha256": sha256_hex(pb.as_bytes()),
            })).collect::<Vec<_>>(),
            "commitments": c.len(),
            "merkle_root": merkle_root(&c),
        });
        kinds.push(("sealed", seal));
    }
    let mut log = chain(&kinds);
    let checkpoint = log
        .iter()
        .find(|e| e["kind"] == "sealed")
        .map(|e| e["hash"].as_str().unwrap().to_owned())
        .unwrap_or_default();
    let mut files = Files::new();
    for (id, pb) in pots {
        files.insert(format!("pot-{id}.pb"), pb.as_bytes().to_vec());
    }
    files.insert("commitments.txt".into(), commitments_txt(&c).into_bytes());
    count_and_publish(&mut files, &mut log, &spec(&[]), 1);
    Genuine { files, checkpoint }
}

/// A correction: the same sealed files counted again leaving out
/// `excluded`, published as version 2.
pub fn correct(g: &Files, excluded: &[&str]) -> Files {
    let mut files = g.clone();
    let mut log = entries(&files);
    count_and_publish(&mut files, &mut log, &spec(excluded), 2);
    files
}

/// Counts every pot with `spec` and publishes: results, configuration,
/// the `counted` (or `recounted`) and `published` (or `corrected`)
/// entries, the manifest.
fn count_and_publish(files: &mut Files, log: &mut Vec<Value>, spec: &RuleSpec, version: u32) {
    let config = to_canonical_string(&spec.to_json());
    files.insert("config.json".into(), config.clone().into_bytes());
    let mut logged = Vec::new();
    for id in pot_ids(files) {
        let pb = String::from_utf8(files[&format!("pot-{id}.pb")].clone()).unwrap();
        let own: Vec<String> = spec
            .excluded
            .iter()
            .filter(|x| tally::pb::parse(&pb).unwrap().project_index(x).is_some())
            .cloned()
            .collect();
        let pot_spec = RuleSpec {
            excluded: own,
            ..spec.clone()
        };
        let result = count_pot(&pot_spec, &pb).unwrap();
        let r: Value = serde_json::from_str(&result).unwrap();
        logged.push(json!({
            "pot": id,
            "ballots_sha256": sha256_hex(pb.as_bytes()),
            "result_sha256": sha256_hex(result.as_bytes()),
            "selected": r["selected"],
        }));
        files.insert(format!("pot-{id}.result.json"), result.into_bytes());
    }
    let (counted, published) = if version == 1 {
        ("counted", "published")
    } else {
        ("recounted", "corrected")
    };
    let mut kinds: Vec<(&str, Value)> = log_kinds(log);
    kinds.push((
        counted,
        json!({ "version": version, "config_sha256": sha256_hex(config.as_bytes()),
                "excluded_bids": spec.excluded, "reason": null, "pots": logged, "by": null }),
    ));
    kinds.push((published, json!({ "version": version, "by": 7 })));
    *log = chain(&kinds);
    files.insert("audit.jsonl".into(), jsonl(log).into_bytes());
    manifest(files, version);
}

/// The pots of a bundle, by their ballots files.
fn pot_ids(files: &Files) -> Vec<i64> {
    files
        .keys()
        .filter_map(|n| n.strip_prefix("pot-")?.strip_suffix(".pb")?.parse().ok())
        .collect()
}

/// Numbers and chains entries: each holds the hash of the one before.
pub fn chain(kinds: &[(&str, Value)]) -> Vec<Value> {
    let mut prev = String::new();
    let mut out = Vec::new();
    for (i, (kind, details)) in kinds.iter().enumerate() {
        let mut e = json!({
            "seq": i + 1,
            "at": format!("2026-05-01T18:{:02}:00Z", i),
            "kind": kind,
            "details": details,
            "prev": prev,
        });
        prev = entry_hash(&e);
        e["hash"] = json!(prev);
        out.push(e);
    }
    out
}

fn log_kinds(log: &[Value]) -> Vec<(&str, Value)> {
    log.iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["details"].clone()))
        .collect()
}

/// Recomputes every entry's `prev` and `hash`, keeping the rest.
pub fn rechain(log: &mut [Value]) {
    let mut prev = String::new();
    for e in log.iter_mut() {
        e["prev"] = json!(prev);
        prev = entry_hash(e);
        e["hash"] = json!(prev);
    }
}

/// The log's entries.
pub fn entries(files: &Files) -> Vec<Value> {
    String::from_utf8_lossy(&files["audit.jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn jsonl(log: &[Value]) -> String {
    log.iter()
        .map(|e| format!("{}\n", to_canonical_string(e)))
        .collect()
}

/// Writes the manifest for the files as they are.
pub fn manifest(files: &mut Files, version: u32) {
    let sha = |files: &Files, n: &str| sha256_hex(&files[n]);
    let pots: Vec<Value> = pot_ids(files)
        .iter()
        .map(|id| {
            let (pb, result) = (format!("pot-{id}.pb"), format!("pot-{id}.result.json"));
            json!({ "id": id, "area": id * 10, "ballots": pb, "ballots_sha256": sha(files, &pb),
                    "result": result, "result_sha256": sha(files, &result) })
        })
        .collect();
    let c = tally::bundle::parse_commitments(&String::from_utf8_lossy(&files["commitments.txt"]))
        .unwrap();
    let log = entries(files);
    let m = json!({
        "format": FORMAT,
        "round": { "id": 1, "title": "Spring round" },
        "version": version,
        "config": "config.json",
        "config_sha256": sha(files, "config.json"),
        "pots": pots,
        "commitments": "commitments.txt",
        "commitments_sha256": sha(files, "commitments.txt"),
        "commitments_count": c.len(),
        "merkle_root": merkle_root(&c),
        "audit": "audit.jsonl",
        "audit_sha256": sha(files, "audit.jsonl"),
        "audit_entries": log.len(),
        "audit_head": log.last().map(|e| e["hash"].clone()).unwrap_or(json!("")),
    });
    files.insert("round.json".into(), serde_json::to_vec_pretty(&m).unwrap());
}

/// The ballots file with the named voters' ballots replaced by `vote`.
pub fn with_ballots(pb: &str, voters: &[&str], vote: &str) -> String {
    let mut in_votes = false;
    pb.lines()
        .map(|l| {
            in_votes |= l == "VOTES";
            match l.split_once(';') {
                Some((v, _)) if in_votes && voters.contains(&v) => format!("{v};{vote}\n"),
                _ => format!("{l}\n"),
            }
        })
        .collect()
}

/// A forgery as a careful attacker makes it: pot `pot`'s ballots file
/// replaced, recounted with the published rule, the result, every SHA-256
/// in the manifest and in the `counted` entry updated, and every log entry
/// re-chained. With `reseal`, the `sealed` entry is rewritten to match
/// the forged file too (its hash, the close checkpoint, then changes).
pub fn forge(g: &Files, pot: i64, forged_pb: &str, reseal: bool) -> Files {
    let mut files = g.clone();
    let pb_name = format!("pot-{pot}.pb");
    files.insert(pb_name, forged_pb.as_bytes().to_vec());
    let config: Value = serde_json::from_slice(&files["config.json"]).unwrap();
    let spec = RuleSpec::from_json(&config).unwrap();
    let result = count_pot(&spec, forged_pb).unwrap();
    let selected = serde_json::from_str::<Value>(&result).unwrap()["selected"].clone();
    let (pb_sha, result_sha) = (
        sha256_hex(forged_pb.as_bytes()),
        sha256_hex(result.as_bytes()),
    );
    files.insert(format!("pot-{pot}.result.json"), result.into_bytes());
    let mut log = entries(&files);
    for e in &mut log {
        let kind = e["kind"].as_str().unwrap_or_default().to_owned();
        // (`pointer_mut`: indexing would add `"pots": null` elsewhere.)
        let pots = e.pointer_mut("/details/pots").and_then(Value::as_array_mut);
        for p in pots.into_iter().flatten() {
            if p["pot"] != pot {
                continue;
            }
            if kind == "counted" || kind == "recounted" {
                p["ballots_sha256"] = json!(pb_sha);
                p["result_sha256"] = json!(result_sha);
                p["selected"] = selected.clone();
            } else if kind == "sealed" && reseal {
                p["ballots_sha256"] = json!(pb_sha);
                p["ballots"] = json!(tally::pb::parse(forged_pb).unwrap().ballots.len());
            }
        }
    }
    rechain(&mut log);
    files.insert("audit.jsonl".into(), jsonl(&log).into_bytes());
    let version = serde_json::from_slice::<Value>(&files["round.json"]).unwrap()["version"]
        .as_u64()
        .unwrap() as u32;
    manifest(&mut files, version);
    files
}

/// The hash of the `sealed` entry, as a bundle's log has it.
pub fn sealed_hash(files: &Files) -> Option<String> {
    entries(files)
        .iter()
        .find(|e| e["kind"] == "sealed")
        .map(|e| e["hash"].as_str().unwrap().to_owned())
}

/// The selected projects of a pot's published result.
pub fn selected(files: &Files, pot: i64) -> Value {
    serde_json::from_slice::<Value>(&files[&format!("pot-{pot}.result.json")]).unwrap()["selected"]
        .clone()
}

/// Writes a bundle as a folder.
pub fn write_dir(files: &Files, dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
