//! Judging observed responses against a fixture's recorded ones.

use serde_json::{json, Value};

use crate::fixture::{Fixture, ItemOrder, RecordedResponse};
use crate::http::HttpResponse;
use crate::normalize::{
    apply_patterns, error_code, media_type, normalize_body, VOLATILE, VOLATILE_HEADERS,
};
use crate::rename::Renames;
use crate::replay::Observed;
use crate::report::Outcome;

/// The verdict on one fixture given what the target answered.
pub fn judge(fixture: &Fixture, observed: &[Observed]) -> Outcome {
    judge_renamed(fixture, observed, &Renames::new())
}

/// The fixture's patterns, read with the target's values and compiled (a fixture's patterns are
/// checked when it is loaded; one that a rename broke is reported, not skipped).
pub fn compiled_patterns(
    fixture: &Fixture,
    renames: &Renames,
) -> Result<Vec<(String, regex::Regex)>, String> {
    fixture
        .patterns
        .iter()
        .map(|(pointer, pattern)| {
            let pattern = renames.apply_to_pattern(pattern);
            regex::Regex::new(&pattern)
                .map(|r| (pointer.clone(), r))
                .map_err(|e| format!("pattern for {pointer} is not a regular expression: {e}"))
        })
        .collect()
}

/// The verdict on one fixture, reading expected bodies with the values the target assigned.
pub fn judge_renamed(fixture: &Fixture, observed: &[Observed], renames: &Renames) -> Outcome {
    let patterns = match compiled_patterns(fixture, renames) {
        Ok(p) => p,
        Err(diff) => return Outcome::Fail { diff },
    };
    let expect = Expect {
        fixture,
        renames,
        patterns: &patterns,
    };
    if let Some(reason) = observed.iter().find_map(|o| not_implemented(&o.response)) {
        return Outcome::NotImplemented { reason };
    }
    let mut problems = Vec::new();
    let mut expected_items = Vec::new();
    let mut actual_items = Vec::new();
    for (i, step) in fixture.steps.iter().enumerate() {
        let Some(o) = observed.get(i) else {
            problems.push(format!(
                "step {}: not sent: the previous response carried no nextToken to follow",
                i + 1
            ));
            break;
        };
        let label = if fixture.steps.len() > 1 {
            format!("step {}: ", i + 1)
        } else {
            String::new()
        };
        let items = step
            .request
            .operation()
            .and_then(personalize_model::service::operation)
            .and_then(crate::operations::items_member);
        compare_step(
            &expect,
            items,
            &step.response,
            &o.response,
            &label,
            &mut problems,
            (&mut expected_items, &mut actual_items),
        );
    }
    if fixture.item_order == ItemOrder::Any && problems.is_empty() {
        expected_items.sort_by_key(|v| v.to_string());
        actual_items.sort_by_key(|v| v.to_string());
        if expected_items != actual_items {
            problems.push(format!(
                "listed items over all pages (any order) differ:\n{}",
                diff(&Value::Array(expected_items), &Value::Array(actual_items))
            ));
        }
    }
    if problems.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail {
            diff: problems.join("\n"),
        }
    }
}

/// What a response is compared against: the fixture, read with the target's values.
struct Expect<'a> {
    fixture: &'a Fixture,
    renames: &'a Renames,
    patterns: &'a [(String, regex::Regex)],
}

#[allow(clippy::too_many_arguments)]
fn compare_step(
    expect: &Expect<'_>,
    items_member: Option<&str>,
    expected: &RecordedResponse,
    actual: &HttpResponse,
    label: &str,
    problems: &mut Vec<String>,
    items: (&mut Vec<Value>, &mut Vec<Value>),
) {
    if expected.status != actual.status && !expected.other_statuses.contains(&actual.status) {
        let alternatives: String = expected
            .other_statuses
            .iter()
            .map(|s| format!(" or {s}"))
            .collect();
        problems.push(format!(
            "{label}status {}{alternatives} expected, got {}{}",
            expected.status,
            actual.status,
            error_hint(actual)
        ));
    }
    for (name, want) in &expected.headers {
        match actual.header(name) {
            None => problems.push(format!("{label}header {name} missing")),
            Some(_) if VOLATILE_HEADERS.contains(&name.as_str()) => {}
            Some(got) if name == "content-type" => {
                if media_type(got) != media_type(want) {
                    problems.push(format!(
                        "{label}content-type '{want}' expected, got '{got}'"
                    ));
                }
            }
            Some(got) if got != want => problems.push(format!(
                "{label}header {name}: '{want}' expected, got '{got}'"
            )),
            Some(_) => {}
        }
    }
    let actual_body: Value = match serde_json::from_slice(&actual.body) {
        Ok(v) => v,
        Err(e) => {
            problems.push(format!(
                "{label}body is not JSON ({e}): {}",
                excerpt(&actual.body)
            ));
            return;
        }
    };
    let fixture = expect.fixture;
    let expected_body = expect.renames.apply_to_value(&expected.body);
    let mut want = normalize_body(&expected_body, &fixture.volatile, &fixture.ignore);
    let mut got = normalize_body(&actual_body, &fixture.volatile, &fixture.ignore);
    apply_patterns(&mut want, expect.patterns, true);
    apply_patterns(&mut got, expect.patterns, false);
    if let (ItemOrder::Any, Some(member)) = (fixture.item_order, items_member) {
        let (expected_items, actual_items) = items;
        expected_items.extend(take_items(&mut want, member));
        actual_items.extend(take_items(&mut got, member));
    }
    if want != got {
        problems.push(format!("{label}body differs:\n{}", diff(&want, &got)));
    }
}

/// Replaces the item list by its length (`"<2 items>"`) and returns the items.
fn take_items(body: &mut Value, member: &str) -> Vec<Value> {
    match body.get_mut(member) {
        Some(slot @ Value::Array(_)) => {
            let items = match slot.take() {
                Value::Array(items) => items,
                _ => Vec::new(),
            };
            *slot = Value::String(format!("<{} items>", items.len()));
            items
        }
        _ => Vec::new(),
    }
}

/// A short reason when a response says the operation is not implemented.
pub fn not_implemented(response: &HttpResponse) -> Option<String> {
    let content_type = response
        .header("content-type")
        .map(media_type)
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&response.body);
    let html = content_type == "text/html" || text.trim_start().starts_with('<');
    if response.status == 501 {
        return Some(format!("HTTP 501{}", error_hint(response)));
    }
    if response.status >= 500 && html {
        return Some(format!("HTTP {} with an HTML page", response.status));
    }
    let code = response_error_code(response)?;
    let lower = code.to_ascii_lowercase();
    (lower.contains("notimplemented") || lower.contains("notyetimplemented"))
        .then(|| format!("HTTP {} {code}", response.status))
}

/// The error code of a response (`x-amzn-errortype`, else body `code`/`__type`), namespace removed.
pub fn response_error_code(response: &HttpResponse) -> Option<String> {
    if let Some(h) = response.header("x-amzn-errortype") {
        return Some(error_code(h).to_owned());
    }
    let body: Value = serde_json::from_slice(&response.body).ok()?;
    ["code", "__type", "Code"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_str))
        .map(|c| error_code(c).to_owned())
}

fn error_hint(response: &HttpResponse) -> String {
    match response_error_code(response) {
        Some(code) => format!(" ({code})"),
        None if response.status >= 300 => format!(": {}", excerpt(&response.body)),
        None => String::new(),
    }
}

/// The first 120 characters of a body, on one line.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = one_line.chars().take(120).collect();
    if one_line.chars().count() > 120 {
        cut.push('…');
    }
    if cut.is_empty() {
        "(empty body)".into()
    } else {
        cut
    }
}

/// A unified diff of two JSON values, pretty-printed; long values elided.
pub fn diff(expected: &Value, actual: &Value) -> String {
    let a = serde_json::to_string_pretty(&shorten(expected)).unwrap_or_default();
    let b = serde_json::to_string_pretty(&shorten(actual)).unwrap_or_default();
    let text = similar::TextDiff::from_lines(&a, &b);
    let mut out = String::new();
    for change in text.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => "-",
            similar::ChangeTag::Insert => "+",
            similar::ChangeTag::Equal => continue,
        };
        out.push_str(sign);
        out.push_str(change.value().trim_end());
        out.push('\n');
    }
    out.trim_end().to_owned()
}

fn shorten(value: &Value) -> Value {
    match value {
        Value::String(s) if s.chars().count() > 200 => {
            let head: String = s.chars().take(120).collect();
            Value::String(format!("{head}… ({} chars)", s.chars().count()))
        }
        Value::Array(items) => Value::Array(items.iter().map(shorten).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shorten(v))).collect())
        }
        other => other.clone(),
    }
}

/// The observed exchange in normalized form, for snapshots: what was sent (target, body) and
/// what came back (status, content type, request-id presence, normalized body).
pub fn normalized_exchange(fixture: &Fixture, observed: &[Observed]) -> Value {
    let patterns = compiled_patterns(fixture, &Renames::new()).unwrap_or_default();
    let steps: Vec<Value> = fixture
        .steps
        .iter()
        .zip(observed)
        .map(|(step, o)| {
            let sent: Value = serde_json::from_str(&o.body_sent)
                .map(|v| normalize_body(&v, &[], &[]))
                .unwrap_or_else(|_| Value::String(o.body_sent.clone()));
            let body = serde_json::from_slice::<Value>(&o.response.body)
                .map(|v| {
                    let mut v = normalize_body(&v, &fixture.volatile, &fixture.ignore);
                    apply_patterns(&mut v, &patterns, false);
                    v
                })
                .unwrap_or_else(|_| Value::String(excerpt(&o.response.body)));
            json!({
                "request": {
                    "target": step.request.header("x-amz-target"),
                    "body": sent,
                },
                "response": {
                    "status": o.response.status,
                    "content-type": o.response.header("content-type"),
                    "x-amzn-requestid": o.response.header("x-amzn-requestid").map(|_| VOLATILE),
                    "body": body,
                }
            })
        })
        .collect();
    Value::Array(steps)
}
