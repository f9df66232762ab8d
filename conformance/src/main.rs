//! `personalize-conformance`: replays the fixtures against the built-in mock and the client
//! (no arguments), against any running server (`--target URL`), or records fixtures
//! (`record --upstream URL --listen ADDR --out DIR`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use personalize_conformance::report::{Format, Report};
use personalize_conformance::{client_replay, discover, fixture, record, sign::Signer, target};

/// Replays recorded Personalize fixtures (every operation of the service) and reports
/// pass / fail / not run / not implemented per case and per operation.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Run against a running server at this URL (http://HOST:PORT) instead of the built-in
    /// mock and the client.
    #[arg(long, value_name = "URL")]
    target: Option<String>,
    /// Fixtures directory (default: the fixtures built into this binary).
    #[arg(long, value_name = "DIR")]
    fixtures: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Sign with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from the
    /// environment instead of the documentation example key (for --target).
    #[arg(long)]
    env_credentials: bool,
    /// Signing region for --target (default: the region each recording names).
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// With --target: seconds to wait for each job seeded through CreateBatchSegmentJob to
    /// become ACTIVE.
    #[arg(long, value_name = "SECONDS", default_value_t = target::UrlOptions::default().seed_timeout.as_secs())]
    seed_timeout: u64,
    /// Run only the cases about these operations (comma-separated names, such as
    /// `CreateSchema,DescribeSchema`).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    operations: Vec<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A recording proxy: forwards each request to the upstream, re-signed with this
    /// process's credentials, returns the answer unchanged and writes one fixture per exchange.
    Record {
        /// Where to forward (a mock, or a local forwarder to the service): http://HOST:PORT.
        #[arg(long, value_name = "URL")]
        upstream: String,
        /// Address to listen on for clients.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4599")]
        listen: std::net::SocketAddr,
        /// Directory to write fixtures into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Signing region (default AWS_REGION, else us-east-1).
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    if let Some(Command::Record {
        upstream,
        listen,
        out,
        region,
    }) = cli.command
    {
        let region = region
            .or_else(|| std::env::var("AWS_REGION").ok())
            .unwrap_or_else(|| "us-east-1".into());
        let signer = Signer::from_env(&region).unwrap_or_else(|| {
            eprintln!("note: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set; signing with the documentation example key");
            Signer::example(&region)
        });
        return match record::serve(&upstream, listen, &out, signer).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let (fixtures, origin) = match &cli.fixtures {
        Some(dir) => (discover(dir), dir.display().to_string()),
        None => (fixture::embedded(), "the built-in fixtures".to_owned()),
    };
    let fixtures = match fixtures
        .map_err(|e| e.to_string())
        .and_then(|f| fixture::select(f, &cli.operations))
    {
        Ok(f) if f.is_empty() => {
            eprintln!("error: no fixtures in {origin}");
            return ExitCode::from(2);
        }
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut report = Report::default();
    match &cli.target {
        Some(url) => {
            let signer = if cli.env_credentials {
                let region = cli.region.clone().unwrap_or_else(|| "us-east-1".into());
                match Signer::from_env(&region) {
                    Some(s) => Some(s),
                    None => {
                        eprintln!("error: --env-credentials needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
                        return ExitCode::from(2);
                    }
                }
            } else {
                cli.region.as_deref().map(Signer::example)
            };
            let options = target::UrlOptions {
                signer,
                seed_timeout: std::time::Duration::from_secs(cli.seed_timeout),
                ..target::UrlOptions::default()
            };
            match target::run_url_with(url, &fixtures, &options).await {
                Ok(suite) => report.suites.push(suite),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        None => {
            report
                .suites
                .push(target::run_builtin_mock(&fixtures).await);
            report
                .suites
                .push(client_replay::run_client(&fixtures).await);
        }
    }
    print!("{}", report.render(cli.format));
    if report.has_failures() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
