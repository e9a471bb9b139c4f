//! Keep-alive throughput of the `nianbao serve` preview server.
//!
//!     cargo bench --bench serve_http
//!     NIANBAO_BENCH_CONNECTIONS=64 NIANBAO_BENCH_REQUESTS=100 cargo bench --bench serve_http
//!
//! Serves a small generated site (`tests/support/corpus.rs`, 20 reports) in this process on 127.0.0.1,
//! opens 64 connections and sends each one's requests one after another on the same connection
//! (as a browser fetching a page's stylesheet and script does), alternating a report page (HTML,
//! the reload script added) and the stylesheet. Prints pages/s over all connections and the
//! latency percentiles of single requests. Bounded: 100 requests per connection, or 20 s.

#[path = "../tests/support/corpus.rs"]
mod corpus;
#[path = "common/http_client.rs"]
mod http_client;
#[path = "common/measure.rs"]
mod measure;

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use http_client::Conn;
use nianbao::serve::ServeOptions;

/// Stops a run that is this slow.
const LIMIT: Duration = Duration::from_secs(20);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let connections = measure::env_or("NIANBAO_BENCH_CONNECTIONS", 64);
    let per_conn = measure::env_or("NIANBAO_BENCH_REQUESTS", 100);
    let dir = tempfile::tempdir().unwrap();
    corpus::write_corpus(dir.path(), 10, 2024..=2024).unwrap();
    let running = nianbao::serve::start(ServeOptions {
        root: dir.path().to_path_buf(),
        port: 0,
        quiet: true,
        ..Default::default()
    })
    .unwrap();
    let addr = running.addr;
    // A report page and the stylesheet it links.
    let home = Conn::connect(addr).unwrap().request("GET", "/").unwrap();
    assert_eq!(home.status, 200);
    let html = home.text();
    let css = html
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.ends_with(".css"))
        .map(|h| format!("/{}", h.trim_start_matches("./")))
        .expect("a stylesheet on the home page");
    let targets = Arc::new(["/".to_string(), css]);

    let start = Arc::new(Barrier::new(connections + 1));
    let mut handles = Vec::new();
    for _ in 0..connections {
        let (start, targets) = (start.clone(), targets.clone());
        handles.push(thread::spawn(move || {
            let mut conn = Conn::connect(addr).unwrap();
            let mut samples = Vec::with_capacity(per_conn);
            start.wait();
            let began = Instant::now();
            for i in 0..per_conn {
                if began.elapsed() > LIMIT {
                    break;
                }
                let t = Instant::now();
                let r = conn.request("GET", &targets[i % 2]).unwrap();
                assert_eq!(r.status, 200);
                samples.push(t.elapsed());
            }
            samples
        }));
    }
    start.wait();
    let t = Instant::now();
    let mut all: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let took = t.elapsed();
    running.stop();
    all.sort();
    let rate = all.len() as f64 / took.as_secs_f64();
    println!(
        "keep-alive: {connections} connections × up to {per_conn} requests: {} requests in {:.2} s = {rate:.0} pages/s; latency p50 {}, p99 {}, max {}",
        all.len(),
        took.as_secs_f64(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        ms(*all.last().unwrap()),
    );
    let met = rate >= 1000.0 && percentile(&all, 0.99) < Duration::from_millis(50);
    println!(
        "target (≥ 1,000 pages/s, p99 < 50 ms): {}",
        if met { "met" } else { "MISSED" }
    );
}
