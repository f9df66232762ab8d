//! Section 3b: clean release build time of a program calling ListBatchSegmentJobs through
//! personalize-client (with its default features, and without the `rustls` feature as mock-only
//! tests use it) versus through aws-sdk-personalize, each a scratch project outside the
//! repository with its own target directory, built one after the other.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Figures of the build section.
#[derive(Clone, Debug)]
pub struct Figures {
    /// Clean `cargo build --release` of the personalize-client program.
    pub ours: Duration,
    /// The same program with personalize-client's default features off (no `rustls`: plain
    /// http, for mock-only tests).
    pub ours_without_tls: Duration,
    /// Clean `cargo build --release` of the aws-sdk-personalize program.
    pub sdk: Duration,
}

const OURS_MAIN: &str = r#"
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = personalize_client::Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .credentials(personalize_client::Credentials::new("AKID", "secret", None))
        .build()
        .expect("config");
    let client = personalize_client::Client::new(config);
    let page = client.list_batch_segment_jobs().max_results(10).send().await;
    println!("{:?}", page.map(|p| p.batch_segment_jobs));
}
"#;

const SDK_MAIN: &str = r#"
use aws_sdk_personalize::config::{BehaviorVersion, Region};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_sdk_personalize::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(aws_credential_types::Credentials::new("AKID", "secret", None, None, "build"))
        .build();
    let client = aws_sdk_personalize::Client::from_conf(config);
    let page = client.list_batch_segment_jobs().max_results(10).send().await;
    println!("{:?}", page.map(|p| p.batch_segment_jobs().len()));
}
"#;

fn manifest(name: &str, dependencies: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{dependencies}\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n"
    )
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Creates the scratch project `name` under `scratch` and builds it from clean; returns the
/// wall time.
fn build(
    scratch: &Path,
    name: &str,
    dependencies: &str,
    main: &str,
    lock: &Path,
) -> Result<Duration, String> {
    let dir = scratch.join(name);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    write(&dir.join("Cargo.toml"), &manifest(name, dependencies))?;
    write(&src.join("main.rs"), main)?;
    // Start from the workspace's resolved versions: the same crates, nothing new to fetch.
    std::fs::copy(lock, dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .map_err(|e| format!("cannot clean {}: {e}", target.display()))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("cargo build --release failed in {}", dir.display()));
    }
    Ok(elapsed)
}

/// Builds the three scratch projects under `scratch` (outside the repository), one after the other.
pub fn run(workspace: &Path, scratch: &Path) -> Result<Figures, String> {
    let lock = workspace.join("Cargo.lock");
    // The scratch program's dependency on this workspace's client, with extra `options`.
    let client = |options: &str| {
        format!(
            "personalize-client = {{ path = {:?}{options} }}\n",
            workspace.join("crates/client").display().to_string()
        )
    };
    let sdk_deps = "aws-sdk-personalize = { version = \"1.124\", default-features = false, features = [\"behavior-version-latest\", \"rt-tokio\", \"default-https-client\"] }\n\
                    aws-credential-types = \"1.3\"\n";
    eprintln!("  clean release build of personalize-client program...");
    let ours = build(
        scratch,
        "with-personalize-client",
        &client(""),
        OURS_MAIN,
        &lock,
    )?;
    eprintln!("    {ours:.1?}; clean release build of it without the rustls feature...");
    let ours_without_tls = build(
        scratch,
        "with-personalize-client-without-tls",
        &client(", default-features = false"),
        OURS_MAIN,
        &lock,
    )?;
    eprintln!("    {ours_without_tls:.1?}; clean release build of aws-sdk-personalize program...");
    let sdk = build(
        scratch,
        "with-aws-sdk-personalize",
        sdk_deps,
        SDK_MAIN,
        &lock,
    )?;
    eprintln!("    {sdk:.1?}");
    Ok(Figures {
        ours,
        ours_without_tls,
        sdk,
    })
}

/// The default scratch directory: under the system temp directory, outside the repository.
pub fn default_scratch() -> PathBuf {
    std::env::temp_dir().join("personalize-bench-build")
}
