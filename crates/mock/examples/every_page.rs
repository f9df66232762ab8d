//! Answers every page of a 100,000-resource listing in process, ROUNDS times over (default 1),
//! and prints the time per page: the handler under the throughput benchmark's load, without
//! HTTP. KIND is `jobs` (ListBatchSegmentJobs, the default) or `groups` (ListDatasetGroups).
//!
//! `cargo run --release -p personalize-mock --example every_page [-- ROUNDS [KIND]]`
//!
//! Its real use is counting instructions, which this noisy machine cannot disturb: under
//! `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='personalize_mock::service::MockService::handle'`, the difference between
//! 3 rounds and 1 round, divided by 2,000, is the handler's instructions per page in the steady
//! state (the first round also pays for the allocator tidying up after the store was filled).
//! The recipe is in BENCHMARKS.md, "Rerun".

use std::time::Instant;

#[path = "../benches/workload/mod.rs"]
mod workload;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let rounds: usize = match args.next() {
        Some(arg) => arg
            .parse()
            .map_err(|e| format!("ROUNDS must be a count, not {arg:?}: {e}"))?,
        None => 1,
    };
    let kind = match args.next() {
        Some(arg) => workload::Kind::parse(&arg)
            .ok_or_else(|| format!("KIND must be jobs or groups, not {arg:?}"))?,
        None => workload::Kind::Jobs,
    };
    let service = workload::service(&[kind]).map_err(|e| e.to_string())?;
    let bodies = workload::every_page(&service, kind);
    let started = Instant::now();
    let mut bytes = 0;
    for _ in 0..rounds {
        for body in &bodies {
            let response = service.handle(workload::request(kind.target(), body.clone()));
            if response.status() != 200 {
                return Err(format!("a page was answered {}", response.status()));
            }
            bytes += response.body().len();
        }
    }
    let pages = rounds * bodies.len();
    println!(
        "{pages} pages, {bytes} bytes, {:.2} µs per page",
        started.elapsed().as_secs_f64() * 1e6 / pages.max(1) as f64
    );
    Ok(())
}
