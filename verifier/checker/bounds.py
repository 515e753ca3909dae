"""Claim `bounds`: lower <= quantity <= upper for C(S), C* or L*_m (docs §3)."""

from __future__ import annotations

from ..errors import CertificateMalformed
from .core import (Certificate, Reason, Refuted, Scaled, cone_excess, dot, dual_value, escaping_set, exact_text, fraction,
                   get, listof, obj, pattern_name, primal_value, sigma, vector)

__all__ = ["check_bounds", "pattern_names"]

_QUANTITIES = ("C(S)", "C*", "L*_m")


def pattern_names(patterns) -> list[str]:
    return [pattern_name(label, s) for label, s in patterns]


def check_bounds(cert: Certificate) -> dict:
    """lower <= quantity <= upper for quantity C(S), C* or L*_m.

    Every pattern is a listed chamber of `witnesses.chambers` (with its witness); for C* and L*_m that table is
    proved complete (Zaslavsky), and the patterns are all its chambers with both signs (2P).
    upper: a network of neurons (s_j, u_j, q_j >= ||u_j||) whose loss bound is <= upper; for C(S) each u_j
    lies in the closed cone of its pattern in S; for L*_m there are at most m neurons.
    lower: dual residuals r_k, each with multipliers mu >= 0 proving the cone inequality on a set V_k of
    signed patterns and with (1/n)(r_k^T y - ||r_k||^2/2) >= lower; every set of at most m patterns
    (m = |S| for C(S), 2P for C*) lies inside some V_k.
    """
    instance, claim, witnesses = cert.instance, cert.claim, cert.witnesses
    quantity = get(claim, "quantity", "claim")
    if quantity not in _QUANTITIES:
        raise CertificateMalformed(f"claim.quantity: expected one of {_QUANTITIES}")
    lower, upper = claim.get("lower"), claim.get("upper")
    lower = None if lower is None else fraction(lower, "claim.lower")
    upper = None if upper is None else fraction(upper, "claim.upper")
    if lower is None and upper is None:
        raise CertificateMalformed("claim: states neither a lower nor an upper bound")
    facts: dict = {"quantity": quantity}
    if quantity == "C(S)":
        S = [cert.signed(e, f"claim.patterns[{k}]") for k, e in
             enumerate(listof(get(claim, "patterns", "claim"), "claim.patterns"))]
        if not S:
            raise CertificateMalformed("claim.patterns: S must have at least one signed pattern")
        universe, m = frozenset(S), len(set(S))
        facts["S"] = pattern_names(sorted(universe))
    else:
        chambers = cert.chambers
        chambers.require_complete()
        universe = frozenset((label, s) for label in chambers.labels for s in (1, -1))
        m = len(universe)
        if quantity == "L*_m":
            m = cert.width()
            facts["width"] = m
    if upper is not None:
        entries = listof(get(witnesses, "primal", "witnesses"), "witnesses.primal")
        neurons = cert.neurons(entries, "witnesses.primal")
        if quantity == "C(S)":
            for j, (entry, (_, u, _)) in enumerate(zip(entries, neurons)):
                label, s = cert.signed(entry, f"witnesses.primal[{j}]")
                if (label, s) not in universe:
                    raise Refuted(Reason.PRIMAL, f"witnesses.primal[{j}]: pattern {label} sign {s} is not in S")
                if any(si * dot(x, u) < 0 for si, x in zip(sigma(label), instance.X) if si):
                    raise Refuted(Reason.PRIMAL, f"witnesses.primal[{j}]: u is not in the closed cone of {label}")
        elif len(neurons) > m:
            raise Refuted(Reason.WIDTH, f"{len(neurons)} neurons listed for width {m}")
        value = primal_value(instance, neurons)
        if value > upper:
            raise Refuted(Reason.PRIMAL,
                          f"the primal point's value {exact_text(value)} exceeds the claimed upper bound")
        facts["upper"] = str(upper)
    if lower is not None:
        covered = []
        for k, entry in enumerate(listof(get(witnesses, "dual", "witnesses"), "witnesses.dual")):
            where = f"witnesses.dual[{k}]"
            entry = obj(entry, where)
            scaled = Scaled.of(vector(get(entry, "r", where), instance.n, f"{where}.r"))   # once for all patterns
            bound = dual_value(instance, scaled)
            if bound < lower:
                raise Refuted(Reason.DUAL, f"{where}: its bound {exact_text(bound)} is below the claimed lower")
            valid = set()
            for j, item in enumerate(listof(get(entry, "patterns", where), f"{where}.patterns")):
                label, s = cert.signed(item, f"{where}.patterns[{j}]")
                mu = vector(get(item, "mu", f"{where}.patterns[{j}]"), instance.n, f"{where}.patterns[{j}].mu")
                if any(x < 0 for x in mu):
                    raise Refuted(Reason.DUAL, f"{where}.patterns[{j}]: a multiplier is negative")
                if cone_excess(instance, sigma(label), s, scaled, mu) > 0:
                    raise Refuted(Reason.DUAL, f"{where}.patterns[{j}]: the cone inequality fails for {label} sign {s}")
                valid.add((label, s))
            covered.append(universe - valid)
        escape = escaping_set(covered, m)
        if escape is not None:
            raise Refuted(Reason.COVER, f"no dual residual covers the pattern set {{{', '.join(pattern_names(sorted(escape)))}}}")
        facts["lower"] = str(lower)
    if lower is not None and upper is not None and lower > upper:
        raise Refuted(Reason.DUAL, "the lower bound exceeds the upper bound")
    return facts
