//! Save-to-reload latency of `nianbao serve` on a large site.
//!
//!     cargo bench --bench serve
//!     NIANBAO_BENCH_REPORTS=2000 NIANBAO_BENCH_EDITS=20 cargo bench --bench serve
//!
//! Makes a site of N reports (the example's reports copied under N/2 unit folders, two years
//! each, the built-in theme), serves it in this process, opens the report page's event stream
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

/// N reports: unit folders `d0001…` of kind 部门, each with a 2023 and a 2024 report made from
/// the example's 淮安市 2024 report.
fn make_site(root: &Path, reports: usize) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::copy(
        manifest.join("content/_index.md"),
        content.join("_index.md"),
    )
    .unwrap();
    let report = std::fs::read_to_string(manifest.join("content/huaian/2024.md")).unwrap();
    for i in 1..=reports.div_ceil(2) {
        let dir = content.join(format!("d{i:04}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("_index.md"),
            format!("---\nname: 测试部门{i:04}\nkind: 部门\n---\n"),
        )
        .unwrap();
        let named = report.replace("淮安市人民政府", &format!("测试部门{i:04}"));
        std::fs::write(dir.join("2024.md"), &named).unwrap();
        let y2023 = named
            .replacen("year: 2024", "year: 2023", 1)
            .replacen("published: 2025-", "published: 2024-", 1)
            .replace("2024年", "2023年");
        std::fs::write(dir.join("2023.md"), y2023).unwrap();
    }
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
    let page = "d0001/2024/index.html";
    let file = root.join("content/d0001/2024.md");
    let mut samples = Vec::new();
    for _ in 0..edits {
        let shown = token_of(&get(addr, &format!("/{page}")));
        let rx = events(
            addr,
            &format!("/d0001/2024/__nianbao/events?page=d0001%2F2024%2Findex.html&t={shown}"),
        );
        let text = std::fs::read_to_string(&file).unwrap();
        let current = text
            .split("licensing: ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap()
            .to_string();
        let next = (current.parse::<u64>().unwrap() + 1).to_string();
        let edited = text.replacen(
            &format!("licensing: {current}"),
            &format!("licensing: {next}"),
            1,
        );
        assert_ne!(edited, text);
        let start = Instant::now();
        std::fs::write(&file, edited).unwrap();
        let got = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("reload event");
        samples.push(got - start);
        assert!(get(addr, &format!("/{page}")).contains(&next));
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
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: keep that run short.
    let quick = !std::env::args().any(|a| a == "--bench");
    let reports = env_usize("NIANBAO_BENCH_REPORTS", if quick { 20 } else { 2000 });
    let edits = env_usize("NIANBAO_BENCH_EDITS", if quick { 2 } else { 20 });
    let full_edits = env_usize("NIANBAO_BENCH_FULL_EDITS", if quick { 1 } else { 5 });
    let dir = tempfile::tempdir().unwrap();
    make_site(dir.path(), reports);
    println!(
        "site: {reports} reports, {} threads",
        thread::available_parallelism().map_or(1, |n| n.get())
    );
    measure(
        dir.path(),
        Incremental::Auto,
        edits,
        None,
        "fast path, site settled between saves",
    );
    // A save every second: the next save comes while the rest of the site is being rebuilt.
    measure(
        dir.path(),
        Incremental::Auto,
        edits,
        Some(Duration::from_secs(1)),
        "fast path, a save every second       ",
    );
    if full_edits > 0 {
        measure(
            dir.path(),
            Incremental::Never,
            full_edits,
            None,
            "full rebuild on every save           ",
        );
    }
}
