"""Lemma 5.2 (zero-gap identity, docs §5). If theta is balanced and every non-zero neuron meets
-(s_j/n) X^T D_sigma r + lambda u_j/||u_j|| = sum_{i in Z_j} mu_i sigma_i x_i (mu >= 0) for one chamber sigma
around u_j, then lambda sum_j ||u_j|| = (1/n) r^T (y - r) and L(theta) = (1/n)(r^T y - ||r||^2 / 2).
Corollary: if moreover r is dual-feasible on all 2P signed patterns, L(theta) <= C* <= L*_m <= L(theta): theta
is a global minimum; in particular a local minimum with a dead neuron is global (the dead neuron's
condition is exactly dual feasibility everywhere).

Used by: checker.network.check_network (verdict global-minimum; a zero neuron demands dual feasibility everywhere).

Argument: take the inner product of the condition with u_j: <x_i, u_j> = 0 on Z_j kills the right side and
D_sigma X u_j = (X u_j)_+ on cl K_sigma, so lambda ||u_j|| = (s_j/n) r^T (X u_j)_+; summing, lambda sum ||u_j|| =
(1/n) r^T f(X) = (1/n) r^T (y - r). Then L = ||r||^2/(2n) + lambda sum ||u_j|| (balanced) and weak duality closes
the chain.
"""

from fractions import Fraction

import sympy as sp

from verifier.checker import dual_value, prediction
from verifier.instance import Instance


def check_value_identity():
    n = 4
    r, y = sp.Matrix(sp.symbols("r1:5", real=True)), sp.Matrix(sp.symbols("y1:5", real=True))
    penalty = r.dot(y - r) / n          # lambda sum ||u_j||, by the inner-product argument
    loss = r.dot(r) / (2 * n) + penalty
    assert sp.expand(loss - (r.dot(y) - r.dot(r) / 2) / n) == 0


def check_on_an_exact_global_minimum():
    """x = (-1, 1), y = (1, 1/2), lambda = 3/8: the width-1 optimum u = -1/4 (a = 1/2, w = -1/2)."""
    instance = Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], Fraction(3, 8))
    u = [Fraction(-1, 4)]
    f = prediction(instance, [(1, u)])
    r = [yi - fi for yi, fi in zip(instance.y, f)]
    loss = sum(x * x for x in r) / (2 * instance.n) + instance.lam * abs(u[0])
    assert loss == dual_value(instance, r)
    assert instance.lam * abs(u[0]) == sum(a * b for a, b in zip(r, f)) / instance.n
