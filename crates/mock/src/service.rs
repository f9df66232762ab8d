//! The transport-free request handler: an HTTP request in, an awsJson response out.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use personalize_model::error::{InvalidInputException, InvalidNextTokenException};
use personalize_model::operation::create_batch_segment_job::{
    CreateBatchSegmentJobError, CreateBatchSegmentJobInput, CreateBatchSegmentJobOutput,
};
use personalize_model::operation::describe_batch_segment_job::{
    DescribeBatchSegmentJobError, DescribeBatchSegmentJobInput, DescribeBatchSegmentJobOutput,
};
use personalize_model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobsError, ListBatchSegmentJobsInput, ListBatchSegmentJobsOutput,
};
use personalize_model::{Operation, OperationError, Validate};

use crate::handler::{self, Handler};
use crate::job_details::JobBook;
use crate::page_writer::PageWriter;
use crate::protocol::{self, Context, Reply};
use crate::store::{BatchSegmentJobStore, Cursor, Snapshot};
use crate::token::TokenCodec;
use crate::wire::{self, WireError};

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
        let ctx = Context::new(wire::request_id());
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(&request, &ctx))) {
            Ok(response) => response,
            Err(_) => wire::error(
                &WireError::protocol(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalFailure",
                    "the mock failed while handling this request (a bug in personalize-mock)",
                ),
                &ctx.request_id,
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

    /// Applies the due status changes (so that listings see them), then serves the request
    /// through the generated routing.
    fn dispatch(&self, request: &Request<Bytes>, ctx: &Context) -> Response<Bytes> {
        self.advance_jobs();
        protocol::handle(ctx, request, |target, parts| {
            handler::route(self, ctx, target, parts)
        })
    }

    /// Runs `ListBatchSegmentJobs` on a parsed input, as the HTTP handler does.
    pub fn list_batch_segment_jobs(
        &self,
        input: &ListBatchSegmentJobsInput,
    ) -> Result<ListBatchSegmentJobsOutput, ListBatchSegmentJobsError> {
        validate_list(input)?;
        let query = self.open_query(input)?;
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
        validate_list(input)?;
        self.page_body(input)
    }

    /// [`MockService::list_batch_segment_jobs_body`] for an input already validated.
    fn page_body(
        &self,
        input: &ListBatchSegmentJobsInput,
    ) -> Result<Bytes, ListBatchSegmentJobsError> {
        let query = self.open_query(input)?;
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

    /// Opens the token of a validated `ListBatchSegmentJobs` input.
    fn open_query<'i>(
        &self,
        input: &'i ListBatchSegmentJobsInput,
    ) -> Result<ListQuery<'i>, ListBatchSegmentJobsError> {
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

/// The model's constraints on a `ListBatchSegmentJobs` input, as `InvalidInputException`.
fn validate_list(input: &ListBatchSegmentJobsInput) -> Result<(), ListBatchSegmentJobsError> {
    input.validate().map_err(|errors| {
        ListBatchSegmentJobsError::InvalidInputException(InvalidInputException::new(Some(
            errors.to_string(),
        )))
    })
}

/// The operations the mock serves: the batch segment job ones by hand; every other
/// operation is not served yet.
impl Handler for MockService {
    fn generic<O: Operation>(
        &self,
        _ctx: &Context,
        _input: O::Input,
    ) -> Result<Reply<O::Output>, O::Error> {
        Err(O::Error::from_code(
            "UnknownOperationException",
            Some(format!("{} is not served by this mock yet", O::TARGET)),
        ))
    }

    fn list_batch_segment_jobs(
        &self,
        _ctx: &Context,
        input: ListBatchSegmentJobsInput,
    ) -> Result<Reply<ListBatchSegmentJobsOutput>, ListBatchSegmentJobsError> {
        self.page_body(&input).map(Reply::Json)
    }

    fn create_batch_segment_job(
        &self,
        _ctx: &Context,
        input: CreateBatchSegmentJobInput,
    ) -> Result<Reply<CreateBatchSegmentJobOutput>, CreateBatchSegmentJobError> {
        MockService::create_batch_segment_job(self, &input).map(Reply::Output)
    }

    fn describe_batch_segment_job(
        &self,
        _ctx: &Context,
        input: DescribeBatchSegmentJobInput,
    ) -> Result<Reply<DescribeBatchSegmentJobOutput>, DescribeBatchSegmentJobError> {
        MockService::describe_batch_segment_job(self, &input).map(Reply::Output)
    }
}
