//! `personalize-mock`: runs the mock Personalize server until SIGINT or SIGTERM.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use personalize_mock::{Credentials, Limits, MockServer, Schedules, MAX_BODY_BYTES};
use tracing_subscriber::EnvFilter;

/// A mock Amazon Personalize endpoint (every operation, awsJson 1.1).
// No `Debug`: `credentials` holds a secret.
#[derive(Parser)]
#[command(name = "personalize-mock", version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:4566")]
    bind: SocketAddr,
    /// Seed file: resources of any kinds under their List output's member,
    /// `{"datasetGroups":[...],"batchSegmentJobs":[...]}` (the output of
    /// `aws personalize list-…` works as is). May be given more than once.
    #[arg(long, value_name = "FILE")]
    seed: Vec<PathBuf>,
    /// Largest request body, in bytes (at most 1048576); larger bodies get 413.
    #[arg(long, value_name = "BYTES", default_value_t = MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Connections served at once; more wait until one closes.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Largest request start line plus headers, in bytes; larger requests get 431.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_header_bytes)]
    max_header_bytes: usize,
    /// Most headers in a request; more get 431.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_headers)]
    max_headers: usize,
    /// Seconds a client has to send a request's headers (or may stay idle), then its body.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().read_timeout.as_secs_f64())]
    read_timeout: f64,
    /// Keep every resource in this JSON file: loaded at start (seeds are added on top), rewritten
    /// atomically after every change. A corrupt file stops start-up and is left as it is.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Strict mode: refuse requests not SigV4-signed with --credentials for service
    /// `personalize`, with the errors AWS gives.
    #[arg(long, requires = "credentials")]
    verify_sigv4: bool,
    /// The key pair strict mode accepts, ACCESS_KEY_ID:SECRET_ACCESS_KEY.
    #[arg(long, value_name = "AKID:SECRET", requires = "verify_sigv4")]
    credentials: Option<String>,
    /// How long resources stay in their two transient statuses (CREATE PENDING, then
    /// CREATE IN_PROGRESS, before ACTIVE; likewise for jobs, deletes, stops and starts):
    /// `DELAY,DELAY` for every kind or `Kind=DELAY,DELAY` for one (whole numbers with ms, s
    /// or m, e.g. 0s,5s or DatasetGroup=1s,2s). May be given more than once. By default every
    /// change is immediate.
    #[arg(long, value_name = "[KIND=]DELAY,DELAY")]
    delays: Vec<String>,
    /// Serve requests signed with access key AKID in account ACCOUNT (twelve digits); may be
    /// given more than once. Other keys are served in --default-account.
    #[arg(long, value_name = "AKID=ACCOUNT")]
    account: Vec<String>,
    /// The account of access keys not named by --account.
    #[arg(long, value_name = "ACCOUNT", default_value = personalize_mock::DEFAULT_ACCOUNT)]
    default_account: String,
}

impl Args {
    fn limits(&self) -> Result<Limits, String> {
        let read_timeout = Duration::try_from_secs_f64(self.read_timeout)
            .map_err(|e| format!("--read-timeout {}: {e}", self.read_timeout))?;
        let mut limits = Limits::default();
        limits.max_body_bytes = self.max_body_bytes;
        limits.max_connections = self.max_connections;
        limits.max_header_bytes = self.max_header_bytes;
        limits.max_headers = self.max_headers;
        limits.read_timeout = read_timeout;
        Ok(limits)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("personalize-mock: error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let limits = args.limits()?;
    // Parsed here rather than by clap, whose errors would repeat the secret.
    let credentials = match (&args.verify_sigv4, &args.credentials) {
        (true, Some(text)) => Some(
            text.parse::<Credentials>()
                .map_err(|e| format!("--credentials: {e}"))?,
        ),
        _ => None,
    };
    let mut schedules = Schedules::default();
    for text in &args.delays {
        schedules = schedules.set(text).map_err(|e| format!("--delays: {e}"))?;
    }
    let mut builder = MockServer::builder()
        .bind(args.bind)
        .limits(limits)
        .schedules(schedules)
        .default_account(&args.default_account);
    for path in &args.seed {
        builder = builder.seed_file(path);
    }
    for pair in &args.account {
        let (key, account) = pair
            .split_once('=')
            .filter(|(k, a)| {
                !k.is_empty() && a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())
            })
            .ok_or_else(|| {
                format!("--account {pair:?}: expected AKID=ACCOUNT with a twelve-digit account")
            })?;
        builder = builder.account(key, account);
    }
    if let Some(path) = &args.state {
        builder = builder.state(path);
    }
    if let Some(credentials) = credentials {
        tracing::info!(
            access_key_id = credentials.access_key_id(),
            "strict mode: requests must be SigV4-signed for service personalize"
        );
        builder = builder.verify_sigv4(credentials);
    }
    let mut signals = StopSignals::install().map_err(|e| e.to_string())?;
    let server = builder.start().await.map_err(|e| e.to_string())?;
    tracing::info!(resources = server.service().len(), "seeded");
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on {}", server.url()).map_err(|e| e.to_string())?;
        stdout.flush().map_err(|e| e.to_string())?;
    }
    let signal = signals.recv().await.map_err(|e| e.to_string())?;
    tracing::info!(signal, "shutting down");
    server.shutdown().await;
    Ok(())
}

/// The signals that stop the mock, listened for from start-up on: a signal that arrives before
/// the server's first request (right after `listening on` is printed) still stops it cleanly.
#[cfg(unix)]
struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(StopSignals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn recv(&mut self) -> std::io::Result<&'static str> {
        Ok(tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        })
    }
}

/// Ctrl-C where there are no Unix signals.
#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn install() -> std::io::Result<Self> {
        Ok(StopSignals)
    }

    async fn recv(&mut self) -> std::io::Result<&'static str> {
        tokio::signal::ctrl_c().await?;
        Ok("ctrl-c")
    }
}
