"""Lemma 5.4 (interior certificate of a local minimum, docs §5). Let R put the m neurons in signed chambers, S(R)
the distinct ones. If a rational interior point u0 (every u0_k strictly inside K_sigma_k) has G(u0) <= U and,
for every pattern k of S(R) and every non-zero row i, the program "C(S(R)) with <x_i, u_k> = 0" has a dual
lower bound > U, then every minimizer u* of C(S(R)) is interior (no boundary point has value <= U, and
min <= G(u0) <= U), and the balanced lift theta* of u* is a local minimum of L of width m. If moreover a dual
lower bound of C(S(R)) exceeds the loss bound of some network of width <= m, theta* is spurious.

Used by: checker.region.check_region_minimum.

Argument: the boundary of prod_k cl K_sigma_k is the union over (k, facet i) of the sets <x_i, u_k> = 0 (u_k = 0
included), so the facet bounds exclude minimizers there. Near theta*, every neuron stays in its open chamber
with its sign, so L(theta) >= G(u(theta)) >= C(S(R)) = L(theta*) (balanced lift lemma; neurons sharing a pattern
merge by the triangle inequality). Weak duality gives the facet and region bounds.
"""

import itertools
from fractions import Fraction

from verifier.instance import Instance
from verifier.network import Network


def check_one_dimensional_spurious_minimum_by_exhaustive_perturbation():
    """lambda = 1/8: theta* = (a, w) = (1/2, 1/2) (u = 1/4 = 1/2 - 2 lambda). Every rational perturbation in a small
    box does not lower L, and the value 19/64 exceeds L*_1 = 1/16 + 1/8 - 1/64 = 11/64."""
    instance = Instance.from_arrays([[-1], [1]], [1, Fraction(1, 2)], Fraction(1, 8))
    star = Network.from_arrays([Fraction(1, 2)], [[Fraction(1, 2)]])
    value = star.loss(instance)
    assert value == Fraction(19, 64) > Fraction(11, 64)
    steps = [Fraction(k, 400) for k in range(-4, 5)]
    for da, dw in itertools.product(steps, repeat=2):
        nearby = Network.from_arrays([Fraction(1, 2) + da], [[Fraction(1, 2) + dw]])
        assert nearby.loss(instance) >= value


def check_facet_bound_exceeds_interior_value():
    """The facet of the chamber w > 0 is u = 0 with value 5/16; the interior value 1/4 + lambda/2 - lambda^2 is
    smaller by (lambda - 1/4)^2 > 0 for every lambda != 1/4."""
    for k in range(1, 40):
        lam = Fraction(k, 160)
        interior = Fraction(1, 4) + lam / 2 - lam**2
        assert Fraction(5, 16) - interior == (lam - Fraction(1, 4)) ** 2
