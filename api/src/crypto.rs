//! Keyed hashes, sealing at rest, one-time codes and session tokens.
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
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

    /// A key for sealing records at rest, derived from the secret under a
    /// `purpose` label: the same on every instance, different per purpose.
    pub fn seal_key(&self, purpose: &str) -> SealKey {
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => unreachable_key(),
        };
        mac.update(b"seal-key\0");
        mac.update(purpose.as_bytes());
        SealKey(mac.finalize().into_bytes().into())
    }
}

/// A 256-bit key that seals small records at rest with XChaCha20-Poly1305
/// (authenticated encryption; a random 192-bit nonce per record, so random
/// nonces never repeat in practice). A sealed record is `nonce ‖
/// ciphertext ‖ tag`, base64 for a text column. `context` binds a record
/// to where it belongs (a round, a table): a sealed value moved elsewhere
/// does not open.
#[derive(Clone)]
pub struct SealKey([u8; 32]);

impl SealKey {
    /// A fresh key from the operating system's secure random source.
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        OsRng.unwrap_err().fill(&mut key);
        Self(key)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn seal(&self, context: &str, plaintext: &[u8]) -> String {
        use base64::Engine;
        let mut nonce = [0u8; 24];
        OsRng.unwrap_err().fill(&mut nonce);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        // Encryption fails only for a message over 256 GiB.
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
    }

    /// The plaintext of a record sealed with this key and `context`, or
    /// `None` if it was sealed otherwise or altered.
    pub fn open(&self, context: &str, sealed: &str) -> Option<Vec<u8>> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(sealed)
            .ok()?;
        if bytes.len() < 24 + 16 {
            return None;
        }
        let (nonce, body) = bytes.split_at(24);
        XChaCha20Poly1305::new((&self.0).into())
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .ok()
    }

    /// HMAC-SHA-256 of `value` under this key and a `purpose` label, hex.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        Secret::new(self.0.to_vec()).keyed_hash(purpose, value)
    }
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealKey(<redacted>)")
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

    #[test]
    fn sealed_records_open_only_with_their_key_and_context() {
        let secret = Secret::new(b"a server secret of some length".to_vec());
        let key = secret.seal_key("phone-state");
        let sealed = key.seal("round:7", b"hello");
        assert!(!sealed.contains("hello"));
        assert_eq!(key.open("round:7", &sealed).as_deref(), Some(&b"hello"[..]));
        assert_eq!(key.open("round:8", &sealed), None);
        assert_eq!(secret.seal_key("other").open("round:7", &sealed), None);
        assert_ne!(
            key.seal("round:7", b"hello"),
            sealed,
            "a fresh nonce each time"
        );
        let mut altered = sealed.into_bytes();
        let last = altered.len() - 2;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            key.open("round:7", &String::from_utf8(altered).unwrap()),
            None
        );
        let random = SealKey::random();
        assert_eq!(
            random.open("x", &random.seal("x", b"")).as_deref(),
            Some(&b""[..])
        );
    }
}
