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
from .lattice import hyperplanes, region_count

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


def cone_excess(instance: Instance, sigma, s: int, r, mu) -> Fraction:
    """||(s/n) X^T D_sigma r + C_sigma^T mu||^2 - lambda^2, with C_sigma's rows sigma_i x_i.
    For mu >= 0 it is <= 0 exactly when the witness proves max{(s/n) r^T D_sigma X w : w in cl K_sigma,
    ||w|| <= 1} <= lambda."""
    v = [Fraction(0)] * instance.d
    for i, x in enumerate(instance.X):
        coefficient = (Fraction(s, instance.n) * r[i] if sigma[i] > 0 else 0) + sigma[i] * mu[i]
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


def _vector(value: object, length: int, where: str) -> list[Fraction]:
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
        neurons = []
        for j, entry in enumerate(_list(_get(witnesses, "primal", "witnesses"), "witnesses.primal")):
            where = f"witnesses.primal[{j}]"
            if not isinstance(entry, dict):
                raise CertificateMalformed(f"{where}: expected an object")
            u = _vector(_get(entry, "u", where), instance.d, f"{where}.u")
            q = _fraction(_get(entry, "norm_bound", where), f"{where}.norm_bound")
            s = _get(entry, "sign", where)
            if s not in (1, -1):
                raise CertificateMalformed(f"{where}.sign: expected 1 or -1")
            if quantity == "C(S)":
                label, s = _pattern(entry, instance.n, where)
                if (label, s) not in universe:
                    raise _Refuted(f"{where}: pattern {label} sign {s} is not in S")
                if any(si * _dot(x, u) < 0 for si, x in zip(_sigma(label), instance.X) if si):
                    raise _Refuted(f"{where}: u is not in the closed cone of pattern {label}")
            neurons.append((s, u, q))
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


CLAIMS: dict[str, Callable[[Instance, dict, dict], dict]] = {
    "enumeration-complete": _check_enumeration,
    "bounds": _check_bounds,
}


def _fraction(value: object, where: str) -> Fraction:
    """An exact rational from an integer or a 'p/q' string."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise CertificateMalformed(f"{where}: expected a rational string 'p/q', got {value!r}")
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise CertificateMalformed(f"{where}: {value!r} is not a rational 'p/q'") from None

