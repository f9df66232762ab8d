//! The workload of the mock's in-process list benchmarks (`benches/page.rs`,
//! `examples/every_page.rs`): the resources `personalize-bench` stores
//! ([`personalize_mock::sample`]), seeded as a seed file would be, and the requests of a
//! listing that walks all of them.

use bytes::Bytes;
use personalize_mock::{MockService, SeedError};

/// Resources of each kind in the store the benchmarks list: 1,000 pages of 100.
pub const RESOURCES: usize = 100_000;

/// Resources are seeded this many at a time (one chunk's seed is all the input held at once).
const CHUNK: usize = 10_000;

/// A kind of resource the workload lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Batch segment jobs (`ListBatchSegmentJobs`).
    Jobs,
    /// Dataset groups (`ListDatasetGroups`).
    Groups,
}

impl Kind {
    /// The kind named `jobs` or `groups`.
    #[allow(dead_code)]
    pub fn parse(name: &str) -> Option<Kind> {
        match name {
            "jobs" => Some(Kind::Jobs),
            "groups" => Some(Kind::Groups),
            _ => None,
        }
    }

    /// The awsJson target of the kind's List operation.
    pub fn target(self) -> &'static str {
        match self {
            Kind::Jobs => "AmazonPersonalize.ListBatchSegmentJobs",
            Kind::Groups => "AmazonPersonalize.ListDatasetGroups",
        }
    }
}

/// Seeds resources `start..end` of `kind` into `service`.
fn seed(service: &MockService, kind: Kind, start: usize, end: usize) -> Result<usize, SeedError> {
    use personalize_mock::sample::{dataset_group, job};
    match kind {
        Kind::Jobs => service.seed(&serde_json::json!({
            "batchSegmentJobs": (start..end).map(job).collect::<Vec<_>>()
        })),
        Kind::Groups => service.seed(&serde_json::json!({
            "datasetGroups": (start..end).map(dataset_group).collect::<Vec<_>>()
        })),
    }
}

/// A handler serving [`RESOURCES`] of [`personalize_mock::sample`]'s resources of each of
/// `kinds`.
pub fn service(kinds: &[Kind]) -> Result<MockService, SeedError> {
    let service = MockService::new();
    for &kind in kinds {
        for start in (0..RESOURCES).step_by(CHUNK) {
            seed(&service, kind, start, (start + CHUNK).min(RESOURCES))?;
        }
    }
    Ok(service)
}

/// An in-process request to `target` with this JSON body.
pub fn request(target: &str, body: Bytes) -> http::Request<Bytes> {
    http::Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", target)
        .body(body)
        .unwrap()
}

/// The request bodies of every page of `kind`'s listing, 100 at a time, in order.
pub fn every_page(service: &MockService, kind: Kind) -> Vec<Bytes> {
    let mut bodies = vec![Bytes::from_static(br#"{"maxResults":100}"#)];
    loop {
        let response = service.handle(request(kind.target(), bodies[bodies.len() - 1].clone()));
        assert_eq!(response.status(), 200, "{:?}", response.body());
        let output: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        let Some(token) = output["nextToken"].as_str() else {
            return bodies;
        };
        let body = serde_json::json!({"maxResults": 100, "nextToken": token});
        bodies.push(Bytes::from(serde_json::to_vec(&body).unwrap()));
    }
}
