#!/usr/bin/env bash
# Runs the C reference load generator (loadgen.c) and this C# LoadGen one after the other, with the
# same arguments, against the C reference server and against the chat server, and prints a markdown
# table of medians: C# / C shows whether the two generators measure alike.
#
#   bash bench/LoadGen/validate.sh [REPEATS]      (default 3; each run gets a fresh server)
#
# Needs gcc and ../shared/bench (override with SHARED_BENCH). Loopback only; every run is bounded by
# the generators' own --timeout. Raw JSON lines go to a temporary directory, printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPEATS=${1:-3}
WORK=$(mktemp -d)
SERVER_PID=
trap 'if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi' EXIT
ulimit -n 20000 || true

BENCH_BIN=$WORK BENCH_LOG=$WORK
# shellcheck source=bench/common.sh
source bench/common.sh
build_all

# name | arguments (both generators) | metrics
SCENARIOS=(
    "fanout 50x2000|-s fanout -p line -c 50 -m 2000 --timeout 120|deliveries_per_s lat_p50_us lost dup ooo lg_cpu_phase_s"
    "fanout 200x500|-s fanout -p line -c 200 -m 500 --timeout 120|deliveries_per_s lat_p50_us lost dup ooo lg_cpu_phase_s"
    "fanout 50x500 at 5000/s|-s fanout -p line -c 50 -m 500 --rate 5000 --timeout 60|lat_p50_us lat_p99_us lost lg_cpu_phase_s"
    "churn 2000, par 20|-s churn -p line -k 2000 --par 20 --timeout 120|conns_per_s cycle_p50_us errors lg_cpu_phase_s"
    "conns 2000|-s conns -p line -n 2000 --timeout 120|kib_per_conn conn_per_s alive lg_cpu_phase_s"
    "fanout 50x2000, 10% slow readers|-s fanout -p line -c 50 -m 2000 --slow-readers 0.1 --timeout 120|deliveries_per_s lat_p50_us lost slow_readers_disconnected lg_cpu_phase_s"
)

declare -A RESULT
port=4600
for server in ref chat; do
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r name args metrics <<<"$entry"
        for r in $(seq "$REPEATS"); do
            for gen in c cs; do
                # loadgen.c has no --slow-readers: that row is the C# generator's only.
                if [ "$gen" = c ] && [[ $args == *"--slow-readers"* ]]; then continue; fi
                port=$((port + 1))
                start_server "$server" "$port"
                pidarg=()
                [[ $args == *"-s conns"* ]] && pidarg=(--pid "$SERVER_PID")
                bin="$WORK/loadgen"
                [ "$gen" = cs ] && bin="$WORK/lg/LoadGen"
                # shellcheck disable=SC2086
                json=$("$bin" -P "$port" $args "${pidarg[@]}" 2>>"$WORK/$server-$gen.err" || true)
                echo "$json" >>"$WORK/$server-$gen.jsonl"
                for m in $metrics; do
                    RESULT["$server|$name|$m|$gen"]+="$(echo "$json" | field "$m") "
                done
                stop_server
            done
        done
    done
done

echo "| scenario | metric | server | C loadgen | C# LoadGen | C# / C |"
echo "| --- | --- | --- | --- | --- | --- |"
for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r name _ metrics <<<"$entry"
    for server in ref chat; do
        for m in $metrics; do
            c=$(printf '%s\n' ${RESULT["$server|$name|$m|c"]:-} | median)
            cs=$(printf '%s\n' ${RESULT["$server|$name|$m|cs"]:-} | median)
            ratio=$(awk -v a="$cs" -v b="$c" 'BEGIN { if (b == "-" || a == "-" || b == 0) print "-"; else printf "%.2f", a / b }')
            echo "| $name | $m | $server | $c | $cs | $ratio |"
        done
    done
done | tee "$WORK/table.md"
echo "raw results: $WORK" >&2
