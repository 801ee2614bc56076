#!/usr/bin/env bash
# What metrics and traces cost per message: fan-out (50 members x 2,000 lines, closed loop, the C generator)
# against chat servers that differ only in their observability, all running at once on their own ports, the
# measured runs taken round-robin (off, otel, prometheus-net, no-tracing, off, ...) so the machine's drift falls
# on all alike. Prints a markdown table of medians and ratios against "off".
#
#   bash bench/metrics.sh [REPEATS]      (default 5)
#
# Servers:
#   off             this tree, no --metrics-port: no listener on any meter or source (the baseline)
#   otel            this tree, --metrics-port 0: the OpenTelemetry SDK listens (Prometheus exporter, Kestrel)
#   prometheus-net  this tree with bench/metrics-prometheus-net.patch: prometheus-net's MeterAdapter listens instead
#   no-tracing      this tree built with -p:ChatTracing=false (message traces compiled out), no --metrics-port
# Each gets one unrecorded warm-up run. /metrics is scraped once after every run of a server that serves it
# (as Prometheus would, rarely), and the last scrape kept. Raw JSON in bench/results/metrics-<timestamp>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPEATS=${1:-5}
OUT=bench/results/metrics-$(date +%Y%m%d-%H%M%S)
BIN=$(mktemp -d)
mkdir -p "$OUT"
declare -A PID PORT MPORT
cleanup() {
    for name in "${!PID[@]}"; do kill "${PID[$name]}" 2>/dev/null || true; done
    git worktree remove --force "$BIN/pn-src" 2>/dev/null || true
    rm -rf "$BIN"
}
trap cleanup EXIT
ulimit -n 20000 || true

BENCH_BIN=$BIN BENCH_LOG=$OUT
# shellcheck source=bench/common.sh
source bench/common.sh
shared=${SHARED_BENCH:-../shared/bench}
gcc -O2 -Wall -o "$BIN/loadgen" "$shared/loadgen.c" -lm
dotnet build ChatServer -c Release -o "$BIN/off" --artifacts-path "$BIN/art" >/dev/null
dotnet build ChatServer -c Release -p:ChatTracing=false -o "$BIN/no-tracing" --artifacts-path "$BIN/art-nt" >/dev/null
git worktree add -q --detach "$BIN/pn-src" HEAD
git -C "$BIN/pn-src" apply "$PWD/bench/metrics-prometheus-net.patch"
dotnet build "$BIN/pn-src/ChatServer" -c Release -o "$BIN/prometheus-net" --artifacts-path "$BIN/art-pn" >/dev/null

SERVERS=(off otel prometheus-net no-tracing)
# name -> build directory and extra arguments
build_of() { case $1 in otel) echo off ;; *) echo "$1" ;; esac; }
metrics_args() { case $1 in otel | prometheus-net) echo "--metrics-port 0" ;; esac; }

port=4300
for name in "${SERVERS[@]}"; do
    port=$((port + 2))
    # shellcheck disable=SC2046
    "$BIN/$(build_of "$name")/ChatServer" --port "$port" --irc-port $((port + 1)) --bind 127.0.0.1 --log-level Warning \
        --max-per-ip 0 --flood-rate 0 --max-clients 20000 $(metrics_args "$name") >"$OUT/$name-server.log" 2>&1 &
    PID[$name]=$!
    PORT[$name]=$port
done
for name in "${SERVERS[@]}"; do
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/${PORT[$name]}") 2>/dev/null && break
        sleep 0.1
    done
    MPORT[$name]=$(grep -o 'metrics listening on http://[0-9.]*:[0-9]*' "$OUT/$name-server.log" | sed 's/.*://' || true)
done

ARGS=(-s fanout -p line -c 50 -m 2000 --timeout 120)
run() { # $1 = server: one load, JSON line kept; then a scrape if it serves /metrics
    local json
    json=$("$BIN/loadgen" -P "${PORT[$1]}" "${ARGS[@]}" --pid "${PID[$1]}" 2>>"$OUT/$1-loadgen.err" || true)
    echo "$json" >>"$OUT/$1.jsonl"
    if [ -n "${MPORT[$1]}" ]; then
        curl -s --max-time 10 "http://127.0.0.1:${MPORT[$1]}/metrics" >"$OUT/$1-scrape.txt" || true
    fi
}
for name in "${SERVERS[@]}"; do run "$name" >/dev/null; mv "$OUT/$name.jsonl" "$OUT/$name-warmup.jsonl"; done
for _ in $(seq "$REPEATS"); do
    for name in "${SERVERS[@]}"; do run "$name"; done
done

cpu_ns() { awk -v cpu="$(field srv_cpu_phase_s <<<"$1")" -v n="$(field received <<<"$1")" 'BEGIN { if (n > 0) printf "%.0f\n", cpu * 1e9 / n; else print "-" }'; }
declare -A RATE CPU
for name in "${SERVERS[@]}"; do
    RATE[$name]=$(while read -r line; do field deliveries_per_s <<<"$line"; done <"$OUT/$name.jsonl" | median)
    CPU[$name]=$(while read -r line; do cpu_ns "$line"; done <"$OUT/$name.jsonl" | median)
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "-" || b == "-") print "n/a"; else printf "%.3f", a / b }'; }
{
    echo "| server | deliveries/s (median of $REPEATS) | / off | server CPU per delivery, ns | / off |"
    echo "| --- | --- | --- | --- | --- |"
    for name in "${SERVERS[@]}"; do
        echo "| $name | ${RATE[$name]} | $(ratio "${RATE[$name]}" "${RATE[off]}") | ${CPU[$name]} | $(ratio "${CPU[$name]}" "${CPU[off]}") |"
    done
} | tee "$OUT/table.md"
echo "raw results: $OUT" >&2
