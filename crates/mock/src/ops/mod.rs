//! The batch segment job operations beyond the listing: `CreateBatchSegmentJob` and
//! `DescribeBatchSegmentJob` (behaviour in [`create`] and [`describe`]), and the HTTP glue
//! that serves any generated operation from its model types.

pub mod arn;
pub mod create;
pub mod describe;
pub(crate) mod input;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use personalize_model::operation::create_batch_segment_job::{
    CreateBatchSegmentJob, CreateBatchSegmentJobError, CreateBatchSegmentJobInput,
    CreateBatchSegmentJobOutput,
};
use personalize_model::operation::describe_batch_segment_job::{
    DescribeBatchSegmentJob, DescribeBatchSegmentJobError, DescribeBatchSegmentJobInput,
    DescribeBatchSegmentJobOutput,
};
use personalize_model::{Operation, OperationError};

use crate::schedule::{JobClock, JobSchedule};
use crate::service::{MockService, MAX_BODY_BYTES};
use crate::wire::{self, WireError, CONTENT_TYPE_JSON};

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

/// Answers the request when it is a well-formed `POST /` whose target is one of the
/// operations here; `None` lets the caller go on (its own targets, and every protocol error).
/// Due status changes are applied first, whatever the request, so that listings see them.
pub(crate) fn serve(
    service: &MockService,
    request: &Request<Bytes>,
    request_id: &str,
) -> Option<Response<Bytes>> {
    service.advance_jobs();
    if request.uri().path() != "/"
        || request.method() != Method::POST
        || request.body().len() > MAX_BODY_BYTES
    {
        return None;
    }
    let headers = request.headers();
    let body = request.body();
    let target = headers.get(wire::TARGET_HEADER)?.as_bytes();
    let reply = if target == CreateBatchSegmentJob::TARGET.as_bytes() {
        run::<CreateBatchSegmentJob>(headers, body, request_id, |input| {
            service.create_batch_segment_job(&input)
        })
    } else if target == DescribeBatchSegmentJob::TARGET.as_bytes() {
        run::<DescribeBatchSegmentJob>(headers, body, request_id, |input| {
            service.describe_batch_segment_job(&input)
        })
    } else {
        return None;
    };
    Some(reply)
}

/// Content type check, body parsing, the handler, and the output or error on the wire.
fn run<O: Operation>(
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
    handler: impl FnOnce(O::Input) -> Result<O::Output, O::Error>,
) -> Response<Bytes> {
    let output = check_content_type::<O>(headers)
        .and_then(|()| input::parse::<O::Input>(body, O::NAME))
        .and_then(|input| handler(input).map_err(|e| modeled::<O>(&e)));
    match output {
        Ok(output) => wire::success(&output, request_id),
        Err(err) => wire::error(&err, request_id),
    }
}

/// A modeled error goes out as `400` with its code (the status the AWS API Reference gives
/// every Personalize error; the Smithy model's `@httpError` says 403/404/409 for some, which
/// no AWS client reads for awsJson); anything else is the mock's own failure.
pub(crate) fn modeled<O: Operation>(error: &O::Error) -> WireError {
    let message = error.message().unwrap_or_default().to_owned();
    match O::ERRORS.iter().find(|meta| meta.code == error.code()) {
        Some(meta) => WireError::protocol(StatusCode::BAD_REQUEST, meta.code, message),
        None => WireError::protocol(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            message,
        ),
    }
}

/// Accepts `application/x-amz-json-1.1` with or without parameters; anything else is
/// `UnknownOperationException`, as AWS answers it.
pub(crate) fn check_content_type<O: Operation>(headers: &HeaderMap) -> Result<(), WireError> {
    let value = headers
        .get(CONTENT_TYPE)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(value);
    let essence = text.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case(CONTENT_TYPE_JSON) {
        return Ok(());
    }
    Err(WireError::unknown_operation(format!(
        "Content-Type {} is not {CONTENT_TYPE_JSON}, the protocol of {}",
        input::quote(&text),
        O::TARGET
    )))
}
