//! Writing generated files, and `--check`: comparing them with what is on disk.

use std::path::Path;

use similar::TextDiff;

use crate::{CodegenError, Files, Output};

/// One file whose content on disk differs from the generated one.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    /// Path relative to the output directory.
    pub path: String,
    /// Unified diff from disk to generated (`--- a/`, `+++ b/`).
    pub diff: String,
}

/// Every `.rs` file under `dir`, relative, sorted.
fn existing_rs(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                if let Ok(rel) = p.strip_prefix(dir) {
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    out.sort();
    out
}

/// Compares `files` with `dir`: changed, missing and leftover `.rs` files, each with a diff.
pub fn stale_files(files: &Files, dir: &Path) -> Vec<Stale> {
    let mut stale = Vec::new();
    for (path, want) in files {
        let have = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
        if have != *want {
            stale.push(Stale {
                path: path.clone(),
                diff: diff(&have, want, path),
            });
        }
    }
    for path in existing_rs(dir) {
        if !files.contains_key(&path) {
            let have = std::fs::read_to_string(dir.join(&path)).unwrap_or_default();
            stale.push(Stale {
                diff: diff(&have, "", &path),
                path,
            });
        }
    }
    stale
}

fn diff(old: &str, new: &str, path: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Writes `files` under `dir` (only those that changed) and removes leftover `.rs` files.
/// Returns the number of files written or removed.
pub fn write_files(files: &Files, dir: &Path, prune: bool) -> Result<usize, CodegenError> {
    let io = |p: &Path, e: std::io::Error| CodegenError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    let mut touched = 0;
    for (path, text) in files {
        let target = dir.join(path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&target, text).map_err(|e| io(&target, e))?;
        touched += 1;
    }
    if prune {
        for path in existing_rs(dir) {
            if !files.contains_key(&path) {
                let target = dir.join(&path);
                std::fs::remove_file(&target).map_err(|e| io(&target, e))?;
                touched += 1;
            }
        }
    }
    Ok(touched)
}

/// [`stale_files`] for one output of the workspace at `root`; in a directory not wholly
/// generated, files that are not generated are not stale.
pub fn stale_output(output: &Output, root: &Path) -> Vec<Stale> {
    let mut stale = stale_files(&output.files, &root.join(output.dir));
    if !output.whole_dir {
        stale.retain(|s| output.files.contains_key(&s.path));
    }
    for s in &mut stale {
        s.path = format!("{}/{}", output.dir, s.path);
    }
    stale
}

/// [`write_files`] for one output of the workspace at `root` (pruning only a directory that is
/// wholly generated).
pub fn write_output(output: &Output, root: &Path) -> Result<usize, CodegenError> {
    write_files(&output.files, &root.join(output.dir), output.whole_dir)
}
