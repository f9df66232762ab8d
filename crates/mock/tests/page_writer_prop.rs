//! Property test: the page the HTTP handler writes straight from the store is byte for byte
//! what serializing the same `ListBatchSegmentJobsOutput` with serde gives, for random stores
//! whose strings hold quotes, backslashes, control characters and non-ASCII text.

use personalize_mock::page_writer::{write_str, write_timestamp};
use personalize_mock::{BatchSegmentJobStore, MockService};
use personalize_model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobsInput, ListBatchSegmentJobsOutput,
};
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::DateTime;
use proptest::prelude::*;

/// Text mixing plain ASCII with every kind of character JSON treats specially.
fn tricky(max_pieces: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[a-z0-9-]{1,4}",
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("/".to_owned()),
            "[\u{0}-\u{9}\u{b}\u{c}\u{e}-\u{1f}\u{7f}]",
            Just("é".to_owned()),
            Just("😀".to_owned()),
            Just("\u{2028}".to_owned()),
            any::<char>().prop_map(String::from),
        ],
        1..max_pieces,
    )
    .prop_map(|pieces| pieces.concat())
}

/// ARNs may hold anything but line terminators (the model's pattern).
fn arn_safe(text: String) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'))
        .collect()
}

fn job() -> impl Strategy<Value = BatchSegmentJobSummary> {
    (
        tricky(6),
        proptest::option::of(any::<bool>()),
        proptest::option::weighted(0.9, -2_000_000_000_000_000i64..4_000_000_000_000_000),
        proptest::option::of(any::<i64>()),
        proptest::option::of(tricky(4)),
        proptest::option::of(tricky(4)),
        proptest::option::of(0usize..3),
    )
        .prop_map(|(id, name, created, updated, status, failure, sv)| {
            let id = arn_safe(id);
            let arn = format!("arn:aws:personalize:us-east-1:1:batch-segment-job/{id}");
            // Names are `[a-zA-Z0-9][a-zA-Z0-9\-_]*`: either the ARN's last segment (when it is
            // a valid name) or one of its own.
            let name = name.map(|in_arn| {
                let valid = id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && id.starts_with(|c: char| c.is_ascii_alphanumeric());
                if in_arn && valid {
                    id.clone()
                } else {
                    "job-1".to_owned()
                }
            });
            BatchSegmentJobSummary::builder()
                .batch_segment_job_arn(arn)
                .set_job_name(name)
                .set_status(status)
                .set_creation_date_time(created.map(DateTime::from_micros))
                .set_last_updated_date_time(updated.map(DateTime::from_micros))
                .set_failure_reason(failure)
                .set_solution_version_arn(
                    sv.map(|i| format!("arn:aws:personalize:us-east-1:1:solution/\"s\\{i}é")),
                )
                .build()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn written_page_equals_serde_output(
        jobs in proptest::collection::vec(job(), 0..30),
        max_results in proptest::option::of(1i32..12),
        filtered in any::<bool>(),
    ) {
        let store = BatchSegmentJobStore::new();
        for job in &jobs {
            store.insert(job.clone()).unwrap();
        }
        let service = MockService::new(store);
        let filter = filtered
            .then(|| jobs.iter().find_map(|j| j.solution_version_arn.clone()))
            .flatten();
        let mut input = ListBatchSegmentJobsInput::builder()
            .set_max_results(max_results)
            .set_solution_version_arn(filter.clone())
            .build();
        let mut pages = 0;
        loop {
            let expected = service.list_batch_segment_jobs(&input).unwrap();
            let written = service.list_batch_segment_jobs_body(&input).unwrap();
            let serde_bytes = serde_json::to_vec(&expected).unwrap();
            prop_assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&serde_bytes)
            );
            prop_assert_eq!(&written[..], &serde_bytes[..]);
            let parsed: serde_json::Value = serde_json::from_slice(&written).unwrap();
            let parsed_serde: serde_json::Value = serde_json::from_slice(&serde_bytes).unwrap();
            prop_assert_eq!(parsed, parsed_serde);
            let jobs_read: ListBatchSegmentJobsOutput = serde_json::from_slice(&written).unwrap();
            prop_assert_eq!(
                jobs_read.batch_segment_jobs.map(|j| j.len()),
                expected.batch_segment_jobs.as_ref().map(Vec::len)
            );
            pages += 1;
            prop_assert!(pages <= jobs.len() + 1, "the listing does not end");
            match expected.next_token {
                Some(token) => input.next_token = Some(token),
                None => break,
            }
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them(text in any::<String>()) {
        let mut out = Vec::new();
        write_str(&mut out, &text);
        prop_assert_eq!(out, serde_json::to_vec(&text).unwrap());
    }

    #[test]
    fn millisecond_timestamps_are_written_as_the_serializer_writes_them(
        millis in prop_oneof![
            -2_000_000_000_000i64..4_000_000_000_000,
            any::<i64>().prop_map(|m| m / 1000),
        ],
    ) {
        let time = DateTime::from_millis(millis);
        let mut out = Vec::new();
        write_timestamp(&mut out, time);
        prop_assert_eq!(out, serde_json::to_vec(&time).unwrap());
    }

    #[test]
    fn timestamps_are_written_as_the_serializer_writes_them(micros in any::<i64>()) {
        let time = DateTime::from_micros(micros);
        let mut out = Vec::new();
        write_timestamp(&mut out, time);
        prop_assert_eq!(out, serde_json::to_vec(&time).unwrap());
    }
}
