//! The discovery finds every awsJson 1.1 case of the test service and nothing else: the counts
//! per side and kind are the suite's (a case that applies to both sides counts on each).

use std::collections::BTreeMap;

use protocol_tests::cases::{discover, Kind, Side};
use protocol_tests::model_path;
use serde_json::Value;

const SERVICE: &str = "aws.protocoltests.json#JsonProtocol";

fn model() -> Value {
    serde_json::from_str(&std::fs::read_to_string(model_path()).unwrap()).unwrap()
}

#[test]
fn every_case_of_the_test_service_is_found_once_per_side() {
    let cases = discover(&model(), SERVICE).unwrap();
    let mut counts: BTreeMap<(Side, Kind), usize> = BTreeMap::new();
    for case in &cases {
        *counts.entry((case.side, case.kind)).or_default() += 1;
    }
    // 59 request cases (54 for both sides, 2 client-only, 3 server-only) and 63 response
    // cases (44 both, 18 client-only, 1 server-only) on JsonProtocol's operations and errors.
    assert_eq!(counts[&(Side::Client, Kind::Request)], 56);
    assert_eq!(counts[&(Side::Server, Kind::Request)], 57);
    assert_eq!(counts[&(Side::Client, Kind::Response)], 62);
    assert_eq!(counts[&(Side::Server, Kind::Response)], 45);
    let mut names: Vec<String> = cases.iter().map(|c| c.name()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "a case name is not unique");
}

#[test]
fn error_cases_run_through_an_operation_that_lists_the_error() {
    let cases = discover(&model(), SERVICE).unwrap();
    let complex = cases
        .iter()
        .find(|c| c.id == "AwsJson11ComplexError")
        .unwrap();
    assert_eq!(complex.operation, "GreetingWithErrors");
    assert_eq!(
        complex.error_shape.as_deref(),
        Some("aws.protocoltests.json#ComplexError")
    );
}

#[test]
fn other_protocols_and_unknown_services_are_left_out() {
    let mut model = model();
    let op = &mut model["shapes"]["aws.protocoltests.json#EmptyOperation"]["traits"]
        ["smithy.test#httpRequestTests"][0]["protocol"];
    *op = Value::from("aws.protocols#restJson1");
    let cases = discover(&model, SERVICE).unwrap();
    assert!(!cases.iter().any(|c| c.id == "sends_requests_to_slash"));
    assert!(discover(&model, "aws.protocoltests.json#Nope").is_err());
}
