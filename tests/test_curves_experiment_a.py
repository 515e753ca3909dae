"""The exact uniform curve on the authors' Experiment A data (teacher labels, n = 6, lambda = 1/100) against an
independent float computation that classifies every subset A of the 2P = 128 signed chambers.

2^128 subsets cannot be solved one by one, but C(A) is non-increasing in A (a network using the patterns of A
uses those of any superset), so a partition decides them all: for a set U of signed chambers, every A with
A ∩ U = B lies between B and B ∪ (everything outside U). If C(B ∪ outside) > C* + 1e-7, every such A is
non-optimal; if C(B) <= C* + 1e-7, every such A is optimal. When that decides every B ⊆ U, the float
classification of all subsets follows, whatever U is (the union of the exact supports is only a good guess: a
wrong U would leave some B undecided, which fails the test). Then, for m uniform draws,
P(S ∩ U = B) = sum over J ⊆ B of (-1)^(|B|-|J|) ((|J| + 2P - |U|) / 2P)^m, and p_opt(m) is the sum over the
optimal B. C(A) here is one cvxpy program with the unused patterns pinned to 0: no verifier solver, no polishing.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

import pytest

from tests.float_reference import pinned_program
from verifier.curves import curve
from verifier.families import teacher

TOLERANCE = 1e-7


def float_curve(instance, patterns, union, widths) -> tuple[list[float], float]:
    """p_opt(m) for `widths` from the float classification of every subset (see the module docstring), and the
    smallest gap C(A) - C* of the non-optimal sides found. Fails if some B ⊆ `union` is not decided."""
    solve = pinned_program(instance, patterns)
    everything = frozenset(range(len(patterns)))
    best = solve(everything)
    outside = everything - union
    optimal, gap = [], math.inf
    for size in range(len(union) + 1):
        for B in map(frozenset, combinations(sorted(union), size)):
            high = solve(B | outside)
            if high > best + TOLERANCE:
                gap = min(gap, high - best)
                continue
            low = solve(B)
            assert low <= best + TOLERANCE, f"B = {sorted(B)} is not decided by the partition"
            optimal.append(B)
    total, rest = len(patterns), len(patterns) - len(union)
    values = []
    for m in widths:
        values.append(sum(sum((-1) ** (len(B) - j) * math.comb(len(B), j) * ((j + rest) / total) ** m
                              for j in range(len(B) + 1)) for B in optimal))
    return values, gap


@pytest.mark.parametrize("n, d", [(6, 8)])
def test_experiment_a_exact_curve_agrees_with_the_float_classification_of_every_subset(n, d):
    instance = teacher(n, d, Fraction(1, 100), seed=100 * n + d)
    widths = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 1000]
    exact = curve(instance, "uniform", widths=widths)
    assert exact.certified
    patterns = exact.regions.patterns
    index = {p: i for i, p in enumerate(patterns)}
    union = frozenset(index[p] for T in exact.regions.supports for p in T)
    values, gap = float_curve(instance, patterns, union, widths)
    assert gap > 1e-4        # the float classification is unambiguous
    for point, value in zip(exact.points, values):
        assert abs(float(point.lower) - value) <= 1e-9, point.width
        assert point.lower == point.upper     # the uniform curve is exact
