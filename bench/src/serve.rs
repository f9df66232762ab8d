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
use personalize_mock::{BatchSegmentJobStore, MockServer, MockService};
use tokio::net::TcpListener;

use crate::jobs;
use crate::sys;

/// Jobs are inserted this many at a time (the inputs of one chunk are all that is held).
const INSERT_CHUNK: usize = 10_000;

/// The request id the bare server sends (the mock draws a fresh one per request).
const BARE_REQUEST_ID: &str = "00000000-0000-4000-8000-000000000000";

/// The awsJson target of the benchmarked operation.
pub const TARGET: &str = "AmazonPersonalize.ListBatchSegmentJobs";

/// The awsJson content type.
pub const CONTENT_TYPE_JSON: &str = "application/x-amz-json-1.1";

fn store_with(total: usize) -> Result<BatchSegmentJobStore, String> {
    let store = BatchSegmentJobStore::new();
    for chunk in jobs::chunks(total, INSERT_CHUNK) {
        store.insert_many(chunk).map_err(|e| e.to_string())?;
    }
    Ok(store)
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

/// Serves the mock with `total` jobs until stdin closes.
pub async fn mock(total: usize) -> Result<(), String> {
    let store = store_with(total)?;
    let server = MockServer::builder()
        .store(store)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    announce(server.addr())?;
    stdin_closed().await;
    server.shutdown().await;
    Ok(())
}

/// Fills a store with `total` jobs and reports the resident memory it took (bytes per job,
/// from `/proc/self/statm` before and after), then serves it until stdin closes.
pub async fn paging(total: usize) -> Result<(), String> {
    let before = sys::rss_bytes()?;
    let store = store_with(total)?;
    let after = sys::rss_bytes()?;
    println!(
        "rss-per-job {:.1} {before} {after}",
        after.saturating_sub(before) as f64 / total.max(1) as f64
    );
    mock_with(store).await
}

async fn mock_with(store: BatchSegmentJobStore) -> Result<(), String> {
    let server = MockServer::builder()
        .store(store)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    announce(server.addr())?;
    stdin_closed().await;
    server.shutdown().await;
    Ok(())
}

/// The mock's answer to the first page of 100 from a store of `total` jobs: the bytes the
/// bare server sends for every request.
pub fn first_page_bytes(total: usize) -> Result<Bytes, String> {
    let service = MockService::new(store_with(total)?);
    let request = Request::builder()
        .method("POST")
        .uri("/")
        .header(CONTENT_TYPE, CONTENT_TYPE_JSON)
        .header("x-amz-target", TARGET)
        .body(Bytes::from_static(br#"{"maxResults":100}"#))
        .map_err(|e| e.to_string())?;
    let response = service.handle(request);
    if response.status() != 200 {
        return Err(format!(
            "the mock answered the first page with {}: {:?}",
            response.status(),
            response.body()
        ));
    }
    Ok(response.into_body())
}

/// Serves `page` to every request (after reading its body) until stdin closes.
pub async fn bare(total: usize) -> Result<(), String> {
    let page = first_page_bytes(total)?;
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
