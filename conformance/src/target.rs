//! Running every fixture against a target: the built-in mock (seeded per case) or any URL.

use std::time::Duration;

use personalize_mock::MockServer;

use crate::compare::judge;
use crate::fixture::{Fixture, Seed};
use crate::http::{parse_base_url, TransportError};
use crate::replay::{Observed, ReplayError, Replayer};
use crate::report::{CaseReport, Outcome, Suite};
use crate::sign::Signer;

/// Name of the built-in mock in reports.
pub const BUILTIN_MOCK: &str = "built-in mock (personalize-mock)";

/// Why a case against a URL target is not run when it needs stored jobs.
pub const NEEDS_SEED: &str =
    "needs seed: ListBatchSegmentJobs has no create operation and the target offers no seed API";

/// The target refused the connection or is not a usable URL: the run cannot start.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// Bad URL or refused connection.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The built-in mock could not start.
    #[error("the built-in mock could not start: {0}")]
    Mock(String),
}

/// Builds the mock's seed from a fixture's seed.
pub fn seed_jobs(
    seed: &Seed,
) -> Result<Vec<personalize_model::types::BatchSegmentJobSummary>, String> {
    let text = serde_json::to_vec(seed).map_err(|e| e.to_string())?;
    personalize_mock::parse_seed(&text).map_err(|e| format!("seed is not usable: {e}"))
}

/// Starts a fresh built-in mock holding the fixture's seed.
pub async fn start_seeded_mock(fixture: &Fixture) -> Result<MockServer, String> {
    let jobs = match &fixture.seed {
        Some(seed) => seed_jobs(seed)?,
        None => Vec::new(),
    };
    MockServer::builder()
        .seed(jobs)
        .start()
        .await
        .map_err(|e| e.to_string())
}

/// Replays one fixture against a fresh built-in mock; returns the outcome and what was observed.
pub async fn run_on_builtin_mock(fixture: &Fixture) -> (Outcome, Vec<Observed>) {
    let server = match start_seeded_mock(fixture).await {
        Ok(s) => s,
        Err(e) => {
            return (
                Outcome::Fail {
                    diff: format!("cannot start the mock: {e}"),
                },
                Vec::new(),
            )
        }
    };
    let result = match Replayer::new(&server.url()) {
        Ok(replayer) => replayer.replay(fixture).await,
        Err(e) => Err(ReplayError::from(e)),
    };
    server.shutdown().await;
    match result {
        Ok(observed) => (judge(fixture, &observed), observed),
        Err(e) => (
            Outcome::Fail {
                diff: e.to_string(),
            },
            Vec::new(),
        ),
    }
}

/// Every fixture against the built-in mock, each on its own freshly seeded server.
pub async fn run_builtin_mock(fixtures: &[Fixture]) -> Suite {
    let mut cases = Vec::with_capacity(fixtures.len());
    for fixture in fixtures {
        let (outcome, _) = run_on_builtin_mock(fixture).await;
        cases.push(CaseReport {
            name: fixture.name.clone(),
            outcome,
        });
    }
    Suite {
        target: BUILTIN_MOCK.to_owned(),
        cases,
    }
}

/// Every fixture against a running server at `url`. Cases needing stored jobs are not run
/// (there is no public API to store batch segment jobs). Fails before running anything when
/// the URL is unusable or the server refuses connections.
pub async fn run_url(
    url: &str,
    fixtures: &[Fixture],
    signer: Option<Signer>,
) -> Result<Suite, TargetError> {
    probe(url).await?;
    let mut replayer = Replayer::new(url)?;
    if let Some(signer) = signer {
        replayer = replayer.with_signer(signer);
    }
    let mut cases = Vec::with_capacity(fixtures.len());
    for fixture in fixtures {
        let outcome = if fixture.needs_seed() {
            Outcome::NotRun {
                reason: NEEDS_SEED.to_owned(),
            }
        } else {
            match replayer.replay(fixture).await {
                Ok(observed) => judge(fixture, &observed),
                Err(e) => Outcome::Fail {
                    diff: e.to_string(),
                },
            }
        };
        cases.push(CaseReport {
            name: fixture.name.clone(),
            outcome,
        });
    }
    Ok(Suite {
        target: url.to_owned(),
        cases,
    })
}

/// Connects once to the URL's host and port, so an unreachable target is one clear error.
pub async fn probe(url: &str) -> Result<(), TransportError> {
    let uri = parse_base_url(url)?;
    let host = uri.host().unwrap_or("127.0.0.1").trim_matches(['[', ']']);
    let port = uri.port_u16().unwrap_or(80);
    let connect = tokio::net::TcpStream::connect((host, port));
    match tokio::time::timeout(Duration::from_secs(5), connect).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(TransportError::Failed {
            url: url.to_owned(),
            reason: format!("cannot connect to {host}:{port}: {e}"),
        }),
        Err(_) => Err(TransportError::Timeout {
            url: url.to_owned(),
            secs: 5,
        }),
    }
}
