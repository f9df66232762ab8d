//! The load generator: HTTP/1.1 keep-alive connections on hyper, each sending requests one
//! after the other, bounded in requests and in time.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HOST};
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::serve::CONTENT_TYPE_JSON;

/// What one load run asks for.
#[derive(Clone, Debug)]
pub struct Load {
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Stop after this many requests in all.
    pub max_requests: u64,
    /// Stop after this long.
    pub duration: Duration,
}

/// What one load run measured.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Requests answered with 200.
    pub ok: u64,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency of every answered request, in microseconds.
    pub latencies_us: Vec<f64>,
}

impl Outcome {
    /// Answered requests per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// One keep-alive connection sending requests to one awsJson target.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
    target: &'static str,
}

impl Connection {
    /// Opens a connection to `addr` for requests to `target` (`AmazonPersonalize.ListDatasetGroups`).
    pub async fn open(addr: SocketAddr, target: &'static str) -> Result<Connection, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
        let _ = stream.set_nodelay(true);
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP handshake with {addr} failed: {e}"))?;
        tokio::spawn(connection);
        Ok(Connection {
            sender,
            host: addr.to_string(),
            target,
        })
    }

    /// Sends one request with `body` and reads the whole answer: status and body.
    pub async fn call(&mut self, body: Bytes) -> Result<(u16, Bytes), String> {
        self.sender
            .ready()
            .await
            .map_err(|e| format!("connection closed: {e}"))?;
        let request = Request::post("/")
            .header(HOST, &self.host)
            .header(CONTENT_TYPE, CONTENT_TYPE_JSON)
            .header("x-amz-target", self.target)
            .body(Full::new(body))
            .map_err(|e| e.to_string())?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("reading the answer failed: {e}"))?
            .to_bytes();
        Ok((status, body))
    }
}

/// Runs `load` against `addr` and `target`, connection `i` cycling through `bodies` from
/// offset `i`. Every answer must be a 200 of at least `min_len` bytes.
pub async fn run(
    addr: SocketAddr,
    target: &'static str,
    bodies: Arc<Vec<Bytes>>,
    load: &Load,
    min_len: usize,
) -> Result<Outcome, String> {
    if bodies.is_empty() {
        return Err("no request bodies to send".into());
    }
    let mut connections = Vec::with_capacity(load.connections);
    for _ in 0..load.connections {
        connections.push(Connection::open(addr, target).await?);
    }
    let issued = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + load.duration;
    let mut tasks = tokio::task::JoinSet::new();
    for (i, mut connection) in connections.into_iter().enumerate() {
        let bodies = bodies.clone();
        let issued = issued.clone();
        let max = load.max_requests;
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut next = i * 7919;
            while Instant::now() < deadline && issued.fetch_add(1, Ordering::Relaxed) < max {
                let body = bodies[next % bodies.len()].clone();
                next += 1;
                let sent = Instant::now();
                let (status, answer) = connection.call(body).await?;
                if status != 200 || answer.len() < min_len {
                    return Err(format!(
                        "unexpected answer: status {status}, {} bytes: {}",
                        answer.len(),
                        String::from_utf8_lossy(&answer[..answer.len().min(300)])
                    ));
                }
                latencies.push(sent.elapsed().as_secs_f64() * 1e6);
            }
            Ok::<_, String>(latencies)
        });
    }
    let mut latencies_us = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let mut part = joined.map_err(|e| format!("load task failed: {e}"))??;
        latencies_us.append(&mut part);
    }
    Ok(Outcome {
        ok: latencies_us.len() as u64,
        elapsed: started.elapsed(),
        latencies_us,
    })
}
