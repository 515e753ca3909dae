"""Independent float references for the tests: C(A), the convex program restricted to a set A of signed patterns,
as one compiled cvxpy program whose unused patterns are pinned to 0 (no verifier solver, no polishing)."""

from __future__ import annotations

import cvxpy as cp
import numpy as np


def pinned_program(instance, patterns):
    """solve(A) -> C(A) in floats for any set A of indices into `patterns`."""
    X, y = np.array(instance.X, dtype=float), np.array(instance.y, dtype=float)
    n, d = X.shape
    k = len(patterns)
    U = cp.Variable((k, d))
    off = cp.Parameter(k, nonneg=True)
    prediction = sum(p.s * (np.array(p.sigma) > 0)[:, None] * X @ U[j] for j, p in enumerate(patterns))
    constraints = [(np.array(p.sigma)[:, None] * X) @ U[j] >= 0 for j, p in enumerate(patterns)]
    constraints += [cp.multiply(off[j], U[j]) == 0 for j in range(k)]
    objective = cp.sum_squares(prediction - y) / (2 * n) + float(instance.lam) * cp.sum(cp.norm(U, 2, axis=1))
    problem = cp.Problem(cp.Minimize(objective), constraints)

    def solve(A) -> float:
        off.value = np.array([0.0 if j in A else 1.0 for j in range(k)])
        problem.solve(solver="CLARABEL")
        return float(problem.value)

    return solve
