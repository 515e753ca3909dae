"""Section 2, necessity on orthogonal data (docs/mathematics.md §7): for x_i = e_i (P = 2^n chambers) a width of
order 2^n is also necessary.

It certifies the exact curve p_opt(m) (docs/mathematics.md §13, from the claim `optimal-regions`) and compares it,
as exact rationals, with the closed form of §7, 1 - (1-a)^m - (1-b)^m + (1-a-b)^m with a = 2^-(n_+ + 1),
b = 2^-(n_- + 1); the census (certified classes, §4) is the sampled cross-check at a few widths."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..families import orthogonal
from ..instance import Instance
from ..landscape import Context
from ..samplers import SAMPLERS
from .base import Definition, Settings, census_row, named, save_instance
from .exact import CURVES_VERSION, ExactCurves, exact_curves

__all__ = ["DEFINITION", "Cases", "Necessity", "NecessityCase", "cases", "compute", "closed_form"]

KEY = "necessity"
TITLE = "2. Necessity on orthogonal data"
CLAIM = ("For orthogonal data (P = 2^n) a width of order 2^n is also necessary: with fewer neurons most regions do "
         "not contain a global minimum.")


@dataclass(frozen=True)
class Cases:
    """The values of n, the census widths (each n's 2^n among them), the samples and the limit of the exhaustive
    census."""

    ns: list[int]
    widths: list[int]
    samples: int
    limit: int

    @property
    def instances(self) -> list[Instance]:
        return [orthogonal(n) for n in self.ns]

    @property
    def parameters(self) -> list:
        return [self.ns, self.widths, self.samples, self.limit, CURVES_VERSION]

    @property
    def units(self) -> int:
        return len(self.ns) * len(self.widths)


def cases(quick: bool, seed: int) -> Cases:
    if quick:
        return Cases([3, 4], [2, 8, 16], 40, 600)
    # The exact curve is the backbone at every width; the census is the cross-check. Exhaustive only up to 20,000
    # sets (n = 3 at m <= 8): an exhaustive census of all 65,535 sets of n = 3 costs about 3 minutes per width and
    # 2,000 sampled draws check the same exact value in seconds.
    return Cases([3, 4, 5], [2, 8, 16, 32, 64], 2000, 20_000)


def closed_form(n_plus: int, n_minus: int, m: int) -> Fraction:
    """docs/mathematics.md §7: P(some positive draw covers the positive labels and some negative draw the negative
    ones) = 1 - (1-a)^m - (1-b)^m + (1-a-b)^m, a = 2^-(n_+ + 1), b = 2^-(n_- + 1) (0 at m = 1: L*_1 > C*)."""
    a, b = Fraction(1, 2 ** (n_plus + 1)), Fraction(1, 2 ** (n_minus + 1))
    return 1 - (1 - a) ** m - (1 - b) ** m + (1 - a - b) ** m


@dataclass(frozen=True)
class NecessityCase:
    """One n: the instance file, 2^n, the label counts, the census rows (each with the closed form at its width,
    `closed_form`), the exact curves and at how many of their widths the exact curve equals the closed form."""

    instance: str
    n: int
    two_to_n: int = named("2^n")
    n_plus: int = named()
    n_minus: int = named()
    rows: list[dict] = named()
    curves: ExactCurves = named()
    closed_form_agrees: int = named()
    closed_form_widths: int = named()


@dataclass(frozen=True)
class Necessity:
    cases: list[NecessityCase]


def compute(settings: Settings, cases: Cases) -> Necessity:
    from ..curves import curve

    out = []
    for instance in cases.instances:
        n_plus = sum(1 for v in instance.y if v > 0)
        rows = []
        for m in cases.widths:
            row = census_row(settings, KEY, Context(instance, m), samples=cases.samples, limit=cases.limit,
                             seed=settings.seed + m, local_minima=False)
            row["closed_form"] = float(closed_form(n_plus, instance.n - n_plus, m))
            rows.append(row)
        curves = exact_curves(instance, cases.widths, list(SAMPLERS))
        exact = curve(instance, "uniform", widths=curves.samplers["uniform"].widths) if curves.certified else None
        agree = sum(1 for pt in exact.points if pt.lower == closed_form(n_plus, instance.n - n_plus, pt.width)) \
            if exact is not None and exact.certified else 0
        out.append(NecessityCase(save_instance(settings, instance), instance.n, 2 ** instance.n, n_plus,
                                 instance.n - n_plus, rows, curves, agree,
                                 len(exact.points) if exact is not None else 0))
    return Necessity(out)


DEFINITION = Definition(KEY, TITLE, CLAIM, cases, compute, Necessity)
