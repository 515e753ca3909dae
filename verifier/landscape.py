"""Local minima, exactly (docs §4-5): classify a network, certify interior spurious local minima of regions,
and the context of a width-m landscape (chambers, programs, certified L*_m) the other searches share.

Search is untrusted; every verdict other than `inconclusive` comes with a certificate the checker accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from . import checker
from .checker import Reason
from .checker.claim_types import ClaimType
from .checker.core import pattern_name
from .arrangement import Arrangement, enumerate_chambers
from .certificates import chamber_witnesses, document, neuron_entries, pattern_entry, rationals
from .convex import ConvexPrograms, SignedPattern, all_signed_patterns
from .display import to_json
from .instance import Instance
from .network import Network
from .numbers import format_rational, sqrt_upper
from .optimum import Bounds, certify_width_optimum
from .polish import Neuron, cone_rows, cone_vector, dual_certificate, network_value, polish, project
from .verdicts import Outcome

__all__ = ["Classification", "checked", "classify_network", "certify_region_minimum", "certify_face_minimum",
           "FaceProgram", "solve_face", "Context"]


@dataclass(repr=False)
class Classification:
    """A verdict (an `Outcome`) with its reason, its certificate (None for `inconclusive`) and whether the
    checker accepted it; `details` holds the exact numbers behind it (loss, value, epsilon, ...)."""

    verdict: Outcome
    reason: str
    document: dict | None = None
    certified: bool = False
    details: dict = field(default_factory=dict)
    cause: Reason | None = None   # why it is inconclusive (typed; never matched by message text)

    def __post_init__(self):
        self.verdict = Outcome(self.verdict)

    def __repr__(self) -> str:
        return f"<Classification {self.verdict} ({'certified' if self.certified else 'not certified'}): {self.reason}>"

    def to_dict(self) -> dict:
        """JSON form: verdict, reason, certified and each detail (rationals as ``{"exact", "float"}``)."""
        return {"verdict": self.verdict, "reason": self.reason, "certified": self.certified,
                **{key: to_json(value) for key, value in self.details.items()}}


class Context:
    """What one instance's questions share: the arrangement, the compiled programs and L*_m bounds.

    The bounds on L*_m are certified on first use (`optimum.certify_width_optimum`), unless a caller that has them
    already (the catalog's region table) gives them: as `width_bounds` here or later with `use_width_bounds`."""

    def __init__(self, instance: Instance, width: int, digits: int = 24, width_bounds: Bounds | None = None):
        self.instance = instance
        self.width = width
        self.digits = digits
        self.arrangement: Arrangement = enumerate_chambers(instance.X)
        self.programs = ConvexPrograms(instance)
        self.patterns = all_signed_patterns(self.arrangement)
        self._width_bounds: Bounds | None = width_bounds

    def use_width_bounds(self, bounds: Bounds) -> None:
        """Take `bounds` as this context's L*_m bounds (a `Bounds` marked uncertified makes the certificates built
        here certify a local minimum only, never compare it with L*_m)."""
        self._width_bounds = bounds

    @property
    def width_bounds(self) -> Bounds:
        if self._width_bounds is None:
            self._width_bounds = certify_width_optimum(self.instance, self.arrangement, self.width, self.programs,
                                                       self.digits)
        return self._width_bounds


def checked(verdict: str, reason: str, doc: dict, **details) -> Classification:
    """The checker's decision on `doc`: the verdict if proved, else `inconclusive` with the typed reason."""
    result = checker.check(doc)
    if not result.proved:
        failures = "; ".join(result.failures)
        cause = result.reasons[0] if result.reasons else Reason.OTHER
        if cause is Reason.MULTIPLIER:
            return Classification("inconclusive", "crossing a kink may lower the loss (a multiplier around a kink is "
                                  f"not provably >= 0: {failures}): not a certified local minimum", doc, False, details,
                                  cause)
        return Classification("inconclusive", f"the checker rejected the {verdict} certificate: {failures}", doc,
                              False, details, cause)
    return Classification(verdict, reason, doc, True, details)


# --- an exact network ------------------------------------------------------------------------------

def classify_network(context: Context, network: Network) -> Classification:
    """The exact verdict of docs §5 on a rational network (see checker.network for the argument), at width
    m = context.width: a network with fewer neurons is padded with zero neurons (`Network.padded`), since a
    local minimum of width m is a network of m neurons."""
    instance = context.instance
    network = network.padded(context.width)
    claim = {"type": ClaimType.NETWORK, "network": {"a": rationals(network.a), "W": [rationals(w) for w in network.W]},
             "width": network.width}
    unbalanced = network.unbalanced()
    if unbalanced:
        return checked("not-a-local-minimum", f"neuron {unbalanced[0]} is unbalanced (a^2 != ||w||^2)",
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
                return checked("not-a-local-minimum", f"descent direction for neuron {j} in chamber {labels[c]}",
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
        return checked("not-a-local-minimum", f"the zero neuron {dead[0]} can grow in {pattern_name(p.label, p.s)}",
                        document(instance, dict(claim, verdict="not-a-local-minimum"),
                                 {"descent": {"neuron": dead[0], "sign": p.s, "direction": rationals(direction)}}))
    witnesses = {"chambers": chamber_witnesses(arrangement), "nonzero": nonzero, "dual": dual}
    loss = network.loss(instance)
    if violation is None:
        return checked("global-minimum", "local minimum with a residual dual-feasible everywhere (zero-gap)",
                        document(instance, dict(claim, verdict="global-minimum"), witnesses), loss=loss)
    bounds = context.width_bounds
    if bounds.certified and bounds.upper < loss:
        witnesses["width_upper"] = bounds.document["witnesses"]["primal"]
        claim["width"] = context.width
        return checked("spurious-local-minimum", f"local minimum above the certified L*_{context.width} upper bound",
                        document(instance, dict(claim, verdict="spurious-local-minimum"), witnesses), loss=loss)
    local = checked("local-minimum", "local minimum; its value is within the certified bounds of L*_m, so "
                     "global versus spurious is undecided", document(instance, dict(claim, verdict="local-minimum"),
                                                                     witnesses), loss=loss)
    if local.certified and bounds.certified:
        local.details["epsilon"] = loss - bounds.lower
    return local


# --- interior local minima of a region -------------------------------------------------------------

def certify_region_minimum(context: Context, neurons_of_region: list[SignedPattern]) -> Classification:
    """The interior certificate of docs §5 for the region R (the signed chamber of each of the m neurons):
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
    claim = {"type": ClaimType.REGION_LOCAL_MINIMUM, "region": [pattern_entry(p) for p in sorted(neurons_of_region)],
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
    return checked(verdict, "interior minimizer of the region" + (", above L*_m" if spurious else ""),
                    document(instance, claim, witnesses), value=(lower.value, upper), neurons=interior)


@dataclass
class FaceProgram:
    """The face program C_F of signed faces (p_k, Z_k) (distinct p_k), solved and made exact: the point u0 (one
    neuron per face, in face order), U >= G(u0), a face dual bound B (`lower`), and the facet bounds if asked."""

    faces: list[tuple[SignedPattern, list[int]]]
    points: list[Neuron]
    upper: Fraction
    lower: object
    facets: list[dict] = field(default_factory=list)

    def claim(self, kind: ClaimType, width: int) -> dict:
        return {"type": kind, "width": width, "upper": format_rational(self.upper),
                "lower": format_rational(self.lower.value),
                "region": [dict(pattern_entry(p), zero_rows=rows) for p, rows in self.faces]}

    def witnesses(self, context: Context, digits: int) -> dict:
        patterns = [p for p, _ in self.faces]
        return {"chambers": chamber_witnesses(context.arrangement), "interior": neuron_entries(self.points, digits),
                "facets": self.facets, "face_lower": _face_multipliers(context.instance, self.lower, patterns)}


def solve_face(context: Context, faces: list[tuple[SignedPattern, list[int]]], *, facets: bool
               ) -> FaceProgram | Classification:
    """Solve C_F, polish u0 on the face, bound it from below; with `facets`, a facet program for every other row
    of every neuron (bound > U, so every minimizer keeps exactly its kink rows). An `inconclusive` Classification
    (typed cause) when a face neuron vanishes at the minimum or a facet bound does not exceed U."""
    instance, programs, digits = context.instance, context.programs, context.digits
    patterns = [p for p, _ in faces]
    equalities = {p: rows for p, rows in faces if rows}
    neurons = polish(instance, programs.solve(patterns, equalities), digits, equalities=equalities)
    by_pattern = {nr.pattern: nr for nr in neurons}
    if set(by_pattern) != set(patterns):
        return Classification("inconclusive", "a neuron vanishes at the minimum of the endpoint face",
                              details={"vanished": [k for k, p in enumerate(patterns) if p not in by_pattern]},
                              cause=Reason.INTERIOR)
    points = [by_pattern[p] for p in patterns]
    program = FaceProgram(faces, points, network_value(instance, points, digits),
                          dual_certificate(instance, points, patterns, digits + 10, equalities))
    for k, (p, rows) in enumerate(faces if facets else []):
        for i, x in enumerate(instance.X):
            if not any(x) or i in rows:
                continue
            extra = {**equalities, p: rows + [i]}
            facet_neurons = polish(instance, programs.solve(patterns, extra), digits, equalities=extra)
            dual = dual_certificate(instance, facet_neurons, patterns, digits + 10, extra)
            if dual.value <= program.upper:
                return Classification("inconclusive", f"the minimum of the face may reach row {i} of neuron {k} (its "
                                      "facet bound does not exceed the value of the face): not certified",
                                      cause=Reason.FACET)
            program.facets.append({"neuron": k, "row": i, **_face_multipliers(instance, dual, patterns)})
    return program


def certify_face_minimum(context: Context, alive: dict[int, SignedPattern], kinks: dict[int, list[int]],
                         width: int | None = None) -> Classification:
    """A local minimum with neurons on kinks (docs §5 with the duality-gap enclosure; see
    checker.face): the face program of the endpoint, its relative-interior point, a facet program
    for every other row, the face's dual bound, and the multipliers around each kink proved on the enclosure.
    `width` (default m) is the number of faces: the endpoint claim splits them among m neurons."""
    instance, digits = context.instance, context.digits
    faces = [(alive[j], sorted(kinks.get(j, []))) for j in sorted(alive)]
    width = width or context.width
    if len({p for p, _ in faces}) != len(faces) or len(faces) != width:
        return Classification("inconclusive", "two neurons share a signed pattern: merge them first (docs §4)",
                              cause=Reason.WIDTH)
    program = solve_face(context, faces, facets=True)
    if isinstance(program, Classification):
        return program
    claim = program.claim(ClaimType.FACE_LOCAL_MINIMUM, width)
    witnesses = program.witnesses(context, digits)
    bounds = context.width_bounds
    lower, upper = program.lower, program.upper
    spurious = bounds.certified and lower.value > bounds.upper
    if spurious:
        claim["spurious"] = True
        witnesses["width_upper"] = bounds.document["witnesses"]["primal"]
    verdict = "spurious-local-minimum" if spurious else "local-minimum"
    extra = {"epsilon": upper - bounds.lower} if bounds.certified and not spurious else {}   # at most this above L*_m
    return checked(verdict, "local minimum with neurons on kinks (face certificate)" +
                   (", above L*_m" if spurious else ""), document(instance, claim, witnesses),
                   value=(lower.value, upper), program=program, **extra)


def _face_multipliers(instance: Instance, dual, patterns: list[SignedPattern]) -> dict:
    def nu(p):
        values = [Fraction(0)] * instance.n
        for i, v in dual.free.get(p, {}).items():
            values[i] = v
        return rationals(values)

    return {"r": rationals(dual.r), "patterns": [{"mu": rationals(dual.multipliers[p]), "nu": nu(p)} for p in patterns]}


def _strictly_inside(instance: Instance, neuron: Neuron) -> bool:
    return all(s * sum(a * b for a, b in zip(x, neuron.u)) > 0 for s, x in zip(neuron.pattern.sigma, instance.X) if s)
