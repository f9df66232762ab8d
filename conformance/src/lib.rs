//! Conformance harness for Amazon Personalize, every operation: fixtures replayed against the
//! built-in mock, any running server (moto, LocalStack, ...; seeded through the `Create<Noun>`
//! operations it serves) and the client, with a report (cases and a per-operation coverage
//! matrix) in table, JSON or JUnit form, and a recording proxy that turns real client traffic
//! into fixtures. Nothing is written per operation: see [`operations`].

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
