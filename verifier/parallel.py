"""The one place that maps independent tasks: in process, on a dask LocalCluster, or on a remote scheduler.

A `Tasks` object runs `fn(item, *args)` for every item and yields `(index, result)` pairs as the results
arrive, so the caller can checkpoint each one at once. Where the tasks run never changes what they return
(every task is a pure function of its arguments), so a command gives the same answer sequentially, on
`--workers N` local processes and on a cluster reached with `--scheduler ADDRESS` (or the standard
`DASK_SCHEDULER_ADDRESS` environment variable). Tasks that fail because their worker died are re-run
(`retries`); nothing is lost, since the client, not the workers, keeps every result.

Per-instance state that is expensive to build (the arrangement, compiled convex programs) is not shipped with
every task: a task receives it as a `Shared` handle. In the caller's process the handle holds the caller's own
object, passed explicitly; a worker process builds it once from the handle's recipe and keeps it in its
`ProcessState` (one per process, the only place a worker keeps anything between tasks).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Callable, Hashable, Iterable, Iterator

__all__ = ["Tasks", "Shared", "ProcessState", "PROCESS", "scheduler_from_environment"]


class ProcessState:
    """What the tasks run in one process share: objects expensive to build, by key, built on first use (the
    `size` most recent kept). A worker process has one, `PROCESS`; nothing registers entries in it as a side
    effect: a value gets there only by being built for a task that asked for it."""

    def __init__(self, size: int = 8):
        self.size = size
        self._values: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value kept for `key`, or `build()` kept for it."""
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = build()
        with self._lock:
            if len(self._values) >= self.size:
                self._values.pop(next(iter(self._values)))
            self._values[key] = value
        return value


PROCESS = ProcessState()


class Shared:
    """A task's handle on an object it shares with the other tasks of a map: `build()` makes it (a picklable
    recipe, e.g. `functools.partial(Context, instance, width, digits)`), `key` names what it depends on.

    In the process that made the handle, `value()` is the `local` object given (the caller's own, never rebuilt);
    a copy sent to a worker drops it and builds the value once per worker process (`PROCESS`)."""

    def __init__(self, key: Hashable, build: Callable[[], Any], local: Any = None):
        self.key, self.build, self.local = key, build, local

    def value(self) -> Any:
        return self.local if self.local is not None else PROCESS.get(self.key, self.build)

    def __getstate__(self) -> dict:
        return {"key": self.key, "build": self.build, "local": None}


def scheduler_from_environment() -> str | None:
    """The address in DASK_SCHEDULER_ADDRESS (dask's own convention), if set."""
    return os.environ.get("DASK_SCHEDULER_ADDRESS") or None


class Tasks:
    """Runs independent tasks in process (`workers` <= 1 and no scheduler), on a LocalCluster of `workers`
    single-threaded processes on 127.0.0.1, or on the dask scheduler at `scheduler`.

    The cluster (or the connection) starts on the first distributed `map`, so small jobs never pay for it.
    With neither argument, DASK_SCHEDULER_ADDRESS is used when it is set. Use as a context manager.
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None, retries: int = 3):
        if workers is not None and workers < 1:
            raise ValueError(f"workers={workers}: must be >= 1")
        if scheduler is None and workers is None:
            scheduler = scheduler_from_environment()
        self.workers = workers or 1
        self.scheduler = scheduler
        self.retries = retries
        self._client = None
        self._cluster = None

    @property
    def distributed(self) -> bool:
        return self.scheduler is not None or self.workers > 1

    @property
    def size(self) -> int:
        """How many tasks run at once: a batch of this many (or a multiple) keeps every worker busy."""
        if not self.distributed:
            return 1
        if self._client is not None:
            return max(1, sum(self._client.nthreads().values()))
        return self.workers

    def client(self):
        """The dask client, started on first use."""
        if self._client is None:
            from distributed import Client, LocalCluster

            if self.scheduler is not None:
                self._client = Client(self.scheduler)
            else:
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             host="127.0.0.1", dashboard_address=None,
                                             silence_logs=logging.ERROR)
                self._client = Client(self._cluster)
        return self._client

    def map(self, fn: Callable, items: Iterable, *args, parallel: bool = True) -> Iterator[tuple[int, Any]]:
        """(index, fn(item, *args)) for every item, in the order they finish; in process when not distributed
        or when `parallel` is False (a batch too small to be worth shipping)."""
        items = list(items)
        if not (self.distributed and parallel) or not items:
            for index, item in enumerate(items):
                yield index, fn(item, *args)
            return
        from distributed import as_completed

        client = self.client()
        futures = client.map(fn, items, *[[a] * len(items) for a in args], retries=self.retries, pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        try:
            for future, result in as_completed(futures, with_results=True):
                yield index[future.key], result
        finally:
            client.cancel(futures)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> "Tasks":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

