//! Property tests: paging any store with any page size and filter returns every matching job
//! exactly once, in the documented order (newest `creationDateTime` first, ties in insertion
//! order, jobs without a timestamp last), through the typed `Handler` API and through the
//! in-process HTTP handler; jobs inserted while a listing runs do not disturb it.

use std::cmp::Reverse;

use bytes::Bytes;
use http::{Method, Request};
use personalize_mock::{Context, Handler, MockService, Reply};
use personalize_model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobs, ListBatchSegmentJobsInput, ListBatchSegmentJobsOutput,
};
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::DateTime;
use proptest::prelude::*;

use crate::common::seed_of;

const SVS: [&str; 3] = [
    "arn:aws:personalize:us-east-1:123456789012:solution/a/1",
    "arn:aws:personalize:us-east-1:123456789012:solution/b/2",
    "arn:aws:personalize:us-east-1:123456789012:solution/c/3",
];
const UNKNOWN_SV: &str = "arn:aws:personalize:us-east-1:123456789012:solution/none/0";

fn job() -> impl Strategy<Value = BatchSegmentJobSummary> {
    (
        // A small ARN alphabet so that some inserts replace earlier jobs.
        "[a-d]{1,3}",
        // A few timestamps so that ties (broken by insertion order) are common, and some jobs
        // have none.
        proptest::option::weighted(0.9, 0i64..6),
        proptest::option::weighted(0.8, 0usize..2),
        proptest::option::of("[a-z][a-z0-9-]{0,10}"),
        proptest::option::of(prop_oneof![
            Just("ACTIVE"),
            Just("CREATE FAILED"),
            Just("PENDING")
        ]),
    )
        .prop_map(|(id, created, sv, name, status)| {
            BatchSegmentJobSummary::builder()
                .batch_segment_job_arn(format!(
                    "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/{id}"
                ))
                .set_creation_date_time(
                    created.map(|t| DateTime::from_millis(1_700_000_000_000 + t * 1_500)),
                )
                .set_last_updated_date_time(created.map(|t| DateTime::from_micros(t * 7)))
                .set_solution_version_arn(sv.map(|i| SVS[i].to_owned()))
                .set_job_name(name)
                .set_status(status.map(str::to_owned))
                .build()
        })
}

#[derive(Clone, Copy, Debug)]
enum Filter {
    None,
    Known(usize),
    Unknown,
}

impl Filter {
    fn arn(self) -> Option<&'static str> {
        match self {
            Filter::None => None,
            Filter::Known(i) => Some(SVS[i]),
            Filter::Unknown => Some(UNKNOWN_SV),
        }
    }
}

fn filter() -> impl Strategy<Value = Filter> {
    prop_oneof![
        2 => Just(Filter::None),
        2 => (0usize..3).prop_map(Filter::Known),
        1 => Just(Filter::Unknown),
    ]
}

/// What a listing must return, computed without the store: last insert per ARN wins (in the
/// place of the first), then the filter, then the documented order.
fn expected(jobs: &[BatchSegmentJobSummary], filter: Option<&str>) -> Vec<BatchSegmentJobSummary> {
    let mut latest: Vec<(usize, BatchSegmentJobSummary)> = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        match latest
            .iter_mut()
            .find(|(_, j)| j.batch_segment_job_arn == job.batch_segment_job_arn)
        {
            Some(slot) => slot.1 = job.clone(),
            None => latest.push((i, job.clone())),
        }
    }
    latest.retain(|(_, j)| filter.is_none() || j.solution_version_arn.as_deref() == filter);
    latest.sort_by_key(|(i, j)| {
        (
            Reverse(j.creation_date_time.map_or(i64::MIN, |t| t.as_micros())),
            *i,
        )
    });
    latest.into_iter().map(|(_, j)| j).collect()
}

/// A handler holding `jobs`, stored one at a time (a later job replaces one with its ARN).
fn service_with(jobs: &[BatchSegmentJobSummary]) -> MockService {
    let service = MockService::default();
    for job in jobs {
        service.seed(&seed_of(std::slice::from_ref(job))).unwrap();
    }
    service
}

/// One page, through the typed `Handler` API or as JSON through the in-process HTTP handler.
fn page(
    service: &MockService,
    over_http: bool,
    filter: Option<&str>,
    page_size: Option<i32>,
    token: Option<String>,
) -> ListBatchSegmentJobsOutput {
    let input = ListBatchSegmentJobsInput::builder()
        .set_solution_version_arn(filter.map(str::to_owned))
        .set_max_results(page_size)
        .set_next_token(token)
        .build();
    if !over_http {
        let ctx = Context {
            request_id: "paging".to_owned(),
            account: personalize_mock::DEFAULT_ACCOUNT.to_owned(),
            region: personalize_mock::DEFAULT_REGION.to_owned(),
        };
        return match service
            .generic::<ListBatchSegmentJobs>(&ctx, input)
            .unwrap()
        {
            Reply::Output(output) => output,
            Reply::Json(bytes) => serde_json::from_slice(&bytes).unwrap(),
        };
    }
    let body = serde_json::to_vec(&input).unwrap();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AmazonPersonalize.ListBatchSegmentJobs")
        .body(Bytes::from(body))
        .unwrap();
    let response = service.handle(request);
    assert_eq!(response.status(), 200, "{:?}", response.body());
    serde_json::from_slice(response.body()).unwrap()
}

/// Follows the tokens to the end, checking each page's size; `between` runs after each page.
fn list_all(
    service: &MockService,
    over_http: bool,
    filter: Option<&str>,
    page_size: Option<i32>,
    mut between: impl FnMut(usize),
) -> Vec<BatchSegmentJobSummary> {
    let limit = page_size.map_or(100, |n| n as usize);
    let mut all = Vec::new();
    let mut token = None;
    for pages in 0.. {
        assert!(pages <= 1000, "paging does not end");
        let output = page(service, over_http, filter, page_size, token.take());
        let jobs = output.batch_segment_jobs.unwrap_or_default();
        assert!(
            jobs.len() <= limit,
            "page of {} jobs for page size {limit}",
            jobs.len()
        );
        if output.next_token.is_some() {
            // A page with a token is full: a short page means the listing ended.
            assert_eq!(jobs.len(), limit, "short page with a next token");
        }
        all.extend(jobs);
        between(pages);
        match output.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    all
}

fn arns(jobs: &[BatchSegmentJobSummary]) -> Vec<&str> {
    jobs.iter()
        .map(|j| j.batch_segment_job_arn.as_deref().unwrap_or(""))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_job_once_in_order(
        jobs in proptest::collection::vec(job(), 0..150),
        page_size in proptest::option::weighted(0.9, prop_oneof![1i32..=5, 1i32..=100]),
        filter in filter(),
        over_http in any::<bool>(),
    ) {
        let service = service_with(&jobs);
        let want = expected(&jobs, filter.arn());
        let got = list_all(&service, over_http, filter.arn(), page_size, |_| {});
        prop_assert_eq!(arns(&got), arns(&want));
        prop_assert_eq!(got, want);
    }

    #[test]
    fn inserts_during_a_listing_do_not_disturb_it(
        jobs in proptest::collection::vec(job(), 1..100),
        added in proptest::collection::vec(job(), 1..40),
        page_size in 1i32..=10,
        filter in filter(),
    ) {
        let service = service_with(&jobs);
        let want = expected(&jobs, filter.arn());
        // New jobs (ARNs not stored yet, any timestamps) arrive after every page.
        let mut added = added.into_iter().map(|mut job| {
            let arn = job.batch_segment_job_arn.take().unwrap();
            job.batch_segment_job_arn = Some(arn.replace("job/", "job/new-"));
            job
        });
        let got = list_all(&service, false, filter.arn(), Some(page_size), |_| {
            if let Some(job) = added.next() {
                service.seed(&seed_of(&[job])).unwrap();
            }
        });
        prop_assert_eq!(arns(&got), arns(&want));
    }
}
