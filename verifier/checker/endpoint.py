"""Claim `endpoint`: what a gradient-descent endpoint theta_e (given exactly, as printed) is near (docs §9).

The `near-*` verdicts are about theta_F, the exact minimizer of the endpoint's face near it, never about theta_e
itself (that is the `network` claim), so they carry their own names; `claim.stationary` is the nested claim about
theta_F (for `near-non-stationary-point`, the claim that theta_F is *not* stationary):

- `near-global-minimum`: a nested `bounds` certificate on C* (one dual residual feasible on all 2P signed
  patterns gives B <= C*, a point u0 of at most m neurons gives U >= G(u0) >= L*_m). Every width-m global
  minimizer theta_m and u0 have predictions within rho of p*, the prediction shared by all minimizers of C*
  (rho^2 = 2n(U - B), gap inequality), so ||f_e - f(theta_m)|| <= ||f_e - f(u0)|| + 2 rho; L*_m is in [B, U]
  (epsilon = U - B), and the endpoint's own loss is at most B + `claim.loss_excess`.
- `near-local-minimum`, `near-spurious-local-minimum`: a nested `face-local-minimum` certificate of width k and
  multiplicities m_1..m_k >= 1 summing to m: theta_F splits the face minimizer's neuron l among m_l parallel
  neurons (the docs §5 conditions of a non-zero neuron depend only on its direction, so the split point of width
  m is a local minimum).
- `near-saddle`, `near-spurious-saddle`: a nested `saddle` certificate of width m' (its faces with multiplicities,
  plus m' - k zero neurons: sum m_l + m' - k = m): theta_F is proved stationary and not a local minimum.
- `near-non-stationary-point`: a nested `not-stationary` certificate (same shape): theta_F, the minimizer of the
  endpoint's face, is not stationary (crossing a kink lowers L at first order), so gradient descent does not stall
  there; neither a minimum nor a saddle.
  For these, ||f_e - f(theta_F)|| <= ||f_e - f(u0)|| + rho. `spurious`: `witnesses.width_upper`, a network of at
  most m neurons whose loss bound is below B <= L(theta_F), so L(theta_F) > L*_m.
- `not-converged`: about theta_e itself: a direction V = (da, dW) with one-sided derivative
  L'(theta_e; V) <= -g ||V||, g = claim.rate > 0 (L decreases at rate g along a unit direction).

`claim.prediction_distance` D is proved as sqrt(A) + sqrt(R) <= D (A = ||f_e - f(u0)||^2, R = rho^2 or 4 rho^2)
without square roots: D >= 0, E = D^2 - A - R >= 0 and E^2 >= 4AR.
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import CertificateMalformed
from .bounds import check_bounds
from .core import (Certificate, Reason, Refuted, dot, exact_text, fraction, get, integer, listof, obj, prediction,
                   vector)
from .face import enclosure_radius2, prove_face_minimum
from .network import read_network
from .saddle import prove_not_stationary, prove_saddle

__all__ = ["check_endpoint", "VERDICTS", "within", "one_sided_derivative"]

VERDICTS = {"near-global-minimum": "bounds", "near-local-minimum": "face-local-minimum",
            "near-spurious-local-minimum": "face-local-minimum", "near-saddle": "saddle",
            "near-spurious-saddle": "saddle", "near-non-stationary-point": "not-stationary", "not-converged": None}

_PROVERS = {"face-local-minimum": prove_face_minimum, "saddle": prove_saddle, "not-stationary": prove_not_stationary}


def within(A: Fraction, R: Fraction, D: Fraction) -> bool:
    """sqrt(A) + sqrt(R) <= D for A, R >= 0, decided exactly."""
    E = D * D - A - R
    return D >= 0 and E >= 0 and E * E >= 4 * A * R


def one_sided_derivative(instance, a, W, da, dW) -> Fraction:
    """L'(theta; V) = lim_{t -> 0+} (L(theta + t V) - L(theta)) / t for theta = (a, W), V = (da, dW):
    (1/n) sum_i (f_i - y_i) f'_i + lambda (<a, da> + <W, dW>), with
    f'_i = sum_j da_j relu(<w_j, x_i>) + a_j relu'(<w_j, x_i>; <dw_j, x_i>), relu'(z; h) = h (z > 0),
    max(h, 0) (z = 0), 0 (z < 0)."""
    total = Fraction(0)
    for x, y in zip(instance.X, instance.y):
        f, slope = Fraction(0), Fraction(0)
        for aj, w, daj, dw in zip(a, W, da, dW):
            z, h = dot(w, x), dot(dw, x)
            f += aj * max(z, 0)
            slope += daj * max(z, 0) + aj * (h if z > 0 else max(h, 0) if z == 0 else 0)
        total += (f - y) * slope
    regularizer = dot(a, da) + sum((dot(w, dw) for w, dw in zip(W, dW)), Fraction(0))
    return total / instance.n + instance.lam * regularizer


def check_endpoint(cert: Certificate) -> dict:
    instance, claim = cert.instance, cert.claim
    verdict = get(claim, "verdict", "claim")
    if not isinstance(verdict, str) or verdict not in VERDICTS:
        raise CertificateMalformed(f"claim.verdict: expected one of {', '.join(VERDICTS)}")
    a, W = read_network(cert)
    m = len(a)
    facts = {"verdict": verdict, "width": m}
    if verdict == "not-converged":
        return facts | _not_converged(cert, a, W)
    f_e = prediction(instance, [((1 if aj >= 0 else -1), [abs(aj) * x for x in w]) for aj, w in zip(a, W)])
    nested = obj(get(claim, "stationary", "claim"), "claim.stationary")
    inner = Certificate(instance, obj(get(nested, "claim", "claim.stationary"), "claim.stationary.claim"),
                        obj(get(nested, "witnesses", "claim.stationary"), "claim.stationary.witnesses"))
    if inner.claim.get("type") != VERDICTS[verdict]:
        raise CertificateMalformed(f"claim.stationary.claim.type: {verdict} needs a {VERDICTS[verdict]} claim")
    if VERDICTS[verdict] == "bounds":
        point, upper, lower, factor = _global(inner, m)
        excess = fraction(get(claim, "loss_excess", "claim"), "claim.loss_excess")
        loss = sum(((p - y) ** 2 for p, y in zip(f_e, instance.y)), Fraction(0)) / (2 * instance.n) \
            + instance.lam / 2 * (dot(a, a) + sum((dot(w, w) for w in W), Fraction(0)))
        if loss - lower > excess:
            raise Refuted(Reason.PRIMAL, f"the endpoint's loss exceeds the lower bound of L*_m by more than {excess}")
        facts |= {"L*_m": [str(lower), str(upper)], "epsilon": exact_text(upper - lower), "loss_excess": str(excess)}
    else:
        inner_facts, face = _PROVERS[VERDICTS[verdict]](inner)
        _multiplicities(claim, face, m)
        if "spurious" in verdict:
            facts["width_upper"] = exact_text(cert.better_network(face.lower, m))
        point, upper, lower, factor = face.points, face.upper, face.lower, 1
        facts |= {"value": [str(lower), str(upper)], "region": face.names()}
        facts |= {key: inner_facts[key] for key in ("stationary", "descent") if key in inner_facts}
    p0 = prediction(instance, [(s, u) for s, u, _ in point])
    distance = fraction(get(claim, "prediction_distance", "claim"), "claim.prediction_distance")
    A = sum(((p - q) ** 2 for p, q in zip(f_e, p0)), Fraction(0))
    if not within(A, factor * enclosure_radius2(instance.n, upper, lower), distance):
        raise Refuted(Reason.OTHER, f"the endpoint's predictions are not provably within {distance} of theta_F's")
    facts["prediction_distance"] = str(distance)
    return facts


def _global(inner: Certificate, m: int):
    """A `bounds` certificate on C* with both bounds and a point of at most m neurons."""
    if inner.claim.get("quantity") != "C*" or "lower" not in inner.claim or "upper" not in inner.claim:
        raise CertificateMalformed("claim.stationary.claim: near-global-minimum needs lower and upper bounds on C*")
    check_bounds(inner)
    point = inner.neurons(get(inner.witnesses, "primal", "claim.stationary.witnesses"),
                          "claim.stationary.witnesses.primal")
    if len(point) > m:
        raise Refuted(Reason.WIDTH, f"the point has {len(point)} > {m} neurons, so it bounds no width-m loss")
    return point, fraction(inner.claim["upper"], "upper"), fraction(inner.claim["lower"], "lower"), 4


def _multiplicities(claim: dict, face, m: int) -> None:
    counts = [integer(c, f"claim.multiplicity[{k}]") for k, c in
              enumerate(listof(get(claim, "multiplicity", "claim"), "claim.multiplicity", len(face.region)))]
    if any(c < 1 for c in counts):
        raise CertificateMalformed("claim.multiplicity: every face holds at least one neuron")
    if sum(counts) + face.width - len(face.region) != m:
        raise Refuted(Reason.WIDTH, f"the faces' multiplicities and zero neurons do not add up to the endpoint's "
                                    f"{m} neurons")


def _not_converged(cert: Certificate, a, W) -> dict:
    instance = cert.instance
    direction = obj(get(cert.witnesses, "direction", "witnesses"), "witnesses.direction")
    da = vector(get(direction, "a", "witnesses.direction"), len(a), "witnesses.direction.a")
    rows = listof(get(direction, "W", "witnesses.direction"), "witnesses.direction.W", len(a))
    dW = [vector(row, instance.d, f"witnesses.direction.W[{j}]") for j, row in enumerate(rows)]
    rate = fraction(get(cert.claim, "rate", "claim"), "claim.rate")
    if rate <= 0:
        raise CertificateMalformed("claim.rate: must be > 0")
    slope = one_sided_derivative(instance, a, W, da, dW)
    size = dot(da, da) + sum((dot(w, w) for w in dW), Fraction(0))
    if slope >= 0 or slope * slope < rate * rate * size:
        raise Refuted(Reason.DESCENT, f"the one-sided derivative along the direction is not <= -{rate} ||V||")
    return {"rate": str(rate), "reason": "L decreases at rate >= the stated rate along a unit direction"}
