#!/usr/bin/env bash
# What a dialect's translation costs per request, as ratios against the native API run on the
# same server in the same run: `wrk` reading one sent envelope through the native API
# (GET /api/v1/envelopes/{id}) and through each vendor dialect's read of it (Stiply's sign
# request, Ignisign's context, Auco's process, OKdokument's signature request, Acronis's
# document by hash), with the same API key in each door's header form. The rounds alternate the
# doors so that a burst of load on the shared machine hits all.
#
#   bench/dialects.sh                 (~4 minutes after the release build)
#   BENCH_SECONDS=10 BENCH_ROUNDS=3 BENCH_CONNECTIONS=16 bench/dialects.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target-bench}
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/signet-dialect-bench.XXXXXX")
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v jq >/dev/null || apt-get install -y -qq jq >/dev/null
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" -p signet-server --bin signet
SIGNET=$CARGO_TARGET_DIR/release/signet
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git -C "$ROOT" rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"

PORT=18191
BASE=http://127.0.0.1:$PORT
SIGNET_DATA_DIR=$WORK/data "$SIGNET" migrate >/dev/null 2>&1
SIGNET_DATA_DIR=$WORK/data SIGNET_RATE_AUTH_FAILURES_PER_MIN=0 SIGNET_RATE_API_PER_MIN=0 \
    NO_COLOR=1 RUST_LOG=warn "$SIGNET" serve --no-worker --listen "127.0.0.1:$PORT" \
    2>"$WORK/server.log" &
PID=$!
for _ in $(seq 1 100); do
    curl -sf "$BASE/api/v1/trust/ca.pem" >/dev/null && break
    sleep 0.1
done
KEY=$(SIGNET_DATA_DIR=$WORK/data "$SIGNET" account create --name Bench \
    --email bench@example.test --password 'a long bench password' 2>/dev/null | jq -r .api_key)
auth=(-H "Authorization: Bearer $KEY")
ID=$(curl -sf "${auth[@]}" -H 'Content-Type: application/json' -d '{"title":"Bench"}' \
    "$BASE/api/v1/envelopes" | jq -r .id)
SHA=$(curl -sf "${auth[@]}" -F "file=@$ROOT/crates/signet-server/tests/fixtures/contract.pdf" \
    "$BASE/api/v1/envelopes/$ID/documents" | jq -r .sha256)
curl -sf "${auth[@]}" -H 'Content-Type: application/json' -o /dev/null -d \
    '{"name":"Ada","email":"ada@example.test","fields":[{"type":"signature","tag":"signature_1"}]}' \
    "$BASE/api/v1/envelopes/$ID/signers"
curl -sf "${auth[@]}" -H 'Content-Type: application/json' -d '{}' -o /dev/null \
    "$BASE/api/v1/envelopes/$ID/send"

# door NAME HEADER PATH: the door's read of the envelope, checked once, then timed.
DOORS=(
    "native|Authorization: Bearer $KEY|/api/v1/envelopes/$ID"
    "stiply|Authorization: Bearer $KEY|/stiply/v1.1/sign_requests/$ID"
    "ignisign|Authorization: Bearer $KEY|/ignisign/v3/signature-requests/$ID/context"
    "auco|Authorization: $KEY|/auco/v1.5/ext/document?code=$ID"
    "okdokument|x-api-key: $KEY|/okdokument/JSON/signatureRequest/$ID"
    "acronis|Authorization: Bearer $KEY|/acronis/api/notary/v2/documents/$SHA"
)
for door in "${DOORS[@]}"; do
    IFS='|' read -r name header path <<<"$door"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "$BASE$path")
    [ "$code" = 200 ] || { echo "$name answered $code on $path" >&2; exit 1; }
done
for round in $(seq 1 "$ROUNDS"); do
    for door in "${DOORS[@]}"; do
        IFS='|' read -r name header path <<<"$door"
        wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -H "$header" "$BASE$path" |
            awk -v label="$name" '/Requests\/sec/ {print label, $2} /Non-2xx/ {print "ERRORS", label, $0}'
    done
done | tee "$WORK/results.txt"
if grep -q ERRORS "$WORK/results.txt"; then echo "some requests failed" >&2; exit 1; fi
awk '{sum[$1] += $2; n[$1]++}
    END {
        native = sum["native"] / n["native"]
        printf "\n%-11s %10s %9s\n", "door", "req/s", "÷ native"
        split("native stiply ignisign auco okdokument acronis", order, " ")
        for (i = 1; i <= 6; i++) { v = order[i]; m = sum[v] / n[v]
            printf "%-11s %10.0f %9.2f\n", v, m, m / native }
    }' "$WORK/results.txt"
