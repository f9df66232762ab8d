//! The engine through `Engine::call`, with a manual clock: the kinds table against the model,
//! lifecycles, delete rules, parents, duplicates, paging and tags.

use std::time::Duration;

use personalize_model::DateTime;
use serde_json::{json, Value};

use super::kinds::{Action, KINDS, QUIRKS};
use super::lifecycle::{Clock, ManualClock, Schedule, Schedules};
use super::{Caller, Engine, EngineError};

const ME: Caller<'static> = Caller {
    account: "123456789012",
    region: "us-east-1",
};

fn arn(tail: &str) -> String {
    format!("arn:aws:personalize:us-east-1:123456789012:{tail}")
}

fn engine() -> (Engine, ManualClock) {
    let engine = Engine::new().unwrap();
    let clock = ManualClock::new(DateTime::from_secs(1_700_000_000));
    engine.set_clock(Clock::Manual(clock.clone()));
    (engine, clock)
}

fn call(engine: &Engine, op: &str, input: Value) -> Result<Value, EngineError> {
    call_as(engine, ME, op, input)
}

fn call_as(
    engine: &Engine,
    caller: Caller<'_>,
    op: &str,
    input: Value,
) -> Result<Value, EngineError> {
    engine
        .call(caller, op, input)
        .map(|bytes| serde_json::from_slice(&bytes).unwrap())
}

fn ok(engine: &Engine, op: &str, input: Value) -> Value {
    call(engine, op, input).unwrap_or_else(|e| panic!("{op}: {e:?}"))
}

fn code(engine: &Engine, op: &str, input: Value) -> &'static str {
    match call(engine, op, input) {
        Ok(out) => panic!("{op} succeeded: {out}"),
        Err(e) => e.code,
    }
}

/// A dataset group with a schema, a dataset, a solution and an active version.
fn workflow(engine: &Engine) {
    ok(engine, "CreateSchema", json!({"name": "s", "schema": "{}"}));
    ok(engine, "CreateDatasetGroup", json!({"name": "dg"}));
    ok(
        engine,
        "CreateDataset",
        json!({"name": "d", "schemaArn": arn("schema/s"), "datasetGroupArn": arn("dataset-group/dg"), "datasetType": "INTERACTIONS"}),
    );
    ok(
        engine,
        "CreateSolution",
        json!({"name": "sol", "datasetGroupArn": arn("dataset-group/dg"), "recipeArn": "arn:aws:personalize:::recipe/aws-user-personalization"}),
    );
}

#[test]
fn every_operation_of_the_model_has_an_action_and_every_kind_its_family() {
    let engine = Engine::new().unwrap();
    let registry = engine.registry();
    let mut quirks = Vec::new();
    for op in personalize_model::service::OPERATION_METAS {
        let (action, _) = registry.action(op.name).unwrap();
        if let Action::Quirk(name) = action {
            quirks.push(name);
        }
    }
    quirks.sort_unstable();
    let mut expected = QUIRKS.to_vec();
    expected.sort_unstable();
    assert_eq!(quirks, expected);
    for (id, kind) in registry.kinds.iter().enumerate() {
        assert_eq!(kind.rule.noun, KINDS[id].noun);
        assert!(kind.resource.member(kind.arn_member).is_some());
        for (member, parent) in &kind.parents {
            assert!(member.ends_with("Arn"), "{member}");
            assert_ne!(*parent, id, "{} is its own parent", kind.rule.noun);
        }
        for blocker in kind
            .rule
            .blocked_by
            .iter()
            .chain(kind.rule.blocked_while_creating)
        {
            assert!(registry.kind_named(blocker).is_some(), "{blocker}");
        }
    }
}

#[test]
fn created_resources_move_through_their_documented_statuses_on_the_clock() {
    let (engine, clock) = engine();
    engine.set_schedules(Schedules::all(Schedule::new(
        Duration::from_secs(5),
        Duration::from_secs(10),
    )));
    ok(&engine, "CreateDatasetGroup", json!({"name": "dg"}));
    let describe = || {
        ok(
            &engine,
            "DescribeDatasetGroup",
            json!({"datasetGroupArn": arn("dataset-group/dg")}),
        )["datasetGroup"]
            .clone()
    };
    assert_eq!(describe()["status"], "CREATE PENDING");
    clock.advance(Duration::from_secs(5));
    let group = describe();
    assert_eq!(group["status"], "CREATE IN_PROGRESS");
    assert_eq!(group["lastUpdatedDateTime"], 1_700_000_005);
    assert_eq!(group["creationDateTime"], 1_700_000_000);
    clock.advance(Duration::from_secs(10));
    assert_eq!(describe()["status"], "ACTIVE");
    let listed = ok(&engine, "ListDatasetGroups", json!({}));
    assert_eq!(listed["datasetGroups"][0]["status"], "ACTIVE");
    assert_eq!(
        listed["datasetGroups"][0]["lastUpdatedDateTime"],
        1_700_000_015
    );
}

#[test]
fn children_wait_for_their_parent_to_be_active() {
    let (engine, clock) = engine();
    engine.set_schedules(Schedules::all(Schedule::new(
        Duration::from_secs(1),
        Duration::from_secs(1),
    )));
    ok(&engine, "CreateDatasetGroup", json!({"name": "dg"}));
    let tracker = json!({"name": "t", "datasetGroupArn": arn("dataset-group/dg")});
    assert_eq!(
        code(&engine, "CreateEventTracker", tracker.clone()),
        "ResourceInUseException"
    );
    clock.advance(Duration::from_secs(2));
    let out = ok(&engine, "CreateEventTracker", tracker);
    assert_eq!(out["eventTrackerArn"], arn("event-tracker/t"));
    assert_eq!(out["trackingId"].as_str().map(str::len), Some(36));
}

#[test]
fn batch_jobs_use_their_own_statuses_and_per_kind_delays() {
    let (engine, clock) = engine();
    engine.set_schedules(Schedules::default().with(
        "BatchSegmentJob",
        Schedule::new(Duration::from_secs(1), Duration::from_secs(1)),
    ));
    workflow(&engine);
    ok(
        &engine,
        "CreateSolutionVersion",
        json!({"solutionArn": arn("solution/sol")}),
    );
    let versions = ok(
        &engine,
        "ListSolutionVersions",
        json!({"solutionArn": arn("solution/sol")}),
    );
    let version = versions["solutionVersions"][0]["solutionVersionArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(version.starts_with(&arn("solution/sol/")), "{version}");
    assert_eq!(versions["solutionVersions"][0]["status"], "ACTIVE");
    let job = json!({"jobName": "j", "solutionVersionArn": version, "roleArn": "arn:aws:iam::123456789012:role/r",
        "jobInput": {"s3DataSource": {"path": "s3://b/in.json"}}, "jobOutput": {"s3DataDestination": {"path": "s3://b/out/"}}});
    ok(&engine, "CreateBatchSegmentJob", job.clone());
    let status = || {
        ok(
            &engine,
            "DescribeBatchSegmentJob",
            json!({"batchSegmentJobArn": arn("batch-segment-job/j")}),
        )["batchSegmentJob"]["status"]
            .clone()
    };
    assert_eq!(status(), "PENDING");
    clock.advance(Duration::from_secs(1));
    assert_eq!(status(), "IN PROGRESS");
    clock.advance(Duration::from_secs(1));
    assert_eq!(status(), "ACTIVE");
    assert_eq!(
        code(&engine, "CreateBatchSegmentJob", job),
        "ResourceAlreadyExistsException"
    );
    let described = ok(
        &engine,
        "DescribeBatchSegmentJob",
        json!({"batchSegmentJobArn": arn("batch-segment-job/j")}),
    );
    assert_eq!(
        described["batchSegmentJob"]["jobInput"]["s3DataSource"]["path"],
        "s3://b/in.json"
    );
}

#[test]
fn parents_must_exist_and_names_are_unique_per_kind() {
    let (engine, _) = engine();
    assert_eq!(
        code(
            &engine,
            "CreateDataset",
            json!({"name": "d", "schemaArn": arn("schema/none"), "datasetGroupArn": arn("dataset-group/none"), "datasetType": "ITEMS"})
        ),
        "ResourceNotFoundException"
    );
    ok(&engine, "CreateDatasetGroup", json!({"name": "dg"}));
    assert_eq!(
        code(&engine, "CreateDatasetGroup", json!({"name": "dg"})),
        "ResourceAlreadyExistsException"
    );
    assert_eq!(
        code(
            &engine,
            "CreateSolution",
            json!({"name": "s", "datasetGroupArn": arn("dataset-group/dg"), "recipeArn": "arn:aws:personalize:::recipe/no-such-recipe"})
        ),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(
            &engine,
            "ListSolutionVersions",
            json!({"solutionArn": arn("solution/none")})
        ),
        "ResourceNotFoundException"
    );
    let err = call(
        &engine,
        "DescribeSchema",
        json!({"schemaArn": arn("schema/none")}),
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        format!("Could not find schema with ARN {}.", arn("schema/none"))
    );
}

#[test]
fn deletes_follow_the_documented_rules() {
    let (engine, _) = engine();
    workflow(&engine);
    let group = json!({"datasetGroupArn": arn("dataset-group/dg")});
    assert_eq!(
        code(&engine, "DeleteDatasetGroup", group.clone()),
        "ResourceInUseException"
    );
    assert_eq!(
        code(
            &engine,
            "DeleteSchema",
            json!({"schemaArn": arn("schema/s")})
        ),
        "ResourceInUseException"
    );
    ok(
        &engine,
        "CreateSolutionVersion",
        json!({"solutionArn": arn("solution/sol")}),
    );
    let version = ok(
        &engine,
        "ListSolutionVersions",
        json!({"solutionArn": arn("solution/sol")}),
    )["solutionVersions"][0]["solutionVersionArn"]
        .clone();
    ok(
        &engine,
        "CreateCampaign",
        json!({"name": "c", "solutionVersionArn": version}),
    );
    assert_eq!(
        code(
            &engine,
            "DeleteSolution",
            json!({"solutionArn": arn("solution/sol")})
        ),
        "ResourceInUseException"
    );
    let campaigns = ok(
        &engine,
        "ListCampaigns",
        json!({"solutionArn": arn("solution/sol")}),
    );
    assert_eq!(
        campaigns["campaigns"].as_array().unwrap().len(),
        1,
        "{campaigns}"
    );
    ok(
        &engine,
        "DeleteCampaign",
        json!({"campaignArn": arn("campaign/c")}),
    );
    ok(
        &engine,
        "DeleteSolution",
        json!({"solutionArn": arn("solution/sol")}),
    );
    // The solution's versions went with it.
    assert_eq!(
        code(
            &engine,
            "DescribeSolutionVersion",
            json!({"solutionVersionArn": version})
        ),
        "ResourceNotFoundException"
    );
    ok(
        &engine,
        "DeleteDataset",
        json!({"datasetArn": arn("dataset/dg/INTERACTIONS")}),
    );
    ok(
        &engine,
        "DeleteSchema",
        json!({"schemaArn": arn("schema/s")}),
    );
    ok(&engine, "DeleteDatasetGroup", group.clone());
    assert_eq!(
        code(&engine, "DescribeDatasetGroup", group),
        "ResourceNotFoundException"
    );
}

#[test]
fn deletes_pass_through_delete_pending_where_documented() {
    let (engine, clock) = engine();
    ok(&engine, "CreateDatasetGroup", json!({"name": "dg"}));
    ok(
        &engine,
        "CreateEventTracker",
        json!({"name": "t", "datasetGroupArn": arn("dataset-group/dg")}),
    );
    ok(
        &engine,
        "CreateFilter",
        json!({"name": "f", "datasetGroupArn": arn("dataset-group/dg"), "filterExpression": "EXCLUDE ItemID WHERE Items.genre IN (\"x\")"}),
    );
    engine.set_schedules(Schedules::all(Schedule::new(
        Duration::from_secs(1),
        Duration::from_secs(1),
    )));
    let status = |op: &str, input: &Value, member: &str| {
        ok(&engine, op, input.clone())[member]["status"].clone()
    };
    // Event trackers document DELETE PENDING > DELETE IN_PROGRESS.
    let tracker = json!({"eventTrackerArn": arn("event-tracker/t")});
    ok(&engine, "DeleteEventTracker", tracker.clone());
    assert_eq!(
        status("DescribeEventTracker", &tracker, "eventTracker"),
        "DELETE PENDING"
    );
    assert_eq!(
        code(&engine, "DeleteEventTracker", tracker.clone()),
        "ResourceInUseException"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        status("DescribeEventTracker", &tracker, "eventTracker"),
        "DELETE IN_PROGRESS"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        code(&engine, "DescribeEventTracker", tracker),
        "ResourceNotFoundException"
    );
    // Filters document no DELETE status: gone at once.
    let filter = json!({"filterArn": arn("filter/f")});
    ok(&engine, "DeleteFilter", filter.clone());
    assert_eq!(
        code(&engine, "DescribeFilter", filter),
        "ResourceNotFoundException"
    );
    // Dataset groups document DELETE PENDING only.
    let group = json!({"datasetGroupArn": arn("dataset-group/dg")});
    ok(&engine, "DeleteDatasetGroup", group.clone());
    assert_eq!(
        status("DescribeDatasetGroup", &group, "datasetGroup"),
        "DELETE PENDING"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        status("DescribeDatasetGroup", &group, "datasetGroup"),
        "DELETE PENDING"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        code(&engine, "DescribeDatasetGroup", group),
        "ResourceNotFoundException"
    );
}

#[test]
fn recommenders_stop_and_start_and_versions_stop_creating() {
    let (engine, clock) = engine();
    workflow(&engine);
    let rec = json!({"recommenderArn": arn("recommender/r")});
    ok(
        &engine,
        "CreateRecommender",
        json!({"name": "r", "datasetGroupArn": arn("dataset-group/dg"), "recipeArn": "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you"}),
    );
    assert_eq!(
        code(&engine, "StartRecommender", rec.clone()),
        "ResourceInUseException"
    );
    engine.set_schedules(Schedules::all(Schedule::new(
        Duration::from_secs(1),
        Duration::from_secs(1),
    )));
    assert_eq!(
        ok(&engine, "StopRecommender", rec.clone())["recommenderArn"],
        arn("recommender/r")
    );
    let status =
        |e: &Engine| ok(e, "DescribeRecommender", rec.clone())["recommender"]["status"].clone();
    assert_eq!(status(&engine), "STOP PENDING");
    clock.advance(Duration::from_secs(2));
    assert_eq!(status(&engine), "INACTIVE");
    ok(&engine, "StartRecommender", rec.clone());
    assert_eq!(status(&engine), "START PENDING");
    clock.advance(Duration::from_secs(2));
    assert_eq!(status(&engine), "ACTIVE");

    ok(
        &engine,
        "CreateSolutionVersion",
        json!({"solutionArn": arn("solution/sol")}),
    );
    let version = ok(
        &engine,
        "ListSolutionVersions",
        json!({"solutionArn": arn("solution/sol")}),
    )["solutionVersions"][0]["solutionVersionArn"]
        .clone();
    let v = json!({"solutionVersionArn": version});
    assert_eq!(
        code(&engine, "GetSolutionMetrics", v.clone()),
        "ResourceInUseException"
    );
    ok(&engine, "StopSolutionVersionCreation", v.clone());
    assert_eq!(
        ok(&engine, "DescribeSolutionVersion", v.clone())["solutionVersion"]["status"],
        "CREATE STOPPING"
    );
    clock.advance(Duration::from_secs(2));
    assert_eq!(
        ok(&engine, "DescribeSolutionVersion", v.clone())["solutionVersion"]["status"],
        "CREATE STOPPED"
    );
    assert_eq!(
        code(&engine, "StopSolutionVersionCreation", v),
        "ResourceInUseException"
    );
}

#[test]
fn solution_metrics_are_deterministic_for_an_active_version() {
    let (engine, _) = engine();
    workflow(&engine);
    ok(
        &engine,
        "CreateSolutionVersion",
        json!({"solutionArn": arn("solution/sol")}),
    );
    let version = ok(
        &engine,
        "ListSolutionVersions",
        json!({"solutionArn": arn("solution/sol")}),
    )["solutionVersions"][0]["solutionVersionArn"]
        .clone();
    let a = ok(
        &engine,
        "GetSolutionMetrics",
        json!({"solutionVersionArn": version}),
    );
    let b = ok(
        &engine,
        "GetSolutionMetrics",
        json!({"solutionVersionArn": version}),
    );
    assert_eq!(a, b);
    let metrics = a["metrics"].as_object().unwrap();
    assert_eq!(metrics.len(), 8);
    assert!(metrics
        .values()
        .all(|v| (0.0..=1.0).contains(&v.as_f64().unwrap())));
}

#[test]
fn updates_change_what_they_name_and_fill_the_latest_update_block() {
    let (engine, _) = engine();
    workflow(&engine);
    ok(
        &engine,
        "CreateSchema",
        json!({"name": "s2", "schema": "{}"}),
    );
    let dataset = json!({"datasetArn": arn("dataset/dg/INTERACTIONS")});
    assert_eq!(
        code(
            &engine,
            "UpdateDataset",
            json!({"datasetArn": arn("dataset/dg/INTERACTIONS"), "schemaArn": arn("schema/none")})
        ),
        "ResourceNotFoundException"
    );
    ok(
        &engine,
        "UpdateDataset",
        json!({"datasetArn": arn("dataset/dg/INTERACTIONS"), "schemaArn": arn("schema/s2")}),
    );
    let d = ok(&engine, "DescribeDataset", dataset)["dataset"].clone();
    assert_eq!(d["schemaArn"], arn("schema/s2"));
    assert_eq!(d["latestDatasetUpdate"]["schemaArn"], arn("schema/s2"));
    assert_eq!(d["latestDatasetUpdate"]["status"], "ACTIVE");
}

#[test]
fn lists_page_newest_first_with_tokens_bound_to_their_query() {
    let (engine, clock) = engine();
    for i in 0..7 {
        ok(
            &engine,
            "CreateDatasetGroup",
            json!({"name": format!("dg{i}")}),
        );
        clock.advance(Duration::from_millis(1));
    }
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut input = json!({"maxResults": 3});
        if let Some(t) = &token {
            input["nextToken"] = Value::from(t.as_str());
        }
        let page = ok(&engine, "ListDatasetGroups", input);
        for g in page["datasetGroups"].as_array().unwrap() {
            names.push(g["name"].as_str().unwrap().to_owned());
        }
        // A resource created mid-listing is not seen by it.
        ok(
            &engine,
            "CreateDatasetGroup",
            json!({"name": format!("late{}", names.len())}),
        );
        match page["nextToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(names, ["dg6", "dg5", "dg4", "dg3", "dg2", "dg1", "dg0"]);
    let page = ok(&engine, "ListDatasetGroups", json!({"maxResults": 1}));
    let token = page["nextToken"].as_str().unwrap();
    assert_eq!(
        code(&engine, "ListSchemas", json!({"nextToken": token})),
        "InvalidNextTokenException"
    );
    let elsewhere = Caller {
        account: "111122223333",
        region: "us-east-1",
    };
    assert!(call_as(
        &engine,
        elsewhere,
        "ListDatasetGroups",
        json!({"nextToken": token})
    )
    .is_err());
    assert_eq!(
        code(&engine, "ListDatasetGroups", json!({"nextToken": "bogus"})),
        "InvalidNextTokenException"
    );
}

#[test]
fn accounts_and_regions_are_separate() {
    let (engine, _) = engine();
    ok(&engine, "CreateDatasetGroup", json!({"name": "dg"}));
    let other = Caller {
        account: "123456789012",
        region: "eu-west-1",
    };
    let listed = call_as(&engine, other, "ListDatasetGroups", json!({})).unwrap();
    assert_eq!(listed["datasetGroups"], json!([]));
    let created = call_as(&engine, other, "CreateDatasetGroup", json!({"name": "dg"})).unwrap();
    assert_eq!(
        created["datasetGroupArn"],
        "arn:aws:personalize:eu-west-1:123456789012:dataset-group/dg"
    );
    // The catalogue is everywhere.
    let recipes = call_as(&engine, other, "ListRecipes", json!({"maxResults": 1})).unwrap();
    assert_eq!(recipes["recipes"].as_array().unwrap().len(), 1);
}

#[test]
fn tags_are_kept_merged_removed_and_limited() {
    let (engine, _) = engine();
    ok(
        &engine,
        "CreateDatasetGroup",
        json!({"name": "dg", "tags": [{"tagKey": "a", "tagValue": "1"}]}),
    );
    let resource = arn("dataset-group/dg");
    ok(
        &engine,
        "TagResource",
        json!({"resourceArn": resource, "tags": [{"tagKey": "a", "tagValue": "2"}, {"tagKey": "b", "tagValue": "3"}]}),
    );
    let tags = ok(
        &engine,
        "ListTagsForResource",
        json!({"resourceArn": resource}),
    );
    assert_eq!(
        tags,
        json!({"tags": [{"tagKey": "a", "tagValue": "2"}, {"tagKey": "b", "tagValue": "3"}]})
    );
    ok(
        &engine,
        "UntagResource",
        json!({"resourceArn": resource, "tagKeys": ["a"]}),
    );
    let many: Vec<Value> = (0..50)
        .map(|i| json!({"tagKey": format!("k{i}"), "tagValue": "v"}))
        .collect();
    assert_eq!(
        code(
            &engine,
            "TagResource",
            json!({"resourceArn": resource, "tags": many})
        ),
        "TooManyTagsException"
    );
    assert_eq!(
        code(
            &engine,
            "TagResource",
            json!({"resourceArn": arn("dataset-group/none"), "tags": []})
        ),
        "ResourceNotFoundException"
    );
}

#[test]
fn seeds_of_any_kind_stream_in_and_dump_back_out() {
    let (engine, _) = engine();
    let seed = json!({
        "datasetGroups": [{"name": "g", "datasetGroupArn": arn("dataset-group/g"), "status": "ACTIVE", "creationDateTime": "2024-01-01T00:00:00Z"}],
        "batchSegmentJobs": [{"jobName": "j", "batchSegmentJobArn": "arn:aws:personalize:eu-west-1:111122223333:batch-segment-job/j", "status": "ACTIVE", "solutionVersionArn": "arn:aws:personalize:eu-west-1:111122223333:solution/s/1", "creationDateTime": 1700000000.5}],
        "nextToken": "ignored"
    });
    assert_eq!(engine.seed(seed.to_string().as_bytes()).unwrap(), 2);
    let group = ok(
        &engine,
        "DescribeDatasetGroup",
        json!({"datasetGroupArn": arn("dataset-group/g")}),
    );
    assert_eq!(group["datasetGroup"]["creationDateTime"], 1_704_067_200);
    let there = Caller {
        account: "111122223333",
        region: "eu-west-1",
    };
    let jobs = call_as(
        &engine,
        there,
        "ListBatchSegmentJobs",
        json!({"solutionVersionArn": "arn:aws:personalize:eu-west-1:111122223333:solution/s/1"}),
    )
    .unwrap();
    assert_eq!(jobs["batchSegmentJobs"][0]["jobName"], "j");
    let dumped: Value = serde_json::from_slice(&engine.dump()).unwrap();
    assert_eq!(dumped["datasetGroups"][0]["name"], "g");
    assert_eq!(
        dumped["batchSegmentJobs"][0]["creationDateTime"],
        1_700_000_000.5
    );
    let bad = engine
        .seed(&br#"{"datasetGroups":[{"name":"x"}]}"#[..])
        .unwrap_err();
    assert!(
        bad.to_string()
            .contains("datasetGroups[0]: datasetGroupArn is missing"),
        "{bad}"
    );
    let bad = engine.seed(&br#"{"datasetGroups":[{"datasetGroupArn":"arn:aws:personalize:us-east-1:1:dataset-group/x","creationDateTime":"yesterday"}]}"#[..]).unwrap_err();
    assert!(
        bad.to_string()
            .contains("datasetGroups[0].creationDateTime"),
        "{bad}"
    );
}
