//! The generator handles the whole official Personalize and Personalize Runtime models.
//! (That the written crates compile is checked by `cargo xtask check-full-model`.)

use std::path::PathBuf;

use xtask::slice::Operations;
use xtask::smithy::Model;

fn shared(file: &str) -> PathBuf {
    xtask::workspace_root().join("spec/models").join(file)
}

#[test]
fn whole_personalize_model_generates() {
    let path = shared("personalize-2018-05-22.json");
    let model = Model::load(&path).unwrap();
    let operations = model
        .shapes
        .values()
        .filter(|s| s.kind == "operation")
        .count();
    assert_eq!(operations, 71);
    let space = xtask::typespace::build(&model, &Operations::All).unwrap();
    assert_eq!(space.operations.len(), 71);
    assert_eq!(space.enums.len(), 9);
    let paginated = space
        .operations
        .values()
        .filter(|o| o.pagination.is_some())
        .count();
    assert_eq!(paginated, 16);
    let files = xtask::generate_crate(
        &xtask::type_space(&path, None, &Operations::All).unwrap(),
        "personalize-full",
    )
    .unwrap();
    let op_files = files
        .keys()
        .filter(|p| p.starts_with("src/generated/operation/"))
        .count();
    assert_eq!(op_files, 71);
    for file in ["Cargo.toml", "src/lib.rs", "src/generated/mod.rs"] {
        assert!(files.contains_key(file), "{file}");
    }
    // The runtime is a dependency, not a copy.
    assert!(!files.contains_key("src/validation.rs"));
    assert!(files["Cargo.toml"].contains("model-runtime = { path = "));
    // Every pattern of the model has its DFA.
    let patterns = &files["src/generated/patterns.rs"];
    assert_eq!(
        patterns.matches("LazyDfa::dense(").count() + patterns.matches("LazyDfa::sparse(").count(),
        space.patterns.len()
    );
}

#[test]
fn personalize_runtime_model_generates() {
    let path = shared("personalize-runtime-2018-05-22.json");
    let files = xtask::generate_crate(
        &xtask::type_space(&path, None, &Operations::All).unwrap(),
        "runtime",
    )
    .unwrap();
    assert!(files.contains_key("src/generated/operation/get_recommendations.rs"));
    assert!(files["src/generated/service.rs"].contains("Protocol::RestJson1"));
}

#[test]
fn written_crate_lands_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = shared("personalize-runtime-2018-05-22.json");
    let files = xtask::generate_crate(
        &xtask::type_space(&path, None, &Operations::All).unwrap(),
        "runtime",
    )
    .unwrap();
    xtask::check::write_files(&files, dir.path(), false).unwrap();
    assert!(dir.path().join("src/generated/mod.rs").is_file());
    assert!(xtask::check::stale_files(&files, &dir.path().join("")).is_empty());
}

#[test]
fn fluent_builders_for_the_whole_model() {
    let space = xtask::type_space(
        &shared("personalize-2018-05-22.json"),
        None,
        &Operations::All,
    )
    .unwrap();
    let text = xtask::emit::fluent_rs(&space).unwrap();
    assert_eq!(text.matches("FluentBuilder::new(self.clone())").count(), 71);
    assert!(text.contains("pub fn create_solution(&self) -> FluentBuilder<CreateSolution>"));
}
