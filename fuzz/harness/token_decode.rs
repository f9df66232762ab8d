//! Fuzz harness of the mock's page tokens, driven through the generic handler (the token
//! codec is internal to the engine): List requests with arbitrary `nextToken`s.
//!
//! The first byte picks a mode and a List operation (`LISTS[byte / 2 % LISTS.len()]`):
//! - even: the rest, as text, is sent as that List's `nextToken`: it must be refused (the key
//!   is random, so nothing the fuzzer writes can carry a valid signature) with
//!   `InvalidNextTokenException`, or `InvalidInputException` when the text breaks the model's
//!   constraints, never a 200 or a 5xx;
//! - odd: a real token of the fixture's ListBatchSegmentJobs listing (unfiltered when the
//!   second byte is even, else filtered) is URL-safe base64 and continues its listing; the
//!   same token with the other filter, with the List operation picked, or after the
//!   one-character edit the next two bytes describe is refused.

use personalize_mock::MockService;
use serde_json::{json, Value};

use crate::mock_handler::{self, SV1};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// List operations a token may be replayed against, with a valid body for each.
const LISTS: [&str; 6] = [
    "ListBatchSegmentJobs",
    "ListDatasetGroups",
    "ListRecipes",
    "ListSolutions",
    "ListCampaigns",
    "ListSchemas",
];

/// The handler the harness uses (the `mock_handler` fixture).
pub fn service() -> MockService {
    mock_handler::service()
}

/// Sends List operation `op` with `body`: status and JSON body.
fn call(service: &MockService, op: &str, body: &Value) -> (u16, Value) {
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue, Method};
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    if let Ok(target) = HeaderValue::from_str(&format!("AmazonPersonalize.{op}")) {
        headers.insert("x-amz-target", target);
    }
    let response = service.handle_parts(Method::POST, "/", headers, Bytes::from(body.to_string()));
    let status = response.status().as_u16();
    let json = serde_json::from_slice(response.body())
        .unwrap_or_else(|e| panic!("{op}: body is not JSON ({e})"));
    (status, json)
}

fn refused(service: &MockService, op: &str, body: &Value, what: &str) {
    let (status, out) = call(service, op, body);
    assert_eq!(status, 400, "{what} accepted by {op}: {out}");
    let code = out["__type"].as_str().unwrap_or_default();
    assert!(
        matches!(code, "InvalidNextTokenException" | "InvalidInputException"),
        "{what} refused by {op} with {code}: {out}"
    );
}

/// Runs one input through `service` and panics when a property above fails.
pub fn check(service: &MockService, input: &[u8]) {
    let Some((mode, rest)) = input.split_first() else {
        return;
    };
    let op = LISTS[usize::from(mode / 2) % LISTS.len()];
    if mode % 2 == 0 {
        let text = String::from_utf8_lossy(rest);
        refused(service, op, &json!({ "nextToken": text }), "a forged token");
        let filtered = json!({ "nextToken": text, "solutionVersionArn": SV1 });
        refused(service, "ListBatchSegmentJobs", &filtered, "a forged token");
        return;
    }
    let (Some(&shape), Some(&at), Some(&shift)) = (rest.first(), rest.get(1), rest.get(2)) else {
        return;
    };
    let filter = (shape % 2 == 1).then_some(SV1);
    let Some(token) = mock_handler::token(service, filter) else {
        return; // the store was reset by another input
    };
    assert!(
        token.bytes().all(|b| ALPHABET.contains(&b)),
        "token is not base64url: {token:?}"
    );
    let with = |token: &str, filter: Option<&str>| {
        let mut body = json!({ "maxResults": 2, "nextToken": token });
        if let Some(f) = filter {
            body["solutionVersionArn"] = f.into();
        }
        body
    };
    let (status, out) = call(service, "ListBatchSegmentJobs", &with(&token, filter));
    assert_eq!(status, 200, "a real token refused: {out}");
    let other = match filter {
        Some(_) => None,
        None => Some(SV1),
    };
    refused(
        service,
        "ListBatchSegmentJobs",
        &with(&token, other),
        "another filter",
    );
    if op != "ListBatchSegmentJobs" {
        refused(
            service,
            op,
            &json!({ "nextToken": token }),
            "another operation",
        );
    }
    let at = usize::from(at) % token.len().max(1);
    let mut edited = token.clone().into_bytes();
    if let Some(b) = edited.get_mut(at) {
        let i = ALPHABET.iter().position(|a| a == b).unwrap_or(0);
        *b = ALPHABET[(i + 1 + usize::from(shift) % 63) % 64];
        let edited = String::from_utf8_lossy(&edited).into_owned();
        refused(
            service,
            "ListBatchSegmentJobs",
            &with(&edited, filter),
            &format!("an edit at {at}"),
        );
    }
}
