#!/usr/bin/env python3
"""Prints bench/run.sh's results folder as Markdown tables (raw figures and ratios).

    python summary.py RESULTS_DIR
"""
import json
import os
import re
import statistics
import sys

D = sys.argv[1]


def path(name):
    return os.path.join(D, name)


def ms(seconds):
    return f"{seconds * 1000:.1f}"


def duration_ms(text):
    """Rust's Debug form of a Duration (`1.23ms`, `850.1µs`, `1.02s`) in milliseconds."""
    m = re.match(r"([\d.]+)\s*(ns|µs|us|ms|s)$", text.strip())
    if not m:
        return None
    scale = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}[m.group(2)]
    return float(m.group(1)) * scale


def pooled(f):
    """Run times (s) per command over every hyperfine round for input `f`."""
    times, rounds = {}, 0
    for name in sorted(os.listdir(D)):
        if re.match(rf"hyperfine-{f}(-\d+)?\.json$", name):
            rounds += 1
            for r in json.load(open(path(name)))["results"]:
                times.setdefault(r["command"], []).extend(r["times"])
    return times, rounds


def sealing():
    print("### 1. Sealing (whole commands, hyperfine)\n")
    print("| input | size | `sha256sum` (floor) | Signet `seal_file` | `pyhanko sign addsig` | Signet ÷ floor | pyHanko ÷ Signet | `seal_file` start-up + PKI only |")
    print("|---|---|---|---|---|---|---|---|")
    for f, label in [("ten", "10 pages"), ("big5mb", "~5 MB")]:
        times, rounds = pooled(f)
        if not times:
            continue
        med = {c: statistics.median(t) for c, t in times.items()}
        cell = lambda c: (f"{ms(med[c])} ms (min {ms(min(times[c]))}, mean {ms(statistics.mean(times[c]))} "
                          f"± {ms(statistics.stdev(times[c]))}, n={len(times[c])})")
        print(f"| {label} | {sizes.get(f, '')} | {cell('sha256sum')} | {cell('signet')} | {cell('pyhanko')} | "
              f"{med['signet'] / med['sha256sum']:.2f}× | {med['pyhanko'] / med['signet']:.1f}× | "
              f"{ms(med['signet-startup']) + ' ms' if 'signet-startup' in med else '—'} |")
    print(f"\nMedian (min, mean ± σ, runs) over {rounds} hyperfine round(s); ratios use the medians.\n")


def inprocess():
    print("### 1b. Sealing in-process (no process start-up)\n")
    own = {}
    for f in ["ten", "big5mb"]:
        p = path(f"seal_file-{f}.txt")
        if os.path.exists(p):
            values = [v for v in (duration_ms(l) for l in open(p)) if v is not None]
            if values:
                own[f] = statistics.median(values)
    crit = {}
    if os.path.exists(path("criterion.jsonl")):
        for line in open(path("criterion.jsonl")):
            r = json.loads(line)
            crit[r["name"]] = r["median_ns"] / 1e6
    py = {}
    if os.path.exists(path("pyhanko-inproc.jsonl")):
        for line in open(path("pyhanko-inproc.jsonl")):
            r = json.loads(line)
            py[r["file"].removesuffix(".pdf")] = r["median_ms"]
    print("| input | Signet criterion `seal` (memory → sink) | Signet `seal_file` timer (file → file) | pyHanko `sign_pdf` in a loop (memory → memory) | pyHanko ÷ Signet (criterion) |")
    print("|---|---|---|---|---|")
    for f, label, c in [("ten", "10 pages", "seal_10_pages"), ("big5mb", "~5 MB", "seal_5_mb")]:
        cv = crit.get(c)
        pv = py.get(f)
        ratio = f"{pv / cv:.0f}×" if cv and pv else "—"
        print(f"| {label} | {f'{cv:.2f} ms' if cv else '—'} | {f'{own[f]:.2f} ms' if f in own else '—'} | "
              f"{f'{pv:.1f} ms' if pv else '—'} | {ratio} |")
    if crit:
        print(f"\n(criterion `inspect`: 10 pages {crit.get('inspect_10_pages', 0):.2f} ms, "
              f"5 MB {crit.get('inspect_5_mb', 0):.2f} ms)")
    print()


def max_rss_kb(name):
    p = path(name)
    if not os.path.exists(p):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(p).read())
    return int(m.group(1)) if m else None


def elapsed(name):
    m = re.search(r"Elapsed \(wall clock\) time.*: (.*)", open(path(name)).read())
    return m.group(1).strip() if m else "?"


def memory():
    if not os.path.exists(path("big-size.txt")):
        return
    size = int(open(path("big-size.txt")).read())
    print("### 2. Peak memory sealing a large PDF (/usr/bin/time -v)\n")
    print("| command | input bytes | max RSS | RSS ÷ input | wall |")
    print("|---|---|---|---|---|")
    runs = [(f"time-signet-{i}.txt") for i in (1, 2, 3)]
    rss = [max_rss_kb(r) for r in runs if max_rss_kb(r)]
    for r in runs:
        kb = max_rss_kb(r)
        if kb:
            print(f"| Signet `seal_file` ({r[12]}) | {size:,} | {kb * 1024:,} B ({kb / 1024:.1f} MiB) | {kb * 1024 / size:.3f} | {elapsed(r)} |")
    for name, label in [("time-sha256sum.txt", "`sha256sum`"), ("time-pyhanko.txt", "`pyhanko sign addsig`")]:
        kb = max_rss_kb(name)
        if kb:
            print(f"| {label} | {size:,} | {kb * 1024:,} B ({kb / 1024:.1f} MiB) | {kb * 1024 / size:.3f} | {elapsed(name)} |")
    if rss:
        worst = max(rss) * 1024 / size
        print(f"\nWorst Signet run: {worst:.3f}× the input — {'under' if worst < 2 else 'NOT under'} the 2× budget.\n")


def load():
    p = path("load.txt")
    if not os.path.exists(p):
        return
    line = [l for l in open(p) if l.startswith("RESULT ")]
    if not line:
        print("### 3. API story: no RESULT line (see load.txt)\n")
        return
    r = json.loads(line[-1][len("RESULT "):])
    print("### 3. API story on SQLite vs the HTTP floor\n")
    print("| round | envelopes | envelopes/s | floor requests/s | floor iterations/s (÷ K) | ratio | server CPU (story) | server CPU (floor) | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for x in r["rounds"]:
        print(f"| {x['round']} | {x['envelopes']} | {x['envelopes_per_s']:.2f} | {x['floor_requests_per_s']:.0f} | "
              f"{x['floor_iterations_per_s']:.1f} | {x['ratio']:.4f} | {x['story_cpu']['server_pct']}% | "
              f"{x['floor_cpu']['server_pct']}% | {x['story_errors'] + x['floor_errors']} |")
    print(f"\nOverall: **{r['envelopes_per_s']:.2f} envelopes/s**; K = {r['requests_per_envelope']:.1f} requests per "
          f"envelope (6 calls + status polls), floor {r['floor_requests_per_s']:.0f} requests/s ÷ K "
          f"= {r['floor_iterations_per_s']:.1f} iterations/s → **ratio {r['ratio']:.4f}** "
          f"(against the 7-request minimum story: floor {r['floor7_iterations_per_s']:.1f}/s, ratio {r['ratio7']:.4f}).\n")
    last = r["rounds"][-1]["steps_ms"]
    print("Per-step latency, last round (ms):\n")
    print("| step | n | mean | p50 | p90 | p99 | max |")
    print("|---|---|---|---|---|---|---|")
    order = ["create", "upload", "signer", "send", "complete", "wait", "download", "total", "poll GET", "floor GET"]
    for name in order:
        s = last.get(name)
        if s:
            print(f"| {name} | {s['n']} | {s['mean']} | {s['p50']} | {s['p90']} | {s['p99']} | {s['max']} |")
    q = r.get("seal_queue_wait_ms")
    if q:
        print(f"| seal queue wait (audit trail) | {q['n']} | {q['mean']} | {q['p50']} | {q['p90']} | {q['p99']} | {q['max']} |")
    jobs = path("seal-job-ms.txt")
    if os.path.exists(jobs):
        v = sorted(int(x) for x in open(jobs) if x.strip())
        if v:
            print(f"| seal job (server log `duration_ms`) | {len(v)} | {statistics.mean(v):.1f} | {v[len(v) // 2]} | "
                  f"{v[int(len(v) * 0.9)]} | {v[min(len(v) - 1, int(len(v) * 0.99))]} | {v[-1]} |")
    if r.get("server_peak_rss_kb"):
        print(f"\nServer peak RSS during the load: {r['server_peak_rss_kb'] / 1024:.0f} MiB.")
    print()


def sweep():
    rows = []
    for name in sorted(os.listdir(D)):
        m = re.match(r"sweep-(\d+)\.txt$", name)
        if not m:
            continue
        line = [l for l in open(path(name)) if l.startswith("RESULT ")]
        if line:
            rows.append((int(m.group(1)), json.loads(line[-1][len("RESULT "):])["rounds"][0]))
    if not rows:
        return
    print("### 3b. Story only, by number of clients\n")
    print("| clients | envelopes/s | create p50 | upload p50 | signer p50 | complete p50 | wait p50 | status GET p50 | server CPU | busiest SQLite thread | tokio threads | machine (all cores) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for c, r in sorted(rows):
        st, cpu = r["steps_ms"], r["story_cpu"]
        sq = cpu["threads"].get("sqlx-sqlite-wor", {})
        tk = {k: v for k, v in cpu["threads"].items() if k.startswith("tokio")}
        tk_pct = sum(v["pct"] for v in tk.values())
        print(f"| {c} | {r['envelopes_per_s']:.1f} | {st['create']['p50']} | {st['upload']['p50']} | {st['signer']['p50']} | "
              f"{st['complete']['p50']} | {st['wait']['p50']} | {st['poll GET']['p50']} | {cpu['server_pct']:.0f}% | "
              f"{sq.get('max_pct', 0):.0f}% | {tk_pct:.0f}% | {cpu['machine_pct']:.0f}% |")
    print("\nLatencies in ms; CPU in % of one core (machine: of all cores, other tenants included).\n")
    p = path("perf-stat.csv")
    if os.path.exists(p) and os.path.exists(path("perf-envelopes.txt")):
        n = int(open(path("perf-envelopes.txt")).read())
        counts = {}
        for line in open(p):
            parts = line.strip().split(",")
            if len(parts) > 2 and parts[0].replace(".", "").isdigit():
                counts[parts[2]] = float(parts[0])
        fs = counts.get("syscalls:sys_enter_fsync", 0) + counts.get("syscalls:sys_enter_fdatasync", 0)
        cs = counts.get("context-switches", 0)
        print(f"Server, per envelope (perf stat over {n} envelopes): {fs / n:.1f} fsync/fdatasync calls, "
              f"{cs / n:.0f} context switches.\n")


sizes = {}
if os.path.exists(path("sizes.txt")):
    for line in open(path("sizes.txt")):
        name, size = line.split()
        sizes[name] = f"{int(size):,} B"

print("## Results\n")
if os.path.exists(path("machine.txt")):
    print("```\n" + open(path("machine.txt")).read().strip() + "\n```\n")
sealing()
inprocess()
memory()
load()
sweep()
