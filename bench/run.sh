#!/usr/bin/env bash
# Signet's benchmarks, each as a ratio against a baseline run on the same machine in the same run:
#   1. sealing a 10-page and a ~5 MB PDF: Signet vs `sha256sum` (floor) vs `pyhanko sign addsig`
#      (hyperfine), plus in-process figures (criterion vs pyHanko's sign_pdf in a loop);
#   2. peak memory sealing a ~100 MB PDF (/usr/bin/time -v), against its size;
#   3. the whole API story on SQLite with 8 clients vs the HTTP floor (a trivial route), then the
#      story alone at 1..16 clients and, with perf as root, fsyncs/context switches per envelope.
# Inputs are generated into a temporary folder; nothing large is written to the repository.
# docs/benchmarks.md explains the method and records a run.
#
#   bench/run.sh                       everything (~6 minutes on 2 cores after the release build)
#   BENCH_OUT=/some/dir bench/run.sh   also keep the raw results (JSON, logs) there
#
# Knobs (environment, defaults in brackets): BENCH_RUNS [10] runs per hyperfine round,
# BENCH_HF_ROUNDS [3], BENCH_WARMUP [3], BENCH_DURATION [20] seconds per load phase,
# BENCH_ROUNDS [2] floor+story rounds, BENCH_CONCURRENCY [8], BENCH_SWEEP ["1 2 4 8 16"],
# SWEEP_SECONDS [8], BENCH_BIG_MB [100], BENCH_CRITERION [1] (0 skips criterion),
# SIGNET_BENCH_VENV [/tmp/venv] (pyHanko, reportlab, Pillow), CARGO_TARGET_DIR [target-bench].
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target-bench}
VENV=${SIGNET_BENCH_VENV:-/tmp/venv}
RUNS=${BENCH_RUNS:-10}
WARMUP=${BENCH_WARMUP:-3}
HF_ROUNDS=${BENCH_HF_ROUNDS:-3}
DURATION=${BENCH_DURATION:-20}
ROUNDS=${BENCH_ROUNDS:-2}
CONCURRENCY=${BENCH_CONCURRENCY:-8}
BIG_MB=${BENCH_BIG_MB:-100}
CRITERION=${BENCH_CRITERION:-1}
REL=$CARGO_TARGET_DIR/release

WORK=$(mktemp -d "${TMPDIR:-/tmp}/signet-bench.XXXXXX")
OUT=${BENCH_OUT:-$WORK/results}
mkdir -p "$OUT" "$WORK/in" "$WORK/out" "$WORK/pki"
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"   # inputs, outputs, PKI, data folder; results survive only in $BENCH_OUT
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*" >&2; }

step "machine"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | grep -o -w -E 'sha_ni|avx2|avx512f' | tr '\n' ' ')"
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel: $(uname -r)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (work tree modified)')"
    echo "rustc: $(rustc --version)"
} | tee "$OUT/machine.txt" >&2

step "tools"
if ! command -v hyperfine >/dev/null; then
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get install -y hyperfine || { $SUDO apt-get update && $SUDO apt-get install -y hyperfine; }
fi
for tool in hyperfine jq openssl sha256sum /usr/bin/time "$VENV/bin/pyhanko" "$VENV/bin/python"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
{
    echo "hyperfine: $(hyperfine --version)"
    echo "pyhanko: $("$VENV/bin/pyhanko" --version)"
    echo "sha256sum: $(sha256sum --version | head -1)"
} | tee -a "$OUT/machine.txt" >&2

step "build (release)"
cargo build --release --manifest-path "$ROOT/Cargo.toml" \
    -p signet-server --bin signet --example load \
    -p signet-pdf --example seal_file --example make_big_pdf --example make_bench_pdfs
SEAL=$REL/examples/seal_file
SIGNET=$REL/signet
LOAD=$REL/examples/load

step "inputs (in $WORK/in)"
IN=$WORK/in
"$REL/examples/make_bench_pdfs" "$IN" >&2
"$REL/examples/make_big_pdf" "$IN/big${BIG_MB}mb.pdf" "$BIG_MB" >&2
"$VENV/bin/python" "$BENCH/make_contract.py" "$IN/contract.pdf" 200 >&2
for f in ten big5mb contract; do echo "$f $(stat -c %s "$IN/$f.pdf")"; done >"$OUT/sizes.txt"

step "throwaway PKI for pyHanko (ECDSA P-256, like Signet's seal)"
PKI=$WORK/pki
ec() { openssl req "$@" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 2>/dev/null; }
ec -x509 -days 30 -keyout "$PKI/root.key" -out "$PKI/root.pem" -subj "/CN=Bench Root/O=Signet Bench" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
ec -new -keyout "$PKI/signer.key" -out "$PKI/signer.csr" -subj "/CN=Bench Signer/O=Signet Bench"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' >"$PKI/signer.ext"
openssl x509 -req -in "$PKI/signer.csr" -CA "$PKI/root.pem" -CAkey "$PKI/root.key" -CAcreateserial \
    -days 30 -sha256 -extfile "$PKI/signer.ext" -out "$PKI/signer.pem" 2>/dev/null
PYHANKO_SIGN="$VENV/bin/pyhanko sign addsig --field 1/160,700,360,760/Signature1 --use-pades pemder --key $PKI/signer.key --cert $PKI/signer.pem --chain $PKI/root.pem --no-pass"

step "sanity: both signers' outputs validate (so we time working signatures)"
for f in ten big5mb; do
    "$SEAL" "$IN/$f.pdf" "$WORK/out/$f-signet.pdf" "$PKI/signet-root-$f.pem" >&2
    $PYHANKO_SIGN "$IN/$f.pdf" "$WORK/out/$f-pyhanko.pdf"
    "$VENV/bin/pyhanko" sign validate --executive-summary --trust "$PKI/signet-root-$f.pem" --trust-replace "$WORK/out/$f-signet.pdf" >&2
    "$VENV/bin/pyhanko" sign validate --executive-summary --trust "$PKI/root.pem" --trust-replace "$WORK/out/$f-pyhanko.pdf" >&2
done

step "1a. sealing, whole commands (hyperfine: $HF_ROUNDS rounds of $WARMUP warm-ups + $RUNS runs)"
# Several short hyperfine rounds, alternating the inputs, so that a burst of load on a shared
# machine hits all three commands alike; the summary pools the rounds' run times.
for round in $(seq 1 "$HF_ROUNDS"); do
    for f in ten big5mb; do
        # `signet-startup`: seal_file on a missing input fails right after making its throwaway
        # PKI, so it times process start-up + PKI generation alone (hence -i).
        hyperfine -N -i --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/hyperfine-$f-$round.json" \
            -n sha256sum "sha256sum $IN/$f.pdf" \
            -n signet "$SEAL $IN/$f.pdf $WORK/out/$f-signet.pdf" \
            -n signet-startup "$SEAL $WORK/missing.pdf $WORK/out/missing.pdf" \
            -n pyhanko "$PYHANKO_SIGN $IN/$f.pdf $WORK/out/$f-pyhanko.pdf" >&2
    done
done

step "1b. sealing in-process: seal_file's own timer (seal only, no process start or PKI)"
for f in ten big5mb; do
    for _ in $(seq 1 "$RUNS"); do "$SEAL" "$IN/$f.pdf" "$WORK/out/$f-signet.pdf"; done |
        sed -n 's/.* in \(.*\)$/\1/p' >"$OUT/seal_file-$f.txt"
done

step "1c. sealing in-process: criterion (Signet) next to pyHanko's sign_pdf in a loop"
"$VENV/bin/python" "$BENCH/pyhanko_inproc.py" "$PKI/signer.key" "$PKI/signer.pem" "$PKI/root.pem" \
    "$WARMUP" "$RUNS" "$IN/ten.pdf" "$IN/big5mb.pdf" | tee "$OUT/pyhanko-inproc.jsonl" >&2
if [ "$CRITERION" = 1 ]; then
    cargo bench --manifest-path "$ROOT/Cargo.toml" -p signet-pdf --bench engine -- \
        --warm-up-time 2 --measurement-time 5 --noplot 2>&1 | tee "$OUT/criterion.txt" >&2
    for name in seal_10_pages seal_5_mb inspect_10_pages inspect_5_mb; do
        jq -c --arg name "$name" '{name: $name, median_ns: .median.point_estimate, mean_ns: .mean.point_estimate}' \
            "$CARGO_TARGET_DIR/criterion/$name/new/estimates.json"
    done >"$OUT/criterion.jsonl"
fi

step "2. peak memory sealing a ${BIG_MB} MB PDF (/usr/bin/time -v, 3 runs)"
BIG=$IN/big${BIG_MB}mb.pdf
for i in 1 2 3; do
    /usr/bin/time -v "$SEAL" "$BIG" "$WORK/out/big-signet.pdf" 2>"$OUT/time-signet-$i.txt" >&2
done
/usr/bin/time -v sha256sum "$BIG" 2>"$OUT/time-sha256sum.txt" >/dev/null
/usr/bin/time -v $PYHANKO_SIGN "$BIG" "$WORK/out/big-pyhanko.pdf" 2>"$OUT/time-pyhanko.txt" >&2
stat -c %s "$BIG" >"$OUT/big-size.txt"
rm -f "$WORK/out/big-signet.pdf" "$WORK/out/big-pyhanko.pdf"

step "3. API story on SQLite, $CONCURRENCY clients, against the HTTP floor"
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export SIGNET_DATA_DIR=$WORK/data
# The benchmark measures throughput, not the rate limits.
export SIGNET_RATE_API_PER_MIN=0 SIGNET_RATE_SIGNING_PER_MIN=0
NO_COLOR=1 "$SIGNET" serve --listen "127.0.0.1:$PORT" 2>"$OUT/server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/api/v1/trust/ca.pem" >/dev/null && break
    sleep 0.1
done
KEY=$("$SIGNET" account create --name Bench --email bench@example.test --password 'a long bench password' 2>/dev/null | jq -r .api_key)
load() {
    "$LOAD" --base "http://127.0.0.1:$PORT" --key "$KEY" --pdf "$IN/contract.pdf" --server-pid "$SERVER_PID" "$@"
}
load --concurrency "$CONCURRENCY" --duration "$DURATION" --rounds "$ROUNDS" | tee "$OUT/load.txt" >&2
# Seal job durations of this run (warm-up, floor and story phases) from the server's log.
grep -o 'kind="\?seal_envelope"\?.*duration_ms=[0-9]*' "$OUT/server.log" | sed 's/.*duration_ms=//' >"$OUT/seal-job-ms.txt" || true

step "3b. where the time goes: story only at 1..16 clients (${SWEEP_SECONDS:=8} s each)"
for c in ${BENCH_SWEEP:-1 2 4 8 16}; do
    load --concurrency "$c" --duration "$SWEEP_SECONDS" --rounds 1 --no-floor --warmup 4 --sample-events 16 \
        >"$OUT/sweep-$c.txt"
    grep -E '^  story:' "$OUT/sweep-$c.txt" | sed "s/^/  $c clients: /" >&2
done
if command -v perf >/dev/null && [ "$(id -u)" = 0 ]; then
    # fsyncs and context switches per envelope (tracepoint counts; cheap), over a fixed count.
    perf stat -x, -p "$SERVER_PID" -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,context-switches \
        -o "$OUT/perf-stat.csv" &
    PERF_PID=$!
    sleep 0.5
    load --concurrency "$CONCURRENCY" --count 300 --warmup 4 --rounds 1 --no-floor --sample-events 0 >"$OUT/perf-load.txt"
    kill -INT "$PERF_PID"; wait "$PERF_PID" 2>/dev/null || true
    echo 304 >"$OUT/perf-envelopes.txt"
fi
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
du -sk "$WORK/data" | cut -f1 >"$OUT/data-kb.txt"

step "summary"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
"$VENV/bin/python" "$BENCH/summary.py" "$OUT"
[ -z "${BENCH_OUT:-}" ] || echo "raw results in $OUT" >&2
