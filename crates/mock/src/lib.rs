//! A mock Amazon Personalize server for tests: `ListBatchSegmentJobs` over awsJson 1.1, with
//! a store of batch segment jobs, cursor paging and tamper-evident page tokens.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use personalize_mock::MockServer;
//! let server = MockServer::start().await?;
//! println!("point your client at {}", server.url());
//! # Ok(()) }
//! ```
//!
//! See the crate's README for ordering, token format, limits and the error mapping.

#[rustfmt::skip]
mod generated;
pub use generated::handler;
pub mod job_details;
pub mod ops;
pub mod page_writer;
pub mod protocol;
pub mod sample;
pub mod schedule;
pub mod seed;
pub mod server;
pub mod service;
mod shared_str;
pub mod sigv4;
pub mod state;
pub mod store;
pub mod token;
pub mod wire;

pub use handler::{route, Handler};
pub use protocol::{Context, ProtocolRequest, Reply, MAX_BODY_BYTES};
pub use schedule::{JobClock, JobSchedule, ManualClock};
pub use seed::{load_seed_file, parse_seed, SeedError};
pub use server::{Limits, MockError, MockServer, MockServerBuilder};
pub use service::{MockService, DEFAULT_MAX_RESULTS};
pub use sigv4::{Credentials, SigV4Verifier};
pub use state::{StateError, StateFile};
pub use store::{BatchSegmentJobStore, InvalidJob};
