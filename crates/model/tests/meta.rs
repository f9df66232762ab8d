//! The generated metadata agrees with itself and with the typed operations: every
//! operation's `META` is its `service::operation` entry, every structure a member names is in
//! `schema`, and spot checks against the model.

use personalize_model::operation::*;
use personalize_model::schema::{structure, STRUCTURES};
use personalize_model::service::{operation, OPERATIONS, OPERATION_METAS};
use personalize_model::{Operation, OperationMeta, ValueKind};

/// `META` of `O` against the table, the schema and the trait's other constants.
fn check<O: Operation>() -> &'static str {
    let meta: &OperationMeta = O::META;
    let entry = operation(O::NAME).unwrap_or_else(|| panic!("{} is not in the table", O::NAME));
    assert_eq!(meta, entry, "{}: META is not the table entry", O::NAME);
    assert_eq!(meta.name, O::NAME);
    assert_eq!(meta.target, O::TARGET);
    assert_eq!(meta.idempotent, O::IDEMPOTENT);
    assert_eq!(meta.errors, O::ERRORS);
    for io in [meta.input, meta.output] {
        let found = structure(io.name).unwrap_or_else(|| panic!("{} not in the schema", io.name));
        assert_eq!(
            io,
            found,
            "{}: {} is not the schema entry",
            O::NAME,
            io.name
        );
    }
    O::NAME
}

macro_rules! check_all {
    ($($op:ty,)*) => { vec![$(check::<$op>()),*] };
}

#[test]
fn every_operation_meta_is_its_table_entry() {
    let names = check_all!(
        create_batch_inference_job::CreateBatchInferenceJob,
        create_batch_segment_job::CreateBatchSegmentJob,
        create_campaign::CreateCampaign,
        create_data_deletion_job::CreateDataDeletionJob,
        create_dataset::CreateDataset,
        create_dataset_export_job::CreateDatasetExportJob,
        create_dataset_group::CreateDatasetGroup,
        create_dataset_import_job::CreateDatasetImportJob,
        create_event_tracker::CreateEventTracker,
        create_filter::CreateFilter,
        create_metric_attribution::CreateMetricAttribution,
        create_recommender::CreateRecommender,
        create_schema::CreateSchema,
        create_solution::CreateSolution,
        create_solution_version::CreateSolutionVersion,
        delete_campaign::DeleteCampaign,
        delete_dataset::DeleteDataset,
        delete_dataset_group::DeleteDatasetGroup,
        delete_event_tracker::DeleteEventTracker,
        delete_filter::DeleteFilter,
        delete_metric_attribution::DeleteMetricAttribution,
        delete_recommender::DeleteRecommender,
        delete_schema::DeleteSchema,
        delete_solution::DeleteSolution,
        describe_algorithm::DescribeAlgorithm,
        describe_batch_inference_job::DescribeBatchInferenceJob,
        describe_batch_segment_job::DescribeBatchSegmentJob,
        describe_campaign::DescribeCampaign,
        describe_data_deletion_job::DescribeDataDeletionJob,
        describe_dataset::DescribeDataset,
        describe_dataset_export_job::DescribeDatasetExportJob,
        describe_dataset_group::DescribeDatasetGroup,
        describe_dataset_import_job::DescribeDatasetImportJob,
        describe_event_tracker::DescribeEventTracker,
        describe_feature_transformation::DescribeFeatureTransformation,
        describe_filter::DescribeFilter,
        describe_metric_attribution::DescribeMetricAttribution,
        describe_recipe::DescribeRecipe,
        describe_recommender::DescribeRecommender,
        describe_schema::DescribeSchema,
        describe_solution::DescribeSolution,
        describe_solution_version::DescribeSolutionVersion,
        get_solution_metrics::GetSolutionMetrics,
        list_batch_inference_jobs::ListBatchInferenceJobs,
        list_batch_segment_jobs::ListBatchSegmentJobs,
        list_campaigns::ListCampaigns,
        list_data_deletion_jobs::ListDataDeletionJobs,
        list_dataset_export_jobs::ListDatasetExportJobs,
        list_dataset_groups::ListDatasetGroups,
        list_dataset_import_jobs::ListDatasetImportJobs,
        list_datasets::ListDatasets,
        list_event_trackers::ListEventTrackers,
        list_filters::ListFilters,
        list_metric_attribution_metrics::ListMetricAttributionMetrics,
        list_metric_attributions::ListMetricAttributions,
        list_recipes::ListRecipes,
        list_recommenders::ListRecommenders,
        list_schemas::ListSchemas,
        list_solution_versions::ListSolutionVersions,
        list_solutions::ListSolutions,
        list_tags_for_resource::ListTagsForResource,
        start_recommender::StartRecommender,
        stop_recommender::StopRecommender,
        stop_solution_version_creation::StopSolutionVersionCreation,
        tag_resource::TagResource,
        untag_resource::UntagResource,
        update_campaign::UpdateCampaign,
        update_dataset::UpdateDataset,
        update_metric_attribution::UpdateMetricAttribution,
        update_recommender::UpdateRecommender,
        update_solution::UpdateSolution,
    );
    // The list above is written by hand: it must name every generated operation.
    assert_eq!(names, OPERATIONS);
    let table: Vec<&str> = OPERATION_METAS.iter().map(|o| o.name).collect();
    assert_eq!(table, OPERATIONS);
}

#[test]
fn lookups_find_every_entry_and_nothing_else() {
    assert!(
        STRUCTURES.windows(2).all(|w| w[0].name < w[1].name),
        "not sorted"
    );
    for s in STRUCTURES {
        assert_eq!(structure(s.name), Some(s));
    }
    for o in OPERATION_METAS {
        assert_eq!(operation(o.name), Some(o));
    }
    assert_eq!(structure("NoSuchShape"), None);
    assert_eq!(structure(""), None);
    assert_eq!(operation("ListThings"), None);
}

/// The structure names of a kind, through lists and maps.
fn structure_target(kind: &ValueKind) -> Option<&'static str> {
    match *kind {
        ValueKind::Structure(name) => Some(name),
        ValueKind::List(inner) | ValueKind::Map(inner) => structure_target(inner),
        _ => None,
    }
}

#[test]
fn every_structure_a_member_names_is_in_the_schema() {
    let mut seen = 0;
    for s in STRUCTURES {
        for m in s.members {
            if let Some(target) = structure_target(&m.kind) {
                assert!(
                    structure(target).is_some(),
                    "{}.{} names {target}",
                    s.name,
                    m.name
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 50, "only {seen} structure members");
}

#[test]
fn members_follow_the_model() {
    let input = create_dataset_group::CreateDatasetGroup::META.input;
    assert_eq!(input.name, "CreateDatasetGroupRequest");
    let name = input.member("name").unwrap();
    assert_eq!(
        (name.target, name.kind, name.required),
        ("Name", ValueKind::String, true)
    );
    let role = input.member("roleArn").unwrap();
    assert_eq!((role.target, role.required), ("RoleArn", false));
    assert_eq!(
        input.member("domain").unwrap().kind,
        ValueKind::Enum("Domain")
    );
    assert_eq!(
        input.member("tags").unwrap().kind,
        ValueKind::List(&ValueKind::Structure("Tag"))
    );
    assert_eq!(input.member("nope"), None);

    let list = list_batch_segment_jobs::ListBatchSegmentJobs::META;
    let pagination = list.pagination.unwrap();
    assert_eq!(pagination.items, Some("batchSegmentJobs"));
    let jobs = list.output.member("batchSegmentJobs").unwrap();
    assert_eq!(
        jobs.kind,
        ValueKind::List(&ValueKind::Structure("BatchSegmentJobSummary"))
    );
    let summary = structure("BatchSegmentJobSummary").unwrap();
    assert_eq!(
        summary.member("creationDateTime").unwrap().kind,
        ValueKind::Timestamp
    );

    // Unit output: an empty structure under the output's Rust name.
    let deleted = delete_campaign::DeleteCampaign::META.output;
    assert_eq!(
        (deleted.name, deleted.members.len()),
        ("DeleteCampaignOutput", 0)
    );
    // Errors are structures too.
    let error = structure("InvalidInputException").unwrap();
    assert_eq!(error.member("message").unwrap().kind, ValueKind::String);
}
