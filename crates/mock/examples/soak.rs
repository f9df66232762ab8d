//! A bounded soak of the mock binary: many requests of mixed operations (creates, describes,
//! lists of two kinds with their next pages, tags, deletes), valid and invalid, over many
//! concurrent keep-alive connections on loopback, with the mock's resident memory sampled from
//! `/proc/<pid>/statm` throughout.
//!
//! ```text
//! cargo build --release -p personalize-mock --bin personalize-mock --example soak
//! target/release/examples/soak [--requests 1000000] [--connections 256] [--resources 1000]
//!                              [--mock target/release/personalize-mock]
//! ```
//!
//! The mock starts with a seed file of `--resources` batch segment jobs and as many dataset
//! groups ([`personalize_mock::sample`]). Each connection creates dataset groups of its own
//! (unique names), describes, tags, lists and deletes them, so the store stays about the same
//! size. Passes (exit 0) when every response has the status and `__type` its request calls
//! for, no connection is dropped, and resident memory after warm-up (the first 10% of
//! requests) grows by at most 10% (or 4 MiB, whichever is larger). Not part of `cargo test`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use personalize_mock::sample::{dataset_group, job, solution_version};
use serde_json::{json, Value};
use tokio::net::TcpStream;

const JSON: &str = "application/x-amz-json-1.1";

struct Options {
    requests: u64,
    connections: usize,
    resources: usize,
    mock: PathBuf,
}

fn options() -> Result<Options, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/release/examples/soak → target/release/personalize-mock
    let default_mock = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("personalize-mock"))
        .unwrap_or_default();
    let mut options = Options {
        requests: 1_000_000,
        connections: 256,
        resources: 1_000,
        mock: default_mock,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|e| format!("{flag} {value}: {e}"))
        };
        match flag.as_str() {
            "--requests" => options.requests = number()?,
            "--connections" => options.connections = number()? as usize,
            "--resources" => options.resources = number()? as usize,
            "--mock" => options.mock = PathBuf::from(&value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options.resources == 0 {
        return Err("--resources must be at least 1".into());
    }
    if !options.mock.is_file() {
        return Err(format!(
            "mock binary {} not found: run `cargo build --release -p personalize-mock --bin personalize-mock` first, or pass --mock",
            options.mock.display()
        ));
    }
    Ok(options)
}

/// The kinds of request in the mix, each with the status and `__type` it must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    CreateGroup,
    DescribeOwnGroup,
    DescribeSeededJob,
    ListGroups,
    NextGroupsPage,
    ListJobs,
    ListJobsFiltered,
    NextJobsPage,
    TagOwnGroup,
    ListTags,
    UntagOwnGroup,
    DeleteOwnGroup,
    DescribeMissingGroup,
    CreateDuplicateGroup,
    CreateJobWithoutParent,
    BadMaxResults,
    BadToken,
    TokenOfAnotherOperation,
    BadArn,
    NotJson,
    WrongTarget,
    WrongMethod,
    WrongPath,
}

impl Kind {
    /// 24 slots: 13 valid, 11 invalid. Creates and deletes balance, so the store stays the
    /// same size.
    fn of(i: u64) -> Kind {
        match i % 24 {
            0 => Kind::CreateGroup,
            1 => Kind::DescribeOwnGroup,
            2 => Kind::DescribeSeededJob,
            3 => Kind::ListGroups,
            4 => Kind::NextGroupsPage,
            5 => Kind::ListJobs,
            6 => Kind::ListJobsFiltered,
            7 => Kind::NextJobsPage,
            8 => Kind::TagOwnGroup,
            9 => Kind::ListTags,
            10 => Kind::UntagOwnGroup,
            11 => Kind::DeleteOwnGroup,
            12 => Kind::DescribeMissingGroup,
            13 => Kind::CreateDuplicateGroup,
            14 => Kind::CreateJobWithoutParent,
            15 => Kind::BadMaxResults,
            16 => Kind::BadToken,
            17 => Kind::TokenOfAnotherOperation,
            18 => Kind::BadArn,
            19 => Kind::NotJson,
            20 => Kind::WrongTarget,
            21 => Kind::WrongMethod,
            22 => Kind::WrongPath,
            _ => Kind::ListGroups,
        }
    }

    fn expected(self) -> (StatusCode, Option<&'static str>) {
        match self {
            Kind::CreateGroup
            | Kind::DescribeOwnGroup
            | Kind::DescribeSeededJob
            | Kind::ListGroups
            | Kind::NextGroupsPage
            | Kind::ListJobs
            | Kind::ListJobsFiltered
            | Kind::NextJobsPage
            | Kind::TagOwnGroup
            | Kind::ListTags
            | Kind::UntagOwnGroup
            | Kind::DeleteOwnGroup => (StatusCode::OK, None),
            Kind::DescribeMissingGroup | Kind::CreateJobWithoutParent => {
                (StatusCode::BAD_REQUEST, Some("ResourceNotFoundException"))
            }
            Kind::CreateDuplicateGroup => (
                StatusCode::BAD_REQUEST,
                Some("ResourceAlreadyExistsException"),
            ),
            Kind::BadMaxResults | Kind::BadArn => {
                (StatusCode::BAD_REQUEST, Some("InvalidInputException"))
            }
            Kind::BadToken | Kind::TokenOfAnotherOperation => {
                (StatusCode::BAD_REQUEST, Some("InvalidNextTokenException"))
            }
            Kind::NotJson => (StatusCode::BAD_REQUEST, Some("SerializationException")),
            Kind::WrongTarget => (StatusCode::BAD_REQUEST, Some("UnknownOperationException")),
            Kind::WrongMethod => (
                StatusCode::METHOD_NOT_ALLOWED,
                Some("UnknownOperationException"),
            ),
            Kind::WrongPath => (StatusCode::NOT_FOUND, Some("UnknownOperationException")),
        }
    }
}

/// What one connection keeps between requests: its own dataset groups (oldest first), its
/// next-page tokens, and the seed's size.
struct State {
    connection: usize,
    own: Vec<String>,
    created: u64,
    groups_token: Option<String>,
    jobs_token: Option<String>,
    resources: usize,
}

impl State {
    /// The ARN a new group of this connection gets (names are unique per connection and count).
    fn new_group_name(&self) -> String {
        format!("soak-{}-{}", self.connection, self.created)
    }
}

fn arn_of_group(name: &str) -> String {
    format!("arn:aws:personalize:us-east-1:123456789012:dataset-group/{name}")
}

/// The request for `kind` (the `i`th of the run), with the operation it names.
fn request(kind: Kind, i: u64, state: &State) -> Request<Full<Bytes>> {
    let size = (i % 100 + 1) as i64;
    let seeded = (i as usize * 7919) % state.resources;
    // A group of this connection's when it has one, else a seeded one.
    let group = state
        .own
        .last()
        .cloned()
        .or_else(|| dataset_group(seeded).dataset_group_arn)
        .unwrap_or_default();
    let post = |operation: &str, body: Value| ("POST", "/", operation.to_owned(), body.to_string());
    let (method, path, operation, body) = match kind {
        Kind::CreateGroup => post(
            "CreateDatasetGroup",
            json!({"name": state.new_group_name(), "tags": [{"tagKey": "soak", "tagValue": "yes"}]}),
        ),
        Kind::DescribeOwnGroup => post("DescribeDatasetGroup", json!({"datasetGroupArn": group})),
        Kind::DescribeSeededJob => post(
            "DescribeBatchSegmentJob",
            json!({"batchSegmentJobArn": job(seeded).batch_segment_job_arn}),
        ),
        Kind::ListGroups => post("ListDatasetGroups", json!({"maxResults": size})),
        Kind::NextGroupsPage => match &state.groups_token {
            Some(token) => post(
                "ListDatasetGroups",
                json!({"maxResults": size, "nextToken": token}),
            ),
            None => post("ListDatasetGroups", json!({"maxResults": size})),
        },
        Kind::ListJobs => post("ListBatchSegmentJobs", json!({"maxResults": size})),
        Kind::ListJobsFiltered => post(
            "ListBatchSegmentJobs",
            json!({"maxResults": size, "solutionVersionArn": solution_version(i as usize)}),
        ),
        Kind::NextJobsPage => match &state.jobs_token {
            Some(token) => post(
                "ListBatchSegmentJobs",
                json!({"maxResults": size, "nextToken": token}),
            ),
            None => post("ListBatchSegmentJobs", json!({"maxResults": size})),
        },
        Kind::TagOwnGroup => post(
            "TagResource",
            json!({"resourceArn": group, "tags": [{"tagKey": format!("k{}", i % 8), "tagValue": i.to_string()}]}),
        ),
        Kind::ListTags => post("ListTagsForResource", json!({"resourceArn": group})),
        Kind::UntagOwnGroup => post(
            "UntagResource",
            json!({"resourceArn": group, "tagKeys": [format!("k{}", i % 8)]}),
        ),
        Kind::DeleteOwnGroup => post(
            "DeleteDatasetGroup",
            json!({"datasetGroupArn": state.own.first().cloned().unwrap_or_default()}),
        ),
        Kind::DescribeMissingGroup => post(
            "DescribeDatasetGroup",
            json!({"datasetGroupArn": arn_of_group(&format!("missing-{i}"))}),
        ),
        Kind::CreateDuplicateGroup => post(
            "CreateDatasetGroup",
            json!({"name": dataset_group(seeded).name}),
        ),
        Kind::CreateJobWithoutParent => post(
            "CreateBatchSegmentJob",
            json!({
                "jobName": format!("soak-{i}"),
                "solutionVersionArn": format!("arn:aws:personalize:us-east-1:123456789012:solution/missing-{i}/0000abcd"),
                "jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
                "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
                "roleArn": "arn:aws:iam::123456789012:role/personalize"
            }),
        ),
        Kind::BadMaxResults => post(
            "ListDatasetGroups",
            json!({"maxResults": if i % 2 == 0 { 0 } else { 101 + size }}),
        ),
        Kind::BadToken => post(
            "ListBatchSegmentJobs",
            json!({"nextToken": format!("forged-{i}")}),
        ),
        Kind::TokenOfAnotherOperation => {
            let token = state.jobs_token.clone().unwrap_or_else(|| {
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()
            });
            post("ListDatasetGroups", json!({"nextToken": token}))
        }
        Kind::BadArn => post(
            "ListBatchSegmentJobs",
            json!({"solutionVersionArn": format!("not-an-arn-{i}")}),
        ),
        Kind::NotJson => (
            "POST",
            "/",
            "ListDatasetGroups".to_owned(),
            format!("{{\"maxResults\": {i}"),
        ),
        Kind::WrongTarget => post("ListEverything", json!({})),
        Kind::WrongMethod => ("GET", "/", "ListDatasetGroups".to_owned(), String::new()),
        Kind::WrongPath => (
            "POST",
            "/v2/groups",
            "ListDatasetGroups".to_owned(),
            "{}".to_owned(),
        ),
    };
    Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST))
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-type", JSON)
        .header("x-amz-target", format!("AmazonPersonalize.{operation}"))
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}

/// `kind`, or the request that takes its place when this connection has no group of its own
/// to delete (a create, so the store keeps its size).
fn adjusted(kind: Kind, state: &State) -> Kind {
    match kind {
        Kind::DeleteOwnGroup if state.own.is_empty() => Kind::CreateGroup,
        other => other,
    }
}

#[derive(Default)]
struct Tally {
    by_kind: BTreeMap<String, u64>,
    unexpected: u64,
    examples: Vec<String>,
    dropped: u64,
    latencies_us: Vec<u32>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (k, v) in other.by_kind {
            *self.by_kind.entry(k).or_default() += v;
        }
        self.unexpected += other.unexpected;
        self.dropped += other.dropped;
        for e in other.examples {
            if self.examples.len() < 10 {
                self.examples.push(e);
            }
        }
        self.latencies_us.extend(other.latencies_us);
    }
}

type Sender = http1::SendRequest<Full<Bytes>>;

async fn connect(addr: &str) -> Result<Sender, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    Ok(sender)
}

/// One connection's share of the requests, reconnecting (and counting a drop) if it breaks.
async fn worker(
    addr: String,
    connection: usize,
    resources: usize,
    next: Arc<AtomicU64>,
    total: u64,
) -> Tally {
    let mut tally = Tally::default();
    let mut state = State {
        connection,
        own: Vec::new(),
        created: 0,
        groups_token: None,
        jobs_token: None,
        resources,
    };
    let mut sender = match connect(&addr).await {
        Ok(s) => s,
        Err(e) => {
            tally.dropped += 1;
            tally.examples.push(format!("connect failed: {e}"));
            return tally;
        }
    };
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= total {
            return tally;
        }
        let kind = adjusted(Kind::of(i), &state);
        let started = Instant::now();
        let outcome = async {
            sender.ready().await.map_err(|e| e.to_string())?;
            let response = sender
                .send_request(request(kind, i, &state))
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| e.to_string())?
                .to_bytes();
            Ok::<_, String>((status, body))
        }
        .await;
        tally
            .latencies_us
            .push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
        *tally.by_kind.entry(format!("{kind:?}")).or_default() += 1;
        let (status, body) = match outcome {
            Ok(reply) => reply,
            Err(e) => {
                tally.dropped += 1;
                if tally.examples.len() < 10 {
                    tally
                        .examples
                        .push(format!("request {i} ({kind:?}): connection failed: {e}"));
                }
                match connect(&addr).await {
                    Ok(s) => sender = s,
                    Err(_) => return tally,
                }
                continue;
            }
        };
        let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let (want_status, want_type) = kind.expected();
        let got_type = value.get("__type").and_then(Value::as_str);
        if status != want_status || got_type != want_type || !value.is_object() {
            tally.unexpected += 1;
            if tally.examples.len() < 10 {
                tally.examples.push(format!(
                    "request {i} ({kind:?}): got {status} {}",
                    String::from_utf8_lossy(&body)
                        .chars()
                        .take(200)
                        .collect::<String>()
                ));
            }
            continue;
        }
        if status == StatusCode::OK {
            remember(kind, &value, &mut state);
        }
    }
}

/// Keeps what a successful answer to `kind` gives this connection: a new group, a deleted
/// group gone, a next-page token.
fn remember(kind: Kind, value: &Value, state: &mut State) {
    let token = || {
        value
            .get("nextToken")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match kind {
        Kind::CreateGroup => {
            state.created += 1;
            if let Some(arn) = value.get("datasetGroupArn").and_then(Value::as_str) {
                state.own.push(arn.to_owned());
            }
        }
        Kind::DeleteOwnGroup if !state.own.is_empty() => {
            state.own.remove(0);
        }
        Kind::ListGroups | Kind::NextGroupsPage => state.groups_token = token(),
        Kind::ListJobs | Kind::NextJobsPage => state.jobs_token = token(),
        _ => {}
    }
}

/// Resident set size of `pid`, in bytes (`/proc/<pid>/statm`, field 2, times the page size).
fn rss(pid: u32) -> Option<u64> {
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn seed_file(resources: usize) -> Result<PathBuf, String> {
    let seed = json!({
        "batchSegmentJobs": (0..resources).map(job).collect::<Vec<_>>(),
        "datasetGroups": (0..resources).map(dataset_group).collect::<Vec<_>>(),
    });
    let path =
        std::env::temp_dir().join(format!("personalize-soak-seed-{}.json", std::process::id()));
    std::fs::write(&path, seed.to_string())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("soak: error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<bool, String> {
    let options = options()?;
    let seed = seed_file(options.resources)?;
    let mut child = Command::new(&options.mock)
        .args(["--bind", "127.0.0.1:0", "--seed"])
        .arg(&seed)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", options.mock.display()))?;
    let pid = child.id();
    let mut line = String::new();
    if let Some(stdout) = child.stdout.take() {
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
    }
    let Some(url) = line.trim().strip_prefix("listening on http://") else {
        let _ = child.kill();
        return Err(format!("mock did not say where it listens: {line:?}"));
    };
    let addr = url.to_owned();
    println!(
        "soak: mock pid {pid} at {addr}, {} jobs and {} dataset groups; {} requests over {} connections",
        options.resources,
        options.resources, options.requests, options.connections
    );

    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let samples: Arc<Mutex<Vec<(u64, u64)>>> = Arc::new(Mutex::new(Vec::new()));
    let sampler = {
        let (next, done, samples) = (next.clone(), done.clone(), samples.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                if let Some(bytes) = rss(pid) {
                    let at = next.load(Ordering::Relaxed);
                    if let Ok(mut s) = samples.lock() {
                        s.push((at, bytes));
                    }
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    };
    let rss_start = rss(pid).unwrap_or(0);
    let started = Instant::now();
    let workers: Vec<_> = (0..options.connections)
        .map(|c| {
            tokio::spawn(worker(
                addr.clone(),
                c,
                options.resources,
                next.clone(),
                options.requests,
            ))
        })
        .collect();
    let mut tally = Tally::default();
    for w in workers {
        tally.merge(w.await.map_err(|e| e.to_string())?);
    }
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    let rss_end = rss(pid).unwrap_or(0);
    let alive = matches!(child.try_wait(), Ok(None));
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&seed);

    let total: u64 = tally.by_kind.values().sum();
    let samples = samples.lock().map(|s| s.clone()).unwrap_or_default();
    let warmup = options.requests / 10;
    let rss_warm = samples
        .iter()
        .find(|(at, _)| *at >= warmup)
        .map_or(rss_start, |(_, b)| *b);
    let rss_max_after = samples
        .iter()
        .filter(|(at, _)| *at >= warmup)
        .map(|(_, b)| *b)
        .chain([rss_end])
        .max()
        .unwrap_or(rss_end);
    let allowed = (rss_warm / 10).max(4 << 20);
    let flat = rss_max_after <= rss_warm + allowed;
    tally.latencies_us.sort_unstable();

    println!(
        "requests: {total} in {:.1} s = {:.0} req/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    for (kind, count) in &tally.by_kind {
        println!("  {kind:<22} {count}");
    }
    println!(
        "latency ms: p50 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
        percentile(&tally.latencies_us, 0.50),
        percentile(&tally.latencies_us, 0.99),
        percentile(&tally.latencies_us, 0.999),
        percentile(&tally.latencies_us, 1.0)
    );
    println!("unexpected statuses: {}", tally.unexpected);
    println!("dropped connections: {}", tally.dropped);
    println!(
        "mock RSS MiB: start {:.1}, after warm-up ({} requests) {:.1}, max after warm-up {:.1}, end {:.1} ({} samples) -> {}",
        mib(rss_start),
        warmup,
        mib(rss_warm),
        mib(rss_max_after),
        mib(rss_end),
        samples.len(),
        if flat { "flat" } else { "GREW" }
    );
    println!("mock alive at the end: {alive}");
    for e in &tally.examples {
        println!("  example: {e}");
    }
    Ok(total == options.requests && tally.unexpected == 0 && tally.dropped == 0 && flat && alive)
}
