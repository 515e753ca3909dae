"""Regions under random initialization (docs §4): classify sets S of signed patterns, weight them by their
probability under Gaussian initialization, exhaustively or by sampling, with checkpoints.

Neuron j lands in signed pattern p with probability q_p = measure(sigma) / 2, independently, so the set of
distinct patterns of m neurons equals S with probability m! [x^m] prod_{p in S} (e^{q_p x} - 1) (inclusion-
exclusion over the patterns that are missed; `statistics.set_probability`).

Every local minimum of L in the closure of a region R has loss exactly C(S(R)) (docs §8, Lemma 8.1: it minimizes
the convex G on cl R), so a region is classified by what was proved about C(S) (`CLASSES`, every bound checked
by the checker; the classes are `vocabulary.RegionClass`):

- `contains-global-min`: upper C(S) <= lower L*_m + epsilon (epsilon stated; 0 when S is fully covered), so every
  local minimum in the closure is epsilon-global and a global one is there;
- `spurious-local-min`: lower C(S) > upper L*_m and the interior certificate (docs §5) proves that the minimizer
  of C(S) is a local minimum of L: the closure holds a certified spurious local minimum;
- `no-local-min`: lower C(S) > upper L*_m and the closure is certified free of local minima (claim
  `region-no-local-minimum`, `_absence`): for some pattern of S the dual constraint is strictly slack on the whole
  enclosure ball of the optimal residual, so a local minimum in the closure would have a zero neuron, hence be
  global, while C(S) > L*_m;
- `no-global-min`: lower C(S) > upper L*_m, whether the closure holds a local minimum is undecided;
- `undecided`: the certified bounds do not separate C(S) from L*_m.

Monotonicity prunes: a superset of a set holding a global minimum holds one, and a residual with bound above
L*_m proves every set inside its dual-feasible patterns `no-global-min` (pruning those is off while local minima
are tested, since that needs each set's own minimizer).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from itertools import combinations, product
from pathlib import Path
from typing import Callable

import numpy as np

from .bundles import BundleWriter
from .certificates import chamber_witnesses, document, pattern_entry, rationals
from .checker import check, dual_value
from .checker.absence import slack_rows
from .checker.catalog import below
from .checker.claim_types import ClaimType
from .checker.core import excluded_by_norm, pattern_name, residual as exact_residual
from .checker.face import enclosure_radius2
from .errors import SolverFailure
from .files import write_json
from .journal import Journal
from .landscape import Context, certify_region_minimum
from .numbers import format_rational
from .optimum import certify_region
from .parallel import Shared, Tasks
from .polish import Residual, cone_rows, cone_vector, feasible_multipliers, project
from .samplers import SAMPLERS, Probabilities, Sampler
from .statistics import coverage_probability, midpoint, set_probability, wilson
from .vocabulary import RegionClass

__all__ = ["classify_region", "closure_contains", "Census", "run_census", "EXHAUSTIVE_LIMIT", "CLASSES",
           "FAVOURABILITY_MEASURE"]   # coverage_probability, set_probability, wilson, midpoint: from `statistics`

CLASSES = tuple(RegionClass)   # contains-global-min, spurious-local-min, no-local-min, no-global-min, undecided
_CLASS_VERSION = 3   # part of the checkpoint key: checkpoints written with other class names or rules are never read

EXHAUSTIVE_LIMIT = 200_000
_CHUNK = 64
_IN_PROCESS_FIRST = 100   # sets certified in process before a census ships any to workers


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# what `Census.favourability` measures (the CLI and the docs name it so; `Catalog.favourability` measures something
# else: `catalog.FAVOURABILITY_MEASURE`)
FAVOURABILITY_MEASURE = ("spurious share of initialization mass among regions with a certified interior local minimum, "
                         "p_spurious / (p_global + p_spurious)")


@dataclass
class Census:
    """The probability of each class under `sampler` at width m: exact weights (floats) when exhaustive, else
    Wilson 95% intervals over `samples` draws (`counts` holds the draws per class). `favourability` is the
    spurious share of initialization mass among regions with a certified interior local minimum,
    p_spurious / (p_global + p_spurious) (the paper's second version; `FAVOURABILITY_MEASURE`): a local minimum only on
    a region's boundary counts in neither, so it can differ from the catalog's favourability by count of product faces
    (`catalog.FAVOURABILITY_MEASURE`). `favourability_bracket` is what it could be if every region of unknown status
    (`no-global-min` or `undecided`) went either way."""

    width: int
    exhaustive: bool
    p_contains_global: float | tuple[float, float]
    p_spurious_local_min: float | tuple[float, float]
    p_no_local_min: float | tuple[float, float]
    p_no_global_min: float | tuple[float, float]
    p_undecided: float | tuple[float, float]
    favourability: float | tuple[float, float] | None
    favourability_bracket: tuple[float, float] | None
    p_fully_covered: float
    regions_classified: int
    epsilon: float
    seconds: float
    samples: int = 0
    sampler: str = "gaussian"
    seed: int = 0
    measure_method: str = "exact"
    measure_error: float = 0.0
    counts: dict = field(default_factory=dict)
    classes: dict = field(default_factory=dict)
    instance_digest: str = ""
    resumed: int = 0

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "classes"}

    def __repr__(self) -> str:
        how = "exhaustive" if self.exhaustive else f"{self.samples} samples"
        return (f"<Census width {self.width}, {how}: p_contains_global {midpoint(self.p_contains_global):.4g}, "
                f"p_spurious_local_min {midpoint(self.p_spurious_local_min):.4g}, "
                f"p_no_local_min {midpoint(self.p_no_local_min):.4g}>")


@dataclass(frozen=True)
class Thresholds:
    """What a set's class is decided against: certified bounds lower <= L*_m <= upper and the tolerance of a
    global claim (relative to max(1, |upper|))."""

    lower: Fraction
    upper: Fraction
    tolerance: Fraction

    def classify(self, lower: Fraction, upper: Fraction) -> tuple[RegionClass, Fraction]:
        """The class of a set from certified bounds lower <= C(S) <= upper, and the epsilon of a global claim:
        contains a global minimum when upper C(S) <= lower L*_m + epsilon, none when lower C(S) > upper L*_m."""
        if upper - self.lower <= self.tolerance * max(1, abs(self.upper)):
            return RegionClass.CONTAINS_GLOBAL, upper - self.lower
        if lower > self.upper:
            return RegionClass.NO_GLOBAL, Fraction(0)
        return RegionClass.UNDECIDED, Fraction(0)


@dataclass(frozen=True)
class CertifiedSet:
    """What `_certify_set` proved about one set S of pattern indices: certified bounds lower <= C(S) <= upper (when
    `certified`) with their certificate `document`, whether every pattern of S carries a non-zero neuron at the
    minimizer (`candidate` for the interior certificate) and, when the bounds prove C(S) > L*_m, the dual
    `residual` that proves it (other sets are tested against it later, see `_Cover`)."""

    S: tuple[int, ...]
    certified: bool
    lower: Fraction
    upper: Fraction
    residual: tuple[Fraction, ...] | None
    document: dict
    candidate: bool


def _certify_set(S: tuple[int, ...], shared: Shared, thresholds: Thresholds) -> CertifiedSet:
    """Certified bounds on C(S) (see `CertifiedSet`); a float-precision certificate is kept when it already decides
    the class. A pure function of its arguments (a task: it runs wherever `parallel.Tasks` sends it; `shared` is
    the census's `Context`, the caller's own in process, built once per worker elsewhere)."""
    context = shared.value()

    def decided(lower: Fraction, upper: Fraction) -> bool:
        return thresholds.classify(lower, upper)[0] != RegionClass.UNDECIDED

    region = certify_region(context.instance, [context.patterns[i] for i in S], context.programs, context.digits,
                            context.arrangement, decided)
    residual = tuple(region.duals[0].r) if region.certified and region.lower > thresholds.upper else None
    candidate = len({nr.pattern for nr in region.neurons}) == len(S)
    return CertifiedSet(S, region.certified, region.lower, region.upper, residual, region.document, candidate)


class _Cover:
    """A residual r whose bound exceeds upper L*_m: every set of signed patterns on which r is dual-feasible
    has C(S) > L*_m (weak duality, C monotone). Feasibility is decided per pattern when first asked (a float
    screen, then an exact projection whose multipliers are kept for the certificate), so a cover costs only
    what pruning uses."""

    def __init__(self, context: Context, r: tuple[Fraction, ...]):
        self.context, self.r = context, list(r)
        self.residual = Residual.of(self.r)      # converted once: one r is tried on many patterns
        self.value = dual_value(context.instance, self.r)
        self.multipliers: dict[int, list[Fraction] | None] = {}

    def covers(self, S: frozenset) -> bool:
        for i in sorted(S, key=lambda i: self.multipliers.get(i, True) is not None):   # known failures first
            if i not in self.multipliers:
                self.multipliers[i] = feasible_multipliers(self.context.instance, self.residual, self.context.patterns[i])
            if self.multipliers[i] is None:
                return False
        return True


def _decide(result: CertifiedSet, thresholds: Thresholds) -> tuple[RegionClass, Fraction]:
    """The class of a certified set and the epsilon of a global claim (undecided when nothing was certified)."""
    if not result.certified:
        return RegionClass.UNDECIDED, Fraction(0)
    return thresholds.classify(result.lower, result.upper)


def _local_minimum(context: Context, S, bounds_document: dict, candidate: bool) -> tuple[RegionClass, dict | None]:
    """What is proved about local minima in the closure of the regions of S (pattern indices, C(S) > L*_m proved by
    `bounds_document`), with its certificate: `spurious-local-min` when the interior certificate (docs §5) proves
    the minimizer of C(S) a local minimum of L at width m (tried when every pattern of S carries a neuron at the
    float minimizer: `candidate`; the region puts the m neurons on the patterns of S, the first one repeated), else
    `no-local-min` when `_absence` proves the closure free of local minima, else `no-global-min`."""
    if candidate and len(S) <= context.width:
        neurons = [context.patterns[i] for i in sorted(S)]
        neurons += [neurons[0]] * (context.width - len(neurons))
        result = certify_region_minimum(context, neurons)
        if result.verdict == "spurious-local-minimum" and result.certified:
            return RegionClass.SPURIOUS, result.document
    absence = _absence(context, S, bounds_document)
    if absence is not None:
        return RegionClass.NO_LOCAL, absence
    return RegionClass.NO_GLOBAL, None


def _absence(context: Context, S, bounds_document: dict) -> dict | None:
    """A `region-no-local-minimum` certificate for the set S (pattern indices, C(S) > L*_m proved by
    `bounds_document`), or None: a pattern of S whose dual constraint is strictly slack on the whole enclosure
    ball of the optimal residual (so the minimizer of C(S) has a zero neuron, and a local minimum in the closure would
    be global). Patterns without a neuron at the certified point are tried first; mu is the exact projection
    multiplier at the centre r0 of the ball."""
    instance = context.instance
    claim, witnesses = bounds_document["claim"], bounds_document["witnesses"]
    lower, upper = Fraction(claim["lower"]), Fraction(claim["upper"])
    u0 = [(entry["sign"], [Fraction(x) for x in entry["u"]]) for entry in witnesses["primal"]]
    r0 = exact_residual(instance, u0)
    rho2 = enclosure_radius2(instance.n, upper, lower)
    alive = {(entry["pattern"], entry["sign"]) for entry in witnesses["primal"] if any(Fraction(x) for x in entry["u"])}
    for p in sorted((context.patterns[i] for i in S), key=lambda p: (p.label, p.s) in alive):
        try:
            mu, _, _ = project(cone_vector(instance, p, r0), cone_rows(instance, p))
        except SolverFailure:
            continue
        mu = [max(x, Fraction(0)) for x in mu]
        A, b = slack_rows(instance, p.label, p.s, mu)
        if not excluded_by_norm(A, instance.lam, "norm-low", r0, rho2, offset=b):
            continue
        doc = document(instance, {"type": ClaimType.REGION_NO_LOCAL_MINIMUM, "width": context.width,
                                  "patterns": claim["patterns"], "lower": claim["lower"], "upper": claim["upper"]},
                       {"chambers": witnesses["chambers"], "primal": witnesses["primal"], "dual": witnesses["dual"],
                        "width_upper": context.width_bounds.document["witnesses"]["primal"],
                        "slack": dict(pattern_entry(p), mu=rationals(mu))})
        if check(doc).proved:
            return doc
    return None


def closure_contains(S, face) -> bool:
    """Whether some region R with S(R) = S (signed chambers (label, s); m neurons, every pattern of S used) has the
    product face `face` (m signed faces (tau, s), docs §8) in its closure: a map of the faces onto S with each face
    below its chamber and of the same sign. Brute force over |S|^m maps: for tests and tiny instances."""
    S = set(S)
    return any(set(chosen) == S and all(s == c_s and below(tau, label) for (tau, s), (label, c_s) in zip(face, chosen))
               for chosen in product(S, repeat=len(face)))


def classify_region(context: Context, patterns, tolerance: Fraction = Fraction(1, 10**9),
                    local_minima: bool = True) -> tuple[RegionClass, Fraction]:
    """The class (`CLASSES`) of the regions whose set of signed patterns is S = set(patterns), and the epsilon
    of a `contains-global-min` claim (exactly 0 when S holds all 2P signed patterns: fully covered). Every bound
    is certified and checked; `local_minima` runs the interior certificate and the certificate of absence on
    `no-global-min` sets."""
    S = tuple(sorted({context.patterns.index(p) for p in patterns}))
    if len(S) == len(context.patterns):
        return RegionClass.CONTAINS_GLOBAL, Fraction(0)
    shared, thresholds = _task_arguments(context, tolerance)
    result = _certify_set(S, shared, thresholds)
    kind, epsilon = _decide(result, thresholds)
    if kind == RegionClass.NO_GLOBAL and local_minima:
        kind = _local_minimum(context, S, result.document, result.candidate)[0]
    return kind, epsilon


class _Bundle:
    """The certificates behind each classified set: `L-star-m.json` (bounds on L*_m), the bundle `sets.jsonl.gz`
    (`bundles`: one certificate per line, named `sets.jsonl.gz#<line>`; per set the bounds on C(S), then the
    interior certificate or the certificate of absence when there is one), and `regions.jsonl`: per set, its
    patterns, class, epsilon and the names of its certificates. `verifier check` accepts the bundle (every line)
    and each file. A set settled by monotonicity gets a C(S) certificate built from the set that settles it (the
    same primal point for a superset, the same dual residual restricted to S for a subset), which the checker
    verifies on its own."""

    def __init__(self, context: Context, folder: Path, fresh: bool):
        self.context = context
        self.sets = BundleWriter(folder, "sets", fresh)   # a fresh run starts a fresh bundle and index
        if fresh:
            (folder / "regions.jsonl").unlink(missing_ok=True)
        write_json(folder / "L-star-m.json", context.width_bounds.document)
        self.index = Journal(folder / "regions.jsonl", None)   # no header: the folder says which census it indexes
        self.bounds: dict[tuple[str, ...], str] = {}   # a set's names -> its C(S) certificate's name
        for record in self.index.records():
            names = [f for f in record["certificates"] if f.startswith(self.sets.name)]
            if names:
                self.bounds[tuple(record["S"])] = names[0]

    def _names(self, S) -> tuple[str, ...]:
        return tuple(pattern_name(p.label, p.s) for p in (self.context.patterns[i] for i in sorted(S)))

    def write(self, document: dict) -> str:
        return self.sets.append(document)

    def _claim(self, S, **bounds) -> dict:
        patterns = [self.context.patterns[i] for i in sorted(S)]
        return {"type": ClaimType.BOUNDS, "quantity": "C(S)", "patterns": [pattern_entry(p) for p in patterns], **bounds}

    def _chambers(self, S) -> dict:
        return chamber_witnesses(self.context.arrangement, {self.context.patterns[i].label for i in S})

    def superset(self, S, G) -> str | None:
        """upper C(S) <= upper C(G) for S containing G: G's primal point is feasible for C(S); the new
        certificate's name (None when G has no certificate here, e.g. G was classified by a run that kept none)."""
        name = self.bounds.get(self._names(G))
        if name is None:
            return None
        source = self.sets.read(name)
        return self.write(document(self.context.instance, self._claim(S, upper=source["claim"]["upper"]),
                                   {"primal": source["witnesses"]["primal"], "chambers": self._chambers(S)}))

    def subset(self, S, cover: _Cover) -> str:
        """lower C(S) >= the bound of a residual dual-feasible on every pattern of S (cover.covers(S) holds)."""
        patterns = self.context.patterns
        dual = {"r": rationals(cover.r), "patterns": [dict(pattern_entry(patterns[i]),
                                                           mu=rationals(cover.multipliers[i])) for i in sorted(S)]}
        return self.write(document(self.context.instance, self._claim(S, lower=format_rational(cover.value)),
                                   {"dual": [dual], "chambers": self._chambers(S)}))

    def record(self, S, kind: RegionClass, epsilon: Fraction, files: list[str]) -> None:
        names = self._names(S)
        if files:
            self.bounds[names] = files[0]
        self.index.append({"S": list(names), "class": kind, "epsilon": format_rational(epsilon),
                           "certificates": ["L-star-m.json"] + files})

    def close(self) -> None:
        self.sets.close()
        self.index.close()


def _task_arguments(context: Context, tolerance: Fraction) -> tuple[Shared, Thresholds]:
    """What `_certify_set` needs besides S: the context as a `Shared` handle (the caller's own object in process; a
    worker builds its own once) and the thresholds a set's class is decided against."""
    instance, width, digits = context.instance, context.width, context.digits
    shared = Shared(("census", instance, width, digits), partial(Context, instance, width, digits), local=context)
    return shared, Thresholds(context.width_bounds.lower, context.width_bounds.upper, tolerance)


class _Classifier:
    """Classifies sets of pattern indices with certified bounds, pruned by monotonicity, with a checkpoint;
    the sets left after pruning are certified by `tasks` (in process, or on dask workers), each result
    recorded and checkpointed as it arrives. Pruning only uses the results of earlier chunks, so the
    classes do not depend on where or in which order a chunk's sets are certified."""

    def __init__(self, context: Context, journal: Journal, tolerance: Fraction, tasks: Tasks,
                 local_minima: bool = True, bundle: _Bundle | None = None):
        self.context = context
        self.tasks = tasks
        self.shared, self.thresholds = _task_arguments(context, tolerance)
        self.local_minima = local_minima
        self.bundle = bundle
        self.certified = 0
        self.classes: dict[frozenset, RegionClass] = {}
        self.global_sets: list[frozenset] = []
        self.spurious_covers: list[_Cover] = []
        self.epsilon = Fraction(0)
        self.journal = journal
        self.resumed = 0
        for record in journal.records():   # the finished sets of an interrupted run with this header
            self._record(frozenset(record["set"]), RegionClass(record["class"]), Fraction(record["epsilon"]),
                         write=False)
            self.resumed += 1

    def _record(self, S: frozenset, kind: RegionClass, epsilon: Fraction = Fraction(0), write: bool = True,
                files: tuple[str, ...] = ()) -> RegionClass:
        self.classes[S] = kind
        if kind == RegionClass.CONTAINS_GLOBAL:
            self.global_sets.append(S)
            self.epsilon = max(self.epsilon, epsilon)
        if write and self.bundle:
            self.bundle.record(S, kind, epsilon, list(files))
        if write:
            self.journal.append({"set": sorted(S), "class": kind, "epsilon": str(epsilon)})
        return kind

    def _pruned(self, S: frozenset) -> RegionClass | None:
        if S in self.classes:
            return self.classes[S]
        if len(S) == len(self.context.patterns):
            return self._record(S, RegionClass.CONTAINS_GLOBAL)       # fully covered: C(S) = C* = L*_m exactly
        for G in self.global_sets:
            if G <= S:
                name = self.bundle.superset(S, G) if self.bundle else None
                return self._record(S, RegionClass.CONTAINS_GLOBAL, self.epsilon, files=(name,) if name else ())
        for cover in self.spurious_covers:
            if cover.covers(S):
                files = (self.bundle.subset(S, cover),) if self.bundle else ()
                return self._record(S, RegionClass.NO_GLOBAL, files=files)
        return None

    def classify_many(self, sets: list[frozenset]) -> list[RegionClass]:
        """Classes of the sets, in order; certifying the unpruned ones through `tasks`."""
        todo = [tuple(sorted(S)) for S in dict.fromkeys(sets) if self._pruned(S) is None]
        parallel = self.certified >= _IN_PROCESS_FIRST and len(todo) >= 2   # small jobs never pay start-up
        self.certified += len(todo)
        for _, result in self.tasks.map(_certify_set, todo, self.shared, self.thresholds, parallel=parallel):
            S = frozenset(result.S)
            if S in self.classes:
                continue
            kind, epsilon = _decide(result, self.thresholds)
            files = []
            if self.bundle and result.certified:
                files.append(self.bundle.write(result.document))
            if kind == RegionClass.NO_GLOBAL and self.local_minima:
                kind, local = _local_minimum(self.context, S, result.document, result.candidate)
                if local is not None and self.bundle:
                    files.append(self.bundle.write(local))
            elif kind == RegionClass.NO_GLOBAL and result.residual is not None:
                self.spurious_covers.append(_Cover(self.context, result.residual))
            self._record(S, kind, epsilon, files=tuple(files))
        return [self.classes[S] if S in self.classes else self._pruned(S) for S in sets]


def _checkpoint_settings(context: Context, tolerance: Fraction, local_minima: bool) -> dict:
    """What a set's class depends on: the instance's digest, the width, the digits, the tolerance, whether local
    minima are tested and the class names' version. The sampler and the seed are not part of it: they choose which
    sets are drawn, not their classes, so runs with either sampler share the finished sets."""
    return {"instance": context.instance.digest(), "width": context.width, "digits": context.digits,
            "tolerance": format_rational(tolerance), "local_minima": local_minima, "classes": _CLASS_VERSION}


def checkpoint_header(context: Context, tolerance: Fraction, local_minima: bool) -> dict:
    """A checkpoint's first line: `_checkpoint_settings` with `key`, their `journal.settings_key`. Checkpoints are
    named by the key and their header is compared before reading (`journal.Journal`), so a resumed run never
    reads another instance's (or another setting's) results."""
    return Journal(None, _checkpoint_settings(context, tolerance, local_minima)).header


def checkpoint_path(context: Context, out: str | Path, tolerance: Fraction = Fraction(1, 10**9),
                    local_minima: bool = True) -> Path:
    """Where `run_census` keeps the checkpoint of this instance, width and these settings inside `out`."""
    key = checkpoint_header(context, tolerance, local_minima)["key"]
    return Path(out) / f"census-width-{context.width}-{key[:16]}.checkpoint.jsonl"


def run_census(context: Context, samples: int = 2000, limit: int = EXHAUSTIVE_LIMIT, seed: int = 0,
               out: str | Path | None = None, tolerance: Fraction = Fraction(1, 10**9),
               progress: Callable[[int, int], None] | None = None, tasks: Tasks | None = None,
               sampler: str | Sampler = "gaussian", local_minima: bool = True,
               certificates: str | Path | None = None) -> Census:
    """The probability of each class of `CLASSES` for a width-m initialization drawn by `sampler` (`samplers`):
    exhaustive over all sets of at most m signed patterns when there are at most `limit` of them (weighted
    exactly by the sampler's q), else Monte Carlo over `samples` initializations (generator seeded by `seed`)
    with Wilson 95% intervals. `out` keeps a checkpoint to resume from (see `checkpoint_header`); sets left
    after pruning are certified by `tasks` (default: in process; see `parallel.Tasks`); `certificates` is a folder that
    receives the certificate behind every classified set (see `_Bundle`)."""
    start = time.perf_counter()
    sampler = SAMPLERS[sampler] if isinstance(sampler, str) else sampler
    m, patterns = context.width, context.patterns
    probabilities = sampler.probabilities(context.arrangement)
    q = dict(enumerate(probabilities.q))
    checkpoint = None
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        checkpoint = checkpoint_path(context, out, tolerance, local_minima)
    bundle = None
    if certificates:
        bundle = _Bundle(context, Path(certificates), fresh=checkpoint is None or not checkpoint.exists())
    count = sum(math.comb(len(patterns), k) for k in range(1, min(m, len(patterns)) + 1))
    with Journal(checkpoint, _checkpoint_settings(context, tolerance, local_minima)) as journal:
        classifier = _Classifier(context, journal, tolerance, tasks or Tasks(1), local_minima, bundle)
        if count <= limit:
            weights = dict.fromkeys(CLASSES, 0.0)      # exact probability mass per class
            done = 0
            for k in range(1, min(m, len(patterns)) + 1):
                for chunk in _chunks(combinations(range(len(patterns)), k), _CHUNK):
                    for S, kind in zip(chunk, classifier.classify_many([frozenset(S) for S in chunk])):
                        weights[kind] += set_probability(q, S, m)
                    done += len(chunk)
                    if progress:
                        progress(done, count)
        else:
            rng = np.random.default_rng(seed)
            drawn = [sampler.draw(context.arrangement, rng, m) for _ in range(samples)]
            ordered = sorted(set(drawn), key=len)
            for start_at in range(0, len(ordered), _CHUNK):
                classifier.classify_many(ordered[start_at: start_at + _CHUNK])
                if progress:
                    progress(min(start_at + _CHUNK, len(ordered)), len(ordered))
            weights = {kind: sum(1 for S in drawn if classifier.classes[S] == kind) for kind in CLASSES}   # draws
    if bundle:
        bundle.close()
    census = _census(width=m, exhaustive=count <= limit, weights=weights, samples=0 if count <= limit else samples,
                     p_fully_covered=coverage_probability(list(q.values()), m), classifier=classifier,
                     seconds=time.perf_counter() - start, sampler=sampler.name, seed=seed, probabilities=probabilities,
                     instance_digest=journal.header["instance"])
    if out:
        write_json(Path(out) / f"census-width-{m}-{sampler.name}.json", census.to_dict())
    return census


def _census(*, width: int, exhaustive: bool, weights: dict[RegionClass, float], samples: int, p_fully_covered: float,
            classifier: _Classifier, seconds: float, sampler: str, seed: int, probabilities: Probabilities,
            instance_digest: str) -> Census:
    """The census record, built once: probabilities from exact masses (exhaustive) or Wilson 95% intervals from
    counts of draws (sampled, `weights` are then the counts), the favourability and its bracket, and what the run
    classified."""
    if exhaustive:
        p = dict(weights)
    else:
        p = {kind: wilson(count, samples) for kind, count in weights.items()}
    g, s = weights[RegionClass.CONTAINS_GLOBAL], weights[RegionClass.SPURIOUS]
    unknown = weights[RegionClass.NO_GLOBAL] + weights[RegionClass.UNDECIDED]
    if exhaustive:
        favourability = s / (g + s) if g + s > 0 else None
    else:
        favourability = wilson(s, g + s) if g + s > 0 else None
    total = g + s + unknown
    return Census(
        width=width, exhaustive=exhaustive,
        p_contains_global=p[RegionClass.CONTAINS_GLOBAL], p_spurious_local_min=p[RegionClass.SPURIOUS],
        p_no_local_min=p[RegionClass.NO_LOCAL], p_no_global_min=p[RegionClass.NO_GLOBAL],
        p_undecided=p[RegionClass.UNDECIDED], favourability=favourability,
        favourability_bracket=(s / total, (s + unknown) / total) if total > 0 else None,
        p_fully_covered=p_fully_covered, regions_classified=len(classifier.classes),
        epsilon=float(classifier.epsilon), seconds=seconds, samples=samples, sampler=sampler, seed=seed,
        measure_method=probabilities.method, measure_error=probabilities.error,
        counts={} if exhaustive else dict(weights),
        classes={kind: sum(1 for v in classifier.classes.values() if v == kind) for kind in CLASSES},
        instance_digest=instance_digest, resumed=classifier.resumed)
