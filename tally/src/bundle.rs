//! A published result bundle, and checking one.
//!
//! What a council publishes so that anyone can recount and check:
//!
//! - `round.json`, the manifest: the round, the result's version, the
//!   SHA-256 of every other file, the Merkle root of the receipt
//!   commitments and the head of the round's log;
//! - `config.json`: the counting rule, its tie-break seed and, for a
//!   correction, the projects it leaves out (`excluded`, written only when
//!   there are some);
//! - per pot, `pot-ID.pb` (the anonymised ballots, pabulib format, exactly
//!   as sealed when voting closed, whatever a correction excludes) and
//!   `pot-ID.result.json` (the result, canonical JSON);
//! - `commitments.txt`: every receipt commitment, one per line (hex, in
//!   order), the leaves of an RFC 6962 Merkle tree;
//! - `audit.jsonl`: the round's log, each entry hashing the one before
//!   ([`entry_hash`]).
//!
//! **The close checkpoint.** When voting closes, before anything is
//! counted, the log gets one entry of kind `sealed` whose details are
//! `{"pots":[{"pot":ID,"ballots":N,"ballots_sha256":HEX},…],
//! "commitments":N,"merkle_root":HEX}`: every pot's ballots file as it
//! will be counted, and the receipt commitments. That entry's hash is the
//! close checkpoint, which the council sends witnesses at the close. As
//! the entry's hash covers the hash of the one before it, and so the whole
//! log before it, a bundle can only show the witnessed checkpoint with the
//! log up to the close unchanged and the ballots and commitments it seals.
//!
//! [`verify`] checks every file against the manifest, recounts every pot
//! from its ballots with the configuration (leaving out its excluded
//! projects) and compares the result byte for byte, recomputes the Merkle
//! root, walks the log, and checks the ballots files (SHA-256, number of
//! ballots, which pots) and the commitments (number, Merkle root) against
//! the `sealed` entry when there is one; it names each file, line or entry
//! that does not hold. A forger who changes ballots, recounts and rebuilds
//! every hash, the seal and the whole chain makes a bundle that passes all
//! of that, with another checkpoint: [`verify_with`] given the witnessed
//! checkpoint ([`Options::checkpoint`]) refuses it. [`Report`] always
//! carries the checkpoint found, the log head and the recomputed Merkle
//! root, for printing. None of this does IO: it is given a way to read the
//! bundle's files.
mod check;

pub use check::{parse_checkpoint, verify, verify_with, Checked, Options, Report};

use crate::canonical::{sha256_hex, to_canonical_string};
use crate::model::{BallotRef, Ballots, Election, VoteType};
use crate::outcome::parse_tie_break;
use crate::rules::{GreedyVariant, Rule, RuleConfig};
use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{InclusionProof, RootHash};
use serde_json::{json, Value};
use sha2::Sha256;

/// The format written in every manifest.
pub const FORMAT: &str = "fairshare-bundle/1";

/// A counting rule as a round publishes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSpec {
    /// greedy, greedy-no-skip, greedy-threshold, mes, mes-add1,
    /// mes-add1-no-early-stop, phragmen, borda, irv or stv-scottish.
    pub name: String,
    /// `cost-support-seed:SEED` or `lexicographic`.
    pub tie_break: String,
    /// greedy-threshold: the least support a project needs.
    pub min_support: Option<u64>,
    /// borda: points for first, second, … place.
    pub rank_points: Option<Vec<u64>>,
    /// irv and stv-scottish: how many to elect.
    pub seats: Option<u32>,
    /// Projects left out of the count (a correction's excluded bids), by
    /// id as in the `.pb`: the ballots files stay as sealed, and
    /// [`count_pot`] removes these projects from the election and from
    /// every ballot before counting. Written in `config.json` only when
    /// there are some.
    pub excluded: Vec<String>,
}

impl RuleSpec {
    /// `config.json`, canonical.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "rule": self.name,
            "tie_break": self.tie_break,
            "min_support": self.min_support,
            "rank_points": self.rank_points,
            "seats": self.seats,
        });
        // Absent when empty, so a configuration without exclusions is
        // written exactly as before they existed.
        if !self.excluded.is_empty() {
            v["excluded"] = json!(self.excluded);
        }
        v
    }

    pub fn from_json(v: &Value) -> Result<RuleSpec, String> {
        let name = v["rule"]
            .as_str()
            .ok_or("config.json has no rule")?
            .to_owned();
        let tie_break = v["tie_break"]
            .as_str()
            .ok_or("config.json has no tie_break")?
            .to_owned();
        let rank_points = match &v["rank_points"] {
            Value::Null => None,
            Value::Array(a) => Some(
                a.iter()
                    .map(|x| x.as_u64().ok_or("rank_points must be whole numbers"))
                    .collect::<Result<Vec<u64>, _>>()?,
            ),
            _ => return Err("rank_points must be a list".into()),
        };
        let excluded = match &v["excluded"] {
            Value::Null => Vec::new(),
            Value::Array(a) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_owned)
                        .ok_or("excluded must list project ids as strings")
                })
                .collect::<Result<Vec<String>, _>>()?,
            _ => return Err("excluded must be a list".into()),
        };
        Ok(RuleSpec {
            name,
            tie_break,
            min_support: v["min_support"].as_u64(),
            rank_points,
            seats: v["seats"].as_u64().map(|s| s as u32),
            excluded,
        })
    }

    /// The `.pb` rules as `tally` runs them (`None` for irv and
    /// stv-scottish, which count ranked ballots as BLT).
    pub fn pb_config(&self) -> Result<Option<RuleConfig>, String> {
        use crate::rules::{Add1, MesUtility};
        let mes = |add1| Rule::Mes {
            utility: MesUtility::Cost,
            add1,
            greedy_completion: false,
            comparison: false,
        };
        let rule = match self.name.as_str() {
            "greedy" | "borda" => Rule::Greedy(GreedyVariant::Skip),
            "greedy-no-skip" => Rule::Greedy(GreedyVariant::NoSkip),
            "greedy-threshold" => {
                Rule::Greedy(GreedyVariant::Threshold(self.min_support.unwrap_or(0)))
            }
            "mes" => mes(Add1::Off),
            "mes-add1" => mes(Add1::StopWhenExhaustive),
            "mes-add1-no-early-stop" => mes(Add1::UntilOverspend),
            "phragmen" => Rule::Phragmen,
            "irv" | "stv-scottish" => return Ok(None),
            other => return Err(format!("unknown rule `{other}`")),
        };
        let mut cfg = RuleConfig::new(rule);
        cfg.tie_break = parse_tie_break(&self.tie_break).map_err(|e| e.to_string())?;
        if self.name == "borda" {
            cfg.rank_points = self.rank_points.clone();
        }
        Ok(Some(cfg))
    }
}

/// Counts one pot's ballots (`.pb` text) with a rule: the result as
/// canonical JSON text, which a bundle publishes and [`verify`] compares
/// byte for byte.
///
/// The projects in `spec.excluded` are left out first (see
/// [`without_projects`]): the result is exactly that of counting the file
/// with those projects removed. Each must be a project of this pot; the
/// error names those that are not. For a round of several pots, whose one
/// configuration excludes projects of any of them, see [`count_pots`].
pub fn count_pot(spec: &RuleSpec, pb: &str) -> Result<String, String> {
    let election = crate::pb::parse(pb).map_err(|e| e.to_string())?;
    let election = without_projects(election, &spec.excluded)?;
    count_election(spec, &election)
}

/// Counts every pot of a round (`.pb` texts, in order) with the round's
/// one configuration: each pot leaves out the excluded projects that are
/// its own. An excluded id that is a project of no pot is an error naming
/// it; so is a pot that cannot be counted ("pot 2 of 3: …").
pub fn count_pots(spec: &RuleSpec, pots: &[&str]) -> Result<Vec<String>, String> {
    let n = pots.len();
    let elections = pots
        .iter()
        .enumerate()
        .map(|(i, pb)| crate::pb::parse(pb).map_err(|e| format!("pot {} of {n}: {e}", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;
    let unknown: Vec<&str> = spec
        .excluded
        .iter()
        .filter(|id| elections.iter().all(|e| e.project_index(id).is_none()))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "the configuration excludes {}, not a project of any pot",
            unknown.join(", ")
        ));
    }
    elections
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let own = excluded_in(spec, &e);
            without_projects(e, &own)
                .and_then(|e| count_election(spec, &e))
                .map_err(|m| format!("pot {} of {n}: {m}", i + 1))
        })
        .collect()
}

/// The ids of `spec.excluded` that are projects of this election.
fn excluded_in(spec: &RuleSpec, e: &Election) -> Vec<String> {
    spec.excluded
        .iter()
        .filter(|id| e.project_index(id).is_some())
        .cloned()
        .collect()
}

/// The election without the projects `ids`: they leave the list of
/// projects, and every ballot keeps the rest of its choices, in order,
/// with their points, and the META constraints no longer name them (see
/// [`crate::constraints::Constraints::without`]). The same election as
/// reading a file that never had those projects, so its count (input
/// SHA-256 included) is that file's.
/// An id that is not a project here is an error naming it.
pub fn without_projects(election: Election, ids: &[String]) -> Result<Election, String> {
    if ids.is_empty() {
        return Ok(election);
    }
    known(&election, ids)?;
    let Election {
        mut meta,
        ballot_columns,
        budget,
        money_scale,
        vote_type,
        projects,
        ballots,
        constraints,
    } = election;
    // Old index to new, for the projects kept.
    let mut index = vec![None; projects.len()];
    let mut kept = Vec::with_capacity(projects.len());
    for (i, p) in projects.into_iter().enumerate() {
        if !ids.contains(&p.id) {
            index[i] = Some(kept.len() as u32);
            kept.push(p);
        }
    }
    // The council's constraints no longer name the projects left out.
    if let Some((_, text)) = meta
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case("constraints"))
    {
        if let Ok(c) = crate::constraints::Constraints::parse(text) {
            let trimmed = c.without(ids, &kept);
            if trimmed != c {
                *text = trimmed.to_json().to_string();
            }
        }
    }
    let mut out = Ballots::new(ballots.with_points());
    let (mut chosen, mut points) = (Vec::new(), Vec::new());
    for b in &ballots {
        chosen.clear();
        points.clear();
        for (k, &p) in b.projects.iter().enumerate() {
            if let Some(new) = index[p as usize] {
                chosen.push(new);
                points.extend(b.points.map(|pts| pts[k]));
            }
        }
        out.push(BallotRef {
            voter_id: b.voter_id,
            projects: &chosen,
            points: b.points.map(|_| &points[..]),
            extra: b.extra,
        })
        .map_err(|e| e.to_string())?;
    }
    Ok(Election {
        meta,
        ballot_columns,
        budget,
        money_scale,
        vote_type,
        projects: kept,
        ballots: out,
        constraints,
    })
}

/// Every id is a project of the election, or the error names those
/// that are not.
fn known(election: &Election, ids: &[String]) -> Result<(), String> {
    let unknown: Vec<&str> = ids
        .iter()
        .filter(|id| election.project_index(id).is_none())
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the configuration excludes {}, not a project of this pot",
            unknown.join(", ")
        ))
    }
}

/// Counts an election with a rule: [`count_pot`] once the election is
/// read and its excluded projects are left out.
fn count_election(spec: &RuleSpec, election: &Election) -> Result<String, String> {
    match spec.pb_config()? {
        Some(cfg) => crate::count(election, &cfg)
            .map(|o| o.to_json_string())
            .map_err(|e| e.to_string()),
        None => count_ranked(spec, election),
    }
}

/// An ordinal election counted by irv or stv-scottish, as BLT.
fn count_ranked(spec: &RuleSpec, election: &Election) -> Result<String, String> {
    if election.vote_type != VoteType::Ordinal {
        return Err(format!("{} counts ranked ballots", spec.name));
    }
    // Lots are drawn in the order the round's published seed gives
    // (file order for a lexicographic round).
    let lot = match parse_tie_break(&spec.tie_break).map_err(|e| e.to_string())? {
        crate::TieBreak::CostSupportSeed { seed } => crate::ranked::LotOrder::Seeded { seed },
        _ => crate::ranked::LotOrder::FileOrder,
    };
    let rule = match crate::ranked::RankedRule::from_name(&spec.name).map_err(|e| e.to_string())? {
        crate::ranked::RankedRule::StvScottish(mut c) => {
            c.lot = lot;
            crate::ranked::RankedRule::StvScottish(c)
        }
        crate::ranked::RankedRule::Irv(mut c) => {
            c.lot = lot;
            crate::ranked::RankedRule::Irv(c)
        }
    };
    let n = election.projects.len();
    if n == 0 {
        // A pot with nothing on its ballot elects nobody.
        return Ok(to_canonical_string(&json!({
            "rule": spec.name,
            "input_sha256": crate::canonical::input_sha256(election),
            "selected": [],
            "rounds": [],
            "voters": election.ballots.len(),
            "note": "no bids were on this pot's ballot",
        })));
    }
    // As many seats as candidates at most: with no more candidates
    // than seats, every one is elected (SSI 2007/42 rule 52).
    let seats = (spec.seats.unwrap_or(1).max(1) as usize).min(n);
    let text = crate::ranked::count_blt_json_with(&as_blt(election, seats), &rule)
        .map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok(to_canonical_string(&v))
}

/// The ballots as BLT: candidates are the projects, in order.
fn as_blt(election: &Election, seats: usize) -> String {
    let mut blt = format!("{} {seats}\n", election.projects.len());
    for b in &election.ballots {
        blt.push('1');
        for p in b.projects {
            blt.push_str(&format!(" {}", p + 1));
        }
        blt.push_str(" 0\n");
    }
    blt.push_str("0\n");
    for p in &election.projects {
        blt.push_str(&format!("\"{}\"\n", p.id.replace('"', "'")));
    }
    blt.push_str(&format!(
        "\"{}\"\n",
        election
            .meta("description")
            .unwrap_or("ranked")
            .replace('"', "'")
    ));
    blt
}

/// The Merkle tree over receipt commitments: RFC 6962 hashing (a leaf is
/// SHA-256 of 0x00 and the 32-byte commitment, a node SHA-256 of 0x01 and
/// its two children), built by the `ct-merkle` crate.
fn tree(commitments: &[[u8; 32]]) -> MemoryBackedTree<Sha256, [u8; 32]> {
    let mut t = MemoryBackedTree::new();
    for c in commitments {
        t.push(*c);
    }
    t
}

/// The Merkle root of the commitments, hex (for none, SHA-256 of nothing,
/// as RFC 6962 has it).
pub fn merkle_root(commitments: &[[u8; 32]]) -> String {
    hex::encode(tree(commitments).root().as_bytes())
}

/// An inclusion proof: the leaf's index, the tree's size, and the hashes
/// from the leaf's sibling up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inclusion {
    pub index: u64,
    pub tree_size: u64,
    pub hashes: Vec<String>,
}

/// The inclusion proof of commitment `index`.
pub fn inclusion_proof(commitments: &[[u8; 32]], index: usize) -> Option<Inclusion> {
    if index >= commitments.len() {
        return None;
    }
    let proof = tree(commitments).prove_inclusion(index);
    Some(Inclusion {
        index: index as u64,
        tree_size: commitments.len() as u64,
        hashes: proof.as_bytes().chunks(32).map(hex::encode).collect(),
    })
}

/// The inclusion proof of every commitment, from one tree: what a council
/// needs to hand each voter their proof at once.
pub fn inclusion_proofs(commitments: &[[u8; 32]]) -> Vec<Inclusion> {
    let t = tree(commitments);
    (0..commitments.len())
        .map(|index| Inclusion {
            index: index as u64,
            tree_size: commitments.len() as u64,
            hashes: t
                .prove_inclusion(index)
                .as_bytes()
                .chunks(32)
                .map(hex::encode)
                .collect(),
        })
        .collect()
}

/// Whether `proof` shows `commitment` in the tree with root `root` (hex).
pub fn verify_inclusion(root: &str, commitment: &[u8; 32], proof: &Inclusion) -> bool {
    let Ok(root_bytes) = hex::decode(root) else {
        return false;
    };
    if root_bytes.len() != 32 {
        return false;
    }
    let root = RootHash::<Sha256>::new(
        *sha2::digest::generic_array::GenericArray::from_slice(&root_bytes),
        proof.tree_size,
    );
    let mut bytes = Vec::with_capacity(proof.hashes.len() * 32);
    for h in &proof.hashes {
        match hex::decode(h) {
            Ok(b) if b.len() == 32 => bytes.extend(b),
            _ => return false,
        }
    }
    let Ok(proof_bytes) = InclusionProof::<Sha256>::try_from_bytes(bytes) else {
        return false;
    };
    root.verify_inclusion(commitment, proof.index, &proof_bytes)
        .is_ok()
}

/// A receipt's code for a commitment: its first 80 bits in Crockford's
/// base 32, grouped `XXXX-XXXX-XXXX-XXXX`.
pub fn receipt_code(commitment: &[u8; 32]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut acc: u128 = 0;
    for b in &commitment[..10] {
        acc = (acc << 8) | u128::from(*b);
    }
    let chars: Vec<char> = (0..16)
        .map(|i| ALPHABET[((acc >> (75 - 5 * i)) & 31) as usize] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The hash of a log entry: SHA-256 of its canonical JSON without `hash`.
pub fn entry_hash(entry: &Value) -> String {
    let mut e = entry.clone();
    if let Some(o) = e.as_object_mut() {
        o.remove("hash");
    }
    sha256_hex(to_canonical_string(&e).as_bytes())
}

/// Reads `commitments.txt`.
pub fn parse_commitments(text: &str) -> Result<Vec<[u8; 32]>, (usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let bytes =
                hex::decode(l.trim()).map_err(|_| (i + 1, "not hexadecimal".to_string()))?;
            <[u8; 32]>::try_from(bytes.as_slice())
                .map_err(|_| (i + 1, "not a 32-byte commitment".to_string()))
        })
        .collect()
}

/// One thing in a bundle that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file it is in.
    pub file: String,
    /// The line or entry, where there is one.
    pub at: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{} ({at}): {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

fn problem(file: &str, at: Option<String>, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_owned(),
        at,
        message: message.into(),
    }
}

/// Finds a receipt in a bundle's commitments and checks its inclusion
/// proof against the published root.
pub fn verify_receipt(
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
    code: &str,
) -> Result<Inclusion, Problem> {
    let manifest: Value = read("round.json")
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| problem("round.json", None, "missing or not JSON"))?;
    let name = manifest["commitments"]
        .as_str()
        .unwrap_or("commitments.txt");
    let text = read(name).ok_or_else(|| problem(name, None, "missing from the bundle"))?;
    let commitments = parse_commitments(&String::from_utf8_lossy(&text))
        .map_err(|(line, m)| problem(name, Some(format!("line {line}")), m))?;
    let wanted: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    let index = commitments
        .iter()
        .position(|c| receipt_code(c).replace('-', "") == wanted)
        .ok_or_else(|| {
            problem(
                name,
                None,
                format!(
                    "no commitment has the receipt code {code}: this ballot is not in the count"
                ),
            )
        })?;
    let proof = inclusion_proof(&commitments, index)
        .ok_or_else(|| problem(name, None, "no proof for this leaf"))?;
    let root = manifest["merkle_root"].as_str().unwrap_or("");
    if !verify_inclusion(root, &commitments[index], &proof) {
        return Err(problem(
            name,
            Some(format!("leaf {index}")),
            "the inclusion proof does not lead to the published Merkle root",
        ));
    }
    Ok(proof)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merkle_proofs_verify_and_fail_when_tampered() {
        let leaves: Vec<[u8; 32]> = (0..13u8).map(|i| [i; 32]).collect();
        let root = merkle_root(&leaves);
        for i in 0..leaves.len() {
            let p = inclusion_proof(&leaves, i).unwrap();
            assert!(verify_inclusion(&root, &leaves[i], &p));
            assert!(!verify_inclusion(&root, &[99; 32], &p));
        }
        // Every proof from one tree is the proof made alone.
        for n in 0..20 {
            let all = inclusion_proofs(&leaves[..n.min(leaves.len())]);
            for (i, p) in all.iter().enumerate() {
                assert_eq!(
                    Some(p),
                    inclusion_proof(&leaves[..n.min(leaves.len())], i).as_ref()
                );
            }
        }
        // RFC 6962: the root of no leaves is SHA-256 of nothing.
        assert_eq!(
            merkle_root(&[]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // And of one leaf, SHA-256 of 0x00 and the leaf.
        assert_eq!(
            merkle_root(&leaves[..1]),
            sha256_hex(&[&[0u8][..], &leaves[0]].concat())
        );
    }

    fn ranked_spec(seats: u32) -> RuleSpec {
        RuleSpec {
            name: "stv-scottish".into(),
            tie_break: "cost-support-seed:7".into(),
            min_support: None,
            rank_points: None,
            seats: Some(seats),
            excluded: Vec::new(),
        }
    }

    #[test]
    fn ranked_pots_with_few_or_no_bids_still_count() {
        let two = "META\nkey;value\nnum_projects;2\nnum_votes;3\nbudget;100\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;10\n2;20\nVOTES\nvoter_id;vote\n1;1,2\n2;2,1\n3;1\n";
        // Three seats, two bids: both are elected (rule 52).
        let r: Value = serde_json::from_str(&count_pot(&ranked_spec(3), two).unwrap()).unwrap();
        let mut selected: Vec<&str> = r["selected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        selected.sort_unstable();
        assert_eq!(selected, ["1", "2"]);
        // No bids: nobody elected, and the same again on a recount.
        let none = "META\nkey;value\nnum_projects;0\nnum_votes;0\nbudget;100\nvote_type;ordinal\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n";
        let first = count_pot(&ranked_spec(1), none).unwrap();
        let r: Value = serde_json::from_str(&first).unwrap();
        assert_eq!(r["selected"], json!([]));
        assert_eq!(count_pot(&ranked_spec(1), none).unwrap(), first);
    }

    #[test]
    fn receipt_codes_take_the_first_80_bits() {
        let mut c = [0u8; 32];
        c[0] = 0b1111_1000; // the first five bits: 31, "Z"
        assert!(receipt_code(&c).starts_with('Z'));
        assert_eq!(receipt_code(&[0; 32]), "0000-0000-0000-0000");
    }
}
