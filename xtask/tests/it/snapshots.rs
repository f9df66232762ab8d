//! Snapshots of the code generated for a small model of the project's own that uses every
//! shape kind and trait the generator supports (tests/fixtures/kitchen_sink.json).

use std::path::PathBuf;

use xtask::slice::Operations;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kitchen_sink.json")
}

#[test]
fn kitchen_sink_generated_code() {
    let files = xtask::generate_in_tree(&fixture(), None, &Operations::All).unwrap();
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "error.rs",
            "mod.rs",
            "operation.rs",
            "operation/list_things.rs",
            "operation/ping.rs",
            "operation/put_thing.rs",
            "operation/scan_things.rs",
            "operation/upload.rs",
            "patterns.rs",
            "schema.rs",
            "service.rs",
            "types.rs",
            "visit.rs",
        ]
    );
    for (path, text) in &files {
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn generation_is_deterministic() {
    let a = xtask::generate_in_tree(&fixture(), None, &Operations::All).unwrap();
    let b = xtask::generate_in_tree(&fixture(), None, &Operations::All).unwrap();
    assert_eq!(a, b);
}

#[test]
fn operations_can_be_restricted() {
    let files =
        xtask::generate_in_tree(&fixture(), None, &Operations::parse("Ping,ScanThings")).unwrap();
    assert!(files.contains_key("operation/ping.rs"));
    assert!(files.contains_key("operation/scan_things.rs"));
    assert!(!files.contains_key("operation/put_thing.rs"));
    // Shapes only PutThing reaches are gone.
    assert!(!files["types.rs"].contains("pub struct Detail"));
}

#[test]
fn unknown_operation_is_an_error() {
    let err = xtask::generate_in_tree(&fixture(), None, &Operations::parse("Nope")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "operation Nope is not an operation of the service"
    );
}

#[test]
fn kitchen_sink_mock_handler() {
    let space = xtask::type_space(&fixture(), None, &Operations::All).unwrap();
    let files = xtask::emit::mock_files(&space).unwrap();
    for (path, text) in &files {
        let name = format!("mock_{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, text);
    }
}
