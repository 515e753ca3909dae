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

__all__ = ["instances"]


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
