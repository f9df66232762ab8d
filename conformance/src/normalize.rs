//! Normalization of response bodies and headers, so that values that legitimately vary
//! (request ids, token strings, number spelling, error namespaces) do not fail a comparison.

use serde_json::{Map, Number, Value};

/// Placeholder that replaces a volatile value.
pub const VOLATILE: &str = "<volatile>";

/// Response headers whose values vary per response: presence is checked, not the value.
pub const VOLATILE_HEADERS: &[&str] = &["x-amzn-requestid"];

/// Body members that are volatile in every fixture: the opaque pagination token.
pub const DEFAULT_VOLATILE: &[&str] = &["/nextToken"];

/// The error code as clients read it: namespace before `#` and anything after `:` removed.
///
/// `com.amazon.coral.service#SerializationException:http://...` becomes `SerializationException`.
pub fn error_code(raw: &str) -> &str {
    let after_hash = raw.rsplit_once('#').map_or(raw, |(_, code)| code);
    after_hash.split(':').next().unwrap_or(after_hash).trim()
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// A response body in comparable form.
///
/// Explicit `null` members are dropped (every AWS client reads them as absent); numbers are
/// spelled canonically (`1700000361.0` as `1700000361`); `__type` keeps only the error code;
/// members at `ignore` are removed; members at `volatile` (plus `/nextToken`), when present,
/// are replaced by [`VOLATILE`].
pub fn normalize_body(body: &Value, volatile: &[String], ignore: &[String]) -> Value {
    let mut value = canonical(body);
    if let Value::Object(map) = &mut value {
        if let Some(Value::String(code)) = map.get_mut("__type") {
            *code = error_code(code).to_owned();
        }
    }
    for pointer in ignore {
        remove_pointer(&mut value, pointer);
    }
    let defaults = DEFAULT_VOLATILE.iter().map(|p| (*p).to_owned());
    for pointer in volatile.iter().cloned().chain(defaults) {
        if let Some(slot) = value.pointer_mut(&pointer) {
            *slot = Value::String(VOLATILE.to_owned());
        }
    }
    value
}

/// Replaces the string at each pattern's pointer by `<matches REGEX>` when it matches (always,
/// on the `expected` side), so a matching value compares equal and a non-matching one shows up
/// in the diff as itself.
pub fn apply_patterns(value: &mut Value, patterns: &[(String, regex::Regex)], expected: bool) {
    for (pointer, regex) in patterns {
        if let Some(slot) = value.pointer_mut(pointer) {
            let matches = slot.as_str().is_some_and(|s| regex.is_match(s));
            if expected || matches {
                *slot = Value::String(format!("<matches {}>", regex.as_str()));
            }
        }
    }
}

/// Drops null object members and spells numbers canonically, recursively.
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), canonical(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Number(n) => Value::Number(canonical_number(n)),
        other => other.clone(),
    }
}

fn canonical_number(n: &Number) -> Number {
    if n.is_i64() || n.is_u64() {
        return n.clone();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Number::from(f as i64),
        _ => n.clone(),
    }
}

fn remove_pointer(value: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    let target = if parent.is_empty() {
        Some(value)
    } else {
        value.pointer_mut(parent)
    };
    match target {
        Some(Value::Object(map)) => {
            map.remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// Epoch seconds as exact decimal text, from the JSON number that carried them.
///
/// Rust prints the shortest decimal that reads back to the same `f64`, which is the text the
/// service wrote for any timestamp with up to 15 significant digits.
pub fn epoch_text(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    n.as_f64().map_or_else(|| n.to_string(), |f| format!("{f}"))
}

/// RFC 3339 (UTC) of epoch seconds written as decimal text, exact to the nanosecond, with the
/// fraction trimmed of trailing zeros; `None` when the text is not a plain decimal in range.
pub fn rfc3339_from_epoch_text(text: &str) -> Option<String> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut secs: i64 = whole.parse().ok()?;
    let mut nanos: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().ok()?
    };
    if negative {
        secs = -secs;
        if nanos > 0 {
            secs -= 1;
            nanos = 1_000_000_000 - nanos;
        }
    }
    Some(rfc3339(secs, nanos))
}

/// RFC 3339 (UTC) of whole seconds plus nanoseconds, fraction trimmed of trailing zeros.
pub fn rfc3339(secs: i64, nanos: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut out = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
