//! Keyed hashes, one-time codes and session tokens.
use hmac::{Hmac, Mac};
use rand::{rngs::OsRng, Rng, TryRngCore};
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// The server secret. Keyed hashes of identifiers depend on it, so it must be
/// the same on every instance and must not change while data exists.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// HMAC-SHA-256 of `value`, under a `purpose` label so that the same
    /// value hashed for two purposes never compares equal. Hex-encoded.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => unreachable_key(),
        };
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cold]
fn unreachable_key() -> ! {
    // `Hmac::new_from_slice` only fails for fixed-size-key MACs.
    panic!("HMAC-SHA-256 accepts keys of any length")
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Compares two hashes without leaking, by timing, where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// A one-time code of `digits` decimal digits from the operating system's
/// secure random source.
pub fn random_code(digits: u32) -> String {
    let mut rng = OsRng.unwrap_err();
    (0..digits)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A session token: 256 bits from the secure random source, URL-safe.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    OsRng.unwrap_err().fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_tokens_have_their_size() {
        let code = random_code(6);
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(random_token().len(), 43);
        assert_ne!(random_token(), random_token());
    }

    #[test]
    fn keyed_hashes_depend_on_key_and_purpose() {
        let a = Secret::new(b"one".to_vec());
        let b = Secret::new(b"two".to_vec());
        assert_eq!(a.keyed_hash("email", "x"), a.keyed_hash("email", "x"));
        assert_ne!(a.keyed_hash("email", "x"), b.keyed_hash("email", "x"));
        assert_ne!(a.keyed_hash("email", "x"), a.keyed_hash("phone", "x"));
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
    }
}
