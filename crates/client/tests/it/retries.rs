//! Standard-mode retries and timeouts.

use std::time::Duration;

use crate::common::*;
use personalize_client::{Client, Error, Jitter, RandomJitter, RetryConfig, TimeoutKind};
use rstest::rstest;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

fn ok() -> ResponseTemplate {
    json_response(
        200,
        &json!({"batchSegmentJobs": [{"jobName": "after-retry"}]}),
    )
}

#[rstest]
#[case::service_unavailable(503, json!({}))]
#[case::internal_error(500, json!({"__type": "InternalFailure"}))]
#[case::bad_gateway(502, json!({}))]
#[case::throttling_400(400, json!({"__type": "ThrottlingException", "message": "Rate exceeded"}))]
#[case::too_many_requests(400, json!({"__type": "TooManyRequestsException"}))]
#[case::request_limit(400, json!({"__type": "RequestLimitExceeded"}))]
#[case::status_429(429, json!({}))]
#[tokio::test]
async fn retryable_failure_then_success_succeeds(
    #[case] status: u16,
    #[case] body: serde_json::Value,
) {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(status, &body))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    operation()
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let output = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap();
    assert_eq!(
        output.batch_segment_jobs.unwrap()[0].job_name.as_deref(),
        Some("after-retry")
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn three_server_errors_fail_after_exactly_three_attempts() {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(
            500,
            &json!({"__type": "InternalFailure", "message": "boom"}),
        ))
        .expect(3)
        .mount(&server)
        .await;
    let error = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.code(), Some("InternalFailure"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[rstest]
#[case::one(1)]
#[case::five(5)]
#[tokio::test]
async fn max_attempts_is_honoured(#[case] attempts: u32) {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(503, &json!({})))
        .mount(&server)
        .await;
    let config = config_for(&server)
        .retry(fast_retry().with_max_attempts(attempts))
        .build()
        .unwrap();
    Client::new(config)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        usize::try_from(attempts).unwrap()
    );
}

#[rstest]
#[case::invalid_input("InvalidInputException")]
#[case::invalid_next_token("InvalidNextTokenException")]
#[tokio::test]
async fn modeled_400_is_not_retried(#[case] code: &str) {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(
            400,
            &json!({"__type": code, "message": "no"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let error = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(code));
    assert!(personalize_client::OperationError::is_modeled(
        error.err().unwrap()
    ));
}

#[tokio::test]
async fn unmodeled_client_error_is_not_retried() {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(
            400,
            &json!({"__type": "ValidationException"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
}

#[test]
fn backoff_is_the_jitter_fraction_of_an_exponential_ceiling_capped_at_max() {
    let retry = RetryConfig::standard()
        .with_base_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(1000));
    assert_eq!(retry.backoff_ceiling(1), Duration::from_millis(100));
    assert_eq!(retry.backoff_ceiling(2), Duration::from_millis(200));
    assert_eq!(retry.backoff_ceiling(3), Duration::from_millis(400));
    assert_eq!(retry.backoff_ceiling(5), Duration::from_millis(1000));
    assert_eq!(retry.backoff_ceiling(200), Duration::from_millis(1000));
    // Full jitter: anywhere from nothing to the ceiling, as the fraction says.
    assert_eq!(retry.backoff(3, 0.0), Duration::ZERO);
    assert_eq!(retry.backoff(3, 0.25), Duration::from_millis(100));
    assert_eq!(retry.backoff(3, 0.5), Duration::from_millis(200));
    assert_eq!(retry.backoff(200, 0.5), Duration::from_millis(500));
    // Fractions out of range are clamped, never a panic or a wait beyond the ceiling.
    assert_eq!(retry.backoff(2, 7.0), Duration::from_millis(200));
    assert_eq!(retry.backoff(2, -1.0), Duration::ZERO);
    assert_eq!(retry.backoff(2, f64::NAN), Duration::ZERO);
}

#[test]
fn random_jitter_stays_in_the_unit_interval() {
    for _ in 0..1000 {
        let fraction = RandomJitter.fraction();
        assert!((0.0..1.0).contains(&fraction), "{fraction}");
    }
}

#[test]
fn default_retry_is_standard_mode() {
    let retry = RetryConfig::default();
    assert_eq!(retry.max_attempts(), 3);
    assert_eq!(retry.base_backoff(), Duration::from_secs(1));
    assert_eq!(retry.max_backoff(), Duration::from_secs(20));
}

#[tokio::test]
async fn retries_wait_no_longer_than_the_backoff_bound() {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(503, &json!({})))
        .mount(&server)
        .await;
    let sleep = RecordedSleep::default();
    let config = config_for(&server)
        .retry(
            RetryConfig::standard()
                .with_base_backoff(Duration::from_millis(50))
                .with_max_backoff(Duration::from_millis(60)),
        )
        .sleep(sleep.clone())
        .jitter(ScriptedJitter::new(&[0.5, 0.9]))
        .build()
        .unwrap();
    Client::new(config)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    // Two backoffs: half of the 50 ms ceiling, then 0.9 of 100 ms capped at 60 ms.
    assert_eq!(
        sleep.waits(),
        [Duration::from_millis(25), Duration::from_millis(54)]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn attempt_timeout_fires_on_a_stalled_response_and_is_retried() {
    let server = MockServer::start().await;
    operation()
        .respond_with(ok().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let sleep = RecordedSleep::default();
    let config = config_for(&server)
        .attempt_timeout(Duration::from_millis(200))
        .retry(fast_retry().with_max_attempts(2))
        .sleep(sleep.clone())
        .build()
        .unwrap();
    let error = Client::new(config)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.limit(), Duration::from_millis(200));
    assert_eq!(
        sleep.waits().len(),
        1,
        "one backoff between the two attempts"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(error.to_string(), "attempt timeout of 200ms elapsed");
}

#[tokio::test]
async fn stalled_first_attempt_then_success() {
    let server = MockServer::start().await;
    operation()
        .respond_with(ok().set_delay(Duration::from_secs(5)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    operation().respond_with(ok()).mount(&server).await;
    let config = config_for(&server)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let output = Client::new(config)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap();
    assert!(output.batch_segment_jobs.is_some());
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let server = MockServer::start().await;
    operation()
        .respond_with(ok().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let config = config_for(&server)
        .attempt_timeout(Duration::from_secs(10))
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = Client::new(config)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Operation);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
