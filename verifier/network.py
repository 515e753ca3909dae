"""Two-layer ReLU networks f(x) = sum_j a_j max(0, <w_j, x>) (docs §1): files, loss, gradient, the
balanced lift of docs §3 and its inverse, and the activation region of a parameter (docs §4)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from .checker import prediction
from .errors import InputError, TrainingDiverged
from .instance import Instance
from .neurons import Neuron
from .numbers import format_rational, parse_rational, sqrt_upper

__all__ = ["Network", "lift", "loss_and_gradient", "Trajectory", "train", "train_many", "initial", "INITS",
           "TRAIN_STEPS"]


@dataclass(frozen=True, repr=False)
class Network:
    """Exact parameters theta = (a, W): a in Q^m, W in Q^(m x d) (row j is w_j), the network
    f(x) = sum_j a_j max(0, <w_j, x>).

    Examples
    --------
    >>> Network.from_arrays([0.5, -1], [[0.5, 0], [1, 0]])
    Network(width=2, d=2, a=(1/2, -1), W=((1/2, 0), (1, 0)))
    """

    a: tuple[Fraction, ...]
    W: tuple[tuple[Fraction, ...], ...]

    @property
    def width(self) -> int:
        return len(self.a)

    def __repr__(self) -> str:
        def show(values):
            return "(" + ", ".join(format_rational(x) for x in values) + ("," if len(values) == 1 else "") + ")"
        d = len(self.W[0]) if self.W else 0
        if self.width * (d + 1) > 24:
            return f"Network(width={self.width}, d={d})"
        W = "(" + ", ".join(show(w) for w in self.W) + ("," if self.width == 1 else "") + ")"
        return f"Network(width={self.width}, d={d}, a={show(self.a)}, W={W})"

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
        """L(theta) exactly (docs §1)."""
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
    """The balanced network of docs §3: w = u / sqrt||u||, a = s sqrt||u||, with sqrt||u|| replaced by a
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
    if getattr(value, "ndim", 0) >= 1:   # numpy: keep the scalars, read in their own precision
        value = list(value)
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise InputError(field, f"expected a list, got {type(value).__name__}")
    return list(value)


@dataclass(repr=False)
class Trajectory:
    """A gradient-descent run: the final parameters and the loss every `every` steps (`verifier.train` returns it
    as a `views.Trajectory`, whose `plot()` draws the loss curve)."""

    final: tuple[np.ndarray, np.ndarray]
    losses: list[float]
    every: int
    steps: int = 0

    def __repr__(self) -> str:
        return f"<Trajectory width {len(self.final[0])}: loss {self.losses[0]:.6g} -> {self.losses[-1]:.6g}>"

    def to_dict(self) -> dict:
        return {**Network.from_floats(*self.final).to_dict(), "losses": self.losses, "loss_every": self.every}

    @property
    def loss_steps(self) -> list[int]:
        """The step t of each entry of `losses`: every `every` steps, and the last step taken."""
        return [k * self.every for k in range(len(self.losses) - 1)] + [self.steps]


INITS = ("gaussian", "balanced")
TRAIN_STEPS = 20_000   # the default step budget of `verifier.train`; `verifier train --steps` states the same (a test)


def initial(width: int, d: int, init_scale: float, seed: int = 0, init: str = "gaussian"
            ) -> tuple[np.ndarray, np.ndarray]:
    """gaussian: w_j ~ alpha N(0, I_d), a_j ~ alpha N(0, 1); balanced (the authors'): w_j ~ N(0, alpha^2 I_d),
    a_j = +-||w_j|| with a fair random sign."""
    if init not in INITS:
        raise InputError("--init", f"expected one of {INITS}, got {init!r}")
    rng = np.random.default_rng(seed)
    if init == "balanced":
        W = init_scale * rng.standard_normal((width, d))
        return rng.choice([-1.0, 1.0], size=width) * np.linalg.norm(W, axis=1), W
    return init_scale * rng.standard_normal(width), init_scale * rng.standard_normal((width, d))


def train(instance: Instance, width: int, init_scale: float, seed: int = 0, steps: int = TRAIN_STEPS,
          lr: float = 0.05, every: int = 10, progress=None, init: str = "gaussian",
          until_grad: float | None = None) -> Trajectory:
    """Full-batch gradient descent from `initial(...)` for at most `steps` steps, stopping early once
    ||grad L||^2 < until_grad (one run of `train_many`)."""
    return train_many(instance, width, init_scale, [seed], steps, lr, every, progress, init, until_grad)[0]


def train_many(instance: Instance, width: int, init_scale: float, seeds, steps: int = TRAIN_STEPS,
               lr: float = 0.05, every: int = 10, progress=None, init: str = "gaussian", until_grad: float | None = None
               ) -> list[Trajectory]:
    """Independent gradient-descent runs (one per seed) advanced together as one batched numpy computation: the
    hot loop of claim 3. Run k stops (its parameters freeze) once ||grad L||^2 < until_grad."""
    starts = [initial(width, instance.d, init_scale, seed, init) for seed in seeds]
    a = np.stack([s[0] for s in starts])                       # (R, m)
    W = np.stack([s[1] for s in starts])                       # (R, m, d)
    X = np.array(instance.X, dtype=float)
    y = np.array(instance.y, dtype=float)
    XT = X.T.copy()
    lam, n = float(instance.lam), len(y)
    running = np.ones(len(starts), dtype=bool)
    taken = np.zeros(len(starts), dtype=int)
    losses: list[list[float]] = [[] for _ in starts]
    with np.errstate(over="ignore", invalid="ignore"):   # a diverging run is reported as TrainingDiverged
        for step in range(steps):
            Z = W @ XT                                             # (R, m, n)
            H = np.maximum(Z, 0)
            residual = np.matmul(a[:, None, :], H)[:, 0, :] - y   # (R, n)
            grad_a = np.matmul(H, residual[:, :, None])[:, :, 0] / n + lam * a
            grad_W = ((Z > 0) * residual[:, None, :]) @ X * (a[:, :, None] / n) + lam * W
            if step % every == 0:
                loss = np.einsum("rn,rn->r", residual, residual) / (2 * n) + lam / 2 * (
                    np.einsum("rm,rm->r", a, a) + np.einsum("rmd,rmd->r", W, W))
                if not np.all(np.isfinite(loss)):
                    raise TrainingDiverged("--lr", f"gradient descent diverged at step {step}; use a smaller rate")
                for k in np.flatnonzero(running):
                    losses[k].append(float(loss[k]))
                if progress:
                    progress(step)
            if until_grad is not None:
                running &= (grad_a * grad_a).sum(1) + (grad_W * grad_W).sum((1, 2)) >= until_grad
                if not running.any():
                    break
                taken += running
                a = a - lr * running[:, None] * grad_a
                W = W - lr * running[:, None, None] * grad_W
            else:
                taken += 1
                a, W = a - lr * grad_a, W - lr * grad_W
    out = []
    for k in range(len(starts)):
        losses[k].append(loss_and_gradient(instance, a[k], W[k])[0])
        if not np.isfinite(losses[k][-1]):
            raise TrainingDiverged("--lr", "gradient descent diverged; use a smaller rate")
        out.append(Trajectory((a[k].copy(), W[k].copy()), losses[k], every, int(taken[k])))
    return out
