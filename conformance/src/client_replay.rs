//! Replaying fixtures through personalize-client against a server that answers as recorded.

use crate::fixture::Fixture;
use crate::report::Suite;

/// Name of the client in reports.
pub const CLIENT: &str = "client (personalize-client)";

/// Every fixture through the client (placeholder until the client API lands).
pub async fn run_client(_fixtures: &[Fixture]) -> Suite {
    Suite { target: CLIENT.into(), cases: Vec::new() }
}
