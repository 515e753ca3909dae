"""Lemma 9.1 (saddles and endpoints on the duality-gap enclosure, docs §9).

(a) Growth of a zero neuron. At a point with residual r and a zero neuron, the neuron (a, w) = (s t, t v) changes
    L by -t^2 gain(r) + O(t^4), gain(r) = (s/n) r^T (X v)_+ - lambda (1 + ||v||^2)/2: the new prediction is
    s t^2 (X v)_+ and the penalty lambda t^2 (1 + ||v||^2)/2. So gain(r*) > 0 means theta is not a local minimum.
(b) A linear function on a ball. min over ||r - r0|| <= rho of <g, r> - c is <g, r0> - c - rho ||g|| (attained at
    r0 - rho g/||g||), so it is > 0 iff A = <g, r0> - c > 0 and A^2 > rho^2 ||g||^2: decided without square roots.
    Likewise a kink multiplier sigma_z c_z(r) = <row, r> is < 0 on the ball iff its value v at r0 is < 0 and
    v^2 > rho^2 ||row||^2.
(c) Sums of square roots: for A, R >= 0, sqrt(A) + sqrt(R) <= D iff D >= 0, E = D^2 - A - R >= 0 and E^2 >= 4AR.
(d) The one-sided derivative of L along V = (da, dW): for a_j relu(<w_j, x>) it is da_j relu(z) + a_j relu'(z; h)
    with z = <w_j, x>, h = <dw_j, x> and relu'(z; h) = h, max(h, 0), 0 for z > 0, = 0, < 0.

(e) First-order stationarity. L'(theta; V) is a sum over neurons (each prediction's derivative is). A zero neuron
    (a, w) = (0, 0) contributes 0 along every direction: its prediction t^2 da relu(<dw, x>) and its penalty
    lambda t^2 (da^2 + ||dw||^2)/2 are O(t^2). So zero neurons never give first-order descent; their growth (a) is
    a second-order escape (a saddle, not "not stationary").
(f) A non-zero balanced neuron (a, w), u = |a| w, s = sign a, on the kink rows Z (<x_z, w> = 0). A direction dw with
    sigma_z <x_z, dw> >= 0 on Z enters the closed chamber sigma around w, and along (da, dw)
        L' = da (a^2 - ||w||^2) lambda / a + |a| <g_sigma(r), dw> + (da / a) <|a| g_sigma(r), w>,
        g_sigma(r) = -(s/n) X^T D_sigma r + lambda u/||u||,
    where <g_sigma, w> = 0 when g_sigma = sum_z c_z x_z (the face's KKT form, checker.face.kink_multiplier_rows).
    So for a balanced neuron L' = |a| sum_z c_z <x_z, dw>: L' >= 0 on every such cone iff every docs §5 multiplier
    sigma_z c_z >= 0 (Farkas; the stationarity a `saddle` proves), and a negative one gives the direction
    <x_z, dw> = sigma_z e_z (rows of Z independent) with L' = |a| sigma_z c_z < 0 (first-order descent: the
    `not-stationary` claim).

Used by: checker.saddle (`growth_margin` and the saddle's stationarity via face.prove_stationary; the kink
descent of `not-stationary`), checker.endpoint.within and checker.endpoint.one_sided_derivative (not-converged).
Checked: (a) by a sympy series expansion in t; (b) by sympy's minimum of the linear function on the circle
(Lagrange) and exact agreement of the squared test with it on a grid; (c) exhaustively on a rational grid against
exact square-root comparisons in sympy; (d) by exact difference quotients at a kink; (e) by a sympy limit of the
difference quotient of a zero neuron; (f) the formula for L' against the checker's exact one-sided derivative on
random rational balanced neurons on kinks, and on the corpus point of docs' worked non-stationary example
(X = ((1,0),(1,1)), y = (1,1), lambda = 7/32, a = 3/4, w = (0, 3/4)): its kink multiplier is negative and the
derivative along the crossing direction is exactly |a| sigma_z c_z = -69/128.
"""

import itertools
import random
from fractions import Fraction

import sympy as sp

from verifier.checker.core import dot
from verifier.checker.endpoint import one_sided_derivative
from verifier.checker.face import kink_multiplier_rows
from verifier.instance import Instance


def check_zero_neuron_growth_expansion():
    t, lam, s = sp.symbols("t lambda s", real=True)
    n = 3
    r = sp.symbols("r0:3", real=True)
    y = sp.symbols("y0:3", real=True)
    relu_xv = sp.symbols("p0:3", nonnegative=True)   # (X v)_+, fixed once v is fixed
    vv = sp.Symbol("vv", nonnegative=True)          # ||v||^2
    f = [y[i] - r[i] for i in range(n)]              # predictions of the point with residual r
    loss = lambda extra, penalty: sum((f[i] + extra[i] - y[i]) ** 2 for i in range(n)) / (2 * n) + penalty  # noqa
    before = loss([0] * n, 0)
    after = loss([s * t**2 * relu_xv[i] for i in range(n)], lam * (t**2 + t**2 * vv) / 2)
    gain = s * sum(r[i] * relu_xv[i] for i in range(n)) / n - lam * (1 + vv) / 2
    difference = sp.expand(after - before + t**2 * gain)
    assert sp.expand(difference.subs(s**2, 1)) == sp.expand(
        (t**4 * sum(relu_xv[i] ** 2 for i in range(n)) / (2 * n)).subs(s**2, 1))


def check_linear_minimum_on_a_ball():
    theta = sp.Symbol("theta", real=True)
    g = (sp.Rational(3), sp.Rational(-1))
    c = sp.Rational(1, 2)
    r0 = (sp.Rational(2), sp.Rational(1))
    rho = sp.Rational(5, 4)
    values = [g[0] * (r0[0] + rho * sp.cos(a)) + g[1] * (r0[1] + rho * sp.sin(a)) - c
              for a in [sp.atan2(-g[1], -g[0])]]
    norm = sp.sqrt(g[0] ** 2 + g[1] ** 2)
    assert sp.simplify(values[0] - (g[0] * r0[0] + g[1] * r0[1] - c - rho * norm)) == 0
    circle = g[0] * (r0[0] + rho * sp.cos(theta)) + g[1] * (r0[1] + rho * sp.sin(theta)) - c
    for k in range(64):   # no point of the circle is below the closed form (to 30 digits)
        assert sp.N(circle.subs(theta, 2 * sp.pi * k / 64) - values[0], 30) >= -sp.Float(10) ** -25
    for A_num, rho2 in itertools.product(range(-3, 6), [sp.Rational(k, 4) for k in range(0, 12)]):
        A = sp.Rational(A_num, 2)
        exact = A - sp.sqrt(rho2) * norm > 0
        assert exact == (A > 0 and A**2 > rho2 * norm**2)


def check_sum_of_square_roots():
    grid = [sp.Rational(k, 3) for k in range(0, 10)]
    for A, R, D in itertools.product(grid, grid, [sp.Rational(k, 2) for k in range(-1, 9)]):
        E = D**2 - A - R
        fast = D >= 0 and E >= 0 and E**2 >= 4 * A * R
        assert fast == bool(sp.sqrt(A) + sp.sqrt(R) <= D)


def check_one_sided_derivative_of_a_relu_neuron():
    def quotient(t):
        return ((a + t * da) * max(0, z + t * h) - a * max(0, z)) / t

    small = sp.Rational(1, 10**6)
    for z, h, a, da in itertools.product([-1, 0, 2], [-3, 0, 1], [sp.Rational(1, 2), -2], [0, 1]):
        # for 0 < t < |z|/|h| the quotient is affine in t, so 2 q(t) - q(2t) is its exact limit at 0+
        limit = 2 * quotient(small) - quotient(2 * small)
        relu_derivative = h if z > 0 else max(h, 0) if z == 0 else 0
        assert limit == da * max(z, 0) + a * relu_derivative


def check_a_zero_neuron_has_no_first_order_descent():
    t = sp.Symbol("t", positive=True)
    da, lam = sp.symbols("da lambda", real=True)
    p = sp.symbols("p0:3", nonnegative=True)    # relu(<dw, x_i>)
    r = sp.symbols("r0:3", real=True)
    dw2 = sp.Symbol("dw2", nonnegative=True)
    n = 3
    # the zero neuron (t da, t dw) adds t^2 da p_i to prediction i; f - y = -r before the move
    loss = lambda tt: sum((-r[i] + tt**2 * da * p[i]) ** 2 for i in range(n)) / (2 * n) \
        + lam * tt**2 * (da**2 + dw2) / 2   # noqa: E731
    assert sp.limit((loss(t) - loss(0)) / t, t, 0, "+") == 0


def _piece_derivative(instance, a, w, sigma_, da, dw):
    """da (a^2 - ||w||^2) lambda / a + |a| <g, dw> + (da / a) |a| <g, w>, g = -(s/n) X^T D_sigma r + lambda u/||u||
    (r: the residual of the single neuron (a, w))."""
    n, s = instance.n, (1 if a > 0 else -1)
    u = [abs(a) * x for x in w]
    r = [y - a * max(dot(w, x), 0) for x, y in zip(instance.X, instance.y)]
    norm = a * a   # ||u|| = |a| ||w|| = a^2 when balanced
    g = [-Fraction(s, n) * sum(r[i] * instance.X[i][c] for i in range(n) if sigma_[i] > 0) + instance.lam * u[c] / norm
         for c in range(instance.d)]
    return (da * (a * a - dot(w, w)) * instance.lam / a + abs(a) * dot(g, dw) + da / a * abs(a) * dot(g, w))


def check_first_order_stationarity_of_a_neuron_on_kinks():
    rng = random.Random(21)
    q = lambda: Fraction(rng.randint(-4, 4), rng.randint(1, 3))   # noqa: E731
    checked = 0
    while checked < 60:
        # w = (0, 0, w2) on the kinks of rows 0 and 1 (x_0, x_1 in the plane w2 = 0), rows 2, 3 off the kinks
        X = [[Fraction(1), Fraction(0), Fraction(0)], [q(), Fraction(1), Fraction(0)], [q(), q(), Fraction(1)],
             [q(), q(), Fraction(-1)]]
        w2 = Fraction(rng.randint(1, 4), 2)
        a = w2 * rng.choice([1, -1])          # balanced: |a| = ||w||
        w = [Fraction(0), Fraction(0), w2]
        instance = Instance.from_arrays(X, [q() for _ in X], Fraction(rng.randint(1, 5), 10))
        base = [1 if dot(w, x) > 0 else -1 for x in X]
        for sz in itertools.product([1, -1], repeat=2):
            sigma_ = list(sz) + base[2:]
            dw = [q(), q(), q()]
            if any(sigma_[z] * dot(X[z], dw) < 0 for z in (0, 1)):
                continue
            da = q()
            assert one_sided_derivative(instance, [a], [w], [da], [dw]) == _piece_derivative(instance, a, w, sigma_,
                                                                                              da, dw)
            checked += 1


def check_the_issue_example_is_not_stationary():
    instance = Instance.from_arrays([[1, 0], [1, 1]], [1, 1], Fraction(7, 32))
    a, w = Fraction(3, 4), [Fraction(0), Fraction(3, 4)]
    sigma_k = [1, 1]                            # u = (0, 9/16) on the kink of row 0, row 1 positive
    r = [y - a * max(dot(w, x), 0) for x, y in zip(instance.X, instance.y)]
    for sigma_ in ([1, 1], [-1, 1]):            # the two chambers around u
        (row,) = kink_multiplier_rows(instance, sigma_k, 1, [0], sigma_)
        multiplier = sigma_[0] * dot(row, r)
        dw = [Fraction(sigma_[0]), Fraction(0)]    # <x_0, dw> = sigma_0, off the other kinks
        derivative = one_sided_derivative(instance, [a, Fraction(0)], [w, [Fraction(0)] * 2], [Fraction(0)] * 2,
                                          [dw, [Fraction(0)] * 2])
        assert derivative == abs(a) * multiplier
    (row,) = kink_multiplier_rows(instance, sigma_k, 1, [0], [1, 1])
    assert dot(row, r) * abs(a) == Fraction(-69, 128)
