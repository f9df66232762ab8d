//! `personalize-bench` (`cargo xtask bench [ARGS]`, which runs `cargo run --release -p personalize-bench -- [ARGS]` after timing codegen): measures the mock
//! against a bare hyper server, paging a large store, personalize-client against
//! aws-sdk-personalize, validation (running the criterion bench first), the mock's start-up time
//! (building the release mock first) and codegen, and prints one Markdown table.
//!
//! The `serve-*` subcommands are the servers it starts in child processes.

mod build_time;
mod child;
mod client_cost;
mod codegen;
mod criterion_result;
mod load;
mod paging;
mod report;
mod resources;
mod serve;
mod startup;
mod stats;
mod sys;
mod throughput;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use report::{micros, Row};

/// Benchmarks of the Personalize mock and client.
#[derive(Parser, Debug)]
#[command(name = "personalize-bench", about)]
struct Cli {
    #[command(flatten)]
    run: RunArgs,
    #[command(subcommand)]
    serve: Option<ServerMode>,
}

/// What to measure.
#[derive(Args, Debug)]
struct RunArgs {
    /// Shorter runs and fewer rounds (about a third of the time; noisier).
    #[arg(long)]
    quick: bool,
    /// Also measure the clean release build time of each client (several minutes).
    #[arg(long)]
    build_times: bool,
    /// Sections to run, comma-separated, from: throughput, paging, client, validate, startup, codegen, build.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Resources of each kind (batch segment jobs, dataset groups) in the store for the
    /// throughput and client sections.
    #[arg(long, default_value_t = 100_000)]
    resources: usize,
    /// Jobs in the seed file the start-up section passes to the mock binary (`--seed`).
    #[arg(long, default_value_t = 100_000)]
    seed_resources: usize,
    /// Jobs in the store for the paging section.
    #[arg(long, default_value_t = 1_000_000)]
    paging_jobs: usize,
    /// The codegen section's figures, measured by `cargo xtask bench` (which generates the
    /// whole model in process before it starts this program): `MEDIAN_MS,FILES,BYTES`.
    #[arg(long, value_name = "MEDIAN_MS,FILES,BYTES")]
    codegen: Option<codegen::Figures>,
    /// Where the build section creates its scratch projects and the start-up section its seed
    /// file (outside the repository).
    #[arg(long)]
    scratch: Option<PathBuf>,
}

/// The servers the benchmark runs in child processes.
#[derive(Subcommand, Debug)]
enum ServerMode {
    /// Serve the mock with N jobs and M dataset groups until stdin closes.
    #[command(name = "serve-mock", hide = true)]
    Mock {
        #[arg(long)]
        jobs: usize,
        #[arg(long)]
        groups: usize,
    },
    /// Serve the mock's first page of KIND bytes to every request, with a bare hyper server.
    #[command(name = "serve-bare", hide = true)]
    Bare {
        #[arg(long, value_enum)]
        kind: resources::Kind,
        #[arg(long)]
        resources: usize,
    },
    /// Report resident memory per job after filling a store, then serve it.
    #[command(name = "serve-paging", hide = true)]
    Paging {
        #[arg(long)]
        jobs: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.serve {
        Some(serve) => run_server(serve),
        None => run_benchmarks(&cli.run),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("personalize-bench: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_server(serve: ServerMode) -> Result<ExitCode, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        match serve {
            ServerMode::Mock { jobs, groups } => serve::mock(jobs, groups).await,
            ServerMode::Bare { kind, resources } => serve::bare(kind, resources).await,
            ServerMode::Paging { jobs } => serve::paging(jobs).await,
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The three rows of one connection count of the throughput section.
fn throughput_rows(r: &throughput::Row) -> [Row; 3] {
    let operation = r.kind.operation();
    [
        Row::plain(
            format!(
                "1. {operation} throughput, {} conn (req/s, mock vs bare)",
                r.connections
            ),
            format!("{:.0}", r.mock_rate),
        )
        .versus(format!("{:.0}", r.bare_rate), r.ratio)
        .goal("≥ 0.50", r.ratio >= 0.5),
        Row::plain(
            format!(
                "1. {operation} latency p50 / p99, {} conn (mock; bare p50)",
                r.connections
            ),
            format!("{} / {}", micros(r.mock_p50_us), micros(r.mock_p99_us)),
        )
        .versus(
            micros(r.bare_p50_us),
            r.mock_p50_us / r.bare_p50_us.max(1e-9),
        ),
        Row::plain(
            format!(
                "1. {operation} server CPU per request, {} conn (mock vs bare)",
                r.connections
            ),
            format!("{:.1} µs", r.mock_cpu_us),
        )
        .versus(
            format!("{:.1} µs", r.bare_cpu_us),
            r.mock_cpu_us / r.bare_cpu_us.max(1e-9),
        ),
    ]
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs `cargo ARGS` in `workspace`, the same cargo that started this run when there is one.
fn cargo(workspace: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(&cargo)
        .args(args)
        .current_dir(workspace)
        .status()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

fn wanted(args: &RunArgs, section: &str) -> bool {
    if args.only.is_empty() {
        section != "build" || args.build_times
    } else {
        args.only.iter().any(|s| s == section)
    }
}

fn run_benchmarks(args: &RunArgs) -> Result<ExitCode, String> {
    const KNOWN: [&str; 7] = [
        "throughput",
        "paging",
        "client",
        "validate",
        "startup",
        "codegen",
        "build",
    ];
    if let Some(unknown) = args.only.iter().find(|s| !KNOWN.contains(&s.as_str())) {
        return Err(format!(
            "unknown section {unknown:?}; known: {}",
            KNOWN.join(", ")
        ));
    }
    let root = workspace_root();
    let scratch = args
        .scratch
        .clone()
        .unwrap_or_else(build_time::default_scratch);
    let quick = args.quick;
    let mut rows = Vec::new();
    let mut failed = false;
    let mut fail = |rows: &mut Vec<Row>, figure: &str, e: String| {
        eprintln!("  {figure}: {e}");
        rows.push(Row::failed(figure, &e));
        failed = true;
    };

    if wanted(args, "throughput") {
        eprintln!(
            "1. mock vs bare hyper server, pages of 100 from {} resources of each kind",
            args.resources
        );
        match throughput::spawn_mock(args.resources) {
            Ok(mock) => {
                for kind in resources::Kind::ALL {
                    let settings = throughput::Settings {
                        kind,
                        resources: args.resources,
                        connections: vec![1, 16, 64],
                        rounds: if quick { 3 } else { 5 },
                        duration: Duration::from_millis(if quick { 1_000 } else { 3_000 }),
                        max_requests: 5_000_000,
                    };
                    match throughput::run(&mock, &settings) {
                        Ok(results) => rows.extend(results.iter().flat_map(throughput_rows)),
                        Err(e) => fail(
                            &mut rows,
                            &format!("1. throughput, {}", kind.operation()),
                            e,
                        ),
                    }
                }
            }
            Err(e) => fail(&mut rows, "1. throughput", e),
        }
    }

    if wanted(args, "paging") {
        eprintln!("2. paging {} jobs", args.paging_jobs);
        match paging::run(args.paging_jobs, if quick { 100 } else { 300 }) {
            Ok(f) => {
                let ratio = f.last_us / f.first_us.max(1e-9);
                rows.push(
                    Row::plain(
                        format!("2. last page (page {}) vs first page latency", f.pages),
                        micros(f.last_us),
                    )
                    .versus(micros(f.first_us), ratio)
                    .goal("≤ 1.20", ratio <= 1.2),
                );
                rows.push(Row::plain(
                    format!("2. list all {} jobs ({} pages, 1 conn)", f.jobs, f.pages),
                    format!("{:.2} s", f.list_all.as_secs_f64()),
                ));
                rows.push(Row::plain(
                    "2. resident memory per stored job (in process, seeded 10,000 at a time)",
                    format!("{:.0} B", f.rss_per_job),
                ));
            }
            Err(e) => fail(&mut rows, "2. paging", e),
        }
    }

    if wanted(args, "client") {
        eprintln!("3. personalize-client vs aws-sdk-personalize against the bare server");
        let (calls, rounds) = if quick { (100, 3) } else { (300, 5) };
        match client_cost::run(args.resources, calls, rounds) {
            Ok(f) => {
                let lat = f.ours_latency_us / f.sdk_latency_us.max(1e-9);
                let cpu = f.ours_cpu_us / f.sdk_cpu_us.max(1e-9);
                rows.push(
                    Row::plain(format!("3. latency per call, page of 100 (client vs SDK; {} rounds × {} calls)", f.rounds, f.calls), micros(f.ours_latency_us))
                        .versus(micros(f.sdk_latency_us), lat)
                        .goal("≤ 0.50", lat <= 0.5),
                );
                rows.push(
                    Row::plain(
                        "3. client CPU per call (client vs SDK)",
                        micros(f.ours_cpu_us),
                    )
                    .versus(micros(f.sdk_cpu_us), cpu)
                    .goal("≤ 0.50", cpu <= 0.5),
                );
            }
            Err(e) => fail(&mut rows, "3. client cost", e),
        }
    }

    if wanted(args, "build") {
        eprintln!("3. clean release builds (scratch projects, own target dirs)");
        match build_time::run(&root, &scratch) {
            Ok(f) => {
                let ratio = f.ours.as_secs_f64() / f.sdk.as_secs_f64().max(1e-9);
                rows.push(
                    Row::plain(
                        "3. clean release build (client vs SDK program)",
                        format!("{:.1} s", f.ours.as_secs_f64()),
                    )
                    .versus(format!("{:.1} s", f.sdk.as_secs_f64()), ratio)
                    .goal("≤ 0.50", ratio <= 0.5),
                );
                let without_tls = f.ours_without_tls.as_secs_f64() / f.sdk.as_secs_f64().max(1e-9);
                rows.push(
                    Row::plain(
                        "3. clean release build, client without the rustls feature, for mock-only tests (vs SDK program)",
                        format!("{:.1} s", f.ours_without_tls.as_secs_f64()),
                    )
                    .versus(format!("{:.1} s", f.sdk.as_secs_f64()), without_tls),
                );
            }
            Err(e) => fail(&mut rows, "3. build time", e),
        }
    } else {
        rows.push(Row::plain(
            "3. clean release build (client vs SDK program)",
            "not measured (pass --build-times)",
        ));
    }

    if wanted(args, "validate") {
        eprintln!("4. validation (criterion)");
        if let Err(e) = criterion_result::run(&root, quick) {
            fail(&mut rows, "4. validate", e);
        }
        for case in criterion_result::CASES {
            let figure =
                format!("4. validate a full ListBatchSegmentJobs input ({case}, criterion)");
            match criterion_result::median_ns(&root, case) {
                Ok(ns) => rows.push(Row::plain(figure, format!("{ns:.0} ns"))),
                Err(e) => fail(&mut rows, &figure, e),
            }
        }
    }

    if wanted(args, "startup") {
        eprintln!(
            "4. mock start-up, empty and with a seed file of {} jobs",
            args.seed_resources
        );
        let (runs, seeded_runs) = if quick { (5, 3) } else { (15, 5) };
        let built = cargo(
            &root,
            &[
                "build",
                "--release",
                "-p",
                "personalize-mock",
                "--bin",
                "personalize-mock",
            ],
        );
        match built.and_then(|()| startup::run(runs, seeded_runs, args.seed_resources, &scratch)) {
            Ok(f) => {
                rows.push(Row::plain(
                    "4. mock binary: spawn to first answered request",
                    micros(f.empty_us),
                ));
                rows.push(
                    Row::plain(
                        format!(
                            "4. mock binary with `--seed FILE` of {} jobs ({} MiB): spawn to first answered request",
                            f.resources,
                            f.seed_bytes / (1024 * 1024)
                        ),
                        micros(f.seeded_us),
                    )
                    .goal("≤ 1 s", f.seeded_us <= 1e6),
                );
                rows.push(
                    Row::plain(
                        "4. resident memory per seeded job (seeded binary minus empty binary)",
                        format!("{:.0} B", f.rss_per_resource),
                    )
                    .goal("≤ 600 B", f.rss_per_resource <= 600.0),
                );
            }
            Err(e) => fail(&mut rows, "4. start-up", e),
        }
    }

    if wanted(args, "codegen") {
        eprintln!("5. codegen (measured by cargo xtask bench)");
        match args.codegen.clone().ok_or_else(|| {
            "no --codegen figures: run the benchmark as `cargo xtask bench`".to_owned()
        }) {
            Ok(f) => rows.push(Row::plain(
                format!(
                    "5. generate the whole Personalize model ({} files, {} KiB, in process)",
                    f.files,
                    f.bytes / 1024
                ),
                format!("{:.0} ms", f.median_ms),
            )),
            Err(e) => fail(&mut rows, "5. codegen", e),
        }
    }

    println!("Machine: {}", sys::machine());
    println!("Server and load generator share these CPUs (servers run in child processes).");
    println!();
    print!("{}", report::markdown(&rows));
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
