//! The mock's integration tests, one binary with a module per subject.

mod sdk_every_operation;
