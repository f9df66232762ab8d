//! Persistence (`--state FILE`): resources survive restarts, writes are atomic, bad files stop
//! start-up and are left as they are.

use std::path::{Path, PathBuf};

use crate::common::*;
use personalize_mock::{MockError, MockServer, StateError};
use serde_json::{json, Value};

const CREATE: &str = "CreateBatchSegmentJob";
const DESCRIBE: &str = "DescribeBatchSegmentJob";

/// The format version of the state file (ENGINE.md: state file version 2).
const STATE_VERSION: u64 = 2;

/// A fresh, empty directory for one test.
fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "personalize-mock-state-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn temp_of(path: &Path) -> PathBuf {
    path.with_file_name(format!(
        "{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The batch segment jobs in the state file (none when it has no `batchSegmentJobs`).
fn file_arns(path: &Path) -> Vec<String> {
    read_json(path)["batchSegmentJobs"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|j| j["batchSegmentJobArn"].as_str().unwrap().to_owned())
        .collect()
}

fn create_body(name: &str) -> Value {
    json!({
        "jobName": name,
        "solutionVersionArn": SV1,
        "numResults": 25,
        "filterArn": FILTER,
        "jobInput": {"s3DataSource": {"path": "s3://bucket/users.json"}},
        "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
        "roleArn": ROLE,
        "tags": [{"tagKey": "team", "tagValue": "ml"}]
    })
}

#[tokio::test]
async fn jobs_and_created_details_survive_a_restart() {
    let path = dir("restart").join("state.json");
    let server = MockServer::builder()
        .seed(&parents())
        .seed(&jobs(3))
        .state(&path)
        .start()
        .await
        .unwrap();
    // The seeded store is on disk before the first request.
    assert_eq!(file_arns(&path).len(), 3);
    server.seed(&seed_of(&[job(10)])).unwrap();
    assert_eq!(file_arns(&path).len(), 4);
    let url = server.url();
    let created = post(&url, CREATE, create_body("made-here")).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let arn = created.body["batchSegmentJobArn"]
        .as_str()
        .unwrap()
        .to_owned();
    // On disk as soon as the client hears of it.
    assert!(file_arns(&path).contains(&arn));
    let described = post(&url, DESCRIBE, json!({ "batchSegmentJobArn": arn })).await;
    assert_eq!(described.status, 200, "{}", described.body);
    let listed_before = list_all(&url, None, &[2]).await;
    server.shutdown().await;

    let again = MockServer::builder().state(&path).start().await.unwrap();
    let url = again.url();
    assert_eq!(list_all(&url, None, &[2]).await, listed_before);
    assert_eq!(listed_before.len(), 5);
    let after = post(&url, DESCRIBE, json!({ "batchSegmentJobArn": arn })).await;
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(after.body, described.body);
    assert_eq!(
        after.body["batchSegmentJob"]["jobInput"]["s3DataSource"]["path"],
        "s3://bucket/users.json"
    );
    assert_eq!(after.body["batchSegmentJob"]["numResults"], 25);
    // The name is still taken after the restart.
    let duplicate = post(&url, CREATE, create_body("made-here")).await;
    assert_eq!(duplicate.status, 400, "{}", duplicate.body);
    // Resets persist too.
    again.reset();
    assert_eq!(read_json(&path), json!({ "version": STATE_VERSION }));
}

#[tokio::test]
async fn the_file_is_versioned_json_with_every_resource() {
    let path = dir("format").join("state.json");
    let server = MockServer::builder()
        .seed(&parents())
        .seed(&jobs(4))
        .state(&path)
        .start()
        .await
        .unwrap();
    let created = post(&server.url(), CREATE, create_body("fmt")).await;
    assert_eq!(created.status, 200);
    let doc = read_json(&path);
    assert_eq!(doc["version"], STATE_VERSION);
    // The file is a seed file of every kind, each resource as Describe shows it.
    assert_eq!(doc["solutionVersions"].as_array().unwrap().len(), 3);
    assert_eq!(doc["Filters"][0]["filterArn"], FILTER);
    let stored = doc["batchSegmentJobs"].as_array().unwrap();
    assert_eq!(stored.len(), 5);
    for job in jobs(4).iter() {
        let arn = job.batch_segment_job_arn.as_deref().unwrap();
        let item = stored
            .iter()
            .find(|j| j["batchSegmentJobArn"] == arn)
            .unwrap();
        assert_eq!(item, &serde_json::to_value(job).unwrap());
    }
    let arn = created.body["batchSegmentJobArn"].as_str().unwrap();
    let made = stored
        .iter()
        .find(|j| j["batchSegmentJobArn"] == arn)
        .unwrap();
    // What Create carried is kept, the tags alongside.
    assert_eq!(made["numResults"], 25);
    assert_eq!(made["tags"], json!([{"tagKey": "team", "tagValue": "ml"}]));
    let mut described = server.service().resource(arn).unwrap();
    described["tags"] = made["tags"].clone();
    assert_eq!(made, &described);
    // Listings do not rewrite the file.
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    list_all(&server.url(), None, &[3]).await;
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
}

#[tokio::test]
async fn a_stale_temporary_file_is_ignored_then_replaced() {
    let path = dir("stale-temp").join("state.json");
    MockServer::builder()
        .seed(&jobs(3))
        .state(&path)
        .start()
        .await
        .unwrap()
        .shutdown()
        .await;
    let temp = temp_of(&path);
    std::fs::write(&temp, b"{\"version\":2,\"batchSegmentJobs\":[{\"garbage").unwrap();
    let server = MockServer::builder().state(&path).start().await.unwrap();
    assert_eq!(server.service().len(), 3);
    server.seed(&seed_of(&[job(7)])).unwrap();
    assert!(!temp.exists(), "the write went through the temporary file");
    assert_eq!(file_arns(&path).len(), 4);
}

#[tokio::test]
async fn a_crash_mid_write_leaves_the_last_good_state() {
    let path = dir("crash").join("state.json");
    let server = MockServer::builder()
        .seed(&jobs(5))
        .state(&path)
        .start()
        .await
        .unwrap();
    let good = std::fs::read(&path).unwrap();
    // The next state (one more job), as a crashed writer leaves it: half written, in the
    // temporary file only, never renamed.
    let mut next = read_json(&path);
    next["batchSegmentJobs"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::to_value(job(99)).unwrap());
    let next = serde_json::to_vec(&next).unwrap();
    drop(server);
    std::fs::write(temp_of(&path), &next[..next.len() / 2]).unwrap();

    let restarted = MockServer::builder().state(&path).start().await.unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), good);
    assert_eq!(
        list_all(&restarted.url(), None, &[100]).await,
        expected_order(&jobs(5), None)
    );
}

#[tokio::test]
async fn bad_state_files_stop_start_up_and_are_left_alone() {
    let base = dir("corrupt");
    let mut bad_job = serde_json::to_value(job(1)).unwrap();
    bad_job["batchSegmentJobArn"] = json!("not an arn");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            br#"{"version":2,"batchSegmentJobs":[{"batchSeg"#.to_vec(),
            "EOF while parsing",
        ),
        ("empty", Vec::new(), "it does not start with {\"version\":2"),
        (
            "array",
            b"[1,2]".to_vec(),
            "it does not start with {\"version\":2",
        ),
        (
            "no-version",
            br#"{"batchSegmentJobs":[]}"#.to_vec(),
            "it does not start with {\"version\":2",
        ),
        (
            "version-1",
            br#"{"version":1,"batchSegmentJobs":[]}"#.to_vec(),
            "a state file of this mock's format version",
        ),
        (
            "version-20",
            br#"{"version":20,"batchSegmentJobs":[]}"#.to_vec(),
            "it does not start with {\"version\":2",
        ),
        (
            "wrong-type",
            br#"{"version":2,"batchSegmentJobs":{}}"#.to_vec(),
            "an array of resources under batchSegmentJobs",
        ),
        (
            "bad-job",
            format!(
                "{{\"version\":2,\"batchSegmentJobs\":{}}}",
                json!([job(0), bad_job])
            )
            .into_bytes(),
            "batchSegmentJobs[1].batchSegmentJobArn: 'not an arn' is not arn:",
        ),
    ];
    for (name, bytes, reason) in cases {
        let path = base.join(format!("{name}.json"));
        std::fs::write(&path, &bytes).unwrap();
        let err = MockServer::builder()
            .seed(&jobs(2))
            .state(&path)
            .start()
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, MockError::State(_)), "{name}: {err:?}");
        assert!(text.contains(&path.display().to_string()), "{name}: {text}");
        assert!(text.contains(reason), "{name}: {text}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}: file changed");
        assert!(!temp_of(&path).exists(), "{name}: a write was attempted");
    }
    // A path that cannot be read as a file.
    let unreadable = base.join("a-directory");
    std::fs::create_dir_all(&unreadable).unwrap();
    let err = MockServer::builder()
        .state(&unreadable)
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(err, MockError::State(StateError::Read { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("cannot read"), "{err}");
}

#[tokio::test]
async fn a_failed_write_is_an_error_not_a_silent_loss() {
    let base = dir("unwritable");
    // The state file's directory does not exist: the first write fails at start.
    let path = base.join("missing-dir").join("state.json");
    let err = MockServer::builder()
        .state(&path)
        .start()
        .await
        .unwrap_err();
    assert!(
        matches!(err, MockError::State(StateError::Write { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("cannot write"), "{err}");
}

#[test]
fn the_binary_keeps_jobs_across_restarts_and_refuses_a_corrupt_file() {
    use std::io::BufReader;
    use std::process::{Command, Stdio};
    const BIN: &str = env!("CARGO_BIN_EXE_personalize-mock");
    let base = dir("binary");
    let path = base.join("state.json");
    let seed = base.join("seed.json");
    std::fs::write(&seed, seed_of(&jobs(4)).to_string()).unwrap();

    let run = |extra: &[&str]| -> Vec<String> {
        let mut child = Command::new(BIN)
            .args(["--bind", "127.0.0.1:0", "--state", path.to_str().unwrap()])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = read_listening_url(&mut BufReader::new(child.stdout.take().unwrap()));
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let arns = runtime.block_on(list_all(&url, None, &[3]));
        let pid = child.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        assert!(child.wait().unwrap().success());
        arns
    };
    assert_eq!(run(&["--seed", seed.to_str().unwrap()]).len(), 4);
    assert_eq!(run(&[]), expected_order(&jobs(4), None));

    let corrupt = b"{\"version\":2,\"batchSegmentJobs\":[".to_vec();
    std::fs::write(&path, &corrupt).unwrap();
    let out = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0", "--state", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(path.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("EOF while parsing"), "{stderr}");
    assert!(out.stdout.is_empty(), "it must not report listening");
    assert_eq!(std::fs::read(&path).unwrap(), corrupt);
}

#[tokio::test]
async fn an_empty_state_loads_empty() {
    let path = dir("empty-state").join("state.json");
    std::fs::write(&path, br#"{"version":2}"#).unwrap();
    let server = MockServer::builder().state(&path).start().await.unwrap();
    assert!(server.service().is_empty());
}

/// Statuses are saved as they were; a change still due when the file was written is not
/// resumed after a restart (crates/mock/src/state.rs).
#[tokio::test]
async fn statuses_in_flight_are_kept_as_saved_across_a_restart() {
    use personalize_mock::{Clock, ManualClock, Schedule, Schedules};
    use std::time::Duration;
    let path = dir("in-flight").join("state.json");
    let t0 = 1_700_000_000.0;
    let clock = ManualClock::new(personalize_model::DateTime::from_secs(1_700_000_000));
    let start = || {
        MockServer::builder()
            .state(&path)
            .schedules(Schedules::all(Schedule::new(
                Duration::from_secs(10),
                Duration::from_secs(20),
            )))
            .clock(Clock::Manual(clock.clone()))
            .start()
    };
    let status = |body: &Value| {
        (
            body["batchSegmentJob"]["status"]
                .as_str()
                .unwrap()
                .to_owned(),
            body["batchSegmentJob"]["lastUpdatedDateTime"]
                .as_f64()
                .unwrap()
                - t0,
        )
    };
    let server = start().await.unwrap();
    server.seed(&parents()).unwrap();
    let url = server.url();
    let a = post(&url, CREATE, create_body("a")).await.body["batchSegmentJobArn"].clone();
    clock.advance(Duration::from_secs(15));
    let b = post(&url, CREATE, create_body("b")).await.body["batchSegmentJobArn"].clone();
    let before = post(&url, DESCRIBE, json!({ "batchSegmentJobArn": a }))
        .await
        .body;
    assert_eq!(status(&before), ("IN PROGRESS".to_owned(), 10.0));
    server.shutdown().await;

    let server = start().await.unwrap();
    let url = server.url();
    let describe = |arn: Value| {
        let url = url.clone();
        async move {
            post(&url, DESCRIBE, json!({ "batchSegmentJobArn": arn }))
                .await
                .body
        }
    };
    assert_eq!(
        status(&describe(a.clone()).await),
        ("IN PROGRESS".to_owned(), 10.0)
    );
    assert_eq!(
        status(&describe(b.clone()).await),
        ("PENDING".to_owned(), 15.0)
    );
    clock.advance(Duration::from_secs(3600));
    assert_eq!(
        status(&describe(a.clone()).await),
        ("IN PROGRESS".to_owned(), 10.0)
    );
    assert_eq!(
        status(&describe(b.clone()).await),
        ("PENDING".to_owned(), 15.0)
    );
    // The file holds what was saved.
    let on_disk = read_json(&path)["batchSegmentJobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["batchSegmentJobArn"] == a)
        .unwrap()["status"]
        .clone();
    assert_eq!(on_disk, "IN PROGRESS");
}
