"""Differential test against Sage's HyperplaneArrangements (passagemath-polyhedra, in the [test] extra)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.arrangement import enumerate_chambers
from verifier.strategies import instances

sage = pytest.importorskip("sage.all__sagemath_polyhedra")


def sage_sign_vectors(normals):
    d = len(normals[0])
    H = sage.HyperplaneArrangements(sage.QQ, tuple(f"x{i}" for i in range(d)))
    A = H([[0] + list(a) for a in normals])
    out = set()
    for region in A.regions():
        point = region.representative_point()
        out.add(tuple(bool(sum(a * x for a, x in zip(normal, point)) > 0) for normal in normals))
    return A.n_regions(), out


@settings(max_examples=15)
@given(instances(n=st.integers(1, 7), d=st.integers(2, 4), entries=st.integers(-3, 3)))
def test_regions_agree_with_sage(instance):
    arrangement = enumerate_chambers(instance.X)
    if not arrangement.normals:
        return
    count, vectors = sage_sign_vectors(arrangement.normals)
    assert count == len(arrangement) == arrangement.lattice_count
    assert vectors == {tuple(row) for row in arrangement.signs.tolist()}


def test_random_larger_instance_count_agrees_with_sage():
    X = np.random.default_rng(3).integers(-9, 10, size=(14, 4)).tolist()
    arrangement = enumerate_chambers(X)
    count, _ = sage_sign_vectors(arrangement.normals)
    assert count == len(arrangement)
