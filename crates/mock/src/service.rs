//! The transport-free request handler: an HTTP request in, an awsJson response out.
//!
//! Every `AmazonPersonalize.*` target goes through the generated router
//! (`generated::handler::route`) to the typed [`Handler`] methods, which all default to the
//! resource engine. Beside the AWS surface, a few admin routes let tests in any language reset
//! and seed a running mock (see the README): `POST /_mock/reset`, `POST /_mock/seed` (a seed
//! file as the body), `GET /_mock/state` (every resource, in the seed format), and moto's
//! `POST /moto-api/reset`.

use std::collections::HashMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use personalize_model::{Operation, OperationError};

use crate::engine::lifecycle::{Clock, Schedules};
use crate::engine::seed::SeedProblem;
use crate::engine::{Caller, Engine};
use crate::generated::handler::{route, Handler};
use crate::protocol::{self, Context, Reply, DEFAULT_ACCOUNT, DEFAULT_REGION};
use crate::wire::{self, WireError};

#[derive(Debug)]
struct Shared {
    engine: Engine,
    accounts: HashMap<String, String>,
    default_account: String,
}

/// The mock's request handler, usable without any network (in-process tests, fuzzers).
///
/// Cloning is cheap: clones share the state and the token key.
#[derive(Clone, Debug)]
pub struct MockService {
    shared: Arc<Shared>,
}

impl Default for MockService {
    fn default() -> Self {
        Self::new()
    }
}

/// A seed or state file that could not be loaded: where in it, and what is wrong.
pub type SeedError = SeedProblem;

impl MockService {
    /// A handler with no resources but the AWS-owned catalogue, a fresh random token key,
    /// every access key in account [`DEFAULT_ACCOUNT`].
    pub fn new() -> Self {
        Self::with_accounts(HashMap::new(), DEFAULT_ACCOUNT)
    }

    /// A handler that serves access key `k` in account `accounts[k]`, others in `default`.
    pub fn with_accounts(accounts: HashMap<String, String>, default: &str) -> Self {
        let engine = match Engine::new() {
            Ok(engine) => engine,
            // The kinds table is checked against the model by the engine's tests; a mismatch
            // is a bug in this crate, not something a caller can cause.
            Err(e) => panic!("{e}"),
        };
        MockService {
            shared: Arc::new(Shared {
                engine,
                accounts,
                default_account: default.to_owned(),
            }),
        }
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

    /// Adds the resources of a seed (any value serialising to a seed file, such as
    /// `json!({"datasetGroups": [...]})`); the number stored.
    pub fn seed<T: serde::Serialize>(&self, seed: &T) -> Result<usize, SeedError> {
        let bytes = serde_json::to_vec(seed).map_err(|e| SeedProblem(e.to_string()))?;
        self.seed_reader(&bytes[..])
    }

    /// Adds the resources of a seed file read from `reader`, streaming; the number stored.
    pub fn seed_reader(&self, reader: impl Read) -> Result<usize, SeedError> {
        self.shared.engine.seed(reader)
    }

    /// Removes every resource of every account (the AWS-owned catalogue stays).
    pub fn reset(&self) {
        self.shared.engine.reset();
    }

    /// Number of resources stored (every account and region; not the catalogue).
    pub fn len(&self) -> usize {
        self.shared.engine.len()
    }

    /// Whether no resource is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The resource with this ARN (in the account and region it names), as Describe returns it.
    pub fn resource(&self, arn: &str) -> Option<serde_json::Value> {
        self.shared.engine.get(arn)
    }

    /// Every resource in the seed format (what `GET /_mock/state` answers).
    pub fn dump(&self) -> Vec<u8> {
        self.shared.engine.dump()
    }

    /// Sets the clock resource times come from (default [`Clock::System`]).
    pub fn set_clock(&self, clock: Clock) {
        self.shared.engine.set_clock(clock);
    }

    /// Sets the lifecycle delays of resources created from now on (default: immediate).
    pub fn set_schedules(&self, schedules: Schedules) {
        self.shared.engine.set_schedules(schedules);
    }

    /// A counter that moves on every change of state (persistence writes when it moved).
    pub fn changes(&self) -> u64 {
        self.shared.engine.changes()
    }

    fn dispatch(&self, request: &Request<Bytes>, request_id: &str) -> Response<Bytes> {
        if let Some(response) = self.admin(request, request_id) {
            return response;
        }
        let (account, region) = self.caller_of(request.headers());
        let ctx = Context {
            request_id: request_id.to_owned(),
            account,
            region,
        };
        protocol::handle(&ctx, request, |target, parts| {
            route(self, &ctx, target, parts)
        })
    }

    /// The account and region a request is served in: the access key's account (mapped, else
    /// the default) and the region of its SigV4 credential scope (else [`DEFAULT_REGION`]).
    fn caller_of(&self, headers: &HeaderMap) -> (String, String) {
        let scope = crate::sigv4::credential_scope(headers);
        let account = scope
            .as_ref()
            .and_then(|s| self.shared.accounts.get(s.access_key_id))
            .cloned()
            .unwrap_or_else(|| self.shared.default_account.clone());
        let region = scope
            .map(|s| s.region.to_owned())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        (account, region)
    }

    /// The admin routes beside the AWS surface; `None` for any other request.
    fn admin(&self, request: &Request<Bytes>, request_id: &str) -> Option<Response<Bytes>> {
        let ok = |body: Bytes| wire::success_body(body, request_id);
        let response = match (request.method(), request.uri().path()) {
            (&Method::POST, "/_mock/reset" | "/moto-api/reset") => {
                self.reset();
                ok(Bytes::from_static(b"{}"))
            }
            (&Method::POST, "/_mock/seed") => match self.seed_reader(&request.body()[..]) {
                Ok(count) => ok(Bytes::from(format!("{{\"stored\":{count}}}"))),
                Err(e) => wire::error(
                    &WireError::protocol(
                        StatusCode::BAD_REQUEST,
                        "InvalidInputException",
                        format!("seed: {e}"),
                    ),
                    request_id,
                ),
            },
            (&Method::GET, "/_mock/state") => ok(Bytes::from(self.dump())),
            _ => return None,
        };
        Some(response)
    }
}

impl Handler for MockService {
    fn generic<O: Operation>(
        &self,
        ctx: &Context,
        input: O::Input,
    ) -> Result<Reply<O::Output>, O::Error> {
        let value = serde_json::to_value(&input)
            .map_err(|e| O::Error::from_code("InternalFailure", Some(e.to_string())))?;
        let caller = Caller {
            account: &ctx.account,
            region: &ctx.region,
        };
        match self.shared.engine.call(caller, O::NAME, value) {
            Ok(body) => Ok(Reply::Json(Bytes::from(body))),
            Err(e) => Err(O::Error::from_code(e.code, Some(e.message))),
        }
    }
}
