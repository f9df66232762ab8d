//! Helpers shared by the test modules: job fixtures, seeds, a small awsJson HTTP client and
//! the real clients' locations.
#![allow(dead_code)]

use std::cmp::Reverse;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::Command;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use personalize_mock::MockService;
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::DateTime;
use serde_json::{json, Value};

pub const TARGET: &str = "AmazonPersonalize.ListBatchSegmentJobs";
pub const SV1: &str = "arn:aws:personalize:us-east-1:123456789012:solution/movies/1";
pub const SV2: &str = "arn:aws:personalize:us-east-1:123456789012:solution/books/2";
/// A filter of the default account, seeded by [`parents`].
pub const FILTER: &str = "arn:aws:personalize:us-east-1:123456789012:filter/not-watched";
/// A role batch jobs may name.
pub const ROLE: &str = "arn:aws:iam::123456789012:role/PersonalizeS3";

/// Job `n`: every third job shares a timestamp with its neighbours (so the insertion-order
/// tie-break matters), timestamps carry milliseconds, jobs alternate between two solution
/// versions.
pub fn job(n: usize) -> BatchSegmentJobSummary {
    let created = 1_700_000_000_000 + (n as i64 / 3) * 1_001 + 123;
    BatchSegmentJobSummary::builder()
        .batch_segment_job_arn(arn(n))
        .job_name(format!("job-{n:06}"))
        .status(if n % 5 == 0 {
            "CREATE FAILED"
        } else {
            "ACTIVE"
        })
        .creation_date_time(DateTime::from_millis(created))
        .last_updated_date_time(DateTime::from_millis(created + 60_000))
        .set_failure_reason((n % 5 == 0).then(|| "out of memory".to_owned()))
        .solution_version_arn(if n % 2 == 0 { SV1 } else { SV2 })
        .build()
}

pub fn arn(n: usize) -> String {
    // Not zero-padded, so that ARN order differs from numeric (insertion) order.
    format!("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/seg-{n}")
}

/// Jobs in the order they are seeded; serialises as a seed file (`{"batchSegmentJobs":[…]}`).
#[derive(Clone, Debug, PartialEq)]
pub struct Jobs(pub Vec<BatchSegmentJobSummary>);

impl std::ops::Deref for Jobs {
    type Target = [BatchSegmentJobSummary];
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl serde::Serialize for Jobs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("batchSegmentJobs", &self.0)?;
        map.end()
    }
}

pub fn jobs(count: usize) -> Jobs {
    Jobs((0..count).map(job).collect())
}

/// A seed file holding these jobs.
pub fn seed_of(jobs: &[BatchSegmentJobSummary]) -> Value {
    json!({ "batchSegmentJobs": jobs })
}

/// Jobs `0..count` as [`jobs`] makes them, but in `region` (where clients signing for that
/// region see them): a seed file.
pub fn jobs_in(region: &str, count: usize) -> Value {
    let mut seed = seed_of(&jobs(count));
    for job in seed["batchSegmentJobs"].as_array_mut().unwrap() {
        for member in ["batchSegmentJobArn", "solutionVersionArn"] {
            let arn = job[member]
                .as_str()
                .unwrap()
                .replace(":us-east-1:", &format!(":{region}:"));
            job[member] = arn.into();
        }
    }
    seed
}

/// The parents batch segment jobs are created under: solution versions [`SV1`], [`SV2`] and
/// [`SDK_SV`], and filter [`FILTER`], all ACTIVE in the default account and region.
pub fn parents() -> Value {
    let version = |arn: &str| {
        json!({"solutionVersionArn": arn, "status": "ACTIVE",
               "creationDateTime": 1_600_000_000.0, "lastUpdatedDateTime": 1_600_000_000.0})
    };
    json!({
        "solutionVersions": [version(SV1), version(SV2), version(SDK_SV)],
        // ListFilters' items member is `Filters` (capitalised in the model).
        "Filters": [{"filterArn": FILTER, "name": "not-watched", "status": "ACTIVE",
                     "datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg",
                     "filterExpression": "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"watch\")",
                     "creationDateTime": 1_600_000_000.0, "lastUpdatedDateTime": 1_600_000_000.0}]
    })
}

/// The solution version the SDK and boto3 scenarios create jobs under.
pub const SDK_SV: &str = "arn:aws:personalize:us-east-1:123456789012:solution/movies/7c1b2a3d";

/// The documented order, computed independently of the store: newest first, then the order
/// the jobs were stored in (their order in `jobs`).
pub fn expected_order(jobs: &[BatchSegmentJobSummary], filter: Option<&str>) -> Vec<String> {
    let mut selected: Vec<_> = jobs
        .iter()
        .enumerate()
        .filter(|(_, j)| filter.is_none() || j.solution_version_arn.as_deref() == filter)
        .map(|(i, j)| {
            (
                Reverse(j.creation_date_time.map_or(i64::MIN, |t| t.as_micros())),
                i,
                j.batch_segment_job_arn.clone().unwrap(),
            )
        })
        .collect();
    selected.sort();
    selected.into_iter().map(|(_, _, arn)| arn).collect()
}

/// `[[arn, creationDateTime in epoch milliseconds], ...]` in the documented order: what a real
/// client's paginator must have seen, as the Python and JS scenarios print it.
pub fn expected_items(all: &[BatchSegmentJobSummary], filter: Option<&str>) -> Value {
    let order = expected_order(all, filter);
    Value::Array(
        order
            .iter()
            .map(|arn| {
                let job = all
                    .iter()
                    .find(|j| j.batch_segment_job_arn.as_deref() == Some(arn))
                    .unwrap();
                json!([arn, job.creation_date_time.unwrap().as_millis()])
            })
            .collect(),
    )
}

/// A raw response: status, headers and the body parsed as JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn error_type(&self) -> &str {
        self.body["__type"].as_str().unwrap_or("")
    }
    pub fn token(&self) -> Option<String> {
        self.body["nextToken"].as_str().map(str::to_owned)
    }
    pub fn arns(&self) -> Vec<String> {
        self.body["batchSegmentJobs"]
            .as_array()
            .unwrap_or_else(|| panic!("no batchSegmentJobs in {}", self.body))
            .iter()
            .map(|j| j["batchSegmentJobArn"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// Sends one request with the given method, path, headers and body.
pub async fn send(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Reply {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut request = http::Request::builder()
        .method(method)
        .uri(format!("{url}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Full::new(body.into())).unwrap();
    let response = client.request(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("response body is not JSON ({e}): {bytes:?}"));
    Reply {
        status,
        headers,
        body,
    }
}

/// A well-formed call of operation `op` (`CreateBatchSegmentJob`) with this JSON body.
pub async fn post(url: &str, op: &str, body: Value) -> Reply {
    let target = format!("AmazonPersonalize.{op}");
    send(
        url,
        "POST",
        "/",
        &[
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", &target),
        ],
        body.to_string(),
    )
    .await
}

/// A well-formed ListBatchSegmentJobs call with this JSON body.
pub async fn call(url: &str, body: Value) -> Reply {
    post(url, "ListBatchSegmentJobs", body).await
}

/// The headers of an awsJson request for operation `op`; with `scope = Some((key, region))`
/// also an Authorization header (signed in form only: the handler does not verify) naming
/// that access key and region, which choose the account and region it is served in.
pub fn awsjson_headers(op: &str, scope: Option<(&str, &str)>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    headers.insert(
        "x-amz-target",
        HeaderValue::from_str(&format!("AmazonPersonalize.{op}")).unwrap(),
    );
    if let Some((key, region)) = scope {
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential={key}/20231114/{region}/personalize/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"
        );
        headers.insert("authorization", HeaderValue::from_str(&auth).unwrap());
    }
    headers
}

/// One awsJson request through the transport-free handler: status and body bytes.
pub fn handle_raw(service: &MockService, op: &str, body: &str) -> (u16, Bytes) {
    let headers = awsjson_headers(op, None);
    let response = service.handle_parts(
        Method::POST,
        "/",
        headers,
        Bytes::copy_from_slice(body.as_bytes()),
    );
    (response.status().as_u16(), response.into_body())
}

/// One awsJson request through the transport-free handler: (status, `__type` or "", body).
pub fn handle(service: &MockService, op: &str, body: &str) -> (u16, String, Value) {
    let (status, bytes) = handle_raw(service, op, body);
    let body: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{op}: body is not JSON ({e}): {bytes:?}"));
    let code = body["__type"].as_str().unwrap_or_default().to_owned();
    (status, code, body)
}

/// Lists everything with the given filter, changing page size as `sizes` says (cycled).
pub async fn list_all(url: &str, filter: Option<&str>, sizes: &[i64]) -> Vec<String> {
    let mut arns = Vec::new();
    let mut token: Option<String> = None;
    for page in 0.. {
        let mut body = json!({ "maxResults": sizes[page % sizes.len()] });
        if let Some(f) = filter {
            body["solutionVersionArn"] = f.into();
        }
        if let Some(t) = &token {
            body["nextToken"] = t.clone().into();
        }
        let reply = call(url, body).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let got = reply.arns();
        assert!(got.len() as i64 <= sizes[page % sizes.len()]);
        arns.extend(got);
        token = reply.token();
        if token.is_none() {
            break;
        }
        assert!(page < 100_000, "listing does not end");
    }
    arns
}

/// Continues a listing from `token` with a fixed page size, until its last page.
pub async fn list_rest(
    url: &str,
    filter: Option<&str>,
    size: i64,
    mut token: Option<String>,
) -> Vec<String> {
    let mut arns = Vec::new();
    while let Some(t) = token {
        let mut body = json!({ "maxResults": size, "nextToken": t });
        if let Some(f) = filter {
            body["solutionVersionArn"] = f.into();
        }
        let reply = call(url, body).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        arns.extend(reply.arns());
        token = reply.token();
    }
    arns
}

/// The Python with boto3 and the AWS CLI: `$PERSONALIZE_PYTHON`, else `<workspace>/.venv/bin/python`
/// (`.ci/python-env` creates it); panics saying how to get one when neither imports them.
pub fn python() -> PathBuf {
    let candidate = std::env::var_os("PERSONALIZE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
        });
    let probe = Command::new(&candidate)
        .args(["-c", "import boto3, awscli"])
        .output();
    match probe {
        Ok(out) if out.status.success() => candidate,
        Ok(out) => panic!(
            "{} cannot import boto3 and awscli ({}); create the venv as .ci/run does \
             (python -m venv .venv && .venv/bin/pip install boto3 awscli) or set PERSONALIZE_PYTHON",
            candidate.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => panic!(
            "no Python at {} ({e}); set PERSONALIZE_PYTHON to a python with boto3 and awscli, \
             or create <workspace>/.venv as .ci/run does",
            candidate.display()
        ),
    }
}

/// `command` with throwaway AWS credentials, region `us-east-1` and no user AWS configuration.
pub fn without_user_aws_config(command: &mut Command) -> &mut Command {
    command
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/personalize-mock/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/personalize-mock/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
}

/// The URL from the `personalize-mock` binary's first line of output, `listening on URL`.
pub fn read_listening_url(stdout: &mut impl BufRead) -> String {
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    url
}

/// What a real client's scenario printed for paging every job and the `SV1` jobs in pages of 2
/// (`{"all": {"items", "tokens"}, "sv1": {"items"}}`): the documented order, timestamps to the
/// millisecond, and a token on every page but the last.
pub fn assert_paged_in_pairs(out: &Value, all: &[BatchSegmentJobSummary]) {
    assert_eq!(out["all"]["items"], expected_items(all, None));
    assert_eq!(out["sv1"]["items"], expected_items(all, Some(SV1)));
    let tokens = out["all"]["tokens"].as_array().unwrap();
    let pages = all.len().div_ceil(2);
    assert_eq!(tokens.len(), pages, "{} jobs in pages of 2", all.len());
    assert!(tokens[..pages - 1].iter().all(Value::is_string));
    assert!(tokens[pages - 1].is_null());
}

/// An AWS SDK for Rust configuration builder for the mock at `url`: region `us-east-1`,
/// throwaway credentials.
pub fn sdk_config(url: &str) -> aws_sdk_personalize::config::Builder {
    aws_sdk_personalize::Config::builder()
        .endpoint_url(url)
        .region(aws_sdk_personalize::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_personalize::config::Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        ))
        .behavior_version(aws_sdk_personalize::config::BehaviorVersion::latest())
}
