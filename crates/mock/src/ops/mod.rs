//! The batch segment job operations beyond the listing: `CreateBatchSegmentJob` and
//! `DescribeBatchSegmentJob` (behaviour in [`create`] and [`describe`]); the mock serves them
//! through its [`crate::handler::Handler`] implementation.

pub mod arn;
pub mod create;
pub mod describe;

use personalize_model::operation::create_batch_segment_job::{
    CreateBatchSegmentJobError, CreateBatchSegmentJobInput, CreateBatchSegmentJobOutput,
};
use personalize_model::operation::describe_batch_segment_job::{
    DescribeBatchSegmentJobError, DescribeBatchSegmentJobInput, DescribeBatchSegmentJobOutput,
};

use crate::schedule::{JobClock, JobSchedule};
use crate::service::MockService;

impl MockService {
    /// Runs `CreateBatchSegmentJob` on a parsed input, as the HTTP handler does.
    pub fn create_batch_segment_job(
        &self,
        input: &CreateBatchSegmentJobInput,
    ) -> Result<CreateBatchSegmentJobOutput, CreateBatchSegmentJobError> {
        create::create(self.store(), self.job_book(), input)
    }

    /// Runs `DescribeBatchSegmentJob` on a parsed input, as the HTTP handler does.
    pub fn describe_batch_segment_job(
        &self,
        input: &DescribeBatchSegmentJobInput,
    ) -> Result<DescribeBatchSegmentJobOutput, DescribeBatchSegmentJobError> {
        describe::describe(self.store(), self.job_book(), input)
    }

    /// Sets the schedule of status changes for jobs created from now on (default
    /// [`JobSchedule::IMMEDIATE`]).
    pub fn set_job_schedule(&self, schedule: JobSchedule) {
        self.job_book().set_schedule(schedule);
    }

    /// Sets the clock job times come from (default [`JobClock::System`]).
    pub fn set_job_clock(&self, clock: JobClock) {
        self.job_book().set_clock(clock);
    }

    /// Applies the status changes due by now (every request does this first; call it before
    /// reading [`MockService::store`] or the typed `list_batch_segment_jobs` directly).
    pub fn advance_jobs(&self) {
        self.job_book().advance(self.store());
    }
}
