//! The resources every measurement stores and lists: `personalize_mock::sample`'s typical
//! batch segment jobs and dataset groups, all valid, stored as seeds.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use personalize_mock::sample;
use serde::Serialize;

/// A kind of resource the benchmark stores and lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Batch segment jobs (`ListBatchSegmentJobs`).
    Jobs,
    /// Dataset groups (`ListDatasetGroups`).
    Groups,
}

impl Kind {
    /// Both kinds, in the report's order.
    pub const ALL: [Kind; 2] = [Kind::Jobs, Kind::Groups];

    /// The List operation's name.
    pub fn operation(self) -> &'static str {
        match self {
            Kind::Jobs => "ListBatchSegmentJobs",
            Kind::Groups => "ListDatasetGroups",
        }
    }

    /// The awsJson target of the List operation.
    pub fn target(self) -> &'static str {
        match self {
            Kind::Jobs => "AmazonPersonalize.ListBatchSegmentJobs",
            Kind::Groups => "AmazonPersonalize.ListDatasetGroups",
        }
    }

    /// The List output's items member, which is also the seed file's member.
    pub fn member(self) -> &'static str {
        match self {
            Kind::Jobs => "batchSegmentJobs",
            Kind::Groups => "datasetGroups",
        }
    }

    /// The value of this kind's `--` flag name in the `serve-*` subcommands.
    pub fn arg(self) -> &'static str {
        match self {
            Kind::Jobs => "jobs",
            Kind::Groups => "groups",
        }
    }

    /// A seed of resources `start..end` of this kind, serialised.
    fn seed_bytes(self, start: usize, end: usize) -> Result<Vec<u8>, String> {
        match self {
            Kind::Jobs => seed_of(self.member(), (start..end).map(sample::job)),
            Kind::Groups => seed_of(self.member(), (start..end).map(sample::dataset_group)),
        }
    }
}

fn seed_of<T: Serialize>(member: &str, items: impl Iterator<Item = T>) -> Result<Vec<u8>, String> {
    let seed = BTreeMap::from([(member, items.collect::<Vec<T>>())]);
    serde_json::to_vec(&seed).map_err(|e| e.to_string())
}

/// Stores `total` resources of `kind` in `service`, `chunk` at a time (a chunk's seed is all
/// the input held at once).
pub fn seed(
    service: &personalize_mock::MockService,
    kind: Kind,
    total: usize,
    chunk: usize,
) -> Result<(), String> {
    for start in (0..total).step_by(chunk.max(1)) {
        let bytes = kind.seed_bytes(start, (start + chunk).min(total))?;
        service
            .seed_reader(&bytes[..])
            .map_err(|e| format!("seeding {} {}: {e}", total, kind.member()))?;
    }
    Ok(())
}

/// Writes a seed file of `total` resources of `kind` to `path` (written a chunk at a time, so
/// the whole file is never in memory); returns its size in bytes.
pub fn write_seed_file(path: &Path, kind: Kind, total: usize) -> Result<u64, String> {
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let file = std::fs::File::create(path).map_err(fail)?;
    let mut out = std::io::BufWriter::new(file);
    write!(out, "{{\"{}\":[", kind.member()).map_err(fail)?;
    const CHUNK: usize = 10_000;
    for start in (0..total).step_by(CHUNK) {
        let bytes = kind.seed_bytes(start, (start + CHUNK).min(total))?;
        // `{"member":[ … ]}`: keep the items only.
        let open = kind.member().len() + 5;
        let items = bytes
            .get(open..bytes.len().saturating_sub(2))
            .ok_or("a seed chunk is shorter than its brackets")?;
        if start > 0 && !items.is_empty() {
            out.write_all(b",").map_err(fail)?;
        }
        out.write_all(items).map_err(fail)?;
    }
    out.write_all(b"]}").map_err(fail)?;
    out.flush().map_err(fail)?;
    std::fs::metadata(path).map(|m| m.len()).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_files_load_every_resource() {
        for kind in Kind::ALL {
            let path = std::env::temp_dir().join(format!(
                "personalize-bench-seed-test-{}-{}.json",
                kind.arg(),
                std::process::id()
            ));
            write_seed_file(&path, kind, 25_003).unwrap();
            let service = personalize_mock::MockService::new();
            let file = std::fs::File::open(&path).unwrap();
            let stored = service.seed_reader(std::io::BufReader::new(file)).unwrap();
            std::fs::remove_file(&path).unwrap();
            assert_eq!(stored, 25_003, "{kind:?}");
            assert_eq!(service.len(), 25_003, "{kind:?}");
            let last = match kind {
                Kind::Jobs => sample::job(25_002).batch_segment_job_arn,
                Kind::Groups => sample::dataset_group(25_002).dataset_group_arn,
            };
            assert!(service.resource(&last.unwrap()).is_some(), "{kind:?}");
        }
    }
}
