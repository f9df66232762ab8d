//! The binary's `--job-delays`: the schedule of a created job's status changes.

mod common;

use std::io::BufReader;
use std::process::{Command, Stdio};

use common::{read_listening_url, send};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_personalize-mock");

async fn post(url: &str, target: &str, body: Value) -> common::Reply {
    send(
        url,
        "POST",
        "/",
        &[
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", target),
        ],
        body.to_string(),
    )
    .await
}

#[tokio::test]
async fn job_delays_keep_a_created_job_pending() {
    let mut child = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0", "--job-delays", "10m,0s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = read_listening_url(&mut BufReader::new(child.stdout.take().unwrap()));
    let created = post(
        &url,
        "AmazonPersonalize.CreateBatchSegmentJob",
        json!({
            "jobName": "slow",
            "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/s/1",
            "jobInput": {"s3DataSource": {"path": "s3://b/in"}},
            "jobOutput": {"s3DataDestination": {"path": "s3://b/out"}},
            "roleArn": "arn:aws:iam::123456789012:role/R"
        }),
    )
    .await;
    let described = post(
        &url,
        "AmazonPersonalize.DescribeBatchSegmentJob",
        json!({"batchSegmentJobArn": created.body["batchSegmentJobArn"]}),
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(described.body["batchSegmentJob"]["status"], "PENDING");
}

#[test]
fn bad_job_delays_stop_the_binary_with_a_message() {
    let out = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0", "--job-delays", "5s"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--job-delays") && stderr.contains("1 delays given"),
        "{stderr}"
    );
}
