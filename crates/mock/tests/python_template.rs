//! boto3 creates a batch segment job on the running mock, describes it, waits for `ACTIVE`
//! (botocore has no waiter for batch segment jobs, so it polls `describe_batch_segment_job`
//! a bounded number of times) and lists it; also the modeled errors as boto3 reports them.
//!
//! Python comes from `$PERSONALIZE_PYTHON`, else `<workspace>/.venv/bin/python`; without
//! boto3 there the test fails and says how to get it.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{python, without_user_aws_config};
use personalize_mock::{JobSchedule, MockServer};
use serde_json::Value;

const SCENARIO: &str = r#"
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
    let server = MockServer::start().await.unwrap();
    // Slow enough that the first describe sees the job before it is ACTIVE.
    server.service().set_job_schedule(JobSchedule::new(
        Duration::from_millis(700),
        Duration::from_millis(700),
    ));
    let url = server.url();
    let sv = "arn:aws:personalize:us-east-1:123456789012:solution/movies/7c1b2a3d";
    let role = "arn:aws:iam::123456789012:role/PersonalizeS3";
    let output = tokio::task::spawn_blocking(move || {
        without_user_aws_config(Command::new(&python).args(["-c", SCENARIO, &url, sv, role]))
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "boto3 scenario failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: Value = serde_json::from_slice(&output.stdout).unwrap();
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
    assert_eq!(
        job["roleArn"],
        "arn:aws:iam::123456789012:role/PersonalizeS3"
    );
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
