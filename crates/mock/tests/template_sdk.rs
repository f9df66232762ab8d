//! The AWS SDK for Rust creates, describes and lists a batch segment job on the running mock,
//! and gets the modeled errors typed.

use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_personalize::config::{BehaviorVersion, Region};
use aws_sdk_personalize::operation::create_batch_segment_job::CreateBatchSegmentJobError;
use aws_sdk_personalize::operation::describe_batch_segment_job::DescribeBatchSegmentJobError;
use aws_sdk_personalize::types::{BatchSegmentJobInput, BatchSegmentJobOutput, S3DataConfig, Tag};
use aws_sdk_personalize::{Client, Config};
use personalize_mock::{JobSchedule, MockServer};

const SV: &str = "arn:aws:personalize:us-east-1:123456789012:solution/movies/7c1b2a3d";
const ROLE: &str = "arn:aws:iam::123456789012:role/PersonalizeS3";

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

fn s3(path: &str) -> S3DataConfig {
    S3DataConfig::builder().path(path).build().unwrap()
}

#[tokio::test]
async fn sdk_creates_describes_and_lists_a_job() {
    let server = MockServer::start().await.unwrap();
    server
        .service()
        .set_job_schedule(JobSchedule::new(Duration::from_secs(3600), Duration::ZERO));
    let client = client(&server.url());
    let created = client
        .create_batch_segment_job()
        .job_name("sdk-job")
        .solution_version_arn(SV)
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
    assert_eq!(job.solution_version_arn(), Some(SV));
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
    let server = MockServer::start().await.unwrap();
    let client = client(&server.url());
    let create = || {
        client
            .create_batch_segment_job()
            .job_name("twice")
            .solution_version_arn(SV)
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
        .job_name("other")
        .num_results(0)
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
