"""The python-flint kernels of the solver side against the plain-rational ones and against their definitions."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from verifier.linalg import column, least_squares, matrix, null_basis, to_fraction
from verifier.numbers import null_basis as plain_null_basis
from verifier.polish import project

entries = st.fractions(min_value=-5, max_value=5, max_denominator=7)


def matrices(rows, cols):
    return st.lists(st.lists(entries, min_size=cols, max_size=cols), min_size=rows, max_size=rows)


@given(st.integers(1, 4), st.integers(1, 5), st.data())
def test_null_basis_is_the_plain_rational_one(rows, d, data):
    M = data.draw(matrices(rows, d))
    assert null_basis(M, d) == plain_null_basis(M, d)


@given(st.integers(1, 5), st.integers(1, 4), st.data())
def test_least_squares_solves_the_normal_equations(d, k, data):
    """G^T (h + G c) = 0: the residual is orthogonal to every generator, also for dependent generators."""
    G = data.draw(matrices(d, k))
    h = data.draw(st.lists(entries, min_size=d, max_size=d))
    c = [to_fraction(x) for x in least_squares(column(h), matrix(G))]
    residual = [h[i] + sum(G[i][j] * c[j] for j in range(k)) for i in range(d)]
    assert all(sum(G[i][j] * residual[i] for i in range(d)) == 0 for j in range(k))


@given(st.integers(1, 4), st.integers(1, 5), st.data())
def test_projection_meets_the_moreau_conditions_exactly(d, k, data):
    """v = h + C^T mu with mu >= 0, C v >= 0 and mu_i (C v)_i = 0: v is the projection onto {C w >= 0}."""
    C = data.draw(matrices(k, d))
    h = data.draw(st.lists(entries, min_size=d, max_size=d))
    mu, _, v = project(h, C)
    assert v == [h[c] + sum(mu[i] * C[i][c] for i in range(k)) for c in range(d)]
    slack = [sum(C[i][c] * v[c] for c in range(d)) for i in range(k)]
    assert all(m >= 0 for m in mu) and all(s >= 0 for s in slack)
    assert all(m * s == Fraction(0) for m, s in zip(mu, slack))
