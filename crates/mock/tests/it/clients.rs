//! Real AWS clients driven from the tests: a boto3 coprocess that runs one call per line it
//! reads (so the Rust side steps the mock's clock between calls), the AWS CLI, and a mock
//! whose lifecycles move only when the test moves its clock.
//!
//! Python comes from `$PERSONALIZE_PYTHON`, else `<workspace>/.venv/bin/python`; the CLI is
//! the `aws` script next to it. Without them these tests fail and say how to get them.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::time::Duration;

use personalize_mock::{Clock, ManualClock, MockServer, Schedule, Schedules};
use personalize_model::DateTime;
use serde_json::{json, Value};

/// A mock in a runtime of its own (so the test thread may block on client processes) whose
/// every lifecycle step lasts `step` of a manual clock.
pub struct SteppedMock {
    /// The mock's clock: statuses move when it does.
    pub clock: ManualClock,
    /// The running mock.
    pub server: MockServer,
    step: Duration,
    // Runs the server's tasks; dropped after the server.
    _runtime: tokio::runtime::Runtime,
}

impl SteppedMock {
    /// A mock whose clock shows `start_secs` (epoch seconds), every step lasting `step`.
    pub fn start(start_secs: i64, step: Duration) -> SteppedMock {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let clock = ManualClock::new(DateTime::from_secs(start_secs));
        let server = runtime
            .block_on(
                MockServer::builder()
                    .schedules(Schedules::all(Schedule::new(step, step)))
                    .clock(Clock::Manual(clock.clone()))
                    .start(),
            )
            .unwrap();
        SteppedMock {
            clock,
            server,
            step,
            _runtime: runtime,
        }
    }

    /// Moves the clock one step on.
    pub fn tick(&self) {
        self.clock.advance(self.step);
    }

    /// The clock's time in epoch seconds.
    pub fn now_secs(&self) -> f64 {
        self.clock.now().as_secs_f64()
    }
}

pub use crate::common::python;

/// The AWS CLI script next to `python`.
pub fn aws_cli(python: &Path) -> PathBuf {
    let cli = python.with_file_name("aws");
    assert!(
        cli.exists(),
        "no AWS CLI at {} (pip install awscli into that venv)",
        cli.display()
    );
    cli
}

pub use crate::common::without_user_aws_config as isolate;

/// Runs `aws personalize <args> --endpoint-url <url> --output json`.
pub fn aws(python: &Path, url: &str, args: &[&str]) -> Output {
    let mut command = Command::new(python);
    command
        .arg(aws_cli(python))
        .arg("personalize")
        .args(args)
        .args(["--endpoint-url", url, "--output", "json"]);
    isolate(&mut command).output().unwrap()
}

/// One call per input line (`{"call", "args"}` or `{"paginate", "args", "pageSize"}`), one
/// answer per output line: `{"ok": result}` (timestamps as epoch seconds, no
/// ResponseMetadata), `{"error": {"code", "message", "status"}}` for a service error, or
/// `{"crash": text}` for anything else boto3 raised. No retries: every answer is the first.
const BOTO3_COPROCESS: &str = r#"
import datetime, json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

c = boto3.client("personalize", endpoint_url=sys.argv[1],
                 config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))

def encode(o):
    if isinstance(o, datetime.datetime):
        return o.timestamp()
    raise TypeError(repr(o))

def strip(reply):
    reply.pop("ResponseMetadata", None)
    return reply

for line in sys.stdin:
    request = json.loads(line)
    args = request.get("args", {})
    try:
        if "paginate" in request:
            pages = c.get_paginator(request["paginate"]).paginate(
                PaginationConfig={"PageSize": request["pageSize"]}, **args)
            out = {"ok": [strip(page) for page in pages]}
        else:
            out = {"ok": strip(getattr(c, request["call"])(**args))}
    except ClientError as e:
        out = {"error": {"code": e.response["Error"]["Code"],
                         "message": e.response["Error"]["Message"],
                         "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}}
    except Exception as e:
        out = {"crash": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out, default=encode), flush=True)
"#;

/// A service error as boto3 reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `ResourceNotFoundException`, …
    pub code: String,
    /// The error's message.
    pub message: String,
    /// HTTP status.
    pub status: u16,
}

/// A boto3 client in a Python process, one call at a time.
pub struct Boto3 {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Boto3 {
    /// A boto3 `personalize` client for the mock at `url`.
    pub fn start(url: &str) -> Boto3 {
        let mut command = Command::new(python());
        command
            .args(["-c", BOTO3_COPROCESS, url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = isolate(&mut command).spawn().unwrap();
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Boto3 {
            child,
            stdin,
            stdout,
        }
    }

    fn ask(&mut self, request: &Value) -> Result<Value, ApiError> {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{request}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert!(!line.is_empty(), "boto3 exited on {request}");
        let mut answer: Value = serde_json::from_str(&line).unwrap();
        if let Some(crash) = answer.get("crash") {
            panic!("boto3 raised on {request}: {crash}");
        }
        if let Some(ok) = answer.get_mut("ok") {
            return Ok(ok.take());
        }
        let e = &answer["error"];
        Err(ApiError {
            code: e["code"].as_str().unwrap().to_owned(),
            message: e["message"].as_str().unwrap().to_owned(),
            status: e["status"].as_u64().unwrap() as u16,
        })
    }

    /// `client.<method>(**args)`: the parsed reply or the service error.
    pub fn call(&mut self, method: &str, args: Value) -> Result<Value, ApiError> {
        self.ask(&json!({"call": method, "args": args}))
    }

    /// A call that must succeed.
    pub fn ok(&mut self, method: &str, args: Value) -> Value {
        let described = args.to_string();
        self.call(method, args)
            .unwrap_or_else(|e| panic!("{method}({described}): {e:?}"))
    }

    /// A call that must fail with the service error `code` (HTTP 400): its message.
    pub fn fails(&mut self, method: &str, args: Value, code: &str) -> String {
        let described = args.to_string();
        match self.call(method, args) {
            Ok(reply) => panic!("{method}({described}) succeeded, expected {code}: {reply}"),
            Err(e) => {
                assert_eq!(
                    (e.code.as_str(), e.status),
                    (code, 400),
                    "{method}({described}): {}",
                    e.message
                );
                e.message
            }
        }
    }

    /// Every page of `client.get_paginator(<method>).paginate(**args)` in pages of `size`.
    pub fn paginate(&mut self, method: &str, args: Value, size: u32) -> Vec<Value> {
        let request = json!({"paginate": method, "args": args, "pageSize": size});
        match self.ask(&request) {
            Ok(Value::Array(pages)) => pages,
            other => panic!("paginate {method}: {other:?}"),
        }
    }
}

impl Drop for Boto3 {
    fn drop(&mut self) {
        // End of input ends the loop; the process exits by itself.
        self.stdin.take();
        let _ = self.child.wait();
    }
}
