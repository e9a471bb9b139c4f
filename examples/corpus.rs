//! Writes a generated, valid site for benchmarks: `cargo run --release --example corpus -- DIR
//! UNITS [FIRST_YEAR LAST_YEAR]` lays out `DIR/content/` with UNITS units and one report per
//! unit and year (default 2021–2025, all in the 2021 format), and prints the number of reports.

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: corpus DIR UNITS [FIRST_YEAR LAST_YEAR]";
    let (Some(dir), Some(units)) = (args.first(), args.get(1).and_then(|u| u.parse().ok())) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let year = |i: usize, d: i32| args.get(i).and_then(|y| y.parse().ok()).unwrap_or(d);
    let (first, last) = (year(2, 2021), year(3, 2025));
    let root = PathBuf::from(dir);
    if root.join("content").exists() {
        eprintln!("{} already has content/: not overwritten", root.display());
        return ExitCode::from(2);
    }
    match corpus::write_corpus(&root, units, first..=last) {
        Ok(n) => {
            println!("{n}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", root.display());
            ExitCode::from(2)
        }
    }
}
