//! The AWS SDK for JavaScript v3 (`@aws-sdk/client-personalize`, with its paginator) against the
//! running mock.
//!
//! Node comes from `$PERSONALIZE_NODE`, else `node` on the PATH; the SDK from
//! `$PERSONALIZE_JS_CLIENTS/node_modules`, else `<workspace>/.ci/js/node_modules`, which
//! `.ci/js-env` installs from the pinned lock file. Without them this test fails and says how to get them.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::common::*;
use personalize_mock::MockServer;
use serde_json::Value;

fn node() -> PathBuf {
    std::env::var_os("PERSONALIZE_NODE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("node"))
}

/// The directory whose `node_modules` holds `@aws-sdk/client-personalize`.
fn js_clients() -> PathBuf {
    let dir = std::env::var_os("PERSONALIZE_JS_CLIENTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.ci/js"));
    let package = dir.join("node_modules/@aws-sdk/client-personalize/package.json");
    assert!(
        package.exists(),
        "no @aws-sdk/client-personalize under {} (run .ci/js-env, or set PERSONALIZE_JS_CLIENTS \
         to a directory whose node_modules has it)",
        dir.display()
    );
    dir
}

/// Runs the scenario with throwaway credentials and no user AWS configuration.
fn run(script: &str, args: &[&str]) -> Output {
    let mut command = Command::new(node());
    command
        .current_dir(js_clients())
        .arg("-e")
        .arg(script)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/personalize-mock/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/personalize-mock/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL");
    match command.output() {
        Ok(output) => output,
        Err(e) => {
            panic!("cannot run node ({e}); install Node.js or set PERSONALIZE_NODE to its path")
        }
    }
}

const JS_SCENARIO: &str = r#"
const p = require("@aws-sdk/client-personalize");
const [url, sv1, sv2] = process.argv.slice(1);
const client = new p.PersonalizeClient({ endpoint: url, region: "us-east-1", maxAttempts: 1 });

async function pageAll(input) {
  const items = [], tokens = [];
  for await (const page of p.paginateListBatchSegmentJobs({ client, pageSize: 2 }, input)) {
    tokens.push(page.nextToken ?? null);
    for (const j of page.batchSegmentJobs) {
      items.push([j.batchSegmentJobArn, j.creationDateTime.getTime()]);
    }
  }
  return { items, tokens };
}

async function error(input) {
  try {
    await client.send(new p.ListBatchSegmentJobsCommand(input));
    return null;
  } catch (e) {
    return [e.name, e.message, e.$metadata.httpStatusCode, e instanceof p.PersonalizeServiceException];
  }
}

(async () => {
  const out = { all: await pageAll({}), sv1: await pageAll({ solutionVersionArn: sv1 }) };
  out.max101 = await error({ maxResults: 101 });
  out.bad_arn = await error({ solutionVersionArn: "not-an-arn" });
  out.bogus = await error({ nextToken: "bogus" });
  const first = await client.send(new p.ListBatchSegmentJobsCommand({ solutionVersionArn: sv1, maxResults: 1 }));
  out.replay = await error({ nextToken: first.nextToken, solutionVersionArn: sv2 });
  out.typed = {
    max101: (await client.send(new p.ListBatchSegmentJobsCommand({ maxResults: 101 })).catch((e) => e)) instanceof p.InvalidInputException,
    bogus: (await client.send(new p.ListBatchSegmentJobsCommand({ nextToken: "bogus" })).catch((e) => e)) instanceof p.InvalidNextTokenException,
  };
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn js_sdk_paginates_and_gets_typed_errors() {
    let all = jobs(23);
    let server = MockServer::builder().seed(&all).start().await.unwrap();
    let url = server.url();
    let output = tokio::task::spawn_blocking(move || run(JS_SCENARIO, &[&url, SV1, SV2]))
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "JS SDK scenario failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: Value = serde_json::from_slice(&output.stdout).unwrap();
    // Timestamps compared to the millisecond: the JS SDK reads `1700000001.123` exactly.
    assert_paged_in_pairs(&out, &all);
    for (key, code) in [
        ("max101", "InvalidInputException"),
        ("bad_arn", "InvalidInputException"),
        ("bogus", "InvalidNextTokenException"),
        ("replay", "InvalidNextTokenException"),
    ] {
        assert_eq!(out[key][0], code, "{key}: {}", out[key]);
        assert_eq!(out[key][2], 400, "{key}: {}", out[key]);
        assert_eq!(out[key][3], true, "{key} is a PersonalizeServiceException");
    }
    assert_eq!(
        out["max101"][1],
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: \
         Member must have value less than or equal to 100"
    );
    assert_eq!(out["typed"]["max101"], true, "typed InvalidInputException");
    assert_eq!(
        out["typed"]["bogus"], true,
        "typed InvalidNextTokenException"
    );
}
