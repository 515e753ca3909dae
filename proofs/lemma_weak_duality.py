"""Lemma 3.2 (weak duality for C(S), docs §3). Let r in Q^n. If for every (sigma, s) in S there is mu >= 0 with
||(s/n) X^T D_sigma r + C_sigma^T mu|| <= lambda (C_sigma's rows sigma_i x_i), then
C(S) >= (1/n)(r^T y - ||r||^2 / 2).
Conic identity (the half the checker needs): for w in cl K_sigma = {C w >= 0} with ||w|| <= 1 and mu >= 0,
h^T w <= (h + C^T mu)^T w <= ||h + C^T mu||; the max equals the min over mu (Moreau), attained at the
projection v = h + C^T mu* of h onto the cone, with h^T v = ||v||^2.
With equality constraints <x_i, w> = 0 added (facet programs), their multipliers nu_i are free in sign.

Used by: checker.core.dual_value, checker.core.cone_excess, checker.bounds.check_bounds (lower bounds),
checker.region.check_region_minimum (facet and region bounds), checker.network.check_network (zero neurons, global).

Argument: ||p - y||^2 - 2 r^T (y - p) + ||r||^2 = ||p - y + r||^2 >= 0, so the fit term is at least
(1/n)(r^T y - ||r||^2/2) - (1/n) r^T p, and (1/n) r^T p = sum (s/n) r^T D_sigma X u <= lambda sum ||u|| by the
conic inequality applied to u / ||u||.
"""

import itertools
from fractions import Fraction

import sympy as sp


def check_fit_term_identity():
    n = 3
    p, y, r = (sp.Matrix(sp.symbols(f"{c}1:{n + 1}", real=True)) for c in "pyr")
    lhs = (p - y).dot(p - y) - 2 * r.dot(y - p) + r.dot(r)
    assert sp.expand(lhs - (p - y + r).dot(p - y + r)) == 0


def check_conic_inequality_exhaustively():
    """h.w <= ||h + C^T mu|| for all small rational h, mu >= 0 and w in the cone with ||w|| <= 1 (squared form)."""
    C = [(1, 0), (1, 1)]
    grid = [Fraction(k, 2) for k in range(-2, 3)]
    for h in itertools.product(grid, repeat=2):
        for mu in itertools.product([Fraction(k, 2) for k in range(0, 3)], repeat=2):
            v = [h[c] + sum(m * row[c] for m, row in zip(mu, C)) for c in range(2)]
            bound2 = v[0] ** 2 + v[1] ** 2
            for w in itertools.product(grid, repeat=2):
                if all(row[0] * w[0] + row[1] * w[1] >= 0 for row in C) and w[0] ** 2 + w[1] ** 2 <= 1:
                    value = h[0] * w[0] + h[1] * w[1]
                    assert value <= 0 or value**2 <= bound2


def check_moreau_projection_attains_the_bound():
    """For the projection v of h on {w : w >= 0} (C = I): h.v = ||v||^2, so max{h.w : w >= 0, ||w|| <= 1} = ||v||."""
    for h in itertools.product(range(-3, 4), repeat=3):
        v = [max(x, 0) for x in h]   # projection onto the non-negative orthant; mu = max(-h, 0)
        mu = [max(-x, 0) for x in h]
        assert [x + m for x, m in zip(h, mu)] == v
        assert sum(x * y for x, y in zip(h, v)) == sum(x * x for x in v)
