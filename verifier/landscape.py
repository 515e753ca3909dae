"""Local minima, exactly (SPEC §4-5): classify a network, certify interior spurious local minima of regions,
classify gradient-descent endpoints, and search a width-m landscape.

Search is untrusted; every verdict other than `inconclusive` comes with a certificate the checker accepted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Callable

import numpy as np

from . import checker
from .arrangement import Arrangement, enumerate_chambers
from .certificates import bounds_certificate, chamber_witnesses, document, neuron_entries, pattern_entry, rationals
from .convex import ConvexPrograms, SignedPattern, all_signed_patterns
from .errors import TrainingDiverged
from .instance import Instance
from .network import Network, loss_and_gradient, train
from .numbers import format_rational, sqrt_upper
from .optimum import Bounds, certify_width_optimum
from .parallel import Tasks, cached
from .polish import Neuron, cone_rows, cone_vector, dual_certificate, network_value, polish, project

__all__ = ["Classification", "classify_network", "certify_region_minimum", "certify_face_minimum",
           "classify_endpoint", "identify_region",
           "LandscapeReport", "certify_landscape", "Context"]


@dataclass
class Classification:
    """A verdict with its certificate (None for `inconclusive`) and the checker's acceptance."""

    verdict: str
    reason: str
    document: dict | None = None
    certified: bool = False
    details: dict = field(default_factory=dict)


class Context:
    """What one instance's questions share: the arrangement, the compiled programs and L*_m bounds."""

    def __init__(self, instance: Instance, width: int, digits: int = 24):
        self.instance = instance
        self.width = width
        self.digits = digits
        self.arrangement: Arrangement = enumerate_chambers(instance.X)
        self.programs = ConvexPrograms(instance)
        self.patterns = all_signed_patterns(self.arrangement)
        self._width_bounds: Bounds | None = None

    @property
    def width_bounds(self) -> Bounds:
        if self._width_bounds is None:
            self._width_bounds = certify_width_optimum(self.instance, self.arrangement, self.width, self.programs,
                                                       self.digits)
        return self._width_bounds


def _checked(verdict: str, reason: str, doc: dict, **details) -> Classification:
    result = checker.check(doc)
    if not result.proved:
        failures = "; ".join(result.failures)
        if checker.Reason.MULTIPLIER in result.reasons:
            return Classification("inconclusive", "crossing a kink may lower the loss (a multiplier around a kink is "
                                  f"not provably >= 0: {failures}): not a certified local minimum", doc, False, details)
        return Classification("inconclusive", f"the checker rejected the {verdict} certificate: {failures}", doc,
                              False, details)
    return Classification(verdict, reason, doc, True, details)


# --- an exact network ------------------------------------------------------------------------------

def classify_network(context: Context, network: Network) -> Classification:
    """The exact verdict of SPEC §5 on a rational network (see checker.network for the argument), at width
    m = context.width: a network with fewer neurons is padded with zero neurons (`Network.padded`), since a
    local minimum of width m is a network of m neurons."""
    instance = context.instance
    network = network.padded(context.width)
    claim = {"type": "network", "network": {"a": rationals(network.a), "W": [rationals(w) for w in network.W]},
             "width": network.width}
    unbalanced = network.unbalanced()
    if unbalanced:
        return _checked("not-a-local-minimum", f"neuron {unbalanced[0]} is unbalanced (a^2 != ||w||^2)",
                        document(instance, dict(claim, verdict="not-a-local-minimum"), {"unbalanced": unbalanced[0]}))
    neurons = network.neurons()
    r = [y - f for y, f in zip(instance.y, checker.prediction(instance, neurons))]
    arrangement = context.arrangement
    labels = arrangement.patterns()
    nonzero = []
    for j, ((s, u), a) in enumerate(zip(neurons, network.a)):
        if not any(u):
            continue
        multipliers = []
        zero_rows = [i for i, x in enumerate(instance.X) if any(x) and sum(p * q for p, q in zip(x, u)) == 0]
        for c in arrangement.localize(u):
            pattern = SignedPattern.parse(labels[c], s)
            g = [-h + instance.lam * q / (a * a) for h, q in zip(cone_vector(instance, pattern, r), u)]
            rows = cone_rows(instance, pattern)
            mu_z, _, v = project([-x for x in g], [rows[i] for i in zero_rows])
            if any(v):
                return _checked("not-a-local-minimum", f"descent direction for neuron {j} in chamber {labels[c]}",
                                document(instance, dict(claim, verdict="not-a-local-minimum"),
                                         {"descent": {"neuron": j, "direction": rationals(v)}}))
            mu = [Fraction(0)] * instance.n
            for i, m in zip(zero_rows, mu_z):
                mu[i] = m
            multipliers.append({"pattern": labels[c], "mu": rationals(mu)})
        nonzero.append({"neuron": j, "multipliers": multipliers})
    dual, violation = [], None
    for p in context.patterns:
        mu, _, v = project(cone_vector(instance, p, r), cone_rows(instance, p))
        if sum(x * x for x in v) <= instance.lam ** 2:
            dual.append(dict(pattern_entry(p), mu=rationals(mu)))
        elif violation is None:
            violation = (p, v)
    dead = [j for j, (_, u) in enumerate(neurons) if not any(u)]
    if dead and violation is not None:
        p, v = violation
        norm = sqrt_upper(sum(x * x for x in v), 30)
        direction = [x / norm for x in v]
        return _checked("not-a-local-minimum", f"the zero neuron {dead[0]} can grow in chamber {p.label}",
                        document(instance, dict(claim, verdict="not-a-local-minimum"),
                                 {"descent": {"neuron": dead[0], "sign": p.s, "direction": rationals(direction)}}))
    witnesses = {"chambers": chamber_witnesses(arrangement), "nonzero": nonzero, "dual": dual}
    loss = network.loss(instance)
    if violation is None:
        return _checked("global-minimum", "local minimum with a residual dual-feasible everywhere (zero-gap)",
                        document(instance, dict(claim, verdict="global-minimum"), witnesses), loss=loss)
    bounds = context.width_bounds
    if bounds.certified and bounds.upper < loss:
        witnesses["width_upper"] = bounds.document["witnesses"]["primal"]
        claim["width"] = context.width
        return _checked("spurious-local-minimum", f"local minimum above the certified L*_{context.width} upper bound",
                        document(instance, dict(claim, verdict="spurious-local-minimum"), witnesses), loss=loss)
    local = _checked("local-minimum", "local minimum; its value is within the certified bounds of L*_m, so "
                     "global versus spurious is undecided", document(instance, dict(claim, verdict="local-minimum"),
                                                                     witnesses), loss=loss)
    if local.certified and bounds.certified:
        local.details["epsilon"] = loss - bounds.lower
    return local


# --- interior local minima of a region -------------------------------------------------------------

def certify_region_minimum(context: Context, neurons_of_region: list[SignedPattern]) -> Classification:
    """The interior certificate of SPEC §5 for the region R (the signed chamber of each of the m neurons):
    the minimizer of C(S(R)) is interior, hence its lift is a local minimum of L; spurious when
    C(S(R)) > L*_m (certified)."""
    instance, programs, digits = context.instance, context.programs, context.digits
    if len(neurons_of_region) != context.width:
        return Classification("inconclusive", f"the region places {len(neurons_of_region)} neurons, not m = "
                              f"{context.width}")
    region = sorted(set(neurons_of_region))
    solution = programs.solve(region)
    neurons = polish(instance, solution, digits)
    by_pattern = {nr.pattern: nr for nr in neurons}
    if set(by_pattern) != set(region) or not all(_strictly_inside(instance, nr) for nr in neurons):
        details = {"value": solution.value}
        if set(by_pattern) == set(region) and len(region) == len(neurons_of_region):
            details["boundary"] = {j: [i for i, x in enumerate(instance.X)
                                       if any(x) and sum(a * b for a, b in zip(x, by_pattern[p].u)) == 0]
                                   for j, p in enumerate(neurons_of_region)}
        return Classification("inconclusive", "the minimum over the region's closure is on its boundary (a neuron "
                              "is zero or on a hyperplane), so the point has not reached a local minimum inside this "
                              "region", details=details)
    interior = [by_pattern[p] for p in region]
    upper = network_value(instance, interior, digits)
    lower = dual_certificate(instance, interior, region, digits + 10)
    facets = []
    for j, p in enumerate(region):
        for i, x in enumerate(instance.X):
            if not any(x):
                continue
            equalities = {p: [i]}
            facet_neurons = polish(instance, programs.solve(region, equalities), digits, equalities=equalities)
            dual = dual_certificate(instance, facet_neurons, region, digits + 10, equalities)
            if dual.value <= upper:
                return Classification("inconclusive", f"facet bound for neuron {j} on row {i} does not exceed the "
                                      "interior value", details={"value": float(upper)})
            facets.append({**pattern_entry(p), "row": i, "r": rationals(dual.r),
                           "patterns": [dict(pattern_entry(q), mu=rationals(dual.multipliers[q]),
                                             **({"nu": format_rational(dual.free[q][i])} if q == p else {}))
                                        for q in region]})
    claim = {"type": "region-local-minimum", "region": [pattern_entry(p) for p in sorted(neurons_of_region)],
             "width": context.width,
             "upper": format_rational(upper)}
    witnesses = {"chambers": chamber_witnesses(context.arrangement, {p.label for p in region}),
                 "interior": neuron_entries(interior, digits), "facets": facets}
    bounds = context.width_bounds
    spurious = bounds.certified and lower.value > bounds.upper
    if spurious:
        claim["spurious"] = True
        witnesses["region_lower"] = {"r": rationals(lower.r), "patterns": [
            dict(pattern_entry(q), mu=rationals(lower.multipliers[q])) for q in region]}
        witnesses["width_upper"] = bounds.document["witnesses"]["primal"]
    verdict = "spurious-local-minimum" if spurious else "local-minimum"
    return _checked(verdict, "interior minimizer of the region" + (", above L*_m" if spurious else ""),
                    document(instance, claim, witnesses), value=(lower.value, upper), neurons=interior)


def certify_face_minimum(context: Context, alive: dict[int, SignedPattern], kinks: dict[int, list[int]]
                         ) -> Classification:
    """A local minimum with neurons on kinks (SPEC §5 with the duality-gap enclosure; see
    checker._check_face_minimum): the face program of the endpoint, its relative-interior point, a facet program
    for every other row, the face's dual bound, and the multipliers around each kink proved on the enclosure."""
    instance, programs, digits = context.instance, context.programs, context.digits
    faces = [(alive[j], sorted(kinks.get(j, []))) for j in sorted(alive)]
    patterns = [p for p, _ in faces]
    if len(set(patterns)) != len(patterns) or len(faces) != context.width:
        return Classification("inconclusive", "two neurons share a signed pattern on a kink: not certified")
    equalities = {p: rows for p, rows in faces if rows}
    neurons = polish(instance, programs.solve(patterns, equalities), digits, equalities=equalities)
    by_pattern = {nr.pattern: nr for nr in neurons}
    if set(by_pattern) != set(patterns):
        return Classification("inconclusive", "a neuron vanishes at the minimum of the endpoint's face")
    points = [by_pattern[p] for p in patterns]
    upper = network_value(instance, points, digits)
    lower = dual_certificate(instance, points, patterns, digits + 10, equalities)
    facets = []
    for k, (p, rows) in enumerate(faces):
        for i, x in enumerate(instance.X):
            if not any(x) or i in rows:
                continue
            extra = {**equalities, p: rows + [i]}
            facet_neurons = polish(instance, programs.solve(patterns, extra), digits, equalities=extra)
            dual = dual_certificate(instance, facet_neurons, patterns, digits + 10, extra)
            if dual.value <= upper:
                return Classification("inconclusive", f"the face's minimum may reach row {i} of neuron {k}: "
                                      "not certified")
            facets.append({"neuron": k, "row": i, **_face_multipliers(instance, dual, patterns)})
    claim = {"type": "face-local-minimum", "width": context.width, "upper": format_rational(upper),
             "lower": format_rational(lower.value),
             "region": [dict(pattern_entry(p), zero_rows=rows) for p, rows in faces]}
    witnesses = {"chambers": chamber_witnesses(context.arrangement), "interior": neuron_entries(points, digits),
                 "facets": facets, "face_lower": _face_multipliers(instance, lower, patterns)}
    bounds = context.width_bounds
    spurious = bounds.certified and lower.value > bounds.upper
    if spurious:
        claim["spurious"] = True
        witnesses["width_upper"] = bounds.document["witnesses"]["primal"]
    verdict = "spurious-local-minimum" if spurious else "local-minimum"
    extra = {"epsilon": upper - bounds.lower} if bounds.certified and not spurious else {}   # at most this above L*_m
    return _checked(verdict, "local minimum with neurons on kinks (face certificate)" +
                    (", above L*_m" if spurious else ""), document(instance, claim, witnesses),
                    value=(lower.value, upper), **extra)


def _face_multipliers(instance: Instance, dual, patterns: list[SignedPattern]) -> dict:
    def nu(p):
        values = [Fraction(0)] * instance.n
        for i, v in dual.free.get(p, {}).items():
            values[i] = v
        return rationals(values)

    return {"r": rationals(dual.r), "patterns": [{"mu": rationals(dual.multipliers[p]), "nu": nu(p)} for p in patterns]}


def _strictly_inside(instance: Instance, neuron: Neuron) -> bool:
    return all(s * sum(a * b for a, b in zip(x, neuron.u)) > 0 for s, x in zip(neuron.pattern.sigma, instance.X) if s)


# --- gradient-descent endpoints --------------------------------------------------------------------

def identify_region(context: Context, a: np.ndarray, W: np.ndarray, tol: float = 1e-5):
    """The face a float network sits on: {j: signed pattern} for the alive neurons (ties broken towards +),
    {j: rows it sits on} (|<x_i, u_j>| <= tol ||x_i|| ||u_j||), and the dead neurons."""
    X = np.array(context.instance.X, dtype=float)
    U = np.abs(a)[:, None] * W
    norms = np.linalg.norm(U, axis=1)
    scale = max(norms.max(initial=0.0), 1e-300)
    nonzero_rows = np.any(X != 0, axis=1)
    alive, kinks, dead = {}, {}, []
    for j, (u, norm) in enumerate(zip(U, norms)):
        if norm <= tol * scale:
            dead.append(j)
            continue
        side = X @ u
        on = (np.abs(side) <= tol * norm * np.linalg.norm(X, axis=1)) & nonzero_rows
        sigma = tuple(0 if not nz else 1 if (z or v > 0) else -1 for v, nz, z in zip(side, nonzero_rows, on))
        alive[j] = SignedPattern(sigma, 1 if a[j] >= 0 else -1)
        if np.any(on):
            kinks[j] = [int(i) for i in np.flatnonzero(on)]
    return alive, kinks, dead


def classify_endpoint(context: Context, a: np.ndarray, W: np.ndarray, tol: float = 1e-5, near: float = 1e-4
                      ) -> Classification:
    """Certify the exact local minimum near a gradient-descent endpoint (SPEC §5).

    The endpoint's face (each alive neuron's signed chamber, with <x_i, u_j> = 0 kept for the rows it sits
    on) is solved and polished. A verdict is given only when that minimizer's prediction matches the
    endpoint's (within near (1 + ||y||)); `tol` decides which neurons count as dead or on a kink (a slowly dying
    neuron needs a larger tol). Then: global (epsilon certified) when its residual is dual-feasible on
    every signed pattern; an interior (possibly spurious) local minimum by the interior certificate when
    every neuron is alive and strictly inside its chamber; otherwise inconclusive, with the reason."""
    instance = context.instance
    alive, kinks, dead = identify_region(context, a, W, tol)
    _, grad_a, grad_W = loss_and_gradient(instance, a, W)
    details = {"dead": dead, "on_hyperplanes": {str(j): rows for j, rows in kinks.items()},
               "region": [p.label + ("+" if p.s > 0 else "-") for p in alive.values()],
               "gradient_norm": float(np.sqrt(grad_a @ grad_a + np.sum(grad_W * grad_W)))}
    region = sorted(set(alive.values()))
    equalities: dict[SignedPattern, list[int]] = {}
    for j, rows in kinks.items():
        equalities.setdefault(alive[j], []).extend(rows)
    solution = context.programs.solve(region, equalities) if region else None
    neurons = polish(instance, solution, context.digits, equalities=equalities) if region else []
    details["prediction_distance"] = _distance(instance, a, W, neurons)
    scale = 1 + float(np.linalg.norm(np.array(instance.y, dtype=float)))
    if details["prediction_distance"] > near * scale:
        return Classification("inconclusive", "the endpoint is not at the minimum of its face (gradient descent has "
                              "not converged there)", details=details)
    dual = dual_certificate(instance, neurons, context.patterns, context.digits + 10)
    value = network_value(instance, neurons, context.digits)
    gap = value - dual.value
    if len(neurons) <= context.width and gap <= Fraction(1, 10**8) * max(1, abs(value)):
        doc = bounds_certificate(instance, "L*_m", neurons, [dual], context.digits,
                                 arrangement=context.arrangement, width=context.width)
        return _checked("global-minimum", f"the minimum of the endpoint's face is within {float(gap):.2g} of L*_m "
                        "(certified epsilon-global)", doc, epsilon=gap, **details)
    if dead:
        return Classification("inconclusive", "a dead neuron could grow (the residual is not dual-feasible "
                              "everywhere): the endpoint is near a saddle, not a local minimum", details=details)
    if not kinks:
        result = certify_region_minimum(context, list(alive.values()))
        if not result.details.get("boundary"):
            result.details.update(details)
            result.details.pop("neurons", None)
            return result
        order = sorted(alive)   # boundary rows are keyed by position in list(alive.values())
        kinks = {order[k]: rows for k, rows in result.details["boundary"].items() if rows}
    result = certify_face_minimum(context, alive, kinks)
    result.details.update(details)
    return result


def _distance(instance: Instance, a: np.ndarray, W: np.ndarray, neurons: list[Neuron]) -> float:
    """||f_endpoint(X) - f_certified(X)||: the distance that is well defined, since all minimizers of a
    region program share one prediction (SPEC §3) while neurons may merge or split."""
    X = np.array(instance.X, dtype=float)
    endpoint = np.maximum(X @ W.T, 0) @ a
    certified = sum((nr.pattern.s * np.maximum(X @ np.array([float(x) for x in nr.u]), 0) for nr in neurons),
                    np.zeros(len(X)))
    return float(np.linalg.norm(endpoint - certified))


# --- a landscape -----------------------------------------------------------------------------------

@dataclass
class LandscapeReport:
    verdict: str
    certificate: dict | None
    global_value: tuple[Fraction, Fraction]
    regions_tested: int
    regions_region_spurious: int
    regions_fully_covered: int
    runs: int
    counts: dict[str, int]
    seconds: float
    found: list[dict] = field(default_factory=list)


def certify_landscape(context: Context, runs: int = 20, init_scale: float = 1.0, seed: int = 0, steps: int = 20000,
                      lr: float = 0.05, progress: Callable[[str, int, int], None] | None = None,
                      tasks: Tasks | None = None) -> LandscapeReport:
    """Search for spurious local minima of width m: every region of m distinct signed patterns whose program
    is region-spurious (float screen) gets the interior test; `runs` gradient-descent endpoints get classified.
    Regions (in chunks) and runs are mapped by `tasks` (default: in process); results are taken in order."""
    start = time.perf_counter()
    tasks = tasks or Tasks(1)
    bounds = context.width_bounds
    shared = (context.instance, context.width, context.digits, bounds)
    cached(("landscape",) + shared[:3], lambda: context)
    regions = list(combinations(context.patterns, context.width)) if context.width <= len(context.patterns) else []
    counts: dict[str, int] = {}
    found, certificate, region_spurious = [], None, 0
    chunks = [regions[k: k + _REGION_CHUNK] for k in range(0, len(regions), _REGION_CHUNK)]
    results: dict[int, list] = {}
    for done, (k, screened) in enumerate(tasks.map(_screen_regions, chunks, *shared), 1):
        results[k] = screened
        if progress:
            progress("regions", min(done * _REGION_CHUNK, len(regions)), len(regions))
    for k in range(len(chunks)):
        for region, result in results[k]:
            region_spurious += 1
            if result.verdict == "spurious-local-minimum":
                found.append({"region": [p.label + ("+" if p.s > 0 else "-") for p in region],
                              "value": [str(v) for v in result.details["value"]]})
                certificate = certificate or result.document
    endpoints = dict(tasks.map(_classify_run, [(init_scale, seed + run, steps, lr) for run in range(runs)], *shared))
    for run in range(runs):
        if progress:
            progress("runs", run, runs)
        result = endpoints[run]
        if result is None:   # this run diverged: its own failure; the region search above stands
            counts["diverged"] = counts.get("diverged", 0) + 1
            continue
        counts[result.verdict] = counts.get(result.verdict, 0) + 1
        if result.verdict == "spurious-local-minimum":
            certificate = certificate or result.document
    fully_covered = sum(1 for region in regions if len(set(region)) == len(context.patterns))
    verdict = "spurious-local-minimum" if certificate else "none-found"
    return LandscapeReport(verdict, certificate, (bounds.lower, bounds.upper), len(regions), region_spurious,
                           fully_covered, runs, counts, time.perf_counter() - start, found)


_REGION_CHUNK = 256   # regions per task: one float solve each, so a task is worth shipping


def _worker_context(instance: Instance, width: int, digits: int, bounds: Bounds) -> Context:
    """The context of a task, its L*_m bounds taken from the client rather than recomputed."""
    context = cached(("landscape", instance, width, digits), lambda: Context(instance, width, digits))
    context._width_bounds = context._width_bounds or bounds
    return context


def _screen_regions(regions: list, instance: Instance, width: int, digits: int, bounds: Bounds) -> list:
    """(region, interior certificate attempt) for each region whose float C(S(R)) exceeds upper L*_m."""
    context = _worker_context(instance, width, digits, bounds)
    threshold = float(bounds.upper) * (1 + 1e-7) + 1e-12
    return [(region, certify_region_minimum(context, list(region))) for region in regions
            if context.programs.solve(list(region)).value > threshold]


def _classify_run(run: tuple, instance: Instance, width: int, digits: int, bounds: Bounds
                  ) -> Classification | None:
    """Gradient descent from one seed, its endpoint classified; None when training diverged."""
    context = _worker_context(instance, width, digits, bounds)
    init_scale, seed, steps, lr = run
    try:
        a, W = train(instance, width, init_scale, seed, steps, lr).final
    except TrainingDiverged:
        return None
    return classify_endpoint(context, a, W)
