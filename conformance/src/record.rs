//! The recording proxy: clients talk to it as if it were the service; it re-signs each request
//! with its own credentials, forwards it to the upstream, returns the answer unchanged and
//! writes one fixture per exchange (a paginated listing becomes one fixture whose later steps
//! follow the token of the earlier ones).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use personalize_model::service::operation;

use crate::fixture::{Fixture, RecordedRequest, RecordedResponse, Seed, Step, TokenSource};
use crate::http::{chain, header_map, parse_base_url, HttpClient, HttpResponse};
use crate::operations::{items_member, own_arn_member};
use crate::replay::DEFAULT_TIMEOUT;
use crate::sign::{Signer, SIGNATURE_HEADERS};

/// Request headers never written to a fixture: signatures, session tokens, cookies.
pub const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-security-token",
    "proxy-authorization",
    "cookie",
    "x-api-key",
];

/// Response headers kept in a fixture.
pub const RECORDED_RESPONSE_HEADERS: &[&str] = &["content-type", "x-amzn-requestid"];

/// Largest request body the proxy accepts.
pub const MAX_REQUEST_BODY: usize = 8 * 1024 * 1024;

/// The proxy could not start or write.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The upstream URL is unusable.
    #[error(transparent)]
    Url(#[from] crate::http::TransportError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The output directory could not be created.
    #[error("cannot create {path}: {source}")]
    OutDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// One fixture being recorded.
#[derive(Debug)]
struct Open {
    path: PathBuf,
    fixture: Fixture,
}

#[derive(Debug, Default)]
struct State {
    count: usize,
    fixtures: Vec<Open>,
    /// Token handed out → index of the fixture whose last step handed it out.
    tokens: BTreeMap<String, usize>,
    errors: Vec<String>,
}

#[derive(Debug)]
struct Proxy {
    upstream: http::Uri,
    out: PathBuf,
    signer: Signer,
    http: HttpClient,
    state: Mutex<State>,
}

/// A running recording proxy; stops on [`Recorder::shutdown`] or when dropped.
#[derive(Debug)]
pub struct Recorder {
    addr: SocketAddr,
    proxy: Arc<Proxy>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Recorder {
    /// Binds `listen` and starts forwarding to `upstream`, writing fixtures into `out`.
    pub async fn start(
        upstream: &str,
        listen: SocketAddr,
        out: &Path,
        signer: Signer,
    ) -> Result<Recorder, RecordError> {
        let upstream = parse_base_url(upstream)?;
        std::fs::create_dir_all(out).map_err(|source| RecordError::OutDir {
            path: out.to_owned(),
            source,
        })?;
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| RecordError::Bind {
                addr: listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| RecordError::Bind {
            addr: listen,
            source,
        })?;
        let proxy = Arc::new(Proxy {
            upstream,
            out: out.to_owned(),
            signer,
            http: HttpClient::new(DEFAULT_TIMEOUT),
            state: Mutex::new(State::default()),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, proxy.clone(), stopped));
        Ok(Recorder {
            addr,
            proxy,
            stop,
            task: Some(task),
        })
    }

    /// The address clients should use as their endpoint (`http://ADDR`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Fixture files written so far.
    pub fn written(&self) -> Vec<PathBuf> {
        self.proxy
            .state
            .lock()
            .map(|s| s.fixtures.iter().map(|f| f.path.clone()).collect())
            .unwrap_or_default()
    }

    /// Problems met while recording (failed writes, unreachable upstream).
    pub fn errors(&self) -> Vec<String> {
        self.proxy
            .state
            .lock()
            .map(|s| s.errors.clone())
            .unwrap_or_default()
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Runs the proxy until Ctrl-C, printing where it listens and each fixture it writes.
pub async fn serve(
    upstream: &str,
    listen: SocketAddr,
    out: &Path,
    signer: Signer,
) -> Result<(), RecordError> {
    let recorder = Recorder::start(upstream, listen, out, signer).await?;
    println!(
        "recording: clients -> {} -> {upstream}; fixtures -> {} (Ctrl-C to stop)",
        recorder.url(),
        out.display()
    );
    let _ = tokio::signal::ctrl_c().await;
    let written = recorder.written();
    for e in recorder.errors() {
        eprintln!("warning: {e}");
    }
    recorder.shutdown().await;
    println!("wrote {} fixture(s)", written.len());
    Ok(())
}

async fn accept_loop(listener: TcpListener, proxy: Arc<Proxy>, mut stopped: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        let proxy = proxy.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let proxy = proxy.clone();
                async move { Ok::<_, Infallible>(proxy.handle(request).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn plain(status: u16, text: String) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_GATEWAY);
    response
}

impl Proxy {
    async fn handle(&self, request: http::Request<Incoming>) -> http::Response<Full<Bytes>> {
        let (parts, body) = request.into_parts();
        let body = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
            Ok(b) => b.to_bytes(),
            Err(e) => {
                return plain(
                    413,
                    format!("recording proxy: cannot read the request body: {e}"),
                )
            }
        };
        let path = parts
            .uri
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned());
        let incoming_headers = header_map(&parts.headers);
        let forward = match self.forward_request(&parts.method, &path, &incoming_headers, &body) {
            Ok(r) => r,
            Err(e) => return plain(502, format!("recording proxy: {e}")),
        };
        let response = match self.http.send(forward).await {
            Ok(r) => r,
            Err(e) => {
                self.note_error(format!("forwarding {path}: {e}"));
                return plain(502, format!("recording proxy: upstream failed: {e}"));
            }
        };
        if let Err(e) = self.record(&parts.method, &path, incoming_headers, &body, &response) {
            self.note_error(e);
        }
        let mut out = http::Response::new(Full::new(response.body.clone()));
        *out.status_mut() =
            http::StatusCode::from_u16(response.status).unwrap_or(http::StatusCode::BAD_GATEWAY);
        for (name, value) in &response.headers {
            if matches!(
                name.as_str(),
                "connection" | "transfer-encoding" | "content-length" | "keep-alive"
            ) {
                continue;
            }
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(value),
            ) {
                out.headers_mut().append(n, v);
            }
        }
        out
    }

    fn note_error(&self, error: String) {
        tracing::warn!("{error}");
        if let Ok(mut state) = self.state.lock() {
            state.errors.push(error);
        }
    }

    fn forward_request(
        &self,
        method: &http::Method,
        path: &str,
        headers: &BTreeMap<String, String>,
        body: &Bytes,
    ) -> Result<http::Request<Bytes>, String> {
        let base = self.upstream.to_string();
        let uri = format!("{}{}", base.trim_end_matches('/'), path);
        let mut builder = http::Request::builder().method(method.clone()).uri(&uri);
        for (name, value) in headers {
            if !SIGNATURE_HEADERS.contains(&name.as_str())
                && !SECRET_HEADERS.contains(&name.as_str())
            {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        let mut request = builder
            .header(http::header::CONTENT_LENGTH, body.len())
            .body(body.clone())
            .map_err(|e| format!("cannot build the upstream request: {e}"))?;
        self.signer
            .sign(
                &mut request,
                headers.contains_key("x-amz-content-sha256"),
                SystemTime::now(),
            )
            .map_err(|e| chain(&e))?;
        Ok(request)
    }

    fn record(
        &self,
        method: &http::Method,
        path: &str,
        mut headers: BTreeMap<String, String>,
        body: &Bytes,
        response: &HttpResponse,
    ) -> Result<(), String> {
        headers.retain(|name, _| !SECRET_HEADERS.contains(&name.as_str()));
        let body_text = String::from_utf8_lossy(body).into_owned();
        let request_json: Option<Value> = serde_json::from_slice(body).ok();
        let sent_token = request_json
            .as_ref()
            .and_then(|b| b.get("nextToken"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let response_body: Value = serde_json::from_slice(&response.body).unwrap_or_else(|_| {
            Value::String(String::from_utf8_lossy(&response.body).into_owned())
        });
        let handed_out = response_body
            .get("nextToken")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut response_headers = BTreeMap::new();
        for name in RECORDED_RESPONSE_HEADERS {
            if let Some(v) = response.header(name) {
                response_headers.insert((*name).to_owned(), v.to_owned());
            }
        }
        let mut state = self
            .state
            .lock()
            .map_err(|_| "recorder state poisoned".to_owned())?;
        let continues = sent_token
            .as_ref()
            .and_then(|t| state.tokens.get(t).copied());
        let step = Step {
            advance_seconds: None,
            request: RecordedRequest {
                method: method.as_str().to_owned(),
                path: path.to_owned(),
                headers,
                body: body_text,
                next_token: continues.map(|_| TokenSource {
                    from_previous_response: true,
                }),
            },
            response: RecordedResponse {
                status: response.status,
                other_statuses: Vec::new(),
                headers: response_headers,
                body: response_body,
            },
        };
        let index = match continues {
            Some(i) if state.fixtures.get(i).is_some() => {
                if let Some(t) = &sent_token {
                    state.tokens.remove(t);
                }
                if let Some(open) = state.fixtures.get_mut(i) {
                    open.fixture.steps.push(step);
                }
                i
            }
            _ => {
                state.count += 1;
                let operation = step
                    .request
                    .header("x-amz-target")
                    .and_then(|t| t.rsplit('.').next())
                    .unwrap_or("no-target")
                    .to_ascii_lowercase();
                let name = format!("{:04}-{operation}-{}", state.count, response.status);
                let agent = step
                    .request
                    .header("user-agent")
                    .unwrap_or("unknown client")
                    .to_owned();
                let fixture = Fixture {
                    name: name.clone(),
                    description: format!(
                        "Recorded by `personalize-conformance record` from {agent}."
                    ),
                    source: Some(format!("recorded through the proxy from {}", self.upstream)),
                    seed: None,
                    volatile: Vec::new(),
                    ignore: Vec::new(),
                    patterns: Default::default(),
                    item_order: Default::default(),
                    schedule: None,
                    steps: vec![step],
                };
                state.fixtures.push(Open {
                    path: self.out.join(format!("{name}.json")),
                    fixture,
                });
                state.fixtures.len() - 1
            }
        };
        if let Some(t) = handed_out {
            state.tokens.insert(t, index);
        }
        let open = state.fixtures.get_mut(index).ok_or("fixture vanished")?;
        open.fixture.seed = seed_from_responses(&open.fixture);
        let text = serde_json::to_string_pretty(&open.fixture).map_err(|e| e.to_string())?;
        std::fs::write(&open.path, text + "\n")
            .map_err(|e| format!("cannot write {}: {e}", open.path.display()))
    }
}

/// The resources a fixture's successful List responses show: what a replay target must hold.
/// `None` when no step succeeded (errors do not depend on stored resources).
pub fn seed_from_responses(fixture: &Fixture) -> Option<Seed> {
    let mut any_success = false;
    let mut seed: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for step in &fixture.steps {
        if step.response.status != 200 {
            continue;
        }
        any_success = true;
        let Some(op) = step.request.operation().and_then(operation) else {
            continue;
        };
        let (Some(member), Some(own)) = (items_member(op), own_arn_member(op)) else {
            continue;
        };
        if let Some(Value::Array(items)) = step.response.body.get(member) {
            let stored = seed.entry(member.to_owned()).or_default();
            for item in items {
                let key = item
                    .get(&own)
                    .and_then(Value::as_str)
                    .map_or_else(|| item.to_string(), str::to_owned);
                stored.insert(key, item.clone());
            }
        }
    }
    any_success.then(|| {
        Seed(
            seed.into_iter()
                .map(|(member, items)| (member, items.into_values().collect()))
                .collect(),
        )
    })
}
