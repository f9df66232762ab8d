//! Embeds every fixture under `fixtures/` in the crate, so that the installed binary carries
//! its fixtures and runs from any directory on any machine (`--fixtures DIR` still reads a
//! directory). It writes `$OUT_DIR/embedded_fixtures.rs`: one `(name, include_str!(file))`
//! pair per `*.json` file, sorted by name, so a new fixture file needs no code.
//!
//! Written here rather than with the `include_dir` crate: its macro cannot tell cargo to
//! rebuild when a fixture file is added, which needs a build script anyway, and this one is a
//! directory walk of a few lines. `rerun-if-changed` on the directory makes cargo rerun it (and
//! rebuild the tests, whose `#[files]` cases come from the same directory) when any file under
//! it is added, removed or changed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=fixtures");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest_dir.join("fixtures");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Every fixture file built into the crate: its name (`group/name`) and its text.\n\
         pub static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let name = file
            .strip_prefix(&root)
            .expect("collected under the root")
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"))
        .join("embedded_fixtures.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}

/// Every `*.json` file under `dir`, recursively.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}
