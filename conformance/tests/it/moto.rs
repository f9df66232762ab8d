//! The project's published verdict on moto: moto_server (from the Python environment in
//! $PERSONALIZE_PYTHON, else <workspace>/.venv/bin/python) started on a loopback port, every
//! fixture of every operation replayed against it, the report (cases, then the coverage matrix:
//! one row per operation) kept as an insta snapshot, so a moto upgrade that changes the
//! picture shows up as a diff. Whatever moto answers is the verdict; fixtures are never tuned
//! to it.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use personalize_conformance::target::{plan_for_shared_target, run_url_with, UrlOptions};
use personalize_conformance::{discover, Outcome, Report};

/// Stops the child process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn python() -> PathBuf {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates: Vec<PathBuf> = std::env::var_os("PERSONALIZE_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([workspace.join(".venv/bin/python")])
        .collect();
    for candidate in &candidates {
        let ok = Command::new(candidate)
            .args(["-c", "import moto.server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return candidate.clone();
        }
    }
    panic!(
        "no Python with moto[server]: tried {candidates:?}. Set PERSONALIZE_PYTHON to a python that \
         has `pip install 'moto[server]'`, or create <workspace>/.venv (see .ci/run)"
    );
}

fn moto_version(python: &PathBuf) -> String {
    let out = Command::new(python)
        .args(["-c", "import moto; print(moto.__version__)"])
        .output()
        .expect("python runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_server_verdict() {
    let python = python();
    let version = moto_version(&python);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&python)
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto.server starts");
    let _guard = Running(child);
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto_server did not listen on {url} within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let fixtures = discover(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")).unwrap();
    // A fixed run tag: moto starts empty, and the snapshot must not vary from run to run.
    let options = UrlOptions {
        run_tag: "moto00".into(),
        ..UrlOptions::default()
    };
    let mut suite = run_url_with(&url, &fixtures, &options).await.unwrap();
    assert_eq!(suite.cases.len(), fixtures.len());
    for (case, fixture) in suite.cases.iter().zip(&fixtures) {
        if let Err(not_run) = plan_for_shared_target(fixture, "t") {
            assert_eq!(case.outcome, not_run, "{}", case.name);
        }
        if let Outcome::NotSeedable { reason } = &case.outcome {
            assert!(reason.contains(" cannot set "), "{}: {reason}", case.name);
        }
    }
    // Every operation has a row; the ones moto serves have real verdicts.
    let matrix = suite.matrix();
    assert!(matrix.len() >= personalize_model::service::OPERATION_METAS.len());
    for row in &matrix {
        assert!(row.totals.total() > 0, "{} has no cases", row.operation);
    }
    suite.target = "moto_server".into();
    let report = Report {
        suites: vec![suite],
    };
    insta::with_settings!({ description => format!("moto {version}"), omit_expression => true }, {
        insta::assert_snapshot!("moto_verdict", report.to_table());
    });
}
