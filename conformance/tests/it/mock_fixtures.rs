//! Every fixture replayed against a fresh, seeded built-in mock: the exchange must match the
//! recording after normalization, and the normalized exchange is kept as an insta snapshot.

use std::path::PathBuf;

use personalize_conformance::compare::normalized_exchange;
use personalize_conformance::fixture::{fixture_name, Fixture};
use personalize_conformance::target::run_on_builtin_mock;
use personalize_conformance::Outcome;
use rstest::rstest;

#[rstest]
#[tokio::test]
async fn fixture_replays_green_against_the_builtin_mock(
    #[files("fixtures/**/*.json")] path: PathBuf,
) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let name = fixture_name(&root, &path);
    let fixture = Fixture::load(&path, name.clone()).unwrap();
    let (outcome, observed) = run_on_builtin_mock(&fixture).await;
    assert_eq!(outcome, Outcome::Pass, "{name}: {}", outcome.detail());
    assert_eq!(
        observed.len(),
        fixture.steps.len(),
        "{name}: every step was sent"
    );
    insta::with_settings!({ description => fixture.description.clone(), omit_expression => true }, {
        insta::assert_json_snapshot!(
            format!("mock__{}", name.replace('/', "__")),
            normalized_exchange(&fixture, &observed)
        );
    });
}
