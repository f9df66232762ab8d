//! Replaying fixtures through personalize-client: a wiremock server answers each step with the
//! recorded response, the client is called with the input decoded from the recorded request,
//! and both directions are checked: the request it sent (method, path, target, content type,
//! JSON body by meaning, SigV4 scope) and what it made of the answer (output or typed error).

use std::time::Duration;

use std::future::Future;
use std::pin::Pin;

use personalize_client::{Client, Config, Credentials, Error, Operation, OperationError};
use personalize_model::service::operation;
use personalize_model::{DateTime, RequestId};
use serde_json::{json, Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::fixture::{Fixture, RecordedRequest, RecordedResponse, Step};
use crate::normalize::{
    canonical, epoch_text, error_code, media_type, rfc3339, rfc3339_from_epoch_text,
};
use crate::operations::{self, names, OperationVisitor};
use crate::report::{CaseReport, Outcome, Suite};
use crate::sign::{EXAMPLE_ACCESS_KEY, EXAMPLE_SECRET_KEY};

/// Name of the client in reports.
pub const CLIENT: &str = "client (personalize-client)";

/// The request id the replay server puts on every response.
pub const REPLAY_REQUEST_ID: &str = "00000000-0000-4000-8000-000000000000";

/// RFC 3339 of the model's timestamp, exact to the microsecond.
pub fn datetime_view(t: &DateTime) -> String {
    rfc3339(t.secs(), t.subsec_micros() * 1000)
}

/// The outcome of one step through the client.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientStep {
    /// The view of what the client returned.
    pub view: Value,
    /// Problems found (empty when the step conforms).
    pub problems: Vec<String>,
}

/// A wiremock server that answers every request with `response`.
pub async fn serve_recorded(response: &RecordedResponse) -> MockServer {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&response.body).unwrap_or_default();
    let content_type = response
        .headers
        .get("content-type")
        .cloned()
        .unwrap_or_else(|| "application/x-amz-json-1.1".into());
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(response.status)
                .insert_header("x-amzn-RequestId", REPLAY_REQUEST_ID)
                .set_body_raw(body, &content_type),
        )
        .mount(&server)
        .await;
    server
}

/// Checks the requests a client sent for one request of the operation `target`, whose body
/// must mean `want`.
pub fn check_sent_for(sent: &[wiremock::Request], target: &str, want: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let [request] = sent else {
        problems.push(format!(
            "expected exactly 1 request, the client sent {}",
            sent.len()
        ));
        return problems;
    };
    if request.method.as_str() != "POST" {
        problems.push(format!("method POST expected, sent {}", request.method));
    }
    if request.url.path() != "/" {
        problems.push(format!("path / expected, sent {}", request.url.path()));
    }
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
    if header("x-amz-target") != Some(target) {
        problems.push(format!(
            "x-amz-target {target} expected, sent {:?}",
            header("x-amz-target")
        ));
    }
    if header("content-type").map(media_type).as_deref() != Some("application/x-amz-json-1.1") {
        problems.push(format!(
            "content-type application/x-amz-json-1.1 expected, sent {:?}",
            header("content-type")
        ));
    }
    match header("authorization") {
        Some(a)
            if a.starts_with("AWS4-HMAC-SHA256 Credential=")
                && a.contains("/personalize/aws4_request") => {}
        other => problems.push(format!(
            "a SigV4 authorization for service personalize expected, sent {other:?}"
        )),
    }
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(got) if canonical(&got) == *want => {}
        Ok(got) => problems.push(format!("body {want} expected, sent {got}")),
        Err(e) => problems.push(format!(
            "body is not JSON ({e}): {}",
            String::from_utf8_lossy(&request.body)
        )),
    }
    problems
}

/// A client of personalize-client aimed at `endpoint` with the example credentials.
pub fn client_for(endpoint: &str) -> Result<Client, String> {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(Credentials::new(
            EXAMPLE_ACCESS_KEY,
            EXAMPLE_SECRET_KEY,
            None,
        ))
        .attempt_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Client::new(config))
}

/// One step through personalize-client, for the operation its `X-Amz-Target` names (the
/// service's first operation when it names none: a protocol case). A step whose request no
/// client can produce (a protocol case) is called with the empty input instead, and only the
/// parsing of the recorded answer is checked.
pub async fn run_step(step: &Step) -> Result<ClientStep, String> {
    let name = step
        .request
        .operation()
        .filter(|name| operation(name).is_some())
        .or_else(|| names().next())
        .ok_or("the model has no operations")?;
    operations::visit(name, StepVisitor(step))
        .ok_or_else(|| format!("{name} is not an operation of the service"))?
        .await
}

/// Runs one step as operation `O` (see [`run_step`]).
struct StepVisitor<'a>(&'a Step);

impl<'a> OperationVisitor for StepVisitor<'a> {
    type Output = Pin<Box<dyn Future<Output = Result<ClientStep, String>> + Send + 'a>>;
    fn visit<O: Operation>(self) -> Self::Output {
        Box::pin(run_operation_step::<O>(self.0))
    }
}

/// The input of operation `O` decoded from a recorded request, or why no client can send it.
pub fn operation_input<O: Operation>(request: &RecordedRequest) -> Result<O::Input, String> {
    if request.header("x-amz-target") != Some(O::TARGET) {
        return Err(format!(
            "protocol case: target {:?} is not {}",
            request.header("x-amz-target"),
            O::TARGET
        ));
    }
    let content_type = request.header("content-type").map(media_type);
    if content_type.as_deref() != Some("application/x-amz-json-1.1") {
        return Err("protocol case: not an awsJson 1.1 request".into());
    }
    let body: Value = serde_json::from_str(&request.body)
        .map_err(|e| format!("protocol case: body is not JSON ({e})"))?;
    if !body.is_object() {
        return Err("protocol case: body is not a JSON object".into());
    }
    serde_json::from_value(body)
        .map_err(|e| format!("protocol case: body is not a {} input ({e})", O::NAME))
}

/// The body a correct client of `O` sends for a recorded request: the input's model members
/// (by wire name), nulls dropped.
pub fn expected_client_body<O: Operation>(request: &RecordedRequest) -> Value {
    let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
    match canonical(&body) {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| O::META.input.member(k).is_some())
                .collect(),
        ),
        other => other,
    }
}

/// Timestamps (members named `…DateTime` holding epoch seconds) as RFC 3339 text, recursively.
pub fn timestamps_as_text(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::Number(n) if k.ends_with("DateTime") => {
                            rfc3339_from_epoch_text(&epoch_text(n))
                                .map_or_else(|| v.clone(), Value::String)
                        }
                        other => timestamps_as_text(other),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(timestamps_as_text).collect()),
        other => other.clone(),
    }
}

/// What a client of operation `O` should make of a recorded response, in the view form.
pub fn expected_operation_view<O: Operation>(response: &RecordedResponse) -> Value {
    if response.status == 200 {
        let mut out = match timestamps_as_text(&canonical(&response.body)) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        out.insert("requestId".into(), json!(REPLAY_REQUEST_ID));
        json!({ "output": out })
    } else {
        let code = response
            .body
            .get("__type")
            .and_then(Value::as_str)
            .map(error_code)
            .unwrap_or_default()
            .to_owned();
        let modeled = O::ERRORS.iter().any(|e| e.code == code);
        json!({ "error": {
            "variant": if modeled { code.clone() } else { "Unhandled".into() },
            "code": code,
            "message": response.body.get("message").or_else(|| response.body.get("Message")),
            "status": response.status,
            "requestId": REPLAY_REQUEST_ID,
        }})
    }
}

/// What personalize-client returned for operation `O`, in the view form.
pub fn operation_view<O: Operation>(result: &Result<O::Output, Error<O::Error>>) -> Value {
    match result {
        Ok(output) => {
            let body = serde_json::to_value(output).unwrap_or(Value::Null);
            let mut out = match timestamps_as_text(&canonical(&body)) {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            if let Some(id) = output.request_id() {
                out.insert("requestId".into(), Value::String(id.to_owned()));
            }
            json!({ "output": out })
        }
        Err(e) => match e.err() {
            Some(err) => json!({ "error": {
                "variant": if err.is_modeled() { err.code() } else { "Unhandled" },
                "code": e.code(),
                "message": e.message(),
                "status": e.status(),
                "requestId": e.request_id(),
            }}),
            None => json!({ "error": { "variant": "NotAServiceError", "detail": e.to_string() } }),
        },
    }
}

/// One step of operation `O` through personalize-client.
pub async fn run_operation_step<O: Operation>(step: &Step) -> Result<ClientStep, String> {
    let decoded = operation_input::<O>(&step.request);
    let server = serve_recorded(&step.response).await;
    let client = client_for(&server.uri())?;
    let input = decoded.clone().unwrap_or_default();
    let result = client.call::<O>(input).await;
    let view = operation_view::<O>(&result);
    let sent = server.received_requests().await.unwrap_or_default();
    let mut problems = match decoded {
        Ok(_) => check_sent_for(&sent, O::TARGET, &expected_client_body::<O>(&step.request)),
        Err(_) if sent.len() == 1 => Vec::new(),
        Err(_) => vec![format!(
            "expected exactly 1 request, the client sent {}",
            sent.len()
        )],
    };
    let want = expected_operation_view::<O>(&step.response);
    if view != want {
        problems.push(format!(
            "parsed result differs:\n{}",
            crate::compare::diff(&want, &view)
        ));
    }
    Ok(ClientStep { view, problems })
}

/// One fixture through personalize-client: the outcome and each step's view.
pub async fn run_fixture(fixture: &Fixture) -> (Outcome, Vec<Value>) {
    let mut problems = Vec::new();
    let mut views = Vec::new();
    for (i, step) in fixture.steps.iter().enumerate() {
        match run_step(step).await {
            Ok(s) => {
                let prefix = if fixture.steps.len() > 1 {
                    format!("step {}: ", i + 1)
                } else {
                    String::new()
                };
                problems.extend(s.problems.into_iter().map(|p| format!("{prefix}{p}")));
                views.push(s.view);
            }
            Err(reason) => return (Outcome::Fail { diff: reason }, views),
        }
    }
    let outcome = if problems.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail {
            diff: problems.join("\n"),
        }
    };
    (outcome, views)
}

/// Every fixture through personalize-client.
pub async fn run_client(fixtures: &[Fixture]) -> Suite {
    let mut cases = Vec::with_capacity(fixtures.len());
    for fixture in fixtures {
        let (outcome, _) = run_fixture(fixture).await;
        cases.push(CaseReport {
            name: fixture.name.clone(),
            operation: fixture.operation().map(str::to_owned),
            outcome,
        });
    }
    Suite {
        target: CLIENT.to_owned(),
        cases,
    }
}
