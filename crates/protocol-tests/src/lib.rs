//! Smithy's protocol compliance cases for awsJson 1.1, run against this workspace's code.
//!
//! The cases are the `smithy.test#httpRequestTests` and `smithy.test#httpResponseTests` traits
//! of `aws.protocoltests.json#JsonProtocol` in the vendored suite slice
//! (`spec/models/aws-protocoltests-json.json`): [`cases::discover`] reads them from the model,
//! one [`cases::Case`] per trait entry and side it applies to; none is written by hand.
//! [`client`] checks the client's protocol layer (requests built from `params`, responses
//! parsed into outputs and typed errors); [`server`] checks the mock's. Each side runs
//! generically over `personalize_model::Operation`, instantiated for the generated
//! `protocol-tests-model` operations by [`dispatch`].
//!
//! [`expected::ExpectedFailures`] is the list of cases allowed to fail, each with its reason;
//! a listed case that passes is a failure, so the list cannot go stale.

pub mod cases;
pub mod client;
pub mod compare;
pub mod dispatch;
pub mod expected;
pub mod params;
pub mod server;

use std::path::PathBuf;

/// The vendored suite slice, found from this crate's directory.
pub fn model_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec/models/aws-protocoltests-json.json")
}

/// The expected-failure list, found from this crate's directory.
pub fn expected_failures_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("expected-failures.txt")
}
