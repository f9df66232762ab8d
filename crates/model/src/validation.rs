//! Constraint violations found by the generated `validate()` methods, and their AWS rendering.
//!
//! Each violation carries the member path as a JSON pointer (`/maxResults`, `/items/3/name`),
//! the rule it broke and the offending value. [`ValidationErrors`] renders a list of them the
//! way AWS services do:
//!
//! ```text
//! 1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100
//! ```

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

/// A constraint trait from the Smithy model.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// `@required`: the member must be present.
    Required,
    /// `@length` lower bound (Unicode scalar values for strings, elements for lists and maps).
    MinLength(u64),
    /// `@length` upper bound.
    MaxLength(u64),
    /// `@range` lower bound.
    Min(f64),
    /// `@range` upper bound.
    Max(f64),
    /// `@pattern`, as written in the model (ECMA-262).
    Pattern(&'static str),
    /// Membership in a closed `enum` shape's value set.
    Enum(&'static [&'static str]),
}

impl fmt::Display for Rule {
    /// The AWS wording of the constraint (`Member must ...`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("Member must not be null"),
            Rule::MinLength(n) => write!(f, "Member must have length greater than or equal to {n}"),
            Rule::MaxLength(n) => write!(f, "Member must have length less than or equal to {n}"),
            Rule::Min(n) => write!(
                f,
                "Member must have value greater than or equal to {}",
                Number(*n)
            ),
            Rule::Max(n) => write!(
                f,
                "Member must have value less than or equal to {}",
                Number(*n)
            ),
            Rule::Pattern(p) => write!(f, "Member must satisfy regular expression pattern: {p}"),
            Rule::Enum(values) => write!(
                f,
                "Member must satisfy enum value set: [{}]",
                values.join(", ")
            ),
        }
    }
}

/// Prints a bound without a trailing `.0` when it is whole.
struct Number(f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            write!(f, "{}", self.0 as i64)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// One broken constraint: where, which rule, and the value found there.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// JSON pointer to the member, such as `/maxResults` or `/items/3/name`.
    pub path: String,
    /// The rule that was broken.
    pub rule: Rule,
    /// The offending value as AWS prints it (`None` for a missing member or a redacted value).
    pub value: Option<String>,
    /// The member is `@sensitive`: its value is left out of the message, as AWS does.
    pub redacted: bool,
}

impl Violation {
    /// The path as AWS messages write it: `items.3.name` for `/items/3/name`.
    pub fn aws_path(&self) -> String {
        self.path.trim_start_matches('/').replace('/', ".")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            _ if self.redacted => f.write_str("Value")?,
            Some(v) => write!(f, "Value '{v}'")?,
            None => f.write_str("Value null")?,
        }
        write!(
            f,
            " at '{}' failed to satisfy constraint: {}",
            self.aws_path(),
            self.rule
        )
    }
}

/// Every violation found in one input, in member order; never empty.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct ValidationErrors(Vec<Violation>);

impl ValidationErrors {
    /// The violations, in the order they were found.
    pub fn violations(&self) -> &[Violation] {
        &self.0
    }

    /// Consumes the error, giving the violations.
    pub fn into_violations(self) -> Vec<Violation> {
        self.0
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} validation error{} detected: ",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

/// Collects violations while a value is walked; generated `validate_into` methods push here.
#[derive(Debug, Default)]
pub struct Validator {
    path: Vec<String>,
    found: Vec<Violation>,
    /// How many `sensitive` scopes enclose the current path.
    sensitive: usize,
}

impl Validator {
    /// An empty validator at the root path.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `f` with `segment` appended to the current path.
    pub fn at(&mut self, segment: impl fmt::Display, f: impl FnOnce(&mut Self)) {
        self.path.push(segment.to_string());
        f(self);
        self.path.pop();
    }

    /// Runs `f` with values redacted from violations: for `@sensitive` members, whose values
    /// must not reach messages or logs (`Value at 'tags.1.tagValue' failed to ...`).
    pub fn sensitive(&mut self, f: impl FnOnce(&mut Self)) {
        self.sensitive += 1;
        f(self);
        self.sensitive -= 1;
    }

    /// Records a violation of `rule` at the current path.
    pub fn violation(&mut self, rule: Rule, value: Option<String>) {
        let mut path = String::new();
        for segment in &self.path {
            path.push('/');
            path.push_str(segment);
        }
        let redacted = self.sensitive > 0 && !matches!(rule, Rule::Required);
        let value = if redacted { None } else { value };
        self.found.push(Violation {
            path,
            rule,
            value,
            redacted,
        });
    }

    /// Checks `@required`.
    pub fn required<T>(&mut self, value: &Option<T>) {
        if value.is_none() {
            self.violation(Rule::Required, None);
        }
    }

    /// Checks `@length` on a string, counting Unicode scalar values.
    pub fn string_length(&mut self, value: &str, min: Option<u64>, max: Option<u64>) {
        // Byte length bounds the scalar count from above and is free to read.
        let bytes = value.len() as u64;
        if min.is_none() && max.is_some_and(|m| bytes <= m) {
            return;
        }
        let chars = value.chars().count() as u64;
        self.length(chars, value, min, max);
    }

    /// Checks `@length` on a list or map of `len` elements.
    pub fn collection_length(
        &mut self,
        len: usize,
        rendered: impl FnOnce() -> String,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        let len = len as u64;
        if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
            let value = rendered();
            self.length(len, &value, min, max);
        }
    }

    fn length(&mut self, len: u64, value: &str, min: Option<u64>, max: Option<u64>) {
        if let Some(m) = min.filter(|m| len < *m) {
            self.violation(Rule::MinLength(m), Some(value.to_owned()));
        }
        if let Some(m) = max.filter(|m| len > *m) {
            self.violation(Rule::MaxLength(m), Some(value.to_owned()));
        }
    }

    /// Checks `@range` on a number.
    pub fn range(
        &mut self,
        value: f64,
        rendered: impl fmt::Display,
        min: Option<f64>,
        max: Option<f64>,
    ) {
        if let Some(m) = min.filter(|m| value < *m) {
            self.violation(Rule::Min(m), Some(rendered.to_string()));
        }
        if let Some(m) = max.filter(|m| value > *m) {
            self.violation(Rule::Max(m), Some(rendered.to_string()));
        }
    }

    /// Checks `@pattern`; `regex` is the compiled translation of `pattern`.
    pub fn pattern(&mut self, value: &str, pattern: &'static str, regex: &Regex) {
        if !regex.is_match(value) {
            self.violation(Rule::Pattern(pattern), Some(value.to_owned()));
        }
    }

    /// Checks membership of a closed enum's value set.
    pub fn enum_value(&mut self, known: bool, value: &str, values: &'static [&'static str]) {
        if !known {
            self.violation(Rule::Enum(values), Some(value.to_owned()));
        }
    }

    /// The violations found, or `Ok` when there are none.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.found))
        }
    }
}

/// A value whose model constraints can be checked.
pub trait Validate {
    /// Pushes every violation in `self` (and its members) onto `v`, at `v`'s current path.
    fn validate_into(&self, v: &mut Validator);

    /// Checks every constraint of the model, returning all violations at once.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut v = Validator::new();
        self.validate_into(&mut v);
        v.finish()
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, v: &mut Validator) {
        for (i, item) in self.iter().enumerate() {
            v.at(i, |v| item.validate_into(v));
        }
    }
}

/// A regex compiled on first use, for generated `@pattern` checks.
///
/// Generated code declares one `static` per pattern; the translation from ECMA-262 to the
/// `regex` crate's syntax happens at generation time, so the text here is already valid.
pub struct LazyRegex {
    source: &'static str,
    cell: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// A pattern to compile on first use.
    pub const fn new(source: &'static str) -> Self {
        LazyRegex {
            source,
            cell: OnceLock::new(),
        }
    }

    /// The compiled regex, or `None` if the generator emitted a pattern `regex` rejects
    /// (a generator bug, caught by the generated crate's own tests).
    pub fn get(&self) -> Option<&Regex> {
        self.cell
            .get_or_init(|| Regex::new(self.source).ok())
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_values_stay_out_of_messages() {
        let mut v = Validator::new();
        v.at("tagValue", |v| {
            v.sensitive(|v| v.string_length("hunter2-secret", None, Some(3)))
        });
        v.at("tagKey", |v| v.sensitive(|v| v.required(&None::<String>)));
        v.at("name", |v| v.string_length("visible", None, Some(3)));
        let err = v.finish().unwrap_err();
        let message = err.to_string();
        assert!(!message.contains("hunter2"), "{message}");
        assert_eq!(
            message,
            "3 validation errors detected: Value at 'tagValue' failed to satisfy constraint: \
             Member must have length less than or equal to 3; Value null at 'tagKey' failed to \
             satisfy constraint: Member must not be null; Value 'visible' at 'name' failed to \
             satisfy constraint: Member must have length less than or equal to 3"
        );
        assert!(err.violations()[0].redacted && err.violations()[0].value.is_none());
        assert!(!err.violations()[2].redacted);
    }

    #[test]
    fn renders_like_aws() {
        let mut v = Validator::new();
        v.at("maxResults", |v| {
            v.range(101.0, 101, Some(1.0), Some(100.0))
        });
        v.at("solutionVersionArn", |v| {
            v.pattern("x", "^arn:.+$", &Regex::new("^arn:.+$").unwrap())
        });
        let err = v.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "2 validation errors detected: Value '101' at 'maxResults' failed to satisfy constraint: \
             Member must have value less than or equal to 100; Value 'x' at 'solutionVersionArn' \
             failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:.+$"
        );
        assert_eq!(err.violations()[0].path, "/maxResults");
    }

    #[test]
    fn string_length_counts_scalar_values() {
        let mut v = Validator::new();
        v.string_length(&"é".repeat(256), Some(0), Some(256));
        assert!(v.finish().is_ok());
        let mut v = Validator::new();
        v.string_length(&"é".repeat(257), Some(0), Some(256));
        assert_eq!(
            v.finish().unwrap_err().violations()[0].rule,
            Rule::MaxLength(256)
        );
    }
}
