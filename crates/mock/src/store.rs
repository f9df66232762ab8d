//! The in-memory job store: jobs kept in listing order, with keyset (cursor) paging.
//!
//! Order is newest `creationDateTime` first, ties broken by ascending `batchSegmentJobArn`;
//! jobs without a `creationDateTime` come last. A job is identified by its ARN: inserting a job
//! whose ARN is already stored replaces it.
//!
//! Every insertion gets a sequence number. A listing remembers the sequence number the store
//! had reached when its first page was served (its *snapshot*) and skips jobs inserted after
//! it, so a listing that runs while jobs are inserted returns every job that existed when it
//! began exactly once, whatever timestamps the new jobs carry.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::num::{NonZeroU32, NonZeroU8};
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use personalize_model::types::BatchSegmentJobSummary;
use personalize_model::{DateTime, Validate, ValidationErrors};

use crate::page_writer::{self, JobFields, PageWriter, Text, Time};
use crate::shared_str::{Packer, SharedStr};

/// A job the store refuses to hold.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvalidJob {
    /// The job has no `batchSegmentJobArn`, which is what identifies it.
    #[error("batch segment job #{index} has no batchSegmentJobArn (the ARN identifies a job)")]
    MissingArn {
        /// Position of the job in the batch being inserted (0 for a single insert).
        index: usize,
    },
    /// The job breaks a constraint of the model (the real service never returns such a job).
    #[error("batch segment job #{index} ({arn}) breaks the model's constraints: {errors}")]
    Constraint {
        /// Position of the job in the batch being inserted (0 for a single insert).
        index: usize,
        /// The job's ARN.
        arn: String,
        /// What is wrong, in the AWS validation form.
        errors: ValidationErrors,
    },
}

/// Where a listing stopped: the sort key of the last job it returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// `creationDateTime` in epoch microseconds, `None` for a job without one.
    pub created: Option<i64>,
    /// `batchSegmentJobArn`.
    pub arn: String,
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The jobs, in listing order.
    pub jobs: Vec<BatchSegmentJobSummary>,
    /// Where the next page starts, when there are more jobs in the snapshot.
    pub next: Option<Cursor>,
}

/// The sequence number a listing started at: jobs inserted at or after it are not listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Snapshot(pub u64);

/// Sort key: newest first (jobs without a timestamp last), then ARN.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct JobKey {
    created: Reverse<i64>,
    arn: SharedStr,
}

/// `creationDateTime` as stored in the key: `i64::MIN` (sorted last) stands for "absent".
const NO_TIMESTAMP: i64 = i64::MIN;

impl JobKey {
    fn from_cursor(cursor: &Cursor) -> Self {
        JobKey {
            created: Reverse(cursor.created.unwrap_or(NO_TIMESTAMP)),
            arn: SharedStr::new(&cursor.arn),
        }
    }

    fn cursor(&self, record: &Record) -> Cursor {
        Cursor {
            created: record.has(HAS_CREATED).then_some(self.created.0),
            arn: self.arn.to_string(),
        }
    }
}

/// An interned string's id.
type Sym = NonZeroU32;

const HAS_CREATED: u8 = 1;
const HAS_LAST_UPDATED: u8 = 2;
/// The ARN holds no character JSON escapes, so a page copies it as is.
const ARN_PLAIN: u8 = 4;
/// The stored name holds no character JSON escapes.
const NAME_PLAIN: u8 = 8;
/// The job's name is not its ARN's last segment and is kept in [`Inner::names`].
const NAME_APART: u8 = 16;

/// A job, stored compactly: repeated strings (status, solution version, failure reason) are
/// interned, timestamps are plain microseconds (and, as a page writes them, the tail of the
/// ARN: [`TimeText`]), and the name is almost always the ARN's last segment (a name that is
/// not lives in [`Inner::names`]). 32 bytes: a page reads a hundred of them from B-tree nodes
/// that are rarely in cache, so every byte here is paid per job listed.
#[derive(Clone, Debug)]
struct Record {
    last_updated: i64,
    seq: u64,
    status: Option<Sym>,
    solution_version: Option<Sym>,
    failure: Option<Sym>,
    flags: u8,
    /// When the job name is the ARN's last path segment (`.../batch-segment-job/<name>`, as
    /// AWS names them), its length: the name is then not stored twice.
    name_in_arn: Option<NonZeroU8>,
    /// Length of `creationDateTime` as written in the ARN's tail (0: not there).
    created_text: u8,
    /// Length of `lastUpdatedDateTime` as written in the ARN's tail, after `creationDateTime`.
    last_updated_text: u8,
}

impl Record {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// The last `len` bytes of `arn` when they follow a `/` (the name part of a resource ARN).
fn arn_suffix(arn: &str, len: usize) -> Option<&str> {
    let start = arn.len().checked_sub(len)?;
    if start == 0 || arn.as_bytes()[start - 1] != b'/' {
        return None;
    }
    arn.get(start..)
}

/// Interned strings: each distinct value is stored once, with its JSON encoding.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<Arc<str>, Sym>,
    values: Vec<Arc<str>>,
    /// `values[i]` as a JSON string, quotes included (what a page writes).
    encoded: Vec<Box<[u8]>>,
}

impl Interner {
    fn intern(&mut self, value: &str) -> Sym {
        if let Some(id) = self.ids.get(value) {
            return *id;
        }
        let shared: Arc<str> = Arc::from(value);
        self.values.push(shared.clone());
        self.encoded.push(page_writer::encode_str(value));
        // `values.len()` is at least 1 here; more than u32::MAX distinct strings would not fit
        // in memory long before, so saturating keeps the code panic-free.
        let id = u32::try_from(self.values.len())
            .ok()
            .and_then(NonZeroU32::new)
            .unwrap_or(NonZeroU32::MAX);
        self.ids.insert(shared, id);
        id
    }

    fn lookup(&self, value: &str) -> Option<Sym> {
        self.ids.get(value).copied()
    }

    fn resolve(&self, id: Sym) -> &str {
        self.values
            .get(id.get() as usize - 1)
            .map(|s| &**s)
            .unwrap_or("")
    }

    fn resolve_encoded(&self, id: Sym) -> &[u8] {
        self.encoded
            .get(id.get() as usize - 1)
            .map(|s| &**s)
            .unwrap_or(b"\"\"")
    }
}

#[derive(Debug, Default)]
struct Inner {
    jobs: BTreeMap<JobKey, Record>,
    /// ARN → its `created` key part, to replace a job inserted again (a B-tree: denser than a hash map).
    by_arn: BTreeMap<SharedStr, i64>,
    /// Solution version → its jobs' keys, in listing order.
    by_solution_version: HashMap<Sym, BTreeSet<JobKey>>,
    strings: Interner,
    /// Names of the jobs flagged [`NAME_APART`], by ARN (AWS names a job's ARN after the job,
    /// so this is empty unless a test seeds jobs that break the rule).
    names: HashMap<SharedStr, Box<str>>,
    /// Sequence number the next insertion gets (starts at 1, never goes back, even on reset).
    next_seq: u64,
    /// Jobs stored when the B-trees were last packed (see [`Inner::compact`]).
    packed_len: usize,
}

/// A job checked and converted, ready to go in.
struct Prepared {
    key_created: i64,
    arn: String,
    times: TimeText,
    job: BatchSegmentJobSummary,
}

/// A job's timestamps as a page writes them, one after the other. The store keeps this text
/// as the tail of the job's ARN (see [`crate::shared_str`]): a page copies it from the memory
/// it reads the ARN from, instead of formatting two numbers per job. About 28 bytes a job.
#[derive(Debug, Default)]
struct TimeText {
    text: String,
    /// Length of `creationDateTime`'s text (0 when absent).
    created: u8,
    /// Length of `lastUpdatedDateTime`'s text, which follows (0 when absent).
    last_updated: u8,
}

impl TimeText {
    fn of(job: &BatchSegmentJobSummary) -> Self {
        let mut bytes = Vec::with_capacity(32);
        if let Some(time) = job.creation_date_time {
            page_writer::write_timestamp(&mut bytes, time);
        }
        let created = bytes.len();
        if let Some(time) = job.last_updated_date_time {
            page_writer::write_timestamp(&mut bytes, time);
        }
        let last_updated = bytes.len() - created;
        match (
            String::from_utf8(bytes),
            u8::try_from(created),
            u8::try_from(last_updated),
        ) {
            (Ok(text), Ok(created), Ok(last_updated)) => TimeText {
                text,
                created,
                last_updated,
            },
            // Never (timestamps are written in at most 24 ASCII bytes); without the text, a
            // page formats the timestamps itself.
            _ => TimeText::default(),
        }
    }
}

fn prepare(index: usize, job: BatchSegmentJobSummary) -> Result<Prepared, InvalidJob> {
    let Some(arn) = job.batch_segment_job_arn.clone() else {
        return Err(InvalidJob::MissingArn { index });
    };
    job.validate().map_err(|errors| InvalidJob::Constraint {
        index,
        arn: arn.clone(),
        errors,
    })?;
    let key_created = job
        .creation_date_time
        .map(|t| t.as_micros())
        .unwrap_or(NO_TIMESTAMP);
    Ok(Prepared {
        key_created,
        arn,
        times: TimeText::of(&job),
        job,
    })
}

/// The batch's ARNs copied into shared chunks in listing order (see [`crate::shared_str`]),
/// returned in batch order: the jobs of a page that came in one batch read their ARNs from
/// one run of memory, and each ARN costs its bytes rather than a heap block of its own. The
/// chunks are never copied again, so repacking frees nothing behind the store's back.
fn pack_arns(batch: &[Prepared]) -> Vec<SharedStr> {
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let key = |i: usize| (Reverse(batch[i].key_created), batch[i].arn.as_str());
        key(a).cmp(&key(b))
    });
    let mut packer = Packer::with_capacity(
        batch
            .iter()
            .map(|job| job.arn.len() + job.times.text.len())
            .sum(),
    );
    for &i in &order {
        packer.push(&batch[i].arn, &batch[i].times.text);
    }
    let mut arns: Vec<Option<SharedStr>> = vec![None; batch.len()];
    for (i, arn) in order.into_iter().zip(packer.finish()) {
        arns[i] = Some(arn);
    }
    // Every slot was filled once; the fallback only keeps this free of panics.
    arns.into_iter()
        .zip(batch)
        .map(|(arn, job)| arn.unwrap_or_else(|| SharedStr::new(&job.arn)))
        .collect()
}

impl Inner {
    /// Inserts a prepared job; `arn` is its ARN as the store keeps it.
    fn insert(&mut self, prepared: Prepared, arn: SharedStr) {
        let Prepared {
            key_created,
            times,
            job,
            ..
        } = prepared;
        let mut seq = None;
        if let Some(old_created) = self.by_arn.get(&arn).copied() {
            seq = self.remove(JobKey {
                created: Reverse(old_created),
                arn: arn.clone(),
            });
        }
        let seq = seq.unwrap_or_else(|| {
            self.next_seq += 1;
            self.next_seq
        });
        let solution_version = job
            .solution_version_arn
            .as_deref()
            .map(|s| self.strings.intern(s));
        let mut flags = 0;
        if job.creation_date_time.is_some() {
            flags |= HAS_CREATED;
        }
        if job.last_updated_date_time.is_some() {
            flags |= HAS_LAST_UPDATED;
        }
        let name_in_arn = job
            .job_name
            .as_deref()
            .filter(|name| arn_suffix(&arn, name.len()) == Some(*name))
            .and_then(|name| u8::try_from(name.len()).ok())
            .and_then(NonZeroU8::new);
        if !page_writer::needs_escape(&arn) {
            flags |= ARN_PLAIN;
        }
        if !job
            .job_name
            .as_deref()
            .is_some_and(page_writer::needs_escape)
        {
            flags |= NAME_PLAIN;
        }
        if let Some(name) = job.job_name.filter(|_| name_in_arn.is_none()) {
            flags |= NAME_APART;
            self.names.insert(arn.clone(), name.into_boxed_str());
        }
        let record = Record {
            last_updated: job
                .last_updated_date_time
                .map(|t| t.as_micros())
                .unwrap_or(0),
            seq,
            status: job.status.as_deref().map(|s| self.strings.intern(s)),
            solution_version,
            failure: job
                .failure_reason
                .as_deref()
                .map(|s| self.strings.intern(s)),
            flags,
            name_in_arn,
            created_text: times.created,
            last_updated_text: times.last_updated,
        };
        let key = JobKey {
            created: Reverse(key_created),
            arn: arn.clone(),
        };
        if let Some(sv) = solution_version {
            self.by_solution_version
                .entry(sv)
                .or_default()
                .insert(key.clone());
        }
        self.by_arn.insert(arn, key_created);
        self.jobs.insert(key, record);
    }

    /// Rebuilds the B-trees from their sorted contents, packing nodes full (inserting one key
    /// at a time at one end leaves nodes about half full).
    fn compact(&mut self) {
        self.packed_len = self.jobs.len();
        self.jobs = std::mem::take(&mut self.jobs).into_iter().collect();
        self.by_arn = std::mem::take(&mut self.by_arn).into_iter().collect();
        for keys in self.by_solution_version.values_mut() {
            *keys = std::mem::take(keys).into_iter().collect();
        }
    }

    /// Removes a job, giving back its sequence number.
    fn remove(&mut self, key: JobKey) -> Option<u64> {
        let record = self.jobs.remove(&key)?;
        if let Some(sv) = record.solution_version {
            if let Some(keys) = self.by_solution_version.get_mut(&sv) {
                keys.remove(&key);
            }
        }
        self.by_arn.remove(&key.arn);
        if record.has(NAME_APART) {
            self.names.remove(key.arn.as_str());
        }
        Some(record.seq)
    }

    /// The job's name: the ARN's last segment, or the one stored apart.
    fn name<'a>(&'a self, key: &'a JobKey, record: &'a Record) -> Option<&'a str> {
        match record.name_in_arn {
            Some(len) => arn_suffix(&key.arn, usize::from(len.get())),
            None if record.has(NAME_APART) => self.names.get(key.arn.as_str()).map(|n| &**n),
            None => None,
        }
    }

    /// The job's members as a page writes them (strings already checked or encoded).
    fn fields<'a>(&'a self, key: &'a JobKey, record: &'a Record) -> JobFields<'a> {
        let strings = &self.strings;
        let created = usize::from(record.created_text);
        let (created_text, last_updated_text) = key
            .arn
            .tail(created + usize::from(record.last_updated_text))
            .and_then(|text| text.split_at_checked(created))
            .unzip();
        // A timestamp's text from the ARN's tail, or its value when the tail lacks it.
        let time = |text: Option<&'a [u8]>, micros: i64| match text.filter(|t| !t.is_empty()) {
            Some(text) => Time::Encoded(text),
            None => Time::Value(DateTime::from_micros(micros)),
        };
        // Plain text is copied as bytes, without the character-boundary checks of `&str`.
        let arn = key.arn.as_bytes();
        let batch_segment_job_arn = if record.has(ARN_PLAIN) {
            Text::Plain(arn)
        } else {
            Text::Raw(&key.arn)
        };
        let job_name = match record.name_in_arn {
            // The ARN ends in `/` and the name (checked when stored).
            Some(len) if record.has(NAME_PLAIN) => arn
                .len()
                .checked_sub(usize::from(len.get()))
                .and_then(|start| arn.get(start..))
                .map(Text::Plain),
            _ => self.name(key, record).map(|name| {
                if record.has(NAME_PLAIN) {
                    Text::Plain(name.as_bytes())
                } else {
                    Text::Raw(name)
                }
            }),
        };
        JobFields {
            batch_segment_job_arn: Some(batch_segment_job_arn),
            job_name,
            status: record
                .status
                .map(|s| Text::Encoded(strings.resolve_encoded(s))),
            creation_date_time: record
                .has(HAS_CREATED)
                .then(|| time(created_text, key.created.0)),
            last_updated_date_time: record
                .has(HAS_LAST_UPDATED)
                .then(|| time(last_updated_text, record.last_updated)),
            failure_reason: record
                .failure
                .map(|s| Text::Encoded(strings.resolve_encoded(s))),
            solution_version_arn: record
                .solution_version
                .map(|s| Text::Encoded(strings.resolve_encoded(s))),
        }
    }

    fn summary(&self, key: &JobKey, record: &Record) -> BatchSegmentJobSummary {
        let strings = &self.strings;
        BatchSegmentJobSummary::builder()
            .batch_segment_job_arn(&*key.arn)
            .set_job_name(self.name(key, record).map(str::to_owned))
            .set_status(record.status.map(|s| strings.resolve(s).to_owned()))
            .set_creation_date_time(
                record
                    .has(HAS_CREATED)
                    .then(|| DateTime::from_micros(key.created.0)),
            )
            .set_last_updated_date_time(
                record
                    .has(HAS_LAST_UPDATED)
                    .then(|| DateTime::from_micros(record.last_updated)),
            )
            .set_failure_reason(record.failure.map(|s| strings.resolve(s).to_owned()))
            .set_solution_version_arn(
                record
                    .solution_version
                    .map(|s| strings.resolve(s).to_owned()),
            )
            .build()
    }

    /// Calls `emit` on up to `limit` jobs of the page; returns where the next page starts
    /// when more jobs follow.
    fn scan<'s>(
        &'s self,
        solution_version_arn: Option<&str>,
        after: Option<&Cursor>,
        snapshot: Snapshot,
        limit: usize,
        mut emit: impl FnMut(&'s JobKey, &'s Record),
    ) -> Option<Cursor> {
        let lower = match after {
            Some(cursor) => Bound::Excluded(JobKey::from_cursor(cursor)),
            None => Bound::Unbounded,
        };
        let visible = |record: &Record| record.seq < snapshot.0;
        let mut taken = 0;
        let mut last: Option<(&JobKey, &Record)> = None;
        let mut more = false;
        let mut take = |key: &'s JobKey, record: &'s Record| -> bool {
            if !visible(record) {
                return true;
            }
            if taken == limit {
                more = true;
                return false;
            }
            taken += 1;
            emit(key, record);
            true
        };
        match solution_version_arn {
            None => {
                for (key, record) in self.jobs.range((lower, Bound::Unbounded)) {
                    if !take(key, record) {
                        break;
                    }
                    if visible(record) {
                        last = Some((key, record));
                    }
                }
            }
            Some(arn) => {
                let keys = self
                    .strings
                    .lookup(arn)
                    .and_then(|sv| self.by_solution_version.get(&sv));
                let keys = keys.map(|k| k.range((lower, Bound::Unbounded)));
                for key in keys.into_iter().flatten() {
                    let Some((key, record)) = self.jobs.get_key_value(key) else {
                        continue;
                    };
                    if !take(key, record) {
                        break;
                    }
                    if visible(record) {
                        last = Some((key, record));
                    }
                }
            }
        }
        if more {
            last.map(|(key, record)| key.cursor(record))
        } else {
            None
        }
    }

    fn page(
        &self,
        solution_version_arn: Option<&str>,
        after: Option<&Cursor>,
        snapshot: Snapshot,
        limit: usize,
    ) -> Page {
        let mut jobs = Vec::with_capacity(limit.min(128));
        let next = self.scan(
            solution_version_arn,
            after,
            snapshot,
            limit,
            |key, record| jobs.push(self.summary(key, record)),
        );
        Page { jobs, next }
    }
}

/// The job store: a cheap, clonable handle to shared, lock-protected state.
#[derive(Clone, Debug, Default)]
pub struct BatchSegmentJobStore {
    inner: Arc<RwLock<Inner>>,
    /// Count of changes (inserts, batches, resets), for whoever mirrors the store (persistence).
    writes: Arc<AtomicU64>,
}

impl BatchSegmentJobStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        // A panic while the lock was held cannot leave `Inner` half-updated in a way that
        // breaks memory safety; serving on is better than failing every later request.
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Inserts a job, replacing any stored job with the same ARN.
    pub fn insert(&self, job: BatchSegmentJobSummary) -> Result<(), InvalidJob> {
        let prepared = prepare(0, job)?;
        let arn = SharedStr::with_tail(&prepared.arn, &prepared.times.text);
        self.write().insert(prepared, arn);
        self.writes.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// Inserts many jobs at once: all of them, or none when one is invalid (the error names it).
    pub fn insert_many(
        &self,
        jobs: impl IntoIterator<Item = BatchSegmentJobSummary>,
    ) -> Result<usize, InvalidJob> {
        let prepared = jobs
            .into_iter()
            .enumerate()
            .map(|(i, job)| prepare(i, job))
            .collect::<Result<Vec<_>, _>>()?;
        let count = prepared.len();
        let arns = pack_arns(&prepared);
        let mut inner = self.write();
        for (job, arn) in prepared.into_iter().zip(arns) {
            inner.insert(job, arn);
        }
        // Jobs arrive in order (newest first, ARNs ascending), so the B-trees grow at one end
        // and leave nodes half full: repack after a large batch once the store has grown by
        // a quarter since the last packing. O(n) each time, O(1) amortized per job (a store
        // filled in batches packs at 1.25x, 1.56x, ... of its size), and at most a fifth of
        // the jobs sit in half-full nodes.
        if count >= 1024 && inner.jobs.len() >= inner.packed_len + inner.packed_len / 4 {
            inner.compact();
        }
        drop(inner);
        self.writes.fetch_add(1, Ordering::AcqRel);
        Ok(count)
    }

    /// Removes every job (sequence numbers keep counting, so old listings see no new jobs).
    pub fn reset(&self) {
        let mut inner = self.write();
        let next_seq = inner.next_seq;
        *inner = Inner {
            next_seq,
            ..Inner::default()
        };
        drop(inner);
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    /// How many changes (`insert`, `insert_many`, `reset`) the store has seen: a value that
    /// differs from an earlier reading means the jobs may have changed since.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Number of stored jobs.
    pub fn len(&self) -> usize {
        self.read().jobs.len()
    }

    /// Whether the store holds no job.
    pub fn is_empty(&self) -> bool {
        self.read().jobs.is_empty()
    }

    /// The stored job with this ARN.
    pub fn get(&self, arn: &str) -> Option<BatchSegmentJobSummary> {
        let inner = self.read();
        let created = *inner.by_arn.get(arn)?;
        let key = JobKey {
            created: Reverse(created),
            arn: SharedStr::new(arn),
        };
        let record = inner.jobs.get(&key)?;
        Some(inner.summary(&key, record))
    }

    /// Every job, in listing order.
    pub fn jobs(&self) -> Vec<BatchSegmentJobSummary> {
        let inner = self.read();
        inner
            .jobs
            .iter()
            .map(|(key, record)| inner.summary(key, record))
            .collect()
    }

    /// The snapshot a listing starting now sees: every job stored so far.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot(self.read().next_seq + 1)
    }

    /// Up to `limit` jobs after `after` (from the start when `None`) that match the filter and
    /// were inserted before `snapshot`; `next` is set only when more such jobs follow.
    pub fn page(
        &self,
        solution_version_arn: Option<&str>,
        after: Option<&Cursor>,
        snapshot: Snapshot,
        limit: usize,
    ) -> Page {
        self.read()
            .page(solution_version_arn, after, snapshot, limit)
    }

    /// The same page as [`BatchSegmentJobStore::page`], written as JSON into `writer` (no
    /// `BatchSegmentJobSummary` is built); returns where the next page starts.
    pub fn write_page(
        &self,
        solution_version_arn: Option<&str>,
        after: Option<&Cursor>,
        snapshot: Snapshot,
        limit: usize,
        writer: &mut PageWriter,
    ) -> Option<Cursor> {
        let inner = self.read();
        inner.scan(
            solution_version_arn,
            after,
            snapshot,
            limit,
            |key, record| writer.job(&inner.fields(key, record)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(n: u32, created: i64, sv: &str) -> BatchSegmentJobSummary {
        BatchSegmentJobSummary::builder()
            .batch_segment_job_arn(format!(
                "arn:aws:personalize:us-east-1:1:batch-segment-job/j{n:03}"
            ))
            .job_name(format!("j{n:03}"))
            .status("ACTIVE")
            .creation_date_time(DateTime::from_millis(created))
            .solution_version_arn(sv)
            .build()
    }

    const SV1: &str = "arn:aws:personalize:us-east-1:1:solution/a/1";
    const SV2: &str = "arn:aws:personalize:us-east-1:1:solution/b/1";

    fn arns(jobs: &[BatchSegmentJobSummary]) -> Vec<String> {
        jobs.iter()
            .map(|j| j.batch_segment_job_arn.clone().unwrap())
            .collect()
    }

    #[test]
    fn newest_first_then_arn() {
        let store = BatchSegmentJobStore::new();
        store.insert(job(2, 1000, SV1)).unwrap();
        store.insert(job(1, 1000, SV1)).unwrap();
        store.insert(job(3, 2000, SV1)).unwrap();
        let mut no_time = job(0, 0, SV1);
        no_time.creation_date_time = None;
        store.insert(no_time).unwrap();
        let names: Vec<_> = store
            .jobs()
            .into_iter()
            .map(|j| j.job_name.unwrap())
            .collect();
        assert_eq!(names, ["j003", "j001", "j002", "j000"]);
        assert!(store.jobs()[3].creation_date_time.is_none());
    }

    #[test]
    fn round_trips_every_member() {
        let store = BatchSegmentJobStore::new();
        let full = BatchSegmentJobSummary::builder()
            .batch_segment_job_arn("arn:aws:personalize:us-east-1:1:batch-segment-job/x")
            .job_name("x")
            .status("CREATE FAILED")
            .creation_date_time(DateTime::from_millis(1_700_000_001_123))
            .last_updated_date_time(DateTime::from_micros(1_700_000_002_000_001))
            .failure_reason("boom")
            .solution_version_arn(SV1)
            .build();
        store.insert(full.clone()).unwrap();
        assert_eq!(store.jobs(), vec![full.clone()]);
        assert_eq!(
            store.get(full.batch_segment_job_arn.as_deref().unwrap()),
            Some(full)
        );
    }

    #[test]
    fn same_arn_replaces() {
        let store = BatchSegmentJobStore::new();
        store.insert(job(1, 1000, SV1)).unwrap();
        store.insert(job(1, 5000, SV2)).unwrap();
        assert_eq!(store.len(), 1);
        assert_eq!(store.page(Some(SV1), None, store.snapshot(), 10).jobs, []);
        assert_eq!(
            store.page(Some(SV2), None, store.snapshot(), 10).jobs.len(),
            1
        );
    }

    #[test]
    fn pages_by_cursor_with_filter() {
        let store = BatchSegmentJobStore::new();
        for n in 0..10 {
            store
                .insert(job(
                    n,
                    i64::from(n) * 10,
                    if n % 2 == 0 { SV1 } else { SV2 },
                ))
                .unwrap();
        }
        let snap = store.snapshot();
        let p1 = store.page(Some(SV1), None, snap, 2);
        assert_eq!(arns(&p1.jobs).len(), 2);
        assert_eq!(p1.jobs[0].job_name.as_deref(), Some("j008"));
        let p2 = store.page(Some(SV1), p1.next.as_ref(), snap, 2);
        let p3 = store.page(Some(SV1), p2.next.as_ref(), snap, 2);
        assert_eq!(p3.jobs.len(), 1);
        assert_eq!(p3.jobs[0].job_name.as_deref(), Some("j000"));
        assert_eq!(p3.next, None);
        // Exactly full last page: no next cursor.
        let all = store.page(None, None, snap, 10);
        assert_eq!(all.jobs.len(), 10);
        assert_eq!(all.next, None);
    }

    #[test]
    fn snapshot_hides_later_inserts() {
        let store = BatchSegmentJobStore::new();
        store.insert(job(5, 5000, SV1)).unwrap();
        store.insert(job(4, 4000, SV1)).unwrap();
        let snap = store.snapshot();
        let p1 = store.page(None, None, snap, 1);
        store.insert(job(1, 1, SV1)).unwrap(); // old timestamp: lands after the cursor
        let p2 = store.page(None, p1.next.as_ref(), snap, 10);
        assert_eq!(p2.jobs.len(), 1);
        assert_eq!(p2.jobs[0].job_name.as_deref(), Some("j004"));
        assert_eq!(p2.next, None);
    }

    #[test]
    fn refuses_invalid_jobs() {
        let store = BatchSegmentJobStore::new();
        let err = store
            .insert(BatchSegmentJobSummary::builder().job_name("x").build())
            .unwrap_err();
        assert_eq!(err, InvalidJob::MissingArn { index: 0 });
        let err = store
            .insert_many([job(1, 1, SV1), job(2, 2, "not-an-arn")])
            .unwrap_err();
        assert!(err.to_string().contains("#1"), "{err}");
        assert!(err.to_string().contains("not-an-arn"), "{err}");
        assert!(store.is_empty(), "insert_many is all or nothing");
    }

    #[test]
    fn a_store_filled_in_batches_stays_mostly_packed() {
        let store = BatchSegmentJobStore::new();
        let total = 40 * 1024;
        for start in (0..total).step_by(1024) {
            let batch = (start..start + 1024).map(|n| job(n, i64::from(n), SV1));
            store.insert_many(batch).unwrap();
            let inner = store.read();
            assert!(
                inner.packed_len * 5 >= inner.jobs.len() * 4,
                "packed {} of {}",
                inner.packed_len,
                inner.jobs.len()
            );
        }
        assert_eq!(store.len(), total as usize);
        let jobs = store.jobs();
        assert_eq!(
            jobs[0].job_name.as_deref(),
            Some(&*format!("j{:03}", total - 1))
        );
        assert_eq!(jobs[jobs.len() - 1].job_name.as_deref(), Some("j000"));
    }

    #[test]
    fn large_batches_are_packed_without_losing_anything() {
        let store = BatchSegmentJobStore::new();
        let mut batch: Vec<_> = (0..3000u32)
            .map(|n| job(n, i64::from(n % 700), if n % 3 == 0 { SV1 } else { SV2 }))
            .collect();
        // Half the jobs are named after their ARN's last segment, as AWS names them.
        for (i, j) in batch.iter_mut().enumerate() {
            if i % 2 == 0 {
                j.job_name = j
                    .batch_segment_job_arn
                    .as_deref()
                    .and_then(|a| a.rsplit('/').next())
                    .map(str::to_owned);
            }
        }
        store.insert_many(batch.clone()).unwrap();
        let mut expected = batch.clone();
        expected.sort_by_key(|j| {
            (
                Reverse(j.creation_date_time.unwrap().as_micros()),
                j.batch_segment_job_arn.clone(),
            )
        });
        assert_eq!(store.jobs(), expected);
        let sv1: Vec<_> = expected
            .iter()
            .filter(|j| j.solution_version_arn.as_deref() == Some(SV1))
            .cloned()
            .collect();
        assert_eq!(
            store.page(Some(SV1), None, store.snapshot(), 5000).jobs,
            sv1
        );
        for j in &expected {
            assert_eq!(
                store
                    .get(j.batch_segment_job_arn.as_deref().unwrap())
                    .as_ref(),
                Some(j)
            );
        }
        {
            // The batch's ARNs were copied into shared chunks, in listing order, each followed
            // by its job's timestamps as a page writes them.
            let inner = store.read();
            let jobs: Vec<(&JobKey, &Record)> = inner.jobs.iter().collect();
            assert!(jobs.windows(2).all(|w| {
                let (key, record) = w[0];
                let tail = usize::from(record.created_text + record.last_updated_text);
                key.arn.follows_in_chunk(tail, &w[1].0.arn)
            }));
            for (key, record) in &jobs {
                let created = usize::from(record.created_text);
                let mut expected = Vec::new();
                page_writer::write_timestamp(&mut expected, DateTime::from_micros(key.created.0));
                assert_eq!(created, expected.len());
                assert_eq!(key.arn.tail(created), Some(&expected[..]));
            }
        }
        // Replacing after packing still finds the old entry.
        store.insert(job(7, 99_999, SV1)).unwrap();
        assert_eq!(store.len(), 3000);
        assert_eq!(store.jobs()[0].job_name.as_deref(), Some("j007"));
        let sv1_after = store.page(Some(SV1), None, store.snapshot(), 5000).jobs;
        // j007 moved from SV2 to SV1.
        assert_eq!(sv1_after.len(), sv1.len() + 1);
        assert_eq!(sv1_after[0].job_name.as_deref(), Some("j007"));
        assert_eq!(
            store
                .page(Some(SV2), None, store.snapshot(), 5000)
                .jobs
                .len(),
            3000 - sv1.len() - 1
        );
    }

    #[test]
    fn names_apart_from_the_arn_follow_their_job() {
        let store = BatchSegmentJobStore::new();
        let mut renamed = job(1, 1000, SV1);
        renamed.job_name = Some("not-the-arn-suffix".into());
        let mut unnamed = job(2, 1000, SV1);
        unnamed.job_name = None;
        store
            .insert_many([renamed.clone(), unnamed.clone(), job(3, 1000, SV1)])
            .unwrap();
        assert_eq!(store.jobs(), [renamed.clone(), unnamed, job(3, 1000, SV1)]);
        assert_eq!(store.read().names.len(), 1);
        // Replaced by a job named after its ARN: the name kept apart goes.
        store.insert(job(1, 2000, SV1)).unwrap();
        assert_eq!(store.jobs()[0], job(1, 2000, SV1));
        assert!(store.read().names.is_empty());
        // And back.
        store.insert(renamed.clone()).unwrap();
        let arn = renamed.batch_segment_job_arn.as_deref().unwrap();
        assert_eq!(store.get(arn), Some(renamed));
        assert_eq!(store.read().names.len(), 1);
        store.reset();
        assert!(store.read().names.is_empty());
    }

    #[test]
    fn a_job_whose_arn_lacks_the_time_text_gets_its_times_formatted() {
        use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsOutput;
        let mut job = job(1, 1_700_000_001_120, SV1);
        job.last_updated_date_time = Some(DateTime::from_micros(1_700_000_002_000_001));
        let mut inner = Inner::default();
        let prepared = prepare(0, job.clone()).unwrap();
        assert_eq!(prepared.times.text, "1700000001.121700000002.000001");
        let bare_arn = SharedStr::new(&prepared.arn);
        inner.insert(prepared, bare_arn);
        let mut writer = PageWriter::new(1);
        let next = inner.scan(None, None, Snapshot(u64::MAX), 10, |key, record| {
            let fields = inner.fields(key, record);
            assert!(matches!(fields.creation_date_time, Some(Time::Value(_))));
            writer.job(&fields);
        });
        assert_eq!(next, None);
        let expected = ListBatchSegmentJobsOutput::builder()
            .batch_segment_jobs(vec![job])
            .build();
        assert_eq!(
            String::from_utf8(writer.finish(None)).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }

    #[test]
    fn a_record_fits_half_a_cache_line() {
        // Pages read records from cold B-tree nodes: a larger record costs every listed job.
        assert!(std::mem::size_of::<Record>() <= 32);
    }

    #[test]
    fn reset_empties_and_keeps_counting() {
        let store = BatchSegmentJobStore::new();
        store.insert(job(1, 1, SV1)).unwrap();
        let before = store.snapshot();
        store.reset();
        assert!(store.is_empty());
        store.insert(job(2, 2, SV1)).unwrap();
        assert_eq!(store.page(None, None, before, 10).jobs, []);
        assert_eq!(store.page(None, None, store.snapshot(), 10).jobs.len(), 1);
    }
}
