#!/usr/bin/env bash
# Start-up time and memory of the chat server with metrics off, against a baseline git ref, in one session:
# the two builds are started alternately REPEATS times each; per start, the wall time from launch to its
# "SupervisedChat listening on" line and its resident memory (VmRSS) then. Prints medians and ratios.
#
#   bash bench/startup.sh [REPEATS] [BASELINE]      (defaults: 7, 54ff03c = the commit before the metrics work)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPEATS=${1:-7}
BASELINE=${2:-54ff03c}
OUT=bench/results/startup-$(date +%Y%m%d-%H%M%S)
BIN=$(mktemp -d)
mkdir -p "$OUT"
trap 'git worktree remove --force "$BIN/base-src" 2>/dev/null || true; rm -rf "$BIN"' EXIT
BENCH_BIN=$BIN BENCH_LOG=$OUT
# shellcheck source=bench/common.sh
source bench/common.sh
dotnet build ChatServer -c Release -o "$BIN/chat" --artifacts-path "$BIN/art" >/dev/null
build_baseline "$BASELINE"

# one START: prints "milliseconds-to-listening rss-kib"
one() {
    local log="$BIN/$1.out" start pid
    start=$(date +%s%N)
    "$BIN/$1/ChatServer" --port 0 --bind 127.0.0.1 --log-level Warning >"$log" 2>&1 &
    pid=$!
    until grep -q "SupervisedChat listening on" "$log" 2>/dev/null; do sleep 0.005; done
    local ms=$((($(date +%s%N) - start) / 1000000))
    local rss
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$ms $rss"
}
for _ in $(seq "$REPEATS"); do
    for b in base chat; do one "$b" >>"$OUT/$b.txt"; done
done
med() { cut -d' ' -f"$2" "$OUT/$1.txt" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
{
    echo "| build (metrics off) | start to listening, ms (median of $REPEATS) | / base | RSS at listening, KiB | / base |"
    echo "| --- | --- | --- | --- | --- |"
    for b in base chat; do
        echo "| $b | $(med "$b" 1) | $(ratio "$(med "$b" 1)" "$(med base 1)") | $(med "$b" 2) | $(ratio "$(med "$b" 2)" "$(med base 2)") |"
    done
} | tee "$OUT/table.md"
echo "raw results: $OUT" >&2
