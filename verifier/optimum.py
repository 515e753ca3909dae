"""Certified bounds on C(S), the convex optimum C* and the width-m optimum L*_m (docs §3).

Every bound comes with a certificate; `certified` is the checker's verdict on it, and only a certified
bound is ever reported as a result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Callable

from . import checker
from .arrangement import Arrangement, enumerate_chambers
from .certificates import bounds_certificate
from .convex import ConvexPrograms, SignedPattern, Solution, all_signed_patterns
from .instance import Instance
from .numbers import format_rational
from .polish import FLOAT_DIGITS, Dual, Neuron, dual_certificate, extend_dual, network_value, polish_point

__all__ = ["Bounds", "certify_region", "certify_convex_optimum", "certify_width_optimum"]


@dataclass(repr=False)
class Bounds:
    """lower <= quantity <= upper, proved by `document` when `certified`; `neurons` attain the upper bound."""

    quantity: str
    lower: Fraction
    upper: Fraction
    document: dict
    neurons: list[Neuron]
    duals: list[Dual]
    certified: bool
    failures: list[str] = field(default_factory=list)
    solves: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The quantity with its width: `C*`, `C(S)`, or `L*_2` for L*_m at width m = 2 (the width is the one the
        certificate's claim states)."""
        width = self.document.get("claim", {}).get("width") if self.quantity == "L*_m" else None
        return f"L*_{width}" if width else self.quantity

    @property
    def relative_gap(self) -> Fraction:
        return (self.upper - self.lower) / max(abs(self.upper), Fraction(1, 10**30))

    def __repr__(self) -> str:
        return (f"<Bounds {float(self.lower):.12g} <= {self.name} <= {float(self.upper):.12g}, relative gap "
                f"{float(self.relative_gap):.1e}, {'certified' if self.certified else 'NOT certified'}>")

    def to_dict(self) -> dict:
        """Exact bounds as "p/q" strings beside their floats (what `verifier solve --json` prints)."""
        return {"lower": format_rational(self.lower), "upper": format_rational(self.upper),
                "lower_float": float(self.lower), "upper_float": float(self.upper),
                "relative_gap": float(self.relative_gap), "certified": self.certified}


_STALLED = "high-precision polishing stalled: the certificate uses the float-precision point (a wider interval)"


def _finish(instance: Instance, quantity: str, neurons: list[Neuron], duals: list[Dual], digits: int,
            solves: int = 1, precise: bool = True, **context) -> Bounds:
    document = bounds_certificate(instance, quantity, neurons, duals, digits, **context)
    verdict = checker.check(document)
    claim = document["claim"]
    return Bounds(quantity, Fraction(claim["lower"]), Fraction(claim["upper"]), document, neurons, duals,
                  verdict.proved, verdict.failures, solves, [] if precise else [_STALLED])


def _solve_and_certify(instance: Instance, programs: ConvexPrograms, patterns: list[SignedPattern],
                       digits: int, solution: Solution | None = None) -> tuple[list[Neuron], Dual, bool]:
    """Polished neurons, their dual certificate, and whether the polish reached 10^-digits."""
    neurons, precise = polish_point(instance, solution or programs.solve(patterns), digits)
    return neurons, dual_certificate(instance, neurons, patterns, digits + 10), precise


def certify_region(instance: Instance, patterns: list[SignedPattern], programs: ConvexPrograms | None = None,
                   digits: int = 30, arrangement: Arrangement | None = None,
                   decided: Callable[[Fraction, Fraction], bool] | None = None) -> Bounds:
    """lower <= C(S) <= upper for the set S of signed patterns (chambers of `arrangement`, the instance's).

    With `decided(lower, upper)`, a certificate at float precision (gap ~1e-13, no high-precision step) is
    built first and returned when the checker accepts it and its bounds already decide the caller's
    question; the 10^-digits certificate is built only otherwise."""
    patterns = sorted(set(patterns))
    arrangement = arrangement or enumerate_chambers(instance.X)
    programs = programs or ConvexPrograms(instance)
    solution = programs.solve(patterns)
    if decided is not None and digits > FLOAT_DIGITS:
        neurons, dual, _ = _solve_and_certify(instance, programs, patterns, FLOAT_DIGITS, solution)
        quick = _finish(instance, "C(S)", neurons, [dual], FLOAT_DIGITS, patterns=patterns, arrangement=arrangement)
        if quick.certified and decided(quick.lower, quick.upper):
            return quick
    neurons, dual, precise = _solve_and_certify(instance, programs, patterns, digits, solution)
    return _finish(instance, "C(S)", neurons, [dual], digits, precise=precise, patterns=patterns,
                   arrangement=arrangement)


def certify_convex_optimum(instance: Instance, arrangement: Arrangement, programs: ConvexPrograms | None = None,
                           digits: int = 30) -> Bounds:
    """lower <= C* <= upper, C* = C(all 2P signed patterns); the neurons of the upper bound form a
    network whose width is the support size."""
    patterns = all_signed_patterns(arrangement)
    neurons, dual, precise = _solve_and_certify(instance, programs or ConvexPrograms(instance), patterns, digits)
    return _finish(instance, "C*", neurons, [dual], digits, precise=precise, arrangement=arrangement)


def certify_width_optimum(instance: Instance, arrangement: Arrangement, width: int,
                          programs: ConvexPrograms | None = None, digits: int = 30,
                          progress: Callable[[int, int], None] | None = None) -> Bounds:
    """lower <= L*_m <= upper with L*_m = min over |S| <= m of C(S).

    If an optimal C* network has at most m neurons, L*_m = C*. Otherwise every set of m patterns must
    lie inside the patterns where some residual is dual-feasible: solve an uncovered m-set S; its residual
    (bound ~ C(S) >= L*_m) covers every m-set among the patterns where it is feasible (C is monotone).
    """
    programs = programs or ConvexPrograms(instance)
    patterns = all_signed_patterns(arrangement)
    neurons, dual, precise = _solve_and_certify(instance, programs, patterns, digits)   # C*: checked only as L*_m
    if len(neurons) <= width:
        return _finish(instance, "L*_m", neurons, [dual], digits, precise=precise, arrangement=arrangement,
                       width=width)
    candidates = list(combinations(range(len(patterns)), min(width, len(patterns))))
    duals: list[Dual] = []
    covering: list[frozenset[int]] = []
    best: tuple[Fraction, list[Neuron]] | None = None
    for done, chosen in enumerate(candidates):
        if progress:
            progress(done, len(candidates))
        if any(covered.issuperset(chosen) for covered in covering):
            continue
        neurons, dual, _ = _solve_and_certify(instance, programs, [patterns[i] for i in chosen], digits)
        dual = extend_dual(instance, dual, patterns)
        duals.append(dual)
        covering.append(frozenset(i for i, p in enumerate(patterns) if p in dual.multipliers))
        value = network_value(instance, neurons, digits)
        if best is None or value < best[0]:
            best = (value, neurons)
    if progress:
        progress(len(candidates), len(candidates))
    return _finish(instance, "L*_m", best[1], duals, digits, solves=len(duals) + 1, arrangement=arrangement,
                   width=width)
