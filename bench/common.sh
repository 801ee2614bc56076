# Shared by bench/compare.sh, bench/cluster.sh and bench/LoadGen/validate.sh (sourced, from the
# repository root). Set BENCH_BIN (a scratch directory for the builds) and BENCH_LOG (where server
# logs go) first.

# Builds the C reference load generator and server, the chat server and the C# load generator, all in
# Release, into BENCH_BIN: loadgen, refserver, chat/ChatServer, lg/LoadGen.
build_all() {
    local shared=${SHARED_BENCH:-../shared/bench}
    gcc -O2 -Wall -o "$BENCH_BIN/loadgen" "$shared/loadgen.c" -lm
    gcc -O2 -Wall -o "$BENCH_BIN/refserver" "$shared/refserver.c"
    build_dotnet
}

# Builds the chat server and the C# load generator in Release into BENCH_BIN: chat/ChatServer, lg/LoadGen.
build_dotnet() {
    # Own artifacts path: no lock contention with other builds of the repository.
    dotnet build ChatServer -c Release -o "$BENCH_BIN/chat" --artifacts-path "$BENCH_BIN/art" >/dev/null
    dotnet build bench/LoadGen/LoadGen.csproj -c Release -o "$BENCH_BIN/lg" --artifacts-path "$BENCH_BIN/art" >/dev/null
}

# build_baseline REF: the chat server as of git REF into BENCH_BIN/base/ChatServer, for a before/after run in one session.
build_baseline() {
    local tree="$BENCH_BIN/base-src"
    git worktree add -q --detach "$tree" "$1"
    dotnet build "$tree/ChatServer" -c Release -o "$BENCH_BIN/base" --artifacts-path "$BENCH_BIN/base-art" >/dev/null
    git worktree remove --force "$tree"
}

# start_server ref|chat|base PORT: starts it in the background (SERVER_PID) and waits until it accepts.
start_server() {
    if [ "$1" = ref ]; then
        "$BENCH_BIN/refserver" -p "$2" -b 127.0.0.1 >>"$BENCH_LOG/$1-server.log" 2>&1 &
    else
        # chat = this tree, base = the baseline (build_baseline). The protections a load test must
        # lift: per-address limit, flood control, client cap. A build with an IRC port gets PORT+1 for
        # it (never the default 6667, which something else may hold).
        local irc=()
        if "$BENCH_BIN/$1/ChatServer" --help 2>/dev/null | grep -q -- --irc-port; then
            irc=(--irc-port "$(($2 + 1))")
        fi
        "$BENCH_BIN/$1/ChatServer" --port "$2" "${irc[@]}" --bind 127.0.0.1 --log-level Warning \
            --max-per-ip 0 --flood-rate 0 --max-clients 20000 >>"$BENCH_LOG/$1-server.log" 2>&1 &
    fi
    SERVER_PID=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server $1 did not start" >&2
    return 1
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# field NAME: the number in the JSON line on stdin.
field() { grep -o "\"$1\":[-0-9.]*" | head -1 | cut -d: -f2; }

# The median of the numbers on stdin, one per line; "-" for none.
median() { sort -g | awk 'NF {v[++n]=$1} END {if (!n) print "-"; else print (n % 2) ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2}'; }

# metric NAME: the figure NAME from the JSON line on stdin; cpu_ns_per_delivery is the server's CPU
# time in the measured phase divided by the lines delivered.
metric() {
    local json
    json=$(cat)
    if [ "$1" = cpu_ns_per_delivery ]; then
        awk -v cpu="$(field srv_cpu_phase_s <<<"$json")" -v n="$(field received <<<"$json")" \
            'BEGIN { if (n > 0) printf "%.0f\n", cpu * 1e9 / n; else print "-" }'
    else
        field "$1" <<<"$json"
    fi
}
