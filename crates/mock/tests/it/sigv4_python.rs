//! Strict mode against boto3 and the AWS CLI: botocore's own SigV4 signer is accepted with the
//! right key pair and refused with the AWS error codes otherwise.
//!
//! Python comes from `$PERSONALIZE_PYTHON`, else `<workspace>/.venv/bin/python`; the CLI is the
//! `aws` script next to it. Without them these tests fail and say how to get them.

use std::process::{Command, Output};

use crate::common::*;
use personalize_mock::{Credentials, MockServer};
use serde_json::Value;

const AKID: &str = "AKIDPYTHONSTRICT";
const SECRET: &str = "pythonSECRETpython/+/secretSECRET";

/// Runs a command with the given key pair and no user AWS configuration.
fn run(mut command: Command, akid: &str, secret: &str) -> Output {
    command
        .env("AWS_ACCESS_KEY_ID", akid)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_DEFAULT_REGION", "ap-southeast-2")
        .env("AWS_CONFIG_FILE", "/nonexistent/personalize-mock/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/personalize-mock/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL");
    command.output().unwrap()
}

const BOTO3: &str = r#"
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
url = sys.argv[1]
c = boto3.client("personalize", endpoint_url=url, config=Config(retries={"max_attempts": 1}))
try:
    pages = c.get_paginator("list_batch_segment_jobs").paginate(PaginationConfig={"PageSize": 2})
    arns = [j["batchSegmentJobArn"] for p in pages for j in p["batchSegmentJobs"]]
    print(json.dumps({"arns": arns}))
except ClientError as e:
    print(json.dumps({"error": [e.response["Error"]["Code"], e.response["Error"]["Message"],
                                e.response["ResponseMetadata"]["HTTPStatusCode"]]}))
"#;

fn boto3(url: &str, akid: &str, secret: &str) -> Value {
    let mut command = Command::new(python());
    command.args(["-c", BOTO3, url]);
    let out = run(command, akid, secret);
    assert!(
        out.status.success(),
        "boto3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn strict_server() -> MockServer {
    MockServer::builder()
        .seed(&jobs_in("ap-southeast-2", 5))
        .verify_sigv4(Credentials::new(AKID, SECRET))
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_signatures_are_verified() {
    let server = strict_server().await;
    let url = server.url();
    let ok = boto3(&url, AKID, SECRET);
    assert_eq!(
        ok["arns"].as_array().map(Vec::len),
        Some(5),
        "boto3 with the right key: {ok}"
    );
    let wrong = boto3(&url, AKID, "not-the-secret");
    assert_eq!(wrong["error"][0], "InvalidSignatureException", "{wrong}");
    assert_eq!(wrong["error"][2], 400, "{wrong}");
    let unknown = boto3(&url, "AKIDSOMEONEELSE", SECRET);
    assert_eq!(
        unknown["error"][0], "UnrecognizedClientException",
        "{unknown}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_cli_signature_is_verified() {
    let server = strict_server().await;
    let url = server.url();
    let aws = python().with_file_name("aws");
    let cli = |akid: &str, secret: &str| {
        let mut command = Command::new(&aws);
        command.args([
            "personalize",
            "list-batch-segment-jobs",
            "--endpoint-url",
            &url,
            "--output",
            "json",
        ]);
        run(command, akid, secret)
    };
    let ok = cli(AKID, SECRET);
    assert!(
        ok.status.success(),
        "aws cli with the right key: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let listed: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(listed["batchSegmentJobs"].as_array().map(Vec::len), Some(5));
    let refused = cli(AKID, "not-the-secret");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("InvalidSignatureException"), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
}
