//! Seeding a running target through its public API: each job a fixture needs is created with
//! `CreateBatchSegmentJob` (personalize-client) and awaited with `DescribeBatchSegmentJob` until
//! it has the status the fixture needs. Jobs whose values a create cannot set (exact timestamps,
//! a status other than ACTIVE, a failure reason) make the case "not run" with the reason.

use std::time::{Duration, Instant};

use personalize_client::{Client, Config, Credentials, Error, OperationError, RetryConfig};
use personalize_model::operation::create_batch_segment_job::{
    CreateBatchSegmentJob, CreateBatchSegmentJobInput,
};
use personalize_model::operation::describe_batch_segment_job::{
    DescribeBatchSegmentJob, DescribeBatchSegmentJobInput,
};
use personalize_model::types::{BatchSegmentJobInput, BatchSegmentJobOutput, S3DataConfig};
use serde_json::Value;

use crate::rename::Renames;
use crate::sign::{Signer, EXAMPLE_ACCESS_KEY, EXAMPLE_SECRET_KEY};

/// The status a created job is awaited for.
pub const ACTIVE: &str = "ACTIVE";

/// Default bound on waiting for one seeded job to become ACTIVE.
pub const DEFAULT_SEED_TIMEOUT: Duration = Duration::from_secs(60);

/// Placeholder members for seed jobs given in the ListBatchSegmentJobs summary shape, which
/// does not show them (and so no case can depend on them).
pub const PLACEHOLDER_INPUT: &str = "s3://personalize-conformance-seed/input.json";
/// See [`PLACEHOLDER_INPUT`].
pub const PLACEHOLDER_OUTPUT: &str = "s3://personalize-conformance-seed/output/";
/// See [`PLACEHOLDER_INPUT`].
pub const PLACEHOLDER_ROLE: &str = "arn:aws:iam::123456789012:role/PersonalizeConformanceSeed";

/// Why a seed job cannot be made through `CreateBatchSegmentJob`, or `None` when it can.
pub fn not_creatable(job: &Value) -> Option<String> {
    let name = job
        .get("jobName")
        .and_then(Value::as_str)
        .or_else(|| job.get("batchSegmentJobArn").and_then(Value::as_str))
        .unwrap_or("(unnamed)");
    let mut needs = Vec::new();
    for member in ["creationDateTime", "lastUpdatedDateTime"] {
        if job.get(member).is_some_and(|v| !v.is_null()) {
            needs.push(format!("exact {member}"));
        }
    }
    match job.get("status").and_then(Value::as_str) {
        None | Some(ACTIVE) => {}
        Some(other) => needs.push(format!("status {other}")),
    }
    if job.get("failureReason").is_some_and(|v| !v.is_null()) {
        needs.push("a failureReason".into());
    }
    if !needs.is_empty() {
        return Some(format!(
            "needs {} of job {name}; CreateBatchSegmentJob cannot set {}",
            needs.join(", "),
            if needs.len() == 1 { "it" } else { "them" }
        ));
    }
    for member in ["jobName", "solutionVersionArn"] {
        if job.get(member).and_then(Value::as_str).is_none() {
            return Some(format!(
                "seed job {name} has no {member}, which CreateBatchSegmentJob requires"
            ));
        }
    }
    None
}

/// Seeding could not be done.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SeedFailure {
    /// The target does not implement an operation seeding needs.
    #[error("{0}")]
    NotImplemented(String),
    /// The target answered, but the job could not be made or did not become ACTIVE.
    #[error("{0}")]
    Failed(String),
}

/// Creates jobs on a running target through personalize-client.
#[derive(Clone, Debug)]
pub struct ApiSeeder {
    client: Client,
    timeout: Duration,
    poll: Duration,
}

impl ApiSeeder {
    /// A seeder for `url`, signing like the replayer (`signer`, else the example key in
    /// us-east-1); waits at most `timeout` per job.
    pub fn new(url: &str, signer: Option<&Signer>, timeout: Duration) -> Result<Self, String> {
        let (access, secret, token, region) = match signer {
            Some(s) => (
                s.credentials().access_key_id().to_owned(),
                s.credentials().secret_access_key().to_owned(),
                s.credentials().session_token().map(str::to_owned),
                s.region().to_owned(),
            ),
            None => (
                EXAMPLE_ACCESS_KEY.to_owned(),
                EXAMPLE_SECRET_KEY.to_owned(),
                None,
                "us-east-1".to_owned(),
            ),
        };
        let config = Config::builder()
            .region(region)
            .endpoint_url(url)
            .credentials(Credentials::new(access, secret, token))
            .attempt_timeout(Duration::from_secs(15))
            .retry(RetryConfig::disabled())
            .build()
            .map_err(|e| format!("cannot configure personalize-client for {url}: {e}"))?;
        Ok(ApiSeeder {
            client: Client::new(config),
            timeout,
            poll: Duration::from_millis(100),
        })
    }

    /// Creates `job` (names and ARNs read through `renames`) and waits until it is ACTIVE;
    /// records the ARN the target assigned in place of the seed's.
    pub async fn seed(&self, job: &Value, renames: &mut Renames) -> Result<(), SeedFailure> {
        let input = create_input(job, renames);
        // Messages name the job as the fixture does, so a report does not vary from run to run.
        let name = job
            .get("jobName")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)")
            .to_owned();
        let output = self
            .client
            .call::<CreateBatchSegmentJob>(input)
            .await
            .map_err(|e| failure("CreateBatchSegmentJob", &name, &e))?;
        let Some(arn) = output.batch_segment_job_arn else {
            return Err(SeedFailure::Failed(format!(
                "seeding {name}: CreateBatchSegmentJob answered no batchSegmentJobArn"
            )));
        };
        if let Some(recorded) = job.get("batchSegmentJobArn").and_then(Value::as_str) {
            renames.push(recorded, arn.clone());
        }
        self.wait_active(&name, &arn).await
    }

    async fn wait_active(&self, name: &str, arn: &str) -> Result<(), SeedFailure> {
        let start = Instant::now();
        let mut last = String::from("(none)");
        loop {
            let input = DescribeBatchSegmentJobInput::builder()
                .batch_segment_job_arn(arn)
                .build();
            let output = self
                .client
                .call::<DescribeBatchSegmentJob>(input)
                .await
                .map_err(|e| failure("DescribeBatchSegmentJob", name, &e))?;
            let job = output.batch_segment_job.unwrap_or_default();
            last = job.status.clone().unwrap_or(last);
            match last.as_str() {
                ACTIVE => return Ok(()),
                "CREATE FAILED" => {
                    return Err(SeedFailure::Failed(format!(
                        "seeding {name}: the job ended CREATE FAILED ({})",
                        job.failure_reason.as_deref().unwrap_or("no reason given")
                    )))
                }
                _ => {}
            }
            if start.elapsed() >= self.timeout {
                return Err(SeedFailure::Failed(format!(
                    "seeding {name}: not ACTIVE within {:?} (last status {last})",
                    self.timeout
                )));
            }
            tokio::time::sleep(self.poll).await;
        }
    }
}

/// The CreateBatchSegmentJob input for a seed job, with the target's names.
pub fn create_input(job: &Value, renames: &Renames) -> CreateBatchSegmentJobInput {
    let text = |member: &str| job.get(member).and_then(Value::as_str).map(str::to_owned);
    let renamed = |member: &str| text(member).map(|v| renames.get(&v).to_owned());
    let s3 = |member: &str, inner: &str, placeholder: &str| -> S3DataConfig {
        let config = job.get(member).and_then(|v| v.get(inner));
        let path = config
            .and_then(|c| c.get("path"))
            .and_then(Value::as_str)
            .unwrap_or(placeholder);
        let mut builder = S3DataConfig::builder().path(path);
        if let Some(key) = config
            .and_then(|c| c.get("kmsKeyArn"))
            .and_then(Value::as_str)
        {
            builder = builder.kms_key_arn(key);
        }
        builder.build()
    };
    CreateBatchSegmentJobInput::builder()
        .set_job_name(renamed("jobName"))
        .set_solution_version_arn(renamed("solutionVersionArn"))
        .set_filter_arn(text("filterArn"))
        .set_num_results(
            job.get("numResults")
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok()),
        )
        .job_input(
            BatchSegmentJobInput::builder()
                .s3_data_source(s3("jobInput", "s3DataSource", PLACEHOLDER_INPUT))
                .build(),
        )
        .job_output(
            BatchSegmentJobOutput::builder()
                .s3_data_destination(s3("jobOutput", "s3DataDestination", PLACEHOLDER_OUTPUT))
                .build(),
        )
        .role_arn(text("roleArn").unwrap_or_else(|| PLACEHOLDER_ROLE.to_owned()))
        .build()
}

fn failure<E: OperationError>(operation: &str, name: &str, e: &Error<E>) -> SeedFailure {
    let code = e.code().unwrap_or_default();
    let lower = code.to_ascii_lowercase();
    let status = e.status().unwrap_or_default();
    // A 5xx that names no AWS error code (personalize-client, like botocore, then uses the
    // status as the code: an HTML page or a bare status), a 501, or a NotImplemented-style
    // code: the target lacks the operation. Anything else is an answer: the job was refused.
    let not_aws_code = code.is_empty()
        || code.bytes().all(|b| b.is_ascii_digit())
        || code.contains(char::is_whitespace);
    let not_implemented = status == 501
        || (status >= 500 && not_aws_code)
        || lower.contains("notimplemented")
        || lower.contains("notyetimplemented");
    if not_implemented {
        SeedFailure::NotImplemented(format!(
            "seeding job {name} needs {operation}: HTTP {status}{}",
            if code.is_empty() || code == status.to_string() {
                String::new()
            } else {
                format!(" ({code})")
            }
        ))
    } else {
        SeedFailure::Failed(format!("seeding job {name}: {operation} answered {e}"))
    }
}
