//! The servers the benchmark measures, each run in a child process of this binary so its CPU
//! time can be read on its own: the mock, and a bare hyper server that answers every request
//! with the same page bytes without parsing, validating or looking anything up.
//!
//! A child prints `listening on http://ADDR` when it serves, and stops when its stdin closes.

use std::convert::Infallible;
use std::io::{BufRead, Write};
use std::net::SocketAddr;

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use personalize_mock::{MockServer, MockService};
use tokio::net::TcpListener;

use crate::resources::{self, Kind};
use crate::sys;

/// Resources are seeded this many at a time (one chunk's seed is all the input held at once).
const SEED_CHUNK: usize = 10_000;

/// The request id the bare server sends (the mock draws a fresh one per request).
const BARE_REQUEST_ID: &str = "00000000-0000-4000-8000-000000000000";

/// The awsJson content type.
pub const CONTENT_TYPE_JSON: &str = "application/x-amz-json-1.1";

/// A service holding `jobs` batch segment jobs and `groups` dataset groups.
fn service_with(jobs: usize, groups: usize) -> Result<MockService, String> {
    let service = MockService::new();
    resources::seed(&service, Kind::Jobs, jobs, SEED_CHUNK)?;
    resources::seed(&service, Kind::Groups, groups, SEED_CHUNK)?;
    Ok(service)
}

fn announce(addr: SocketAddr) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{addr}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}

/// Waits (on a blocking thread) until stdin closes: the parent's signal to stop.
async fn stdin_closed() {
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        let stdin = std::io::stdin();
        let mut lock = stdin.lock();
        while lock.read_line(&mut sink).is_ok_and(|n| n > 0) {
            sink.clear();
        }
    })
    .await;
}

/// Serves the mock with `jobs` jobs and `groups` dataset groups until stdin closes.
pub async fn mock(jobs: usize, groups: usize) -> Result<(), String> {
    let server = MockServer::builder()
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let service = server.service();
    resources::seed(&service, Kind::Jobs, jobs, SEED_CHUNK)?;
    resources::seed(&service, Kind::Groups, groups, SEED_CHUNK)?;
    serve_until_stdin_closes(server).await
}

/// Seeds `total` jobs, `SEED_CHUNK` at a time, and reports the resident memory they took
/// (bytes per job, from `/proc/self/statm` before and after), then serves them until stdin
/// closes.
pub async fn paging(total: usize) -> Result<(), String> {
    let server = MockServer::builder()
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let service = server.service();
    let before = sys::rss_bytes()?;
    resources::seed(&service, Kind::Jobs, total, SEED_CHUNK)?;
    let after = sys::rss_bytes()?;
    println!(
        "rss-per-job {:.1} {before} {after}",
        after.saturating_sub(before) as f64 / total.max(1) as f64
    );
    serve_until_stdin_closes(server).await
}

async fn serve_until_stdin_closes(server: MockServer) -> Result<(), String> {
    announce(server.addr())?;
    stdin_closed().await;
    server.shutdown().await;
    Ok(())
}

/// An in-process request for the first page of 100 of `kind`.
fn first_page_request(kind: Kind) -> Result<Request<Bytes>, String> {
    Request::builder()
        .method("POST")
        .uri("/")
        .header(CONTENT_TYPE, CONTENT_TYPE_JSON)
        .header("x-amz-target", kind.target())
        .body(Bytes::from_static(br#"{"maxResults":100}"#))
        .map_err(|e| e.to_string())
}

/// The mock's answer to the first page of 100 of `kind` from a store of `total` of them: the
/// bytes the bare server sends for every request.
pub fn first_page_bytes(kind: Kind, total: usize) -> Result<Bytes, String> {
    let (jobs, groups) = match kind {
        Kind::Jobs => (total, 0),
        Kind::Groups => (0, total),
    };
    let service = service_with(jobs, groups)?;
    let response = service.handle(first_page_request(kind)?);
    if response.status() != 200 {
        return Err(format!(
            "the mock answered the first page of {} with {}: {:?}",
            kind.operation(),
            response.status(),
            response.body()
        ));
    }
    Ok(response.into_body())
}

/// Serves the first page of `kind` to every request (after reading its body) until stdin
/// closes.
pub async fn bare(kind: Kind, total: usize) -> Result<(), String> {
    let page = first_page_bytes(kind, total)?;
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot bind 127.0.0.1:0: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    announce(addr)?;
    let accept = async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let page = page.clone();
            tokio::spawn(async move {
                let handler = service_fn(move |request: Request<Incoming>| {
                    let page = page.clone();
                    async move { Ok::<_, Infallible>(answer(request, page).await) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), handler)
                    .await;
            });
        }
    };
    tokio::select! {
        _ = accept => {}
        _ = stdin_closed() => {}
    }
    Ok(())
}

async fn answer(request: Request<Incoming>, page: Bytes) -> Response<Full<Bytes>> {
    // Read the body as any server must, but do nothing with it.
    let _ = request.into_body().collect().await;
    let mut response = Response::new(Full::new(page));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
    headers.insert(
        "x-amzn-requestid",
        HeaderValue::from_static(BARE_REQUEST_ID),
    );
    response
}
