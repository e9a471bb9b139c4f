//! Save-to-reload latency of `nianbao serve` on a large site.
//!
//!     cargo bench --bench serve
//!     NIANBAO_BENCH_REPORTS=2000 NIANBAO_BENCH_EDITS=20 cargo bench --bench serve
//!
//! (5,000 reports unless told: the size of the targets in issue 6.)
//!
//! Makes a site of N reports (`nianbao::corpus`: N/2 units, 2023 and 2024 each, the built-in
//! theme), serves it in this process, opens the report page's event stream
//! with a plain TCP client, then edits one figure of that report 20 times. Each sample is the
//! time from the start of the file write to the reload event arriving at the client; between
//! samples the whole site is left to settle (the full rebuild that follows the fast path).
//! Then the same with a save every second, while the rest of the site is still being rebuilt,
//! and with the fast path turned off (a full rebuild per save).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use nianbao::serve::{Incremental, ServeOptions};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// N reports from `nianbao::corpus`: N/2 units (人民政府 with their 部门, 乡镇 and 街道), each
/// with a 2023 and a 2024 report, valid throughout. Returns the 2024 report edited: the first
/// one of a unit below another (so its unit and the region totals above it change too).
fn make_site(root: &Path, reports: usize) -> String {
    nianbao::corpus::write_corpus(root, reports.div_ceil(2), 2023..=2024).unwrap();
    let mut stack = vec![root.join("content")];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "2024.md") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel.matches('/').count() >= 3 {
                    found.push(rel);
                }
            }
        }
    }
    found.sort();
    found
        .into_iter()
        .next()
        .expect("a nested unit's 2024 report")
}

fn get(addr: SocketAddr, target: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

fn events(addr: SocketAddr, target: &str) -> Receiver<Instant> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
    }
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            if line.starts_with("data: ") && tx.send(Instant::now()).is_err() {
                return;
            }
            line.clear();
        }
    });
    rx
}

fn token_of(page: &str) -> String {
    let at = page.find("var t=\"").expect("reload script") + 7;
    page[at..].split('"').next().unwrap().to_string()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn measure(
    root: &Path,
    report: &str,
    incremental: Incremental,
    edits: usize,
    pause: Option<Duration>,
    label: &str,
) {
    let t = Instant::now();
    let running = nianbao::serve::start(ServeOptions {
        root: root.to_path_buf(),
        port: 0,
        incremental,
        quiet: true,
        ..Default::default()
    })
    .unwrap();
    let startup = t.elapsed();
    let addr = running.addr;
    // content/gov001/dept002/2024.md → gov001/dept002/2024/index.html
    let dir = report.strip_prefix("content/").unwrap().replace(".md", "/");
    let page = format!("{dir}index.html");
    let file = root.join(report);
    let mut samples = Vec::new();
    for _ in 0..edits {
        let shown = token_of(&get(addr, &format!("/{page}")));
        let rx = events(
            addr,
            &format!(
                "/{dir}__nianbao/events?page={}&t={shown}",
                page.replace('/', "%2F")
            ),
        );
        let text = std::fs::read_to_string(&file).unwrap();
        let current = text
            .split("punishment: ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap()
            .to_string();
        // Far above any generated figure: seen in the open data only once the site settled.
        let next = (current.parse::<u64>().unwrap().max(9_000_000) + 1).to_string();
        let edited = text.replacen(
            &format!("punishment: {current}"),
            &format!("punishment: {next}"),
            1,
        );
        assert_ne!(edited, text);
        let start = Instant::now();
        std::fs::write(&file, edited).unwrap();
        let got = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("reload event");
        samples.push(got - start);
        assert!(get(addr, &format!("/{page}")).contains(&format!(">{next}<")));
        match pause {
            // Save again after a fixed pause, maybe while the rest of the site is rebuilt.
            Some(p) => thread::sleep(p),
            // Let the whole site settle before the next save.
            None => {
                let end = Instant::now() + Duration::from_secs(300);
                while !get(addr, "/data/reports.csv").contains(&next) {
                    assert!(Instant::now() < end, "the site did not settle");
                    thread::sleep(Duration::from_millis(50));
                }
                thread::sleep(Duration::from_millis(300));
            }
        }
    }
    running.stop();
    let mut sorted = samples.clone();
    sorted.sort();
    println!(
        "{label}: first build {} | save → reload event, {} edits: p50 {}, p95 {}, max {}",
        ms(startup),
        samples.len(),
        ms(percentile(&sorted, 0.5)),
        ms(percentile(&sorted, 0.95)),
        ms(*sorted.last().unwrap())
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --all-targets` does not: keep that run short.
    let quick = !args.iter().any(|a| a == "--bench");
    let reports = env_usize("NIANBAO_BENCH_REPORTS", if quick { 20 } else { 5000 });
    let edits = env_usize("NIANBAO_BENCH_EDITS", if quick { 2 } else { 20 });
    let full_edits = env_usize("NIANBAO_BENCH_FULL_EDITS", if quick { 1 } else { 5 });
    let dir = tempfile::tempdir().unwrap();
    let report = make_site(dir.path(), reports);
    println!(
        "site: {reports} reports (nianbao::corpus), editing {report}; {} threads",
        thread::available_parallelism().map_or(1, |n| n.get())
    );
    let root = dir.path();
    measure(
        root,
        &report,
        Incremental::Auto,
        edits,
        None,
        "fast path, site settled between saves",
    );
    // A save every second: the next save comes while the rest of the site is being rebuilt.
    measure(
        root,
        &report,
        Incremental::Auto,
        edits,
        Some(Duration::from_secs(1)),
        "fast path, a save every second       ",
    );
    if full_edits > 0 {
        measure(
            root,
            &report,
            Incremental::Never,
            full_edits,
            None,
            "full rebuild on every save           ",
        );
    }
}
