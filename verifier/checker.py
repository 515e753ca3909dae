"""THE trusted checker: verifies a certificate with exact rational arithmetic alone.

It re-derives every claim from the instance embedded in the certificate and the rational witnesses.
It imports only `numbers`, `instance`, `lattice` and `errors` (no solver, no numpy, no floats).

Result: `proved` (exit 0), `refuted` (exit 1, with the failing witness named); a document without
the documented shape raises CertificateMalformed (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from operator import mul
from typing import Callable

from .errors import CertificateMalformed, InputError
from .instance import Instance
from .lattice import hyperplanes, rank, region_count
from .numbers import rref

__all__ = [
    "Verdict", "check", "CLAIMS",
    "prediction", "primal_value", "dual_value", "cone_excess", "escaping_set",
]

FORMAT = "verifier-certificate/1"


@dataclass
class Verdict:
    claim: str
    proved: bool
    failures: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        return 0 if self.proved else 1


class _Refuted(Exception):
    """A witness fails; the message names it."""


def check(document: object) -> Verdict:
    """Verify a certificate document (parsed JSON)."""
    if not isinstance(document, dict):
        raise CertificateMalformed("certificate: must be a JSON object")
    if document.get("format") != FORMAT:
        raise CertificateMalformed(f"format: expected {FORMAT!r}, got {document.get('format')!r}")
    for key in ("instance", "claim", "witnesses"):
        if not isinstance(document.get(key), dict):
            raise CertificateMalformed(f"{key}: missing or not an object")
    try:
        instance = Instance.from_dict(document["instance"])
    except InputError as exc:
        raise CertificateMalformed(f"instance.{exc}") from None
    claim = document["claim"]
    kind = claim.get("type")
    if kind not in CLAIMS:
        raise CertificateMalformed(f"claim.type: unknown claim {kind!r} (known: {', '.join(CLAIMS)})")
    verdict = Verdict(kind, proved=False)
    try:
        verdict.facts = CLAIMS[kind](instance, claim, document["witnesses"])
        verdict.proved = True
    except _Refuted as exc:
        verdict.failures.append(str(exc))
    return verdict


# --- the exact formulas (SPEC §1, §3) ---------------------------------------------------------------

def _dot(u, v) -> Fraction:
    return sum(map(mul, u, v), Fraction(0))


def prediction(instance: Instance, neurons) -> list[Fraction]:
    """f(x_i) = sum_j s_j max(0, <x_i, u_j>) for neurons given as (s_j, u_j)."""
    out = [Fraction(0)] * instance.n
    for s, u in neurons:
        for i, x in enumerate(instance.X):
            value = _dot(x, u)
            if value > 0:
                out[i] += s * value
    return out


def primal_value(instance: Instance, neurons) -> Fraction:
    """Upper bound on the loss of the balanced network of neurons (s_j, u_j, q_j) with q_j >= ||u_j||:
    (1/(2n)) ||f(X) - y||^2 + lambda sum_j q_j. Raises _Refuted if some q_j^2 < ||u_j||^2 or q_j < 0."""
    for j, (_, u, q) in enumerate(neurons):
        if q < 0 or q * q < _dot(u, u):
            raise _Refuted(f"neuron {j}: norm bound {q} is below ||u||")
    f = prediction(instance, [(s, u) for s, u, _ in neurons])
    loss = sum((a - b) ** 2 for a, b in zip(f, instance.y)) / (2 * instance.n)
    return loss + instance.lam * sum(q for _, _, q in neurons)


def dual_value(instance: Instance, r) -> Fraction:
    """The weak-duality lower bound (1/n)(r^T y - ||r||^2 / 2) for a dual-feasible residual r."""
    return (_dot(r, instance.y) - _dot(r, r) / 2) / instance.n


def cone_excess(instance: Instance, sigma, s: int, r, mu, nu=None) -> Fraction:
    """||(s/n) X^T D_sigma r + C_sigma^T mu + sum_i nu_i x_i||^2 - lambda^2, with C_sigma's rows sigma_i x_i.
    For mu >= 0 it is <= 0 exactly when the witness proves max{(s/n) r^T D_sigma X w : w in cl K_sigma,
    <x_i, w> = 0 where nu_i is given, ||w|| <= 1} <= lambda (nu: free multipliers of equalities)."""
    v = [Fraction(0)] * instance.d
    for i, x in enumerate(instance.X):
        coefficient = (Fraction(s, instance.n) * r[i] if sigma[i] > 0 else 0) + sigma[i] * mu[i]
        if nu is not None:
            coefficient += nu[i]
        if coefficient:
            v = [a + coefficient * b for a, b in zip(v, x)]
    return _dot(v, v) - instance.lam ** 2


def escaping_set(complements: list[frozenset], m: int) -> frozenset | None:
    """A set of at most m elements meeting every set in `complements`, or None (bounded search tree).
    With complements U_k = universe minus V_k: a set of <= m patterns contained in no V_k."""
    if not complements:
        return frozenset()
    if m == 0:
        return None
    for e in sorted(min(complements, key=len)):
        found = escaping_set([U for U in complements if e not in U], m - 1)
        if found is not None:
            return found | {e}
    return None


# --- reading witnesses -----------------------------------------------------------------------------

def _get(obj: dict, key: str, where: str):
    if key not in obj:
        raise CertificateMalformed(f"{where}.{key}: missing")
    return obj[key]


def _integer(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise CertificateMalformed(f"{where}: expected an integer string, got {value!r}")
    try:
        return int(value)
    except ValueError:
        raise CertificateMalformed(f"{where}: {value!r} is not an integer") from None


def _list(value: object, where: str, length: int | None = None) -> list:
    if not isinstance(value, list):
        raise CertificateMalformed(f"{where}: expected a list")
    if length is not None and len(value) != length:
        raise CertificateMalformed(f"{where}: expected {length} entries, got {len(value)}")
    return value


# --- claims ----------------------------------------------------------------------------------------

def _check_enumeration(instance: Instance, claim: dict, witnesses: dict) -> dict:
    """Every listed sign vector is a chamber (its integer witness w has sign(X w) equal to it, zero
    rows excepted), they are pairwise distinct, and their number equals the Zaslavsky count."""
    normals, row_map = hyperplanes(instance.X)
    signs = _list(_get(witnesses, "signs", "witnesses"), "witnesses.signs")
    points = _list(_get(witnesses, "points", "witnesses"), "witnesses.points", len(signs))
    declared = _integer(_get(claim, "chambers", "claim"), "claim.chambers")
    for c, (pattern, point) in enumerate(zip(signs, points)):
        if not isinstance(pattern, str) or len(pattern) != instance.n or set(pattern) - set("+-0"):
            raise CertificateMalformed(f"witnesses.signs[{c}]: expected {instance.n} characters from '+-0'")
        w = [_integer(x, f"witnesses.points[{c}]") for x in _list(point, f"witnesses.points[{c}]", instance.d)]
        side = [sum(map(mul, normal, w)) for normal in normals]
        for i, entry in enumerate(row_map):
            if entry is None:
                ok = pattern[i] == "0"
            else:
                h, orientation = entry
                value = orientation * side[h]
                ok = (value > 0 and pattern[i] == "+") or (value < 0 and pattern[i] == "-")
            if not ok:
                raise _Refuted(f"chamber {c}: witness gives the wrong sign (or zero) on row {i}")
    if len(set(signs)) != len(signs):
        raise _Refuted("two listed chambers have the same sign vector")
    count = region_count(normals)
    if declared != count or len(signs) != count:
        raise _Refuted(f"{len(signs)} chambers listed, {declared} claimed, Zaslavsky count is {count}")
    return {"chambers": count}


_QUANTITIES = ("C(S)", "C*", "L*_m")


def _pattern(entry: object, n: int, where: str) -> tuple[str, int]:
    if not isinstance(entry, dict):
        raise CertificateMalformed(f"{where}: expected an object with 'pattern' and 'sign'")
    label, s = _get(entry, "pattern", where), _get(entry, "sign", where)
    if not isinstance(label, str) or len(label) != n or set(label) - set("+-0"):
        raise CertificateMalformed(f"{where}.pattern: expected {n} characters from '+-0'")
    if s not in (1, -1):
        raise CertificateMalformed(f"{where}.sign: expected 1 or -1, got {s!r}")
    return label, s


def _sigma(label: str) -> list[int]:
    return [1 if c == "+" else -1 if c == "-" else 0 for c in label]


def _vector(value: object, length: int | None, where: str) -> list[Fraction]:
    return [_fraction(x, f"{where}[{i}]") for i, x in enumerate(_list(value, where, length))]


def _check_bounds(instance: Instance, claim: dict, witnesses: dict) -> dict:
    """lower <= quantity <= upper for quantity C(S), C* or L*_m.

    upper: a network of neurons (s_j, u_j, q_j >= ||u_j||) whose loss bound is <= upper; for C(S) each u_j
    lies in the closed cone of its pattern in S; for L*_m there are at most m neurons.
    lower: dual residuals r_k, each with multipliers mu >= 0 proving the cone inequality on a set V_k of
    signed patterns and with (1/n)(r_k^T y - ||r_k||^2/2) >= lower; every set of at most m patterns
    (m = |S| for C(S), all 2P patterns for C*) lies inside some V_k. For C* and L*_m the patterns are all
    chambers of a complete enumeration (checked as `enumeration-complete`) with both signs.
    """
    quantity = _get(claim, "quantity", "claim")
    if quantity not in _QUANTITIES:
        raise CertificateMalformed(f"claim.quantity: expected one of {_QUANTITIES}, got {quantity!r}")
    lower, upper = claim.get("lower"), claim.get("upper")
    lower = None if lower is None else _fraction(lower, "claim.lower")
    upper = None if upper is None else _fraction(upper, "claim.upper")
    if lower is None and upper is None:
        raise CertificateMalformed("claim: states neither a lower nor an upper bound")
    if quantity == "C(S)":
        S = [_pattern(e, instance.n, f"claim.patterns[{k}]") for k, e in
             enumerate(_list(_get(claim, "patterns", "claim"), "claim.patterns"))]
        universe, m = frozenset(S), len(set(S))
    else:
        chambers = _get(witnesses, "chambers", "witnesses")
        if not isinstance(chambers, dict):
            raise CertificateMalformed("witnesses.chambers: expected an object with signs and points")
        _check_enumeration(instance, {"chambers": len(_list(_get(chambers, "signs", "witnesses.chambers"),
                                                             "witnesses.chambers.signs"))}, chambers)
        universe = frozenset((label, s) for label in chambers["signs"] for s in (1, -1))
        m = len(universe)
        if quantity == "L*_m":
            m = _integer(_get(claim, "width", "claim"), "claim.width")
    facts: dict = {"quantity": quantity}
    if upper is not None:
        entries = _get(witnesses, "primal", "witnesses")
        neurons = _neurons(instance, entries, "witnesses.primal")
        if quantity == "C(S)":
            for j, (entry, (_, u, _)) in enumerate(zip(entries, neurons)):
                label, s = _pattern(entry, instance.n, f"witnesses.primal[{j}]")
                if (label, s) not in universe:
                    raise _Refuted(f"witnesses.primal[{j}]: pattern {label} sign {s} is not in S")
                if any(si * _dot(x, u) < 0 for si, x in zip(_sigma(label), instance.X) if si):
                    raise _Refuted(f"witnesses.primal[{j}]: u is not in the closed cone of pattern {label}")
        if quantity == "L*_m" and len(neurons) > m:
            raise _Refuted(f"{len(neurons)} neurons listed for width {m}")
        value = primal_value(instance, neurons)
        if value > upper:
            raise _Refuted(f"the primal point's value {value} exceeds the claimed upper bound")
        facts["upper"] = str(upper)
    if lower is not None:
        covered = []
        for k, entry in enumerate(_list(_get(witnesses, "dual", "witnesses"), "witnesses.dual")):
            where = f"witnesses.dual[{k}]"
            if not isinstance(entry, dict):
                raise CertificateMalformed(f"{where}: expected an object")
            r = _vector(_get(entry, "r", where), instance.n, f"{where}.r")
            if dual_value(instance, r) < lower:
                raise _Refuted(f"{where}: its bound {dual_value(instance, r)} is below the claimed lower bound")
            valid = set()
            for j, item in enumerate(_list(_get(entry, "patterns", where), f"{where}.patterns")):
                label, s = _pattern(item, instance.n, f"{where}.patterns[{j}]")
                mu = _vector(_get(item, "mu", f"{where}.patterns[{j}]"), instance.n, f"{where}.patterns[{j}].mu")
                if any(x < 0 for x in mu):
                    raise _Refuted(f"{where}.patterns[{j}]: a multiplier is negative")
                if cone_excess(instance, _sigma(label), s, r, mu) > 0:
                    raise _Refuted(f"{where}.patterns[{j}]: the cone inequality fails for pattern {label} sign {s}")
                valid.add((label, s))
            covered.append(universe - valid)
        escape = escaping_set(covered, m)
        if escape is not None:
            names = ", ".join(f"{label}{'+' if s > 0 else '-'}" for label, s in sorted(escape))
            raise _Refuted(f"no dual residual covers the pattern set {{{names}}}")
        facts["lower"] = str(lower)
    return facts


# --- a given network (SPEC §5) ---------------------------------------------------------------------

_VERDICTS = ("not-a-local-minimum", "local-minimum", "global-minimum", "spurious-local-minimum")


def _network(instance: Instance, claim: dict) -> tuple[list[Fraction], list[list[Fraction]]]:
    network = _get(claim, "network", "claim")
    if not isinstance(network, dict):
        raise CertificateMalformed("claim.network: expected an object with a and W")
    a = _vector(_get(network, "a", "claim.network"), None, "claim.network.a")
    rows = _list(_get(network, "W", "claim.network"), "claim.network.W", len(a))
    return a, [_vector(row, instance.d, f"claim.network.W[{j}]") for j, row in enumerate(rows)]


def _check_network(instance: Instance, claim: dict, witnesses: dict) -> dict:
    """The verdict on theta = (a, W).

    not-a-local-minimum: an unbalanced neuron (a_j^2 != ||w_j||^2: rescaling lowers L to first order), or a
    direction v along which L decreases: for a non-zero neuron u_j = |a_j| w_j the one-sided derivative of
    L along the lift of u_j + eps v is -(s_j/n) sum_{i active} r_i <x_i, v> + lambda <u_j, v> / ||u_j|| < 0
    (row i active iff <x_i, u_j> > 0, or = 0 and <x_i, v> > 0); for a zero neuron (a, w) = (s t, t v) lowers
    L by t^2 ((s/n) r^T (X v)_+ - lambda (1 + ||v||^2)/2) + O(t^4).
    local-minimum: all neurons balanced and, with r = y - f(X), for every non-zero neuron j and every chamber
    sigma whose closure holds u_j, mu >= 0 on Z_j = {i : <x_i, u_j> = 0} with
    -(s_j/n) X^T D_sigma r + lambda u_j / ||u_j|| = sum_{i in Z_j} mu_i sigma_i x_i (||u_j|| = a_j^2), and, if a
    neuron is zero, r dual-feasible on all 2P signed patterns.
    global-minimum: a local minimum with r dual-feasible on all 2P patterns (zero-gap: L = bound <= C* <= L*_m).
    spurious-local-minimum: a local minimum and a network of width <= m with smaller loss bound.
    """
    verdict = _get(claim, "verdict", "claim")
    if verdict not in _VERDICTS:
        raise CertificateMalformed(f"claim.verdict: expected one of {_VERDICTS}, got {verdict!r}")
    a, W = _network(instance, claim)
    neurons = [((1 if aj >= 0 else -1), [abs(aj) * x for x in w]) for aj, w in zip(a, W)]
    balanced = [aj * aj == _dot(w, w) for aj, w in zip(a, W)]
    r = [yi - fi for yi, fi in zip(instance.y, prediction(instance, neurons))]
    if verdict == "not-a-local-minimum":
        if "unbalanced" in witnesses:
            j = _integer(witnesses["unbalanced"], "witnesses.unbalanced")
            if not 0 <= j < len(a) or balanced[j]:
                raise _Refuted(f"neuron {j} is balanced")
            return {"verdict": verdict, "reason": f"neuron {j} is unbalanced"}
        descent = _get(witnesses, "descent", "witnesses")
        j = _integer(_get(descent, "neuron", "witnesses.descent"), "witnesses.descent.neuron")
        v = _vector(_get(descent, "direction", "witnesses.descent"), instance.d, "witnesses.descent.direction")
        if not 0 <= j < len(a) or not balanced[j]:
            raise _Refuted(f"neuron {j} is not a balanced neuron of the network")
        s, u = neurons[j]
        if any(u):
            active = [i for i, x in enumerate(instance.X) if _dot(x, u) > 0 or (_dot(x, u) == 0 and _dot(x, v) > 0)]
            slope = -Fraction(s, instance.n) * sum((r[i] * _dot(instance.X[i], v) for i in active), Fraction(0)) \
                + instance.lam * _dot(u, v) / (a[j] * a[j])
            if slope >= 0:
                raise _Refuted(f"the derivative along the direction is {slope} >= 0")
        else:
            s = _get(descent, "sign", "witnesses.descent")
            if s not in (1, -1):
                raise CertificateMalformed("witnesses.descent.sign: expected 1 or -1")
            gain = Fraction(s, instance.n) * sum((ri * max(_dot(x, v), 0) for ri, x in zip(r, instance.X)), Fraction(0))
            if gain <= instance.lam * (1 + _dot(v, v)) / 2:
                raise _Refuted("growing the zero neuron along the direction does not lower the loss")
        return {"verdict": verdict, "reason": f"descent direction at neuron {j}"}
    if not all(balanced):
        raise _Refuted(f"neuron {balanced.index(False)} is unbalanced")
    chambers = _get(witnesses, "chambers", "witnesses")
    labels = _list(_get(chambers, "signs", "witnesses.chambers"), "witnesses.chambers.signs")
    _check_enumeration(instance, {"chambers": len(labels)}, chambers)
    conditions = {_integer(_get(e, "neuron", "witnesses.nonzero[]"), "witnesses.nonzero[].neuron"): e
                  for e in _list(_get(witnesses, "nonzero", "witnesses"), "witnesses.nonzero")}
    for j, (s, u) in enumerate(neurons):
        if not any(u):
            continue
        side = [_dot(x, u) for x in instance.X]
        given = {}
        for k, item in enumerate(_list(_get(conditions.get(j, {}), "multipliers", f"witnesses.nonzero[neuron {j}]"),
                                       f"witnesses.nonzero[neuron {j}].multipliers")):
            label = _pattern({"pattern": _get(item, "pattern", "multipliers[]"), "sign": 1}, instance.n, "multipliers[]")[0]
            given[label] = _vector(_get(item, "mu", "multipliers[]"), instance.n, f"neuron {j} multipliers mu")
        for label in labels:
            sigma = _sigma(label)
            if any(v and (v > 0) != (sg > 0) for v, sg in zip(side, sigma)):
                continue   # u_j is not in the closure of this chamber
            if label not in given:
                raise _Refuted(f"neuron {j}: no multipliers for chamber {label} around u_j")
            mu = given[label]
            if any(m < 0 or (m and side[i]) for i, m in enumerate(mu)):
                raise _Refuted(f"neuron {j}, chamber {label}: multipliers must be >= 0 and vanish off Z_j")
            lhs = [Fraction(0)] * instance.d
            for i, x in enumerate(instance.X):
                c = (-Fraction(s, instance.n) * r[i] if sigma[i] > 0 else 0) - sigma[i] * mu[i]
                lhs = [p + c * q for p, q in zip(lhs, x)]
            lhs = [p + instance.lam * q / (a[j] * a[j]) for p, q in zip(lhs, u)]
            if any(lhs):
                raise _Refuted(f"neuron {j}, chamber {label}: the stationarity equation fails")
    dual_ok = set()
    for k, item in enumerate(_list(witnesses.get("dual", []), "witnesses.dual")):
        label, s = _pattern(item, instance.n, f"witnesses.dual[{k}]")
        mu = _vector(_get(item, "mu", f"witnesses.dual[{k}]"), instance.n, f"witnesses.dual[{k}].mu")
        if any(m < 0 for m in mu) or cone_excess(instance, _sigma(label), s, r, mu) > 0:
            raise _Refuted(f"witnesses.dual[{k}]: the cone inequality fails for {label} sign {s}")
        dual_ok.add((label, s))
    everywhere = all((label, s) in dual_ok for label in labels for s in (1, -1))
    if any(not any(u) for _, u in neurons) and not everywhere:
        raise _Refuted("a zero neuron needs r dual-feasible on every signed pattern")
    value = Fraction(sum((fi - yi) ** 2 for fi, yi in zip(prediction(instance, neurons), instance.y)),
                     2 * instance.n) + instance.lam / 2 * sum(aj * aj + _dot(w, w) for aj, w in zip(a, W))
    facts = {"verdict": verdict, "loss": str(value)}
    if verdict == "global-minimum" and not everywhere:
        raise _Refuted("global-minimum needs r dual-feasible on every signed pattern (zero-gap identity)")
    if verdict == "spurious-local-minimum":
        width = _integer(_get(claim, "width", "claim"), "claim.width")
        better = _neurons(instance, _get(witnesses, "width_upper", "witnesses"), "witnesses.width_upper")
        if len(better) > width:
            raise _Refuted(f"the better network has {len(better)} > {width} neurons")
        if primal_value(instance, better) >= value:
            raise _Refuted("the better network's loss bound is not below the local minimum's loss")
    return facts


def _neurons(instance: Instance, entries: object, where: str) -> list:
    out = []
    for j, entry in enumerate(_list(entries, where)):
        here = f"{where}[{j}]"
        if not isinstance(entry, dict):
            raise CertificateMalformed(f"{here}: expected an object")
        s = _get(entry, "sign", here)
        if s not in (1, -1):
            raise CertificateMalformed(f"{here}.sign: expected 1 or -1")
        out.append((s, _vector(_get(entry, "u", here), instance.d, f"{here}.u"),
                    _fraction(_get(entry, "norm_bound", here), f"{here}.norm_bound")))
    return out


# --- an interior local minimum of a region (SPEC §5) -------------------------------------------------

def _check_region_minimum(instance: Instance, claim: dict, witnesses: dict) -> dict:
    """Region R: m neurons, each in a signed chamber (sigma_j, s_j); S(R) is the set of distinct ones.
    An interior point u0 (one u0_k per pattern of S(R), sigma_i <x_i, u0_k> > 0 on every non-zero row) with
    loss bound <= U, and for every pattern k of S(R) and every non-zero row i a dual residual for
    "C(S(R)) with <x_i, u_k> = 0" (free multiplier nu on x_i for pattern k) whose bound exceeds U. Then every
    minimizer of C(S(R)) is interior, and its lift (a neuron shared by several of the m neurons is split
    among them in parallel) is a local minimum of L of width m and value <= U.
    spurious: in addition a dual bound of C(S(R)) above the loss bound of a network of width <= m."""
    neurons_of_region = [_pattern(e, instance.n, f"claim.region[{k}]")
                         for k, e in enumerate(_list(_get(claim, "region", "claim"), "claim.region"))]
    width = _integer(_get(claim, "width", "claim"), "claim.width")
    upper = _fraction(_get(claim, "upper", "claim"), "claim.upper")
    if len(neurons_of_region) != width:
        raise _Refuted(f"the region must place all {width} neurons in signed chambers")
    region = set(neurons_of_region)
    interior = _list(_get(witnesses, "interior", "witnesses"), "witnesses.interior", len(region))
    points = dict(zip([_pattern(e, instance.n, f"witnesses.interior[{k}]") for k, e in enumerate(interior)],
                      _neurons(instance, interior, "witnesses.interior")))
    if set(points) != region:
        raise _Refuted("the interior point must give exactly one u0 per signed pattern of the region")
    for (label, s), (_, u, _) in points.items():
        sigma = _sigma(label)
        if any((si == 0) != (not any(x)) for si, x in zip(sigma, instance.X)):
            raise _Refuted(f"pattern {label}: zero rows do not match the instance")
        if any(si and si * _dot(x, u) <= 0 for si, x in zip(sigma, instance.X)):
            raise _Refuted(f"pattern {label}: u0 is not strictly inside the chamber")
    if primal_value(instance, list(points.values())) > upper:
        raise _Refuted("the interior point's loss bound exceeds U")
    needed = {(p, i) for p in region for i, x in enumerate(instance.X) if any(x)}
    for k, facet in enumerate(_list(_get(witnesses, "facets", "witnesses"), "witnesses.facets")):
        where = f"witnesses.facets[{k}]"
        constrained = (_pattern(facet, instance.n, where), _integer(_get(facet, "row", where), f"{where}.row"))
        r = _vector(_get(facet, "r", where), instance.n, f"{where}.r")
        if dual_value(instance, r) <= upper:
            raise _Refuted(f"{where}: the facet bound does not exceed U")
        _region_dual(instance, region, facet, r, where, constrained)
        needed.discard(constrained)
    if needed:
        (label, s), i = min(needed)
        raise _Refuted(f"no facet certificate for pattern {label} sign {s} on the hyperplane of row {i}")
    facts = {"region": [f"{label}{'+' if s > 0 else '-'}" for label, s in neurons_of_region], "upper": str(upper)}
    if claim.get("spurious"):
        lower = _get(witnesses, "region_lower", "witnesses")
        r = _vector(_get(lower, "r", "witnesses.region_lower"), instance.n, "witnesses.region_lower.r")
        _region_dual(instance, region, lower, r, "witnesses.region_lower")
        better = _neurons(instance, _get(witnesses, "width_upper", "witnesses"), "witnesses.width_upper")
        if len(better) > width:
            raise _Refuted(f"the better network has {len(better)} > {width} neurons")
        if dual_value(instance, r) <= primal_value(instance, better):
            raise _Refuted("the region's lower bound does not exceed the width-m upper bound")
        facts["spurious"] = True
    return facts


def _region_dual(instance: Instance, region: set, entry: dict, r, where: str, constrained=None) -> None:
    """r is dual-feasible on every pattern of the region (with nu on x_i for the constrained pattern)."""
    items = _list(_get(entry, "patterns", where), f"{where}.patterns")
    given = {_pattern(item, instance.n, f"{where}.patterns[{k}]"): item for k, item in enumerate(items)}
    if set(given) != region:
        raise _Refuted(f"{where}: multipliers must be given for exactly the region's patterns")
    for (label, s), item in given.items():
        mu = _vector(_get(item, "mu", where), instance.n, f"{where}.patterns[{label}].mu")
        nu = None
        if constrained is not None and constrained[0] == (label, s):
            nu = [Fraction(0)] * instance.n
            nu[constrained[1]] = _fraction(_get(item, "nu", where), f"{where}.patterns[{label}].nu")
        if any(m < 0 for m in mu) or cone_excess(instance, _sigma(label), s, r, mu, nu) > 0:
            raise _Refuted(f"{where}: the cone inequality fails for pattern {label} sign {s}")


# --- a local minimum on a face: neurons on kinks (SPEC §5, duality-gap enclosure) ---------------------

def _check_face_minimum(instance: Instance, claim: dict, witnesses: dict) -> dict:
    """Face F: neuron k in the closed chamber sigma_k with sign s_k and <x_i, u_k> = 0 for i in Z_k (rows of Z_k
    linearly independent). Given: a point u0 of F with sigma_i <x_i, u0_k> > 0 off Z_k and loss bound G(u0) <= U;
    for every k and non-zero row i off Z_k a dual bound > U of "C(F) with <x_i, u_k> = 0"; a dual bound B of
    C(F). Then every minimizer u* of C(F) keeps exactly Z_k active and u*_k != 0, so by its KKT conditions
    lambda u*_k/||u*_k|| = P h_k(r*) (P projects off span{x_i : i in Z_k}, h_k(r) = (s_k/n) X^T D_sigma_k r), with
    the unique residual r* enclosed by ||r* - r0|| <= rho, rho^2 = 2n (U - B) (gap inequality). For every chamber
    sigma around u*_k the SPEC §5 multipliers are then c(r*) = -(s_k/n) delta r*_Z - (X_Z X_Z^T)^-1 X_Z h_k(r*),
    linear in r*; sigma_i c_i(r0) >= ||grad c_i|| rho for each i proves them >= 0 on the whole ball, so the lift
    of u* is a local minimum of L with value in [B, U]. spurious: B above a width-m network's loss bound."""
    entries = _list(_get(claim, "region", "claim"), "claim.region")
    width = _integer(_get(claim, "width", "claim"), "claim.width")
    upper = _fraction(_get(claim, "upper", "claim"), "claim.upper")
    lower = _fraction(_get(claim, "lower", "claim"), "claim.lower")
    region = []
    for k, entry in enumerate(entries):
        label, s = _pattern(entry, instance.n, f"claim.region[{k}]")
        zeros = sorted({_integer(i, f"claim.region[{k}].zero_rows") for i in _list(_get(entry, "zero_rows", "region"),
                                                                                     "zero_rows")})
        if any(not 0 <= i < instance.n or not any(instance.X[i]) for i in zeros):
            raise CertificateMalformed(f"claim.region[{k}].zero_rows: rows must be non-zero data rows")
        region.append((label, s, zeros))
    if len(region) != width or len({(label, s) for label, s, _ in region}) != len(region):
        raise _Refuted(f"the face must place {width} neurons in distinct signed chambers")
    if any(rank([instance.X[i] for i in zeros]) != len(zeros) for _, _, zeros in region):
        raise _Refuted("the rows a neuron sits on must be linearly independent")
    if any(all(i in zeros or not any(x) for i, x in enumerate(instance.X)) for _, _, zeros in region):
        raise _Refuted("a neuron on every hyperplane could be zero: no facet program excludes it")
    points = _neurons(instance, _list(_get(witnesses, "interior", "witnesses"), "witnesses.interior", width),
                      "witnesses.interior")
    for k, ((label, s, zeros), (sign, u, _)) in enumerate(zip(region, points)):
        sigma = _sigma(label)
        if sign != s or any((si == 0) != (not any(x)) for si, x in zip(sigma, instance.X)):
            raise _Refuted(f"neuron {k}: sign or zero rows do not match")
        for i, (si, x) in enumerate(zip(sigma, instance.X)):
            value = _dot(x, u)
            if (i in zeros and value != 0) or (i not in zeros and si and si * value <= 0):
                raise _Refuted(f"neuron {k}: u0 is not in the relative interior of its face (row {i})")
    if primal_value(instance, points) > upper:
        raise _Refuted("the face point's loss bound exceeds U")
    needed = {(k, i) for k, (_, _, zeros) in enumerate(region) for i, x in enumerate(instance.X)
              if any(x) and i not in zeros}
    for t, facet in enumerate(_list(_get(witnesses, "facets", "witnesses"), "witnesses.facets")):
        where = f"witnesses.facets[{t}]"
        k, i = _integer(_get(facet, "neuron", where), f"{where}.neuron"), _integer(_get(facet, "row", where), f"{where}.row")
        r = _vector(_get(facet, "r", where), instance.n, f"{where}.r")
        if not 0 <= k < width or dual_value(instance, r) <= upper:
            raise _Refuted(f"{where}: the facet bound does not exceed U")
        _face_dual(instance, region, facet, r, where, (k, i))
        needed.discard((k, i))
    if needed:
        raise _Refuted(f"no facet certificate for neuron {min(needed)[0]} on row {min(needed)[1]}")
    face_lower = _get(witnesses, "face_lower", "witnesses")
    r = _vector(_get(face_lower, "r", "witnesses.face_lower"), instance.n, "witnesses.face_lower.r")
    _face_dual(instance, region, face_lower, r, "witnesses.face_lower", None)
    if dual_value(instance, r) < lower or lower > upper:
        raise _Refuted("the face's dual bound is below the claimed lower bound")
    rho2 = 2 * instance.n * (upper - lower)
    r0 = [yi - fi for yi, fi in zip(instance.y, prediction(instance, [(s, u) for s, u, _ in points]))]
    chambers = _get(witnesses, "chambers", "witnesses")
    labels = _list(_get(chambers, "signs", "witnesses.chambers"), "witnesses.chambers.signs")
    _check_enumeration(instance, {"chambers": len(labels)}, chambers)
    for k, (label, s, zeros) in enumerate(region):
        if zeros:
            _check_kink_multipliers(instance, k, _sigma(label), s, zeros, labels, r0, rho2)
    facts = {"region": [f"{label}{'+' if s > 0 else '-'} on rows {zeros}" for label, s, zeros in region],
             "value": [str(lower), str(upper)]}
    if claim.get("spurious"):
        better = _neurons(instance, _get(witnesses, "width_upper", "witnesses"), "witnesses.width_upper")
        if len(better) > width or lower <= primal_value(instance, better):
            raise _Refuted("the face's lower bound does not exceed the loss bound of a width-m network")
        facts["spurious"] = True
    return facts


def _face_dual(instance: Instance, region, entry: dict, r, where: str, constrained) -> None:
    """r is dual-feasible for the face program (free multipliers on each neuron's zero rows, and on the extra
    row of a facet program)."""
    items = _list(_get(entry, "patterns", where), f"{where}.patterns", len(region))
    for k, ((label, s, zeros), item) in enumerate(zip(region, items)):
        mu = _vector(_get(item, "mu", where), instance.n, f"{where}.patterns[{k}].mu")
        nu = _vector(_get(item, "nu", where), instance.n, f"{where}.patterns[{k}].nu")
        allowed = set(zeros) | ({constrained[1]} if constrained and constrained[0] == k else set())
        if any(v and i not in allowed for i, v in enumerate(nu)):
            raise _Refuted(f"{where}.patterns[{k}]: a free multiplier on a row that is not an equality")
        if any(m < 0 for m in mu) or cone_excess(instance, _sigma(label), s, r, mu, nu) > 0:
            raise _Refuted(f"{where}.patterns[{k}]: the cone inequality fails")


def _check_kink_multipliers(instance: Instance, k: int, sigma_k, s: int, zeros, labels, r0, rho2) -> None:
    """For every chamber sigma around u*_k: sigma_i c_i(r) >= 0 on the ball ||r - r0||^2 <= rho2 (see above)."""
    n, X = instance.n, instance.X
    gram = [[_dot(X[a], X[b]) for b in zeros] for a in zeros]
    inverse = _inverse(gram)
    # c(r) = G^-1 X_Z (-h_k(r)) - (s/n) delta r_Z, as a |Z| x n matrix acting on r
    projected = [[-Fraction(s, n) * sum(inverse[t][q] * _dot(X[zeros[q]], X[i]) for q in range(len(zeros)))
                  if sigma_k[i] > 0 else Fraction(0) for i in range(n)] for t in range(len(zeros))]
    for label in labels:
        sigma = _sigma(label)
        if any(sigma[i] != sigma_k[i] for i in range(n) if i not in zeros):
            continue
        for t, z in enumerate(zeros):
            row = list(projected[t])
            row[z] -= Fraction(s, n) * ((sigma[z] > 0) - (sigma_k[z] > 0))
            value = sigma[z] * _dot(row, r0)
            if value < 0 or value * value < _dot(row, row) * rho2:
                raise _Refuted(f"neuron {k}, chamber {label}: the multiplier of row {z} is not provably >= 0")


def _inverse(M: list[list[Fraction]]) -> list[list[Fraction]]:
    size = len(M)
    reduced = rref([list(row) + [Fraction(int(i == j)) for j in range(size)] for i, row in enumerate(M)])[0]
    return [row[size:] for row in reduced]


CLAIMS: dict[str, Callable[[Instance, dict, dict], dict]] = {
    "enumeration-complete": _check_enumeration,
    "bounds": _check_bounds,
    "network": _check_network,
    "region-local-minimum": _check_region_minimum,
    "face-local-minimum": _check_face_minimum,
}


def _fraction(value: object, where: str) -> Fraction:
    """An exact rational from an integer or a 'p/q' string."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise CertificateMalformed(f"{where}: expected a rational string 'p/q', got {value!r}")
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise CertificateMalformed(f"{where}: {value!r} is not a rational 'p/q'") from None

