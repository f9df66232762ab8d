//! What goes on the wire and how responses are read: method, path, headers, compact JSON
//! body, request ids, exact timestamps, unknown members and nulls.

use crate::common::*;
use personalize_client::model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobs, ListBatchSegmentJobsInput,
};
use personalize_client::model::DateTime;
use personalize_client::RequestId;
use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::MockServer;

fn page() -> serde_json::Value {
    json!({
        "batchSegmentJobs": [{
            "batchSegmentJobArn": "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/segments-1",
            "jobName": "segments-1",
            "status": "ACTIVE",
            "creationDateTime": 1700000001.123,
            "lastUpdatedDateTime": 1700000361,
            "solutionVersionArn": ARN
        }]
    })
}

#[tokio::test]
async fn sends_post_slash_with_target_content_type_and_compact_body() {
    let server = MockServer::start().await;
    operation()
        .and(body_json(
            json!({"solutionVersionArn": ARN, "maxResults": 10, "nextToken": "t1"}),
        ))
        .respond_with(json_response(200, &page()))
        .expect(1)
        .mount(&server)
        .await;
    let output = client_for(&server)
        .list_batch_segment_jobs()
        .solution_version_arn(ARN)
        .max_results(10)
        .next_token("t1")
        .send()
        .await
        .unwrap();
    assert_eq!(output.request_id(), Some("req-1234"));

    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    // Compact JSON, members in model order, nothing else.
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        format!(r#"{{"solutionVersionArn":"{ARN}","nextToken":"t1","maxResults":10}}"#)
    );
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        header("user-agent").unwrap(),
        format!("personalize-client/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        header("content-length").unwrap(),
        request.body.len().to_string()
    );
    assert_eq!(header("host").unwrap(), server.address().to_string());
    let authorization = header("authorization").unwrap();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/us-east-1/personalize/aws4_request")
            && authorization.contains(
                "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target,"
            ),
        "{authorization}"
    );
    assert!(header("x-amz-date").is_some());
    assert_eq!(header("x-amz-security-token"), None);
}

#[tokio::test]
async fn empty_input_is_sent_as_empty_object() {
    let server = MockServer::start().await;
    operation()
        .and(body_json(json!({})))
        .respond_with(json_response(200, &json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let output = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap();
    assert_eq!(output.batch_segment_jobs, None);
    assert_eq!(output.next_token, None);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].body, b"{}");
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let server = MockServer::start().await;
    operation()
        .and(wiremock::matchers::header(
            "x-amz-security-token",
            "session-token-1",
        ))
        .respond_with(json_response(200, &json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let config = config_for(&server)
        .credentials(personalize_client::Credentials::new(
            ACCESS_KEY_ID,
            SECRET,
            Some("session-token-1".to_owned()),
        ))
        .build()
        .unwrap();
    personalize_client::Client::new(config)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let authorization = requests[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        authorization.contains(";x-amz-date;x-amz-security-token;x-amz-target,"),
        "{authorization}"
    );
}

#[tokio::test]
async fn timestamps_are_exact_to_the_millisecond() {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(200, &page()))
        .mount(&server)
        .await;
    let output = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap();
    let job = &output.batch_segment_jobs.unwrap()[0];
    assert_eq!(
        job.creation_date_time,
        Some(DateTime::from_millis(1_700_000_001_123))
    );
    assert_eq!(
        job.last_updated_date_time,
        Some(DateTime::from_secs(1_700_000_361))
    );
}

#[tokio::test]
async fn unknown_members_are_ignored_and_null_is_absent() {
    let server = MockServer::start().await;
    let body = json!({
        "batchSegmentJobs": [{"jobName": "j", "failureReason": null, "brandNewMember": {"x": [1, 2]}}],
        "nextToken": null,
        "somethingAddedLater": 42
    });
    operation()
        .respond_with(json_response(200, &body))
        .mount(&server)
        .await;
    let output = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap();
    let job = &output.batch_segment_jobs.as_ref().unwrap()[0];
    assert_eq!(job.job_name.as_deref(), Some("j"));
    assert_eq!(job.failure_reason, None);
    assert_eq!(output.next_token, None);
}

#[tokio::test]
async fn generic_call_is_the_same_request_as_the_fluent_builder() {
    let server = MockServer::start().await;
    operation()
        .and(body_json(json!({"maxResults": 3})))
        .respond_with(json_response(200, &json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let input = ListBatchSegmentJobsInput::builder().max_results(3).build();
    client_for(&server)
        .call::<ListBatchSegmentJobs>(input)
        .await
        .unwrap();
}

#[tokio::test]
async fn success_body_that_is_not_the_output_is_a_response_error() {
    let server = MockServer::start().await;
    operation()
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .insert_header("x-amzn-RequestId", "req-bad")
                .set_body_raw("<html>oops</html>", "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, personalize_client::Error::Response(_)),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some("req-bad"));
    let text = error.to_string();
    assert!(
        text.contains("ListBatchSegmentJobs response (HTTP 200, request id req-bad)"),
        "{text}"
    );
    assert!(text.contains("<html>oops</html>"), "{text}");
}

#[tokio::test]
async fn wrong_member_type_in_success_body_is_a_response_error() {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(
            200,
            &json!({"batchSegmentJobs": "not a list"}),
        ))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, personalize_client::Error::Response(_)),
        "{error:?}"
    );
}
