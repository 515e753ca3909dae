"""The same answers in process and on a real dask cluster: a scheduler and two workers started as separate
processes on 127.0.0.1, reached by address; one test kills a worker mid-run."""

import json
import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from math import comb

import pytest

from verifier.census import run_census
from verifier.instance import Instance
from verifier.landscape import Context
import pickle

from verifier.parallel import ProcessState, Shared, Tasks
from verifier.search import search

INSTANCE = Instance.from_arrays([[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]], [1, -1, 2, Fraction(1, 2), -2],
                                Fraction(1, 50))


def _dask(*args, log):
    return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.fixture
def cluster(tmp_path):
    """{'address', 'workers': [Popen, Popen]}: a scheduler and two single-threaded workers, torn down after."""
    log = (tmp_path / "dask.log").open("w")
    scheduler_file = tmp_path / "scheduler.json"
    processes = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(scheduler_file), log=log)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = [_dask("worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
                         "--name", f"w{k}", log=log) for k in range(2)]
        processes += workers
        from distributed import Client

        with Client(address) as client:
            client.wait_for_workers(2, timeout=60)
        yield {"address": address, "workers": workers}
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _checkpointed(directory, width):
    (path,) = directory.glob(f"census-width-{width}-*.checkpoint.jsonl")
    lines = path.read_text().splitlines()[1:]   # after the header
    return {tuple(r["set"]): (r["class"], r["epsilon"]) for r in map(json.loads, lines)}


def test_tasks_run_in_process_without_a_cluster(monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    tasks = Tasks()
    assert not tasks.distributed and tasks.size == 1
    assert sorted(tasks.map(pow, [2, 3, 4], 2)) == [(0, 4), (1, 9), (2, 16)]
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:1")
    assert Tasks().scheduler == "tcp://127.0.0.1:1" and Tasks(workers=1).scheduler is None


def test_shared_state_is_built_once_per_key_and_the_callers_object_is_never_rebuilt():
    built = []
    state = ProcessState()
    for _ in range(3):
        assert state.get(("test", 1), lambda: built.append(1) or "value") == "value"
    assert built == [1]
    mine = object()
    handle = Shared(("test", 2), list, local=mine)
    assert handle.value() is mine
    shipped = pickle.loads(pickle.dumps(handle))        # what a worker receives: the recipe, not the object
    assert shipped.local is None and shipped.value() == [] and shipped.value() is shipped.value()


def test_census_and_search_on_a_remote_scheduler_match_in_process(cluster, tmp_path, monkeypatch):
    import verifier.census as census_module

    monkeypatch.setattr(census_module, "_IN_PROCESS_FIRST", 0)
    sequential = run_census(Context(INSTANCE, 2), out=tmp_path / "sequential")
    sequential_find = search(2, 1, 1, budget=60, seed=3)
    with Tasks(scheduler=cluster["address"]) as tasks:
        remote = run_census(Context(INSTANCE, 2), out=tmp_path / "remote", tasks=tasks)
        remote_find = search(2, 1, 1, budget=60, seed=3, tasks=tasks)
        assert tasks.size == 2
    assert remote.classes == sequential.classes and sum(remote.classes.values()) > 20
    assert remote.p_contains_global == sequential.p_contains_global
    assert _checkpointed(tmp_path / "remote", 2) == _checkpointed(tmp_path / "sequential", 2)
    assert len(sequential_find) == len(remote_find) == 1
    assert remote_find[0].instance == sequential_find[0].instance and remote_find[0].width == sequential_find[0].width
    assert remote_find[0].document == sequential_find[0].document


def test_a_worker_killed_mid_census_loses_nothing(cluster, tmp_path, monkeypatch):
    import verifier.census as census_module

    monkeypatch.setattr(census_module, "_IN_PROCESS_FIRST", 0)
    sequential = run_census(Context(INSTANCE, 3), out=tmp_path / "sequential")
    killed = []

    def kill_one_worker(done, total):
        if not killed:
            victim = cluster["workers"][0]
            os.killpg(victim.pid, signal.SIGKILL)
            killed.append(victim.wait(timeout=20))

    with Tasks(scheduler=cluster["address"]) as tasks:
        remote = run_census(Context(INSTANCE, 3), out=tmp_path / "remote", tasks=tasks, progress=kill_one_worker)
    assert killed and killed[0] == -signal.SIGKILL
    assert remote.classes == sequential.classes
    assert _checkpointed(tmp_path / "remote", 3) == _checkpointed(tmp_path / "sequential", 3)


def _table(path):
    """The checkpointed region table: the last record of each solved set (a refined entry replaces its float one;
    inherited sets are not journaled)."""
    return {tuple(r["ids"]): r for r in map(json.loads, path.read_text().splitlines()[1:])}


def test_catalog_on_a_remote_scheduler_matches_in_process(cluster, tmp_path, monkeypatch):
    import verifier.region_table as region_table
    from verifier.catalog import build_catalog

    monkeypatch.setattr(region_table, "_IN_PROCESS_BELOW", 0)
    instance = Instance.from_arrays([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, -1, 2], Fraction(1, 20))
    sequential = build_catalog(instance, 2, checkpoint=tmp_path / "sequential.jsonl")
    with Tasks(scheduler=cluster["address"]) as tasks:
        remote = build_catalog(instance, 2, checkpoint=tmp_path / "remote.jsonl", tasks=tasks)
        assert tasks._client is not None and tasks.size == 2       # the table's solves were shipped
    assert sequential.certified and remote.certified and remote.verdict == sequential.verdict
    assert remote.document == sequential.document and remote.lstar == sequential.lstar
    table = _table(tmp_path / "remote.jsonl")
    assert 16 <= len(table) < 16 + comb(16, 2) and table == _table(tmp_path / "sequential.jsonl")   # the solves


def test_a_worker_killed_mid_catalog_loses_nothing(cluster, tmp_path, monkeypatch):
    """A worker SIGKILLed while the region table's solves are out: its tasks are retried on the other worker, and
    the catalog, its certificate and its checkpointed table equal the in-process ones."""
    import verifier.region_table as region_table
    from verifier.catalog import build_catalog

    monkeypatch.setattr(region_table, "_IN_PROCESS_BELOW", 0)
    instance = Instance.from_arrays([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, -1, 2], Fraction(1, 20))
    sequential = build_catalog(instance, 2, checkpoint=tmp_path / "sequential.jsonl")
    killed = []

    def kill_one_worker(stage, done, total):
        if stage == "regions" and done and not killed:   # once the table has started (not at the announcement)
            victim = cluster["workers"][0]
            os.killpg(victim.pid, signal.SIGKILL)
            killed.append(victim.wait(timeout=20))

    with Tasks(scheduler=cluster["address"]) as tasks:
        remote = build_catalog(instance, 2, checkpoint=tmp_path / "remote.jsonl", tasks=tasks,
                               progress=kill_one_worker)
    assert killed and killed[0] == -signal.SIGKILL
    assert remote.certified and remote.document == sequential.document and remote.lstar == sequential.lstar
    assert _table(tmp_path / "remote.jsonl") == _table(tmp_path / "sequential.jsonl")
