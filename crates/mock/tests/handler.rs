//! The generated `Handler`/`route` and the generic protocol layer, with a handler of the
//! test's own: routing by target, the generic default, validation before the handler for
//! every operation, errors with their codes, and the debug check of pre-written JSON bodies.

use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Response};
use personalize_mock::protocol::handle;
use personalize_mock::{route, Context, Handler, ProtocolRequest, Reply};
use personalize_model::operation::describe_dataset_group::{
    DescribeDatasetGroupError, DescribeDatasetGroupInput, DescribeDatasetGroupOutput,
};
use personalize_model::operation::list_campaigns::{
    ListCampaignsError, ListCampaignsInput, ListCampaignsOutput,
};
use personalize_model::operation::list_schemas::{
    ListSchemasError, ListSchemasInput, ListSchemasOutput,
};
use personalize_model::types::DatasetGroup;
use personalize_model::{Operation, OperationError};
use serde_json::Value;

/// Serves three operations its own way and counts every call that reaches it.
#[derive(Default)]
struct TestHandler {
    calls: AtomicUsize,
}

impl Handler for TestHandler {
    fn generic<O: Operation>(
        &self,
        _ctx: &Context,
        _input: O::Input,
    ) -> Result<Reply<O::Output>, O::Error> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Err(O::Error::from_code(
            "ThrottlingException",
            Some(format!("generic {}", O::NAME)),
        ))
    }

    fn describe_dataset_group(
        &self,
        ctx: &Context,
        input: DescribeDatasetGroupInput,
    ) -> Result<Reply<DescribeDatasetGroupOutput>, DescribeDatasetGroupError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let arn = input.dataset_group_arn.unwrap_or_default();
        if arn.ends_with("/gone") {
            return Err(DescribeDatasetGroupError::from_code(
                "ResourceNotFoundException",
                Some(format!("no {arn}")),
            ));
        }
        let group = DatasetGroup::builder()
            .dataset_group_arn(arn)
            .name(format!("{}-{}", ctx.account, ctx.region))
            .build();
        Ok(Reply::Output(
            DescribeDatasetGroupOutput::builder()
                .dataset_group(group)
                .build(),
        ))
    }

    fn list_campaigns(
        &self,
        _ctx: &Context,
        _input: ListCampaignsInput,
    ) -> Result<Reply<ListCampaignsOutput>, ListCampaignsError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        // Not a ListCampaigns output: `campaigns` must be a list.
        Ok(Reply::Json(Bytes::from_static(b"{\"campaigns\":7}")))
    }

    fn list_schemas(
        &self,
        _ctx: &Context,
        _input: ListSchemasInput,
    ) -> Result<Reply<ListSchemasOutput>, ListSchemasError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(Reply::Json(Bytes::from_static(b"{\"schemas\":[]}")))
    }
}

const GROUP: &str = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g";

fn headers(target: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    headers.insert("x-amz-target", HeaderValue::from_str(target).unwrap());
    headers
}

/// Routes `body` to `target` with the test handler.
fn call(handler: &TestHandler, target: &str, body: &str) -> Option<Response<Bytes>> {
    let headers = headers(target);
    let request = ProtocolRequest {
        headers: &headers,
        body: body.as_bytes(),
    };
    route(handler, &Context::new("req-1"), target.as_bytes(), &request)
}

fn status_and_body(response: &Response<Bytes>) -> (u16, Value) {
    let body = serde_json::from_slice(response.body()).unwrap();
    (response.status().as_u16(), body)
}

fn error_type(response: &Response<Bytes>) -> &str {
    response.headers()["x-amzn-errortype"].to_str().unwrap()
}

#[test]
fn a_method_of_the_handler_serves_its_target() {
    let handler = TestHandler::default();
    let body = format!("{{\"datasetGroupArn\":\"{GROUP}\"}}");
    let response = call(&handler, "AmazonPersonalize.DescribeDatasetGroup", &body).unwrap();
    let (status, body) = status_and_body(&response);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["datasetGroup"]["datasetGroupArn"], GROUP);
    assert_eq!(body["datasetGroup"]["name"], "123456789012-us-east-1");
    assert_eq!(response.headers()["x-amzn-requestid"], "req-1");
    assert_eq!(handler.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn other_targets_go_to_generic() {
    let handler = TestHandler::default();
    let response = call(&handler, "AmazonPersonalize.ListRecipes", "{}").unwrap();
    let (status, body) = status_and_body(&response);
    // An error the operation does not model still goes out with its code, as a client error.
    assert_eq!(
        (status, error_type(&response)),
        (400, "ThrottlingException")
    );
    assert_eq!(body["__type"], "ThrottlingException");
    assert_eq!(body["message"], "generic ListRecipes");
}

#[test]
fn modeled_errors_go_out_with_their_code() {
    let handler = TestHandler::default();
    let body = format!("{{\"datasetGroupArn\":\"{GROUP}/gone\"}}");
    let response = call(&handler, "AmazonPersonalize.DescribeDatasetGroup", &body).unwrap();
    let (status, body) = status_and_body(&response);
    assert_eq!(
        (status, error_type(&response)),
        (400, "ResourceNotFoundException")
    );
    assert_eq!(body["message"], format!("no {GROUP}/gone"));
}

#[test]
fn unknown_targets_are_not_routed() {
    let handler = TestHandler::default();
    for target in [
        "AmazonPersonalize.NoSuchOperation",
        "AmazonPersonalize.",
        "AmazonPersonalize.describeDatasetGroup",
        "DynamoDB_20120810.ListTables",
        "DescribeDatasetGroup",
        "",
    ] {
        assert!(call(&handler, target, "{}").is_none(), "{target:?}");
    }
    assert_eq!(handler.calls.load(Ordering::SeqCst), 0);
}

#[test]
fn invalid_input_never_reaches_the_handler() {
    let handler = TestHandler::default();
    // ListSchemas does not model InvalidInputException; the service answers it all the same.
    let response = call(
        &handler,
        "AmazonPersonalize.ListSchemas",
        "{\"maxResults\":0}",
    )
    .unwrap();
    let (status, body) = status_and_body(&response);
    assert_eq!(
        (status, error_type(&response)),
        (400, "InvalidInputException")
    );
    assert!(
        body["message"].as_str().unwrap().contains("'maxResults'"),
        "{body}"
    );
    // A required member missing.
    let response = call(&handler, "AmazonPersonalize.DescribeDatasetGroup", "").unwrap();
    assert_eq!(error_type(&response), "InvalidInputException");
    // Not the member's JSON type.
    let response = call(
        &handler,
        "AmazonPersonalize.ListSchemas",
        "{\"maxResults\":\"2\"}",
    )
    .unwrap();
    let (status, body) = status_and_body(&response);
    assert_eq!(
        (status, error_type(&response)),
        (400, "SerializationException")
    );
    assert!(
        body["message"].as_str().unwrap().contains("'maxResults'"),
        "{body}"
    );
    assert_eq!(handler.calls.load(Ordering::SeqCst), 0);
}

#[test]
fn pre_written_json_is_sent_as_is() {
    let handler = TestHandler::default();
    let response = call(&handler, "AmazonPersonalize.ListSchemas", "{}").unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), b"{\"schemas\":[]}");
}

#[cfg(debug_assertions)]
#[test]
fn pre_written_json_that_is_not_the_output_is_a_mock_failure() {
    let handler = TestHandler::default();
    let response = call(&handler, "AmazonPersonalize.ListCampaigns", "{}").unwrap();
    let (status, body) = status_and_body(&response);
    assert_eq!((status, error_type(&response)), (500, "InternalFailure"));
    assert!(
        body["message"].as_str().unwrap().contains("ListCampaigns"),
        "{body}"
    );
}

#[test]
fn handle_checks_the_request_before_routing() {
    let handler = TestHandler::default();
    let ctx = Context::new("req-2");
    let serve = |request: Request<Bytes>| {
        handle(&ctx, &request, |target, parts| {
            route(&handler, &ctx, target, parts)
        })
    };
    let mut request = Request::new(Bytes::from_static(b"{}"));
    *request.method_mut() = http::Method::POST;
    *request.headers_mut() = headers("AmazonPersonalize.NoSuchOperation");
    let response = serve(request.clone());
    let (status, body) = status_and_body(&response);
    assert_eq!(
        (status, error_type(&response)),
        (400, "UnknownOperationException")
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("'AmazonPersonalize.NoSuchOperation'"),
        "{body}"
    );
    request.headers_mut().remove("x-amz-target");
    let response = serve(request.clone());
    assert_eq!(error_type(&response), "UnknownOperationException");
    *request.method_mut() = http::Method::GET;
    assert_eq!(serve(request).status(), 405);
    assert_eq!(handler.calls.load(Ordering::SeqCst), 0);
}

#[test]
fn contexts_default_to_the_documented_account_and_region() {
    let ctx = Context::new("id");
    assert_eq!(
        (
            ctx.request_id.as_str(),
            ctx.account.as_str(),
            ctx.region.as_str()
        ),
        ("id", "123456789012", "us-east-1")
    );
}

#[test]
fn the_mock_answers_operations_it_does_not_serve_yet_with_their_name() {
    let service = personalize_mock::MockService::default();
    let response = service.handle_parts(
        http::Method::POST,
        "/",
        headers("AmazonPersonalize.ListCampaigns"),
        Bytes::new(),
    );
    let (status, body) = status_and_body(&response);
    assert_eq!(
        (status, error_type(&response)),
        (400, "UnknownOperationException")
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("AmazonPersonalize.ListCampaigns"),
        "{message}"
    );
    assert!(message.contains("not served"), "{message}");
}
