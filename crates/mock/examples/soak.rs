//! A bounded soak of the mock binary: many requests, mixed valid and invalid, over many
//! concurrent keep-alive connections on loopback, with the mock's resident memory sampled
//! from `/proc/<pid>/statm` throughout.
//!
//! ```text
//! cargo build --release -p personalize-mock --bin personalize-mock --example soak
//! target/release/examples/soak [--requests 1000000] [--connections 256] [--jobs 1000]
//!                              [--mock target/release/personalize-mock]
//! ```
//!
//! Passes (exit 0) when every response has the status and `__type` its request calls for,
//! no connection is dropped, and resident memory after warm-up (the first 10% of requests)
//! grows by at most 10% (or 4 MiB, whichever is larger). Not part of `cargo test`.

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
use serde_json::{json, Value};
use tokio::net::TcpStream;

const TARGET: &str = "AmazonPersonalize.ListBatchSegmentJobs";
const JSON: &str = "application/x-amz-json-1.1";
const SVS: [&str; 4] = [
    "arn:aws:personalize:us-east-1:123456789012:solution/movies/1",
    "arn:aws:personalize:us-east-1:123456789012:solution/books/2",
    "arn:aws:personalize:us-east-1:123456789012:solution/music/3",
    "arn:aws:personalize:us-east-1:123456789012:solution/games/4",
];

struct Options {
    requests: u64,
    connections: usize,
    jobs: usize,
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
        jobs: 1_000,
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
            "--jobs" => options.jobs = number()? as usize,
            "--mock" => options.mock = PathBuf::from(&value),
            other => return Err(format!("unknown option {other}")),
        }
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
    FirstPage,
    FilteredPage,
    NextPage,
    BadMaxResults,
    BadToken,
    TokenOfAnotherFilter,
    BadArn,
    NotJson,
    WrongTarget,
    WrongContentType,
    WrongMethod,
    WrongPath,
}

impl Kind {
    /// 20 slots: 11 valid (55%), 9 invalid.
    fn of(i: u64) -> Kind {
        match i % 20 {
            0..=4 => Kind::FirstPage,
            5..=7 => Kind::FilteredPage,
            8..=10 => Kind::NextPage,
            11 => Kind::BadMaxResults,
            12 => Kind::BadToken,
            13 => Kind::TokenOfAnotherFilter,
            14 => Kind::BadArn,
            15 => Kind::NotJson,
            16 => Kind::WrongTarget,
            17 => Kind::WrongContentType,
            18 => Kind::WrongMethod,
            _ => Kind::WrongPath,
        }
    }

    fn expected(self) -> (StatusCode, Option<&'static str>) {
        match self {
            Kind::FirstPage | Kind::FilteredPage | Kind::NextPage => (StatusCode::OK, None),
            Kind::BadMaxResults | Kind::BadArn => {
                (StatusCode::BAD_REQUEST, Some("InvalidInputException"))
            }
            Kind::BadToken | Kind::TokenOfAnotherFilter => {
                (StatusCode::BAD_REQUEST, Some("InvalidNextTokenException"))
            }
            Kind::NotJson => (StatusCode::BAD_REQUEST, Some("SerializationException")),
            Kind::WrongTarget | Kind::WrongContentType => {
                (StatusCode::BAD_REQUEST, Some("UnknownOperationException"))
            }
            Kind::WrongMethod => (
                StatusCode::METHOD_NOT_ALLOWED,
                Some("UnknownOperationException"),
            ),
            Kind::WrongPath => (StatusCode::NOT_FOUND, Some("UnknownOperationException")),
        }
    }
}

/// Tokens this connection was given, to ask for next pages with.
#[derive(Default)]
struct Tokens {
    unfiltered: Option<String>,
    filtered: Option<(usize, String)>,
}

fn request(kind: Kind, i: u64, tokens: &Tokens) -> Request<Full<Bytes>> {
    let size = (i % 100 + 1) as i64;
    let sv = SVS[(i / 20 % 4) as usize];
    let (method, path, target, content_type, body) = match kind {
        Kind::FirstPage => (
            "POST",
            "/",
            TARGET,
            JSON,
            json!({"maxResults": size}).to_string(),
        ),
        Kind::FilteredPage => (
            "POST",
            "/",
            TARGET,
            JSON,
            json!({"maxResults": size, "solutionVersionArn": sv}).to_string(),
        ),
        Kind::NextPage => {
            let body = match (&tokens.filtered, &tokens.unfiltered) {
                (Some((s, token)), _) if i % 2 == 0 => {
                    json!({"nextToken": token, "solutionVersionArn": SVS[*s], "maxResults": size})
                }
                (_, Some(token)) => json!({"nextToken": token, "maxResults": size}),
                _ => json!({"maxResults": size}),
            };
            ("POST", "/", TARGET, JSON, body.to_string())
        }
        Kind::BadMaxResults => (
            "POST",
            "/",
            TARGET,
            JSON,
            json!({"maxResults": if i % 2 == 0 { 0 } else { 101 + size }}).to_string(),
        ),
        Kind::BadToken => (
            "POST",
            "/",
            TARGET,
            JSON,
            json!({"nextToken": format!("forged-{i}")}).to_string(),
        ),
        Kind::TokenOfAnotherFilter => {
            let token = tokens.unfiltered.clone().unwrap_or_else(|| {
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()
            });
            (
                "POST",
                "/",
                TARGET,
                JSON,
                json!({"nextToken": token, "solutionVersionArn": sv}).to_string(),
            )
        }
        Kind::BadArn => (
            "POST",
            "/",
            TARGET,
            JSON,
            json!({"solutionVersionArn": format!("not-an-arn-{i}")}).to_string(),
        ),
        Kind::NotJson => ("POST", "/", TARGET, JSON, format!("{{\"maxResults\": {i}")),
        Kind::WrongTarget => (
            "POST",
            "/",
            "AmazonPersonalize.ListSolutions",
            JSON,
            "{}".to_owned(),
        ),
        Kind::WrongContentType => ("POST", "/", TARGET, "text/plain", "{}".to_owned()),
        Kind::WrongMethod => ("GET", "/", TARGET, JSON, String::new()),
        Kind::WrongPath => ("POST", "/v2/jobs", TARGET, JSON, "{}".to_owned()),
    };
    Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST))
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-type", content_type)
        .header("x-amz-target", target)
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
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
async fn worker(addr: String, next: Arc<AtomicU64>, total: u64) -> Tally {
    let mut tally = Tally::default();
    let mut tokens = Tokens::default();
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
        let kind = Kind::of(i);
        let started = Instant::now();
        let outcome = async {
            sender.ready().await.map_err(|e| e.to_string())?;
            let response = sender
                .send_request(request(kind, i, &tokens))
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
            let token = value
                .get("nextToken")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let filtered = request_filter(kind, i, &tokens);
            match (filtered, token) {
                (Some(s), Some(t)) => tokens.filtered = Some((s, t)),
                (Some(_), None) => tokens.filtered = None,
                (None, t) => tokens.unfiltered = t,
            }
        }
    }
}

/// Which solution version (index into `SVS`) a successful request of `kind` filtered on.
fn request_filter(kind: Kind, i: u64, tokens: &Tokens) -> Option<usize> {
    match kind {
        Kind::FilteredPage => Some((i / 20 % 4) as usize),
        Kind::NextPage if i % 2 == 0 => tokens.filtered.as_ref().map(|(s, _)| *s),
        _ => None,
    }
}

/// Resident set size of `pid`, in bytes (`/proc/<pid>/statm`, field 2, times the page size).
fn rss(pid: u32) -> Option<u64> {
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn seed_file(jobs: usize) -> Result<PathBuf, String> {
    let jobs: Vec<Value> = (0..jobs)
        .map(|n| {
            json!({
                "batchSegmentJobArn": format!("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/soak-{n:06}"),
                "jobName": format!("soak-{n:06}"),
                "status": if n % 7 == 0 { "CREATE FAILED" } else { "ACTIVE" },
                "creationDateTime": 1_700_000_000.0 + (n / 3) as f64 * 1.5,
                "lastUpdatedDateTime": 1_700_000_100.0 + n as f64,
                "solutionVersionArn": SVS[n % 4],
            })
        })
        .collect();
    let path =
        std::env::temp_dir().join(format!("personalize-soak-seed-{}.json", std::process::id()));
    std::fs::write(&path, json!({ "batchSegmentJobs": jobs }).to_string())
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
    let seed = seed_file(options.jobs)?;
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
        "soak: mock pid {pid} at {addr}, {} jobs; {} requests over {} connections",
        options.jobs, options.requests, options.connections
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
        .map(|_| tokio::spawn(worker(addr.clone(), next.clone(), options.requests)))
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
