//! Types, constraint validators and operation metadata for Amazon Personalize.
//!
//! Everything under [`types`], [`operation`], [`error`], [`service`] and [`schema`] is generated
//! from the Smithy model in `model/` by `cargo xtask codegen`; the modules
//! [`datetime`], [`blob`], [`format`], [`validation`] and [`meta`] are the hand-written runtime
//! the generated code builds on.

pub mod blob;
pub mod datetime;
pub mod format;
pub mod meta;
pub mod validation;

#[rustfmt::skip]
mod generated;

pub use blob::Blob;
pub use datetime::DateTime;
pub use generated::{error, operation, schema, service, types};
pub use meta::{
    ErrorMeta, HostLabelError, MemberMeta, Operation, OperationError, OperationMeta, Paginated,
    Pagination, Protocol, RequestId, ServiceMeta, StructureMeta, ValueKind,
};
pub use validation::{Rule, Validate, ValidationErrors, Validator, Violation};

/// A Smithy `document`: untyped JSON.
pub type Document = serde_json::Value;
