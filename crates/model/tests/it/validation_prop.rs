//! Property tests: the generated validators agree with plain reference checks written here
//! (lengths in Unicode scalar values, numeric ranges, and the `Arn`, `Name` and `NextToken`
//! patterns re-implemented without regexes, with ECMA-262 semantics: `.` matches anything but
//! a line terminator, `\d` is ASCII digits).

use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsInput;
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::{Rule, Validate};
use proptest::prelude::*;

const ARN: &str = "^arn:([a-z\\d-]+):personalize:.*:.*:.+$";
const NAME: &str = "^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$";
const NEXT_TOKEN: &str = "^\\p{ASCII}{0,1500}$";

/// ECMA-262 LineTerminator: what `.` does not match.
fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// `^arn:([a-z\d-]+):personalize:.*:.*:.+$` by hand.
fn arn_matches(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("arn:") else {
        return false;
    };
    // The group cannot hold ':', so it ends at the first one.
    let Some((partition, after)) = rest.split_once(':') else {
        return false;
    };
    if partition.is_empty()
        || !partition
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return false;
    }
    let Some(tail) = after.strip_prefix("personalize:") else {
        return false;
    };
    if tail.chars().any(is_line_terminator) {
        return false;
    }
    // `.*:.*:.+`: two colons, the second followed by at least one character. Taking the
    // first colon as the first leaves the most room for the second.
    let Some((_, after_first)) = tail.split_once(':') else {
        return false;
    };
    after_first
        .char_indices()
        .any(|(i, c)| c == ':' && i + 1 < after_first.len())
}

/// `^[a-zA-Z0-9][a-zA-Z0-9\-_]*$` by hand.
fn name_matches(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `^\p{ASCII}{0,1500}$` by hand.
fn next_token_matches(s: &str) -> bool {
    s.is_ascii() && s.len() <= 1500
}

/// A pattern as the model writes it, with its plain-Rust reference check.
type Pattern = (&'static str, fn(&str) -> bool);

/// One expected violation: member path, rule, offending value.
type Expected = (String, Rule, Option<String>);

/// The violations a plain reading of the model predicts for a string member, in check order.
fn string_rules(
    path: &str,
    value: &Option<String>,
    min: usize,
    max: usize,
    pattern: Option<Pattern>,
) -> Vec<Expected> {
    let Some(value) = value else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let len = value.chars().count();
    if len < min {
        found.push((
            path.to_owned(),
            Rule::MinLength(min as u64),
            Some(value.clone()),
        ));
    }
    if len > max {
        found.push((
            path.to_owned(),
            Rule::MaxLength(max as u64),
            Some(value.clone()),
        ));
    }
    if let Some((source, matches)) = pattern {
        if !matches(value) {
            found.push((path.to_owned(), Rule::Pattern(source), Some(value.clone())));
        }
    }
    found
}

fn actual(result: Result<(), personalize_model::ValidationErrors>) -> Vec<Expected> {
    match result {
        Ok(()) => Vec::new(),
        Err(errors) => {
            let text = errors.to_string();
            let n = errors.violations().len();
            let prefix = format!(
                "{n} validation error{} detected: ",
                if n == 1 { "" } else { "s" }
            );
            assert!(text.starts_with(&prefix), "{text}");
            errors
                .into_violations()
                .into_iter()
                .map(|v| (v.path, v.rule, v.value))
                .collect()
        }
    }
}

/// Strings near the interesting edges: ARN-like text assembled from pieces that matter to the
/// pattern (colons, line terminators, upper case, multi-byte characters), names, ASCII and
/// non-ASCII runs around the length limits, and anything at all.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("arn:"),
        Just("arn"),
        Just("aws"),
        Just("aws-cn"),
        Just(":"),
        Just("::"),
        Just("personalize"),
        Just(":personalize:"),
        Just("us-east-1"),
        Just("123456789012"),
        Just("solution/x"),
        Just("\n"),
        Just("\r"),
        Just("\u{2028}"),
        Just("\u{2029}"),
        Just("\u{85}"),
        Just("é"),
        Just("\u{10FFFF}"),
        Just("A"),
        Just("a"),
        Just("0"),
        Just("-"),
        Just("_"),
        Just(" "),
        Just("\u{0}"),
    ];
    prop_oneof![
        3 => proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat()),
        2 => "arn:aws:personalize:us-east-1:1:[a-zé\u{10000}]{215,225}",
        1 => "[a-zA-Z0-9][a-zA-Z0-9_-]{0,70}",
        1 => "[ -~]{1495,1505}",
        1 => "[ -~é]{1490,1502}",
        1 => "[aé\u{10000}]{250,260}",
        2 => any::<String>(),
    ]
}

fn number() -> impl Strategy<Value = i32> {
    prop_oneof![-3i32..=103, any::<i32>(), Just(i32::MIN), Just(i32::MAX)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn input_validator_agrees_with_the_reference(
        sv in proptest::option::of(text()),
        token in proptest::option::of(text()),
        max in proptest::option::of(number()),
    ) {
        let input = ListBatchSegmentJobsInput::builder()
            .set_solution_version_arn(sv.clone())
            .set_next_token(token.clone())
            .set_max_results(max)
            .build();
        let mut expected = string_rules("/solutionVersionArn", &sv, 0, 256, Some((ARN, arn_matches)));
        expected.extend(string_rules("/nextToken", &token, 0, 1500, Some((NEXT_TOKEN, next_token_matches))));
        if let Some(n) = max {
            if n < 1 {
                expected.push(("/maxResults".into(), Rule::Min(1.0), Some(n.to_string())));
            }
            if n > 100 {
                expected.push(("/maxResults".into(), Rule::Max(100.0), Some(n.to_string())));
            }
        }
        prop_assert_eq!(actual(input.validate()), expected);
    }

    #[test]
    fn summary_validator_agrees_with_the_reference(
        arn in proptest::option::of(text()),
        name in proptest::option::of(text()),
        status in proptest::option::of(text()),
        failure in proptest::option::of(text()),
        sv in proptest::option::of(text()),
    ) {
        let job = BatchSegmentJobSummary::builder()
            .set_batch_segment_job_arn(arn.clone())
            .set_job_name(name.clone())
            .set_status(status.clone())
            .set_failure_reason(failure)
            .set_solution_version_arn(sv.clone())
            .build();
        let mut expected = string_rules("/batchSegmentJobArn", &arn, 0, 256, Some((ARN, arn_matches)));
        expected.extend(string_rules("/jobName", &name, 1, 63, Some((NAME, name_matches))));
        expected.extend(string_rules("/status", &status, 0, 256, None));
        expected.extend(string_rules("/solutionVersionArn", &sv, 0, 256, Some((ARN, arn_matches))));
        prop_assert_eq!(actual(job.validate()), expected);
    }
}

#[test]
fn reference_checks_agree_with_known_cases() {
    // The reference itself, on cases decided by reading the model by hand.
    for (arn, ok) in [
        (
            "arn:aws:personalize:us-east-1:123456789012:solution/x",
            true,
        ),
        ("arn:aws:personalize:::x", true),
        ("arn:aws:personalize:::", false),
        ("arn:aws:personalize::", false),
        ("arn:AWS:personalize:r:a:x", false),
        ("arn::personalize:r:a:x", false),
        ("arn:aws:personalize:r\n:a:x", false),
        ("arn:aws:personalize:r:a:x\u{2028}", false),
        ("arn:aws:personalize:r:a:x\u{85}", true),
        ("arn:aws-cn:personalize:r:a:x:y:z", true),
        ("arn:aws:personalize:é:é:é", true),
    ] {
        assert_eq!(arn_matches(arn), ok, "{arn:?}");
    }
    assert!(name_matches("a-b_c"));
    assert!(!name_matches("-a"));
    assert!(!name_matches(""));
    assert!(next_token_matches(&"~".repeat(1500)));
    assert!(!next_token_matches(&"~".repeat(1501)));
    assert!(!next_token_matches("é"));
}
