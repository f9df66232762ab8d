//! Running against a URL: cases that need jobs are seeded through CreateBatchSegmentJob and
//! awaited with DescribeBatchSegmentJob (against one shared built-in mock, twice, as a target
//! that outlives a run would be), cases needing values a create cannot set are counted apart,
//! and the fixture format's patterns and alternative statuses judge as documented.

use std::path::PathBuf;
use std::time::Duration;

use personalize_conformance::fixture::{discover, Fixture};
use personalize_conformance::report::Outcome;
use personalize_conformance::target::{
    case_tag, plan_for_shared_target, run_url, run_url_with, UrlOptions, LISTS_EVERY_JOB,
};
use personalize_mock::{MockServer, Schedule, Schedules};
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn fixture(path: &str) -> Fixture {
    Fixture::load(&fixtures_dir().join(path), path.trim_end_matches(".json")).unwrap()
}

fn options(tag: &str, timeout: Duration) -> UrlOptions {
    UrlOptions {
        signer: None,
        seed_timeout: timeout,
        run_tag: tag.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_cases_run_against_a_shared_target_and_again_on_a_second_run() {
    let fixtures = discover(&fixtures_dir()).unwrap();
    let server = MockServer::builder().start().await.unwrap();
    for tag in ["runa", "runb"] {
        let suite = run_url_with(
            &server.url(),
            &fixtures,
            &options(tag, Duration::from_secs(10)),
        )
        .await
        .unwrap();
        for (case, fixture) in suite.cases.iter().zip(&fixtures) {
            match plan_for_shared_target(fixture, tag) {
                Err(not_run) => assert_eq!(case.outcome, not_run, "{}", case.name),
                Ok(_) => assert_eq!(
                    case.outcome,
                    Outcome::Pass,
                    "{} (run {tag}): {}",
                    case.name,
                    case.outcome.detail()
                ),
            }
        }
        let t = suite.totals();
        assert_eq!(t.fail, 0);
        assert!(t.not_seedable > 0 && t.not_seedable <= t.not_run, "{t:?}");
        for seeded in [
            "describe-batch-segment-job/active-job-is-described-in-full",
            "store/active-jobs-of-one-solution-version-are-listed",
        ] {
            let case = suite.cases.iter().find(|c| c.name == seeded).unwrap();
            assert_eq!(case.outcome, Outcome::Pass, "{seeded}");
        }
    }
    // The seeds went in through the API, under names unique to each run.
    let service = server.service();
    let index = fixtures
        .iter()
        .position(|f| f.name == "describe-batch-segment-job/active-job-is-described-in-full")
        .unwrap();
    for tag in ["runa", "runb"] {
        let arn = format!(
            "arn:aws:personalize:us-east-1:123456789012:batch-segment-job/seeded-active-{}",
            case_tag(tag, index)
        );
        let job = service
            .resource(&arn)
            .expect("the seed job made through the API");
        assert_eq!(job["status"], "ACTIVE");
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeding_waits_for_active_and_gives_up_at_its_bound() {
    let f = fixture("describe-batch-segment-job/active-job-is-described-in-full.json");
    let server = MockServer::builder().start().await.unwrap();
    server.service().set_schedules(Schedules::all(Schedule::new(
        Duration::from_millis(200),
        Duration::from_millis(200),
    )));
    let suite = run_url_with(
        &server.url(),
        std::slice::from_ref(&f),
        &options("slow", Duration::from_secs(10)),
    )
    .await
    .unwrap();
    assert_eq!(
        suite.cases[0].outcome,
        Outcome::Pass,
        "{}",
        suite.cases[0].outcome.detail()
    );

    server.service().set_schedules(Schedules::all(Schedule::new(
        Duration::from_secs(60),
        Duration::ZERO,
    )));
    let suite = run_url_with(
        &server.url(),
        std::slice::from_ref(&f),
        &options("stuck", Duration::from_millis(300)),
    )
    .await
    .unwrap();
    assert_eq!(
        suite.cases[0].outcome,
        Outcome::NotRun {
            reason: "could not seed: seeding conformance-jobs: not ACTIVE within 300ms (last status CREATE PENDING)"
                .into()
        }
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_target_without_create_makes_seeded_cases_not_implemented() {
    let f = fixture("store/active-jobs-of-one-solution-version-are-listed.json");
    let server = wiremock::MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_raw(
            "<!doctype html><title>500 Internal Server Error</title>",
            "text/html; charset=utf-8",
        ))
        .mount(&server)
        .await;
    let suite = run_url(&server.uri(), &[f], None).await.unwrap();
    let Outcome::NotImplemented { reason } = &suite.cases[0].outcome else {
        panic!("{:?}", suite.cases[0].outcome);
    };
    assert!(
        reason.starts_with("seeding conformance-jobs needs CreateDatasetGroup: HTTP 500"),
        "{reason}"
    );
}

#[test]
fn exact_values_a_create_cannot_set_are_named() {
    let f =
        fixture("describe-batch-segment-job/stored-job-comes-back-exact-to-the-millisecond.json");
    let Err(Outcome::NotSeedable { reason }) = plan_for_shared_target(&f, "t") else {
        panic!("expected not seedable");
    };
    assert_eq!(
        reason,
        "needs exact creationDateTime, exact lastUpdatedDateTime, status CREATE FAILED, a \
         failureReason of seeded-exact; CreateBatchSegmentJob cannot set them"
    );
    let unfiltered = fixture("recorded/boto3-empty-input-lists-every-job.json");
    let mut unfiltered_seedable = unfiltered.clone();
    for job in unfiltered_seedable
        .seed
        .as_mut()
        .unwrap()
        .0
        .get_mut("batchSegmentJobs")
        .unwrap()
    {
        let job = job.as_object_mut().unwrap();
        for member in ["creationDateTime", "lastUpdatedDateTime", "failureReason"] {
            job.remove(member);
        }
        job.insert("status".into(), "ACTIVE".into());
    }
    assert_eq!(
        plan_for_shared_target(&unfiltered_seedable, "t"),
        Err(Outcome::NotRun {
            reason: LISTS_EVERY_JOB.into()
        })
    );
}

#[test]
fn names_and_listed_solution_versions_are_made_unique_to_the_run() {
    let f = fixture("store/created-job-is-listed.json");
    let renames = plan_for_shared_target(&f, "x1").unwrap();
    assert_eq!(
        renames.get("conformance-create-then-list"),
        "conformance-create-then-list-x1"
    );
    // The listed solution version is seeded: its name is made unique, its ARN is the one
    // the target assigns when it is created.
    assert_eq!(renames.get("create-then-list"), "create-then-list-x1");
    let arn = "arn:aws:personalize:us-east-1:123456789012:solution/create-then-list/0a1b2c3d";
    assert_eq!(renames.get(arn), arn);
    let long = fixture("create-batch-segment-job/63-char-job-name-is-created.json");
    let renames = plan_for_shared_target(&long, "x1").unwrap();
    let name = "n".repeat(63);
    assert_eq!(renames.get(&name).len(), 63);
    assert!(renames.get(&name).ends_with("-x1"));
    let invalid = fixture("create-batch-segment-job/64-char-job-name-is-invalid-input.json");
    assert!(plan_for_shared_target(&invalid, "x1").unwrap().is_empty());
}

async fn answering(status: u16, body: &str) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("x-amzn-RequestId", "r")
                .set_body_raw(body.to_owned(), "application/x-amz-json-1.1"),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn patterns_judge_a_message_and_other_statuses_are_accepted() {
    let empty_name = fixture("create-batch-segment-job/empty-job-name-is-invalid-input.json");
    let reversed = r#"{"__type":"InvalidInputException","message":"2 validation errors detected: Value '' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$; Value '' at 'jobName' failed to satisfy constraint: Member must have length greater than or equal to 1"}"#;
    let server = answering(400, reversed).await;
    let suite = run_url(&server.uri(), std::slice::from_ref(&empty_name), None)
        .await
        .unwrap();
    assert_eq!(suite.cases[0].outcome, Outcome::Pass);

    let wrong = r#"{"__type":"InvalidInputException","message":"1 validation error detected: Value '' at 'jobName' failed to satisfy constraint: Member must have length greater than or equal to 1"}"#;
    let server = answering(400, wrong).await;
    let suite = run_url(&server.uri(), &[empty_name], None).await.unwrap();
    let Outcome::Fail { diff } = &suite.cases[0].outcome else {
        panic!("{:?}", suite.cases[0].outcome);
    };
    assert!(
        diff.contains("+  \"message\": \"1 validation error detected"),
        "{diff}"
    );

    let unknown = fixture("describe-batch-segment-job/unknown-arn-is-resource-not-found.json");
    let not_found = r#"{"__type":"ResourceNotFoundException","message":"no such job"}"#;
    for (status, passes) in [(400, true), (404, true), (409, false)] {
        let server = answering(status, not_found).await;
        let suite = run_url(&server.uri(), std::slice::from_ref(&unknown), None)
            .await
            .unwrap();
        assert_eq!(
            suite.cases[0].outcome == Outcome::Pass,
            passes,
            "status {status}: {:?}",
            suite.cases[0].outcome
        );
    }
}

#[test]
fn an_expected_value_must_match_its_own_pattern() {
    let dir = std::env::temp_dir().join(format!("h2-pattern-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    let mut f: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            fixtures_dir().join("create-batch-segment-job/required-members-only-is-created.json"),
        )
        .unwrap(),
    )
    .unwrap();
    f["patterns"]["/batchSegmentJobArn"] = "^arn:aws:s3:.*$".into();
    std::fs::write(&path, f.to_string()).unwrap();
    let err = Fixture::load(&path, "bad").unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(err.contains("does not match its own pattern"), "{err}");
}
