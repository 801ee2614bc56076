#!/usr/bin/env bash
# Runs the same load scenarios against the C reference server and against the chat server, one
# after the other, and prints a markdown table of medians and ratios (chat / reference).
#
#   bash bench/compare.sh [REPEATS]      (default 3 repeats per scenario and server)
#
# Needs gcc and the C sources in ../shared/bench (loadgen.c, refserver.c). Builds the chat server
# in Release. Loopback only; every load run is bounded by loadgen's own --timeout. Raw JSON lines go
# to bench/results/<timestamp>/. The machine is noisy: quote the medians and ratios of one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPEATS=${1:-3}
SHARED=${SHARED_BENCH:-../shared/bench}
OUT=bench/results/$(date +%Y%m%d-%H%M%S)
BIN=$(mktemp -d)
mkdir -p "$OUT"
trap 'kill ${SERVER_PID:-} 2>/dev/null || true; rm -rf "$BIN"' EXIT
ulimit -n 20000 || true

gcc -O2 -Wall -o "$BIN/loadgen" "$SHARED/loadgen.c" -lm
gcc -O2 -Wall -o "$BIN/refserver" "$SHARED/refserver.c"
dotnet build ChatServer -c Release -o "$BIN/chat" >/dev/null

start_server() { # $1 = ref|chat, $2 = port
    if [ "$1" = ref ]; then
        "$BIN/refserver" -p "$2" -b 127.0.0.1 >"$OUT/$1-server.log" 2>&1 &
    else
        # The protections a load test must lift: per-address limit, flood control, client cap.
        "$BIN/chat/ChatServer" --port "$2" --bind 127.0.0.1 --log-level Warning \
            --max-per-ip 0 --flood-rate 0 --max-clients 20000 >"$OUT/$1-server.log" 2>&1 &
    fi
    SERVER_PID=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server $1 did not start" >&2
    return 1
}

field() { grep -o "\"$1\":[-0-9.]*" | head -1 | cut -d: -f2; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# name | loadgen arguments | JSON field to compare
SCENARIOS=(
    "fanout 50x2000|-s fanout -p line -c 50 -m 2000 --timeout 120|deliveries_per_s"
    "fanout 200x500|-s fanout -p line -c 200 -m 500 --timeout 120|deliveries_per_s"
    "latency p50 at 5000 msg/s (us)|-s fanout -p line -c 50 -m 500 --rate 5000 --timeout 60|lat_p50_us"
    "latency p99 at 5000 msg/s (us)|-s fanout -p line -c 50 -m 500 --rate 5000 --timeout 60|lat_p99_us"
    "churn connect-message-quit (/s)|-s churn -p line -k 2000 --par 20 --timeout 120|conns_per_s"
    "10k conns: KiB per conn|-s conns -p line -n 10000 --timeout 180|kib_per_conn"
)

declare -A RESULT
port=4100
for server in ref chat; do
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r name args metric <<<"$entry"
        values=()
        for r in $(seq "$REPEATS"); do
            port=$((port + 1))
            start_server "$server" "$port"
            pidarg=()
            [[ $args == *"-s conns"* ]] && pidarg=(--pid "$SERVER_PID")
            # shellcheck disable=SC2086
            json=$("$BIN/loadgen" -P "$port" $args "${pidarg[@]}" 2>>"$OUT/$server-loadgen.err" || true)
            echo "$json" >>"$OUT/$server.jsonl"
            values+=("$(echo "$json" | field "$metric")")
            kill "$SERVER_PID" 2>/dev/null || true
            wait "$SERVER_PID" 2>/dev/null || true
        done
        RESULT["$server|$name"]=$(printf '%s\n' "${values[@]}" | median)
    done
done

echo "| scenario | reference (median of $REPEATS) | chat server (median of $REPEATS) | chat / reference |"
echo "| --- | --- | --- | --- |"
for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r name _ _ <<<"$entry"
    ref=${RESULT["ref|$name"]}
    chat=${RESULT["chat|$name"]}
    ratio=$(awk -v a="$chat" -v b="$ref" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }')
    echo "| $name | $ref | $chat | $ratio |"
done | tee "$OUT/table.md"
echo "raw results: $OUT" >&2
