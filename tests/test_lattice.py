import math

import pytest
from hypothesis import strategies as st
from hypothesis import given

from verifier.lattice import general_position_count, hyperplanes, lattice, region_count
from verifier.strategies import instances

# (rows, chambers) counted by hand
HAND = [
    ([], 1),
    ([[1]], 2),
    ([[1, 0], [0, 1], [1, 1]], 6),
    ([[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]], 12),   # three coplanar normals, then a fourth
    ([[1, 1, 0], [1, -1, 0], [2, 0, 0]], 6),               # rank 2 in R^3
    ([[1, -1, 0, 0], [1, 0, -1, 0], [1, 0, 0, -1], [0, 1, -1, 0], [0, 1, 0, -1], [0, 0, 1, -1]], 24),  # braid A3
]


@pytest.mark.parametrize("rows,expected", HAND)
def test_hand_counts(rows, expected):
    normals = hyperplanes(rows)[0] if rows else []
    assert region_count(normals) == expected


def test_hyperplanes_merge_multiples_and_drop_zero_rows():
    normals, row_map = hyperplanes([[2, 4], [0, 0], [-1, -2], [1, 0]])
    assert normals == [(1, 2), (1, 0)]
    assert row_map == [(0, 1), None, (0, -1), (1, 1)]


@given(instances(general_position=True, n=st.integers(1, 7),
                 d=st.integers(1, 4)))
def test_general_position_formula(instance):
    normals = hyperplanes(instance.X)[0]
    assert region_count(normals) == general_position_count(len(normals), min(len(normals), instance.d))


@given(instances(n=st.integers(1, 6)))
def test_mobius_sums_to_zero_and_alternates(instance):
    normals = hyperplanes(instance.X)[0]
    lat = lattice(normals)
    mu = lat.mobius()
    top = next(iter(lat.levels[-1]))
    if normals:
        assert sum(mu.values()) == 0
    for k, level in enumerate(lat.levels):
        for G in level:
            assert mu[G] * (-1) ** k > 0
    assert mu[0] == 1 and top == (1 << len(normals)) - 1


def test_orthogonal_lattice_is_boolean():
    n = 4
    lat = lattice([tuple(int(i == j) for j in range(n)) for i in range(n)])
    assert [len(level) for level in lat.levels] == [math.comb(n, k) for k in range(n + 1)]


def _deletion_restriction(normals, k: int) -> int:
    """r(A) = r(A - H) + r(A restricted to H): an independent count on coordinates of nested subspaces."""
    from fractions import Fraction

    distinct, seen = [], set()
    for v in normals:
        if any(v):
            lead = next(x for x in v if x)
            key = tuple(Fraction(x) / lead for x in v)
            if key not in seen:
                seen.add(key)
                distinct.append(key)
    if not distinct or k == 0:
        return 1
    H, rest = distinct[0], distinct[1:]
    p = next(i for i, x in enumerate(H) if x)
    basis = [[H[p] if j == q else -H[q] if j == p else 0 for j in range(k)] for q in range(k) if q != p]
    restricted = [[sum(b * a for b, a in zip(row, v)) for row in basis] for v in rest]
    return _deletion_restriction(rest, k) + _deletion_restriction(restricted, k - 1)


def test_zaslavsky_count_agrees_with_deletion_restriction_on_degenerate_arrangements():
    """Small entries in {-2..2} give many parallel, coplanar and dependent normals (the lattice's hard cases)."""
    import random

    rng = random.Random(7)
    for _ in range(200):
        d, n = rng.randint(1, 5), rng.randint(1, 8)
        X = [[rng.randint(-2, 2) for _ in range(d)] for _ in range(n)]
        normals = hyperplanes(X)[0]
        assert region_count(normals) == _deletion_restriction(normals, d), X
