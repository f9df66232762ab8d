//! boto3 (with its paginator) and the AWS CLI against the running mock.
//!
//! Python comes from `$PERSONALIZE_PYTHON`, else `<workspace>/.venv/bin/python`; the CLI is the
//! `aws` script next to it. Without them these tests fail and say how to get them.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::*;
use personalize_mock::MockServer;
use serde_json::Value;

/// Runs a command with throwaway credentials and no user AWS configuration.
fn run(mut command: Command) -> Output {
    without_user_aws_config(&mut command).output().unwrap()
}

const BOTO3_SCENARIO: &str = r#"
import json, sys
import boto3
from botocore.exceptions import ClientError

url, sv1, sv2 = sys.argv[1:4]
c = boto3.client("personalize", endpoint_url=url)

def page_all(**kw):
    items, tokens = [], []
    pages = c.get_paginator("list_batch_segment_jobs").paginate(PaginationConfig={"PageSize": 2}, **kw)
    for page in pages:
        tokens.append(page.get("nextToken"))
        for j in page["batchSegmentJobs"]:
            items.append([j["batchSegmentJobArn"], round(j["creationDateTime"].timestamp() * 1000)])
    return {"items": items, "tokens": tokens}

def error(**kw):
    try:
        c.list_batch_segment_jobs(**kw)
        return None
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["Error"]["Message"],
                e.response["ResponseMetadata"]["HTTPStatusCode"]]

out = {"all": page_all(), "sv1": page_all(solutionVersionArn=sv1)}
out["max101"] = error(maxResults=101)
out["bad_arn"] = error(solutionVersionArn="not-an-arn")
out["bogus"] = error(nextToken="bogus")
token = c.list_batch_segment_jobs(solutionVersionArn=sv1, maxResults=1)["nextToken"]
out["replay"] = error(nextToken=token, solutionVersionArn=sv2)
out["flipped"] = error(nextToken=("B" if token[5] == "A" else "A").join([token[:5], token[6:]]), solutionVersionArn=sv1)
print(json.dumps(out))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_paginates_and_gets_modeled_errors() {
    let python = python();
    let all = jobs(23);
    let server = MockServer::builder()
        .seed(all.clone())
        .start()
        .await
        .unwrap();
    let url = server.url();
    let output = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(python);
        command.args(["-c", BOTO3_SCENARIO, &url, SV1, SV2]);
        run(command)
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "boto3 scenario failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_paged_in_pairs(&out, &all);
    let code = |key: &str| (out[key][0].clone(), out[key][2].clone());
    assert_eq!(code("max101"), ("InvalidInputException".into(), 400.into()));
    assert_eq!(
        code("bad_arn"),
        ("InvalidInputException".into(), 400.into())
    );
    assert_eq!(
        code("bogus"),
        ("InvalidNextTokenException".into(), 400.into())
    );
    assert_eq!(
        code("replay"),
        ("InvalidNextTokenException".into(), 400.into())
    );
    assert_eq!(
        code("flipped"),
        ("InvalidNextTokenException".into(), 400.into())
    );
    assert_eq!(
        out["max101"][1],
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: \
         Member must have value less than or equal to 100"
    );
}

fn aws_cli(python: &std::path::Path) -> PathBuf {
    let cli = python.with_file_name("aws");
    assert!(
        cli.exists(),
        "no AWS CLI at {} (pip install awscli into that venv)",
        cli.display()
    );
    cli
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_cli_paginates_and_reports_errors() {
    let python = python();
    let cli = aws_cli(&python);
    let all = jobs(15);
    let server = MockServer::builder()
        .seed(all.clone())
        .start()
        .await
        .unwrap();
    let url = server.url();
    let results = tokio::task::spawn_blocking(move || {
        let list = |extra: &[&str]| {
            let mut command = Command::new(&python);
            command.arg(&cli).args([
                "personalize",
                "list-batch-segment-jobs",
                "--endpoint-url",
                &url,
                "--output",
                "json",
            ]);
            command.args(extra);
            run(command)
        };
        (
            list(&["--page-size", "2"]),
            list(&["--page-size", "2", "--solution-version-arn", SV1]),
            list(&["--max-results", "101"]),
            list(&["--page-size", "2", "--solution-version-arn", "not-an-arn"]),
        )
    })
    .await
    .unwrap();
    let (all_out, sv1_out, max_out, arn_out) = results;
    for (out, filter) in [(&all_out, None), (&sv1_out, Some(SV1))] {
        assert!(
            out.status.success(),
            "aws cli failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let body: Value = serde_json::from_slice(&out.stdout).unwrap();
        let items: Vec<Value> = body["batchSegmentJobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| {
                let millis = (j["creationDateTime"].as_f64().unwrap() * 1000.0).round() as i64;
                serde_json::json!([j["batchSegmentJobArn"], millis])
            })
            .collect();
        assert_eq!(Value::Array(items), expected_items(&all, filter));
        assert!(body.get("NextToken").is_none() && body.get("nextToken").is_none());
    }
    for (out, code) in [
        (&max_out, "InvalidInputException"),
        (&arn_out, "InvalidInputException"),
    ] {
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "An error occurred ({code}) when calling the ListBatchSegmentJobs operation: 1 validation error detected"
            )),
            "{stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_cli_output_seeds_another_mock() {
    let python = python();
    let cli = aws_cli(&python);
    let all = jobs(5);
    let source = MockServer::builder()
        .seed(all.clone())
        .start()
        .await
        .unwrap();
    let url = source.url();
    let output = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(&python);
        command.arg(&cli).args([
            "personalize",
            "list-batch-segment-jobs",
            "--endpoint-url",
            &url,
            "--output",
            "json",
        ]);
        run(command)
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seeded = personalize_mock::parse_seed(&output.stdout).unwrap();
    let copy = MockServer::builder().seed(seeded).start().await.unwrap();
    assert_eq!(copy.store().jobs(), source.store().jobs());
}
