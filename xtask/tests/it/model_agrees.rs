//! model/ agrees with the official Smithy model and with the seed page
//! (../shared/spec/ListBatchSegmentJobs.md); where they differ, the model wins.

use serde_json::{json, Value};
use xtask::slice::{slice, Operations};
use xtask::smithy::Model;

const NS: &str = "com.amazonaws.personalize#";

fn ours() -> Model {
    Model::load(&xtask::workspace_root().join("model")).unwrap()
}

fn official() -> Model {
    Model::load(&xtask::workspace_root().join("spec/models/personalize-2018-05-22.json")).unwrap()
}

fn seed_page() -> String {
    let path = xtask::workspace_root().join("spec/pages/ListBatchSegmentJobs.md");
    // Undo the page's Markdown escapes (`\.`, `\(`) but keep regex escapes such as `\d`.
    std::fs::read_to_string(path)
        .unwrap()
        .replace("\\.", ".")
        .replace("\\(", "(")
        .replace("\\)", ")")
}

fn trait_of(model: &Model, shape: &str, id: &str) -> Value {
    model.shapes[&format!("{NS}{shape}")].traits[id].clone()
}

#[test]
fn every_shape_equals_the_official_one() {
    let ours = ours();
    let official = official();
    for (id, shape) in &ours.shapes {
        let theirs = &official.shapes[id];
        if shape.kind == "service" {
            let mut restricted = theirs.clone();
            restricted.operations = shape.operations.clone();
            assert_eq!(*shape, restricted, "{id}");
            for op in shape.operations.iter().flatten() {
                assert!(
                    theirs.operations.iter().flatten().any(|t| t == op),
                    "{}",
                    op.target
                );
            }
        } else {
            assert_eq!(shape, theirs, "{id}");
        }
    }
}

/// model/ is the slice of every operation of the service: all 71 operations, and exactly the
/// shapes they reach (the official model's only other shapes are unreachable ones, if any).
#[test]
fn model_is_the_slice_of_every_operation() {
    let official = official();
    let sliced = slice(&official, &Operations::parse("all")).unwrap();
    assert_eq!(sliced, ours());
    let service = &sliced.shapes[&format!("{NS}AmazonPersonalize")];
    assert_eq!(service.operations.as_ref().map(Vec::len), Some(71));
    let theirs = &official.shapes[&format!("{NS}AmazonPersonalize")];
    assert_eq!(service.operations, theirs.operations);
    for name in [
        "ListBatchSegmentJobs",
        "CreateDatasetGroup",
        "DescribeRecipe",
        "TagResource",
        "GetSolutionMetrics",
        "BatchSegmentJobSummary",
        "DatasetGroupSummary",
    ] {
        assert!(sliced.shapes.contains_key(&format!("{NS}{name}")), "{name}");
    }
}

#[test]
fn checked_in_model_file_is_what_slice_writes() {
    let path = xtask::workspace_root().join("model/personalize-2018-05-22.json");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(text, ours().to_json());
}

#[test]
fn operation_traits_match_the_seed_page_and_readme() {
    let ours = ours();
    let op = &ours.shapes[&format!("{NS}ListBatchSegmentJobs")];
    assert_eq!(
        op.traits["smithy.api#paginated"],
        json!({"inputToken": "nextToken", "outputToken": "nextToken", "items": "batchSegmentJobs", "pageSize": "maxResults"})
    );
    assert!(op.has_trait("smithy.api#idempotent"));
    let service = &ours.shapes[&format!("{NS}AmazonPersonalize")];
    assert!(service.has_trait("aws.protocols#awsJson1_1"));
    assert_eq!(
        service.traits["aws.auth#sigv4"],
        json!({"name": "personalize"})
    );
}

#[test]
fn constraints_match_the_seed_page() {
    let ours = ours();
    let page = seed_page();
    assert!(page.contains("Valid Range: Minimum value of 1. Maximum value of 100."));
    assert_eq!(
        trait_of(&ours, "MaxResults", "smithy.api#range"),
        json!({"min": 1, "max": 100})
    );
    assert!(page.contains("Length Constraints: Maximum length of 1500."));
    assert_eq!(
        trait_of(&ours, "NextToken", "smithy.api#length"),
        json!({"min": 0, "max": 1500})
    );
    assert!(page.contains("Length Constraints: Maximum length of 256."));
    assert_eq!(
        trait_of(&ours, "Arn", "smithy.api#length"),
        json!({"min": 0, "max": 256})
    );
    assert!(page.contains("Pattern: `arn:([a-z\\d-]+):personalize:.*:.*:.+`"));
    assert_eq!(
        trait_of(&ours, "Arn", "smithy.api#pattern"),
        json!("^arn:([a-z\\d-]+):personalize:.*:.*:.+$")
    );
    assert!(page.contains("Array Members: Maximum number of 100 items."));
    assert_eq!(
        trait_of(&ours, "BatchSegmentJobs", "smithy.api#length"),
        json!({"min": 0, "max": 100})
    );
    assert!(page.contains("HTTP Status Code: 400"));
    assert_eq!(
        trait_of(&ours, "InvalidNextTokenException", "smithy.api#httpError"),
        json!(400)
    );
}

#[test]
fn next_token_pattern_comes_from_the_model_not_the_page() {
    let page = seed_page();
    let token_section = page
        .split("** [ nextToken ]")
        .nth(1)
        .unwrap()
        .split("Required:")
        .next()
        .unwrap();
    assert!(
        !token_section.contains("Pattern:"),
        "the page shows no NextToken pattern"
    );
    assert_eq!(
        trait_of(&ours(), "NextToken", "smithy.api#pattern"),
        json!("^\\p{ASCII}{0,1500}$")
    );
}
