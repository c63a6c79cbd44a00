#!/usr/bin/env bash
# Side experiment behind docs/benchmarks.md's bottleneck notes (not run by bench/run.sh): the
# story alone at 1, 4 and 8 clients against SQLite, then PostgreSQL, then SQLite again, back to
# back. SQLite stops scaling with idle CPU left; PostgreSQL keeps scaling until the CPU is full.
#
#   bench/run.sh first (it builds the binaries), then:
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432 bench/sqlite_vs_postgres.sh
#
# It creates a throw-away database on that server and drops it at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REL=${CARGO_TARGET_DIR:-$ROOT/target-bench}/release
VENV=${SIGNET_BENCH_VENV:-/tmp/venv}
ADMIN=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}
SECONDS_EACH=${BENCH_SWEEP_SECONDS:-8}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/signet-pg-bench.XXXXXX")
DB=signet_bench_$(date +%s)
PID=
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
    psql -q "$ADMIN/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

"$VENV/bin/python" "$ROOT/bench/make_contract.py" "$WORK/contract.pdf" 200 >&2
psql -q "$ADMIN/postgres" -c "CREATE DATABASE $DB"

sweep() { # label, database URL ('' for SQLite in the data folder)
    local label=$1 url=$2 data=$WORK/data-$1 port
    port=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if [ -n "$url" ]; then export DATABASE_URL=$url; else unset DATABASE_URL; fi
    export SIGNET_DATA_DIR=$data
    NO_COLOR=1 "$REL/signet" serve --listen "127.0.0.1:$port" 2>"$WORK/$label.log" &
    PID=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/v1/trust/ca.pem" >/dev/null && break; sleep 0.1; done
    local key
    key=$("$REL/signet" account create --name Bench --email bench@example.test --password 'a long bench password' 2>/dev/null | jq -r .api_key)
    for c in 1 4 8; do
        "$REL/examples/load" --base "http://127.0.0.1:$port" --key "$key" --pdf "$WORK/contract.pdf" \
            --concurrency "$c" --duration "$SECONDS_EACH" --rounds 1 --no-floor --warmup 4 --sample-events 0 \
            --server-pid "$PID" >"$WORK/$label-$c.txt"
        printf '%-8s %2d clients: %s\n' "$label" "$c" "$(grep '^  story:' "$WORK/$label-$c.txt" | sed 's/^ *story: //')"
        grep -E '^  (create|signer|complete|poll GET) ' "$WORK/$label-$c.txt"
    done
    kill "$PID"; wait "$PID" 2>/dev/null || true
    PID=
}

sweep sqlite ''
sweep postgres "$ADMIN/$DB"
sweep sqlite2 ''
