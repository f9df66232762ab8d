//! Typical batch segment jobs, numbered: for filling a store in load tests and benchmarks
//! (`personalize-bench`, the mock's own benches and examples all store these).
//!
//! Job `n` has a 77-character ARN ending in its name (longer from n = 10,000,000), one of four statuses, both timestamps
//! (created `n × 37` ms after 2020-09-13, updated ten minutes later), a failure reason when
//! it failed, and one of [`SOLUTION_VERSIONS`] solution versions. Every job is valid.

use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::DateTime;

const STATUSES: [&str; 4] = ["ACTIVE", "CREATE FAILED", "PENDING", "IN PROGRESS"];

/// Number of distinct solution versions the jobs are spread over.
pub const SOLUTION_VERSIONS: usize = 100;

/// The solution version ARN of job `n`.
pub fn solution_version(n: usize) -> String {
    let v = n % SOLUTION_VERSIONS;
    format!("arn:aws:personalize:us-east-1:123456789012:solution/segments-{v}/{v:08x}")
}

/// Job `n`.
pub fn job(n: usize) -> BatchSegmentJobSummary {
    let created = 1_600_000_000_000 + (n as i64).saturating_mul(37);
    let status = STATUSES[n % STATUSES.len()];
    BatchSegmentJobSummary::builder()
        .batch_segment_job_arn(format!(
            "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/segments-{n:07}"
        ))
        .job_name(format!("segments-{n:07}"))
        .status(status)
        .creation_date_time(DateTime::from_millis(created))
        .last_updated_date_time(DateTime::from_millis(created.saturating_add(600_000)))
        .set_failure_reason(
            (status == "CREATE FAILED")
                .then(|| "Insufficient data in the dataset group".to_owned()),
        )
        .solution_version_arn(solution_version(n))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use personalize_model::Validate;

    #[test]
    fn jobs_are_valid_and_named_after_their_arn() {
        for n in [0, 1, 2, 3, 99_999, 1_000_000] {
            let job = job(n);
            assert_eq!(job.validate(), Ok(()), "job {n}");
            let arn = job.batch_segment_job_arn.as_deref().unwrap_or_default();
            assert_eq!(arn.len(), 70 + n.to_string().len().max(7));
            assert!(arn.ends_with(&format!("/{}", job.job_name.unwrap_or_default())));
        }
        assert_ne!(solution_version(1), solution_version(2));
        assert_eq!(solution_version(1), solution_version(1 + SOLUTION_VERSIONS));
    }
}
