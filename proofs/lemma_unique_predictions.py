"""Lemma 3.3 (predictions are unique, docs §3). All minimizers of C(S) share one prediction p*, and for every
feasible u:  G(u) - C(S) >= ||p(u) - p*||^2 / (2n).

Used by: the checker's enclosure of the optimal residual, rho^2 = 2n(U - B) (checker.face.enclosure_radius2, on
which checker.face._check_kink_multipliers proves multiplier signs for every residual in the ball: with G(u0) <= U
and a dual bound B <= C(S), ||r0 - r*||^2 = ||p(u0) - p*||^2 <= 2n(G(u0) - C(S)) <= 2n(U - B)); and the solver
side (landscape.classify_endpoint compares the endpoint's prediction with the certified point's).

Argument: G(u) = F(p(u)) + lambda R(u) with F(p) = ||p - y||^2/(2n) and R convex, p linear. At a minimizer u*,
first-order optimality gives <grad F(p*), p(u) - p*> + lambda (R(u) - R(u*)) >= 0, and F(p) - F(p*) -
<grad F(p*), p - p*> = ||p - p*||^2/(2n) exactly (F is quadratic). Adding: G(u) - G(u*) >= ||p - p*||^2/(2n).
Two minimizers then have ||p - p*|| = 0.
"""

import sympy as sp


def check_quadratic_identity():
    n = 3
    p, q, y = (sp.Matrix(sp.symbols(f"{c}1:4", real=True)) for c in "pqy")

    def F(v):
        return (v - y).dot(v - y) / (2 * n)

    gradient = (q - y) / n
    assert sp.expand(F(p) - F(q) - gradient.dot(p - q) - (p - q).dot(p - q) / (2 * n)) == 0


def check_on_a_one_dimensional_region():
    """C({(w > 0, +)}) for x = (-1, 1), y = (1, 1/2), lambda = 1/10: G(u) - C >= (u - u*)^2 / 4 on u >= 0."""
    u = sp.symbols("u", nonnegative=True)
    lam = sp.Rational(1, 10)
    G = ((0 - 1) ** 2 + (u - sp.Rational(1, 2)) ** 2) / 4 + lam * u
    star = sp.Rational(1, 2) - 2 * lam
    gap = sp.expand(G - G.subs(u, star) - (u - star) ** 2 / 4)
    assert gap == 0
