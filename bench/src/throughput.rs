//! Section 1: mock throughput versus a bare hyper server returning the same page bytes.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::Deserialize;

use crate::child::ServerChild;
use crate::load::{self, Connection, Load};
use crate::resources::Kind;
use crate::stats::{median, percentile};
use crate::sys;

/// Settings of the throughput section.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The kind listed.
    pub kind: Kind,
    /// Resources of each kind in the store.
    pub resources: usize,
    /// Connection counts to measure.
    pub connections: Vec<usize>,
    /// Measured runs per server and connection count (alternating servers).
    pub rounds: usize,
    /// Length of one measured run.
    pub duration: Duration,
    /// Request cap of one run.
    pub max_requests: u64,
}

/// Figures of one connection count.
#[derive(Clone, Debug)]
pub struct Row {
    /// The kind listed.
    pub kind: Kind,
    /// Concurrent connections.
    pub connections: usize,
    /// Median requests per second of the mock.
    pub mock_rate: f64,
    /// Median requests per second of the bare server.
    pub bare_rate: f64,
    /// Median of the per-round mock/bare rate ratios.
    pub ratio: f64,
    /// Median latency (µs) of the mock.
    pub mock_p50_us: f64,
    /// 99th percentile latency (µs) of the mock (all rounds).
    pub mock_p99_us: f64,
    /// Median latency (µs) of the bare server.
    pub bare_p50_us: f64,
    /// Median server CPU time per request (µs) of the mock process.
    pub mock_cpu_us: f64,
    /// Median server CPU time per request (µs) of the bare process.
    pub bare_cpu_us: f64,
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(rename = "nextToken")]
    next_token: Option<String>,
}

fn body(token: Option<&str>) -> Bytes {
    let value = match token {
        Some(t) => serde_json::json!({"maxResults": 100, "nextToken": t}),
        None => serde_json::json!({"maxResults": 100}),
    };
    Bytes::from(value.to_string())
}

/// Walks the whole listing of `kind` once, returning the request body of every page (the
/// first has no token) and the size of the first answer.
pub async fn page_requests(addr: SocketAddr, kind: Kind) -> Result<(Vec<Bytes>, usize), String> {
    let mut connection = Connection::open(addr, kind.target()).await?;
    let mut bodies = vec![body(None)];
    let mut first_len = 0;
    loop {
        let request = bodies[bodies.len() - 1].clone();
        let (status, answer) = connection.call(request).await?;
        if status != 200 {
            return Err(format!(
                "walking the listing: status {status}: {}",
                String::from_utf8_lossy(&answer)
            ));
        }
        if first_len == 0 {
            first_len = answer.len();
        }
        let page: TokenOnly =
            serde_json::from_slice(&answer).map_err(|e| format!("answer is not JSON: {e}"))?;
        match page.next_token {
            Some(token) => bodies.push(body(Some(&token))),
            None => return Ok((bodies, first_len)),
        }
    }
}

struct Sample {
    rate: f64,
    latencies_us: Vec<f64>,
    cpu_us_per_request: f64,
}

async fn measure(
    server: &ServerChild,
    bodies: &Arc<Vec<Bytes>>,
    connections: usize,
    settings: &Settings,
    min_len: usize,
) -> Result<Sample, String> {
    let warm = Load {
        connections,
        max_requests: settings.max_requests,
        duration: Duration::from_millis(300),
    };
    load::run(
        server.addr,
        settings.kind.target(),
        bodies.clone(),
        &warm,
        min_len,
    )
    .await?;
    let measured = Load {
        connections,
        max_requests: settings.max_requests,
        duration: settings.duration,
    };
    let cpu_before = sys::cpu_of(server.pid())?;
    let outcome = load::run(
        server.addr,
        settings.kind.target(),
        bodies.clone(),
        &measured,
        min_len,
    )
    .await?;
    let cpu = sys::cpu_of(server.pid())?.saturating_sub(cpu_before);
    Ok(Sample {
        rate: outcome.rate(),
        cpu_us_per_request: cpu.as_secs_f64() * 1e6 / outcome.ok.max(1) as f64,
        latencies_us: outcome.latencies_us,
    })
}

/// The mock child of the section: `resources` of each kind.
pub fn spawn_mock(resources: usize) -> Result<ServerChild, String> {
    let n = resources.to_string();
    ServerChild::spawn_self(&["serve-mock", "--jobs", &n, "--groups", &n])
}

/// Runs the section for `settings.kind` against `mock` (from [`spawn_mock`]) and a bare
/// server child answering that kind's first page, runs alternating between them.
pub fn run(mock: &ServerChild, settings: &Settings) -> Result<Vec<Row>, String> {
    let n = settings.resources.to_string();
    let bare = ServerChild::spawn_self(&[
        "serve-bare",
        "--kind",
        settings.kind.arg(),
        "--resources",
        &n,
    ])?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let (bodies, first_len) = page_requests(mock.addr, settings.kind).await?;
        let expected_pages = settings.resources.div_ceil(100).max(1);
        if bodies.len() != expected_pages {
            return Err(format!(
                "the listing of {} {} had {} pages, expected {expected_pages}",
                settings.resources,
                settings.kind.member(),
                bodies.len()
            ));
        }
        let bodies = Arc::new(bodies);
        // Every answer is a full page: allow for shorter names of lower numbers only.
        let min_len = first_len * 9 / 10;
        let mut rows = Vec::new();
        for &connections in &settings.connections {
            let (mut mocks, mut bares) = (Vec::new(), Vec::new());
            for round in 0..settings.rounds {
                if round % 2 == 0 {
                    bares.push(measure(&bare, &bodies, connections, settings, min_len).await?);
                    mocks.push(measure(mock, &bodies, connections, settings, min_len).await?);
                } else {
                    mocks.push(measure(mock, &bodies, connections, settings, min_len).await?);
                    bares.push(measure(&bare, &bodies, connections, settings, min_len).await?);
                }
            }
            let rates = |s: &[Sample]| s.iter().map(|s| s.rate).collect::<Vec<_>>();
            let cpus = |s: &[Sample]| s.iter().map(|s| s.cpu_us_per_request).collect::<Vec<_>>();
            let p50s = |s: &[Sample]| {
                s.iter()
                    .map(|s| median(&s.latencies_us))
                    .collect::<Vec<_>>()
            };
            let ratios: Vec<f64> = mocks
                .iter()
                .zip(&bares)
                .map(|(m, b)| m.rate / b.rate.max(1e-9))
                .collect();
            let all_mock: Vec<f64> = mocks.iter().flat_map(|s| s.latencies_us.clone()).collect();
            let row = Row {
                kind: settings.kind,
                connections,
                mock_rate: median(&rates(&mocks)),
                bare_rate: median(&rates(&bares)),
                ratio: median(&ratios),
                mock_p50_us: median(&p50s(&mocks)),
                mock_p99_us: percentile(&all_mock, 0.99),
                bare_p50_us: median(&p50s(&bares)),
                mock_cpu_us: median(&cpus(&mocks)),
                bare_cpu_us: median(&cpus(&bares)),
            };
            eprintln!(
                "  {} {connections:>2} connections: mock {:.0} req/s, bare {:.0} req/s, ratio {:.2}; server CPU/request mock {:.1} µs, bare {:.1} µs",
                settings.kind.operation(), row.mock_rate, row.bare_rate, row.ratio, row.mock_cpu_us, row.bare_cpu_us
            );
            rows.push(row);
        }
        Ok(rows)
    })
}
