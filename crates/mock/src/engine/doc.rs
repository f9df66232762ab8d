//! Resources as JSON objects: ordered writing, projection onto a shape, and checking a value
//! against the model (types, timestamps in their wire form) with the member path in errors.

use personalize_model::{DateTime, StructureMeta, ValueKind};
use serde_json::{Map, Value};

/// A resource's members.
pub(crate) type Members = Map<String, Value>;

/// Writes `members` as a compact JSON object: first the members named in `orders` (in that
/// order, each once), then the rest.
pub(crate) fn write(members: &Members, orders: &[&StructureMeta]) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.push(b'{');
    let mut first = true;
    let mut written: Vec<&str> = Vec::new();
    let mut put = |out: &mut Vec<u8>, name: &str, value: &Value| {
        if !first {
            out.push(b',');
        }
        first = false;
        write_value(out, &Value::from(name));
        out.push(b':');
        write_value(out, value);
    };
    for shape in orders {
        for member in shape.members {
            if written.contains(&member.name) {
                continue;
            }
            if let Some(value) = members.get(member.name) {
                put(&mut out, member.name, value);
                written.push(member.name);
            }
        }
    }
    for (name, value) in members {
        if !written.contains(&name.as_str()) {
            put(&mut out, name, value);
        }
    }
    out.push(b'}');
    out
}

/// Only the members of `shape`, in its order.
pub(crate) fn project(members: &Members, shape: &StructureMeta) -> Vec<u8> {
    let mut kept = Members::new();
    for member in shape.members {
        if let Some(value) = members.get(member.name) {
            kept.insert(member.name.to_owned(), value.clone());
        }
    }
    write(&kept, &[shape])
}

fn write_value(out: &mut Vec<u8>, value: &Value) {
    // Writing a `Value` into a Vec cannot fail (no I/O, keys are strings).
    let _ = serde_json::to_writer(&mut *out, value);
}

/// Parses a stored doc back into members.
pub(crate) fn read(doc: &[u8]) -> Members {
    serde_json::from_slice(doc).unwrap_or_default()
}

/// A timestamp as the wire writes it (epoch seconds, the fraction exact).
pub(crate) fn timestamp(time: DateTime) -> Value {
    serde_json::to_value(time).unwrap_or(Value::Null)
}

/// Checks `members` against `shape` and puts timestamps in their wire form (RFC 3339 text is
/// accepted, as `aws … list-…` prints it). Members the shape does not have are kept as given.
pub(crate) fn normalize(
    members: &mut Members,
    shape: &StructureMeta,
    structure: fn(&str) -> Option<&'static StructureMeta>,
    path: &str,
) -> Result<(), String> {
    members.retain(|_, v| !v.is_null());
    for member in shape.members {
        if let Some(value) = members.get_mut(member.name) {
            let here = join(path, member.name);
            normalize_value(value, &member.kind, structure, &here)?;
        }
    }
    Ok(())
}

fn normalize_value(
    value: &mut Value,
    kind: &ValueKind,
    structure: fn(&str) -> Option<&'static StructureMeta>,
    path: &str,
) -> Result<(), String> {
    let wrong = |expected: &str, value: &Value| {
        Err(format!(
            "{path}: expected {expected}, got {}",
            kind_of(value)
        ))
    };
    match kind {
        ValueKind::String | ValueKind::Enum(_) | ValueKind::Blob if !value.is_string() => {
            return wrong("a string", value);
        }
        ValueKind::Boolean if !value.is_boolean() => return wrong("a boolean", value),
        ValueKind::Integer if !(value.is_i64() || value.is_u64()) => {
            return wrong("an integer", value);
        }
        ValueKind::Float if !value.is_number() => return wrong("a number", value),
        ValueKind::Timestamp => {
            let time = match &*value {
                Value::Number(n) => n
                    .as_f64()
                    .and_then(|secs| DateTime::from_secs_f64(secs).ok())
                    .ok_or_else(|| format!("{path}: timestamp {n} is out of range"))?,
                Value::String(text) => {
                    DateTime::parse_rfc3339(text).map_err(|e| format!("{path}: {e}"))?
                }
                other => return wrong("a timestamp", other),
            };
            *value = timestamp(time);
        }
        ValueKind::Document => {}
        ValueKind::Structure(name) => {
            let Value::Object(members) = value else {
                return wrong("an object", value);
            };
            if let Some(shape) = structure(name) {
                normalize(members, shape, structure, path)?;
            }
        }
        ValueKind::List(element) => {
            let Value::Array(items) = value else {
                return wrong("an array", value);
            };
            for (i, item) in items.iter_mut().enumerate() {
                normalize_value(item, element, structure, &format!("{path}[{i}]"))?;
            }
        }
        ValueKind::Map(element) => {
            let Value::Object(entries) = value else {
                return wrong("an object", value);
            };
            for (key, item) in entries.iter_mut() {
                normalize_value(item, element, structure, &join(path, key))?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
