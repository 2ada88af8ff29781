"""Benchmark `model.evaluate.evaluate` on a synthetic tree of ~10,000 leaves and 6 criteria.

Measured in one run, on the same tree and the same parameter samples:

* `evaluate(model, theta)` over all S samples (best of --repeat);
* a straightforward recursive Python rollback over a nested tree, one sample at a time, run on
  --loop-samples samples and extrapolated to S;
* a minimal hand-written numpy kernel on the regular shape [S, O, K, ..., K] (reshape and reduce
  level by level): the practical floor. Two variants are timed: "per-criterion" gathers the
  path-summed consequences [S, O, K, ..., K, C] and scores them criterion by criterion;
  "scalar" first folds weights and linear value functions into one number per node (the same
  arithmetic `evaluate` uses for linear value functions). The faster of the two is the floor.

The tree is built as YAML text in the events form (options, then events whose probability
tables depend on the option), loaded with `model.loads` and compiled with `compile_scenario`.
By default two scenarios are run that differ only in `utility:`: risk-neutral (the issue's case;
with only the root deciding, `evaluate` takes expected utility from the expected consequences and
does not roll back), and exponential (`--risk-tolerance`, default 0.3), which makes `evaluate`
roll the tree back level by level. `--utility neutral|exponential` runs one of them.

Both baselines are checked against `evaluate` (option utilities equal to 1e-9); a mismatch is
an AssertionError. Missing a speed target is not an error: the script prints FAIL and exits 0.

    python benchmarks/bench_evaluate.py [--leaves N] [--samples S] [--loop-samples K]
    python benchmarks/bench_evaluate.py --shape irregular [...]   # bench_irregular.py: trees that do not merge
"""

from __future__ import annotations

import argparse
import datetime
import gc
import math
import os
import platform
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import model as juncture
from model.compile import CHANCE, TERMINAL, Model, compile_scenario
from model.compile.distributions import ppf
from model.evaluate import evaluate

N_CRITERIA = 6
TARGET_SECONDS = 2.0
TARGET_VS_LOOP = 100.0
TARGET_VS_KERNEL = 2.0
CHECK_TOL = 1e-9


# --------------------------------------------------------------------------------------------
# the synthetic scenario, as YAML text in the events form

def shape_for(leaves: int, n_events: int, n_states: int) -> int:
    """Number of options giving about `leaves` leaves with n_events events of n_states states."""
    return max(1, round(leaves / n_states ** n_events))


def _impact(r: random.Random, i: int) -> str:
    """One uncertain impact: a range or a distribution, so that every sample differs."""
    m = round(r.uniform(-6.0, 6.0), 2)
    form = i % 4
    if form == 0:
        return f"[{m - 1.5:.2f}, {m + 1.5:.2f}]"
    if form == 1:
        return f"{{normal: [{m:.2f}, 0.8]}}"
    if form == 2:
        return f"{{triangular: [{m - 2:.2f}, {m:.2f}, {m + 1:.2f}]}}"
    return f"{{pert: [{m - 1:.2f}, {m:.2f}, {m + 2:.2f}]}}"


def _row(r: random.Random, n_states: int, rest_at: int, salt: int) -> str:
    """One probability row: plain numbers and ranges for all states but one, which is `otherwise`.

    The points add up to about 0.85; the ranges' upper ends can take a row above 1, which
    exercises the scale-down rule of `branch_probabilities`."""
    raw = [r.uniform(0.3, 1.0) for _ in range(n_states - 1)]
    total = sum(raw)
    ps = [round(0.85 * x / total, 3) for x in raw]
    items, j = [], 0
    for k in range(n_states):
        if k == rest_at:
            items.append(f"s{k}: otherwise")
            continue
        p = ps[j]
        if (j + salt) % 2:
            items.append(f"s{k}: [{p * 0.5:.4f}, {p * 1.5:.4f}]")
        else:
            items.append(f"s{k}: {p:.3f}")
        j += 1
    return "{" + ", ".join(items) + "}"


def scenario_yaml(n_options: int, n_events: int, n_states: int, n_criteria: int = N_CRITERIA,
                  seed: int = 1, risk_tolerance: float | None = None) -> str:
    """Every path sums option impacts and one state's impacts per event on all criteria.

    Each event's table depends on the option: one explicit row per option but the last, which
    falls to the "*" row."""
    r = random.Random(seed)
    span = 12.0 * (n_events + 1)  # |impact| stays below ~10: paths stay inside the range
    out = ["scenario: {id: bench-synthetic, title: Synthetic benchmark tree}"]
    if risk_tolerance is not None:
        out.append(f"utility: {{kind: exponential, risk_tolerance: {risk_tolerance:g}}}")
    out.append("criteria:")
    for c in range(n_criteria):
        direction = "max" if c % 2 == 0 else "min"
        lo = round(0.05 + 0.05 * c, 2)
        out.append(f"  - {{id: c{c}, direction: {direction}, range: [{-span:g}, {span:g}], "
                   f"weight: [{lo:.2f}, {lo + 0.2:.2f}]}}")
    out.append("options:")
    for o in range(n_options):
        imp = ", ".join(f"c{c}: {_impact(r, o + c)}" for c in range(n_criteria))
        out.append(f"  - {{id: o{o}, impacts: {{{imp}}}}}")
    out.append("events:")
    for e in range(n_events):
        out += [f"  - id: e{e}", "    depends_on: [option]", "    states:"]
        for k in range(n_states):
            imp = ", ".join(f"c{c}: {_impact(r, e + k + c)}" for c in range(n_criteria))
            out.append(f"      s{k}: {{impacts: {{{imp}}}}}")
        out.append("    probability:")
        rows = [f"o{o}" for o in range(n_options - 1)] + ['"*"']
        for i, row in enumerate(rows):
            out.append(f"      {row}: {_row(r, n_states, (i + e) % n_states, i + e)}")
    return "\n".join(out) + "\n"


def draw_theta(m: Model, n_samples: int, seed: int = 0) -> np.ndarray:
    """theta[S, P]: each parameter drawn through its quantile function from seeded uniforms."""
    rng = np.random.default_rng(seed)
    u = rng.uniform(size=(n_samples, m.n_params))
    theta = np.empty((n_samples, m.n_params))
    for i, n in enumerate(m.params.numbers):
        theta[:, i] = ppf(n, u[:, i])
    return theta


# --------------------------------------------------------------------------------------------
# baseline 1: a straightforward recursive rollback in pure Python, one sample at a time

class Node:
    __slots__ = ("children", "entry", "kind", "pays")

    def __init__(self, kind: int, entry: int, pays: list[tuple[int, int]], children: list[Node]):
        self.kind, self.entry, self.pays, self.children = kind, entry, pays, children


def nested_tree(m: Model) -> Node:
    """The Model's flat arrays as nested Python objects (built once, outside the timing)."""
    t = m.tree
    pays: list[list[tuple[int, int]]] = [[] for _ in range(t.n)]
    for node, crit, par in zip(m.pay_node.tolist(), m.pay_criterion.tolist(), m.pay_param.tolist()):
        pays[node].append((crit, par))
    nodes: list[Node | None] = [None] * t.n
    for i in reversed(range(t.n)):
        fc, nc = int(t.first_child[i]), int(t.n_children[i])
        nodes[i] = Node(int(t.kind[i]), int(t.entry[i]), pays[i], [nodes[j] for j in range(fc, fc + nc)])
    return nodes[0]


def loop_utilities(m: Model, root: Node, th: list[float]) -> list[float]:
    """Option utilities for one sample (linear value functions; exponential utility if any)."""
    # probabilities of the table entries, renormalised per row as in branch_probabilities
    ep = m.entry_param.tolist()
    starts = m.group_start.tolist() + [len(ep)]
    prob = [0.0] * len(ep)
    for g in range(len(starts) - 1):
        idx = range(starts[g], starts[g + 1])
        vals = [max(th[ep[i]], 0.0) if ep[i] >= 0 else 0.0 for i in idx]
        s = sum(vals)
        if s <= 0.0 and not m.group_has_rest[g]:  # every entry drawn at 0: equal probabilities
            vals = [1.0] * len(vals)
            s = float(len(vals))
        if m.group_has_rest[g]:
            scale = 1.0 / s if s > 1.0 else 1.0
        else:
            scale = 1.0 / s if s > 0.0 else 0.0
        for i, v in zip(idx, vals):
            prob[i] = v * scale if ep[i] >= 0 else min(max(1.0 - s, 0.0), 1.0)
    # weights, normalised
    c = len(m.criteria)
    w = [max(th[p], 0.0) for p in m.weight_param.tolist()] if (m.weight_param >= 0).all() else [1.0] * c
    tw = sum(w)
    w = [x / tw for x in w] if tw > 0 else [1.0 / c] * c
    lo, hi = m.ranges[:, 0].tolist(), m.ranges[:, 1].tolist()
    dirs = m.directions.tolist()
    rt = m.risk_tolerance

    def leaf_value(x: list[float]) -> float:
        v = 0.0
        for i in range(c):
            if hi[i] <= lo[i]:
                score = 1.0
            elif dirs[i] > 0:
                score = (x[i] - lo[i]) / (hi[i] - lo[i])
            else:
                score = (hi[i] - x[i]) / (hi[i] - lo[i])
            v += w[i] * score
        return v if rt is None else 1.0 - math.exp(-v / rt)

    def roll(node: Node, path: list[float]) -> float:
        if node.pays:
            path = path[:]
            for crit, par in node.pays:
                path[crit] += th[par]
        if node.kind == TERMINAL:
            return leaf_value(path)
        if node.kind == CHANCE:
            total = 0.0
            for ch in node.children:
                p = prob[ch.entry] if ch.entry >= 0 else 0.0
                total += p * roll(ch, path)
            return total
        return max(roll(ch, path) for ch in node.children)

    zero = [0.0] * c
    return [roll(ch, zero) for ch in root.children]


# --------------------------------------------------------------------------------------------
# baseline 2: the bare numpy kernel on the regular shape [S, O, K, ..., K]

class Kernel:
    """Parameter indices of the regular tree, looked up by name (independently of the Model's
    payoff and entry arrays), and the two kernel variants."""

    def __init__(self, m: Model, n_options: int, n_events: int, n_states: int,
                 chunk_cells: int = 1 << 19, chunk_cells_per_criterion: int = 1 << 21):
        ix = m.params.index
        C = len(m.criteria)
        self.O, self.E, self.K, self.C = n_options, n_events, n_states, C
        self.w_idx = np.array([ix(f"criteria.c{c}.weight") for c in range(C)])
        self.opt_idx = np.array([[ix(f"options.o{o}.impacts.c{c}") for c in range(C)]
                                 for o in range(n_options)])                  # [O, C]
        self.state_idx = np.array([[[ix(f"events.e{e}.states.s{k}.impacts.c{c}") for c in range(C)]
                                    for k in range(n_states)] for e in range(n_events)])   # [E, K, C]
        rows = [f"o{o}" for o in range(n_options - 1)] + ["*"]
        # per event and row: parameter of each state (-1 for otherwise)
        self.prob_idx = np.full((n_events, n_options, n_states), -1)
        for e in range(n_events):
            for i, row in enumerate(rows):
                for k in range(n_states):
                    if k != (i + e) % n_states:
                        self.prob_idx[e, i, k] = ix(f"events.e{e}.probability.{row}.s{k}")
        lo, hi = m.ranges[:, 0], m.ranges[:, 1]
        span = hi - lo
        self.slope = m.directions / span                                       # [C]
        self.offset = np.where(m.directions > 0, -lo / span, hi / span)        # [C]
        self.rt = m.risk_tolerance
        # samples per block: a block holds about this many cells of its largest array (leaf
        # values [s, O, K..K], or leaf consequences [s, O, K..K, C]); the defaults were the
        # fastest of 2**14 .. 2**22 on the 10,000-leaf tree on the 2-core machine of the README
        leaves_per_sample = n_options * n_states ** n_events
        self.chunk = max(1, chunk_cells // leaves_per_sample)
        self.chunk_c = max(1, chunk_cells_per_criterion // (leaves_per_sample * C))

    def probabilities(self, th: np.ndarray) -> list[np.ndarray]:
        """Per event, [s, O, K]: the row of each option, `otherwise` = the rest (scaled if > 1)."""
        out = []
        for e in range(self.E):
            idx = self.prob_idx[e]
            rest = idx < 0
            v = np.clip(th[:, np.where(rest, 0, idx)], 0.0, None)            # [s, O, K]
            v[:, rest] = 0.0
            tot = v.sum(axis=2, keepdims=True)
            v *= np.where(tot > 1.0, 1.0 / tot, 1.0)
            left = np.clip(1.0 - tot, 0.0, 1.0)
            v[:, rest] = np.broadcast_to(left, v.shape)[:, rest]
            out.append(v)
        return out

    def weights(self, th: np.ndarray) -> np.ndarray:
        w = np.clip(th[:, self.w_idx], 0.0, None)
        return w / w.sum(axis=1, keepdims=True)                               # [s, C]

    @staticmethod
    def _expand(x: np.ndarray, pos: int, n_events: int) -> np.ndarray:
        """x[s, K(, C)] -> broadcastable to [s, O, K_1 .. K_E(, C)] along event axis `pos`."""
        s, k = x.shape[:2]
        shape = [s, 1] + [1] * n_events + list(x.shape[2:])
        shape[2 + pos] = k
        return x.reshape(shape)

    def rollback(self, v: np.ndarray, probs: list[np.ndarray]) -> np.ndarray:
        """v[s, O, K..K] leaf values -> [s, O] expected utilities, probability-weighted sums level
        by level (the utility of a leaf is its value, or 1 - exp(-value / R))."""
        s = v.shape[0]
        if self.rt is not None:
            v = -np.expm1(v * (-1.0 / self.rt))
        for e in reversed(range(self.E)):
            p = probs[e].reshape((s, self.O) + (1,) * e + (self.K,))
            v = (v * p).sum(axis=-1)
        return v

    def scalar_block(self, th: np.ndarray) -> np.ndarray:
        """One number per node: a_c = w_c * direction_c / span_c, node value = sum_c a_c x_c."""
        w = self.weights(th)
        a = w * self.slope                                                    # [s, C]
        b = (w * self.offset).sum(axis=1)                                     # [s]
        v = np.einsum("soc,sc->so", th[:, self.opt_idx], a) + b[:, None]
        v = v.reshape(v.shape + (1,) * self.E)
        for e in range(self.E):
            ve = np.einsum("skc,sc->sk", th[:, self.state_idx[e]], a)        # [s, K]
            v = v + self._expand(ve, e, self.E)
        return self.rollback(v, self.probabilities(th))

    def criteria_block(self, th: np.ndarray) -> np.ndarray:
        """Path-summed consequences [s, O, K..K, C], value-scored and weighted, then rolled back."""
        w = self.weights(th)
        s = th.shape[0]
        x = th[:, self.opt_idx].reshape((s, self.O) + (1,) * self.E + (self.C,))
        for e in range(self.E):
            x = x + self._expand(th[:, self.state_idx[e]], e, self.E)
        score = x * self.slope + self.offset                                  # linear value scores
        v = (score * w.reshape((s, 1) + (1,) * self.E + (self.C,))).sum(axis=-1)
        return self.rollback(v, self.probabilities(th))

    def run(self, theta: np.ndarray, per_criterion: bool = False) -> np.ndarray:
        f = self.criteria_block if per_criterion else self.scalar_block
        chunk = self.chunk_c if per_criterion else self.chunk
        return np.concatenate([f(theta[i:i + chunk]) for i in range(0, theta.shape[0], chunk)])


# --------------------------------------------------------------------------------------------

def best_of(fn, repeat: int) -> tuple[float, float, object]:
    """Wall time (perf_counter) of the fastest of `repeat` runs, that run's CPU time
    (process_time; below the wall time when other processes take the cores), and the result."""
    best, cpu, out = math.inf, math.inf, None
    for _ in range(repeat):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        wall, used = time.perf_counter() - t0, time.process_time() - c0
        if wall < best:
            best, cpu = wall, used
    return best, cpu, out


def model_revision() -> str:
    """The commit the `model` package was measured at, and whether tracked files of model/ differ."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "model"],
                               cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    return head + (" +uncommitted changes" if dirty else "")


def maxrss_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024.0 if sys.platform != "darwin" else r / 2 ** 20


def run_case(args: argparse.Namespace, risk_tolerance: float | None) -> list[tuple[str, str, bool]]:
    """Build, sample, time and check one scenario; print its table; return the target results."""
    n_options = shape_for(args.leaves, args.events, args.states)
    t0 = time.perf_counter()
    text = scenario_yaml(n_options, args.events, args.states, risk_tolerance=risk_tolerance)
    m = compile_scenario(juncture.loads(text, file="<synthetic>"))
    t_build = time.perf_counter() - t0
    t = m.tree
    assert all(k == "linear" for k in m.value_kind) and not m.raw_value
    theta = draw_theta(m, args.samples)
    S, P = theta.shape
    n_leaves = len(t.leaves)

    utility = "risk-neutral" if m.risk_tolerance is None else f"exponential utility, R = {m.risk_tolerance:g}"
    print(f"== {utility} ==")
    print(f"tree: {n_options} options x {args.events} events x {args.states} states = {n_leaves:,} leaves, "
          f"{t.n:,} nodes, {len(m.criteria)} criteria, {P} parameters, {len(m.entry_param)} probability "
          f"entries, {len(m.pay_param):,} payoff entries; loads+compile {t_build:.2f} s")
    print(f"samples: S = {S:,} (theta {theta.nbytes / 2**20:.0f} MiB)")
    rss0 = maxrss_mb()

    # evaluate
    t_eval, c_eval, ev = best_of(lambda: evaluate(m, theta), args.repeat)
    u_eval = ev.utility
    rss_eval = maxrss_mb()
    del ev
    traced = None
    if not args.no_tracemalloc:
        gc.collect()
        tracemalloc.start()
        evaluate(m, theta)
        traced = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()

    # the same on the full tree, without merging identical subtrees (the rollback itself)
    import model.evaluate as evaluate_module

    evaluate_module.MERGE = False
    try:
        t_full, c_full, ev_full = best_of(lambda: evaluate(m, theta), args.repeat)
        err_full = np.abs(ev_full.utility - u_eval).max()
        del ev_full
    finally:
        evaluate_module.MERGE = True
    assert err_full <= CHECK_TOL, f"merged and full-tree evaluate disagree by {err_full:.3g}"

    # bare kernel, both variants
    kern = Kernel(m, n_options, args.events, args.states)
    t_kern, c_kern, u_kern = best_of(lambda: kern.run(theta), args.repeat)
    t_kern_c, c_kern_c, u_kern_c = best_of(lambda: kern.run(theta, per_criterion=True), args.repeat)
    err_kern = max(np.abs(u_kern - u_eval).max(), np.abs(u_kern_c - u_eval).max())
    assert err_kern <= CHECK_TOL, f"kernel and evaluate disagree by {err_kern:.3g}"
    rss_kern = maxrss_mb()

    # Python loop
    root = nested_tree(m)
    K = min(args.loop_samples, S)
    rows = [theta[i].tolist() for i in range(K)]
    c1, t1 = time.process_time(), time.perf_counter()
    u_loop = np.array([loop_utilities(m, root, th) for th in rows])
    t_loop_k, c_loop_k = time.perf_counter() - t1, time.process_time() - c1
    err_loop = np.abs(u_loop - u_eval[:K]).max()
    assert err_loop <= CHECK_TOL, f"Python loop and evaluate disagree by {err_loop:.3g}"
    t_loop, c_loop = t_loop_k * S / K, c_loop_k * S / K

    floor = min(t_kern, t_kern_c)
    vs_loop, vs_kern = t_loop / t_eval, t_eval / floor
    print()
    def row(name: str, wall: float, cpu: float, per: str) -> None:
        print(f"{name:36}{wall:10.3f}{cpu:10.3f}{per:>18}")

    print(f"{'':36}{'wall s':>10}{'CPU s':>10}{'wall per sample':>18}")
    row(f"evaluate (best of {args.repeat})", t_eval, c_eval, f"{t_eval / S * 1e6:.1f} us")
    row("evaluate on the full tree (no merge)", t_full, c_full, f"{t_full / S * 1e6:.1f} us")
    row("numpy kernel, scalar per node", t_kern, c_kern, f"{t_kern / S * 1e6:.1f} us")
    row("numpy kernel, per criterion", t_kern_c, c_kern_c, f"{t_kern_c / S * 1e6:.1f} us")
    row(f"Python loop (EXTRAPOLATED x{S / K:.0f})", t_loop, c_loop, f"{t_loop / S * 1e3:.2f} ms")
    print(f"{'':36}[the loop measured {t_loop_k:.2f} s on {K} samples]")
    print(f"  loop / evaluate {vs_loop:.0f}x (CPU {c_loop / c_eval:.0f}x)    "
          f"evaluate / kernel {vs_kern:.2f}x "
          f"(CPU {c_eval / min(c_kern, c_kern_c):.2f}x; the faster kernel; {t_eval / t_kern_c:.2f}x the "
          f"per-criterion one)")
    print(f"  full tree: loop / evaluate {t_loop / t_full:.0f}x    evaluate / kernel {t_full / floor:.2f}x "
          "(the rollback over every node, as when node values are kept; not a target)")
    print(f"checks: kernels vs evaluate max |diff| {err_kern:.1e} over {S:,} samples; "
          f"loop vs evaluate {err_loop:.1e} over {K} samples (tolerance {CHECK_TOL:g})")
    print(f"peak RSS of the process (ru_maxrss): {rss0:.0f} MiB after setup, {rss_eval:.0f} MiB after "
          f"evaluate, {rss_kern:.0f} MiB after the kernels, {maxrss_mb():.0f} MiB after the loop")
    if traced is not None:
        print(f"tracemalloc peak during one evaluate call: {traced:.0f} MiB")
    results = [
        (f"whole batch < {TARGET_SECONDS:g} s", f"{t_eval:.3f} s", t_eval < TARGET_SECONDS),
        (f">= {TARGET_VS_LOOP:g}x the Python loop", f"{vs_loop:.0f}x", vs_loop >= TARGET_VS_LOOP),
        (f"<= {TARGET_VS_KERNEL:g}x the bare kernel", f"{vs_kern:.2f}x", vs_kern <= TARGET_VS_KERNEL),
    ]
    for name, got, ok in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {name:28} {got}")
    print()
    return [(f"{utility}: {name}", got, ok) for name, got, ok in results]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    shape = argparse.ArgumentParser(add_help=False)
    shape.add_argument("--shape", choices=("regular", "irregular"), default="regular")
    known, rest = shape.parse_known_args(argv)
    if known.shape == "irregular":  # trees that do not merge: their own script and options
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import bench_irregular

        return bench_irregular.main(rest)
    argv = rest
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="--shape irregular runs bench_irregular.py (trees that do not merge) with "
                                        "the options that follow; see its --help")
    ap.add_argument("--leaves", type=int, default=10_000,
                    help="about this many leaves (default 10000): sets the number of options, at "
                         "least one, so at least STATES**EVENTS leaves")
    ap.add_argument("--samples", type=int, default=10_000, help="parameter samples S (default 10000)")
    ap.add_argument("--loop-samples", type=int, default=20,
                    help="samples run through the Python loop, extrapolated to S (default 20)")
    ap.add_argument("--events", type=int, default=3, help="events per path (default 3)")
    ap.add_argument("--states", type=int, default=10, help="states per event (default 10)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the best is kept (default 3)")
    ap.add_argument("--utility", choices=("neutral", "exponential", "both"), default="both",
                    help="risk-neutral scenario (where evaluate needs no rollback when only the root "
                         "decides), the same with an exponential utility (a full rollback), or both "
                         "(default)")
    ap.add_argument("--risk-tolerance", type=float, default=0.3,
                    help="R of the exponential utility, in value score (default 0.3)")
    ap.add_argument("--no-tracemalloc", action="store_true", help="skip the traced evaluate run")
    args = ap.parse_args(argv)

    print(f"Juncture evaluate benchmark  {datetime.date.today()}  Python {platform.python_version()}  "
          f"numpy {np.__version__}  {os.cpu_count()} CPUs  {platform.machine()}  "
          f"model/ at {model_revision()}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other processes on "
          f"the machine slow the wall times; CPU times are less affected)")
    print()
    cases = {"neutral": [None], "exponential": [args.risk_tolerance],
             "both": [None, args.risk_tolerance]}[args.utility]
    results = [r for rt in cases for r in run_case(args, rt)]
    failed = [f"{name} ({got})" for name, got, ok in results if not ok]
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("all targets met" if not failed else "TARGETS MISSED:\n  " + "\n  ".join(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
