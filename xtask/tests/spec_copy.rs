//! `spec/` holds byte-for-byte copies of the project's specification in `../shared`; this test
//! fails when a copy has drifted. On a machine without `../shared` (a clean CI clone) there is
//! nothing to compare against and it says so.

use std::path::Path;

/// (path under spec/, path under ../shared)
const COPIES: [(&str, &str); 4] = [
    (
        "models/personalize-2018-05-22.json",
        "models/personalize-2018-05-22.json",
    ),
    (
        "models/personalize-runtime-2018-05-22.json",
        "models/personalize-runtime-2018-05-22.json",
    ),
    (
        "recordings/real-clients.json",
        "recordings/real-clients.json",
    ),
    (
        "pages/ListBatchSegmentJobs.md",
        "spec/ListBatchSegmentJobs.md",
    ),
];

#[test]
fn vendored_spec_matches_shared() {
    let root = xtask::workspace_root();
    let shared = root.join("../shared");
    for (copy, original) in COPIES {
        let copy = root.join("spec").join(copy);
        let copy_bytes = std::fs::read(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
        assert!(!copy_bytes.is_empty(), "{} is empty", copy.display());
        let original = shared.join(original);
        if !Path::new(&shared).is_dir() {
            eprintln!("no {}: {} not compared", shared.display(), copy.display());
            continue;
        }
        let original_bytes =
            std::fs::read(&original).unwrap_or_else(|e| panic!("{}: {e}", original.display()));
        assert!(
            copy_bytes == original_bytes,
            "{} differs from {}: copy the new file in, then `cargo xtask slice` and `cargo xtask codegen`",
            copy.display(),
            original.display()
        );
    }
}
