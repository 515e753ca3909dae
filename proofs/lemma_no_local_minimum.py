"""Lemma 4.1 (no local minimum in the closure of a region; docs §4, §8).

Let S be a set of at most m signed chambers, B <= C(S) <= U with a point u0 of value <= U (residual r0), and a
width-m network with loss < B (so L*_m < C(S)). Suppose for one (sigma, s) in S a multiplier mu >= 0 gives
||h(r) + C_sigma^T mu|| < lambda for every r with ||r - r0||^2 <= rho2 = 2n(U - B), h(r) = (s/n) X^T D_sigma r.
Then no region R with S(R) = S has a local minimum of L in its closure.

Proof. Let theta* be a local minimum with balanced form u* in cl R. (1) u* minimizes G over cl R (Lemma 8.1,
lemma_catalog: the lift is continuous on cl R and L(lift u) = G(u), G convex there), and min over cl R of G is C(S)
(merging neurons of one signed chamber), so the residual of u* is the unique optimal residual r* of C(S), inside the
ball (lemma_unique_predictions). (2) For w in cl K_sigma, sigma_i <x_i, w> >= 0, so for mu >= 0
<h, w> <= <h + C_sigma^T mu, w> <= ||h + C_sigma^T mu|| ||w||  (lemma_weak_duality's conic bound).
(3) For a neuron u*_j != 0 of pattern (sigma, s), G((1 - t) u*_j, rest) has derivative <h(r*), u*_j> - lambda ||u*_j||
< 0 at t = 0 (checked below), so u* is not a minimizer: every neuron of the pattern is zero. (4) A local minimum
with a zero neuron is global (lemma_zero_gap): G(u*) = L*_m < B <= C(S) = G(u*), a contradiction.
The ball test is `core.excluded_by_norm(..., offset=C^T mu)`: ||A r + b|| <= ||A r0 + b|| + rho ||A||_F on the ball.

Used by: checker.absence (check_region_absence, slack_rows), core.excluded_by_norm (its offset).
"""

import itertools
from fractions import Fraction

import sympy as sp


def check_shrinking_a_neuron_has_rate_h_dot_u_minus_lambda_norm():
    """d/dt at t = 0 of G with u_j replaced by (1 - t) u_j, u_j in cl K_sigma (so (X u_j)_+ = D_sigma X u_j), is
    (s/n) r^T D_sigma X u_j - lambda ||u_j||, r the residual: a generic 3 x 2 instance, symbolic."""
    n = 3
    X = sp.Matrix(3, 2, sp.symbols("x0:6", real=True))
    y = sp.Matrix(sp.symbols("y0:3", real=True))
    lam, t = sp.symbols("lambda t", positive=True)
    u = sp.Matrix(sp.symbols("u0:2", real=True))
    other = sp.Matrix(sp.symbols("o0:3", real=True))        # the other neurons' prediction
    for s, D in itertools.product((1, -1), [sp.diag(1, 0, 1), sp.diag(0, 1, 1)]):
        prediction = other + s * D * X * (1 - t) * u
        G = (prediction - y).dot(prediction - y) / (2 * n) + lam * (1 - t) * sp.sqrt(u.dot(u))
        r = y - other - s * D * X * u
        rate = sp.diff(G, t).subs(t, 0)
        h = sp.Rational(s, n) * X.T * D * r
        assert sp.simplify(rate - (h.dot(u) - lam * sp.sqrt(u.dot(u)))) == 0


def check_conic_bound_with_offset():
    """<h, w> <= ||h + C^T mu|| ||w|| for w in the closed cone {C w >= 0} and mu >= 0, on a grid: the multiplier
    only adds mu^T C w >= 0 before Cauchy-Schwarz."""
    C = [[1, 0], [1, 1]]
    grid = [Fraction(k, 2) for k in range(-4, 5)]
    for h0, h1, m0, m1, w0, w1 in itertools.product(grid[::2], grid[::2], grid[4::2], grid[4::2], grid, grid):
        if any(row[0] * w0 + row[1] * w1 < 0 for row in C):
            continue
        v = (h0 + m0 * C[0][0] + m1 * C[1][0], h1 + m0 * C[0][1] + m1 * C[1][1])
        left = h0 * w0 + h1 * w1
        assert left <= 0 or left * left <= (v[0] ** 2 + v[1] ** 2) * (w0 * w0 + w1 * w1)


def check_offset_norm_test_against_square_roots():
    """core.excluded_by_norm with an offset decides sqrt(||A r0 + b||^2) + rho ||A||_F < lambda exactly: grid."""
    from verifier.checker.core import excluded_by_norm

    grid = [Fraction(k, 4) for k in range(-4, 5)]
    for a, b, rho2, lam in itertools.product(grid, grid, [Fraction(0), Fraction(1, 16), Fraction(1, 4)], grid[5:]):
        A, r0 = [[Fraction(1)], [Fraction(0)]], [a]         # A r + b = (r + b, b/2): ||A||_F = 1
        got = excluded_by_norm(A, lam, "norm-low", r0, rho2, offset=[b, b / 2])
        value = sp.sqrt(sp.Rational(str(a + b)) ** 2 + sp.Rational(str(b / 2)) ** 2) + sp.sqrt(sp.Rational(str(rho2)))
        assert got == bool(value < sp.Rational(str(lam)))


def check_worked_example_negative_regions_hold_no_local_minimum():
    """x = (-1, 1), y = (1, 1/2), lambda = 1/8, width 1, region w < 0, a < 0: L has no stationary point inside
    (dL/da < 0) and its closure's boundary points are not local minima (a = 0: L grows in w; (0, 0) descends along
    (w, a) = (-t, t)); while the slack test holds at r* = y with mu = (1/2, 0): h + C^T mu = 0."""
    w, a = sp.symbols("w a", real=True)
    t = sp.symbols("t", positive=True)
    lam = sp.Rational(1, 8)

    def L(w_, a_):
        f1, f2 = a_ * sp.Max(0, -w_), a_ * sp.Max(0, w_)
        return ((f1 - 1) ** 2 + (f2 - sp.Rational(1, 2)) ** 2) / 4 + lam * (a_**2 + w_**2) / 2

    inside = ((a * (-w) - 1) ** 2 + sp.Rational(1, 4)) / 4 + lam * (a**2 + w**2) / 2   # w < 0
    assert sp.simplify(L(-t, a) - inside.subs(w, -t)) == 0
    da = sp.diff(inside, a)
    p, q = sp.symbols("p q", positive=True)                 # a = -p, w = -q
    assert sp.simplify(da.subs({a: -p, w: -q}) - (-(p * q + 1) * q / 2 - p / 8)) == 0    # < 0: no stationary point
    assert sp.expand(L(-t, 0) - L(0, 0)) == t**2 / 16       # a = 0 edge: L grows away from the corner
    assert sp.series(L(-t, t) - L(0, 0), t, 0, 3).removeO() == -sp.Rational(3, 8) * t**2   # the corner descends
    # the slack test at u = 0 (r* = y): sigma = (+, -), s = -1, h = (s/n) X^T D_sigma r = (-1/2)(-1)(1) = 1/2 and
    # C_sigma^T mu = -mu_1 - mu_2: mu = (1/2, 0) gives 0 < lambda, although ||h|| = 1/2 > lambda
    h = sp.Rational(-1, 2) * (-1) * 1
    assert h > lam and h + (-1) * sp.Rational(1, 2) == 0
