//! `check_site` on a generated corpus of 10,000 reports (2,000 units × 5 years, 2019–2023).
//!
//! `cargo bench --bench check` prints reports/second, the median, minimum and maximum wall time
//! of several runs, the CPU time per run (steadier than wall time on a shared machine) and the
//! process's peak RSS. Knobs: NIANBAO_BENCH_UNITS (default 2000), NIANBAO_BENCH_RUNS (default 7),
//! NIANBAO_BENCH_DIR (generate into this folder and keep it; reused when it has `content/`),
//! RAYON_NUM_THREADS. Without `--bench` (`cargo test --all-targets`) it checks 100 reports once.

#[path = "../tests/support/corpus.rs"]
mod corpus;
#[path = "common/measure.rs"]
mod measure;
use measure::{cpu_time, env_or, peak_rss_mib};
use std::time::{Duration, Instant};

use corpus::write_corpus;
use nianbao::check::check_site;

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this binary without it:
    // then only check that it works, on a small corpus.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let smoke = !args.iter().any(|a| a == "--bench");
    let units = if smoke {
        20
    } else {
        env_or("NIANBAO_BENCH_UNITS", 2000)
    };
    let runs = if smoke {
        1
    } else {
        env_or("NIANBAO_BENCH_RUNS", 7).max(1)
    };
    let kept = std::env::var_os("NIANBAO_BENCH_DIR").map(std::path::PathBuf::from);
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = kept.clone().unwrap_or_else(|| tmp.path().to_path_buf());

    let t = Instant::now();
    let reuse = kept.as_ref().is_some_and(|k| k.join("content").is_dir());
    let reports = if reuse {
        check_site(&root).expect("readable").loaded.report_count
    } else {
        write_corpus(&root, units, 2019..=2023).expect("corpus written")
    };
    let rss_before = if reuse { None } else { peak_rss_mib() };
    if reuse {
        println!("corpus: {reports} reports reused from {}", root.display());
    } else {
        println!(
            "corpus: {reports} reports of {units} units written in {:.2?}",
            t.elapsed()
        );
    }

    // One warm-up run (page cache, thread pool), which must find nothing.
    let checked = check_site(&root).expect("readable");
    assert_eq!(checked.loaded.report_count, reports);
    assert!(
        checked.outcome.diagnostics.is_empty(),
        "the corpus must check clean: {:#?}",
        &checked.outcome.diagnostics[..checked.outcome.diagnostics.len().min(5)]
    );
    drop(checked);

    let cpu_before = cpu_time();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let checked = check_site(&root).expect("readable");
            let elapsed = t.elapsed();
            std::hint::black_box(&checked);
            elapsed
        })
        .collect();
    let cpu = cpu_before
        .zip(cpu_time())
        .map(|(a, b)| (b - a) / runs as u32);
    times.sort();
    let median = times[times.len() / 2];
    let min = times[0];
    println!(
        "check_site: {runs} runs, median {:.1} ms, min {:.1} ms, max {:.1} ms",
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
    println!(
        "throughput: {:.0} reports/s (median)",
        reports as f64 / median.as_secs_f64()
    );
    println!("threads: {}", rayon::current_num_threads());
    if let Some(cpu) = cpu {
        println!(
            "CPU time per run: {:.0} ms (user + system, all threads; includes dropping the result)",
            cpu.as_secs_f64() * 1e3
        );
    }
    match (peak_rss_mib(), rss_before) {
        (Some(p), Some(g)) => println!("peak RSS: {p:.1} MiB (before checking: {g:.1} MiB)"),
        (Some(p), None) => println!("peak RSS: {p:.1} MiB"),
        _ => println!("peak RSS: unavailable (no /proc/self/status)"),
    }
}
