//! Every operation of the model through the generic engine: each of the 71 targets answers
//! (never a 500), an empty body gets the operation's own validation error or a result, and a
//! resource chain (schema → dataset group → dataset → solution → solution version, tags,
//! catalogue) can be built, read, listed and deleted.

use personalize_mock::MockService;
use personalize_model::service::{OPERATIONS, OPERATION_METAS};
use serde_json::{json, Value};

use crate::common::handle;

const ACCOUNT: &str = "arn:aws:personalize:us-east-1:123456789012";

fn call(service: &MockService, op: &str, body: Value) -> (u16, String, Value) {
    handle(service, op, &body.to_string())
}

#[test]
fn the_model_has_71_operations_and_each_is_served() {
    assert_eq!(OPERATIONS.len(), 71);
    assert_eq!(OPERATION_METAS.len(), 71);
    let service = MockService::new();
    for op in OPERATIONS {
        let (status, code, out) = call(&service, op, json!({}));
        assert_ne!(status, 500, "{op}: {out}");
        assert_ne!(
            code, "UnknownOperationException",
            "{op} is not routed: {out}"
        );
        assert_ne!(code, "InternalFailure", "{op}: {out}");
    }
}

/// Operations whose resource ARN the model leaves optional but the engine needs: an empty
/// body gets the same "must not be null" error for it. Fails when stale.
const ENGINE_REQUIRED: [(&str, &str); 1] = [("UpdateMetricAttribution", "metricAttributionArn")];

#[test]
fn an_empty_body_gets_the_operations_own_validation_error_or_a_result() {
    let service = MockService::new();
    for (op, member) in ENGINE_REQUIRED {
        let meta = OPERATION_METAS.iter().find(|m| m.name == op).unwrap();
        let member = meta.input.member(member).unwrap();
        assert!(
            !member.required,
            "{op}.{}: now required by the model",
            member.name
        );
    }
    for meta in OPERATION_METAS {
        let required: Vec<&str> = meta
            .input
            .members
            .iter()
            .filter(|m| m.required)
            .map(|m| m.name)
            .chain(
                ENGINE_REQUIRED
                    .iter()
                    .filter(|(op, _)| *op == meta.name)
                    .map(|(_, member)| *member),
            )
            .collect();
        let (status, code, out) = call(&service, meta.name, json!({}));
        if required.is_empty() {
            assert_eq!(status, 200, "{}: no required member, yet {out}", meta.name);
            continue;
        }
        assert_eq!(
            (status, code.as_str()),
            (400, "InvalidInputException"),
            "{}: {out}",
            meta.name
        );
        let message = out["message"].as_str().unwrap();
        let count = if required.len() == 1 {
            "1 validation error detected: ".to_owned()
        } else {
            format!("{} validation errors detected: ", required.len())
        };
        assert!(message.starts_with(&count), "{}: {message}", meta.name);
        for member in required {
            assert!(
                message.contains(&format!(
                    "Value null at '{member}' failed to satisfy constraint: Member must not be null"
                )),
                "{}: {member} not named in {message}",
                meta.name
            );
        }
    }
}

fn ok(service: &MockService, op: &str, body: Value) -> Value {
    let (status, _, out) = call(service, op, body.clone());
    assert_eq!(status, 200, "{op} {body}: {out}");
    out
}

#[test]
fn a_resource_chain_is_built_read_listed_and_deleted() {
    let s = MockService::new();
    let schema = ok(&s, "CreateSchema", json!({"name": "s", "schema": "{}"}))["schemaArn"].clone();
    assert_eq!(schema, format!("{ACCOUNT}:schema/s"));
    let group = ok(
        &s,
        "CreateDatasetGroup",
        json!({"name": "dg", "tags": [{"tagKey": "a", "tagValue": "b"}]}),
    )["datasetGroupArn"]
        .clone();
    assert_eq!(group, format!("{ACCOUNT}:dataset-group/dg"));
    let dataset = ok(
        &s,
        "CreateDataset",
        json!({"name": "d", "schemaArn": schema, "datasetGroupArn": group, "datasetType": "INTERACTIONS"}),
    )["datasetArn"]
        .clone();
    assert_eq!(dataset, format!("{ACCOUNT}:dataset/dg/INTERACTIONS"));
    let recipe = "arn:aws:personalize:::recipe/aws-user-personalization";
    let solution = ok(
        &s,
        "CreateSolution",
        json!({"name": "sol", "datasetGroupArn": group, "recipeArn": recipe}),
    )["solutionArn"]
        .clone();
    let version = ok(
        &s,
        "CreateSolutionVersion",
        json!({"solutionArn": solution}),
    )["solutionVersionArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = version
        .strip_prefix(&format!("{ACCOUNT}:solution/sol/"))
        .unwrap_or_else(|| panic!("{version}"));
    assert!(
        id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{version}"
    );

    let versions = ok(&s, "ListSolutionVersions", json!({"solutionArn": solution}));
    assert_eq!(
        versions["solutionVersions"][0]["solutionVersionArn"],
        version.as_str()
    );
    let groups = ok(&s, "ListDatasetGroups", json!({}));
    assert_eq!(groups["datasetGroups"].as_array().unwrap().len(), 1);
    let described = ok(&s, "DescribeDataset", json!({"datasetArn": dataset}));
    assert_eq!(described["dataset"]["datasetGroupArn"], group);
    assert_eq!(described["dataset"]["status"], "ACTIVE");

    // The AWS-owned catalogue.
    let page = ok(&s, "ListRecipes", json!({"maxResults": 3}));
    assert_eq!(page["recipes"].as_array().unwrap().len(), 3);
    assert!(page["nextToken"].is_string());
    let ecommerce = ok(&s, "ListRecipes", json!({"domain": "ECOMMERCE"}));
    assert!(!ecommerce["recipes"].as_array().unwrap().is_empty());
    let described = ok(&s, "DescribeRecipe", json!({"recipeArn": recipe}));
    assert_eq!(described["recipe"]["recipeArn"], recipe);

    // Tags.
    let tags = ok(&s, "ListTagsForResource", json!({"resourceArn": group}));
    assert_eq!(tags, json!({"tags": [{"tagKey": "a", "tagValue": "b"}]}));

    // A group with a dataset or a solution cannot be deleted; deleting the solution takes its
    // version with it; then the group goes, and its name is free again.
    let (status, code, out) = call(&s, "DeleteDatasetGroup", json!({"datasetGroupArn": group}));
    assert_eq!(
        (status, code.as_str()),
        (400, "ResourceInUseException"),
        "{out}"
    );
    ok(&s, "DeleteSolution", json!({"solutionArn": solution}));
    ok(&s, "DeleteDataset", json!({"datasetArn": dataset}));
    ok(&s, "DeleteDatasetGroup", json!({"datasetGroupArn": group}));
    for (op, member, arn) in [
        ("DescribeDatasetGroup", "datasetGroupArn", group.clone()),
        ("DescribeDataset", "datasetArn", dataset.clone()),
        ("DescribeSolution", "solutionArn", solution.clone()),
        (
            "DescribeSolutionVersion",
            "solutionVersionArn",
            version.clone().into(),
        ),
    ] {
        let (status, code, out) = call(&s, op, json!({ member: arn }));
        assert_eq!(
            (status, code.as_str()),
            (400, "ResourceNotFoundException"),
            "{op}: {out}"
        );
    }
    assert_eq!(
        ok(&s, "CreateDatasetGroup", json!({"name": "dg"}))["datasetGroupArn"],
        group
    );
}

/// One resource of every kind a client can create: each is described and found by its List
/// (the debug build's protocol layer answers 500 when an output does not parse as the
/// operation's output type, so every Describe and List output is checked against the model).
#[test]
fn every_creatable_kind_is_described_and_listed() {
    let s = MockService::new();
    let role = "arn:aws:iam::123456789012:role/R";
    let s3 = |path: &str| json!({ "path": path });
    let arn_of = |op: &str, body: Value, member: &str| -> String {
        ok(&s, op, body)[member].as_str().unwrap().to_owned()
    };
    let schema = arn_of(
        "CreateSchema",
        json!({"name": "s", "schema": "{}"}),
        "schemaArn",
    );
    let group = arn_of(
        "CreateDatasetGroup",
        json!({"name": "dg"}),
        "datasetGroupArn",
    );
    let dataset = arn_of(
        "CreateDataset",
        json!({"name": "d", "schemaArn": schema, "datasetGroupArn": group, "datasetType": "INTERACTIONS"}),
        "datasetArn",
    );
    let recipe = "arn:aws:personalize:::recipe/aws-user-personalization";
    let solution = arn_of(
        "CreateSolution",
        json!({"name": "sol", "datasetGroupArn": group, "recipeArn": recipe}),
        "solutionArn",
    );
    let version = arn_of(
        "CreateSolutionVersion",
        json!({ "solutionArn": solution }),
        "solutionVersionArn",
    );
    let created = [
        ("Schema", schema.clone(), json!({})),
        ("DatasetGroup", group.clone(), json!({})),
        (
            "Dataset",
            dataset.clone(),
            json!({ "datasetGroupArn": group }),
        ),
        (
            "Solution",
            solution.clone(),
            json!({ "datasetGroupArn": group }),
        ),
        (
            "SolutionVersion",
            version.clone(),
            json!({ "solutionArn": solution }),
        ),
        (
            "Campaign",
            arn_of(
                "CreateCampaign",
                json!({"name": "c", "solutionVersionArn": version}),
                "campaignArn",
            ),
            json!({ "solutionArn": solution }),
        ),
        (
            "EventTracker",
            arn_of(
                "CreateEventTracker",
                json!({"name": "t", "datasetGroupArn": group}),
                "eventTrackerArn",
            ),
            json!({ "datasetGroupArn": group }),
        ),
        (
            "Filter",
            arn_of(
                "CreateFilter",
                json!({"name": "f", "datasetGroupArn": group,
                       "filterExpression": "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")"}),
                "filterArn",
            ),
            json!({ "datasetGroupArn": group }),
        ),
        (
            "MetricAttribution",
            arn_of(
                "CreateMetricAttribution",
                json!({"name": "m", "datasetGroupArn": group,
                       "metrics": [{"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}],
                       "metricsOutputConfig": {"roleArn": role}}),
                "metricAttributionArn",
            ),
            json!({ "datasetGroupArn": group }),
        ),
        (
            "BatchInferenceJob",
            arn_of(
                "CreateBatchInferenceJob",
                json!({"jobName": "bi", "solutionVersionArn": version, "roleArn": role,
                       "jobInput": {"s3DataSource": s3("s3://b/in")},
                       "jobOutput": {"s3DataDestination": s3("s3://b/out")}}),
                "batchInferenceJobArn",
            ),
            json!({ "solutionVersionArn": version }),
        ),
        (
            "BatchSegmentJob",
            arn_of(
                "CreateBatchSegmentJob",
                json!({"jobName": "bs", "solutionVersionArn": version, "roleArn": role,
                       "jobInput": {"s3DataSource": s3("s3://b/in")},
                       "jobOutput": {"s3DataDestination": s3("s3://b/out")}}),
                "batchSegmentJobArn",
            ),
            json!({ "solutionVersionArn": version }),
        ),
        (
            "DatasetImportJob",
            arn_of(
                "CreateDatasetImportJob",
                json!({"jobName": "imp", "datasetArn": dataset, "roleArn": role,
                       "dataSource": {"dataLocation": "s3://b/data.csv"}}),
                "datasetImportJobArn",
            ),
            json!({ "datasetArn": dataset }),
        ),
        (
            "DatasetExportJob",
            arn_of(
                "CreateDatasetExportJob",
                json!({"jobName": "exp", "datasetArn": dataset, "roleArn": role,
                       "jobOutput": {"s3DataDestination": s3("s3://b/export")}}),
                "datasetExportJobArn",
            ),
            json!({ "datasetArn": dataset }),
        ),
        (
            "DataDeletionJob",
            arn_of(
                "CreateDataDeletionJob",
                json!({"jobName": "del", "datasetGroupArn": group, "roleArn": role,
                       "dataSource": {"dataLocation": "s3://b/users.csv"}}),
                "dataDeletionJobArn",
            ),
            json!({ "datasetGroupArn": group }),
        ),
    ];
    for (noun, arn, list_filter) in &created {
        let lower = format!("{}{}", noun[..1].to_lowercase(), &noun[1..]);
        let described = ok(
            &s,
            &format!("Describe{noun}"),
            json!({ format!("{lower}Arn"): arn }),
        );
        assert_eq!(
            described[&lower][format!("{lower}Arn")],
            arn.as_str(),
            "{noun}"
        );
        // The List of the kind, narrowed to its parent where the List can be.
        let list_op = OPERATION_METAS
            .iter()
            .find(|m| m.name == format!("List{noun}s"))
            .unwrap_or_else(|| panic!("no List{noun}s"));
        let page = ok(&s, list_op.name, list_filter.clone());
        let items = page
            .as_object()
            .unwrap()
            .values()
            .find_map(Value::as_array)
            .unwrap_or_else(|| panic!("{}: {page}", list_op.name));
        let found = items
            .iter()
            .filter(|item| item[format!("{lower}Arn")] == arn.as_str())
            .count();
        assert_eq!(found, 1, "{noun} {arn} in {page}");
    }
    assert_eq!(s.len(), created.len());
}
