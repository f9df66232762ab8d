//! The documented Personalize workflow through boto3: schema > dataset group > dataset >
//! import job > solution > solution version > metrics > campaign > filter > event tracker >
//! batch inference and segment jobs > tags > deletes in the documented order.
//!
//! The mock runs in-process with one-second lifecycle steps on a manual clock; boto3 runs as
//! a coprocess taking one call at a time, so the test moves the clock between calls and sees
//! every documented status in order, without sleeping. Wrong order, missing parents and
//! duplicates get their documented errors.

use std::time::Duration;

use serde_json::{json, Value};

use crate::clients::{Boto3, SteppedMock};

/// When the workflow starts, in epoch seconds.
const T0: i64 = 1_700_000_000;
const ACCOUNT_ARN: &str = "arn:aws:personalize:us-east-1:123456789012";
const ROLE: &str = "arn:aws:iam::123456789012:role/personalize";
const RECIPE: &str = "arn:aws:personalize:::recipe/aws-user-personalization";
const SCHEMA: &str = r#"{"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema","fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"}"#;

/// The documented creation lifecycle of most resources.
const CREATE: [&str; 3] = ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"];
/// The documented lifecycle of batch inference and batch segment jobs.
const JOB: [&str; 3] = ["PENDING", "IN PROGRESS", "ACTIVE"];

/// boto3 against a mock whose every lifecycle step lasts one second of a manual clock.
struct World {
    boto3: Boto3,
    mock: SteppedMock,
}

/// One resource kind's Describe: method, ARN member and the member holding the resource.
#[derive(Clone, Copy)]
struct Describe {
    method: &'static str,
    arn: &'static str,
    member: &'static str,
}

const fn describe(method: &'static str, arn: &'static str, member: &'static str) -> Describe {
    Describe {
        method,
        arn,
        member,
    }
}

const DATASET_GROUP: Describe =
    describe("describe_dataset_group", "datasetGroupArn", "datasetGroup");
const DATASET: Describe = describe("describe_dataset", "datasetArn", "dataset");
const IMPORT_JOB: Describe = describe(
    "describe_dataset_import_job",
    "datasetImportJobArn",
    "datasetImportJob",
);
const SOLUTION: Describe = describe("describe_solution", "solutionArn", "solution");
const SOLUTION_VERSION: Describe = describe(
    "describe_solution_version",
    "solutionVersionArn",
    "solutionVersion",
);
const CAMPAIGN: Describe = describe("describe_campaign", "campaignArn", "campaign");
const FILTER: Describe = describe("describe_filter", "filterArn", "filter");
const EVENT_TRACKER: Describe =
    describe("describe_event_tracker", "eventTrackerArn", "eventTracker");
const BATCH_INFERENCE_JOB: Describe = describe(
    "describe_batch_inference_job",
    "batchInferenceJobArn",
    "batchInferenceJob",
);
const BATCH_SEGMENT_JOB: Describe = describe(
    "describe_batch_segment_job",
    "batchSegmentJobArn",
    "batchSegmentJob",
);

impl World {
    fn new() -> World {
        let mock = SteppedMock::start(T0, Duration::from_secs(1));
        World {
            boto3: Boto3::start(&mock.server.url()),
            mock,
        }
    }

    fn tick(&self) {
        self.mock.tick();
    }

    /// The resource as Describe returns it.
    fn describe(&mut self, kind: Describe, arn: &str) -> Value {
        let reply = self.boto3.ok(kind.method, json!({ kind.arn: arn }));
        reply[kind.member].clone()
    }

    /// Describes `arn` once a second and sees `statuses` in order, each stamped
    /// `lastUpdatedDateTime` when it began; ends one second after the last.
    fn sees(&mut self, kind: Describe, arn: &str, statuses: &[&str]) -> Value {
        let mut last = Value::Null;
        for status in statuses {
            let began = self.mock.now_secs();
            last = self.describe(kind, arn);
            assert_eq!(last["status"], *status, "{} {arn}: {last}", kind.method);
            assert_eq!(
                last["lastUpdatedDateTime"].as_f64(),
                Some(began),
                "{} {arn} at {status}: {last}",
                kind.method
            );
            self.tick();
        }
        last
    }

    /// Creation statuses `statuses` in order, from a resource created this very second.
    fn created(&mut self, kind: Describe, arn: &str, statuses: &[&str; 3]) -> Value {
        let created = self.mock.now_secs();
        let resource = self.sees(kind, arn, statuses);
        assert_eq!(resource["creationDateTime"].as_f64(), Some(created));
        assert_eq!(resource[kind.arn], arn);
        resource
    }

    /// `DELETE PENDING > DELETE IN_PROGRESS`, then the resource is gone.
    fn deleted(&mut self, kind: Describe, arn: &str) {
        self.sees(kind, arn, &["DELETE PENDING", "DELETE IN_PROGRESS"]);
        self.gone(kind, arn);
    }

    /// Describe answers ResourceNotFoundException.
    fn gone(&mut self, kind: Describe, arn: &str) {
        let message = self.boto3.fails(
            kind.method,
            json!({ kind.arn: arn }),
            "ResourceNotFoundException",
        );
        assert!(message.contains(arn), "{message}");
    }
}

fn tags(n: std::ops::Range<usize>) -> Value {
    n.map(|i| json!({"tagKey": format!("k{i}"), "tagValue": format!("v{i}")}))
        .collect()
}

#[test]
fn boto3_walks_the_documented_workflow() {
    let mut w = World::new();

    // Schema: a duplicate name is refused.
    let schema_arn = w.boto3.ok(
        "create_schema",
        json!({"name": "wf-interactions", "schema": SCHEMA}),
    )["schemaArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(schema_arn, format!("{ACCOUNT_ARN}:schema/wf-interactions"));
    let message = w.boto3.fails(
        "create_schema",
        json!({"name": "wf-interactions", "schema": SCHEMA}),
        "ResourceAlreadyExistsException",
    );
    assert!(message.contains(&schema_arn), "{message}");
    let schema = w
        .boto3
        .ok("describe_schema", json!({"schemaArn": schema_arn}))["schema"]
        .clone();
    assert_eq!(schema["schema"], SCHEMA);
    assert_eq!(schema["creationDateTime"].as_f64(), Some(T0 as f64));

    // Dataset group.
    let dg_arn = w.boto3.ok("create_dataset_group", json!({"name": "wf-dg"}))["datasetGroupArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(dg_arn, format!("{ACCOUNT_ARN}:dataset-group/wf-dg"));
    // Deleting what is being created is refused.
    w.boto3.fails(
        "delete_dataset_group",
        json!({"datasetGroupArn": dg_arn}),
        "ResourceInUseException",
    );
    // "You must wait until the status of the dataset group is ACTIVE before adding a dataset."
    let message = w.boto3.fails(
        "create_dataset",
        json!({"name": "wf-early", "schemaArn": schema_arn,
               "datasetGroupArn": dg_arn, "datasetType": "Interactions"}),
        "ResourceInUseException",
    );
    assert!(message.contains("CREATE PENDING"), "{message}");
    // Lists show the status of the moment too.
    let listed = w.boto3.ok("list_dataset_groups", json!({}));
    assert_eq!(listed["datasetGroups"][0]["status"], "CREATE PENDING");
    w.created(DATASET_GROUP, &dg_arn, &CREATE);
    let listed = w.boto3.ok("list_dataset_groups", json!({}));
    assert_eq!(listed["datasetGroups"][0]["status"], "ACTIVE");
    w.boto3.fails(
        "create_dataset_group",
        json!({"name": "wf-dg"}),
        "ResourceAlreadyExistsException",
    );

    // Dataset: the parent must exist.
    let missing_dg = format!("{ACCOUNT_ARN}:dataset-group/nope");
    let message = w.boto3.fails(
        "create_dataset",
        json!({"name": "wf-interactions", "schemaArn": schema_arn,
               "datasetGroupArn": missing_dg, "datasetType": "Interactions"}),
        "ResourceNotFoundException",
    );
    assert_eq!(
        message,
        format!("Could not find dataset group with ARN {missing_dg}.")
    );
    let dataset_input = json!({"name": "wf-interactions", "schemaArn": schema_arn,
                               "datasetGroupArn": dg_arn, "datasetType": "Interactions"});
    let dataset_arn = w.boto3.ok("create_dataset", dataset_input.clone())["datasetArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        dataset_arn,
        format!("{ACCOUNT_ARN}:dataset/wf-dg/INTERACTIONS")
    );
    let dataset = w.created(DATASET, &dataset_arn, &CREATE);
    assert_eq!(dataset["schemaArn"], schema_arn);
    assert_eq!(dataset["datasetGroupArn"], dg_arn);
    w.boto3.fails(
        "create_dataset",
        dataset_input.clone(),
        "ResourceAlreadyExistsException",
    );
    // Dataset types are case-insensitive: one interactions dataset per group.
    let mut shouted = dataset_input;
    shouted["datasetType"] = "INTERACTIONS".into();
    shouted["name"] = "wf-shouted".into();
    w.boto3
        .fails("create_dataset", shouted, "ResourceAlreadyExistsException");
    // Wrong order: a schema in use, a dataset group with a dataset.
    w.boto3.fails(
        "delete_schema",
        json!({"schemaArn": schema_arn}),
        "ResourceInUseException",
    );
    w.boto3.fails(
        "delete_dataset_group",
        json!({"datasetGroupArn": dg_arn}),
        "ResourceInUseException",
    );

    // Import job; the dataset cannot go while it is being imported into.
    let import_arn = w.boto3.ok(
        "create_dataset_import_job",
        json!({"jobName": "wf-import", "datasetArn": dataset_arn, "roleArn": ROLE,
               "dataSource": {"dataLocation": "s3://bucket/interactions.csv"}}),
    )["datasetImportJobArn"]
        .as_str()
        .unwrap()
        .to_owned();
    w.boto3.fails(
        "delete_dataset",
        json!({"datasetArn": dataset_arn}),
        "ResourceInUseException",
    );
    let import = w.created(IMPORT_JOB, &import_arn, &CREATE);
    assert_eq!(import["datasetArn"], dataset_arn);

    // Solution: the recipe must exist.
    let missing_recipe = "arn:aws:personalize:::recipe/aws-unicorns";
    let message = w.boto3.fails(
        "create_solution",
        json!({"name": "wf-solution", "datasetGroupArn": dg_arn, "recipeArn": missing_recipe}),
        "ResourceNotFoundException",
    );
    assert!(message.contains(missing_recipe), "{message}");
    let solution_input =
        json!({"name": "wf-solution", "datasetGroupArn": dg_arn, "recipeArn": RECIPE});
    let solution_arn = w.boto3.ok("create_solution", solution_input.clone())["solutionArn"]
        .as_str()
        .unwrap()
        .to_owned();
    // With manual training the solution must be ACTIVE before CreateSolutionVersion.
    w.boto3.fails(
        "create_solution_version",
        json!({"solutionArn": solution_arn}),
        "ResourceInUseException",
    );
    let solution = w.created(SOLUTION, &solution_arn, &CREATE);
    assert_eq!(solution["recipeArn"], RECIPE);
    w.boto3.fails(
        "create_solution",
        solution_input,
        "ResourceAlreadyExistsException",
    );

    // Solution version and its metrics, which exist once it is ACTIVE.
    let version_arn = w.boto3.ok(
        "create_solution_version",
        json!({"solutionArn": solution_arn}),
    )["solutionVersionArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        version_arn.starts_with(&format!("{solution_arn}/")),
        "{version_arn}"
    );
    let version_id = version_arn.rsplit('/').next().unwrap();
    assert!(
        version_id.len() == 8 && version_id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{version_arn}"
    );
    w.boto3.fails(
        "get_solution_metrics",
        json!({"solutionVersionArn": version_arn}),
        "ResourceInUseException",
    );
    // "Wait until the status shows as ACTIVE before calling CreateCampaign."
    w.boto3.fails(
        "create_campaign",
        json!({"name": "wf-campaign", "solutionVersionArn": version_arn}),
        "ResourceInUseException",
    );
    // Nor the dataset it is trained on.
    let message = w.boto3.fails(
        "delete_dataset",
        json!({"datasetArn": dataset_arn}),
        "ResourceInUseException",
    );
    assert!(message.contains(&version_arn), "{message}");
    // A solution whose version is being created cannot be deleted.
    w.boto3.fails(
        "delete_solution",
        json!({"solutionArn": solution_arn}),
        "ResourceInUseException",
    );
    w.created(SOLUTION_VERSION, &version_arn, &CREATE);
    let metrics = w.boto3.ok(
        "get_solution_metrics",
        json!({"solutionVersionArn": version_arn}),
    );
    assert_eq!(metrics["solutionVersionArn"], version_arn);
    let metrics = metrics["metrics"].as_object().unwrap();
    assert!(metrics.contains_key("precision_at_10"), "{metrics:?}");
    assert!(metrics
        .values()
        .all(|v| (0.0..=1.0).contains(&v.as_f64().unwrap())));
    // The same version always gets the same metrics.
    let again = w.boto3.ok(
        "get_solution_metrics",
        json!({"solutionVersionArn": version_arn}),
    );
    assert_eq!(&again["metrics"].as_object().unwrap(), &metrics);

    // Campaign; its solution cannot be deleted while it exists.
    let campaign_arn = w.boto3.ok(
        "create_campaign",
        json!({"name": "wf-campaign", "solutionVersionArn": version_arn, "minProvisionedTPS": 1}),
    )["campaignArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(campaign_arn, format!("{ACCOUNT_ARN}:campaign/wf-campaign"));
    let campaign = w.created(CAMPAIGN, &campaign_arn, &CREATE);
    assert_eq!(campaign["solutionVersionArn"], version_arn);
    assert_eq!(campaign["minProvisionedTPS"], 1);
    // An update runs its own lifecycle in latestCampaignUpdate; the campaign stays ACTIVE.
    w.boto3.ok(
        "update_campaign",
        json!({"campaignArn": campaign_arn, "minProvisionedTPS": 2}),
    );
    for status in CREATE {
        let campaign = w.describe(CAMPAIGN, &campaign_arn);
        assert_eq!(campaign["status"], "ACTIVE", "{campaign}");
        assert_eq!(
            campaign["latestCampaignUpdate"]["status"], status,
            "{campaign}"
        );
        assert_eq!(campaign["latestCampaignUpdate"]["minProvisionedTPS"], 2);
        w.tick();
    }
    assert_eq!(w.describe(CAMPAIGN, &campaign_arn)["minProvisionedTPS"], 2);
    w.boto3.fails(
        "delete_solution",
        json!({"solutionArn": solution_arn}),
        "ResourceInUseException",
    );

    // Filter and event tracker.
    let filter_arn = w.boto3.ok(
        "create_filter",
        json!({"name": "wf-filter", "datasetGroupArn": dg_arn,
               "filterExpression": "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")"}),
    )["filterArn"]
        .as_str()
        .unwrap()
        .to_owned();
    w.created(FILTER, &filter_arn, &CREATE);
    let tracker_arn = w.boto3.ok(
        "create_event_tracker",
        json!({"name": "wf-tracker", "datasetGroupArn": dg_arn}),
    )["eventTrackerArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let tracker = w.created(EVENT_TRACKER, &tracker_arn, &CREATE);
    assert_eq!(tracker["accountId"], "123456789012");
    assert_eq!(
        tracker["trackingId"].as_str().unwrap().len(),
        36,
        "{tracker}"
    );
    w.boto3.fails(
        "create_event_tracker",
        json!({"name": "wf-tracker", "datasetGroupArn": dg_arn}),
        "ResourceAlreadyExistsException",
    );

    // Batch inference and batch segment jobs: PENDING > IN PROGRESS > ACTIVE.
    let job_io = |name: &str| {
        json!({"jobName": name, "solutionVersionArn": version_arn, "roleArn": ROLE,
               "jobInput": {"s3DataSource": {"path": "s3://bucket/users.json"}},
               "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}}})
    };
    let inference_arn = w
        .boto3
        .ok("create_batch_inference_job", job_io("wf-inference"))["batchInferenceJobArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let inference = w.created(BATCH_INFERENCE_JOB, &inference_arn, &JOB);
    assert_eq!(
        inference["jobInput"]["s3DataSource"]["path"],
        "s3://bucket/users.json"
    );
    let segment_arn = w.boto3.ok("create_batch_segment_job", job_io("wf-segment"))
        ["batchSegmentJobArn"]
        .as_str()
        .unwrap()
        .to_owned();
    w.created(BATCH_SEGMENT_JOB, &segment_arn, &JOB);
    let jobs = w.boto3.ok(
        "list_batch_segment_jobs",
        json!({"solutionVersionArn": version_arn}),
    );
    assert_eq!(
        jobs["batchSegmentJobs"][0]["batchSegmentJobArn"],
        segment_arn
    );
    assert_eq!(jobs["batchSegmentJobs"][0]["status"], "ACTIVE");

    // Tags: add, list, remove, and no more than 50.
    w.boto3.ok(
        "tag_resource",
        json!({"resourceArn": dg_arn, "tags": [
            {"tagKey": "team", "tagValue": "recs"}, {"tagKey": "env", "tagValue": "test"}]}),
    );
    w.boto3.ok(
        "untag_resource",
        json!({"resourceArn": dg_arn, "tagKeys": ["env"]}),
    );
    let listed = w
        .boto3
        .ok("list_tags_for_resource", json!({"resourceArn": dg_arn}));
    assert_eq!(
        listed["tags"],
        json!([{"tagKey": "team", "tagValue": "recs"}])
    );
    w.boto3.ok(
        "tag_resource",
        json!({"resourceArn": dg_arn, "tags": tags(0..49)}),
    );
    w.boto3.fails(
        "tag_resource",
        json!({"resourceArn": dg_arn, "tags": [{"tagKey": "one-more", "tagValue": "x"}]}),
        "TooManyTagsException",
    );
    let listed = w
        .boto3
        .ok("list_tags_for_resource", json!({"resourceArn": dg_arn}));
    assert_eq!(listed["tags"].as_array().unwrap().len(), 50);
    assert!(!listed.to_string().contains("one-more"));
    // Replacing a value at the limit is no new tag.
    w.boto3.ok(
        "tag_resource",
        json!({"resourceArn": dg_arn, "tags": [{"tagKey": "team", "tagValue": "ml"}]}),
    );
    w.boto3.fails(
        "create_dataset_group",
        json!({"name": "wf-tagged", "tags": tags(0..51)}),
        "TooManyTagsException",
    );
    w.gone(
        DATASET_GROUP,
        &format!("{ACCOUNT_ARN}:dataset-group/wf-tagged"),
    );
    w.boto3.fails(
        "list_tags_for_resource",
        json!({"resourceArn": format!("{ACCOUNT_ARN}:campaign/nope")}),
        "ResourceNotFoundException",
    );

    // Paginators: newest first, a token on every page but the last.
    let first_created = w.describe(DATASET_GROUP, &dg_arn)["creationDateTime"].clone();
    for name in ["wf-b", "wf-c"] {
        w.boto3.ok("create_dataset_group", json!({"name": name}));
        w.tick();
    }
    let pages = w.boto3.paginate("list_dataset_groups", json!({}), 1);
    let names: Vec<&str> = pages
        .iter()
        .flat_map(|p| p["datasetGroups"].as_array().unwrap())
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["wf-c", "wf-b", "wf-dg"]);
    assert_eq!(pages.len(), 3);
    assert!(pages[..2].iter().all(|p| p["nextToken"].is_string()));
    assert!(pages[2].get("nextToken").is_none());
    assert_eq!(
        pages[2]["datasetGroups"][0]["creationDateTime"],
        first_created
    );
    let recipes = w.boto3.paginate("list_recipes", json!({}), 4);
    let mut arns: Vec<&str> = recipes
        .iter()
        .flat_map(|p| p["recipes"].as_array().unwrap())
        .map(|r| r["recipeArn"].as_str().unwrap())
        .collect();
    let total = arns.len();
    assert!(arns.contains(&RECIPE) && total > 4, "{arns:?}");
    assert!(recipes
        .iter()
        .all(|p| p["recipes"].as_array().unwrap().len() <= 4));
    arns.sort_unstable();
    arns.dedup();
    assert_eq!(arns.len(), total, "a recipe listed twice");
    let versions = w.boto3.paginate(
        "list_solution_versions",
        json!({"solutionArn": solution_arn}),
        1,
    );
    assert_eq!(versions.len(), 1);
    assert_eq!(
        versions[0]["solutionVersions"][0]["solutionVersionArn"],
        version_arn
    );

    // Deletes in the documented order: campaign, solution, event tracker, filter, dataset,
    // dataset group, schema.
    w.boto3
        .ok("delete_campaign", json!({"campaignArn": campaign_arn}));
    // The campaign still blocks its solution while it is being deleted.
    w.boto3.fails(
        "delete_solution",
        json!({"solutionArn": solution_arn}),
        "ResourceInUseException",
    );
    w.deleted(CAMPAIGN, &campaign_arn);
    w.boto3
        .ok("delete_solution", json!({"solutionArn": solution_arn}));
    w.deleted(SOLUTION, &solution_arn);
    // "Deletes all versions of a solution and the Solution object itself."
    w.gone(SOLUTION_VERSION, &version_arn);
    w.boto3.ok(
        "delete_event_tracker",
        json!({"eventTrackerArn": tracker_arn}),
    );
    w.deleted(EVENT_TRACKER, &tracker_arn);
    w.boto3
        .ok("delete_filter", json!({"filterArn": filter_arn}));
    // A filter's documented statuses have no DELETE step: it is gone at once.
    w.gone(FILTER, &filter_arn);
    w.boto3
        .ok("delete_dataset", json!({"datasetArn": dataset_arn}));
    // The dataset group waits for its dataset to be gone.
    w.boto3.fails(
        "delete_dataset_group",
        json!({"datasetGroupArn": dg_arn}),
        "ResourceInUseException",
    );
    w.deleted(DATASET, &dataset_arn);
    w.boto3
        .ok("delete_dataset_group", json!({"datasetGroupArn": dg_arn}));
    // A dataset group documents DELETE PENDING only.
    w.sees(DATASET_GROUP, &dg_arn, &["DELETE PENDING"]);
    assert_eq!(
        w.describe(DATASET_GROUP, &dg_arn)["status"],
        "DELETE PENDING"
    );
    w.tick();
    w.gone(DATASET_GROUP, &dg_arn);
    w.boto3
        .ok("delete_schema", json!({"schemaArn": schema_arn}));
    w.boto3.fails(
        "describe_schema",
        json!({"schemaArn": schema_arn}),
        "ResourceNotFoundException",
    );
    // Deleting what is gone is ResourceNotFoundException too.
    w.boto3.fails(
        "delete_dataset_group",
        json!({"datasetGroupArn": dg_arn}),
        "ResourceNotFoundException",
    );
    let left = w.boto3.ok("list_dataset_groups", json!({}));
    let names: Vec<&str> = left["datasetGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["wf-c", "wf-b"]);
}
