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
use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsInput;

mod workload;

use workload::{every_page, request};

fn page(c: &mut Criterion) {
    let service = workload::service().expect("valid jobs");
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
    assert_eq!(
        bodies.len(),
        workload::JOBS / 100,
        "every page holds 100 jobs"
    );
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
