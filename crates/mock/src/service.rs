//! The transport-free request handler: an HTTP request in, an awsJson response out.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use personalize_model::error::{InvalidInputException, InvalidNextTokenException};
use personalize_model::operation::list_batch_segment_jobs::{
    ListBatchSegmentJobs, ListBatchSegmentJobsError, ListBatchSegmentJobsInput,
    ListBatchSegmentJobsOutput,
};
use personalize_model::{Operation, OperationError, Validate};
use serde_json::{Map, Value};

use crate::job_details::JobBook;
use crate::page_writer::PageWriter;
use crate::store::{BatchSegmentJobStore, Cursor, Snapshot};
use crate::token::TokenCodec;
use crate::wire::{self, WireError, CONTENT_TYPE_JSON};

/// Largest request body accepted, in bytes (1 MiB); larger bodies get `413`.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Page size when the request sets no `maxResults` (the model's documented default).
pub const DEFAULT_MAX_RESULTS: usize = 100;

/// Longest value quoted back in an error message before it is cut.
const QUOTE_LIMIT: usize = 200;

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
        check_content_type(request.headers())?;
        let input = parse_input(request.body())?;
        self.list_batch_segment_jobs_body(&input).map_err(|e| {
            WireError::modeled(modeled_code(&e), e.message().unwrap_or_default().to_owned())
        })
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

/// The `__type` for an operation error (`InternalFailure` for anything not modeled).
fn modeled_code(error: &ListBatchSegmentJobsError) -> &'static str {
    ListBatchSegmentJobs::ERRORS
        .iter()
        .map(|e| e.code)
        .find(|code| *code == error.code())
        .unwrap_or("InternalFailure")
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
    let Some(value) = headers.get("x-amz-target") else {
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

fn check_content_type(headers: &HeaderMap) -> Result<(), WireError> {
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
        quote(&text),
        ListBatchSegmentJobs::TARGET
    )))
}

/// Reads the body as the operation's input: a JSON object (an empty body counts as `{}`),
/// `null` members absent, unknown members ignored.
fn parse_input(body: &[u8]) -> Result<ListBatchSegmentJobsInput, WireError> {
    let Some(first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Ok(ListBatchSegmentJobsInput::default());
    };
    // The common case, read in one pass; anything refused is read again below, only to
    // explain what is wrong (the `Value` pass also accepts duplicate members, last one wins).
    if *first == b'{' {
        if let Ok(input) = serde_json::from_slice(body) {
            return Ok(input);
        }
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| WireError::serialization(format!("request body is not valid JSON: {e}")))?;
    let Value::Object(members) = value else {
        return Err(WireError::serialization(format!(
            "request body must be a JSON object, got {}",
            kind(&value)
        )));
    };
    match serde_json::from_value(Value::Object(members.clone())) {
        Ok(input) => Ok(input),
        Err(e) => Err(WireError::serialization(
            wrong_member(&members).unwrap_or_else(|| {
                format!("request body does not match ListBatchSegmentJobsRequest: {e}")
            }),
        )),
    }
}

/// Names the first member whose value has the wrong JSON type.
fn wrong_member(members: &Map<String, Value>) -> Option<String> {
    members.iter().find_map(|(name, value)| {
        let mut alone = Map::new();
        alone.insert(name.clone(), value.clone());
        let err =
            serde_json::from_value::<ListBatchSegmentJobsInput>(Value::Object(alone)).err()?;
        Some(format!(
            "Value {} at '{name}' cannot be read as the member's type: {err}",
            quote(&value.to_string())
        ))
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `'text'`, cut to [`QUOTE_LIMIT`] characters.
fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let cut: String = chars.by_ref().take(QUOTE_LIMIT).collect();
    if chars.next().is_some() {
        format!("'{cut}…'")
    } else {
        format!("'{cut}'")
    }
}
