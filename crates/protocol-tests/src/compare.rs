//! Comparisons the cases ask for: JSON bodies by meaning (member order and number spelling do
//! not matter), headers by name case-insensitively.

use http::HeaderMap;
use serde_json::Value;

use crate::cases::Case;

/// Whether two JSON values mean the same: numbers by value, objects by members.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// `Ok` when the values mean the same, else a message showing both.
pub fn expect_json(what: &str, got: &Value, want: &Value) -> Result<(), String> {
    if json_eq(got, want) {
        Ok(())
    } else {
        Err(format!("{what} differs:\n  got:  {got}\n  want: {want}"))
    }
}

/// Checks a body against the case's `body` and `bodyMediaType`: JSON by meaning, anything
/// else byte for byte; an empty expected body means no body.
pub fn expect_body(got: &[u8], want: &str, media_type: Option<&str>) -> Result<(), String> {
    let json_media = media_type.is_some_and(|m| m.ends_with("json"));
    if want.is_empty() || !json_media {
        if got == want.as_bytes() {
            return Ok(());
        }
        return Err(format!(
            "body differs:\n  got:  {:?}\n  want: {want:?}",
            String::from_utf8_lossy(got)
        ));
    }
    let want: Value =
        serde_json::from_str(want).map_err(|e| format!("the case's body is not JSON: {e}"))?;
    let got: Value = serde_json::from_slice(got)
        .map_err(|e| format!("body is not JSON ({e}): {:?}", String::from_utf8_lossy(got)))?;
    expect_json("body", &got, &want)
}

/// Checks `headers` (each expected name with its value), `forbidHeaders` (absent) and
/// `requireHeaders` (present, any value).
pub fn expect_headers(
    got: &HeaderMap,
    want: &[(String, String)],
    forbid: &[String],
    require: &[String],
) -> Result<(), String> {
    let mut problems = Vec::new();
    for (name, value) in want {
        let values: Vec<&str> = got
            .get_all(name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.join(", ") != *value {
            problems.push(format!("header {name}: got {values:?}, want {value:?}"));
        }
    }
    for name in forbid {
        if got.contains_key(name.as_str()) {
            problems.push(format!("header {name} must not be sent"));
        }
    }
    for name in require {
        if !got.contains_key(name.as_str()) {
            problems.push(format!("header {name} is required"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The case's header and body checks on a request or response, after the `problems` already
/// found (method, URI, status); `Ok` when there are none, else all of them.
pub fn expect_message(
    case: &Case,
    headers: &HeaderMap,
    body: &[u8],
    mut problems: Vec<String>,
) -> Result<(), String> {
    if let Err(e) = expect_headers(
        headers,
        &case.headers(),
        &case.strings("forbidHeaders"),
        &case.strings("requireHeaders"),
    ) {
        problems.push(e);
    }
    if let Some(want) = case.str("body") {
        if let Err(e) = expect_body(body, want, case.str("bodyMediaType")) {
            problems.push(e);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_compare_by_value_and_members_by_name() {
        assert!(json_eq(
            &json!({"a": 1, "b": [1.0]}),
            &json!({"b": [1], "a": 1.0})
        ));
        assert!(!json_eq(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!json_eq(&json!([1, 2]), &json!([2, 1])));
    }

    #[test]
    fn an_empty_expected_body_needs_an_empty_body() {
        assert!(expect_body(b"", "", None).is_ok());
        assert!(expect_body(b"{}", "", None).is_err());
        assert!(expect_body(b"{ }", "{}", Some("application/json")).is_ok());
    }
}
