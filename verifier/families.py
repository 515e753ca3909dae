"""The instance families of the reproduction (docs §7, §10), as exact rational instances built from a seed.

- `teacher`: the authors' Experiment A/B data: rows x_i ~ N(0, I_d) (not normalised), labels from a random ReLU
  teacher of width 10 with N(0, 1) weights. To be exact, X is rounded to 3 decimals and the teacher's weights to
  2 decimals; y is then the teacher's exact output on the rounded X (no rounding of y).
- `orthogonal`: x_i = e_i with fixed labels (docs §7's closed form applies).
- `generic`: small integer data in low dimension (our own sufficiency cases).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .instance import Instance

__all__ = ["teacher", "orthogonal", "generic", "TEACHER_WIDTH"]

TEACHER_WIDTH = 10


def _decimals(values: np.ndarray, places: int) -> list:
    return [[Fraction(f"{v:.{places}f}") for v in row] for row in np.atleast_2d(values)]


def teacher(n: int, d: int, lam: Fraction, seed: int) -> Instance:
    """x_i ~ N(0, I_d) (3 decimals), y_i = sum_k a_k max(0, <w_k, x_i>) for a width-10 teacher with
    w_k ~ N(0, I_d), a_k ~ N(0, 1) (2 decimals), exactly."""
    rng = np.random.default_rng(seed)
    X = _decimals(rng.standard_normal((n, d)), 3)
    W = _decimals(rng.standard_normal((TEACHER_WIDTH, d)), 2)
    a = _decimals(rng.standard_normal(TEACHER_WIDTH), 2)[0]
    y = [sum(ak * max(Fraction(0), sum(p * q for p, q in zip(wk, x))) for ak, wk in zip(a, W)) for x in X]
    return Instance.from_arrays(X, y, lam, name=f"teacher-n{n}-d{d}-seed{seed}",
                                description=f"x_i ~ N(0, I_{d}) to 3 decimals; labels from a width-{TEACHER_WIDTH} "
                                            f"ReLU teacher with N(0, 1) weights to 2 decimals (numpy seed {seed})")


def orthogonal(n: int) -> Instance:
    """x_i = e_i in R^n, labels (1, -1, 2, -1/2, 3/2, -2, 1/2, -3/2)[:n], lambda = 1/20."""
    y = [1, -1, 2, Fraction(-1, 2), Fraction(3, 2), -2, Fraction(1, 2), Fraction(-3, 2)][:n]
    return Instance.from_arrays(np.eye(n, dtype=int).tolist(), y, Fraction(1, 20), name=f"orthogonal-n{n}",
                                description="x_i = e_i (docs §7)")


def generic(n: int, d: int, seed: int) -> Instance:
    """Integer data in [-9, 9]^d, integer labels in [-3, 3], lambda = 1/50."""
    rng = np.random.default_rng(seed)
    return Instance.from_arrays(rng.integers(-9, 10, size=(n, d)).tolist(), rng.integers(-3, 4, size=n).tolist(),
                                Fraction(1, 50), name=f"generic-n{n}-d{d}-seed{seed}",
                                description=f"integer data (numpy seed {seed})")
