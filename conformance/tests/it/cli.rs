//! The binary: no arguments replays everything against the built-in mock and the client and
//! exits 0; `--format json|junit` work; an unreachable target is a clear error (exit 2).

use std::path::PathBuf;
use std::process::Command;

use personalize_conformance::{discover, fixture};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_personalize-conformance"))
}

#[test]
fn no_arguments_replays_everything_green() {
    let out = bin().output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("== built-in mock (personalize-mock) =="),
        "{stdout}"
    );
    assert!(
        stdout.contains("== client (personalize-client) =="),
        "{stdout}"
    );
    assert!(!stdout.contains("FAIL"), "{stdout}");
}

#[test]
fn the_built_in_fixtures_are_the_fixtures_directory() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let on_disk = discover(&dir).unwrap();
    let built_in = fixture::embedded().unwrap();
    assert!(!built_in.is_empty());
    assert_eq!(built_in, on_disk);
}

#[test]
fn runs_from_any_directory_and_help_names_no_build_path() {
    let elsewhere = std::env::temp_dir();
    let out = bin().current_dir(&elsewhere).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    let help = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--fixtures <DIR>"), "{help}");
    assert!(!help.contains(env!("CARGO_MANIFEST_DIR")), "{help}");
}

#[test]
fn json_and_junit_reports() {
    let out = bin().args(["--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["fail"], 0);
    assert_eq!(v["suites"].as_array().unwrap().len(), 2);
    let out = bin().args(["--format", "junit"]).output().unwrap();
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(
        xml.contains("<testsuite name=\"built-in mock (personalize-mock)\""),
        "{xml}"
    );
}

#[test]
fn unreachable_target_is_a_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let out = bin().args(["--target", &url]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("cannot connect"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_failing_target_exits_non_zero() {
    // A server that answers every request with 200 and an empty list fails the error cases.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .insert_header("x-amzn-RequestId", "r")
                    .set_body_raw(r#"{"batchSegmentJobs":[]}"#, "application/x-amz-json-1.1"),
            )
            .mount(&server)
            .await;
        server
    });
    let out = bin().args(["--target", &server.uri()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL"), "{stdout}");
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_url_seeds_through_create_and_counts_unseedable_cases_apart() {
    let server = personalize_mock::MockServer::builder()
        .start()
        .await
        .unwrap();
    let url = server.url();
    let out = tokio::task::spawn_blocking(move || {
        bin()
            .args(["--target", &url, "--format", "json", "--seed-timeout", "5"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    server.shutdown().await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let totals = &v["totals"];
    assert_eq!(totals["fail"], 0, "{totals}");
    assert_eq!(totals["not_implemented"], 0, "{totals}");
    assert!(totals["not_seedable"].as_u64().unwrap() > 0, "{totals}");
    let cases = v["suites"][0]["cases"].as_array().unwrap();
    let seeded = cases
        .iter()
        .find(|c| c["name"] == "store/active-jobs-of-one-solution-version-are-listed")
        .unwrap();
    assert_eq!(seeded["result"], "pass", "{seeded}");
}

#[test]
fn operations_filter_runs_a_subset_and_refuses_unknown_names() {
    let out = bin()
        .args([
            "--operations",
            "CreateSchema,ListSchemas",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cases = v["suites"][0]["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let op = case["operation"].as_str().unwrap();
        assert!(op == "CreateSchema" || op == "ListSchemas", "{case}");
    }
    let matrix = v["suites"][0]["matrix"].as_array().unwrap();
    assert_eq!(
        matrix.len(),
        personalize_model::service::OPERATION_METAS.len()
    );
    let out = bin().args(["--operations", "Nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nope is not an operation"));
}
