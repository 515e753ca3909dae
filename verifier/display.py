"""How results read: exact rationals for JSON, readable decimals for people, counts as words."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from .numbers import format_rational

__all__ = ["to_json", "decimal", "counts", "quantity"]

_SHORT = 24   # an exact rational is shown beside its decimal when it is at most this many characters


def to_json(value: Any) -> Any:
    """Fractions (and sequences of them) as ``{"exact": "p/q", "float": x}``; anything else unchanged.

    Examples
    --------
    >>> to_json(Fraction(19, 64))
    {'exact': '19/64', 'float': 0.296875}
    >>> to_json((Fraction(1, 2), Fraction(3)))
    {'exact': ['1/2', '3'], 'float': [0.5, 3.0]}
    """
    if isinstance(value, Fraction):
        return {"exact": format_rational(value), "float": float(value)}
    if isinstance(value, (tuple, list)) and value and all(isinstance(v, Fraction) for v in value):
        return {"exact": [format_rational(v) for v in value], "float": [float(v) for v in value]}
    return value


def decimal(value: Any, digits: int = 12) -> str:
    """A number for people: a decimal rounded to `digits` significant digits, and the exact rational beside it
    when that is short (long rationals are exact in `--json` and `to_dict()`).

    Examples
    --------
    >>> decimal(Fraction(19, 64))
    '0.296875 (= 19/64)'
    >>> decimal(Fraction(1, 3))
    '0.333333333333 (= 1/3)'
    >>> decimal(Fraction(10**30 + 1, 10**30))
    '1'
    >>> decimal(0.25), decimal(7)
    ('0.25', '7')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        return str(value)
    text = f"{float(value):.{digits}g}"
    if isinstance(value, Fraction) and value.denominator != 1 and len(format_rational(value)) <= _SHORT:
        return f"{text} (= {format_rational(value)})"
    return text


def counts(tally: Mapping[str, int]) -> str:
    """A tally as words, largest first: ``{"inconclusive": 16, "global-minimum": 4}`` -> '16 inconclusive, 4
    global-minimum'.

    Examples
    --------
    >>> counts({"global-minimum": 4, "inconclusive": 16})
    '16 inconclusive, 4 global-minimum'
    >>> counts({})
    'none'
    """
    items = sorted(tally.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return ", ".join(f"{n} {key}" for key, n in items) or "none"


def quantity(count: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number (both forms given: 'minimum' and 'minima' are not a rule).

    Examples
    --------
    >>> quantity(1, "spurious local minimum", "spurious local minima")
    '1 spurious local minimum'
    >>> quantity(0, "face", "faces"), quantity(2, "face", "faces")
    ('0 faces', '2 faces')
    """
    return f"{count} {singular if count == 1 else plural}"
