//! Paginators: token following, stop conditions, repeated tokens, items and page size.

use crate::common::*;
use futures_util::StreamExt;
use personalize_client::{Error, PaginationError};
use rstest::rstest;
use serde_json::{json, Value};
use wiremock::matchers::body_json;
use wiremock::MockServer;

fn jobs(names: &[&str]) -> Value {
    Value::Array(names.iter().map(|n| json!({"jobName": n})).collect())
}

/// Mounts page `n` (answering the request `request`) returning `response`.
async fn page(server: &MockServer, request: Value, response: Value) {
    operation()
        .and(body_json(request))
        .respond_with(json_response(200, &response))
        .expect(1)
        .mount(server)
        .await;
}

#[rstest]
#[case::missing_token(json!({"batchSegmentJobs": [{"jobName": "c"}]}))]
#[case::null_token(json!({"batchSegmentJobs": [{"jobName": "c"}], "nextToken": null}))]
#[case::empty_token(json!({"batchSegmentJobs": [{"jobName": "c"}], "nextToken": ""}))]
#[tokio::test]
async fn follows_tokens_and_stops_on_missing_null_or_empty(#[case] last: Value) {
    let server = MockServer::start().await;
    page(
        &server,
        json!({"solutionVersionArn": ARN, "maxResults": 2}),
        json!({"batchSegmentJobs": jobs(&["a", "b"]), "nextToken": "t2"}),
    )
    .await;
    page(
        &server,
        json!({"solutionVersionArn": ARN, "maxResults": 2, "nextToken": "t2"}),
        last,
    )
    .await;
    let names: Vec<String> = client_for(&server)
        .list_batch_segment_jobs()
        .solution_version_arn(ARN)
        .into_paginator()
        .page_size(2)
        .items()
        .map(|item| item.unwrap().job_name.unwrap())
        .collect()
        .await;
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn pages_stream_yields_each_output_with_its_request_id() {
    let server = MockServer::start().await;
    page(
        &server,
        json!({}),
        json!({"batchSegmentJobs": jobs(&["a"]), "nextToken": "t2"}),
    )
    .await;
    page(
        &server,
        json!({"nextToken": "t2"}),
        json!({"batchSegmentJobs": jobs(&["b"])}),
    )
    .await;
    let pages = client_for(&server)
        .list_batch_segment_jobs()
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].next_token.as_deref(), Some("t2"));
    assert_eq!(pages[1].next_token, None);
    for p in &pages {
        assert_eq!(
            personalize_client::RequestId::request_id(p),
            Some("req-1234")
        );
    }
}

#[tokio::test]
async fn repeated_token_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    page(
        &server,
        json!({}),
        json!({"batchSegmentJobs": jobs(&["a"]), "nextToken": "same"}),
    )
    .await;
    page(
        &server,
        json!({"nextToken": "same"}),
        json!({"batchSegmentJobs": jobs(&["a"]), "nextToken": "same"}),
    )
    .await;
    let mut pages = client_for(&server)
        .list_batch_segment_jobs()
        .into_paginator();
    assert!(pages.next().await.unwrap().is_ok());
    assert!(pages.next().await.unwrap().is_ok());
    let error = pages.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Pagination(PaginationError::RepeatedToken { token, .. }) if token == "same"
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("same next token it was sent"),
        "{error}"
    );
    assert!(pages.next().await.is_none());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn starting_token_that_comes_back_is_a_repeat() {
    let server = MockServer::start().await;
    page(
        &server,
        json!({"nextToken": "start"}),
        json!({"batchSegmentJobs": jobs(&["x"]), "nextToken": "start"}),
    )
    .await;
    let results: Vec<_> = client_for(&server)
        .list_batch_segment_jobs()
        .next_token("start")
        .into_paginator()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().job_name.as_deref(), Some("x"));
    assert!(matches!(results[1], Err(Error::Pagination(_))));
}

#[tokio::test]
async fn a_service_error_ends_the_stream() {
    let server = MockServer::start().await;
    page(
        &server,
        json!({}),
        json!({"batchSegmentJobs": jobs(&["a"]), "nextToken": "t2"}),
    )
    .await;
    operation()
        .and(body_json(json!({"nextToken": "t2"})))
        .respond_with(json_response(
            400,
            &json!({"__type": "InvalidNextTokenException", "message": "Invalid next token"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let mut items = client_for(&server)
        .list_batch_segment_jobs()
        .into_paginator()
        .items();
    assert_eq!(
        items.next().await.unwrap().unwrap().job_name.as_deref(),
        Some("a")
    );
    let error = items.next().await.unwrap().unwrap_err();
    assert_eq!(error.code(), Some("InvalidNextTokenException"));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn empty_pages_with_a_token_are_followed() {
    let server = MockServer::start().await;
    page(
        &server,
        json!({}),
        json!({"batchSegmentJobs": [], "nextToken": "t2"}),
    )
    .await;
    page(
        &server,
        json!({"nextToken": "t2"}),
        json!({"nextToken": "t3"}),
    )
    .await;
    page(
        &server,
        json!({"nextToken": "t3"}),
        json!({"batchSegmentJobs": jobs(&["z"])}),
    )
    .await;
    let items = client_for(&server)
        .list_batch_segment_jobs()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].job_name.as_deref(), Some("z"));
}
