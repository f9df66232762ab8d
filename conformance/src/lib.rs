//! Conformance harness for Amazon Personalize batch segment jobs (`ListBatchSegmentJobs`,
//! `CreateBatchSegmentJob`, `DescribeBatchSegmentJob`): recorded fixtures replayed against the
//! built-in mock, any running server (moto, LocalStack, ...; seeded through
//! `CreateBatchSegmentJob`) and the client, with a report in table, JSON or JUnit form, and a
//! recording proxy that turns real client traffic into fixtures.

pub mod client_replay;
pub mod compare;
pub mod fixture;
pub mod http;
pub mod normalize;
pub mod operations;
pub mod record;
pub mod rename;
pub mod replay;
pub mod report;
pub mod seeding;
pub mod sign;
pub mod target;

pub use fixture::{discover, Fixture, FixtureError};
pub use report::{CaseReport, Format, Outcome, Report, Suite};
