//! The `personalize-mock` binary: seeding from a file, the `listening on` line, SIGTERM,
//! `--delays`.

use std::io::{BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::*;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_personalize-mock");

fn write_seed(dir_name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "personalize-mock-{}-{dir_name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    std::fs::write(&path, text).unwrap();
    path
}

/// Starts the binary on a free port and returns it with the URL from its `listening on` line.
fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0"])
        .args(args)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let url = read_listening_url(&mut BufReader::new(child.stdout.take().unwrap()));
    (child, url)
}

fn terminate(child: Child) -> (std::process::ExitStatus, String) {
    signal(child, "-TERM")
}

fn signal(mut child: Child, signal: &str) -> (std::process::ExitStatus, String) {
    let pid = child.id().to_string();
    let status = Command::new("kill").args([signal, &pid]).status().unwrap();
    assert!(status.success());
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return (status, stderr);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    panic!("the mock did not stop within 5 s of {signal}");
}

#[tokio::test]
async fn serves_the_seed_file_and_stops_on_sigterm() {
    let all = jobs(9);
    let seed = json!({ "batchSegmentJobs": &*all, "nextToken": "ignored" }).to_string();
    let path = write_seed("ok", &seed);
    let (child, url) = spawn(&["--seed", path.to_str().unwrap()]);
    assert_eq!(list_all(&url, None, &[2]).await, expected_order(&all, None));
    assert_eq!(
        list_all(&url, Some(SV2), &[3]).await,
        expected_order(&all, Some(SV2))
    );
    let (status, stderr) = terminate(child);
    assert!(status.success(), "exit {status:?}: {stderr}");
    assert!(stderr.contains("SIGTERM"), "{stderr}");
    assert!(stderr.contains("request"), "requests are logged: {stderr}");
}

#[tokio::test]
async fn cli_style_timestamps_are_read() {
    let seed = r#"{"batchSegmentJobs":[{"batchSegmentJobArn":"arn:aws:personalize:us-east-1:123456789012:batch-segment-job/a",
        "creationDateTime":"2023-11-14T22:13:21.123000+00:00"}]}"#;
    let path = write_seed("iso", seed);
    let (child, url) = spawn(&["--seed", path.to_str().unwrap()]);
    let reply = call(&url, json!({})).await;
    assert_eq!(
        reply.body["batchSegmentJobs"][0]["creationDateTime"].to_string(),
        "1700000001.123"
    );
    assert!(terminate(child).0.success());
}

#[tokio::test]
async fn stops_cleanly_on_sigint() {
    let (child, url) = spawn(&[]);
    assert_eq!(call(&url, json!({})).await.status, 200);
    let (status, stderr) = signal(child, "-INT");
    assert!(status.success(), "exit {status:?}: {stderr}");
    assert!(stderr.contains("SIGINT"), "{stderr}");
}

#[test]
fn bad_seed_files_are_clear_errors() {
    let cases = [
        (
            "json",
            "{\"batchSegmentJobs\": [",
            "EOF while parsing a list",
        ),
        (
            "unknown-member",
            "{\"filters\": []}",
            "unknown member \"filters\"",
        ),
        (
            "not-a-list",
            "{\"batchSegmentJobs\": {}}",
            "an array of resources under batchSegmentJobs",
        ),
        (
            "job",
            r#"{"batchSegmentJobs":[{"batchSegmentJobArn":"arn:aws:personalize:us-east-1:123456789012:batch-segment-job/a","jobName":5}]}"#,
            "batchSegmentJobs[0].jobName: expected a string, got a number",
        ),
        (
            "arn",
            r#"{"datasetGroups":[{"datasetGroupArn":"dg","name":"dg"}]}"#,
            "datasetGroups[0].datasetGroupArn: 'dg' is not arn:",
        ),
    ];
    for (name, text, expected) in cases {
        let path = write_seed(name, text);
        let out = Command::new(BIN)
            .args(["--bind", "127.0.0.1:0", "--seed", path.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(
            out.stdout.is_empty(),
            "nothing is printed on stdout on failure"
        );
    }
    let missing = Command::new(BIN)
        .args(["--seed", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr)
        .contains("seed file /nonexistent/seed.json: No such file or directory"));
}

#[test]
fn busy_address_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(BIN).args(["--bind", &addr]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );
}

#[tokio::test]
async fn delays_keep_a_created_job_pending() {
    let seed = write_seed("delays", &parents().to_string());
    let (mut child, url) = spawn(&[
        "--seed",
        seed.to_str().unwrap(),
        "--delays",
        "BatchSegmentJob=10m,0s",
    ]);
    let created = post(
        &url,
        "CreateBatchSegmentJob",
        json!({
            "jobName": "slow",
            "solutionVersionArn": SV1,
            "jobInput": {"s3DataSource": {"path": "s3://b/in"}},
            "jobOutput": {"s3DataDestination": {"path": "s3://b/out"}},
            "roleArn": ROLE
        }),
    )
    .await;
    let described = post(
        &url,
        "DescribeBatchSegmentJob",
        json!({"batchSegmentJobArn": created.body["batchSegmentJobArn"]}),
    )
    .await;
    // Other kinds keep the default (immediate) schedule.
    let group = post(&url, "CreateDatasetGroup", json!({"name": "fast"})).await;
    let group = post(
        &url,
        "DescribeDatasetGroup",
        json!({"datasetGroupArn": group.body["datasetGroupArn"]}),
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(described.body["batchSegmentJob"]["status"], "PENDING");
    assert_eq!(
        group.body["datasetGroup"]["status"], "ACTIVE",
        "{}",
        group.body
    );
}

#[test]
fn bad_delays_stop_the_binary_with_a_message() {
    for (value, reason) in [("5s", "1 delays given"), ("Campaign=1h,1s", "unknown unit")] {
        let out = Command::new(BIN)
            .args(["--bind", "127.0.0.1:0", "--delays", value])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--delays") && stderr.contains(reason),
            "{stderr}"
        );
    }
    // The old flag is gone.
    let out = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0", "--job-delays", "1s,1s"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[tokio::test]
async fn seed_files_of_any_kinds_and_admin_routes() {
    let seed = write_seed("kinds", &parents().to_string());
    let (child, url) = spawn(&["--seed", seed.to_str().unwrap()]);
    let child = Running(Some(child));
    let state = send(&url, "GET", "/_mock/state", &[], "").await;
    assert_eq!(state.status, 200);
    assert_eq!(state.body["solutionVersions"].as_array().unwrap().len(), 3);
    assert_eq!(state.body["Filters"][0]["filterArn"], FILTER);
    let more = send(
        &url,
        "POST",
        "/_mock/seed",
        &[],
        seed_of(&jobs(3)).to_string(),
    )
    .await;
    assert_eq!(more.body, json!({"stored": 3}));
    assert_eq!(
        list_all(&url, None, &[2]).await,
        expected_order(&jobs(3), None)
    );
    let bad = send(&url, "POST", "/_mock/seed", &[], "{\"Filters\":[1]}").await;
    assert_eq!(
        (bad.status, bad.error_type()),
        (400, "InvalidInputException")
    );
    assert!(
        bad.body["message"].as_str().unwrap().contains("Filters[0]"),
        "{}",
        bad.body
    );
    for path in ["/_mock/reset", "/moto-api/reset"] {
        assert_eq!(
            send(
                &url,
                "POST",
                "/_mock/seed",
                &[],
                seed_of(&jobs(1)).to_string()
            )
            .await
            .status,
            200
        );
        let reset = send(&url, "POST", path, &[], "").await;
        assert_eq!(reset.status, 200, "{path}");
        let state: Value = send(&url, "GET", "/_mock/state", &[], "").await.body;
        assert_eq!(state, json!({}), "{path}");
    }
    assert!(terminate(child.stop()).0.success());
}

/// A running binary, killed if the test fails before it is stopped.
struct Running(Option<Child>);

impl Running {
    fn stop(mut self) -> Child {
        self.0.take().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[tokio::test]
async fn accounts_come_from_the_access_key() {
    let (child, url) = spawn(&[
        "--account",
        "AKIDOTHER=210987654321",
        "--default-account",
        "111111111111",
    ]);
    let child = Running(Some(child));
    let create = |key: &'static str| {
        let url = url.clone();
        async move {
            let auth = format!(
                "AWS4-HMAC-SHA256 Credential={key}/20231114/eu-west-1/personalize/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-target, Signature=0123abcd"
            );
            let reply = send(
                &url,
                "POST",
                "/",
                &[
                    ("content-type", "application/x-amz-json-1.1"),
                    ("x-amz-target", "AmazonPersonalize.CreateDatasetGroup"),
                    ("authorization", &auth),
                ],
                json!({"name": "dg"}).to_string(),
            )
            .await;
            reply.body["datasetGroupArn"].clone()
        }
    };
    let mapped = create("AKIDOTHER").await;
    let other = create("AKIDANY").await;
    assert!(terminate(child.stop()).0.success());
    assert_eq!(
        mapped,
        "arn:aws:personalize:eu-west-1:210987654321:dataset-group/dg"
    );
    assert_eq!(
        other,
        "arn:aws:personalize:eu-west-1:111111111111:dataset-group/dg"
    );
    for bad in ["AKID", "AKID=1234", "=210987654321"] {
        let out = Command::new(BIN)
            .args(["--bind", "127.0.0.1:0", "--account", bad])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("twelve-digit account"), "{bad}: {stderr}");
    }
}
