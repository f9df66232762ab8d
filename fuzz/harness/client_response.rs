//! Fuzz harness of the client's response handling
//! ([`personalize_client::protocol::parse_response`]), no network involved.
//!
//! The input is HTTP response text (see `http_text`): `HTTP/1.1 STATUS ...`, headers, body.
//! Checked: never panics; a 2xx gives the output (with the response's request id) or a
//! `Response` error carrying the status; any other status gives a `Service` error with that
//! status, a non-empty code, the raw body, and a modeled variant exactly when the code is a
//! modeled one; `Display`, `Debug` and the retry decision never panic.

use bytes::Bytes;
use http::StatusCode;
use personalize_client::protocol::{parse_response, request_id, ErrorDetails};
use personalize_client::{is_retryable, Error, RequestId};
use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobs;
use personalize_model::{Operation, OperationError};

use crate::http_text;

/// Runs one input through the parser and panics when the result breaks a property above.
pub fn check(input: &[u8]) {
    let message = http_text::parse(input);
    let Some(status) = message.start.get(1) else {
        return;
    };
    let Some(status) = std::str::from_utf8(status)
        .ok()
        .and_then(|s| s.parse::<u16>().ok())
        .and_then(|n| StatusCode::from_u16(n).ok())
    else {
        return;
    };
    let headers = message.headers;
    let body = Bytes::copy_from_slice(message.body);
    let _ = ErrorDetails::parse(&headers, &body);
    let result = parse_response::<ListBatchSegmentJobs>(status, &headers, body.clone());
    match &result {
        Ok(output) => {
            assert!(status.is_success(), "output from a {status} response");
            assert_eq!(output.request_id(), request_id(&headers).as_deref());
        }
        Err(Error::Response(e)) => {
            assert!(
                status.is_success(),
                "Response error from a {status} response"
            );
            assert_eq!(e.status(), status.as_u16());
        }
        Err(Error::Service(e)) => {
            assert!(
                !status.is_success(),
                "service error from a {status} response"
            );
            assert_eq!(e.status(), status.as_u16());
            assert_eq!(e.raw_body(), &body[..]);
            assert!(!e.code().is_empty(), "empty error code");
            let modeled = ListBatchSegmentJobs::ERRORS
                .iter()
                .any(|m| m.code == e.code());
            assert_eq!(e.err().is_modeled(), modeled, "code {:?}", e.code());
        }
        Err(other) => panic!("unexpected error kind from a response: {other:?}"),
    }
    if let Err(e) = &result {
        let _ = is_retryable(e);
        let _ = format!("{e} {e:?}");
        let _ = (e.code(), e.message(), e.status(), e.request_id());
    }
}
