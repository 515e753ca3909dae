"""One unit of the authors' claim-3 experiment (docs §10 (C)): R gradient-descent runs of one (instance, width,
scale) by their protocol (`descent`), each endpoint classified (docs §9), and for each run that has not met the
criterion within the step budget, whether it provably creeps and how many steps the criterion would take.

Words, as the report uses them:

- *converged*: ||grad L_a||^2 < 1e-16 at the float endpoint (the protocol's own test, `descent.CRITERION`);
  nothing else is called converged.
- *creeping*: not converged, but over the last two measurement intervals (`chunk` steps each) the endpoint's
  face (`endpoints.identify_face`: signed patterns, kink rows, dead neurons) stayed the same and ||grad||^2 fell
  at a steady linear rate rho < 1 per step (the two intervals' rates agree within `STEADY`). The criterion is
  then `ceil(ln(1e-16 / g^2) / ln rho)` further steps away: an extrapolation, printed as one, never a
  convergence. (A neuron with <w_j, x_i> < 0 for every i gets no data gradient: GD only shrinks it, by
  1 - 2 rate lambda per step, so it stays dead and its share of ||grad||^2 falls by (1 - 2 rate lambda)^2 per
  step. At lambda = 1e-5 that is the slow tail of every run.)
- Otherwise *not converged, no steady rate* (e.g. iterates bouncing across a kink).

The verdict beside each run is `classify_endpoint`'s, certified by the checker (or inconclusive); it is a
statement about the exact stationary point near the float endpoint and holds whether or not the run converged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .descent import CRITERION, RATE, Descent, descend
from .endpoints import classify_endpoint, identify_face
from .errors import InputError
from .files import write_json
from .instance import Instance
from .journal import settings_key
from .jsonfile import load_json
from .landscape import Context
from .network import initial

__all__ = ["Creep", "RunOutcome", "train_unit", "STEADY", "InitializationPlan", "QUICK", "FULL"]

STEADY = 0.05        # two consecutive rates ln(rho) agreeing within 5% count as one linear rate


@dataclass(frozen=True)
class InitializationPlan:
    """The claim-3 experiment's settings: the instances (data folder, name, widths), the initialization scales,
    the runs per (instance, width, scale) (seeds 0..runs-1), each run's step budget, the learning rate on the
    authors' loss 2L (theirs, `descent.RATE`, unless stated in `difference`: what this plan changes in the
    authors' protocol, in words for the report; empty when nothing), and `large`: the scales at or above it are
    the contrast's large half (the report's verdict pools the scales below it and those at or above it apart)."""

    cases: tuple[tuple[str, str, tuple[int, ...]], ...]
    scales: tuple[float, ...]
    runs: int
    steps: int
    rate: float = RATE
    difference: str = ""
    large: float = 1.0

    @property
    def units(self) -> int:
        """(instance, width, scale) units: one progress tick and one task each."""
        return sum(len(widths) for _, _, widths in self.cases) * len(self.scales)


# The authors' protocol with a step budget: full mode stops at 4e5 steps and reports, for every run that has not met
# the criterion, its measured creep rate and the steps it would still need. Their own cap is 1e8 steps:
# `verifier reproduce --section initialization --steps 100000000 --scheduler ADDRESS` runs it (each unit a task,
# resumable inside a unit). Estimated (docs §10): the full run at 4e5 steps measured the steps still needed per
# scale, medians 4.3e6 (alpha 1e-4) to 6.9e7 (alpha 4); at the numba kernel's measured 0.7-4.2e6 run-steps per CPU
# second (theorem2-d4 width 100 to theorem2-d3 width 10) the 1,400 runs then cost about 8 core-hours, and 23 if every
# run used the whole cap; the longest unit (theorem2-d4, width 100, alpha 4) 30-47 minutes. theorem2-d3's runs
# heading for its global minimum bounce across a kink and never meet the criterion: they stop at the cap.
FULL = InitializationPlan(cases=(("paper", "theorem2-d3", (10, 20, 50, 100)),
                                 ("paper", "theorem2-d4", (10, 20, 50, 100)),
                                 ("examples", "three-points", (10, 100))),
                          scales=(1e-4, 1e-3, 1e-2, 0.125, 0.5, 1.0, 4.0), runs=20, steps=400_000)

# --quick: the authors' update, rate, initialization and stopping rule on another instance. On theorem2-d3 no quick
# budget shows the contrast: its global minimum has a neuron on the kink of x_1, which fixed-step descent bounces
# across, so runs heading there never meet the criterion, and at 20 times the authors' rate (every run converging
# within 3.2e6 steps at width 6) every endpoint, from every scale, is near a spurious saddle (docs §10 (C)).
# data/examples/initialization-contrast.json has a global minimum with every neuron strictly inside its chamber,
# and its points have squared norms 18-26 (theorem2-d3's are unit vectors), so the authors' rate is a larger step
# relative to its data. Measured (width 16, seeds 0-7, rate 0.01): from 1e-5 and 1e-4 every run converges within
# 6e4 steps near a spurious saddle; from 0.1, 0.125, 0.25 and 0.5 every run converges within 2.5e6 steps, 7 of 8 near
# the global minimum; from 1 every run diverges (the step is too large for that start), so 0.125 and 0.5 are the
# large half (0.25 would crowd the axis); from 1e-3 and 0.05, 1 of 8 runs did not converge within 4e6 steps.
QUICK = InitializationPlan(cases=(("examples", "initialization-contrast", (16,)),), scales=(1e-5, 1e-4, 0.125, 0.5),
                           runs=8, steps=4_000_000, large=0.125,
                           difference="the instance: initialization-contrast (three points in R^3, lambda = 1/100, "
                                      "a global minimum with no neuron on a kink) in place of theorem2-d3, whose "
                                      "runs towards the global minimum bounce across a kink and never meet the "
                                      "criterion; width 16, 8 runs per scale, scales 1e-5 to 0.5 (from 1 the steps "
                                      "diverge on this instance's data, of norm about 5); the update, the rate, "
                                      "the initialization and the stopping rule are the authors'")


@dataclass(frozen=True)
class Creep:
    """A not-converged run's measured tail: ||grad||^2 per step rate `rate` (rho), steady over the last two
    intervals on a stable face (`steady`), and the steps the criterion would take at that rate (`extra`, None
    unless steady with rho < 1)."""

    rate: float
    steady: bool
    extra: int | None

    def to_dict(self) -> dict:
        return {"rate": self.rate, "steady": self.steady, "extra_steps": self.extra}


@dataclass(frozen=True)
class RunOutcome:
    """One run: steps taken, ||grad L_a||^2 at its endpoint, converged (by the criterion) or diverged, the
    endpoint's verdict value (an `Outcome` string) and whether the checker accepted it, its certificate, and the
    creep measurement of a run that did not converge."""

    seed: int
    steps: int
    grad2: float
    converged: bool
    diverged: bool
    verdict: str
    certified: bool
    document: dict | None
    creep: Creep | None


class _Snapshots:
    """Each run's ||grad||^2, step count and face at the last three chunk boundaries. A face is kept as plain
    lists of integers (each signed pattern's signs, its sign of a and its kink rows; the members; the dead
    neurons), so that `save` and `restore` carry the history through a JSON file unchanged."""

    def __init__(self, instance: Instance, tol: float):
        self.instance, self.tol = instance, tol
        self.history: dict[int, list[tuple[int, float, list]]] = {}

    def __call__(self, state: Descent) -> None:
        for k in np.flatnonzero(state.running):
            face = identify_face(self.instance, state.a[k], state.W[k], self.tol)
            key = [[[*map(int, pattern.sigma), int(pattern.s), [*map(int, rows)]] for pattern, rows in face.faces],
                   [[*map(int, members)] for members in face.members], [*map(int, face.dead)]]
            record = self.history.setdefault(int(k), [])
            record.append((int(state.steps[k]), float(state.grad2[k]), key))
            del record[:-3]

    def save(self) -> dict:
        """The history as JSON values (||grad||^2 as `float.hex`, exact)."""
        return {str(k): [[steps, float.hex(g), face] for steps, g, face in record]
                for k, record in self.history.items()}

    def restore(self, saved: dict) -> None:
        self.history = {int(k): [(int(steps), float.fromhex(g), face) for steps, g, face in record]
                        for k, record in saved.items()}

    def creep(self, k: int, criterion: float) -> Creep | None:
        record = self.history.get(k, [])
        if len(record) < 3:
            return None
        (s0, g0, f0), (s1, g1, f1), (s2, g2, f2) = record
        if min(g0, g1, g2) <= 0 or s1 == s0 or s2 == s1:
            return None
        early, late = math.log(g1 / g0) / (s1 - s0), math.log(g2 / g1) / (s2 - s1)
        steady = f0 == f1 == f2 and late < 0 and abs(early - late) <= STEADY * abs(late)
        extra = math.ceil(math.log(criterion / g2) / late) if steady else None
        return Creep(math.exp(late), steady, extra)


def train_unit(instance: Instance, width: int, scale: float, seeds: Iterable[int], steps: int, rate: float = RATE,
               criterion: float = CRITERION, chunk: int | None = None, backend: str = "auto",
               tol: float = 1e-3, state: Path | None = None) -> list[RunOutcome]:
    """The runs of one (instance, width, scale), seeds as given, from the authors' balanced initialization,
    at most `steps` steps each; the creep of a not-converged run is measured over `chunk`-step intervals
    (default steps / 20).

    `state`: a file for the unit's state between chunks (`_resume`): at every chunk boundary the runs' state
    (`Descent.save`) and the creep history are written to it atomically, provided its folder exists (a task
    on a worker that does not see the caller's files writes nothing and simply runs); a unit started again with
    the same arguments continues from it. The outcomes are bit for bit those of an uninterrupted run. The caller
    deletes the file once it has kept the outcomes."""
    seeds = list(seeds)
    chunk = chunk or max(1, steps // 20)
    context = Context(instance, width)
    starts = [initial(width, instance.d, scale, seed, "balanced") for seed in seeds]
    snapshots = _Snapshots(instance, tol)
    key = settings_key(instance.digest(), width, scale, seeds, steps, rate, criterion, chunk, tol)
    saved = _resume(state, key, snapshots, lambda: Descent(instance, *map(np.stack, zip(*starts)), rate, criterion,
                                                           backend))

    def between(descent: Descent) -> None:
        snapshots(descent)
        if state is not None and state.parent.is_dir():
            write_json(state, {"key": key, "descent": descent.save(), "creep": snapshots.save()})

    runs = descend(instance, starts, steps, rate, criterion, backend, chunk, between, resume=saved)
    outcomes = []
    for k, (seed, run) in enumerate(zip(seeds, runs)):
        if run.diverged:
            outcomes.append(RunOutcome(seed, run.steps, run.grad2, False, True, "inconclusive", False, None, None))
            continue
        result = classify_endpoint(context, run.a, run.W, tol=tol)
        certified = result.certified and result.verdict.decided
        outcomes.append(RunOutcome(seed, run.steps, run.grad2, run.converged, False,
                                   str(result.verdict) if certified else "inconclusive", certified,
                                   result.document if certified else None,
                                   None if run.converged else snapshots.creep(k, criterion)))
    return outcomes


def _resume(state: Path | None, key: str, snapshots: _Snapshots, fresh: Callable[[], Descent]) -> dict | None:
    """The runs' saved state in `state` (None when there is no file; read back into `fresh()` as a check), the
    creep history restored into `snapshots`. The file must carry `key` (`journal.settings_key` of every argument
    of `train_unit` that changes a run: instance, width, scale, seeds, steps, rate, criterion, chunk, tolerance;
    not the backend, whose floats are the same); one that does not, or that does not read as a saved state, is an
    error naming the file, never silently used or discarded."""
    if state is None or not state.exists():
        return None
    saved = load_json(state)
    if not isinstance(saved, dict) or saved.get("key") != key:
        raise InputError(str(state), "belongs to another unit or other settings (delete it to start the unit afresh)")
    try:
        snapshots.restore(saved["creep"])
        fresh().restore(saved["descent"])
        return saved["descent"]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise InputError(str(state), "is not a saved descent state (delete it to start the unit afresh)") from None
