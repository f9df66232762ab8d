//! The transport-free request handler: an HTTP request in, an awsJson response out.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use personalize_model::error::{InvalidInputException, InvalidNextTokenException};
use personalize_model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobs, ListBatchSegmentJobsError, ListBatchSegmentJobsInput,
    ListBatchSegmentJobsOutput,
};
use personalize_model::{Operation, Validate};

use crate::job_details::JobBook;
use crate::ops::{
    self,
    input::{self, quote},
};
use crate::page_writer::PageWriter;
use crate::store::{BatchSegmentJobStore, Cursor, Snapshot};
use crate::token::TokenCodec;
use crate::wire::{self, WireError};

/// Largest request body accepted, in bytes (1 MiB); larger bodies get `413`.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Page size when the request sets no `maxResults` (the model's documented default).
pub const DEFAULT_MAX_RESULTS: usize = 100;

#[derive(Debug)]
struct Shared {
    store: BatchSegmentJobStore,
    tokens: TokenCodec,
    jobs: JobBook,
}

/// The mock's request handler, usable without any network (in-process tests, fuzzers).
///
/// Cloning is cheap: clones share the store and the token key.
#[derive(Clone, Debug)]
pub struct MockService {
    shared: Arc<Shared>,
}

impl Default for MockService {
    fn default() -> Self {
        Self::new(BatchSegmentJobStore::new())
    }
}

impl MockService {
    /// A handler serving `store`, with a fresh random token key.
    pub fn new(store: BatchSegmentJobStore) -> Self {
        MockService {
            shared: Arc::new(Shared {
                store,
                tokens: TokenCodec::random(),
                jobs: JobBook::default(),
            }),
        }
    }

    /// Details and pending status changes of the jobs created through this handler.
    pub fn job_book(&self) -> &JobBook {
        &self.shared.jobs
    }

    /// The store this handler serves.
    pub fn store(&self) -> &BatchSegmentJobStore {
        &self.shared.store
    }

    /// Handles one request; never panics (a panic inside becomes a `500 InternalFailure`,
    /// which only a bug in the mock can cause).
    pub fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        let request_id = wire::request_id();
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(&request, &request_id))) {
            Ok(response) => response,
            Err(_) => wire::error(
                &WireError::protocol(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalFailure",
                    "the mock failed while handling this request (a bug in personalize-mock)",
                ),
                &request_id,
            ),
        }
    }

    /// Handles the parts of a request (method, path, headers, body).
    pub fn handle_parts(
        &self,
        method: Method,
        path: &str,
        headers: HeaderMap,
        body: Bytes,
    ) -> Response<Bytes> {
        let mut request = Request::new(body);
        *request.method_mut() = method;
        if let Ok(uri) = path.parse() {
            *request.uri_mut() = uri;
        }
        *request.headers_mut() = headers;
        self.handle(request)
    }

    fn dispatch(&self, request: &Request<Bytes>, request_id: &str) -> Response<Bytes> {
        if let Some(response) = crate::ops::serve(self, request, request_id) {
            return response;
        }
        match self.route(request) {
            Ok(body) => wire::success_body(body, request_id),
            Err(err) => wire::error(&err, request_id),
        }
    }

    /// The JSON body of the answer, or the error to send.
    fn route(&self, request: &Request<Bytes>) -> Result<Bytes, WireError> {
        if request.uri().path() != "/" {
            return Err(WireError::protocol(
                StatusCode::NOT_FOUND,
                "UnknownOperationException",
                format!(
                    "no operation at path {}: awsJson requests are POST /",
                    quote(request.uri().path())
                ),
            ));
        }
        if request.method() != Method::POST {
            return Err(WireError::protocol(
                StatusCode::METHOD_NOT_ALLOWED,
                "UnknownOperationException",
                format!(
                    "method {} is not allowed: awsJson requests are POST /",
                    request.method()
                ),
            ));
        }
        if request.body().len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        check_target(request.headers())?;
        ops::check_content_type::<ListBatchSegmentJobs>(request.headers())?;
        let input =
            input::parse::<ListBatchSegmentJobsInput>(request.body(), ListBatchSegmentJobs::NAME)?;
        self.list_batch_segment_jobs_body(&input)
            .map_err(|e| ops::modeled::<ListBatchSegmentJobs>(&e))
    }

    /// Runs `ListBatchSegmentJobs` on a parsed input, as the HTTP handler does.
    pub fn list_batch_segment_jobs(
        &self,
        input: &ListBatchSegmentJobsInput,
    ) -> Result<ListBatchSegmentJobsOutput, ListBatchSegmentJobsError> {
        let query = self.list_query(input)?;
        let page = self.shared.store.page(
            query.filter,
            query.after.as_ref(),
            query.snapshot,
            query.limit,
        );
        let next_token = page
            .next
            .map(|cursor| query.seal(&self.shared.tokens, &cursor));
        Ok(ListBatchSegmentJobsOutput::builder()
            .batch_segment_jobs(page.jobs)
            .set_next_token(next_token)
            .build())
    }

    /// [`MockService::list_batch_segment_jobs`] as the JSON body the HTTP handler sends,
    /// written straight from the store (byte for byte what serializing the output gives).
    pub fn list_batch_segment_jobs_body(
        &self,
        input: &ListBatchSegmentJobsInput,
    ) -> Result<Bytes, ListBatchSegmentJobsError> {
        let query = self.list_query(input)?;
        let store = &self.shared.store;
        let mut writer = PageWriter::new(query.limit.min(store.len()));
        let next = store.write_page(
            query.filter,
            query.after.as_ref(),
            query.snapshot,
            query.limit,
            &mut writer,
        );
        let next_token = next.map(|cursor| query.seal(&self.shared.tokens, &cursor));
        Ok(Bytes::from(writer.finish(next_token.as_deref())))
    }

    /// Checks a `ListBatchSegmentJobs` input and opens its token.
    fn list_query<'i>(
        &self,
        input: &'i ListBatchSegmentJobsInput,
    ) -> Result<ListQuery<'i>, ListBatchSegmentJobsError> {
        input.validate().map_err(|errors| {
            ListBatchSegmentJobsError::InvalidInputException(InvalidInputException::new(Some(
                errors.to_string(),
            )))
        })?;
        let filter = input.solution_version_arn.as_deref();
        let store = &self.shared.store;
        let (after, snapshot) = match input.next_token.as_deref() {
            None => (None, store.snapshot()),
            Some(token) => {
                let (cursor, snapshot) =
                    self.shared.tokens.open(token, filter).map_err(|reason| {
                        ListBatchSegmentJobsError::InvalidNextTokenException(
                            InvalidNextTokenException::new(Some(format!(
                                "Invalid next token: {reason}"
                            ))),
                        )
                    })?;
                (Some(cursor), snapshot)
            }
        };
        let limit = input
            .max_results
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(DEFAULT_MAX_RESULTS);
        Ok(ListQuery {
            filter,
            after,
            snapshot,
            limit,
        })
    }
}

/// A checked `ListBatchSegmentJobs` request: what to list, from where, how many.
struct ListQuery<'i> {
    filter: Option<&'i str>,
    after: Option<Cursor>,
    snapshot: Snapshot,
    limit: usize,
}

impl ListQuery<'_> {
    /// The token for the page after `cursor` in this listing.
    fn seal(&self, tokens: &TokenCodec, cursor: &Cursor) -> String {
        tokens.seal(cursor, self.snapshot, self.filter)
    }
}

/// `413`: the body is over [`MAX_BODY_BYTES`].
pub(crate) fn too_large() -> WireError {
    WireError::protocol(
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLargeException",
        format!("request body is larger than the mock's limit of {MAX_BODY_BYTES} bytes"),
    )
}

fn check_target(headers: &HeaderMap) -> Result<(), WireError> {
    let Some(value) = headers.get(wire::TARGET_HEADER) else {
        return Err(WireError::unknown_operation(
            "missing X-Amz-Target header: awsJson requests name their operation there",
        ));
    };
    let target = value.to_str().unwrap_or_default();
    if target == ListBatchSegmentJobs::TARGET {
        return Ok(());
    }
    Err(WireError::unknown_operation(format!(
        "X-Amz-Target {} is not an operation this mock serves (it serves {}.{{{}}})",
        quote(&String::from_utf8_lossy(value.as_bytes())),
        personalize_model::service::SERVICE.target_prefix,
        personalize_model::service::OPERATIONS.join(",")
    )))
}
