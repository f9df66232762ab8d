//! Section 3a: cost per call of personalize-client versus aws-sdk-personalize, both against
//! the bare server (so the server's share is as small as this machine allows).

use std::future::Future;
use std::net::SocketAddr;
use std::time::Instant;

use crate::child::ServerChild;
use crate::stats::median;
use crate::sys;

/// Figures of the client section.
#[derive(Clone, Debug)]
pub struct Figures {
    /// Median latency per call of personalize-client (µs).
    pub ours_latency_us: f64,
    /// Median latency per call of aws-sdk-personalize (µs).
    pub sdk_latency_us: f64,
    /// Median CPU time per call of personalize-client (µs, client process only).
    pub ours_cpu_us: f64,
    /// Median CPU time per call of aws-sdk-personalize (µs, client process only).
    pub sdk_cpu_us: f64,
    /// Calls per client per round.
    pub calls: usize,
    /// Rounds.
    pub rounds: usize,
}

fn ours(addr: SocketAddr) -> Result<personalize_client::Client, String> {
    let config = personalize_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://{addr}"))
        .credentials(personalize_client::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .build()
        .map_err(|e| e.to_string())?;
    Ok(personalize_client::Client::new(config))
}

fn sdk(addr: SocketAddr) -> aws_sdk_personalize::Client {
    use aws_sdk_personalize::config::{BehaviorVersion, Region};
    let config = aws_sdk_personalize::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "personalize-bench",
        ))
        .build();
    aws_sdk_personalize::Client::from_conf(config)
}

async fn call_ours(client: &personalize_client::Client) -> Result<(), String> {
    let page = client
        .list_batch_segment_jobs()
        .max_results(100)
        .send()
        .await
        .map_err(|e| format!("personalize-client: {e}"))?;
    let n = page.batch_segment_jobs.as_ref().map_or(0, Vec::len);
    if n != 100 {
        return Err(format!("personalize-client read {n} jobs, not 100"));
    }
    Ok(())
}

async fn call_sdk(client: &aws_sdk_personalize::Client) -> Result<(), String> {
    let page = client
        .list_batch_segment_jobs()
        .max_results(100)
        .send()
        .await
        .map_err(|e| format!("aws-sdk-personalize: {e:?}"))?;
    let n = page.batch_segment_jobs().len();
    if n != 100 {
        return Err(format!("aws-sdk-personalize read {n} jobs, not 100"));
    }
    Ok(())
}

/// Runs `calls` calls; returns their latencies (µs) and the process CPU time per call (µs).
async fn batch<F, Fut>(calls: usize, mut call: F) -> Result<(Vec<f64>, f64), String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let mut latencies = Vec::with_capacity(calls);
    let cpu_before = sys::cpu_self();
    for _ in 0..calls {
        let sent = Instant::now();
        call().await?;
        latencies.push(sent.elapsed().as_secs_f64() * 1e6);
    }
    let cpu = sys::cpu_self().saturating_sub(cpu_before);
    Ok((latencies, cpu.as_secs_f64() * 1e6 / calls.max(1) as f64))
}

/// Runs the section: `rounds` rounds of `calls` calls per client, the order alternating.
pub fn run(jobs: usize, calls: usize, rounds: usize) -> Result<Figures, String> {
    let server = ServerChild::spawn_self(&[
        "serve-bare",
        "--kind",
        "jobs",
        "--resources",
        &jobs.to_string(),
    ])?;
    // One thread runs the client and its connection tasks: its CPU time is the client's cost.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let ours = ours(server.addr)?;
        let sdk = sdk(server.addr);
        // Warm up: connections, lazy statics, caches.
        batch(50, || call_ours(&ours)).await?;
        batch(50, || call_sdk(&sdk)).await?;
        let (mut ours_lat, mut sdk_lat, mut ours_cpu, mut sdk_cpu) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            let run_ours = || batch(calls, || call_ours(&ours));
            let run_sdk = || batch(calls, || call_sdk(&sdk));
            let ((lo, co), (ls, cs)) = if round % 2 == 0 {
                let o = run_ours().await?;
                (o, run_sdk().await?)
            } else {
                let s = run_sdk().await?;
                (run_ours().await?, s)
            };
            ours_lat.push(median(&lo));
            sdk_lat.push(median(&ls));
            ours_cpu.push(co);
            sdk_cpu.push(cs);
        }
        Ok(Figures {
            ours_latency_us: median(&ours_lat),
            sdk_latency_us: median(&sdk_lat),
            ours_cpu_us: median(&ours_cpu),
            sdk_cpu_us: median(&sdk_cpu),
            calls,
            rounds,
        })
    })
}
