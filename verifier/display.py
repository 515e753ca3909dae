"""How results read: exact rationals for JSON, readable decimals for people, counts as words.

Every "a number as far as it is known" (an exact value, certified bounds lower <= value <= upper, a float estimate
or a Wilson interval) is an `Estimate` and reads through its two formats: `Estimate.text` (decimals, the exact
rational beside them when short) and `Estimate.rounded` (floats to a format spec, for tables). `readable` and
`fact` turn a result's details and a certificate's facts (records, lists, "p/q" strings) into text through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, Mapping, Union

from .numbers import format_rational

__all__ = ["Estimate", "to_json", "decimal", "rounded", "readable", "fact", "label", "facts_lines", "counts",
           "quantity", "table"]

Number = Union[Fraction, float, int]

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


@dataclass(frozen=True)
class Estimate:
    """A number as far as it is known: an exact value (lower == upper), certified bounds lower <= value <= upper
    (Fractions, e.g. L*_m from a certificate), or a float estimate or interval (e.g. a Wilson 95% interval).

    Examples
    --------
    >>> Estimate.of(Fraction(19, 64)).text(stated=True)
    '= 0.296875 (= 19/64)'
    >>> Estimate(Fraction(1, 3), Fraction(1, 2)).text(4, stated=True)
    'in [0.3333 (= 1/3), 0.5 (= 1/2)]'
    >>> Estimate.of((0.25, 0.3125)).rounded(), Estimate.of(0.123456789).rounded(value=".6g")
    ('[0.25, 0.3125]', '0.123457')
    """

    lower: Number
    upper: Number

    @classmethod
    def of(cls, value: Any) -> Estimate:
        """A pair (low, high) as an interval, a number or a "p/q" string as a value."""
        if isinstance(value, (tuple, list)):
            low, high = value
            return cls(_number(low), _number(high))
        return cls(_number(value), _number(value))

    @property
    def is_value(self) -> bool:
        """Known to be one number (the bounds meet)."""
        return self.lower == self.upper

    def text(self, digits: int = 12, *, stated: bool = False) -> str:
        """Decimals to `digits` significant digits (`decimal`): 'v' or '[low, high]'; `stated`: '= v' or
        'in [low, high]'."""
        if self.is_value:
            return ("= " if stated else "") + decimal(self.lower, digits)
        return ("in " if stated else "") + f"[{decimal(self.lower, digits)}, {decimal(self.upper, digits)}]"

    def rounded(self, interval: str = ".4g", value: str | None = None, *, stated: bool = False) -> str:
        """Floats to a format spec, for tables: an interval's ends by `interval`, a value by `value` (default: the
        same); `stated`: '= v' or 'in [low, high]'."""
        if self.is_value:
            return ("= " if stated else "") + format(float(self.lower), value or interval)
        low, high = format(float(self.lower), interval), format(float(self.upper), interval)
        if low == high:     # an interval narrower than the digits shown: "≈ v", never "[v, v]"
            return ("≈ " if stated else "≈") + low
        return ("in " if stated else "") + f"[{low}, {high}]"


def _number(value: Any) -> Number:
    """A number, or a string holding an exact one ("p/q", as certificates write them)."""
    return Fraction(value) if isinstance(value, str) else value


_FRACTION_TEXT = re.compile(r"-?\d+/\d+")


def rounded(value: Any, interval: str = ".4g", point: str | None = None, missing: str = "n/a") -> str:
    """`Estimate.rounded` of a value, a pair (low, high) or None (`missing`).

    Examples
    --------
    >>> rounded(None), rounded(0.3), rounded((0.25, 0.5))
    ('n/a', '0.3', '[0.25, 0.5]')
    """
    return missing if value is None else Estimate.of(value).rounded(interval, point)


def readable(value: Any) -> str:
    """A detail for people: numbers as decimals (exact rationals beside them when short), lists of numbers as
    [a, b, ...], records as 'key: value; ...', no Python reprs.

    Examples
    --------
    >>> readable({"loss": Fraction(19, 64), "rows": [1, 2]})
    'loss: 0.296875 (= 19/64); rows: [1, 2]'
    >>> readable("3/8"), readable([])
    ('0.375 (= 3/8)', 'none')
    """
    if isinstance(value, dict):
        return "; ".join(f"{key}: {readable(v)}" for key, v in value.items()) or "none"
    if isinstance(value, (list, tuple)):
        if not value:
            return "none"
        if all(isinstance(v, (int, float, Fraction)) and not isinstance(v, bool) for v in value):
            return "[" + ", ".join(decimal(v) for v in value) + "]"
        return ", ".join(readable(v) for v in value)
    if isinstance(value, str) and _FRACTION_TEXT.fullmatch(value):   # an exact rational from a certificate
        return decimal(Fraction(value))
    return decimal(value)


def fact(value: Any) -> str:
    """A certificate's fact for people: a pair of rationals as an interval, a record as 'key: value; ...', yes/no,
    a sentence with its long rationals as decimals, the rest as `readable`.

    Examples
    --------
    >>> fact(["1/4", "1/2"]), fact(True), fact({"strict_minimum": False})
    ('[0.25 (= 1/4), 0.5 (= 1/2)]', 'yes', 'strict minimum: no')
    """
    if _is_interval(value):
        return f"[{readable(value[0])}, {readable(value[1])}]"   # bounds as found, even when they meet
    if isinstance(value, list) and value and all(_is_interval(v) for v in value):
        return "{" + ", ".join(_value(*v) for v in value) + "}"  # a set of values (each exact or a bracket)
    if isinstance(value, dict):
        return "; ".join(f"{label(key)}: {fact(v)}" for key, v in value.items()) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and not _FACT_NUMBER.fullmatch(value):   # a sentence: its long rationals as decimals
        text = _NUMBER.sub(lambda match: match.group() if len(match.group()) <= _SHORT
                           else decimal(Fraction(match.group())), value)
        return _SAME_ENDS.sub(lambda match: f"≈{match.group(1)}", text)   # [v, v] at the digits shown: ≈v
    return readable(value)


def _is_interval(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) and _FACT_NUMBER.fullmatch(v)
                                                                for v in value)


def _value(low: str, high: str) -> str:
    """One value of a set: exact when its bracket is a point, '≈v' when the ends agree at the digits shown."""
    if Fraction(low) == Fraction(high):
        return readable(low)
    a, b = readable(low), readable(high)
    return f"≈{a}" if a == b else f"[{a}, {b}]"


_FACT_NUMBER = re.compile(r"~?-?[0-9][0-9.E+-]*(/[0-9]+)?")   # a fact's number: "p/q", "~1.5E-3", "7"
_NUMBER = re.compile(r"-?[0-9]+(/[0-9]+)?")
_SAME_ENDS = re.compile(r"\[(-?[0-9][0-9.eE+-]*), \1\]")


def label(key: str) -> str:
    """A fact's key for people: words joined by '_' as words; a symbol such as L*_m as it is."""
    return key.replace("_", " ") if key.replace("_", "").isalpha() else key


def facts_lines(facts: dict) -> list[str]:
    """What a certificate proved, for people: numbers as decimals (the exact value beside them when short),
    intervals as [low, high], tallies as words, lists of records (a catalog's spurious minima, its undecided
    faces) as tables of at most 20 rows. Every exact value is in --json."""
    lines = []
    for key, value in facts.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"  {label(key)} ({len(value)}):")
            lines += [f"    {text}" for text in table(value, fact, limit=20)]
        elif isinstance(value, dict) and value and all(type(v) is int for v in value.values()):
            lines.append(f"  {label(key)}: {counts({k: v for k, v in value.items() if v})}")
        else:
            lines.append(f"  {label(key)}: {fact(value)}")
    return lines


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
