"""Two-layer ReLU networks f(x) = sum_j a_j max(0, <w_j, x>) (SPEC §1): files, loss, gradient, the
balanced lift of SPEC §3 and its inverse, and the activation region of a parameter (SPEC §4)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .checker import prediction
from .errors import InputError, TrainingDiverged
from .instance import Instance
from .jsonfile import load_json
from .numbers import format_rational, parse_rational, sqrt_upper
from .polish import Neuron

__all__ = ["Network", "lift", "loss_and_gradient", "Trajectory", "train"]


@dataclass(frozen=True)
class Network:
    """Exact parameters: a in Q^m, W in Q^(m x d) (row j is w_j)."""

    a: tuple[Fraction, ...]
    W: tuple[tuple[Fraction, ...], ...]

    @property
    def width(self) -> int:
        return len(self.a)

    @classmethod
    def from_arrays(cls, a: Any, W: Any, d: int | None = None) -> "Network":
        a = [parse_rational(x, f"a[{j}]") for j, x in enumerate(_sequence(a, "a"))]
        rows = _sequence(W, "W")
        if len(rows) != len(a):
            raise InputError("W", f"has {len(rows)} rows but a has {len(a)} entries")
        if not a:
            raise InputError("a", "is empty (width must be >= 1)")
        W = [[parse_rational(x, f"W[{j}][{k}]") for k, x in enumerate(_sequence(row, f"W[{j}]"))]
             for j, row in enumerate(rows)]
        width = d if d is not None else len(W[0])
        for j, row in enumerate(W):
            if len(row) != width:
                raise InputError(f"W[{j}]", f"has {len(row)} entries, expected d = {width}")
        return cls(tuple(a), tuple(tuple(row) for row in W))

    @classmethod
    def load(cls, path: str | Path, d: int | None = None) -> "Network":
        data = load_json(path)
        if not isinstance(data, dict) or "a" not in data or "W" not in data:
            raise InputError(str(path), "a network file needs keys 'a' (m numbers) and 'W' (m rows)")
        return cls.from_arrays(data["a"], data["W"], d)

    @classmethod
    def from_floats(cls, a: np.ndarray, W: np.ndarray) -> "Network":
        return cls.from_arrays([float(x) for x in a], [[float(x) for x in row] for row in W])

    def padded(self, width: int) -> "Network":
        """The same function at width m >= its own: zero neurons (a_j = 0, w_j = 0) appended. A local minimum of
        width m is a network of m neurons, so a claim at width m is a claim about this padded network."""
        if width < self.width:
            raise InputError("width", f"{width} is smaller than the network's {self.width} neurons")
        zero = tuple(Fraction(0) for _ in self.W[0])
        return Network(self.a + (Fraction(0),) * (width - self.width), self.W + (zero,) * (width - self.width))

    def to_dict(self) -> dict:
        return {"a": [format_rational(x) for x in self.a], "W": [[format_rational(x) for x in row] for row in self.W],
                "a_float": [float(x) for x in self.a], "W_float": [[float(x) for x in row] for row in self.W]}

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array(self.a, dtype=float), np.array(self.W, dtype=float)

    def neurons(self) -> list[tuple[int, list[Fraction]]]:
        """The inverse of the lift: (s_j, u_j) = (sign a_j, |a_j| w_j); exact for balanced neurons."""
        return [(1 if a >= 0 else -1, [abs(a) * x for x in w]) for a, w in zip(self.a, self.W)]

    def loss(self, instance: Instance) -> Fraction:
        """L(theta) exactly (SPEC §1)."""
        f = prediction(instance, self.neurons())
        fit = sum((p - q) ** 2 for p, q in zip(f, instance.y)) / (2 * instance.n)
        return fit + instance.lam / 2 * sum(a * a + sum(x * x for x in w) for a, w in zip(self.a, self.W))

    def unbalanced(self) -> list[int]:
        """Neurons with a_j^2 != ||w_j||^2 (a local minimum has none)."""
        return [j for j, (a, w) in enumerate(zip(self.a, self.W)) if a * a != sum(x * x for x in w)]


def loss_and_gradient(instance: Instance, a: np.ndarray, W: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Float L and its gradient (dL/da, dL/dW); at a kink <w_j, x_i> = 0 the ReLU derivative is taken as 0."""
    X = np.array(instance.X, dtype=float)
    y = np.array(instance.y, dtype=float)
    lam, n = float(instance.lam), len(y)
    Z = X @ W.T
    H = np.maximum(Z, 0)
    residual = H @ a - y
    loss = residual @ residual / (2 * n) + lam / 2 * (a @ a + np.sum(W * W))
    grad_a = H.T @ residual / n + lam * a
    grad_W = ((residual[:, None] * (Z > 0)) * a[None, :]).T @ X / n + lam * W
    return float(loss), grad_a, grad_W


def lift(neurons: Sequence[Neuron], digits: int = 30) -> Network:
    """The balanced network of SPEC §3: w = u / sqrt||u||, a = s sqrt||u||, with sqrt||u|| replaced by a
    rational within 10^-digits (so balanced up to that precision)."""
    a, W = [], []
    for nr in neurons:
        root = sqrt_upper(sqrt_upper(sum(x * x for x in nr.u), 2 * digits), digits)
        if root == 0:
            continue
        a.append(nr.pattern.s * root)
        W.append([x / root for x in nr.u])
    return Network(tuple(a), tuple(tuple(w) for w in W))


def _sequence(value: Any, field: str) -> list:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise InputError(field, f"expected a list, got {type(value).__name__}")
    return list(value)


@dataclass
class Trajectory:
    """A gradient-descent run: the final parameters and the loss every `every` steps."""

    final: tuple[np.ndarray, np.ndarray]
    losses: list[float]
    every: int


def train(instance: Instance, width: int, init_scale: float, seed: int = 0, steps: int = 5000, lr: float = 0.05,
          every: int = 10, progress=None) -> Trajectory:
    """Full-batch gradient descent from w_j ~ init_scale N(0, I_d), a_j ~ init_scale N(0, 1)."""
    rng = np.random.default_rng(seed)
    a = init_scale * rng.standard_normal(width)
    W = init_scale * rng.standard_normal((width, instance.d))
    losses = []
    for step in range(steps):
        loss, grad_a, grad_W = loss_and_gradient(instance, a, W)
        if step % every == 0:
            losses.append(loss)
            if progress:
                progress(step)
        if not np.isfinite(loss):
            raise TrainingDiverged("--lr", f"gradient descent diverged at step {step} (loss {loss}); use a smaller rate")
        a, W = a - lr * grad_a, W - lr * grad_W
    losses.append(loss_and_gradient(instance, a, W)[0])
    return Trajectory((a, W), losses, every)
