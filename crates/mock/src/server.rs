//! The HTTP server: hyper 1 (HTTP/1.1) on tokio, one task per connection.

use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::{HeaderValue, CONNECTION, EXPECT};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::error::Elapsed;

use crate::engine::lifecycle::{Clock, Schedules};
use crate::protocol::{self, DEFAULT_ACCOUNT, MAX_BODY_BYTES};
use crate::service::{MockService, SeedError};
use crate::sigv4::{Credentials, SigV4Verifier};
use crate::state::{StateError, StateFile};
use crate::wire::{self, WireError};

/// Default time a client has to send a request's headers, and then its body.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Default cap on connections served at once.
pub const MAX_CONNECTIONS: usize = 1024;

/// Default cap on the size of a request's start line and headers, in bytes (64 KiB).
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Default cap on the number of headers in a request.
pub const MAX_HEADERS: usize = 100;

/// Most bytes of an oversized body read and thrown away before its `413` (64 MiB), so that a
/// client still sending reads the answer instead of a reset connection; past this the `413`
/// goes out and the connection closes.
pub const MAX_DISCARD_BYTES: u64 = 64 * 1024 * 1024;

/// Largest header-size limit accepted (hyper's read buffer is grown to fit it).
const MAX_HEADER_BYTES_CEILING: usize = 16 * 1024 * 1024;

/// hyper's default read buffer (8 KiB + 100 × 4 KiB); grown only for larger header limits.
const HYPER_DEFAULT_BUF: usize = 8192 + 4096 * 100;

/// hyper's own cap on headers per request, which it checks with arrays on the stack; a cap set
/// explicitly costs two arrays of that many slots filled per request, so only a different cap
/// is passed on.
const HYPER_DEFAULT_MAX_HEADERS: usize = 100;

/// Transport limits protecting the server from hostile or broken clients.
///
/// A body over `max_body_bytes` is answered `413 RequestEntityTooLargeException` at once, and
/// the rest of it read and thrown away (up to [`MAX_DISCARD_BYTES`], within `read_timeout`) so
/// that the client reads the answer; a client that sent `Expect: 100-continue` gets the `413`
/// without sending the body. A request over `max_header_bytes` or `max_headers` is answered `431 Request Header Fields
/// Too Large` and its connection closed. Connections beyond `max_connections` are not
/// accepted until an open one closes: they wait in the operating system's listen backlog
/// (their requests are served late, never refused). Idle keep-alive connections are closed
/// after `read_timeout`, so waiting connections get their turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Bytes of request body (default and most [`MAX_BODY_BYTES`]).
    pub max_body_bytes: usize,
    /// Connections served at once (default [`MAX_CONNECTIONS`]).
    pub max_connections: usize,
    /// Bytes of start line plus headers (default [`MAX_HEADER_BYTES`]).
    pub max_header_bytes: usize,
    /// Number of headers (default [`MAX_HEADERS`]).
    pub max_headers: usize,
    /// Time for a request's headers (also: how long a connection may sit idle), and then
    /// for its body (default [`READ_TIMEOUT`]).
    pub read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: MAX_BODY_BYTES,
            max_connections: MAX_CONNECTIONS,
            max_header_bytes: MAX_HEADER_BYTES,
            max_headers: MAX_HEADERS,
            read_timeout: READ_TIMEOUT,
        }
    }
}

impl Limits {
    /// Checks every limit is usable: all non-zero, the header size at most 16 MiB, the body
    /// size at most [`MAX_BODY_BYTES`] (the service's own cap).
    pub fn check(&self) -> Result<(), MockError> {
        let invalid = |limit: &'static str, value: String, reason: &'static str| {
            Err(MockError::InvalidLimit {
                limit,
                value,
                reason,
            })
        };
        if self.max_connections == 0 {
            return invalid("max_connections", "0".into(), "must be at least 1");
        }
        if self.max_body_bytes == 0 || self.max_body_bytes > MAX_BODY_BYTES {
            return invalid(
                "max_body_bytes",
                self.max_body_bytes.to_string(),
                "must be between 1 and 1048576",
            );
        }
        if self.max_headers == 0 {
            return invalid("max_headers", "0".into(), "must be at least 1");
        }
        if self.max_header_bytes == 0 || self.max_header_bytes > MAX_HEADER_BYTES_CEILING {
            return invalid(
                "max_header_bytes",
                self.max_header_bytes.to_string(),
                "must be between 1 and 16777216",
            );
        }
        if self.read_timeout.is_zero() {
            return invalid("read_timeout", "0s".into(), "must be longer than zero");
        }
        Ok(())
    }
}

/// Time open connections get to finish their requests when the server shuts down.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The default bind address of [`MockServer::start`]: loopback, any free port.
pub const DEFAULT_BIND: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A seed was refused (the message says where in it and why).
    #[error("cannot seed the mock: {0}")]
    Seed(#[from] SeedError),
    /// A seed file could not be read or loaded.
    #[error("seed file {}: {reason}", path.display())]
    SeedFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where in the file.
        reason: String,
    },
    /// The state file could not be loaded or written (it is left as it was).
    #[error(transparent)]
    State(#[from] StateError),
    /// A limit has a value the server cannot work with.
    #[error("invalid limit {limit} = {value}: {reason}")]
    InvalidLimit {
        /// The limit's name (a [`Limits`] field).
        limit: &'static str,
        /// The value given.
        value: String,
        /// What it must be.
        reason: &'static str,
    },
}

/// Configures a [`MockServer`] before it starts.
#[derive(Debug)]
pub struct MockServerBuilder {
    bind: SocketAddr,
    seeds: Vec<Vec<u8>>,
    seed_files: Vec<PathBuf>,
    limits: Limits,
    verifier: Option<SigV4Verifier>,
    state: Option<PathBuf>,
    schedules: Option<Schedules>,
    clock: Option<Clock>,
    accounts: std::collections::HashMap<String, String>,
    default_account: String,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            bind: DEFAULT_BIND,
            seeds: Vec::new(),
            seed_files: Vec::new(),
            limits: Limits::default(),
            verifier: None,
            state: None,
            schedules: None,
            clock: None,
            accounts: std::collections::HashMap::new(),
            default_account: DEFAULT_ACCOUNT.to_owned(),
        }
    }
}

impl MockServerBuilder {
    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: impl Into<SocketAddr>) -> Self {
        self.bind = addr.into();
        self
    }

    /// Resources the server starts with: a seed file's bytes (`{"datasetGroups":[...]}`,
    /// any mix of kinds; added to any given before, on top of a state file's).
    pub fn seed_json(mut self, seed: impl Into<Vec<u8>>) -> Self {
        self.seeds.push(seed.into());
        self
    }

    /// A seed file the server starts with, streamed from disk at start (never resident whole).
    pub fn seed_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.seed_files.push(path.into());
        self
    }

    /// Resources the server starts with, as any value that serialises to a seed file.
    pub fn seed<T: serde::Serialize>(self, seed: &T) -> Self {
        let bytes = serde_json::to_vec(seed).unwrap_or_else(|_| b"{}".to_vec());
        self.seed_json(bytes)
    }

    /// Serves requests signed with access key `access_key_id` in account `account`.
    pub fn account(mut self, access_key_id: impl Into<String>, account: impl Into<String>) -> Self {
        self.accounts.insert(access_key_id.into(), account.into());
        self
    }

    /// The account of access keys not mapped with [`MockServerBuilder::account`] (default
    /// [`DEFAULT_ACCOUNT`]).
    pub fn default_account(mut self, account: impl Into<String>) -> Self {
        self.default_account = account.into();
        self
    }

    /// All transport limits at once (see [`Limits`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Bytes of request body; more get `413` (default and most [`MAX_BODY_BYTES`]).
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.limits.max_body_bytes = max;
        self
    }

    /// Connections served at once; more wait to be accepted (default [`MAX_CONNECTIONS`]).
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max;
        self
    }

    /// Bytes of request start line plus headers; more get `431` (default [`MAX_HEADER_BYTES`]).
    pub fn max_header_bytes(mut self, max: usize) -> Self {
        self.limits.max_header_bytes = max;
        self
    }

    /// Headers in a request; more get `431` (default [`MAX_HEADERS`]).
    pub fn max_headers(mut self, max: usize) -> Self {
        self.limits.max_headers = max;
        self
    }

    /// Time for a request's headers (and idle time between requests), then for its body
    /// (default [`READ_TIMEOUT`]).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.read_timeout = timeout;
        self
    }

    /// Strict mode: refuse every request not SigV4-signed with `credentials` for service
    /// `personalize` (see [`crate::sigv4`] for the errors).
    pub fn verify_sigv4(mut self, credentials: Credentials) -> Self {
        self.verifier = Some(SigV4Verifier::new(credentials));
        self
    }

    /// Persistence: load the jobs from this file at start (when it exists; seed jobs are added
    /// on top) and rewrite it atomically after every change (see [`crate::state`]).
    pub fn state(mut self, path: impl Into<PathBuf>) -> Self {
        self.state = Some(path.into());
        self
    }

    /// The lifecycle delays of created resources, per kind (default: immediate).
    pub fn schedules(mut self, schedules: Schedules) -> Self {
        self.schedules = Some(schedules);
        self
    }

    /// The clock resource times come from (default [`Clock::System`]).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Loads the state file (if any), seeds the store, binds the address and starts serving.
    pub async fn start(self) -> Result<MockServer, MockError> {
        self.limits.check()?;
        let service = MockService::with_accounts(self.accounts, &self.default_account);
        if let Some(schedules) = self.schedules {
            service.set_schedules(schedules);
        }
        if let Some(clock) = self.clock {
            service.set_clock(clock);
        }
        let state = self.state.map(StateFile::new);
        if let Some(state) = &state {
            let loaded = state.load(&service)?;
            tracing::info!(path = %state.path().display(), loaded, resources = service.len(), "state file");
        }
        for path in &self.seed_files {
            let file = std::fs::File::open(path).map_err(|source| MockError::SeedFile {
                path: path.clone(),
                reason: source.to_string(),
            })?;
            service
                .seed_reader(std::io::BufReader::new(file))
                .map_err(|e| MockError::SeedFile {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
        }
        for seed in &self.seeds {
            service.seed_reader(&seed[..])?;
        }
        if let Some(state) = &state {
            state.save_if_changed(&service)?;
        }
        let state = state.map(Arc::new);
        let listener = TcpListener::bind(self.bind)
            .await
            .map_err(|source| MockError::Bind {
                addr: self.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| MockError::Bind {
            addr: self.bind,
            source,
        })?;
        let (stop, stopped) = watch::channel(false);
        let context = Arc::new(Context {
            service: service.clone(),
            limits: self.limits,
            verifier: self.verifier,
            state: state.clone(),
        });
        let task = tokio::spawn(accept_loop(listener, context, stopped));
        tracing::debug!(%addr, "personalize-mock listening");
        Ok(MockServer {
            addr,
            service,
            state,
            stop,
            task: Some(task),
        })
    }
}

/// A running mock server; stops when dropped or on [`MockServer::shutdown`].
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    service: MockService,
    state: Option<Arc<StateFile>>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server on `127.0.0.1` and a free port, with an empty store.
    pub async fn start() -> Result<MockServer, MockError> {
        Self::builder().start().await
    }

    /// A builder to choose the address, seed jobs or share a store.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT`, to give clients as their endpoint.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The transport-free handler this server runs (shares store and token key).
    pub fn service(&self) -> MockService {
        self.service.clone()
    }

    /// Adds the resources of a seed (see [`MockService::seed`]); with a state file, persists
    /// them (a write failure is logged; [`MockServer::save_state`] reports it).
    pub fn seed<T: serde::Serialize>(&self, seed: &T) -> Result<usize, SeedError> {
        let count = self.service.seed(seed)?;
        self.persist();
        Ok(count)
    }

    /// Removes every resource; persisted like [`MockServer::seed`].
    pub fn reset(&self) {
        self.service.reset();
        self.persist();
    }

    /// Writes the state file now if the state changed since it was last written (changes made
    /// through [`MockServer::service`] directly are persisted by this call or the next request).
    pub fn save_state(&self) -> Result<(), StateError> {
        match &self.state {
            Some(state) => state.save_if_changed(&self.service),
            None => Ok(()),
        }
    }

    fn persist(&self) {
        if let Err(e) = self.save_state() {
            tracing::error!(error = %e, "could not persist the state");
        }
    }

    /// Stops accepting, lets open requests finish (up to [`SHUTDOWN_GRACE`]) and waits.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// What every connection needs: the handler, the limits, the optional verifier.
#[derive(Debug)]
struct Context {
    service: MockService,
    limits: Limits,
    verifier: Option<SigV4Verifier>,
    state: Option<Arc<StateFile>>,
}

async fn accept_loop(
    listener: TcpListener,
    context: Arc<Context>,
    mut stopped: watch::Receiver<bool>,
) {
    let limits = context.limits;
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut permit = None;
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            acquired = permits.clone().acquire_owned(), if permit.is_none() => {
                match acquired {
                    Ok(acquired) => permit = Some(acquired),
                    Err(_) => break, // the semaphore is never closed
                }
            }
            accepted = listener.accept(), if permit.is_some() => match accepted {
                Ok((stream, peer)) => {
                    let held = permit.take();
                    if permits.available_permits() == 0 {
                        tracing::debug!(max = limits.max_connections, "connection cap reached");
                    }
                    let serve = serve_connection(stream, peer, context.clone(), stopped.clone());
                    connections.spawn(async move {
                        serve.await;
                        drop(held);
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(SHUTDOWN_GRACE, drain).await.is_err() {
        connections.abort_all();
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    context: Arc<Context>,
    mut stopped: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let limits = context.limits;
    let handler = service_fn(move |request| {
        let context = context.clone();
        async move { Ok::<_, Infallible>(respond(&context, request).await) }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.read_timeout)
        .max_header_size(limits.max_header_bytes);
    if limits.max_headers != HYPER_DEFAULT_MAX_HEADERS {
        builder.max_headers(limits.max_headers);
    }
    if limits.max_header_bytes > HYPER_DEFAULT_BUF / 2 {
        builder.max_buf_size(HYPER_DEFAULT_BUF.max(limits.max_header_bytes * 2));
    }
    let connection = builder.serve_connection(TokioIo::new(stream), handler);
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        }
        _ = stopped.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

async fn respond(context: &Context, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let read_timeout = context.limits.read_timeout;
    let (parts, body) = request.into_parts();
    // The request line is copied (and the clock read) only when a subscriber wants the log
    // line: a per-request cost otherwise.
    let logged =
        tracing::enabled!(tracing::Level::INFO).then(|| (RequestLine::of(&parts), Instant::now()));
    let max_body = context.limits.max_body_bytes;
    let declared_len = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let response = if declared_len.is_some_and(|n| n > max_body as u64) {
        // A client waiting for `100 Continue` has not sent the body: nothing to read.
        let waiting = parts
            .headers
            .get(EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
        let fits = declared_len.is_some_and(|n| n <= MAX_DISCARD_BYTES);
        too_large(
            max_body,
            (!waiting && fits).then_some((body, 0)),
            read_timeout,
        )
    } else {
        match read_body(body, max_body, read_timeout).await {
            Ok(BodyRead::Complete(body)) => {
                let refused = context.verifier.as_ref().and_then(|verifier| {
                    verifier
                        .verify(
                            &parts.method,
                            &parts.uri,
                            &parts.headers,
                            &body,
                            SystemTime::now(),
                        )
                        .err()
                });
                match refused {
                    Some(e) => wire::error(&e.to_wire(), &wire::request_id()),
                    None => context.service.handle(Request::from_parts(parts, body)),
                }
            }
            Ok(BodyRead::TooLarge { rest, seen }) => {
                too_large(max_body, Some((rest, seen)), read_timeout)
            }
            Ok(BodyRead::Failed(e)) => wire::error(
                &WireError::protocol(
                    StatusCode::BAD_REQUEST,
                    "SerializationException",
                    format!("could not read the request body: {e}"),
                ),
                &wire::request_id(),
            ),
            Err(_) => wire::error(
                &WireError::protocol(
                    StatusCode::REQUEST_TIMEOUT,
                    "RequestTimeoutException",
                    format!("the request body did not arrive within {read_timeout:?}"),
                ),
                &wire::request_id(),
            ),
        }
    };
    let response = match &context.state {
        Some(state) => persist_after(state.clone(), context.service.clone(), response).await,
        None => response,
    };
    if let Some((
        RequestLine {
            method,
            path,
            target,
        },
        started,
    )) = logged
    {
        tracing::info!(
        %method,
        %path,
        %target,
        status = response.status().as_u16(),
        error_type = response
            .headers()
            .get(wire::ERROR_TYPE_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
        elapsed_us = started.elapsed().as_micros() as u64,
        "request"
        );
    }
    response.map(Full::new)
}

/// A request body as far as it was read.
enum BodyRead {
    /// All of it, within the limit.
    Complete(Bytes),
    /// Over the limit after `seen` bytes; `rest` is still to be read.
    TooLarge { rest: Incoming, seen: u64 },
    /// The connection failed or the framing was broken.
    Failed(hyper::Error),
}

/// Reads the whole body, up to `limit` bytes, giving the client `timeout` for it. A body that
/// has already arrived, as a small one usually has with its headers, is taken without arming a
/// timer.
async fn read_body(body: Incoming, limit: usize, timeout: Duration) -> Result<BodyRead, Elapsed> {
    let mut read = pin!(read_up_to(body, limit));
    match poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await {
        Poll::Ready(result) => Ok(result),
        Poll::Pending => tokio::time::timeout(timeout, read).await,
    }
}

async fn read_up_to(mut body: Incoming, limit: usize) -> BodyRead {
    let mut parts: Vec<Bytes> = Vec::new();
    let mut seen = 0;
    while let Some(frame) = body.frame().await {
        let data = match frame.map(hyper::body::Frame::into_data) {
            Ok(Ok(data)) => data,
            Ok(Err(_trailers)) => continue,
            Err(e) => return BodyRead::Failed(e),
        };
        seen += data.len();
        if seen > limit {
            return BodyRead::TooLarge {
                rest: body,
                seen: seen as u64,
            };
        }
        parts.push(data);
    }
    BodyRead::Complete(if parts.len() <= 1 {
        parts.pop().unwrap_or_default()
    } else {
        Bytes::from(parts.concat())
    })
}

/// Reads and throws away the rest of an oversized body, `seen` bytes of which are already
/// read, for at most `timeout` and up to [`MAX_DISCARD_BYTES`] in all.
async fn discard(mut body: Incoming, mut seen: u64, timeout: Duration) {
    let drain = async {
        while let Some(Ok(frame)) = body.frame().await {
            seen += frame.data_ref().map_or(0, |data| data.len() as u64);
            if seen > MAX_DISCARD_BYTES {
                return;
            }
        }
    };
    let _ = tokio::time::timeout(timeout, drain).await;
}

/// `413` for a body over `limit`, answered at once. The `unread` rest of the body (with the
/// bytes already read) is read and thrown away meanwhile, so that a client still sending it
/// reads the answer rather than a reset connection, and the connection can serve on; with no
/// rest to read (a client waiting for `100 Continue`, a declared length over
/// [`MAX_DISCARD_BYTES`]) the connection closes.
fn too_large(
    limit: usize,
    unread: Option<(Incoming, u64)>,
    timeout: Duration,
) -> http::Response<Bytes> {
    let mut response = wire::error(&protocol::too_large(limit), &wire::request_id());
    match unread {
        Some((body, seen)) => {
            tokio::spawn(discard(body, seen, timeout));
        }
        None => {
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
    }
    response
}

/// What the request log line says of the request, copied before the request is consumed.
struct RequestLine {
    method: http::Method,
    path: String,
    target: String,
}

impl RequestLine {
    fn of(parts: &http::request::Parts) -> Self {
        RequestLine {
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
            target: parts
                .headers
                .get(wire::TARGET_HEADER)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_default(),
        }
    }
}

/// Writes the state file when the request changed the store, before the response goes out
/// (a created job is on disk when its client hears of it); a failed write turns the response
/// into `500 InternalFailure`, as the change would not survive a restart.
async fn persist_after(
    state: Arc<StateFile>,
    service: MockService,
    response: http::Response<Bytes>,
) -> http::Response<Bytes> {
    let saved = tokio::task::spawn_blocking(move || state.save_if_changed(&service)).await;
    let error = match saved {
        Ok(Ok(())) => return response,
        Ok(Err(e)) => e.to_string(),
        Err(e) => format!("the state writer failed: {e}"),
    };
    tracing::error!(%error, "could not persist the state");
    wire::error(
        &WireError::protocol(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            format!("the mock could not persist its state: {error}"),
        ),
        &wire::request_id(),
    )
}
