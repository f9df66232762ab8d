//! Page tokens: opaque, tamper-evident, bound to the server that issued them and to the query.
//!
//! A token is base64url (no padding) of `payload ‖ tag`, where
//! `payload = version (1 byte) ‖ snapshot (u64 BE) ‖ has-timestamp (1 byte) ‖ created µs (i64 BE) ‖ ARN bytes`
//! and `tag = HMAC-SHA256(server key, len(payload) ‖ payload ‖ filter)`, the filter being the
//! request's `solutionVersionArn` (`0x00` when absent, `0x01 ‖ bytes` when present). The key
//! is 64 random bytes (SHA-256's block size) drawn when the server starts, so tokens of another
//! server, or of this one replayed with a different `solutionVersionArn`, fail the check like
//! forged ones.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::store::{Cursor, Snapshot};

const VERSION: u8 = 1;
const TAG_LEN: usize = 32;
const HEADER_LEN: usize = 1 + 8 + 1 + 8;

/// Why a `nextToken` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not base64url text.
    #[error("it is not base64url text")]
    NotBase64,
    /// Decodes to fewer bytes than any token this server issues.
    #[error("it is too short to be a token issued by this server")]
    TooShort,
    /// The HMAC does not match.
    #[error("its signature does not match: it was altered, forged, issued by another server, or used with a different solutionVersionArn")]
    BadSignature,
    /// Signed by this server but in a form it does not read (cannot happen unless the format changes).
    #[error("it has an unknown format")]
    BadFormat,
}

/// Signs and checks page tokens with one server's key.
#[derive(Clone)]
pub struct TokenCodec {
    /// The MAC with the key already absorbed: each token clones it instead of hashing the
    /// key's two padded blocks again (two SHA-256 blocks saved per token sealed or opened).
    keyed: Hmac<Sha256>,
}

impl std::fmt::Debug for TokenCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCodec { key: <redacted> }")
    }
}

impl Default for TokenCodec {
    fn default() -> Self {
        Self::random()
    }
}

impl TokenCodec {
    /// A codec with a fresh random key.
    pub fn random() -> Self {
        // A key of SHA-256's block size is used as is (no hashing, no padding to choose).
        let mut key = hmac::digest::Key::<Hmac<Sha256>>::default();
        rand::fill(key.as_mut_slice());
        TokenCodec {
            keyed: <Hmac<Sha256> as KeyInit>::new(&key),
        }
    }

    fn tag(&self, payload: &[u8], filter: Option<&str>) -> Hmac<Sha256> {
        let mut mac = self.keyed.clone();
        mac.update(&(payload.len() as u64).to_be_bytes());
        mac.update(payload);
        match filter {
            None => mac.update(&[0]),
            Some(arn) => {
                mac.update(&[1]);
                mac.update(arn.as_bytes());
            }
        }
        mac
    }

    /// The token for the page after `cursor`, in a listing at `snapshot` with this filter.
    pub fn seal(&self, cursor: &Cursor, snapshot: Snapshot, filter: Option<&str>) -> String {
        let mut bytes = Vec::with_capacity(HEADER_LEN + cursor.arn.len() + TAG_LEN);
        bytes.push(VERSION);
        bytes.extend_from_slice(&snapshot.0.to_be_bytes());
        bytes.push(u8::from(cursor.created.is_some()));
        bytes.extend_from_slice(&cursor.created.unwrap_or(0).to_be_bytes());
        bytes.extend_from_slice(cursor.arn.as_bytes());
        let tag = self.tag(&bytes, filter).finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Checks a token against this server's key and the request's filter.
    pub fn open(
        &self,
        token: &str,
        filter: Option<&str>,
    ) -> Result<(Cursor, Snapshot), TokenError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| TokenError::NotBase64)?;
        if bytes.len() < HEADER_LEN + TAG_LEN {
            return Err(TokenError::TooShort);
        }
        let (payload, tag) = bytes.split_at(bytes.len() - TAG_LEN);
        self.tag(payload, filter)
            .verify_slice(tag)
            .map_err(|_| TokenError::BadSignature)?;
        let (header, arn) = payload.split_at(HEADER_LEN);
        let (version, rest) = header.split_at(1);
        let (snapshot, rest) = rest.split_at(8);
        let (has_created, created) = rest.split_at(1);
        if version != [VERSION] || has_created[0] > 1 {
            return Err(TokenError::BadFormat);
        }
        let snapshot = u64::from_be_bytes(snapshot.try_into().map_err(|_| TokenError::BadFormat)?);
        let created = i64::from_be_bytes(created.try_into().map_err(|_| TokenError::BadFormat)?);
        let arn = String::from_utf8(arn.to_vec()).map_err(|_| TokenError::BadFormat)?;
        Ok((
            Cursor {
                created: (has_created[0] == 1).then_some(created),
                arn,
            },
            Snapshot(snapshot),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor() -> Cursor {
        Cursor {
            created: Some(1_700_000_001_123_000),
            arn: "arn:aws:personalize:us-east-1:1:batch-segment-job/x".into(),
        }
    }

    #[test]
    fn round_trip() {
        let codec = TokenCodec::random();
        let token = codec.seal(&cursor(), Snapshot(42), Some("sv"));
        assert!(token.is_ascii());
        assert_eq!(codec.open(&token, Some("sv")), Ok((cursor(), Snapshot(42))));
        let none = Cursor {
            created: None,
            ..cursor()
        };
        let token = codec.seal(&none, Snapshot(1), None);
        assert_eq!(codec.open(&token, None), Ok((none, Snapshot(1))));
    }

    #[test]
    fn refuses_other_filters_keys_and_edits() {
        let codec = TokenCodec::random();
        let token = codec.seal(&cursor(), Snapshot(42), Some("sv"));
        assert_eq!(codec.open(&token, None), Err(TokenError::BadSignature));
        assert_eq!(
            codec.open(&token, Some("sv2")),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            TokenCodec::random().open(&token, Some("sv")),
            Err(TokenError::BadSignature)
        );
        for i in 0..token.len() {
            let mut edited = token.clone().into_bytes();
            edited[i] = if edited[i] == b'A' { b'B' } else { b'A' };
            let edited = String::from_utf8(edited).unwrap();
            assert!(
                codec.open(&edited, Some("sv")).is_err(),
                "edit at {i} accepted"
            );
        }
        for len in 0..token.len() {
            assert!(
                codec.open(&token[..len], Some("sv")).is_err(),
                "prefix {len} accepted"
            );
        }
        assert_eq!(codec.open("!!", None), Err(TokenError::NotBase64));
    }

    #[test]
    fn longest_arn_fits_the_model_limit() {
        let codec = TokenCodec::random();
        // 256 Unicode scalar values of 4 bytes each: the largest ARN the model allows.
        let arn = "\u{10FFFF}".repeat(256);
        let token = codec.seal(
            &Cursor {
                created: Some(i64::MAX),
                arn,
            },
            Snapshot(u64::MAX),
            None,
        );
        assert!(token.len() <= 1500, "{}", token.len());
    }
}
