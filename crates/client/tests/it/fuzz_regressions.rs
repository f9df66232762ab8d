//! Replays the saved fuzz inputs (`fuzz/seeds/` and every crash kept in `fuzz/regressions/`)
//! through the same checks the `client_response` fuzz target runs.

use crate::client_response;

use std::path::Path;

#[test]
fn client_response_inputs_replay_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(kind).join("client_response")) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if !path.is_file() || path.file_name().is_some_and(|n| n == ".gitkeep") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| client_response::check(&bytes));
            assert!(outcome.is_ok(), "saved input {} fails", path.display());
            count += 1;
        }
    }
    assert!(
        count >= 12,
        "expected at least 12 saved inputs, found {count}"
    );
}
