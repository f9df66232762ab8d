//! The cost of answering one List page of 100 from a store of 100,000 typical resources of
//! each of two kinds, in process: `cargo bench -p personalize-mock --bench page`.
//!
//! - `handle/<kind>`: the whole handler on an HTTP request for the first page (parse,
//!   validate, engine, page, headers);
//! - `handle_every_page/<kind>`: the same, each call asking for the next of the kind's 1,000
//!   pages (the throughput benchmark's load): the pages' resources are seldom in cache, as in a
//!   real listing, and every request but the first carries a `nextToken` to open.
//!
//! `<kind>` is `ListBatchSegmentJobs` or `ListDatasetGroups`.

use std::hint::black_box;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};

mod workload;

use workload::{every_page, request, Kind};

fn page(c: &mut Criterion) {
    let kinds = [Kind::Jobs, Kind::Groups];
    let service = workload::service(&kinds).expect("valid resources");
    let mut group = c.benchmark_group("list_page_of_100");
    for kind in kinds {
        let operation = kind.target().trim_start_matches("AmazonPersonalize.");
        group.bench_function(format!("handle/{operation}"), |b| {
            b.iter(|| {
                let body = Bytes::from_static(br#"{"maxResults":100}"#);
                service.handle(black_box(request(kind.target(), body)))
            })
        });
        let bodies = every_page(&service, kind);
        assert_eq!(
            bodies.len(),
            workload::RESOURCES / 100,
            "every page holds 100 resources"
        );
        let mut next = bodies.iter().cycle();
        group.bench_function(format!("handle_every_page/{operation}"), |b| {
            b.iter(|| {
                let body = next.next().cloned().unwrap_or_default();
                let response = service.handle(black_box(request(kind.target(), body)));
                assert_eq!(response.status(), 200);
                response
            })
        });
    }
    group.finish();
}

criterion_group!(benches, page);
criterion_main!(benches);
