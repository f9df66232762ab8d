//! The server side: the mock's protocol layer (`personalize_mock::protocol`) parses a case's
//! request into the input, and writes a case's `params` (an output or a modeled error) as the
//! response.

use std::cell::RefCell;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Request};
use personalize_mock::protocol::{handle, serve};
use personalize_mock::{Context, Reply};
use personalize_model::{Operation, OperationError};

use crate::cases::Case;
use crate::client::{case_response, wire_params};
use crate::compare::{expect_json, expect_message};
use crate::params::Schema;

const REQUEST_ID: &str = "protocol-test-request";

/// A request case: the mock routes the case's request to `O` and parses it into the input
/// equal to `params`.
pub fn request<O: Operation>(
    case: &Case,
    schema: &Schema<'_>,
    service: &str,
) -> Result<(), String> {
    let mut builder = Request::builder()
        .method(case.str("method").unwrap_or("POST"))
        .uri(case.str("uri").unwrap_or("/"));
    for (name, value) in case.headers() {
        let name = HeaderName::try_from(name.as_str()).map_err(|e| e.to_string())?;
        let value = HeaderValue::try_from(value.as_str()).map_err(|e| e.to_string())?;
        builder = builder.header(name, value);
    }
    let body = Bytes::from(case.str("body").unwrap_or_default().to_owned());
    let request = builder.body(body).map_err(|e| e.to_string())?;
    let ctx = Context::new(REQUEST_ID);
    let seen: RefCell<Option<O::Input>> = RefCell::new(None);
    let response = handle(&ctx, &request, |target, parts| {
        (target == O::TARGET.as_bytes()).then(|| {
            serve::<O>(&ctx, parts, |_, input| {
                seen.replace(Some(input));
                Ok(Reply::Output(O::Output::default()))
            })
        })
    });
    let Some(input) = seen.into_inner() else {
        return Err(format!(
            "the mock did not reach the handler: {} {}",
            response.status(),
            String::from_utf8_lossy(response.body())
        ));
    };
    let want = wire_params::<O>(case, schema, service, "input")?;
    let got = serde_json::to_value(&input).map_err(|e| e.to_string())?;
    expect_json("input", &got, &want)
}

/// A response case: the mock answers with `params` as the output (or, for an error shape's
/// case, as the modeled error); status, headers and body must be the case's.
pub fn response<O: Operation>(
    case: &Case,
    schema: &Schema<'_>,
    service: &str,
) -> Result<(), String> {
    let (want_status, _, _) = case_response(case)?;
    let reply: Result<O::Output, O::Error> = match &case.error_shape {
        None => {
            let wire = wire_params::<O>(case, schema, service, "output")?;
            let output = serde_json::from_value(wire.clone())
                .map_err(|e| format!("params {wire} are not a {} output: {e}", O::NAME))?;
            Ok(output)
        }
        Some(shape) => {
            let name = shape.rsplit_once('#').map_or(shape.as_str(), |(_, n)| n);
            let wire = schema.to_wire(shape, None, &case.params(), "params")?;
            let error = O::Error::from_body(name, &wire, None);
            if !error.is_modeled() {
                return Err(format!("{name} is not a modeled error of {}", O::NAME));
            }
            Err(error)
        }
    };
    let request = Request::builder()
        .method("POST")
        .uri("/")
        .header("x-amz-target", O::TARGET)
        .header("content-type", O::SERVICE.protocol.content_type())
        .body(Bytes::from_static(b"{}"))
        .map_err(|e| e.to_string())?;
    // The request id is the server's to choose, like the output: the one the case expects.
    let request_id = case
        .headers()
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("x-amzn-requestid"))
        .map_or_else(|| REQUEST_ID.to_owned(), |(_, value)| value);
    let ctx = Context::new(request_id);
    let mut reply = Some(reply);
    let response = handle(&ctx, &request, |target, parts| {
        (target == O::TARGET.as_bytes()).then(|| {
            serve::<O>(&ctx, parts, |_, _input| match reply.take() {
                Some(Ok(output)) => Ok(Reply::Output(output)),
                Some(Err(error)) => Err(error),
                None => Ok(Reply::Output(O::Output::default())),
            })
        })
    });
    let mut problems = Vec::new();
    if response.status() != want_status {
        problems.push(format!("status {}, want {want_status}", response.status()));
    }
    expect_message(case, response.headers(), response.body(), problems)
}
