//! Serde round trips of every body the real AWS clients sent and received
//! (spec/recordings/real-clients.json, a copy of ../shared/recordings), and of timestamps with milliseconds.

use personalize_model::error::{InvalidInputException, InvalidNextTokenException};
use personalize_model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobsError, ListBatchSegmentJobsInput, ListBatchSegmentJobsOutput,
};
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::{DateTime, OperationError};
use rstest::rstest;
use serde_json::{json, Value};

fn recordings() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/recordings/real-clients.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_request_body_round_trips() {
    let records = recordings();
    assert_eq!(records.len(), 18);
    for r in &records {
        let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
        let input: ListBatchSegmentJobsInput = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(
            serde_json::to_value(&input).unwrap(),
            body,
            "{}",
            r["client"]
        );
    }
}

#[test]
fn every_response_body_round_trips() {
    for r in recordings() {
        let body = r["response"]["body"].clone();
        if r["response"]["status"] == 200 {
            let output: ListBatchSegmentJobsOutput = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(serde_json::to_value(&output).unwrap(), body);
        } else {
            let code = body["__type"].as_str().unwrap();
            let message = body["message"].as_str().map(str::to_owned);
            let err = ListBatchSegmentJobsError::from_code(code, message);
            assert!(err.is_modeled(), "{code}");
            let mut rebuilt = match &err {
                ListBatchSegmentJobsError::InvalidInputException(e) => serde_json::to_value(e),
                ListBatchSegmentJobsError::InvalidNextTokenException(e) => serde_json::to_value(e),
                other => panic!("unexpected {other:?}"),
            }
            .unwrap();
            rebuilt["__type"] = json!(err.code());
            assert_eq!(rebuilt, body);
        }
    }
}

#[test]
fn recorded_timestamp_reads_exact_to_the_millisecond() {
    let r = &recordings()[0];
    let output: ListBatchSegmentJobsOutput =
        serde_json::from_value(r["response"]["body"].clone()).unwrap();
    let first = &output.batch_segment_jobs.as_ref().unwrap()[0];
    assert_eq!(
        first.creation_date_time.unwrap().to_rfc3339(),
        "2023-11-14T22:13:21.123Z"
    );
}

#[rstest]
#[case("1700000001.123", "2023-11-14T22:13:21.123Z")]
#[case("1700000001", "2023-11-14T22:13:21Z")]
#[case("1700000001.5", "2023-11-14T22:13:21.500Z")]
#[case("1700000001.999", "2023-11-14T22:13:21.999Z")]
#[case("1700000001.001", "2023-11-14T22:13:21.001Z")]
fn timestamps_with_milliseconds_round_trip(#[case] wire: &str, #[case] rfc3339: &str) {
    let body = format!("{{\"creationDateTime\":{wire}}}");
    let summary: BatchSegmentJobSummary = serde_json::from_str(&body).unwrap();
    let t: DateTime = summary.creation_date_time.unwrap();
    assert_eq!(t.to_rfc3339(), rfc3339);
    assert_eq!(serde_json::to_string(&summary).unwrap(), body);
}

#[test]
fn unknown_members_are_ignored_and_null_reads_as_absent() {
    let summary: BatchSegmentJobSummary = serde_json::from_value(json!({
        "jobName": "j", "status": null, "somethingNew": {"x": 1}
    }))
    .unwrap();
    assert_eq!(summary.job_name.as_deref(), Some("j"));
    assert_eq!(summary.status, None);
    assert_eq!(
        serde_json::to_value(&summary).unwrap(),
        json!({"jobName": "j"})
    );
}

#[test]
fn error_structs_carry_code_status_and_message() {
    assert_eq!(InvalidInputException::CODE, "InvalidInputException");
    assert_eq!(InvalidNextTokenException::HTTP_STATUS, 400);
    let e = InvalidNextTokenException::new(Some("Invalid next token".into()));
    assert_eq!(
        e.to_string(),
        "InvalidNextTokenException: Invalid next token"
    );
    let unknown = ListBatchSegmentJobsError::from_code("ThrottlingException", None);
    assert!(!unknown.is_modeled());
    assert_eq!(unknown.code(), "ThrottlingException");
}
