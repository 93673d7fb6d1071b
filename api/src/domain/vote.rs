//! What a ballot holds, how it came in, and the receipt a voter keeps. No IO.
use super::BidId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How a ballot came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The voter, in a browser.
    Web,
    /// An officer, for the voter, on the phone or at an event.
    Assisted,
    /// An officer typing in a paper ballot form.
    Paper,
    /// The voter, by text message.
    Sms,
    /// The voter, on a telephone keypad.
    Phone,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Web,
        Channel::Assisted,
        Channel::Paper,
        Channel::Sms,
        Channel::Phone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Assisted => "assisted",
            Channel::Paper => "paper",
            Channel::Sms => "sms",
            Channel::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether the ballot came through an officer (paper or assisted)
    /// rather than from the voter themselves.
    pub fn through_officer(self) -> bool {
        matches!(self, Channel::Assisted | Channel::Paper)
    }
}

/// Which ballot counts when one person has voted both through an officer
/// (paper or assisted) and by themselves (online, by text or phone).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// The later ballot replaces the earlier, as online replacements do.
    #[default]
    LatestCounts,
    /// The ballot given through an officer stands.
    OfficerCounts,
    /// The ballot the voter cast themselves stands.
    SelfCounts,
}

impl DuplicatePolicy {
    /// Whether a new ballot from `new` replaces a current one from `old`.
    pub fn replaces(self, old: Channel, new: Channel) -> bool {
        if old.through_officer() == new.through_officer() {
            return true;
        }
        match self {
            DuplicatePolicy::LatestCounts => true,
            DuplicatePolicy::OfficerCounts => new.through_officer(),
            DuplicatePolicy::SelfCounts => !new.through_officer(),
        }
    }
}

/// One line of a ballot: a bid, and for scoring, points and money ballots
/// its number (score, points or pence). Ranked ballots list bids in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub bid_id: BidId,
    pub value: Option<i64>,
}

/// A ballot as stored: bid identifiers (in rank order for ranked ballots,
/// otherwise ascending) and, where the kind has them, one value per bid.
/// Serialised as canonical JSON: the same ballot always gives the same
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotContent {
    pub bids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<i64>>,
}

impl BallotContent {
    pub fn to_json(&self) -> String {
        // Two vectors of integers cannot fail to serialise.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A voter's receipt. The commitment stored with the ballot (and, when the
/// result is published, a leaf of the Merkle tree) is SHA-256 of the round
/// and a random key that only the voter is given; the code is the first 80
/// bits of it, in Crockford's base 32.
///
/// The commitment does not cover what the ballot says: a receipt proves
/// that a ballot of yours is in the count, never how you voted, so nobody
/// can make you show it (see ARCHITECTURE.md, "Receipts").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// `XXXX-XXXX-XXXX-XXXX`: what the voter checks against the published
    /// commitments.
    pub code: String,
    /// The random key, in base 32: with the round, it reproduces the
    /// commitment, which proves the receipt was issued to whoever holds it.
    pub key: String,
    /// SHA-256, hex.
    pub commitment: String,
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn base32(bytes: &[u8], chars: usize) -> String {
    let mut out = String::with_capacity(chars);
    let mut acc: u64 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | u64::from(b);
        bits += 8;
        while bits >= 5 && out.len() < chars {
            bits -= 5;
            out.push(CROCKFORD[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 && out.len() < chars {
        out.push(CROCKFORD[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn from_base32(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc: u64 = 0;
    let mut bits = 0;
    for c in s.chars().filter(|c| *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        let v = CROCKFORD.iter().position(|x| *x as char == c)? as u64;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The commitment of a receipt key in a round.
pub fn commitment(round_id: i64, key: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"fairshare/receipt/v1\0");
    h.update(round_id.to_be_bytes());
    h.update(key);
    h.finalize().into()
}

impl Receipt {
    /// The receipt for a random `key` (16 bytes) in a round.
    pub fn new(round_id: i64, key: &[u8]) -> Receipt {
        let c = commitment(round_id, key);
        Receipt {
            // The code as `tally verify --receipt` reads it.
            code: tally::bundle::receipt_code(&c),
            key: base32(key, (key.len() * 8).div_ceil(5)),
            commitment: hex::encode(c),
        }
    }

    /// The receipt again from its key, as given to the voter.
    pub fn from_key(round_id: i64, key: &str) -> Option<Receipt> {
        let bytes = from_base32(key)?;
        (bytes.len() == 16).then(|| Receipt::new(round_id, &bytes))
    }

    /// The code of a commitment (hex), as a voter reads it.
    pub fn code_of(commitment_hex: &str) -> Option<String> {
        let bytes = hex::decode(commitment_hex).ok()?;
        let c: [u8; 32] = bytes.try_into().ok()?;
        Some(tally::bundle::receipt_code(&c))
    }
}

/// A code as typed by a person (any case, with or without dashes, `O` for
/// `0`, `I` or `L` for `1`) in its printed form, or `None`.
pub fn normalise_code(input: &str) -> Option<String> {
    let cleaned: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (cleaned.len() == 16 && cleaned.bytes().all(|b| CROCKFORD.contains(&b)))
        .then(|| format_code(&cleaned))
}

/// The first 64 bits of a commitment (hex), big-endian, as a number: the
/// key a ballot's receipt is looked up by (`ballots.receipt_key`).
pub fn receipt_key(commitment_hex: &str) -> Option<i64> {
    let bytes = hex::decode(commitment_hex.get(..16)?).ok()?;
    Some(i64::from_be_bytes(bytes.try_into().ok()?))
}

/// The receipt key a receipt code gives: its 16 characters are the first
/// 80 bits of the commitment, five to a character.
pub fn receipt_key_of_code(code: &str) -> Option<i64> {
    let bytes = from_base32(code)?;
    if bytes.len() != 10 {
        return None;
    }
    Some(i64::from_be_bytes(bytes[..8].try_into().ok()?))
}

fn format_code(s: &str) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_reproducible_from_their_key() {
        let key = [7u8; 16];
        let r = Receipt::new(42, &key);
        assert_eq!(r.code.len(), 19);
        assert_eq!(r.key.len(), 26);
        assert_eq!(Receipt::from_key(42, &r.key), Some(r.clone()));
        assert_ne!(Receipt::new(43, &key).commitment, r.commitment);
        assert_eq!(Receipt::code_of(&r.commitment), Some(r.code.clone()));
        // The code gives the key its ballot is found by.
        assert!(receipt_key(&r.commitment).is_some());
        assert_eq!(receipt_key_of_code(&r.code), receipt_key(&r.commitment));
        assert_eq!(receipt_key_of_code("not a code"), None);
        let typed = r.code.to_lowercase().replace('-', " ");
        assert_eq!(normalise_code(&typed), Some(r.code.clone()));
        assert_eq!(normalise_code("not a code"), None);
    }

    #[test]
    fn the_duplicate_policy_decides_between_channels() {
        use Channel::*;
        assert!(DuplicatePolicy::OfficerCounts.replaces(Web, Web));
        assert!(DuplicatePolicy::LatestCounts.replaces(Web, Paper));
        assert!(DuplicatePolicy::OfficerCounts.replaces(Web, Paper));
        assert!(!DuplicatePolicy::OfficerCounts.replaces(Paper, Web));
        assert!(!DuplicatePolicy::SelfCounts.replaces(Sms, Assisted));
        assert_eq!(
            BallotContent {
                bids: vec![3, 1],
                values: None
            }
            .to_json(),
            r#"{"bids":[3,1]}"#
        );
    }
}
