"""Blocks of samples as tasks on a Dask cluster: the same JSON bit for bit as the run in one process,
whatever the number of workers; without Dask, a message saying how to install it."""

from __future__ import annotations

import json
import sys
import textwrap
from contextlib import contextmanager

import pytest

from model import loads
from model.analysis import blocks, montecarlo, streaming, voi
from model.cli import main
from model.compile import compile_scenario

# a scenario with an option-independent event (so voi has an event to reveal), ranges and a risk
SCENARIO = textwrap.dedent("""\
    scenario: {id: cluster-test, title: Cluster test}
    criteria:
      - {id: cost, unit: USD bn, direction: min, range: [0, 20], weight: [0.3, 0.5]}
      - {id: gain, unit: index, direction: max, range: [0, 10], weight: 0.5}
    options:
      - {id: act, impacts: {cost: [2, 4], gain: 6}}
      - {id: wait, impacts: {cost: 0, gain: [0.5, 1.5]}}
    events:
      - id: market
        states: {up: {impacts: {gain: 2}}, down: {impacts: {gain: -0.5}}}
        probability: {up: [0.4, 0.6], down: otherwise}
      - id: response
        depends_on: [option]
        states: {none: {}, retaliation: {impacts: {cost: {pert: [2, 4, 8]}}}}
        probability:
          act: {retaliation: likely, none: otherwise}
          wait: {retaliation: very unlikely, none: otherwise}
    risks: [{id: retaliation, when: {response: retaliation}}]
""")

N = 3 * 8192 + 17          # four blocks, the last one short


def as_json(result) -> str:
    return json.dumps(result.to_dict(), indent=2, allow_nan=False)


@pytest.fixture(scope="module")
def model():
    return compile_scenario(loads(SCENARIO, "cluster.yaml"))


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("distributed")
    with blocks.connect(2, processes=False) as c:
        assert len(c.nthreads()) == 2
        yield c


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_tasks_come_back_in_task_order(client):
    here = list(blocks.map_blocks(pow, 3, [5, 0, 9, 2]))
    there = list(blocks.map_blocks(pow, 3, [5, 0, 9, 2], client=client, window=2))
    assert here == there == [(5, 243), (0, 1), (9, 19683), (2, 9)]


def test_simulate_and_voi_on_two_workers_give_the_local_json_bit_for_bit(model, client):
    for call in (lambda c: montecarlo.simulate(model, N, seed=7, progress=False, client=c),
                 lambda c: streaming.simulate_streamed(model, N, seed=7, progress=False, client=c),
                 lambda c: voi.value_of_information(model, N, seed=7, progress=False, client=c)):
        assert as_json(call(client)) == as_json(call(None))


def test_rows_of_a_design_evaluated_on_workers_are_evaluate_s(model, client):
    # what Sobol's Saltelli matrix or an experiment design needs: any theta, evaluated in blocks
    import numpy as np

    from model.analysis.sampling import draw
    from model.evaluate import evaluate

    theta = draw(model, N, seed=11)[::-1]              # rows in any order, not the keyed draws
    ev = evaluate(model, theta)
    for c in (None, client):
        u, ce, best = montecarlo.evaluate_rows(model, theta, client=c)
        assert np.array_equal(u, ev.utility) and np.array_equal(ce, ev.certainty_equivalent)
        assert np.array_equal(best, ev.best)


def test_an_existing_cluster_by_its_address(model, client):
    # --scheduler ADDRESS: connect to a running scheduler (here the fixture's), check its workers' versions
    with blocks.connect(scheduler=client.scheduler.address) as c:
        there = streaming.simulate_streamed(model, N, seed=3, progress=False, client=c)
    assert as_json(there) == as_json(streaming.simulate_streamed(model, N, seed=3, progress=False))


def test_commands_take_workers(capsys, tmp_path, monkeypatch, client):
    f = tmp_path / "cluster.yaml"
    f.write_text(SCENARIO)
    real = blocks.connect

    @contextmanager
    def threads(workers=None, scheduler=None, **kw):      # in-process workers: fast to start
        with real(workers, scheduler, processes=False) as c:
            yield c

    monkeypatch.setattr(blocks, "connect", threads)
    for cmd, n in ((["simulate"], N), (["simulate", "--stream"], N), (["voi"], N), (["explore"], N),
                   (["sensitivity", "--kind", "sobol"], 512)):      # Sobol: a power of 2 base samples
        local = run(capsys, *cmd, f, "--samples", n, "--json")
        there = run(capsys, *cmd, f, "--samples", n, "--json", "--workers", 2)
        assert local[0] == there[0] == 0 and there[2] == ""
        assert there[1] == local[1], cmd


def test_workers_apply_to_sobol_only_among_the_sensitivity_kinds(capsys, tmp_path):
    f = tmp_path / "cluster.yaml"
    f.write_text(SCENARIO)
    code, _, err = run(capsys, "sensitivity", f, "--kind", "tornado", "--workers", 2)
    assert code == 2 and "--workers applies to --kind sobol only" in err


def test_workers_in_separate_processes(capsys, tmp_path):
    pytest.importorskip("distributed")
    f = tmp_path / "cluster.yaml"
    f.write_text(SCENARIO)
    local = run(capsys, "simulate", f, "--samples", N, "--json", "--stream")
    there = run(capsys, "simulate", f, "--samples", N, "--json", "--stream", "--workers", 2)
    assert there[0] == 0 and there[1] == local[1] and there[2] == ""


def test_without_dask_workers_run_here_and_say_how_to_install_it(capsys, tmp_path, monkeypatch):
    f = tmp_path / "cluster.yaml"
    f.write_text(SCENARIO)
    monkeypatch.setitem(sys.modules, "distributed", None)       # `import distributed` raises ImportError
    assert not blocks.dask_available()
    local = run(capsys, "simulate", f, "--samples", 1000, "--json")
    code, out, err = run(capsys, "simulate", f, "--samples", 1000, "--json", "--workers", 4)
    assert code == 0 and out == local[1]
    assert "Dask is not installed" in err and "pip install 'juncture[distributed]'" in err
    code, out, err = run(capsys, "voi", f, "--samples", 1000, "--scheduler", "tcp://127.0.0.1:8786")
    assert code == 2 and out == ""
    assert "--scheduler needs Dask" in err and "pip install 'juncture[distributed]'" in err
    with pytest.raises(blocks.DaskMissing, match="pip install 'juncture"):
        with blocks.connect(2):
            pass


def test_bad_cluster_arguments_are_usage_errors(capsys, tmp_path):
    pytest.importorskip("distributed")
    f = tmp_path / "cluster.yaml"
    f.write_text(SCENARIO)
    code, _, err = run(capsys, "simulate", f, "--workers", 0)
    assert code == 2 and "--workers must be 1 or more; got 0" in err
    code, _, err = run(capsys, "simulate", f, "--scheduler", tmp_path / "nowhere.json")
    assert code == 2 and "no scheduler file" in err and "nowhere.json" in err
    code, _, err = run(capsys, "simulate", f, "--workers", 2, "--scheduler", "tcp://x:1")
    assert code == 2 and "not both" in err


def test_a_batch_system_through_dask_jobqueue(model, monkeypatch):
    # --scheduler slurm --workers 2: dask-jobqueue's SLURMCluster(), set up from the Dask config, scaled
    # to 2 workers. Here a stand-in module whose SLURMCluster is a local cluster of threads.
    distributed = pytest.importorskip("distributed")
    made = []

    class SLURMCluster(distributed.LocalCluster):
        def __init__(self):
            super().__init__(n_workers=0, processes=False, dashboard_address="127.0.0.1:0")
            made.append(self)

    monkeypatch.setitem(sys.modules, "dask_jobqueue", type(sys)("dask_jobqueue"))
    sys.modules["dask_jobqueue"].SLURMCluster = SLURMCluster
    with blocks.connect(2, "slurm") as c:
        there = montecarlo.simulate(model, N, seed=2, progress=False, client=c)
        assert len(c.nthreads()) == 2
    assert as_json(there) == as_json(montecarlo.simulate(model, N, seed=2, progress=False))
    assert len(made) == 1 and made[0].status.name == "closed"
    monkeypatch.setitem(sys.modules, "dask_jobqueue", None)
    with pytest.raises(blocks.ClusterError, match="pip install dask-jobqueue"):
        with blocks.connect(2, "pbs"):
            pass
