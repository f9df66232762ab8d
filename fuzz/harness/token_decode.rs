//! Fuzz harness of the mock's page-token codec ([`TokenCodec`]).
//!
//! The first byte picks a mode:
//! - even: the rest, as text, is opened as a token: it must be refused (the key is random, so
//!   nothing the fuzzer writes can carry a valid signature), with and without a filter;
//! - odd: the rest describes a cursor, snapshot and filter (`snapshot u64 BE ‖ has-created ‖
//!   created i64 BE ‖ ARN bytes [‖ 0xFF ‖ filter bytes]`): sealing then opening gives them back,
//!   the token is URL-safe ASCII, and opening it with another filter or after any
//!   one-character edit fails.

use personalize_mock::store::{Cursor, Snapshot};
use personalize_mock::token::TokenCodec;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Runs one input through `codec` and panics when a property above fails.
pub fn check(codec: &TokenCodec, input: &[u8]) {
    let Some((mode, rest)) = input.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let text = String::from_utf8_lossy(rest);
        assert!(codec.open(&text, None).is_err(), "forged token accepted");
        assert!(
            codec.open(&text, Some("x")).is_err(),
            "forged token accepted"
        );
        return;
    }
    if rest.len() < 17 {
        return;
    }
    let (header, tail) = rest.split_at(17);
    let snapshot = Snapshot(u64::from_be_bytes(
        header[..8].try_into().unwrap_or_default(),
    ));
    let created = i64::from_be_bytes(header[9..17].try_into().unwrap_or_default());
    let (arn, filter) = match tail.iter().position(|b| *b == 0xFF) {
        Some(i) => (
            &tail[..i],
            Some(String::from_utf8_lossy(&tail[i + 1..]).into_owned()),
        ),
        None => (tail, None),
    };
    let cursor = Cursor {
        created: (header[8] % 2 == 1).then_some(created),
        arn: String::from_utf8_lossy(arn).into_owned(),
    };
    let filter = filter.as_deref();
    let token = codec.seal(&cursor, snapshot, filter);
    assert!(
        token.bytes().all(|b| ALPHABET.contains(&b)),
        "token is not base64url: {token:?}"
    );
    assert_eq!(codec.open(&token, filter), Ok((cursor, snapshot)));
    let other = match filter {
        Some(f) => format!("{f}x"),
        None => String::new(),
    };
    assert!(
        codec.open(&token, Some(&other)).is_err(),
        "other filter accepted"
    );
    if filter.is_some() {
        assert!(codec.open(&token, None).is_err(), "missing filter accepted");
    }
    let at = usize::from(header[8]) * 7 % token.len().max(1);
    let mut edited = token.clone().into_bytes();
    if let Some(b) = edited.get_mut(at) {
        let i = ALPHABET.iter().position(|a| a == b).unwrap_or(0);
        *b = ALPHABET[(i + 1 + usize::from(header[0]) % 63) % 64];
        let edited = String::from_utf8_lossy(&edited).into_owned();
        assert!(
            codec.open(&edited, filter).is_err(),
            "edit at {at} accepted: {edited}"
        );
    }
}
