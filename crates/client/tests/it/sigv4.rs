//! SigV4: with the recorded credentials, clock and input, this client's signer reproduces the
//! Authorization headers the real clients sent, and what goes on the wire verifies (re-signed
//! with `aws-sigv4` over exactly the headers it names, as the mock's strict mode does).

use std::collections::BTreeMap;

use crate::common::*;
use http::HeaderValue;
use personalize_client::model::operation::list_batch_segment_jobs::ListBatchSegmentJobs;
use personalize_client::signing::sign_request;
use personalize_client::{Client, Config, Credentials};
use rstest::rstest;
use serde_json::{json, Value};
use wiremock::MockServer;

/// The endpoint the recordings were made against (it is in their signed `host`).
const RECORDED_ENDPOINT: &str = "http://127.0.0.1:4598";

fn recorded_client(amz_date: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(RECORDED_ENDPOINT)
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET, None))
        .time_source(clock_at(amz_date))
        .build()
        .unwrap();
    Client::new(config)
}

fn input_for(
    body: &str,
) -> personalize_client::model::operation::list_batch_segment_jobs::ListBatchSegmentJobsInput {
    let body: Value = serde_json::from_str(body).unwrap();
    let mut builder = personalize_client::model::operation::list_batch_segment_jobs::ListBatchSegmentJobsInput::builder();
    if let Some(v) = body.get("solutionVersionArn").and_then(Value::as_str) {
        builder = builder.solution_version_arn(v);
    }
    if let Some(v) = body.get("nextToken").and_then(Value::as_str) {
        builder = builder.next_token(v);
    }
    if let Some(v) = body.get("maxResults").and_then(Value::as_i64) {
        builder = builder.max_results(i32::try_from(v).unwrap());
    }
    builder.build()
}

fn signed_headers(authorization: &str) -> Vec<String> {
    authorization
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .split(';')
        .map(str::to_owned)
        .collect()
}

#[test]
fn reproduces_every_recorded_rust_sdk_authorization() {
    let rust: Vec<Recording> = recordings()
        .into_iter()
        .filter(|r| r.client == "aws-sdk-rust")
        .collect();
    assert_eq!(rust.len(), 5);
    for recording in rust {
        let amz_date = &recording.headers["x-amz-date"];
        let client = recorded_client(amz_date);
        let mut request = client
            .unsigned_request::<ListBatchSegmentJobs>(&input_for(&recording.body))
            .unwrap();
        // The request this client builds is the SDK's, byte for byte, in everything signed...
        assert_eq!(std::str::from_utf8(request.body()).unwrap(), recording.body);
        for name in ["content-length", "content-type", "host", "x-amz-target"] {
            assert_eq!(
                request.headers()[name].to_str().unwrap(),
                recording.headers[name],
                "{name}"
            );
        }
        // ...except the SDK also signs its x-amz-user-agent, which this client does not send.
        request.headers_mut().insert(
            "x-amz-user-agent",
            HeaderValue::from_str(&recording.headers["x-amz-user-agent"]).unwrap(),
        );
        let credentials = Credentials::new(ACCESS_KEY_ID, SECRET, None);
        sign_request(
            &mut request,
            &credentials,
            "us-east-1",
            "personalize",
            amz_date_to_time(amz_date),
        )
        .unwrap();
        assert_eq!(request.headers()["x-amz-date"], amz_date.as_str());
        assert_eq!(
            request.headers()["authorization"].to_str().unwrap(),
            recording.headers["authorization"],
            "body {}",
            recording.body
        );
    }
}

/// The Authorization header `aws-sigv4` (through this client's signer) gives a received request
/// reduced to the headers its own Authorization names, at its X-Amz-Date, in its scope's region.
fn resigned_authorization(headers: &BTreeMap<String, String>, body: &[u8], secret: &str) -> String {
    let authorization = &headers["authorization"];
    let region = authorization
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(2))
        .unwrap();
    let mut builder = http::Request::builder()
        .method("POST")
        .uri(format!("http://{}/", headers["host"]));
    for name in signed_headers(authorization) {
        if name != "x-amz-date" {
            builder = builder.header(name.as_str(), headers[&name].as_str());
        }
    }
    let mut request = builder.body(bytes::Bytes::copy_from_slice(body)).unwrap();
    sign_request(
        &mut request,
        &Credentials::new(ACCESS_KEY_ID, secret, None),
        region,
        "personalize",
        amz_date_to_time(&headers["x-amz-date"]),
    )
    .unwrap();
    request.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned()
}

/// A received request verifies when re-signing it gives its Authorization header back.
fn verify(headers: &BTreeMap<String, String>, body: &[u8], secret: &str) -> Result<(), String> {
    let expected = resigned_authorization(headers, body, secret);
    if expected == headers["authorization"] {
        Ok(())
    } else {
        Err(format!("{} != {expected}", headers["authorization"]))
    }
}

#[rstest]
#[case::boto3("boto3")]
#[case::js_sdk("aws-sdk-js-v3")]
fn reproduces_other_clients_authorization_over_their_signed_headers(#[case] client: &str) {
    // Same signer, fed exactly the headers each client signed: same signature.
    let matching: Vec<Recording> = recordings()
        .into_iter()
        .filter(|r| r.client == client)
        .collect();
    assert!(!matching.is_empty());
    for recording in matching {
        assert_eq!(
            resigned_authorization(&recording.headers, recording.body.as_bytes(), SECRET),
            recording.headers["authorization"]
        );
    }
}

#[test]
fn recordings_verify_with_their_secret_only() {
    for recording in recordings().into_iter().filter(|r| r.client != "aws-cli") {
        verify(&recording.headers, recording.body.as_bytes(), SECRET).unwrap();
        assert!(verify(&recording.headers, recording.body.as_bytes(), "wrong").is_err());
        let mut tampered = recording.body.clone().into_bytes();
        tampered.push(b' ');
        assert!(verify(&recording.headers, &tampered, SECRET).is_err());
    }
}

#[tokio::test]
async fn what_goes_on_the_wire_verifies() {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(200, &json!({})))
        .mount(&server)
        .await;
    let client = Client::new(
        config_for(&server)
            .time_source(clock_at("20261129T015433Z"))
            .build()
            .unwrap(),
    );
    client
        .list_batch_segment_jobs()
        .solution_version_arn(ARN)
        .max_results(2)
        .send()
        .await
        .unwrap();
    let received = &server.received_requests().await.unwrap()[0];
    let headers: BTreeMap<String, String> = received
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    assert_eq!(headers["x-amz-date"], "20261129T015433Z");
    assert_eq!(
        signed_headers(&headers["authorization"]),
        [
            "content-length",
            "content-type",
            "host",
            "x-amz-date",
            "x-amz-target"
        ]
    );
    assert!(headers["authorization"]
        .contains("Credential=AKIDEXAMPLE/20261129/us-east-1/personalize/aws4_request"));
    verify(&headers, &received.body, SECRET).unwrap();
}

#[test]
fn signed_request_is_deterministic_with_a_fixed_clock() {
    let a = recorded_client("20261129T015433Z")
        .signed_request::<ListBatchSegmentJobs>(&input_for("{}"))
        .unwrap();
    let b = recorded_client("20261129T015433Z")
        .signed_request::<ListBatchSegmentJobs>(&input_for("{}"))
        .unwrap();
    assert_eq!(a.headers()["authorization"], b.headers()["authorization"]);
    let headers: BTreeMap<String, String> = a
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    verify(&headers, a.body(), SECRET).unwrap();
}
