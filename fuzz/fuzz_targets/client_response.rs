//! libFuzzer target: HTTP response text → the client's response parser; see `harness/client_response.rs`.
#![no_main]

#[path = "../harness/client_response.rs"]
mod client_response;
#[path = "../harness/http_text.rs"]
mod http_text;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    client_response::check(input);
});
