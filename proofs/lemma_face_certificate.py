"""Lemma 5.5 (local minima on kinks via the duality-gap enclosure, docs §5). Let F put neuron k in cl K_sigma_k with
<x_i, u_k> = 0 for i in Z_k (rows x_i, i in Z_k, independent). If every minimizer u* of C(F) has exactly Z_k active
and u*_k != 0 (facet programs with bound > U >= G(u0)), then its KKT conditions give
lambda u*_k / ||u*_k|| = P h_k(r*),   P = projection off span{x_i : i in Z_k},   h_k(r) = (s/n) X^T D_sigma_k r,
so for a chamber sigma around u*_k (sigma = sigma_k off Z_k) the docs §5 vector
g_sigma = -(s/n) X^T D_sigma r* + lambda u*_k/||u*_k|| equals X_Z^T c with
c = -(s/n) delta r*_Z - (X_Z X_Z^T)^-1 X_Z h_k(r*),  delta_i = [sigma_i = +] - [sigma_k,i = +],
and the multipliers are mu_i = sigma_i c_i. c is linear in r*; r* lies in the ball ||r* - r0||^2 <= 2n (U - B)
(gap inequality), so sigma_i c_i(r0) >= ||grad c_i|| rho on it proves mu >= 0, i.e. the lift of u* is a local
minimum of L (docs §5).

Dependent kink rows. The docs §5 condition asks for some mu >= 0 on Z_k, not a unique one. P still projects off
span{x_i : i in Z_k} = span{x_b : b in B} for any basis B of those rows, and g_sigma = X_B^T c_B with
c_B = -G_B^-1 X_B h_k(r*) - (s/n) sum_{z in Z} delta_z r*_z alpha_z,  G_B = X_B X_B^T,  alpha_z = G_B^-1 X_B x_z
(the coordinates of x_z on B), so mu_b = sigma_b c_b on B and mu = 0 off B is one solution; c_B is linear in r*.
So for each chamber sigma around u*_k it suffices that some basis B has every sigma_b c_b >= 0 on the ball (a
basis per chamber: the checker tries the bases of Z_k). With independent rows B = Z and this is the formula above.

Used by: checker.face.check_face_minimum, checker.face.kink_multiplier_rows, checker.face.kink_bases and
checker.face._check_kink_multipliers.
Checked: the identity -h_sigma + P h_k = X_Z^T c, exactly in sympy on a 3-dimensional example with two kink
rows, for every sign choice on Z; the same identity with three dependent kink rows of rank 2, for every basis B
and every sign choice, against `kink_multiplier_rows` itself; and the enclosure step (a linear function keeps its
sign on a ball when its value exceeds the gradient norm times the radius).
"""

import itertools

import sympy as sp


def _cone_vector(X, r, s: int, sigma):
    """h_sigma(r) = (s/n) X^T D_sigma r."""
    return sum((sp.Rational(s, X.rows) * r[i] * X.row(i).T for i in range(X.rows) if sigma[i] > 0),
               sp.zeros(X.cols, 1))


def _chambers_around(sigma_k, zeros):
    """Every sign vector equal to sigma_k off the kink rows Z (every sign choice on Z)."""
    for signs in itertools.product([1, -1], repeat=len(zeros)):
        sigma = list(sigma_k)
        for z, sign in zip(zeros, signs):
            sigma[z] = sign
        yield sigma


def _stationarity_vectors(X, rows, r, s: int, sigma_k, zeros):
    """X_B (B = rows) and, for every sigma around, g_sigma = -h_sigma(r) + P h_k(r), P the projection off span X_B."""
    XB = X.extract(rows, list(range(X.cols)))
    projection = sp.eye(X.cols) - XB.T * (XB * XB.T).inv() * XB
    return XB, [(sigma, -_cone_vector(X, r, s, sigma) + projection * _cone_vector(X, r, s, sigma_k))
                for sigma in _chambers_around(sigma_k, zeros)]


def check_kink_multiplier_identity():
    X = sp.Matrix([[1, 2, 0], [0, 1, -1], [2, -1, 1], [1, 1, 1]])
    zeros = [0, 1]
    sigma_k = [1, -1, 1, -1]
    s, n = -1, X.rows
    r = sp.Matrix(sp.symbols(f"r0:{n}", real=True))
    XZ, vectors = _stationarity_vectors(X, zeros, r, s, sigma_k, zeros)
    for sigma, g in vectors:
        delta = sp.Matrix([int(sigma[z] > 0) - int(sigma_k[z] > 0) for z in zeros])
        c = -sp.Rational(s, n) * sp.Matrix([delta[t] * r[z] for t, z in enumerate(zeros)]) \
            - (XZ * XZ.T).inv() * XZ * _cone_vector(X, r, s, sigma_k)
        assert sp.simplify(g - XZ.T * c) == sp.zeros(3, 1)


def check_linear_functions_keep_their_sign_on_the_ball():
    """If a.r0 >= ||a|| rho then a.r >= 0 whenever ||r - r0|| <= rho (Cauchy-Schwarz); exhaustive on a grid."""
    a = (2, -1)
    r0 = (3, 1)
    rho2 = sp.Rational(1, 1)
    value = sum(x * y for x, y in zip(a, r0))
    assert value >= 0 and value**2 >= sum(x * x for x in a) * rho2
    grid = [sp.Rational(k, 4) for k in range(-4, 5)]
    for dx, dy in itertools.product(grid, repeat=2):
        if dx**2 + dy**2 <= rho2:
            assert a[0] * (r0[0] + dx) + a[1] * (r0[1] + dy) >= 0


def check_dependent_kink_rows_on_every_basis():
    """Three kink rows of rank 2 in R^3 (the ray of issue 21's instance): for every basis B of them and every sign
    choice on Z, g_sigma = -h_sigma + P h_k equals X_B^T c_B with c_B the rows `checker.face.kink_multiplier_rows`
    returns (so mu = sigma_B c_B on B, 0 off B, solves the docs §5 equation)."""
    from fractions import Fraction

    from verifier.checker.face import kink_bases, kink_multiplier_rows
    from verifier.instance import Instance

    rows = [[2, 3, 2], [2, 3, 4], [-2, -3, 3], [2, 5, 4], [-3, -4, 2]]
    instance = Instance.from_arrays(rows, [-1, -2, -3, 1, 3], Fraction(1, 20))
    X = sp.Matrix(rows)
    zeros, sigma_k, s, n = [0, 1, 2], [-1, -1, 1, 1, 1], 1, X.rows
    r = sp.Matrix(sp.symbols(f"r0:{n}", real=True))
    bases = kink_bases(instance, zeros)
    assert sorted(map(tuple, bases)) == [(0, 1), (0, 2), (1, 2)]
    for basis in bases:
        XB, vectors = _stationarity_vectors(X, basis, r, s, sigma_k, zeros)
        for sigma, g in vectors:
            c = sp.Matrix([sum(sp.Rational(x.numerator, x.denominator) * r[i] for i, x in enumerate(row))
                           for row in kink_multiplier_rows(instance, sigma_k, s, zeros, sigma, basis)])
            assert sp.simplify(g - XB.T * c) == sp.zeros(3, 1)
