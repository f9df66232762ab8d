//! Section 4b: the mock binary's time from process start to its first answered request, empty
//! and with a seed file of many resources (`--seed FILE`), and the resident memory the seeded
//! resources take in it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::child::ServerChild;
use crate::resources::{self, Kind};
use crate::stats::{median, median_us};
use crate::sys;

/// How long one start may take before the run counts as failed.
const START_LIMIT: Duration = Duration::from_secs(60);

/// `personalize-mock`, built next to this binary (`cargo build --release -p personalize-mock`).
pub fn mock_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find own binary: {e}"))?;
    let path = exe.with_file_name("personalize-mock");
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: build it with `cargo build --release -p personalize-mock` (personalize-bench does before this section)",
            path.display()
        ))
    }
}

/// Sends one ListBatchSegmentJobs request on a fresh connection; true on a 200.
fn answered(addr: SocketAddr) -> bool {
    let attempt = || -> std::io::Result<bool> {
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        let body = "{}";
        write!(
            stream,
            "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AmazonPersonalize.ListBatchSegmentJobs\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer)?;
        Ok(answer.starts_with(b"HTTP/1.1 200"))
    };
    attempt().unwrap_or(false)
}

/// One start: the time from spawning `binary` with `args` to its first 200, and its resident
/// memory then.
fn start_once(binary: &Path, args: &[&str]) -> Result<(Duration, u64), String> {
    let started = Instant::now();
    let mut command = Command::new(binary);
    command.args(args);
    let server = ServerChild::spawn(command)?;
    while !answered(server.addr) {
        if started.elapsed() > START_LIMIT {
            return Err(format!(
                "{} answered no request within {START_LIMIT:?}",
                binary.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let elapsed = started.elapsed();
    let rss = sys::rss_of(server.pid())?;
    drop(server);
    Ok((elapsed, rss))
}

/// Figures of the start-up section.
#[derive(Clone, Debug)]
pub struct Figures {
    /// Median start-up time without a seed (µs).
    pub empty_us: f64,
    /// Median start-up time with the seed file (µs).
    pub seeded_us: f64,
    /// Resources in the seed file.
    pub resources: usize,
    /// Size of the seed file.
    pub seed_bytes: u64,
    /// Median resident memory of the seeded process minus the empty one's, per resource.
    pub rss_per_resource: f64,
}

/// Median time (µs) from spawning `personalize-mock --bind 127.0.0.1:0` to its first 200 over
/// `runs` starts, then the same with `--seed FILE`, a file of `resources` jobs written to
/// `scratch`, over `seeded_runs` starts; and the resident memory the seed took.
pub fn run(
    runs: usize,
    seeded_runs: usize,
    resources: usize,
    scratch: &Path,
) -> Result<Figures, String> {
    let binary = mock_binary()?;
    std::fs::create_dir_all(scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let seed = scratch.join(format!("seed-{resources}-jobs.json"));
    let seed_bytes = resources::write_seed_file(&seed, Kind::Jobs, resources)?;
    let seed_arg = seed.to_string_lossy().into_owned();
    let (mut empty, mut empty_rss) = (Vec::new(), Vec::new());
    let (mut seeded, mut seeded_rss) = (Vec::new(), Vec::new());
    // Alternate, so both see the same machine.
    for i in 0..runs.max(seeded_runs) {
        if i < runs {
            let (time, rss) = start_once(&binary, &["--bind", "127.0.0.1:0"])?;
            empty.push(time);
            empty_rss.push(rss as f64);
        }
        if i < seeded_runs {
            let (time, rss) = start_once(&binary, &["--bind", "127.0.0.1:0", "--seed", &seed_arg])?;
            seeded.push(time);
            seeded_rss.push(rss as f64);
        }
    }
    let _ = std::fs::remove_file(&seed);
    Ok(Figures {
        empty_us: median_us(&empty),
        seeded_us: median_us(&seeded),
        resources,
        seed_bytes,
        rss_per_resource: (median(&seeded_rss) - median(&empty_rss)) / resources.max(1) as f64,
    })
}
