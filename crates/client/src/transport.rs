//! HTTP/1.1 over hyper 1 (hyper-util's pooled client), with rustls (ring, Mozilla roots) for https
//! when the `rustls` feature is on; plain http only without it.

use std::error::Error as StdError;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::response::Parts;
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client as LegacyClient;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::error::{BoxError, TransportError};

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// What opens connections: TCP, wrapped in TLS for https endpoints.
#[cfg(feature = "rustls")]
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;
/// What opens connections: plain TCP (https needs the `rustls` feature).
#[cfg(not(feature = "rustls"))]
type Connector = HttpConnector;

type Pooled = LegacyClient<Connector, Full<Bytes>>;

/// Why an exchange produced no response.
#[derive(Debug)]
pub(crate) enum TransportFailure {
    /// The connect timeout elapsed.
    ConnectTimeout,
    /// Any other connection or I/O failure.
    Other(TransportError),
}

/// The pooled HTTP client (or why TLS could not be set up).
#[derive(Clone, Debug)]
pub(crate) struct HttpClient {
    pooled: Result<Pooled, Arc<str>>,
}

impl HttpClient {
    /// A pooled client whose connects give up after `connect_timeout`.
    pub(crate) fn new(connect_timeout: Duration) -> Self {
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        let pooled = connector(http).map(|connector| {
            LegacyClient::builder(TokioExecutor::new())
                .pool_timer(TokioTimer::new())
                .pool_idle_timeout(POOL_IDLE_TIMEOUT)
                .build(connector)
        });
        Self { pooled }
    }

    /// Sends `request` and reads the whole response.
    pub(crate) async fn exchange(
        &self,
        request: Request<Bytes>,
    ) -> Result<(Parts, Bytes), TransportFailure> {
        let endpoint = endpoint_of(&request);
        let pooled = match &self.pooled {
            Ok(pooled) => pooled,
            Err(reason) => {
                let source: BoxError = Box::from(reason.to_string());
                return Err(TransportFailure::Other(TransportError::new(
                    true, endpoint, source,
                )));
            }
        };
        let response = pooled.request(request.map(Full::new)).await.map_err(|e| {
            let connect = e.is_connect();
            if connect && has_timed_out(&e) {
                TransportFailure::ConnectTimeout
            } else {
                TransportFailure::Other(TransportError::new(connect, endpoint.clone(), e.into()))
            }
        })?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| TransportFailure::Other(TransportError::new(false, endpoint, e.into())))?;
        Ok((parts, body.to_bytes()))
    }
}

/// `http` wrapped in rustls (ring, Mozilla roots), serving both http and https endpoints.
#[cfg(feature = "rustls")]
fn connector(mut http: HttpConnector) -> Result<Connector, Arc<str>> {
    http.enforce_http(false);
    let provider = rustls::crypto::ring::default_provider();
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_webpki_roots(provider)
        .map(|builder| builder.https_or_http().enable_http1().wrap_connector(http))
        .map_err(|e| Arc::from(format!("TLS setup failed: {e}")))
}

/// `http` alone: an https URI is refused (never sent in plaintext). [`crate::Config`] already
/// rejects https endpoints when the `rustls` feature is off, so this is a second guard.
#[cfg(not(feature = "rustls"))]
fn connector(mut http: HttpConnector) -> Result<Connector, Arc<str>> {
    http.enforce_http(true);
    Ok(http)
}

/// `scheme://authority` of a request, for error messages.
fn endpoint_of<B>(request: &Request<B>) -> String {
    let uri = request.uri();
    format!(
        "{}://{}",
        uri.scheme_str().unwrap_or("https"),
        uri.authority().map(|a| a.as_str()).unwrap_or("")
    )
}

/// Whether an error's cause chain holds an I/O timeout.
fn has_timed_out(error: &(dyn StdError + 'static)) -> bool {
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = next {
        if e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::TimedOut)
        {
            return true;
        }
        next = e.source();
    }
    false
}
