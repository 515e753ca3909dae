"""The face-exclusion test in integers (checker.exclusion) decides exactly as the tests of the catalog in fractions
(checker.catalog.excluded_by_sign / excluded_by_norm / excluded_by_multiplier) on every face of small instances, at
random balls: centres near the faces' boundaries of admissibility and radii from 0 to large."""

from fractions import Fraction

from hypothesis import given, strategies as st

from verifier.checker.catalog import below, excluded_by_multiplier, excluded_by_norm, sign_row, stationarity_rows
from verifier.checker.exclusion import Ball, face_excluded
from verifier.checker.face import excluded_by_sign
from verifier.faces import enumerate_faces
from verifier.instance import Instance

INSTANCES = [
    Instance.from_arrays([[-1], [1]], [1, "1/2"], "1/8"),
    Instance.from_arrays([[2, 1], [-1, 3], [1, -2]], [1, -1, 2], "1/50"),
    Instance.from_arrays([[2, 1], [-1, 3]], [1, -1], "1/20", bias=True),
    Instance.from_arrays([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, -1, 2], "1/20"),
]
def _reference(instance, tau, s, chambers, ball):
    """The exclusion test as the catalog states it, in fractions (the code before integers)."""
    A = stationarity_rows(instance, tau, s)
    rows = [sign_row(A, tau, x, i) for i, x in enumerate(instance.X) if tau[i] != "0"]
    kinks = [z for z, x in enumerate(instance.X) if tau[z] == "0" and any(x)]
    for r0, rho2 in (ball.coarse, (ball.r0, ball.rho2)):
        if any(excluded_by_sign(row, r0, rho2) for row in rows) or \
                excluded_by_norm(A, instance.lam, "norm-low", r0, rho2) or \
                excluded_by_norm(A, instance.lam, "norm-high", r0, rho2) or \
                any(excluded_by_multiplier(instance, tau, s, chamber, z, r0, rho2) for chamber in chambers
                    for z in kinks):
            return True
    return False


_fraction = st.fractions(min_value=-3, max_value=3, max_denominator=10**12)


@given(st.integers(0, len(INSTANCES) - 1), st.data())
def test_integer_exclusion_equals_the_fraction_tests(k, data):
    instance = INSTANCES[k]
    faces = enumerate_faces(instance.X)
    labels = faces.labels
    chamber_labels = [t for t in labels if "0" not in t]
    tau = data.draw(st.sampled_from([t for t in labels if set(t) != {"0"}]))
    s = data.draw(st.sampled_from([1, -1]))
    around = [c for c in chamber_labels if below(tau, c)]
    r0 = tuple(data.draw(_fraction) for _ in range(instance.n))
    rho2 = data.draw(st.one_of(st.just(Fraction(0)), st.fractions(min_value=0, max_value=4, max_denominator=10**15)))
    ball = Ball(r0, rho2)
    assert face_excluded(instance, tau, s, around, ball, {}) == _reference(instance, tau, s, around, ball)


@given(st.integers(0, len(INSTANCES) - 1), st.data())
def test_at_the_admissible_norm_both_decide_alike(k, data):
    """Centres where ||A_F r0|| is exactly lambda (the boundary of the norm tests): r0 = lambda v / ||A v|| for a
    rational v with a rational norm ratio is rare, so take r0 on the ray through A^T e scaled so that the squared norm
    sits just below, at, or above lambda^2 (the comparisons with the radius are then the tight ones)."""
    instance = INSTANCES[k]
    faces = enumerate_faces(instance.X)
    chamber_labels = [t for t in faces.labels if "0" not in t]
    tau = data.draw(st.sampled_from([t for t in faces.labels if "+" in t]))
    s = data.draw(st.sampled_from([1, -1]))
    A = stationarity_rows(instance, tau, s)
    v = [sum(row[i] for row in A) for i in range(instance.n)]
    if not any(v):
        return
    Av2 = sum(sum(a * b for a, b in zip(row, v)) ** 2 for row in A)
    t2 = instance.lam ** 2 / Av2 * data.draw(st.sampled_from([Fraction(99, 100), Fraction(1), Fraction(101, 100)]))
    t = Fraction(round(t2 ** 0.5 * 10**9), 10**9)
    r0 = tuple(t * x for x in v)
    rho2 = data.draw(st.sampled_from([Fraction(0), Fraction(1, 10**12), Fraction(1, 10**4), Fraction(1)]))
    around = [c for c in chamber_labels if below(tau, c)]
    ball = Ball(r0, rho2)
    assert face_excluded(instance, tau, s, around, ball, {}) == _reference(instance, tau, s, around, ball)
