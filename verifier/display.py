"""How results read: exact rationals for JSON, readable decimals for people, counts as words."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, Mapping

from .numbers import format_rational

__all__ = ["to_json", "decimal", "counts", "quantity", "table"]

_SHORT = 24   # an exact rational is shown beside its decimal when it is at most this many characters
_HUGE, _TINY = Fraction(10) ** 300, Fraction(1, 10**300)   # within float range, floats print the decimal


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
    >>> decimal(Fraction(10**2000, 3)), decimal(Fraction(-1, 10**5000))    # beyond floats: no overflow
    ('3.33333333333e+1999', '-1e-5000')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        return str(value)
    if isinstance(value, float) or value == 0 or _TINY < abs(value) < _HUGE:
        text = f"{float(value):.{digits}g}"
    else:
        with localcontext() as context:
            context.prec = digits
            q = Decimal(value.numerator) / Decimal(value.denominator)
            text = f"{q.normalize():.{digits}g}".replace("E", "e")
    if isinstance(value, Fraction) and 1 < value.denominator < 10**_SHORT and abs(value.numerator) < 10**_SHORT \
            and len(format_rational(value)) <= _SHORT:
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

def table(rows: list[dict], cell=str, limit: int | None = None) -> list[str]:
    """Records with the same keys as aligned text columns: a header of the keys, then one line per record
    (`cell` formats a value); with `limit`, at most that many records and a line counting the rest.

    Examples
    --------
    >>> for line in table([{"face": "+-:+", "strict": "strict"}, {"face": "0+:-", "strict": "non-strict"}]):
    ...     print(line)
    face  strict
    +-:+  strict
    0+:-  non-strict
    """
    shown = rows if limit is None else rows[:limit]
    keys = list(dict.fromkeys(key for row in shown for key in row))
    cells = [[key.replace("_", " ") for key in keys]] + [[cell(row[key]) if key in row else "" for key in keys]
                                                         for row in shown]
    widths = [max(len(line[k]) for line in cells) for k in range(len(keys))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip() for line in cells]
    if len(shown) < len(rows):
        lines.append(f"... {len(rows) - len(shown)} more")
    return lines
