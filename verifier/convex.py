"""The convex reformulation (docs §3) as cvxpy programs, solved with Clarabel (fallback: SCS).

For a set S of signed patterns (sigma, s):

    C(S) = min_{u_k in cl K_sigma_k} (1/(2n)) || sum_k s_k D_sigma_k X u_k - y ||^2 + lambda sum_k ||u_k||.

One compiled program per size |S| (problem data are cvxpy Parameters), so the many region programs of
one instance reuse the compilation. The solver sees the scaled problem X/alpha, y/beta,
lambda/(alpha beta), whose solution maps back by u = (beta/alpha) u~ and C = beta^2 C~.
Results are floats: untrusted until `polish` and the checker.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import clarabel
import cvxpy as cp
import numpy as np
from scipy import sparse

from .errors import SolverFailure
from .instance import Instance
from .neurons import SignedPattern, all_signed_patterns   # solver-free; re-exported here

__all__ = ["SignedPattern", "Solution", "ConvexPrograms", "all_signed_patterns", "SOLVERS"]

SOLVERS = ("CLARABEL", "SCS")
_TOLERANCES = {
    "CLARABEL": {"tol_gap_abs": 1e-11, "tol_gap_rel": 1e-11, "tol_feas": 1e-11, "max_iter": 500},
    "SCS": {"eps_abs": 1e-9, "eps_rel": 1e-9, "max_iters": 200_000},
}


@dataclass
class Solution:
    """A float solution of C(S): one vector u_k per pattern, the objective and the solver used."""

    patterns: list[SignedPattern]
    U: np.ndarray
    value: float
    solver: str


class ConvexPrograms:
    """C(S) for the sets S of one instance; compiled programs are cached by |S|."""

    def __init__(self, instance: Instance):
        self.instance = instance
        X = np.array(instance.X, dtype=float)
        y = np.array(instance.y, dtype=float)
        self.alpha = float(np.abs(X).max()) or 1.0
        self.beta = float(np.abs(y).max()) or 1.0
        self.X = X / self.alpha
        self.y = y / self.beta
        self.lam = float(instance.lam) / (self.alpha * self.beta)
        self._programs: dict[int, tuple] = {}
        self._objectives: dict[int, tuple] = {}

    def _program(self, k: int):
        if k not in self._programs:
            n, d = self.X.shape
            A = [cp.Parameter((n, d)) for _ in range(k)]
            C = [cp.Parameter((n, d)) for _ in range(k)]
            E = [cp.Parameter((n, d)) for _ in range(k)]
            U = cp.Variable((k, d))
            prediction = sum(A[j] @ U[j] for j in range(k)) if k else np.zeros(n)
            objective = cp.sum_squares(prediction - self.y) / (2 * n)
            if k:
                objective = objective + self.lam * cp.sum(cp.norm(U, 2, axis=1))
            constraints = [C[j] @ U[j] >= 0 for j in range(k)] + [E[j] @ U[j] == 0 for j in range(k)]
            problem = cp.Problem(cp.Minimize(objective), constraints)
            self._programs[k] = (problem, A, C, E, U)
        return self._programs[k]

    def solve(self, patterns: list[SignedPattern], equalities: dict[SignedPattern, list[int]] | None = None) -> Solution:
        """Solve C(S) in floats, with <x_i, u_p> = 0 added for each row i in equalities[p] (facet programs);
        Clarabel on the conic form directly (`_conic_form`), then SCS through cvxpy; raises SolverFailure if
        no solver reaches an optimal status."""
        patterns = sorted(set(patterns))
        equalities = equalities or {}
        k = len(patterns)
        if k == 0:
            return Solution([], np.zeros((0, self.X.shape[1])), self.beta**2 * float(self.y @ self.y) / (2 * len(self.y)),
                            "none")
        failures = []
        try:
            U, value = self._clarabel(patterns, equalities)
            return Solution(patterns, (self.beta / self.alpha) * U, self.beta**2 * value, "CLARABEL")
        except SolverFailure as exc:
            failures.append(str(exc))
        problem, A, C, E, U = self._program(k)
        for j, p in enumerate(patterns):
            sigma = np.array(p.sigma, dtype=float)
            A[j].value = p.s * (sigma > 0)[:, None] * self.X
            C[j].value = sigma[:, None] * self.X
            rows = np.zeros(len(sigma), dtype=bool)
            rows[equalities.get(p, [])] = True
            E[j].value = rows[:, None] * self.X
        for solver in SOLVERS[1:]:
            try:
                with warnings.catch_warnings():   # accuracy is judged by polishing and the checker, not here
                    warnings.simplefilter("ignore", UserWarning)
                    problem.solve(solver=solver, **_TOLERANCES[solver])
            except cp.error.SolverError as exc:
                failures.append(f"{solver}: {exc}")
                continue
            if problem.status in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) and U.value is not None:
                U_original = (self.beta / self.alpha) * np.array(U.value)
                return Solution(patterns, U_original, self.beta**2 * float(problem.value), solver)
            failures.append(f"{solver}: status {problem.status}")
        raise SolverFailure(f"C(S) with |S| = {k}: no solver succeeded ({'; '.join(failures)})")

    def _clarabel(self, patterns: list[SignedPattern], equalities: dict) -> tuple[np.ndarray, float]:
        """The scaled C~(S) by Clarabel: (U~, C~)."""
        P, q, A, b, cones = self._conic_form(patterns, equalities)
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        for name, value in _TOLERANCES["CLARABEL"].items():
            setattr(settings, name, value)
        solution = clarabel.DefaultSolver(P, q, A, b, cones, settings).solve()
        if str(solution.status) not in ("Solved", "AlmostSolved"):
            raise SolverFailure(f"CLARABEL: status {solution.status}")
        k, d = len(patterns), self.X.shape[1]
        x = np.array(solution.x)
        return x[: k * d].reshape(k, d), float(solution.obj_val)

    def _conic_form(self, patterns: list[SignedPattern], equalities: dict):
        """C~(S) as min 1/2 x^T P x + q^T x subject to A x + s = b, s in the cones, x = (u_1..u_k, t, e):
        e = sum_k s_k D_k X u_k - y (zero cone), sigma_i <x_i, u_k> >= 0 (nonnegative cone), <x_i, u_k> = 0 for
        equality rows (zero cone), ||u_k|| <= t_k (second-order cones); objective ||e||^2/(2n) + lambda sum t_k."""
        n, d = self.X.shape
        k = len(patterns)
        t0, e0, width = k * d, k * d + k, k * d + k + n
        signs = np.array([p.sigma for p in patterns], dtype=float)             # (k, n)
        s = np.array([p.s for p in patterns], dtype=float)
        triplets = []                                                           # (rows, columns, values)
        j, i, c = np.nonzero((signs > 0)[:, :, None] & np.ones((1, 1, d), dtype=bool))
        triplets.append((i, j * d + c, s[j] * self.X[i, c]))                   # sum_j s_j D_j X u_j - e = y
        triplets.append((np.arange(n), e0 + np.arange(n), -np.ones(n)))
        row = n
        for j, p in enumerate(patterns):                                        # equality rows: <x_r, u_j> = 0
            for r in equalities.get(p, []):
                triplets.append((np.full(d, row), j * d + np.arange(d), self.X[r]))
                row += 1
        zero = row
        j, i = np.nonzero(signs)                                                # sigma_i <x_i, u_j> >= 0
        rows = row + np.arange(len(j))
        triplets.append((np.repeat(rows, d), (j * d)[:, None].repeat(d, 1).ravel() + np.tile(np.arange(d), len(j)),
                         -(signs[j, i][:, None] * self.X[i]).ravel()))
        row += len(j)
        nonnegative = len(j)
        heads = row + (d + 1) * np.arange(k)                                   # (t_j, u_j) in a second-order cone
        triplets.append((heads, t0 + np.arange(k), -np.ones(k)))
        triplets.append(((heads[:, None] + 1 + np.arange(d)).ravel(), np.arange(k * d), -np.ones(k * d)))
        row += k * (d + 1)
        rows, columns, values = (np.concatenate(part) for part in zip(*triplets))
        A = sparse.csc_matrix((values, (rows, columns)), shape=(row, width))
        b = np.zeros(row)
        b[:n] = self.y
        cones = ([clarabel.ZeroConeT(zero)] + ([clarabel.NonnegativeConeT(nonnegative)] if nonnegative else []) +
                 [clarabel.SecondOrderConeT(d + 1) for _ in range(k)])
        if k not in self._objectives:       # P and q depend on |S| only
            self._objectives[k] = (sparse.diags(np.concatenate([np.zeros(e0), np.full(n, 1.0 / n)])).tocsc(),
                                   np.concatenate([np.zeros(k * d), np.full(k, self.lam), np.zeros(n)]))
        P, q = self._objectives[k]
        return P, q, A, b, cones
