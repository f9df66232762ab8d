//! libFuzzer target: the mock's page tokens through its handler; see `harness/token_decode.rs`.
#![no_main]

#[path = "../harness/http_text.rs"]
mod http_text;
#[path = "../harness/mock_handler.rs"]
mod mock_handler;
#[path = "../harness/token_decode.rs"]
mod token_decode;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use personalize_mock::MockService;

static SERVICE: OnceLock<MockService> = OnceLock::new();

fuzz_target!(|input: &[u8]| {
    token_decode::check(SERVICE.get_or_init(token_decode::service), input);
});
