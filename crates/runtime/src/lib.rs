//! The hand-written runtime every crate `cargo xtask codegen` generates builds on:
//! [`datetime`] (Smithy timestamps), [`blob`], [`format`] (wire forms serde does not give:
//! awsJson floats, the timestamp formats), [`validation`] (constraint checks and their AWS
//! messages) and [`meta`] (the `Operation` trait and metadata the client, the mock and the
//! protocol tests are generic over) and [`unhandled`] (the opaque error of a code a model
//! does not list).
//!
//! One crate, depended on by `personalize-model`, `protocol-tests-model` and any standalone
//! crate the generator writes, so that every generated operation implements the same traits and
//! no runtime file is copied as text.

pub mod blob;
pub mod datetime;
pub mod format;
pub mod meta;
pub mod unhandled;
pub mod validation;

pub use blob::Blob;
pub use datetime::DateTime;
pub use meta::{
    ErrorMeta, HostLabelError, MemberMeta, Operation, OperationError, OperationMeta, Paginated,
    Pagination, Protocol, RequestId, ServiceMeta, StructureMeta, ValueKind,
};
pub use unhandled::Unhandled;
pub use validation::{Rule, Validate, ValidationErrors, Validator, Violation};

/// A Smithy `document`: untyped JSON.
pub type Document = serde_json::Value;
