"""Closed forms used as test oracles (docs §7 and the one-dimensional instance).

One dimension, x = (-1, 1), y = (1, 1/2), n = 2 (chamber w > 0 is '-+', w < 0 is '+-'):
C({('-+', +)}) = 1/4 + lambda/2 - lambda^2 at u = 1/2 - 2 lambda (lambda < 1/4; 5/16 beyond);
C({('+-', +)}) = L*_1 = 1/16 + lambda - lambda^2 at u = -(1 - 2 lambda) (lambda < 1/2);
C* = 3 lambda/2 - 2 lambda^2 (lambda < 1/4). The first exceeds L*_1 iff lambda < 3/8, but it is a point of the
open chamber only for lambda < 1/4, so the spurious local minimum exists exactly for 0 < lambda < 1/4.

Orthogonal data (x_i = e_i): C* = sum over groups G in {positive, negative} of lambda ||y_G|| - n lambda^2/2 when
||y_G|| > n lambda, and ||y_G||^2/(2n) otherwise (one neuron per group, u = (1 - n lambda/||y_G||) y_G).

Used by: tests/test_optimum.py and tests/test_landscape.py as oracles; not by the checker.
"""

import sympy as sp


def check_one_dimensional_regions():
    lam = sp.symbols("lambda", positive=True)
    u = sp.symbols("u", real=True)
    right = (1 + (u - sp.Rational(1, 2)) ** 2) / 4 + lam * u        # neuron active on x = 1 only
    u_right = sp.solve(sp.diff(right, u), u)[0]
    assert sp.simplify(u_right - (sp.Rational(1, 2) - 2 * lam)) == 0
    assert sp.simplify(right.subs(u, u_right) - (sp.Rational(1, 4) + lam / 2 - lam**2)) == 0
    left = ((u - 1) ** 2 + sp.Rational(1, 4)) / 4 + lam * u            # v = -w u > 0 fits x = -1
    u_left = sp.solve(sp.diff(left, u), u)[0]
    assert sp.simplify(left.subs(u, u_left) - (sp.Rational(1, 16) + lam - lam**2)) == 0
    both = ((u - 1) ** 2 + (sp.symbols("v") - sp.Rational(1, 2)) ** 2) / 4 + lam * (u + sp.symbols("v"))
    stationary = sp.solve([sp.diff(both, u), sp.diff(both, sp.symbols("v"))], [u, sp.symbols("v")])
    assert sp.simplify(both.subs(stationary) - (3 * lam / 2 - 2 * lam**2)) == 0
    gap = sp.factor((sp.Rational(1, 4) + lam / 2 - lam**2) - (sp.Rational(1, 16) + lam - lam**2))
    assert sp.simplify(gap - (sp.Rational(3, 8) - lam) / 2) == 0


def check_orthogonal_group_neuron():
    lam, n, norm = sp.symbols("lambda n N", positive=True)
    t = sp.symbols("t", nonnegative=True)   # u = t y_G / ||y_G||, prediction on the group's rows
    value = (t - norm) ** 2 / (2 * n) + lam * t
    t_star = sp.solve(sp.diff(value, t), t)[0]
    assert sp.simplify(t_star - (norm - n * lam)) == 0
    assert sp.simplify(value.subs(t, t_star) - (lam * norm - n * lam**2 / 2)) == 0
    assert sp.simplify(value.subs(t, 0) - norm**2 / (2 * n)) == 0
