"""Lemma 5.3 (descent directions, docs §5; (c) is Lemma 5.1). Let theta be balanced, r = y - f(X).
(a) Non-zero neuron u_j, direction v: along the lift of u_j + eps v (eps >= 0 small) the loss is the piece
objective of the chamber that u_j + eps v enters, whose one-sided derivative at 0 is
-(s_j/n) sum_{i active} r_i <x_i, v> + lambda <u_j, v> / ||u_j||, row i active iff <x_i, u_j> > 0, or <x_i, u_j> = 0
and <x_i, v> > 0. A negative value proves theta is not a local minimum.
(b) Zero neuron, sign s, direction v: (a, w) = (s t, t v) changes L by -t^2 ((s/n) r^T (X v)_+ - lambda (1 + ||v||^2)/2)
+ O(t^4). A positive bracket proves theta is not a local minimum.
(c) Conversely, if no such direction exists for any piece, the first-order conditions hold on every piece, and
since L >= G on a neighbourhood covered by convex pieces, theta is a local minimum.

Used by: checker.network.check_network (verdict not-a-local-minimum), landscape.classify_network.
"""

import sympy as sp


def check_zero_neuron_expansion():
    t, s, lam = sp.symbols("t s lambda", real=True)
    n = 2
    r = sp.Matrix(sp.symbols("r1:3", real=True))
    g = sp.Matrix(sp.symbols("g1:3", nonnegative=True))      # g = (X v)_+ >= 0
    v2 = sp.symbols("v2", nonnegative=True)                    # ||v||^2
    f = sp.Matrix(sp.symbols("f1:3", real=True))
    y = f + r
    before = (f - y).dot(f - y) / (2 * n)
    after = (f + s * t**2 * g - y).dot(f + s * t**2 * g - y) / (2 * n) + lam / 2 * (t**2 + t**2 * v2)
    change = sp.expand(after - before)
    expected = -t**2 * (s * r.dot(g) / n - lam * (1 + v2) / 2)
    assert sp.expand(change - expected - t**4 * s**2 * g.dot(g) / (2 * n)) == 0   # the remainder is O(t^4)


def check_nonzero_neuron_derivative():
    eps, lam = sp.symbols("epsilon lambda", positive=True)
    u = sp.Matrix([3, 4])           # ||u|| = 5, every listed row active
    v = sp.Matrix(sp.symbols("v1 v2", real=True))
    X = sp.Matrix([[1, 0], [1, 1]])
    r = sp.Matrix(sp.symbols("r1 r2", real=True))
    n, s = 2, 1
    y = X * u + r
    moved = u + eps * v

    def G(w):
        return (s * X * w - y).dot(s * X * w - y) / (2 * n) + lam * sp.sqrt(w.dot(w))

    derivative = sp.diff(G(moved), eps).subs(eps, 0)
    formula = -(s * sp.Rational(1, n)) * r.dot(X * v) + lam * u.dot(v) / 5
    assert sp.simplify(derivative - formula) == 0
