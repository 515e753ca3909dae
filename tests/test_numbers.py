from decimal import Decimal
from fractions import Fraction

import pytest

from verifier.errors import InputError
from verifier.numbers import format_rational, parse_rational, primitive

READS = [
    (3, Fraction(3)), ("3", Fraction(3)), ("-2/6", Fraction(-1, 3)), ("0.1", Fraction(1, 10)),
    (0.1, Fraction(1, 10)), (Decimal("1.25"), Fraction(5, 4)), ("1e-3", Fraction(1, 1000)), (" 7/2 ", Fraction(7, 2)),
]


@pytest.mark.parametrize("value,expected", READS)
def test_reads_exactly(value, expected):
    assert parse_rational(value, "x") == expected


@pytest.mark.parametrize("value", ["abc", "1/0", "nan", "inf", float("nan"), float("inf"), True, None, [1], "1/2/3"])
def test_rejects_with_field_name(value):
    with pytest.raises(InputError, match=r"^lambda: "):
        parse_rational(value, "lambda")


def test_format_round_trips():
    for q in [Fraction(0), Fraction(5), Fraction(-3, 7)]:
        assert parse_rational(format_rational(q), "q") == q


def test_primitive_orients_and_reduces():
    assert primitive((0, -4, 6)) == (0, 2, -3)
    assert primitive((0, 0)) == (0, 0)


@pytest.mark.parametrize("x", [Fraction(0), Fraction(1), Fraction(1, 3), Fraction(-2, 7), Fraction(0.1),
                               Fraction(5, 2**300)])
def test_fixed_point_rounds_lower_endpoints_down_and_upper_ones_up(x):
    from verifier.numbers import FIXED_BITS, fixed_shift, to_fixed

    one = 1 << FIXED_BITS
    low, high = to_fixed(x, False), to_fixed(x, True)
    assert Fraction(low, one) <= x <= Fraction(high, one)
    assert high - low == (0 if (x * one).denominator == 1 else 1)   # exact on multiples of 2^-FIXED_BITS (floats)
    product = to_fixed(Fraction(2, 3), False) * to_fixed(x, True)
    down, up = fixed_shift(product, False), fixed_shift(product, True)
    assert Fraction(down, one) <= Fraction(product, one * one) <= Fraction(up, one)
    assert up - down == (0 if product % one == 0 else 1) and fixed_shift(-5, True, 1) == -2
