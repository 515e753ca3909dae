"""The Python API: one function per question, the same functions the command line calls.

Every function takes an `Instance` (or the arguments of `Instance.from_arrays`: lists, numpy arrays and
numbers, floats read by `numbers.FLOAT_RULE`) and returns a result object with a readable repr and
`to_dict()`. Verdicts are `Outcome` members; anything not proved is `Outcome.INCONCLUSIVE` with a reason.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .instance import Instance

if TYPE_CHECKING:
    from .arrangement import Arrangement, Measures
    from .checker import Verdict
    from .landscape import Classification, Context
    from .optimum import Bounds

__all__ = ["chambers", "enumeration", "Enumeration", "solve", "optima", "Optima", "classify", "examine", "Examination",
           "classify_near", "certify", "certify_every_width", "take_census", "curve", "spurious_curve", "train", "check", "read_network", "save_counterexample"]


def _instance(instance: Any) -> Instance:
    if isinstance(instance, Instance):
        return instance
    if isinstance(instance, (str, Path)):
        return Instance.load(instance)
    if isinstance(instance, dict):
        return Instance.from_dict(instance)
    raise TypeError(f"instance: expected an Instance, a dict or a file path, got {type(instance).__name__}")


def chambers(instance: Any):
    """The activation regions of the data: the chambers of the arrangement of hyperplanes <x_i, w> = 0.

    Parameters
    ----------
    instance : Instance, dict or path

    Returns
    -------
    Arrangement
        Every chamber's sign vector and an integer witness w; `complete` when their number equals the
        count of Zaslavsky's theorem. `.plot()` draws it.

    Examples
    --------
    >>> chambers(Instance.from_arrays([[1, 0], [0, 1], [1, 1]], [1, 2, 3], 1))
    <Arrangement n=3, d=2: 3 hyperplanes, rank 2, 6 chambers>
    """
    from .arrangement import enumerate_chambers
    from .views import Arrangement, promote

    return promote(Arrangement, enumerate_chambers(_instance(instance).X))


@dataclass(frozen=True)
class Enumeration:
    """`verifier enumerate`: the chambers (`arrangement`, found in `seconds`), their certificate `document` with the
    checker's `verdict` on it, and the Gaussian measure of each chamber (`measures`)."""

    arrangement: Arrangement
    document: dict
    verdict: Verdict
    measures: Measures
    seconds: float

    @property
    def complete(self) -> bool:
        """Every chamber is listed, as the checker proved (the count equals Zaslavsky's)."""
        return self.arrangement.complete and self.verdict.proved


def enumeration(instance: Any, samples: int = 200_000) -> Enumeration:
    """The chambers with the checked certificate that they are all, and their measures (Monte Carlo with
    `samples` draws when the rank is at least 4).

    Examples
    --------
    >>> found = enumeration(Instance.from_arrays([[1, 0], [0, 1], [1, 1]], [1, 2, 3], 1))
    >>> len(found.arrangement), found.complete, found.measures.method
    (6, True, 'exact')
    """
    from . import certificates, checker
    from .arrangement import enumerate_chambers

    data = _instance(instance)
    start = time.perf_counter()
    arrangement = enumerate_chambers(data.X)
    seconds = time.perf_counter() - start
    document = certificates.enumeration_certificate(data, arrangement)
    return Enumeration(arrangement, document, checker.check(document), arrangement.measures(samples=samples), seconds)


def solve(instance: Any, width: int | None = None, digits: int = 20, progress: Callable | None = None):
    """Certified bounds on the convex optimum C* or, with `width` m, on the width-m optimum L*_m.

    Parameters
    ----------
    instance : Instance, dict or path
    width : int, optional
        m; without it the bounds are on C*.
    digits : int
        Polishing precision: the relative gap reaches about 10^-digits.
    progress : callable, optional
        ``progress(done, total)`` over the region programs of L*_m.

    Returns
    -------
    Bounds
        `lower`, `upper` (Fractions), `certified` (the checker accepted `document`), `neurons` attaining
        the upper bound.

    Examples
    --------
    >>> from fractions import Fraction
    >>> bounds = solve(Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"), width=1)
    >>> bounds.lower == bounds.upper == Fraction(11, 64), bounds.certified
    (True, True)
    """
    from .arrangement import enumerate_chambers
    from .convex import ConvexPrograms
    from .optimum import certify_convex_optimum, certify_width_optimum

    data = _instance(instance)
    arrangement = enumerate_chambers(data.X)
    programs = ConvexPrograms(data)
    if width is None:
        return certify_convex_optimum(data, arrangement, programs, digits)
    return certify_width_optimum(data, arrangement, width, programs, digits, progress)


@dataclass(frozen=True)
class Optima:
    """C* and, at a width m, L*_m on one instance, each certified by its own checked certificate (`verifier solve`).
    `width_optimum` is None without a width, or when `optima(max_sets=...)` left it out."""

    instance: Instance
    chambers: int
    convex: Bounds
    width: int | None
    width_optimum: Bounds | None
    seconds: float

    @property
    def certified(self) -> bool:
        """The checker accepted every certificate computed."""
        return self.convex.certified and (self.width_optimum is None or self.width_optimum.certified)

    @property
    def result(self) -> Bounds:
        """The bounds asked for: L*_m with a width, else C*."""
        return self.width_optimum or self.convex


def optima(instance: Any, width: int | None = None, digits: int = 20, progress: Callable | None = None,
           max_sets: int | None = None) -> Optima:
    """Certified bounds on C* and, with `width` m, on L*_m, from one enumeration of the chambers and one set of
    convex programs. With `max_sets`, L*_m is left out when an optimal C* network needs more than m neurons and
    the m-sets of signed patterns number more than `max_sets` (each may need a region program).

    Examples
    --------
    >>> both = optima(Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"), width=1)
    >>> str(both.convex.upper), str(both.width_optimum.upper), both.certified
    ('5/32', '11/64', True)
    """
    from math import comb

    from .arrangement import enumerate_chambers
    from .convex import ConvexPrograms
    from .optimum import certify_convex_optimum, certify_width_optimum

    data = _instance(instance)
    start = time.perf_counter()
    arrangement = enumerate_chambers(data.X)
    programs = ConvexPrograms(data)
    convex = certify_convex_optimum(data, arrangement, programs, digits)
    needed = width is not None and (max_sets is None or len(convex.neurons) <= width
                                    or comb(2 * len(arrangement), width) <= max_sets)
    width_optimum = certify_width_optimum(data, arrangement, width, programs, digits, progress) if needed else None
    return Optima(data, len(arrangement), convex, width, width_optimum, time.perf_counter() - start)


def _network(network: Any, d: int):
    from .models import read_network as _read
    from .network import Network

    if isinstance(network, (str, Path)):
        return _read(network, d).network
    if isinstance(network, Network):
        return network
    return Network.from_arrays(*network, d=d)


def classify(instance: Any, network: Any, width: int | None = None):
    """The exact verdict on the network given: a global minimum, a spurious local minimum, a local minimum
    (global versus spurious undecided), or not a local minimum.

    The network's numbers are read exactly, so the verdict is about that very point. A network from training
    is almost never exactly balanced and stationary, so it is certified `not-a-local-minimum`; use
    `classify_near` for the exact point near it.

    Parameters
    ----------
    instance : Instance, dict or path
    network : Network, (a, W) pair of arrays, or a path (JSON, .safetensors, .npz)
    width : int, optional
        m (default: the network's width; a larger m pads the network with zero neurons).

    Returns
    -------
    Classification
        `verdict` (an `Outcome`), `reason`, `certified`, the certificate `document`.

    Examples
    --------
    The one-dimensional example: x = (-1, 1), y = (1, 1/2), lambda = 1/8, a = w = 1/2.

    >>> result = classify(Instance.from_arrays([[-1], [1]], [1, 0.5], 0.125), ([0.5], [[0.5]]))
    >>> result.verdict, result.certified
    (<Outcome.SPURIOUS_LOCAL_MINIMUM: 'spurious-local-minimum'>, True)
    >>> result.details["loss"]
    Fraction(19, 64)
    """
    from .landscape import classify_network

    context, network = _context(instance, network, width)
    return classify_network(context, network)


def _context(instance: Any, network: Any, width: int | None) -> tuple[Context, Any]:
    """The shared context of a network's questions (width m: given, else the network's) and the network."""
    from .landscape import Context

    data = _instance(instance)
    network = _network(network, data.d)
    return Context(data, width or network.width), network


def classify_near(instance: Any, network: Any, width: int | None = None, tolerance: float | None = None):
    """The verdict on the exact point near a gradient-descent endpoint (not on the endpoint).

    The endpoint's face (dead neurons and kink rows) is identified adaptively: finest first, then snapping ever
    larger relative pre-activations onto their kinks and smaller neurons to zero, up to `tolerance`, until a
    certificate about the face's exact minimizer theta_F holds. The verdict is about theta_F (a local minimum, a
    saddle, or a point that is not stationary); `details["prediction_distance"]` says how far the endpoint's
    predictions are from it (certified) and `details["tolerance"]` what the face snapped. `not-converged` means no
    such point was identified near the endpoint, and is a verdict about the endpoint itself.

    Parameters
    ----------
    instance : Instance, dict or path
    network : Network, (a, W) pair of arrays, or a path (JSON, .safetensors, .npz)
    width : int, optional
        m (default: the network's width).
    tolerance : float, optional
        The coarsest relative tolerance tried: a pre-activation |<x_i, u_j>| <= tolerance ||x_i|| ||u_j|| may be
        snapped onto its kink, a neuron with ||u_j|| <= tolerance max_k ||u_k|| to zero (default: from the
        gradient norm, 10 ||grad L|| within [1e-3, 1e-1]).

    Returns
    -------
    Classification

    Examples
    --------
    >>> instance = Instance.from_arrays([[-1], [1]], [1, 0.5], 0.125)
    >>> classify(instance, ([0.51], [[0.49]])).verdict           # the float point itself
    <Outcome.NOT_A_LOCAL_MINIMUM: 'not-a-local-minimum'>
    >>> run = train(instance, width=1, seed=3, steps=3000)
    >>> classify_near(instance, run.final).certified            # the exact point near where training ended
    True
    """
    from .endpoints import classify_endpoint

    context, network = _context(instance, network, width)
    return classify_endpoint(context, *network.arrays(), coarsest=tolerance)


@dataclass(frozen=True)
class Examination:
    """`verifier classify`: the verdict on the network itself (`point`) and, when asked, on the exact point near it
    as a gradient-descent endpoint (`near`); `chosen` is the one whose certificate the command writes."""

    point: Classification
    near: Classification | None
    seconds: float

    @property
    def chosen(self) -> Classification:
        return self.point if self.near is None else self.near


def examine(instance: Any, network: Any, width: int | None = None, endpoint: bool = False,
            tolerance: float | None = None) -> Examination:
    """`classify` and, with `endpoint`, `classify_near` on one shared context (one enumeration, one L*_m).

    Examples
    --------
    >>> seen = examine(Instance.from_arrays([[-1], [1]], [1, 0.5], 0.125), ([0.5], [[0.5]]))
    >>> seen.point.verdict, seen.near is None, seen.chosen is seen.point
    (<Outcome.SPURIOUS_LOCAL_MINIMUM: 'spurious-local-minimum'>, True, True)
    """
    from .endpoints import classify_endpoint
    from .landscape import classify_network

    context, network = _context(instance, network, width)
    start = time.perf_counter()
    point = classify_network(context, network)
    near = classify_endpoint(context, *network.arrays(), coarsest=tolerance) if endpoint else None
    return Examination(point, near, time.perf_counter() - start)


def certify(instance: Any, width: int, budget: float | None = None, first: bool = False,
            checkpoint: str | None = None, progress: Callable | None = None, workers: int | None = None,
            scheduler: str | None = None):
    """Every local minimum of width m (docs/mathematics.md §8): a `Catalog` whose `verdict` is `benign` (every local minimum has
    loss <= L*_m + epsilon), `spurious-local-minima` (the catalog of them) or `undecided` (faces and reasons), as the
    exact checker proved it from the catalog certificate (`document`). `complete` says whether every product face
    is settled: an incomplete `spurious-local-minima` catalog proves its entries exist, not that they are all;
    `lstar` is None when the budget ran out before L*_m was certified. `workers` runs the region programs on a local
    dask cluster of that many processes, `scheduler` on an existing dask scheduler (default: in process, or
    $DASK_SCHEDULER_ADDRESS when set).

    Returns
    -------
    Catalog
        `.plot()` draws it on a loss axis.

    Examples
    --------
    >>> catalog = certify(Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"), width=1)
    >>> catalog.verdict, [entry["value"][0] for entry in catalog.spurious]
    ('spurious-local-minima', ['19/64'])
    """
    from .catalog import Settings, build_catalog
    from .parallel import Tasks
    from .results import catalog_result

    with Tasks(workers, scheduler) as tasks:
        return catalog_result(build_catalog(_instance(instance), width, Settings(budget=budget, first=first), progress,
                                            checkpoint, tasks))


def certify_every_width(instance: Any, budget: float | None = None, checkpoint: str | None = None,
                        progress: Callable | None = None, workers: int | None = None, scheduler: str | None = None):
    """The landscape at every width (proofs/lemma_every_width.py): an `EveryWidth` with the local-minimum classes
    (value bracket, smallest width, global there or not), one row per width m (L*_m, the spurious values) up to
    `stable_from`, from which every width is as the last row, and `verdict` `benign-at-every-width`,
    `spurious-local-minima` or `undecided`, as the checker proved it from the `every-width` certificate (`document`).
    `workers` and `scheduler` place the region programs as in `certify`.

    Examples
    --------
    >>> result = certify_every_width(Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"))
    >>> result.verdict, result.certified, result.stable_from
    ('spurious-local-minima', True, 2)
    >>> [[str(v[0]) for v in row.spurious] for row in result.by_width]
    [['19/64'], ['11/64', '19/64']]
    """
    from .catalog import Settings
    from .every_width import build_every_width
    from .parallel import Tasks

    with Tasks(workers, scheduler) as tasks:
        return build_every_width(_instance(instance), Settings(budget=budget), progress, checkpoint, tasks)


def take_census(instance: Any, width: int, samples: int = 2000, limit: int | None = None, seed: int = 0,
                out: str | Path | None = None, progress: Callable | None = None, sampler: str = "gaussian",
                local_minima: bool = True, certificates: str | Path | None = None, workers: int | None = None,
                scheduler: str | None = None, started: Callable | None = None):
    """The probability that a random width-m initialization lands in a region of each certified class
    (`census.CLASSES`): a global minimum, a certified spurious local minimum, certainly no local minimum, or open.

    Exhaustive over all sets of at most m signed patterns when there are at most `limit`, otherwise
    `samples` random initializations drawn by `sampler` ("gaussian" or the authors' "uniform"; Wilson 95%
    intervals). `out` keeps a resumable checkpoint; `certificates` is a folder that receives the certificate
    behind every classified set; `local_minima=False` skips the local-minimum tests (spurious or absent).
    `workers` runs the sets on a local dask cluster of that many processes, `scheduler` on an existing dask scheduler
    (default: in process, or $DASK_SCHEDULER_ADDRESS when set). `started(context, resume)` is called before any set
    is classified, with the width's `landscape.Context` (its arrangement and signed patterns) and the checkpoint
    file in `out` the run resumes from (None when there is none).

    Returns
    -------
    Census
        The class probabilities and their members (see `Census`); `.plot()` draws one bar per class.

    Examples
    --------
    >>> census = take_census(Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"), width=1)
    >>> census.exhaustive, census.p_contains_global, census.p_spurious_local_min, census.p_no_local_min
    (True, 0.25, 0.25, 0.5)
    """
    from .census import EXHAUSTIVE_LIMIT, checkpoint_path, run_census
    from .landscape import Context
    from .parallel import Tasks
    from .results import census_result

    context = Context(_instance(instance), width)
    if started is not None:
        resume = checkpoint_path(context, out, local_minima=local_minima) if out else None
        started(context, resume if resume is not None and resume.exists() else None)
    with Tasks(workers, scheduler) as tasks:
        return census_result(run_census(context, samples, limit or EXHAUSTIVE_LIMIT, seed, out, progress=progress,
                                        tasks=tasks, sampler=sampler, local_minima=local_minima,
                                        certificates=certificates))


def curve(instance: Any, sampler: str = "uniform", max_width: int | None = None, widths=None, digits: int = 30):
    """p_opt(m): the probability that a random width-m initialization (m draws of a signed pattern by `sampler`,
    "uniform" = the authors' or "gaussian") starts in a region whose closure holds an epsilon-global minimum, at
    m = 1..max_width (default 64) or at `widths`, with the thresholds (smallest m with p_opt >= 1/2, >= 99/100).

    Exact rationals under the uniform sampler (every exact value of at most 2000 digits and the thresholds are
    recomputed by the checker), certified intervals from the chamber measures under the Gaussian one. The
    classification behind it (minimal optimal supports, maximal non-optimal sets) is checked as claim
    `optimal-regions`; when it cannot be certified the result is `inconclusive` with its reason and no points.

    Returns
    -------
    CurveResult (a `curves.Curve` with `.plot(path=None, census=())`)

    Examples
    --------
    >>> result = curve(Instance.from_arrays([[1, 0], [0, 1]], [1, -1], "1/20"), max_width=4)
    >>> result.outcome, [str(p.lower) for p in result.points], result.thresholds
    ('certified', ['0', '1/8', '9/32', '55/128'], {'1/2': 5, '99/100': 19})
    """
    from .curves import curve as exact_curve

    result = exact_curve(_instance(instance), sampler, max_width, widths, digits)
    return _curve_class()(**{f: getattr(result, f) for f in result.__dataclass_fields__})


def spurious_curve(instance: Any, sampler: str = "uniform", max_width: int | None = None, widths=None, curve=None):
    """p_spur(m): the probability that a random width-m initialization starts in a region whose closure holds a
    spurious local minimum (on a boundary too), with p_global(m) and the favourability p_spur / (p_global + p_spur),
    at m = 1..max_width (default 64) or at `widths`, computed from the every-width classes (`certify_every_width`) and
    the curve p_opt(m) (`curve`, reused when given): exact rationals under the uniform sampler, certified intervals
    under the Gaussian one, a bracket where a class has several realisations that may or may not combine.

    Returns
    -------
    SpuriousCurve (a `favourability.Favourability` with `.plot(path=None)`)

    Examples
    --------
    >>> result = spurious_curve(Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"), max_width=3)
    >>> [(str(p.p_spur[0]), str(p.favourability[0])) for p in result.points]
    [('1/4', '1/2'), ('1/8', '1/2'), ('1/32', '1/10')]
    """
    from .favourability import favourability

    result = favourability(_instance(instance), sampler, max_width, widths, curve=curve)
    return _spurious_class()(**{f: getattr(result, f) for f in result.__dataclass_fields__})


@lru_cache(maxsize=None)
def _spurious_class():
    from dataclasses import dataclass

    from .favourability import Favourability

    @dataclass
    class SpuriousCurve(Favourability):
        """A `Favourability` that draws itself (drawing lives in `plots`, imported only here, by the front end)."""

        def plot(self, path: str | Path | None = None):
            """p_opt, p_spur and the favourability on a log-width axis; written to `path` or returned as a figure."""
            from .plots import favourability_figure

            return favourability_figure(self, path)

    return SpuriousCurve


@lru_cache(maxsize=None)
def _curve_class():
    from dataclasses import dataclass

    from .curves import Curve

    @dataclass
    class CurveResult(Curve):
        """A `Curve` that draws itself (drawing lives in `plots`, imported only here, by the front end)."""

        def plot(self, path: str | Path | None = None, census=()):
            """p_opt on a log-width axis with the thresholds marked, sampled census points (width, low, high,
            estimate) drawn over it; written to `path` (PNG, PDF or SVG) or returned as a figure."""
            from .plots import curve_figure

            return curve_figure(self, path, census)

    return CurveResult


def train(instance: Any, width: int, init_scale: float = 1.0, seed: int = 0, steps: int = 20_000, lr: float = 0.05,
          every: int = 10, progress: Callable | None = None, init: str = "gaussian", until_grad: float | None = None):
    """Full-batch gradient descent from w_j ~ init_scale N(0, I), a_j ~ init_scale N(0, 1) (init="gaussian"), or
    the authors' balanced w_j ~ N(0, init_scale^2 I), a_j = +-||w_j|| (init="balanced"); at most `steps` steps
    (default 20,000, as `verifier train --steps`: `verifier.TRAIN_STEPS`), stopping once ||grad L||^2 < until_grad.

    Returns
    -------
    Trajectory
        `final` = (a, W) as numpy arrays, `losses` every `every` steps; `.plot()` draws the loss curve.

    Examples
    --------
    >>> run = train(Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"), width=2, steps=500)
    >>> run.losses[-1] < run.losses[0]
    True
    """
    from .network import train as _train
    from .views import Trajectory, promote

    return promote(Trajectory, _train(_instance(instance), width, init_scale, seed, steps, lr, every, progress, init,
                                      until_grad))


def check(certificate: Any):
    """Verify a certificate (a parsed JSON document or a file path) with exact arithmetic only.

    Returns
    -------
    Verdict
        `proved`, the `claim`, the `instance` it is about (digest, n, d, lambda), its `facts`, and the `failures`
        (with typed `reasons`) when refuted.

    Raises
    ------
    CertificateMalformed
        The document does not have the certificate format.

    Examples
    --------
    >>> classified = classify(Instance.from_arrays([[-1], [1]], [1, 0.5], 0.125), ([0.5], [[0.5]]))
    >>> check(classified.document).proved
    True
    """
    from . import certificates, checker

    if isinstance(certificate, (str, Path)):
        certificate = certificates.load(certificate)
    return checker.check(certificate)


def read_network(path: str | Path, d: int | None = None):
    """Read a network file (JSON, PyTorch state dict in .safetensors or .npz); see `models.read_network`."""
    from .models import read_network as _read

    return _read(path, d)


def save_counterexample(instance: Any, result: Any, directory: str | Path, name: str | None = None
                        ) -> tuple[Path, Path]:
    """Write a counterexample so that anyone can reproduce it and re-check it: `directory/NAME.json` (the
    instance) and `directory/NAME.cert.json` (the certificate of `result`), checkable with
    ``verifier check NAME.cert.json --instance NAME.json``.

    Only a proof is written: the exact checker must accept the certificate, and it must be about `instance`.

    Parameters
    ----------
    instance : Instance, dict or path
    result : a result with a certificate `document` (`Classification`, `Catalog`, `Bounds`, ...) or the document
    directory : str or Path
        Created if missing; files of the same name are replaced (a property test that fails writes the shrunk
        example last).
    name : str, optional
        Default: ``counterexample-`` and the first 12 hex digits of the instance's digest.

    Returns
    -------
    (Path, Path)
        The instance file and the certificate file.

    Raises
    ------
    InputError
        The result has no certificate, the checker does not accept it, or it is about other data.

    Examples
    --------
    >>> import tempfile
    >>> instance = Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8")
    >>> result = classify(instance, (["1/2"], [["1/2"]]))
    >>> folder = tempfile.mkdtemp()
    >>> data, certificate = save_counterexample(instance, result, folder, "one-dimensional")
    >>> data.name, certificate.name, check(certificate).proved
    ('one-dimensional.json', 'one-dimensional.cert.json', True)
    """
    from . import checker
    from .certificates import save_pair
    from .errors import CertificateMalformed, InputError

    data = _instance(instance)
    document = result if isinstance(result, dict) else getattr(result, "document", None)
    if not isinstance(document, dict):
        raise InputError("result", "has no certificate (`document`): nothing proved to save")
    try:
        verdict = checker.check(document)
    except CertificateMalformed as exc:
        raise InputError("result", f"the checker does not accept its certificate (malformed: {exc})") from None
    if not verdict.proved:
        raise InputError("result", f"the checker does not accept its certificate ({'; '.join(verdict.failures)})")
    if verdict.instance.get("digest") != data.digest():
        raise InputError("result", "its certificate is about other data than `instance`")
    name = name or f"counterexample-{data.digest()[:12]}"
    facts = verdict.facts.get("verdict")
    return save_pair(directory, name, data, document, data.width,
                     f"counterexample: {verdict.claim}{f' ({facts})' if facts else ''}, certificate {name}.cert.json")
