//! A lean client for Amazon Personalize (awsJson 1.1).
//!
//! One generic call path serves every operation described by
//! [`personalize_model::Operation`]: serialize the input to compact JSON, sign it with SigV4
//! (`aws-sigv4`), send it over hyper 1 (HTTP/1.1, rustls with ring and Mozilla roots), retry in
//! the AWS standard mode, and parse the output or the error. The per-operation surface (one
//! `Client` method per operation, one setter per input member) is generated into
//! `src/generated/fluent.rs` by `cargo xtask codegen`.
//!
//! # Cargo features
//!
//! - `rustls` (default): https endpoints, over rustls with *ring* and the Mozilla root store
//!   (`webpki-roots`). Without it (`default-features = false`) the client compiles no TLS stack
//!   and speaks plain `http://` only, which is all tests against a mock on loopback need; an
//!   `https://` endpoint (including the default AWS one) is then refused by
//!   [`ConfigBuilder::build`] with [`ConfigError::TlsNotEnabled`].
//!
//! ```no_run
//! use personalize_client::{Client, Config};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(Config::from_env()?);
//! let page = client
//!     .list_batch_segment_jobs()
//!     .max_results(10)
//!     .send()
//!     .await?;
//! println!("{:?} (request {:?})", page.batch_segment_jobs, page_request_id(&page));
//!
//! let mut jobs = client.list_batch_segment_jobs().into_paginator().page_size(50).items();
//! while let Some(job) = jobs.next().await {
//!     println!("{:?}", job?.job_name);
//! }
//! # Ok(())
//! # }
//! # fn page_request_id(page: &impl personalize_client::RequestId) -> Option<&str> { page.request_id() }
//! ```

/// The README's examples, compiled as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod client;
mod config;
mod error;
mod fluent;
#[rustfmt::skip]
mod generated;
mod paginator;
pub mod protocol;
mod retry;
pub mod signing;
mod time;
mod transport;

pub use client::Client;
pub use config::{
    Config, ConfigBuilder, ConfigError, Credentials, DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
};
pub use error::{
    BoxError, ConstructionError, Error, PaginationError, ResponseError, ServiceError, TimeoutError,
    TimeoutKind, TransportError,
};
pub use fluent::FluentBuilder;
pub use paginator::{ItemResult, Items, PageResult, Paginator};
pub use retry::{
    is_retryable, Jitter, RandomJitter, RetryConfig, THROTTLING_CODES, TRANSIENT_CODES,
};
pub use time::{FixedTime, Sleep, Sleeping, SystemClock, TimeSource, TokioSleep};

pub use personalize_model as model;
pub use personalize_model::{Operation, OperationError, Paginated, RequestId};
