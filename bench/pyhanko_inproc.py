#!/usr/bin/env python3
"""Times pyHanko's in-process signer (no interpreter start-up): the same visible PAdES B-B
signature `pyhanko sign addsig --field 1/160,700,360,760/Signature1 --use-pades` makes.

    python pyhanko_inproc.py KEY CERT CHAIN WARMUP RUNS IN.pdf [IN2.pdf ...]

Prints one JSON object per input: {"file", "bytes", "runs", "median_ms", "min_ms", "mean_ms"}.
Input is read once; each run signs from memory into memory (like the criterion bench).
"""
import io
import json
import os
import statistics
import sys
import time

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers


def main():
    key, cert, chain, warmup, runs, *inputs = sys.argv[1:]
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,), key_passphrase=None)
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES
    )
    spec = fields.SigFieldSpec("Signature1", on_page=0, box=(160, 700, 360, 760))
    for path in inputs:
        data = open(path, "rb").read()
        times = []
        for i in range(int(warmup) + int(runs)):
            started = time.perf_counter()
            writer = IncrementalPdfFileWriter(io.BytesIO(data))
            out = signers.sign_pdf(writer, meta, signer=signer, new_field_spec=spec)
            took = time.perf_counter() - started
            assert out.getvalue().startswith(data)
            if i >= int(warmup):
                times.append(took * 1000)
        print(json.dumps({
            "file": os.path.basename(path), "bytes": len(data), "runs": len(times),
            "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
            "mean_ms": round(statistics.mean(times), 2),
        }))


if __name__ == "__main__":
    main()
