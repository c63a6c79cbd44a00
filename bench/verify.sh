#!/usr/bin/env bash
# `signet verify` against `pyhanko sign validate` on the same files (hyperfine), and the
# in-process verifier (criterion). Inputs: the 10-page and ~5 MB PDFs of bench/run.sh, sealed
# by `signet sign` at B-B and B-LTA with a throwaway instance. Both verifiers trust exactly the
# instance root (`--trust`); pyHanko is told not to fetch revocation data (the files carry it,
# and its CRL URL points at a server that is not running).
#
#   bench/verify.sh        (~3 minutes after the release build)
#
# Knobs: BENCH_RUNS [15], BENCH_WARMUP [3], SIGNET_BENCH_VENV [/tmp/venv] (pyHanko),
# CARGO_TARGET_DIR [target-bench], BENCH_CRITERION [1].
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target-bench}
VENV=${SIGNET_BENCH_VENV:-/tmp/venv}
RUNS=${BENCH_RUNS:-15}
WARMUP=${BENCH_WARMUP:-3}
REL=$CARGO_TARGET_DIR/release
WORK=$(mktemp -d "${TMPDIR:-/tmp}/signet-verify-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
step() { printf '\n== %s\n' "$*" >&2; }

for tool in hyperfine jq pdfsig openssl "$VENV/bin/pyhanko"; do
    command -v "$tool" >/dev/null || { echo "missing $tool (see bench/run.sh for the setup)" >&2; exit 1; }
done

step "build (release)"
cargo build --release --manifest-path "$ROOT/Cargo.toml" -p signet-server --bin signet \
    -p signet-pdf --example make_bench_pdfs
SIGNET=$REL/signet

step "inputs, sealed by signet sign at B-B and B-LTA"
"$REL/examples/make_bench_pdfs" "$WORK" >&2
export SIGNET_DATA_DIR=$WORK/data SIGNET_LOG=error
for f in ten big5mb; do
    for level in B-B B-LTA; do
        "$SIGNET" sign "$WORK/$f.pdf" --out "$WORK/$f-$level.pdf" --level "$level" >/dev/null
    done
done
# The instance root: the self-signed certificate among those the seal carries.
(cd "$WORK" && pdfsig -dump ten-B-B.pdf >/dev/null)
openssl pkcs7 -inform DER -in "$WORK/ten-B-B.pdf.sig0" -print_certs |
    awk '/^subject=.*Root CA/{keep=1} keep{print} /END CERTIFICATE/{if(keep) exit}' | sed '/^subject=\|^issuer=/d' >"$WORK/root.pem"
grep -q "BEGIN CERTIFICATE" "$WORK/root.pem"

step "sanity: both verifiers accept every file"
for f in ten big5mb; do
    for level in B-B B-LTA; do
        "$SIGNET" verify --trust "$WORK/root.pem" "$WORK/$f-$level.pdf" >/dev/null
        "$VENV/bin/pyhanko" sign validate --no-revocation-check --executive-summary \
            --trust "$WORK/root.pem" --trust-replace "$WORK/$f-$level.pdf" >/dev/null
    done
done

step "hyperfine ($WARMUP warm-ups + $RUNS runs each)"
for f in ten big5mb; do
    for level in B-B B-LTA; do
        file=$WORK/$f-$level.pdf
        hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/hf-$f-$level.json" \
            -n sha256sum "sha256sum $file" \
            -n signet "$SIGNET verify --trust $WORK/root.pem $file" \
            -n pyhanko "$VENV/bin/pyhanko sign validate --no-revocation-check --executive-summary --trust $WORK/root.pem --trust-replace $file" \
            >&2
        jq -r --arg f "$f" --arg l "$level" --arg size "$(stat -c %s "$file")" '
            [.results[] | {(.command): (.median * 1000)}] | add as $m
            | "\($f) \($l) \($size) B: sha256sum \($m.sha256sum | . * 100 | round / 100) ms, signet \($m.signet | . * 100 | round / 100) ms, pyhanko \($m.pyhanko | . * 10 | round / 10) ms, pyhanko/signet \($m.pyhanko / $m.signet | . * 10 | round / 10)x, signet/sha256sum \($m.signet / $m.sha256sum | . * 100 | round / 100)x"' \
            "$WORK/hf-$f-$level.json"
    done
done

if [ "${BENCH_CRITERION:-1}" = 1 ]; then
    step "criterion: verify in-process"
    cargo bench --manifest-path "$ROOT/Cargo.toml" -p signet-pdf --bench engine -- verify \
        --warm-up-time 2 --measurement-time 5 --noplot 2>&1 | grep -E "^verify|time:" 
fi
