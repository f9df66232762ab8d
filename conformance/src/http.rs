//! Sending raw requests to a target over HTTP/1.1 and reading the whole answer.

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;

/// Largest response body read from a target.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// A target could not be reached or did not answer HTTP.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The URL is not an `http://` URL.
    #[error("'{url}' is not a usable http:// URL: {reason}")]
    BadUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Connecting or exchanging failed.
    #[error("request to {url} failed: {reason}")]
    Failed {
        /// Where the request went.
        url: String,
        /// The underlying error, with its causes.
        reason: String,
    },
    /// No complete answer within the time limit.
    #[error("no answer from {url} within {secs} s")]
    Timeout {
        /// Where the request went.
        url: String,
        /// The limit.
        secs: u64,
    },
}

/// An HTTP response as received.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased, repeated values joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The body bytes.
    pub body: Bytes,
}

impl HttpResponse {
    /// A header by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A small HTTP/1.1 client with a per-request time limit.
#[derive(Clone, Debug)]
pub struct HttpClient {
    inner: Client<HttpConnector, Full<Bytes>>,
    timeout: Duration,
}

impl HttpClient {
    /// A client whose requests time out after `timeout`.
    pub fn new(timeout: Duration) -> HttpClient {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(timeout));
        connector.set_nodelay(true);
        HttpClient {
            inner: Client::builder(TokioExecutor::new()).build(connector),
            timeout,
        }
    }

    /// Sends `request` and reads the whole response.
    pub async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<HttpResponse, TransportError> {
        let url = request.uri().to_string();
        let (parts, body) = request.into_parts();
        let request = http::Request::from_parts(parts, Full::new(body));
        let exchange = async {
            let response = self.inner.request(request).await.map_err(|e| chain(&e))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, MAX_BODY)
                .collect()
                .await
                .map_err(|e| format!("reading the body: {}", chain(e.as_ref())))?
                .to_bytes();
            Ok::<_, String>((parts, body))
        };
        let (parts, body) = tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| TransportError::Timeout {
                url: url.clone(),
                secs: self.timeout.as_secs(),
            })?
            .map_err(|reason| TransportError::Failed {
                url: url.clone(),
                reason,
            })?;
        Ok(HttpResponse {
            status: parts.status.as_u16(),
            headers: header_map(&parts.headers),
            body,
        })
    }
}

/// Headers as a sorted map of lower-case names; repeated values joined with `, `.
pub fn header_map(headers: &http::HeaderMap) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        out.entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    out
}

/// An error and its causes on one line.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

/// Parses a base URL such as `http://127.0.0.1:4566` (a trailing `/` is allowed).
pub fn parse_base_url(url: &str) -> Result<http::Uri, TransportError> {
    let bad = |reason: &str| TransportError::BadUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let uri: http::Uri = url
        .parse()
        .map_err(|e: http::uri::InvalidUri| bad(&e.to_string()))?;
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => return Err(bad("https is not supported; use an http:// endpoint")),
        _ => return Err(bad("expected http://HOST:PORT")),
    }
    if uri.authority().is_none() {
        return Err(bad("no host"));
    }
    Ok(uri)
}
