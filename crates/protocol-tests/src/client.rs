//! The client side: requests built by `personalize-client` from a case's `params`, and
//! responses parsed by it into the output or the typed error.

use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use personalize_client::protocol::parse_response;
use personalize_client::{Client, Config, Credentials, Error, FixedTime};
use personalize_model::{Operation, OperationError, RequestId};
use serde_json::{json, Value};

use crate::cases::Case;
use crate::compare::{expect_json, expect_message};
use crate::params::Schema;

/// The host a case's endpoint has when it names none.
const DEFAULT_HOST: &str = "example.com";

/// The case's `params` as operation `O`'s input or output structure, on the wire.
pub(crate) fn wire_params<O: Operation>(
    case: &Case,
    schema: &Schema<'_>,
    service: &str,
    io: &str,
) -> Result<Value, String> {
    match schema.operation_io(service, O::NAME, io)? {
        Some(shape) => schema.to_wire(&shape, None, &case.params(), "params"),
        None => Ok(json!({})),
    }
}

/// A request case: the client builds and signs the request for `params`; method, path, host,
/// headers and body must be the case's.
pub fn request<O: Operation>(
    case: &Case,
    schema: &Schema<'_>,
    service: &str,
) -> Result<(), String> {
    let wire = wire_params::<O>(case, schema, service, "input")?;
    let input: O::Input = serde_json::from_value(wire.clone())
        .map_err(|e| format!("params {wire} are not a {} input: {e}", O::NAME))?;
    let host = case.str("host").unwrap_or(DEFAULT_HOST);
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("https://{host}"))
        .credentials(Credentials::new("AKIDEXAMPLE", "SECRET", None))
        .time_source(FixedTime(UNIX_EPOCH + Duration::from_secs(1_700_000_000)))
        .build()
        .map_err(|e| format!("client configuration: {e}"))?;
    let request = Client::new(config)
        .signed_request::<O>(&input)
        .map_err(|e| format!("the client refused to build the request: {e}"))?;
    let mut problems = Vec::new();
    if let Some(method) = case.str("method") {
        if request.method().as_str() != method {
            problems.push(format!("method {} , want {method}", request.method()));
        }
    }
    if let Some(uri) = case.str("uri") {
        if request.uri().path() != uri || request.uri().query().is_some() {
            problems.push(format!("URI {}, want {uri}", request.uri()));
        }
    }
    if let Some(resolved) = case.str("resolvedHost") {
        if request.uri().host() != Some(resolved) {
            problems.push(format!("host {:?}, want {resolved}", request.uri().host()));
        }
    }
    expect_message(case, request.headers(), request.body(), problems)
}

/// The HTTP response a response case describes.
pub(crate) fn case_response(case: &Case) -> Result<(StatusCode, HeaderMap, Bytes), String> {
    let code = case
        .data
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .ok_or("the case has no status code")?;
    let status = StatusCode::from_u16(code).map_err(|e| e.to_string())?;
    let mut headers = HeaderMap::new();
    for (name, value) in case.headers() {
        let name = HeaderName::try_from(name.as_str()).map_err(|e| e.to_string())?;
        let value = HeaderValue::try_from(value.as_str()).map_err(|e| e.to_string())?;
        headers.append(name, value);
    }
    let body = Bytes::from(case.str("body").unwrap_or_default().to_owned());
    Ok((status, headers, body))
}

/// A response case: the client parses the response; an operation's case must give the output
/// equal to `params`, an error shape's case the modeled error with `params` as its members.
pub fn response<O: Operation>(
    case: &Case,
    schema: &Schema<'_>,
    service: &str,
) -> Result<(), String> {
    let (status, headers, body) = case_response(case)?;
    let request_id = headers
        .get("x-amzn-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let parsed = parse_response::<O>(status, &headers, body);
    match (&case.error_shape, parsed) {
        (None, Ok(output)) => {
            let want = wire_params::<O>(case, schema, service, "output")?;
            let got = serde_json::to_value(&output).map_err(|e| e.to_string())?;
            expect_json("output", &got, &want)?;
            if output.request_id() != request_id.as_deref() {
                return Err(format!(
                    "request id {:?}, want {request_id:?}",
                    output.request_id()
                ));
            }
            Ok(())
        }
        (Some(shape), Err(Error::Service(error))) => {
            let name = shape.rsplit_once('#').map_or(shape.as_str(), |(_, n)| n);
            let err = error.err();
            if err.code() != name || !err.is_modeled() {
                return Err(format!(
                    "error {} (modeled: {}), want {name}",
                    err.code(),
                    err.is_modeled()
                ));
            }
            let want = schema.to_wire(shape, None, &case.params(), "params")?;
            expect_json("error members", &err.members(), &want)
        }
        (None, Err(e)) => Err(format!("want the output, got an error: {e}")),
        (Some(shape), Ok(_)) => Err(format!("want error {shape}, got an output")),
        (Some(shape), Err(e)) => Err(format!("want error {shape}, got: {e}")),
    }
}
