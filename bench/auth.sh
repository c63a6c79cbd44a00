#!/usr/bin/env bash
# What authentication costs per request, as ratios against the unauthenticated HTTP floor run
# on the same server in the same run: `wrk` on GET /api/v1/trust/ca.pem (no credential) and on
# GET /api/v1/account with an API key (`sk_`), a personal access token (`pat_`) and an OAuth2
# access token (`sat_`, client credentials grant), with the per-credential rate limiter off and
# then on (a limit too high to refuse anything, so only its bookkeeping is measured).
# The rounds alternate the variants so that a burst of load on the shared machine hits all.
#
#   bench/auth.sh                 (~3 minutes after the release build)
#   BENCH_SECONDS=10 BENCH_ROUNDS=3 BENCH_CONNECTIONS=16 bench/auth.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target-bench}
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/signet-auth-bench.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v jq >/dev/null || apt-get install -y -qq jq >/dev/null
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" -p signet-server --bin signet
SIGNET=$CARGO_TARGET_DIR/release/signet
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git -C "$ROOT" rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"

# start NAME PORT API_PER_MIN: a server on its own data folder (the same one for both, so the
# credentials made below work on either).
start() {
    SIGNET_DATA_DIR=$WORK/data SIGNET_RATE_AUTH_FAILURES_PER_MIN=0 SIGNET_RATE_API_PER_MIN=$3 \
        SIGNET_RATE_API_BURST=1000000 NO_COLOR=1 RUST_LOG=warn \
        "$SIGNET" serve --no-worker --listen "127.0.0.1:$2" 2>"$WORK/$1.log" &
    PIDS+=($!)
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$2/api/v1/trust/ca.pem" >/dev/null && return
        sleep 0.1
    done
    echo "server $1 did not start" >&2
    exit 1
}
SIGNET_DATA_DIR=$WORK/data "$SIGNET" migrate >/dev/null 2>&1
start off 18181 0
start on 18182 100000000
BASE=http://127.0.0.1:18181
KEY=$(SIGNET_DATA_DIR=$WORK/data "$SIGNET" account create --name Bench \
    --email bench@example.test --password 'a long bench password' 2>/dev/null | jq -r .api_key)
post() { curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
PAT=$(post /api/v1/personal-access-tokens '{"name":"bench"}' | jq -r .key)
CLIENT=$(post /api/v1/oauth/clients \
    '{"name":"bench","redirect_uris":["https://bench.example/cb"],"grants":["client_credentials"]}')
SAT=$(curl -sf "$BASE/oauth/token" -d grant_type=client_credentials \
    -d "client_id=$(jq -r .client_id <<<"$CLIENT")" -d "client_secret=$(jq -r .client_secret <<<"$CLIENT")" |
    jq -r .access_token)
for credential in "$KEY" "$PAT" "$SAT"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $credential" "$BASE/api/v1/account")" = 200 ] ||
        { echo "a credential does not work: ${credential:0:4}…" >&2; exit 1; }
done

# run LABEL PORT PATH [TOKEN]: requests per second of one wrk run.
run() {
    local header=()
    [ -n "${4:-}" ] && header=(-H "Authorization: Bearer $4")
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" "${header[@]}" "http://127.0.0.1:$2$3" |
        awk -v label="$1" '/Requests\/sec/ {print label, $2} /Non-2xx/ {print "ERRORS", label, $0}'
}
for round in $(seq 1 "$ROUNDS"); do
    run floor 18181 /api/v1/trust/ca.pem
    run sk 18181 /api/v1/account "$KEY"
    run pat 18181 /api/v1/account "$PAT"
    run sat 18181 /api/v1/account "$SAT"
    run sk_limited 18182 /api/v1/account "$KEY"
done | tee "$WORK/results.txt"
if grep -q ERRORS "$WORK/results.txt"; then echo "some requests failed" >&2; exit 1; fi
awk '{sum[$1] += $2; n[$1]++}
    END {
        floor = sum["floor"] / n["floor"]; sk = sum["sk"] / n["sk"]
        printf "\n%-11s %10s %9s %9s\n", "variant", "req/s", "÷ floor", "÷ sk"
        split("floor sk pat sat sk_limited", order, " ")
        for (i = 1; i <= 5; i++) { v = order[i]; m = sum[v] / n[v]
            printf "%-11s %10.0f %9.2f %9.2f\n", v, m, m / floor, m / sk }
    }' "$WORK/results.txt"
