//! The cost of answering one `ListBatchSegmentJobs` page of 100 from a store of 100,000 typical
//! jobs, in process: `cargo bench -p personalize-mock --bench page`.
//!
//! - `serde`: build the `BatchSegmentJobSummary` values and serialize the output with serde
//!   (what the handler did before the page writer);
//! - `page_writer`: write the body straight from the store (what the handler does);
//! - `handle`: the whole handler on an HTTP request (parse, validate, token, page, headers);
//! - `handle_every_page`: the same, each call asking for the next of the store's 1,000 pages
//!   (the throughput benchmark's load): the pages' jobs are seldom in cache, as in a real
//!   listing, and every request but the first carries a `nextToken` to open.

use std::hint::black_box;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use personalize_mock::{BatchSegmentJobStore, MockService};
use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsInput;
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::DateTime;

const STATUSES: [&str; 4] = ["ACTIVE", "CREATE FAILED", "PENDING", "IN PROGRESS"];

/// Job `n` as the benchmark (`personalize-bench`) stores it.
fn job(n: usize) -> BatchSegmentJobSummary {
    let created = 1_600_000_000_000 + (n as i64) * 37;
    let status = STATUSES[n % STATUSES.len()];
    let v = n % 100;
    BatchSegmentJobSummary::builder()
        .batch_segment_job_arn(format!(
            "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/segments-{n:07}"
        ))
        .job_name(format!("segments-{n:07}"))
        .status(status)
        .creation_date_time(DateTime::from_millis(created))
        .last_updated_date_time(DateTime::from_millis(created + 600_000))
        .set_failure_reason(
            (status == "CREATE FAILED")
                .then(|| "Insufficient data in the dataset group".to_owned()),
        )
        .solution_version_arn(format!(
            "arn:aws:personalize:us-east-1:123456789012:solution/segments-{v}/{v:08x}"
        ))
        .build()
}

/// A `ListBatchSegmentJobs` request for 100 jobs with this JSON body.
fn request(body: Bytes) -> http::Request<Bytes> {
    http::Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AmazonPersonalize.ListBatchSegmentJobs")
        .body(body)
        .unwrap()
}

/// The request bodies of every page of a listing of 100 at a time, in order.
fn every_page(service: &MockService) -> Vec<Bytes> {
    let mut bodies = vec![Bytes::from_static(br#"{"maxResults":100}"#)];
    loop {
        let response = service.handle(request(bodies[bodies.len() - 1].clone()));
        let output: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        let Some(token) = output["nextToken"].as_str() else {
            return bodies;
        };
        let body = serde_json::json!({"maxResults": 100, "nextToken": token});
        bodies.push(Bytes::from(serde_json::to_vec(&body).unwrap()));
    }
}

fn page(c: &mut Criterion) {
    let store = BatchSegmentJobStore::new();
    store
        .insert_many((0..100_000).map(job))
        .expect("valid jobs");
    let service = MockService::new(store);
    let input = ListBatchSegmentJobsInput::builder()
        .max_results(100)
        .build();
    let serde_body = serde_json::to_vec(&service.list_batch_segment_jobs(&input).unwrap()).unwrap();
    let written = service.list_batch_segment_jobs_body(&input).unwrap();
    assert_eq!(
        &written[..],
        &serde_body[..],
        "both paths write the same bytes"
    );

    let mut group = c.benchmark_group("list_page_of_100");
    group.bench_function("serde", |b| {
        b.iter(|| {
            let output = service.list_batch_segment_jobs(black_box(&input)).unwrap();
            serde_json::to_vec(&output).unwrap()
        })
    });
    group.bench_function("page_writer", |b| {
        b.iter(|| {
            service
                .list_batch_segment_jobs_body(black_box(&input))
                .unwrap()
        })
    });
    group.bench_function("handle", |b| {
        b.iter(|| {
            let body = Bytes::from_static(br#"{"maxResults":100}"#);
            service.handle(black_box(request(body)))
        })
    });
    let bodies = every_page(&service);
    assert_eq!(bodies.len(), 1000, "100,000 jobs make 1,000 pages of 100");
    let mut next = bodies.iter().cycle();
    group.bench_function("handle_every_page", |b| {
        b.iter(|| {
            let body = next.next().cloned().unwrap_or_default();
            let response = service.handle(black_box(request(body)));
            assert_eq!(response.status(), 200);
            response
        })
    });
    group.finish();
}

criterion_group!(benches, page);
criterion_main!(benches);
