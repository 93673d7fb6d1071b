//! The receipt tree kept level by level, so that a server answers an
//! inclusion proof by reading a few stored nodes instead of rebuilding the
//! tree from every commitment.
//!
//! `levels(commitments)[0]` holds the leaf hashes (SHA-256 of 0x00 and the
//! commitment); each next level holds the parents of pairs (SHA-256 of 0x01
//! and the two children), and a level's last node without a partner is
//! carried up as it is. Carried up that way, the tree is RFC 6962's (its
//! split at the largest power of two below the size makes every left
//! subtree complete, so an odd node out is always the rightmost, and it
//! meets its partner higher up). The hashing is the same as
//! [`crate::bundle`]'s, which builds trees with the `ct-merkle` crate; that
//! crate keeps its nodes private, so the levels are computed here, and the
//! tests check every proof and root against it.
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// SHA-256 of 0x00 and the commitment: a leaf of the tree.
pub fn leaf_hash(commitment: &Hash) -> Hash {
    let mut h = Sha256::new_with_prefix([0x00]);
    h.update(commitment);
    h.finalize().into()
}

fn parent_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new_with_prefix([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Every level of the tree over the commitments (in the order given:
/// sorted, as published), from the leaves up to the root. Empty for no
/// commitments.
pub fn levels(commitments: &[Hash]) -> Vec<Vec<Hash>> {
    if commitments.is_empty() {
        return Vec::new();
    }
    let mut out = vec![commitments.iter().map(leaf_hash).collect::<Vec<_>>()];
    while out.last().is_some_and(|l| l.len() > 1) {
        let below = out.last().map(Vec::as_slice).unwrap_or_default();
        let up = below
            .chunks(2)
            .map(|pair| match pair {
                [l, r] => parent_hash(l, r),
                [only] => *only,
                _ => unreachable!("chunks of two"),
            })
            .collect();
        out.push(up);
    }
    out
}

/// How many levels a tree of `size` leaves has (its root's level is one
/// less).
pub fn height(size: u64) -> u32 {
    if size == 0 {
        0
    } else {
        u64::BITS - (size - 1).leading_zeros() + 1
    }
}

/// The nodes, as `(level, position)`, whose hashes make the inclusion proof
/// of leaf `index` in a tree of `size` leaves, from the bottom up: RFC
/// 6962's audit path.
pub fn proof_nodes(index: u64, size: u64) -> Vec<(u32, u64)> {
    let mut out = Vec::new();
    if index >= size {
        return out;
    }
    let (mut i, mut len, mut level) = (index, size, 0u32);
    while len > 1 {
        let sibling = i ^ 1;
        if sibling < len {
            out.push((level, sibling));
        }
        i /= 2;
        len = len.div_ceil(2);
        level += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle;

    fn commitments(n: usize) -> Vec<Hash> {
        let mut out: Vec<Hash> = (0..n)
            .map(|i| Sha256::digest(format!("ballot {i}").as_bytes()).into())
            .collect();
        out.sort_unstable();
        out
    }

    /// Every proof made from the levels is the one `ct-merkle` makes from
    /// the whole tree, and the top level is its root, for every size up to
    /// 70 and every leaf.
    #[test]
    fn proofs_from_levels_are_ct_merkles() {
        assert!(levels(&[]).is_empty());
        assert_eq!(height(0), 0);
        for n in 1..=70 {
            let c = commitments(n);
            let levels = levels(&c);
            assert_eq!(levels.len() as u32, height(n as u64), "height of {n}");
            let top = levels.last().expect("a root");
            assert_eq!(top.len(), 1);
            assert_eq!(hex::encode(top[0]), bundle::merkle_root(&c), "root of {n}");
            for i in 0..n {
                let hashes: Vec<String> = proof_nodes(i as u64, n as u64)
                    .into_iter()
                    .map(|(l, p)| hex::encode(levels[l as usize][p as usize]))
                    .collect();
                let expected = bundle::inclusion_proof(&c, i).expect("a proof");
                assert_eq!(hashes, expected.hashes, "leaf {i} of {n}");
            }
        }
        assert!(proof_nodes(3, 3).is_empty());
    }
}
