#!/usr/bin/env bash
# nianbao and Hugo side by side (issue 6), from one command on a fresh Debian machine:
#
#   bash bench/run.sh
#
# Installs what is missing (hugo 0.111, hyperfine, GNU time: Debian packages), builds nianbao
# (release), generates corpora of valid 2021-format reports (~1,500 characters of Chinese prose
# each, nianbao::corpus via examples/corpus.rs) for 200 and 1,000 units × 5 years, and builds
# each with nianbao and with the Hugo site in bench/hugo (the same report pages with the three
# official tables, unit pages with the year-over-year table, the home page, from the same
# content/ tree). Then `nianbao check`, serve's save-to-reload latency (benches/serve.rs, 5,000
# reports, 20 edits) and a scale run of 50,000 reports (10,000 units × 5 years). Last, each
# target of issue 6 at 5,000 reports, marked met or MISSED.
#
# Wall time: median of $RUNS runs (hyperfine), each into an empty output folder. Peak memory:
# maximum resident set size of one more run (/usr/bin/time -v). nianbao's build does more than
# Hugo's here: it also writes each report's CMS fragment, JSON and CSV, the site's open data,
# search index, year pages, sitemap and feed, and checks every report first.
#
# Knobs (environment): RUNS (default 5); SIZES (units, default "200 1000"); OUT_BASE (folder for
# the outputs; default /dev/shm when it is a writable tmpfs, so the figures measure the
# generators and not the disk); SCALE_UNITS (default 10000; 0 skips the scale run) and
# SCALE_OUT (its output folder; default beside the others when memory allows the ~11 GB that
# 50,000 reports make, else on disk beside the corpora); SERVE_REPORTS (default 5000, the size
# of the targets; 0 skips); WORK (where corpora are generated); KEEP=1 keeps corpora and outputs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
RUNS=${RUNS:-5}
SIZES=${SIZES:-200 1000}
SCALE_UNITS=${SCALE_UNITS:-10000}
SERVE_REPORTS=${SERVE_REPORTS:-5000}
YEARS=5
export CARGO_TERM_COLOR=never

say() { printf '\n== %s\n' "$*" >&2; }

# ---- tools ----------------------------------------------------------------------------------
missing=()
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q >&2
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

say "building nianbao (release)"
cargo build --release -q --bin nianbao --example corpus >&2
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
NB=$TARGET/release/nianbao
GEN=$TARGET/release/examples/corpus

WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/nianbao-bench.XXXXXX")}
mkdir -p "$WORK"
if [ -z "${OUT_BASE:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ]; then
    OUT_BASE=$(mktemp -d /dev/shm/nianbao-bench.XXXXXX)
  else
    OUT_BASE=$WORK/out
  fi
fi
mkdir -p "$OUT_BASE"
cleanup() { rm -rf "$OUT_BASE" "$WORK"; }
[ -n "${KEEP:-}" ] || trap cleanup EXIT

corpus() { # units → prints the site root, writing the corpus if needed
  local dir=$WORK/c$1
  [ -d "$dir/content" ] || "$GEN" "$dir" "$1" 2021 $((2021 + YEARS - 1)) >/dev/null
  echo "$dir"
}

median() { # hyperfine command... → median seconds
  local csv=$WORK/hf.csv
  hyperfine --style none --runs "$RUNS" --warmup 1 --export-csv "$csv" "$@" >/dev/null 2>&1
  awk -F, 'NR == 2 { print $4 }' "$csv"
}

peak_mb() { # command... → maximum resident set size in MB
  local log=$WORK/time.log
  /usr/bin/time -v "$@" >/dev/null 2>"$log"
  awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log"
}

nb_build() { echo "$NB build --root $1 --output $2"; }
hugo_build() { echo "hugo --source $REPO/bench/hugo --contentDir $1/content --destination $2 --quiet"; }

declare -A WALL MEM CHECK_RATE
CHECK_LINES=()
for units in $SIZES; do
  root=$(corpus "$units")
  n=$((units * YEARS))
  say "$n reports: nianbao build, hugo, nianbao check"
  for tool in nianbao hugo; do
    out=$OUT_BASE/$tool
    if [ $tool = nianbao ]; then cmd=$(nb_build "$root" "$out"); else cmd=$(hugo_build "$root" "$out"); fi
    WALL[$tool,$n]=$(median --prepare "rm -rf $out" "$cmd")
    rm -rf "$out"
    # shellcheck disable=SC2086
    MEM[$tool,$n]=$(peak_mb $cmd)
    rm -rf "$out"
  done
  t=$(median "$NB check --root $root")
  CHECK_RATE[$n]=$(awk -v n=$n -v t="$t" 'BEGIN { printf "%.0f", n / t }')
  CHECK_LINES+=("$(awk -v n=$n -v t="$t" 'BEGIN { printf "%6d reports: %7.0f ms, %6.0f reports/s", n, t * 1000, n / t }')")
done

SERVE_LINE="skipped (SERVE_REPORTS=0)"
SERVE_P95=""
if [ "$SERVE_REPORTS" -gt 0 ]; then
  say "serve: save → reload event, $SERVE_REPORTS reports, 20 edits (benches/serve.rs)"
  serve_log=$WORK/serve.log
  NIANBAO_BENCH_REPORTS=$SERVE_REPORTS NIANBAO_BENCH_EDITS=20 NIANBAO_BENCH_FULL_EDITS=0 \
    cargo bench -q --bench serve >"$serve_log" 2>&1 || { cat "$serve_log" >&2; exit 1; }
  SERVE_LINE=$(grep -m1 'site settled' "$serve_log" | sed 's/^ *//')
  SERVE_P95=$(echo "$SERVE_LINE" | sed -n 's/.*p95 \([0-9.]*\) ms.*/\1/p')
fi

SCALE_LINES=()
if [ "$SCALE_UNITS" -gt 0 ]; then
  if [ -z "${SCALE_OUT:-}" ]; then
    # ~220 KB of output per report: on tmpfs only with that much memory to spare (and 4 GiB more).
    need_kb=$((SCALE_UNITS * YEARS * 220 + 4 * 1024 * 1024))
    avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
    case $OUT_BASE in
      /dev/shm/*) [ "$avail_kb" -gt "$need_kb" ] && SCALE_OUT=$OUT_BASE/scale ;;
    esac
    SCALE_OUT=${SCALE_OUT:-$WORK/scale-out}
  fi
  say "scale: 1,000 and $((SCALE_UNITS * YEARS)) reports, one build each into $SCALE_OUT"
  for units in 200 "$SCALE_UNITS"; do
    root=$(corpus "$units")
    n=$((units * YEARS))
    rm -rf "$SCALE_OUT"
    log=$WORK/time.log
    # shellcheck disable=SC2046
    /usr/bin/time -v $(nb_build "$root" "$SCALE_OUT") >/dev/null 2>"$log"
    s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); t = 0; for (i = 1; i <= n; i++) t = t * 60 + p[i]; print t }' "$log")
    m=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
    SCALE_LINES+=("$n $s $m")
    rm -rf "$SCALE_OUT"
  done
fi

# ---- the table ------------------------------------------------------------------------------
hv=$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')
echo
echo "nianbao vs Hugo $hv: 2021-format reports, ~1,500 characters of prose each"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB; $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wall: median of $RUNS builds into an empty folder in $OUT_BASE; memory: peak RSS of one build"
echo
printf '%8s  %-8s %9s %11s %10s\n' reports tool wall reports/s "peak RSS"
for units in $SIZES; do
  n=$((units * YEARS))
  for tool in nianbao hugo; do
    awk -v n=$n -v tool=$tool -v t="${WALL[$tool,$n]}" -v m="${MEM[$tool,$n]}" \
      'BEGIN { printf "%8d  %-8s %7.2f s %11.0f %7d MB\n", n, tool, t, n / t, m }'
  done
  awk -v n=$n -v tn="${WALL[nianbao,$n]}" -v th="${WALL[hugo,$n]}" -v mn="${MEM[nianbao,$n]}" -v mh="${MEM[hugo,$n]}" \
    'BEGIN { printf "%8s  %-8s %7.1f× faster, %.1f× less memory (nianbao: %.0f%% of Hugo'"'"'s)\n", "", "ratio", th / tn, mh / mn, 100 * mn / mh }'
done
echo
echo "nianbao check (median of $RUNS):"
for l in "${CHECK_LINES[@]}"; do echo "  $l"; done
echo
echo "nianbao serve, save → reload event, $SERVE_REPORTS reports:"
echo "  $SERVE_LINE"
if [ ${#SCALE_LINES[@]} -eq 2 ]; then
  read -r n1 s1 m1 <<<"${SCALE_LINES[0]}"
  read -r n2 s2 m2 <<<"${SCALE_LINES[1]}"
  echo
  echo "scale (one build each, output in $SCALE_OUT):"
  awk -v n1="$n1" -v s1="$s1" -v m1="$m1" -v n2="$n2" -v s2="$s2" -v m2="$m2" 'BEGIN {
    printf "  %6d reports: %7.2f s, %6.0f reports/s, peak RSS %5d MB (%.1f KB/report)\n", n1, s1, n1 / s1, m1, m1 * 1024 / n1
    printf "  %6d reports: %7.2f s, %6.0f reports/s, peak RSS %5d MB (%.1f KB/report)\n", n2, s2, n2 / s2, m2, m2 * 1024 / n2
    printf "  ×%.0f reports: time ×%.1f, memory ×%.1f\n", n2 / n1, s2 / s1, m2 / m1
  }'
fi
big=$(( $(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -1) * YEARS ))
verdict() { if [ "$1" = 1 ]; then echo met; else echo MISSED; fi; }
speed=$(awk -v tn="${WALL[nianbao,$big]}" -v th="${WALL[hugo,$big]}" 'BEGIN { printf "%.1f", th / tn }')
share=$(awk -v mn="${MEM[nianbao,$big]}" -v mh="${MEM[hugo,$big]}" 'BEGIN { printf "%.2f", mn / mh }')
echo
echo "targets at $big reports:"
echo "  build ≥ 5× faster than Hugo:        ${speed}× ($(verdict "$(awk -v x="$speed" 'BEGIN { print (x >= 5) }')"))"
echo "  peak memory ≤ 1/4 of Hugo's:        ${share} ($(verdict "$(awk -v x="$share" 'BEGIN { print (x <= 0.25) }')"))"
echo "  check ≥ 20,000 reports/s:           ${CHECK_RATE[$big]} ($(verdict "$(awk -v x="${CHECK_RATE[$big]}" 'BEGIN { print (x >= 20000) }')"))"
if [ -n "$SERVE_P95" ]; then
  echo "  serve save → reload p95 < 50 ms:    ${SERVE_P95} ms at $SERVE_REPORTS reports ($(verdict "$(awk -v x="$SERVE_P95" 'BEGIN { print (x < 50) }')"))"
fi
