#!/bin/sh
# scripts/fuzz.sh SECONDS JOBS NAME... — runs each libFuzzer harness
# build/fuzz/fuzz_NAME over its seeds (tests/fuzz/corpus/NAME/, replayed
# first) and then SECONDS of fresh input, JOBS harnesses at a time; what a
# run finds is kept in build/fuzz/corpus/NAME/, a crashing input in
# build/fuzz/crash-NAME-*. Prints one line per harness (runs, executions,
# corpus) and fails if any harness failed.
set -u
seconds=$1 jobs=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=build/fuzz/runs
mkdir -p "$out"
run_one() {
    name=$1
    mkdir -p "build/fuzz/corpus/$name"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "build/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="build/fuzz/crash-$name-" \
        "build/fuzz/corpus/$name" "tests/fuzz/corpus/$name" >"$out/$name.log" 2>&1
    echo $? >"$out/$name.rc"
}
pids=""
running=0
for name in "$@"; do
    run_one "$name" &
    pids="$pids $!"
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait
failed=0
for name in "$@"; do
    rc=$(cat "$out/$name.rc" 2>/dev/null || echo 1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
    cov=$(grep -o 'cov: [0-9]*' "$out/$name.log" | tail -1)
    seeds=$(ls "tests/fuzz/corpus/$name" 2>/dev/null | wc -l)
    printf 'fuzz %-12s %s s: %s executions, %s, %s seeds replayed, exit %s\n' \
        "$name" "$seconds" "${runs:-?}" "${cov:-cov: ?}" "$seeds" "$rc" 2>/dev/null ||
    true
    if [ "$rc" != 0 ]; then
        failed=1
        echo "fuzz $name FAILED; its log, build/fuzz/runs/$name.log, ends:" >&2
        tail -30 "$out/$name.log" >&2
    fi
done
exit $failed
