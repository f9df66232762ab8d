//! What `CreateBatchSegmentJob` knows beyond a listed summary (input and output locations,
//! role, result count, filter, tags) and the status changes still due, kept apart from the
//! compact summary store so that seeded jobs cost nothing extra.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};

use personalize_model::types::{
    BatchSegmentJob, BatchSegmentJobInput, BatchSegmentJobOutput, BatchSegmentJobSummary, Tag,
};
use personalize_model::DateTime;

use crate::schedule::{self, JobClock, JobSchedule, ACTIVE, IN_PROGRESS};
use crate::store::{BatchSegmentJobStore, InvalidJob};

/// The members of a created job that its summary does not hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobDetails {
    /// `creationDateTime` of the job these details belong to (a job stored again under the
    /// same ARN by other means, such as a seed after `reset`, does not inherit them).
    pub created: Option<DateTime>,
    /// `jobInput`.
    pub job_input: Option<BatchSegmentJobInput>,
    /// `jobOutput`.
    pub job_output: Option<BatchSegmentJobOutput>,
    /// `roleArn`.
    pub role_arn: Option<String>,
    /// `numResults`.
    pub num_results: Option<i32>,
    /// `filterArn`.
    pub filter_arn: Option<String>,
    /// `tags` (kept, not returned by Describe: the model has no tags member there).
    pub tags: Option<Vec<Tag>>,
}

/// One status change still to happen: due time (µs), then ARN.
type Due = (i64, String);

#[derive(Debug, Default)]
struct Book {
    schedule: JobSchedule,
    clock: JobClock,
    details: HashMap<String, JobDetails>,
    due: BTreeSet<Due>,
}

/// Details of created jobs and their pending status changes.
///
/// Status changes are applied lazily: [`JobBook::advance`] (run at the start of every request
/// the mock serves) moves every job whose next change is due, stamping
/// `lastUpdatedDateTime` with the time the change was due.
#[derive(Debug)]
pub struct JobBook {
    book: Mutex<Book>,
    /// Earliest due change in µs (`i64::MAX` when none), read without the lock.
    next_due: AtomicI64,
}

impl Default for JobBook {
    fn default() -> Self {
        JobBook {
            book: Mutex::new(Book::default()),
            next_due: AtomicI64::new(i64::MAX),
        }
    }
}

/// The guard held while a job is created: the duplicate check and the insertion happen
/// under it, so two concurrent creations of one name cannot both succeed.
pub struct Creation<'a> {
    book: MutexGuard<'a, Book>,
    owner: &'a JobBook,
}

impl JobBook {
    fn lock(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the schedule for jobs created from now on.
    pub fn set_schedule(&self, schedule: JobSchedule) {
        self.lock().schedule = schedule;
    }

    /// The schedule new jobs get.
    pub fn schedule(&self) -> JobSchedule {
        self.lock().schedule
    }

    /// Sets the clock creation times and due changes are measured with.
    pub fn set_clock(&self, clock: JobClock) {
        self.lock().clock = clock;
    }

    /// The current time on the book's clock.
    pub fn now(&self) -> DateTime {
        self.lock().clock.now()
    }

    /// The details of the job with this ARN created at `created`, if it was created here.
    pub fn details(&self, arn: &str, created: Option<DateTime>) -> Option<JobDetails> {
        self.lock()
            .details
            .get(arn)
            .filter(|d| d.created == created)
            .cloned()
    }

    /// Starts a creation (see [`Creation`]).
    pub fn begin(&self) -> Creation<'_> {
        Creation {
            book: self.lock(),
            owner: self,
        }
    }

    /// Applies every status change due by now to `store`.
    pub fn advance(&self, store: &BatchSegmentJobStore) {
        if self.next_due.load(Ordering::Acquire) == i64::MAX {
            return;
        }
        let mut book = self.lock();
        let now = book.clock.now().as_micros();
        self.advance_locked(&mut book, store, now);
    }

    fn advance_locked(&self, book: &mut Book, store: &BatchSegmentJobStore, now: i64) {
        while let Some((at, arn)) = book.due.first().cloned() {
            if at > now {
                break;
            }
            book.due.pop_first();
            let Some(details) = book.details.get(&arn) else {
                continue;
            };
            let Some(job) = store
                .get(&arn)
                .filter(|j| j.creation_date_time == details.created)
            else {
                continue; // removed (reset) or replaced since: nothing to move on
            };
            let when = DateTime::from_micros(at);
            let next = match job.status.as_deref() {
                Some(schedule::PENDING) => IN_PROGRESS,
                Some(IN_PROGRESS) => ACTIVE,
                _ => continue,
            };
            let mut moved = job;
            moved.status = Some(next.to_owned());
            moved.last_updated_date_time = Some(when);
            if store.insert(moved).is_err() {
                continue; // cannot happen: the job was valid and only its status changed
            }
            if next == IN_PROGRESS {
                let active_at = schedule::after(when, book.schedule.in_progress);
                book.due.insert((active_at.as_micros(), arn));
            }
        }
        let first = book.due.first().map_or(i64::MAX, |(at, _)| *at);
        self.next_due.store(first, Ordering::Release);
    }
}

impl Creation<'_> {
    /// The time the job is created at.
    pub fn now(&self) -> DateTime {
        self.book.clock.now()
    }

    /// Stores `summary` with its `details` (their `created` set to the summary's) and
    /// schedules its next change: a `PENDING` job
    /// moves on `pending` after its creation, an `IN PROGRESS` one (such as a job restored
    /// from a saved state) `in_progress` after its last update; other statuses stay.
    pub fn commit(
        mut self,
        store: &BatchSegmentJobStore,
        summary: BatchSegmentJobSummary,
        details: JobDetails,
    ) -> Result<(), InvalidJob> {
        let arn = summary.batch_segment_job_arn.clone().unwrap_or_default();
        let created = summary.creation_date_time.unwrap_or(DateTime::UNIX_EPOCH);
        let updated = summary.last_updated_date_time.unwrap_or(created);
        let schedule = self.book.schedule;
        let due = match summary.status.as_deref() {
            Some(schedule::PENDING) => Some(schedule::after(created, schedule.pending)),
            Some(IN_PROGRESS) => Some(schedule::after(updated, schedule.in_progress)),
            _ => None,
        };
        let details = JobDetails {
            created: summary.creation_date_time,
            ..details
        };
        store.insert(summary)?;
        self.book.details.insert(arn.clone(), details);
        if let Some(due) = due {
            self.book.due.insert((due.as_micros(), arn));
        }
        let now = self.book.clock.now().as_micros();
        self.owner.advance_locked(&mut self.book, store, now);
        Ok(())
    }
}

/// The full job: the stored summary plus the details a creation recorded.
pub fn full_job(summary: BatchSegmentJobSummary, details: Option<JobDetails>) -> BatchSegmentJob {
    let details = details.unwrap_or_default();
    BatchSegmentJob::builder()
        .set_job_name(summary.job_name)
        .set_batch_segment_job_arn(summary.batch_segment_job_arn)
        .set_filter_arn(details.filter_arn)
        .set_failure_reason(summary.failure_reason)
        .set_solution_version_arn(summary.solution_version_arn)
        .set_num_results(details.num_results)
        .set_job_input(details.job_input)
        .set_job_output(details.job_output)
        .set_role_arn(details.role_arn)
        .set_status(summary.status)
        .set_creation_date_time(summary.creation_date_time)
        .set_last_updated_date_time(summary.last_updated_date_time)
        .build()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::schedule::{ManualClock, PENDING};

    fn summary(status: &str, created: i64, updated: i64) -> BatchSegmentJobSummary {
        BatchSegmentJobSummary::builder()
            .batch_segment_job_arn("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/j")
            .status(status)
            .creation_date_time(DateTime::from_secs(created))
            .last_updated_date_time(DateTime::from_secs(updated))
            .build()
    }

    fn book_at(now: i64) -> (JobBook, ManualClock) {
        let book = JobBook::default();
        let clock = ManualClock::new(DateTime::from_secs(now));
        book.set_clock(JobClock::Manual(clock.clone()));
        book.set_schedule(JobSchedule::new(
            Duration::from_secs(10),
            Duration::from_secs(100),
        ));
        (book, clock)
    }

    fn status(store: &BatchSegmentJobStore) -> (String, i64) {
        let job = store
            .get("arn:aws:personalize:us-east-1:123456789012:batch-segment-job/j")
            .unwrap();
        (
            job.status.unwrap(),
            job.last_updated_date_time.unwrap().secs(),
        )
    }

    #[test]
    fn a_job_committed_in_progress_finishes_after_its_last_update() {
        let (book, clock) = book_at(1_000);
        let store = BatchSegmentJobStore::new();
        book.begin()
            .commit(
                &store,
                summary(IN_PROGRESS, 900, 950),
                JobDetails::default(),
            )
            .unwrap();
        assert_eq!(status(&store), (IN_PROGRESS.to_owned(), 950));
        clock.advance(Duration::from_secs(49));
        book.advance(&store);
        assert_eq!(status(&store), (IN_PROGRESS.to_owned(), 950));
        clock.advance(Duration::from_secs(1));
        book.advance(&store);
        assert_eq!(status(&store), (ACTIVE.to_owned(), 1_050));
    }

    #[test]
    fn a_job_committed_active_stays_and_pending_moves_from_creation() {
        let (book, clock) = book_at(1_000);
        let store = BatchSegmentJobStore::new();
        book.begin()
            .commit(&store, summary(ACTIVE, 900, 950), JobDetails::default())
            .unwrap();
        clock.advance(Duration::from_secs(10_000));
        book.advance(&store);
        assert_eq!(status(&store), (ACTIVE.to_owned(), 950));

        let (book, _clock) = book_at(1_005);
        let store = BatchSegmentJobStore::new();
        book.begin()
            .commit(&store, summary(PENDING, 990, 990), JobDetails::default())
            .unwrap();
        // Due at 1,000 (creation + 10 s): already past, applied by the commit itself.
        assert_eq!(status(&store), (IN_PROGRESS.to_owned(), 1_000));
    }
}
