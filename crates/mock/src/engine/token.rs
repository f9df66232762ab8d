//! Page tokens: opaque, tamper-evident, bound to their server run and their query.
//!
//! `nextToken` is base64url without padding of
//! `payload = version (1) ‖ snapshot (u64 BE) ‖ creationDateTime µs (i64 BE) ‖ seq (u64 BE)` and
//! `HMAC-SHA256(key, payload ‖ binding)`, where the binding names the operation, the caller's
//! account and region and the List's filters, and `key` is 64 random bytes drawn when the
//! engine is created. Anything that does not check out is `InvalidNextTokenException`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::store::Cursor;

const VERSION: u8 = 2;
const TAG_LEN: usize = 32;
const PAYLOAD_LEN: usize = 1 + 8 + 8 + 8;

/// Why a token was refused (the reason goes into the error message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TokenError {
    /// Not base64url.
    #[error("it is not base64url text")]
    NotBase64,
    /// Wrong length.
    #[error("it does not have the length of a token issued by this server")]
    BadLength,
    /// The HMAC does not match.
    #[error("its signature does not match: it was altered, forged, issued by another server, or used with a different query")]
    BadSignature,
    /// Unknown version byte.
    #[error("it has an unknown format")]
    BadFormat,
}

/// Seals and opens tokens with one random key.
#[derive(Clone)]
pub(crate) struct TokenCodec {
    keyed: Hmac<Sha256>,
}

impl std::fmt::Debug for TokenCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCodec { key: <redacted> }")
    }
}

impl TokenCodec {
    /// A codec with a fresh random key.
    pub fn random() -> Self {
        let mut key = hmac::digest::Key::<Hmac<Sha256>>::default();
        rand::fill(key.as_mut_slice());
        TokenCodec {
            keyed: <Hmac<Sha256> as KeyInit>::new(&key),
        }
    }

    fn tag(&self, payload: &[u8], binding: &[u8]) -> Hmac<Sha256> {
        let mut mac = self.keyed.clone();
        mac.update(payload);
        mac.update(binding);
        mac
    }

    /// The token for the page after `cursor` of a listing begun at `snapshot`.
    pub fn seal(&self, cursor: Cursor, snapshot: u64, binding: &[u8]) -> String {
        let mut bytes = Vec::with_capacity(PAYLOAD_LEN + TAG_LEN);
        bytes.push(VERSION);
        bytes.extend_from_slice(&snapshot.to_be_bytes());
        bytes.extend_from_slice(&cursor.created.to_be_bytes());
        bytes.extend_from_slice(&cursor.seq.to_be_bytes());
        let tag = self.tag(&bytes, binding).finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The cursor and snapshot of a token sealed with the same binding.
    pub fn open(&self, token: &str, binding: &[u8]) -> Result<(Cursor, u64), TokenError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| TokenError::NotBase64)?;
        if bytes.len() != PAYLOAD_LEN + TAG_LEN {
            return Err(TokenError::BadLength);
        }
        let (payload, tag) = bytes.split_at(PAYLOAD_LEN);
        self.tag(payload, binding)
            .verify_slice(tag)
            .map_err(|_| TokenError::BadSignature)?;
        if payload[0] != VERSION {
            return Err(TokenError::BadFormat);
        }
        let word = |at: usize| {
            payload
                .get(at..at + 8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .ok_or(TokenError::BadFormat)
        };
        let snapshot = u64::from_be_bytes(word(1)?);
        let created = i64::from_be_bytes(word(9)?);
        let seq = u64::from_be_bytes(word(17)?);
        Ok((Cursor { created, seq }, snapshot))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURSOR: Cursor = Cursor {
        created: 1_700_000_001_123_000,
        seq: 42,
    };

    #[test]
    fn a_sealed_token_opens_with_its_binding_only() {
        let codec = TokenCodec::random();
        let token = codec.seal(CURSOR, 7, b"ListDatasetGroups");
        assert_eq!(codec.open(&token, b"ListDatasetGroups"), Ok((CURSOR, 7)));
        assert_eq!(
            codec.open(&token, b"ListSchemas"),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            TokenCodec::random().open(&token, b"ListDatasetGroups"),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn altered_and_malformed_tokens_are_refused() {
        let codec = TokenCodec::random();
        let token = codec.seal(CURSOR, 7, b"b");
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[10] ^= 1;
        let altered = URL_SAFE_NO_PAD.encode(&bytes);
        assert_eq!(codec.open(&altered, b"b"), Err(TokenError::BadSignature));
        assert_eq!(codec.open("not base64!", b"b"), Err(TokenError::NotBase64));
        assert_eq!(codec.open("", b"b"), Err(TokenError::BadLength));
        assert_eq!(codec.open(&token[..20], b"b"), Err(TokenError::BadLength));
    }
}
