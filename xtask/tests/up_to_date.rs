//! What `cargo xtask codegen --check` does: the checked-in generated code equals a fresh
//! generation from model/.

use xtask::check::stale_files;
use xtask::slice::Operations;
use xtask::{generate_in_tree, workspace_root, GENERATED_DIR};

#[test]
fn checked_in_generated_code_is_up_to_date() {
    let root = workspace_root();
    let files = generate_in_tree(&root.join("model"), None, &Operations::All).unwrap();
    let stale = stale_files(&files, &root.join(GENERATED_DIR));
    let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
    assert!(
        stale.is_empty(),
        "{} stale file(s); run `cargo xtask codegen`:\n{diffs}",
        stale.len()
    );
}

/// Every in-tree target (Personalize, the protocol test service) is what its model generates.
#[test]
fn every_in_tree_crate_is_up_to_date() {
    let root = workspace_root();
    for target in xtask::IN_TREE {
        let files =
            generate_in_tree(&root.join(target.model), target.service, &Operations::All).unwrap();
        let stale = stale_files(&files, &root.join(target.generated_dir));
        let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
        assert!(
            stale.is_empty(),
            "{}: {} stale file(s); run `cargo xtask codegen`:\n{diffs}",
            target.generated_dir,
            stale.len()
        );
    }
}

#[test]
fn every_generated_file_starts_with_the_header() {
    let files = generate_in_tree(&workspace_root().join("model"), None, &Operations::All).unwrap();
    for (path, text) in &files {
        assert!(text.starts_with(xtask::HEADER), "{path} lacks the header");
    }
}

#[test]
fn a_changed_file_is_reported_with_a_diff() {
    let files = generate_in_tree(&workspace_root().join("model"), None, &Operations::All).unwrap();
    let dir = tempfile::tempdir().unwrap();
    xtask::check::write_files(&files, dir.path(), true).unwrap();
    assert!(stale_files(&files, dir.path()).is_empty());
    let service = dir.path().join("service.rs");
    let edited = std::fs::read_to_string(&service)
        .unwrap()
        .replace("\"personalize\"", "\"edited\"");
    std::fs::write(&service, edited).unwrap();
    std::fs::write(dir.path().join("leftover.rs"), "// old\n").unwrap();
    let stale = stale_files(&files, dir.path());
    let paths: Vec<&str> = stale.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, ["service.rs", "leftover.rs"]);
    assert!(stale[0].diff.contains("--- a/service.rs"));
    assert!(stale[0].diff.contains("-    signing_name: \"edited\","));
    assert!(stale[0]
        .diff
        .contains("+    signing_name: \"personalize\","));
}

#[test]
fn client_fluent_builders_are_up_to_date() {
    let root = workspace_root();
    let path = root.join(xtask::emit::FLUENT_PATH);
    let have = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let want = xtask::generate_fluent(&root.join("model"), &Operations::All).unwrap();
    let diff = similar::TextDiff::from_lines(&have, &want)
        .unified_diff()
        .header("a/fluent.rs", "b/fluent.rs")
        .to_string();
    assert!(
        have == want,
        "fluent.rs is stale; run `cargo xtask codegen`:\n{diff}"
    );
}

#[test]
fn mock_handler_is_up_to_date() {
    let root = workspace_root();
    let files = xtask::generate_mock(&root.join("model"), &Operations::All).unwrap();
    assert_eq!(
        files.keys().map(String::as_str).collect::<Vec<_>>(),
        ["handler.rs", "mod.rs"]
    );
    let stale = stale_files(&files, &root.join(xtask::emit::MOCK_GENERATED_DIR));
    let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
    assert!(
        stale.is_empty(),
        "{} stale file(s) in the mock; run `cargo xtask codegen`:\n{diffs}",
        stale.len()
    );
}
