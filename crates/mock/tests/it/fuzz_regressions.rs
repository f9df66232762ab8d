//! Replays the saved fuzz inputs (`fuzz/seeds/` and every crash kept in `fuzz/regressions/`)
//! through the same checks the `mock_handler` and `token_decode` fuzz targets run.

use std::path::{Path, PathBuf};

use crate::{http_text, mock_handler, token_decode};

/// Every file under `fuzz/{seeds,regressions}/<target>/`.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut found = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() && path.file_name().is_some_and(|n| n != ".gitkeep") {
                let bytes = std::fs::read(&path).unwrap();
                found.push((path, bytes));
            }
        }
    }
    found.sort();
    found
}

fn replay(target: &str, min: usize, check: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(
        inputs.len() >= min,
        "expected at least {min} saved inputs for {target}, found {}",
        inputs.len()
    );
    for (path, bytes) in inputs {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        assert!(outcome.is_ok(), "saved input {} fails", path.display());
    }
}

#[test]
fn mock_handler_inputs_replay_clean() {
    let service = mock_handler::service();
    replay("mock_handler", 20, |input| {
        mock_handler::check(&service, input)
    });
}

#[test]
fn token_decode_inputs_replay_clean() {
    let service = token_decode::service();
    replay("token_decode", 4, |input| {
        token_decode::check(&service, input)
    });
}

#[test]
fn the_harness_accepts_a_valid_request_and_sees_real_tokens() {
    // The harness must reach the handler: a valid request with a real token lists jobs.
    let service = mock_handler::service();
    let message = http_text::parse(
        b"POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.1\r\n\
          X-Amz-Target: AmazonPersonalize.ListBatchSegmentJobs\r\n\r\n{\"maxResults\":2}",
    );
    assert_eq!(message.start, [&b"POST"[..], b"/", b"HTTP/1.1"]);
    assert_eq!(message.headers.len(), 2);
    assert_eq!(message.body, b"{\"maxResults\":2}");
    mock_handler::check(
        &service,
        b"POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\n\
          X-Amz-Target: AmazonPersonalize.ListBatchSegmentJobs\n\n{\"nextToken\":\"$NEXT\"}",
    );
    // The fixture's second page (a real token reaches it), and the token harness's modes.
    let token = mock_handler::token(&service, None).unwrap();
    let (status, page) = mock_handler::list(
        &service,
        &serde_json::json!({"maxResults": 2, "nextToken": token}),
    );
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["batchSegmentJobs"].as_array().unwrap().len(), 2);
    token_decode::check(&service, b"\x00forged");
    token_decode::check(&service, &[1, 1, 17, 5]);
    token_decode::check(&service, &[3, 0, 200, 62]);
}
