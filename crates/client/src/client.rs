//! The client: one generic call path (serialize, sign, send, retry, parse) for every operation.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::Request;
use personalize_model::{Operation, Validate};

use crate::config::{Config, ConfigError};
use crate::error::{ConstructionError, Error, TimeoutError, TimeoutKind};
use crate::protocol::{self, Payload};
use crate::retry::is_retryable;
use crate::signing::{sign_with_identity, SigningIdentity};
use crate::transport::{HttpClient, TransportFailure};

/// A client for Amazon Personalize. Cheap to clone: clones share the connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    identity: SigningIdentity,
    http: HttpClient,
}

impl Client {
    /// A client with the given configuration.
    pub fn new(config: Config) -> Self {
        let http = HttpClient::new(config.connect_timeout);
        let identity = SigningIdentity::from(&config.credentials);
        Self {
            inner: Arc::new(Inner {
                config,
                identity,
                http,
            }),
        }
    }

    /// A client configured from the environment (see [`Config::from_env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Config::from_env().map(Self::new)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls operation `O`: validates (when `validate_before_send` is on), serializes, signs,
    /// sends, retries per the retry configuration, and parses the output or error.
    pub async fn call<O: Operation>(&self, input: O::Input) -> Result<O::Output, Error<O::Error>> {
        let config = &self.inner.config;
        if config.validate_before_send {
            input.validate().map_err(|errors| {
                Error::Construction(ConstructionError::InvalidInput {
                    operation: O::NAME,
                    errors,
                })
            })?;
        }
        let payload = protocol::prepare::<O>(&input).map_err(Error::Construction)?;
        let attempts = self.call_with_retries::<O>(payload);
        match config.operation_timeout {
            Some(limit) => tokio::time::timeout(limit, attempts)
                .await
                .unwrap_or_else(|_| {
                    Err(Error::Timeout(TimeoutError::new(
                        TimeoutKind::Operation,
                        limit,
                    )))
                }),
            None => attempts.await,
        }
    }

    /// The request for `O` and `input` as it would be sent now: serialized and signed with the
    /// configured credentials and clock.
    pub fn signed_request<O: Operation>(
        &self,
        input: &O::Input,
    ) -> Result<Request<Bytes>, ConstructionError> {
        self.sign::<O>(&protocol::prepare::<O>(input)?)
    }

    /// The request for `O` and `input` before signing (for inspection and tests).
    pub fn unsigned_request<O: Operation>(
        &self,
        input: &O::Input,
    ) -> Result<Request<Bytes>, ConstructionError> {
        protocol::build_request::<O>(&self.inner.config.endpoint, &protocol::prepare::<O>(input)?)
    }

    fn sign<O: Operation>(&self, payload: &Payload) -> Result<Request<Bytes>, ConstructionError> {
        let config = &self.inner.config;
        let mut request = protocol::build_request::<O>(&config.endpoint, payload)?;
        sign_with_identity(
            &mut request,
            &self.inner.identity,
            &config.region,
            O::SERVICE.signing_name,
            config.time_source.now(),
        )?;
        Ok(request)
    }

    async fn call_with_retries<O: Operation>(
        &self,
        payload: Payload,
    ) -> Result<O::Output, Error<O::Error>> {
        let config = &self.inner.config;
        let retry = config.retry;
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let result = self.attempt::<O>(&payload).await;
            match result {
                Ok(output) => return Ok(output),
                Err(error) if attempt < retry.max_attempts() && is_retryable(&error) => {
                    let wait = retry.backoff(attempt, config.jitter.fraction());
                    tracing::debug!(
                        operation = O::NAME,
                        attempt,
                        elapsed = ?started.elapsed(),
                        ?wait,
                        error = %error,
                        "retrying"
                    );
                    config.sleep.sleep(wait).await;
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    async fn attempt<O: Operation>(&self, payload: &Payload) -> Result<O::Output, Error<O::Error>> {
        let config = &self.inner.config;
        let request = self.sign::<O>(payload).map_err(Error::Construction)?;
        let limit = config.attempt_timeout;
        let exchange = self.inner.http.exchange(request);
        let (parts, body) = match tokio::time::timeout(limit, exchange).await {
            Err(_) => {
                return Err(Error::Timeout(TimeoutError::new(
                    TimeoutKind::Attempt,
                    limit,
                )))
            }
            Ok(Err(TransportFailure::ConnectTimeout)) => {
                return Err(Error::Timeout(TimeoutError::new(
                    TimeoutKind::Connect,
                    config.connect_timeout,
                )))
            }
            Ok(Err(TransportFailure::Other(e))) => return Err(Error::Transport(e)),
            Ok(Ok(response)) => response,
        };
        protocol::parse_response::<O>(parts.status, &parts.headers, body)
    }
}
