"""Lemma 3.1 (balanced lift, docs §3). For a in R, w in R^d:  (a^2 + ||w||^2)/2 >= |a| ||w||, with equality iff |a| = ||w||;
and with s = sign(a), u = |a| w:  a max(0, <x, w>) = s max(0, <x, u>) for every x. Conversely a neuron u with sign
s lifts to w = u / sqrt(||u||), a = s sqrt(||u||), which is balanced and has the same output.
Also: an unbalanced neuron is not at a local minimum, since t -> (t a, w / t) keeps every output and
d/dt [(t^2 a^2 + ||w||^2 / t^2)/2] at t = 1 equals a^2 - ||w||^2 != 0.

Used by: checker.primal_value (a network's loss is bounded by (1/2n)||f - y||^2 + lambda sum q_j, q_j >= ||u_j||),
checker.network.check_network (u_j = |a_j| w_j; an unbalanced neuron refutes local minimality; ||u_j|| = a_j^2 when
balanced), network.lift.

Argument: (a^2 + b^2)/2 - |a| b = (|a| - b)^2 / 2 with b = ||w|| >= 0; ReLU is positively homogeneous.
"""

import itertools
from fractions import Fraction

import sympy as sp


def check_am_gm_is_a_square():
    a, b = sp.symbols("a b", real=True)
    assert sp.simplify((a**2 + b**2) / 2 - sp.Abs(a) * b - (sp.Abs(a) - b) ** 2 / 2) == 0


def check_equality_only_when_balanced():
    A, b = sp.symbols("A b", nonnegative=True)
    assert sp.solve(sp.Eq((A**2 + b**2) / 2, A * b), b) == [A]


def check_relu_homogeneity_preserves_outputs():
    values = [Fraction(k, 3) for k in range(-4, 5)]
    for a, w1, w2, x1, x2 in itertools.product(values, repeat=5):
        s = 1 if a >= 0 else -1
        u1, u2 = abs(a) * w1, abs(a) * w2
        assert a * max(0, x1 * w1 + x2 * w2) == s * max(0, x1 * u1 + x2 * u2)


def check_lift_is_balanced_and_inverse():
    u = sp.Matrix(sp.symbols("u1 u2 u3", real=True))
    norm = sp.sqrt(u.dot(u))
    w, a = u / sp.sqrt(norm), sp.sqrt(norm)
    assert sp.simplify(w.dot(w) - a**2) == 0
    assert sp.simplify((a * w - u).norm()) == 0


def check_rescaling_derivative():
    t, a, b = sp.symbols("t a b", positive=True)
    assert sp.simplify(sp.diff(((t * a) ** 2 + b**2 / t**2) / 2, t).subs(t, 1) - (a**2 - b**2)) == 0
