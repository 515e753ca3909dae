"""Claim `network`: the exact verdict of docs §5 on a given rational network theta = (a, W)."""

from __future__ import annotations

from fractions import Fraction

from ..errors import CertificateMalformed
from .core import (Certificate, Reason, Refuted, common_denominator, cone_excess, dot, exact_text, get, integer, listof,
                   obj, prediction, sigma, sign, vector)

__all__ = ["check_network", "read_network", "VERDICTS"]

VERDICTS = ("not-a-local-minimum", "local-minimum", "global-minimum", "spurious-local-minimum")


def read_network(cert: Certificate) -> tuple[list[Fraction], list[list[Fraction]]]:
    """The network and its width: m = the number of its neurons (>= 1); a `claim.width` that differs is
    malformed (a local minimum of width m is a network of m neurons; pad with zero neurons explicitly)."""
    network = obj(get(cert.claim, "network", "claim"), "claim.network")
    a = vector(get(network, "a", "claim.network"), None, "claim.network.a")
    rows = listof(get(network, "W", "claim.network"), "claim.network.W", len(a))
    if not a:
        raise CertificateMalformed("claim.network: has no neurons (the width m must be >= 1)")
    if "width" in cert.claim and cert.width() != len(a):
        raise CertificateMalformed(f"claim.width: {cert.claim['width']} differs from the network's {len(a)} neurons "
                                   "(pad the network with zero neurons to state a larger width)")
    W = [vector(row, cert.instance.d, f"claim.network.W[{j}]") for j, row in enumerate(rows)]
    common_denominator([*a, *(x for w in W for x in w)], "claim.network")   # f(X) is summed over it
    return a, W


def check_network(cert: Certificate) -> dict:
    """The verdict on theta = (a, W), of width m = len(a).

    not-a-local-minimum: an unbalanced neuron (a_j^2 != ||w_j||^2: rescaling lowers L to first order), or a
    direction v along which L decreases: for a non-zero neuron u_j = |a_j| w_j the one-sided derivative of
    L along the lift of u_j + eps v is -(s_j/n) sum_{i active} r_i <x_i, v> + lambda <u_j, v> / ||u_j|| < 0
    (row i active iff <x_i, u_j> > 0, or = 0 and <x_i, v> > 0); for a zero neuron (a, w) = (s t, t v) lowers
    L by t^2 ((s/n) r^T (X v)_+ - lambda (1 + ||v||^2)/2) + O(t^4).
    local-minimum: all neurons balanced and, with r = y - f(X), for every non-zero neuron j and every chamber
    sigma whose closure holds u_j (from a complete chamber table), mu >= 0 on Z_j = {i : <x_i, u_j> = 0} with
    -(s_j/n) X^T D_sigma r + lambda u_j / ||u_j|| = sum_{i in Z_j} mu_i sigma_i x_i (||u_j|| = a_j^2), and, if a
    neuron is zero, r dual-feasible on all 2P signed patterns.
    global-minimum: a local minimum with r dual-feasible on all 2P patterns (zero-gap: L = bound <= C* <= L*_m).
    spurious-local-minimum: a local minimum and a network of at most m neurons with a smaller loss bound.
    """
    instance, claim, witnesses = cert.instance, cert.claim, cert.witnesses
    verdict = get(claim, "verdict", "claim")
    if verdict not in VERDICTS:
        raise CertificateMalformed(f"claim.verdict: expected one of {VERDICTS}")
    a, W = read_network(cert)
    width = len(a)
    neurons = [((1 if aj >= 0 else -1), [abs(aj) * x for x in w]) for aj, w in zip(a, W)]
    balanced = [aj * aj == dot(w, w) for aj, w in zip(a, W)]
    r = [yi - fi for yi, fi in zip(instance.y, prediction(instance, neurons))]
    facts = {"verdict": verdict, "width": width}
    if verdict == "not-a-local-minimum":
        return facts | _not_a_local_minimum(cert, a, neurons, balanced, r)
    if not all(balanced):
        raise Refuted(Reason.BALANCE, f"neuron {balanced.index(False)} is unbalanced")
    chambers = cert.chambers
    chambers.require_complete()
    conditions = {}
    for k, e in enumerate(listof(get(witnesses, "nonzero", "witnesses"), "witnesses.nonzero")):
        j = integer(get(e, "neuron", f"witnesses.nonzero[{k}]"), f"witnesses.nonzero[{k}].neuron")
        if j in conditions:
            raise CertificateMalformed(f"witnesses.nonzero[{k}].neuron: neuron {j} is listed twice")
        conditions[j] = e
    for j, (s, u) in enumerate(neurons):
        if any(u):
            _stationary(cert, j, s, u, a[j] * a[j], r, conditions.get(j, {}))
    dual_ok = set()
    for k, item in enumerate(listof(witnesses.get("dual", []), "witnesses.dual")):
        label, s = cert.signed(item, f"witnesses.dual[{k}]")
        mu = vector(get(item, "mu", f"witnesses.dual[{k}]"), instance.n, f"witnesses.dual[{k}].mu")
        if any(m < 0 for m in mu) or cone_excess(instance, sigma(label), s, r, mu) > 0:
            raise Refuted(Reason.DUAL, f"witnesses.dual[{k}]: the cone inequality fails for {label} sign {s}")
        dual_ok.add((label, s))
    everywhere = all((label, s) in dual_ok for label in chambers.labels for s in (1, -1))
    if any(not any(u) for _, u in neurons) and not everywhere:
        raise Refuted(Reason.DUAL, "a zero neuron needs r dual-feasible on every signed pattern")
    value = Fraction(sum(ri * ri for ri in r), 2 * instance.n) \
        + instance.lam / 2 * sum(aj * aj + dot(w, w) for aj, w in zip(a, W))
    facts["loss"] = exact_text(value)
    if verdict == "global-minimum" and not everywhere:
        raise Refuted(Reason.DUAL, "global-minimum needs r dual-feasible on every signed pattern (zero-gap identity)")
    if verdict == "spurious-local-minimum":
        facts["width_upper"] = exact_text(cert.better_network(value, width))
    return facts


def _not_a_local_minimum(cert: Certificate, a, neurons, balanced, r) -> dict:
    instance, witnesses = cert.instance, cert.witnesses
    if "unbalanced" in witnesses:
        j = integer(witnesses["unbalanced"], "witnesses.unbalanced")
        if not 0 <= j < len(a) or balanced[j]:
            raise Refuted(Reason.BALANCE, f"neuron {j} is balanced")
        return {"reason": f"neuron {j} is unbalanced"}
    descent = obj(get(witnesses, "descent", "witnesses"), "witnesses.descent")
    j = integer(get(descent, "neuron", "witnesses.descent"), "witnesses.descent.neuron")
    v = vector(get(descent, "direction", "witnesses.descent"), instance.d, "witnesses.descent.direction")
    if not 0 <= j < len(a) or not balanced[j]:
        raise Refuted(Reason.DESCENT, f"neuron {j} is not a balanced neuron of the network")
    s, u = neurons[j]
    if any(u):
        active = [i for i, x in enumerate(instance.X) if dot(x, u) > 0 or (dot(x, u) == 0 and dot(x, v) > 0)]
        slope = -Fraction(s, instance.n) * sum((r[i] * dot(instance.X[i], v) for i in active), Fraction(0)) \
            + instance.lam * dot(u, v) / (a[j] * a[j])
        if slope >= 0:
            raise Refuted(Reason.DESCENT, f"the derivative along the direction is {exact_text(slope)} >= 0")
    else:
        s = sign(get(descent, "sign", "witnesses.descent"), "witnesses.descent.sign")
        gain = Fraction(s, instance.n) * sum((ri * max(dot(x, v), 0) for ri, x in zip(r, instance.X)), Fraction(0))
        if gain <= instance.lam * (1 + dot(v, v)) / 2:
            raise Refuted(Reason.DESCENT, "growing the zero neuron along the direction does not lower the loss")
    return {"reason": f"descent direction at neuron {j}"}


def _stationary(cert: Certificate, j: int, s: int, u, norm, r, condition: dict) -> None:
    """docs §5 for non-zero neuron j: the stationarity equation with mu >= 0 on Z_j, for every chamber around u_j."""
    instance = cert.instance
    side = [dot(x, u) for x in instance.X]
    where = f"witnesses.nonzero[neuron {j}]"
    given = {}
    for k, item in enumerate(listof(get(condition, "multipliers", where), f"{where}.multipliers")):
        label = cert.chambers.chamber(get(item, "pattern", f"{where}.multipliers[{k}]"),
                                      f"{where}.multipliers[{k}].pattern")
        given[label] = vector(get(item, "mu", f"{where}.multipliers[{k}]"), instance.n, f"{where}.multipliers[{k}].mu")
    for label in cert.chambers.labels:
        sg = sigma(label)
        if any(v and (v > 0) != (t > 0) for v, t in zip(side, sg)):
            continue   # u_j is not in the closure of this chamber
        if label not in given:
            raise Refuted(Reason.STATIONARITY, f"neuron {j}: no multipliers for chamber {label} around u_j")
        mu = given[label]
        if any(m < 0 or (m and side[i]) for i, m in enumerate(mu)):
            raise Refuted(Reason.STATIONARITY, f"neuron {j}, chamber {label}: multipliers must be >= 0 and vanish off Z_j")
        lhs = [Fraction(0)] * instance.d
        for i, x in enumerate(instance.X):
            c = (-Fraction(s, instance.n) * r[i] if sg[i] > 0 else 0) - sg[i] * mu[i]
            lhs = [p + c * q for p, q in zip(lhs, x)]
        lhs = [p + instance.lam * q / norm for p, q in zip(lhs, u)]
        if any(lhs):
            raise Refuted(Reason.STATIONARITY, f"neuron {j}, chamber {label}: the stationarity equation fails")
