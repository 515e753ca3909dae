from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import linprog

from verifier.arrangement import enumerate_chambers
from verifier.lattice import general_position_count
from verifier.strategies import instances


def brute_force_patterns(X):
    """All sign vectors over the non-zero rows that the LP sigma_i <x_i, w> >= 1 finds feasible."""
    X = np.array(X, dtype=float)
    rows = [i for i in range(len(X)) if np.any(X[i])]
    found = set()
    for signs in product([1, -1], repeat=len(rows)):
        A = -np.array(signs)[:, None] * X[rows]
        result = linprog(np.zeros(X.shape[1]), A_ub=A, b_ub=-np.ones(len(rows)), bounds=[(None, None)] * X.shape[1])
        if result.status == 0:
            pattern = ["0"] * len(X)
            for i, s in zip(rows, signs):
                pattern[i] = "+" if s > 0 else "-"
            found.add("".join(pattern))
    return found


def exact_patterns(X, witnesses):
    out = set()
    for w in witnesses:
        values = [sum(Fraction(a) * int(b) for a, b in zip(row, w)) for row in X]
        out.add("".join("+" if v > 0 else "-" if v < 0 else "0" for v in values))
    return out


@given(instances(n=st.integers(1, 8), d=st.integers(1, 3), entries=st.integers(-3, 3)))
def test_matches_brute_force(instance):
    arrangement = enumerate_chambers(instance.X)
    assert set(arrangement.patterns()) == brute_force_patterns(instance.X)
    assert arrangement.complete


@pytest.mark.parametrize("seed", range(3))
def test_matches_brute_force_n10(seed):
    X = np.random.default_rng(seed).integers(-5, 6, size=(10, 3)).tolist()
    assert set(enumerate_chambers(X).patterns()) == brute_force_patterns(X)


@given(instances(general_position=True, n=st.integers(1, 8), d=st.integers(1, 4)))
def test_general_position_count(instance):
    arrangement = enumerate_chambers(instance.X)
    assert len(arrangement) == general_position_count(instance.n, min(instance.n, instance.d))


@given(instances(n=st.integers(1, 7), d=st.integers(1, 4)))
def test_witnesses_verify_exactly_and_are_distinct(instance):
    arrangement = enumerate_chambers(instance.X)
    patterns = arrangement.patterns()
    assert len(set(patterns)) == len(patterns)
    assert exact_patterns(instance.X, arrangement.witnesses) == set(patterns)
    assert all("0" not in p.replace("0", "") for p in patterns)


DEGENERATE = [
    ("d = 1", [[1], [-2], [3]], {"+-+", "-+-"}),
    ("zero rows only", [[0, 0], [0, 0]], {"00"}),
    ("zero row kept as 0", [[1, 0], [0, 0]], {"+0", "-0"}),
    ("parallel and antiparallel rows share a hyperplane", [[1, 2], [2, 4], [-1, -2]], {"++-", "--+"}),
    ("rank one in R^3", [[1, 1, 1], [-2, -2, -2]], {"+-", "-+"}),
]


@pytest.mark.parametrize("name,X,expected", DEGENERATE)
def test_degenerate_cases(name, X, expected):
    assert set(enumerate_chambers(X).patterns()) == expected


def test_orthogonal_has_every_pattern():
    X = np.eye(4, dtype=int).tolist()
    arrangement = enumerate_chambers(X)
    assert len(arrangement) == 16
    assert np.allclose(arrangement.measures(samples=20_000).values, 1 / 16, atol=0.02)


@given(instances(n=st.integers(1, 7), d=st.integers(1, 3)))
def test_measures_sum_to_one(instance):
    measures = enumerate_chambers(instance.X).measures()
    assert measures.method in {"exact", "girard"}
    assert abs(measures.values.sum() - 1) < 1e-9
    assert np.all(measures.values > 0)


def test_octants_have_measure_one_eighth():
    arrangement = enumerate_chambers(np.eye(3, dtype=int).tolist())
    assert arrangement.measures().method == "exact" and np.allclose(arrangement.measures().values, 1 / 8)
    assert np.allclose(arrangement._solid_angles(), 1 / 8)   # Girard agrees


def test_girard_agrees_with_monte_carlo():
    arrangement = enumerate_chambers([[1, 2, 0], [0, 1, -3], [2, -1, 1], [1, 1, 1]])
    girard = arrangement.measures()
    sampled = arrangement._monte_carlo(200_000, seed=1)
    assert girard.method == "girard"
    assert np.allclose(girard.values, sampled.values, atol=sampled.error)


def test_planar_measures_are_angles():
    arrangement = enumerate_chambers([[1, 0], [1, 1]])   # lines at 90 and 135 degrees
    by_pattern = dict(zip(arrangement.patterns(), arrangement.measures().values))
    assert by_pattern["++"] == pytest.approx(3 / 8) and by_pattern["+-"] == pytest.approx(1 / 8)


def test_monte_carlo_measures_state_their_error():
    X = np.random.default_rng(1).integers(-5, 6, size=(6, 4)).tolist()
    arrangement = enumerate_chambers(X)
    measures = arrangement.measures(samples=50_000)
    assert measures.method == "monte-carlo" and measures.error < 0.01
    assert measures.values.sum() == pytest.approx(1)


@given(instances(n=st.integers(1, 6), d=st.integers(1, 3)))
def test_localization(instance):
    arrangement = enumerate_chambers(instance.X)
    assert len(arrangement.localize([0] * instance.d)) == len(arrangement)
    for p, w in enumerate(arrangement.witnesses):
        assert list(arrangement.localize([int(x) for x in w])) == [p]
    neighbours = arrangement.neighbours()
    normals = arrangement.normals
    for p, h in zip(*np.nonzero(neighbours >= 0)):
        # |<a_h, w_q>| w_p + |<a_h, w_p>| w_q lies on hyperplane h between two chambers that differ only there
        q = neighbours[p, h]
        wp, wq = ([int(x) for x in arrangement.witnesses[c]] for c in (p, q))
        a, b = (sum(x * y for x, y in zip(normals[h], w)) for w in (wp, wq))
        point = [abs(b) * x + abs(a) * y for x, y in zip(wp, wq)]
        assert set(arrangement.localize(point).tolist()) == {p, q}


@given(st.data())
def test_exact_signs_agree_with_python_integers(data):
    """Signs of A @ B by int64, 31-bit limbs with carries, or objects, against Python integers; the crafted
    rows cancel exactly at 2^100 and just miss cancelling, so zeros and near-zeros are always exercised."""
    from verifier.arrangement import exact_signs

    bits = data.draw(st.sampled_from([8, 40, 61, 64, 100, 200]))
    small = data.draw(st.sampled_from([3, 1000, 2**40]))
    rows, inner, cols = (data.draw(st.integers(1, 5)) for _ in range(3))
    entries = st.integers(-2**bits, 2**bits)
    A = data.draw(st.lists(st.lists(entries, min_size=inner, max_size=inner), min_size=rows, max_size=rows))
    B = data.draw(st.lists(st.lists(st.integers(-small, small), min_size=cols, max_size=cols), min_size=inner,
                           max_size=inner))
    A += [[2**100] + [0] * (inner - 1), [2**100 + 1] + [0] * (inner - 1)]
    B[0] = [1] * cols
    if inner > 1:
        A[-2][1], A[-1][1] = -2**100, -2**100
        B[1] = [1] * cols
    expected = [[(v > 0) - (v < 0) for v in (sum(a * b for a, b in zip(row, col)) for col in zip(*B))] for row in A]
    assert exact_signs(np.array(A, dtype=object), np.array(B, dtype=object)).tolist() == expected
