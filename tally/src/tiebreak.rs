//! Tie-breaking orders.
//!
//! A tie-break is a strict total order on the projects, fixed before the
//! count starts and published with the result. Whenever a rule finds
//! projects exactly tied, it takes the one that comes first in this order
//! and reports the tie.

use crate::model::Project;

/// How exact ties between projects are resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TieBreak {
    /// Lowest cost first, then most support, then a permutation of the
    /// project ids drawn from the published `seed`.
    CostSupportSeed { seed: u64 },
    /// By project id, compared as strings byte by byte (so `"10"` comes
    /// before `"9"`), smallest first; the order pabutools uses.
    Lexicographic,
    /// An explicit order of project ids, first preferred (projects not
    /// listed come after, by id).
    Explicit(Vec<String>),
}

impl Default for TieBreak {
    fn default() -> Self {
        TieBreak::CostSupportSeed { seed: 0 }
    }
}

impl TieBreak {
    pub fn name(&self) -> String {
        match self {
            TieBreak::CostSupportSeed { seed } => format!("cost-support-seed:{seed}"),
            TieBreak::Lexicographic => "lexicographic".to_string(),
            TieBreak::Explicit(ids) => format!("explicit:{}", ids.join(",")),
        }
    }

    /// The position of each project in the tie-break order (0 = preferred).
    /// `support` is the total support of each project under the rule.
    pub fn ranks(&self, projects: &[Project], support: &[u128]) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..projects.len()).collect();
        match self {
            TieBreak::Explicit(ids) => {
                let pos = |i: usize| {
                    ids.iter()
                        .position(|x| *x == projects[i].id)
                        .unwrap_or(usize::MAX)
                };
                idx.sort_by(|&a, &b| {
                    pos(a)
                        .cmp(&pos(b))
                        .then(projects[a].id.as_bytes().cmp(projects[b].id.as_bytes()))
                })
            }
            TieBreak::Lexicographic => {
                idx.sort_by(|&a, &b| projects[a].id.as_bytes().cmp(projects[b].id.as_bytes()))
            }
            TieBreak::CostSupportSeed { seed } => {
                let key = |i: usize| seeded_key(*seed, &projects[i].id);
                idx.sort_by(|&a, &b| {
                    projects[a]
                        .cost
                        .cmp(&projects[b].cost)
                        .then(support[b].cmp(&support[a]))
                        .then(key(a).cmp(&key(b)))
                        .then(projects[a].id.cmp(&projects[b].id))
                })
            }
        }
        let mut rank = vec![0; projects.len()];
        for (r, i) in idx.into_iter().enumerate() {
            rank[i] = r;
        }
        rank
    }
}

/// The position of a project id in the permutation drawn from `seed`:
/// SplitMix64 applied to the seed mixed with the FNV-1a hash of the id.
/// Anyone can recompute it from the seed and the ids.
pub fn seeded_key(seed: u64, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut z = h ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
