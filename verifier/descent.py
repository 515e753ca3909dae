"""The authors' training protocol (docs §10 (C)), many runs at once: full-batch gradient descent on their loss
L_a = (1/n)||f - y||^2 + lambda (||a||^2 + ||W||^2) = 2 L at their rate 0.01, until ||grad L_a||^2 < 1e-16.

One update, for every run independently (c = 2/n, mu = 2 lambda, Z_ji = <w_j, x_i>, r = f - y):

    g_a_j  = c sum_i r_i max(0, Z_ji) + mu a_j
    g_W_jk = c a_j sum_i [Z_ji > 0] r_i x_ik + mu W_jk          (the ReLU derivative at a kink taken as 0)
    (a, W) <- (a, W) - rate (g_a, g_W)

The criterion is tested at the current point before each step, so a run stops *at* a point whose gradient meets
it (the authors take one more step after the test; that step is shorter than rate * 1e-8).

Two interchangeable kernels advance the runs: a numba-compiled loop (one run at a time, the fast path) and a numpy
program over the batch of runs (the fallback when numba is missing). Both evaluate every sum in the same order
(over the data rows i, the input coordinates k and the neurons j, left to right, with no fused multiply-add), so
they return the same floats; and each run's arithmetic never mixes with another's, so a run's trajectory is the
same alone as in a batch (`tests/test_descent.py` checks both).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from .errors import InputError
from .instance import Instance

__all__ = ["RATE", "CRITERION", "Run", "Descent", "descend", "BACKENDS", "backend_available"]

RATE = 0.01          # the authors' learning rate on L_a = 2 L
CRITERION = 1e-16    # their stopping rule: ||grad L_a||^2 < 1e-16

RUNNING, CONVERGED, DIVERGED = 0, 1, 2

BACKENDS = ("numba", "numpy")


def _numba():
    """The JIT, imported on first use; None where it is not installed (the numpy kernel then runs: same floats,
    slower)."""
    try:
        import numba
    except ImportError:   # pragma: no cover - exercised where numba is not installed
        return None
    return numba


def backend_available(backend: str) -> bool:
    return backend == "numpy" or (backend == "numba" and _numba() is not None)


@dataclass(frozen=True)
class Run:
    """One run's state: parameters, steps taken, ||grad L_a||^2 at these parameters, and whether the criterion
    held there (`converged`) or the iterates overflowed (`diverged`)."""

    a: np.ndarray
    W: np.ndarray
    steps: int
    grad2: float
    converged: bool
    diverged: bool


class Descent:
    """R runs on one instance and width, advanced together: `advance(limit)` runs every unfinished run until it
    meets the criterion, diverges, or has taken `limit` steps in all (not more per call)."""

    def __init__(self, instance: Instance, a: np.ndarray, W: np.ndarray, rate: float = RATE,
                 criterion: float = CRITERION, backend: str = "auto"):
        if backend == "auto":
            backend = "numba" if backend_available("numba") else "numpy"
        if not backend_available(backend):
            raise InputError("backend", f"{backend!r} is not available (expected 'auto', 'numpy' or, with numba "
                             "installed, 'numba')")
        self.backend = backend
        self.X = np.ascontiguousarray(np.array(instance.X, dtype=float))
        self.y = np.array(instance.y, dtype=float)
        self.lam2 = 2 * float(instance.lam)          # mu = 2 lambda
        self.c = 2.0 / len(self.y)                    # c = 2 / n
        self.rate, self.criterion = float(rate), float(criterion)
        self.a = np.array(a, dtype=float, order="C", ndmin=2)
        self.W = np.array(W, dtype=float, order="C", ndmin=3)
        runs = len(self.a)
        self.steps = np.zeros(runs, dtype=np.int64)
        self.grad2 = np.full(runs, np.nan)
        self.status = np.zeros(runs, dtype=np.int8)
        self.limit = 0       # the last `advance`'s limit: every run still running has taken exactly this many steps

    def advance(self, limit: int) -> None:
        kernel = _numba_kernel() if self.backend == "numba" else _numpy_kernel
        with np.errstate(over="ignore", invalid="ignore"):
            kernel(self.X, self.y, self.lam2, self.c, self.rate, self.criterion, self.a, self.W, self.steps,
                   self.grad2, self.status, int(limit))
        self.limit = int(limit)

    def save(self) -> dict:
        """The runs' state as JSON values, every float as its exact hexadecimal form (`float.hex`), so that
        `restore` gives back the same bits (and NaN or infinity of a diverged run)."""
        return {"limit": self.limit, "a": _hex(self.a), "W": _hex(self.W), "steps": self.steps.tolist(),
                "grad2": _hex(self.grad2), "status": self.status.tolist()}

    def restore(self, saved: dict) -> None:
        """Continue from `save()`'s record of as many runs of the same width and dimension (ValueError, KeyError or
        TypeError when `saved` is not one). The kernels read nothing else, so advancing from here gives the bits
        the saved state's own continuation would have given."""
        runs = len(self.a)
        a, W = _unhex(saved["a"], self.a.shape), _unhex(saved["W"], self.W.shape)
        grad2 = _unhex(saved["grad2"], (runs,))
        steps, status = np.array(saved["steps"], dtype=np.int64), np.array(saved["status"], dtype=np.int8)
        if steps.shape != (runs,) or status.shape != (runs,) or not set(status.tolist()) <= {RUNNING, CONVERGED,
                                                                                            DIVERGED}:
            raise ValueError("steps and status must hold one entry per run, each status 0, 1 or 2")
        self.a[...], self.W[...], self.grad2[...] = a, W, grad2
        self.steps[...], self.status[...], self.limit = steps, status, int(saved["limit"])

    @property
    def running(self) -> np.ndarray:
        return self.status == RUNNING

    def runs(self) -> list[Run]:
        return [Run(self.a[k].copy(), self.W[k].copy(), int(self.steps[k]), float(self.grad2[k]),
                    bool(self.status[k] == CONVERGED), bool(self.status[k] == DIVERGED)) for k in range(len(self.a))]


def descend(instance: Instance, starts: Iterable[tuple[np.ndarray, np.ndarray]], steps: int, rate: float = RATE,
            criterion: float = CRITERION, backend: str = "auto", chunk: int | None = None,
            between: Callable[[Descent], None] | None = None, resume: dict | None = None) -> list[Run]:
    """Gradient descent from each start (a, W) by the protocol above, at most `steps` steps per run; `between`
    (if given) sees the state every `chunk` steps (a progress bar, snapshots for a rate, a checkpoint). `resume`:
    continue from the state `Descent.save` recorded at one of those chunk boundaries (same starts, steps, rate,
    criterion and chunk): the result is bit for bit the uninterrupted one."""
    starts = list(starts)
    state = Descent(instance, np.stack([s[0] for s in starts]), np.stack([s[1] for s in starts]), rate, criterion,
                    backend)
    if resume is not None:
        state.restore(resume)
    chunk = chunk or steps
    done = state.limit
    while done < steps and state.running.any():
        done = min(steps, done + chunk)
        state.advance(done)
        if between is not None:
            between(state)
    return state.runs()


def _hex(values: np.ndarray) -> list[str]:
    """The floats of `values`, flattened in C order, each as `float.hex` (exact, and NaN or inf as such)."""
    return [float.hex(v) for v in values.ravel().tolist()]


def _unhex(values: list[str], shape: tuple[int, ...]) -> np.ndarray:
    """`_hex`'s list back as an array of `shape` (ValueError when the count differs)."""
    return np.array([float.fromhex(v) for v in values], dtype=float).reshape(shape)


# --- the numpy kernel: runs along the last axis, every sum an explicit left-to-right chain ---------------------

def _numpy_kernel(X, y, lam2, c, rate, criterion, A, W, taken, grad2, status, limit):
    n, d = X.shape
    active = np.flatnonzero((status == RUNNING) & (taken <= limit))
    if not len(active):
        return
    a = np.ascontiguousarray(A[active].T)                 # (m, R)
    w = [np.ascontiguousarray(W[active, :, k].T) for k in range(d)]   # d arrays (m, R)
    count = taken[active].copy()

    def retire(mask):
        nonlocal a, w, count, active
        keep = ~mask
        index = active[mask]
        A[index] = a[:, mask].T
        for k in range(d):
            W[index, :, k] = w[k][:, mask].T
        taken[index] = count[mask]
        a, w, count, active = a[:, keep], [v[:, keep] for v in w], count[keep], active[keep]

    while len(active):
        Z = []
        f = []
        for i in range(n):
            z = w[0] * X[i, 0]
            for k in range(1, d):
                z = z + w[k] * X[i, k]
            Z.append(z)
            f.append(_chain(a * np.maximum(z, 0.0)))
        r = [f[i] - y[i] for i in range(n)]
        s = r[0] * np.maximum(Z[0], 0.0)
        for i in range(1, n):
            s = s + r[i] * np.maximum(Z[i], 0.0)
        ga = c * s + lam2 * a
        g2 = _chain(ga * ga)
        gw = []
        for k in range(d):
            t = np.where(Z[0] > 0, r[0] * X[0, k], 0.0)
            for i in range(1, n):
                t = t + np.where(Z[i] > 0, r[i] * X[i, k], 0.0)
            g = c * (a * t) + lam2 * w[k]
            gw.append(g)
            g2 = g2 + _chain(g * g)
        grad2[active] = g2
        diverged = ~np.isfinite(g2)
        converged = g2 < criterion
        stop = diverged | converged | (count >= limit)
        if stop.any():
            status[active[diverged]] = DIVERGED
            status[active[converged & ~diverged]] = CONVERGED
            keep = ~stop
            retire(stop)
            ga, gw = ga[:, keep], [g[:, keep] for g in gw]
            if not len(active):
                return
        a = a - rate * ga
        w = [w[k] - rate * gw[k] for k in range(d)]
        count += 1


def _chain(values: np.ndarray) -> np.ndarray:
    """sum_j values[j] left to right (a cumulative sum is sequential by definition; `sum` may pair terms)."""
    return np.cumsum(values, axis=0)[-1]


# --- the numba kernel: the same operations, one run at a time -----------------------------------------------------

@functools.cache
def _numba_kernel():
    """`_loop` compiled once per process (numba's on-disk cache spares the compilation after the first run)."""
    return _numba().njit(cache=True, nogil=True)(_loop)


def _loop(X, y, lam2, c, rate, criterion, A, W, taken, grad2, status, limit):   # pragma: no cover - compiled
    """One run at a time, its weights transposed (w_k as a row over the neurons j) so that the loops over j are
    contiguous and the compiler vectorizes them; the sums over j stay left to right."""
    n, d = X.shape
    runs, m = A.shape
    Z = np.empty((n, m))
    r = np.empty(n)
    ga = np.empty(m)
    gw = np.empty((d, m))
    wt = np.empty((d, m))
    a = np.empty(m)
    s = np.empty(m)
    t = np.empty((d, m))
    for run in range(runs):
        if status[run] != 0:
            continue
        for j in range(m):
            a[j] = A[run, j]
            for k in range(d):
                wt[k, j] = W[run, j, k]
        while True:
            for i in range(n):
                for j in range(m):
                    Z[i, j] = wt[0, j] * X[i, 0]
                for k in range(1, d):
                    xk = X[i, k]
                    for j in range(m):
                        Z[i, j] = Z[i, j] + wt[k, j] * xk
                f = 0.0
                for j in range(m):
                    z = Z[i, j]
                    if z > 0.0:
                        f = f + a[j] * z
                r[i] = f - y[i]
            for j in range(m):
                s[j] = 0.0
            for k in range(d):
                for j in range(m):
                    t[k, j] = 0.0
            for i in range(n):
                ri = r[i]
                for j in range(m):
                    z = Z[i, j]
                    s[j] = s[j] + ri * (z if z > 0.0 else 0.0)
                for k in range(d):
                    rx = ri * X[i, k]
                    for j in range(m):
                        t[k, j] = t[k, j] + (rx if Z[i, j] > 0.0 else 0.0)
            g2 = 0.0
            for j in range(m):
                ga[j] = c * s[j] + lam2 * a[j]
                g2 = g2 + ga[j] * ga[j]
            for k in range(d):
                p = 0.0
                for j in range(m):
                    g = c * (a[j] * t[k, j]) + lam2 * wt[k, j]
                    gw[k, j] = g
                    p = p + g * g
                g2 = g2 + p
            grad2[run] = g2
            if not np.isfinite(g2):
                status[run] = 2
                break
            if g2 < criterion:
                status[run] = 1
                break
            if taken[run] >= limit:
                break
            for j in range(m):
                a[j] = a[j] - rate * ga[j]
            for k in range(d):
                for j in range(m):
                    wt[k, j] = wt[k, j] - rate * gw[k, j]
            taken[run] += 1
        for j in range(m):
            A[run, j] = a[j]
            for k in range(d):
                W[run, j, k] = wt[k, j]
