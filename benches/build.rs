//! `build_to_disk` on generated corpora and on the bundled example.
//!
//! `cargo bench --bench build` builds 1,000 and 5,000 reports (200 and 1,000 units × 2021–2025,
//! format 2021, ~1,500 characters of prose each) and the example site (`content/`), and prints
//! per size the median wall time of several builds, CPU time per build, reports per second and
//! the peak RSS of a build.
//!
//! Each size runs in its own process (this binary re-executed with NIANBAO_BENCH_CHILD set), so
//! one size's peak memory and allocator state never leak into the next; within that process
//! the peak (VmHWM) is reset after the corpus is written, so it is the peak of building alone.
//!
//! Knobs: NIANBAO_BENCH_UNITS (comma-separated unit counts, default `200,1000`),
//! NIANBAO_BENCH_RUNS (builds per size after one warm-up, default 5), NIANBAO_BENCH_DIR
//! (generate corpora into, and keep them in, this folder), NIANBAO_BENCH_OUT (folder in which
//! the output is written; default /dev/shm when it is a writable tmpfs, so the figures measure
//! the generator and not the virtual disk, else the system temp folder).

#[path = "../tests/support/corpus.rs"]
mod corpus;
#[path = "common/measure.rs"]
mod measure;
use measure::{cpu_time, env_or, peak_rss_mib};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use corpus::write_corpus;
use nianbao::build::{BuildOptions, build_to_disk};

const YEARS: std::ops::RangeInclusive<i32> = 2021..=2025;

/// Resets VmHWM to the current RSS (Linux ≥ 4.0), so the next reading is the peak from now on.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Where outputs go: NIANBAO_BENCH_OUT, else /dev/shm when usable, else the temp folder.
fn output_base() -> PathBuf {
    if let Some(p) = std::env::var_os("NIANBAO_BENCH_OUT") {
        return PathBuf::from(p);
    }
    let shm = Path::new("/dev/shm");
    if tempfile::tempdir_in(shm).is_ok() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// One size, in this (child) process. Prints human lines and one `RESULT` line for the parent.
fn child(spec: &str) {
    let runs = env_or("NIANBAO_BENCH_RUNS", 5).max(1);
    let tmp = tempfile::tempdir().expect("tempdir");
    let (label, root, reports) = if spec == "example" {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        ("example (content/)".to_string(), root, 0)
    } else {
        let units: usize = spec.parse().expect("unit count");
        let root = match std::env::var_os("NIANBAO_BENCH_DIR") {
            Some(d) => PathBuf::from(d).join(format!("units-{units}")),
            None => tmp.path().to_path_buf(),
        };
        let reports = if root.join("content").is_dir() {
            units * YEARS.count()
        } else {
            let t = Instant::now();
            let n = write_corpus(&root, units, YEARS).expect("corpus written");
            eprintln!("  corpus: {n} reports written in {:.2?}", t.elapsed());
            n
        };
        (
            format!("{units} units × {} years", YEARS.end() - YEARS.start() + 1),
            root,
            reports,
        )
    };
    let out_tmp = tempfile::tempdir_in(output_base()).expect("output folder");
    let out = out_tmp.path().join("public");
    let opts = BuildOptions::default();
    let runs = if spec == "example" { runs * 4 } else { runs };

    let reset = reset_peak_rss();
    // Warm-up: page cache, thread pool; must succeed. Its peak counts like any other build's.
    let built = build_to_disk(&root, &out, &opts).unwrap_or_else(|e| panic!("build: {e:?}"));
    let reports = if reports == 0 { built.reports } else { reports };
    assert_eq!(built.reports, reports, "every report published");
    drop(built);

    let mut walls = Vec::with_capacity(runs);
    let mut cpus = Vec::with_capacity(runs);
    for _ in 0..runs {
        let cpu = cpu_time();
        let t = Instant::now();
        let built = build_to_disk(&root, &out, &opts).expect("build");
        drop(built);
        walls.push(t.elapsed());
        if let (Some(a), Some(b)) = (cpu, cpu_time()) {
            cpus.push(b - a);
        }
    }
    let (min, max) = (
        *walls.iter().min().expect("runs"),
        *walls.iter().max().expect("runs"),
    );
    let wall = median(&mut walls);
    let cpu = (!cpus.is_empty()).then(|| median(&mut cpus));
    let peak = peak_rss_mib().unwrap_or(f64::NAN);
    eprintln!(
        "  {label}: {runs} builds, median {:.1} ms (min {:.1}, max {:.1}), CPU {} per build, peak RSS {peak:.1} MiB{}",
        wall.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        cpu.map(|c| format!("{:.0} ms", c.as_secs_f64() * 1e3))
            .unwrap_or_else(|| "n/a".into()),
        if reset {
            ""
        } else {
            " (includes writing the corpus)"
        }
    );
    println!(
        "RESULT\t{label}\t{reports}\t{}\t{}\t{peak}",
        wall.as_secs_f64(),
        cpu.map(|c| c.as_secs_f64()).unwrap_or(f64::NAN)
    );
}

fn main() {
    // `cargo test --benches` runs bench targets with --bench too; `cargo bench` passes --bench.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if let Ok(spec) = std::env::var("NIANBAO_BENCH_CHILD") {
        child(&spec);
        return;
    }
    let sizes = std::env::var("NIANBAO_BENCH_UNITS").unwrap_or_else(|_| "200,1000".into());
    let exe = std::env::current_exe().expect("own path");
    let base = output_base();
    println!(
        "build_to_disk: median of {} builds after one warm-up; output in {}; {} threads",
        env_or("NIANBAO_BENCH_RUNS", 5).max(1),
        base.display(),
        rayon::current_num_threads()
    );
    let mut rows = Vec::new();
    for spec in std::iter::once("example").chain(sizes.split(',').map(str::trim)) {
        let out = Command::new(&exe)
            .env("NIANBAO_BENCH_CHILD", spec)
            .output()
            .expect("run the benchmark child");
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{spec}: child failed");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.strip_prefix("RESULT\t"))
            .expect("result line");
        let f: Vec<&str> = line.split('\t').collect();
        let num = |i: usize| f[i].parse::<f64>().unwrap_or(f64::NAN);
        rows.push((f[0].to_string(), num(1), num(2), num(3), num(4)));
    }
    println!(
        "{:<22} {:>8} {:>12} {:>12} {:>11} {:>14}",
        "site", "reports", "wall (med.)", "CPU/build", "reports/s", "peak RSS"
    );
    for (label, reports, wall, cpu, peak) in rows {
        println!(
            "{label:<22} {reports:>8} {:>9.1} ms {:>9.0} ms {:>11.0} {peak:>10.1} MiB",
            wall * 1e3,
            cpu * 1e3,
            reports / wall
        );
    }
    println!("targets: 5,000 reports in < 1.5 s and < 300 MB; the example in < 100 ms");
}
