//! The AWS SDK for Rust against the running mock: paginator, typed errors, exact timestamps.

mod common;

use aws_credential_types::Credentials;
use aws_sdk_personalize::config::{BehaviorVersion, Region};
use aws_sdk_personalize::operation::list_batch_segment_jobs::ListBatchSegmentJobsError;
use aws_sdk_personalize::{Client, Config};
use common::*;
use personalize_mock::MockServer;

fn client(url: &str) -> Client {
    let config = Config::builder()
        .endpoint_url(url)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        ))
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

/// The SDK reads epoch seconds through an f64; round to the millisecond to compare.
fn millis(t: &aws_sdk_personalize::primitives::DateTime) -> i64 {
    (t.as_secs_f64() * 1000.0).round() as i64
}

#[tokio::test]
async fn paginator_lists_every_job_once_in_order() {
    let all = jobs(41);
    let server = MockServer::builder()
        .seed(all.clone())
        .start()
        .await
        .unwrap();
    let client = client(&server.url());
    for filter in [None, Some(SV1)] {
        let items: Vec<_> = client
            .list_batch_segment_jobs()
            .set_solution_version_arn(filter.map(str::to_owned))
            .max_results(2)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .unwrap();
        let arns: Vec<String> = items
            .iter()
            .map(|j| j.batch_segment_job_arn().unwrap().to_owned())
            .collect();
        assert_eq!(arns, expected_order(&all, filter));
        for item in &items {
            let arn = item.batch_segment_job_arn().unwrap();
            let source = all
                .iter()
                .find(|j| j.batch_segment_job_arn.as_deref() == Some(arn))
                .unwrap();
            assert_eq!(
                millis(item.creation_date_time().unwrap()),
                source.creation_date_time.unwrap().as_millis()
            );
            assert_eq!(item.job_name(), source.job_name.as_deref());
            assert_eq!(item.status(), source.status.as_deref());
            assert_eq!(item.failure_reason(), source.failure_reason.as_deref());
            assert_eq!(
                item.solution_version_arn(),
                source.solution_version_arn.as_deref()
            );
        }
    }
}

#[tokio::test]
async fn pages_of_two_end_without_token() {
    let server = MockServer::builder().seed(jobs(4)).start().await.unwrap();
    let pages: Vec<_> = client(&server.url())
        .list_batch_segment_jobs()
        .max_results(2)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].next_token().is_some());
    assert_eq!(pages[1].next_token(), None);
    assert!(pages.iter().all(|p| p.batch_segment_jobs().len() == 2));
}

#[tokio::test]
async fn invalid_input_is_a_typed_error() {
    let server = MockServer::builder().seed(jobs(2)).start().await.unwrap();
    let client = client(&server.url());
    for max in [0, 101] {
        let err = client
            .list_batch_segment_jobs()
            .max_results(max)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        match err {
            ListBatchSegmentJobsError::InvalidInputException(e) => {
                let message = e.message().unwrap();
                assert!(
                    message.starts_with("1 validation error detected: Value '")
                        && message.contains("at 'maxResults' failed to satisfy constraint"),
                    "{message}"
                );
            }
            other => panic!("expected InvalidInputException, got {other:?}"),
        }
    }
    let err = client
        .list_batch_segment_jobs()
        .solution_version_arn("not-an-arn")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_input_exception(), "{err:?}");
}

#[tokio::test]
async fn invalid_next_token_is_a_typed_error() {
    let server = MockServer::builder().seed(jobs(6)).start().await.unwrap();
    let other = MockServer::builder().seed(jobs(6)).start().await.unwrap();
    let client = client(&server.url());
    let first = client
        .list_batch_segment_jobs()
        .solution_version_arn(SV1)
        .max_results(1)
        .send()
        .await
        .unwrap();
    let token = first.next_token().unwrap().to_owned();
    let attempts = [
        (client.clone(), Some(SV1), "bogus".to_owned()),
        (client.clone(), Some(SV2), token.clone()),
        (client.clone(), None, token.clone()),
        (self::client(&other.url()), Some(SV1), token.clone()),
        (
            client.clone(),
            Some(SV1),
            token[..token.len() - 2].to_owned(),
        ),
    ];
    for (client, filter, token) in attempts {
        let err = client
            .list_batch_segment_jobs()
            .set_solution_version_arn(filter.map(str::to_owned))
            .next_token(token)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        match err {
            ListBatchSegmentJobsError::InvalidNextTokenException(e) => {
                assert!(e.message().unwrap().starts_with("Invalid next token"));
            }
            other => panic!("expected InvalidNextTokenException, got {other:?}"),
        }
    }
    // The genuine token still works, with another page size.
    let second = client
        .list_batch_segment_jobs()
        .solution_version_arn(SV1)
        .max_results(100)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.batch_segment_jobs().len(), 2);
    assert_eq!(second.next_token(), None);
}
