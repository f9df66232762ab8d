//! The harness itself: normalization, the judge (pass, fail with a diff, not implemented),
//! targets that refuse connections or answer garbage, the proxy's re-signing, report formats.

use std::path::PathBuf;

use personalize_conformance::compare::judge;
use personalize_conformance::fixture::Fixture;
use personalize_conformance::normalize::{
    error_code, normalize_body, rfc3339_from_epoch_text, VOLATILE,
};
use personalize_conformance::record::Recorder;
use personalize_conformance::report::{CaseReport, Format, Outcome, Report, Suite};
use personalize_conformance::sign::{region_of_authorization, Signer};
use personalize_conformance::target::{run_url, NEEDS_EMPTY_STORE};
use rstest::rstest;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(path: &str) -> Fixture {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    Fixture::load(&full, path.trim_end_matches(".json")).unwrap()
}

#[rstest]
#[case("InvalidInputException", "InvalidInputException")]
#[case(
    "com.amazonaws.personalize#InvalidInputException",
    "InvalidInputException"
)]
#[case(
    "com.amazon.coral.service#SerializationException:http://internal.amazon.com/",
    "SerializationException"
)]
#[case("UnknownOperationException:", "UnknownOperationException")]
fn error_codes_lose_namespace_and_suffix(#[case] raw: &str, #[case] code: &str) {
    assert_eq!(error_code(raw), code);
}

#[rstest]
#[case("1700000001.123", "2023-11-14T22:13:21.123Z")]
#[case("1700000361", "2023-11-14T22:19:21Z")]
#[case("946684800.999", "2000-01-01T00:00:00.999Z")]
#[case("0.5", "1970-01-01T00:00:00.5Z")]
#[case("-0.25", "1969-12-31T23:59:59.75Z")]
#[case("4102444799.001", "2099-12-31T23:59:59.001Z")]
fn epoch_text_converts_exactly(#[case] text: &str, #[case] rfc: &str) {
    assert_eq!(rfc3339_from_epoch_text(text).as_deref(), Some(rfc));
}

#[test]
fn normalization_drops_nulls_marks_volatile_and_ignores() {
    let body = json!({
        "__type": "com.amazon.coral.service#SerializationException",
        "message": "varies",
        "nextToken": "abc",
        "n": 1700000361.0,
        "gone": null,
        "nested": {"x": null, "y": 1}
    });
    let normalized = normalize_body(&body, &[], &["/message".to_owned()]);
    assert_eq!(
        normalized,
        json!({"__type": "SerializationException", "nextToken": VOLATILE, "n": 1700000361, "nested": {"y": 1}})
    );
    // A volatile member that is absent stays absent: presence is still compared.
    assert_eq!(
        normalize_body(&json!({}), &["/message".to_owned()], &[]),
        json!({})
    );
}

#[test]
fn recorded_authorization_gives_its_region() {
    let auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/eu-west-1/personalize/aws4_request, SignedHeaders=host, Signature=00";
    assert_eq!(region_of_authorization(auth), Some("eu-west-1"));
}

async fn answering(status: u16, content_type: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_wrong_answer_fails_with_a_diff() {
    let f = fixture("max-results/101-is-invalid-input.json");
    let server = answering(
        200,
        "application/x-amz-json-1.1",
        r#"{"batchSegmentJobs":[]}"#,
    )
    .await;
    let suite = run_url(&server.uri(), std::slice::from_ref(&f), None)
        .await
        .unwrap();
    let Outcome::Fail { diff } = &suite.cases[0].outcome else {
        panic!("expected a failure, got {:?}", suite.cases[0].outcome);
    };
    assert!(diff.contains("status 400 expected, got 200"), "{diff}");
    assert!(diff.contains("header x-amzn-requestid missing"), "{diff}");
    assert!(
        diff.contains("+  \"batchSegmentJobs\": \"<0 items>\""),
        "{diff}"
    );
    assert!(
        diff.contains("-  \"__type\": \"InvalidInputException\""),
        "{diff}"
    );
}

#[tokio::test]
async fn a_changed_message_fails_and_a_volatile_one_does_not() {
    let exact = fixture("max-results/101-is-invalid-input.json");
    let volatile = fixture("recorded/boto3-bogus-next-token-is-invalid-next-token.json");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-amzn-RequestId", "r")
                .set_body_raw(
                    r#"{"__type":"InvalidNextTokenException","message":"another wording"}"#,
                    "application/x-amz-json-1.1",
                ),
        )
        .mount(&server)
        .await;
    let suite = run_url(&server.uri(), &[exact, volatile], None)
        .await
        .unwrap();
    assert!(matches!(suite.cases[0].outcome, Outcome::Fail { .. }));
    assert_eq!(suite.cases[1].outcome, Outcome::Pass);
}

#[rstest]
#[case(
    500,
    "text/html; charset=utf-8",
    "<!doctype html><title>500 Internal Server Error</title>"
)]
#[case(501, "application/json", r#"{"message":"not here"}"#)]
#[case(400, "application/x-amz-json-1.1", r#"{"__type":"NotImplementedException","message":"The ListBatchSegmentJobs action has not been implemented"}"#)]
#[tokio::test]
async fn unimplemented_operation_is_not_a_failure(
    #[case] status: u16,
    #[case] content_type: &str,
    #[case] body: &str,
) {
    let f = fixture("max-results/101-is-invalid-input.json");
    let server = answering(status, content_type, body).await;
    let suite = run_url(&server.uri(), &[f], None).await.unwrap();
    assert!(
        matches!(suite.cases[0].outcome, Outcome::NotImplemented { .. }),
        "{:?}",
        suite.cases[0].outcome
    );
}

#[tokio::test]
async fn a_case_needing_an_empty_store_is_not_run_against_a_url() {
    let f = fixture("store/empty-store-lists-an-empty-list.json");
    let server = answering(
        200,
        "application/x-amz-json-1.1",
        r#"{"batchSegmentJobs":[]}"#,
    )
    .await;
    let suite = run_url(&server.uri(), &[f], None).await.unwrap();
    assert_eq!(
        suite.cases[0].outcome,
        Outcome::NotRun {
            reason: NEEDS_EMPTY_STORE.into()
        }
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_refused_connection_is_one_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = run_url(
        &url,
        &[fixture("max-results/101-is-invalid-input.json")],
        None,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("cannot connect"), "{err}");
    let bad = run_url("ftp://x", &[], None).await.unwrap_err();
    assert!(
        bad.to_string().contains("not a usable http:// URL"),
        "{bad}"
    );
}

#[tokio::test]
async fn a_target_answering_garbage_fails_without_panicking() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        for _ in 0..8 {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let _ = s.write_all(b"\x00\x01 this is not HTTP \xff\r\n\r\n").await;
        }
    });
    let suite = run_url(
        &url,
        &[fixture("max-results/101-is-invalid-input.json")],
        None,
    )
    .await
    .unwrap();
    let Outcome::Fail { diff } = &suite.cases[0].outcome else {
        panic!("{:?}", suite.cases[0].outcome)
    };
    assert!(diff.contains("request to"), "{diff}");
    task.abort();
}

#[tokio::test]
async fn the_proxy_re_signs_with_its_own_credentials() {
    let upstream = answering(
        200,
        "application/x-amz-json-1.1",
        r#"{"batchSegmentJobs":[]}"#,
    )
    .await;
    let out = std::env::temp_dir().join(format!("conformance-resign-{}", std::process::id()));
    let recorder = Recorder::start(
        &upstream.uri(),
        "127.0.0.1:0".parse().unwrap(),
        &out,
        Signer::new(
            "AKIDPROXY",
            "proxy-secret",
            Some("proxy-token".into()),
            "eu-west-1",
        ),
    )
    .await
    .unwrap();
    let client = personalize_conformance::client_replay::client_for(&recorder.url()).unwrap();
    client.list_batch_segment_jobs().send().await.unwrap();
    recorder.shutdown().await;
    let sent = upstream.received_requests().await.unwrap();
    let auth = sent[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDPROXY/"),
        "{auth}"
    );
    assert!(
        auth.contains("/eu-west-1/personalize/aws4_request"),
        "{auth}"
    );
    assert_eq!(
        sent[0].headers.get("x-amz-security-token").unwrap(),
        "proxy-token"
    );
    assert_eq!(
        sent[0].headers.get("host").unwrap().to_str().unwrap(),
        upstream.address().to_string()
    );
    std::fs::remove_dir_all(&out).unwrap();
}

fn sample_report() -> Report {
    Report {
        suites: vec![Suite {
            target: "http://127.0.0.1:4566".into(),
            cases: vec![
                CaseReport {
                    operation: Some("ListBatchSegmentJobs".into()),
                    name: "max-results/101-is-invalid-input".into(),
                    outcome: Outcome::Pass,
                },
                CaseReport {
                    operation: None,
                    name: "protocol/missing-target-is-unknown-operation-exception".into(),
                    outcome: Outcome::Fail {
                        diff: "status 400 expected, got 404\nbody is not JSON: <html> & \"quotes\""
                            .into(),
                    },
                },
                CaseReport {
                    operation: Some("ListBatchSegmentJobs".into()),
                    name: "store/empty-store-lists-an-empty-list".into(),
                    outcome: Outcome::NotRun {
                        reason: NEEDS_EMPTY_STORE.into(),
                    },
                },
                CaseReport {
                    operation: Some("ListBatchSegmentJobs".into()),
                    name: "timestamps/milliseconds-come-back-exact".into(),
                    outcome: Outcome::NotSeedable {
                        reason: "needs exact creationDateTime of job segments-1; \
                                 CreateBatchSegmentJob cannot set it"
                            .into(),
                    },
                },
                CaseReport {
                    operation: Some("ListBatchSegmentJobs".into()),
                    name: "next-token/non-ascii-is-invalid-input".into(),
                    outcome: Outcome::NotImplemented {
                        reason: "HTTP 500 with an HTML page".into(),
                    },
                },
            ],
        }],
    }
}

#[rstest]
#[case::table(Format::Table)]
#[case::json(Format::Json)]
#[case::junit(Format::Junit)]
fn report_formats(#[case] format: Format) {
    let report = sample_report();
    assert!(report.has_failures());
    let text = report.render(format);
    match format {
        Format::Json => {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                v["totals"],
                json!({"pass": 1, "fail": 1, "not_run": 2, "not_seedable": 1, "not_implemented": 1})
            );
        }
        Format::Junit => assert!(text.contains("failures=\"1\" skipped=\"3\"")),
        Format::Table => assert!(text.contains(
            "5 cases: 1 pass, 1 fail, 2 not run (1 need state a Create cannot make), \
             1 not implemented"
        )),
    }
    // The coverage matrix: every operation of the service, the cases counted under theirs,
    // the protocol case under its own row.
    let matrix = report.suites[0].matrix();
    assert_eq!(
        matrix.len(),
        personalize_model::service::OPERATION_METAS.len() + 1
    );
    let row = |name: &str| matrix.iter().find(|r| r.operation == name).unwrap().totals;
    let list = row("ListBatchSegmentJobs");
    assert_eq!(
        (list.pass, list.fail, list.not_run, list.not_implemented),
        (1, 0, 2, 1)
    );
    assert_eq!(row(personalize_conformance::report::NO_OPERATION).fail, 1);
    assert_eq!(row("CreateSchema").total(), 0);
    insta::assert_snapshot!(format!("report_{format:?}").to_lowercase(), text);
}

#[test]
fn fixtures_pass_judge_on_their_own_recorded_answers() {
    // Sanity of the judge: a target answering exactly what a fixture recorded passes it.
    let f = fixture("recorded/boto3-pages-through-jobs-of-one-solution-version.json");
    let observed: Vec<_> = f
        .steps
        .iter()
        .map(|s| personalize_conformance::replay::Observed {
            body_sent: s.request.body.clone(),
            response: personalize_conformance::http::HttpResponse {
                status: s.response.status,
                headers: s.response.headers.clone().into_iter().collect(),
                body: serde_json::to_vec(&s.response.body).unwrap().into(),
            },
        })
        .collect();
    assert_eq!(judge(&f, &observed), Outcome::Pass);
    // Dropping the last page makes it fail.
    assert!(matches!(judge(&f, &observed[..1]), Outcome::Fail { .. }));
}

#[tokio::test]
async fn replay_sends_the_recorded_bytes_re_signed_for_the_target() {
    let f = fixture("recorded/js-sdk-v3-bogus-next-token-is-invalid-next-token.json");
    let server = answering(
        400,
        "application/x-amz-json-1.1",
        r#"{"__type":"InvalidNextTokenException","message":"x"}"#,
    )
    .await;
    run_url(&server.uri(), std::slice::from_ref(&f), None)
        .await
        .unwrap();
    let sent = server.received_requests().await.unwrap();
    let [request] = &sent[..] else {
        panic!("{} requests", sent.len())
    };
    let recorded = &f.steps[0].request;
    assert_eq!(
        request.body,
        recorded.body.as_bytes(),
        "body bytes unchanged"
    );
    let header = |n: &str| {
        request
            .headers
            .get(n)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        header("user-agent").as_deref(),
        recorded.header("user-agent")
    );
    assert_eq!(
        header("x-amz-target").as_deref(),
        recorded.header("x-amz-target")
    );
    assert_eq!(header("host"), Some(server.address().to_string()));
    let auth = header("authorization").unwrap();
    assert_ne!(
        Some(auth.as_str()),
        recorded.header("authorization"),
        "signed afresh"
    );
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{auth}"
    );
    assert!(
        auth.contains("/us-east-1/personalize/aws4_request"),
        "{auth}"
    );
    // The JS SDK signs its payload hash header; the replay does too, for the new body.
    assert!(auth.contains("x-amz-content-sha256"), "{auth}");
    assert_eq!(
        header("x-amz-content-sha256").as_deref(),
        recorded.header("x-amz-content-sha256"),
        "same body, same hash"
    );
}

#[test]
fn inconsistent_fixtures_are_refused_with_their_path() {
    let dir = std::env::temp_dir().join(format!("conformance-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            "no-steps",
            r#"{"description":"d","steps":[]}"#,
            "has no steps",
        ),
        (
            "follows-nothing",
            r#"{"description":"d","steps":[{"request":{"method":"POST","path":"/","headers":{},"body":"{}","nextToken":{"fromPreviousResponse":true}},"response":{"status":200,"body":{}}}]}"#,
            "previous response, which has none",
        ),
        (
            "typo",
            r#"{"description":"d","stepz":[]}"#,
            "unknown field `stepz`",
        ),
        ("not-json", "{", "is not a valid fixture"),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, text).unwrap();
        let err = Fixture::load(&path, name).unwrap_err().to_string();
        assert!(
            err.contains(expected) && err.contains(name),
            "{name}: {err}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn followed_tokens_replace_the_recorded_one_only() {
    use personalize_conformance::replay::substitute_token;
    let body = r#"{"solutionVersionArn": "arn:x", "maxResults": 2, "nextToken": "page-2-token"}"#;
    assert_eq!(
        substitute_token(body, "page-2-token", "abc\"/+="),
        r#"{"solutionVersionArn": "arn:x", "maxResults": 2, "nextToken": "abc\"/+="}"#
    );
}

#[test]
fn item_order_any_accepts_a_reordered_listing_and_exact_does_not() {
    use personalize_conformance::fixture::ItemOrder;
    let mut f = fixture("timestamps/milliseconds-come-back-exact.json");
    let mut body = f.steps[0].response.body.clone();
    body["batchSegmentJobs"].as_array_mut().unwrap().reverse();
    let observed = vec![personalize_conformance::replay::Observed {
        body_sent: f.steps[0].request.body.clone(),
        response: personalize_conformance::http::HttpResponse {
            status: 200,
            headers: [
                (
                    "content-type".to_owned(),
                    "application/x-amz-json-1.1".to_owned(),
                ),
                ("x-amzn-requestid".to_owned(), "r".to_owned()),
            ]
            .into_iter()
            .collect(),
            body: serde_json::to_vec(&body).unwrap().into(),
        },
    }];
    assert_eq!(judge(&f, &observed), Outcome::Pass);
    f.item_order = ItemOrder::Exact;
    assert!(matches!(judge(&f, &observed), Outcome::Fail { .. }));
    // A changed millisecond fails either way.
    f.item_order = ItemOrder::Any;
    body["batchSegmentJobs"][0]["creationDateTime"] = json!(4102444799.002);
    let mut changed = observed.clone();
    changed[0].response.body = serde_json::to_vec(&body).unwrap().into();
    assert!(matches!(judge(&f, &changed), Outcome::Fail { .. }));
}
