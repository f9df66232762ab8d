//! Fuzz harness of the mock's transport-free request handler ([`MockService::handle`]): every
//! operation's target, the admin routes, any method, path, headers and body.
//!
//! The input is HTTP request text (see `http_text`). `$NEXT` in the body is replaced by a real
//! page token of an unfiltered ListBatchSegmentJobs listing and `$NEXT_SV` by one of a listing
//! filtered by [`SV1`], so the fuzzer gets past the token's signature check.
//!
//! Checked on every response: status 200 or 4xx; `Content-Type: application/x-amz-json-1.1`;
//! a request id; a JSON object body; on 4xx a non-empty `__type` equal to `X-Amzn-ErrorType`,
//! a string `message`, no more than the request's size plus 1 KiB, and modeled errors at their
//! modeled status. A 200 of any operation is its generated output type (the debug build's
//! protocol layer answers 500 otherwise); a 200 of ListBatchSegmentJobs is also a valid
//! `ListBatchSegmentJobsOutput` whose jobs are stored jobs, newest first, the fixture's ties
//! in insertion order.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use personalize_mock::MockService;
use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsOutput;
use personalize_model::Validate;
use serde_json::{json, Value};

use crate::http_text;

/// The solution version half of the seeded jobs use.
pub const SV1: &str = "arn:aws:personalize:us-east-1:123456789012:solution/movies/1";
const SV2: &str = "arn:aws:personalize:us-east-1:123456789012:solution/books/2";
const JOB_PREFIX: &str = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/seg-";

/// A handler whose store holds 9 jobs `seg-0` … `seg-8`, stored in that order: two solution
/// versions, shared timestamps (insertion-order tie-breaks), one job without a timestamp, one
/// without a solution version.
pub fn service() -> MockService {
    let service = MockService::default();
    let jobs: Vec<Value> = (0..9)
        .map(|n: i64| {
            let mut job = json!({
                "batchSegmentJobArn": format!("{JOB_PREFIX}{n}"),
                "jobName": format!("seg-{n}"),
                "status": "ACTIVE",
            });
            if n != 4 {
                job["creationDateTime"] = json!((1_700_000_000_123 + n / 3 * 1000) as f64 / 1000.0);
            }
            if n != 7 {
                job["solutionVersionArn"] = json!(if n % 2 == 0 { SV1 } else { SV2 });
            }
            job
        })
        .collect();
    if let Err(e) = service.seed(&json!({ "batchSegmentJobs": jobs })) {
        panic!("fixture jobs refused: {e}");
    }
    service
}

/// Sends ListBatchSegmentJobs with this body; status and JSON body.
pub fn list(service: &MockService, body: &Value) -> (StatusCode, Value) {
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    headers.insert(
        "x-amz-target",
        HeaderValue::from_static("AmazonPersonalize.ListBatchSegmentJobs"),
    );
    let response = service.handle_parts(Method::POST, "/", headers, Bytes::from(body.to_string()));
    let status = response.status();
    let json = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
    (status, json)
}

/// A real token for the page after the first two jobs, unfiltered or filtered by [`SV1`]
/// (none once an input has reset the store).
pub fn token(service: &MockService, filter: Option<&str>) -> Option<String> {
    let mut body = json!({ "maxResults": 2 });
    if let Some(f) = filter {
        body["solutionVersionArn"] = f.into();
    }
    let (status, out) = list(service, &body);
    assert!(
        status == StatusCode::OK,
        "the fixture's first page: {status} {out}"
    );
    out["nextToken"].as_str().map(str::to_owned)
}

/// The insertion rank of a fixture job (`seg-N` is N), if `arn` is one.
fn fixture_rank(arn: &str) -> Option<u32> {
    arn.strip_prefix(JOB_PREFIX)?.parse().ok()
}

fn replace(body: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

/// Runs one input through `service` and panics when a response breaks a property above.
pub fn check(service: &MockService, input: &[u8]) {
    let message = http_text::parse(input);
    let (Some(method), Some(path)) = (message.start.first(), message.start.get(1)) else {
        return;
    };
    let Ok(method) = Method::from_bytes(method) else {
        return;
    };
    let Ok(uri) = Uri::try_from(*path) else {
        return;
    };
    let mut body = message.body.to_vec();
    if body.windows(5).any(|w| w == b"$NEXT") {
        let sv = token(service, Some(SV1)).unwrap_or_default();
        body = replace(&body, b"$NEXT_SV", sv.as_bytes());
        let all = token(service, None).unwrap_or_default();
        body = replace(&body, b"$NEXT", all.as_bytes());
    }
    let body_len = body.len();
    let listing = uri.path() == "/"
        && message.headers.get("x-amz-target").map(|v| v.as_bytes())
            == Some(&b"AmazonPersonalize.ListBatchSegmentJobs"[..]);
    let mut request = Request::new(Bytes::from(body));
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.headers_mut() = message.headers;
    let response = service.handle(request);

    let status = response.status();
    assert!(
        status == StatusCode::OK || status.is_client_error(),
        "status {status} is neither 200 nor 4xx: {:?}",
        String::from_utf8_lossy(response.body())
    );
    assert_eq!(
        response.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/x-amz-json-1.1"[..]),
        "content type"
    );
    let request_id = response
        .headers()
        .get("x-amzn-requestid")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no x-amzn-RequestId"));
    assert_eq!(request_id.len(), 36, "request id {request_id:?}");
    let json: Value = serde_json::from_slice(response.body())
        .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", response.body()));
    let object = json
        .as_object()
        .unwrap_or_else(|| panic!("body is not a JSON object: {json}"));

    if status == StatusCode::OK && listing {
        assert!(!object.contains_key("__type"), "200 with __type: {json}");
        let output: ListBatchSegmentJobsOutput = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("200 body is not the output ({e}): {json}"));
        if let Err(e) = output.validate() {
            panic!("200 body breaks the model: {e}");
        }
        let jobs = output.batch_segment_jobs.unwrap_or_default();
        let mut previous: Option<(std::cmp::Reverse<i64>, Option<u32>, String)> = None;
        for job in &jobs {
            let arn = job.batch_segment_job_arn.clone().unwrap_or_default();
            let stored = service
                .resource(&arn)
                .unwrap_or_else(|| panic!("listed job {arn} is not stored"));
            let listed = serde_json::to_value(job).unwrap_or_default();
            for (member, value) in listed.as_object().into_iter().flatten() {
                assert_eq!(stored.get(member), Some(value), "{member} of {arn}");
            }
            let key = (
                std::cmp::Reverse(job.creation_date_time.map_or(i64::MIN, |t| t.as_micros())),
                fixture_rank(&arn),
                arn,
            );
            if let Some(previous) = &previous {
                assert!(
                    previous.0 <= key.0,
                    "jobs out of order: {previous:?} then {key:?}"
                );
                if let (true, Some(a), Some(b)) = (previous.0 == key.0, previous.1, key.1) {
                    assert!(
                        a < b,
                        "tied jobs out of insertion order: {previous:?} then {key:?}"
                    );
                }
            }
            previous = Some(key);
        }
    } else if status == StatusCode::OK {
        assert!(!object.contains_key("__type"), "200 with __type: {json}");
    } else {
        let code = object
            .get("__type")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("error without __type: {json}"));
        assert!(!code.is_empty(), "empty __type");
        assert_eq!(
            response
                .headers()
                .get("x-amzn-errortype")
                .map(|v| v.as_bytes()),
            Some(code.as_bytes()),
            "X-Amzn-ErrorType"
        );
        let text = object
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("error without a string message: {json}"));
        assert!(
            text.len() <= input.len() + body_len + 1024,
            "message of {} bytes for a {}-byte request",
            text.len(),
            input.len()
        );
        if matches!(code, "InvalidInputException" | "InvalidNextTokenException") {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{code}");
        }
    }
}
