#!/usr/bin/env bash
# Fuzzes nianbao's inputs with cargo-fuzz (libFuzzer) on the stable toolchain.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Targets: report (a report file through parse → validate → render), import_text and
# import_html (`nianbao import` of text and of a portal page). Each runs SECONDS (default 60)
# from a corpus seeded with the project's fixtures (tests/fixtures, content/) and kept in
# fuzz/corpus/<target> between runs. Debug assertions are on, so an integer overflow is a crash;
# so is an input slower than 10 s or a process above 2 GB.
#
# Short run (CI):  fuzz/run.sh 30
# Long run:        fuzz/run.sh 3600            # an hour a target; or one: fuzz/run.sh 3600 report
#
# A crash stops the run and leaves the input in fuzz/artifacts/<target>/; replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a <target> fuzz/artifacts/<target>/<file>
# then turn it into a regression test in the normal test suite (tests/rules.rs, tests/import.rs)
# before fixing it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(report import_text import_html)

# cargo-fuzz passes -Z flags to rustc; RUSTC_BOOTSTRAP lets the stable compiler take them.
export RUSTC_BOOTSTRAP=1
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

seed() {
  local dir="$here/corpus/$1"
  shift
  mkdir -p "$dir"
  local f
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  return 0
}
shopt -s nullglob globstar
seed report "$repo"/tests/fixtures/real/content/**/20*.md "$repo"/content/**/20*.md
seed import_text "$repo"/tests/fixtures/import/*.txt
seed import_html "$repo"/tests/fixtures/import/*.html

# -s none: nianbao and its dependencies are safe Rust, so AddressSanitizer finds nothing that
# panics, overflow checks (-a) and libFuzzer's own limits do not, and it doubles build time.
cd "$repo"
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  cargo fuzz run --fuzz-dir "$here" -s none -a "$t" "$here/corpus/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
