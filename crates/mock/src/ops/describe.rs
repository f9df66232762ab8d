//! `DescribeBatchSegmentJob`: the stored summary plus what its creation recorded.

use personalize_model::operation::describe_batch_segment_job::{
    DescribeBatchSegmentJobError as Error, DescribeBatchSegmentJobInput,
    DescribeBatchSegmentJobOutput,
};
use personalize_model::{OperationError, Validate};

use crate::job_details::{full_job, JobBook};
use crate::store::BatchSegmentJobStore;

/// Runs `DescribeBatchSegmentJob` against `store` and `book`.
pub fn describe(
    store: &BatchSegmentJobStore,
    book: &JobBook,
    input: &DescribeBatchSegmentJobInput,
) -> Result<DescribeBatchSegmentJobOutput, Error> {
    input
        .validate()
        .map_err(|e| Error::from_code("InvalidInputException", Some(e.to_string())))?;
    let arn = input.batch_segment_job_arn.as_deref().unwrap_or_default();
    book.advance(store);
    let Some(summary) = store.get(arn) else {
        return Err(Error::from_code(
            "ResourceNotFoundException",
            Some(format!("Could not find batch segment job with ARN {arn}.")),
        ));
    };
    let details = book.details(arn, summary.creation_date_time);
    Ok(DescribeBatchSegmentJobOutput::builder()
        .batch_segment_job(full_job(summary, details))
        .build())
}
