"""The exact curves behind sections 1 and 2: the certified p_opt(m) (docs/mathematics.md §13) of an instance under
each sampler, from its optimal-regions classification (the minimal optimal supports T_i and the maximal sets
containing none, claim `optimal-regions`), at the census widths and at the widths a figure draws. Floats here are
for drawing and the cross-check; the thresholds are exact (uniform) or certified intervals (Gaussian)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..arrangement import enumerate_chambers
from ..checker.core import pattern_name
from ..instance import Instance
from .base import named

__all__ = ["CURVES_VERSION", "ExactCurves", "SamplerCurve", "exact_curves", "plot_widths"]

CURVES_VERSION = "curves-2"   # part of the cache key of the sections that draw exact curves


@dataclass(frozen=True)
class SamplerCurve:
    """p_opt(m) under one sampler at `widths`: bounds `low` <= p_opt(m) <= `high` (equal when exact), how the
    chamber measures were found (`method`, `error`) and the threshold widths ("1/2", "99/100": a width, a
    [first, last] range, or None beyond the widths evaluated)."""

    certified: bool
    reason: str | None
    method: str
    error: float
    widths: list[int]
    low: list[float]
    high: list[float]
    thresholds: dict


@dataclass(frozen=True)
class ExactCurves:
    """An instance's exact curves, or why they are inconclusive (`certified` False: only `reason` is set): the
    minimal optimal supports (`support_sets`, patterns named 'tau:s'), their number and smallest size m*, the number
    of maximal non-optimal sets, epsilon and the curve under each sampler."""

    certified: bool
    reason: str | None
    support_sets: list[list[str]] | None = named(optional=True, default=None)
    supports: int | None = named(optional=True, default=None)
    support_size: int | None = named(optional=True, default=None)
    maximal: int | None = named(optional=True, default=None)
    epsilon: float | None = named(optional=True, default=None)
    samplers: dict[str, SamplerCurve] | None = named(optional=True, default=None)

    def at(self, sampler: str, m: int) -> tuple[float, float] | None:
        """The exact value (or certified interval) of p_opt at a plotted width m under `sampler`."""
        entry = (self.samplers or {}).get(sampler)
        if not entry or not entry.certified or m not in entry.widths:
            return None
        k = entry.widths.index(m)
        return entry.low[k], entry.high[k]


def plot_widths(largest: int) -> list[int]:
    """Every width up to 64, then 120 log-spaced ones up to `largest`: where an exact curve is drawn."""
    dense = set(range(1, min(largest, 64) + 1))
    return sorted(dense | {int(round(m)) for m in np.geomspace(64, largest, 120)} if largest > 64 else dense)


def exact_curves(instance: Instance, census_widths: list[int], samplers: list[str]) -> ExactCurves:
    """The certified p_opt(m) (`curves`) under each sampler at the census widths and the plot widths up to
    max(largest census width, 2 x the 0.99 threshold), or the reason it is inconclusive."""
    from ..curves import curve
    from ..optimal_regions import optimal_regions

    arrangement = enumerate_chambers(instance.X)
    regions = optimal_regions(instance, arrangement)
    if not regions.certified:
        return ExactCurves(regions.certified, regions.reason)
    curves = {}
    for name in samplers:
        first = curve(instance, name, widths=[1], arrangement=arrangement, regions=regions)
        top = first.thresholds["99/100"]
        top = top[1] if isinstance(top, tuple) else top
        largest = max(census_widths)
        widths = sorted(set(plot_widths(max(largest, 2 * (top or largest)))) | set(census_widths))
        result = curve(instance, name, widths=widths, arrangement=arrangement, regions=regions)
        curves[name] = SamplerCurve(
            result.certified, result.reason, result.measure_method, result.measure_error, widths,
            [float(pt.lower) for pt in result.points], [float(pt.upper) for pt in result.points],
            {k: (list(v) if isinstance(v, tuple) else v) for k, v in result.thresholds.items()})
    return ExactCurves(regions.certified, regions.reason,
                       support_sets=[sorted(pattern_name(p.label, p.s) for p in T) for T in regions.supports],
                       supports=len(regions.supports), support_size=regions.smallest_support,
                       maximal=len(regions.maximal), epsilon=float(regions.epsilon), samplers=curves)
