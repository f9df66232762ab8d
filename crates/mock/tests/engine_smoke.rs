use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use personalize_mock::MockService;
use serde_json::{json, Value};

fn call(service: &MockService, op: &str, body: Value) -> (u16, Value) {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-amz-target",
        HeaderValue::from_str(&format!("AmazonPersonalize.{op}")).unwrap(),
    );
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    let response = service.handle_parts(Method::POST, "/", headers, Bytes::from(body.to_string()));
    let status = response.status().as_u16();
    let body: Value = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
    (status, body)
}

#[test]
fn smoke() {
    let s = MockService::new();
    let ops = [
        ("CreateSchema", json!({"name":"s","schema":"{}"})),
        (
            "CreateDatasetGroup",
            json!({"name":"dg","tags":[{"tagKey":"a","tagValue":"b"}]}),
        ),
        (
            "CreateDataset",
            json!({"name":"d","schemaArn":"arn:aws:personalize:us-east-1:123456789012:schema/s","datasetGroupArn":"arn:aws:personalize:us-east-1:123456789012:dataset-group/dg","datasetType":"INTERACTIONS"}),
        ),
        (
            "CreateSolution",
            json!({"name":"sol","datasetGroupArn":"arn:aws:personalize:us-east-1:123456789012:dataset-group/dg","recipeArn":"arn:aws:personalize:::recipe/aws-user-personalization"}),
        ),
        (
            "CreateSolutionVersion",
            json!({"solutionArn":"arn:aws:personalize:us-east-1:123456789012:solution/sol"}),
        ),
        (
            "ListSolutionVersions",
            json!({"solutionArn":"arn:aws:personalize:us-east-1:123456789012:solution/sol"}),
        ),
        ("ListDatasetGroups", json!({})),
        (
            "DescribeDataset",
            json!({"datasetArn":"arn:aws:personalize:us-east-1:123456789012:dataset/dg/INTERACTIONS"}),
        ),
        ("ListRecipes", json!({"maxResults": 3})),
        ("ListRecipes", json!({"domain": "ECOMMERCE"})),
        (
            "DescribeRecipe",
            json!({"recipeArn":"arn:aws:personalize:::recipe/aws-user-personalization"}),
        ),
        (
            "ListTagsForResource",
            json!({"resourceArn":"arn:aws:personalize:us-east-1:123456789012:dataset-group/dg"}),
        ),
        (
            "DeleteDatasetGroup",
            json!({"datasetGroupArn":"arn:aws:personalize:us-east-1:123456789012:dataset-group/dg"}),
        ),
        ("CreateDatasetGroup", json!({"name":"dg"})),
    ];
    for (op, body) in ops {
        let (status, out) = call(&s, op, body);
        println!("{op} {status} {out}");
    }
    for op in personalize_model::service::OPERATIONS {
        let (status, out) = call(&s, op, json!({}));
        println!(
            "EMPTY {op} {status} {}",
            out.to_string().chars().take(150).collect::<String>()
        );
        assert_ne!(status, 500, "{op}: {out}");
    }
}
