//! Discovery: every `smithy.test#httpRequestTests` / `httpResponseTests` entry of the service's
//! operations and of their error shapes, for the protocol under test.

use std::fmt;

use serde_json::{Map, Value};

/// The protocol whose cases are run.
pub const PROTOCOL: &str = "aws.protocols#awsJson1_1";

const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";

/// Who a case checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The client (`personalize-client`'s protocol layer).
    Client,
    /// The server (the mock's protocol layer).
    Server,
}

/// Whether a case is about a request or a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `httpRequestTests`.
    Request,
    /// `httpResponseTests`.
    Response,
}

/// One case, for one side.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The case id.
    pub id: String,
    /// Client or server.
    pub side: Side,
    /// Request or response.
    pub kind: Kind,
    /// The operation the case runs through (for an error shape's case, the first operation
    /// that lists the error).
    pub operation: String,
    /// For a case on an error shape, the shape id.
    pub error_shape: Option<String>,
    /// The trait entry as the model writes it.
    pub data: Map<String, Value>,
}

impl Case {
    /// `client request AwsJson11Enums`: the key of the expected-failure list and the test name.
    pub fn name(&self) -> String {
        self.to_string()
    }

    /// A string field of the entry.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.data.get(key).and_then(Value::as_str)
    }

    /// The `params` (an empty object when absent).
    pub fn params(&self) -> Value {
        self.data
            .get("params")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()))
    }

    /// The `headers` map.
    pub fn headers(&self) -> Vec<(String, String)> {
        self.data
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A list-of-strings field (`forbidHeaders`, `requireHeaders`).
    pub fn strings(&self, key: &str) -> Vec<String> {
        self.data
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match self.side {
            Side::Client => "client",
            Side::Server => "server",
        };
        let kind = match self.kind {
            Kind::Request => "request",
            Kind::Response => "response",
        };
        write!(f, "{side} {kind} {}", self.id)
    }
}

/// The service shape's operations, by shape id.
fn operations<'a>(shapes: &'a Map<String, Value>, service: &str) -> Vec<&'a str> {
    shapes
        .get(service)
        .and_then(|s| s.get("operations"))
        .and_then(Value::as_array)
        .map(|ops| {
            ops.iter()
                .filter_map(|o| o.get("target")?.as_str())
                .collect()
        })
        .unwrap_or_default()
}

fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// Every case of `service` in the model (a Smithy JSON AST) for [`PROTOCOL`], in model order
/// (operations as the service lists them, then error shapes by id); a case that applies to
/// both sides appears once per side.
pub fn discover(model: &Value, service: &str) -> Result<Vec<Case>, String> {
    let shapes = model
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or("the model has no shapes")?;
    let ops = operations(shapes, service);
    if ops.is_empty() {
        return Err(format!("service {service} has no operations in the model"));
    }
    // Error shape id → the first operation listing it.
    let mut error_ops: Vec<(String, &str)> = Vec::new();
    for op in &ops {
        let errors = shapes
            .get(*op)
            .and_then(|s| s.get("errors"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for e in errors {
            if let Some(id) = e.get("target").and_then(Value::as_str) {
                if !error_ops.iter().any(|(known, _)| known == id) {
                    error_ops.push((id.to_owned(), op));
                }
            }
        }
    }
    error_ops.sort();
    let mut owners: Vec<(&str, &str, Option<String>)> =
        ops.iter().map(|op| (*op, *op, None)).collect();
    owners.extend(
        error_ops
            .iter()
            .map(|(error, op)| (error.as_str(), *op, Some(error.clone()))),
    );
    let mut cases = Vec::new();
    for (shape_id, op, error_shape) in owners {
        let traits = shapes.get(shape_id).and_then(|s| s.get("traits"));
        for (trait_id, kind) in [
            (REQUEST_TESTS, Kind::Request),
            (RESPONSE_TESTS, Kind::Response),
        ] {
            let entries = traits
                .and_then(|t| t.get(trait_id))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for entry in entries {
                let data = entry
                    .as_object()
                    .cloned()
                    .ok_or_else(|| format!("{shape_id}: a {trait_id} entry is not an object"))?;
                if data.get("protocol").and_then(Value::as_str) != Some(PROTOCOL) {
                    continue;
                }
                let id = data
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{shape_id}: a {trait_id} entry has no id"))?
                    .to_owned();
                let sides: &[Side] = match data.get("appliesTo").and_then(Value::as_str) {
                    None => &[Side::Client, Side::Server],
                    Some("client") => &[Side::Client],
                    Some("server") => &[Side::Server],
                    Some(other) => return Err(format!("{id}: appliesTo {other:?}")),
                };
                for side in sides {
                    cases.push(Case {
                        id: id.clone(),
                        side: *side,
                        kind,
                        operation: shape_name(op).to_owned(),
                        error_shape: error_shape.clone(),
                        data: data.clone(),
                    });
                }
            }
        }
    }
    Ok(cases)
}
