//! The mock's integration tests, one binary with a module per subject.

mod clients;
mod sdk_every_operation;
mod workflow_boto3;
mod workflow_cli;
