//! Seed files: the JSON a ListBatchSegmentJobs response (or `aws personalize
//! list-batch-segment-jobs` output) has, `{"batchSegmentJobs":[...]}`.
//!
//! Timestamps may be epoch seconds (the wire form) or ISO 8601 / RFC 3339 text (what the AWS
//! CLI prints, e.g. `2023-11-14T22:13:21.123000+00:00`). Other members, such as `nextToken`,
//! are ignored.

use std::path::{Path, PathBuf};

use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::{DateTime, Validate};
use serde_json::Value;

/// What is wrong with seed text.
#[derive(Debug, thiserror::Error)]
pub enum SeedProblem {
    /// The file could not be read.
    #[error("cannot read it: {0}")]
    Io(#[from] std::io::Error),
    /// Not JSON.
    #[error("it is not valid JSON: {0}")]
    Json(serde_json::Error),
    /// JSON, but not an object with a `batchSegmentJobs` array.
    #[error(
        "expected an object {{\"batchSegmentJobs\": [...]}} (a ListBatchSegmentJobs response), {0}"
    )]
    Shape(String),
    /// One job is not a valid BatchSegmentJobSummary.
    #[error("batchSegmentJobs[{index}]: {reason}")]
    Job {
        /// Position in the array.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// A seed file that could not be loaded: which file, and why.
#[derive(Debug, thiserror::Error)]
#[error("seed file {}: {problem}", path.display())]
pub struct SeedError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub problem: SeedProblem,
}

/// Reads and checks a seed file.
pub fn load_seed_file(path: &Path) -> Result<Vec<BatchSegmentJobSummary>, SeedError> {
    let fail = |problem| SeedError {
        path: path.to_owned(),
        problem,
    };
    let text = std::fs::read(path).map_err(|e| fail(SeedProblem::Io(e)))?;
    parse_seed(&text).map_err(fail)
}

/// Parses and checks seed JSON.
pub fn parse_seed(text: &[u8]) -> Result<Vec<BatchSegmentJobSummary>, SeedProblem> {
    let value: Value = serde_json::from_slice(text).map_err(SeedProblem::Json)?;
    let Value::Object(mut top) = value else {
        return Err(SeedProblem::Shape("got another JSON value".into()));
    };
    let jobs = match top.remove("batchSegmentJobs") {
        Some(Value::Array(jobs)) => jobs,
        Some(_) => {
            return Err(SeedProblem::Shape(
                "but batchSegmentJobs is not an array".into(),
            ))
        }
        None => {
            return Err(SeedProblem::Shape(
                "but it has no batchSegmentJobs member".into(),
            ))
        }
    };
    jobs.into_iter()
        .enumerate()
        .map(|(index, job)| parse_job(job).map_err(|reason| SeedProblem::Job { index, reason }))
        .collect()
}

fn parse_job(job: Value) -> Result<BatchSegmentJobSummary, String> {
    let Value::Object(mut members) = job else {
        return Err("not a JSON object".into());
    };
    for name in ["creationDateTime", "lastUpdatedDateTime"] {
        if let Some(Value::String(text)) = members.get(name) {
            let time = DateTime::parse_rfc3339(text).map_err(|e| format!("{name}: {e}"))?;
            let number = serde_json::to_value(time).map_err(|e| format!("{name}: {e}"))?;
            members.insert(name.to_owned(), number);
        }
    }
    let job: BatchSegmentJobSummary =
        serde_json::from_value(Value::Object(members)).map_err(|e| e.to_string())?;
    if job.batch_segment_job_arn.is_none() {
        return Err("no batchSegmentJobArn (the ARN identifies a job)".into());
    }
    job.validate().map_err(|e| e.to_string())?;
    Ok(job)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wire_and_cli_timestamps() {
        let jobs = parse_seed(
            br#"{"batchSegmentJobs":[
                {"batchSegmentJobArn":"arn:aws:personalize:us-east-1:1:batch-segment-job/a",
                 "creationDateTime":1700000001.123,
                 "lastUpdatedDateTime":"2023-11-14T22:13:21.123000+00:00"}],
                "nextToken":"x"}"#,
        )
        .unwrap();
        assert_eq!(jobs[0].creation_date_time, jobs[0].last_updated_date_time);
        assert_eq!(
            jobs[0].creation_date_time.unwrap().as_millis(),
            1_700_000_001_123
        );
    }

    #[test]
    fn names_what_is_wrong() {
        let cases: [(&[u8], &str); 6] = [
            (b"{", "not valid JSON"),
            (b"[]", "expected an object"),
            (b"{}", "no batchSegmentJobs"),
            (br#"{"batchSegmentJobs":[{"jobName":"x"}]}"#, "batchSegmentJobs[0]: no batchSegmentJobArn"),
            (
                br#"{"batchSegmentJobs":[{"batchSegmentJobArn":"arn:aws:personalize:r:1:j/a"},{"batchSegmentJobArn":"nope"}]}"#,
                "batchSegmentJobs[1]: 1 validation error detected: Value 'nope' at 'batchSegmentJobArn'",
            ),
            (
                br#"{"batchSegmentJobs":[{"batchSegmentJobArn":"arn:aws:personalize:r:1:j/a","creationDateTime":"yesterday"}]}"#,
                "batchSegmentJobs[0]: creationDateTime: timestamp 'yesterday' is not RFC 3339",
            ),
        ];
        for (text, expected) in cases {
            let err = parse_seed(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{err:?} lacks {expected:?}");
        }
    }
}
