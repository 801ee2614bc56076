#!/usr/bin/env bash
# A/B: this tree's chat server against a BASELINE commit's, both running at once, with the measured
# runs alternating (base, this, this, base, base, this, ...) so the machine's drift falls on both
# alike. For a change whose effect is smaller than the noise between two compare.sh runs. Check the
# method with an A/A run (BASELINE = this tree's commit) when a difference is small.
#
#   bash bench/ab.sh [REPEATS] BASELINE          (ONLY=REGEX bash bench/ab.sh ...: the loads whose name matches)
#
# Loads (the C generator ../shared/bench/loadgen.c): fan-out 50 x 2000 over the line port and over the
# IRC port, latency at 5,000 msgs/s over the line port, churn. Per server and load one unrecorded
# warm-up run, then REPEATS measured runs each; medians. Raw JSON lines in bench/results/ab-<timestamp>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPEATS=${1:-5}
BASELINE=${2:?a baseline commit}
OUT=bench/results/ab-$(date +%Y%m%d-%H%M%S)
BIN=$(mktemp -d)
PIDS=()
mkdir -p "$OUT"
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; git worktree remove --force "$BIN/base-src" 2>/dev/null || true; rm -rf "$BIN"' EXIT
ulimit -n 20000 || true

BENCH_BIN=$BIN BENCH_LOG=$OUT
# shellcheck source=bench/common.sh
source bench/common.sh
build_all
build_baseline "$BASELINE"

# Both servers up at once, each on its own ports (IRC at PORT+1).
declare -A PORT PID
PORT[base]=$((20000 + RANDOM % 20000))
PORT[chat]=$((PORT[base] + 2))
for server in base chat; do
    start_server "$server" "${PORT[$server]}"
    PID[$server]=$SERVER_PID
    PIDS+=("$SERVER_PID")
done

# name | loadgen arguments | protocol port offset | JSON field
LOADS=(
    "fan-out 50x2000 line, deliveries/s|-s fanout -p line -c 50 -m 2000 --timeout 120|0|deliveries_per_s"
    "fan-out 50x2000 IRC, deliveries/s|-s fanout -p irc -c 50 -m 2000 --timeout 120|1|deliveries_per_s"
    "fan-out 50x2000 line, server CPU per delivery (ns)|-s fanout -p line -c 50 -m 2000 --timeout 120|0|cpu_ns_per_delivery"
    "fan-out 50x2000 IRC, server CPU per delivery (ns)|-s fanout -p irc -c 50 -m 2000 --timeout 120|1|cpu_ns_per_delivery"
    "latency p50 at 5000 msg/s line (us)|-s fanout -p line -c 50 -m 500 --rate 5000 --timeout 60|0|lat_p50_us"
    "latency p99 at 5000 msg/s line (us)|-s fanout -p line -c 50 -m 500 --rate 5000 --timeout 60|0|lat_p99_us"
    "churn connect-message-quit (/s)|-s churn -p line -k 2000 --par 20 --timeout 120|0|conns_per_s"
)

# Rows that read another field of the same run are not run again.
# $1 = server, $2 = arguments, $3 = field: the median of that field over the server's measured runs.
median_of() {
    grep -P "^$1\t$(echo "$2" | tr ' /' '__')\t" "$OUT/runs.tsv" | cut -f3 \
        | while read -r json; do metric "$3" <<<"$json"; done | median
}

declare -A DONE
{
echo "| load | baseline $BASELINE | this tree | this / baseline |"
echo "| --- | --- | --- | --- |"
for row in "${LOADS[@]}"; do
    IFS='|' read -r name args offset fieldname <<<"$row"
    [[ "$name" =~ ${ONLY:-.} ]] || continue
    key="$args"
    if [ -z "${DONE[$key]:-}" ]; then
        for server in base chat; do
            # shellcheck disable=SC2086
            "$BIN/loadgen" -P $((PORT[$server] + offset)) $args --pid "${PID[$server]}" >/dev/null 2>>"$OUT/loadgen.err" || true
        done
        for round in $(seq "$REPEATS"); do
            # Which one goes first alternates too: an A/A run (one build in both slots) measured the
            # second of a fixed pair 14% slower at the latency median.
            order=(base chat)
            [ $((round % 2)) = 0 ] && order=(chat base)
            for server in "${order[@]}"; do
                # shellcheck disable=SC2086
                "$BIN/loadgen" -P $((PORT[$server] + offset)) $args --pid "${PID[$server]}" 2>>"$OUT/loadgen.err" \
                    | sed "s/^/$server\t$(echo "$args" | tr ' /' '__')\t/" >>"$OUT/runs.tsv" || true
            done
        done
        DONE[$key]=1
    fi
    a=$(median_of base "$args" "$fieldname")
    b=$(median_of chat "$args" "$fieldname")
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a + 0 == 0) print "-"; else printf "%.2f", b / a }')
    echo "| $name | $a | $b | $ratio |"
done
} | tee "$OUT/table.md"
