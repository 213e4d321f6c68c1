#!/usr/bin/env bash
# Fuzzes copcat's hostile-input surfaces with cargo-fuzz (libFuzzer), each target for a
# budget of CPU time, at the lowest priority, two targets at a time.
#
#   fuzz/run.sh                         # every target, 30 CPU-minutes each
#   CPU_MINUTES=5 fuzz/run.sh markdown  # one target, 5 CPU-minutes
#   COPCAT_FUZZ_POLICY=off fuzz/run.sh  # skip the URL-policy properties (known gaps)
#   fuzz/run.sh --cmin                  # only minimize the committed corpora
#
# Needs `cargo install cargo-fuzz` and a C++ compiler. There is no nightly toolchain here:
# RUSTC_BOOTSTRAP=1 lets stable rustc take cargo-fuzz's -Z flags, and `--sanitizer none`
# needs no sanitizer runtime. New corpus entries go to fuzz/corpus/<target>/ (the run
# ends by minimizing it, as --cmin does); crashes to fuzz/artifacts/<target>/; logs, with
# the CPU time each run used (from /usr/bin/time -v), to fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# analyze() uses rayon; one thread keeps each fuzzer on one core.
export RAYON_NUM_THREADS=1
ALL=(frontmatter toml_fields markdown search_text)
CPU_MINUTES="${CPU_MINUTES:-30}"
CPU_SECONDS="${CPU_SECONDS:-$((CPU_MINUTES * 60))}"
PARALLEL="${PARALLEL:-2}"
FLAGS=(--sanitizer none -O -a)

cmin_only=false
if [[ "${1:-}" == "--cmin" ]]; then
    cmin_only=true
    shift
fi
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${ALL[@]}")

nice -n 19 cargo fuzz build "${FLAGS[@]}"
bin_dir="$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release"
mkdir -p logs

cmin() {
    local target=$1
    mkdir -p "corpus/$target"
    cp -n seeds/"$target"/* "corpus/$target/"
    # Edges only (no hit counts): every edge the corpus reaches stays, in a corpus small
    # enough to commit and to replay in `cargo test`.
    # Without the policy tier: an input that breaks only the URL policy still guards the
    # core properties (the policy replay in tests/fuzz_corpus.rs is checked on its own).
    COPCAT_FUZZ_POLICY=off nice -n 19 cargo fuzz cmin "${FLAGS[@]}" "$target" -- -max_len=2048 -use_counters=0 \
        >"logs/$target.cmin.log" 2>&1
    echo "$target: corpus $(find "corpus/$target" -type f | wc -l) files, $(du -sb "corpus/$target" | cut -f1) bytes"
}

# Runs one target until its process has used CPU_MINUTES of CPU time, then stops it with
# SIGINT (libFuzzer prints its final statistics).
fuzz_one() {
    local target=$1
    local budget=$CPU_SECONDS
    local stamp
    stamp=$(date -u +%Y%m%dT%H%M%S)
    local log="logs/$target.$stamp.log"
    mkdir -p "corpus/$target" "artifacts/$target"
    cp -n seeds/"$target"/* "corpus/$target/"
    nice -n 19 /usr/bin/time -v -o "logs/$target.$stamp.time" \
        "$bin_dir/$target" "corpus/$target" \
        -dict="dict/$target.dict" -max_len=2048 -timeout=10 -rss_limit_mb=4096 \
        -max_total_time=$((budget * 4)) -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/" >"$log" 2>&1 &
    local time_pid=$!
    local fuzz_pid=""
    while kill -0 "$time_pid" 2>/dev/null; do
        sleep 10
        [[ -z "$fuzz_pid" ]] && fuzz_pid=$(pgrep -P "$time_pid" || true)
        [[ -z "$fuzz_pid" ]] && continue
        local ticks
        ticks=$(awk '{print $14 + $15}' "/proc/$fuzz_pid/stat" 2>/dev/null || echo 0)
        if ((ticks / $(getconf CLK_TCK) >= budget)); then
            kill -INT "$fuzz_pid" 2>/dev/null || true
            break
        fi
    done
    wait "$time_pid" || true
    local cpu
    cpu=$(awk -F': ' '/User time|System time/ {sum += $2} END {printf "%.1f", sum / 60}' "logs/$target.$stamp.time")
    local runs
    runs=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' || true)
    echo "$target: ${cpu} CPU-minutes, ${runs:-?} executions, log $log" | tee -a logs/summary.txt
}

if ! $cmin_only; then
    running=0
    for target in "${targets[@]}"; do
        fuzz_one "$target" &
        running=$((running + 1))
        if ((running >= PARALLEL)); then
            wait -n || true
            running=$((running - 1))
        fi
    done
    wait
fi
for target in "${targets[@]}"; do
    cmin "$target"
done
ls artifacts/*/ 2>/dev/null | grep -q . && echo "crashes: $(find artifacts -type f | wc -l) files under fuzz/artifacts/" || true
