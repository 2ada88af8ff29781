"""Where the blocks of a long run execute: here, one after another, or as tasks on a Dask cluster.

An analysis that draws many samples splits them into tasks (a block of `sampling.BLOCK` samples,
or a fixed group of blocks) and writes one pure function `fn(shared, k)` that computes task k from
what every task shares (the compiled model and the run's settings). `map_blocks` yields
`(k, fn(shared, k))` for every task in task order, wherever it ran, so a caller that folds the
results as they come (sums, counts, histograms) gets the same floating-point answer bit for bit
with no cluster, 2 workers or 200: the draws of block k depend on the seed and k alone
(`sampling.draw_block`) and the fold runs in one fixed order.

Wiring an analysis to it (give the analysis a `client=None` parameter and pass it on):

- draws from the file's distributions (explore, Monte Carlo): `montecarlo.simulate(model, n,
  seed=seed, keep_theta=True, client=client)` gives theta[S, P] and the per-sample utilities;
- its own parameter vectors (a Saltelli matrix for Sobol indices, a design): `u, ce, best =
  montecarlo.evaluate_rows(model, theta, client=client)` in place of `evaluate(model, theta)`;
- anything else: one call in place of the loop over blocks,

      total = None
      for k, part in map_blocks(one_task, (model, n, seed), n_tasks, client=client):
          total = part if total is None else total.merge(part)     # or put part in its rows

  with `one_task(shared, k)` a module-level function (a Dask worker imports it by name).

Commands get `client` from `connect(workers, scheduler)` (`commands._common.cluster(args)` reads
--workers and --scheduler: `add_cluster_arguments(parser)` adds them).

Memory: here, one task's result at a time besides the caller's fold. On a cluster the shared
object is sent once to each worker (`Client.scatter`), at most `window` tasks are in flight, and
each worker holds only the tasks it runs: memory per worker is bounded by the task size.

Dask is optional (`pip install 'juncture[distributed]'`); nothing here imports it until a
cluster is asked for.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

INSTALL = "pip install 'juncture[distributed]' (in a clone: pip install -e '.[distributed]')"
"""How to install Dask for juncture, said wherever workers are asked for without it."""


BATCH_SYSTEMS = {"slurm": "SLURMCluster", "pbs": "PBSCluster", "sge": "SGECluster", "lsf": "LSFCluster",
                 "htcondor": "HTCondorCluster", "moab": "MoabCluster", "oar": "OARCluster"}
"""Batch systems dask-jobqueue submits workers to, by the name `connect(scheduler=...)` takes."""


class ClusterError(Exception):
    """A cluster that cannot be used: no Dask, a scheduler out of reach, workers that differ."""


class DaskMissing(ClusterError):
    """Dask (its `distributed` package) is not installed here."""


def dask_available() -> bool:
    """Whether `dask.distributed` can be imported here (it is imported to find out: call this only
    when a cluster is asked for)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def map_blocks(fn: Callable[[Any, int], Any], shared: Any, tasks: int | Iterable[int], *,
               client: Any = None, window: int | None = None) -> Iterator[tuple[int, Any]]:
    """Yield (k, fn(shared, k)) for each task k (range(tasks) when an int), in the order given.

    client: a `dask.distributed.Client` to run the tasks on (None: here, one at a time, each
        computed only when the caller asks for the next). On a cluster `shared` is scattered to
        every worker once; tasks are submitted ahead, at most `window` in flight (default: twice
        the cluster's threads), and their results are taken in task order.
    fn must be pure (same arguments, same result) and, for a cluster, a module-level function.
    An exception raised by a task is raised here.
    """
    ks = list(range(tasks)) if isinstance(tasks, int) else list(tasks)
    if client is None:
        for k in ks:
            yield k, fn(shared, k)
        return
    width = window or max(2 * sum(client.nthreads().values()), 2)
    data = client.scatter(shared, broadcast=True, hash=False)
    pending: dict[int, Any] = {}
    nxt = 0
    try:
        for pos, k in enumerate(ks):
            while nxt < len(ks) and nxt < pos + width:
                pending[nxt] = client.submit(fn, data, ks[nxt], pure=False)
                nxt += 1
            fut = pending.pop(pos)
            result = fut.result()
            fut.release()
            yield k, result
    finally:
        for fut in pending.values():
            fut.cancel()
        try:
            client.cancel([data])
        except Exception:  # pragma: no cover - a cluster already gone
            pass


def _versions() -> dict[str, str]:
    """juncture's and numpy's versions where this runs (a worker): results are bit-identical to
    a local run only with the same code."""
    import numpy

    from ..version import __version__

    return {"juncture": __version__, "numpy": numpy.__version__}


@contextmanager
def connect(workers: int | None = None, scheduler: str | None = None, *, processes: bool = True,
            check_versions: bool = True) -> Iterator[Any]:
    """A `dask.distributed.Client` for the duration of a `with` block, or None when neither
    `workers` nor `scheduler` is given (then everything runs here).

    workers: start a LocalCluster of that many single-threaded workers in this process
        (separate processes unless processes=False), closed at the end of the block. In a
        script, call this under `if __name__ == "__main__":` (worker processes import the
        main module again).
    scheduler: connect to a running cluster: its address ('tcp://host:8786') or the path of a
        scheduler file (`dask scheduler --scheduler-file FILE`, as batch systems use). Its
        workers must run the same versions of juncture and numpy as here (checked). Or the name
        of a batch system in BATCH_SYSTEMS ('slurm', 'pbs', ...): dask-jobqueue submits `workers`
        jobs (default 1) with the settings of the Dask configuration (`jobqueue.slurm:` ... in
        ~/.config/dask/jobqueue.yaml: queue, account, cores, memory, walltime), and cancels them
        at the end of the block.
    Raises DaskMissing when Dask is not installed, ClusterError when the scheduler cannot be
    reached or its workers differ, ValueError for a bad number of workers or both arguments
    (other than a batch system and its number of jobs).
    """
    if workers is None and scheduler is None:
        yield None
        return
    batch = BATCH_SYSTEMS.get(str(scheduler).lower()) if scheduler is not None else None
    if workers is not None and scheduler is not None and batch is None:
        raise ValueError("connect(): give workers (a local cluster) or scheduler (an existing one), not both; "
                         f"workers goes with a batch system ({', '.join(BATCH_SYSTEMS)}) as its number of jobs")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ValueError(f"connect(): workers must be a positive whole number; got {workers!r}")
    if not dask_available():
        raise DaskMissing(f"Dask is not installed here; to run on workers: {INSTALL}")
    import distributed

    cluster: Any = None
    if batch is not None:
        try:
            import dask_jobqueue
        except ImportError:
            raise ClusterError(f"--scheduler {scheduler} submits workers with dask-jobqueue, which is not installed "
                               "here: pip install dask-jobqueue") from None
        cluster = getattr(dask_jobqueue, batch)()
        cluster.scale(workers or 1)
        client = distributed.Client(cluster)
    elif workers is not None:
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                           dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
        client = distributed.Client(cluster)
    else:
        as_file = str(scheduler).endswith(".json") or os.path.isfile(str(scheduler))
        if as_file and not os.path.isfile(str(scheduler)):
            raise ClusterError(f"no scheduler file {scheduler}: give the file `dask scheduler --scheduler-file FILE` "
                               "writes, or the scheduler's address (tcp://HOST:8786)")
        try:
            client = (distributed.Client(scheduler_file=scheduler, timeout="10s") if as_file
                      else distributed.Client(scheduler, timeout="10s"))
        except (OSError, TimeoutError, ValueError) as e:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({e}); check the address, or "
                               "start one with: dask scheduler") from None
    try:
        if check_versions and cluster is None:
            _check_versions(client)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _check_versions(client: Any) -> None:
    here = _versions()
    try:
        there = client.run(_versions)
    except ModuleNotFoundError:
        raise ClusterError(f"the cluster's workers cannot import juncture: install juncture {here['juncture']} "
                           f"on them (and numpy {here['numpy']})") from None
    if not there:
        raise ClusterError("the cluster has no workers yet: start some (dask worker ADDRESS) and run again")
    for addr, v in there.items():
        if v != here:
            raise ClusterError(f"the worker at {addr} runs juncture {v['juncture']} with numpy {v['numpy']}; here: "
                               f"juncture {here['juncture']} with numpy {here['numpy']}. Install the same versions "
                               "on every worker (results are identical only with the same code)")

