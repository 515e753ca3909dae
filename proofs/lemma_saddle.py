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

Used by: checker.saddle.check_saddle (`growth_margin`, the kink branch), checker.endpoint.within and
checker.endpoint.one_sided_derivative (not-converged).
Checked: (a) by a sympy series expansion in t; (b) by sympy's minimum of the linear function on the circle
(Lagrange) and exact agreement of the squared test with it on a grid; (c) exhaustively on a rational grid against
exact square-root comparisons in sympy; (d) by exact difference quotients at a kink.
"""

import itertools

import sympy as sp


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
