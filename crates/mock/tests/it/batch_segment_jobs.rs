//! CreateBatchSegmentJob and DescribeBatchSegmentJob through the transport-free handler:
//! create → describe → list agree, parents must exist, duplicates, not found, invalid inputs,
//! the status schedule, accounts and regions, and no request ever gets a 500.

use std::time::Duration;

use crate::common::{awsjson_headers, handle, job, parents, seed_of, FILTER, ROLE, SV1};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use personalize_mock::{Clock, ManualClock, MockService, Schedule, Schedules};
use personalize_model::DateTime;
use rstest::rstest;
use serde_json::{json, Value};

const CREATE: &str = "CreateBatchSegmentJob";
const DESCRIBE: &str = "DescribeBatchSegmentJob";
const LIST: &str = "ListBatchSegmentJobs";
const JOB1: &str = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/segments-1";

/// Sends one awsJson request to the handler: (status, `__type` or "", body).
fn post(service: &MockService, op: &str, body: &str) -> (u16, String, Value) {
    handle(service, op, body)
}

/// A handler holding the parents jobs are created under (see [`parents`]).
fn service() -> MockService {
    let service = MockService::default();
    service.seed(&parents()).unwrap();
    service
}

/// The number of batch segment jobs stored (the parents are not counted).
fn job_count(service: &MockService) -> usize {
    let (status, _, body) = post(service, LIST, "{}");
    assert_eq!(status, 200, "{body}");
    let jobs = body["batchSegmentJobs"].as_array().unwrap().len();
    assert!(jobs < 100, "more than a page of jobs");
    jobs
}

fn create_body(name: &str) -> Value {
    json!({
        "jobName": name,
        "solutionVersionArn": SV1,
        "filterArn": FILTER,
        "numResults": 25,
        "jobInput": {"s3DataSource": {"path": "s3://bucket/users.json"}},
        "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/", "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k1"}},
        "roleArn": ROLE,
        "tags": [{"tagKey": "team", "tagValue": "ml"}]
    })
}

fn create(service: &MockService, body: &Value) -> (u16, String, Value) {
    post(service, CREATE, &body.to_string())
}

fn describe(service: &MockService, arn: &str) -> (u16, String, Value) {
    post(
        service,
        DESCRIBE,
        &json!({ "batchSegmentJobArn": arn }).to_string(),
    )
}

fn listed(service: &MockService, arn: &str) -> Value {
    let (status, _, body) = post(service, LIST, "{}");
    assert_eq!(status, 200, "{body}");
    body["batchSegmentJobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["batchSegmentJobArn"] == arn)
        .cloned()
        .unwrap_or_else(|| panic!("{arn} not listed in {body}"))
}

/// A service on a manual clock at 1,700,000,000 s with the given schedule.
fn manual(schedule: Schedule) -> (MockService, ManualClock) {
    let service = service();
    let clock = ManualClock::new(DateTime::from_secs(1_700_000_000));
    service.set_clock(Clock::Manual(clock.clone()));
    service.set_schedules(Schedules::all(schedule));
    (service, clock)
}

#[test]
fn create_describe_and_list_agree() {
    let service = service();
    let (status, _, body) = create(&service, &create_body("segments-1"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "batchSegmentJobArn": JOB1 }));

    let (status, _, body) = describe(&service, JOB1);
    assert_eq!(status, 200, "{body}");
    let job = &body["batchSegmentJob"];
    let input = create_body("segments-1");
    for member in [
        "jobName",
        "solutionVersionArn",
        "filterArn",
        "numResults",
        "jobInput",
        "jobOutput",
        "roleArn",
    ] {
        assert_eq!(job[member], input[member], "{member} in {job}");
    }
    assert_eq!(job["batchSegmentJobArn"], JOB1);
    // Default schedule: immediate, so the first look already sees ACTIVE.
    assert_eq!(job["status"], "ACTIVE");
    assert!(job.get("failureReason").is_none(), "{job}");
    assert!(
        job.get("tags").is_none(),
        "tags are not a BatchSegmentJob member: {job}"
    );
    let created = job["creationDateTime"].as_f64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - created).abs() < 60.0, "{created} vs now {now}");
    assert_eq!(job["lastUpdatedDateTime"], job["creationDateTime"]);

    let summary = listed(&service, JOB1);
    for member in [
        "jobName",
        "solutionVersionArn",
        "status",
        "creationDateTime",
        "lastUpdatedDateTime",
    ] {
        assert_eq!(summary[member], job[member], "{member}");
    }
    // The list filtered by the solution version finds it too.
    let (_, _, page) = post(
        &service,
        LIST,
        &json!({ "solutionVersionArn": SV1 }).to_string(),
    );
    assert_eq!(page["batchSegmentJobs"][0]["batchSegmentJobArn"], JOB1);
}

#[test]
fn minimal_create_has_only_the_given_members() {
    let service = service();
    let body = json!({
        "jobName": "m",
        "solutionVersionArn": SV1,
        "jobInput": {"s3DataSource": {"path": "s3://b/in"}},
        "jobOutput": {"s3DataDestination": {"path": "s3://b/out"}},
        "roleArn": ROLE
    });
    let (status, _, out) = create(&service, &body);
    assert_eq!(status, 200, "{out}");
    let arn = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/m";
    assert_eq!(out["batchSegmentJobArn"], arn);
    let (_, _, described) = describe(&service, arn);
    let job = described["batchSegmentJob"].as_object().unwrap();
    let mut members: Vec<&str> = job.keys().map(String::as_str).collect();
    members.sort();
    assert_eq!(
        members,
        [
            "batchSegmentJobArn",
            "creationDateTime",
            "jobInput",
            "jobName",
            "jobOutput",
            "lastUpdatedDateTime",
            "roleArn",
            "solutionVersionArn",
            "status"
        ]
    );
}

#[test]
fn resources_live_in_the_callers_account_and_region() {
    let accounts = [("AKIDOTHER".to_owned(), "210987654321".to_owned())].into();
    let service = MockService::with_accounts(accounts, personalize_mock::DEFAULT_ACCOUNT);
    let other_sv = "arn:aws:personalize:eu-west-1:210987654321:solution/s/v1";
    let seeded =
        json!({"solutionVersions": [{"solutionVersionArn": other_sv, "status": "ACTIVE"}]});
    assert_eq!(service.seed(&seeded).unwrap(), 1);
    let body = json!({
        "jobName": "m",
        "solutionVersionArn": other_sv,
        "jobInput": {"s3DataSource": {"path": "s3://b/in"}},
        "jobOutput": {"s3DataDestination": {"path": "s3://b/out"}},
        "roleArn": "arn:aws:iam::210987654321:role/R"
    });
    let send = |key: &str, region: &str, op: &str, body: &Value| {
        let response = service.handle_parts(
            Method::POST,
            "/",
            awsjson_headers(op, Some((key, region))),
            Bytes::from(body.to_string()),
        );
        let status = response.status().as_u16();
        (
            status,
            serde_json::from_slice::<Value>(response.body()).unwrap(),
        )
    };
    // The default account does not see the other account's solution version.
    let (status, out) = send("AKIDEXAMPLE", "eu-west-1", CREATE, &body);
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["__type"], "ResourceNotFoundException", "{out}");
    // Nor does the mapped key in another region.
    let (status, out) = send("AKIDOTHER", "us-east-1", CREATE, &body);
    assert_eq!(
        (status, &out["__type"]),
        (400, &json!("ResourceNotFoundException"))
    );
    // In its account and region the job is made there, its ARN saying so.
    let (status, out) = send("AKIDOTHER", "eu-west-1", CREATE, &body);
    assert_eq!(status, 200, "{out}");
    let arn = "arn:aws:personalize:eu-west-1:210987654321:batch-segment-job/m";
    assert_eq!(out["batchSegmentJobArn"], arn);
    assert_eq!(service.resource(arn).unwrap()["jobName"], "m");
    let (_, listed) = send("AKIDOTHER", "eu-west-1", LIST, &json!({}));
    assert_eq!(listed["batchSegmentJobs"][0]["batchSegmentJobArn"], arn);
    for (key, region) in [("AKIDEXAMPLE", "eu-west-1"), ("AKIDOTHER", "us-east-1")] {
        let (_, listed) = send(key, region, LIST, &json!({}));
        assert_eq!(listed, json!({"batchSegmentJobs": []}), "{key} in {region}");
        let (status, out) = send(key, region, DESCRIBE, &json!({ "batchSegmentJobArn": arn }));
        assert_eq!(
            (status, &out["__type"]),
            (400, &json!("ResourceNotFoundException"))
        );
    }
}

#[test]
fn parents_must_exist() {
    let service = service();
    let missing_sv = "arn:aws:personalize:us-east-1:123456789012:solution/movies/00000009";
    let (status, code, out) = create(
        &service,
        &with("solutionVersionArn", Some(json!(missing_sv))),
    );
    assert_eq!(
        (status, code.as_str()),
        (400, "ResourceNotFoundException"),
        "{out}"
    );
    assert_eq!(
        out["message"],
        format!("Could not find solution version with ARN {missing_sv}.")
    );
    let missing_filter = "arn:aws:personalize:us-east-1:123456789012:filter/gone";
    let (status, code, out) = create(&service, &with("filterArn", Some(json!(missing_filter))));
    assert_eq!(
        (status, code.as_str()),
        (400, "ResourceNotFoundException"),
        "{out}"
    );
    assert!(
        out["message"].as_str().unwrap().contains(missing_filter),
        "{out}"
    );
    assert_eq!(job_count(&service), 0);
}

#[test]
fn status_moves_on_the_schedule_and_stamps_each_change() {
    let (service, clock) = manual(Schedule::new(
        Duration::from_secs(10),
        Duration::from_secs(20),
    ));
    let t0 = 1_700_000_000.0;
    assert_eq!(create(&service, &create_body("segments-1")).0, 200);
    let look = |expected: &str, updated: f64| {
        let (_, _, body) = describe(&service, JOB1);
        let job = &body["batchSegmentJob"];
        assert_eq!(job["status"], expected, "{job}");
        assert_eq!(job["creationDateTime"].as_f64(), Some(t0));
        assert_eq!(job["lastUpdatedDateTime"].as_f64(), Some(updated), "{job}");
        let summary = listed(&service, JOB1);
        assert_eq!(summary["status"], expected);
        assert_eq!(summary["lastUpdatedDateTime"], job["lastUpdatedDateTime"]);
    };
    look("PENDING", t0);
    clock.advance(Duration::from_millis(9_999));
    look("PENDING", t0);
    clock.advance(Duration::from_millis(1));
    look("IN PROGRESS", t0 + 10.0);
    clock.advance(Duration::from_secs(19));
    look("IN PROGRESS", t0 + 10.0);
    clock.advance(Duration::from_secs(1));
    look("ACTIVE", t0 + 30.0);
    clock.advance(Duration::from_secs(3600));
    look("ACTIVE", t0 + 30.0);
}

#[test]
fn a_late_look_sees_both_changes_with_their_own_times() {
    let (service, clock) = manual(Schedule::new(
        Duration::from_millis(1500),
        Duration::from_secs(5),
    ));
    assert_eq!(create(&service, &create_body("segments-1")).0, 200);
    clock.advance(Duration::from_secs(3600));
    // A listing (not a describe) is the first to look.
    let summary = listed(&service, JOB1);
    assert_eq!(summary["status"], "ACTIVE");
    assert_eq!(
        summary["lastUpdatedDateTime"].as_f64(),
        Some(1_700_000_006.5)
    );
}

#[test]
fn schedule_applies_to_jobs_created_after_it_is_set() {
    let (service, clock) = manual(Schedule::IMMEDIATE);
    assert_eq!(create(&service, &create_body("now")).0, 200);
    service.set_schedules(Schedules::all(Schedule::new(
        Duration::from_secs(60),
        Duration::ZERO,
    )));
    assert_eq!(create(&service, &create_body("later")).0, 200);
    let status = |name: &str| {
        let arn = format!("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/{name}");
        describe(&service, &arn).2["batchSegmentJob"]["status"].clone()
    };
    assert_eq!(status("now"), "ACTIVE");
    assert_eq!(status("later"), "PENDING");
    clock.advance(Duration::from_secs(60));
    assert_eq!(status("later"), "ACTIVE");
}

#[test]
fn duplicate_name_is_refused_and_the_job_kept() {
    let (service, clock) = manual(Schedule::new(Duration::from_secs(10), Duration::ZERO));
    assert_eq!(create(&service, &create_body("segments-1")).0, 200);
    clock.advance(Duration::from_secs(1));
    let mut again = create_body("segments-1");
    again["numResults"] = json!(7);
    let (status, code, body) = create(&service, &again);
    assert_eq!(
        (status, code.as_str()),
        (400, "ResourceAlreadyExistsException")
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("segments-1") && message.contains(JOB1),
        "{message}"
    );
    let job = describe(&service, JOB1).2["batchSegmentJob"].clone();
    assert_eq!(job["numResults"], 25);
    assert_eq!(job["creationDateTime"].as_f64(), Some(1_700_000_000.0));
    assert_eq!(job_count(&service), 1);
}

#[test]
fn a_seeded_job_blocks_its_name_and_is_describable() {
    let service = service();
    let seeded = job(3); // .../batch-segment-job/seg-3, ACTIVE
    service
        .seed(&seed_of(std::slice::from_ref(&seeded)))
        .unwrap();
    let arn = seeded.batch_segment_job_arn.clone().unwrap();
    let (status, _, body) = describe(&service, &arn);
    assert_eq!(status, 200, "{body}");
    let expected = json!({ "batchSegmentJob": serde_json::to_value(&seeded).unwrap() });
    assert_eq!(body, expected);
    let (status, code, _) = create(&service, &create_body("seg-3"));
    assert_eq!(
        (status, code.as_str()),
        (400, "ResourceAlreadyExistsException")
    );

    // A failed seeded job keeps its failure reason.
    let failed = job(5);
    service
        .seed(&seed_of(std::slice::from_ref(&failed)))
        .unwrap();
    let (_, _, body) = describe(&service, failed.batch_segment_job_arn.as_deref().unwrap());
    assert_eq!(body["batchSegmentJob"]["failureReason"], "out of memory");
    assert_eq!(body["batchSegmentJob"]["status"], "CREATE FAILED");
}

#[test]
fn a_seed_member_naming_no_list_is_refused_not_ignored() {
    let service = MockService::default();
    // ListFilters' items member is `Filters`: a seed saying `filters` would otherwise store
    // nothing, silently.
    let err = service
        .seed(&json!({"filters": [{"filterArn": FILTER}], "batchSegmentJobs": []}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown member \"filters\""), "{err}");
    assert!(
        err.contains("Filters"),
        "the message lists the members: {err}"
    );
    // What `aws personalize list-…` prints beside the items, and a state file's version, are
    // not resources and are skipped.
    let seed = json!({"version": 2, "nextToken": "t", "Filters": [{"filterArn": FILTER}]});
    assert_eq!(service.seed(&seed).unwrap(), 1);
}

#[test]
fn describe_unknown_job_is_not_found() {
    let service = service();
    let arn = "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/nope";
    let (status, code, body) = describe(&service, arn);
    assert_eq!((status, code.as_str()), (400, "ResourceNotFoundException"));
    assert_eq!(
        body["message"],
        format!("Could not find batch segment job with ARN {arn}.")
    );
}

#[test]
fn reset_forgets_created_jobs_and_their_details() {
    let service = service();
    assert_eq!(create(&service, &create_body("segments-1")).0, 200);
    service.reset();
    assert_eq!(describe(&service, JOB1).1, "ResourceNotFoundException");
    assert!(service.is_empty(), "reset removes the parents too");
    // The same ARN stored again by other means does not inherit the old details.
    let mut seeded = job(0);
    seeded.batch_segment_job_arn = Some(JOB1.to_owned());
    service.seed(&seed_of(&[seeded])).unwrap();
    let job = describe(&service, JOB1).2["batchSegmentJob"].clone();
    assert!(job.get("roleArn").is_none(), "{job}");
    assert_eq!(job["status"], "CREATE FAILED");
    // After another reset (and the parents seeded again) the name is free again.
    service.reset();
    service.seed(&parents()).unwrap();
    assert_eq!(create(&service, &create_body("segments-1")).0, 200);
}

#[test]
fn concurrent_creations_of_one_name_make_one_job() {
    let service = service();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let service = service.clone();
            std::thread::spawn(move || create(&service, &create_body("race")).0)
        })
        .collect();
    let mut statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 400, 400, 400, 400, 400, 400, 400]);
    assert_eq!(job_count(&service), 1);
}

/// `body` with member `path` (slash-separated) set to `value`, or removed when `None`.
fn with(path: &str, value: Option<Value>) -> Value {
    let mut body = create_body("segments-1");
    let (parent, last) = match path.rsplit_once('/') {
        Some((parent, last)) => (parent, last),
        None => ("", path),
    };
    let target = if parent.is_empty() {
        &mut body
    } else {
        body.pointer_mut(&format!("/{parent}")).unwrap()
    };
    match (value, target) {
        (Some(v), Value::Array(items)) => items[last.parse::<usize>().unwrap()] = v,
        (Some(v), target) => target[last] = v,
        (None, target) => {
            target.as_object_mut().unwrap().remove(last);
        }
    }
    body
}

#[rstest]
#[case::no_name(
    with("jobName", None),
    "Value null at 'jobName' failed to satisfy constraint: Member must not be null"
)]
#[case::no_solution_version(
    with("solutionVersionArn", None),
    "at 'solutionVersionArn' failed to satisfy constraint: Member must not be null"
)]
#[case::no_input(
    with("jobInput", None),
    "at 'jobInput' failed to satisfy constraint: Member must not be null"
)]
#[case::no_input_source(
    with("jobInput/s3DataSource", None),
    "at 'jobInput.s3DataSource' failed to satisfy constraint: Member must not be null"
)]
#[case::no_output_path(
    with("jobOutput/s3DataDestination/path", None),
    "at 'jobOutput.s3DataDestination.path' failed to satisfy constraint: Member must not be null"
)]
#[case::no_role(
    with("roleArn", None),
    "at 'roleArn' failed to satisfy constraint: Member must not be null"
)]
#[case::name_pattern(with("jobName", Some(json!("bad name"))), "Value 'bad name' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
#[case::name_too_long(with("jobName", Some(json!("a".repeat(64)))), "at 'jobName' failed to satisfy constraint: Member must have length less than or equal to 63")]
#[case::empty_name(with("jobName", Some(json!(""))), "at 'jobName' failed to satisfy constraint: Member must have length greater than or equal to 1")]
#[case::not_an_arn(with("solutionVersionArn", Some(json!("not-an-arn"))), "Value 'not-an-arn' at 'solutionVersionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:([a-z\\d-]+):personalize:.*:.*:.+$")]
#[case::role_not_iam(with("roleArn", Some(json!("arn:aws:s3:::bucket"))), "at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern")]
#[case::role_short_account(with("roleArn", Some(json!("arn:aws:iam::123:role/R"))), "at 'roleArn'")]
#[case::input_not_s3(with("jobInput/s3DataSource/path", Some(json!("ftp://x"))), "Value 'ftp://x' at 'jobInput.s3DataSource.path'")]
#[case::kms_not_kms(with("jobOutput/s3DataDestination/kmsKeyArn", Some(json!("key"))), "at 'jobOutput.s3DataDestination.kmsKeyArn'")]
#[case::empty_tag_key(with("tags", Some(json!([{"tagKey": "", "tagValue": "v"}]))), "at 'tags.0.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1")]
#[case::tag_without_value(with("tags", Some(json!([{"tagKey": "k"}]))), "at 'tags.0.tagValue' failed to satisfy constraint: Member must not be null")]
fn invalid_create_input(#[case] body: Value, #[case] fragment: &str) {
    let service = service();
    let (status, code, reply) = create(&service, &body);
    assert_eq!(
        (status, code.as_str()),
        (400, "InvalidInputException"),
        "{reply}"
    );
    let message = reply["message"].as_str().unwrap();
    assert!(
        message.contains(fragment),
        "{fragment:?} not in {message:?}"
    );
    assert_eq!(job_count(&service), 0);
}

/// ARNs the model's patterns accept but that name no stored parent of the right kind: the
/// engine looks the parent up (the old hand-written checks of ARN forms are gone).
#[rstest]
#[case::campaign_not_solution_version(
    "solutionVersionArn",
    "arn:aws:personalize:us-east-1:123456789012:campaign/c",
    "solution version"
)]
#[case::solution_without_version(
    "solutionVersionArn",
    "arn:aws:personalize:us-east-1:123456789012:solution/movies",
    "solution version"
)]
#[case::other_account(
    "solutionVersionArn",
    "arn:aws:personalize:us-east-1:1:solution/movies/1",
    "solution version"
)]
#[case::no_region(
    "solutionVersionArn",
    "arn:aws:personalize::123456789012:solution/movies/1",
    "solution version"
)]
#[case::filter_not_a_filter(
    "filterArn",
    "arn:aws:personalize:us-east-1:123456789012:solution/s/1",
    "filter"
)]
#[case::solution_version_as_filter("filterArn", SV1, "filter")]
fn unknown_parents_are_not_found(#[case] member: &str, #[case] arn: &str, #[case] words: &str) {
    let service = service();
    let (status, code, reply) = create(&service, &with(member, Some(json!(arn))));
    assert_eq!(
        (status, code.as_str()),
        (400, "ResourceNotFoundException"),
        "{reply}"
    );
    assert_eq!(
        reply["message"],
        format!("Could not find {words} with ARN {arn}.")
    );
    assert_eq!(job_count(&service), 0);
}

/// What the model does not constrain is stored as given (the old mock's hand-written range
/// for numResults and its role/solution version partition check are not in the model).
#[rstest]
#[case::num_results_zero("numResults", json!(0))]
#[case::num_results_beyond_the_documented_5_million("numResults", json!(5_000_001))]
#[case::role_of_another_partition("roleArn", json!("arn:aws-cn:iam::123456789012:role/R"))]
fn what_the_model_allows_is_stored(#[case] member: &str, #[case] value: Value) {
    let service = service();
    let (status, _, reply) = create(&service, &with(member, Some(value.clone())));
    assert_eq!(status, 200, "{reply}");
    assert_eq!(describe(&service, JOB1).2["batchSegmentJob"][member], value);
}

#[test]
fn every_missing_required_member_is_reported_at_once() {
    let service = service();
    let (status, code, reply) = post(&service, CREATE, "{}");
    assert_eq!((status, code.as_str()), (400, "InvalidInputException"));
    let message = reply["message"].as_str().unwrap();
    assert!(
        message.starts_with("5 validation errors detected: "),
        "{message}"
    );
}

#[test]
fn too_many_tags() {
    let service = service();
    let tags: Vec<Value> = (0..51)
        .map(|i| json!({"tagKey": format!("k{i}"), "tagValue": "v"}))
        .collect();
    let (status, code, reply) = create(&service, &with("tags", Some(json!(tags))));
    assert_eq!(
        (status, code.as_str()),
        (400, "TooManyTagsException"),
        "{reply}"
    );
    let fifty = &with("tags", Some(json!(tags[..50].to_vec())));
    assert_eq!(create(&service, fifty).0, 200);
}

#[rstest]
#[case::string_count(r#"{"jobName":"j","numResults":"5"}"#, "'numResults'")]
#[case::beyond_32_bits(r#"{"jobName":"j","numResults":4294967296}"#, "'numResults'")]
#[case::fraction(r#"{"jobName":"j","numResults":1.5}"#, "'numResults'")]
#[case::input_not_object(r#"{"jobName":"j","jobInput":"s3://x"}"#, "'jobInput'")]
#[case::tags_not_list(r#"{"tags":{"a":"b"}}"#, "'tags'")]
#[case::array_body(r#"[1]"#, "must be a JSON object")]
#[case::not_json(r#"{"jobName":"#, "not valid JSON")]
fn wrong_json_types_are_serialization_errors(#[case] body: &str, #[case] fragment: &str) {
    let service = service();
    let (status, code, reply) = post(&service, CREATE, body);
    assert_eq!(
        (status, code.as_str()),
        (400, "SerializationException"),
        "{reply}"
    );
    let message = reply["message"].as_str().unwrap();
    assert!(
        message.contains(fragment),
        "{fragment:?} not in {message:?}"
    );
}

#[rstest]
#[case::missing(json!({}), "Value null at 'batchSegmentJobArn' failed to satisfy constraint: Member must not be null")]
#[case::bad_arn(json!({"batchSegmentJobArn": "job-1"}), "Value 'job-1' at 'batchSegmentJobArn' failed to satisfy constraint: Member must satisfy regular expression pattern")]
#[case::too_long(json!({"batchSegmentJobArn": format!("arn:aws:personalize:us-east-1:1:batch-segment-job/{}", "x".repeat(250))}), "Member must have length less than or equal to 256")]
fn invalid_describe_input(#[case] body: Value, #[case] fragment: &str) {
    let service = service();
    let (status, code, reply) = post(&service, DESCRIBE, &body.to_string());
    assert_eq!(
        (status, code.as_str()),
        (400, "InvalidInputException"),
        "{reply}"
    );
    let message = reply["message"].as_str().unwrap();
    assert!(
        message.contains(fragment),
        "{fragment:?} not in {message:?}"
    );
}

#[test]
fn new_targets_still_need_the_awsjson_content_type() {
    let service = service();
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let target = format!("AmazonPersonalize.{CREATE}");
    headers.insert("x-amz-target", HeaderValue::from_str(&target).unwrap());
    let response = service.handle_parts(Method::POST, "/", headers, Bytes::from_static(b"{}"));
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body["__type"], "UnknownOperationException");
    assert!(
        body["message"].as_str().unwrap().contains(&target),
        "{body}"
    );
}

#[test]
fn typed_calls_match_the_wire() {
    use personalize_mock::{Context, Handler, Reply};
    use personalize_model::operation::create_batch_segment_job::{
        CreateBatchSegmentJob, CreateBatchSegmentJobError, CreateBatchSegmentJobInput,
        CreateBatchSegmentJobOutput,
    };
    use personalize_model::operation::describe_batch_segment_job::{
        DescribeBatchSegmentJob, DescribeBatchSegmentJobError, DescribeBatchSegmentJobInput,
        DescribeBatchSegmentJobOutput,
    };
    fn output<T: serde::de::DeserializeOwned>(reply: Reply<T>) -> T {
        match reply {
            Reply::Output(output) => output,
            Reply::Json(bytes) => serde_json::from_slice(&bytes).unwrap(),
        }
    }
    let service = service();
    let ctx = Context {
        request_id: "typed".to_owned(),
        account: personalize_mock::DEFAULT_ACCOUNT.to_owned(),
        region: personalize_mock::DEFAULT_REGION.to_owned(),
    };
    let input: CreateBatchSegmentJobInput = serde_json::from_value(create_body("typed")).unwrap();
    let created: CreateBatchSegmentJobOutput = output(
        service
            .generic::<CreateBatchSegmentJob>(&ctx, input.clone())
            .unwrap(),
    );
    let arn = created.batch_segment_job_arn.unwrap();
    assert!(matches!(
        service.generic::<CreateBatchSegmentJob>(&ctx, input.clone()),
        Err(CreateBatchSegmentJobError::ResourceAlreadyExistsException(
            _
        ))
    ));
    let described: DescribeBatchSegmentJobOutput = output(
        service
            .generic::<DescribeBatchSegmentJob>(
                &ctx,
                DescribeBatchSegmentJobInput::builder()
                    .batch_segment_job_arn(arn.clone())
                    .build(),
            )
            .unwrap(),
    );
    let job = described.batch_segment_job.unwrap();
    assert_eq!(job.job_input, input.job_input);
    assert_eq!(job.status.as_deref(), Some("ACTIVE"));
    // The same job on the wire.
    let (_, _, wire) = describe(&service, &arn);
    assert_eq!(wire["batchSegmentJob"], serde_json::to_value(&job).unwrap());
    assert!(matches!(
        service.generic::<DescribeBatchSegmentJob>(
            &ctx,
            DescribeBatchSegmentJobInput::builder()
                .batch_segment_job_arn(format!("{arn}-gone"))
                .build()
        ),
        Err(DescribeBatchSegmentJobError::ResourceNotFoundException(_))
    ));
}

/// Replaces each member (and nested member) of a valid body by odd values: the answer is
/// always 200 or a 400 with a code, never a 500.
#[test]
fn no_mutation_of_a_create_body_gets_a_500() {
    let odd = [
        json!(null),
        json!(0),
        json!(-1),
        json!(2147483647),
        json!(-2147483649i64),
        json!(1e300),
        json!(""),
        json!("x".repeat(300)),
        json!("arn:aws:personalize:us-east-1:123456789012:solution/a/b"),
        json!("arn:aws:iam::123456789012:role/R"),
        json!("s3://b/p"),
        json!("\u{0000}\u{FFFF}é"),
        json!([]),
        json!([null]),
        json!({}),
        json!({"path": 1}),
        json!(true),
    ];
    let paths = [
        "jobName",
        "solutionVersionArn",
        "filterArn",
        "numResults",
        "jobInput",
        "jobInput/s3DataSource",
        "jobInput/s3DataSource/path",
        "jobInput/s3DataSource/kmsKeyArn",
        "jobOutput",
        "jobOutput/s3DataDestination",
        "jobOutput/s3DataDestination/path",
        "roleArn",
        "tags",
        "tags/0",
        "tags/0/tagKey",
        "tags/0/tagValue",
        "unknownMember",
    ];
    let service = service();
    let mut created = 0;
    for (i, path) in paths.iter().enumerate() {
        for (j, value) in odd.iter().enumerate() {
            let mut body = with(path, Some(value.clone()));
            body["jobName"] = match *path {
                "jobName" => value.clone(),
                _ => json!(format!("m{i}-{j}")),
            };
            for target in [CREATE, DESCRIBE] {
                let (status, code, reply) = post(&service, target, &body.to_string());
                assert!(
                    status == 200 || (status == 400 && !code.is_empty()),
                    "{target} {path}={value}: {status} {reply}"
                );
                created += usize::from(target == CREATE && status == 200);
            }
        }
    }
    assert_eq!(job_count(&service), created);
    assert!(created > 20, "only {created} valid mutations");
}
