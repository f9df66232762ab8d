//! boto3 (with its paginator) and the AWS CLI against the running mock: listing, errors,
//! and boto3 creating a batch segment job, waiting for `ACTIVE` (botocore has no waiter for
//! batch segment jobs, so the scenario polls a bounded number of times) and listing it.
//!
//! Python comes from `$PERSONALIZE_PYTHON`, else `<workspace>/.venv/bin/python`; the CLI is the
//! `aws` script next to it. Without them these tests fail and say how to get them.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use crate::common::*;
use personalize_mock::{MockServer, Schedule, Schedules};
use serde_json::Value;

/// Runs a command with throwaway credentials and no user AWS configuration.
fn run(mut command: Command) -> Output {
    without_user_aws_config(&mut command).output().unwrap()
}

/// Runs a boto3 scenario (`python -c SCENARIO ARGS…`) and reads the JSON it prints.
async fn boto3(python: PathBuf, scenario: &'static str, args: [String; 3]) -> Value {
    let output = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(python);
        command.args(["-c", scenario]).args(args);
        run(command)
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "boto3 scenario failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
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
    let server = MockServer::builder().seed(&all).start().await.unwrap();
    let url = server.url();
    let out = boto3(python, BOTO3_SCENARIO, [url, SV1.into(), SV2.into()]).await;
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
    let server = MockServer::builder().seed(&all).start().await.unwrap();
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
    let source = MockServer::builder().seed(&all).start().await.unwrap();
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
    // The CLI's output (ISO timestamps, its own member order) is a seed file as it is.
    let copy = MockServer::builder()
        .seed_json(output.stdout)
        .start()
        .await
        .unwrap();
    // Every resource, in ARN order (the dump is in storage order).
    let dump = |server: &MockServer| -> Value {
        let mut dump: Value = serde_json::from_slice(&server.service().dump()).unwrap();
        for list in dump.as_object_mut().unwrap().values_mut() {
            let items = list.as_array_mut().unwrap();
            items.sort_by_key(|j| j["batchSegmentJobArn"].as_str().unwrap().to_owned());
        }
        dump
    };
    assert_eq!(dump(&copy), dump(&source));
    assert_eq!(dump(&copy)["batchSegmentJobs"].as_array().unwrap().len(), 5);
}

const CREATE_SCENARIO: &str = r#"
import json, sys, time
import boto3
from botocore.exceptions import ClientError

url, sv, role = sys.argv[1:4]
c = boto3.client("personalize", endpoint_url=url)

def error(call, **kw):
    try:
        call(**kw)
        return None
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]

request = dict(
    jobName="boto3-job",
    solutionVersionArn=sv,
    numResults=20,
    jobInput={"s3DataSource": {"path": "s3://bucket/users.json"}},
    jobOutput={"s3DataDestination": {"path": "s3://bucket/segments/"}},
    roleArn=role,
    tags=[{"tagKey": "team", "tagValue": "ml"}],
)
arn = c.create_batch_segment_job(**request)["batchSegmentJobArn"]

statuses = []
job = None
for _ in range(100):  # bounded: 100 polls, 0.1 s apart
    job = c.describe_batch_segment_job(batchSegmentJobArn=arn)["batchSegmentJob"]
    if not statuses or statuses[-1] != job["status"]:
        statuses.append(job["status"])
    if job["status"] in ("ACTIVE", "CREATE FAILED"):
        break
    time.sleep(0.1)

listed = [j for j in c.list_batch_segment_jobs(solutionVersionArn=sv)["batchSegmentJobs"]
          if j["batchSegmentJobArn"] == arn]

print(json.dumps({
    "arn": arn,
    "statuses": statuses,
    "job": {k: (v.timestamp() if hasattr(v, "timestamp") else v) for k, v in job.items()},
    "listed": [{k: (v.timestamp() if hasattr(v, "timestamp") else v) for k, v in j.items()} for j in listed],
    "duplicate": error(c.create_batch_segment_job, **request),
    "not_found": error(c.describe_batch_segment_job, batchSegmentJobArn=arn + "-missing"),
    "bad_role": error(c.create_batch_segment_job, **dict(request, jobName="other", roleArn="arn:aws:iam::1:role/x")),
}))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_creates_waits_for_active_and_lists() {
    let python = python();
    let server = MockServer::builder()
        .seed(&parents())
        // Slow enough that the first describe sees the job before it is ACTIVE.
        .schedules(Schedules::all(Schedule::new(
            Duration::from_millis(700),
            Duration::from_millis(700),
        )))
        .start()
        .await
        .unwrap();
    let url = server.url();
    let out = boto3(python, CREATE_SCENARIO, [url, SDK_SV.into(), ROLE.into()]).await;
    let arn = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/boto3-job";
    assert_eq!(out["arn"], arn);

    // Seen in order, ending ACTIVE; at least one step was observed before it.
    let statuses: Vec<&str> = out["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(statuses.last(), Some(&"ACTIVE"), "{statuses:?}");
    assert!(statuses.len() >= 2, "{statuses:?}");
    let order = ["PENDING", "IN PROGRESS", "ACTIVE"];
    let positions: Vec<usize> = statuses
        .iter()
        .map(|s| order.iter().position(|o| o == s).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{statuses:?}");

    let job = &out["job"];
    assert_eq!(job["jobName"], "boto3-job");
    assert_eq!(job["numResults"], 20);
    assert_eq!(job["roleArn"], ROLE);
    assert_eq!(
        job["jobInput"]["s3DataSource"]["path"],
        "s3://bucket/users.json"
    );
    assert_eq!(
        job["jobOutput"]["s3DataDestination"]["path"],
        "s3://bucket/segments/"
    );
    let created = job["creationDateTime"].as_f64().unwrap();
    let updated = job["lastUpdatedDateTime"].as_f64().unwrap();
    assert!(
        (updated - created - 1.4).abs() < 0.01,
        "ACTIVE is stamped 0.7 s + 0.7 s after creation: {created} {updated}"
    );

    let listed = out["listed"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    for member in [
        "status",
        "jobName",
        "creationDateTime",
        "lastUpdatedDateTime",
    ] {
        assert_eq!(listed[0][member], job[member], "{member}");
    }

    assert_eq!(
        out["duplicate"],
        serde_json::json!(["ResourceAlreadyExistsException", 400])
    );
    assert_eq!(
        out["not_found"],
        serde_json::json!(["ResourceNotFoundException", 400])
    );
    assert_eq!(
        out["bad_role"],
        serde_json::json!(["InvalidInputException", 400])
    );
}
