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

/// `spec/models/aws-protocoltests-json.json` is not a copy but a slice: the awsJson 1.1 test
/// service of Smithy's protocol test suite, with the trait definitions it uses.
#[test]
fn vendored_protocol_tests_are_the_slice_of_the_shared_suite() {
    let root = xtask::workspace_root();
    let vendored = root.join(xtask::PROTOCOL_TESTS_MODEL);
    let have = std::fs::read_to_string(&vendored)
        .unwrap_or_else(|e| panic!("{}: {e}", vendored.display()));
    let suite = root.join("../shared/models/smithy-aws-protocol-tests.json");
    if !suite.is_file() {
        eprintln!(
            "no {}: {} not compared",
            suite.display(),
            vendored.display()
        );
        return;
    }
    let full = xtask::load_model(&suite, Some(xtask::PROTOCOL_TESTS_SERVICE)).unwrap();
    let want = xtask::slice::slice(&full, &xtask::slice::Operations::All)
        .unwrap()
        .to_json();
    assert!(
        have == want,
        "{} is not the slice of {}: run `cargo xtask slice --from {} --service {} --operations all --out {}`",
        vendored.display(),
        suite.display(),
        suite.display(),
        xtask::PROTOCOL_TESTS_SERVICE,
        xtask::PROTOCOL_TESTS_MODEL
    );
}
