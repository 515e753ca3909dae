"""Claim `region-no-local-minimum`: the closure of every region R with S(R) = S holds no local minimum of L at
width m (docs §5, §8; proofs/lemma_no_local_minimum.py).

The argument, every step an exact inequality:

1. B <= C(S) <= U (a `bounds` claim on C(S): a point u0 in the closed cones of S with G(u0) <= U, and a residual
   dual-feasible on every pattern of S with bound B), and a network of width <= m with loss bound < B: L*_m < C(S).
2. A local minimum theta* of L with balanced form u* in cl R minimizes G over cl R (Lemma 8.1), so G(u*) = C(S)
   and its residual is the unique optimal residual r* of C(S), in the ball ||r* - r0||^2 <= rho2 = 2n(U - B)
   (r0 = y - f(u0); `face.enclosure_radius2`).
3. For one signed pattern (sigma, s) of S, a multiplier mu >= 0 with ||h(r) + C_sigma^T mu|| < lambda for every r in
   the ball (h(r) = (s/n) X^T D_sigma r, C_sigma's rows sigma_i x_i; `core.excluded_by_norm` with the offset
   C_sigma^T mu). Then max{<h(r*), w> : w in cl K_sigma, ||w|| <= 1} <= ||h(r*) + C_sigma^T mu|| < lambda, so
   shrinking a neuron u*_j != 0 of that pattern changes G at rate <h(r*), u*_j> - lambda ||u*_j|| < 0: every neuron
   of the pattern is zero at u*.
4. A local minimum with a zero neuron is global (docs §5, zero-gap identity): L(theta*) = L*_m < C(S) = L(theta*),
   a contradiction. So cl R holds no local minimum (for every R with S(R) = S; |S| <= m).
"""

from __future__ import annotations

from fractions import Fraction

from .bounds import check_bounds, pattern_names
from .core import (Certificate, Reason, Refuted, excluded_by_norm, exact_text, fraction, get, listof, obj,
                   pattern_name, residual, sigma, vector)
from .face import enclosure_radius2

__all__ = ["check_region_absence", "slack_rows"]


def slack_rows(instance, label: str, s: int, mu) -> tuple[list[list[Fraction]], list[Fraction]]:
    """A (d x n) and b with A r + b = h(r) + C_sigma^T mu = (s/n) X^T D_sigma r + sum_i mu_i sigma_i x_i."""
    n, d, X, sg = instance.n, instance.d, instance.X, sigma(label)
    A = [[Fraction(s, n) * X[i][c] if sg[i] > 0 else Fraction(0) for i in range(n)] for c in range(d)]
    b = [sum((mu[i] * sg[i] * X[i][c] for i in range(n)), Fraction(0)) for c in range(d)]
    return A, b


def check_region_absence(cert: Certificate) -> dict:
    """claim: width m, the signed patterns S (1 <= |S| <= m), lower B and upper U on C(S).
    witnesses: `chambers`, `primal` and `dual` (the bounds B <= C(S) <= U, as in a `bounds` claim), `width_upper`
    (a network of at most m neurons with loss bound < B) and `slack` ({pattern, sign, mu}: a pattern of S whose dual
    constraint is strictly slack on the whole enclosure ball). Proves: no local minimum of L at width m lies in the
    closure of a region whose set of signed chambers is S (see the module docstring)."""
    instance, claim, witnesses = cert.instance, cert.claim, cert.witnesses
    width = cert.width()
    lower = fraction(get(claim, "lower", "claim"), "claim.lower")
    upper = fraction(get(claim, "upper", "claim"), "claim.upper")
    patterns = listof(get(claim, "patterns", "claim"), "claim.patterns")
    bounds = Certificate(instance, {"type": "bounds", "quantity": "C(S)", "patterns": patterns,
                                    "lower": claim["lower"], "upper": claim["upper"]},
                         {key: get(witnesses, key, "witnesses") for key in ("chambers", "primal", "dual")},
                         cert.chambers)
    check_bounds(bounds)
    S = {cert.signed(entry, f"claim.patterns[{k}]") for k, entry in enumerate(patterns)}
    if len(S) > width:
        raise Refuted(Reason.WIDTH, f"{len(S)} signed patterns cannot be the set of a region of width {width}")
    width_upper = cert.better_network(lower, width)
    slack = obj(get(witnesses, "slack", "witnesses"), "witnesses.slack")
    label, s = cert.signed(slack, "witnesses.slack")
    if (label, s) not in S:
        raise Refuted(Reason.UNKNOWN_PATTERN, f"witnesses.slack: pattern {pattern_name(label, s)} is not in S")
    mu = vector(get(slack, "mu", "witnesses.slack"), instance.n, "witnesses.slack.mu")
    if any(x < 0 for x in mu):
        raise Refuted(Reason.DUAL, "witnesses.slack.mu: a multiplier is negative")
    u0 = cert.neurons(witnesses["primal"], "witnesses.primal")
    r0 = residual(instance, [(sg, u) for sg, u, _ in u0])
    A, b = slack_rows(instance, label, s, mu)
    if not excluded_by_norm(A, instance.lam, "norm-low", r0, enclosure_radius2(instance.n, upper, lower), offset=b):
        raise Refuted(Reason.SLACK, f"the dual constraint of {pattern_name(label, s)} is not proved strictly slack on "
                                    "the enclosure of the optimal residual")
    names = pattern_names(sorted(S))
    return {"S": names, "width": width, "C(S)": [str(lower), str(upper)], "width_upper": exact_text(width_upper),
            "slack_pattern": pattern_name(label, s), "no_local_minimum": True,
            "statement": f"no local minimum of L at width {width} lies in the closure of a region whose signed "
                         f"chambers are {{{', '.join(names)}}}"}
