//! The workload of the mock's in-process list benchmarks (`benches/page.rs`,
//! `examples/every_page.rs`): the jobs `personalize-bench` stores
//! ([`personalize_mock::sample`]), and the requests of a listing that walks all of them.

use bytes::Bytes;
use personalize_mock::{BatchSegmentJobStore, InvalidJob, MockService};

/// Jobs in the store the benchmarks list: 1,000 pages of 100.
pub const JOBS: usize = 100_000;

/// A handler serving [`JOBS`] of [`personalize_mock::sample`]'s jobs.
pub fn service() -> Result<MockService, InvalidJob> {
    let store = BatchSegmentJobStore::new();
    store.insert_many((0..JOBS).map(personalize_mock::sample::job))?;
    Ok(MockService::new(store))
}

/// An in-process `ListBatchSegmentJobs` request with this JSON body.
pub fn request(body: Bytes) -> http::Request<Bytes> {
    http::Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AmazonPersonalize.ListBatchSegmentJobs")
        .body(body)
        .unwrap()
}

/// The request bodies of every page of a listing of 100 at a time, in order.
pub fn every_page(service: &MockService) -> Vec<Bytes> {
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
