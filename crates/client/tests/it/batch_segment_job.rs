//! CreateBatchSegmentJob and DescribeBatchSegmentJob through the generated fluent builders:
//! what goes on the wire, how outputs parse, and that every modeled error comes out typed.

use crate::common::*;
use personalize_client::model::operation::create_batch_segment_job::{
    CreateBatchSegmentJob, CreateBatchSegmentJobError, CreateBatchSegmentJobInput,
};
use personalize_client::model::operation::describe_batch_segment_job::DescribeBatchSegmentJobError;
use personalize_client::model::types::{
    BatchSegmentJobInput, BatchSegmentJobOutput, S3DataConfig, Tag,
};
use personalize_client::model::DateTime;
use personalize_client::{Error, OperationError, RequestId};
use rstest::rstest;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer};

const CREATE: &str = "AmazonPersonalize.CreateBatchSegmentJob";
const DESCRIBE: &str = "AmazonPersonalize.DescribeBatchSegmentJob";
const JOB_ARN: &str = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/segments-1";
const ROLE: &str = "arn:aws:iam::123456789012:role/PersonalizeS3";

fn target(target: &'static str) -> MockBuilder {
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("x-amz-target", target))
        .and(header("content-type", CONTENT_TYPE))
}

fn s3(path: &str) -> S3DataConfig {
    S3DataConfig::builder().path(path).build()
}

#[tokio::test]
async fn create_sends_every_member_and_parses_the_arn() {
    let server = MockServer::start().await;
    target(CREATE)
        .and(body_json(json!({
            "jobName": "segments-1",
            "solutionVersionArn": ARN,
            "filterArn": "arn:aws:personalize:us-east-1:123456789012:filter/f1",
            "numResults": 25,
            "jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
            "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/", "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"}},
            "roleArn": ROLE,
            "tags": [{"tagKey": "team", "tagValue": "ml"}]
        })))
        .respond_with(json_response(200, &json!({"batchSegmentJobArn": JOB_ARN})))
        .expect(1)
        .mount(&server)
        .await;

    let output = client_for(&server)
        .create_batch_segment_job()
        .job_name("segments-1")
        .solution_version_arn(ARN)
        .filter_arn("arn:aws:personalize:us-east-1:123456789012:filter/f1")
        .num_results(25)
        .job_input(
            BatchSegmentJobInput::builder()
                .s3_data_source(s3("s3://bucket/in.json"))
                .build(),
        )
        .job_output(
            BatchSegmentJobOutput::builder()
                .s3_data_destination(
                    S3DataConfig::builder()
                        .path("s3://bucket/out/")
                        .kms_key_arn("arn:aws:kms:us-east-1:123456789012:key/k")
                        .build(),
                )
                .build(),
        )
        .role_arn(ROLE)
        .tags(vec![Tag::builder().tag_key("team").tag_value("ml").build()])
        .send()
        .await
        .unwrap();
    assert_eq!(output.batch_segment_job_arn.as_deref(), Some(JOB_ARN));
    assert_eq!(output.request_id(), Some("req-1234"));
}

#[tokio::test]
async fn create_through_the_generic_entry_point_sends_the_same_body() {
    let server = MockServer::start().await;
    target(CREATE)
        .and(body_json(json!({
            "jobName": "j",
            "solutionVersionArn": ARN,
            "jobInput": {"s3DataSource": {"path": "s3://b/in"}},
            "jobOutput": {"s3DataDestination": {"path": "s3://b/out"}},
            "roleArn": ROLE
        })))
        .respond_with(json_response(200, &json!({"batchSegmentJobArn": JOB_ARN})))
        .expect(1)
        .mount(&server)
        .await;
    let input = CreateBatchSegmentJobInput::builder()
        .job_name("j")
        .solution_version_arn(ARN)
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
        .build();
    let output = client_for(&server)
        .call::<CreateBatchSegmentJob>(input)
        .await
        .unwrap();
    assert_eq!(output.batch_segment_job_arn.as_deref(), Some(JOB_ARN));
}

#[tokio::test]
async fn describe_sends_the_arn_and_parses_the_whole_job() {
    let server = MockServer::start().await;
    target(DESCRIBE)
        .and(body_json(json!({"batchSegmentJobArn": JOB_ARN})))
        .respond_with(json_response(
            200,
            &json!({"batchSegmentJob": {
                "jobName": "segments-1",
                "batchSegmentJobArn": JOB_ARN,
                "filterArn": "arn:aws:personalize:us-east-1:123456789012:filter/f1",
                "failureReason": null,
                "solutionVersionArn": ARN,
                "numResults": 25,
                "jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
                "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/", "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"}},
                "roleArn": ROLE,
                "status": "IN PROGRESS",
                "creationDateTime": 1700000000.125,
                "lastUpdatedDateTime": 1700000060,
                "somethingNew": {"ignored": true}
            }}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let output = client_for(&server)
        .describe_batch_segment_job()
        .batch_segment_job_arn(JOB_ARN)
        .send()
        .await
        .unwrap();
    assert_eq!(output.request_id(), Some("req-1234"));
    let job = output.batch_segment_job.unwrap();
    assert_eq!(job.job_name.as_deref(), Some("segments-1"));
    assert_eq!(job.batch_segment_job_arn.as_deref(), Some(JOB_ARN));
    assert_eq!(
        job.filter_arn.as_deref(),
        Some("arn:aws:personalize:us-east-1:123456789012:filter/f1")
    );
    assert_eq!(job.failure_reason, None);
    assert_eq!(job.solution_version_arn.as_deref(), Some(ARN));
    assert_eq!(job.num_results, Some(25));
    let input_path = job
        .job_input
        .and_then(|i| i.s3_data_source)
        .and_then(|s| s.path);
    assert_eq!(input_path.as_deref(), Some("s3://bucket/in.json"));
    let destination = job.job_output.and_then(|o| o.s3_data_destination).unwrap();
    assert_eq!(destination.path.as_deref(), Some("s3://bucket/out/"));
    assert_eq!(
        destination.kms_key_arn.as_deref(),
        Some("arn:aws:kms:us-east-1:123456789012:key/k")
    );
    assert_eq!(job.role_arn.as_deref(), Some(ROLE));
    assert_eq!(job.status.as_deref(), Some("IN PROGRESS"));
    assert_eq!(
        job.creation_date_time,
        Some(DateTime::from_micros(1_700_000_000_125_000))
    );
    assert_eq!(
        job.last_updated_date_time,
        Some(DateTime::from_micros(1_700_000_060_000_000))
    );
}

/// Which variant a Create error came out as.
fn create_variant(e: &CreateBatchSegmentJobError) -> &'static str {
    match e {
        CreateBatchSegmentJobError::InvalidInputException(_) => "InvalidInputException",
        CreateBatchSegmentJobError::LimitExceededException(_) => "LimitExceededException",
        CreateBatchSegmentJobError::ResourceAlreadyExistsException(_) => {
            "ResourceAlreadyExistsException"
        }
        CreateBatchSegmentJobError::ResourceInUseException(_) => "ResourceInUseException",
        CreateBatchSegmentJobError::ResourceNotFoundException(_) => "ResourceNotFoundException",
        CreateBatchSegmentJobError::TooManyTagsException(_) => "TooManyTagsException",
        CreateBatchSegmentJobError::Unhandled(_) => "Unhandled",
        other => panic!("unexpected variant {other:?}"),
    }
}

/// Which variant a Describe error came out as.
fn describe_variant(e: &DescribeBatchSegmentJobError) -> &'static str {
    match e {
        DescribeBatchSegmentJobError::InvalidInputException(_) => "InvalidInputException",
        DescribeBatchSegmentJobError::ResourceNotFoundException(_) => "ResourceNotFoundException",
        DescribeBatchSegmentJobError::Unhandled(_) => "Unhandled",
        other => panic!("unexpected variant {other:?}"),
    }
}

#[rstest]
#[case::invalid_input(400, "InvalidInputException", "InvalidInputException")]
#[case::limit_exceeded(400, "LimitExceededException", "LimitExceededException")]
#[case::already_exists(
    400,
    "ResourceAlreadyExistsException",
    "ResourceAlreadyExistsException"
)]
#[case::already_exists_model_status(
    403,
    "ResourceAlreadyExistsException",
    "ResourceAlreadyExistsException"
)]
#[case::in_use(400, "ResourceInUseException", "ResourceInUseException")]
#[case::not_found(400, "ResourceNotFoundException", "ResourceNotFoundException")]
#[case::too_many_tags(400, "TooManyTagsException", "TooManyTagsException")]
#[case::not_modeled_for_create(400, "InvalidNextTokenException", "Unhandled")]
#[tokio::test]
async fn create_errors_are_typed_and_not_retried(
    #[case] status: u16,
    #[case] code: &str,
    #[case] variant: &str,
) {
    let server = MockServer::start().await;
    target(CREATE)
        .respond_with(json_response(
            status,
            &json!({"__type": code, "message": format!("{code} says no")}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let error = client_for(&server)
        .create_batch_segment_job()
        .job_name("segments-1")
        .send()
        .await
        .unwrap_err();
    let Error::Service(service) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(create_variant(service.err()), variant);
    assert_eq!(service.err().is_modeled(), variant != "Unhandled");
    assert_eq!(service.code(), code);
    assert_eq!(service.message(), Some(format!("{code} says no").as_str()));
    assert_eq!(service.status(), status);
    assert_eq!(service.request_id(), Some("req-1234"));
}

#[rstest]
#[case::invalid_input(400, "InvalidInputException", "InvalidInputException")]
#[case::not_found(400, "ResourceNotFoundException", "ResourceNotFoundException")]
#[case::not_found_model_status(404, "ResourceNotFoundException", "ResourceNotFoundException")]
#[case::not_modeled_for_describe(400, "ResourceAlreadyExistsException", "Unhandled")]
#[tokio::test]
async fn describe_errors_are_typed_and_not_retried(
    #[case] status: u16,
    #[case] code: &str,
    #[case] variant: &str,
) {
    let server = MockServer::start().await;
    target(DESCRIBE)
        .respond_with(json_response(
            status,
            &json!({"__type": code, "message": "Could not find it"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let error = client_for(&server)
        .describe_batch_segment_job()
        .batch_segment_job_arn(JOB_ARN)
        .send()
        .await
        .unwrap_err();
    let service = error.as_service_error().unwrap();
    assert_eq!(describe_variant(service.err()), variant);
    assert_eq!(service.code(), code);
    assert_eq!(service.message(), Some("Could not find it"));
    assert_eq!(service.status(), status);
}

#[tokio::test]
async fn validate_before_send_checks_nested_and_required_members() {
    let server = MockServer::start().await;
    target(CREATE)
        .respond_with(json_response(200, &json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let client = personalize_client::Client::new(
        config_for(&server)
            .validate_before_send(true)
            .build()
            .unwrap(),
    );
    let error = client
        .create_batch_segment_job()
        .job_name("bad name")
        .solution_version_arn(ARN)
        .num_results(0)
        .job_input(BatchSegmentJobInput::builder().build())
        .job_output(
            BatchSegmentJobOutput::builder()
                .s3_data_destination(s3("ftp://nope"))
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    let Error::Construction(construction) = &error else {
        panic!("{error:?}")
    };
    let text = construction.to_string();
    for needle in [
        "Value 'bad name' at 'jobName'",
        "at 'jobInput.s3DataSource' failed to satisfy constraint: Member must not be null",
        "Value 'ftp://nope' at 'jobOutput.s3DataDestination.path'",
        "at 'roleArn' failed to satisfy constraint: Member must not be null",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
}
