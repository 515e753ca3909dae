"""Exact rationals: parsing, formatting and integer-vector helpers.

Numbers are read exactly: integers, "p/q" strings and decimal strings or JSON decimals
("0.1" is 1/10). Floats (Python floats and numpy floating scalars) are read by the rule `FLOAT_RULE`: the
shortest decimal that rounds back to the same float in its own precision, read exactly (0.1 is 1/10, not
3602879701896397/36028797018963968; np.float32(0.1) is 1/10 too).

Size limits (every reader enforces them before doing arithmetic, so absurd input costs nothing):
an integer, numerator or denominator has at most `MAX_DIGITS` decimal digits, and a decimal's exponent is
at most `MAX_DIGITS` in absolute value. Data (X, y, lambda) must also lie within `MAX_MAGNITUDE`:
|x| < 10^300 and x = 0 or |x| > 10^-300, so that the untrusted float side can represent it.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Iterable, Sequence

from .errors import InputError

__all__ = [
    "FLOAT_RULE",
    "MAX_DIGITS",
    "parse_rational",
    "check_size",
    "format_rational",
    "primitive",
    "integer_row",
    "rref",
    "null_basis",
    "sqrt_upper",
    "FIXED_BITS",
    "to_fixed",
    "fixed_shift",
]


FLOAT_RULE = "shortest-decimal"
"""How a float becomes a rational: its shortest round-trip decimal, read exactly (reported in results)."""

MAX_DIGITS = 2000
_BOUND = 10**MAX_DIGITS


def check_size(q: Fraction, field: str) -> Fraction:
    """q itself, or InputError if its numerator or denominator has more than MAX_DIGITS digits."""
    for part in (q.numerator, q.denominator):
        if abs(part) >= _BOUND:
            raise InputError(field, f"a number with more than {MAX_DIGITS} digits (the limit)")
    return q


def parse_rational(value: object, field: str) -> Fraction:
    """Read `value` as an exact rational or raise InputError naming `field` (sizes: see the module).

    Accepts int, Fraction, Decimal, "p/q" and decimal strings, Python floats and numpy scalars (or 0-d
    arrays) of integer or floating dtype; floats follow `FLOAT_RULE`.

    Examples
    --------
    >>> parse_rational("3/4", "x"), parse_rational(0.1, "x"), parse_rational("1e-2", "x")
    (Fraction(3, 4), Fraction(1, 10), Fraction(1, 100))
    """
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind is not None and getattr(value, "ndim", None) == 0:   # a numpy scalar, read without importing numpy:
        # integers as int, floats as numpy's shortest round-trip decimal in their own precision (FLOAT_RULE)
        value = int(value) if kind in "iu" else Decimal(str(value)) if kind == "f" else value.item()
    if isinstance(value, bool):
        raise InputError(field, f"expected a number, got {value!r}")
    if isinstance(value, (int, Fraction)):
        return check_size(Fraction(value), field)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(field, f"expected a finite number, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        return _decimal(value, field)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 2 * MAX_DIGITS + 1:
            raise InputError(field, f"a number written with {len(text)} characters (more than the limit)")
        try:
            if "/" in text:
                p, _, q = text.partition("/")
                return check_size(Fraction(int(p), int(q)), field)
            number = Decimal(text)
        except (ValueError, ZeroDivisionError, InvalidOperation):
            raise InputError(field, f"{value!r} is not a number (use an integer, 'p/q' or a decimal)") from None
        return _decimal(number, field)
    raise InputError(field, f"expected a number, got {type(value).__name__} {value!r}")


def _decimal(number: Decimal, field: str) -> Fraction:
    if not number.is_finite():
        raise InputError(field, f"expected a finite number, got {number}")
    sign, digits, exponent = number.as_tuple()
    if abs(exponent) > MAX_DIGITS or len(digits) > MAX_DIGITS:
        raise InputError(field, f"{number} has an exponent or a digit count beyond the limit of {MAX_DIGITS}")
    return check_size(Fraction(number), field)


def format_rational(q: Fraction | int) -> str:
    """'p' for integers, 'p/q' otherwise."""
    q = Fraction(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def primitive(v: Sequence[int]) -> tuple[int, ...]:
    """v / gcd(v), oriented so that its first non-zero entry is positive (zero stays zero)."""
    g = math.gcd(*v)
    if g == 0:
        return tuple(v)
    lead = next(x for x in v if x)
    if lead < 0:
        g = -g
    return tuple(x // g for x in v)


def integer_row(row: Iterable[Fraction]) -> tuple[int, ...]:
    """A positive integer multiple of a rational vector (denominators cleared)."""
    row = list(row)
    scale = math.lcm(*(q.denominator for q in row)) if row else 1
    return tuple(int(q * scale) for q in row)


def rref(rows: Sequence[Sequence]) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form over Q: the non-zero rows and their pivot columns."""
    M = [[Fraction(x) for x in row] for row in rows]
    width = len(M[0]) if M else 0
    pivots: list[int] = []
    for col in range(width):
        top = len(pivots)
        pivot = next((i for i in range(top, len(M)) if M[i][col]), None)
        if pivot is None:
            continue
        M[top], M[pivot] = M[pivot], M[top]
        M[top] = [x / M[top][col] for x in M[top]]
        for i in range(len(M)):
            if i != top and M[i][col]:
                f = M[i][col]
                M[i] = [a - f * b for a, b in zip(M[i], M[top])]
        pivots.append(col)
    return M[: len(pivots)], pivots


def null_basis(rows: Sequence[Sequence], d: int) -> list[list[Fraction]]:
    """An exact basis of {w in Q^d : <row, w> = 0 for every row}."""
    R, pivots = rref(rows) if rows else ([], [])
    basis = []
    for free in (c for c in range(d) if c not in pivots):
        v = [Fraction(0)] * d
        v[free] = Fraction(1)
        for row, col in zip(R, pivots):
            v[col] = -row[free]
        basis.append(v)
    return basis


def sqrt_upper(x: Fraction, digits: int = 40) -> Fraction:
    """A rational q >= sqrt(x) (x >= 0) with q - sqrt(x) <= 10^-digits; exact when x is a rational square."""
    x = Fraction(x)
    p, q = math.isqrt(x.numerator), math.isqrt(x.denominator)
    if p * p == x.numerator and q * q == x.denominator:
        return Fraction(p, q)
    scale = 10**digits
    return Fraction(math.isqrt(x.numerator * scale * scale // x.denominator) + 1, scale)


FIXED_BITS = 256
"""The fixed point of certified intervals computed from float-fed numbers (the Gaussian curves): an endpoint is an
integer k standing for k / 2^FIXED_BITS."""


def to_fixed(x: Fraction, up: bool) -> int:
    """x * 2^FIXED_BITS rounded to an integer: down (floor) for a lower endpoint, up (ceil) when `up`, so
    to_fixed(x, False) <= x * 2^FIXED_BITS <= to_fixed(x, True): an interval stays outward-rounded."""
    scaled = Fraction(x) * (1 << FIXED_BITS)
    return math.ceil(scaled) if up else math.floor(scaled)


def fixed_shift(value: int, up: bool, bits: int = FIXED_BITS) -> int:
    """value / 2^bits rounded to an integer: down (floor) for a lower endpoint, up (ceil) when `up`. A product of
    two fixed-point numbers shifted back to the fixed point (fixed_shift(a * b, up)) rounds outward the same way."""
    return -((-value) >> bits) if up else value >> bits
