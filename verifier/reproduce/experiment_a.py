"""Section 1, sufficiency and favourability: the authors' Experiment A (docs/mathematics.md §10 (A)) on their
teacher data with both samplers, with certified region classes (docs/mathematics.md §4) instead of float
tolerances, and the exact curve p_opt(m) (docs/mathematics.md §13) as its backbone; panel (b) our generic
low-dimensional cases: in full mode with the exact curve as their backbone too, and sampled censuses at a few widths
as its cross-check (their exhaustive censuses at every small width took most of the full run).

It certifies, for every sampled (or, in panel (b), every enumerated) initialization, the class of its activation
region: `contains-global-min` when upper C(S) <= lower L*_m + 1e-9 L*_m (an epsilon-global minimum, epsilon proved),
`spurious-local-min` when lower C(S) > upper L*_m and the interior certificate (§5) proves a local minimum,
`no-local-min` when a pattern's dual constraint is strictly slack (claim `region-no-local-minimum`), and
`no-global-min` or `undecided` otherwise; and, from the claim `optimal-regions`, p_opt(m) exactly (uniform sampler)
or as a certified interval (Gaussian)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..arrangement import enumerate_chambers
from ..families import generic as generic_instance
from ..families import teacher
from ..instance import Instance
from ..landscape import Context
from ..samplers import SAMPLERS
from .base import Definition, Settings, census_row, named, save_instance
from .exact import CURVES_VERSION, ExactCurves, exact_curves

__all__ = ["DEFINITION", "Cases", "ExperimentA", "TeacherPanel", "GenericCase", "cases", "compute",
           "LAMBDA_A", "TOLERANCE_A"]

LAMBDA_A = Fraction(1, 100)   # the authors' beta = 0.01; their loss is twice ours, so lambda = beta
TOLERANCE_A = Fraction(1, 10**9)   # relative: a region holds a global minimum when upper C(S) <= lower L*_m + 1e-9 L*_m

KEY = "experiment-a"
TITLE = "1. Sufficiency and favourability (the authors' Experiment A)"
CLAIM = ("With width m of order P (here P = 2^n), almost every activation region contains a global minimum, and "
         "spurious local minima are a negligible fraction of the local minima.")


@dataclass(frozen=True)
class Cases:
    """The teacher instances (one per (n, d), data seed 100 n + d + run seed) and their census `widths` with `N`
    draws per (width, sampler); the generic instances (seed 10 n + d), censused exhaustively up to
    `generic_limit` sets, else with `generic_samples` draws, at `generic_widths` each, and with their exact curves
    when `generic_curves` (full mode)."""

    quick: bool
    teacher_cases: list[tuple[int, int]]
    widths: list[int]
    N: int
    generic_cases: list[tuple[int, int]]
    generic_samples: int
    generic_limit: int
    teachers: list[Instance]
    generics: list[Instance]
    generic_curves: bool = False

    @property
    def generic_widths(self) -> list[list[int]]:
        """The census widths of each generic instance, set by its number of signed patterns 2P: in full mode two
        small widths (exhaustive) and P, 2P, 4P (sampled, the cross-check of the exact curve)."""
        out = []
        for instance in self.generics:
            P2 = 2 * len(enumerate_chambers(instance.X))
            out.append(sorted({1, P2 // 2, P2, 2 * P2} if self.quick else {1, 2, P2 // 2, P2, 2 * P2}))
        return out

    @property
    def instances(self) -> list[Instance]:
        return self.teachers + self.generics

    @property
    def parameters(self) -> list:
        return [self.teacher_cases, self.widths, self.N, self.generic_cases, self.generic_samples,
                self.generic_limit, float(TOLERANCE_A), CURVES_VERSION, self.generic_curves]

    @property
    def units(self) -> int:
        return len(self.teachers) * len(self.widths) * len(SAMPLERS) + sum(map(len, self.generic_widths))


def cases(quick: bool, seed: int) -> Cases:
    teacher_cases = [(4, 8), (4, 10)] if quick else [(4, 8), (4, 10), (6, 8), (6, 10)]
    widths = [10, 160] if quick else [10, 40, 160, 640]   # the sampled cross-check of the exact curves
    generic_cases = [(6, 2)] if quick else [(6, 2), (5, 3)]
    return Cases(quick, teacher_cases, widths, 5 if quick else 20, generic_cases, 30 if quick else 1000,
                 50 if quick else 1000, [teacher(n, d, LAMBDA_A, seed=100 * n + d + seed) for n, d in teacher_cases],
                 [generic_instance(n, d, n * 10 + d) for n, d in generic_cases], generic_curves=not quick)


@dataclass(frozen=True)
class TeacherPanel:
    """One teacher instance: its file, size, P chambers (= 2^n here), the census rows (the census's JSON record,
    per width and sampler) and the exact curves."""

    instance: str
    n: int
    d: int
    P: int
    two_to_n: int = named("2^n")
    rows: list[dict] = named()
    curves: ExactCurves = named()


@dataclass(frozen=True)
class GenericCase:
    """One generic instance: its file, size, P chambers beside n^(d-1) and 2^n, the census rows and the census
    settings (exhaustive up to `limit` sets, else `samples` draws); the exact curves in full mode."""

    instance: str
    n: int
    d: int
    P: int
    n_to_d_minus_1: int = named("n^(d-1)")
    two_to_n: int = named("2^n")
    rows: list[dict] = named()
    limit: int = named()
    samples: int = named()
    curves: ExactCurves | None = named(optional=True, default=None)


@dataclass(frozen=True)
class ExperimentA:
    teacher: list[TeacherPanel]
    generic: list[GenericCase]


def compute(settings: Settings, cases: Cases) -> ExperimentA:
    panels = []
    for instance in cases.teachers:
        P = len(Context(instance, 1).arrangement)
        rows = []
        for m in cases.widths:
            context = Context(instance, m)   # L*_m is certified once for both samplers
            for name in SAMPLERS:
                rows.append(census_row(settings, KEY, context, samples=cases.N, limit=0, seed=settings.seed + m,
                                       tolerance=TOLERANCE_A, sampler=name))
        panels.append(TeacherPanel(save_instance(settings, instance), instance.n, instance.d, P, 2 ** instance.n,
                                   rows, exact_curves(instance, cases.widths, list(SAMPLERS))))
    generic = []
    for instance, widths in zip(cases.generics, cases.generic_widths):
        P = len(Context(instance, 1).arrangement)
        rows = [census_row(settings, "generic", Context(instance, m), samples=cases.generic_samples,
                           limit=cases.generic_limit, seed=settings.seed + m) for m in widths]
        curves = exact_curves(instance, widths, list(SAMPLERS)) if cases.generic_curves else None
        generic.append(GenericCase(save_instance(settings, instance), instance.n, instance.d, P,
                                   instance.n ** (instance.d - 1), 2 ** instance.n, rows, cases.generic_limit,
                                   cases.generic_samples, curves))
    return ExperimentA(panels, generic)


DEFINITION = Definition(KEY, TITLE, CLAIM, cases, compute, ExperimentA)
