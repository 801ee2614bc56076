#!/usr/bin/env bash
# Cluster mode against a single server, in one run: fan-out, cross-node latency and churn, each
# measured on a single chat server without --redis and on a 2-node cluster (two chat servers with
# --redis and one redis-server), and printed as a markdown table of medians and ratios
# (cluster / single).
#
#   bash bench/cluster.sh [REPEATS]      (default 3)
#
# Load comes from bench/LoadGen (C#), the generator that can spread clients over several ports
# (--ports): the single server gets the same arguments with its one port. Per load:
#   - Redis is flushed, then a fresh single server and two fresh nodes (n1, n2) start, each on a
#     port of its own (--port 0, read from its "listening on" line);
#   - each setup gets one unrecorded warm-up run (kept in the raw results), then REPEATS measured
#     runs, single and cluster alternating (the machine drifts; alternating spreads the drift);
#   - the CPU time of the server processes (the single server; n1 + n2; redis-server) is read from
#     /proc before and after every run; Redis's INFO commandstats is kept after the load;
#   - every server is stopped before the next load.
# Rows with the same load share its runs. Needs redis-server and redis-cli (never the system
# service: its own redis-server on a free port, --save "" --appendonly no). Every process it starts
# is stopped by PID on exit. Builds in Release. Loopback only; every load run is bounded by the
# generator's own --timeout. Raw JSON lines, logs and Redis stats go to bench/results/cluster-<timestamp>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPEATS=${1:-3}
OUT=bench/results/cluster-$(date +%Y%m%d-%H%M%S)
BIN=$(mktemp -d)
mkdir -p "$OUT"
ulimit -n 20000 || true

declare -A PID PORT # by name: single, n1, n2, redis
cleanup() {
    local name
    for name in "${!PID[@]}"; do
        kill "${PID[$name]}" 2>/dev/null || true
    done
    for name in "${!PID[@]}"; do
        wait "${PID[$name]}" 2>/dev/null || true
    done
    rm -rf "$BIN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BENCH_BIN=$BIN BENCH_LOG=$OUT
# shellcheck source=bench/common.sh
source bench/common.sh
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || {
    echo "needs redis-server and redis-cli" >&2
    exit 1
}
build_dotnet

# A port nothing listens on (a small race with other programs; start_redis retries).
free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

start_redis() {
    for _ in $(seq 5); do
        PORT[redis]=$(free_port)
        redis-server --port "${PORT[redis]}" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
            >>"$OUT/redis.log" 2>&1 &
        PID[redis]=$!
        for _ in $(seq 50); do
            if redis-cli -p "${PORT[redis]}" ping 2>/dev/null | grep -q PONG; then
                return 0
            fi
            kill -0 "${PID[redis]}" 2>/dev/null || break
            sleep 0.1
        done
        kill "${PID[redis]}" 2>/dev/null || true
        wait "${PID[redis]}" 2>/dev/null || true
        unset 'PID[redis]'
    done
    echo "redis-server did not start (log: $OUT/redis.log)" >&2
    return 1
}

# start_chat NAME LOG [ARGS...]: a chat server on a free port (PORT[NAME]), with the protections a
# load test must lift; ARGS make it a node (--redis ... --node-name ...).
start_chat() {
    local name=$1 log=$2
    shift 2
    "$BIN/chat/ChatServer" --port 0 --bind 127.0.0.1 --log-level Warning \
        --max-per-ip 0 --flood-rate 0 --max-clients 20000 "$@" >"$log" 2>&1 &
    PID[$name]=$!
    for _ in $(seq 300); do
        PORT[$name]=$(grep -o -m1 'listening on 127\.0\.0\.1:[0-9]*' "$log" | cut -d: -f2 || true)
        [ -n "${PORT[$name]}" ] && return 0
        kill -0 "${PID[$name]}" 2>/dev/null || break
        sleep 0.1
    done
    echo "chat server $name did not start (log: $log)" >&2
    return 1
}

stop_chat() {
    local name
    for name in "$@"; do
        kill "${PID[$name]}" 2>/dev/null || true
        wait "${PID[$name]}" 2>/dev/null || true
        unset "PID[$name]"
    done
}

# CPU seconds (user + system) used so far by the processes with these PIDs.
cpu_s() {
    local pid ticks=0 rest
    for pid in "$@"; do
        rest=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        rest=${rest##*) }
        # After "pid (comm) ": field 12 is utime, 13 stime (fields 14 and 15 of the file).
        ticks=$((ticks + $(awk '{ print $12 + $13 }' <<<"$rest")))
    done
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# run SETUP ARGS: one LoadGen run against the single server or the cluster; prints its JSON line
# with the servers' CPU time of the run added (srv_cpu_s: chat servers; redis_cpu_s: redis-server;
# n1_cpu_s, n2_cpu_s: each node).
run() {
    local setup=$1 args=$2 target pids=() before redis_before n1_before n2_before json
    if [ "$setup" = single ]; then
        target="-P ${PORT[single]}"
        pids=("${PID[single]}")
    else
        target="--ports ${PORT[n1]},${PORT[n2]}"
        pids=("${PID[n1]}" "${PID[n2]}")
    fi
    before=$(cpu_s "${pids[@]}")
    redis_before=$(cpu_s "${PID[redis]}")
    n1_before=$(cpu_s "${PID[n1]}")
    n2_before=$(cpu_s "${PID[n2]}")
    # shellcheck disable=SC2086
    json=$("$BIN/lg/LoadGen" $target $args --label "$setup" 2>>"$OUT/$setup-loadgen.err" || true)
    [ -n "$json" ] || json='{"end":"no-output","error":"LoadGen printed nothing"}'
    local srv redis nodes=""
    srv=$(awk -v a="$before" -v b="$(cpu_s "${pids[@]}")" 'BEGIN { printf "%.2f", b - a }')
    redis=$([ "$setup" = single ] && echo 0 || awk -v a="$redis_before" -v b="$(cpu_s "${PID[redis]}")" 'BEGIN { printf "%.2f", b - a }')
    if [ "$setup" = cluster ]; then
        nodes=",\"n1_cpu_s\":$(awk -v a="$n1_before" -v b="$(cpu_s "${PID[n1]}")" 'BEGIN { printf "%.2f", b - a }')"
        nodes+=",\"n2_cpu_s\":$(awk -v a="$n2_before" -v b="$(cpu_s "${PID[n2]}")" 'BEGIN { printf "%.2f", b - a }')"
    fi
    echo "${json%\}},\"srv_cpu_s\":$srv,\"redis_cpu_s\":$redis$nodes}"
}

# name | LoadGen arguments (the cluster adds --ports N1,N2; fan-out members and churn cycles go
# round-robin over the nodes, --spread senders puts the senders on n1 and the receivers on n2) |
# JSON field | goal (cluster / single): "min R" or "max R", or "-" for none.
SCENARIOS=(
    "fan-out 50 members × 2000 msgs, members alternating nodes; deliveries/s|-s fanout -p line -c 50 -m 2000 --timeout 120|deliveries_per_s|min 0.5"
    "latency p50 at 5,000 msgs/s, 10 senders (n1) → 40 receivers (n2) of 50; µs|-s fanout -p line -c 50 --senders 10 --spread senders -m 2500 --rate 5000 --timeout 60|lat_p50_us|-"
    "latency p99, same runs; µs|-s fanout -p line -c 50 --senders 10 --spread senders -m 2500 --rate 5000 --timeout 60|lat_p99_us|max 2"
    "latency p50 at 1,000 msgs/s, same shape (below saturation); µs|-s fanout -p line -c 50 --senders 10 --spread senders -m 500 --rate 1000 --timeout 60|lat_p50_us|-"
    "latency p99 at 1,000 msgs/s, same runs; µs|-s fanout -p line -c 50 --senders 10 --spread senders -m 500 --rate 1000 --timeout 60|lat_p99_us|-"
    "churn: connect, register, one message, quit, 20 at once, cycles alternating nodes; cycles/s|-s churn -p line -k 2000 --par 20 --timeout 120|conns_per_s|-"
)

start_redis
declare -A RUNS LOADS
load_no=0
for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r _ args _ _ <<<"$entry"
    [ -n "${LOADS[$args]:-}" ] && continue
    load_no=$((load_no + 1))
    LOADS[$args]=$load_no
    echo "load $load_no: $args" >&2
    redis-cli -p "${PORT[redis]}" flushall >/dev/null
    redis-cli -p "${PORT[redis]}" config resetstat >/dev/null
    start_chat single "$OUT/load$load_no-single.log"
    start_chat n1 "$OUT/load$load_no-n1.log" --redis "127.0.0.1:${PORT[redis]}" --node-name n1
    start_chat n2 "$OUT/load$load_no-n2.log" --redis "127.0.0.1:${PORT[redis]}" --node-name n2
    for setup in single cluster; do
        json=$(run "$setup" "$args")
        echo "$json" | sed 's/^{/{"run":"warm-up",/' >>"$OUT/$setup.jsonl"
    done
    for i in $(seq "$REPEATS"); do
        for setup in single cluster; do
            json=$(run "$setup" "$args")
            RUNS["$setup|$args|$i"]=$json
            echo "$json" | sed "s/^{/{\"run\":$i,/" >>"$OUT/$setup.jsonl"
        done
    done
    redis-cli -p "${PORT[redis]}" info commandstats >"$OUT/load$load_no-redis-commandstats.txt"
    stop_chat single n1 n2
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
verdict() {
    local goal=$1 r=$2
    [ "$goal" = - ] && { echo "-"; return; }
    awk -v kind="${goal%% *}" -v bound="${goal##* }" -v r="$r" 'BEGIN {
        if (r == "n/a") { print "n/a"; exit }
        met = (kind == "min") ? (r >= bound) : (r <= bound)
        printf "%s %s — %s\n", (kind == "min") ? "≥" : "≤", bound, met ? "met" : "**not met**" }'
}
median_of() { # setup args field
    local i
    for i in $(seq "$REPEATS"); do
        field "$3" <<<"${RUNS["$1|$2|$i"]}"
    done | median
}
sum_of() {
    local i
    for i in $(seq "$REPEATS"); do
        field "$3" <<<"${RUNS["$1|$2|$i"]}"
    done | awk '{ s += $1 } END { print s + 0 }'
}
complete_of() {
    local i
    for i in $(seq "$REPEATS"); do
        grep -c '"end":"complete"' <<<"${RUNS["$1|$2|$i"]}" || true
    done | awk '{ s += $1 } END { print s + 0 }'
}

declare -A SHOWN
{
    echo "| scenario | single server (median of $REPEATS) | 2-node cluster (median of $REPEATS) | cluster / single | goal |"
    echo "| --- | --- | --- | --- | --- |"
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r name args metric goal <<<"$entry"
        single=$(median_of single "$args" "$metric")
        cluster=$(median_of cluster "$args" "$metric")
        r=$(ratio "$cluster" "$single")
        echo "| $name | $single | $cluster | $r | $(verdict "$goal" "$r") |"
    done
    echo
    echo "Checks and CPU per load (sums over the $REPEATS measured runs; CPU: medians per run, seconds):"
    echo
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r _ args _ _ <<<"$entry"
        echo "- load ${LOADS[$args]}: \`$args\`"
    done | sort -u
    echo
    echo "| load | setup | runs complete | lost | dup | out of order | churn errors / quit timeouts / observer missed | CPU chat server(s) | CPU redis-server | CPU LoadGen |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r _ args _ _ <<<"$entry"
        n=${LOADS[$args]}
        [ -n "${SHOWN[$n]:-}" ] && continue
        SHOWN[$n]=1
        for setup in single cluster; do
            if [[ $args == *"-s churn"* ]]; then
                missed=0
                for i in $(seq "$REPEATS"); do
                    json=${RUNS["$setup|$args|$i"]}
                    missed=$((missed + $(field completed <<<"$json") - $(field observer_received <<<"$json")))
                done
                checks="- | - | - | $(sum_of "$setup" "$args" errors) / $(sum_of "$setup" "$args" quit_timeouts) / $missed"
            else
                checks="$(sum_of "$setup" "$args" lost) | $(sum_of "$setup" "$args" dup) | $(sum_of "$setup" "$args" ooo) | -"
            fi
            cpu=$(median_of "$setup" "$args" srv_cpu_s)
            [ "$setup" = cluster ] && cpu="$cpu (n1 $(median_of cluster "$args" n1_cpu_s), n2 $(median_of cluster "$args" n2_cpu_s))"
            echo "| $n | $setup | $(complete_of "$setup" "$args") of $REPEATS | $checks | $cpu | $(median_of "$setup" "$args" redis_cpu_s) | $(median_of "$setup" "$args" lg_cpu_phase_s) |"
        done
    done
} | tee "$OUT/table.md"
echo "raw results: $OUT" >&2
