"""C(S) by Clarabel on the conic form against an independent plain cvxpy model; a stalled polish."""

from fractions import Fraction

import numpy as np
import pytest

import verifier.polish as polish_module
from verifier.arrangement import enumerate_chambers
from verifier.bench import float_solve_seconds, teacher_instance, uniform_sets
from verifier.convex import ConvexPrograms, all_signed_patterns
from verifier.instance import Instance
from verifier.optimum import certify_convex_optimum


@pytest.mark.parametrize("n, d", [(4, 3), (5, 2)])
def test_conic_form_agrees_with_a_plain_cvxpy_model(n, d):
    instance = teacher_instance(n, d, seed=n + d)
    patterns = all_signed_patterns(enumerate_chambers(instance.X))
    programs = ConvexPrograms(instance)
    for S in uniform_sets(len(patterns), 4, 6, np.random.default_rng(0)) + [tuple(range(len(patterns)))]:
        chosen = [patterns[i] for i in S]
        value, _ = float_solve_seconds(instance, chosen)
        solution = programs.solve(chosen)
        assert solution.solver == "CLARABEL"
        assert solution.value == pytest.approx(value, rel=1e-6, abs=1e-9)


def test_equality_rows_hold_in_the_solution():
    instance = Instance.from_arrays([[2, 1], [-1, 3], [1, -2]], [1, -1, 2], Fraction(1, 50))
    patterns = all_signed_patterns(enumerate_chambers(instance.X))
    p = patterns[0]
    solution = ConvexPrograms(instance).solve([p], {p: [0]})
    assert abs(np.array(instance.X[0], dtype=float) @ solution.U[0]) <= 1e-8 * (1 + np.abs(solution.U).max())


def test_a_stalled_polish_falls_back_to_a_wider_valid_certificate_and_says_so(monkeypatch):
    instance = teacher_instance(4, 3, seed=1)
    arrangement = enumerate_chambers(instance.X)
    precise = certify_convex_optimum(instance, arrangement)
    monkeypatch.setattr(polish_module, "_PRECISE_STEPS", 0)   # no high-precision step converges
    stalled = certify_convex_optimum(instance, arrangement)
    assert precise.certified and not precise.notes
    assert stalled.certified and stalled.notes and "stalled" in stalled.notes[0]
    assert stalled.lower <= precise.upper and precise.lower <= stalled.upper   # both enclose C*
    assert stalled.upper - stalled.lower >= precise.upper - precise.lower
