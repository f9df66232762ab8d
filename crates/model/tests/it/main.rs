//! personalize-model's integration tests, one binary with a module per subject.

mod boundaries;
mod meta;
mod recordings;
mod serde_prop;
mod unhandled;
mod validation_prop;
