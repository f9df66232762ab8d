//! The exchanges recorded from boto3, the AWS CLI, the JS SDK v3 and the Rust SDK, replayed:
//! the same call through this client must send the same request (by JSON meaning, same target
//! and content type) and read the recorded response the same way.

use crate::common::*;
use personalize_client::model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobs, ListBatchSegmentJobsError, ListBatchSegmentJobsOutput,
};
use personalize_client::model::DateTime;
use personalize_client::{Client, Error, FluentBuilder};
use rstest::rstest;
use serde_json::Value;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The fluent call that asks for what a recorded body asks for.
fn call_for(client: &Client, body: &Value) -> FluentBuilder<ListBatchSegmentJobs> {
    let member = |name: &str| body.get(name).filter(|v| !v.is_null());
    client
        .list_batch_segment_jobs()
        .set_solution_version_arn(
            member("solutionVersionArn").map(|v| v.as_str().unwrap().to_owned()),
        )
        .set_next_token(member("nextToken").map(|v| v.as_str().unwrap().to_owned()))
        .set_max_results(member("maxResults").map(|v| i32::try_from(v.as_i64().unwrap()).unwrap()))
}

/// The recorded request's own matchers: method, path, target, content type and JSON body.
fn mock_for(recording: &Recording, body: &Value) -> wiremock::MockBuilder {
    Mock::given(method(recording.method.as_str()))
        .and(path(recording.path.as_str()))
        .and(header(
            "x-amz-target",
            recording.headers["x-amz-target"].as_str(),
        ))
        .and(header(
            "content-type",
            recording.headers["content-type"].as_str(),
        ))
        .and(body_json(body.clone()))
}

fn assert_output_matches(output: &ListBatchSegmentJobsOutput, recorded: &Value, who: &str) {
    let reserialized = serde_json::to_value(output).unwrap();
    // The recorded responses carry no nulls, so dropping absent members loses nothing.
    assert_eq!(
        &reserialized, recorded,
        "{who}: output differs from the recorded body"
    );
    let jobs = output.batch_segment_jobs.as_deref().unwrap_or_default();
    let recorded_jobs = recorded["batchSegmentJobs"].as_array().unwrap();
    assert_eq!(jobs.len(), recorded_jobs.len());
    for (job, raw) in jobs.iter().zip(recorded_jobs) {
        // 1700000001.123 must come out as ...001.123, not ...001.122999.
        let millis = (raw["creationDateTime"].as_f64().unwrap() * 1000.0).round() as i64;
        assert_eq!(
            job.creation_date_time,
            Some(DateTime::from_millis(millis)),
            "{who}"
        );
        assert_eq!(job.job_name.as_deref(), raw["jobName"].as_str());
        assert_eq!(job.status.as_deref(), raw["status"].as_str());
        assert_eq!(job.failure_reason.as_deref(), raw["failureReason"].as_str());
    }
}

#[rstest]
#[tokio::test]
async fn replayed_exchange(
    #[values(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)] index: usize,
) {
    let recordings = recordings();
    assert_eq!(recordings.len(), 18, "the recording set changed");
    let recording = &recordings[index];
    let who = format!("recording {index} ({})", recording.client);
    let sent: Value = serde_json::from_str(&recording.body).unwrap();

    let server = MockServer::start().await;
    let response = ResponseTemplate::new(recording.response.status)
        .insert_header("x-amzn-RequestId", format!("req-{index}"))
        .set_body_raw(
            serde_json::to_vec(&recording.response.body).unwrap(),
            CONTENT_TYPE,
        );
    mock_for(recording, &sent)
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;

    let result = call_for(&client_for(&server), &sent).send().await;

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "{who}");
    let ours: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(ours, sent, "{who}: request body differs in meaning");
    if recording.client == "aws-sdk-rust" || recording.client == "aws-sdk-js-v3" {
        // These two send compact JSON in model member order, as this client does: byte-equal.
        assert_eq!(
            std::str::from_utf8(&received[0].body).unwrap(),
            recording.body,
            "{who}"
        );
    }

    let recorded = &recording.response.body;
    match recording.response.status {
        200 => {
            let output = result.unwrap_or_else(|e| panic!("{who}: {e}"));
            assert_eq!(
                personalize_client::RequestId::request_id(&output),
                Some(format!("req-{index}").as_str())
            );
            assert_output_matches(&output, recorded, &who);
        }
        status => {
            let error = result.unwrap_err();
            assert_eq!(error.status(), Some(status), "{who}");
            assert_eq!(error.code(), recorded["__type"].as_str(), "{who}");
            assert_eq!(error.message(), recorded["message"].as_str(), "{who}");
            let modeled = match error.err().unwrap() {
                ListBatchSegmentJobsError::InvalidInputException(e) => e.message.clone(),
                ListBatchSegmentJobsError::InvalidNextTokenException(e) => e.message.clone(),
                other => panic!("{who}: not a modeled error: {other:?}"),
            };
            assert_eq!(modeled.as_deref(), recorded["message"].as_str());
        }
    }
}

#[tokio::test]
async fn rust_sdk_paginated_session_replayed_through_items() {
    // The Rust SDK's `into_paginator().items()` with max_results 2: two requests, three jobs.
    let recordings = recordings();
    let session: Vec<&Recording> = recordings
        .iter()
        .filter(|r| {
            r.client == "aws-sdk-rust"
                && r.body.contains(ARN)
                && r.body.contains("\"maxResults\":2")
        })
        .collect();
    assert_eq!(session.len(), 2);
    let server = MockServer::start().await;
    for recording in &session {
        let sent: Value = serde_json::from_str(&recording.body).unwrap();
        mock_for(recording, &sent)
            .respond_with(json_response(
                recording.response.status,
                &recording.response.body,
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let jobs = client_for(&server)
        .list_batch_segment_jobs()
        .solution_version_arn(ARN)
        .into_paginator()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = jobs
        .iter()
        .map(|j| j.job_name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["segments-1", "segments-2", "segments-3"]);
    assert_eq!(
        jobs[0].creation_date_time,
        Some(DateTime::from_millis(1_700_000_001_123))
    );
    let received = server.received_requests().await.unwrap();
    let bodies: Vec<&str> = received
        .iter()
        .map(|r| std::str::from_utf8(&r.body).unwrap())
        .collect();
    let recorded: Vec<&str> = session.iter().map(|r| r.body.as_str()).collect();
    assert_eq!(bodies, recorded);
}

#[tokio::test]
async fn recorded_modeled_errors_keep_their_type() {
    let recordings = recordings();
    let server = MockServer::start().await;
    let recording = recordings
        .iter()
        .find(|r| {
            r.client == "aws-sdk-rust" && r.response.status == 400 && r.body.contains("bogus")
        })
        .unwrap();
    Mock::given(method("POST"))
        .respond_with(json_response(400, &recording.response.body))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .list_batch_segment_jobs()
        .next_token("bogus")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Service(ref e) if matches!(e.err(), ListBatchSegmentJobsError::InvalidNextTokenException(_))
    ));
}
