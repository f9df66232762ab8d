//! personalize-conformance's integration tests, one binary with a module per subject.

mod bogus;
mod cli;
mod client_fixtures;
mod harness;
mod mock_fixtures;
mod moto;
mod record;
mod seeding;
