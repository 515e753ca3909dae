"""Counterexample search: instances whose width-m landscape has a certified spurious local minimum.

Random and structured small integer instances are searched region by region (the interior certificate of
docs §5); each find is shrunk (fewer points, smaller integers, smaller width) while it stays certified, and
written as an instance file with its certificate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, islice
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from .certificates import save_pair
from .instance import Instance
from .landscape import Context, certify_region_minimum
from .parallel import Tasks

__all__ = ["Find", "spurious_minimum", "shrink", "search", "LAMBDAS"]

LAMBDAS = (Fraction(1, 10), Fraction(1, 20), Fraction(1, 50))


@dataclass
class Find:
    instance: Instance
    width: int
    document: dict

    @property
    def size(self) -> tuple:
        """Smaller is simpler: points, width, then the largest integer."""
        return (self.instance.n, self.width, max(abs(x) for row in self.instance.X for x in row),
                max(abs(v) for v in self.instance.y))


def spurious_minimum(instance: Instance, width: int) -> Find | None:
    """The first region of `width` distinct signed patterns holding a certified spurious local minimum."""
    context = Context(instance, width)
    if width > len(context.patterns):
        return None
    bounds = context.width_bounds
    if not bounds.certified:
        return None
    threshold = float(bounds.upper) * (1 + 1e-7) + 1e-12
    for region in combinations(context.patterns, width):
        solution = context.programs.solve(list(region))
        if solution.value <= threshold or np.min(np.linalg.norm(solution.U, axis=1)) <= 1e-6:
            continue
        result = certify_region_minimum(context, list(region))
        if result.verdict == "spurious-local-minimum" and result.certified:
            return Find(instance, width, result.document)
    return None


def _simpler(instance: Instance, width: int, keep_width: bool):
    """Candidate simplifications: drop a point, halve or decrement the integers, narrow the network."""
    X, y = [list(row) for row in instance.X], list(instance.y)
    if instance.n > 1:
        for i in range(instance.n):
            yield X[:i] + X[i + 1:], y[:i] + y[i + 1:], width
    for i, j in ((i, j) for i in range(instance.n) for j in range(instance.d)):
        if abs(X[i][j]) > 1:
            for smaller in (X[i][j] // 2 if X[i][j] > 0 else -((-X[i][j]) // 2), X[i][j] - (1 if X[i][j] > 0 else -1)):
                Z = [row[:] for row in X]
                Z[i][j] = smaller
                yield Z, y, width
    for i in range(instance.n):
        if abs(y[i]) > 1:
            yield X, y[:i] + [y[i] - (1 if y[i] > 0 else -1)] + y[i + 1:], width
    if width > 1 and not keep_width:
        yield X, y, width - 1


def _first(tasks: Tasks, candidates: Iterator[tuple[Instance, int]], deadline: float) -> Find | None:
    """The first candidate (in order) holding a certified spurious minimum: batches of `tasks.size` are
    tried at once and a batch's finds ranked by position, so the answer is the one a sequential scan gives."""
    while time.perf_counter() < deadline:
        batch = list(islice(candidates, tasks.size))
        if not batch:
            return None
        results = dict(tasks.map(_spurious_minimum_task, batch))
        found = [results[index] for index in range(len(batch)) if results[index] is not None]
        if found:
            return found[0]
    return None


def _spurious_minimum_task(candidate: tuple[Instance, int]) -> Find | None:
    return spurious_minimum(*candidate)


def shrink(find: Find, deadline: float = float("inf"), keep_width: bool = False, tasks: Tasks | None = None,
           progress: Callable[[str, float], None] | None = None) -> Find:
    """Greedy shrinking: take the first simplification that keeps a certified spurious local minimum.
    progress("shrinking", seconds) after each round."""
    tasks = tasks or Tasks(1)
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        if progress:
            progress("shrinking", time.perf_counter() - start)
        candidates = ((Instance.from_arrays(X, y, find.instance.lam), width)
                      for X, y, width in _simpler(find.instance, find.width, keep_width))
        smaller = _first(tasks, candidates, deadline)
        if smaller is None:
            break
        find = smaller
    if progress:
        progress("shrinking", time.perf_counter() - start)
    return find


def _random_instance(rng: np.random.Generator, n: int, d: int, bound: int) -> Instance:
    X = rng.integers(-bound, bound + 1, size=(n, d)).tolist()
    y = rng.integers(-3, 4, size=n).tolist()
    return Instance.from_arrays(X, y, LAMBDAS[int(rng.integers(len(LAMBDAS)))])


def search(n: int, d: int, width: int, budget: float = 60.0, seed: int = 0, out: str | Path | None = None,
           keep_width: bool = False, progress: Callable[[str, float], None] | None = None,
           tasks: Tasks | None = None) -> list[Find]:
    """Search random instances (entries -4..4, labels -3..3) for at most `budget` seconds, stopping at the first
    find; shrink it (keeping the width if asked; at most another `budget` seconds) and save it. The instances come
    from `seed` in a fixed order and the first find in that order is kept, so `tasks` (in process, or dask workers
    trying `tasks.size` at once) change only how many are tried per second. progress(stage, seconds): "searching"
    with the seconds spent so far (last when the search stops: at the find, or at the budget), then "shrinking"."""
    tasks = tasks or Tasks(1)
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    deadline = start + budget
    finds: list[Find] = []

    def candidates():
        while True:
            if progress:
                progress("searching", time.perf_counter() - start)
            yield _random_instance(rng, n, d, 4), width

    find = _first(tasks, candidates(), deadline)
    if progress:
        progress("searching", time.perf_counter() - start)
    if find is not None:
        find = shrink(find, deadline + budget, keep_width, tasks, progress)   # shrinking may use a second budget
        finds.append(find)
        if out:
            save_find(find, out)
    return finds


def save_find(find: Find, out: str | Path) -> Path:
    """Write `<name>.json` (the instance) and `<name>.cert.json` (its certificate) into `out`."""
    name = f"spurious-d{find.instance.d}-m{find.width}-n{find.instance.n}"
    return save_pair(out, name, find.instance, find.document, find.width,
                     f"certified spurious local minimum at width {find.width}")[0]
