//! Typical resources, numbered: batch segment jobs and dataset groups for filling a store in
//! load tests and benchmarks (`personalize-bench`, the mock's own benches and examples all
//! store these, as seeds: `{"batchSegmentJobs": [job(0), …], "datasetGroups": [dataset_group(0), …]}`).
//!
//! Job `n` has a 77-character ARN ending in its name (longer from n = 10,000,000), one of four statuses, both timestamps
//! (created `n × 37` ms after 2020-09-13, updated ten minutes later), a failure reason when
//! it failed, and one of [`SOLUTION_VERSIONS`] solution versions. Dataset group `n` has a
//! 71-character ARN ending in its name, the same timestamps and statuses, and a domain on
//! every other group. Every resource is valid.

use personalize_model::types::{BatchSegmentJobSummary, DatasetGroupSummary, Domain};
use personalize_model::DateTime;

const STATUSES: [&str; 4] = ["ACTIVE", "CREATE FAILED", "PENDING", "IN PROGRESS"];

/// Number of distinct solution versions the jobs are spread over.
pub const SOLUTION_VERSIONS: usize = 100;

/// The solution version ARN of job `n`.
pub fn solution_version(n: usize) -> String {
    let v = n % SOLUTION_VERSIONS;
    format!("arn:aws:personalize:us-east-1:123456789012:solution/segments-{v}/{v:08x}")
}

/// Creation time of resource `n`, in milliseconds.
fn created(n: usize) -> i64 {
    1_600_000_000_000 + (n as i64).saturating_mul(37)
}

/// Job `n`.
pub fn job(n: usize) -> BatchSegmentJobSummary {
    let created = created(n);
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

/// Dataset group `n`.
pub fn dataset_group(n: usize) -> DatasetGroupSummary {
    let created = created(n);
    let status = STATUSES[n % STATUSES.len()];
    DatasetGroupSummary::builder()
        .dataset_group_arn(format!(
            "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies-{n:07}"
        ))
        .name(format!("movies-{n:07}"))
        .status(status)
        .creation_date_time(DateTime::from_millis(created))
        .last_updated_date_time(DateTime::from_millis(created.saturating_add(600_000)))
        .set_failure_reason(
            (status == "CREATE FAILED").then(|| "The schema does not match the data".to_owned()),
        )
        .set_domain((n % 2 == 0).then_some(Domain::Ecommerce))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use personalize_model::Validate;

    #[test]
    fn resources_are_valid_and_named_after_their_arn() {
        for n in [0, 1, 2, 3, 99_999, 1_000_000] {
            let job = job(n);
            assert_eq!(job.validate(), Ok(()), "job {n}");
            let arn = job.batch_segment_job_arn.as_deref().unwrap_or_default();
            assert_eq!(arn.len(), 70 + n.to_string().len().max(7));
            assert!(arn.ends_with(&format!("/{}", job.job_name.unwrap_or_default())));
        }
        for n in [0, 1, 2, 3, 99_999, 1_000_000] {
            let group = dataset_group(n);
            assert_eq!(group.validate(), Ok(()), "dataset group {n}");
            let arn = group.dataset_group_arn.as_deref().unwrap_or_default();
            assert_eq!(arn.len(), 64 + n.to_string().len().max(7));
            assert!(arn.ends_with(&format!("/{}", group.name.unwrap_or_default())));
            assert_eq!(group.domain.is_some(), n % 2 == 0);
        }
        assert_ne!(solution_version(1), solution_version(2));
        assert_eq!(solution_version(1), solution_version(1 + SOLUTION_VERSIONS));
    }
}
