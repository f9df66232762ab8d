//! The AWS SDK for Rust against the running mock: paginator, typed errors, exact timestamps;
//! creating, describing and listing a batch segment job.

use std::time::Duration;

use crate::common::*;
use aws_sdk_personalize::operation::create_batch_segment_job::CreateBatchSegmentJobError;
use aws_sdk_personalize::operation::describe_batch_segment_job::DescribeBatchSegmentJobError;
use aws_sdk_personalize::operation::list_batch_segment_jobs::ListBatchSegmentJobsError;
use aws_sdk_personalize::types::{BatchSegmentJobInput, BatchSegmentJobOutput, S3DataConfig, Tag};
use aws_sdk_personalize::Client;
use personalize_mock::{MockServer, Schedule, Schedules};

fn client(url: &str) -> Client {
    Client::from_conf(crate::common::sdk_config(url).build())
}

/// The SDK reads epoch seconds through an f64; round to the millisecond to compare.
fn millis(t: &aws_sdk_personalize::primitives::DateTime) -> i64 {
    (t.as_secs_f64() * 1000.0).round() as i64
}

#[tokio::test]
async fn paginator_lists_every_job_once_in_order() {
    let all = jobs(41);
    let server = MockServer::builder().seed(&all).start().await.unwrap();
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
    let server = MockServer::builder().seed(&jobs(4)).start().await.unwrap();
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
    let server = MockServer::builder().seed(&jobs(2)).start().await.unwrap();
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
    let server = MockServer::builder().seed(&jobs(6)).start().await.unwrap();
    let other = MockServer::builder().seed(&jobs(6)).start().await.unwrap();
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

fn s3(path: &str) -> S3DataConfig {
    S3DataConfig::builder().path(path).build().unwrap()
}

#[tokio::test]
async fn sdk_creates_describes_and_lists_a_job() {
    let server = MockServer::builder()
        .seed(&parents())
        .schedules(Schedules::all(Schedule::new(
            Duration::from_secs(3600),
            Duration::ZERO,
        )))
        .start()
        .await
        .unwrap();
    let client = client(&server.url());
    let created = client
        .create_batch_segment_job()
        .job_name("sdk-job")
        .solution_version_arn(SDK_SV)
        .num_results(10)
        .job_input(
            BatchSegmentJobInput::builder()
                .s3_data_source(s3("s3://bucket/in.json"))
                .build(),
        )
        .job_output(
            BatchSegmentJobOutput::builder()
                .s3_data_destination(s3("s3://bucket/out/"))
                .build(),
        )
        .role_arn(ROLE)
        .tags(Tag::builder().tag_key("k").tag_value("v").build().unwrap())
        .send()
        .await
        .unwrap();
    let arn = created.batch_segment_job_arn().unwrap();
    assert_eq!(
        arn,
        "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/sdk-job"
    );

    let described = client
        .describe_batch_segment_job()
        .batch_segment_job_arn(arn)
        .send()
        .await
        .unwrap();
    let job = described.batch_segment_job().unwrap();
    assert_eq!(job.job_name(), Some("sdk-job"));
    assert_eq!(job.status(), Some("PENDING"));
    assert_eq!(job.num_results(), Some(10));
    assert_eq!(job.role_arn(), Some(ROLE));
    assert_eq!(job.solution_version_arn(), Some(SDK_SV));
    assert_eq!(
        job.job_input().unwrap().s3_data_source().unwrap().path(),
        "s3://bucket/in.json"
    );
    assert_eq!(
        job.job_output()
            .unwrap()
            .s3_data_destination()
            .unwrap()
            .path(),
        "s3://bucket/out/"
    );
    assert_eq!(job.creation_date_time(), job.last_updated_date_time());

    let listed = client.list_batch_segment_jobs().send().await.unwrap();
    let summary = &listed.batch_segment_jobs()[0];
    assert_eq!(summary.batch_segment_job_arn(), Some(arn));
    assert_eq!(summary.status(), Some("PENDING"));
    assert_eq!(summary.creation_date_time(), job.creation_date_time());
}

#[tokio::test]
async fn sdk_gets_typed_already_exists_not_found_and_invalid_input() {
    let server = MockServer::builder()
        .seed(&parents())
        .start()
        .await
        .unwrap();
    let client = client(&server.url());
    let create = || {
        client
            .create_batch_segment_job()
            .job_name("twice")
            .solution_version_arn(SDK_SV)
            .job_input(
                BatchSegmentJobInput::builder()
                    .s3_data_source(s3("s3://b/in"))
                    .build(),
            )
            .job_output(
                BatchSegmentJobOutput::builder()
                    .s3_data_destination(s3("s3://b/out"))
                    .build(),
            )
            .role_arn(ROLE)
    };
    create().send().await.unwrap();
    let err = create().send().await.unwrap_err().into_service_error();
    assert!(
        matches!(
            err,
            CreateBatchSegmentJobError::ResourceAlreadyExistsException(_)
        ),
        "{err:?}"
    );

    let err = create()
        .job_name("bad name")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(err, CreateBatchSegmentJobError::InvalidInputException(_)),
        "{err:?}"
    );

    let err = client
        .describe_batch_segment_job()
        .batch_segment_job_arn("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/none")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let DescribeBatchSegmentJobError::ResourceNotFoundException(e) = err else {
        panic!("{err:?}")
    };
    assert!(e.message().unwrap().contains("batch-segment-job/none"));
}
