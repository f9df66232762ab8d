//! The jobs every measurement stores: `personalize_mock::sample`'s typical jobs, all valid.

use personalize_mock::sample::job;
use personalize_model::types::BatchSegmentJobSummary;

/// Jobs `range`, in chunks of at most `chunk` (so a caller never holds all inputs at once).
pub fn chunks(total: usize, chunk: usize) -> impl Iterator<Item = Vec<BatchSegmentJobSummary>> {
    (0..total)
        .step_by(chunk.max(1))
        .map(move |start| (start..(start + chunk).min(total)).map(job).collect())
}
