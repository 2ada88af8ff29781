"""Benchmark a long streamed run: `juncture simulate` on 10^7 samples of the Venezuela scenario.

Runs the command (`model.cli.main`, as `juncture simulate FILE --samples N --json --quiet`) in a
child process and reads that process's own high-water mark of resident memory
(`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` after it exits: the parent's modules do not
count). The command streams above 1,000,000 samples (`model.analysis.streaming`), so its memory
should not grow with N: the script runs a short reference first (--small, default 200,000
samples, `--stream`) and prints both peaks.

Target (issue 14, part 5): 10^7 samples in under 1 GB peak. Missing it is not an error: the
script prints FAIL and exits 0. Wall times depend on the load (printed); with --workers N the
samples run on a local Dask cluster of N worker processes (their memory is not counted here:
each holds one task at a time).

    python benchmarks/bench_stream.py [--file F] [--samples N] [--small M] [--workers W]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 1024.0

CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from model.cli import main
t0, c0 = time.perf_counter(), time.process_time()
with open({out!r}, "w") as f:
    sys.stdout = f
    code = main({argv!r})
sys.stdout = sys.__stdout__
print(code, time.perf_counter() - t0, time.process_time() - c0)
"""


def run(file: str, n: int, workers: int | None, stream: bool, out: Path) -> tuple[float, float, float]:
    """(peak MB, wall s, CPU s) of `juncture simulate FILE --samples n --json --quiet` in a child."""
    argv = ["simulate", file, "--samples", str(n), "--json", "--quiet"] + (["--stream"] if stream else [])
    if workers:
        argv += ["--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), out=str(out), argv=argv)],
                         capture_output=True, text=True, check=False)
    if res.returncode != 0 or not res.stdout.strip().startswith("0 "):
        sys.exit(f"the command failed:\n{res.stdout}\n{res.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        print("  (note: this child's peak is at or below an earlier child's; the figure is that earlier peak)")
    _, wall, cpu = res.stdout.split()
    return peak / 1024.0, float(wall), float(cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", default=str(ROOT / "scenarios" / "venezuela.yaml"))
    ap.add_argument("--samples", type=int, default=10_000_000)
    ap.add_argument("--small", type=int, default=200_000, help="the reference run, streamed (0: skip it)")
    ap.add_argument("--workers", type=int, help="run on a local Dask cluster of this many workers")
    a = ap.parse_args()
    print(f"{datetime.date.today()}  Python {platform.python_version()}  {platform.machine()}  "
          f"{os.cpu_count()} cores  load average {os.getloadavg()[0]:.1f}")
    print(f"file {a.file}; workers: {a.workers or 'none (one process)'}")
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_stream_{os.getpid()}.json"
    # the small run first: RUSAGE_CHILDREN keeps the largest peak of all children so far
    if a.small:
        mb, wall, cpu = run(a.file, a.small, a.workers, True, out)
        print(f"{a.small:>12,} samples (streamed):  peak {mb:7.0f} MB   {wall:8.1f} s wall  {cpu:8.1f} s CPU")
    t0 = time.perf_counter()
    mb, wall, cpu = run(a.file, a.samples, a.workers, True, out)
    print(f"{a.samples:>12,} samples (streamed):  peak {mb:7.0f} MB   {wall:8.1f} s wall  {cpu:8.1f} s CPU "
          f"({a.samples / (time.perf_counter() - t0):,.0f} samples/s)")
    result = json.loads(out.read_text())
    out.unlink()
    best = max(result["options"], key=lambda o: result["options"][o]["p_best"])
    print(f"  check: {result['samples']:,} samples, streamed {result['streamed']}; P(best) of {best} "
          f"{result['options'][best]['p_best']:.4f} +- {result['options'][best]['p_best_se']:.1g}")
    print(f"under {TARGET_MB:.0f} MB peak: {'PASS' if mb < TARGET_MB else 'FAIL'} ({mb:.0f} MB)")


if __name__ == "__main__":
    main()
