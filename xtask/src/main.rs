//! `cargo xtask`: slice the Smithy model and generate `personalize-model` from it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use xtask::check::{stale_files, write_files};
use xtask::emit::{FLUENT_PATH, MOCK_GENERATED_DIR};
use xtask::slice::{slice, Operations};
use xtask::{
    generate_crate, generate_fluent, generate_in_tree, generate_mock, load_model, workspace_root,
    CodegenError, InTree, IN_TREE,
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
    /// Run the benchmarks in release: the criterion validation bench, then personalize-bench
    /// (arguments go to it: `--quick`, `--build-times`, `--only throughput,paging`).
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
            let operations = Operations::parse(&operations);
            if let Some(out) = out {
                let model_path = root_relative(&model.unwrap_or_else(|| PathBuf::from("model")));
                let name = match crate_name {
                    Some(n) => n,
                    None => default_crate_name(&model_path, service.as_deref())?,
                };
                let files = generate_crate(&model_path, service.as_deref(), &operations, &name)?;
                return finish(check, &[(files, root_relative(&out), false)], started);
            }
            // In-tree: every generated crate of the workspace, or the one named by --model.
            let targets: Vec<InTree> = match &model {
                None => IN_TREE.to_vec(),
                Some(_) => vec![IN_TREE[0]],
            };
            let mut outputs = Vec::new();
            for target in targets {
                let model_path = match &model {
                    Some(m) => root_relative(m),
                    None => root.join(target.model),
                };
                let service = service.as_deref().or(target.service);
                let files = generate_in_tree(&model_path, service, &operations)?;
                outputs.push((files, root.join(target.generated_dir), true));
                // The client's fluent builders, once the client has a generated/ directory.
                let fluent_path = root.join(FLUENT_PATH);
                if let (true, Some(dir)) = (target.fluent, fluent_path.parent()) {
                    if dir.is_dir() {
                        let mut fluent = xtask::Files::new();
                        fluent.insert(
                            "fluent.rs".to_owned(),
                            generate_fluent(&model_path, &operations)?,
                        );
                        // Only fluent.rs is generated there; the client's mod.rs is hand-written.
                        outputs.push((fluent, dir.to_path_buf(), false));
                    }
                }
                // The mock's typed handler and routing (the whole directory is generated).
                if target.mock {
                    outputs.push((
                        generate_mock(&model_path, &operations)?,
                        root.join(MOCK_GENERATED_DIR),
                        true,
                    ));
                }
            }
            finish(check, &outputs, started)
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
                let files = generate_crate(&path, None, &Operations::All, name)?;
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

/// Writes (or with `check`, compares) each (files, directory, prune leftovers) output.
fn finish(
    check: bool,
    outputs: &[(xtask::Files, PathBuf, bool)],
    started: Instant,
) -> Result<ExitCode, CodegenError> {
    let generated = started.elapsed();
    let total: usize = outputs.iter().map(|(files, _, _)| files.len()).sum();
    if check {
        let mut stale_count = 0;
        for (files, dir, prune) in outputs {
            let stale = stale_files(files, dir);
            for s in &stale {
                // Without pruning, files the generator does not write are not its business.
                if *prune || files.contains_key(&s.path) {
                    eprint!("{}", s.diff);
                    stale_count += 1;
                }
            }
        }
        if stale_count > 0 {
            eprintln!("{stale_count} generated file(s) are stale; run `cargo xtask codegen`");
            return Ok(ExitCode::FAILURE);
        }
        println!("{total} generated files are up to date (generated in {generated:.2?})");
        return Ok(ExitCode::SUCCESS);
    }
    for (files, dir, prune) in outputs {
        let touched = write_files(files, dir, *prune)?;
        println!(
            "generated {} files into {} ({touched} changed)",
            files.len(),
            dir.display()
        );
    }
    println!("generated in {generated:.2?}");
    Ok(ExitCode::SUCCESS)
}

fn default_crate_name(model_path: &Path, service: Option<&str>) -> Result<String, CodegenError> {
    let model = load_model(model_path, service)?;
    let (_, service) = model.service()?;
    let sdk_id = service
        .traits
        .get(xtask::smithy::traits::AWS_SERVICE)
        .and_then(|a| a.get("sdkId"))
        .and_then(|s| s.as_str())
        .unwrap_or("service");
    Ok(format!("{}-model", sdk_id.to_lowercase().replace(' ', "-")))
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

/// `cargo bench -p personalize-model --bench validate`, then the release `personalize-bench`
/// (which reads criterion's figures and starts the release `personalize-mock`).
fn bench(args: &[String]) -> Result<ExitCode, CodegenError> {
    let quick = args.iter().any(|a| a == "--quick");
    let criterion: &[&str] = if quick {
        &["--quick"]
    } else {
        &["--warm-up-time", "1", "--measurement-time", "3"]
    };
    let steps: [Vec<&str>; 3] = [
        [
            &[
                "bench",
                "-p",
                "personalize-model",
                "--bench",
                "validate",
                "--",
            ][..],
            criterion,
        ]
        .concat(),
        vec![
            "build",
            "--release",
            "-p",
            "personalize-mock",
            "--bin",
            "personalize-mock",
        ],
        [
            &["run", "--release", "-p", "personalize-bench", "--"][..],
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat(),
    ];
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for step in steps {
        let status = std::process::Command::new(&cargo)
            .args(&step)
            .current_dir(workspace_root())
            .status()
            .map_err(|e| CodegenError::Io {
                path: cargo.clone(),
                reason: e.to_string(),
            })?;
        if !status.success() {
            eprintln!("`cargo {}` failed", step.join(" "));
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
