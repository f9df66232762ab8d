//! `params` → the JSON the wire carries, walking the model's shapes: a case's `params` are
//! Smithy node values (a blob is its text, a timestamp is epoch seconds whatever its format),
//! the wire has base64 and the member's `@timestampFormat`. `null` members of structures are
//! dropped (they mean "not set"); `null` elements of sparse lists and maps are kept.

use base64::Engine;
use personalize_model::DateTime;
use serde_json::{Map, Value};

const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";

/// The shapes of a Smithy JSON AST.
#[derive(Clone, Copy, Debug)]
pub struct Schema<'m> {
    shapes: &'m Map<String, Value>,
}

impl<'m> Schema<'m> {
    /// The schema of a Smithy JSON AST.
    pub fn new(model: &'m Value) -> Result<Self, String> {
        let shapes = model
            .get("shapes")
            .and_then(Value::as_object)
            .ok_or("the model has no shapes")?;
        Ok(Self { shapes })
    }

    fn shape(&self, id: &str) -> Result<&'m Value, String> {
        self.shapes
            .get(id)
            .ok_or_else(|| format!("shape {id} is not in the model"))
    }

    /// The input or output structure of operation `name` of `service` (`None` for `Unit`).
    pub fn operation_io(
        &self,
        service: &str,
        name: &str,
        io: &str,
    ) -> Result<Option<String>, String> {
        let op = self
            .shape(service)?
            .get("operations")
            .and_then(Value::as_array)
            .and_then(|ops| {
                ops.iter()
                    .filter_map(|o| o.get("target")?.as_str())
                    .find(|id| id.rsplit_once('#').is_some_and(|(_, n)| n == name))
            })
            .ok_or_else(|| format!("{service} has no operation {name}"))?;
        let target = self
            .shape(op)?
            .get(io)
            .and_then(|t| t.get("target"))
            .and_then(Value::as_str);
        Ok(target
            .filter(|t| *t != "smithy.api#Unit")
            .map(str::to_owned))
    }

    /// The shape type of `id` (`structure`, `blob`, ...); prelude shapes by their name.
    fn kind(&self, id: &str) -> Result<String, String> {
        if let Some(name) = id.strip_prefix("smithy.api#") {
            let name = name.strip_prefix("Primitive").unwrap_or(name);
            return Ok(match name {
                "BigInteger" => "bigInteger".to_owned(),
                "BigDecimal" => "bigDecimal".to_owned(),
                other => other.to_lowercase(),
            });
        }
        self.shape(id)?
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("shape {id} has no type"))
    }

    /// `params` for a value of shape `id` (with the member's traits `traits`), as on the wire.
    pub fn to_wire(
        &self,
        id: &str,
        traits: Option<&Value>,
        params: &Value,
        at: &str,
    ) -> Result<Value, String> {
        let kind = self.kind(id)?;
        let shape = self.shapes.get(id);
        match kind.as_str() {
            "structure" | "union" => {
                let object = params
                    .as_object()
                    .ok_or_else(|| format!("{at}: a {kind} needs an object, got {params}"))?;
                let members = shape
                    .and_then(|s| s.get("members"))
                    .and_then(Value::as_object);
                let mut wire = Map::new();
                for (name, value) in object {
                    if value.is_null() {
                        continue;
                    }
                    let member = members
                        .and_then(|m| m.get(name))
                        .ok_or_else(|| format!("{at}: {id} has no member {name}"))?;
                    let target = member
                        .get("target")
                        .and_then(Value::as_str)
                        .ok_or_else(|| format!("{at}: member {name} has no target"))?;
                    let converted =
                        self.to_wire(target, member.get("traits"), value, &format!("{at}/{name}"))?;
                    wire.insert(name.clone(), converted);
                }
                Ok(Value::Object(wire))
            }
            "list" | "set" => {
                let items = params
                    .as_array()
                    .ok_or_else(|| format!("{at}: a list needs an array, got {params}"))?;
                let member = shape
                    .and_then(|s| s.get("member"))
                    .ok_or_else(|| format!("{at}: list {id} has no member"))?;
                let target = member
                    .get("target")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match item {
                        Value::Null => Ok(Value::Null),
                        item => {
                            self.to_wire(target, member.get("traits"), item, &format!("{at}/{i}"))
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            "map" => {
                let object = params
                    .as_object()
                    .ok_or_else(|| format!("{at}: a map needs an object, got {params}"))?;
                let value = shape
                    .and_then(|s| s.get("value"))
                    .ok_or_else(|| format!("{at}: map {id} has no value"))?;
                let target = value
                    .get("target")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let mut wire = Map::new();
                for (key, item) in object {
                    let converted = match item {
                        Value::Null => Value::Null,
                        item => {
                            self.to_wire(target, value.get("traits"), item, &format!("{at}/{key}"))?
                        }
                    };
                    wire.insert(key.clone(), converted);
                }
                Ok(Value::Object(wire))
            }
            "blob" => {
                let text = params
                    .as_str()
                    .ok_or_else(|| format!("{at}: a blob param needs a string, got {params}"))?;
                Ok(Value::String(
                    base64::engine::general_purpose::STANDARD.encode(text),
                ))
            }
            "timestamp" => {
                let secs = params.as_f64().ok_or_else(|| {
                    format!("{at}: a timestamp param needs epoch seconds, got {params}")
                })?;
                let format = traits
                    .and_then(|t| t.get(TIMESTAMP_FORMAT))
                    .or_else(|| {
                        shape
                            .and_then(|s| s.get("traits"))
                            .and_then(|t| t.get(TIMESTAMP_FORMAT))
                    })
                    .and_then(Value::as_str)
                    .unwrap_or("epoch-seconds");
                let time = DateTime::from_secs_f64(secs).map_err(|e| format!("{at}: {e}"))?;
                match format {
                    "epoch-seconds" => Ok(params.clone()),
                    "date-time" => Ok(Value::String(time.to_rfc3339())),
                    "http-date" => Ok(Value::String(time.to_http_date())),
                    other => Err(format!("{at}: timestamp format {other}")),
                }
            }
            _ => Ok(params.clone()),
        }
    }
}
