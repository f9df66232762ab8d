//! A mock Amazon Personalize server for tests: every operation of the service over awsJson
//! 1.1, served by one model-driven resource engine (parents, lifecycles, delete rules, tags,
//! cursor paging with tamper-evident tokens), state per account and region.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use personalize_mock::MockServer;
//! let server = MockServer::start().await?;
//! println!("point your client at {}", server.url());
//! # Ok(()) }
//! ```
//!
//! See the crate's README for the engine's rules, the admin routes, limits and errors.

mod engine;
#[rustfmt::skip]
mod generated;
pub mod protocol;
pub mod sample;
mod server;
mod service;
pub mod sigv4;
mod state;
mod wire;

pub use engine::lifecycle::{Clock, ManualClock, Schedule, ScheduleError, Schedules};
pub use generated::handler::{route, Handler};
pub use protocol::{
    Context, ProtocolRequest, Reply, DEFAULT_ACCOUNT, DEFAULT_REGION, MAX_BODY_BYTES,
};
pub use server::{Limits, MockError, MockServer, MockServerBuilder};
pub use service::{MockService, SeedError};
pub use sigv4::Credentials;
pub use state::StateError;
