//! `CreateBatchSegmentJob`: validate, refuse a duplicate name, store the job `PENDING`.

use personalize_model::operation::create_batch_segment_job::{
    CreateBatchSegmentJobError as Error, CreateBatchSegmentJobInput, CreateBatchSegmentJobOutput,
};
use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::{OperationError, Validate, Validator};

use super::arn;
use crate::job_details::{JobBook, JobDetails};
use crate::schedule::PENDING;
use crate::store::BatchSegmentJobStore;

/// Most users per segment the documentation allows (`numResults`).
pub const MAX_NUM_RESULTS: i32 = 5_000_000;

/// Most tags a Personalize resource may carry; more is `TooManyTagsException`.
pub const MAX_TAGS: usize = 50;

/// Runs `CreateBatchSegmentJob` against `store` and `book`.
pub fn create(
    store: &BatchSegmentJobStore,
    book: &JobBook,
    input: &CreateBatchSegmentJobInput,
) -> Result<CreateBatchSegmentJobOutput, Error> {
    let invalid = |message: String| Error::from_code("InvalidInputException", Some(message));
    input.validate().map_err(|e| invalid(e.to_string()))?;
    // Present after validation; the defaults are never used.
    let name = input.job_name.as_deref().unwrap_or_default();
    let solution_version_arn = input.solution_version_arn.as_deref().unwrap_or_default();
    let role_arn = input.role_arn.as_deref().unwrap_or_default();

    let mut v = Validator::new();
    arn::check(
        &mut v,
        solution_version_arn,
        role_arn,
        input.filter_arn.as_deref(),
    );
    if let Some(n) = input.num_results {
        v.at("numResults", |v| {
            v.range(f64::from(n), n, Some(1.0), Some(f64::from(MAX_NUM_RESULTS)))
        });
    }
    v.finish().map_err(|e| invalid(e.to_string()))?;
    let tags = input.tags.as_ref().map_or(0, Vec::len);
    if tags > MAX_TAGS {
        return Err(Error::from_code(
            "TooManyTagsException",
            Some(format!(
                "{tags} tags exceed the limit of {MAX_TAGS} tags per resource"
            )),
        ));
    }
    let Some(solution_version) = arn::solution_version(solution_version_arn) else {
        return Err(invalid(format!(
            "Invalid solution version ARN: {solution_version_arn}"
        )));
    };
    let job_arn = arn::batch_segment_job(&solution_version, name);

    let creation = book.begin();
    if store.get(&job_arn).is_some() {
        return Err(Error::from_code(
            "ResourceAlreadyExistsException",
            Some(format!(
                "A batch segment job with the name {name} already exists: {job_arn}"
            )),
        ));
    }
    let now = creation.now();
    let summary = BatchSegmentJobSummary::builder()
        .batch_segment_job_arn(job_arn.clone())
        .job_name(name)
        .status(PENDING)
        .creation_date_time(now)
        .last_updated_date_time(now)
        .solution_version_arn(solution_version_arn)
        .build();
    let details = JobDetails {
        created: Some(now),
        job_input: input.job_input.clone(),
        job_output: input.job_output.clone(),
        role_arn: input.role_arn.clone(),
        num_results: input.num_results,
        filter_arn: input.filter_arn.clone(),
        tags: input.tags.clone(),
    };
    creation
        .commit(store, summary, details)
        .map_err(|e| invalid(e.to_string()))?;
    Ok(CreateBatchSegmentJobOutput::builder()
        .batch_segment_job_arn(job_arn)
        .build())
}
