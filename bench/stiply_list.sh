#!/usr/bin/env bash
# Stiply's list (GET /stiply/v1.1/sign_requests with sent/canceled/all_signed, $top, $skip) on
# one PostgreSQL account holding many envelopes, timed on two `signet` binaries side by side in
# the same run: a baseline (say, a build of the commit before the filters moved into the
# database) and a candidate. Each binary gets its own fresh database with the same rows, made
# in SQL (envelopes only: 1% canceled, 50% completed, 30% in progress, 19% drafts). Rounds
# alternate the binaries so that a burst of load on the shared machine hits both.
#
#   bench/stiply_list.sh OLD_SIGNET NEW_SIGNET          (needs PostgreSQL: BENCH_PG, psql, jq)
#   BENCH_ENVELOPES=20000 BENCH_ROUNDS=5 bench/stiply_list.sh target-old/debug/signet target/debug/signet
set -euo pipefail

OLD=$1
NEW=$2
N=${BENCH_ENVELOPES:-20000}
ROUNDS=${BENCH_ROUNDS:-5}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/signet-list-bench.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for name in old new; do psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS bench_list_$name" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
command -v jq >/dev/null || apt-get install -y -qq jq >/dev/null
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $N envelopes; load $(cut -d' ' -f1-3 /proc/loadavg)"

# start NAME BINARY PORT: a fresh database with N envelopes and a server on PORT; the account's
# API key goes to $WORK/NAME.key.
start() {
    local name=$1 bin=$2 port=$3 db=$PG/bench_list_$1
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS bench_list_$name" -c "CREATE DATABASE bench_list_$name"
    SIGNET_DATA_DIR=$WORK/$name DATABASE_URL=$db "$bin" migrate >/dev/null 2>&1
    local made
    made=$(SIGNET_DATA_DIR=$WORK/$name DATABASE_URL=$db "$bin" account create --name Bench \
        --email "bench-$name@example.test" --password 'a long bench password' 2>/dev/null)
    psql -q "$db" -v account="$(jq -r .account_id <<<"$made")" -v user="$(jq -r .user_id <<<"$made")" \
        -v n="$N" <<'SQL'
INSERT INTO envelopes (id, account_id, created_by, title, signing_order, status, created_at,
    updated_at, sent_at, finished_at, version)
SELECT (lpad(to_hex(i), 12, '0') || '7000' || '8000' || lpad(to_hex(i), 12, '0'))::uuid,
    :'account', :'user', 'Contract ' || i, 'parallel',
    CASE WHEN i % 100 = 0 THEN 'canceled' WHEN i % 100 < 51 THEN 'completed'
         WHEN i % 100 < 81 THEN 'in_progress' ELSE 'draft' END,
    now(), now(),
    CASE WHEN i % 100 < 81 THEN now() END,
    CASE WHEN i % 100 < 51 THEN now() END, 1
FROM generate_series(1, :n) AS i;
ANALYZE envelopes;
SQL
    SIGNET_DATA_DIR=$WORK/$name DATABASE_URL=$db SIGNET_RATE_API_PER_MIN=0 NO_COLOR=1 RUST_LOG=warn \
        "$bin" serve --no-worker --listen "127.0.0.1:$port" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 200); do
        curl -sf "http://127.0.0.1:$port/api/v1/trust/ca.pem" >/dev/null && break
        sleep 0.1
    done
    jq -r .api_key <<<"$made" >"$WORK/$name.key"
}

start old "$OLD" 18291
start new "$NEW" 18292
OLD_KEY=$(cat "$WORK/old.key")
NEW_KEY=$(cat "$WORK/new.key")
QUERIES=("canceled=1&\$top=100" "all_signed=1&\$top=100" "sent=0&canceled=1" "\$top=100" "\$top=10&\$skip=5000")

# ms PORT KEY QUERY: one request's wall time in milliseconds, after checking it answers 200.
ms() {
    local out
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $2" \
        "http://127.0.0.1:$1/stiply/v1.1/sign_requests?$3")
    [ "${out%% *}" = 200 ] || { echo "HTTP ${out%% *} for $3" >&2; exit 1; }
    awk -v t="${out#* }" 'BEGIN { printf "%.1f", t * 1000 }'
}
count() {
    curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$1/stiply/v1.1/sign_requests?$3" | jq '.data | length'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '| query | items (old / new) | old ms | new ms | new / old |\n|---|---|---|---|---|\n'
for q in "${QUERIES[@]}"; do
    old_times="" new_times=""
    for _ in $(seq 1 "$ROUNDS"); do
        old_times+=" $(ms 18291 "$OLD_KEY" "$q")"
        new_times+=" $(ms 18292 "$NEW_KEY" "$q")"
    done
    o=$(median <<<"$old_times") n=$(median <<<"$new_times")
    printf '| `%s` | %s / %s | %s | %s | %s |\n' "$q" "$(count 18291 "$OLD_KEY" "$q")" \
        "$(count 18292 "$NEW_KEY" "$q")" "$o" "$n" "$(awk -v o="$o" -v n="$n" 'BEGIN { printf "%.2f", n / o }')"
done
echo
echo "plan of the candidate's canceled=1 query:"
psql -q "$PG/bench_list_new" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT * FROM envelopes
    WHERE account_id = (SELECT id FROM accounts LIMIT 1) AND deleted_at IS NULL
    AND status IN ('canceled') AND (sent_at IS NOT NULL) = true ORDER BY id DESC LIMIT 101"
