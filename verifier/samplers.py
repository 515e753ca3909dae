"""Random initializations as random sets of signed patterns (docs §4, §10).

A sampler draws the region of a width-m initialization: m neurons, each in one signed pattern (sigma, s), and
returns S(R), the set of distinct patterns (duplicates merged). Draws are independent across neurons, so a
sampler is fully described by q_p, the probability that one neuron lands in signed pattern p; the probability of
a set S is then m! [x^m] prod_{p in S} (e^{q_p x} - 1) (`statistics.set_probability`).

- `gaussian`: w ~ N(0, I_d) and a_j ~ N(0, 1) (any scale), so q_(sigma, s) = measure(sigma) / 2 (docs §2).
- `uniform`: the authors' default sampler (docs §10): a chamber uniformly among the P chambers, with replacement,
  and a uniformly random sign, so q_(sigma, s) = 1 / (2P) exactly.

Signed patterns are indexed as in `convex.all_signed_patterns`: index 2c is chamber c with s = +1, 2c + 1 with
s = -1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrangement import Arrangement
from .errors import InputError

__all__ = ["Sampler", "SAMPLERS", "sampler", "Probabilities"]


@dataclass(frozen=True)
class Probabilities:
    """q_p for every signed pattern p, how they were obtained ("exact", "girard", "monte-carlo") and the bound on
    the error of each q_p (0 when exact)."""

    q: list[float]
    method: str
    error: float


@dataclass(frozen=True)
class Sampler:
    """A named way to draw the signed pattern of each of the m neurons of an initialization."""

    name: str
    description: str

    def probabilities(self, arrangement: Arrangement) -> Probabilities:
        """q_p for one neuron, for every signed pattern index p."""
        if self.name == "uniform":
            return Probabilities([1.0 / (2 * len(arrangement))] * (2 * len(arrangement)), "exact", 0.0)
        measured = arrangement.measures()
        q = [float(v) / 2 for v in measured.values for _ in (1, -1)]
        return Probabilities(q, measured.method, measured.error / 2)

    def draw(self, arrangement: Arrangement, rng: np.random.Generator, m: int) -> frozenset[int]:
        """S(R) of one random width-m initialization, as signed pattern indices."""
        if self.name == "uniform":
            chambers = rng.integers(0, len(arrangement), size=m)
        else:
            normals = np.array(arrangement.normals, dtype=float)
            chambers = arrangement.index((rng.standard_normal((m, arrangement.d)) @ normals.T) > 0)
        negative = rng.integers(0, 2, size=m)
        return frozenset(int(2 * c + t) for c, t in zip(chambers, negative) if c >= 0)


SAMPLERS = {
    "gaussian": Sampler("gaussian", "w_j ~ N(0, I_d), sign(a_j) uniform: q = measure(sigma) / 2"),
    "uniform": Sampler("uniform", "a chamber uniformly among the P (with replacement) and a uniform sign: "
                                  "q = 1 / (2P)"),
}


def sampler(name: str) -> Sampler:
    """The sampler called `name` (one of `SAMPLERS`)."""
    if name not in SAMPLERS:
        raise InputError("sampler", f"unknown sampler {name!r} (choose one of {', '.join(SAMPLERS)})")
    return SAMPLERS[name]
