//! Error responses: where the code and message come from, what the caller gets, and local
//! validation (off by default, opt-in with `validate_before_send`).

use crate::common::*;
use personalize_client::model::operation::list_batch_segment_jobs::ListBatchSegmentJobsError;
use personalize_client::{ConstructionError, Error, OperationError};
use rstest::rstest;
use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::{MockServer, ResponseTemplate};

/// How the variant is expected to come out.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    InvalidInput,
    InvalidNextToken,
    Unhandled,
}

fn kind(e: &ListBatchSegmentJobsError) -> Kind {
    match e {
        ListBatchSegmentJobsError::InvalidInputException(_) => Kind::InvalidInput,
        ListBatchSegmentJobsError::InvalidNextTokenException(_) => Kind::InvalidNextToken,
        ListBatchSegmentJobsError::Unhandled(_) => Kind::Unhandled,
        other => panic!("unexpected variant {other:?}"),
    }
}

#[rstest]
#[case::type_field(
    400,
    None,
    r#"{"__type":"InvalidNextTokenException","message":"Invalid next token"}"#,
    "InvalidNextTokenException",
    Some("Invalid next token"),
    Kind::InvalidNextToken
)]
#[case::header_only(
    400,
    Some("InvalidInputException"),
    r#"{"message":"bad arn"}"#,
    "InvalidInputException",
    Some("bad arn"),
    Kind::InvalidInput
)]
#[case::header_with_suffix(
    400,
    Some("InvalidInputException:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
    "",
    "InvalidInputException",
    None,
    Kind::InvalidInput
)]
#[case::header_beats_body(
    400,
    Some("InvalidInputException"),
    r#"{"__type":"InvalidNextTokenException","code":"InvalidNextTokenException"}"#,
    "InvalidInputException",
    None,
    Kind::InvalidInput
)]
#[case::code_beats_type(
    400,
    None,
    r#"{"code":"InvalidInputException","__type":"InvalidNextTokenException"}"#,
    "InvalidInputException",
    None,
    Kind::InvalidInput
)]
#[case::namespaced(
    400,
    None,
    r#"{"__type":"aws.protocoljson#InvalidNextTokenException","message":"m"}"#,
    "InvalidNextTokenException",
    Some("m"),
    Kind::InvalidNextToken
)]
#[case::namespaced_and_suffix(400, None, r#"{"__type":"com.amazonaws.personalize#InvalidInputException:http://internal.amazon.com/coral/"}"#, "InvalidInputException", None, Kind::InvalidInput)]
#[case::suffix_unknown(400, None, r#"{"__type":"FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/","message":"foo"}"#, "FooError", Some("foo"), Kind::Unhandled)]
#[case::capital_message(
    400,
    None,
    r#"{"__type":"InvalidInputException","Message":"capital"}"#,
    "InvalidInputException",
    Some("capital"),
    Kind::InvalidInput
)]
#[case::error_message(
    400,
    None,
    r#"{"__type":"InvalidInputException","errorMessage":"lambda style"}"#,
    "InvalidInputException",
    Some("lambda style"),
    Kind::InvalidInput
)]
#[case::unmodeled_code(
    400,
    None,
    r#"{"__type":"ValidationException","message":"1 validation error detected"}"#,
    "ValidationException",
    Some("1 validation error detected"),
    Kind::Unhandled
)]
#[case::auth_failure(
    403,
    Some("UnrecognizedClientException"),
    r#"{"message":"The security token included in the request is invalid."}"#,
    "UnrecognizedClientException",
    Some("The security token included in the request is invalid."),
    Kind::Unhandled
)]
#[case::blank_header_falls_back(
    400,
    Some(" "),
    r#"{"__type":"InvalidInputException"}"#,
    "InvalidInputException",
    None,
    Kind::InvalidInput
)]
#[case::empty_body(400, None, "", "400", Some("Bad Request"), Kind::Unhandled)]
#[case::html_body(
    403,
    None,
    "<html><body><h1>403 Forbidden</h1></body></html>",
    "403",
    Some("Forbidden"),
    Kind::Unhandled
)]
#[case::json_without_code(
    404,
    None,
    r#"{"message":"no such thing"}"#,
    "404",
    Some("no such thing"),
    Kind::Unhandled
)]
#[case::json_array_body(
    400,
    None,
    r#"["not", "an", "object"]"#,
    "400",
    Some("Bad Request"),
    Kind::Unhandled
)]
#[tokio::test]
async fn error_code_and_message_parsing(
    #[case] status: u16,
    #[case] error_type: Option<&str>,
    #[case] body: &str,
    #[case] code: &str,
    #[case] message: Option<&str>,
    #[case] expected: Kind,
) {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(status)
        .insert_header("x-amzn-RequestId", "req-err")
        .set_body_raw(body.to_owned(), CONTENT_TYPE);
    if let Some(error_type) = error_type {
        response = response.insert_header("X-Amzn-ErrorType", error_type);
    }
    operation()
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;

    let error = client_for(&server)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    let service = error
        .as_service_error()
        .unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(service.code(), code);
    assert_eq!(service.message(), message);
    assert_eq!(service.status(), status);
    assert_eq!(service.request_id(), Some("req-err"));
    assert_eq!(service.raw_body(), body.as_bytes());
    assert_eq!(kind(service.err()), expected);
    assert_eq!(service.err().is_modeled(), expected != Kind::Unhandled);
    // The same facts through the top-level error.
    assert_eq!(error.code(), Some(code));
    assert_eq!(error.message(), message);
    assert_eq!(error.status(), Some(status));
    assert_eq!(error.request_id(), Some("req-err"));
}

#[tokio::test]
async fn service_error_display_names_code_message_status_and_request_id() {
    let server = MockServer::start().await;
    operation()
        .respond_with(json_response(
            400,
            &json!({"__type": "InvalidNextTokenException", "message": "Invalid next token"}),
        ))
        .mount(&server)
        .await;
    let error = client_for(&server)
        .list_batch_segment_jobs()
        .next_token("bogus")
        .send()
        .await
        .unwrap_err();
    insta::assert_snapshot!(
        error.to_string(),
        @"service error InvalidNextTokenException: Invalid next token (HTTP 400, request id req-1234)"
    );
    match error {
        Error::Service(e) => match e.into_err() {
            ListBatchSegmentJobsError::InvalidNextTokenException(inner) => {
                assert_eq!(inner.message.as_deref(), Some("Invalid next token"));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn constraints_are_not_enforced_by_default() {
    let server = MockServer::start().await;
    operation()
        .and(body_json(
            json!({"solutionVersionArn": "not-an-arn", "maxResults": 0}),
        ))
        .respond_with(json_response(200, &json!({})))
        .expect(1)
        .mount(&server)
        .await;
    client_for(&server)
        .list_batch_segment_jobs()
        .solution_version_arn("not-an-arn")
        .max_results(0)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn validate_before_send_fails_locally_with_the_full_message_and_sends_nothing() {
    let server = MockServer::start().await;
    operation()
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
        .list_batch_segment_jobs()
        .solution_version_arn("not-an-arn")
        .max_results(101)
        .send()
        .await
        .unwrap_err();
    let Error::Construction(ConstructionError::InvalidInput { operation, errors }) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*operation, "ListBatchSegmentJobs");
    assert_eq!(errors.violations().len(), 2);
    insta::assert_snapshot!(
        error.to_string(),
        @r"ListBatchSegmentJobs input not sent: 2 validation errors detected: Value 'not-an-arn' at 'solutionVersionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:([a-z\d-]+):personalize:.*:.*:.+$; Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn validate_before_send_lets_a_valid_input_through() {
    let server = MockServer::start().await;
    operation()
        .and(body_json(
            json!({"solutionVersionArn": ARN, "maxResults": 100}),
        ))
        .respond_with(json_response(200, &json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = personalize_client::Client::new(
        config_for(&server)
            .validate_before_send(true)
            .build()
            .unwrap(),
    );
    client
        .list_batch_segment_jobs()
        .solution_version_arn(ARN)
        .max_results(100)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind and drop a listener so the port is (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = personalize_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(personalize_client::Credentials::new(
            ACCESS_KEY_ID,
            SECRET,
            None,
        ))
        .retry(fast_retry())
        .build()
        .unwrap();
    let error = personalize_client::Client::new(config)
        .list_batch_segment_jobs()
        .send()
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}");
    };
    assert!(transport.is_connect());
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("connecting to http://127.0.0.1:{port} failed:")),
        "{text}"
    );
    assert!(text.to_lowercase().contains("refused"), "{text}");
}
