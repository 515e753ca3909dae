"""Faces of the arrangement: complete by the lattice's face count, checked against brute force and closed forms."""

from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.faces import enumerate_faces
from verifier.checker.catalog import below
from verifier.lattice import face_count, hyperplanes
from verifier.strategies import instances


def _brute_force(X, bound):
    """Sign vectors of every non-zero integer point in [-bound, bound]^d."""
    d = len(X[0])
    found = set()
    for w in product(range(-bound, bound + 1), repeat=d):
        if any(w):
            found.add("".join("+" if v > 0 else "-" if v < 0 else "0"
                              for v in (sum(a * b for a, b in zip(row, w)) for row in X)))
    return found


@given(instances(d=st.integers(1, 2), n=st.integers(1, 5), entries=st.integers(-2, 2)))
def test_faces_match_brute_force_in_the_plane(instance):
    """In d <= 2 every face meets the grid [-4, 4]^d (rays are (-b, a), chambers contain sums of two rays)."""
    faces = enumerate_faces(instance.X)
    assert set(faces.labels) == _brute_force(instance.X, 4)
    assert len(faces) == faces.count


@settings(max_examples=10)
@given(instances(d=st.just(3), n=st.integers(1, 4), entries=st.integers(-1, 1)))
def test_faces_match_brute_force_in_space(instance):
    faces = enumerate_faces(instance.X)
    assert set(faces.labels) == _brute_force(instance.X, 6)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_orthogonal_faces_are_all_nonzero_sign_vectors(n):
    X = [[int(i == j) for j in range(n)] for i in range(n)]
    faces = enumerate_faces(X)
    assert len(faces) == 3**n - 1 and "0" * n not in faces.labels


def test_generic_planar_faces_and_null_space():
    X = [[2, 1], [-1, 3], [1, -2], [-3, -1], [1, 1]]
    assert len(enumerate_faces(X)) == 4 * len(X)          # 2n chambers and 2n rays
    faces = enumerate_faces([[1, 1, 0], [2, 2, 0], [0, 0, 0]])
    assert sorted(faces.labels) == ["++0", "--0", "000"] and faces.nonzero == [k for k, t in enumerate(faces.labels)
                                                                                  if t != "000"]


def test_face_count_refuses_past_max_flats():
    from verifier.lattice import LatticeTooLarge
    normals = hyperplanes([[1, 0, 0], [0, 1, 0], [0, 0, 1]])[0]
    assert face_count(normals, 3) == 26
    with pytest.raises(LatticeTooLarge):
        face_count(normals, 3, max_flats=3)


@given(instances(d=st.integers(1, 3), n=st.integers(1, 4)))
def test_face_poset(instance):
    """Each face lies in the closure of a chamber; a chamber only in its own; the closure relation is a partial order
    whose minimal non-zero elements have the most zeros."""
    faces = enumerate_faces(instance.X)
    chambers = [t for t in faces.labels if all(c != "0" or not any(x) for c, x in zip(t, instance.X))]
    for tau, around in zip(faces.labels, faces.chambers_around(chambers)):
        assert around
        if tau in chambers:
            assert [chambers[c] for c in around] == [tau]
    for a in faces.labels:
        for b in faces.labels:
            if below(a, b) and below(b, a):
                assert a == b
