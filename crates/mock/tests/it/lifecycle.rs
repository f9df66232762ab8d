//! The engine's generic rules beyond Create/Describe/List, on a manual clock: delete steps,
//! updates, start/stop, tags, and page tokens bound to their caller.

use std::time::Duration;

use bytes::Bytes;
use http::Method;
use personalize_mock::{Clock, ManualClock, MockService, Schedules};
use personalize_model::DateTime;
use serde_json::{json, Value};

use crate::common::{awsjson_headers, handle};

const ACCOUNT: &str = "arn:aws:personalize:us-east-1:123456789012";
const RECIPE: &str = "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views";

/// A handler on a manual clock with these `--delays` values.
fn manual(delays: &[&str]) -> (MockService, ManualClock) {
    let service = MockService::default();
    let clock = ManualClock::new(DateTime::from_secs(1_700_000_000));
    service.set_clock(Clock::Manual(clock.clone()));
    let mut schedules = Schedules::default();
    for d in delays {
        schedules = schedules.set(d).unwrap();
    }
    service.set_schedules(schedules);
    (service, clock)
}

fn ok(service: &MockService, op: &str, body: Value) -> Value {
    let (status, _, out) = handle(service, op, &body.to_string());
    assert_eq!(status, 200, "{op} {body}: {out}");
    out
}

fn err(service: &MockService, op: &str, body: Value) -> (String, String) {
    let (status, code, out) = handle(service, op, &body.to_string());
    assert_eq!(status, 400, "{op} {body}: {out}");
    (code, out["message"].as_str().unwrap_or_default().to_owned())
}

fn group_status(service: &MockService, arn: &str) -> Value {
    ok(
        service,
        "DescribeDatasetGroup",
        json!({ "datasetGroupArn": arn }),
    )["datasetGroup"]["status"]
        .clone()
}

#[test]
fn deletes_pass_their_steps_on_the_schedule_then_vanish() {
    let (s, clock) = manual(&["DatasetGroup=1s,1s"]);
    let arn = ok(&s, "CreateDatasetGroup", json!({"name": "dg"}))["datasetGroupArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(group_status(&s, &arn), "CREATE PENDING");
    let (code, message) = err(&s, "DeleteDatasetGroup", json!({ "datasetGroupArn": arn }));
    assert_eq!(code, "ResourceInUseException");
    assert!(message.contains("CREATE PENDING"), "{message}");
    clock.advance(Duration::from_secs(1));
    assert_eq!(group_status(&s, &arn), "CREATE IN_PROGRESS");
    clock.advance(Duration::from_secs(1));
    assert_eq!(group_status(&s, &arn), "ACTIVE");

    ok(&s, "DeleteDatasetGroup", json!({ "datasetGroupArn": arn }));
    assert_eq!(group_status(&s, &arn), "DELETE PENDING");
    let listed = ok(&s, "ListDatasetGroups", json!({}));
    assert_eq!(listed["datasetGroups"][0]["status"], "DELETE PENDING");
    // Dataset groups document DELETE PENDING only: no DELETE IN_PROGRESS before they vanish.
    clock.advance(Duration::from_secs(1));
    assert_eq!(group_status(&s, &arn), "DELETE PENDING");
    clock.advance(Duration::from_secs(1));
    let (code, _) = err(
        &s,
        "DescribeDatasetGroup",
        json!({ "datasetGroupArn": arn }),
    );
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(
        ok(&s, "ListDatasetGroups", json!({})),
        json!({"datasetGroups": []})
    );
    assert!(s.is_empty());
}

#[test]
fn the_library_view_of_a_resource_follows_the_clock_too() {
    let (s, clock) = manual(&["DatasetGroup=1s,1s"]);
    let arn = ok(&s, "CreateDatasetGroup", json!({"name": "dg"}))["datasetGroupArn"]
        .as_str()
        .unwrap()
        .to_owned();
    clock.advance(Duration::from_secs(5));
    // No request has looked since: `resource` and `dump` still show what Describe would.
    assert_eq!(s.resource(&arn).unwrap()["status"], "ACTIVE");
    let dump: Value = serde_json::from_slice(&s.dump()).unwrap();
    assert_eq!(dump["datasetGroups"][0]["status"], "ACTIVE");
}

#[test]
fn updates_set_members_and_the_latest_update_block() {
    let (s, clock) = manual(&["Dataset=0s,10s"]);
    let schema = |name: &str| {
        ok(&s, "CreateSchema", json!({"name": name, "schema": "{}"}))["schemaArn"].clone()
    };
    let (first, second) = (schema("s1"), schema("s2"));
    let group = ok(&s, "CreateDatasetGroup", json!({"name": "dg"}))["datasetGroupArn"].clone();
    let dataset = ok(
        &s,
        "CreateDataset",
        json!({"name": "d", "schemaArn": first, "datasetGroupArn": group, "datasetType": "ITEMS"}),
    )["datasetArn"]
        .clone();
    assert_eq!(dataset, format!("{ACCOUNT}:dataset/dg/ITEMS"));
    let describe =
        || ok(&s, "DescribeDataset", json!({ "datasetArn": dataset }))["dataset"].clone();
    let (code, _) = err(
        &s,
        "UpdateDataset",
        json!({"datasetArn": dataset, "schemaArn": second}),
    );
    assert_eq!(code, "ResourceInUseException", "not ACTIVE yet");
    clock.advance(Duration::from_secs(10));
    assert_eq!(describe()["status"], "ACTIVE");

    let missing = format!("{ACCOUNT}:schema/none");
    let (code, _) = err(
        &s,
        "UpdateDataset",
        json!({"datasetArn": dataset, "schemaArn": missing}),
    );
    assert_eq!(code, "ResourceNotFoundException");

    let out = ok(
        &s,
        "UpdateDataset",
        json!({"datasetArn": dataset, "schemaArn": second}),
    );
    assert_eq!(out, json!({ "datasetArn": dataset }));
    let updated = describe();
    assert_eq!(updated["schemaArn"], second);
    assert_eq!(updated["latestDatasetUpdate"]["schemaArn"], second);
    // No time in the first step: the update is IN_PROGRESS at once.
    assert_eq!(
        updated["latestDatasetUpdate"]["status"],
        "CREATE IN_PROGRESS"
    );
    clock.advance(Duration::from_secs(10));
    let done = describe();
    assert_eq!(done["latestDatasetUpdate"]["status"], "ACTIVE");
    assert_eq!(done["status"], "ACTIVE");
    assert_eq!(
        done["lastUpdatedDateTime"].as_f64(),
        Some(1_700_000_020.0),
        "{done}"
    );
}

#[test]
fn recommenders_stop_and_start_from_the_right_status_only() {
    let (s, clock) = manual(&["Recommender=1s,1s"]);
    let group = ok(
        &s,
        "CreateDatasetGroup",
        json!({"name": "shop", "domain": "ECOMMERCE"}),
    )["datasetGroupArn"]
        .clone();
    let arn = ok(
        &s,
        "CreateRecommender",
        json!({"name": "r", "datasetGroupArn": group, "recipeArn": RECIPE}),
    )["recommenderArn"]
        .clone();
    let status = || {
        ok(&s, "DescribeRecommender", json!({ "recommenderArn": arn }))["recommender"]["status"]
            .clone()
    };
    let (code, _) = err(&s, "StopRecommender", json!({ "recommenderArn": arn }));
    assert_eq!(code, "ResourceInUseException");
    clock.advance(Duration::from_secs(2));
    assert_eq!(status(), "ACTIVE");
    let (code, message) = err(&s, "StartRecommender", json!({ "recommenderArn": arn }));
    assert_eq!(code, "ResourceInUseException");
    assert!(message.contains("INACTIVE"), "{message}");
    assert_eq!(
        ok(&s, "StopRecommender", json!({ "recommenderArn": arn })),
        json!({ "recommenderArn": arn })
    );
    assert_eq!(status(), "STOP PENDING");
    clock.advance(Duration::from_secs(2));
    assert_eq!(status(), "INACTIVE");
    ok(&s, "StartRecommender", json!({ "recommenderArn": arn }));
    assert_eq!(status(), "START PENDING");
    clock.advance(Duration::from_secs(2));
    assert_eq!(status(), "ACTIVE");
}

#[test]
fn tags_are_capped_at_50_and_removed_by_key() {
    let s = MockService::default();
    let arn = ok(&s, "CreateDatasetGroup", json!({"name": "dg"}))["datasetGroupArn"].clone();
    let tags = |range: std::ops::Range<usize>| -> Vec<Value> {
        range
            .map(|i| json!({"tagKey": format!("k{i}"), "tagValue": "v"}))
            .collect()
    };
    ok(
        &s,
        "TagResource",
        json!({"resourceArn": arn, "tags": tags(0..49)}),
    );
    // Retagging a key replaces its value and does not count twice.
    ok(
        &s,
        "TagResource",
        json!({"resourceArn": arn, "tags": [{"tagKey": "k0", "tagValue": "w"}, {"tagKey": "k49", "tagValue": "v"}]}),
    );
    let (code, _) = err(
        &s,
        "TagResource",
        json!({"resourceArn": arn, "tags": tags(50..51)}),
    );
    assert_eq!(code, "TooManyTagsException");
    let listed = ok(&s, "ListTagsForResource", json!({ "resourceArn": arn }));
    let listed = listed["tags"].as_array().unwrap();
    assert_eq!(listed.len(), 50);
    assert_eq!(listed[0], json!({"tagKey": "k0", "tagValue": "w"}));
    ok(
        &s,
        "UntagResource",
        json!({"resourceArn": arn, "tagKeys": ["k0", "nope"]}),
    );
    let listed = ok(&s, "ListTagsForResource", json!({ "resourceArn": arn }));
    assert_eq!(listed["tags"].as_array().unwrap().len(), 49);
    let gone = format!("{ACCOUNT}:dataset-group/gone");
    let (code, _) = err(&s, "ListTagsForResource", json!({ "resourceArn": gone }));
    assert_eq!(code, "ResourceNotFoundException");
}

#[test]
fn a_page_token_is_bound_to_its_account_region_and_operation() {
    let accounts = [("AKIDB".to_owned(), "210987654321".to_owned())].into();
    let s = MockService::with_accounts(accounts, personalize_mock::DEFAULT_ACCOUNT);
    let groups: Vec<Value> = (0..3)
        .flat_map(|i| {
            ["123456789012", "210987654321"].map(|account| {
                json!({"datasetGroupArn": format!("arn:aws:personalize:us-east-1:{account}:dataset-group/g{i}"),
                       "name": format!("g{i}"), "status": "ACTIVE"})
            })
        })
        .collect();
    assert_eq!(s.seed(&json!({ "datasetGroups": groups })).unwrap(), 6);
    let list = |key: &str, region: &str, body: Value| {
        let response = s.handle_parts(
            Method::POST,
            "/",
            awsjson_headers("ListDatasetGroups", Some((key, region))),
            Bytes::from(body.to_string()),
        );
        let status = response.status().as_u16();
        (
            status,
            serde_json::from_slice::<Value>(response.body()).unwrap(),
        )
    };
    let (status, first) = list("AKIDA", "us-east-1", json!({"maxResults": 2}));
    assert_eq!(status, 200, "{first}");
    let token = first["nextToken"].as_str().unwrap().to_owned();
    let (status, rest) = list("AKIDA", "us-east-1", json!({"nextToken": token}));
    assert_eq!(status, 200, "{rest}");
    assert_eq!(rest["datasetGroups"].as_array().unwrap().len(), 1);
    for (key, region) in [("AKIDB", "us-east-1"), ("AKIDA", "eu-west-1")] {
        let (status, out) = list(key, region, json!({ "nextToken": token }));
        assert_eq!(status, 400, "{key} {region}: {out}");
        assert_eq!(out["__type"], "InvalidNextTokenException");
    }
    // Another List operation refuses it too.
    let (status, code, _) = handle(
        &s,
        "ListSchemas",
        &json!({ "nextToken": token }).to_string(),
    );
    assert_eq!((status, code.as_str()), (400, "InvalidNextTokenException"));
}

/// A solution in the default account; its ARN.
fn solution(s: &MockService) -> Value {
    let group = ok(s, "CreateDatasetGroup", json!({"name": "dg"}))["datasetGroupArn"].clone();
    let recipe = "arn:aws:personalize:::recipe/aws-user-personalization";
    ok(
        s,
        "CreateSolution",
        json!({"name": "sol", "datasetGroupArn": group, "recipeArn": recipe}),
    )["solutionArn"]
        .clone()
}

#[test]
fn solution_metrics_exist_once_active_and_do_not_change() {
    let (s, clock) = manual(&["SolutionVersion=1s,1s"]);
    let solution = solution(&s);
    let version = ok(
        &s,
        "CreateSolutionVersion",
        json!({ "solutionArn": solution }),
    )["solutionVersionArn"]
        .clone();
    let (code, message) = err(
        &s,
        "GetSolutionMetrics",
        json!({ "solutionVersionArn": version }),
    );
    assert_eq!(code, "ResourceInUseException");
    assert!(message.contains("CREATE PENDING"), "{message}");
    clock.advance(Duration::from_secs(2));
    let first = ok(
        &s,
        "GetSolutionMetrics",
        json!({ "solutionVersionArn": version }),
    );
    assert_eq!(first["solutionVersionArn"], version);
    let metrics = first["metrics"].as_object().unwrap();
    assert!(!metrics.is_empty(), "{first}");
    for (name, value) in metrics {
        let v = value.as_f64().unwrap();
        assert!((0.0..=1.0).contains(&v), "{name} = {v}");
    }
    assert_eq!(
        ok(
            &s,
            "GetSolutionMetrics",
            json!({ "solutionVersionArn": version })
        ),
        first
    );
}

#[test]
fn a_solution_version_being_created_can_be_stopped() {
    let (s, clock) = manual(&["SolutionVersion=1s,10s"]);
    let solution = solution(&s);
    let version = ok(
        &s,
        "CreateSolutionVersion",
        json!({ "solutionArn": solution }),
    )["solutionVersionArn"]
        .clone();
    let status = || {
        ok(
            &s,
            "DescribeSolutionVersion",
            json!({ "solutionVersionArn": version }),
        )["solutionVersion"]["status"]
            .clone()
    };
    clock.advance(Duration::from_secs(1));
    assert_eq!(status(), "CREATE IN_PROGRESS");
    ok(
        &s,
        "StopSolutionVersionCreation",
        json!({ "solutionVersionArn": version }),
    );
    assert_eq!(status(), "CREATE STOPPING");
    clock.advance(Duration::from_secs(11));
    assert_eq!(status(), "CREATE STOPPED");
    let (code, _) = err(
        &s,
        "StopSolutionVersionCreation",
        json!({ "solutionVersionArn": version }),
    );
    assert_eq!(code, "ResourceInUseException");
    let (code, _) = err(
        &s,
        "GetSolutionMetrics",
        json!({ "solutionVersionArn": version }),
    );
    assert_eq!(code, "ResourceInUseException");
}
