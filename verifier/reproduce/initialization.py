"""Section 4, the initialization scale (claim 3, Theorem 2; docs/mathematics.md §10 (C) and §11): from small
initialization, gradient descent can converge to spurious points even when the landscape is benign.

The authors' protocol (`protocol.train_unit`) is run like for like; it certifies every endpoint's class
(docs/mathematics.md §9): an `endpoint` claim about the stationary point near it, with its certified distance, or
the run is counted inconclusive. Whether a run *converged* is the authors' float criterion ||grad||² < 1e-16,
reported as such."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..bundles import BundleWriter
from ..descent import CRITERION
from ..files import write_json
from ..instance import Instance
from ..journal import settings_key
from ..parallel import Tasks
from ..protocol import FULL, QUICK, InitializationPlan, train_unit
from ..verdicts import Outcome
from .base import Definition, Settings, from_json, named, save_instance, shipped, to_json

__all__ = ["DEFINITION", "Cases", "Initialization", "UnitRow", "ScaleSummary", "GROUPS", "OTHER", "cases",
           "with_steps", "compute", "scale_summary"]

KEY = "initialization"
TITLE = "4. Initialization scale (claim 3, Theorem 2)"
CLAIM = ("From small initialization, gradient descent can converge to spurious points even when the landscape is "
         "benign.")
_VERSION = 5    # part of every unit's checkpoint key

# The shipped instances of the section (both modes' plans: `protocol.FULL`, `protocol.QUICK`)
CASES = [*FULL.cases, *QUICK.cases]


def plan(quick: bool) -> InitializationPlan:
    """The settings of the mode: cases, scales, runs, steps and the rate (`protocol.QUICK`, `protocol.FULL`)."""
    return QUICK if quick else FULL


# The verdict groups of the report, by `Outcome` member (so a verdict added or renamed elsewhere lands in "other"
# under its own value, which the per-verdict counts keep).
_GROUPS = (("near global minimum", Outcome.NEAR_GLOBAL_MINIMUM),
           ("near spurious local minimum", Outcome.NEAR_SPURIOUS_LOCAL_MINIMUM),
           ("near spurious saddle", Outcome.NEAR_SPURIOUS_SADDLE))
OTHER = "other (any other verdict, or inconclusive)"
GROUPS = [label for label, _ in _GROUPS] + [OTHER]


def _group(verdict: str) -> str:
    return next((label for label, member in _GROUPS if verdict == member.value), OTHER)


def _grouped(verdicts: dict[str, int]) -> dict[str, int]:
    """Counts per verdict value -> counts per report group (every group present)."""
    groups = dict.fromkeys(GROUPS, 0)
    for verdict, count in verdicts.items():
        groups[_group(verdict)] += count
    return groups


@dataclass(frozen=True)
class Cases:
    """The units of the mode: one per (instance, width, scale), each `runs` runs of `steps` steps at most; the
    instances (both modes', whatever the mode: part of the cache key, and written beside the report)."""

    quick: bool
    plan: InitializationPlan
    scales: list[float]
    runs: int
    steps: int
    names: list[str]
    units_list: list[tuple[str, Instance, int, float]]
    every_instance: list[Instance]

    @property
    def instances(self) -> list[Instance]:
        return self.every_instance

    @property
    def parameters(self) -> list:
        return [self.plan.cases, self.plan.scales, self.plan.runs, self.plan.steps, self.plan.rate, CRITERION]

    @property
    def units(self) -> int:
        return len(self.units_list)


def cases(quick: bool, seed: int) -> Cases:
    setup = plan(quick)
    names, units = [], []
    for folder, name, widths in setup.cases:
        instance = shipped(folder, name)
        names.append(name)
        units += [(name, instance, width, scale) for width in widths for scale in setup.scales]
    instances = [shipped(folder, name) for folder, name in dict.fromkeys((folder, name) for folder, name, _ in CASES)]
    return Cases(quick, setup, list(setup.scales), setup.runs, setup.steps, names, units, instances)


def with_steps(cases: Cases, steps: int) -> Cases:
    """The mode's cases with every run's step budget `steps` (`reproduce --steps`; the authors' own cap is
    100,000,000). The budget is part of the section's key and of every unit's, so no unit of another budget is
    ever read back."""
    return replace(cases, plan=replace(cases.plan, steps=steps), steps=steps)


@dataclass(frozen=True)
class UnitRow:
    """One (instance, width, scale): runs, how many converged or diverged, the verdict groups and the verdict
    values among converged runs (and among the others), the steps each run took, the runs creeping at a steady rate
    with the steps they would still need and their rates; the bundle of certificates and how many it holds."""

    instance: str
    width: int
    init_scale: float
    runs: int
    converged: int
    diverged: int
    groups: dict[str, int]
    verdicts: dict[str, int]
    not_converged_verdicts: dict[str, int]
    steps_taken: list[int]
    creeping: int
    extra_steps: list[float]
    rates: list[float] = field(default_factory=list)
    certificates: str | None = None
    certified: int | None = None
    not_converged_groups: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScaleSummary:
    """One scale over every instance and width: the sums of the unit rows."""

    init_scale: float
    runs: int
    converged: int
    groups: dict[str, int]
    creeping: int
    extra_steps: list[float]
    rates: list[float]
    verdicts: dict[str, int]
    not_converged_verdicts: dict[str, int]
    not_converged_groups: dict[str, int]


@dataclass(frozen=True)
class Initialization:
    instances: list[str]
    groups: list[str]
    lam: str = named("lambda")   # `lambda` is a Python keyword
    steps: int
    rate: float
    criterion: float
    init: str
    rows: list[UnitRow]
    scales: list[ScaleSummary]
    instance_files: list[str] = named(default_factory=list)
    difference: str = ""      # what the mode's plan changes in the authors' protocol, in words; empty when nothing
    large_scale: float = 1.0  # the scales at or above it are the contrast's large half (`InitializationPlan.large`)


def _unit(task: tuple[tuple, Path], steps: int, runs: int, rate: float) -> tuple[UnitRow, list]:
    """One (instance, width, scale): `runs` runs of the authors' protocol (`protocol.train_unit`, seeds
    0..runs-1), every endpoint classified; the row and each run's certificate (None when inconclusive). A pure
    function of its arguments (a task: it runs wherever `parallel.Tasks` sends it); the unit's state between
    chunks goes to the task's state file when its folder exists where the task runs, and an interrupted unit
    continues from it, to the same bits."""
    (name, instance, width, scale), state = task
    outcomes = train_unit(instance, width, scale, range(runs), steps, rate, state=state)
    converged: dict[str, int] = {}
    stuck: dict[str, int] = {}
    for run in outcomes:
        tally = converged if run.converged else stuck
        tally[run.verdict] = tally.get(run.verdict, 0) + 1
    groups = _grouped(converged)
    steady = [run.creep for run in outcomes if run.creep is not None and run.creep.steady]
    row = UnitRow(name, width, scale, runs, sum(run.converged for run in outcomes),
                  sum(run.diverged for run in outcomes), groups, converged, stuck, [run.steps for run in outcomes],
                  len(steady), sorted(creep.extra for creep in steady), sorted(creep.rate for creep in steady),
                  not_converged_groups=_grouped(stuck))
    return row, [run.document for run in outcomes]


def compute(settings: Settings, cases: Cases) -> Initialization:
    """Claim 3 like-for-like with the authors (docs/mathematics.md §10 (C)): the Theorem 2 instance (d = 3 exact,
    d = 4 rational near the construction), their balanced initialization w_j ~ N(0, alpha^2 I), a_j = +-||w_j||,
    lambda = 1e-5, their update (full-batch gradient descent on their loss 2L at rate 0.01) and their stopping rule
    ||grad||^2 < 1e-16, within a budget of 4e5 steps (their default cap is 1e8: see `protocol.FULL`; `reproduce
    --steps` sets another, `with_steps`); every endpoint classified (docs/mathematics.md §9). The three-point dataset with a bias is the second example. --quick
    (`protocol.QUICK`): the instance initialization-contrast (a global minimum with no neuron on a kink) at width
    16, 8 runs per scale, at their rate, so that every run meets the criterion within the budget and the scales
    separate; the report states the difference. Each (instance, width, scale) is a task
    (`settings.tasks`); its endpoints' certificates go to the bundle
    `certificates/initialization/<instance>/width-<m>/scale-<alpha>.jsonl.gz` (one line per certified run, in seed
    order) and its row to a checkpoint, so an interrupted run keeps the units it finished.

    Within a unit, the runs' state at every twentieth of the budget goes to `<checkpoint>.state.json` beside
    the unit's checkpoint (`protocol.train_unit`), so a unit interrupted after hours continues where it stopped,
    to the same bits; the file is deleted once the unit's row is written. A task writes it only where the
    checkpoints folder exists (its absolute path): in process, on a local cluster, and on a cluster whose workers
    share this folder at the same path; a worker without it trains the unit without a mid-unit state."""
    units, steps, runs, rate = cases.units_list, cases.steps, cases.runs, cases.plan.rate
    checkpoints = (settings.out / "checkpoints" / "initialization").resolve()   # absolute: tasks run elsewhere too

    def checkpoint(unit) -> Path:
        name, instance, width, scale = unit
        key = settings_key(instance.digest(), width, scale, steps, rate, CRITERION, runs, _VERSION)
        return checkpoints / f"{name}-w{width}-s{scale:g}-{key[:12]}.json"

    def state(unit) -> Path:       # the unit's descent state between chunks, under the unit's key
        return checkpoint(unit).with_suffix(".state.json")

    rows: list[UnitRow | None] = [None] * len(units)
    todo = []
    for index, unit in enumerate(units):
        if checkpoint(unit).exists():
            rows[index] = from_json(UnitRow, json.loads(checkpoint(unit).read_text()))
            state(unit).unlink(missing_ok=True)          # left by an interruption after the row was written
            settings.tick()
        else:
            todo.append(index)
    checkpoints.mkdir(parents=True, exist_ok=True)
    tasks = settings.tasks or Tasks(1)
    for k, (row, documents) in tasks.map(_unit, [(units[i], state(units[i])) for i in todo], steps, runs, rate,
                                         parallel=len(todo) > 1):
        name, _, width, scale = units[todo[k]]
        folder = settings.out / "certificates" / "initialization" / name / f"width-{width}"
        writer = BundleWriter(folder, f"scale-{scale:g}", fresh=True)   # a unit redone starts afresh
        for document in documents:
            if document is not None:
                writer.append(document)
        writer.close()
        row = replace(row, certificates=str((folder / writer.name).relative_to(settings.out)),
                      certified=sum(document is not None for document in documents))
        write_json(checkpoint(units[todo[k]]), to_json(row))
        state(units[todo[k]]).unlink(missing_ok=True)
        rows[todo[k]] = row
        settings.tick()
    done = [row for row in rows if row is not None]
    return Initialization(cases.names, GROUPS, _lambdas(units), steps, rate, CRITERION, "balanced", done,
                          [scale_summary([r for r in done if r.init_scale == scale], scale) for scale in cases.scales],
                          [save_instance(settings, instance) for instance in cases.every_instance],
                          cases.plan.difference, cases.plan.large)


def _lambdas(units: list[tuple[str, Instance, int, float]]) -> str:
    """The mode's weight decays, each with its instances: "1/100000 (theorem2-d3, theorem2-d4), 1/1000 (...)"."""
    names: dict[str, list[str]] = {}
    for name, instance, _, _ in units:
        if name not in names.setdefault(str(instance.lam), []):
            names[str(instance.lam)].append(name)
    return ", ".join(f"{lam} ({', '.join(group)})" for lam, group in names.items())


def scale_summary(rows: list[UnitRow], scale: float) -> ScaleSummary:
    """One scale over every instance and width: runs, converged, the verdict groups among converged runs, the
    not-converged runs (creeping or not) and their extrapolated steps."""
    totals: dict[str, dict[str, int]] = {"verdicts": {}, "not_converged_verdicts": {}}
    for r in rows:
        for key, tally in (("verdicts", r.verdicts), ("not_converged_verdicts", r.not_converged_verdicts)):
            for verdict, count in tally.items():
                totals[key][verdict] = totals[key].get(verdict, 0) + count
    return ScaleSummary(scale, sum(r.runs for r in rows), sum(r.converged for r in rows),
                        {g: sum(r.groups[g] for r in rows) for g in GROUPS}, sum(r.creeping for r in rows),
                        sorted(x for r in rows for x in r.extra_steps), sorted(x for r in rows for x in r.rates),
                        totals["verdicts"], totals["not_converged_verdicts"], _grouped(totals["not_converged_verdicts"]))


DEFINITION = Definition(KEY, TITLE, CLAIM, cases, compute, Initialization, with_steps)
