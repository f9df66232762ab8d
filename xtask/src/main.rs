//! `cargo xtask`: slice the Smithy model and generate `personalize-model` from it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use xtask::check::{stale_files, write_files};
use xtask::emit::FLUENT_PATH;
use xtask::slice::{slice, Operations};
use xtask::smithy::Model;
use xtask::{
    generate_crate, generate_fluent, generate_in_tree, workspace_root, CodegenError, GENERATED_DIR,
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
            let operations = Operations::parse(&operations);
            // The client's fluent builders, once the client has a generated/ directory.
            let fluent_path = root.join(FLUENT_PATH);
            let fluent = match (&out, fluent_path.parent().is_some_and(Path::is_dir)) {
                (None, true) => Some(generate_fluent(&model_path, &operations)?),
                _ => None,
            };
            let (files, dir, prune) = match out {
                None => (
                    generate_in_tree(&model_path, &operations)?,
                    root.join(GENERATED_DIR),
                    true,
                ),
                Some(out) => {
                    let name = match crate_name {
                        Some(n) => n,
                        None => default_crate_name(&model_path)?,
                    };
                    (
                        generate_crate(&model_path, &operations, &name)?,
                        root_relative(&out),
                        false,
                    )
                }
            };
            let generated = started.elapsed();
            let mut fluent_files = xtask::Files::new();
            if let Some(text) = fluent {
                fluent_files.insert("fluent.rs".to_owned(), text);
            }
            let fluent_dir = fluent_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            if check {
                let mut stale = stale_files(&files, &dir);
                if !fluent_files.is_empty() {
                    // Only fluent.rs is generated there; the client's mod.rs is hand-written.
                    stale.extend(
                        stale_files(&fluent_files, &fluent_dir)
                            .into_iter()
                            .filter(|s| s.path == "fluent.rs"),
                    );
                }
                for s in &stale {
                    eprint!("{}", s.diff);
                }
                if !stale.is_empty() {
                    eprintln!(
                        "{} generated file(s) in {} are stale; run `cargo xtask codegen`",
                        stale.len(),
                        dir.display()
                    );
                    return Ok(ExitCode::FAILURE);
                }
                println!(
                    "{} generated files are up to date (generated in {generated:.2?})",
                    files.len() + fluent_files.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let mut touched = write_files(&files, &dir, prune)?;
            if !fluent_files.is_empty() {
                touched += write_files(&fluent_files, &fluent_dir, false)?;
                println!("generated {}", fluent_path.display());
            }
            println!(
                "generated {} files into {} in {generated:.2?} ({touched} changed)",
                files.len(),
                dir.display()
            );
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

fn default_crate_name(model_path: &Path) -> Result<String, CodegenError> {
    let model = Model::load(model_path)?;
    let (_, service) = model.service()?;
    let sdk_id = service
        .traits
        .get(xtask::smithy::traits::AWS_SERVICE)
        .and_then(|a| a.get("sdkId"))
        .and_then(|s| s.as_str())
        .unwrap_or("service");
    Ok(format!("{}-model", sdk_id.to_lowercase().replace(' ', "-")))
}
