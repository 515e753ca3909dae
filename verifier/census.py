"""Regions under random initialization (SPEC §4): classify sets S of signed patterns, weight them by their
probability under Gaussian initialization, exhaustively or by sampling, with checkpoints.

Neuron j lands in signed pattern p with probability q_p = measure(sigma) / 2, independently, so the set of
distinct patterns of m neurons equals S with probability m! [x^m] prod_{p in S} (e^{q_p x} - 1) (inclusion-
exclusion over the patterns that are missed).

A set S is classified with certified bounds (each checked by the checker): `contains-global` when
upper C(S) <= lower L*_m + epsilon (exact when S is fully covered), `region-spurious` when lower C(S) > upper
L*_m, else `undecided`. Monotonicity prunes: a superset of a set holding a global minimum holds one, and a
residual with bound above L*_m proves every set inside its dual-feasible patterns region-spurious.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from pathlib import Path
from typing import Callable

import numpy as np

from .errors import InputError
from .files import atomic_path, write_json
from .instance import Instance
from .landscape import Context
from .numbers import format_rational
from .optimum import certify_region
from .parallel import Tasks, cached
from .polish import feasible_multipliers

__all__ = ["set_probability", "coverage_probability", "wilson", "midpoint", "classify_region", "Census",
           "run_census", "EXHAUSTIVE_LIMIT"]

EXHAUSTIVE_LIMIT = 200_000
_CHUNK = 64
_IN_PROCESS_FIRST = 100   # sets certified in process before a census ships any to workers


def coverage_probability(q: list[float], m: int) -> float:
    """P(m iid draws hit every pattern of S and nothing else) = m! [x^m] prod_{p in S} (e^{q_p x} - 1)."""
    poly = np.zeros(m + 1)
    poly[0] = 1.0
    factorials = np.array([math.factorial(j) for j in range(m + 1)], dtype=float)
    for qp in q:
        factor = np.array([0.0] + [qp**j / factorials[j] for j in range(1, m + 1)])
        poly = np.convolve(poly, factor)[: m + 1]
    return float(poly[m] * factorials[m]) if len(poly) > m else 0.0


def set_probability(q: dict, S, m: int) -> float:
    return coverage_probability([q[p] for p in S], m)


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95% by default)."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def midpoint(p: float | tuple[float, float]) -> float:
    """An exact probability, or the middle of an interval."""
    return p if isinstance(p, float) else (p[0] + p[1]) / 2


@dataclass(repr=False)
class Census:
    """Probabilities over random width-m initializations (exact when `exhaustive`, else Wilson 95% intervals
    from `samples` draws) that the region reached holds a global minimum, is region-spurious, is undecided."""

    width: int
    exhaustive: bool
    p_contains_global: float | tuple[float, float]
    p_region_spurious: float | tuple[float, float]
    p_undecided: float | tuple[float, float]
    p_fully_covered: float
    regions_classified: int
    epsilon: float
    seconds: float
    samples: int = 0
    measure_method: str = "exact"
    measure_error: float = 0.0
    classes: dict = field(default_factory=dict)
    instance_digest: str = ""
    resumed: int = 0

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "classes"}

    def __repr__(self) -> str:
        how = "exhaustive" if self.exhaustive else f"{self.samples} samples"
        return (f"<Census width {self.width}, {how}: p_contains_global {midpoint(self.p_contains_global):.4g}, "
                f"p_region_spurious {midpoint(self.p_region_spurious):.4g}>")


def _certify_set(S: tuple[int, ...], instance: Instance, width: int, digits: int, width_lower: Fraction,
                 width_upper: Fraction, tolerance: Fraction):
    """Certified bounds on C(S) and, when they prove C(S) > L*_m, the dual residual that proves it (other sets
    are tested against it later, see `_Cover`). A float-precision certificate is kept when it already
    decides the class. A pure function of its arguments (a task: it runs wherever `parallel.Tasks` sends it)."""
    context = cached(("census", instance, width, digits), lambda: Context(instance, width, digits))
    patterns = context.patterns

    def decided(lower: Fraction, upper: Fraction) -> bool:
        return _class(lower, upper, width_lower, width_upper, tolerance)[0] != "undecided"

    region = certify_region(instance, [patterns[i] for i in S], context.programs, digits, context.arrangement,
                            decided)
    residual = tuple(region.duals[0].r) if region.certified and region.lower > width_upper else None
    return S, region.certified, region.lower, region.upper, residual


class _Cover:
    """A residual r whose bound exceeds upper L*_m: every set of signed patterns on which r is dual-feasible
    has C(S) > L*_m (weak duality, C monotone). Feasibility is decided per pattern when first asked (a float
    screen, then an exact projection), so a cover costs only what pruning uses."""

    def __init__(self, context: Context, r: tuple[Fraction, ...]):
        self.context, self.r = context, list(r)
        self.feasible: dict[int, bool] = {}

    def covers(self, S: frozenset) -> bool:
        for i in sorted(S, key=lambda i: self.feasible.get(i, True)):   # known failures first
            if i not in self.feasible:
                pattern = self.context.patterns[i]
                self.feasible[i] = feasible_multipliers(self.context.instance, self.r, pattern) is not None
            if not self.feasible[i]:
                return False
        return True


def _decide(context: Context, certified: bool, lower: Fraction, upper: Fraction, tolerance: Fraction
            ) -> tuple[str, Fraction]:
    """The class of a set from certified bounds on C(S) and on L*_m, and the epsilon of a global claim."""
    if not certified:
        return "undecided", Fraction(0)
    return _class(lower, upper, context.width_bounds.lower, context.width_bounds.upper, tolerance)


def _class(lower: Fraction, upper: Fraction, width_lower: Fraction, width_upper: Fraction, tolerance: Fraction
           ) -> tuple[str, Fraction]:
    if upper - width_lower <= tolerance * max(1, abs(width_upper)):
        return "contains-global", upper - width_lower
    if lower > width_upper:
        return "region-spurious", Fraction(0)
    return "undecided", Fraction(0)


def classify_region(context: Context, patterns, tolerance: Fraction = Fraction(1, 10**9)) -> tuple[str, Fraction]:
    """`contains-global` (C(S) <= L*_m + epsilon, epsilon returned; exactly 0 when S holds all 2P signed
    patterns, i.e. the region is fully covered), `region-spurious` (C(S) > L*_m) or `undecided`, for the set
    S of signed patterns; every bound is certified and checked."""
    S = tuple(sorted({context.patterns.index(p) for p in patterns}))
    if len(S) == len(context.patterns):
        return "contains-global", Fraction(0)
    _, certified, lower, upper, _ = _certify_set(S, *_task_arguments(context, tolerance))
    return _decide(context, certified, lower, upper, tolerance)


def _task_arguments(context: Context, tolerance: Fraction) -> tuple:
    """What `_certify_set` needs besides S; the caller's context is what tasks run in process use."""
    cached(("census", context.instance, context.width, context.digits), lambda: context)
    bounds = context.width_bounds
    return context.instance, context.width, context.digits, bounds.lower, bounds.upper, tolerance


class _Classifier:
    """Classifies sets of pattern indices with certified bounds, pruned by monotonicity, with a checkpoint;
    the sets left after pruning are certified by `tasks` (in process, or on dask workers), each result
    recorded and checkpointed as it arrives. Pruning only uses the results of earlier chunks, so the
    classes do not depend on where or in which order a chunk's sets are certified."""

    def __init__(self, context: Context, checkpoint: Path | None, tolerance: Fraction, tasks: Tasks,
                 header: dict | None = None):
        self.context = context
        self.bounds = context.width_bounds
        self.tolerance = tolerance
        self.tasks = tasks
        self.arguments = _task_arguments(context, tolerance)
        self.certified = 0
        self.classes: dict[frozenset, str] = {}
        self.global_sets: list[frozenset] = []
        self.spurious_covers: list[_Cover] = []
        self.epsilon = Fraction(0)
        self.checkpoint = checkpoint
        self.resumed = 0
        if checkpoint:
            self._resume(checkpoint, header)

    def _resume(self, checkpoint: Path, header: dict) -> None:
        """Read the finished sets of a checkpoint whose first line is this run's header; a checkpoint of
        another instance or other settings is never read (InputError naming the file)."""
        if not checkpoint.exists():
            with atomic_path(checkpoint) as tmp:
                tmp.write_text(json.dumps(header, sort_keys=True) + "\n")
            return
        lines = checkpoint.read_text().splitlines()
        try:
            found = json.loads(lines[0]) if lines else None
        except json.JSONDecodeError:
            found = None
        if found != header:
            raise InputError(str(checkpoint), "a checkpoint of another instance or other settings (its header "
                             "does not match this run): remove it or choose another --out")
        for line in lines[1:]:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:   # a line cut by an interruption: that set is certified again
                continue
            self._record(frozenset(record["set"]), record["class"], Fraction(record["epsilon"]), write=False)
            self.resumed += 1

    def _record(self, S: frozenset, kind: str, epsilon: Fraction = Fraction(0), write: bool = True) -> str:
        self.classes[S] = kind
        if kind == "contains-global":
            self.global_sets.append(S)
            self.epsilon = max(self.epsilon, epsilon)
        if write and self.checkpoint:
            with self.checkpoint.open("a") as handle:
                handle.write(json.dumps({"set": sorted(S), "class": kind, "epsilon": str(epsilon)}) + "\n")
        return kind

    def _pruned(self, S: frozenset) -> str | None:
        if S in self.classes:
            return self.classes[S]
        if len(S) == len(self.context.patterns):
            return self._record(S, "contains-global")           # fully covered: C(S) = C* = L*_m exactly
        if any(G <= S for G in self.global_sets):
            return self._record(S, "contains-global", self.epsilon)
        if any(V.covers(S) for V in self.spurious_covers):
            return self._record(S, "region-spurious")
        return None

    def classify_many(self, sets: list[frozenset]) -> list[str]:
        """Classes of the sets, in order; certifying the unpruned ones in parallel."""
        todo = [tuple(sorted(S)) for S in dict.fromkeys(sets) if self._pruned(S) is None]
        parallel = self.certified >= _IN_PROCESS_FIRST and len(todo) >= 2   # small jobs never pay start-up
        self.certified += len(todo)
        for _, (S, certified, lower, upper, residual) in self.tasks.map(_certify_set, todo, *self.arguments,
                                                                         parallel=parallel):
            kind, epsilon = _decide(self.context, certified, lower, upper, self.tolerance)
            if kind == "region-spurious" and residual is not None:
                self.spurious_covers.append(_Cover(self.context, residual))
            self._record(frozenset(S), kind, epsilon)
        return [self.classes[S] if S in self.classes else self._pruned(S) for S in sets]


def run_header(context: Context, **settings) -> dict:
    """What a checkpoint is bound to: the instance digest, the width, the precision and the run's settings,
    with `key`, the sha256 of all of them."""
    header = {"instance": context.instance.digest(), "width": context.width, "digits": context.digits,
              **{k: str(v) for k, v in settings.items()}}
    header["key"] = hashlib.sha256(json.dumps(header, sort_keys=True).encode()).hexdigest()
    return header


def run_census(context: Context, samples: int = 2000, limit: int = EXHAUSTIVE_LIMIT, seed: int = 0,
               out: str | Path | None = None, tolerance: Fraction = Fraction(1, 10**9),
               progress: Callable[[int, int], None] | None = None, tasks: Tasks | None = None) -> Census:
    """p_contains_global, p_region_spurious and p_fully_covered for width m: exhaustive over all sets of at
    most m signed patterns when there are at most `limit` of them (weighted exactly), else Monte Carlo over
    `samples` random initializations with Wilson 95% intervals. `out` keeps a checkpoint to resume from;
    sets left after pruning are certified by `tasks` (default: in process; see `parallel.Tasks`)."""
    start = time.perf_counter()
    m, patterns = context.width, context.patterns
    measured = context.arrangement.measures()
    measures = measured.values
    q = {i: float(measures[i // 2]) / 2 for i in range(len(patterns))}   # patterns alternate signs per chamber
    p_full = coverage_probability(list(q.values()), m)
    checkpoint = None
    header = run_header(context, tolerance=format_rational(tolerance), seed=seed, samples=samples, limit=limit)
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        checkpoint = Path(out) / f"census-width-{m}-{header['key'][:12]}.checkpoint.jsonl"
    classifier = _Classifier(context, checkpoint, tolerance, tasks or Tasks(1), header)
    count = sum(math.comb(len(patterns), k) for k in range(1, min(m, len(patterns)) + 1))
    mass = {"contains-global": 0.0, "region-spurious": 0.0, "undecided": 0.0}
    if count <= limit:
        done = 0
        for k in range(1, min(m, len(patterns)) + 1):
            for chunk in _chunks(combinations(range(len(patterns)), k), _CHUNK):
                for S, kind in zip(chunk, classifier.classify_many([frozenset(S) for S in chunk])):
                    mass[kind] += set_probability(q, S, m)
                done += len(chunk)
                if progress:
                    progress(done, count)
        census = Census(m, True, mass["contains-global"], mass["region-spurious"], mass["undecided"], p_full,
                        len(classifier.classes), float(classifier.epsilon), 0.0)
    else:
        rng = np.random.default_rng(seed)
        arrangement = context.arrangement
        normals = np.array(arrangement.normals, dtype=float).T
        drawn = []
        for _ in range(samples):
            chambers = arrangement.index((rng.standard_normal((m, normals.shape[0])) @ normals) > 0)
            drawn.append(frozenset(2 * int(c) + (0 if s > 0 else 1) for c, s in zip(chambers, rng.standard_normal(m))))
        ordered = sorted(set(drawn), key=len)
        for start_at in range(0, len(ordered), _CHUNK):
            classifier.classify_many(ordered[start_at: start_at + _CHUNK])
            if progress:
                progress(min(start_at + _CHUNK, len(ordered)), len(ordered))
        counts = {kind: sum(1 for S in drawn if classifier.classes[S] == kind) for kind in mass}
        census = Census(m, False, wilson(counts["contains-global"], samples),
                        wilson(counts["region-spurious"], samples), wilson(counts["undecided"], samples), p_full,
                        len(classifier.classes), float(classifier.epsilon), 0.0, samples)
    census.seconds = time.perf_counter() - start
    census.measure_method, census.measure_error = measured.method, measured.error
    census.classes = {kind: sum(1 for v in classifier.classes.values() if v == kind) for kind in mass}
    census.instance_digest = header["instance"]
    census.resumed = classifier.resumed
    if out:
        write_json(Path(out) / f"census-width-{m}.json", census.to_dict())
    return census
