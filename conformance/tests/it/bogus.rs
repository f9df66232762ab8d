//! A server that answers every request with one fixed, valid-looking page (200, the service's
//! content type and request-id header, a well-formed List answer) must be rejected on every
//! operation: each row of the coverage matrix has at least one failing case, and no case passes.

use std::path::PathBuf;

use personalize_conformance::target::run_url;
use personalize_conformance::{discover, Outcome};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The one page the bogus server answers with.
const PAGE: &str = r#"{"datasetGroups":[{"name":"conformance-group","datasetGroupArn":"arn:aws:personalize:us-east-1:123456789012:dataset-group/conformance-group","status":"ACTIVE","creationDateTime":1700000000,"lastUpdatedDateTime":1700000000}]}"#;

#[tokio::test]
async fn a_server_answering_one_fixed_page_fails_on_every_operation() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000")
                .set_body_raw(PAGE, "application/x-amz-json-1.1"),
        )
        .mount(&server)
        .await;
    let fixtures = discover(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")).unwrap();
    let suite = run_url(&server.uri(), &fixtures, None).await.unwrap();
    let passed: Vec<&str> = suite
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Pass)
        .map(|c| c.name.as_str())
        .collect();
    assert!(passed.is_empty(), "the bogus server passed {passed:#?}");
    let matrix = suite.matrix();
    assert!(matrix.len() >= personalize_model::service::OPERATION_METAS.len());
    let unrejected: Vec<&str> = matrix
        .iter()
        .filter(|row| row.totals.fail == 0)
        .map(|row| row.operation.as_str())
        .collect();
    assert!(
        unrejected.is_empty(),
        "operations on which the bogus server is not rejected by any case: {unrejected:?}\n{}",
        suite.matrix_table()
    );
}
