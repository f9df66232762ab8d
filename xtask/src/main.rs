//! `cargo xtask`: slice the Smithy model and generate `personalize-model` from it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use xtask::check::{stale_files, stale_output, write_files, write_output, Stale};
use xtask::emit;
use xtask::slice::{slice, Operations};
use xtask::smithy::Model;
use xtask::typespace::TypeSpace;
use xtask::{generate_crate, type_space, workspace_outputs, workspace_root, CodegenError};

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
        /// Output file (default: model/<file name of --from>); other *.json in its directory are removed.
        #[arg(long)]
        out: Option<PathBuf>,
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
    },
    /// Generate standalone crates for the whole official Personalize and Personalize Runtime
    /// models (and the kitchen-sink fixture) and `cargo check` them with `-D warnings`
    /// (CARGO_TARGET_DIR=target/full-model).
    CheckFullModel {
        /// Directory holding the official models.
        #[arg(long, default_value = "spec/models")]
        models: PathBuf,
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
        } => {
            let from = root_relative(&from);
            let full = Model::load(&from)?;
            let sliced = slice(&full, &Operations::parse(&operations))?;
            let file_name = from
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "model.json".to_owned());
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
                if p != out && p.extension().is_some_and(|e| e == "json") {
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
        } => {
            let started = Instant::now();
            let model_path = root_relative(&model.unwrap_or_else(|| PathBuf::from("model")));
            // One type space for every file generated: the model is read once.
            let space = type_space(&model_path, &Operations::parse(&operations))?;
            if let Some(out) = out {
                let name = crate_name.unwrap_or_else(|| default_crate_name(&space));
                let files = emit::standalone_crate(&space, &name)?;
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
            let outputs = workspace_outputs(&space)?;
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
                let files = generate_crate(&path, &Operations::All, name)?;
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
