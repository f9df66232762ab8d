//! Values a target assigns in place of recorded ones: the ARN a `CreateBatchSegmentJob` answered,
//! and the run-unique job names and solution version ARNs a shared target needs. Later requests
//! are sent with the target's values, and expected bodies and patterns are read with them.

use serde_json::Value;

/// Recorded value → the value the target uses, in the order they were learned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Renames(Vec<(String, String)>);

impl Renames {
    /// No renames.
    pub fn new() -> Renames {
        Renames::default()
    }

    /// Records that `recorded` is `actual` on the target (ignored when equal or already known).
    pub fn push(&mut self, recorded: impl Into<String>, actual: impl Into<String>) {
        let (recorded, actual) = (recorded.into(), actual.into());
        if recorded != actual && !self.0.iter().any(|(r, _)| *r == recorded) {
            self.0.push((recorded, actual));
        }
    }

    /// Whether nothing is renamed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs, recorded value first.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The target's value for `recorded` (itself when not renamed).
    pub fn get<'a>(&'a self, recorded: &'a str) -> &'a str {
        self.0
            .iter()
            .find(|(r, _)| r == recorded)
            .map_or(recorded, |(_, a)| a)
    }

    /// Request body text with every JSON string literal equal to a recorded value replaced by
    /// the target's value. Everything else stays byte for byte.
    pub fn apply_to_body(&self, body: &str) -> String {
        let mut out = body.to_owned();
        for (recorded, actual) in &self.0 {
            if let (Ok(from), Ok(to)) = (
                serde_json::to_string(recorded),
                serde_json::to_string(actual),
            ) {
                out = out.replace(&from, &to);
            }
        }
        out
    }

    /// A JSON value with every string equal to a recorded value replaced, recursively.
    pub fn apply_to_value(&self, value: &Value) -> Value {
        if self.is_empty() {
            return value.clone();
        }
        match value {
            Value::String(s) => Value::String(self.get(s).to_owned()),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.apply_to_value(v)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.apply_to_value(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// A regular expression with recorded values (names spelled with `[A-Za-z0-9_-]`, which
    /// appear literally in patterns) replaced by the target's values, in one pass: only whole
    /// names (not inside a longer name), the longest recorded value first.
    pub fn apply_to_pattern(&self, pattern: &str) -> String {
        let name_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let plain = |s: &str| !s.is_empty() && s.bytes().all(name_byte);
        let mut pairs: Vec<&(String, String)> = self
            .0
            .iter()
            .filter(|(r, a)| plain(r) && plain(a))
            .collect();
        pairs.sort_by_key(|(r, _)| std::cmp::Reverse(r.len()));
        let bytes = pattern.as_bytes();
        let mut out = String::with_capacity(pattern.len());
        let mut at = 0;
        while at < pattern.len() {
            let starts_name = at == 0 || !name_byte(bytes[at - 1]);
            let found = pairs.iter().find(|(r, _)| {
                starts_name
                    && pattern[at..].starts_with(r.as_str())
                    && bytes.get(at + r.len()).is_none_or(|b| !name_byte(*b))
            });
            match found {
                Some((r, a)) => {
                    out.push_str(a);
                    at += r.len();
                }
                None => {
                    let c = pattern[at..].chars().next().unwrap_or_default();
                    out.push(c);
                    at += c.len_utf8().max(1);
                }
            }
        }
        out
    }
}

/// A job name unique to `run`, of the same length class: `-<run>` is appended when there is
/// room under Name's maximum of 63, else the name's tail is replaced, keeping its length.
pub fn unique_name(name: &str, run: &str) -> String {
    const MAX: usize = 63;
    let suffix = format!("-{run}");
    if name.len() + suffix.len() <= MAX {
        format!("{name}{suffix}")
    } else {
        let keep = name.len().saturating_sub(suffix.len());
        format!("{}{suffix}", &name[..keep])
    }
}

/// Whether a string is a valid job name (Name: 1..63, `^[a-zA-Z0-9][a-zA-Z0-9\-_]*$`).
pub fn is_job_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    (1..=63).contains(&name.len())
        && bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renames_string_literals_values_and_patterns() {
        let mut r = Renames::new();
        r.push("job-a", "job-a-r1");
        r.push("job-a", "ignored");
        r.push("same", "same");
        assert_eq!(r.pairs().len(), 1);
        assert_eq!(
            r.apply_to_body(r#"{"jobName": "job-a", "x": "job-ab"}"#),
            r#"{"jobName": "job-a-r1", "x": "job-ab"}"#
        );
        assert_eq!(
            r.apply_to_value(&json!({"a": ["job-a", "job-ab"], "n": 1})),
            json!({"a": ["job-a-r1", "job-ab"], "n": 1})
        );
        assert_eq!(r.apply_to_pattern("^x/job-a$"), "^x/job-a-r1$");
        r.push("a", "a-r1");
        assert_eq!(
            r.apply_to_pattern("^x/job-a\\/a$|job-ab"),
            "^x/job-a-r1\\/a-r1$|job-ab"
        );
    }

    #[test]
    fn unique_names_stay_valid_and_keep_long_names_at_their_length() {
        assert_eq!(unique_name("abc", "r1"), "abc-r1");
        let long = "n".repeat(63);
        let u = unique_name(&long, "r1");
        assert_eq!(u.len(), 63);
        assert!(u.ends_with("-r1") && is_job_name(&u));
        assert!(!is_job_name("") && !is_job_name("-a") && !is_job_name(&"n".repeat(64)));
    }
}
