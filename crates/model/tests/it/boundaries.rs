//! Constraint checks at every boundary of ListBatchSegmentJobs and its summary, and the exact
//! AWS rendering of the violations.

use personalize_model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobsInput, ListBatchSegmentJobsOutput,
};
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::{Rule, Validate};
use rstest::rstest;

const ARN_PATTERN: &str = "^arn:([a-z\\d-]+):personalize:.*:.*:.+$";
const NAME_PATTERN: &str = "^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$";
const TOKEN_PATTERN: &str = "^\\p{ASCII}{0,1500}$";

fn rules(input: &ListBatchSegmentJobsInput) -> Vec<(String, Rule)> {
    match input.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations()
            .iter()
            .map(|v| (v.path.clone(), v.rule.clone()))
            .collect(),
    }
}

#[rstest]
#[case(0, Some(Rule::Min(1.0)))]
#[case(1, None)]
#[case(100, None)]
#[case(101, Some(Rule::Max(100.0)))]
#[case(-1, Some(Rule::Min(1.0)))]
fn max_results(#[case] value: i32, #[case] broken: Option<Rule>) {
    let input = ListBatchSegmentJobsInput::builder()
        .max_results(value)
        .build();
    let want: Vec<(String, Rule)> = broken
        .into_iter()
        .map(|r| ("/maxResults".to_owned(), r))
        .collect();
    assert_eq!(rules(&input), want);
}

#[rstest]
#[case::empty(String::new(), vec![])]
#[case::max_ascii("a".repeat(1500), vec![])]
#[case::one_too_many("a".repeat(1501), vec![Rule::MaxLength(1500), Rule::Pattern(TOKEN_PATTERN)])]
#[case::non_ascii("tok\u{e9}n".to_owned(), vec![Rule::Pattern(TOKEN_PATTERN)])]
#[case::non_ascii_within_bytes("\u{e9}".repeat(750), vec![Rule::Pattern(TOKEN_PATTERN)])]
fn next_token(#[case] token: String, #[case] broken: Vec<Rule>) {
    let input = ListBatchSegmentJobsInput::builder()
        .next_token(token)
        .build();
    let want: Vec<(String, Rule)> = broken
        .into_iter()
        .map(|r| ("/nextToken".to_owned(), r))
        .collect();
    assert_eq!(rules(&input), want);
}

/// An ARN of `len` characters, nearly all of them two bytes in UTF-8.
fn wide_arn(len: usize) -> String {
    let prefix = "arn:aws:personalize:us-east-1:1:x";
    let arn = format!("{prefix}{}", "é".repeat(len - prefix.len()));
    assert_eq!(arn.chars().count(), len);
    arn
}

#[rstest]
#[case::chars_256_bytes_479(wide_arn(256), vec![])]
#[case::chars_257(wide_arn(257), vec![Rule::MaxLength(256)])]
#[case::plain("arn:aws:personalize:us-east-1:123456789012:solution/movies/7c1b2a3d".to_owned(), vec![])]
#[case::partition_with_digits("arn:aws-cn2:personalize:cn-north-1:1:solution/x".to_owned(), vec![])]
#[case::other_service("arn:aws:s3:::bucket".to_owned(), vec![Rule::Pattern(ARN_PATTERN)])]
#[case::upper_partition("arn:AWS:personalize:r:1:x".to_owned(), vec![Rule::Pattern(ARN_PATTERN)])]
#[case::empty_resource("arn:aws:personalize:r:1:".to_owned(), vec![Rule::Pattern(ARN_PATTERN)])]
#[case::newline_in_resource("arn:aws:personalize:r:1:a\nb".to_owned(), vec![Rule::Pattern(ARN_PATTERN)])]
#[case::line_separator("arn:aws:personalize:r:1:a\u{2028}".to_owned(), vec![Rule::Pattern(ARN_PATTERN)])]
#[case::not_an_arn("solution".to_owned(), vec![Rule::Pattern(ARN_PATTERN)])]
fn solution_version_arn(#[case] arn: String, #[case] broken: Vec<Rule>) {
    assert!(arn.len() <= 2 * 257);
    let input = ListBatchSegmentJobsInput::builder()
        .solution_version_arn(arn)
        .build();
    let want: Vec<(String, Rule)> = broken
        .into_iter()
        .map(|r| ("/solutionVersionArn".to_owned(), r))
        .collect();
    assert_eq!(rules(&input), want);
}

#[test]
fn wide_arn_is_longer_than_256_bytes() {
    assert!(wide_arn(256).len() > 256);
}

#[rstest]
#[case::simple("segments-1", vec![])]
#[case::underscore_dash("a_b-C9", vec![])]
#[case::one_char("a", vec![])]
#[case::max_63(&"a".repeat(63), vec![])]
#[case::too_long_64(&"a".repeat(64), vec![Rule::MaxLength(63)])]
#[case::empty("", vec![Rule::MinLength(1), Rule::Pattern(NAME_PATTERN)])]
#[case::leading_dash("-job", vec![Rule::Pattern(NAME_PATTERN)])]
#[case::space("my job", vec![Rule::Pattern(NAME_PATTERN)])]
#[case::non_ascii_letter("jöb", vec![Rule::Pattern(NAME_PATTERN)])]
fn job_name(#[case] name: &str, #[case] broken: Vec<Rule>) {
    let summary = BatchSegmentJobSummary::builder().job_name(name).build();
    let output = ListBatchSegmentJobsOutput::builder()
        .batch_segment_jobs(vec![BatchSegmentJobSummary::default(), summary])
        .build();
    let got: Vec<(String, Rule)> = match output.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations()
            .iter()
            .map(|v| (v.path.clone(), v.rule.clone()))
            .collect(),
    };
    let want: Vec<(String, Rule)> = broken
        .into_iter()
        .map(|r| ("/batchSegmentJobs/1/jobName".to_owned(), r))
        .collect();
    assert_eq!(got, want);
}

#[rstest]
#[case(100, true)]
#[case(101, false)]
fn batch_segment_jobs_list_length(#[case] len: usize, #[case] ok: bool) {
    let output = ListBatchSegmentJobsOutput::builder()
        .batch_segment_jobs(vec![BatchSegmentJobSummary::default(); len])
        .build();
    assert_eq!(output.validate().is_ok(), ok);
    if !ok {
        let e = output.validate().unwrap_err();
        assert_eq!(e.violations()[0].path, "/batchSegmentJobs");
        assert_eq!(e.violations()[0].rule, Rule::MaxLength(100));
    }
}

#[test]
fn aws_multi_error_message() {
    let input = ListBatchSegmentJobsInput::builder()
        .max_results(101)
        .solution_version_arn("bad")
        .build();
    let err = input.validate().unwrap_err();
    assert_eq!(
        err.to_string(),
        "2 validation errors detected: Value 'bad' at 'solutionVersionArn' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: ^arn:([a-z\\d-]+):personalize:.*:.*:.+$; \
         Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
    );
}

#[test]
fn single_error_message() {
    let input = ListBatchSegmentJobsInput::builder().max_results(0).build();
    assert_eq!(
        input.validate().unwrap_err().to_string(),
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: \
         Member must have value greater than or equal to 1"
    );
}

#[test]
fn empty_input_is_valid() {
    assert!(ListBatchSegmentJobsInput::default().validate().is_ok());
}
