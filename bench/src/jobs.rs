//! The jobs every measurement stores: typical batch segment jobs, all valid.

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

/// Job `n`: a 73-character ARN, a name, one of four statuses, both timestamps, a failure
/// reason for failed jobs and one of [`SOLUTION_VERSIONS`] solution versions.
pub fn job(n: usize) -> BatchSegmentJobSummary {
    let created = 1_600_000_000_000 + (n as i64) * 37;
    let status = STATUSES[n % STATUSES.len()];
    BatchSegmentJobSummary::builder()
        .batch_segment_job_arn(format!(
            "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/segments-{n:07}"
        ))
        .job_name(format!("segments-{n:07}"))
        .status(status)
        .creation_date_time(DateTime::from_millis(created))
        .last_updated_date_time(DateTime::from_millis(created + 600_000))
        .set_failure_reason(
            (status == "CREATE FAILED")
                .then(|| "Insufficient data in the dataset group".to_owned()),
        )
        .solution_version_arn(solution_version(n))
        .build()
}

/// Jobs `range`, in chunks of at most `chunk` (so a caller never holds all inputs at once).
pub fn chunks(total: usize, chunk: usize) -> impl Iterator<Item = Vec<BatchSegmentJobSummary>> {
    (0..total)
        .step_by(chunk.max(1))
        .map(move |start| (start..(start + chunk).min(total)).map(job).collect())
}
