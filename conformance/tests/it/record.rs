//! The recording proxy: real client traffic (personalize-client's paginator, error cases, and
//! the AWS SDK for Rust) recorded against the built-in mock must give fixtures without secrets
//! that replay green against a fresh mock.

use std::path::PathBuf;

use aws_sdk_personalize::config::{BehaviorVersion, Credentials, Region};
use personalize_conformance::record::Recorder;
use personalize_conformance::sign::Signer;
use personalize_conformance::target::{run_on_builtin_mock, seed_file};
use personalize_conformance::{discover, Outcome};
use personalize_mock::MockServer;
use serde_json::json;

fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("conformance-{tag}-{}-{nanos}", std::process::id()))
}

fn jobs() -> Vec<serde_json::Value> {
    (1..=5)
        .map(|n| {
            json!({
                "batchSegmentJobArn": format!("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/rec-{n}"),
                "jobName": format!("rec-{n}"),
                "status": "ACTIVE",
                "creationDateTime": 1700000000.0 + f64::from(n) + 0.25,
                "lastUpdatedDateTime": 1700000100 + n,
                "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/movies/7c1b2a3d",
            })
        })
        .collect()
}

#[tokio::test]
async fn recorded_client_traffic_replays_green() {
    let seed = personalize_conformance::fixture::Seed(
        [("batchSegmentJobs".to_owned(), jobs())]
            .into_iter()
            .collect(),
    );
    let upstream = MockServer::builder()
        .seed(&seed_file(&seed))
        .start()
        .await
        .unwrap();
    let out = temp_dir("record");
    let recorder = Recorder::start(
        &upstream.url(),
        "127.0.0.1:0".parse().unwrap(),
        &out,
        Signer::new(
            "AKIDPROXY",
            "proxy-secret",
            Some("proxy-session-token".into()),
            "us-east-1",
        ),
    )
    .await
    .unwrap();

    // personalize-client: a paginated listing (3 pages of 2, 2, 1), a bogus token, maxResults 101.
    let client = personalize_conformance::client_replay::client_for(&recorder.url()).unwrap();
    let pages = client
        .list_batch_segment_jobs()
        .into_paginator()
        .page_size(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let bogus = client
        .list_batch_segment_jobs()
        .next_token("bogus")
        .send()
        .await;
    assert_eq!(bogus.unwrap_err().code(), Some("InvalidNextTokenException"));
    let too_many = client
        .list_batch_segment_jobs()
        .max_results(101)
        .send()
        .await;
    assert_eq!(too_many.unwrap_err().code(), Some("InvalidInputException"));

    // The AWS SDK for Rust, with a session token that must not reach the fixture.
    let sdk = aws_sdk_personalize::Client::from_conf(
        aws_sdk_personalize::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(recorder.url())
            .credentials_provider(Credentials::new(
                "AKIDCLIENT",
                "client-secret",
                Some("client-session-token".into()),
                None,
                "test",
            ))
            .build(),
    );
    let listed = sdk
        .list_batch_segment_jobs()
        .solution_version_arn("arn:aws:personalize:us-east-1:123456789012:solution/movies/7c1b2a3d")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.batch_segment_jobs().len(), 5);

    assert!(recorder.errors().is_empty(), "{:?}", recorder.errors());
    recorder.shutdown().await;
    upstream.shutdown().await;

    let fixtures = discover(&out).unwrap();
    let steps: Vec<usize> = fixtures.iter().map(|f| f.steps.len()).collect();
    assert_eq!(
        steps,
        vec![3, 1, 1, 1],
        "the listing is one fixture of 3 steps, then one per exchange"
    );
    for entry in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for secret in [
            "authorization",
            "x-amz-security-token",
            "client-session-token",
            "client-secret",
            "Signature=",
        ] {
            assert!(
                !text.contains(secret),
                "a recorded fixture contains {secret}:\n{text}"
            );
        }
    }
    for fixture in &fixtures {
        let (outcome, _) = run_on_builtin_mock(fixture).await;
        assert_eq!(
            outcome,
            Outcome::Pass,
            "{}: {}",
            fixture.name,
            outcome.detail()
        );
    }
    std::fs::remove_dir_all(&out).unwrap();
}
