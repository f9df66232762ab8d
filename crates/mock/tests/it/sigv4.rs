//! Strict mode: SigV4 verification against the AWS test suite, the AWS SDK for Rust,
//! `personalize-client` and hand-made bad requests; secrets stay out of Debug and logs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::common::*;
use aws_sdk_personalize::config::{BehaviorVersion, Region};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::rt::TokioExecutor;
use personalize_client::model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobs, ListBatchSegmentJobsInput,
};
use personalize_mock::sigv4::{Credentials, SigV4Verifier, MAX_CLOCK_SKEW};
use personalize_mock::MockServer;
use serde_json::Value;

const AKID: &str = "AKIDSTRICTMODE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRETzz";

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sigv4_vectors")
}

/// One case of the AWS signing test suite: the signed request and its context.
struct Vector {
    name: String,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Vec<u8>,
    access_key_id: String,
    secret: String,
    service: String,
    time: SystemTime,
}

fn load_vector(dir: &Path) -> Vector {
    let context: Value =
        serde_json::from_slice(&std::fs::read(dir.join("context.json")).unwrap()).unwrap();
    let text = std::fs::read_to_string(dir.join("header-signed-request.txt")).unwrap();
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let method = request_line.split(' ').next().unwrap();
    let target = request_line
        .strip_prefix(method)
        .unwrap()
        .trim()
        .strip_suffix("HTTP/1.1")
        .unwrap()
        .trim();
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        headers.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    let time =
        personalize_model::DateTime::parse_rfc3339(context["timestamp"].as_str().unwrap()).unwrap();
    Vector {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        method: method.parse().unwrap(),
        uri: target.parse().unwrap(),
        headers,
        body: body.as_bytes().to_vec(),
        access_key_id: context["credentials"]["access_key_id"]
            .as_str()
            .unwrap()
            .into(),
        secret: context["credentials"]["secret_access_key"]
            .as_str()
            .unwrap()
            .into(),
        service: context["service"].as_str().unwrap().into(),
        time: SystemTime::UNIX_EPOCH + Duration::from_secs(time.secs() as u64),
    }
}

fn verify(vector: &Vector, credentials: Credentials) -> Result<(), &'static str> {
    SigV4Verifier::new(credentials)
        .verify_for(
            &vector.service,
            &vector.method,
            &vector.uri,
            &vector.headers,
            &vector.body,
            vector.time,
        )
        .map_err(|e| e.code)
}

#[test]
fn aws_signing_test_suite_is_verified() {
    let mut dirs: Vec<_> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 25, "only {} vectors", dirs.len());
    for dir in dirs {
        let v = load_vector(&dir);
        let name = v.name.clone();
        let right = Credentials::new(&v.access_key_id, &v.secret);
        assert_eq!(verify(&v, right.clone()), Ok(()), "{name}");
        assert_eq!(
            verify(&v, Credentials::new(&v.access_key_id, "not-the-secret")),
            Err("InvalidSignatureException"),
            "{name}: wrong secret"
        );
        assert_eq!(
            verify(&v, Credentials::new("AKIDOTHER", &v.secret)),
            Err("UnrecognizedClientException"),
            "{name}: other key"
        );
        // One hex digit of the signature changed.
        let mut tampered = v;
        let auth = tampered.headers["authorization"]
            .to_str()
            .unwrap()
            .to_owned();
        let last = auth.chars().last().unwrap();
        let flipped = format!(
            "{}{}",
            &auth[..auth.len() - 1],
            if last == '0' { '1' } else { '0' }
        );
        tampered
            .headers
            .insert("authorization", flipped.parse().unwrap());
        assert_eq!(
            verify(&tampered, right.clone()),
            Err("InvalidSignatureException"),
            "{name}: tampered signature"
        );
        // A body that was not signed over.
        tampered
            .headers
            .insert("authorization", HeaderValue::from_str(&auth).unwrap());
        tampered.body.extend_from_slice(b"x");
        assert_eq!(
            verify(&tampered, right),
            Err("InvalidSignatureException"),
            "{name}: tampered body"
        );
    }
}

async fn strict_server() -> MockServer {
    MockServer::builder()
        .seed(&jobs(5))
        .seed(&jobs_in("eu-west-1", 5))
        .seed(&jobs_in("us-west-2", 5))
        .verify_sigv4(Credentials::new(AKID, SECRET))
        .start()
        .await
        .unwrap()
}

fn sdk(url: &str, akid: &str, secret: &str) -> aws_sdk_personalize::Client {
    let config = aws_sdk_personalize::Config::builder()
        .endpoint_url(url)
        .region(Region::new("eu-west-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            akid, secret, None, None, "test",
        ))
        .behavior_version(BehaviorVersion::latest())
        .build();
    aws_sdk_personalize::Client::from_conf(config)
}

fn client(
    url: &str,
    akid: &str,
    secret: &str,
    at: Option<SystemTime>,
) -> personalize_client::Client {
    let mut config = personalize_client::Config::builder()
        .endpoint_url(url)
        .region("us-west-2")
        .credentials(personalize_client::Credentials::new(akid, secret, None))
        .retry(personalize_client::RetryConfig::disabled());
    if let Some(at) = at {
        config = config.time_source(personalize_client::FixedTime(at));
    }
    personalize_client::Client::new(config.build().unwrap())
}

#[tokio::test]
async fn the_aws_sdk_for_rust_is_accepted_with_the_right_key_only() {
    let server = strict_server().await;
    let ok = sdk(&server.url(), AKID, SECRET);
    let items: Vec<_> = ok
        .list_batch_segment_jobs()
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(items.len(), 5);

    for (akid, secret, code) in [
        (AKID, "wrong-secret", "InvalidSignatureException"),
        ("AKIDUNKNOWN", SECRET, "UnrecognizedClientException"),
    ] {
        let err = sdk(&server.url(), akid, secret)
            .list_batch_segment_jobs()
            .send()
            .await
            .unwrap_err();
        let service = err.as_service_error().unwrap();
        assert_eq!(
            aws_sdk_personalize::error::ProvideErrorMetadata::code(service),
            Some(code)
        );
        let raw = err.raw_response().unwrap();
        assert_eq!(raw.status().as_u16(), 400);
    }
}

#[tokio::test]
async fn personalize_client_is_accepted_and_bad_signatures_are_refused() {
    let server = strict_server().await;
    let url = server.url();
    let output = client(&url, AKID, SECRET, None)
        .list_batch_segment_jobs()
        .max_results(3)
        .send()
        .await
        .unwrap();
    assert_eq!(output.batch_segment_jobs.unwrap().len(), 3);

    let now = SystemTime::now();
    let cases = [
        (
            client(&url, AKID, "wrong", None),
            "InvalidSignatureException",
            "does not match",
        ),
        (
            client(&url, "AKIDUNKNOWN", SECRET, None),
            "UnrecognizedClientException",
            "security token",
        ),
        (
            client(
                &url,
                AKID,
                SECRET,
                Some(now - MAX_CLOCK_SKEW - Duration::from_secs(120)),
            ),
            "InvalidSignatureException",
            "Signature expired: ",
        ),
        (
            client(
                &url,
                AKID,
                SECRET,
                Some(now + MAX_CLOCK_SKEW + Duration::from_secs(120)),
            ),
            "InvalidSignatureException",
            "Signature not yet current: ",
        ),
    ];
    for (client, code, message) in cases {
        let err = client.list_batch_segment_jobs().send().await.unwrap_err();
        assert_eq!(err.code(), Some(code), "{err}");
        assert_eq!(err.status(), Some(400), "{err}");
        assert!(err.message().unwrap().contains(message), "{err}");
    }
    // Within the allowed skew: accepted.
    let skewed = client(
        &url,
        AKID,
        SECRET,
        Some(now - MAX_CLOCK_SKEW + Duration::from_secs(60)),
    );
    skewed.list_batch_segment_jobs().send().await.unwrap();
}

#[tokio::test]
async fn the_expired_message_has_the_aws_form() {
    let server = strict_server().await;
    let signed_at = SystemTime::now() - Duration::from_secs(3600);
    let err = client(&server.url(), AKID, SECRET, Some(signed_at))
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    // Signature expired: 20150830T123600Z is now earlier than 20150830T125100Z (20150830T130600Z - 15 min.)
    let message = err.message().unwrap();
    let words: Vec<&str> = message.split(' ').collect();
    let is_date = |s: &str| {
        s.len() == 16
            && s.as_bytes()[8] == b'T'
            && s.ends_with('Z')
            && s[..8].bytes().all(|b| b.is_ascii_digit())
    };
    assert_eq!(words.len(), 12, "{message}");
    assert_eq!(words[..2], ["Signature", "expired:"], "{message}");
    assert!(is_date(words[2]), "{message}");
    assert_eq!(words[3..7], ["is", "now", "earlier", "than"], "{message}");
    assert!(is_date(words[7]), "{message}");
    assert!(
        words[8].starts_with('(') && is_date(&words[8][1..]),
        "{message}"
    );
    assert_eq!(words[9..], ["-", "15", "min.)"], "{message}");
    assert!(message.ends_with(" - 15 min.)"), "{message}");
    // The earliest accepted time is 15 minutes before the server's time.
    let earliest = &words[7];
    let now = &words[8][1..];
    let secs = |d: &str| -> i64 {
        let t = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &d[0..4],
            &d[4..6],
            &d[6..8],
            &d[9..11],
            &d[11..13],
            &d[13..15]
        );
        personalize_model::DateTime::parse_rfc3339(&t)
            .unwrap()
            .secs()
    };
    assert_eq!(secs(now) - secs(earliest), 15 * 60);
    assert!(secs(words[2]) < secs(earliest));
}

/// A request signed by `personalize-client`'s signer, then changed by `edit`, sent raw.
async fn send_signed(
    url: &str,
    service: &str,
    edit: impl FnOnce(&mut http::Request<Bytes>),
) -> (u16, Value) {
    let unsigned = client(url, AKID, SECRET, None)
        .unsigned_request::<ListBatchSegmentJobs>(
            &ListBatchSegmentJobsInput::builder().max_results(2).build(),
        )
        .unwrap();
    let mut request = unsigned;
    personalize_client::signing::sign_request(
        &mut request,
        &personalize_client::Credentials::new(AKID, SECRET, None),
        "us-east-1",
        service,
        SystemTime::now(),
    )
    .unwrap();
    edit(&mut request);
    send_raw(request).await
}

async fn send_raw(request: http::Request<Bytes>) -> (u16, Value) {
    let http = HttpClient::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let response = http.request(request.map(Full::new)).await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("x-amzn-errortype")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    if let Some(kind) = kind {
        assert_eq!(body["__type"], kind.as_str());
    }
    (status, body)
}

#[tokio::test]
async fn hand_made_requests_get_the_aws_error_for_what_is_wrong() {
    let server = strict_server().await;
    let url = server.url();
    let (status, body) = send_signed(&url, "personalize", |_| {}).await;
    assert_eq!(
        (status, body["batchSegmentJobs"].as_array().map(Vec::len)),
        (200, Some(2))
    );

    type Edit = Box<dyn FnOnce(&mut http::Request<Bytes>)>;
    let set = |name: &'static str, value: &'static str| -> Edit {
        Box::new(move |r: &mut http::Request<Bytes>| {
            r.headers_mut()
                .insert(name, HeaderValue::from_static(value));
        })
    };
    let cases: Vec<(&str, Edit, &str, &str)> = vec![
        (
            "no Authorization",
            Box::new(|r: &mut http::Request<Bytes>| {
                r.headers_mut().remove("authorization");
            }),
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ),
        (
            "not SigV4",
            set("authorization", "Basic dXNlcjpwYXNz"),
            "IncompleteSignatureException",
            "Unsupported AWS 'algorithm'",
        ),
        (
            "no Signature",
            set(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDSTRICTMODE/20260101/us-east-1/personalize/aws4_request, SignedHeaders=host;x-amz-date",
            ),
            "IncompleteSignatureException",
            "requires 'Signature' parameter",
        ),
        (
            "short credential scope",
            set(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDSTRICTMODE/us-east-1/personalize, SignedHeaders=host, Signature=00",
            ),
            "IncompleteSignatureException",
            "5 slash-delimited elements",
        ),
        (
            "no X-Amz-Date",
            Box::new(|r: &mut http::Request<Bytes>| {
                r.headers_mut().remove("x-amz-date");
            }),
            "IncompleteSignatureException",
            "'X-Amz-Date'",
        ),
        (
            "malformed X-Amz-Date",
            set("x-amz-date", "2026-01-01T00:00:00Z"),
            "IncompleteSignatureException",
            "ISO-8601 'basic format'",
        ),
        (
            "tampered body",
            Box::new(|r: &mut http::Request<Bytes>| {
                *r.body_mut() = Bytes::from_static(br#"{"maxResults":3}"#);
            }),
            "InvalidSignatureException",
            "does not match",
        ),
        (
            "tampered signed header",
            set("x-amz-target", "AmazonPersonalize.ListBatchInferenceJobs"),
            "InvalidSignatureException",
            "does not match",
        ),
    ];
    for (what, edit, code, message) in cases {
        let (status, body) = send_signed(&url, "personalize", edit).await;
        assert_eq!(status, 400, "{what}: {body}");
        assert_eq!(body["__type"], code, "{what}: {body}");
        let text = body["message"].as_str().unwrap();
        assert!(text.contains(message), "{what}: {text}");
        assert!(!text.contains(SECRET));
    }
    // Signed for another service.
    let (status, body) = send_signed(&url, "s3", |_| {}).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidSignatureException"))
    );
    assert!(
        body["message"].as_str().unwrap().contains("'personalize'"),
        "{body}"
    );
    // Unsigned requests are refused, signed ones keep working: the server goes on.
    assert_eq!(
        call(&url, serde_json::json!({})).await.error_type(),
        "MissingAuthenticationTokenException"
    );
    assert_eq!(send_signed(&url, "personalize", |_| {}).await.0, 200);
}

/// `SignedHeaders` of a request signed by `personalize-client`, replaced by `edit`'s result.
fn with_signed_headers(headers: &mut HeaderMap, edit: impl FnOnce(&str) -> String) {
    let auth = headers["authorization"].to_str().unwrap().to_owned();
    let (head, rest) = auth.split_once("SignedHeaders=").unwrap();
    let (names, tail) = rest.split_once(',').unwrap();
    let edited = format!("{head}SignedHeaders={},{tail}", edit(names));
    headers.insert("authorization", HeaderValue::from_str(&edited).unwrap());
}

/// aws-sigv4 always signs the `x-amz-date` it writes (see the module doc of `sigv4`).
#[test]
fn an_unsigned_x_amz_date_is_refused() {
    let now = SystemTime::now();
    let (method, uri, mut headers, body) = properties::signed(now);
    let verifier = SigV4Verifier::new(Credentials::new(AKID, SECRET));
    assert_eq!(verifier.verify(&method, &uri, &headers, &body, now), Ok(()));
    with_signed_headers(&mut headers, |names| names.replace(";x-amz-date", ""));
    let err = verifier
        .verify(&method, &uri, &headers, &body, now)
        .unwrap_err();
    assert_eq!(err.code, "InvalidSignatureException");
    assert!(err.message.contains("does not match"), "{err}");
}

/// aws-sigv4 signs the header names sorted (see the module doc of `sigv4`).
#[test]
fn a_signed_headers_list_out_of_order_is_refused() {
    let now = SystemTime::now();
    let (method, uri, mut headers, body) = properties::signed(now);
    let verifier = SigV4Verifier::new(Credentials::new(AKID, SECRET));
    with_signed_headers(&mut headers, |names| {
        let mut names: Vec<&str> = names.split(';').collect();
        names.reverse();
        names.join(";")
    });
    let err = verifier
        .verify(&method, &uri, &headers, &body, now)
        .unwrap_err();
    assert_eq!(err.code, "InvalidSignatureException");
}

#[tokio::test]
async fn without_strict_mode_unsigned_requests_are_served() {
    let server = MockServer::builder().seed(&jobs(2)).start().await.unwrap();
    assert_eq!(call(&server.url(), serde_json::json!({})).await.status, 200);
}

#[test]
fn debug_output_never_shows_the_secret() {
    let credentials = Credentials::new(AKID, SECRET);
    let builder = MockServer::builder().verify_sigv4(credentials.clone());
    for text in [
        format!("{credentials:?}"),
        format!("{credentials:#?}"),
        format!("{builder:?}"),
        format!("{:?}", SigV4Verifier::new(credentials.clone())),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("wJalr"), "{text}");
    }
    assert!(format!("{credentials:?}").contains(AKID));
}

/// A `MakeWriter` collecting everything logged.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn logs_at_every_level_never_show_the_secret() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    // Global, not `set_default`: a thread-scoped subscriber can miss events when other tests of
    // this binary register the same callsites concurrently (tracing's interest cache), which
    // made this test flaky. Other tests' lines land here too: none may show a secret either.
    tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    let server = strict_server().await;
    let url = server.url();
    client(&url, AKID, SECRET, None)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap();
    let _ = client(&url, AKID, "wrong", None)
        .list_batch_segment_jobs()
        .send()
        .await;
    let _ = send_signed(&url, "personalize", |r| {
        // Same length: Content-Length stays right.
        *r.body_mut() = Bytes::from_static(br#"{"maxResults":9}"#);
    })
    .await;
    server.shutdown().await;
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The capture works: the request lines are there, with their outcome.
    assert!(log.contains("InvalidSignatureException"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(!log.contains(SECRET), "{log}");
    assert!(!log.contains("wJalr"), "{log}");
}

#[test]
fn the_binary_verifies_and_keeps_the_secret_out_of_its_output() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    const BIN: &str = env!("CARGO_BIN_EXE_personalize-mock");

    // A malformed --credentials is refused without repeating it.
    let bad = Command::new(BIN)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--verify-sigv4",
            "--credentials",
            "nocolonsecretvalue",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("ACCESS_KEY_ID:SECRET_ACCESS_KEY"),
        "{stderr}"
    );
    assert!(!stderr.contains("nocolonsecretvalue"), "{stderr}");
    // --verify-sigv4 needs --credentials.
    let alone = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0", "--verify-sigv4"])
        .output()
        .unwrap();
    assert!(!alone.status.success());

    let credentials = format!("{AKID}:{SECRET}");
    let mut child = Command::new(BIN)
        .args([
            "--bind",
            "127.0.0.1:0",
            "--verify-sigv4",
            "--credentials",
            &credentials,
        ])
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        client(&url, AKID, SECRET, None)
            .list_batch_segment_jobs()
            .send()
            .await
            .unwrap();
        let err = client(&url, AKID, "wrong", None)
            .list_batch_segment_jobs()
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("InvalidSignatureException"));
        assert_eq!(
            call(&url, serde_json::json!({})).await.error_type(),
            "MissingAuthenticationTokenException"
        );
    });
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success());
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("InvalidSignatureException"), "{stderr}");
    assert!(stderr.contains("strict"), "{stderr}");
    for output in [&line, &rest, &stderr] {
        assert!(!output.contains(SECRET), "{output}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn verifier() -> SigV4Verifier {
        SigV4Verifier::new(Credentials::new(AKID, SECRET))
    }

    /// A request signed by `personalize-client` at a fixed time, with its parts.
    pub(super) fn signed(at: SystemTime) -> (Method, Uri, HeaderMap, Vec<u8>) {
        let mut request = http::Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:4566/")
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", "AmazonPersonalize.ListBatchSegmentJobs")
            .header("host", "127.0.0.1:4566")
            .body(Bytes::from_static(br#"{"maxResults":2}"#))
            .unwrap();
        personalize_client::signing::sign_request(
            &mut request,
            &personalize_client::Credentials::new(AKID, SECRET, None),
            "us-east-1",
            "personalize",
            at,
        )
        .unwrap();
        let (parts, body) = request.into_parts();
        (parts.method, parts.uri, parts.headers, body.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the Authorization and X-Amz-Date headers say, verification answers with
        /// one of the four codes and never panics.
        #[test]
        fn arbitrary_headers_are_refused_without_panicking(
            auth in "(AWS4-HMAC-SHA256 )?(Credential=[A-Za-z0-9/_ ]{0,60})?(, ?SignedHeaders=[a-z;-]{0,30})?(, ?Signature=[0-9a-fA-F]{0,70})?",
            date in "[0-9TZ]{0,20}",
            path in "/[a-z./%0-9]{0,20}",
        ) {
            let mut headers = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(&auth) {
                headers.insert("authorization", v);
            }
            headers.insert("x-amz-date", HeaderValue::from_str(&date).unwrap());
            headers.insert("host", HeaderValue::from_static("127.0.0.1"));
            let uri: Uri = path.parse().unwrap_or_else(|_| Uri::from_static("/"));
            let result = verifier().verify(&Method::POST, &uri, &headers, b"{}", SystemTime::now());
            let err = result.unwrap_err();
            prop_assert!(matches!(
                err.code,
                "MissingAuthenticationTokenException"
                    | "IncompleteSignatureException"
                    | "UnrecognizedClientException"
                    | "InvalidSignatureException"
            ));
            prop_assert!(!err.message.contains(SECRET));
        }

        /// Changing any byte of the body or of a signed header value breaks the signature.
        #[test]
        fn any_change_to_signed_content_is_refused(
            body_edit in proptest::option::of((0usize..16, 1u8..=255)),
            header_index in 0usize..4,
            header_byte in 0usize..64,
            flip in 1u8..=127,
        ) {
            let now = SystemTime::now();
            let (method, uri, mut headers, mut body) = signed(now);
            prop_assert_eq!(verifier().verify(&method, &uri, &headers, &body, now), Ok(()));
            match body_edit {
                Some((at, x)) => {
                    let at = at % body.len();
                    body[at] ^= x;
                }
                None => {
                    let name = ["content-type", "x-amz-target", "host", "x-amz-date"][header_index];
                    let mut value = headers[name].as_bytes().to_vec();
                    let at = header_byte % value.len();
                    value[at] ^= flip;
                    let Ok(value) = HeaderValue::from_bytes(&value) else {
                        return Ok(()); // not a header value any more: cannot be sent
                    };
                    // Only real changes count (header values are compared trimmed).
                    prop_assume!(value.as_bytes().trim_ascii() != headers[name].as_bytes().trim_ascii());
                    headers.insert(name, value);
                }
            }
            let err = verifier().verify(&method, &uri, &headers, &body, now).unwrap_err();
            prop_assert_ne!(err.code, "MissingAuthenticationTokenException");
        }
    }
}
