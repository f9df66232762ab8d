//! Operation and service metadata: the traits generated operations implement, so that the
//! client, the mock and the conformance harness can be generic over operations.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::validation::Validate;

/// The wire protocol a service speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_1`: `POST /`, `X-Amz-Target`, `application/x-amz-json-1.1`.
    AwsJson1_1,
    /// `aws.protocols#awsJson1_0`: as 1.1 with `application/x-amz-json-1.0`.
    AwsJson1_0,
    /// `aws.protocols#restJson1`: JSON bodies with `application/json` (HTTP bindings are not
    /// generated; used by services such as Personalize Runtime).
    RestJson1,
}

impl Protocol {
    /// The `Content-Type` of requests and responses.
    pub const fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::RestJson1 => "application/json",
        }
    }
}

/// Facts about the service read off its Smithy service shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceMeta {
    /// Shape name of the service (`AmazonPersonalize`), also the `X-Amz-Target` prefix.
    pub target_prefix: &'static str,
    /// `aws.api#service` sdkId (`Personalize`).
    pub sdk_id: &'static str,
    /// API version (`2018-05-22`).
    pub version: &'static str,
    /// SigV4 signing name (`personalize`).
    pub signing_name: &'static str,
    /// Endpoint prefix (`personalize`), as in `https://personalize.us-east-1.amazonaws.com`.
    pub endpoint_prefix: &'static str,
    /// The wire protocol.
    pub protocol: Protocol,
}

/// Static description of an operation's `@paginated` trait (member names on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// Input member carrying the token (`nextToken`).
    pub input_token: &'static str,
    /// Output member carrying the next token (`nextToken`).
    pub output_token: &'static str,
    /// Output member holding the page's items (`batchSegmentJobs`), when the model names one.
    pub items: Option<&'static str>,
    /// Input member setting the page size (`maxResults`), when the model names one.
    pub page_size: Option<&'static str>,
}

/// One modeled error an operation may return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorMeta {
    /// Shape name, sent as `__type` (`InvalidNextTokenException`).
    pub code: &'static str,
    /// HTTP status from `@httpError` (400 when absent for client errors, 500 for server errors).
    pub http_status: u16,
    /// Whether `@error("server")` (true) or `@error("client")` (false).
    pub server_fault: bool,
}

/// An operation of the service: its names, its input, output and error types.
pub trait Operation: Send + Sync + 'static {
    /// Operation name (`ListBatchSegmentJobs`).
    const NAME: &'static str;
    /// Value of the `X-Amz-Target` header (`AmazonPersonalize.ListBatchSegmentJobs`).
    const TARGET: &'static str;
    /// Whether the operation carries `@idempotent`.
    const IDEMPOTENT: bool;
    /// The modeled errors, in model order.
    const ERRORS: &'static [ErrorMeta];
    /// The service this operation belongs to.
    const SERVICE: ServiceMeta;
    /// The operation as data: its entry in `crate::service::OPERATION_METAS`
    /// (`META.input` is the input's [`StructureMeta`]).
    const META: &'static OperationMeta;

    /// The input structure.
    type Input: Serialize
        + DeserializeOwned
        + Validate
        + Clone
        + Debug
        + Default
        + PartialEq
        + Send
        + Sync
        + 'static;
    /// The output structure.
    type Output: Serialize
        + DeserializeOwned
        + RequestId
        + Clone
        + Debug
        + Default
        + PartialEq
        + Send
        + Sync
        + 'static;
    /// The operation's error: one variant per modeled error plus `Unhandled`.
    type Error: OperationError;

    /// Whether the model declares no output (`smithy.api#Unit`): a success response then
    /// carries no body, and a client reads any body it gets as the empty output.
    const UNIT_OUTPUT: bool = false;

    /// `@requestCompression` encodings (`gzip`), in the model's order; empty without it.
    const REQUEST_COMPRESSION: &'static [&'static str] = &[];

    /// The `@endpoint` host prefix with the input's `@hostLabel` members filled in
    /// (`foo.bar.` for `foo.{label}.`); `Ok(None)` for an operation without the trait.
    fn host_prefix(_input: &Self::Input) -> Result<Option<String>, HostLabelError> {
        Ok(None)
    }
}

/// A `@hostLabel` member that cannot go into the host name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("host label {label}: {reason}")]
pub struct HostLabelError {
    /// The member name.
    pub label: &'static str,
    /// What is wrong with its value.
    pub reason: String,
}

/// Checks a `@hostLabel` value: present, 1 to 63 letters, digits and hyphens.
pub fn host_label<'a>(
    label: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, HostLabelError> {
    let error = |reason: String| HostLabelError { label, reason };
    let value = value.ok_or_else(|| error("missing".to_owned()))?;
    if value.is_empty() || value.len() > 63 {
        return Err(error(format!("'{value}' is not 1 to 63 characters long")));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(error(format!(
            "'{value}' holds characters other than letters, digits and hyphens"
        )));
    }
    Ok(value)
}

/// The `x-amzn-RequestId` of the response a value was read from (it is not part of the body).
pub trait RequestId {
    /// The request id, when the value came from a response that carried one.
    fn request_id(&self) -> Option<&str>;
    /// Records the request id of the response the value came from.
    fn set_request_id(&mut self, request_id: Option<String>);
}

/// An operation error type: modeled errors plus an unhandled catch-all.
pub trait OperationError:
    std::error::Error + Debug + Clone + PartialEq + Send + Sync + 'static
{
    /// Builds the modeled variant named by `code` (already stripped of namespace and suffix),
    /// or the unhandled variant when the code is not one of this operation's errors.
    fn from_code(code: &str, message: Option<String>) -> Self;
    /// Builds the error named by `code` from a whole error response body: every modeled member
    /// is read from it, and `message` (found under any of the spellings services use) fills the
    /// message member the body does not set. Without a generated override, [`Self::from_code`].
    fn from_body(code: &str, body: &serde_json::Value, message: Option<String>) -> Self {
        let _ = body;
        Self::from_code(code, message)
    }
    /// The error's members as the JSON object a response body carries (without `__type`).
    fn members(&self) -> serde_json::Value {
        match self.message() {
            Some(message) => serde_json::json!({ "message": message }),
            None => serde_json::json!({}),
        }
    }
    /// The error code (shape name for modeled errors).
    fn code(&self) -> &str;
    /// The message, when the service sent one.
    fn message(&self) -> Option<&str>;
    /// Whether this is one of the operation's modeled errors.
    fn is_modeled(&self) -> bool;
}

/// An operation with the `@paginated` trait.
pub trait Paginated: Operation {
    /// The element type of the items list (`()` when the model names no items member).
    type Item: Clone + Debug + Send + Sync + 'static;
    /// The trait's member names.
    const PAGINATION: Pagination;
    /// The token in an input.
    fn input_token(input: &Self::Input) -> Option<&str>;
    /// Sets the token in an input.
    fn set_input_token(input: &mut Self::Input, token: Option<String>);
    /// The token in an output.
    fn output_token(output: &Self::Output) -> Option<&str>;
    /// The page size in an input, when the operation has one.
    fn page_size(input: &Self::Input) -> Option<i32>;
    /// Sets the page size, when the operation has one (otherwise does nothing).
    fn set_page_size(input: &mut Self::Input, size: Option<i32>);
    /// Takes the items out of an output.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// What a member holds, as far as code that walks JSON generically needs to know (the mock's
/// resource engine, the conformance harness). Generated into `crate::schema`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueKind {
    /// A string (also `@enum`/enum shapes: see [`ValueKind::Enum`]).
    String,
    /// A string with a closed set of documented values (the enum shape's name).
    Enum(&'static str),
    /// `boolean`.
    Boolean,
    /// `byte`, `short`, `integer` or `long`.
    Integer,
    /// `float` or `double`.
    Float,
    /// `timestamp` (epoch seconds on the awsJson wire).
    Timestamp,
    /// `blob` (base64 on the wire).
    Blob,
    /// `document`: any JSON.
    Document,
    /// A structure, by shape name (look it up with `crate::schema::structure`).
    Structure(&'static str),
    /// A list of the given element kind.
    List(&'static ValueKind),
    /// A map from strings to the given value kind.
    Map(&'static ValueKind),
}

/// One member of a structure, as the model states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberMeta {
    /// The member's name on the wire (`datasetGroupArn`).
    pub name: &'static str,
    /// The target shape's name without namespace (`Arn`, `Name`, `DatasetGroupSummary`).
    pub target: &'static str,
    /// What the member holds.
    pub kind: ValueKind,
    /// Whether the member carries `@required`.
    pub required: bool,
}

/// A structure shape of the model: its name and members in model order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructureMeta {
    /// Shape name without namespace (`DatasetGroup`, `CreateDatasetGroupRequest`).
    pub name: &'static str,
    /// Members in model order.
    pub members: &'static [MemberMeta],
}

impl StructureMeta {
    /// The member with wire name `name`.
    pub fn member(&self, name: &str) -> Option<&'static MemberMeta> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// An operation as data: what [`Operation`] states with types, for code that is generic at
/// run time (routing tables, the mock's engine, reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationMeta {
    /// Operation name (`CreateDatasetGroup`).
    pub name: &'static str,
    /// Value of the `X-Amz-Target` header.
    pub target: &'static str,
    /// Whether the operation carries `@idempotent`.
    pub idempotent: bool,
    /// The input structure (`CreateDatasetGroupRequest`).
    pub input: &'static StructureMeta,
    /// The output structure (`CreateDatasetGroupResponse`; no members for `smithy.api#Unit`).
    pub output: &'static StructureMeta,
    /// The modeled errors, in model order.
    pub errors: &'static [ErrorMeta],
    /// The `@paginated` trait's members, when the operation has it.
    pub pagination: Option<Pagination>,
}
