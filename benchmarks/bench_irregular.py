"""Benchmark `evaluate` on trees that do not merge: ~10,000 leaves, 6 criteria, every path its own.

Two seeded trees from `irregular.py` (its module doc says how they are built): the explicit
`tree` form (leaves at depth 3-5, 2-12 branches, later decisions, payoffs and probabilities
drawn per node) and the events form (four events of 2, 12, 7 and 6 states, each event's table
depending on the option and every earlier event). Exponential utility (R = 0.3 in value score)
by default, so that `evaluate` rolls the whole tree back.

Measured in one run, on the same tree and the same parameter samples:

* `evaluate(model, theta)` over all S samples (best of --repeat; the plans, built once per model,
  are built by an untimed first call whose time is printed);
* a straightforward recursive Python rollback over the generated tree, one sample at a time, on
  --loop-samples samples, extrapolated to S;
* a bare numpy kernel of the same arithmetic (`irregular.Kernel`: payoffs, path sums, utilities,
  probability-weighted sums and maxima level by level; no ties, flows, expected consequences
  or risks), at a few block sizes, the fastest kept: the floor.

Both baselines are checked against `evaluate` (option utilities equal to 1e-9); a mismatch is
an AssertionError. Missing a speed target is not an error: the script prints FAIL and exits 0.
The load average (os.getloadavg) is printed before and after each tree: the machine's 2 cores
may be shared, and wall times then exceed CPU times.

    python benchmarks/bench_irregular.py [--form explicit|events|both] [--samples S] [--leaves N]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import model as juncture  # noqa: E402
import model.evaluate as evaluate_module  # noqa: E402
from model.compile import compile_scenario  # noqa: E402
from model.evaluate import evaluate  # noqa: E402

from bench_evaluate import best_of, draw_theta, maxrss_mb, model_revision  # noqa: E402
from irregular import Kernel, events_tree, explicit_tree, identical_subtrees, loop_utilities  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_VS_LOOP = 100.0
TARGET_VS_KERNEL = 2.0
CHECK_TOL = 1e-9
KERNEL_BLOCKS = (1 << 18, 1 << 20, 1 << 22)   # cells per block of the kernel's [nodes, samples] arrays


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_case(args: argparse.Namespace, form: str) -> list[tuple[str, str, bool]]:
    """Generate, compile, sample, time and check one tree; print its table; return the targets."""
    rt = None if args.risk_neutral else args.risk_tolerance
    t0 = time.perf_counter()
    g = (explicit_tree(leaves=args.leaves, risk_tolerance=rt) if form == "explicit"
         else events_tree(leaves=args.leaves, risk_tolerance=rt))
    m = compile_scenario(juncture.loads(g.text, file=f"<irregular {form}>"))
    t_build = time.perf_counter() - t0
    assert m.tree.n == g.n_nodes, "the compiled tree is not the generated one"
    theta = draw_theta(m, args.samples)
    S, P = theta.shape
    dup, inner = identical_subtrees(m, g.root)
    utility = "risk-neutral" if rt is None else f"exponential utility, R = {rt:g}"
    depth = [b - a for a, b in m.tree.levels]
    print(f"== {form} form, {utility} ==   load average {load()}")
    print(f"tree: {g.n_leaves:,} leaves, {g.n_nodes:,} nodes, nodes per depth {depth}, "
          f"{len(m.options)} options, {g.n_decisions} later decisions, {len(m.criteria)} criteria, "
          f"{P} parameters, {len(m.entry_param):,} probability entries, {len(m.pay_param):,} payoff entries")
    print(f"      {dup} of {inner:,} subtrees with children identical to another; YAML {len(g.text) / 1e6:.2f} MB, "
          f"generate + load + compile {t_build:.1f} s")
    print(f"samples: S = {S:,} (theta {theta.nbytes / 2**20:.0f} MiB)")

    t1 = time.perf_counter()
    evaluate(m, theta[:1])
    t_first = time.perf_counter() - t1
    t_eval, c_eval, ev = best_of(lambda: evaluate(m, theta), args.repeat)
    u_eval = ev.utility
    plan = "merged" if evaluate_module.merged_plan(m) is not None else "full"
    del ev
    traced = None
    if not args.no_tracemalloc:
        gc.collect()
        tracemalloc.start()
        evaluate(m, theta)
        traced = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    rss_eval = maxrss_mb()

    kernels = []
    for cells in KERNEL_BLOCKS:
        kern = Kernel(m, g.root, chunk_cells=cells)
        kernels.append((*best_of(lambda: kern.run(theta), args.repeat), cells, kern.chunk))
    t_kern, c_kern, u_kern, cells, chunk = min(kernels, key=lambda k: k[0])
    err_kern = max(np.abs(k[2] - u_eval).max() for k in kernels)
    assert err_kern <= CHECK_TOL, f"kernel and evaluate disagree by {err_kern:.3g}"

    K = min(args.loop_samples, S)
    rows = [theta[i].tolist() for i in range(K)]
    c1, t1 = time.process_time(), time.perf_counter()
    u_loop = np.array([loop_utilities(m, g.root, th) for th in rows])
    t_loop_k, c_loop_k = time.perf_counter() - t1, time.process_time() - c1
    err_loop = np.abs(u_loop - u_eval[:K]).max()
    assert err_loop <= CHECK_TOL, f"Python loop and evaluate disagree by {err_loop:.3g}"
    t_loop, c_loop = t_loop_k * S / K, c_loop_k * S / K

    vs_loop, vs_kern = t_loop / t_eval, t_eval / t_kern
    print()
    print(f"{'':40}{'wall s':>10}{'CPU s':>10}{'wall per sample':>18}")

    def row(name: str, wall: float, cpu: float, per: str) -> None:
        print(f"{name:40}{wall:10.3f}{cpu:10.3f}{per:>18}")

    row(f"evaluate (best of {args.repeat}; {plan} plan)", t_eval, c_eval, f"{t_eval / S * 1e6:.1f} us")
    row(f"bare numpy kernel (best of {len(KERNEL_BLOCKS)} blocks)", t_kern, c_kern, f"{t_kern / S * 1e6:.1f} us")
    row(f"Python loop (EXTRAPOLATED x{S / K:.0f})", t_loop, c_loop, f"{t_loop / S * 1e3:.2f} ms")
    print(f"{'':40}[the loop measured {t_loop_k:.2f} s on {K} samples; the kernel's best block "
          f"{chunk} samples]")
    print(f"  first call (builds the plans once per model): {t_first:.2f} s")
    print(f"  loop / evaluate {vs_loop:.0f}x (CPU {c_loop / c_eval:.0f}x)    evaluate / kernel {vs_kern:.2f}x "
          f"(CPU {c_eval / c_kern:.2f}x)")
    print(f"checks: kernel vs evaluate max |diff| {err_kern:.1e} over {S:,} samples; loop vs evaluate "
          f"{err_loop:.1e} over {K} samples (tolerance {CHECK_TOL:g})")
    print(f"peak RSS of the process (ru_maxrss) {rss_eval:.0f} MiB after evaluate, {maxrss_mb():.0f} MiB at the end"
          + (f"; tracemalloc peak of one evaluate call {traced:.0f} MiB" if traced is not None else ""))
    results = [
        (f"whole batch < {TARGET_SECONDS:g} s", f"{t_eval:.3f} s", t_eval < TARGET_SECONDS),
        (f">= {TARGET_VS_LOOP:g}x the Python loop", f"{vs_loop:.0f}x", vs_loop >= TARGET_VS_LOOP),
        (f"<= {TARGET_VS_KERNEL:g}x the bare kernel", f"{vs_kern:.2f}x", vs_kern <= TARGET_VS_KERNEL),
    ]
    for name, got, ok in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {name:28} {got}")
    print(f"  load average after: {load()}")
    print()
    return [(f"{form}: {name}", got, ok) for name, got, ok in results]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--form", choices=("explicit", "events", "both"), default="both",
                    help="the explicit tree form, the events form, or both (default)")
    ap.add_argument("--leaves", type=int, default=10_000, help="about this many leaves (default 10000)")
    ap.add_argument("--samples", type=int, default=10_000, help="parameter samples S (default 10000)")
    ap.add_argument("--loop-samples", type=int, default=10,
                    help="samples run through the Python loop, extrapolated to S (default 10)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the best is kept (default 3)")
    ap.add_argument("--risk-tolerance", type=float, default=0.3,
                    help="R of the exponential utility, in value score (default 0.3)")
    ap.add_argument("--risk-neutral", action="store_true", help="no utility function instead")
    ap.add_argument("--threads", type=int, default=None,
                    help="threads evaluate uses for blocks of samples (default: its THREADS, "
                         f"{evaluate_module.THREADS} here)")
    ap.add_argument("--no-tracemalloc", action="store_true", help="skip the traced evaluate run")
    args = ap.parse_args(argv)
    if args.threads is not None:
        evaluate_module.THREADS = args.threads

    print(f"Juncture irregular-tree benchmark  {datetime.date.today()}  Python {platform.python_version()}  "
          f"numpy {np.__version__}  {os.cpu_count()} CPUs  {platform.machine()}  model/ at {model_revision()}  "
          f"evaluate threads {evaluate_module.THREADS}")
    print(f"load average at start: {load()} (other processes on the machine slow the wall times; "
          "CPU times are less affected)")
    print()
    forms = ("explicit", "events") if args.form == "both" else (args.form,)
    results = [r for f in forms for r in run_case(args, f)]
    failed = [f"{name} ({got})" for name, got, ok in results if not ok]
    print(f"load average at end: {load()}")
    print("all targets met" if not failed else "TARGETS MISSED:\n  " + "\n  ".join(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
