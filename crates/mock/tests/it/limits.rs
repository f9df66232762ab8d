//! Transport limits: header size and count, connection cap, slow clients, loopback default.

use std::time::{Duration, Instant};

use crate::common::*;
use personalize_mock::{Limits, MockError, MockServer, MAX_BODY_BYTES};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// The documented defaults (the `server` module that exported them is private now).
const MAX_CONNECTIONS: usize = 1024;
const MAX_HEADER_BYTES: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The most of an oversized body the server reads and discards after its 413 (64 MiB).
const MAX_DISCARD_BYTES: u64 = 64 * 1024 * 1024;

/// A complete `ListBatchSegmentJobs` request with `extra` header lines.
fn request(extra: &str) -> Vec<u8> {
    let body = r#"{"maxResults":2}"#;
    format!(
        "POST / HTTP/1.1\r\nHost: mock\r\nX-Amz-Target: {TARGET}\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Header lines [`request`] always sends (Host, X-Amz-Target, Content-Type, Content-Length).
const BASE_HEADERS: usize = 4;

/// A complete request with `total` header lines in all (filler `X-H<i>` headers added).
fn request_with_headers(total: usize) -> Vec<u8> {
    let extra: String = (BASE_HEADERS..total)
        .map(|i| format!("X-H{i}: v\r\n"))
        .collect();
    request(&extra)
}

/// Reads one response: its status and body (by `Content-Length`); `None` when the server
/// closed the connection before a status line.
async fn read_response(stream: &mut TcpStream) -> Option<(u16, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some((
        status,
        String::from_utf8_lossy(&buf[head_end..]).into_owned(),
    ))
}

async fn send(stream: &mut TcpStream, request: &[u8]) -> Option<(u16, String)> {
    stream.write_all(request).await.ok()?;
    read_response(stream).await
}

async fn connect(server: &MockServer) -> TcpStream {
    TcpStream::connect(server.addr()).await.unwrap()
}

/// A fresh connection still gets a full `200` listing.
async fn assert_serves(server: &MockServer) {
    let mut stream = connect(server).await;
    let (status, body) = send(&mut stream, &request("")).await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("batchSegmentJobs"), "{body}");
}

/// `true` when the server closed the connection (EOF or reset) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut byte = [0u8; 1];
    matches!(
        tokio::time::timeout(within, stream.read(&mut byte)).await,
        Ok(Ok(0)) | Ok(Err(_))
    )
}

#[test]
fn defaults_are_generous_and_documented() {
    let limits = Limits::default();
    assert_eq!(limits.max_connections, MAX_CONNECTIONS);
    assert_eq!(limits.max_connections, 1024);
    assert_eq!(limits.max_header_bytes, MAX_HEADER_BYTES);
    assert_eq!(limits.max_header_bytes, 64 * 1024);
    assert_eq!(limits.max_body_bytes, MAX_BODY_BYTES);
    assert_eq!(limits.max_body_bytes, 1024 * 1024);
    assert_eq!(limits.max_headers, MAX_HEADERS);
    assert_eq!(limits.max_headers, 100);
    assert_eq!(limits.read_timeout, READ_TIMEOUT);
    assert_eq!(limits.read_timeout, Duration::from_secs(30));
}

#[tokio::test]
async fn binds_loopback_unless_told_otherwise() {
    let server = MockServer::start().await.unwrap();
    assert!(server.addr().ip().is_loopback(), "{}", server.addr());
    assert!(server.url().starts_with("http://127.0.0.1:"));
}

#[tokio::test]
async fn unusable_limits_are_refused_at_start() {
    for (builder, name) in [
        (MockServer::builder().max_connections(0), "max_connections"),
        (MockServer::builder().max_headers(0), "max_headers"),
        (MockServer::builder().max_body_bytes(0), "max_body_bytes"),
        (
            MockServer::builder().max_body_bytes(MAX_BODY_BYTES + 1),
            "max_body_bytes",
        ),
        (
            MockServer::builder().max_header_bytes(0),
            "max_header_bytes",
        ),
        (
            MockServer::builder().max_header_bytes(64 * 1024 * 1024),
            "max_header_bytes",
        ),
        (
            MockServer::builder().read_timeout(Duration::ZERO),
            "read_timeout",
        ),
    ] {
        match builder.start().await {
            Err(e @ MockError::InvalidLimit { limit, .. }) => {
                assert_eq!(limit, name);
                assert!(e.to_string().contains(name), "{e}");
            }
            other => panic!("{name}: expected InvalidLimit, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn headers_over_the_size_limit_get_431_and_the_server_goes_on() {
    let server = MockServer::builder()
        .seed(&jobs(3))
        .max_header_bytes(4096)
        .start()
        .await
        .unwrap();
    // Just under the limit: served.
    let mut stream = connect(&server).await;
    let (status, _) = send(
        &mut stream,
        &request(&format!("X-Pad: {}\r\n", "a".repeat(3500))),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    // Over it, in one header and spread over many: 431, connection closed.
    for extra in [
        format!("X-Pad: {}\r\n", "a".repeat(5000)),
        (0..60)
            .map(|i| format!("X-Pad-{i}: {}\r\n", "b".repeat(80)))
            .collect(),
    ] {
        let mut stream = connect(&server).await;
        let (status, _) = send(&mut stream, &request(&extra)).await.unwrap();
        assert_eq!(status, 431);
        assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
        assert_serves(&server).await;
    }
    // Headers that never end (no blank line) are cut off at the limit too.
    let mut stream = connect(&server).await;
    let endless = format!("POST / HTTP/1.1\r\nX-Pad: {}", "c".repeat(100_000));
    let _ = stream.write_all(endless.as_bytes()).await;
    assert_eq!(read_response(&mut stream).await.map(|r| r.0), Some(431));
    assert_serves(&server).await;
}

#[tokio::test]
async fn too_many_headers_get_431_and_the_server_goes_on() {
    let server = MockServer::builder()
        .seed(&jobs(3))
        .max_headers(20)
        .start()
        .await
        .unwrap();
    let mut stream = connect(&server).await;
    let at_cap = request_with_headers(20);
    assert_eq!(send(&mut stream, &at_cap).await.unwrap().0, 200);
    let mut stream = connect(&server).await;
    let over_cap = request_with_headers(21);
    assert_eq!(send(&mut stream, &over_cap).await.unwrap().0, 431);
    assert_serves(&server).await;
}

#[tokio::test]
async fn default_limits_answer_431_to_a_header_flood() {
    let server = MockServer::start().await.unwrap();
    // The default cap of 100 is hyper's own (the server leaves it unset): exactly 100 pass.
    for (headers, status) in [(100, 200), (101, 431), (154, 431)] {
        let mut stream = connect(&server).await;
        let sent = request_with_headers(headers);
        assert_eq!(
            send(&mut stream, &sent).await.unwrap().0,
            status,
            "{headers}"
        );
    }
    let big = format!("X-Pad: {}\r\n", "a".repeat(70 * 1024));
    let mut stream = connect(&server).await;
    assert_eq!(send(&mut stream, &request(&big)).await.unwrap().0, 431);
    assert_serves(&server).await;
}

#[tokio::test]
async fn connections_over_the_cap_wait_and_are_served_when_one_closes() {
    let server = MockServer::builder()
        .seed(&jobs(3))
        .max_connections(2)
        .start()
        .await
        .unwrap();
    // Two kept-alive connections, each proven accepted by a served request.
    let mut first = connect(&server).await;
    let mut second = connect(&server).await;
    assert_eq!(send(&mut first, &request("")).await.unwrap().0, 200);
    assert_eq!(send(&mut second, &request("")).await.unwrap().0, 200);
    // A third connects (kernel backlog) but is not served while both are open.
    let mut third = connect(&server).await;
    third.write_all(&request("")).await.unwrap();
    let waited = tokio::time::timeout(Duration::from_millis(500), read_response(&mut third)).await;
    assert!(waited.is_err(), "served beyond the cap: {waited:?}");
    // The open connections keep working meanwhile.
    assert_eq!(send(&mut first, &request("")).await.unwrap().0, 200);
    // One closes: the waiting request is served, on its own connection, unharmed.
    drop(second);
    let served = tokio::time::timeout(Duration::from_secs(10), read_response(&mut third))
        .await
        .expect("the waiting connection was not served after a slot freed")
        .unwrap();
    assert_eq!(served.0, 200, "{}", served.1);
    drop(first);
    drop(third);
    assert_serves(&server).await;
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_read_timeout_freeing_their_slot() {
    let server = MockServer::builder()
        .seed(&jobs(3))
        .max_connections(1)
        .read_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    // Holds the only slot without sending anything.
    let mut idle = connect(&server).await;
    let started = Instant::now();
    let mut waiting = connect(&server).await;
    waiting.write_all(&request("")).await.unwrap();
    let served = tokio::time::timeout(Duration::from_secs(10), read_response(&mut waiting))
        .await
        .expect("the idle connection kept the slot")
        .unwrap();
    assert_eq!(served.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert!(closed_within(&mut idle, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn slow_headers_close_the_connection_and_slow_bodies_get_408() {
    let server = MockServer::builder()
        .seed(&jobs(3))
        .read_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    // Headers that stop half way: closed.
    let mut slow_head = connect(&server).await;
    slow_head
        .write_all(b"POST / HTTP/1.1\r\nHost: mock\r\nX-Amz-Ta")
        .await
        .unwrap();
    assert!(closed_within(&mut slow_head, Duration::from_secs(5)).await);
    // A body that stops half way: 408 RequestTimeoutException.
    let mut slow_body = connect(&server).await;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: mock\r\nX-Amz-Target: {TARGET}\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{{\"max"
    );
    slow_body.write_all(head.as_bytes()).await.unwrap();
    let (status, body) =
        tokio::time::timeout(Duration::from_secs(5), read_response(&mut slow_body))
            .await
            .unwrap()
            .unwrap();
    assert_eq!(status, 408);
    assert!(body.contains("RequestTimeoutException"), "{body}");
    assert!(body.contains("300ms"), "{body}");
    assert_serves(&server).await;
}

#[tokio::test]
async fn many_connections_at_once_are_all_served() {
    let server = MockServer::builder()
        .seed(&jobs(5))
        .max_connections(8)
        .start()
        .await
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let addr = server.addr();
        tasks.spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            send(&mut stream, &request("Connection: close\r\n"))
                .await
                .map(|r| r.0)
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.unwrap());
    }
    assert_eq!(statuses, vec![Some(200); 64]);
}

#[tokio::test]
async fn binary_flags_set_the_limits() {
    use std::io::BufReader;
    use std::process::{Command, Stdio};
    const BIN: &str = env!("CARGO_BIN_EXE_personalize-mock");

    let refused = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0", "--max-connections", "0"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("max_connections"), "{stderr}");

    let mut child = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0", "--max-headers", "10"])
        .args(["--max-header-bytes", "2048", "--read-timeout", "0.3"])
        .args(["--max-body-bytes", "10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = read_listening_url(&mut BufReader::new(child.stdout.take().unwrap()))
        .strip_prefix("http://")
        .unwrap()
        .to_owned();
    let big = format!("X-Pad: {}\r\n", "a".repeat(2100));
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    let many = request_with_headers(12);
    assert_eq!(send(&mut stream, &many).await.unwrap().0, 431);
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    assert_eq!(send(&mut stream, &request(&big)).await.unwrap().0, 431);
    // --max-body-bytes 10: the 16-byte body of `request` is refused, an empty one served.
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    assert_too_large(send(&mut stream, &request("")).await, 10);
    let empty = head("Content-Length: 0\r\n");
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    assert_eq!(send(&mut stream, empty.as_bytes()).await.unwrap().0, 200);
    // --read-timeout 0.3: the kept-alive connection is closed soon after.
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
    child.kill().unwrap();
    child.wait().unwrap();
}

/// 8 MiB: well over the default body limit, well under what the server reads and discards.
const EIGHT_MIB: usize = 8 * 1024 * 1024;

/// The head of a `ListBatchSegmentJobs` request whose body is framed by `framing`.
fn head(framing: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: mock\r\nX-Amz-Target: {TARGET}\r\n\
         Content-Type: application/x-amz-json-1.1\r\n{framing}\r\n"
    )
}

/// Asserts a `413` awsJson error naming `limit`.
fn assert_too_large(reply: Option<(u16, String)>, limit: usize) {
    let (status, body) = reply.expect("a response, not a closed connection");
    assert_eq!(status, 413, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["__type"], "RequestEntityTooLargeException", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("limit of {limit} bytes")),
        "{body}"
    );
}

#[tokio::test]
async fn an_8_mib_body_is_sent_whole_and_answered_413_on_a_connection_that_goes_on() {
    let server = MockServer::builder().seed(&jobs(2)).start().await.unwrap();
    let mut stream = connect(&server).await;
    // Content-Length: over the limit before a byte of the body is read.
    let request = [
        head(&format!("Content-Length: {EIGHT_MIB}\r\n")).into_bytes(),
        vec![b' '; EIGHT_MIB],
    ]
    .concat();
    stream
        .write_all(&request)
        .await
        .expect("the whole body goes out: the server reads it");
    assert_too_large(read_response(&mut stream).await, MAX_BODY_BYTES);
    // The body was read to its end: the same connection serves the next request.
    let (status, body) = send(&mut stream, &self::request("")).await.unwrap();
    assert_eq!(status, 200, "{body}");

    // Chunked: over the limit part way through.
    let mut stream = connect(&server).await;
    stream
        .write_all(head("Transfer-Encoding: chunked\r\n").as_bytes())
        .await
        .unwrap();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..EIGHT_MIB / chunk.len() {
        let frame = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk.clone(),
            b"\r\n".to_vec(),
        ]
        .concat();
        stream
            .write_all(&frame)
            .await
            .expect("every chunk goes out");
    }
    stream.write_all(b"0\r\n\r\n").await.unwrap();
    assert_too_large(read_response(&mut stream).await, MAX_BODY_BYTES);
    let (status, body) = send(&mut stream, &self::request("")).await.unwrap();
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_body_that_will_not_be_read_gets_413_before_it_and_the_connection_closes() {
    let server = MockServer::start().await.unwrap();
    let cases = [
        // The client waits for `100 Continue`: the refusal comes first.
        format!("Content-Length: {EIGHT_MIB}\r\nExpect: 100-continue\r\n"),
        // More than the server reads and throws away.
        format!("Content-Length: {}\r\n", MAX_DISCARD_BYTES + 1),
    ];
    for framing in cases {
        let mut stream = connect(&server).await;
        stream.write_all(head(&framing).as_bytes()).await.unwrap();
        assert_too_large(read_response(&mut stream).await, MAX_BODY_BYTES);
        assert!(
            closed_within(&mut stream, Duration::from_secs(5)).await,
            "{framing}"
        );
    }
}

#[tokio::test]
async fn the_body_limit_is_configurable() {
    let server = MockServer::builder()
        .seed(&jobs(2))
        .max_body_bytes(100)
        .start()
        .await
        .unwrap();
    let mut stream = connect(&server).await;
    let padded = format!("{{\"maxResults\":2{}}}", " ".repeat(100));
    let over = format!(
        "{}{padded}",
        head(&format!("Content-Length: {}\r\n", padded.len()))
    );
    stream.write_all(over.as_bytes()).await.unwrap();
    assert_too_large(read_response(&mut stream).await, 100);
    let (status, body) = send(&mut stream, &request("")).await.unwrap();
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn python_urllib_and_boto3_read_the_413_of_an_8_mib_body() {
    const SCRIPT: &str = r#"
import json, sys, urllib.error, urllib.request
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url, size = sys.argv[1], int(sys.argv[2])
out = {}
request = urllib.request.Request(
    url + "/", data=b" " * size, method="POST",
    headers={"Content-Type": "application/x-amz-json-1.1",
             "X-Amz-Target": "AmazonPersonalize.ListBatchSegmentJobs"})
try:
    urllib.request.urlopen(request, timeout=60)
    out["urllib"] = None
except urllib.error.HTTPError as e:
    out["urllib"] = [e.code, json.loads(e.read())]
# No client-side validation (the ARN is far over its model length) and no retry: one attempt.
client = boto3.client("personalize", endpoint_url=url, config=Config(
    parameter_validation=False, retries={"max_attempts": 1, "mode": "standard"}))
try:
    client.list_batch_segment_jobs(solutionVersionArn="a" * size)
    out["boto3"] = None
except ClientError as e:
    out["boto3"] = [e.response["Error"]["Code"], e.response["Error"]["Message"],
                    e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
"#;
    let server = MockServer::start().await.unwrap();
    let url = server.url();
    let output = tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(python());
        command.args(["-c", SCRIPT, &url, &EIGHT_MIB.to_string()]);
        without_user_aws_config(&mut command).output().unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let message = format!("request body is larger than the mock's limit of {MAX_BODY_BYTES} bytes");
    assert_eq!(
        out["urllib"],
        serde_json::json!([413, {"__type": "RequestEntityTooLargeException", "message": message}]),
        "{out}"
    );
    assert_eq!(
        out["boto3"],
        serde_json::json!(["RequestEntityTooLargeException", message, 413]),
        "{out}"
    );
}
