"""Which signed faces can hold a neuron of a local minimum, given a ball around its residual (docs/mathematics.md
§12; proofs/lemma_every_width.py, Lemma 12.1): the exact test (c)/(d) of the catalog on the enclosure
||r* - r0||^2 <= rho2 of a region's optimal residual, in integer arithmetic.

Each test compares a linear or quadratic form of r0 with the radius. Over a common denominator the forms have integer
coefficients, and the comparisons are homogeneous, so after multiplying both sides by the same positive integer every
number is an integer: for a row g = g' / q (g' integer, q > 0), a centre r0 = K / D (K integer, D > 0) and rho2 =
num / den,

    <g, r0> = <g', K> / (q D),   and   <g, r0>^2 >= rho2 ||g||^2   iff   <g', K>^2 den >= num ||g'||^2 D^2,

so q drops out. The tests are exactly those of `catalog.excluded_by_sign`, `excluded_by_norm` and
`excluded_by_multiplier` (the same booleans; tests/test_exclusion.py compares them), evaluated without fractions:
the every-width catalog of five points with a bias runs about two million of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from math import lcm

from ..lattice import rank
from .core import sigma
from .face import kink_multiplier_rows, sign_row, stationarity_rows

__all__ = ["Ball", "COARSE_BITS", "face_excluded"]

COARSE_BITS = 48


def _integer_row(row) -> tuple[tuple[int, ...], int]:
    """(q row, q) with q > 0 the least common denominator of the row's entries."""
    q = lcm(*(Fraction(x).denominator for x in row)) if row else 1
    return tuple(int(Fraction(x) * q) for x in row), q


@dataclass(frozen=True)
class _Centre:
    """A ball ||r - K / D||^2 <= num / den in integers."""

    K: tuple[int, ...]
    D: int
    num: int
    den: int

    @classmethod
    def of(cls, r0, rho2: Fraction) -> "_Centre":
        K, D = _integer_row(r0)
        return cls(K, D, rho2.numerator, rho2.denominator)


@dataclass(frozen=True)
class Ball:
    """The enclosure ||r* - r0||^2 <= rho2 of a region's optimal residual, and a coarser ball around r0 rounded to
    multiples of 2^-COARSE_BITS that contains it: ||r* - r0'||^2 <= 2 rho2 + 2 ||r0 - r0'||^2 (triangle inequality and
    (a + b)^2 <= 2a^2 + 2b^2). A test that holds on every point of the coarse ball holds on the ball; it runs on short
    numbers, and the exact ball is tried only when it fails."""

    r0: tuple[Fraction, ...]
    rho2: Fraction

    @cached_property
    def coarse(self) -> tuple[tuple[Fraction, ...], Fraction]:
        scale = 2**COARSE_BITS
        rounded = tuple(Fraction(round(x * scale), scale) for x in self.r0)
        return rounded, 2 * self.rho2 + 2 * sum((a - b) ** 2 for a, b in zip(self.r0, rounded))

    @cached_property
    def centres(self) -> tuple[_Centre, _Centre]:
        """The coarse ball, then the ball itself, in integers."""
        return _Centre.of(*self.coarse), _Centre.of(self.r0, self.rho2)


@dataclass(frozen=True)
class _Forms:
    """The forms of one signed face's tests, each scaled to integers: the sign rows (g', ||g'||^2) of
    `face.sign_row`; the rows of A = `face.stationarity_rows` over one common denominator, with the sum of their
    squares; and, for every chamber around the face and kink row z (independent kink rows only), the multiplier row
    sigma_z c_z (`face.kink_multiplier_rows`, signed by the chamber) with its squared norm."""

    signs: tuple[tuple[tuple[int, ...], int], ...]
    A: tuple[tuple[int, ...], ...]
    qA: int
    AA: int
    multipliers: tuple[tuple[tuple[int, ...], int], ...]

    @classmethod
    def of(cls, instance, tau: str, s: int, chambers: list[str]) -> "_Forms":
        A = stationarity_rows(instance, tau, s)
        signs = []
        for i, x in enumerate(instance.X):
            if tau[i] != "0":
                g, _ = _integer_row(sign_row(A, tau, x, i)[0])
                signs.append((g, sum(v * v for v in g)))
        qA = lcm(*(Fraction(x).denominator for row in A for x in row)) if A else 1
        rows = tuple(tuple(int(Fraction(x) * qA) for x in row) for row in A)
        zeros = [i for i, x in enumerate(instance.X) if tau[i] == "0" and any(x)]
        multipliers = []
        if zeros and rank([instance.X[i] for i in zeros]) == len(zeros):
            for chamber in chambers:
                sg = sigma(chamber)
                for z, row in zip(zeros, kink_multiplier_rows(instance, sigma(tau), s, zeros, sg)):
                    g, _ = _integer_row([sg[z] * v for v in row])
                    multipliers.append((g, sum(v * v for v in g)))
        return cls(tuple(signs), rows, qA, sum(v * v for row in rows for v in row), tuple(multipliers))

    def excluded(self, lam: Fraction, c: _Centre) -> bool:
        D2 = c.D * c.D
        for g, gg in self.signs:                # tau_i <x_i, p(r)> = <g, r> <= 0 on the ball
            v = -sum(a * b for a, b in zip(g, c.K))
            if v >= 0 and v * v * c.den >= c.num * gg * D2:
                return True
        Ln, Ld = lam.numerator, lam.denominator
        a = sum(sum(x * k for x, k in zip(row, c.K)) ** 2 for row in self.A) * c.den * Ld * Ld   # ||A r0||^2
        b = c.num * self.AA * D2 * Ld * Ld                                                       # (rho ||A||_F)^2
        l = Ln * Ln * self.qA * self.qA * D2 * c.den                                             # lambda^2
        slack = l + b - a                       # norm-low: ||A r0|| + rho ||A||_F < lambda
        if b < l and slack > 0 and slack * slack > 4 * l * b:
            return True
        slack = a - l - b                       # norm-high: ||A r0|| - rho ||A||_F > lambda
        if slack > 0 and slack * slack > 4 * l * b:
            return True
        for g, gg in self.multipliers:          # a kink multiplier negative on the whole ball
            v = sum(x * k for x, k in zip(g, c.K))
            if v < 0 and v * v * c.den > c.num * gg * D2:
                return True
        return False


def face_excluded(instance, tau: str, s: int, chambers: list[str], ball: Ball, cache: dict | None = None) -> bool:
    """No local minimum has a neuron in the signed face (F_tau, s) at any residual of the ball: p(r) = A_F r leaves F
    (a sign row), ||A_F r|| != lambda (norm-low, norm-high), or a docs §5 multiplier around a kink row is negative for
    a chamber around F (`chambers`: the chamber sign vectors whose closure contains F). Tried on the coarse ball first,
    then on the ball. Shared with the solver side; `cache` keeps each face's forms."""
    cache = {} if cache is None else cache
    key = (tau, s, tuple(chambers))
    if key not in cache:
        cache[key] = _Forms.of(instance, tau, s, chambers)
    forms = cache[key]
    return any(forms.excluded(instance.lam, centre) for centre in ball.centres)
