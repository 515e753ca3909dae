"""Section 3, the activation-pattern distribution: the authors' Experiment B (docs/mathematics.md §10 (B)), n = 7,
d = 4 teacher data.

It certifies the number P of chambers (docs/mathematics.md §2) by an `enumeration-complete` certificate; the
Gaussian chamber measures are Monte Carlo estimates with Wilson 95% intervals (not certified: exact measures in
d = 4 are not implemented), and the coverage numbers of §4 (expected fraction of chambers hit by m neurons; the
probability that all are hit, exact under the uniform sampler) are computed from them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..census import wilson
from ..certificates import enumeration_certificate
from ..files import write_json
from ..families import teacher
from ..instance import Instance
from ..landscape import Context
from ..samplers import SAMPLERS
from .base import Definition, Settings, named, save_instance
from .experiment_a import LAMBDA_A

__all__ = ["DEFINITION", "Cases", "ActivationPatterns", "Measure", "cases", "compute", "coverage_uniform",
           "wilson_overlaps"]

KEY = "activation-patterns"
TITLE = "3. The activation-pattern distribution (the authors' Experiment B)"
CLAIM = ("The Gaussian measure of the chambers is far from uniform, and that drives the width needed to cover them "
         "all.")


@dataclass(frozen=True)
class Cases:
    """The n = 7, d = 4 teacher instance (data seed 704 + run seed), the single-neuron draws per sampler and the
    Monte Carlo samples of the chamber measures."""

    instance: Instance
    draws: int
    measure_samples: int

    @property
    def instances(self) -> list[Instance]:
        return [self.instance]

    @property
    def parameters(self) -> list:
        return [self.draws, self.measure_samples, "widths to 4 / (2 q_min)"]

    @property
    def units(self) -> int:
        return 1


def cases(quick: bool, seed: int) -> Cases:
    return Cases(teacher(7, 4, LAMBDA_A, seed=704 + seed), 10_000 if quick else 50_000,
                 1_000_000 if quick else 10_000_000)


def coverage_uniform(P: int, widths: list[int]) -> list[float]:
    """P(m uniform draws hit all P chambers), exactly, by the Markov chain on the number of chambers seen."""
    state = np.zeros(P + 1)
    state[0] = 1.0
    out, done = [], 0
    for m in widths:
        for _ in range(m - done):
            seen = np.arange(P + 1) / P
            state = state * seen + np.concatenate([[0.0], state[:-1] * (1 - seen[:-1])])
        done = m
        out.append(float(state[P]))
    return out


def wilson_overlaps(count: int, draws: int, low: float, high: float) -> bool:
    """Whether the Wilson 95% interval of `count` of `draws` meets [low, high]."""
    a, b = wilson(count, draws)
    return a <= high and low <= b


@dataclass(frozen=True)
class Measure:
    """The chambers' Gaussian measures: how they were found, from how many samples, each value and its Wilson 95%
    interval."""

    method: str
    samples: int
    values: list[float]
    wilson: list[list[float]]


@dataclass(frozen=True)
class ActivationPatterns:
    """The instance file, P, the draws per sampler and the chambers' measures; the sampled frequency of each
    chamber per sampler and how many chambers' frequency intervals miss their probability's interval; at the
    `widths`, the expected fraction of chambers hit (uniform; Gaussian with its band) and the probability that all
    are hit (uniform, exact; Gaussian, an upper bound); P H_P, the 95% upper bound on the thinnest chamber's
    measure, the chambers below 1/(100P), the width at which half of all uniform draws hit every chamber and the
    lower bound on that width for Gaussian draws; the enumeration certificate."""

    instance: str
    P: int
    draws: int
    measure: Measure
    frequencies: dict[str, list[int]]
    outside_interval: dict[str, int]
    widths: list[int]
    expected_fraction_hit: dict[str, list[float]]
    all_hit_uniform: list[float]
    all_hit_gaussian_upper: list[float]
    uniform_cover_mean: float
    thinnest_upper: float
    tiny: int = named("chambers_below_1/(100P)")
    half_width_uniform: int | None = named()
    half_width_gaussian_lower: float = named()
    certificate: str = named()


def compute(settings: Settings, cases: Cases) -> ActivationPatterns:
    instance, draws, measure_samples = cases.instance, cases.draws, cases.measure_samples
    arrangement = Context(instance, 1).arrangement
    P = len(arrangement)
    certificate = f"certificates/activation-patterns/{instance.name}-enumeration.json"
    write_json(settings.out / certificate, enumeration_certificate(instance, arrangement))
    measured = arrangement.measures(samples=measure_samples, seed=settings.seed + 1)
    hits = np.rint(measured.values * measure_samples).astype(int)
    bands = np.array([wilson(int(c), measure_samples) for c in hits])   # per chamber, 95%
    rng = np.random.default_rng(settings.seed + 2)
    frequencies = {}
    for name, chosen in SAMPLERS.items():
        counts = np.zeros(P, dtype=np.int64)
        for _ in range(draws):
            (p,) = chosen.draw(arrangement, rng, 1)
            counts[p // 2] += 1
        frequencies[name] = counts.tolist()
    outside = {name: int(sum(1 for c, (lo, hi) in zip(counts, bands if name == "gaussian" else [(1 / P, 1 / P)] * P)
                             if not wilson_overlaps(int(c), draws, lo, hi)))
               for name, counts in frequencies.items()}
    thinnest = float(bands[:, 1].min())                 # 95% upper bound on the smallest measure
    needed = 1 / (2 * thinnest)   # P(thinnest hit) <= m q_min < 1/2 below this width
    top = max(1000 * P, 4 * needed)      # out to the width the verdict cites
    widths = sorted({int(x) for x in np.geomspace(1, top, 60)} | {P, 2 * P})
    expected = {"uniform": [1 - (1 - 1 / P) ** m for m in widths],
                "gaussian": [float(np.mean(1 - (1 - measured.values) ** m)) for m in widths],
                "gaussian_low": [float(np.mean(1 - (1 - bands[:, 0]) ** m)) for m in widths],
                "gaussian_high": [float(np.mean(1 - (1 - bands[:, 1]) ** m)) for m in widths]}
    all_uniform = coverage_uniform(P, widths)
    all_gaussian_bound = [min(1.0, m * thinnest) for m in widths]   # P(all hit) <= P(thinnest hit)
    harmonic = P * sum(1 / k for k in range(1, P + 1))
    tiny = int(np.sum(bands[:, 1] < 1 / (100 * P)))
    half = next((m for m, c in zip(widths, all_uniform) if c >= 0.5), None)
    settings.tick()
    return ActivationPatterns(save_instance(settings, instance), P, draws,
                              Measure(measured.method, measure_samples, measured.values.tolist(), bands.tolist()),
                              frequencies, outside, widths, expected, all_uniform, all_gaussian_bound, harmonic,
                              thinnest, tiny, half, needed, certificate)


DEFINITION = Definition(KEY, TITLE, CLAIM, cases, compute, ActivationPatterns)
