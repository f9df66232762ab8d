//! Optional persistence: every account's resources in a JSON file that survives restarts.
//!
//! The file is a seed file (see `engine::seed`) with a version: `{"version":2,
//! "datasetGroups":[...],"batchSegmentJobs":[...],...}`, each resource as DescribeX returns
//! it plus what its Create input carried beyond that, its `tags` alongside. Statuses are saved
//! as they were; a status change still due when the file was written is not resumed.
//!
//! Writes are atomic: the whole state goes to `<file>.tmp` in the same directory, which is
//! flushed to disk (`fsync`) and then renamed over the file (and the directory is synced), so
//! the file always holds the last complete state; a crash mid-write leaves at most a stale
//! temporary file, which the next write replaces. Each write rewrites the whole state.
//!
//! A file that cannot be read or is not a valid state stops start-up with an error naming the
//! file and the problem; it is never overwritten.

use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::service::MockService;

/// The format version this mock writes and reads.
pub const STATE_VERSION: u64 = 2;

/// Why the state file could not be loaded or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file exists but could not be read.
    #[error("state file {}: cannot read it: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a state this mock wrote.
    #[error("state file {}: not a valid personalize-mock state: {reason} (the file was left as it is)", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        reason: String,
    },
    /// The file could not be written.
    #[error("state file {}: cannot write it: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A state file and the change count it was last written at.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    saved: Mutex<Option<u64>>,
}

impl StateFile {
    /// A state file at `path` (nothing is read yet).
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

    /// Where a write goes before it is renamed over the file.
    pub fn temp_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".tmp");
        self.path.with_file_name(name)
    }

    /// Loads the file into `service` when it exists; whether it existed.
    pub fn load(&self, service: &MockService) -> Result<bool, StateError> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(source) => {
                return Err(StateError::Read {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        let corrupt = |reason: String| StateError::Corrupt {
            path: self.path.clone(),
            reason,
        };
        let mut reader = BufReader::new(file);
        let mut head = [0u8; 32];
        let n = reader.read(&mut head).map_err(|source| StateError::Read {
            path: self.path.clone(),
            source,
        })?;
        let expected = format!("{{\"version\":{STATE_VERSION}");
        let after = head.get(expected.len()).copied();
        if !head[..n].starts_with(expected.as_bytes()) || !matches!(after, Some(b',' | b'}')) {
            return Err(corrupt(format!(
                "it does not start with {expected} (a state file of this mock's format version)"
            )));
        }
        drop(reader);
        // The version was checked; the seed reader skips that member and streams the rest.
        let file = File::open(&self.path).map_err(|source| StateError::Read {
            path: self.path.clone(),
            source,
        })?;
        service
            .seed_reader(BufReader::new(file))
            .map_err(|e| corrupt(e.to_string()))?;
        *self.lock() = Some(service.changes());
        Ok(true)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.saved.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the state if the store changed since the last write (or was never written).
    pub fn save_if_changed(&self, service: &MockService) -> Result<(), StateError> {
        let mut saved = self.lock();
        let writes = service.changes();
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
        let dump = service.dump();
        let mut bytes = format!("{{\"version\":{STATE_VERSION}").into_bytes();
        if dump.len() > 2 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(&dump[1..]);
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
