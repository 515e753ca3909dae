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
    assert mu[frozenset()] == 1 and top == frozenset(range(len(normals)))


def test_orthogonal_lattice_is_boolean():
    n = 4
    lat = lattice([tuple(int(i == j) for j in range(n)) for i in range(n)])
    assert [len(level) for level in lat.levels] == [math.comb(n, k) for k in range(n + 1)]
