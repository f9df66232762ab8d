//! libFuzzer target: the mock's page-token codec; see `harness/token_decode.rs`.
#![no_main]

#[path = "../harness/token_decode.rs"]
mod token_decode;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use personalize_mock::token::TokenCodec;

static CODEC: OnceLock<TokenCodec> = OnceLock::new();

fuzz_target!(|input: &[u8]| {
    token_decode::check(CODEC.get_or_init(TokenCodec::random), input);
});
