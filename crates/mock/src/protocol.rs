//! The awsJson 1.1 protocol, generic over operations: what a request must look like (`POST /`,
//! a body of at most [`MAX_BODY_BYTES`], an `X-Amz-Target`, the awsJson content type), reading
//! its body as an operation's input (an empty body counts as `{}`, `null` members are absent,
//! unknown members ignored, wrong types named), validating it, and writing the handler's
//! output or error back. No operation is named here: the generated
//! [`crate::handler::route`] picks the operation and calls [`serve`] for it.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use personalize_model::{Operation, OperationError, Validate};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::wire::{self, WireError};

/// Largest request body accepted, in bytes (1 MiB); larger bodies get `413`.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Longest value quoted back in an error message before it is cut.
const QUOTE_LIMIT: usize = 200;

/// The account requests are served in when their access key is not mapped to another.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// The region requests are served in when they carry no SigV4 credential scope.
pub const DEFAULT_REGION: &str = "us-east-1";

/// What an operation's handler sees of the request besides its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The `x-amzn-RequestId` the response carries.
    pub request_id: String,
    /// The account the caller acts in.
    pub account: String,
    /// The region the service runs in.
    pub region: String,
}

impl Context {
    /// A context for request `request_id` in account `123456789012`, region `us-east-1`.
    pub fn new(request_id: impl Into<String>) -> Self {
        Context {
            request_id: request_id.into(),
            account: DEFAULT_ACCOUNT.to_owned(),
            region: DEFAULT_REGION.to_owned(),
        }
    }
}

/// The parts of a routed request an operation reads: its headers and body.
#[derive(Clone, Copy, Debug)]
pub struct ProtocolRequest<'a> {
    /// The request's headers.
    pub headers: &'a HeaderMap,
    /// The request's body.
    pub body: &'a [u8],
}

/// A handler's answer: the output, or its JSON body already written.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply<T> {
    /// The output, serialised by [`serve`].
    Output(T),
    /// The output's JSON body, written by the handler (the fast path for large answers).
    Json(Bytes),
}

/// Serves `request` with `route`, which answers the operation named by the `X-Amz-Target` it
/// is given (`None` when no operation has that target), once the request is a well-formed
/// `POST /` with a target and a body within [`MAX_BODY_BYTES`].
pub fn handle(
    ctx: &Context,
    request: &Request<Bytes>,
    route: impl FnOnce(&[u8], &ProtocolRequest<'_>) -> Option<Response<Bytes>>,
) -> Response<Bytes> {
    match check_request(request) {
        Err(err) => wire::error(&err, &ctx.request_id),
        Ok(target) => {
            let parts = ProtocolRequest {
                headers: request.headers(),
                body: request.body(),
            };
            route(target, &parts).unwrap_or_else(|| {
                let err = WireError::unknown_operation(format!(
                    "X-Amz-Target {} is not an operation of {}",
                    quote(&String::from_utf8_lossy(target)),
                    personalize_model::service::SERVICE.target_prefix,
                ));
                wire::error(&err, &ctx.request_id)
            })
        }
    }
}

/// Path, method, size and target of a request; the target's bytes when all are right.
fn check_request(request: &Request<Bytes>) -> Result<&[u8], WireError> {
    if request.uri().path() != "/" {
        return Err(WireError::protocol(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            format!(
                "no operation at path {}: awsJson requests are POST /",
                quote(request.uri().path())
            ),
        ));
    }
    if request.method() != Method::POST {
        return Err(WireError::protocol(
            StatusCode::METHOD_NOT_ALLOWED,
            "UnknownOperationException",
            format!(
                "method {} is not allowed: awsJson requests are POST /",
                request.method()
            ),
        ));
    }
    if request.body().len() > MAX_BODY_BYTES {
        return Err(too_large(MAX_BODY_BYTES));
    }
    match request.headers().get(wire::TARGET_HEADER) {
        Some(target) => Ok(target.as_bytes()),
        None => Err(WireError::unknown_operation(
            "missing X-Amz-Target header: awsJson requests name their operation there",
        )),
    }
}

/// Serves one request of operation `O`: content type check, input parsing, validation (a
/// failure is `400 InvalidInputException`, which the service answers for every operation),
/// the handler, then `200` with the output or the handler's error.
pub fn serve<O: Operation>(
    ctx: &Context,
    request: &ProtocolRequest<'_>,
    handler: impl FnOnce(&Context, O::Input) -> Result<Reply<O::Output>, O::Error>,
) -> Response<Bytes> {
    let input = check_content_type::<O>(request.headers)
        .and_then(|()| decode_body(request.headers, request.body))
        .and_then(|body| parse::<O::Input>(&body, O::NAME))
        .and_then(|input| match input.validate() {
            Ok(()) => Ok(input),
            Err(errors) => Err(WireError::protocol(
                StatusCode::BAD_REQUEST,
                "InvalidInputException",
                errors.to_string(),
            )),
        });
    let reply = input.map(|input| handler(ctx, input));
    let mut response = match reply {
        Err(err) => wire::error(&err, &ctx.request_id),
        // An operation the model gives no output answers with no body.
        Ok(Ok(Reply::Output(_))) if O::UNIT_OUTPUT => {
            wire::success_body(Bytes::new(), &ctx.request_id)
        }
        Ok(Ok(Reply::Output(output))) => wire::success(&output, &ctx.request_id),
        Ok(Ok(Reply::Json(body))) => {
            #[cfg(debug_assertions)]
            if let Err(e) = serde_json::from_slice::<O::Output>(&body) {
                let err = WireError::protocol(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalFailure",
                    format!(
                        "the mock's {} answer is not the operation's output: {e}",
                        O::NAME
                    ),
                );
                return wire::error(&err, &ctx.request_id);
            }
            wire::success_body(body, &ctx.request_id)
        }
        Ok(Err(error)) => operation_error::<O>(&error, &ctx.request_id),
    };
    // The service's own protocol names the content type (awsJson 1.0 or 1.1).
    response.headers_mut().insert(
        CONTENT_TYPE,
        http::HeaderValue::from_static(O::SERVICE.protocol.content_type()),
    );
    response
}

/// An operation's error, modeled or not, goes out with its code and its members (a modeled
/// error's every member, else the message; `OperationError::members`): `400` (the
/// status the AWS API Reference gives every Personalize client error; the Smithy model's
/// `@httpError` says 403/404/409 for some, which no AWS client reads for awsJson), or `500`
/// for the model's server faults.
fn operation_error<O: Operation>(error: &O::Error, request_id: &str) -> Response<Bytes> {
    let code = error.code();
    let server_fault = O::ERRORS
        .iter()
        .any(|meta| meta.code == code && meta.server_fault);
    let status = if server_fault {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    wire::error_with_members(status, code, error.members(), request_id)
}

/// The body as the operation reads it: as sent, or gunzipped for `Content-Encoding: gzip`
/// (what clients send for `@requestCompression` operations), at most [`MAX_BODY_BYTES`] once
/// decompressed. Any other encoding is refused.
fn decode_body<'a>(
    headers: &HeaderMap,
    body: &'a [u8],
) -> Result<std::borrow::Cow<'a, [u8]>, WireError> {
    use std::io::Read;
    let encodings: Vec<String> = headers
        .get_all(http::header::CONTENT_ENCODING)
        .iter()
        .flat_map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(',')
                .map(|e| e.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .filter(|e| !e.is_empty() && e != "identity")
        .collect();
    match encodings.as_slice() {
        [] => Ok(std::borrow::Cow::Borrowed(body)),
        [gzip] if gzip == "gzip" => {
            let mut out = Vec::new();
            let limit = u64::try_from(MAX_BODY_BYTES).unwrap_or(u64::MAX) + 1;
            flate2::read::GzDecoder::new(body)
                .take(limit)
                .read_to_end(&mut out)
                .map_err(|e| {
                    WireError::serialization(format!("request body is not valid gzip: {e}"))
                })?;
            if out.len() > MAX_BODY_BYTES {
                return Err(too_large(MAX_BODY_BYTES));
            }
            Ok(std::borrow::Cow::Owned(out))
        }
        other => Err(WireError::serialization(format!(
            "Content-Encoding {} is not supported: the mock reads gzip or uncompressed bodies",
            quote(&other.join(", "))
        ))),
    }
}

/// `413`: the body is over the limit of `limit` bytes (`--max-body-bytes`, at most [`MAX_BODY_BYTES`]).
pub(crate) fn too_large(limit: usize) -> WireError {
    WireError::protocol(
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLargeException",
        format!("request body is larger than the mock's limit of {limit} bytes"),
    )
}

/// Accepts `application/x-amz-json-1.1` with or without parameters; anything else is
/// `UnknownOperationException`, as AWS answers it.
fn check_content_type<O: Operation>(headers: &HeaderMap) -> Result<(), WireError> {
    let value = headers
        .get(CONTENT_TYPE)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(value);
    let essence = text.split(';').next().unwrap_or_default().trim();
    let want = O::SERVICE.protocol.content_type();
    if essence.eq_ignore_ascii_case(want) {
        return Ok(());
    }
    Err(WireError::unknown_operation(format!(
        "Content-Type {} is not {want}, the protocol of {}",
        quote(&text),
        O::TARGET
    )))
}

/// Parses `body` as the input of operation `operation`.
fn parse<T: DeserializeOwned + Default>(body: &[u8], operation: &str) -> Result<T, WireError> {
    let Some(first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Ok(T::default());
    };
    // The common case, read in one pass; anything refused is read again below, only to
    // explain what is wrong (the `Value` pass also accepts duplicate members, last one wins).
    if *first == b'{' {
        if let Ok(input) = serde_json::from_slice(body) {
            return Ok(input);
        }
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| WireError::serialization(format!("request body is not valid JSON: {e}")))?;
    let Value::Object(members) = value else {
        return Err(WireError::serialization(format!(
            "request body must be a JSON object, got {}",
            kind(&value)
        )));
    };
    match serde_json::from_value(Value::Object(members.clone())) {
        Ok(input) => Ok(input),
        Err(e) => Err(WireError::serialization(
            wrong_member::<T>(&members)
                .unwrap_or_else(|| format!("request body does not match {operation}Request: {e}")),
        )),
    }
}

/// Names the first member whose value has the wrong JSON type.
fn wrong_member<T: DeserializeOwned>(members: &Map<String, Value>) -> Option<String> {
    members.iter().find_map(|(name, value)| {
        let mut alone = Map::new();
        alone.insert(name.clone(), value.clone());
        let err = serde_json::from_value::<T>(Value::Object(alone)).err()?;
        Some(format!(
            "Value {} at '{name}' cannot be read as the member's type: {err}",
            quote(&value.to_string())
        ))
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `'text'`, cut to [`QUOTE_LIMIT`] characters.
fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let cut: String = chars.by_ref().take(QUOTE_LIMIT).collect();
    if chars.next().is_some() {
        format!("'{cut}…'")
    } else {
        format!("'{cut}'")
    }
}

#[cfg(test)]
mod tests {
    use personalize_model::operation::list_schemas::{
        ListSchemas, ListSchemasError, ListSchemasInput, ListSchemasOutput,
    };
    use personalize_model::{ErrorMeta, OperationMeta, ServiceMeta};

    use super::*;
    use crate::wire::CONTENT_TYPE_JSON;

    /// `ListSchemas` with a server fault among its errors (Personalize models none).
    struct Faulty;

    impl Operation for Faulty {
        const NAME: &'static str = "Faulty";
        const TARGET: &'static str = "AmazonPersonalize.Faulty";
        const IDEMPOTENT: bool = false;
        const ERRORS: &'static [ErrorMeta] = &[ErrorMeta {
            code: "ServiceFault",
            http_status: 500,
            server_fault: true,
        }];
        const SERVICE: ServiceMeta = personalize_model::service::SERVICE;
        const META: &'static OperationMeta = ListSchemas::META;
        type Input = ListSchemasInput;
        type Output = ListSchemasOutput;
        type Error = ListSchemasError;
    }

    fn serve_error(code: &str) -> Response<Bytes> {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            http::HeaderValue::from_static(CONTENT_TYPE_JSON),
        );
        let request = ProtocolRequest {
            headers: &headers,
            body: b"{}",
        };
        serve::<Faulty>(&Context::new("r"), &request, |_, _| {
            Err(ListSchemasError::from_code(code, Some("boom".to_owned())))
        })
    }

    #[test]
    fn server_faults_are_500_and_other_errors_400() {
        let fault = serve_error("ServiceFault");
        assert_eq!(fault.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(fault.headers()[wire::ERROR_TYPE_HEADER], "ServiceFault");
        let client = serve_error("InvalidNextTokenException");
        assert_eq!(client.status(), StatusCode::BAD_REQUEST);
        // A code that cannot be a header value still reaches the body.
        let odd = serve_error("Bad\nCode");
        assert_eq!(odd.status(), StatusCode::BAD_REQUEST);
        assert!(odd.headers().get(wire::ERROR_TYPE_HEADER).is_none());
        let body: Value = serde_json::from_slice(odd.body()).unwrap_or_default();
        assert_eq!(body["__type"], "Bad\nCode");
        assert_eq!(body["message"], "boom");
    }

    #[test]
    fn quotes_are_cut() {
        assert_eq!(quote("abc"), "'abc'");
        let long = "x".repeat(QUOTE_LIMIT + 1);
        assert_eq!(quote(&long), format!("'{}…'", &long[..QUOTE_LIMIT]));
    }
}
