//! Section 4b: the mock binary's time from process start to its first answered request.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::child::ServerChild;
use crate::stats::median_us;

/// How long one start may take before the run counts as failed.
const START_LIMIT: Duration = Duration::from_secs(10);

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

/// Median time (µs) from spawning `personalize-mock --bind 127.0.0.1:0` to its first 200,
/// over `runs` starts.
pub fn run(runs: usize) -> Result<f64, String> {
    let binary = mock_binary()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let mut command = Command::new(&binary);
        command.args(["--bind", "127.0.0.1:0"]);
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
        times.push(started.elapsed());
        drop(server);
    }
    Ok(median_us(&times))
}
