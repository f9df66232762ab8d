//! The client under network and server faults, against raw test servers on loopback: each
//! fault has one defined outcome (error kind, attempt count, backoff schedule), and every test
//! is bounded by a tokio timeout so a hang fails instead of stalling the suite. Backoffs go
//! through an injected sleep that records them and a scripted jitter, so the schedule is
//! asserted exactly, never measured on the wall clock.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{RecordedSleep, ScriptedJitter};
use personalize_client::model::operation::list_batch_segment_jobs::ListBatchSegmentJobsError;
use personalize_client::{
    is_retryable, Client, Config, Credentials, Error, PaginationError, RetryConfig, TimeoutKind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Upper bound of any one test.
const TEST_LIMIT: Duration = Duration::from_secs(30);

/// What the test server does with one request.
#[derive(Clone, Debug)]
enum Action {
    /// Sends these bytes and keeps the connection for the next request.
    Respond(Vec<u8>),
    /// Sends these bytes, then closes the connection normally (FIN).
    Close(Vec<u8>),
    /// Sends these bytes, then resets the connection (RST).
    Reset(Vec<u8>),
    /// Sends these bytes, then neither writes nor closes.
    Stall(Vec<u8>),
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    body: String,
}

type Behaviour = Arc<dyn Fn(usize, &str) -> Action + Send + Sync>;

/// A raw HTTP/1.1 server answering every request by `behaviour(index, body)`.
struct TestServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    async fn start(behaviour: impl Fn(usize, &str) -> Action + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let behaviour: Behaviour = Arc::new(behaviour);
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(stream, behaviour.clone(), log.clone()));
            }
        });
        TestServer { addr, seen }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, behaviour: Behaviour, seen: Arc<Mutex<Vec<Seen>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(body) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let mut seen = seen.lock().unwrap();
            seen.push(Seen { body: body.clone() });
            seen.len() - 1
        };
        match behaviour(index, &body) {
            Action::Respond(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Action::Close(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Action::Reset(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                // SO_LINGER 0 makes the close send RST; with a zero timeout it does not block.
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(Duration::ZERO));
                return;
            }
            Action::Stall(bytes) => {
                let _ = stream.write_all(&bytes).await;
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
        }
    }
}

/// Reads one request (head, then `Content-Length` bytes of body); `None` at end of stream.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buffer[head_end..head_end + length]).into_owned();
    buffer.drain(..head_end + length);
    Some(body)
}

/// A complete response with a JSON content type.
fn response(status: u16, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.1\r\n\
         x-amzn-RequestId: req-{status}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The jitter fraction every test client draws: half of each backoff ceiling.
const JITTER: f64 = 0.5;

/// A client for `url` whose backoffs are recorded (and not waited) by the returned sleep,
/// each one [`JITTER`] of its ceiling.
fn recorded_client(
    url: &str,
    retry: RetryConfig,
    attempt_timeout: Duration,
) -> (Client, RecordedSleep) {
    let sleep = RecordedSleep::default();
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .connect_timeout(Duration::from_secs(2))
        .attempt_timeout(attempt_timeout)
        .retry(retry)
        .sleep(sleep.clone())
        .jitter(ScriptedJitter::new(&[JITTER]))
        .build()
        .unwrap();
    (Client::new(config), sleep)
}

/// [`recorded_client`] without its recorder.
fn client(url: &str, retry: RetryConfig, attempt_timeout: Duration) -> Client {
    recorded_client(url, retry, attempt_timeout).0
}

/// `attempts` attempts with short backoffs (base 10 ms, cap 40 ms).
fn fast_retries(attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(attempts)
        .with_base_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(40))
}

type CallResult = Result<
    personalize_client::model::operation::list_batch_segment_jobs::ListBatchSegmentJobsOutput,
    Error<ListBatchSegmentJobsError>,
>;

async fn list(client: &Client) -> CallResult {
    client.list_batch_segment_jobs().max_results(5).send().await
}

/// Runs `test` under [`TEST_LIMIT`].
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(TEST_LIMIT, test)
        .await
        .expect("test did not finish in time: the client hung")
}

/// Waits a little, then returns how many requests the server saw (so late retries count).
async fn settled_count(server: &TestServer) -> usize {
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.seen().len()
}

#[tokio::test]
async fn connection_refused_is_a_connect_transport_error_after_all_attempts() {
    bounded(async {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let (client, sleep) = recorded_client(
            &format!("http://{addr}"),
            fast_retries(3),
            Duration::from_secs(5),
        );
        let error = list(&client).await.unwrap_err();
        match &error {
            Error::Transport(e) => assert!(e.is_connect(), "{e}"),
            other => panic!("expected a connect transport error, got {other:?}"),
        }
        assert!(is_retryable(&error));
        assert!(error.to_string().contains(&addr.to_string()), "{error}");
        // Three refused connects, so two backoffs: half of 10 ms, then half of 20 ms.
        assert_eq!(
            sleep.waits(),
            [Duration::from_millis(5), Duration::from_millis(10)]
        );
    })
    .await;
}

#[tokio::test]
async fn reset_mid_response_is_a_transport_error_retried_to_the_limit() {
    bounded(async {
        let partial = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\
                        Content-Length: 100\r\n\r\n{\"batchSegmentJobs\":[{"
            .to_vec();
        let server = TestServer::start(move |_, _| Action::Reset(partial.clone())).await;
        let client = client(&server.url(), fast_retries(3), Duration::from_secs(5));
        let error = list(&client).await.unwrap_err();
        match &error {
            Error::Transport(e) => assert!(!e.is_connect(), "{e}"),
            other => panic!("expected a transport error, got {other:?}"),
        }
        assert_eq!(settled_count(&server).await, 3, "attempts");
    })
    .await;
}

#[tokio::test]
async fn close_before_any_response_is_retried_and_a_later_success_wins() {
    bounded(async {
        let server = TestServer::start(|index, _| match index {
            0 => Action::Close(Vec::new()),
            _ => Action::Respond(response(200, r#"{"batchSegmentJobs":[]}"#)),
        })
        .await;
        let client = client(&server.url(), fast_retries(3), Duration::from_secs(5));
        let output = list(&client).await.unwrap();
        assert_eq!(output.batch_segment_jobs, Some(vec![]));
        assert_eq!(settled_count(&server).await, 2, "attempts");
    })
    .await;
}

#[tokio::test]
async fn a_stalled_response_hits_the_attempt_timeout_on_every_attempt() {
    bounded(async {
        let server = TestServer::start(|_, _| Action::Stall(Vec::new())).await;
        let limit = Duration::from_millis(300);
        let (client, sleep) = recorded_client(&server.url(), fast_retries(2), limit);
        let error = list(&client).await.unwrap_err();
        match &error {
            Error::Timeout(t) => {
                assert_eq!(t.kind(), TimeoutKind::Attempt);
                assert_eq!(t.limit(), limit);
            }
            other => panic!("expected an attempt timeout, got {other:?}"),
        }
        assert_eq!(settled_count(&server).await, 2, "attempts");
        // The first timeout was retried after one backoff; the second ended the call.
        assert_eq!(sleep.waits(), [Duration::from_millis(5)]);
    })
    .await;
}

#[tokio::test]
async fn a_body_that_stops_arriving_hits_the_attempt_timeout() {
    bounded(async {
        let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\
                     Content-Length: 1000\r\n\r\n{\"batchSegmentJobs\":["
            .to_vec();
        let server = TestServer::start(move |_, _| Action::Stall(head.clone())).await;
        let limit = Duration::from_millis(300);
        let client = client(&server.url(), RetryConfig::disabled(), limit);
        let error = list(&client).await.unwrap_err();
        assert!(
            matches!(&error, Error::Timeout(t) if t.kind() == TimeoutKind::Attempt),
            "{error:?}"
        );
        assert_eq!(settled_count(&server).await, 1, "attempts");
    })
    .await;
}

#[tokio::test]
async fn a_body_cut_short_by_the_connection_is_a_transport_error() {
    bounded(async {
        // Content-Length promises 100 bytes; the server closes after 21.
        let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\
                     Content-Length: 100\r\n\r\n{\"batchSegmentJobs\":["
            .to_vec();
        let server = TestServer::start(move |_, _| Action::Close(head.clone())).await;
        let client = client(&server.url(), fast_retries(2), Duration::from_secs(5));
        let error = list(&client).await.unwrap_err();
        assert!(matches!(&error, Error::Transport(_)), "{error:?}");
        assert_eq!(settled_count(&server).await, 2, "attempts");
    })
    .await;
}

#[tokio::test]
async fn a_complete_but_truncated_json_body_is_a_response_error_not_retried() {
    bounded(async {
        let server = TestServer::start(|_, _| {
            Action::Respond(response(200, r#"{"batchSegmentJobs":[{"batchSegme"#))
        })
        .await;
        let client = client(&server.url(), fast_retries(3), Duration::from_secs(5));
        let error = list(&client).await.unwrap_err();
        match &error {
            Error::Response(e) => {
                assert_eq!(e.status(), 200);
                assert_eq!(e.request_id(), Some("req-200"));
            }
            other => panic!("expected a response error, got {other:?}"),
        }
        assert!(error.to_string().contains("batchSegme"), "{error}");
        assert!(!is_retryable(&error));
        assert_eq!(settled_count(&server).await, 1, "attempts");
    })
    .await;
}

#[tokio::test]
async fn non_json_bodies_are_classified_by_status() {
    bounded(async {
        let server = TestServer::start(|_, body| {
            let status = match body {
                b if b.contains("\"maxResults\":1") => 200,
                b if b.contains("\"maxResults\":2") => 400,
                _ => 502,
            };
            Action::Respond(response(status, "<html><body>oops</body></html>"))
        })
        .await;
        let client = client(&server.url(), fast_retries(3), Duration::from_secs(5));
        let send = |n| client.list_batch_segment_jobs().max_results(n).send();

        // 200 with HTML: the body is not the output; not retried.
        let error = send(1).await.unwrap_err();
        assert!(
            matches!(&error, Error::Response(e) if e.status() == 200),
            "{error:?}"
        );

        // 400 with HTML: an unmodeled error known by its status; a 4xx is not retried.
        let error = send(2).await.unwrap_err();
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.code(), Some("400"));
        assert!(matches!(
            error.err(),
            Some(ListBatchSegmentJobsError::Unhandled(_))
        ));
        assert!(!is_retryable(&error));

        // 502 with HTML: retried to the limit, then the last 502.
        let error = send(3).await.unwrap_err();
        assert_eq!(error.status(), Some(502));
        assert_eq!(error.code(), Some("502"));
        assert_eq!(error.message(), Some("Bad Gateway"));

        assert_eq!(settled_count(&server).await, 1 + 1 + 3, "attempts");
    })
    .await;
}

/// Runs `runs` calls at once against a server that always answers `status`/`body`, each
/// call on its own client and told apart by its `nextToken`; checks that every call made
/// exactly `retry.max_attempts()` attempts and returns every call's error and the backoffs
/// its client asked for.
async fn storm(
    status: u16,
    body: &'static str,
    runs: usize,
    retry: RetryConfig,
) -> (Vec<Error<ListBatchSegmentJobsError>>, Vec<Vec<Duration>>) {
    let server = TestServer::start(move |_, _| Action::Respond(response(status, body))).await;
    let calls = (0..runs).map(|run| {
        let (client, sleep) = recorded_client(&server.url(), retry, Duration::from_secs(5));
        async move {
            let error = client
                .list_batch_segment_jobs()
                .next_token(format!("run-{run:03}"))
                .send()
                .await
                .unwrap_err();
            (error, sleep.waits())
        }
    });
    let (errors, waits): (Vec<_>, Vec<_>) = futures_util::future::join_all(calls)
        .await
        .into_iter()
        .unzip();
    let seen = server.seen();
    for run in 0..runs {
        let marker = format!("run-{run:03}");
        let attempts = seen.iter().filter(|s| s.body.contains(&marker)).count();
        assert_eq!(
            attempts,
            retry.max_attempts() as usize,
            "{marker}: attempts (retries must stop at the limit)"
        );
    }
    (errors, waits)
}

/// Milliseconds as a `Duration`.
fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Base 250 ms, cap 2 s, 4 attempts: ceilings 250, 500, 1000 ms, so with [`JITTER`] one half
/// the waits are 125, 250, 500 ms, doubling from one retry to the next.
fn growing_retries() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(4)
        .with_base_backoff(ms(250))
        .with_max_backoff(Duration::from_secs(2))
}

#[tokio::test]
async fn a_503_storm_stops_at_the_attempt_limit_with_growing_backoff() {
    bounded(async {
        let (errors, waits) = storm(
            503,
            r#"{"__type":"ServiceUnavailable","message":"try later"}"#,
            24,
            growing_retries(),
        )
        .await;
        for error in &errors {
            assert_eq!(error.status(), Some(503));
            assert_eq!(error.code(), Some("ServiceUnavailable"));
            assert_eq!(error.message(), Some("try later"));
        }
        for run in &waits {
            assert_eq!(run, &[ms(125), ms(250), ms(500)]);
        }
    })
    .await;
}

#[tokio::test]
async fn a_throttling_storm_stops_at_the_attempt_limit_with_growing_backoff() {
    bounded(async {
        let (errors, waits) = storm(
            400,
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
            24,
            growing_retries(),
        )
        .await;
        for error in &errors {
            assert_eq!(error.status(), Some(400));
            assert_eq!(error.code(), Some("ThrottlingException"));
        }
        for run in &waits {
            assert_eq!(run, &[ms(125), ms(250), ms(500)]);
        }
    })
    .await;
}

#[tokio::test]
async fn backoff_never_exceeds_the_cap() {
    bounded(async {
        // Ceilings 40, 80, then the 80 ms cap: halves of 40, 80, 80, 80 ms.
        let retry = RetryConfig::standard()
            .with_max_attempts(5)
            .with_base_backoff(ms(40))
            .with_max_backoff(ms(80));
        let (_, waits) = storm(429, r#"{"__type":"TooManyRequestsException"}"#, 10, retry).await;
        for run in &waits {
            assert_eq!(run, &[ms(20), ms(40), ms(40), ms(40)]);
        }
    })
    .await;
}

#[tokio::test]
async fn a_paginator_whose_server_repeats_a_token_stops_with_an_error() {
    bounded(async {
        let job = |n: usize| {
            format!(
                r#"{{"batchSegmentJobArn":"arn:aws:personalize:us-east-1:1:batch-segment-job/{n}"}}"#
            )
        };
        let server = TestServer::start(move |_, body| {
            // First page: token "t1"; the page for "t1" names "t1" again, forever.
            let page = if body.contains("\"nextToken\":\"t1\"") {
                format!(r#"{{"batchSegmentJobs":[{}],"nextToken":"t1"}}"#, job(2))
            } else {
                format!(r#"{{"batchSegmentJobs":[{}],"nextToken":"t1"}}"#, job(1))
            };
            Action::Respond(response(200, &page))
        })
        .await;
        let client = client(&server.url(), fast_retries(3), Duration::from_secs(5));

        let mut pages = client.list_batch_segment_jobs().into_paginator();
        assert!(pages.next().await.unwrap().is_ok());
        assert!(pages.next().await.unwrap().is_ok());
        let error = pages.next().await.unwrap().unwrap_err();
        match &error {
            Error::Pagination(PaginationError::RepeatedToken { token, .. }) => {
                assert_eq!(token, "t1")
            }
            other => panic!("expected RepeatedToken, got {other:?}"),
        }
        assert!(pages.next().await.is_none(), "the stream must end after the error");

        // The item stream yields both jobs, then the error, then ends.
        let mut items = client.list_batch_segment_jobs().into_paginator().items();
        let mut arns = Vec::new();
        let mut errors = 0;
        while let Some(item) = items.next().await {
            match item {
                Ok(job) => arns.push(job.batch_segment_job_arn.unwrap()),
                Err(Error::Pagination(_)) => errors += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(arns.len(), 2, "{arns:?}");
        assert!(arns[1].ends_with("/2"));
        assert_eq!(errors, 1);
        // Two requests per listing, none after the repeat was seen.
        assert_eq!(settled_count(&server).await, 4, "requests");
    })
    .await;
}

#[tokio::test]
async fn secrets_never_appear_in_debug_output_or_errors() {
    bounded(async {
        const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
        const TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
        let server = TestServer::start(|index, _| match index {
            0 => Action::Respond(response(
                403,
                r#"{"__type":"InvalidSignatureException","message":"no"}"#,
            )),
            _ => Action::Reset(Vec::new()),
        })
        .await;
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url(server.url())
            .credentials(Credentials::new(
                "AKIDEXAMPLE",
                SECRET,
                Some(TOKEN.to_owned()),
            ))
            .retry(RetryConfig::disabled())
            .build()
            .unwrap();
        let client = Client::new(config.clone());
        let service_error = list(&client).await.unwrap_err();
        let transport_error = list(&client).await.unwrap_err();
        let paginator = client.list_batch_segment_jobs().into_paginator();
        let texts = [
            format!("{config:?}"),
            format!("{client:?}"),
            format!("{:?}", config.credentials()),
            format!("{paginator:?}"),
            format!("{service_error} {service_error:?}"),
            format!("{transport_error} {transport_error:?}"),
        ];
        for text in &texts {
            assert!(!text.contains(SECRET), "secret in {text}");
            assert!(!text.contains(TOKEN), "session token in {text}");
        }
        assert!(texts[0].contains("AKIDEXAMPLE"), "the key id may show: {}", texts[0]);
        // The request itself did carry the token (so the check above is not vacuous).
        let signed = client
            .signed_request::<personalize_client::model::operation::list_batch_segment_jobs::ListBatchSegmentJobs>(
                &Default::default(),
            )
            .unwrap();
        assert_eq!(
            signed.headers()["x-amz-security-token"].to_str().unwrap(),
            TOKEN
        );
    })
    .await;
}
