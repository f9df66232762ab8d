//! `cargo xtask`: slice the Smithy model and generate `personalize-model` from it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use xtask::check::{stale_files, stale_output, write_files, write_output, Stale};
use xtask::slice::{slice, Operations};
use xtask::typespace::TypeSpace;
use xtask::{
    generate_crate, load_model, protocol_tests_output, type_space, workspace_outputs,
    workspace_root, CodegenError, Files,
};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer tasks for the Personalize workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Cut the closure of some operations out of a full Smithy JSON AST into model/.
    Slice {
        /// The full official model (Smithy 2.0 JSON AST).
        #[arg(long)]
        from: PathBuf,
        /// Operation names, comma-separated (`ListBatchSegmentJobs,ListCampaigns`), or `all`.
        #[arg(long)]
        operations: String,
        /// Output file (default: model/<file name of --from>, and other *.json in model/ are removed).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The service to slice, for files that hold several (`aws.protocoltests.json#JsonProtocol`).
        #[arg(long)]
        service: Option<String>,
    },
    /// Generate crates/model/src/generated from model/ (or a standalone crate with --out).
    Codegen {
        /// Compare with the files on disk instead of writing; exit 1 with a diff when stale.
        #[arg(long)]
        check: bool,
        /// Model file or directory (default: model/).
        #[arg(long)]
        model: Option<PathBuf>,
        /// `all` (default) or comma-separated operation names.
        #[arg(long, default_value = "all")]
        operations: String,
        /// Write a standalone crate (Cargo.toml + src/) into this directory instead.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Package name of the standalone crate (default: <sdkId>-model, lower-case).
        #[arg(long)]
        crate_name: Option<String>,
        /// The service to generate, for model files that hold several.
        #[arg(long)]
        service: Option<String>,
    },
    /// Generate standalone crates for the whole official Personalize and Personalize Runtime
    /// models (and the kitchen-sink fixture) and `cargo check` them with `-D warnings`
    /// (CARGO_TARGET_DIR=target/full-model).
    CheckFullModel {
        /// Directory holding the official models.
        #[arg(long, default_value = "spec/models")]
        models: PathBuf,
    },
    /// Run Smithy's awsJson 1.1 protocol compliance cases (`cargo test -p protocol-tests
    /// --test suite`) and print the one-line summary; exit 1 on any unexpected failure.
    ProtocolTests,
    /// Run the benchmarks: time the generation of the whole model here, then the release
    /// personalize-bench (arguments go to it: `--quick`, `--build-times`, `--only throughput,paging`).
    Bench {
        /// Arguments for personalize-bench.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root_relative(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        workspace_root().join(path)
    }
}

fn run(cli: Cli) -> Result<ExitCode, CodegenError> {
    let root = workspace_root();
    match cli.command {
        Command::Slice {
            from,
            operations,
            out,
            service,
        } => {
            let from = root_relative(&from);
            let full = load_model(&from, service.as_deref())?;
            let sliced = slice(&full, &Operations::parse(&operations))?;
            let file_name = from
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "model.json".to_owned());
            // Only model/ is cleared of other files; an explicit --out touches its file alone.
            let clear_others = out.is_none();
            let out = out
                .map(|o| root_relative(&o))
                .unwrap_or_else(|| root.join("model").join(file_name));
            let dir = out
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| root.join("model"));
            let io = |p: &Path, e: std::io::Error| CodegenError::Io {
                path: p.display().to_string(),
                reason: e.to_string(),
            };
            std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
            for entry in std::fs::read_dir(&dir).map_err(|e| io(&dir, e))?.flatten() {
                let p = entry.path();
                if clear_others && p != out && p.extension().is_some_and(|e| e == "json") {
                    std::fs::remove_file(&p).map_err(|e| io(&p, e))?;
                    println!("removed {}", p.display());
                }
            }
            std::fs::write(&out, sliced.to_json()).map_err(|e| io(&out, e))?;
            println!("wrote {} ({} shapes)", out.display(), sliced.shapes.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Codegen {
            check,
            model,
            operations,
            out,
            crate_name,
            service,
        } => {
            let started = Instant::now();
            let explicit = model.is_some();
            let model_path = root_relative(&model.unwrap_or_else(|| PathBuf::from("model")));
            // One type space for every file generated from a model: it is read once.
            let space = type_space(
                &model_path,
                service.as_deref(),
                &Operations::parse(&operations),
            )?;
            if let Some(out) = out {
                let name = crate_name.unwrap_or_else(|| default_crate_name(&space));
                let files = generate_crate(&space, &name)?;
                let generated = started.elapsed();
                let dir = root_relative(&out);
                if check {
                    return Ok(report(&stale_files(&files, &dir), files.len(), generated));
                }
                let touched = write_files(&files, &dir, false)?;
                println!(
                    "generated {} files into {} in {generated:.2?} ({touched} changed)",
                    files.len(),
                    dir.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let mut outputs = workspace_outputs(&space)?;
            // Without --model: every generated tree of the workspace, the protocol test
            // service's model crate included.
            if !explicit {
                outputs.push(protocol_tests_output(&root)?);
            }
            let generated = started.elapsed();
            let count = outputs.iter().map(|o| o.files.len()).sum();
            if check {
                let stale: Vec<Stale> = outputs
                    .iter()
                    .flat_map(|o| stale_output(o, &root))
                    .collect();
                return Ok(report(&stale, count, generated));
            }
            let mut touched = 0;
            for output in &outputs {
                touched += write_output(output, &root)?;
                println!("generated {} files into {}", output.files.len(), output.dir);
            }
            println!("generated {count} files in {generated:.2?} ({touched} changed)");
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { args } => bench(&args),
        Command::ProtocolTests => protocol_tests(),
        Command::CheckFullModel { models } => {
            let models = root_relative(&models);
            let target_dir = root.join("target/full-model");
            let fixture = root.join("xtask/tests/fixtures/kitchen_sink.json");
            for (path, name) in [
                (
                    models.join("personalize-2018-05-22.json"),
                    "personalize-full-model",
                ),
                (
                    models.join("personalize-runtime-2018-05-22.json"),
                    "personalize-runtime-full-model",
                ),
                (fixture, "kitchen-sink-model"),
            ] {
                let file = path.display();
                let started = Instant::now();
                let files = generate_crate(&type_space(&path, None, &Operations::All)?, name)?;
                println!(
                    "{file}: generated {} files in {:.2?}",
                    files.len(),
                    started.elapsed()
                );
                let dir = target_dir.join(name);
                write_files(&files, &dir, true)?;
                let lock = dir.join("Cargo.lock");
                if !lock.exists() {
                    // Start from the workspace's resolved versions so no new downloads are needed.
                    let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
                }
                let status = std::process::Command::new(
                    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
                )
                .args(["check", "--all-targets", "--quiet", "--manifest-path"])
                .arg(dir.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", &target_dir)
                .env("RUSTFLAGS", "-D warnings")
                .status()
                .map_err(|e| CodegenError::Io {
                    path: "cargo".to_owned(),
                    reason: e.to_string(),
                })?;
                if !status.success() {
                    eprintln!("cargo check failed for {}", dir.display());
                    return Ok(ExitCode::FAILURE);
                }
                println!("{name}: cargo check passed");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `<sdkId>-model`, lower-case, spaces as dashes (`personalize-model`).
fn default_crate_name(space: &TypeSpace) -> String {
    format!(
        "{}-model",
        space.service.sdk_id.to_lowercase().replace(' ', "-")
    )
}

/// `--check`'s verdict: every stale file's diff and failure, or success.
fn report(stale: &[Stale], count: usize, generated: Duration) -> ExitCode {
    for s in stale {
        eprint!("{}", s.diff);
    }
    if !stale.is_empty() {
        let paths: Vec<&str> = stale.iter().map(|s| s.path.as_str()).collect();
        eprintln!(
            "{} generated file(s) are stale ({}); run `cargo xtask codegen`",
            stale.len(),
            paths.join(", ")
        );
        return ExitCode::FAILURE;
    }
    println!("{count} generated files are up to date (generated in {generated:.2?})");
    ExitCode::SUCCESS
}

/// The protocol suite's test binary, quietly: its summary line, and everything it printed when
/// it failed.
fn protocol_tests() -> Result<ExitCode, CodegenError> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(&cargo)
        .args([
            "test",
            "-p",
            "protocol-tests",
            "--test",
            "suite",
            "--",
            "--quiet",
        ])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| CodegenError::Io {
            path: cargo.clone(),
            reason: e.to_string(),
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stdout.lines().find(|l| l.starts_with("awsJson1_1 client:"));
    if !output.status.success() || summary.is_none() {
        for line in stdout.lines().filter(|l| Some(*l) != summary) {
            eprintln!("{line}");
        }
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        if let Some(line) = summary {
            println!("{line}");
        }
        return Ok(ExitCode::FAILURE);
    }
    if let Some(line) = summary {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask bench`: times the generation of the whole official model here (the generator
/// is this crate's code), then runs the release `personalize-bench` with `args` and those
/// figures. xtask starts the benchmark as a process and the benchmark does not link xtask: the
/// dependency goes one way.
fn bench(args: &[String]) -> Result<ExitCode, CodegenError> {
    let quick = args.iter().any(|a| a == "--quick");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|list| list.split(',').any(|s| s == "codegen"));
    let mut bench_args: Vec<String> = args.to_vec();
    if only.unwrap_or(true) {
        let model = workspace_root().join("spec/models/personalize-2018-05-22.json");
        let runs = if quick { 3 } else { 5 };
        eprintln!("codegen of {} ({runs} runs)", model.display());
        let mut times = Vec::with_capacity(runs);
        let mut files = Files::new();
        for _ in 0..runs {
            let started = Instant::now();
            let space = type_space(&model, None, &Operations::All)?;
            files = generate_crate(&space, "personalize-full-model")?;
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        let bytes: usize = files.values().map(String::len).sum();
        bench_args.push(format!("--codegen={median:.1},{},{bytes}", files.len()));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(&cargo)
        .args(["run", "--release", "-p", "personalize-bench", "--"])
        .args(&bench_args)
        .current_dir(workspace_root())
        .status()
        .map_err(|e| CodegenError::Io {
            path: cargo.clone(),
            reason: e.to_string(),
        })?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
