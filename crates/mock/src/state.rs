//! Optional persistence: the jobs in a JSON file that survives restarts.
//!
//! The file is `{"version":1,"batchSegmentJobs":[...],"createdJobs":[...]}`:
//! `batchSegmentJobs` holds every stored job as ListBatchSegmentJobs lists it (epoch-second
//! timestamps), `createdJobs` what `CreateBatchSegmentJob` recorded beyond the summary (input,
//! output, role, result count, filter, tags), keyed by ARN.
//!
//! Writes are atomic: the whole state goes to `<file>.tmp` in the same directory, which is
//! flushed to disk (`fsync`) and then renamed over the file (and the directory is synced), so
//! the file always holds the last complete state; a crash mid-write leaves at most a stale
//! temporary file, which the next write replaces. Each write rewrites the whole state (fine
//! for test-sized stores; a million jobs is ~300 MB per write).
//!
//! A file that cannot be read or is not a valid state stops start-up with an error naming the
//! file and the problem; it is never overwritten.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use personalize_model::types::{
    BatchSegmentJobInput, BatchSegmentJobOutput, BatchSegmentJobSummary, Tag,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::job_details::JobDetails;
use crate::service::MockService;
use crate::store::InvalidJob;

/// The format version this mock writes and reads.
pub const STATE_VERSION: u64 = 1;

/// Why the state file could not be loaded or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file exists but cannot be read.
    #[error("state file {}: cannot read it: {source}", path.display())]
    Read {
        /// The state file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not a state file (not JSON, wrong shape, a bad member).
    #[error("state file {}: not a valid personalize-mock state: {reason} (the file was left as it is)", path.display())]
    Corrupt {
        /// The state file.
        path: PathBuf,
        /// What is wrong, with its position.
        reason: String,
    },
    /// The file was written by a format this mock does not know.
    #[error("state file {}: format version {found} is not supported (this mock reads version {STATE_VERSION}; the file was left as it is)", path.display())]
    Version {
        /// The state file.
        path: PathBuf,
        /// The `version` member found.
        found: String,
    },
    /// A job in the file breaks the model's constraints.
    #[error("state file {}: batchSegmentJobs: {source} (the file was left as it is)", path.display())]
    Job {
        /// The state file.
        path: PathBuf,
        /// The job and its problem.
        source: InvalidJob,
    },
    /// The state could not be written.
    #[error("state file {}: cannot write it: {source}", path.display())]
    Write {
        /// The state file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// What the file holds.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StateDoc {
    version: u64,
    batch_segment_jobs: Vec<BatchSegmentJobSummary>,
    #[serde(default)]
    created_jobs: Vec<CreatedJob>,
}

/// The details `CreateBatchSegmentJob` recorded for one job.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedJob {
    batch_segment_job_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    job_input: Option<BatchSegmentJobInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    job_output: Option<BatchSegmentJobOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    num_results: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    filter_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<Tag>>,
}

/// The state file of a running server: loads it once, then rewrites it after changes.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    /// `store.writes()` when the file was last written (`None`: never).
    saved: Mutex<Option<u64>>,
}

impl StateFile {
    /// The state kept at `path` (nothing is read or written yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        StateFile {
            path: path.into(),
            saved: Mutex::new(None),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The temporary file a write goes through (`<file>.tmp`, same directory).
    pub fn temp_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".tmp");
        self.path.with_file_name(name)
    }

    /// Loads the file into `service`'s store and job book; `Ok(false)` when there is no file
    /// yet. Nothing is written.
    pub fn load(&self, service: &MockService) -> Result<bool, StateError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(source) => {
                return Err(StateError::Read {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        let doc = self.parse(&bytes)?;
        let store = service.store();
        store
            .insert_many(doc.batch_segment_jobs)
            .map_err(|source| StateError::Job {
                path: self.path.clone(),
                source,
            })?;
        for created in doc.created_jobs {
            let Some(summary) = store.get(&created.batch_segment_job_arn) else {
                continue; // details of a job no longer stored: nothing to attach them to
            };
            let details = JobDetails {
                created: summary.creation_date_time,
                job_input: created.job_input,
                job_output: created.job_output,
                role_arn: created.role_arn,
                num_results: created.num_results,
                filter_arn: created.filter_arn,
                tags: created.tags,
            };
            // Re-attaches the details and schedules what is still due for the job's status.
            service
                .job_book()
                .begin()
                .commit(store, summary, details)
                .map_err(|source| StateError::Job {
                    path: self.path.clone(),
                    source,
                })?;
        }
        *self.lock() = Some(store.writes());
        Ok(true)
    }

    fn parse(&self, bytes: &[u8]) -> Result<StateDoc, StateError> {
        let corrupt = |reason: String| StateError::Corrupt {
            path: self.path.clone(),
            reason,
        };
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| corrupt(format!("not JSON: {e}")))?;
        let Value::Object(members) = &value else {
            return Err(corrupt("not a JSON object".into()));
        };
        match members.get("version") {
            Some(v) if v.as_u64() == Some(STATE_VERSION) => {}
            Some(v) => {
                return Err(StateError::Version {
                    path: self.path.clone(),
                    found: v.to_string(),
                })
            }
            None => return Err(corrupt("no \"version\" member".into())),
        }
        serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.saved.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the state if the store changed since the last write (or was never written).
    pub fn save_if_changed(&self, service: &MockService) -> Result<(), StateError> {
        let mut saved = self.lock();
        let writes = service.store().writes();
        if *saved == Some(writes) {
            return Ok(());
        }
        self.write(service)?;
        *saved = Some(writes);
        Ok(())
    }

    /// Writes the state now: temporary file, fsync, rename, directory fsync.
    fn write(&self, service: &MockService) -> Result<(), StateError> {
        let failed = |source| StateError::Write {
            path: self.path.clone(),
            source,
        };
        let jobs = service.store().jobs();
        let created_jobs = jobs
            .iter()
            .filter_map(|job| {
                let arn = job.batch_segment_job_arn.as_deref()?;
                let details = service.job_book().details(arn, job.creation_date_time)?;
                Some(CreatedJob {
                    batch_segment_job_arn: arn.to_owned(),
                    job_input: details.job_input,
                    job_output: details.job_output,
                    role_arn: details.role_arn,
                    num_results: details.num_results,
                    filter_arn: details.filter_arn,
                    tags: details.tags,
                })
            })
            .collect();
        let doc = StateDoc {
            version: STATE_VERSION,
            batch_segment_jobs: jobs,
            created_jobs,
        };
        let bytes = serde_json::to_vec(&doc).map_err(|e| failed(e.into()))?;
        let temp = self.temp_path();
        let mut file = File::create(&temp).map_err(failed)?;
        file.write_all(&bytes).map_err(failed)?;
        file.sync_all().map_err(failed)?;
        drop(file);
        fs::rename(&temp, &self.path).map_err(failed)?;
        sync_dir(&self.path).map_err(failed)?;
        Ok(())
    }
}

/// Makes the rename durable (the directory entry) where the platform allows it.
fn sync_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
