//! The whole surface as an oracle: every `AmazonPersonalize.*` target answers an empty body
//! with its own validation error or result, and the AWS SDK for Rust calls every one of the
//! 71 operations against the mock, in the natural order of a workflow, with every response
//! parsed into the SDK's types.
//!
//! Which operations the SDK called is read off the wire (the `x-amz-target` of each request,
//! recorded by an interceptor), not from a list kept by hand, and compared with the model's
//! `OPERATIONS`: an operation added to the model and not called here fails the test.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_personalize::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_personalize::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_personalize::error::BoxError;
use aws_sdk_personalize::types::{
    BatchInferenceJobInput, BatchInferenceJobOutput, BatchSegmentJobInput, BatchSegmentJobOutput,
    CampaignConfig, DataSource, DatasetExportJobOutput, Domain, MetricAttribute,
    MetricAttributionOutput, RecommenderConfig, S3DataConfig, SolutionUpdateConfig, Tag,
    TrainingMode,
};
use aws_sdk_personalize::Client;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use personalize_mock::{Clock, ManualClock, MockServer, MockService, Schedule, Schedules};
use personalize_model::service::{OPERATIONS, OPERATION_METAS};
use personalize_model::DateTime;
use serde_json::Value;

/// The `x-amz-target` operation names of the requests a client sent.
#[derive(Clone, Debug, Default)]
struct Targets(Arc<Mutex<BTreeSet<String>>>);

impl Targets {
    fn names(&self) -> BTreeSet<String> {
        self.0.lock().unwrap().clone()
    }
}

impl Intercept for Targets {
    fn name(&self) -> &'static str {
        "Targets"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let target = context
            .request()
            .headers()
            .get("x-amz-target")
            .ok_or("request without x-amz-target")?;
        let name = target
            .strip_prefix("AmazonPersonalize.")
            .ok_or_else(|| format!("target {target} outside AmazonPersonalize"))?;
        self.0.lock().unwrap().insert(name.to_owned());
        Ok(())
    }
}

fn client(url: &str, targets: &Targets) -> Client {
    let config = crate::common::sdk_config(url)
        .interceptor(targets.clone())
        .build();
    Client::from_conf(config)
}

/// `.send().await` that must succeed: the response parsed into the SDK's output type.
macro_rules! ok {
    ($call:expr) => {
        $call
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: {:?}", stringify!($call), e.into_service_error()))
    };
}

/// `.send().await` that must fail with the modeled error `is_*` names.
macro_rules! fails {
    ($call:expr, $is:ident) => {{
        let err = $call
            .send()
            .await
            .expect_err(stringify!($call))
            .into_service_error();
        assert!(err.$is(), "{}: {err:?}", stringify!($call));
        err
    }};
}

const ROLE: &str = "arn:aws:iam::123456789012:role/personalize";
const RECIPE: &str = "arn:aws:personalize:::recipe/aws-user-personalization";
const INTERACTIONS_SCHEMA: &str = r#"{"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema","fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"}"#;
const INTERACTIONS_SCHEMA_V2: &str = r#"{"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema","fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},{"name":"EVENT_TYPE","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"}"#;

fn s3(path: &str) -> S3DataConfig {
    S3DataConfig::builder().path(path).build().unwrap()
}

/// Every operation through the SDK, each with input that makes it succeed (one on purpose
/// with a modeled error as well), statuses stepped with a manual clock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdk_calls_every_operation_and_every_response_parses() {
    let clock = ManualClock::new(DateTime::from_secs(1_700_000_000));
    let server = MockServer::builder()
        .schedules(Schedules::all(Schedule::new(
            Duration::from_secs(1),
            Duration::from_secs(1),
        )))
        .clock(Clock::Manual(clock.clone()))
        .start()
        .await
        .unwrap();
    let targets = Targets::default();
    let c = client(&server.url(), &targets);
    // Past both transient steps of anything created or changed before.
    let settle = || clock.advance(Duration::from_secs(2));

    // The AWS-owned catalogue.
    let recipes = ok!(c.list_recipes().max_results(100));
    assert!(recipes
        .recipes()
        .iter()
        .any(|r| r.recipe_arn() == Some(RECIPE)));
    let recipe = ok!(c.describe_recipe().recipe_arn(RECIPE));
    let recipe = recipe.recipe().unwrap();
    let algorithm_arn = recipe.algorithm_arn().unwrap();
    let algorithm = ok!(c.describe_algorithm().algorithm_arn(algorithm_arn));
    assert_eq!(
        algorithm.algorithm().unwrap().algorithm_arn(),
        Some(algorithm_arn)
    );
    let transformation = "arn:aws:personalize:::feature-transformation/sims";
    let ft = ok!(c
        .describe_feature_transformation()
        .feature_transformation_arn(transformation));
    assert_eq!(
        ft.feature_transformation()
            .unwrap()
            .feature_transformation_arn(),
        Some(transformation)
    );

    // Schemas and the dataset group.
    let schema_arn = ok!(c
        .create_schema()
        .name("sdk-interactions")
        .schema(INTERACTIONS_SCHEMA))
    .schema_arn()
    .unwrap()
    .to_owned();
    let schema_v2_arn = ok!(c
        .create_schema()
        .name("sdk-interactions-v2")
        .schema(INTERACTIONS_SCHEMA_V2))
    .schema_arn()
    .unwrap()
    .to_owned();
    let schema = ok!(c.describe_schema().schema_arn(&schema_arn));
    assert_eq!(schema.schema().unwrap().schema(), Some(INTERACTIONS_SCHEMA));
    assert_eq!(ok!(c.list_schemas()).schemas().len(), 2);

    let dg_arn = ok!(c.create_dataset_group().name("sdk-dg").tags(
        Tag::builder()
            .tag_key("team")
            .tag_value("recs")
            .build()
            .unwrap()
    ))
    .dataset_group_arn()
    .unwrap()
    .to_owned();
    assert_eq!(
        dg_arn,
        "arn:aws:personalize:us-east-1:123456789012:dataset-group/sdk-dg"
    );
    let status = |s: Option<&str>| s.map(str::to_owned);
    let dg = ok!(c.describe_dataset_group().dataset_group_arn(&dg_arn));
    assert_eq!(
        status(dg.dataset_group().unwrap().status()),
        Some("CREATE PENDING".into())
    );
    settle();
    let dg = ok!(c.describe_dataset_group().dataset_group_arn(&dg_arn));
    assert_eq!(
        status(dg.dataset_group().unwrap().status()),
        Some("ACTIVE".into())
    );
    let groups = ok!(c.list_dataset_groups());
    assert_eq!(groups.dataset_groups().len(), 1);

    // Dataset, import and export.
    let dataset_arn = ok!(c
        .create_dataset()
        .name("sdk-interactions")
        .schema_arn(&schema_arn)
        .dataset_group_arn(&dg_arn)
        .dataset_type("Interactions"))
    .dataset_arn()
    .unwrap()
    .to_owned();
    ok!(c.describe_dataset().dataset_arn(&dataset_arn));
    assert_eq!(
        ok!(c.list_datasets().dataset_group_arn(&dg_arn))
            .datasets()
            .len(),
        1
    );
    settle();
    ok!(c
        .update_dataset()
        .dataset_arn(&dataset_arn)
        .schema_arn(&schema_v2_arn));
    settle();
    let dataset = ok!(c.describe_dataset().dataset_arn(&dataset_arn));
    assert_eq!(
        dataset.dataset().unwrap().schema_arn(),
        Some(schema_v2_arn.as_str())
    );

    let import_arn = ok!(c
        .create_dataset_import_job()
        .job_name("sdk-import")
        .dataset_arn(&dataset_arn)
        .data_source(
            DataSource::builder()
                .data_location("s3://bucket/interactions.csv")
                .build()
        )
        .role_arn(ROLE))
    .dataset_import_job_arn()
    .unwrap()
    .to_owned();
    ok!(c
        .describe_dataset_import_job()
        .dataset_import_job_arn(&import_arn));
    assert_eq!(
        ok!(c.list_dataset_import_jobs().dataset_arn(&dataset_arn))
            .dataset_import_jobs()
            .len(),
        1
    );
    let export_arn = ok!(c
        .create_dataset_export_job()
        .job_name("sdk-export")
        .dataset_arn(&dataset_arn)
        .role_arn(ROLE)
        .job_output(
            DatasetExportJobOutput::builder()
                .s3_data_destination(s3("s3://bucket/export/"))
                .build()
        ))
    .dataset_export_job_arn()
    .unwrap()
    .to_owned();
    ok!(c
        .describe_dataset_export_job()
        .dataset_export_job_arn(&export_arn));
    assert_eq!(
        ok!(c.list_dataset_export_jobs().dataset_arn(&dataset_arn))
            .dataset_export_jobs()
            .len(),
        1
    );
    settle();

    // Event tracker, filter, metric attribution.
    let tracker_arn = ok!(c
        .create_event_tracker()
        .name("sdk-tracker")
        .dataset_group_arn(&dg_arn))
    .event_tracker_arn()
    .unwrap()
    .to_owned();
    let tracker = ok!(c.describe_event_tracker().event_tracker_arn(&tracker_arn));
    assert!(tracker.event_tracker().unwrap().tracking_id().is_some());
    ok!(c.list_event_trackers().dataset_group_arn(&dg_arn));
    let filter_arn = ok!(c
        .create_filter()
        .name("sdk-filter")
        .dataset_group_arn(&dg_arn)
        .filter_expression("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"click\")"))
    .filter_arn()
    .unwrap()
    .to_owned();
    ok!(c.describe_filter().filter_arn(&filter_arn));
    ok!(c.list_filters().dataset_group_arn(&dg_arn));
    let metric = |name: &str| {
        MetricAttribute::builder()
            .event_type("click")
            .metric_name(name)
            .expression("SUM(Interactions.EVENT_VALUE)")
            .build()
            .unwrap()
    };
    let attribution_arn = ok!(c
        .create_metric_attribution()
        .name("sdk-attribution")
        .dataset_group_arn(&dg_arn)
        .metrics(metric("clicks"))
        .metrics_output_config(
            MetricAttributionOutput::builder()
                .role_arn(ROLE)
                .s3_data_destination(s3("s3://bucket/metrics/"))
                .build()
                .unwrap()
        ))
    .metric_attribution_arn()
    .unwrap()
    .to_owned();
    ok!(c
        .describe_metric_attribution()
        .metric_attribution_arn(&attribution_arn));
    ok!(c.list_metric_attributions().dataset_group_arn(&dg_arn));
    settle();
    ok!(c
        .update_metric_attribution()
        .metric_attribution_arn(&attribution_arn)
        .add_metrics(metric("views")));
    let metrics = ok!(c
        .list_metric_attribution_metrics()
        .metric_attribution_arn(&attribution_arn));
    let names: Vec<_> = metrics.metrics().iter().map(|m| m.metric_name()).collect();
    assert_eq!(names, ["clicks", "views"]);
    settle();

    // Solution, versions, metrics.
    let solution_arn = ok!(c
        .create_solution()
        .name("sdk-solution")
        .dataset_group_arn(&dg_arn)
        .recipe_arn(RECIPE))
    .solution_arn()
    .unwrap()
    .to_owned();
    ok!(c.describe_solution().solution_arn(&solution_arn));
    ok!(c.list_solutions().dataset_group_arn(&dg_arn));
    settle();
    ok!(c
        .update_solution()
        .solution_arn(&solution_arn)
        .perform_auto_training(true)
        .solution_update_config(SolutionUpdateConfig::builder().build()));
    settle();
    let version_arn = ok!(c
        .create_solution_version()
        .solution_arn(&solution_arn)
        .training_mode(TrainingMode::Full))
    .solution_version_arn()
    .unwrap()
    .to_owned();
    assert!(version_arn.starts_with(&format!("{solution_arn}/")));
    // Metrics exist once the version is ACTIVE: a modeled error before.
    fails!(
        c.get_solution_metrics().solution_version_arn(&version_arn),
        is_resource_in_use_exception
    );
    settle();
    let version = ok!(c
        .describe_solution_version()
        .solution_version_arn(&version_arn));
    assert_eq!(
        status(version.solution_version().unwrap().status()),
        Some("ACTIVE".into())
    );
    let metrics = ok!(c.get_solution_metrics().solution_version_arn(&version_arn));
    assert!(!metrics.metrics().unwrap().is_empty());
    let stopped_arn = ok!(c.create_solution_version().solution_arn(&solution_arn))
        .solution_version_arn()
        .unwrap()
        .to_owned();
    ok!(c
        .stop_solution_version_creation()
        .solution_version_arn(&stopped_arn));
    settle();
    let stopped = ok!(c
        .describe_solution_version()
        .solution_version_arn(&stopped_arn));
    assert_eq!(
        status(stopped.solution_version().unwrap().status()),
        Some("CREATE STOPPED".into())
    );
    let versions = ok!(c.list_solution_versions().solution_arn(&solution_arn));
    assert_eq!(versions.solution_versions().len(), 2);

    // Campaign.
    let campaign_arn = ok!(c
        .create_campaign()
        .name("sdk-campaign")
        .solution_version_arn(&version_arn)
        .min_provisioned_tps(1))
    .campaign_arn()
    .unwrap()
    .to_owned();
    ok!(c.describe_campaign().campaign_arn(&campaign_arn));
    let campaigns = ok!(c.list_campaigns().solution_arn(&solution_arn));
    assert_eq!(campaigns.campaigns().len(), 1);
    settle();
    ok!(c
        .update_campaign()
        .campaign_arn(&campaign_arn)
        .min_provisioned_tps(2)
        .campaign_config(CampaignConfig::builder().build()));
    settle();
    let campaign = ok!(c.describe_campaign().campaign_arn(&campaign_arn));
    assert_eq!(campaign.campaign().unwrap().min_provisioned_tps(), Some(2));

    // Batch jobs.
    let inference_arn = ok!(c
        .create_batch_inference_job()
        .job_name("sdk-inference")
        .solution_version_arn(&version_arn)
        .role_arn(ROLE)
        .job_input(
            BatchInferenceJobInput::builder()
                .s3_data_source(s3("s3://bucket/in.json"))
                .build()
        )
        .job_output(
            BatchInferenceJobOutput::builder()
                .s3_data_destination(s3("s3://bucket/out/"))
                .build()
        ))
    .batch_inference_job_arn()
    .unwrap()
    .to_owned();
    ok!(c
        .describe_batch_inference_job()
        .batch_inference_job_arn(&inference_arn));
    ok!(c
        .list_batch_inference_jobs()
        .solution_version_arn(&version_arn));
    let segment_arn = ok!(c
        .create_batch_segment_job()
        .job_name("sdk-segment")
        .solution_version_arn(&version_arn)
        .role_arn(ROLE)
        .job_input(
            BatchSegmentJobInput::builder()
                .s3_data_source(s3("s3://bucket/in.json"))
                .build()
        )
        .job_output(
            BatchSegmentJobOutput::builder()
                .s3_data_destination(s3("s3://bucket/out/"))
                .build()
        ))
    .batch_segment_job_arn()
    .unwrap()
    .to_owned();
    ok!(c
        .describe_batch_segment_job()
        .batch_segment_job_arn(&segment_arn));
    ok!(c
        .list_batch_segment_jobs()
        .solution_version_arn(&version_arn));

    // Recommender in a domain dataset group: update, stop, start.
    let domain_dg = ok!(c
        .create_dataset_group()
        .name("sdk-ecommerce")
        .domain(Domain::Ecommerce))
    .dataset_group_arn()
    .unwrap()
    .to_owned();
    settle();
    let recommender_arn = ok!(c
        .create_recommender()
        .name("sdk-recommender")
        .dataset_group_arn(&domain_dg)
        .recipe_arn("arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you"))
    .recommender_arn()
    .unwrap()
    .to_owned();
    ok!(c.describe_recommender().recommender_arn(&recommender_arn));
    ok!(c.list_recommenders().dataset_group_arn(&domain_dg));
    settle();
    ok!(c
        .update_recommender()
        .recommender_arn(&recommender_arn)
        .recommender_config(
            RecommenderConfig::builder()
                .min_recommendation_requests_per_second(2)
                .build()
        ));
    settle();
    ok!(c.stop_recommender().recommender_arn(&recommender_arn));
    settle();
    let stopped = ok!(c.describe_recommender().recommender_arn(&recommender_arn));
    assert_eq!(
        status(stopped.recommender().unwrap().status()),
        Some("INACTIVE".into())
    );
    ok!(c.start_recommender().recommender_arn(&recommender_arn));
    settle();
    let started = ok!(c.describe_recommender().recommender_arn(&recommender_arn));
    assert_eq!(
        status(started.recommender().unwrap().status()),
        Some("ACTIVE".into())
    );

    // Data deletion job.
    let deletion_arn = ok!(c
        .create_data_deletion_job()
        .job_name("sdk-deletion")
        .dataset_group_arn(&dg_arn)
        .role_arn(ROLE)
        .data_source(
            DataSource::builder()
                .data_location("s3://bucket/users.csv")
                .build()
        ))
    .data_deletion_job_arn()
    .unwrap()
    .to_owned();
    ok!(c
        .describe_data_deletion_job()
        .data_deletion_job_arn(&deletion_arn));
    ok!(c.list_data_deletion_jobs().dataset_group_arn(&dg_arn));
    settle();

    // Tags.
    ok!(c
        .tag_resource()
        .resource_arn(&campaign_arn)
        .tags(
            Tag::builder()
                .tag_key("env")
                .tag_value("test")
                .build()
                .unwrap()
        )
        .tags(
            Tag::builder()
                .tag_key("owner")
                .tag_value("sdk")
                .build()
                .unwrap()
        ));
    ok!(c
        .untag_resource()
        .resource_arn(&campaign_arn)
        .tag_keys("owner"));
    let tags = ok!(c.list_tags_for_resource().resource_arn(&campaign_arn));
    let tags: Vec<_> = tags
        .tags()
        .iter()
        .map(|t| (t.tag_key(), t.tag_value()))
        .collect();
    assert_eq!(tags, [("env", "test")]);

    // Deletes, children first.
    ok!(c.delete_campaign().campaign_arn(&campaign_arn));
    ok!(c.delete_recommender().recommender_arn(&recommender_arn));
    ok!(c.delete_filter().filter_arn(&filter_arn));
    ok!(c.delete_event_tracker().event_tracker_arn(&tracker_arn));
    ok!(c
        .delete_metric_attribution()
        .metric_attribution_arn(&attribution_arn));
    settle();
    ok!(c.delete_solution().solution_arn(&solution_arn));
    ok!(c.delete_dataset().dataset_arn(&dataset_arn));
    settle();
    ok!(c.delete_dataset_group().dataset_group_arn(&dg_arn));
    ok!(c.delete_dataset_group().dataset_group_arn(&domain_dg));
    settle();
    ok!(c.delete_schema().schema_arn(&schema_arn));
    ok!(c.delete_schema().schema_arn(&schema_v2_arn));
    assert!(ok!(c.list_dataset_groups()).dataset_groups().is_empty());
    assert!(ok!(c.list_schemas()).schemas().is_empty());

    let expected: BTreeSet<String> = OPERATIONS.iter().map(|s| (*s).to_owned()).collect();
    let called = targets.names();
    assert_eq!(
        called.difference(&expected).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "called targets outside the model"
    );
    assert_eq!(
        expected.difference(&called).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "operations of the model the SDK did not call"
    );
    assert_eq!(called.len(), 71);
}

fn post(service: &MockService, target: &str, body: &'static str) -> (u16, Value) {
    let mut headers = HeaderMap::new();
    headers.insert("x-amz-target", HeaderValue::from_str(target).unwrap());
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    let response = service.handle_parts(
        Method::POST,
        "/",
        headers,
        Bytes::from_static(body.as_bytes()),
    );
    let status = response.status().as_u16();
    let body = serde_json::from_slice(response.body()).unwrap_or_else(|e| {
        panic!(
            "{target}: body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(response.body())
        )
    });
    (status, body)
}

/// Every target is served: with an empty body (no bytes, or `{}`), an operation with
/// required members answers `InvalidInputException` naming one of them; one without answers
/// its result or one of its own modeled errors. Never `UnknownOperationException`, never a
/// server fault.
#[test]
fn every_target_answers_an_empty_body_itself() {
    let service = MockService::new();
    assert_eq!(OPERATION_METAS.len(), 71);
    let mut outcomes = Vec::new();
    for op in OPERATION_METAS {
        let target = format!("AmazonPersonalize.{}", op.name);
        assert_eq!(op.target, target);
        let required: Vec<&str> = op
            .input
            .members
            .iter()
            .filter(|m| m.required)
            .map(|m| m.name)
            .collect();
        for body in ["", "{}"] {
            let (status, reply) = post(&service, &target, body);
            let code = reply["__type"].as_str().unwrap_or_default();
            let message = reply["message"]
                .as_str()
                .or_else(|| reply["Message"].as_str())
                .unwrap_or_default();
            assert_ne!(code, "UnknownOperationException", "{target}: {reply}");
            assert!(status < 500, "{target} {body:?}: {status} {reply}");
            if required.is_empty() {
                if status == 200 {
                    assert!(reply.is_object() && reply.get("__type").is_none());
                    // A List's first page: its items member, an array.
                    if let Some(items) = op.pagination.and_then(|p| p.items) {
                        assert!(reply[items].is_array(), "{target}: no {items}: {reply}");
                    }
                } else {
                    assert!(
                        op.errors.iter().any(|e| e.code == code),
                        "{target}: {code} is not one of its errors: {reply}"
                    );
                }
            } else {
                assert_eq!(
                    (status, code),
                    (400, "InvalidInputException"),
                    "{target} {body:?}: {reply}"
                );
                assert!(
                    required.iter().any(|m| message.contains(&format!("'{m}'"))),
                    "{target}: message names none of {required:?}: {message}"
                );
            }
            outcomes.push((op.name, status));
        }
    }
    // The check can fail: a target outside the model is refused.
    let (status, reply) = post(&service, "AmazonPersonalize.CreateUnicorn", "{}");
    assert_eq!(status, 400);
    assert_eq!(reply["__type"], "UnknownOperationException", "{reply}");
    assert_eq!(outcomes.len(), 142);
    // Lists answer their (empty) result, so some empty bodies do succeed.
    assert!(outcomes
        .iter()
        .any(|(op, status)| *op == "ListDatasetGroups" && *status == 200));
}
