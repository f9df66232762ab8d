//! Property tests: every generated type (and the runtime's `DateTime` and `Blob`) survives a
//! JSON round trip, writes the model's member names, and omits unset members.

use personalize_model::error::{InvalidInputException, InvalidNextTokenException};
use personalize_model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobsInput, ListBatchSegmentJobsOutput,
};
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::{Blob, DateTime};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// ±2^32 s (years 1833 to 2106) in µs: where an `f64` of epoch seconds has a spacing under
/// 1 µs, so every microsecond comes back exactly. Beyond it the spacing reaches 0.95 µs and
/// values come back 1 µs off (found by this test: 4295060704.235415 s reads back as
/// ….235416), a limit of the epoch-seconds wire form, not of `DateTime`.
const EXACT_MICROS: i64 = (1 << 32) * 1_000_000;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        "[a-zA-Z0-9:/_\\-]{0,80}",
        Just(String::new()),
        Just("\"\\\u{0}\u{2028}\u{10FFFF}".to_owned()),
    ]
}

fn date_time() -> impl Strategy<Value = DateTime> {
    prop_oneof![
        (1 - EXACT_MICROS..EXACT_MICROS).prop_map(DateTime::from_micros),
        // Today's values with millisecond precision, as the service sends them.
        (1_500_000_000_000i64..2_000_000_000_000).prop_map(DateTime::from_millis),
        // Whole seconds anywhere in the representable range travel as integers.
        (i64::MIN / 1_000_000..=i64::MAX / 1_000_000).prop_map(DateTime::from_secs),
    ]
}

fn summary() -> impl Strategy<Value = BatchSegmentJobSummary> {
    (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(date_time()),
        proptest::option::of(date_time()),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(|(arn, name, status, created, updated, failure, sv)| {
            BatchSegmentJobSummary::builder()
                .set_batch_segment_job_arn(arn)
                .set_job_name(name)
                .set_status(status)
                .set_creation_date_time(created)
                .set_last_updated_date_time(updated)
                .set_failure_reason(failure)
                .set_solution_version_arn(sv)
                .build()
        })
}

fn input() -> impl Strategy<Value = ListBatchSegmentJobsInput> {
    (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(any::<i32>()),
    )
        .prop_map(|(sv, token, max)| {
            ListBatchSegmentJobsInput::builder()
                .set_solution_version_arn(sv)
                .set_next_token(token)
                .set_max_results(max)
                .build()
        })
}

fn output() -> impl Strategy<Value = ListBatchSegmentJobsOutput> {
    (
        proptest::option::of(proptest::collection::vec(summary(), 0..8)),
        proptest::option::of(text()),
    )
        .prop_map(|(jobs, token)| {
            ListBatchSegmentJobsOutput::builder()
                .set_batch_segment_jobs(jobs)
                .set_next_token(token)
                .build()
        })
}

/// Serializes, checks the member names, reads back through text and through `Value`.
fn round_trip<T>(value: &T, members: &[(&str, bool)])
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, value, "round trip through {text}");
    let tree: Value = serde_json::from_str(&text).unwrap();
    let object = tree
        .as_object()
        .expect("structures serialize as JSON objects");
    let mut expected: Vec<&str> = members
        .iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| *name)
        .collect();
    expected.sort_unstable();
    let mut found: Vec<&str> = object.keys().map(String::as_str).collect();
    found.sort_unstable();
    assert_eq!(found, expected, "members written for {text}");
    let again: T = serde_json::from_value(tree).unwrap();
    assert_eq!(&again, value);
}

fn summary_members(s: &BatchSegmentJobSummary) -> Vec<(&'static str, bool)> {
    vec![
        ("batchSegmentJobArn", s.batch_segment_job_arn.is_some()),
        ("jobName", s.job_name.is_some()),
        ("status", s.status.is_some()),
        ("creationDateTime", s.creation_date_time.is_some()),
        ("lastUpdatedDateTime", s.last_updated_date_time.is_some()),
        ("failureReason", s.failure_reason.is_some()),
        ("solutionVersionArn", s.solution_version_arn.is_some()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn date_time_round_trips_exactly(t in date_time()) {
        let text = serde_json::to_string(&t).unwrap();
        let back: DateTime = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, t, "{} read back as {}", text, back.as_micros());
        // Whole seconds are written as integers, anything else as a number with a fraction.
        prop_assert_eq!(!text.contains(['.', 'e', 'E']), t.subsec_micros() == 0, "{}", text);
    }

    #[test]
    fn date_time_reads_decimal_text_to_the_microsecond(
        secs in 0i64..4_102_444_800, micros in 0u32..1_000_000
    ) {
        // What a service writes: up to six decimals, trailing zeros dropped.
        let text = format!("{secs}.{micros:06}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        let t: DateTime = serde_json::from_str(text).unwrap();
        prop_assert_eq!(t.as_micros(), secs * 1_000_000 + i64::from(micros), "{}", text);
    }

    #[test]
    fn blob_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let blob = Blob::new(bytes);
        let text = serde_json::to_string(&blob).unwrap();
        prop_assert_eq!(serde_json::from_str::<Blob>(&text).unwrap(), blob);
    }

    #[test]
    fn summary_round_trips(s in summary()) {
        round_trip(&s, &summary_members(&s));
    }

    #[test]
    fn input_round_trips(i in input()) {
        round_trip(&i, &[
            ("solutionVersionArn", i.solution_version_arn.is_some()),
            ("nextToken", i.next_token.is_some()),
            ("maxResults", i.max_results.is_some()),
        ]);
    }

    #[test]
    fn output_round_trips(o in output()) {
        round_trip(&o, &[
            ("batchSegmentJobs", o.batch_segment_jobs.is_some()),
            ("nextToken", o.next_token.is_some()),
        ]);
    }

    #[test]
    fn errors_round_trip(message in proptest::option::of(text())) {
        let members = [("message", message.is_some())];
        round_trip(&InvalidInputException::new(message.clone()), &members);
        round_trip(&InvalidNextTokenException::new(message), &members);
    }

    #[test]
    fn null_members_read_as_absent(s in summary()) {
        // Services may send `null` for an absent member; it must read as `None`.
        let mut tree = serde_json::to_value(&s).unwrap();
        for (name, set) in summary_members(&s) {
            if !set {
                tree[name] = Value::Null;
            }
        }
        prop_assert_eq!(serde_json::from_value::<BatchSegmentJobSummary>(tree).unwrap(), s);
    }
}
