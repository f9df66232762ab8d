//! A short workflow through the AWS CLI (`aws personalize …`), asserting the JSON it prints:
//! recipes, then a dataset group created, described through its statuses, listed, refused
//! twice, deleted through its delete statuses and gone. The mock runs in-process on a manual
//! clock that the test moves between commands.

use std::process::Output;
use std::time::Duration;

use serde_json::{json, Value};

use crate::clients::{aws, python, SteppedMock};

const T0: i64 = 1_700_000_000;

fn stdout_json(out: &Output, what: &str) -> Value {
    assert!(
        out.status.success(),
        "aws {what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "aws {what} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The CLI's report of a service error: exit status 255 (CLI v1) and its one-line message.
fn assert_cli_error(out: &Output, code: &str, operation: &str, message: &str) {
    assert_eq!(out.status.code(), Some(255), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        format!("An error occurred ({code}) when calling the {operation} operation: {message}")
    );
}

#[test]
fn aws_cli_dataset_group_workflow() {
    let python = python();
    let mock = SteppedMock::start(T0, Duration::from_secs(1));
    let url = mock.server.url();
    let cli = |args: &[&str]| aws(&python, &url, args);

    // Recipes: every page merged by the CLI, and the domain filter.
    let all = stdout_json(&cli(&["list-recipes", "--page-size", "5"]), "list-recipes");
    let arns: Vec<&str> = all["recipes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["recipeArn"].as_str().unwrap())
        .collect();
    assert!(arns.len() > 5, "{all}");
    assert!(arns.contains(&"arn:aws:personalize:::recipe/aws-user-personalization"));
    assert!(all.get("nextToken").is_none() && all.get("NextToken").is_none());
    let ecommerce = stdout_json(
        &cli(&["list-recipes", "--domain", "ECOMMERCE"]),
        "list-recipes --domain",
    );
    let ecommerce = ecommerce["recipes"].as_array().unwrap();
    assert!(!ecommerce.is_empty());
    assert!(ecommerce.len() < arns.len());
    for recipe in ecommerce {
        assert_eq!(recipe["domain"], "ECOMMERCE", "{recipe}");
        assert!(arns.contains(&recipe["recipeArn"].as_str().unwrap()));
    }

    // Create: the CLI prints the new ARN.
    let arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/cli-dg";
    let created = stdout_json(
        &cli(&[
            "create-dataset-group",
            "--name",
            "cli-dg",
            "--tags",
            "tagKey=team,tagValue=recs",
        ]),
        "create-dataset-group",
    );
    assert_eq!(created, json!({ "datasetGroupArn": arn }));

    // Describe through the creation statuses.
    for (i, status) in ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
        .into_iter()
        .enumerate()
    {
        let described = stdout_json(
            &cli(&["describe-dataset-group", "--dataset-group-arn", arn]),
            "describe-dataset-group",
        );
        assert_eq!(
            described,
            json!({"datasetGroup": {
                "name": "cli-dg",
                "datasetGroupArn": arn,
                "status": status,
                "creationDateTime": T0,
                "lastUpdatedDateTime": T0 + i as i64,
            }})
        );
        mock.tick();
    }

    // A second one by the same name is refused.
    assert_cli_error(
        &cli(&["create-dataset-group", "--name", "cli-dg"]),
        "ResourceAlreadyExistsException",
        "CreateDatasetGroup",
        &format!("A dataset group with ARN {arn} already exists."),
    );

    let listed = stdout_json(&cli(&["list-dataset-groups"]), "list-dataset-groups");
    assert_eq!(
        listed,
        json!({"datasetGroups": [{
            "name": "cli-dg",
            "datasetGroupArn": arn,
            "status": "ACTIVE",
            "creationDateTime": T0,
            "lastUpdatedDateTime": T0 + 2,
        }]})
    );
    let tags = stdout_json(
        &cli(&["list-tags-for-resource", "--resource-arn", arn]),
        "list-tags-for-resource",
    );
    assert_eq!(
        tags,
        json!({"tags": [{"tagKey": "team", "tagValue": "recs"}]})
    );

    // Delete: nothing printed, then the delete statuses, then gone.
    let deleted = cli(&["delete-dataset-group", "--dataset-group-arn", arn]);
    assert!(deleted.status.success(), "{deleted:?}");
    assert!(deleted.stdout.is_empty(), "{deleted:?}");
    let deleting_since = mock.now_secs() as i64;
    // A dataset group documents DELETE PENDING only, until it is gone.
    for _ in 0..2 {
        let described = stdout_json(
            &cli(&["describe-dataset-group", "--dataset-group-arn", arn]),
            "describe-dataset-group",
        );
        assert_eq!(described["datasetGroup"]["status"], "DELETE PENDING");
        let updated = described["datasetGroup"]["lastUpdatedDateTime"].as_i64();
        assert!(updated >= Some(deleting_since), "{described}");
        mock.tick();
    }
    assert_cli_error(
        &cli(&["describe-dataset-group", "--dataset-group-arn", arn]),
        "ResourceNotFoundException",
        "DescribeDatasetGroup",
        &format!("Could not find dataset group with ARN {arn}."),
    );
    let listed = stdout_json(&cli(&["list-dataset-groups"]), "list-dataset-groups");
    assert_eq!(listed, json!({"datasetGroups": []}));
    // A name outside the model's pattern gets the service's validation error.
    let bad = cli(&["create-dataset-group", "--name", "bad name!"]);
    assert_eq!(bad.status.code(), Some(255), "{bad:?}");
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains(
            "(InvalidInputException) when calling the CreateDatasetGroup operation: \
             1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint"
        ),
        "{stderr}"
    );
}
