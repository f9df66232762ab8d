//! personalize-client's integration tests, one binary with a module per subject.

mod common;

// The fuzz harnesses (fuzz/ is outside the workspace), at the crate root as in the fuzz targets:
// compiled and replayed here by `fuzz_regressions`.
#[path = "../../../../fuzz/harness/client_response.rs"]
mod client_response;
#[path = "../../../../fuzz/harness/http_text.rs"]
mod http_text;

mod batch_segment_job;
mod config;
mod errors;
mod faults;
mod fuzz_regressions;
mod paginator;
mod recordings;
mod retries;
mod sigv4;
mod wire;
