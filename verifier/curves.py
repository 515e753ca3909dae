"""Exact probability curves: p_opt(m), the chance that a random width-m initialization starts in a region whose
closure holds an (epsilon-)global minimum, for every width m at once (docs/mathematics.md, "Exact probability
curves").

A width-m initialization is m independent draws of a signed pattern p with probability pi(p) (the uniform sampler:
pi = 1/(2P); the Gaussian one: pi = measure(sigma)/2); S is the set of distinct draws, exactly as in the census
(`samplers`). The classification of the sets S (`optimal_regions`: minimal optimal supports, maximal non-optimal
sets M_j, certified as claim `optimal-regions`) gives p_opt(m) = P(no M_j contains S) = sum_K c_K pi(K)^m
(`checker.optimal_regions.union_terms`): exact rationals under the uniform sampler, an interval under the Gaussian
one (interval arithmetic on the measures and their error bounds); the thresholds are the smallest widths with
p_opt(m) >= 1/2 and >= 99/100. When some maximal set stays open, both ends of the bracket are given instead.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from . import checker
from .arrangement import Arrangement, enumerate_chambers
from .checker.optimal_regions import THRESHOLDS, uniform_sizes, uniform_value
from .errors import InputError
from .instance import Instance
from .numbers import FIXED_BITS, MAX_DIGITS, fixed_shift, format_rational, to_fixed
from .optimal_regions import OptimalRegions, bits, named, optimal_regions
from .samplers import SAMPLERS

__all__ = ["CurvePoint", "Curve", "curve", "parse_widths", "MAX_WIDTH", "OptimalRegions", "optimal_regions"]

MAX_WIDTH = 10**7          # the largest width a curve is evaluated at


@dataclass(frozen=True)
class CurvePoint:
    """p_opt at one width in [low, high] / denominator (integers): exact when low == high (uniform sampler), a
    certified interval otherwise (Gaussian). Kept as integers: at large widths the exact value has tens of
    thousands of digits, and a Fraction would spend its time on a gcd."""

    width: int
    low: int
    high: int
    denominator: int

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def lower(self) -> Fraction:
        return Fraction(self.low, self.denominator)

    @property
    def upper(self) -> Fraction:
        return Fraction(self.high, self.denominator)

    @property
    def value(self) -> float:
        return (self.low + self.high) / (2 * self.denominator)

    def text(self, which: str = "low") -> str | None:
        """The exact endpoint as "p/q", or None when a part has more than MAX_DIGITS digits."""
        numerator = self.low if which == "low" else self.high
        if max(abs(numerator), self.denominator).bit_length() > 3.3 * MAX_DIGITS:
            return None
        return format_rational(Fraction(numerator, self.denominator))


@dataclass
class Curve:
    """p_opt(m) at the requested widths under `sampler`, the thresholds (smallest m with p_opt >= 1/2 and
    >= 99/100: an int when exact, a (low, high) bracket under the Gaussian sampler), or `inconclusive` with the
    reason (then no point is given)."""

    sampler: str
    regions: OptimalRegions
    points: list[CurvePoint]
    thresholds: dict[str, int | tuple[int, int] | None]
    measure_method: str = "exact"
    measure_error: float = 0.0
    seconds: float = 0.0
    document: dict | None = None
    reason: str = ""

    @property
    def certified(self) -> bool:
        return self.regions.certified and not self.reason

    @property
    def outcome(self) -> str:
        """certified, bracket (some maximal sets left open: every point is a proved [lower, upper]), or
        inconclusive."""
        return "certified" if self.certified else "bracket" if self.regions.bracketed and self.points else \
            "inconclusive"

    def to_dict(self) -> dict:
        """The JSON of `verifier curve --json`: exact values as "p/q" strings."""
        if self.outcome == "bracket":
            return {"outcome": "bracket", "reason": self.regions.reason, "sampler": self.sampler,
                    "open_maximal_sets": named(self.regions.open),
                    "supports": named(self.regions.supports),
                    "epsilon": format_rational(self.regions.epsilon),
                    "thresholds": {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.thresholds.items()},
                    "curve": [{"width": pt.width, "p_opt": [pt.text("low"), pt.text("high")],
                               "decimal": [float(pt.lower), float(pt.upper)]} for pt in self.points],
                    "seconds": round(self.seconds, 3)}
        if not self.certified:
            return {"outcome": "inconclusive", "reason": self.reason or self.regions.reason, "sampler": self.sampler}
        m_star = self.regions.smallest_support
        rows = []
        for pt in self.points:
            row = {"width": pt.width, "p_opt": pt.text() if pt.exact else [pt.text("low"), pt.text("high")],
                   "decimal": pt.value}
            row["p_contains_global"] = row["p_opt"] if pt.width >= m_star else None
            rows.append(row)
        return {"outcome": "certified", "sampler": self.sampler, "measure_method": self.measure_method,
                "measure_error": self.measure_error, "epsilon": format_rational(self.regions.epsilon),
                "epsilon_float": float(self.regions.epsilon),
                "C*": [format_rational(self.regions.lower), format_rational(self.regions.upper)],
                "smallest_support": m_star,
                "supports": named(self.regions.supports),
                "maximal_sets": len(self.regions.maximal),
                "thresholds": {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.thresholds.items()},
                "curve": rows, "seconds": round(self.seconds, 3)}


# --- 3. the curve ---------------------------------------------------------------------------------------------

def parse_widths(max_width: int | None = None, widths=None) -> list[int]:
    """The widths of a curve: 1..max_width, or an explicit list (comma-separated text or integers), each in
    1..MAX_WIDTH; InputError naming the option otherwise."""
    if max_width is not None and widths is not None:
        raise InputError("--widths", "give either --max-width or --widths, not both")
    if widths is not None:
        if isinstance(widths, str):
            try:
                widths = [int(w) for w in widths.split(",") if w.strip()]
            except ValueError:
                raise InputError("--widths", f"expected comma-separated positive integers, got {widths!r}") from None
        widths = sorted(set(int(w) for w in widths))
        if not widths or widths[0] < 1 or widths[-1] > MAX_WIDTH:
            raise InputError("--widths", f"expected widths between 1 and {MAX_WIDTH}")
        return widths
    max_width = 64 if max_width is None else max_width
    if isinstance(max_width, bool) or not isinstance(max_width, int) or not 1 <= max_width <= MAX_WIDTH:
        raise InputError("--max-width", f"expected an integer between 1 and {MAX_WIDTH}, got {max_width!r}")
    return list(range(1, max_width + 1))


def _uniform_points(sizes: dict[int, int], patterns: int, widths: list[int]) -> list[CurvePoint]:
    """Exact p_opt(m) = sum_k c_k k^m / (2P)^m at every width, by running powers (one multiplication per width
    and size), reduced by the primes of 2P (the only common factors: no gcd of huge integers)."""
    g = math.gcd(patterns, *sizes)
    sizes, patterns = {k // g: c for k, c in sizes.items()}, patterns // g
    primes = [q for q in range(2, patterns + 1)
              if patterns % q == 0 and all(q % f for f in range(2, math.isqrt(q) + 1))]
    points, powers, denominator, m = [], {k: 1 for k in sizes}, 1, 0
    for w in widths:
        if w - m > 64:
            powers = {k: k**w for k in sizes}
            denominator, m = patterns**w, w
        while m < w:
            powers = {k: p * k for k, p in powers.items()}
            denominator *= patterns
            m += 1
        numerator, reduced = sum(c * powers[k] for k, c in sizes.items()), denominator
        for q in primes:
            if not numerator:
                break
            if q == 2:
                shift = min((numerator & -numerator).bit_length(), (reduced & -reduced).bit_length()) - 1
                numerator, reduced = numerator >> shift, reduced >> shift
            while numerator % q == 0 and reduced % q == 0:
                numerator, reduced = numerator // q, reduced // q
        if not numerator:
            reduced = 1
        points.append(CurvePoint(w, numerator, numerator, reduced))
    return points


def _uniform_threshold(sizes: dict[int, int], patterns: int, theta: Fraction) -> int | None:
    """The smallest m with p_opt(m) >= theta (p_opt is non-decreasing): doubling, then bisection."""
    high = 1
    while uniform_value(sizes, patterns, high) < theta:
        high *= 2
        if high > MAX_WIDTH:
            return None
    low = high // 2   # p(low) < theta or low = 0
    while high - low > 1:
        mid = (low + high) // 2
        if uniform_value(sizes, patterns, mid) >= theta:
            high = mid
        else:
            low = mid
    return high


def _interval_terms(terms: dict[int, int], q: list[float], error: float) -> list[tuple[int, int, int]]:
    """(c_K, lo, hi) with pi(K) in [lo, hi] / 2^FIXED_BITS: pi(K) = sum of q_p over K within |K| times the error bound
    on each q_p, and (the true q_p summing to 1) pi(K) = 1 - pi(complement) within |complement| times it; the
    intersection of both, clipped to [0, 1]."""
    one, error = 1 << FIXED_BITS, Fraction(error)
    exact = [Fraction(x) for x in q]
    total = sum(exact, Fraction(0))
    out = []
    for K, c in terms.items():
        members = set(bits(K))
        inside = sum((exact[i] for i in members), Fraction(0))
        outside = total - inside
        low = max(inside - error * len(members), 1 - outside - error * (len(q) - len(members)))
        high = min(inside + error * len(members), 1 - outside + error * (len(q) - len(members)))
        out.append((c, max(0, to_fixed(low, False)), min(one, to_fixed(high, True))))
    return out


def _power(x: int, m: int, up: bool) -> int:
    """(x / 2^B)^m * 2^B (B = FIXED_BITS) rounded down (or up) at every step (`fixed_shift`): a lower (upper) bound,
    x in [0, 2^B]."""
    result, base = 1 << FIXED_BITS, x
    while m:
        if m & 1:
            result = fixed_shift(result * base, up)
        m >>= 1
        if m:
            base = fixed_shift(base * base, up)
    return result


def _interval_value(terms, m: int) -> tuple[int, int, int]:
    """A certified interval [low, high] / 2^FIXED_BITS for p_opt(m) = sum c_K pi(K)^m from the intervals of the
    pi(K)."""
    low = high = 0
    for c, lo, hi in terms:
        if c > 0:
            low, high = low + c * _power(lo, m, False), high + c * _power(hi, m, True)
        else:
            low, high = low + c * _power(hi, m, True), high + c * _power(lo, m, False)
    one = 1 << FIXED_BITS
    return max(0, low), min(one, high), one


def _interval_threshold(terms, theta: Fraction) -> tuple[int, int] | None:
    """A bracket [a, b] for the smallest m with p_opt(m) >= theta: b is a width whose certified lower value
    reaches theta, a - 1 one whose upper value stays below it (each endpoint checked on its own)."""
    b = 1
    while Fraction(_interval_value(terms, b)[0], 1 << FIXED_BITS) < theta:
        b *= 2
        if b > MAX_WIDTH:
            return None
    low, high = b // 2, b
    while high - low > 1:
        mid = (low + high) // 2
        if Fraction(_interval_value(terms, mid)[0], 1 << FIXED_BITS) >= theta:
            high = mid
        else:
            low = mid
    b, low, high = high, 0, high
    while high - low > 1:
        mid = (low + high) // 2
        if Fraction(_interval_value(terms, mid)[1], 1 << FIXED_BITS) < theta:
            low = mid
        else:
            high = mid
    return low + 1, b


def curve(instance: Instance, sampler: str = "uniform", max_width: int | None = None, widths=None,
          digits: int = 30, arrangement: Arrangement | None = None, regions: OptimalRegions | None = None,
          progress: Callable[[str], None] | None = None, stated: int | None = None) -> Curve:
    """p_opt(m) at the widths (1..max_width, default 64, or `widths`) under `sampler` ("uniform": exact rationals;
    "gaussian": certified intervals from the chamber measures and their error bounds), with the thresholds.
    The uniform values (the first `stated` of them, default all whose exact value has at most MAX_DIGITS digits per
    part: every exact value printed) and the thresholds are stated in the certificate, and the checker recomputes
    them; larger values are reported as decimals of the same certified formula. Raises InputError on a bad sampler
    or widths; an uncertifiable optimum gives a Curve with
    `outcome == "inconclusive"` and no points."""
    if sampler not in SAMPLERS:
        raise InputError("--sampler", f"unknown sampler {sampler!r} (choose one of {', '.join(SAMPLERS)})")
    chosen = parse_widths(max_width, widths)
    start = time.perf_counter()
    arrangement = arrangement or enumerate_chambers(instance.X)
    regions = regions or optimal_regions(instance, arrangement, digits=digits, progress=progress)
    if regions.bracketed:
        return _bracket(regions, sampler, chosen, arrangement, start, stated)
    if not regions.certified:
        return Curve(sampler, regions, [], {}, seconds=time.perf_counter() - start, reason=regions.reason)
    terms = regions.terms()
    count = len(regions.patterns)
    if sampler == "uniform":
        sizes = uniform_sizes(terms)
        points = _uniform_points(sizes, count, chosen)
        thresholds = {key: _uniform_threshold(sizes, count, theta) for key, theta in THRESHOLDS.items()}
        claim = dict(regions.document["claim"])
        claim["curve"] = [{"width": pt.width, "p": text} for pt in points[:stated]
                          for text in [pt.text()] if text is not None and len(text) <= 2 * MAX_DIGITS]
        claim["thresholds"] = {k: v for k, v in thresholds.items() if v is not None}
        doc = dict(regions.document, claim=claim)
        verdict = checker.check(doc)
        if not verdict.proved:
            return Curve(sampler, regions, [], {}, seconds=time.perf_counter() - start,
                         reason="the checker refused the curve: " + "; ".join(verdict.failures))
        return Curve(sampler, regions, points, thresholds, "exact", 0.0, time.perf_counter() - start, doc)
    probabilities = SAMPLERS[sampler].probabilities(arrangement)
    interval_terms = _interval_terms(terms, probabilities.q, probabilities.error)
    below = regions.smallest_support   # fewer draws than the smallest support: p_opt = 0 exactly, any sampler
    points = [CurvePoint(m, 0, 0, 1) if m < below else CurvePoint(m, *_interval_value(interval_terms, m))
              for m in chosen]
    thresholds = {key: _interval_threshold(interval_terms, theta) for key, theta in THRESHOLDS.items()}
    return Curve(sampler, regions, points, thresholds, probabilities.method, probabilities.error,
                 time.perf_counter() - start, regions.document)


def _bracket(regions: OptimalRegions, sampler: str, chosen: list[int], arrangement: Arrangement, start: float,
             stated: int | None) -> Curve:
    """p_opt(m) in [P(no proved nor open maximal set contains S), P(no proved one does)] (the checker's bracket: claim
    `optimal-regions` with `open` sets), both ends non-decreasing in m, so each threshold lies between the widths where
    the upper and the lower end reach it. No point when the checker refuses the stated ends."""
    low_terms, high_terms = regions.open_terms(), regions.terms()
    count = len(regions.patterns)
    if sampler == "uniform":
        low_sizes, high_sizes = uniform_sizes(low_terms), uniform_sizes(high_terms)
        points = []
        for m in chosen:
            low, high = uniform_value(low_sizes, count, m), uniform_value(high_sizes, count, m)
            denominator = math.lcm(low.denominator, high.denominator)
            points.append(CurvePoint(m, low.numerator * (denominator // low.denominator),
                                     high.numerator * (denominator // high.denominator), denominator))
        thresholds = {}
        for key, theta in THRESHOLDS.items():
            first, last = _uniform_threshold(high_sizes, count, theta), _uniform_threshold(low_sizes, count, theta)
            thresholds[key] = None if first is None else (first, last) if last is not None else None
        claim = dict(regions.document["claim"])
        claim["bracket"] = [{"width": pt.width, "low": low, "high": high} for pt in points[:stated]
                            for low, high in [(pt.text("low"), pt.text("high"))]
                            if low is not None and high is not None and max(len(low), len(high)) <= 2 * MAX_DIGITS]
        doc = dict(regions.document, claim=claim)
        verdict = checker.check(doc)
        if not verdict.proved:
            return Curve(sampler, regions, [], {}, seconds=time.perf_counter() - start,
                         reason="the checker refused the bracket: " + "; ".join(verdict.failures))
        return Curve(sampler, regions, points, thresholds, "exact", 0.0, time.perf_counter() - start, doc,
                     regions.reason)
    probabilities = SAMPLERS[sampler].probabilities(arrangement)
    low_intervals = _interval_terms(low_terms, probabilities.q, probabilities.error)
    high_intervals = _interval_terms(high_terms, probabilities.q, probabilities.error)
    points = []
    for m in chosen:
        low, _, one = _interval_value(low_intervals, m)
        _, high, _ = _interval_value(high_intervals, m)
        points.append(CurvePoint(m, low, high, one))
    thresholds = {}
    for key, theta in THRESHOLDS.items():
        first, last = _interval_threshold(high_intervals, theta), _interval_threshold(low_intervals, theta)
        thresholds[key] = None if first is None or last is None else (first[0], last[1])
    return Curve(sampler, regions, points, thresholds, probabilities.method, probabilities.error,
                 time.perf_counter() - start, regions.document, regions.reason)
