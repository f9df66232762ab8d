//! Property test: every List page the engine writes (copied from stored summary bytes) parses
//! as the generated `ListBatchSegmentJobsOutput` and is byte for byte what serde writes for
//! that output, for random stores whose strings hold quotes, backslashes, control characters
//! and non-ASCII text; the jobs on the pages are the jobs seeded, each once.

use std::collections::HashMap;

use personalize_mock::MockService;
use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsOutput;
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::DateTime;
use proptest::prelude::*;
use serde_json::json;

use crate::common::{handle_raw, seed_of};

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

/// Times AWS reports: whole milliseconds, 1906 to 2096.
fn time() -> impl Strategy<Value = DateTime> {
    (-2_000_000_000_000i64..4_000_000_000_000).prop_map(DateTime::from_millis)
}

fn job() -> impl Strategy<Value = BatchSegmentJobSummary> {
    (
        tricky(6),
        proptest::option::of(tricky(4)),
        proptest::option::weighted(0.9, time()),
        proptest::option::of(time()),
        proptest::option::of(tricky(4)),
        proptest::option::of(tricky(4)),
        proptest::option::of(0usize..3),
    )
        .prop_map(|(id, name, created, updated, status, failure, sv)| {
            let id = arn_safe(id);
            BatchSegmentJobSummary::builder()
                .batch_segment_job_arn(format!(
                    "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/{id}"
                ))
                .set_job_name(name)
                .set_status(status)
                .set_creation_date_time(created)
                .set_last_updated_date_time(updated)
                .set_failure_reason(failure)
                .set_solution_version_arn(sv.map(|i| {
                    format!("arn:aws:personalize:us-east-1:123456789012:solution/\"s\\{i}é")
                }))
                .build()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_page_is_the_output_serde_writes(
        jobs in proptest::collection::vec(job(), 0..30),
        max_results in proptest::option::of(1i32..12),
        filtered in any::<bool>(),
    ) {
        let service = MockService::default();
        // One job per seed call, so that a later job with the same ARN replaces the earlier.
        for job in &jobs {
            service.seed(&seed_of(std::slice::from_ref(job))).unwrap();
        }
        let mut latest: HashMap<String, &BatchSegmentJobSummary> = HashMap::new();
        for job in &jobs {
            latest.insert(job.batch_segment_job_arn.clone().unwrap(), job);
        }
        let filter = filtered
            .then(|| jobs.iter().find_map(|j| j.solution_version_arn.clone()))
            .flatten();
        let mut input = json!({});
        if let Some(n) = max_results {
            input["maxResults"] = n.into();
        }
        if let Some(f) = &filter {
            input["solutionVersionArn"] = f.clone().into();
        }
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let (status, written) = handle_raw(&service, "ListBatchSegmentJobs", &input.to_string());
            prop_assert_eq!(status, 200, "{}", String::from_utf8_lossy(&written));
            let output: ListBatchSegmentJobsOutput = serde_json::from_slice(&written).unwrap();
            let serde_bytes = serde_json::to_vec(&output).unwrap();
            prop_assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&serde_bytes)
            );
            for job in output.batch_segment_jobs.unwrap_or_default() {
                let arn = job.batch_segment_job_arn.clone().unwrap();
                prop_assert_eq!(Some(&&job), latest.get(&arn), "{}", arn);
                seen.push(arn);
            }
            pages += 1;
            prop_assert!(pages <= jobs.len() + 1, "the listing does not end");
            match output.next_token {
                Some(token) => input["nextToken"] = token.into(),
                None => break,
            }
        }
        let mut expected: Vec<String> = latest
            .iter()
            .filter(|(_, j)| filter.is_none() || j.solution_version_arn == filter)
            .map(|(arn, _)| arn.clone())
            .collect();
        expected.sort();
        seen.sort();
        prop_assert_eq!(seen, expected);
    }
}
