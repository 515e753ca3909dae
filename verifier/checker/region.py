"""Claim `region-local-minimum`: an interior local minimum of a region, and spurious if separated (docs §5)."""

from __future__ import annotations

from fractions import Fraction

from .core import (Certificate, Reason, Refuted, cone_excess, dot, dual_value, exact_text, flag, fraction, get, listof,
                   obj, pattern_name, primal_value, residual, row_index, sigma, vector)

__all__ = ["check_region_minimum", "prove_region_minimum"]


def check_region_minimum(cert: Certificate) -> dict:
    """Region R: m neurons, each in a signed chamber (sigma_j, s_j); S(R) is the set of distinct ones.
    An interior point u0 (one u0_k per pattern of S(R), sigma_i <x_i, u0_k> > 0 on every non-zero row) with
    loss bound <= U, and for every pattern k of S(R) and every non-zero row i a dual residual for
    "C(S(R)) with <x_i, u_k> = 0" (free multiplier nu on x_i for pattern k) whose bound exceeds U. Then every
    minimizer of C(S(R)) is interior, and its lift (a neuron shared by several of the m neurons is split
    among them in parallel) is a local minimum of L of width m and value <= U.
    spurious: in addition a dual bound of C(S(R)) above the loss bound of a network of width <= m."""
    return prove_region_minimum(cert)[0]


def prove_region_minimum(cert: Certificate) -> tuple[dict, tuple[list[Fraction], Fraction, Fraction] | None]:
    """`check_region_minimum` and, when a dual bound B of C(S(R)) is given (spurious), (r0, U, B): r0 the interior
    point's residual, so the unique optimal residual r* has ||r* - r0||^2 <= 2n (U - B) (`face.enclosure_radius2`)."""
    instance, claim, witnesses = cert.instance, cert.claim, cert.witnesses
    neurons_of_region = [cert.signed(e, f"claim.region[{k}]")
                         for k, e in enumerate(listof(get(claim, "region", "claim"), "claim.region"))]
    width = cert.width()
    upper = fraction(get(claim, "upper", "claim"), "claim.upper")
    if len(neurons_of_region) != width:
        raise Refuted(Reason.WIDTH, f"the region must place all {width} neurons in signed chambers")
    region = set(neurons_of_region)
    interior = listof(get(witnesses, "interior", "witnesses"), "witnesses.interior", len(region))
    keys = [cert.signed(e, f"witnesses.interior[{k}]") for k, e in enumerate(interior)]
    points = dict(zip(keys, cert.neurons(interior, "witnesses.interior")))
    if set(points) != region or len(keys) != len(region):
        raise Refuted(Reason.INTERIOR, "the interior point must give exactly one u0 per signed pattern of the region")
    for (label, s), (_, u, _) in points.items():
        if any(si and si * dot(x, u) <= 0 for si, x in zip(sigma(label), instance.X)):
            raise Refuted(Reason.INTERIOR, f"pattern {label}: u0 is not strictly inside the chamber")
    if primal_value(instance, list(points.values())) > upper:
        raise Refuted(Reason.PRIMAL, "the interior point's loss bound exceeds U")
    needed = {(p, i) for p in region for i, x in enumerate(instance.X) if any(x)}
    for k, facet in enumerate(listof(get(witnesses, "facets", "witnesses"), "witnesses.facets")):
        where = f"witnesses.facets[{k}]"
        constrained = (cert.signed(facet, where), row_index(cert, get(facet, "row", where), f"{where}.row"))
        r = vector(get(facet, "r", where), instance.n, f"{where}.r")
        if dual_value(instance, r) <= upper:
            raise Refuted(Reason.FACET, f"{where}: the facet bound does not exceed U")
        _region_dual(cert, region, facet, r, where, constrained)
        needed.discard(constrained)
    if needed:
        (label, s), i = min(needed)
        raise Refuted(Reason.FACET, f"no facet certificate for pattern {label} sign {s} on the hyperplane of row {i}")
    facts = {"region": [pattern_name(label, s) for label, s in neurons_of_region], "width": width,
             "upper": str(upper)}
    if flag(claim, "spurious", "claim"):
        lower = obj(get(witnesses, "region_lower", "witnesses"), "witnesses.region_lower")
        r = vector(get(lower, "r", "witnesses.region_lower"), instance.n, "witnesses.region_lower.r")
        _region_dual(cert, region, lower, r, "witnesses.region_lower")
        facts["lower"] = exact_text(dual_value(instance, r))
        facts["width_upper"] = exact_text(cert.better_network(dual_value(instance, r), width))
        facts["spurious"] = True
        r0 = residual(instance, [(s, u) for s, u, _ in points.values()])
        return facts, (r0, upper, dual_value(instance, r))
    return facts, None


def _region_dual(cert: Certificate, region: set, entry: dict, r, where: str, constrained=None) -> None:
    """r is dual-feasible on every pattern of the region (with nu on x_i for the constrained pattern)."""
    instance = cert.instance
    items = listof(get(entry, "patterns", where), f"{where}.patterns")
    given = {cert.signed(item, f"{where}.patterns[{k}]"): item for k, item in enumerate(items)}
    if set(given) != region or len(items) != len(region):
        raise Refuted(Reason.DUAL, f"{where}: multipliers must be given for exactly the region's patterns")
    for (label, s), item in given.items():
        mu = vector(get(item, "mu", where), instance.n, f"{where}.patterns[{label}].mu")
        nu = None
        if constrained is not None and constrained[0] == (label, s):
            nu = [Fraction(0)] * instance.n
            nu[constrained[1]] = fraction(get(item, "nu", where), f"{where}.patterns[{label}].nu")
        if any(m < 0 for m in mu) or cone_excess(instance, sigma(label), s, r, mu, nu) > 0:
            raise Refuted(Reason.DUAL, f"{where}: the cone inequality fails for pattern {label} sign {s}")
