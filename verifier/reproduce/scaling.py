"""Section 2b, the threshold widths as a scaling law: the certified widths m_1/2 and m_0.99 at which p_opt(m)
(docs/mathematics.md §13) first reaches 1/2 and 0.99 under the uniform sampler, exact (p_opt is non-decreasing in
m, so each threshold is proved by its value and the one before), against the number of chambers P (§2) and the
coupon-collector width 2P ln(200P) (§4), on orthogonal, generic and teacher data."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..arrangement import enumerate_chambers
from ..families import generic as generic_instance
from ..families import orthogonal, teacher
from ..instance import Instance
from .base import Definition, Settings, named, save_instance
from .exact import CURVES_VERSION
from .experiment_a import LAMBDA_A

__all__ = ["DEFINITION", "Cases", "Scaling", "ScalingRow", "cases", "compute"]

KEY = "scaling"
TITLE = "2b. Threshold widths as a scaling law"
CLAIM = ("The width at which most regions hold a global minimum grows with the number of activation patterns P, at "
         "most of order P log P (min(n^d, 2^n) up to a log factor).")


@dataclass(frozen=True)
class Cases:
    """(family, instance): orthogonal data, generic integer data over an (n, d) grid, the authors' teacher data."""

    families: list[tuple[str, Instance]]

    @property
    def instances(self) -> list[Instance]:
        return [instance for _, instance in self.families]

    @property
    def parameters(self) -> list:
        return [CURVES_VERSION]

    @property
    def units(self) -> int:
        return 1


def cases(quick: bool, seed: int) -> Cases:
    orthogonal_ns = [2, 3, 4, 5] if quick else [2, 3, 4, 5, 6, 7, 8]
    grid = [(4, 2), (6, 2)] if quick else [(4, 2), (6, 2), (8, 2), (5, 3), (6, 3)]
    teachers = [(4, 8)] if quick else [(4, 8), (4, 10), (6, 8), (6, 10)]
    return Cases([("orthogonal", orthogonal(n)) for n in orthogonal_ns]
                 + [("generic", generic_instance(n, d, n * 10 + d)) for n, d in grid]
                 + [("teacher", teacher(n, d, LAMBDA_A, seed=100 * n + d)) for n, d in teachers])


@dataclass(frozen=True)
class ScalingRow:
    """One instance: its family and size, P, min(n^d, 2^n), 2P ln(200P) rounded up, and (when certified) the
    threshold widths and the minimal optimal supports (number, smallest size)."""

    family: str
    instance: str
    n: int
    d: int
    P: int
    order: int
    coupon: int
    certified: bool
    reason: str | None
    half: int | list | None = named(optional=True, default=None)
    ninety_nine: int | list | None = named(optional=True, default=None)
    supports: int | None = named(optional=True, default=None)
    support_size: int | None = named(optional=True, default=None)


@dataclass(frozen=True)
class Scaling:
    rows: list[ScalingRow]


def compute(settings: Settings, cases: Cases) -> Scaling:
    from ..curves import curve

    rows = []
    for family, instance in cases.families:
        result = curve(instance, "uniform", widths=[1])
        P = len(result.regions.patterns) // 2 or len(enumerate_chambers(instance.X))
        found = {}
        if result.certified:
            found = dict(half=result.thresholds["1/2"], ninety_nine=result.thresholds["99/100"],
                         supports=len(result.regions.supports), support_size=result.regions.smallest_support)
        rows.append(ScalingRow(family, save_instance(settings, instance), instance.n, instance.d, P,
                               min(instance.n ** instance.d, 2 ** instance.n), math.ceil(2 * P * math.log(200 * P)),
                               result.certified, result.reason, **found))
    settings.tick()
    return Scaling(rows)


DEFINITION = Definition(KEY, TITLE, CLAIM, cases, compute, Scaling)
