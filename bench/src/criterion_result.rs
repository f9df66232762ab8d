//! Section 4a: runs the validation criterion bench (`cargo bench -p personalize-model --bench
//! validate`) and reads the figures it wrote.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The criterion group of the validation benchmark (see crates/model/benches/validate.rs).
pub const GROUP: &str = "validate_list_batch_segment_jobs_input";

/// The benchmarks of the group: every member set, with a typical and with the longest values.
pub const CASES: [&str; 2] = ["typical", "longest"];

#[derive(Deserialize)]
struct Estimates {
    median: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
}

/// The target directory cargo uses for this workspace.
pub fn target_dir(workspace: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"))
}

/// Runs `cargo bench -p personalize-model --bench validate` in `workspace` (shorter with `quick`).
pub fn run(workspace: &Path, quick: bool) -> Result<(), String> {
    let criterion: &[&str] = if quick {
        &["--quick"]
    } else {
        &["--warm-up-time", "1", "--measurement-time", "3"]
    };
    let args = [
        &[
            "bench",
            "-p",
            "personalize-model",
            "--bench",
            "validate",
            "--",
        ][..],
        criterion,
    ]
    .concat();
    crate::cargo(workspace, &args)
}

/// Median nanoseconds criterion measured for `case`, from its latest run.
pub fn median_ns(workspace: &Path, case: &str) -> Result<f64, String> {
    let path = target_dir(workspace)
        .join("criterion")
        .join(GROUP)
        .join(case)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo bench -p personalize-model --bench validate` first)",
            path.display()
        )
    })?;
    let estimates: Estimates =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(estimates.median.point_estimate)
}
