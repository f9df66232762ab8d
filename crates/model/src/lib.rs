//! Types, constraint validators and operation metadata for Amazon Personalize.
//!
//! Everything under [`types`], [`operation`], [`error`], [`service`] and [`schema`] is generated
//! from the Smithy model in `model/` by `cargo xtask codegen`; the modules
//! [`datetime`], [`blob`], [`format`], [`validation`], [`meta`] and [`unhandled`] are the hand-written runtime
//! the generated code builds on (the `model-runtime` crate, re-exported).

pub use model_runtime::{blob, datetime, format, meta, unhandled, validation};

#[rustfmt::skip]
mod generated;

pub use generated::{error, operation, schema, service, types};
pub use model_runtime::{
    Blob, DateTime, Document, ErrorMeta, HostLabelError, MemberMeta, Operation, OperationError,
    OperationMeta, Paginated, Pagination, Protocol, RequestId, Rule, ServiceMeta, StructureMeta,
    Unhandled, Validate, ValidationErrors, Validator, ValueKind, Violation,
};
