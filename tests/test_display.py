"""One formatter for a number as far as it is known (`display.Estimate`): a value reads as the one number, bounds
that meet read as that number, bounds that differ as both ends, in either format, and exact strings from
certificates read as the rationals they are."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from verifier.display import Estimate, decimal, fact, readable, rounded

fractions = st.fractions(max_denominator=10**6).filter(lambda q: abs(q) < 10**9)


@given(fractions, fractions)
def test_bounds_read_as_their_ends_or_as_the_value_they_meet_at(low, high):
    low, high = min(low, high), max(low, high)
    estimate = Estimate(low, high)
    if low == high:
        assert estimate.text(15, stated=True) == "= " + decimal(low, 15)
        assert estimate.rounded(".4g", ".6g") == format(float(low), ".6g")
    else:
        assert estimate.text(15, stated=True) == f"in [{decimal(low, 15)}, {decimal(high, 15)}]"
        ends = f"{float(low):.4g}", f"{float(high):.4g}"
        # bounds that differ read as both ends, unless they round alike: then as that number, marked "≈"
        assert estimate.rounded() == (f"≈{ends[0]}" if ends[0] == ends[1] else f"[{ends[0]}, {ends[1]}]")
    assert estimate.text() == estimate.text(stated=True).removeprefix("= ").removeprefix("in ")


@given(fractions)
def test_a_certificate_string_is_the_rational_it_writes(value):
    text = f"{value.numerator}/{value.denominator}"
    assert Estimate.of(text) == Estimate.of(value) == Estimate(value, value)
    assert readable(text) == decimal(value)
    assert fact([text, text]) == f"[{readable(text)}, {readable(text)}]"


def test_nothing_known_reads_as_not_available():
    assert rounded(None) == "n/a" and rounded(0.5) == "0.5" and rounded((0.25, 0.5)) == "[0.25, 0.5]"
    assert Estimate.of((Fraction(1, 4), Fraction(1, 4))).is_value
    narrow = Estimate(Fraction(1, 3), Fraction(1, 3) + Fraction(1, 10**20))
    assert narrow.rounded(".12g") == "≈0.333333333333" and narrow.rounded(stated=True) == "≈ 0.3333"


def test_a_set_of_values_reads_as_a_set_and_brackets_that_meet_at_the_digits_shown_read_approximately():
    """`check` on an every-width certificate: the spurious values per width are a list of brackets; exact points
    print exactly, brackets narrower than the digits shown as '≈v', wider ones as [low, high]; a sentence's '[v, v]'
    reads '≈v'."""
    from verifier.display import fact

    near = ["134840163993333/1000000000000000", "134840163993334/1000000000000000"]
    assert fact([["19/64", "19/64"], near, ["1/2", "3/4"]]) == \
        "{0.296875 (= 19/64), ≈0.134840163993, [0.5 (= 1/2), 0.75 (= 3/4)]}"
    assert fact(near) == "[0.134840163993, 0.134840163993]"      # one bracket: both ends as found
    assert fact(f"exactly those in [{near[0]}, {near[1]}], [1/2, 3/4]") == "exactly those in ≈0.134840163993, [1/2, 3/4]"
