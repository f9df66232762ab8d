//! libFuzzer target: HTTP request text → the mock's in-process handler; see `harness/mock_handler.rs`.
#![no_main]

#[path = "../harness/http_text.rs"]
mod http_text;
#[path = "../harness/mock_handler.rs"]
mod mock_handler;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use personalize_mock::MockService;

static SERVICE: OnceLock<MockService> = OnceLock::new();

fuzz_target!(|input: &[u8]| {
    mock_handler::check(SERVICE.get_or_init(mock_handler::service), input);
});
