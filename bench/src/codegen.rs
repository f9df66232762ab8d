//! Section 5: time to generate the whole Personalize model, in process (xtask's library).

use std::path::Path;
use std::time::Instant;

use xtask::slice::Operations;

use crate::stats::median;

/// Figures of the codegen section.
#[derive(Clone, Debug)]
pub struct Figures {
    /// Median generation time (ms): read the model, build the type space, emit and format.
    pub median_ms: f64,
    /// Files generated.
    pub files: usize,
    /// Bytes generated.
    pub bytes: usize,
}

/// Generates a standalone crate for every operation of `model` `runs` times.
pub fn run(model: &Path, runs: usize) -> Result<Figures, String> {
    let mut times = Vec::with_capacity(runs);
    let mut files = 0;
    let mut bytes = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let generated =
            xtask::generate_crate(model, None, &Operations::All, "personalize-full-model")
                .map_err(|e| format!("codegen of {}: {e}", model.display()))?;
        times.push(started.elapsed().as_secs_f64() * 1e3);
        files = generated.len();
        bytes = generated.values().map(String::len).sum();
    }
    Ok(Figures {
        median_ms: median(&times),
        files,
        bytes,
    })
}
