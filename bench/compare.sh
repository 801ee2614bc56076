#!/usr/bin/env bash
# Runs the same load scenarios against the C reference server and against the chat server, one
# after the other, and prints a markdown table of medians and ratios (chat / reference), then a
# second one of the chat server's IRC port against its line port (IRC / line).
#
#   bash bench/compare.sh [REPEATS] [BASELINE]      (ROWS=issue bash bench/compare.sh ...: the goal rows only;
#                                                    ROWS=irc ...: the IRC rows and their line twins only)
#
# REPEATS: measured runs per scenario and server (default 3). BASELINE: a git ref (e.g. a commit
# before a change); its chat server is built too and measured in the same run, and the table gains
# "before" columns, so a change's effect is read from one session on one noisy machine.
#
# For each server and scenario one server process is started, given one unrecorded warm-up run of
# the scenario (the JIT's tiers and the pools settle, as in a server that has been up a while; its
# figure is kept as the "cold" column), then REPEATS measured runs. `conns` gets a fresh server per
# run and no warm-up: its figure is the growth of an idle server's memory.
#
# IRC rows (generator "irc": the C generator with -p irc) load the IRC port (PORT+1) of the very
# chat server process that runs their line twin (the same load with -p line): both get their warm-up,
# then the measured runs alternate line, IRC, line, ... so the machine's drift falls on both alike.
# The ratio is then the protocol's cost alone. The reference server speaks no IRC, and a BASELINE's
# IRC port is not measured. ROWS=irc runs only those pairs, on the chat server alone (no reference,
# no BASELINE: quick).
#
# Load comes from the C generator ../shared/bench/loadgen.c (the yardstick the issue's peer figures
# were taken with); the slow-reader scenario, which only it lacks, from bench/LoadGen (C#).
# Needs gcc. Builds everything in Release. Loopback only; every load run is bounded by the generator's
# own --timeout. Raw JSON lines go to bench/results/<timestamp>/. The machine is noisy: quote the
# medians and ratios of one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPEATS=${1:-3}
BASELINE=${2:-}
SERVERS=(ref chat)
[ "${ROWS:-all}" = irc ] && SERVERS=(chat)
OUT=bench/results/$(date +%Y%m%d-%H%M%S)
BIN=$(mktemp -d)
SERVER_PID=
mkdir -p "$OUT"
trap 'if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$BIN"' EXIT
ulimit -n 20000 || true

BENCH_BIN=$BIN BENCH_LOG=$OUT
# shellcheck source=bench/common.sh
source bench/common.sh
build_all
if [ -n "$BASELINE" ] && [ "${ROWS:-all}" != irc ]; then
    build_baseline "$BASELINE"
    SERVERS=(ref base chat)
fi
ln -s "$BIN/loadgen" "$BIN/c"
ln -s "$BIN/loadgen" "$BIN/irc"
ln -s "$BIN/lg/LoadGen" "$BIN/cs"

# $1 = server, $2 = generator (c|cs|irc), $3 = port, $4 = arguments; prints the JSON line and keeps it.
load() {
    # The server's pid: the C generator samples its RSS and CPU time.
    local pidarg=() port=$3
    [ "$2" != cs ] && pidarg=(--pid "$SERVER_PID")
    # irc: the same server's IRC port, which start_server puts at PORT+1.
    [ "$2" = irc ] && port=$(($3 + 1))
    local json
    # shellcheck disable=SC2086
    json=$("$BIN/$2" -P "$port" $4 "${pidarg[@]}" 2>>"$OUT/$1-loadgen.err" || true)
    echo "$json" >>"$OUT/$1.jsonl"
    echo "$json"
}

# name | generator | arguments | JSON field to compare. ROWS=issue keeps the rows of the
# connection-path goals (docs/benchmarks.md) and skips the slower rest. An irc row's arguments are
# its line twin's with -p irc (that is how the twin is found); it appears only in the IRC table.
SCENARIOS=(
    "fanout 50x2000 (deliveries/s)|c|-s fanout -p line -c 50 -m 2000 --timeout 120|deliveries_per_s"
    "fanout 200x500 (deliveries/s)|c|-s fanout -p line -c 200 -m 500 --timeout 120|deliveries_per_s"
    "latency p50 at 5000 msg/s (us)|c|-s fanout -p line -c 50 -m 500 --rate 5000 --timeout 60|lat_p50_us"
    "latency p99 at 5000 msg/s (us)|c|-s fanout -p line -c 50 -m 500 --rate 5000 --timeout 60|lat_p99_us"
    "fanout 50x2000: server CPU per delivery (ns)|c|-s fanout -p line -c 50 -m 2000 --timeout 120|cpu_ns_per_delivery"
    "churn connect-message-quit (/s)|c|-s churn -p line -k 2000 --par 20 --timeout 120|conns_per_s"
    "10k conns: KiB per conn|c|-s conns -p line -n 10000 --timeout 180|kib_per_conn"
    "10k conns: registered per s|c|-s conns -p line -n 10000 --timeout 180|conn_per_s"
    "fanout 50x2000, all read (deliveries/s)|cs|-s fanout -p line -c 50 -m 2000 --timeout 120|deliveries_per_s"
    "fanout 50x2000, 10% never read (deliveries/s)|cs|-s fanout -p line -c 50 -m 2000 --slow-readers 0.1 --timeout 120|deliveries_per_s"
    "IRC: fanout 50x2000 (deliveries/s)|irc|-s fanout -p irc -c 50 -m 2000 --timeout 120|deliveries_per_s"
    "IRC: latency p50 at 5000 msg/s (us)|irc|-s fanout -p irc -c 50 -m 500 --rate 5000 --timeout 60|lat_p50_us"
    "IRC: latency p99 at 5000 msg/s (us)|irc|-s fanout -p irc -c 50 -m 500 --rate 5000 --timeout 60|lat_p99_us"
    "IRC: fanout 50x2000: server CPU per delivery (ns)|irc|-s fanout -p irc -c 50 -m 2000 --timeout 120|cpu_ns_per_delivery"
)

# IRC_LOADS: the arguments of the irc rows in SCENARIOS, to find a line load's IRC twin.
declare -A IRC_LOADS
find_irc_loads() {
    IRC_LOADS=()
    local entry generator args
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r _ generator args _ <<<"$entry"
        if [ "$generator" = irc ]; then IRC_LOADS["$args"]=1; fi
    done
}
find_irc_loads

# Rows with the same generator and arguments share their runs: each distinct load runs once per
# server (a warm-up, then REPEATS measured runs), and every row reads its figure from those runs.
if [ "${ROWS:-all}" = issue ]; then
    mapfile -t SCENARIOS < <(printf '%s\n' "${SCENARIOS[@]}" | grep -v -e '200x500' -e '|cs|' -e '|irc|')
elif [ "${ROWS:-all}" = irc ]; then
    kept=()
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r _ generator args _ <<<"$entry"
        if [ "$generator" = irc ] || { [ "$generator" = c ] && [ -n "${IRC_LOADS["${args/-p line/-p irc}"]:-}" ]; }; then
            kept+=("$entry")
        fi
    done
    SCENARIOS=("${kept[@]}")
fi
find_irc_loads

declare -A RESULT COLD RUNS
# Every chat server holds two ports (line, IRC at +1): step by 2 so that no server binds a port
# the previous one held.
port=4100
for server in "${SERVERS[@]}"; do
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r _ generator args _ <<<"$entry"
        # IRC loads run with their line twin, on its server process (below).
        [ "$generator" = irc ] && continue
        key="$server|$generator|$args"
        [ -n "${RUNS["$key|1"]:-}" ] && continue
        if [[ $args == *"-s conns"* ]]; then
            RUNS["$key|cold"]=
            for i in $(seq "$REPEATS"); do
                port=$((port + 2))
                start_server "$server" "$port"
                RUNS["$key|$i"]=$(load "$server" "$generator" "$port" "$args")
                stop_server
            done
        else
            twin=
            if [ "$server" = chat ] && [ "$generator" = c ] && [ -n "${IRC_LOADS["${args/-p line/-p irc}"]:-}" ]; then
                twin=${args/-p line/-p irc}
            fi
            port=$((port + 2))
            start_server "$server" "$port"
            RUNS["$key|cold"]=$(load "$server" "$generator" "$port" "$args")
            if [ -n "$twin" ]; then
                RUNS["$server|irc|$twin|cold"]=$(load "$server" irc "$port" "$twin")
            fi
            for i in $(seq "$REPEATS"); do
                RUNS["$key|$i"]=$(load "$server" "$generator" "$port" "$args")
                if [ -n "$twin" ]; then
                    RUNS["$server|irc|$twin|$i"]=$(load "$server" irc "$port" "$twin")
                fi
            done
            stop_server
        fi
    done
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r name generator args metric <<<"$entry"
        key="$server|$generator|$args"
        # Only the chat server (this tree) is measured on its IRC port.
        [ -z "${RUNS["$key|1"]+set}" ] && continue
        values=()
        for i in $(seq "$REPEATS"); do
            values+=("$(metric "$metric" <<<"${RUNS["$key|$i"]}")")
        done
        RESULT["$server|$name"]=$(printf '%s\n' "${values[@]}" | median)
        COLD["$server|$name"]=$( [ -n "${RUNS["$key|cold"]}" ] && metric "$metric" <<<"${RUNS["$key|cold"]}" || echo - )
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || a == "-" || b == "-") print "n/a"; else printf "%.2f", a / b }'; }
# ROWS=irc ran no reference: there is no chat / reference table to print.
if [ "${ROWS:-all}" != irc ]; then
    if [ -n "$BASELINE" ]; then
        echo "| scenario | reference (median of $REPEATS) | before: $BASELINE | after: this tree | before / reference | after / reference | after / before |"
        echo "| --- | --- | --- | --- | --- | --- | --- |"
    else
        echo "| scenario | reference (median of $REPEATS) | chat server (median of $REPEATS, warm) | chat / reference | chat server, first run (cold) |"
        echo "| --- | --- | --- | --- | --- |"
    fi
    for entry in "${SCENARIOS[@]}"; do
        IFS='|' read -r name generator _ _ <<<"$entry"
        [ "$generator" = irc ] && continue
        ref=${RESULT["ref|$name"]}
        chat=${RESULT["chat|$name"]}
        if [ -n "$BASELINE" ]; then
            base=${RESULT["base|$name"]}
            echo "| $name | $ref | $base | $chat | $(ratio "$base" "$ref") | $(ratio "$chat" "$ref") | $(ratio "$chat" "$base") |"
        else
            echo "| $name | $ref | $chat | $(ratio "$chat" "$ref") | ${COLD["chat|$name"]} |"
        fi
    done | tee "$OUT/table.md"
fi

# The IRC table: each irc row beside its line twin (same arguments with -p line, same figure), both
# from the same chat server process. "Within 20%": IRC / line >= 0.8 for a rate, <= 1.2 for a
# latency or a cost (lat_*, cpu_*: lower is better).
irc_rows=()
for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r _ generator _ _ <<<"$entry"
    [ "$generator" = irc ] && irc_rows+=("$entry")
done
if [ ${#irc_rows[@]} -gt 0 ]; then
    server=chat # the only server measured on its IRC port
    {
        echo
        echo "IRC port vs line port (same chat server): IRC / line above 1 is better for deliveries/s, below 1 for latency and CPU"
        echo
        echo "| scenario | line port (median of $REPEATS) | IRC port (median of $REPEATS) | IRC / line | within 20% | IRC port, first run (cold) |"
        echo "| --- | --- | --- | --- | --- | --- |"
        for entry in "${irc_rows[@]}"; do
            IFS='|' read -r name _ args metric <<<"$entry"
            line_name=
            for other in "${SCENARIOS[@]}"; do
                IFS='|' read -r oname ogenerator oargs ometric <<<"$other"
                if [ "$ogenerator" = c ] && [ "$oargs" = "${args/-p irc/-p line}" ] && [ "$ometric" = "$metric" ]; then
                    line_name=$oname
                fi
            done
            line_fig=${RESULT["$server|$line_name"]:--}
            irc_fig=${RESULT["$server|$name"]:--}
            r=$(ratio "$irc_fig" "$line_fig")
            verdict=$(awk -v r="$r" -v lower="$([[ $metric == lat_* || $metric == cpu_* ]] && echo 1 || echo 0)" \
                'BEGIN { if (r == "n/a") print "n/a"; else if (lower ? r <= 1.2 : r >= 0.8) print "yes"; else print "**no**" }')
            echo "| ${line_name:-$name} | $line_fig | $irc_fig | $r | $verdict | ${COLD["$server|$name"]:--} |"
        done
    } | tee -a "$OUT/table.md"
fi
echo "raw results: $OUT" >&2
