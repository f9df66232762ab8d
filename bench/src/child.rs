//! Child processes: a server of this binary, or another binary, started and stopped by the
//! benchmark.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};

/// A running server child: its address and any lines it printed before `listening on`.
pub struct ServerChild {
    child: Child,
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Lines printed before the address line.
    pub preamble: Vec<String>,
}

impl ServerChild {
    /// Runs this benchmark binary with `args` (a `serve-*` subcommand) and waits for its address.
    pub fn spawn_self(args: &[&str]) -> Result<ServerChild, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find own binary: {e}"))?;
        let mut command = Command::new(exe);
        command.args(args);
        Self::spawn(command)
    }

    /// Runs `command` with piped stdin/stdout and waits for its `listening on http://ADDR` line.
    pub fn spawn(mut command: Command) -> Result<ServerChild, String> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {command:?}: {e}"))?;
        let stdout = child.stdout.take();
        match stdout.map(wait_for_address) {
            Some(Ok((addr, preamble))) => Ok(ServerChild {
                child,
                addr,
                preamble,
            }),
            Some(Err(e)) => {
                stop(&mut child);
                Err(format!("{command:?}: {e}"))
            }
            None => {
                stop(&mut child);
                Err(format!("{command:?}: no stdout"))
            }
        }
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerChild {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Closes the child's stdin (its signal to stop), sends SIGTERM, and reaps it.
fn stop(child: &mut Child) {
    drop(child.stdin.take());
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill has no memory-safety preconditions; the pid is our own child, not reaped yet.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
    let _ = child.wait();
}

/// Reads lines until `listening on http://ADDR`; returns the address and the lines before it.
pub fn wait_for_address(stdout: ChildStdout) -> Result<(SocketAddr, Vec<String>), String> {
    let mut reader = BufReader::new(stdout);
    let mut preamble = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| format!("reading its output: {e}"))?;
        if n == 0 {
            return Err(format!("it exited before listening (output: {preamble:?})"));
        }
        if let Some(rest) = line.trim().strip_prefix("listening on http://") {
            let addr = rest
                .parse()
                .map_err(|e| format!("bad address {rest:?}: {e}"))?;
            // Keep draining its stdout so it never blocks on a full pipe.
            std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
            return Ok((addr, preamble));
        }
        preamble.push(line.trim().to_owned());
    }
}
