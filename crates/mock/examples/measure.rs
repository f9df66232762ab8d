//! Measures the store's memory per job and first-page vs deep-page latency with 1,000,000 jobs.
//!
//! `cargo run --release -p personalize-mock --example measure [-- JOBS]`
//!
//! A quick measurement, not a benchmark suite: the jobs are written to a seed file (in the
//! temporary directory, removed after) and loaded from it as `--seed FILE` loads them; memory
//! is counted by a wrapping global allocator (live heap bytes after loading, input freed),
//! latency is the in-process handler (JSON parsing, token check, store lookup, page) without
//! the network.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use personalize_mock::sample::{job, solution_version};
use personalize_mock::MockService;
use serde_json::{json, Value};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn request(service: &MockService, body: &Value) -> Value {
    let request = http::Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AmazonPersonalize.ListBatchSegmentJobs")
        .body(Bytes::from(body.to_string()))
        .expect("a valid request");
    let response = service.handle(request);
    assert_eq!(response.status(), 200, "{:?}", response.body());
    serde_json::from_slice(response.body()).expect("JSON body")
}

/// Median latency of `runs` identical requests.
fn median(service: &MockService, body: &Value, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let page = request(service, body);
            let elapsed = started.elapsed();
            assert!(page["batchSegmentJobs"]
                .as_array()
                .is_some_and(|a| !a.is_empty()));
            elapsed
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Walks a listing to the end; returns the token of the last page with a token, and the count.
fn walk(service: &MockService, mut body: Value) -> (Option<String>, usize) {
    let mut count = 0;
    let mut deepest = None;
    loop {
        let page = request(service, &body);
        count += page["batchSegmentJobs"].as_array().map_or(0, Vec::len);
        match page["nextToken"].as_str() {
            Some(token) => {
                deepest = Some(token.to_owned());
                body["nextToken"] = token.into();
            }
            None => return (deepest, count),
        }
    }
}

/// Writes a seed file of jobs `0..total` (`{"batchSegmentJobs":[…]}`), a job at a time.
fn write_seed(path: &std::path::Path, total: usize) {
    let file = std::fs::File::create(path).expect("a writable temporary directory");
    let mut out = std::io::BufWriter::new(file);
    out.write_all(b"{\"batchSegmentJobs\":[").expect("writable");
    for n in 0..total {
        if n > 0 {
            out.write_all(b",").expect("writable");
        }
        serde_json::to_writer(&mut out, &job(n)).expect("serializable");
    }
    out.write_all(b"]}").expect("writable");
    out.flush().expect("writable");
}

fn main() {
    let total: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let path = std::env::temp_dir().join(format!(
        "personalize-measure-seed-{}.json",
        std::process::id()
    ));
    write_seed(&path, total);
    let service = MockService::default();
    let before = LIVE.load(Ordering::Relaxed);
    let started = Instant::now();
    let file = std::fs::File::open(&path).expect("the seed file just written");
    let stored = service
        .seed_reader(std::io::BufReader::new(file))
        .expect("valid jobs");
    let load = started.elapsed();
    let _ = std::fs::remove_file(&path);
    assert_eq!(stored, total);
    let bytes = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "loaded {total} jobs in {load:.2?}: {} bytes live, {:.0} bytes/job",
        bytes,
        bytes as f64 / total as f64
    );
    let sample = serde_json::to_vec(&job(123_456)).expect("serializable");
    println!("(a typical job is {} bytes as JSON)", sample.len());

    let first = json!({"maxResults": 100});
    let (deep_token, listed) = walk(&service, first.clone());
    assert_eq!(listed, total, "the listing returned every job once");
    let deep = json!({"maxResults": 100, "nextToken": deep_token});
    println!(
        "page of 100, unfiltered: first {:?}, last (after {} jobs) {:?} (median of 200)",
        median(&service, &first, 200),
        total - 100,
        median(&service, &deep, 200)
    );

    let sv = solution_version(7);
    let first = json!({"maxResults": 100, "solutionVersionArn": sv});
    let (deep_token, listed) = walk(&service, first.clone());
    let deep = json!({"maxResults": 100, "solutionVersionArn": sv, "nextToken": deep_token});
    println!(
        "page of 100, filtered ({listed} jobs of one solution version): first {:?}, last {:?} (median of 200)",
        median(&service, &first, 200),
        median(&service, &deep, 200)
    );
}
