"""Public hypothesis strategies that build valid objects directly (no filtering), so failures shrink to
few points, small integers and small widths.

    >>> from hypothesis import given
    >>> from verifier.strategies import instances
    >>> @given(instances(n=4, d=2))
    ... def test_counts(instance): ...
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from .instance import Instance
from .network import Network

__all__ = ["instances", "tiny_instances", "networks", "signed_pattern_sets"]

# integer vectors with integer norms, so that balanced neurons (|a| = ||w||) stay rational
_PYTHAGOREAN = {1: [(1,)], 2: [(1, 0), (0, 1), (3, 4), (4, -3), (5, 12), (-12, 5)],
                3: [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 2, 2), (2, -1, 2), (2, 2, -1), (3, 4, 0)]}


def _strategy(value, default):
    if value is None:
        return default
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


@st.composite
def instances(draw, n=None, d=None, entries=None, labels=None, lam=None, width=None,
              general_position: bool = False, orthogonal: bool = False) -> Instance:
    """Instances with integer data.

    n, d, entries, labels, lam, width: a value or a strategy (defaults: n in 1..6, d in 1..3, entries
    and labels in -4..4, lambda in {1/100, ..., 1/2}, no width). general_position=True draws rows
    +-(1, t, t^2, ...) with distinct t >= 1 (any d of them independent); orthogonal=True draws the
    rows e_1..e_n scaled by positive integers (d = n).
    """
    n = draw(_strategy(n, st.integers(1, 6)))
    if orthogonal:
        d = n
        scales = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
        X = [[scales[i] * (i == j) for j in range(d)] for i in range(n)]
    else:
        d = draw(_strategy(d, st.integers(1, 3)))
        if general_position:
            ts = draw(st.lists(st.integers(1, 2 * n + 2), min_size=n, max_size=n, unique=True))
            signs = draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n))
            X = [[s * t**k for k in range(d)] for s, t in zip(signs, ts)]
        else:
            values = _strategy(entries, st.integers(-4, 4))
            X = draw(st.lists(st.lists(values, min_size=d, max_size=d), min_size=n, max_size=n))
    y = draw(st.lists(_strategy(labels, st.integers(-4, 4)), min_size=n, max_size=n))
    lam = draw(_strategy(lam, st.integers(1, 50).map(lambda k: Fraction(1, 2 * k))))
    m = draw(_strategy(width, st.none()))
    return Instance.from_arrays(X, y, lam, m)


def tiny_instances(d=None):
    """Instances small enough for a complete catalog in well under a second: n in 2..3, d in 1..2 (or `d`),
    entries in -2..2, width 1 or 2, lambda in {1/10, 1/20} (the differential tests of catalog, census, strictness)."""
    return instances(n=st.integers(2, 3), d=st.integers(1, 2) if d is None else d, entries=st.integers(-2, 2),
                     width=st.integers(1, 2), lam=st.sampled_from([Fraction(1, 10), Fraction(1, 20)]))


@st.composite
def networks(draw, instance: Instance, width=None, balanced: bool = False, dead=None) -> Network:
    """Networks for `instance` with small rational weights (shrinking to zero).

    balanced=True draws every neuron with |a_j| = ||w_j|| exactly (directions with integer norms, scaled by
    k/4); dead=True forces at least one zero neuron, dead=False none."""
    m = draw(_strategy(width, st.integers(1, 3)))
    d = instance.d
    a, W = [], []
    for j in range(m):
        if dead and j == 0:
            a.append(0)
            W.append([0] * d)
            continue
        low = 1 if dead is False else 0
        if balanced:
            directions = _PYTHAGOREAN.get(d) or [tuple(int(i == k) for i in range(d)) for k in range(d)]
            direction = draw(st.sampled_from(directions))
            norm = sum(x * x for x in direction) ** 0.5
            scale = Fraction(draw(st.integers(low, 8)), 4)
            W.append([scale * x for x in direction])
            a.append(draw(st.sampled_from([1, -1])) * scale * int(round(norm)))
        else:
            values = st.integers(-8, 8).map(lambda k: Fraction(k, 4))
            W.append(draw(st.lists(values, min_size=d, max_size=d)))
            nonzero = st.tuples(st.sampled_from([1, -1]), st.integers(1, 8)).map(lambda t: Fraction(t[0] * t[1], 4))
            a.append(draw(nonzero) if low else draw(values))
    return Network.from_arrays(a, W)


def signed_pattern_sets(arrangement, max_size: int = 3, min_size: int = 1):
    """Sets of signed patterns (sigma, s) of the arrangement's chambers, shrinking to few patterns."""
    from .convex import all_signed_patterns

    patterns = all_signed_patterns(arrangement)
    return st.lists(st.sampled_from(patterns), min_size=min_size, max_size=min(max_size, len(patterns)),
                    unique=True)
