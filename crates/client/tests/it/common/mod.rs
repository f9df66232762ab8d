//! Helpers shared by the integration tests: a client pointed at a wiremock server, canned
//! awsJson responses and the recorded exchanges of the real AWS clients.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use personalize_client::{
    Client, Config, ConfigBuilder, Credentials, FixedTime, Jitter, RetryConfig, Sleep, Sleeping,
};
use serde::Deserialize;
use serde_json::Value;
use wiremock::matchers::{header, method, path};
use wiremock::{MockBuilder, MockServer, ResponseTemplate};

/// The documentation example access key id the recordings were signed with.
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// The documentation example secret that reproduces the recorded signatures.
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The awsJson 1.1 content type.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The operation's `X-Amz-Target`.
pub const TARGET: &str = "AmazonPersonalize.ListBatchSegmentJobs";
/// The ARN the recordings use.
pub const ARN: &str = "arn:aws:personalize:us-east-1:123456789012:solution/movies/7c1b2a3d";

/// Retries with backoff of at most a few milliseconds.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_base_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(4))
}

/// A sleep that returns at once and records every wait it was asked for, in order.
#[derive(Clone, Debug, Default)]
pub struct RecordedSleep(Arc<Mutex<Vec<Duration>>>);

impl RecordedSleep {
    /// The waits asked for so far.
    pub fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl Sleep for RecordedSleep {
    fn sleep(&self, duration: Duration) -> Sleeping {
        self.0.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// Jitter fractions taken in turn from a fixed list (cycled).
#[derive(Debug)]
pub struct ScriptedJitter {
    fractions: Vec<f64>,
    next: AtomicUsize,
}

impl ScriptedJitter {
    /// Fractions `fractions[0]`, `fractions[1]`, ... then again from the start.
    pub fn new(fractions: &[f64]) -> Self {
        assert!(!fractions.is_empty(), "at least one fraction");
        Self {
            fractions: fractions.to_vec(),
            next: AtomicUsize::new(0),
        }
    }
}

impl Jitter for ScriptedJitter {
    fn fraction(&self) -> f64 {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        self.fractions[i % self.fractions.len()]
    }
}

/// A config builder for `server`, with example credentials and fast retries.
pub fn config_for(server: &MockServer) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET, None))
        .retry(fast_retry())
}

/// A client for `server`.
pub fn client_for(server: &MockServer) -> Client {
    Client::new(config_for(server).build().unwrap())
}

/// A mock matching an awsJson 1.1 `ListBatchSegmentJobs` request.
pub fn operation() -> MockBuilder {
    wiremock::Mock::given(method("POST"))
        .and(path("/"))
        .and(header("x-amz-target", TARGET))
        .and(header("content-type", CONTENT_TYPE))
}

/// A response with an awsJson body and a request id.
pub fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-amzn-RequestId", "req-1234")
        .set_body_raw(serde_json::to_vec(body).unwrap(), CONTENT_TYPE)
}

/// One recorded request of a real client and the canned response it got.
#[derive(Debug, Clone, Deserialize)]
pub struct Recording {
    pub client: String,
    pub method: String,
    pub path: String,
    pub headers: std::collections::BTreeMap<String, String>,
    pub body: String,
    pub response: RecordedResponse,
}

/// The canned response of a recording.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedResponse {
    pub status: u16,
    pub body: Value,
}

/// Every recorded exchange, in file order.
pub fn recordings() -> Vec<Recording> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/recordings/real-clients.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `20261129T015433Z` as a time.
pub fn amz_date_to_time(amz_date: &str) -> SystemTime {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let parsed = time::PrimitiveDateTime::parse(amz_date, &format).unwrap();
    let secs = parsed.assume_utc().unix_timestamp();
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap())
}

/// A fixed clock at a recording's `x-amz-date`.
pub fn clock_at(amz_date: &str) -> FixedTime {
    FixedTime(amz_date_to_time(amz_date))
}
