//! The mock's integration tests, one binary: a module per subject.
//!
//! Real clients (boto3, the AWS CLI, the JS SDK) come from `$PERSONALIZE_PYTHON`,
//! `$PERSONALIZE_NODE` and `$PERSONALIZE_JS_CLIENTS` (see `common`).

mod common;

// The fuzz harnesses (fuzz/ is outside the workspace), at the crate root as in the fuzz targets:
// compiled and replayed here by `fuzz_regressions`.
#[path = "../../../../fuzz/harness/http_text.rs"]
mod http_text;
#[path = "../../../../fuzz/harness/mock_handler.rs"]
mod mock_handler;
#[path = "../../../../fuzz/harness/token_decode.rs"]
mod token_decode;

mod batch_segment_jobs;
mod binary;
mod catalogue;
mod clients;
mod engine_smoke;
mod fuzz_regressions;
mod handler;
mod js_sdk;
mod lifecycle;
mod limits;
mod list_pages_prop;
mod paging_prop;
mod python_clients;
mod rust_sdk;
mod sdk_every_operation;
mod sigv4;
mod sigv4_python;
mod state;
mod wire;
mod workflow_boto3;
mod workflow_cli;
