//! What the operating system says about processes: resident memory and CPU time.

use std::time::Duration;

/// Resident set size of this process, in bytes (`/proc/self/statm`).
pub fn rss_bytes() -> Result<u64, String> {
    let text = std::fs::read_to_string("/proc/self/statm")
        .map_err(|e| format!("cannot read /proc/self/statm: {e}"))?;
    statm_resident(&text).ok_or_else(|| format!("/proc/self/statm has no resident field: {text:?}"))
}

/// Resident set size of process `pid`, in bytes (`/proc/PID/statm`).
pub fn rss_of(pid: u32) -> Result<u64, String> {
    let path = format!("/proc/{pid}/statm");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    statm_resident(&text).ok_or_else(|| format!("{path} has no resident field: {text:?}"))
}

fn statm_resident(text: &str) -> Option<u64> {
    let pages: u64 = text.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    u64::try_from(size).unwrap_or(4096)
}

fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(ticks).ok().filter(|t| *t > 0).unwrap_or(100)
}

/// User plus system CPU time of process `pid` so far (`/proc/PID/stat`, clock-tick resolution).
pub fn cpu_of(pid: u32) -> Result<Duration, String> {
    let path = format!("/proc/{pid}/stat");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = text
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| format!("{path} is not in the expected form"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat; `rest` starts at field 3.
    let tick = |i: usize| -> Result<u64, String> {
        fields
            .get(i)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{path} has no field {}", i + 3))
    };
    let ticks = tick(11)? + tick(12)?;
    Ok(Duration::from_micros(ticks * 1_000_000 / clock_ticks()))
}

/// User plus system CPU time of this whole process so far (`getrusage`, microseconds).
pub fn cpu_self() -> Duration {
    // SAFETY: an all-zero rusage is a valid value, and getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    if rc != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// The machine: CPU count, CPU model and memory, for the report.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, v)| v.trim())
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    format!(
        "{cpus} CPUs ({model}), {:.1} GiB memory, {}",
        mem_kib as f64 / 1024.0 / 1024.0,
        std::env::consts::OS
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_figures() {
        assert!(rss_bytes().unwrap() > 0);
        assert!(rss_of(std::process::id()).unwrap() > 0);
        let _ = cpu_of(std::process::id()).unwrap();
        // Busy work must show up as CPU time (bounded in wall time on a loaded machine).
        let start = cpu_self();
        let spin = std::time::Instant::now();
        while cpu_self() < start + Duration::from_millis(5) {
            assert!(
                spin.elapsed() < Duration::from_secs(20),
                "getrusage did not advance"
            );
        }
    }
}
