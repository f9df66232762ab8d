//! Section 2: paging a large store: first page versus last page, listing everything, and
//! resident memory per stored job.

use std::time::{Duration, Instant};

use crate::child::ServerChild;
use crate::load::Connection;
use crate::resources::Kind;
use crate::stats::median;
use crate::throughput::page_requests;

/// Figures of the paging section.
#[derive(Clone, Debug)]
pub struct Figures {
    /// Jobs in the store.
    pub jobs: usize,
    /// Median latency of the first page (µs).
    pub first_us: f64,
    /// Median latency of the last page (µs).
    pub last_us: f64,
    /// Pages of 100 in the listing.
    pub pages: usize,
    /// Time to list every job, one keep-alive connection, pages of 100.
    pub list_all: Duration,
    /// Resident memory per stored job, in bytes.
    pub rss_per_job: f64,
}

/// Runs the section against a fresh child holding `jobs` jobs; `samples` requests per page.
pub fn run(jobs: usize, samples: usize) -> Result<Figures, String> {
    let server = ServerChild::spawn_self(&["serve-paging", "--jobs", &jobs.to_string()])?;
    let rss_per_job = server
        .preamble
        .iter()
        .find_map(|l| l.strip_prefix("rss-per-job "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse::<f64>().ok())
        .ok_or_else(|| {
            format!(
                "the paging server reported no memory: {:?}",
                server.preamble
            )
        })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let started = Instant::now();
        let (bodies, _) = page_requests(server.addr, Kind::Jobs).await?;
        let list_all = started.elapsed();
        let expected = jobs.div_ceil(100).max(1);
        if bodies.len() != expected {
            return Err(format!(
                "listing {jobs} jobs took {} pages, expected {expected}",
                bodies.len()
            ));
        }
        let first = bodies[0].clone();
        let last = bodies[bodies.len() - 1].clone();
        let mut connection = Connection::open(server.addr, Kind::Jobs.target()).await?;
        let (mut first_us, mut last_us) = (Vec::new(), Vec::new());
        for i in 0..samples + 20 {
            for (body, out) in [(&first, &mut first_us), (&last, &mut last_us)] {
                let sent = Instant::now();
                let (status, answer) = connection.call(body.clone()).await?;
                let elapsed = sent.elapsed();
                if status != 200 {
                    return Err(format!(
                        "status {status}: {}",
                        String::from_utf8_lossy(&answer)
                    ));
                }
                if i >= 20 {
                    out.push(elapsed.as_secs_f64() * 1e6);
                }
            }
        }
        Ok(Figures {
            jobs,
            first_us: median(&first_us),
            last_us: median(&last_us),
            pages: bodies.len(),
            list_all,
            rss_per_job,
        })
    })
}
