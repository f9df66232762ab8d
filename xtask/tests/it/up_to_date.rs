//! What `cargo xtask codegen --check` does: the checked-in generated code equals a fresh
//! generation from model/.

use xtask::check::stale_files;
use xtask::slice::Operations;
use xtask::{generate_in_tree, workspace_root, GENERATED_DIR};

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
fn every_workspace_output_is_up_to_date() {
    let root = workspace_root();
    let space = xtask::type_space(&root.join("model"), None, &Operations::All).unwrap();
    let outputs = xtask::workspace_outputs(&space).unwrap();
    let dirs: Vec<&str> = outputs.iter().map(|o| o.dir).collect();
    assert_eq!(
        dirs,
        [
            GENERATED_DIR,
            "crates/client/src/generated",
            "crates/mock/src/generated"
        ]
    );
    assert_eq!(
        outputs[2]
            .files
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["handler.rs", "mod.rs"]
    );
    let stale: Vec<_> = outputs
        .iter()
        .flat_map(|o| xtask::check::stale_output(o, &root))
        .collect();
    let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
    assert!(
        stale.is_empty(),
        "{} stale file(s); run `cargo xtask codegen`:\n{diffs}",
        stale.len()
    );
}

#[test]
fn only_generated_files_of_a_shared_directory_are_stale() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("gen");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("mod.rs"), "// hand-written\n").unwrap();
    std::fs::write(sub.join("fluent.rs"), "// old\n").unwrap();
    let files = xtask::Files::from([("fluent.rs".to_owned(), "// new\n".to_owned())]);
    let shared = xtask::Output {
        dir: "gen",
        files: files.clone(),
        whole_dir: false,
    };
    let stale = xtask::check::stale_output(&shared, dir.path());
    assert_eq!(
        stale.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
        ["gen/fluent.rs"]
    );
    let whole = xtask::Output {
        whole_dir: true,
        ..shared.clone()
    };
    let stale = xtask::check::stale_output(&whole, dir.path());
    assert_eq!(
        stale.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
        ["gen/fluent.rs", "gen/mod.rs"]
    );
    xtask::check::write_output(&shared, dir.path()).unwrap();
    assert!(sub.join("mod.rs").is_file());
    assert!(xtask::check::stale_output(&shared, dir.path()).is_empty());
}

/// The protocol test service's model crate is what its vendored model generates.
#[test]
fn the_protocol_test_model_crate_is_up_to_date() {
    let root = workspace_root();
    let output = xtask::protocol_tests_output(&root).unwrap();
    assert_eq!(output.dir, xtask::PROTOCOL_TESTS_GENERATED_DIR);
    let stale = xtask::check::stale_output(&output, &root);
    let diffs: String = stale.iter().map(|s| s.diff.as_str()).collect();
    assert!(
        stale.is_empty(),
        "{} stale file(s); run `cargo xtask codegen`:\n{diffs}",
        stale.len()
    );
}
