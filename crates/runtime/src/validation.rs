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

use regex_automata::dfa::{dense, sparse, Automaton, StartKind};
use regex_automata::util::wire::DeserializeError;
use regex_automata::{Anchored, Input};

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
    /// `@uniqueItems`: no two elements of the list are equal.
    UniqueItems,
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
            Rule::UniqueItems => f.write_str("Member must have unique values"),
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

    /// Checks `@pattern`; `dfa` is `pattern` compiled at generation time.
    ///
    /// A search the DFA cannot finish (impossible for generated DFAs, which have no quit
    /// bytes) reports nothing, like a pattern whose DFA does not deserialize.
    pub fn pattern(&mut self, value: &str, pattern: &'static str, dfa: &PatternDfa<'_>) {
        if dfa.is_match(value) == Some(false) {
            self.violation(Rule::Pattern(pattern), Some(value.to_owned()));
        }
    }

    /// Checks membership of a closed enum's value set.
    pub fn enum_value(&mut self, known: bool, value: &str, values: &'static [&'static str]) {
        if !known {
            self.violation(Rule::Enum(values), Some(value.to_owned()));
        }
    }

    /// Checks `@uniqueItems`: reports the first element equal to an earlier one.
    pub fn unique_items<T: PartialEq + fmt::Debug>(&mut self, values: &[T]) {
        let duplicate = values
            .iter()
            .enumerate()
            .find(|(i, value)| values[..*i].contains(value));
        if let Some((i, value)) = duplicate {
            self.at(i, |v| {
                v.violation(Rule::UniqueItems, Some(format!("{value:?}")))
            });
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

/// The bytes of a serialized DFA, aligned to 4 bytes as [`PatternDfa::from_dense_bytes`] needs
/// to read them in place.
///
/// Generated code declares one `static` per pattern and byte order:
/// `static P: DfaBytes<[u8; N]> = DfaBytes::new(*b"...");`.
#[repr(C)]
pub struct DfaBytes<B: ?Sized> {
    _align: [u32; 0],
    bytes: B,
}

impl<const N: usize> DfaBytes<[u8; N]> {
    /// Wraps the bytes of a serialized DFA.
    pub const fn new(bytes: [u8; N]) -> Self {
        DfaBytes { _align: [], bytes }
    }
}

impl DfaBytes<[u8]> {
    /// The serialized DFA, starting at a 4-byte boundary.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A serialized pattern DFA that does not deserialize (a generator bug, or bytes for the
/// other byte order).
#[derive(Debug, thiserror::Error)]
#[error("the pattern DFA does not deserialize: {0}")]
pub struct InvalidDfa(DeserializeError);

/// An `@pattern` compiled to a `regex-automata` DFA at generation time, read in place from
/// its serialized bytes.
///
/// It answers `is_match`: whether the pattern matches anywhere in a value (Smithy patterns
/// are not implicitly anchored; `^` and `$` anchor to the value's ends).
pub struct PatternDfa<'a> {
    table: Table<'a>,
    anchored: Anchored,
}

/// The two DFA representations the generator ships.
enum Table<'a> {
    /// A full transition table: the fastest to search.
    Dense(dense::DFA<&'a [u32]>),
    /// Transitions as byte ranges: used when the dense table would be large (Unicode classes).
    Sparse(sparse::DFA<&'a [u8]>),
}

/// The generator builds an anchored-only DFA exactly for patterns that can only match at the
/// start (`^...`): searching those anchored stops at the first byte that cannot continue.
fn anchoring(start: StartKind) -> Anchored {
    match start {
        StartKind::Anchored => Anchored::Yes,
        StartKind::Unanchored | StartKind::Both => Anchored::No,
    }
}

impl<'a> PatternDfa<'a> {
    /// Reads a dense DFA serialized by `cargo xtask codegen` in this target's byte order; the
    /// bytes must start at a 4-byte boundary. Checks the whole table, so it is done once.
    pub fn from_dense_bytes(bytes: &'a [u8]) -> Result<Self, InvalidDfa> {
        let (dfa, _) = dense::DFA::from_bytes(bytes).map_err(InvalidDfa)?;
        let anchored = anchoring(dfa.start_kind());
        Ok(PatternDfa {
            table: Table::Dense(dfa),
            anchored,
        })
    }

    /// Reads a sparse DFA serialized by `cargo xtask codegen` in this target's byte order.
    /// Checks the whole table, so it is done once.
    pub fn from_sparse_bytes(bytes: &'a [u8]) -> Result<Self, InvalidDfa> {
        let (dfa, _) = sparse::DFA::from_bytes(bytes).map_err(InvalidDfa)?;
        let anchored = anchoring(dfa.start_kind());
        Ok(PatternDfa {
            table: Table::Sparse(dfa),
            anchored,
        })
    }

    /// Whether the pattern matches somewhere in `value`; `None` if the search cannot be
    /// finished (never for generated DFAs: they have no quit bytes).
    pub fn is_match(&self, value: &str) -> Option<bool> {
        let input = Input::new(value).anchored(self.anchored).earliest(true);
        let found = match &self.table {
            Table::Dense(dfa) => dfa.try_search_fwd(&input),
            Table::Sparse(dfa) => dfa.try_search_fwd(&input),
        };
        found.ok().map(|m| m.is_some())
    }
}

impl fmt::Debug for PatternDfa<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, bytes) = match &self.table {
            Table::Dense(dfa) => ("dense", dfa.memory_usage()),
            Table::Sparse(dfa) => ("sparse", dfa.memory_usage()),
        };
        f.debug_struct("PatternDfa")
            .field("kind", &kind)
            .field("bytes", &bytes)
            .field("anchored", &self.anchored)
            .finish()
    }
}

/// A pattern DFA read from its bytes on first use, for generated `@pattern` checks.
///
/// The ECMA-262 pattern is translated and compiled at generation time; reading the DFA
/// validates its table once, then every check is a search.
pub struct LazyDfa {
    bytes: &'static DfaBytes<[u8]>,
    sparse: bool,
    cell: OnceLock<Option<PatternDfa<'static>>>,
}

impl LazyDfa {
    /// A dense DFA to read from `bytes` on first use.
    pub const fn dense(bytes: &'static DfaBytes<[u8]>) -> Self {
        LazyDfa {
            bytes,
            sparse: false,
            cell: OnceLock::new(),
        }
    }

    /// A sparse DFA to read from `bytes` on first use.
    pub const fn sparse(bytes: &'static DfaBytes<[u8]>) -> Self {
        LazyDfa {
            bytes,
            sparse: true,
            cell: OnceLock::new(),
        }
    }

    /// The DFA, or `None` if the bytes do not deserialize (a generator bug, caught by the
    /// generated crate's own tests).
    pub fn get(&self) -> Option<&PatternDfa<'static>> {
        self.cell.get_or_init(|| self.read().ok()).as_ref()
    }

    /// Why the bytes do not deserialize, if they do not.
    pub fn error(&self) -> Option<InvalidDfa> {
        self.read().err()
    }

    fn read(&self) -> Result<PatternDfa<'static>, InvalidDfa> {
        let bytes: &'static [u8] = self.bytes.as_bytes();
        if self.sparse {
            PatternDfa::from_sparse_bytes(bytes)
        } else {
            PatternDfa::from_dense_bytes(bytes)
        }
    }
}

impl fmt::Debug for LazyDfa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyDfa")
            .field("bytes", &self.bytes.as_bytes().len())
            .field("sparse", &self.sparse)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DFA serialized the way `cargo xtask codegen` does it (anchored-only when the pattern
    /// can only match at the start), in this target's byte order.
    struct Serialized {
        buf: Vec<u8>,
        pad: usize,
    }

    impl Serialized {
        fn aligned(&self) -> &[u8] {
            &self.buf[self.pad..]
        }
    }

    fn build(pattern: &str, start: StartKind) -> dense::DFA<Vec<u32>> {
        dense::Builder::new()
            .configure(dense::DFA::config().start_kind(start))
            .build(pattern)
            .unwrap()
    }

    fn dense_dfa(pattern: &str) -> dense::DFA<Vec<u32>> {
        let dfa = build(pattern, StartKind::Unanchored);
        if dfa.is_always_start_anchored() {
            build(pattern, StartKind::Anchored)
        } else {
            dfa
        }
    }

    fn serialized(pattern: &str) -> Serialized {
        let (buf, pad) = dense_dfa(pattern).to_bytes_native_endian();
        Serialized { buf, pad }
    }

    /// Dense and sparse forms agree; the answer.
    fn is_match(pattern: &str, value: &str) -> bool {
        let bytes = serialized(pattern);
        let dense = PatternDfa::from_dense_bytes(bytes.aligned()).unwrap();
        let sparse_bytes = dense_dfa(pattern)
            .to_sparse()
            .unwrap()
            .to_bytes_native_endian();
        let sparse = PatternDfa::from_sparse_bytes(&sparse_bytes).unwrap();
        let answer = dense.is_match(value).unwrap();
        assert_eq!(sparse.is_match(value), Some(answer), "{pattern} {value:?}");
        answer
    }

    #[test]
    fn patterns_match_anywhere_unless_anchored() {
        assert!(is_match("arn", "x-arn-y"));
        assert!(!is_match("^arn", "x-arn-y"));
        assert!(is_match("^arn", "arn:aws"));
        assert!(!is_match("arn$", "arn:aws"));
        assert!(is_match("arn$", "my-arn"));
        assert!(is_match("^[a-z]*$", ""));
        assert!(!is_match("^[a-z]+$", ""));
        assert!(is_match(r"^[\p{L}\p{N}]+$", "Zoë٣"));
        assert!(!is_match(r"^[\p{L}\p{N}]+$", "Zoë!"));
    }

    #[test]
    fn anchored_patterns_get_anchored_dfas() {
        let bytes = serialized("^a+$");
        let dfa = PatternDfa::from_dense_bytes(bytes.aligned()).unwrap();
        assert_eq!(dfa.anchored, Anchored::Yes);
        let bytes = serialized("a+$");
        let dfa = PatternDfa::from_dense_bytes(bytes.aligned()).unwrap();
        assert_eq!(dfa.anchored, Anchored::No);
    }

    #[test]
    fn the_other_byte_order_does_not_deserialize() {
        let dfa = build("^a+$", StartKind::Anchored);
        let (buf, pad) = if cfg!(target_endian = "little") {
            dfa.to_bytes_big_endian()
        } else {
            dfa.to_bytes_little_endian()
        };
        let err = PatternDfa::from_dense_bytes(&buf[pad..]).unwrap_err();
        assert!(err.to_string().contains("does not deserialize"), "{err}");
        let sparse = dfa.to_sparse().unwrap();
        let other = if cfg!(target_endian = "little") {
            sparse.to_bytes_big_endian()
        } else {
            sparse.to_bytes_little_endian()
        };
        assert!(PatternDfa::from_sparse_bytes(&other).is_err());
    }

    /// Bytes that are not a DFA disable the check, as a regex that did not compile did.
    #[test]
    fn a_broken_dfa_checks_nothing() {
        static BROKEN: DfaBytes<[u8; 8]> = DfaBytes::new(*b"not a DF");
        static PATTERN: LazyDfa = LazyDfa::dense(&BROKEN);
        static SPARSE: LazyDfa = LazyDfa::sparse(&BROKEN);
        assert!(PATTERN.get().is_none());
        assert!(PATTERN.error().is_some());
        assert!(SPARSE.get().is_none());
        let mut v = Validator::new();
        if let Some(dfa) = PATTERN.get() {
            v.pattern("anything", "^x$", dfa);
        }
        assert!(v.finish().is_ok());
    }

    #[test]
    fn lazy_dfas_read_aligned_statics() {
        let dfa = build("^ab$", StartKind::Anchored);
        let (buf, pad) = dfa.to_bytes_native_endian();
        assert!(buf.len() - pad <= 4096);
        let bytes: [u8; 4096] = {
            let mut a = [0; 4096];
            a[..buf.len() - pad].copy_from_slice(&buf[pad..]);
            a
        };
        let aligned: &'static DfaBytes<[u8]> = Box::leak(Box::new(DfaBytes::new(bytes)));
        assert_eq!(aligned.as_bytes().as_ptr() as usize % 4, 0);
        let lazy = LazyDfa::dense(aligned);
        let dfa = lazy.get().unwrap();
        assert_eq!(dfa.is_match("ab"), Some(true));
        assert_eq!(dfa.is_match("abc"), Some(false));
    }

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
        let bytes = serialized("^arn:.+$");
        let dfa = PatternDfa::from_dense_bytes(bytes.aligned()).unwrap();
        v.at("solutionVersionArn", |v| v.pattern("x", "^arn:.+$", &dfa));
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
