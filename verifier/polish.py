"""From a float solution of C(S) to exact rational primal and dual witnesses (untrusted search).

1. Identify the face: the neurons with u_k != 0 and, for each, its active cone constraints
   sigma_i <x_i, u_k> = 0; write u_k = N_k z_k with N_k an exact basis of their null space.
2. Newton's method on F(z) = (1/(2n)) ||sum_k s_k D_k X N_k z_k - y||^2 + lambda sum_k ||N_k z_k||
   in high precision (mpmath); round z_k to rationals, so u_k keeps its active constraints exactly.
3. The residual r = y - f(X) of the rational point; for each pattern, multipliers mu >= 0 by an exact
   projection onto its active rows; r and mu scaled by t <= 1 until every pattern is dual-feasible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
from flint import fmpq, fmpq_mat
from scipy.optimize import nnls

from .checker import cone_excess, dual_value
from .checker.core import Scaled, primal_bound, residual as exact_residual
from .convex import Solution
from .errors import SolverFailure
from .instance import Instance
from .linalg import column, least_squares, matrix, null_basis, to_fmpq, to_fraction
from .neurons import Dual, Neuron, SignedPattern   # solver-free; re-exported here
from .numbers import sqrt_upper

__all__ = [
    "Neuron", "Dual", "polish", "polish_point", "FLOAT_DIGITS", "rationalize", "residual", "dual_certificate", "extend_dual",
    "feasible_multipliers",
    "in_closed_cone", "norm_bound", "network_value", "project", "cone_vector", "cone_rows",
]

Vector = list[Fraction]


def rationalize(x, digits: int) -> Fraction:
    """A rational within 10^-digits of a float or mpf: the simplest one with denominator <= 10^(digits/2)
    when there is one (so rational optima come out exact), else the nearest with denominator 10^digits.
    Floats are converted exactly (no mpmath: the result never depends on mpmath's working precision)."""
    if isinstance(x, (float, np.floating)):
        exact = Fraction(float(x))
        simple = exact.limit_denominator(10 ** (digits // 2))
        if abs(simple - exact) <= Fraction(1, 10**digits):
            return simple
        return Fraction(round(exact * 10**digits), 10**digits)
    value = mpmath.mpf(x)
    sign, mantissa, exponent, _ = value._mpf_   # mpmath's (sign, |mantissa|, exponent, bits)
    exact = (-1) ** sign * Fraction(int(mantissa)) * Fraction(2) ** int(exponent)
    simple = exact.limit_denominator(10 ** (digits // 2))
    if abs(simple - exact) <= Fraction(1, 10**digits):
        return simple
    scale = 10**digits
    return Fraction(int(mpmath.nint(value * scale)), scale)


def in_closed_cone(instance: Instance, pattern: SignedPattern, u: Vector) -> bool:
    return all(s * sum(a * b for a, b in zip(x, u)) >= 0 for s, x in zip(pattern.sigma, instance.X) if s)


def _mp(q: Fraction):
    return mpmath.mpf(q.numerator) / q.denominator


FLOAT_DIGITS = 14   # what a float64 Newton point is worth: certificates built from it have gaps ~1e-13
_PRECISE_STEPS = 6  # high-precision steps after the float Newton (each gains ~13 digits: 2-3 are needed)


def polish(instance: Instance, solution: Solution, digits: int = 30, tol: float = 1e-6,
           equalities: dict[SignedPattern, list[int]] | None = None) -> list[Neuron]:
    """Rational neurons (the non-zero u_k) near the float solution, refined to about 10^-digits (see
    `polish_point`, which also says whether that precision was reached)."""
    return polish_point(instance, solution, digits, tol, equalities)[0]


def polish_point(instance: Instance, solution: Solution, digits: int = 30, tol: float = 1e-6,
                 equalities: dict[SignedPattern, list[int]] | None = None) -> tuple[list[Neuron], bool]:
    """Rational neurons near the float solution and whether they reach about 10^-digits.

    On the identified face, Newton's method runs in float64 first; when more than FLOAT_DIGITS digits are
    asked, at most a few high-precision steps follow. If those stall, the float Newton point is rounded
    instead (False is returned: the certificate is valid but its interval wider), so no polish takes
    seconds. Neurons that leave their cone are dropped (u = 0 is always feasible), so the result is always
    a feasible point of C(S). Rows in equalities[p] are kept active for pattern p (facet programs).
    """
    equalities = equalities or {}
    X = np.array(instance.X, dtype=float)
    merged = list(_merged(solution, tol))
    extra: dict[SignedPattern, set[int]] = {}
    for attempt in range(2):
        faces = []
        for p, u in merged:
            norm = np.linalg.norm(u)
            slack = np.array(p.sigma) * (X @ u)
            rows = cone_rows(instance, p)
            active = [rows[i] for i in range(instance.n)
                      if p.sigma[i] and (i in equalities.get(p, ()) or i in extra.get(p, ())
                                         or slack[i] <= tol * norm * (1 + np.linalg.norm(X[i])))]
            basis = null_basis(active, instance.d)
            if basis:
                B = np.array(basis, dtype=float).T
                faces.append((p, basis, np.linalg.lstsq(B, u, rcond=None)[0]))
        start = _newton_float(instance, faces) or [face[2] for face in faces]
        if digits > FLOAT_DIGITS:
            with mpmath.workdps(_working_digits(digits)):   # the Newton steps and the rounding of their point
                z = _newton(instance, faces, start, digits)
                neurons = _neurons(faces, z, digits + 6) if z is not None else None
            if neurons is not None:
                violated = {nr.pattern: _violated_rows(instance, nr) for nr in neurons}
                if not any(violated.values()):
                    return neurons, True
                if attempt == 0:   # the point converged onto a kink it was not told about: make it active, retry
                    for pattern, rows in violated.items():
                        extra.setdefault(pattern, set()).update(rows)
                    continue
        break
    neurons = [nr for nr in _neurons(faces, start, FLOAT_DIGITS) if in_closed_cone(instance, nr.pattern, nr.u)]
    return neurons, digits <= FLOAT_DIGITS


def _violated_rows(instance: Instance, neuron: Neuron) -> set[int]:
    """Rows i with sigma_i <x_i, u> < 0: where the neuron has left the closed cone of its pattern."""
    return {i for i, (s, x) in enumerate(zip(neuron.pattern.sigma, instance.X))
            if s and s * sum(a * b for a, b in zip(x, neuron.u)) < 0}


def _newton_float(instance: Instance, faces, steps: int = 30):
    """Damped Newton on the face in float64 (the same iteration as `_newton`); the z_k blocks, or None when a
    neuron reaches 0."""
    if not faces:
        return []
    n = instance.n
    X, y, lam = np.array(instance.X, dtype=float), np.array(instance.y, dtype=float), float(instance.lam)
    Ns = [np.array(basis, dtype=float).T for _, basis, _ in faces]
    B = np.hstack([(p.s * (np.array(p.sigma) > 0))[:, None] * X @ N for (p, _, _), N in zip(faces, Ns)])
    offsets = np.cumsum([0] + [N.shape[1] for N in Ns])
    blocks = [(N, slice(a, b)) for N, a, b in zip(Ns, offsets[:-1], offsets[1:])]
    BtB, Bty = B.T @ B / n, B.T @ y / n
    z = np.concatenate([face[2] for face in faces])

    def objective(z):
        fit = B @ z - y
        return fit @ fit / (2 * n) + lam * sum(np.linalg.norm(N @ z[k]) for N, k in blocks)

    value = objective(z)
    for _ in range(steps):
        grad, H = BtB @ z - Bty, BtB.copy()
        for N, k in blocks:
            u = N @ z[k]
            rho = np.linalg.norm(u)
            if rho == 0:
                return None
            g = N.T @ u / rho
            grad[k] += lam * g
            H[k, k] += lam * (N.T @ N - np.outer(g, g)) / rho
        damping = np.linalg.norm(grad)
        H[np.diag_indices_from(H)] += damping
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while t > 1e-12:
            trial = z - t * step
            trial_value = objective(trial)
            if trial_value <= value - t * (grad @ step) / 4:
                break
            t /= 2
        else:
            break   # no decrease left in float64
        z, value = trial, trial_value
        if np.linalg.norm(t * step) <= 1e-16 * (1 + np.linalg.norm(z)):
            break
    return [z[k] for _, k in blocks]


def _merged(solution: Solution, tol: float) -> list[tuple[SignedPattern, np.ndarray]]:
    """The non-zero neurons, with parallel neurons of one sign merged into one: both closed cones hold
    their common direction, so u_1 + u_2 has the same prediction and the same norm sum (this removes
    the flat directions that would make Newton's system singular)."""
    norms = np.linalg.norm(solution.U, axis=1) if len(solution.U) else np.zeros(0)
    scale = max(1.0, float(norms.max(initial=0.0)))
    kept: list[tuple[SignedPattern, np.ndarray]] = []
    for j in np.argsort(-norms):
        if norms[j] <= tol * scale:
            break
        p, u = solution.patterns[j], solution.U[j]
        for k, (q, v) in enumerate(kept):
            if q.s == p.s and u @ v >= (1 - tol) * norms[j] * np.linalg.norm(v):
                kept[k] = (q, v + u)
                break
        else:
            kept.append((p, u.copy()))
    return kept


def _neurons(faces, z, digits: int) -> list[Neuron]:
    out = []
    for (p, basis, _), zk in zip(faces, z):
        coefficients = [rationalize(c, digits) for c in zk]
        out.append(Neuron(p, [sum(c * v[i] for c, v in zip(coefficients, basis)) for i in range(len(basis[0]))]))
    return out


def _working_digits(digits: int) -> int:
    """The mpmath precision (decimal digits) of a Newton polish to 10^-digits."""
    return 2 * digits + 20


def _newton(instance: Instance, faces, initial, digits: int, steps: int | None = None):
    """Newton on the face from `initial` with the gradient in precision ~2 digits and the step from the float64
    Hessian (iterative refinement: each step gains ~13 digits; no high-precision factorization), at most
    `steps` steps; the z_k blocks, or None without convergence. Runs in its own mpmath precision
    (`mpmath.workdps`, nothing set for the process); a caller that rounds the mpf blocks does so in the same one."""
    with mpmath.workdps(_working_digits(digits)):
        return _newton_steps(instance, faces, initial, digits, steps)


def _newton_steps(instance: Instance, faces, initial, digits: int, steps: int | None):
    if not faces:
        return []
    n = instance.n
    lam = _mp(instance.lam)
    y = mpmath.matrix([_mp(q) for q in instance.y])
    Ns, Nts, B_rows = [], [], [[] for _ in range(n)]
    for p, basis, _ in faces:
        N = [[_mp(v[i]) for v in basis] for i in range(instance.d)]
        Ns.append(mpmath.matrix(N))
        Nts.append(mpmath.matrix(N).T)
        for i in range(n):   # row i of D X N: s x_i^T N when sigma_i > 0
            B_rows[i] += ([p.s * mpmath.fsum(_mp(instance.X[i][c]) * N[c][j] for c in range(instance.d))
                           for j in range(len(basis))] if p.sigma[i] > 0 else [mpmath.mpf(0)] * len(basis))
    sizes = [N.cols for N in Ns]
    offsets = [int(x) for x in np.cumsum([0] + sizes)]
    B = mpmath.matrix(B_rows)
    Bt = B.T
    B_float = np.array(B.tolist(), dtype=float)
    N_float = [np.array(N.tolist(), dtype=float) for N in Ns]
    z = mpmath.matrix([mpmath.mpf(float(c)) for block in initial for c in block])

    def objective(z):
        fit = B * z - y
        return (fit.T * fit)[0] / (2 * n) + lam * sum(mpmath.norm(N * z[start: start + size])
                                                      for N, start, size in zip(Ns, offsets, sizes))

    target = mpmath.mpf(10) ** (-(digits + 8))
    gradient_scale = 1 + mpmath.norm(Bt * y) / n + lam
    value = objective(z)
    for _ in range(_PRECISE_STEPS if steps is None else steps):
        grad = Bt * (B * z - y) / n
        H = B_float.T @ B_float / n
        for N, Nt, Nf, start, size in zip(Ns, Nts, N_float, offsets, sizes):
            u = N * z[start: start + size]
            rho = mpmath.norm(u)
            if rho == 0:
                return None
            g = Nt * u / rho
            for i in range(size):
                grad[start + i] += lam * g[i]
            g_float, rho_float = np.array(g.tolist(), dtype=float).ravel(), float(rho)
            H[start: start + size, start: start + size] += float(lam) * (Nf.T @ Nf - np.outer(g_float, g_float)) / rho_float
        damping = mpmath.norm(grad)
        if damping <= target * gradient_scale:   # first-order optimal on the face (minima may be non-isolated)
            return [[z[start + j] for j in range(size)] for start, size in zip(offsets, sizes)]
        H[np.diag_indices_from(H)] += float(damping)   # Levenberg-Marquardt: non-isolated minima
        grad_float = np.array(grad.tolist(), dtype=float).ravel()
        if not np.all(np.isfinite(H)):
            return None
        step = mpmath.matrix(np.linalg.lstsq(H, grad_float, rcond=None)[0].tolist())
        slope = (grad.T * step)[0]
        t = mpmath.mpf(1)
        while True:   # Armijo backtracking: F is convex on the face
            trial = z - t * step
            trial_value = objective(trial)
            if trial_value <= value - t * slope / 4 or t < mpmath.mpf(10) ** -12:
                break
            t /= 2
        z, value = trial, trial_value
    return None


def residual(instance: Instance, neurons) -> Vector:
    """r = y - f(X) exactly for Neurons or (s_k, u_k) pairs: the checker's own `residual` (summed in integers)."""
    return exact_residual(instance, [(nr.pattern.s, nr.u) if isinstance(nr, Neuron) else nr for nr in neurons])


def project(h: Vector, rows: list[Vector], free: list[Vector] = ()) -> tuple[list[Fraction], list[Fraction], Vector]:
    """Exact Moreau projection: mu >= 0 (one per row) and nu (one per free row) minimizing
    ||h + C^T mu + F^T nu||, and v = h + C^T mu + F^T nu, the projection of h onto
    {w : C w >= 0, F w = 0}. Lawson-Hanson active-set iterations in rationals, started from a float NNLS.

    It returns once mu >= 0 and C v >= 0 hold exactly (F v = 0 and mu_i (C v)_i = 0 hold by construction),
    so v is the projection and ||v|| the exact minimum."""
    rows, free = [list(r) for r in rows], [list(f) for f in free]
    mu, nu, v = _project(column(h), matrix(rows) if rows else None, [[to_fmpq(x) for x in f] for f in free],
                         np.array(h, dtype=float), np.array(rows + free + [[-x for x in f] for f in free], dtype=float))
    return [to_fraction(c) for c in mu], [to_fraction(c) for c in nu], [to_fraction(v[i, 0]) for i in range(len(h))]


def _project(H: fmpq_mat, C: fmpq_mat | None, F: list[list], h: np.ndarray, stacked: np.ndarray):
    """`project` on python-flint matrices: H the column h, C the k x d rows (None when k = 0), F the free rows;
    h and stacked (rows, free, -free) in floats for the NNLS start. Returns mu, nu (fmpq lists) and v (a column)."""
    k = C.nrows() if C is not None else 0
    d = H.nrows()
    if len(stacked):
        guess, _ = nnls(stacked.T, -h, maxiter=50 * (len(stacked) + 1))
        active = {i for i in range(k) if guess[i] > 0}
    else:
        active = set()
    Cq = [[C[i, j] for j in range(d)] for i in range(k)]
    for _ in range(4 * k + 8):
        chosen = sorted(active)
        generators = [Cq[i] for i in chosen] + F
        G = fmpq_mat(d, len(generators), [g[i] for i in range(d) for g in generators])
        coefficients = least_squares(H, G)
        mu_active, nu = coefficients[: len(chosen)], coefficients[len(chosen):]
        if any(c < 0 for c in mu_active):   # step back: drop the most negative multiplier
            active.discard(chosen[min(range(len(chosen)), key=lambda t: mu_active[t])])
            continue
        v = H + G * column(coefficients) if generators else H
        slack = C * v if k else None
        worst = min(((slack[i, 0], i) for i in range(k) if i not in active), default=(0, -1))
        if worst[0] >= 0:
            mu = [fmpq(0)] * k
            for i, c in zip(chosen, mu_active):
                mu[i] = c
            return mu, nu, v
        active.add(worst[1])
    raise SolverFailure("exact cone projection did not converge")


def cone_vector(instance: Instance, pattern: SignedPattern, r: Vector) -> Vector:
    """h = (s/n) X^T D_sigma r."""
    active = [Fraction(pattern.s, instance.n) * r[i] if pattern.sigma[i] > 0 else 0 for i in range(instance.n)]
    X = instance.flint_X
    h = fmpq_mat(instance.d, instance.n, [X[i][c] for c in range(instance.d) for i in range(instance.n)]) * column(active)
    return [to_fraction(h[c, 0]) for c in range(instance.d)]


def cone_rows(instance: Instance, pattern: SignedPattern) -> list[Vector]:
    """The rows sigma_i x_i of C_sigma, one per data row (zero rows give zero rows)."""
    return [[pattern.sigma[i] * x for x in instance.X[i]] for i in range(instance.n)]


def dual_certificate(instance: Instance, neurons: list[Neuron], patterns: list[SignedPattern],
                     digits: int = 40, equalities: dict[SignedPattern, list[int]] | None = None) -> Dual:
    """A residual dual-feasible on every pattern: r = t (y - f(X)) with t <= 1 as large as the worst
    pattern allows, and its multipliers (free ones on the equality rows of each pattern)."""
    equalities = equalities or {}
    r = residual(instance, neurons)
    multipliers, free = {}, {}
    lam2 = instance.lam ** 2
    worst = Fraction(0)
    rq = column(r)
    r_float, r_scaled = np.array(r, dtype=float), Scaled.of(r)
    for p in patterns:
        rows = equalities.get(p, [])
        quick = None if rows else _rounded_scaled(_float_projection(instance, p, r_float)[0])
        excess = cone_excess(instance, p.sigma, p.s, r_scaled, quick) if quick is not None else None
        if excess is not None and excess <= 0:   # the float multipliers, rounded, already prove the cone inequality
            mu = quick.values()
            worst = max(worst, excess + lam2)
        elif rows:
            mu, nu, v = project(cone_vector(instance, p, r), cone_rows(instance, p), [list(instance.X[i]) for i in rows])
            free[p] = dict(zip(rows, nu))
            worst = max(worst, sum(x * x for x in v))
        else:
            C, Ct, floats = _cone_matrices(instance, p)
            H = Ct * rq
            mu_q, _, vq = _project(H, C, [], np.array([float(H[i, 0]) for i in range(instance.d)]), floats)
            mu = [to_fraction(c) for c in mu_q]
            worst = max(worst, to_fraction((vq.transpose() * vq)[0, 0]))
        multipliers[p] = mu
    if worst > lam2:
        t = instance.lam / sqrt_upper(worst, digits)
        r = [t * x for x in r]
        multipliers = {p: [t * x for x in mu] for p, mu in multipliers.items()}
        free = {p: {i: t * x for i, x in nu.items()} for p, nu in free.items()}
    return Dual(r, multipliers, dual_value(instance, r), free)


def extend_dual(instance: Instance, dual: Dual, patterns: list[SignedPattern]) -> Dual:
    """The same residual with multipliers added for every other pattern on which it is dual-feasible
    (as far as `feasible_multipliers` sees: a pattern left out only makes the covered set smaller)."""
    multipliers = dict(dual.multipliers)
    for p in patterns:
        if p not in multipliers:
            mu = feasible_multipliers(instance, dual.r, p)
            if mu is not None:
                multipliers[p] = mu
    return Dual(dual.r, multipliers, dual.value, dual.free)


@dataclass(frozen=True)
class Residual:
    """A dual residual r with its float and integer (`Scaled`) forms: what one r tried on many patterns
    (`feasible_multipliers`) converts once."""

    exact: list[Fraction]
    floats: np.ndarray
    scaled: Scaled

    @classmethod
    def of(cls, r: Vector) -> "Residual":
        return cls(list(r), np.array(r, dtype=float), Scaled.of(r))


def feasible_multipliers(instance: Instance, r: Vector | Residual, pattern: SignedPattern) -> list[Fraction] | None:
    """mu >= 0 with ||h + C_sigma^T mu|| <= lambda exactly (h = cone_vector(r)): r is dual-feasible on the
    pattern; None when it is not, or when a float projection already puts it clearly outside (distance >
    lambda (1 + 1e-6)), in which case no exact work is done. The float multipliers, rounded, are tried first
    (one exact cone_excess); the exact projection runs only when they do not prove it."""
    r = r if isinstance(r, Residual) else Residual.of(r)
    mu, distance = _float_projection(instance, pattern, r.floats, inside=float(instance.lam) * (1 - 1e-9))
    if distance > float(instance.lam) * (1 + 1e-6) + 1e-300:
        return None
    quick = _rounded_scaled(mu)
    if quick is not None and cone_excess(instance, pattern.sigma, pattern.s, r.scaled, quick) <= 0:
        return quick.values()
    C, Ct, rows = _cone_matrices(instance, pattern)
    H = Ct * column(r.exact)
    mu, _, v = _project(H, C, [], np.array([float(H[i, 0]) for i in range(instance.d)]), rows)
    return [to_fraction(c) for c in mu] if (v.transpose() * v)[0, 0] <= to_fmpq(instance.lam ** 2) else None


def _cone_matrices(instance: Instance, pattern: SignedPattern) -> tuple[fmpq_mat, fmpq_mat, np.ndarray]:
    """C_sigma (rows sigma_i x_i), (s/n) X^T D_sigma (so that h = that times r) and C_sigma in floats."""
    X, floats = instance.flint_X, instance.float_X
    n, d = len(X), instance.d
    weight = fmpq(pattern.s, n)
    C = fmpq_mat(n, d, [x if sign > 0 else -x if sign < 0 else x * 0 for row, sign in zip(X, pattern.sigma) for x in row])
    Ct = fmpq_mat(d, n, [X[i][c] * weight if pattern.sigma[i] > 0 else fmpq(0) for c in range(d) for i in range(n)])
    return C, Ct, np.array(pattern.sigma, dtype=float)[:, None] * floats


def _rounded_scaled(mu: np.ndarray | None) -> Scaled | None:
    """mu rounded to multiples of 2^-50 times its largest entry (a power of two), as integers over that common
    denominator; None for None."""
    if mu is None:
        return None
    shift = max(0, 50 - math.frexp(float(mu.max()))[1])
    return Scaled(tuple(round(math.ldexp(x, shift)) for x in mu), 1 << shift)


def _float_projection(instance: Instance, pattern: SignedPattern, r: np.ndarray, inside: float = 0.0
                      ) -> tuple[np.ndarray | None, float]:
    """The float NNLS multipliers (None when the pattern has no non-zero sign) and dist(h, -cone(rows)): the float
    guess of mu and ||v|| in `project`. When ||h|| <= `inside`, mu = 0 is the guess (no NNLS: it already puts v
    inside that ball) and ||h|| the distance returned. With (s/n) X^T D_sigma (h = that times r) and C_sigma^T
    (columns sigma_i x_i) in floats, from the instance's float X^T and the pattern's float signs."""
    XT, sigma = instance.float_X.T, pattern.signs
    h = (pattern.s / instance.n * (XT * (sigma > 0))) @ r
    norm = math.sqrt(float(h @ h))
    if not sigma.any():
        return None, norm
    if norm <= inside:
        return np.zeros(instance.n), norm
    mu, distance = nnls(XT * sigma, -h, maxiter=50 * (instance.n + 1))
    return mu, float(distance)


def norm_bound(u: Vector, digits: int) -> Fraction:
    """A rational q >= ||u|| within 10^-digits."""
    return sqrt_upper(sum(x * x for x in u), digits)


def network_value(instance: Instance, neurons: list[Neuron], digits: int, r: Vector | None = None) -> Fraction:
    """An upper bound on the loss of the balanced network of these neurons: the checker's `primal_bound` with
    q_k = norm_bound(u_k) >= ||u_k|| (r = residual(neurons) when given)."""
    r = residual(instance, neurons) if r is None else r
    return primal_bound(instance, r, [norm_bound(nr.u, digits) for nr in neurons])
