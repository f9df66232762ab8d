//! What can go wrong in a call: the service said no, or the request never got a usable answer.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use personalize_model::{OperationError, ValidationErrors};

/// A boxed error from the HTTP stack.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The error of a call to operation `O`: `E` is the operation's error type
/// (its modeled errors plus `Unhandled`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E: OperationError> {
    /// The service answered with an error response.
    #[error(transparent)]
    Service(ServiceError<E>),
    /// A connect, attempt or operation timeout elapsed.
    #[error(transparent)]
    Timeout(TimeoutError),
    /// The connection failed or broke (DNS, TCP, TLS, I/O, HTTP framing).
    #[error(transparent)]
    Transport(TransportError),
    /// The request could not be built: invalid input (with `validate_before_send`), serialization or signing.
    #[error(transparent)]
    Construction(ConstructionError),
    /// A success response whose body is not the operation's output.
    #[error(transparent)]
    Response(ResponseError),
    /// A paginator stopped because the service misbehaved.
    #[error(transparent)]
    Pagination(PaginationError),
}

impl<E: OperationError> Error<E> {
    /// The service error, when the service answered with one.
    pub fn as_service_error(&self) -> Option<&ServiceError<E>> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The operation error (modeled or unhandled), when the service answered with one.
    pub fn err(&self) -> Option<&E> {
        self.as_service_error().map(ServiceError::err)
    }

    /// The service's error code, when the service answered with an error.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().map(ServiceError::code)
    }

    /// The service's error message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.as_service_error().and_then(ServiceError::message)
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::Response(e) => Some(e.status),
            _ => None,
        }
    }

    /// The `x-amzn-RequestId` of the response, when there was one that carried it.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id(),
            Error::Response(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
}

/// An error response from the service: the operation error plus the response's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError<E> {
    pub(crate) err: E,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) raw_body: Bytes,
}

impl<E: OperationError> ServiceError<E> {
    /// The operation error: a modeled variant, or `Unhandled` for any other code.
    pub fn err(&self) -> &E {
        &self.err
    }

    /// Consumes the error, giving the operation error.
    pub fn into_err(self) -> E {
        self.err
    }

    /// The error code, stripped of namespace and suffix; the HTTP status (`"503"`) when the
    /// response named none.
    pub fn code(&self) -> &str {
        self.err.code()
    }

    /// The message, when the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.err.message()
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `x-amzn-RequestId` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response body as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }
}

impl<E: OperationError> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error {} (HTTP {}", self.err, self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl<E: OperationError> StdError for ServiceError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.err)
    }
}

/// Which timeout elapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Opening the connection took too long.
    Connect,
    /// One attempt (send and read the whole response) took too long.
    Attempt,
    /// The whole call, retries included, took too long.
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Attempt => "attempt",
            TimeoutKind::Operation => "operation",
        })
    }
}

/// A timeout elapsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} timeout of {limit:?} elapsed")]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Duration,
}

impl TimeoutError {
    pub(crate) fn new(kind: TimeoutKind, limit: Duration) -> Self {
        Self { kind, limit }
    }

    /// Which timeout elapsed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured limit.
    pub fn limit(&self) -> Duration {
        self.limit
    }
}

/// The connection failed or broke.
#[derive(Debug, thiserror::Error)]
#[error("{stage} to {endpoint} failed: {detail}")]
pub struct TransportError {
    stage: &'static str,
    endpoint: String,
    detail: String,
    #[source]
    source: BoxError,
}

impl TransportError {
    pub(crate) fn new(connect: bool, endpoint: String, source: BoxError) -> Self {
        let detail = error_chain(source.as_ref());
        Self {
            stage: if connect { "connecting" } else { "request" },
            endpoint,
            detail,
            source,
        }
    }

    /// Whether the failure happened while connecting (nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.stage == "connecting"
    }
}

/// `outer: inner: innermost`, skipping repeats.
pub(crate) fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        next = e.source();
    }
    text
}

/// The request could not be built; nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConstructionError {
    /// The input breaks the model's constraints (only checked with `validate_before_send`).
    #[error("{operation} input not sent: {errors}")]
    InvalidInput {
        /// The operation name.
        operation: &'static str,
        /// Every violation, rendered as AWS does.
        errors: ValidationErrors,
    },
    /// The input could not be serialized to JSON.
    #[error("{operation} input could not be serialized: {source}")]
    Serialize {
        /// The operation name.
        operation: &'static str,
        /// The serializer's error.
        source: serde_json::Error,
    },
    /// A `@hostLabel` member cannot go into the host name.
    #[error("{operation} input not sent: {source}")]
    HostLabel {
        /// The operation name.
        operation: &'static str,
        /// Which label and why.
        source: personalize_model::HostLabelError,
    },
    /// The HTTP request could not be assembled (such as an invalid header value).
    #[error("the HTTP request could not be built: {0}")]
    Request(String),
    /// SigV4 signing failed.
    #[error("the request could not be signed: {0}")]
    Signing(String),
}

/// A success response whose body does not parse as the operation's output.
#[derive(Debug, thiserror::Error)]
#[error("{operation} response (HTTP {status}{}) is not a valid output: {source}; body starts: {snippet:?}",
    request_id.as_deref().map(|id| format!(", request id {id}")).unwrap_or_default())]
pub struct ResponseError {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) snippet: String,
    #[source]
    pub(crate) source: serde_json::Error,
}

impl ResponseError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `x-amzn-RequestId` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// A paginator stopped because following the service's token would never end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// The service returned the token it was sent.
    #[error("{operation} returned the same next token it was sent ({token:?}); stopping instead of looping forever")]
    RepeatedToken {
        /// The operation name.
        operation: &'static str,
        /// The token.
        token: String,
    },
}
