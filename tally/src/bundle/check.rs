//! Checking a bundle: the manifest, each pot recounted, the commitments,
//! the log, and the close checkpoint. See the module above for what a
//! bundle holds and what each check catches.
use super::{
    count_election, entry_hash, excluded_in, merkle_root, parse_commitments, problem,
    without_projects, Problem, RuleSpec, FORMAT,
};
use crate::canonical::sha256_hex;
use crate::model::Election;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What a check is told besides the bundle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The close checkpoint a witness received when voting closed: the
    /// hash of the log's `sealed` entry. When given, the bundle holds only
    /// if its log has that entry, intact and with every entry before it,
    /// and its ballots files and commitments are the ones it seals.
    pub checkpoint: Option<[u8; 32]>,
}

/// What a bundle holds. [`verify`] returns it when every check passes;
/// [`verify_with`] returns it always, with what was found so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    pub pots: usize,
    pub ballots: usize,
    pub commitments: usize,
    pub audit_entries: usize,
    /// The close checkpoint found in the log: the hash (hex) of its
    /// `sealed` entry (the witnessed one when [`Options::checkpoint`]
    /// names one the log has); `None` when the log has none.
    pub checkpoint: Option<String>,
    /// The `seq` of that entry.
    pub checkpoint_entry: Option<u64>,
    /// The hash (hex) of the log's last entry, as published.
    pub log_head: Option<String>,
    /// The Merkle root (hex) recomputed from the commitments file.
    pub merkle_root: Option<String>,
}

/// What [`verify_with`] found: what the bundle holds, and every problem
/// (none when it checks out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub checked: Checked,
    pub problems: Vec<Problem>,
}

impl Report {
    /// Whether every check passed.
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }

    /// What was checked, or every problem found.
    pub fn into_result(self) -> Result<Checked, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(self.checked)
        } else {
            Err(self.problems)
        }
    }
}

/// Reads a close checkpoint as witnesses get it: 64 hexadecimal
/// characters, in either case.
pub fn parse_checkpoint(text: &str) -> Result<[u8; 32], String> {
    let t = text.trim();
    if t.len() != 64 {
        return Err(format!(
            "a close checkpoint is 64 hexadecimal characters (a SHA-256), not {}",
            t.chars().count()
        ));
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(t, &mut out)
        .map_err(|_| "a close checkpoint is 64 hexadecimal characters (0-9, a-f)".to_string())?;
    Ok(out)
}

/// Checks a bundle. `read` gives a file's bytes by name (`None` when the
/// bundle lacks it). Returns what was checked, or every problem found.
/// The same as [`verify_with`] without a witnessed checkpoint.
pub fn verify(read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Result<Checked, Vec<Problem>> {
    verify_with(read, &Options::default()).into_result()
}

/// Checks a bundle, against a witnessed close checkpoint if `options`
/// gives one: every file against the manifest, every pot recounted and
/// compared byte for byte, the commitments' Merkle root, the log's chain,
/// and the ballots files and commitments against the log's `sealed`
/// entry.
pub fn verify_with(read: &dyn Fn(&str) -> Option<Vec<u8>>, options: &Options) -> Report {
    let mut c = Check {
        read,
        manifest: Value::Null,
        problems: Vec::new(),
        out: Checked::default(),
    };
    if let Err(p) = c.manifest() {
        return Report {
            checked: c.out,
            problems: vec![p],
        };
    }
    let spec = c.config();
    let pots = c.pots(spec.as_ref());
    let commitments = c.commitments();
    let log = c.log();
    c.seal(log.as_ref(), &pots, commitments.as_ref(), options);
    Report {
        checked: c.out,
        problems: c.problems,
    }
}

/// A check under way: the bundle, its manifest, and what was found.
struct Check<'a> {
    read: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    manifest: Value,
    problems: Vec<Problem>,
    out: Checked,
}

/// One pot's ballots file as found.
struct Pot {
    id: Option<i64>,
    file: String,
    sha256: String,
    /// Its number of ballots, when it could be read.
    ballots: Option<usize>,
}

/// The commitments file as found.
struct Commitments {
    file: String,
    count: usize,
    root: String,
}

/// The round's log as found.
struct Log {
    file: String,
    entries: Vec<Entry>,
}

struct Entry {
    seq: u64,
    /// Its hash as published.
    hash: String,
    /// Whether the chain holds up to and including this entry.
    intact: bool,
    value: Value,
}

/// What a `sealed` entry seals.
struct Seal {
    /// Per pot id: the number of ballots and the SHA-256 of its file.
    pots: BTreeMap<i64, (u64, String)>,
    commitments: u64,
    merkle_root: String,
}

impl Check<'_> {
    fn say(&mut self, file: &str, at: Option<String>, message: impl Into<String>) {
        self.problems.push(problem(file, at, message));
    }

    /// A file's bytes, checked against the SHA-256 the manifest publishes.
    fn file(&mut self, name: &str, published: &Value) -> Option<Vec<u8>> {
        let Some(bytes) = (self.read)(name) else {
            self.say(name, None, "missing from the bundle");
            return None;
        };
        let sha = sha256_hex(&bytes);
        if published.as_str() != Some(sha.as_str()) {
            let message = format!(
                "changed since publication: its SHA-256 is {sha}, the manifest publishes {}",
                published.as_str().unwrap_or("nothing")
            );
            self.say(name, None, message);
        }
        Some(bytes)
    }

    /// `round.json`: the one failure that stops the check.
    fn manifest(&mut self) -> Result<(), Problem> {
        let bytes = (self.read)("round.json")
            .ok_or_else(|| problem("round.json", None, "the bundle has no manifest"))?;
        let manifest: Value = serde_json::from_slice(&bytes)
            .map_err(|e| problem("round.json", None, format!("not JSON: {e}")))?;
        if manifest["format"] != FORMAT {
            return Err(problem(
                "round.json",
                None,
                format!("not a {FORMAT} manifest"),
            ));
        }
        self.manifest = manifest;
        Ok(())
    }

    /// `config.json`: the rule to recount with.
    fn config(&mut self) -> Option<RuleSpec> {
        let published = self.manifest["config_sha256"].clone();
        let bytes = self.file("config.json", &published)?;
        let spec = serde_json::from_slice::<Value>(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|v| RuleSpec::from_json(&v));
        spec.map_err(|e| self.say("config.json", None, e)).ok()
    }

    /// Every pot recounted; the configuration's excluded projects must
    /// each be some pot's.
    fn pots(&mut self, spec: Option<&RuleSpec>) -> Vec<Pot> {
        let listed = self.manifest["pots"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut found = BTreeSet::new();
        let mut pots = Vec::new();
        let mut read = 0;
        for pot in &listed {
            let (Some(pb_name), Some(result_name)) =
                (pot["ballots"].as_str(), pot["result"].as_str())
            else {
                self.say("round.json", None, "a pot without its files");
                continue;
            };
            self.out.pots += 1;
            let (facts, election) = self.pot(pot, pb_name);
            pots.extend(facts);
            let result = self.file(result_name, &pot["result_sha256"]);
            let (Some(election), Some(spec)) = (election, spec) else {
                continue;
            };
            let own = excluded_in(spec, &election);
            found.extend(own.iter().cloned());
            read += 1;
            if let Some(result) = result {
                self.recount(spec, election, &own, (pb_name, result_name), &result);
            }
        }
        if let Some(spec) = spec.filter(|_| read == listed.len()) {
            let unknown: Vec<&str> = spec
                .excluded
                .iter()
                .filter(|id| !found.contains(*id))
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() {
                let message = format!(
                    "it excludes {}, which no pot has: the configuration is not this round's",
                    unknown.join(", ")
                );
                self.say("config.json", None, message);
            }
        }
        pots
    }

    /// One pot's ballots file, and its election when it can be read.
    fn pot(&mut self, pot: &Value, pb_name: &str) -> (Option<Pot>, Option<Election>) {
        let Some(bytes) = self.file(pb_name, &pot["ballots_sha256"]) else {
            return (None, None);
        };
        let mut facts = Pot {
            id: pot["id"].as_i64().or_else(|| {
                let n = pb_name.strip_prefix("pot-")?.strip_suffix(".pb")?;
                n.parse().ok()
            }),
            file: pb_name.to_owned(),
            sha256: sha256_hex(&bytes),
            ballots: None,
        };
        let Ok(text) = String::from_utf8(bytes) else {
            self.say(pb_name, None, "not UTF-8 text");
            return (Some(facts), None);
        };
        match crate::pb::parse(&text) {
            Ok(e) => {
                facts.ballots = Some(e.ballots.len());
                self.out.ballots += e.ballots.len();
                (Some(facts), Some(e))
            }
            Err(e) => {
                self.say(pb_name, Some(format!("line {}", e.line)), e.message);
                (Some(facts), None)
            }
        }
    }

    /// Recounts a pot (less its excluded projects) and compares the
    /// result with the published one, byte for byte.
    fn recount(
        &mut self,
        spec: &RuleSpec,
        election: Election,
        own: &[String],
        (pb_name, result_name): (&str, &str),
        result: &[u8],
    ) {
        let published: Value = match serde_json::from_slice(result) {
            Ok(v) => v,
            Err(e) => return self.say(result_name, None, format!("not JSON: {e}")),
        };
        let ballots = election.ballots.len();
        let recount = match without_projects(election, own).and_then(|e| count_election(spec, &e)) {
            Ok(r) => r,
            Err(e) => return self.say(pb_name, None, format!("cannot be counted: {e}")),
        };
        if recount.as_bytes() != result {
            let recounted: Value = serde_json::from_str(&recount).unwrap_or(Value::Null);
            let said = differences(&recounted, &published, pb_name, ballots);
            self.say(result_name, None, said);
        }
    }

    /// The commitments file and its Merkle root.
    fn commitments(&mut self) -> Option<Commitments> {
        let name = self.manifest["commitments"].as_str()?.to_owned();
        let published = self.manifest["commitments_sha256"].clone();
        let bytes = self.file(&name, &published)?;
        let leaves = match parse_commitments(&String::from_utf8_lossy(&bytes)) {
            Ok(c) => c,
            Err((line, m)) => {
                self.say(&name, Some(format!("line {line}")), m);
                return None;
            }
        };
        let (count, root) = (leaves.len(), merkle_root(&leaves));
        self.out.commitments = count;
        self.out.merkle_root = Some(root.clone());
        let (m_root, m_count) = (
            &self.manifest["merkle_root"],
            &self.manifest["commitments_count"],
        );
        let mut said = Vec::new();
        if m_root.as_str() != Some(root.as_str()) {
            said.push(format!(
                "the Merkle root of its {count} commitments is {root}, the manifest publishes {} over {m_count}",
                m_root.as_str().unwrap_or("nothing"),
            ));
        }
        if m_count.as_u64() != Some(count as u64) {
            said.push(format!("{count} commitments, the manifest says {m_count}"));
        }
        for message in said {
            self.say(&name, None, message);
        }
        Some(Commitments {
            file: name,
            count,
            root,
        })
    }

    /// The round's log: each entry's hash, each entry following the one
    /// before, and the last one the published head.
    fn log(&mut self) -> Option<Log> {
        let name = self.manifest["audit"].as_str()?.to_owned();
        let published = self.manifest["audit_sha256"].clone();
        let bytes = self.file(&name, &published)?;
        let entries = walk(&name, &String::from_utf8_lossy(&bytes), &mut self.problems);
        let head = entries.last().map(|e| e.hash.clone()).unwrap_or_default();
        self.out.audit_entries = entries.len();
        self.out.log_head = entries.last().map(|e| e.hash.clone());
        if self.manifest["audit_head"].as_str().unwrap_or("") != head {
            self.say(
                &name,
                None,
                "its last entry is not the head the manifest publishes: entries were removed from the end or added",
            );
        }
        Some(Log {
            file: name,
            entries,
        })
    }

    /// The close checkpoint: the log's `sealed` entry (the witnessed one
    /// if given), and the bundle against what it seals.
    fn seal(
        &mut self,
        log: Option<&Log>,
        pots: &[Pot],
        commitments: Option<&Commitments>,
        options: &Options,
    ) {
        let witnessed = options.checkpoint.map(hex::encode);
        let Some(log) = log else {
            if witnessed.is_some() {
                let message = "the bundle names no log, so it has no close checkpoint to match the witnessed one";
                self.say("round.json", None, message);
            }
            return;
        };
        let sealed: Vec<&Entry> = log
            .entries
            .iter()
            .filter(|e| e.value["kind"] == "sealed")
            .collect();
        if sealed.len() > 1 {
            let seqs: Vec<String> = sealed.iter().map(|e| e.seq.to_string()).collect();
            let message = format!(
                "voting closes once, but entries {} are each sealed",
                seqs.join(", ")
            );
            self.say(&log.file, None, message);
        }
        let chosen = match &witnessed {
            None => sealed.first().copied(),
            Some(w) => sealed
                .iter()
                .copied()
                .find(|e| e.hash.eq_ignore_ascii_case(w)),
        };
        if let Some(entry) = chosen.or(sealed.first().copied()) {
            self.out.checkpoint = Some(entry.hash.clone());
            self.out.checkpoint_entry = Some(entry.seq);
        }
        match (chosen, &witnessed) {
            (None, Some(w)) => self.missing_checkpoint(&log.file, w, sealed.first().copied()),
            (None, None) => {}
            (Some(entry), _) => {
                if witnessed.is_some() && !entry.intact {
                    let message = "the log up to the witnessed close checkpoint is not intact: an entry up to it was changed, removed or reordered";
                    self.say(&log.file, Some(format!("entry {}", entry.seq)), message);
                }
                self.counted_after(log, entry);
                self.check_seal(&log.file, entry, pots, commitments);
            }
        }
    }

    fn missing_checkpoint(&mut self, log: &str, witnessed: &str, found: Option<&Entry>) {
        let message = match found {
            Some(e) => format!(
                "no sealed entry has the witnessed close checkpoint {witnessed}: the log's (entry {}) is {}. The ballots, the commitments or the log were changed after voting closed, or this is another round's bundle",
                e.seq, e.hash
            ),
            None => format!(
                "the log has no sealed entry, so nothing matches the witnessed close checkpoint {witnessed}: it was removed, or this bundle is from before the close was witnessed"
            ),
        };
        self.say(log, None, message);
    }

    /// Nothing is counted before voting is sealed.
    fn counted_after(&mut self, log: &Log, sealed: &Entry) {
        let early: Vec<String> = log
            .entries
            .iter()
            .take_while(|e| e.seq != sealed.seq)
            .filter(|e| matches!(e.value["kind"].as_str(), Some("counted" | "recounted")))
            .map(|e| e.seq.to_string())
            .collect();
        if !early.is_empty() {
            let message = format!(
                "entries {} count the round before its ballots were sealed (entry {})",
                early.join(", "),
                sealed.seq
            );
            self.say(&log.file, None, message);
        }
    }

    /// Each pot's ballots file and the commitments against the seal.
    fn check_seal(
        &mut self,
        log: &str,
        entry: &Entry,
        pots: &[Pot],
        commitments: Option<&Commitments>,
    ) {
        let at = Some(format!("{log} entry {}, sealed", entry.seq));
        let seal = match read_seal(&entry.value["details"]) {
            Ok(s) => s,
            Err(e) => return self.say(log, at, format!("its details are not a seal: {e}")),
        };
        for p in pots {
            for message in sealed_pot(p, &seal) {
                self.say(&p.file, at.clone(), message);
            }
        }
        let present: BTreeSet<i64> = pots.iter().filter_map(|p| p.id).collect();
        for id in seal.pots.keys().filter(|id| !present.contains(id)) {
            let message = format!(
                "pot {id} was sealed when voting closed, but the bundle has no ballots file for it"
            );
            self.say(log, at.clone(), message);
        }
        self.check_sealed_commitments(&seal, commitments, at);
    }

    fn check_sealed_commitments(
        &mut self,
        seal: &Seal,
        commitments: Option<&Commitments>,
        at: Option<String>,
    ) {
        let Some(c) = commitments else {
            if self.manifest["commitments"].as_str().is_none() {
                let message = format!(
                    "the bundle names no commitments file; the close sealed {} commitments",
                    seal.commitments
                );
                self.say("round.json", at, message);
            }
            return;
        };
        if c.count as u64 != seal.commitments {
            let message = format!(
                "{} commitments, the close sealed {}: receipts were added or removed after voting closed",
                c.count, seal.commitments
            );
            self.say(&c.file, at.clone(), message);
        }
        if !c.root.eq_ignore_ascii_case(&seal.merkle_root) {
            let message = format!(
                "their Merkle root is {}, the close sealed {}",
                c.root, seal.merkle_root
            );
            self.say(&c.file, at, message);
        }
    }
}

/// How a pot's ballots file differs from what the seal holds for it.
fn sealed_pot(p: &Pot, seal: &Seal) -> Vec<String> {
    let Some(id) = p.id else {
        return vec!["the manifest gives this pot no id, so the seal cannot name it".into()];
    };
    let Some((ballots, sha)) = seal.pots.get(&id) else {
        let sealed: Vec<String> = seal.pots.keys().map(i64::to_string).collect();
        return vec![format!(
            "pot {id} was not sealed when voting closed: the close sealed pots {}",
            sealed.join(", ")
        )];
    };
    let mut said = Vec::new();
    if !sha.eq_ignore_ascii_case(&p.sha256) {
        said.push(format!(
            "these are not the ballots sealed when voting closed: its SHA-256 is {}, the close sealed {sha}",
            p.sha256
        ));
    }
    if let Some(n) = p.ballots.filter(|&n| n as u64 != *ballots) {
        said.push(format!("{n} ballots, the close sealed {ballots}"));
    }
    said
}

/// What a recount that differs from the published result says: other
/// ballots, another configuration, other projects funded.
fn differences(recounted: &Value, published: &Value, pb_name: &str, ballots: usize) -> String {
    let mut said = Vec::new();
    for key in ["input_sha256", "config_sha256", "rule_sha256"] {
        if recounted[key] == published[key] || published[key].is_null() {
            continue;
        }
        said.push(match key {
            "input_sha256" => format!(
                "the ballots in {pb_name} are not those counted (input SHA-256 {} against {}): a ballot was changed, added or removed; {pb_name} has {ballots} ballots, the result counted {}",
                recounted[key], published[key], published["voters"]
            ),
            _ => format!(
                "the result was counted with another configuration (SHA-256 {} against {} from config.json): the rule or its seed differ",
                published[key], recounted[key]
            ),
        });
    }
    if recounted["selected"] != published["selected"] {
        said.push(format!(
            "the recount funds {}, the result publishes {}",
            recounted["selected"], published["selected"]
        ));
    }
    if said.is_empty() {
        said.push("the recount differs from the published result".into());
    }
    said.join("; ")
}

/// Walks the log's lines: every entry, and whether the chain holds up to
/// each. Each break is a problem naming the entry and its line.
fn walk(name: &str, text: &str, problems: &mut Vec<Problem>) -> Vec<Entry> {
    let mut entries = Vec::new();
    let (mut prev, mut expected, mut intact) = (String::new(), 1u64, true);
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            problems.push(problem(
                name,
                Some(format!("line {}", i + 1)),
                "not a JSON entry",
            ));
            intact = false;
            continue;
        };
        let seq = value["seq"].as_u64().unwrap_or(0);
        let at = Some(format!("entry {seq}, line {}", i + 1));
        let breaks = link_breaks(&value, seq, expected, &prev);
        intact &= breaks.is_empty();
        problems.extend(breaks.into_iter().map(|m| problem(name, at.clone(), m)));
        prev = value["hash"].as_str().unwrap_or("").to_owned();
        expected = seq + 1;
        entries.push(Entry {
            seq,
            hash: prev.clone(),
            intact,
            value,
        });
    }
    entries
}

/// How an entry fails to follow the one before it (hash `prev`), if it
/// does.
fn link_breaks(entry: &Value, seq: u64, expected: u64, prev: &str) -> Vec<String> {
    let mut breaks = Vec::new();
    if seq != expected {
        breaks.push(format!(
            "expected entry {expected}: an entry is missing or out of order"
        ));
    }
    if entry["prev"].as_str().unwrap_or("") != prev {
        breaks.push("does not follow the entry before it (its previous hash differs)".into());
    }
    if entry["hash"].as_str() != Some(entry_hash(entry).as_str()) {
        breaks.push("its content was changed: its hash does not match it".into());
    }
    breaks
}

/// A `sealed` entry's details: `{"pots":[{"pot","ballots","ballots_sha256"}…],
/// "commitments","merkle_root"}`.
fn read_seal(details: &Value) -> Result<Seal, String> {
    let mut pots = BTreeMap::new();
    for p in details["pots"].as_array().ok_or("no list of pots")? {
        let id = p["pot"].as_i64().ok_or("a pot without its id")?;
        let ballots = p["ballots"]
            .as_u64()
            .ok_or_else(|| format!("pot {id} without its number of ballots"))?;
        let sha = p["ballots_sha256"]
            .as_str()
            .ok_or_else(|| format!("pot {id} without the SHA-256 of its ballots"))?;
        if pots.insert(id, (ballots, sha.to_owned())).is_some() {
            return Err(format!("pot {id} is sealed twice"));
        }
    }
    Ok(Seal {
        pots,
        commitments: details["commitments"]
            .as_u64()
            .ok_or("no number of commitments")?,
        merkle_root: details["merkle_root"]
            .as_str()
            .ok_or("no Merkle root")?
            .to_owned(),
    })
}
