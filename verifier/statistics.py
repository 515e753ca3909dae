"""Probabilities of random initializations and intervals for sampled frequencies (docs §4): plain functions of
numbers, importing nothing else from `verifier`, so every layer (the census, the reports, the figures) may use them.

Neuron j lands in signed pattern p with probability q_p, independently, so the set of distinct patterns of m neurons
equals S with probability m! [x^m] prod_{p in S} (e^{q_p x} - 1) (inclusion-exclusion over the patterns missed).
A sampled frequency k/N is reported with its Wilson score interval.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["coverage_probability", "set_probability", "wilson", "midpoint"]


def coverage_probability(q: list[float], m: int) -> float:
    """P(m iid draws hit every pattern of S and nothing else) = m! [x^m] prod_{p in S} (e^{q_p x} - 1).

    Computed without overflow for any m (the factorials overflow a float from m = 171): with x = m z and a
    factor e^{-q_p m} per pattern, the coefficient is P(N_p >= 1 for every p, sum_p N_p = m) for independent
    N_p ~ Poisson(q_p m), a probability, and the prefactor is m! e^{Q m} / m^m with Q = sum_{p in S} q_p."""
    if m < len(q) or not q:
        return 0.0 if q or m else 1.0
    j = np.arange(m + 1)
    poly = np.zeros(m + 1)
    poly[0] = 1.0
    for qp in q:
        if qp <= 0:
            return 0.0
        rate = qp * m
        factor = np.exp(j * math.log(rate) - rate - np.array([math.lgamma(k + 1) for k in j]))
        factor[0] = 0.0
        poly = np.convolve(poly, factor)[: m + 1]
    if poly[m] <= 0:
        return 0.0
    return float(math.exp(math.log(poly[m]) + math.lgamma(m + 1) + sum(q) * m - m * math.log(m)))


def set_probability(q: dict, S, m: int) -> float:
    """`coverage_probability` of the patterns of S, with q_p read from the mapping `q`."""
    return coverage_probability([q[p] for p in S], m)


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95% by default)."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def midpoint(p: float | tuple[float, float]) -> float:
    """An exact probability, or the middle of an interval."""
    return p if isinstance(p, float) else (p[0] + p[1]) / 2
