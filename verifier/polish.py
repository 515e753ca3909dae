"""From a float solution of C(S) to exact rational primal and dual witnesses (untrusted search).

1. Identify the face: the neurons with u_k != 0 and, for each, its active cone constraints
   sigma_i <x_i, u_k> = 0; write u_k = N_k z_k with N_k an exact basis of their null space.
2. Newton's method on F(z) = (1/(2n)) ||sum_k s_k D_k X N_k z_k - y||^2 + lambda sum_k ||N_k z_k||
   in high precision (mpmath); round z_k to rationals, so u_k keeps its active constraints exactly.
3. The residual r = y - f(X) of the rational point; for each pattern, multipliers mu >= 0 by an exact
   projection onto its active rows; r and mu scaled by t <= 1 until every pattern is dual-feasible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy as np
from scipy.optimize import nnls

from .checker import dual_value, prediction, primal_value
from .convex import SignedPattern, Solution
from .errors import SolverFailure
from .instance import Instance
from .numbers import null_basis, rref, sqrt_upper

__all__ = [
    "Neuron", "Dual", "polish", "rationalize", "residual", "dual_certificate", "extend_dual",
    "in_closed_cone", "norm_bound", "network_value", "project", "cone_vector", "cone_rows",
]

Vector = list[Fraction]


@dataclass
class Neuron:
    """u in the closed cone of `pattern`; the balanced network neuron is a = s sqrt||u||, w = u / sqrt||u||."""

    pattern: SignedPattern
    u: Vector


@dataclass
class Dual:
    """A dual-feasible residual r for `multipliers`' patterns (mu >= 0 each; `free` holds the multipliers nu
    of equality rows, per pattern) and its bound (1/n)(r^T y - ||r||^2/2)."""

    r: Vector
    multipliers: dict[SignedPattern, Vector]
    value: Fraction
    free: dict[SignedPattern, dict[int, Fraction]] = field(default_factory=dict)


def rationalize(x, digits: int) -> Fraction:
    """A rational within 10^-digits of a float or mpf: the simplest one with denominator <= 10^(digits/2)
    when there is one (so rational optima come out exact), else the nearest with denominator 10^digits."""
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


def polish(instance: Instance, solution: Solution, digits: int = 30, tol: float = 1e-6,
           equalities: dict[SignedPattern, list[int]] | None = None) -> list[Neuron]:
    """Rational neurons (the non-zero u_k) near the float solution, refined to about 10^-digits.

    If Newton does not converge on the identified face, the float point is rounded on that face
    instead; the certified gap then reports how good it is. Neurons that leave their cone are dropped
    (u = 0 is always feasible), so the result is always a feasible point of C(S). Rows in equalities[p]
    are kept active for pattern p (facet programs).
    """
    equalities = equalities or {}
    X = np.array(instance.X, dtype=float)
    faces = []
    for p, u in _merged(solution, tol):
        norm = np.linalg.norm(u)
        slack = np.array(p.sigma) * (X @ u)
        rows = cone_rows(instance, p)
        active = [rows[i] for i in range(instance.n)
                  if p.sigma[i] and (i in equalities.get(p, ()) or slack[i] <= tol * norm * (1 + np.linalg.norm(X[i])))]
        basis = null_basis(active, instance.d)
        if basis:
            B = np.array(basis, dtype=float).T
            faces.append((p, basis, np.linalg.lstsq(B, u, rcond=None)[0]))
    z = _newton(instance, faces, digits)
    if z is not None:
        neurons = _neurons(faces, z, digits + 6)
        if all(in_closed_cone(instance, nr.pattern, nr.u) for nr in neurons):
            return neurons
    neurons = _neurons(faces, [face[2] for face in faces], 14)
    return [nr for nr in neurons if in_closed_cone(instance, nr.pattern, nr.u)]


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


def _newton(instance: Instance, faces, digits: int):
    """Damped Newton on the face in precision ~2 digits; the z_k blocks, or None without convergence."""
    if not faces:
        return []
    n = instance.n
    mpmath.mp.dps = 2 * digits + 20
    lam = _mp(instance.lam)
    y = mpmath.matrix([_mp(q) for q in instance.y])
    blocks = []
    for p, basis, _ in faces:
        N = mpmath.matrix([[_mp(v[i]) for v in basis] for i in range(instance.d)])
        DX = mpmath.matrix([[_mp(x) * p.s if p.sigma[i] > 0 else 0 for x in instance.X[i]] for i in range(n)])
        blocks.append((N, DX * N))
    sizes = [N.cols for N, _ in blocks]
    offsets = [int(x) for x in np.cumsum([0] + sizes)]
    B = mpmath.matrix(n, offsets[-1])
    for (_, DXN), start, size in zip(blocks, offsets, sizes):
        for i in range(n):
            for j in range(size):
                B[i, start + j] = DXN[i, j]
    z = mpmath.matrix([mpmath.mpf(float(c)) for face in faces for c in face[2]])
    BtB, Bty = B.T * B / n, B.T * y / n

    def objective(z):
        fit = B * z - y
        return (fit.T * fit)[0] / (2 * n) + lam * sum(mpmath.norm(N * z[start: start + size])
                                                      for (N, _), start, size in zip(blocks, offsets, sizes))

    target = mpmath.mpf(10) ** (-(digits + 8))
    gradient_scale = 1 + mpmath.norm(Bty) + lam
    value = objective(z)
    for _ in range(40):
        grad = BtB * z - Bty
        H = BtB.copy()
        for (N, _), start, size in zip(blocks, offsets, sizes):
            u = N * z[start: start + size]
            rho = mpmath.norm(u)
            if rho == 0:
                return None
            g = N.T * u / rho
            Hk = (N.T * N - g * g.T) / rho
            for i in range(size):
                grad[start + i] += lam * g[i]
                for j in range(size):
                    H[start + i, start + j] += lam * Hk[i, j]
        damping = mpmath.norm(grad)
        if damping <= target * gradient_scale:   # first-order optimal on the face (minima may be non-isolated)
            return [[z[start + j] for j in range(size)] for start, size in zip(offsets, sizes)]
        for i in range(H.rows):   # Levenberg-Marquardt damping: fast convergence to non-isolated minima
            H[i, i] += damping
        try:
            step = mpmath.lu_solve(H, grad)
        except ZeroDivisionError:
            return None
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


def residual(instance: Instance, neurons: list[Neuron]) -> Vector:
    """r = y - f(X) exactly."""
    f = prediction(instance, [(nr.pattern.s, nr.u) for nr in neurons])
    return [a - b for a, b in zip(instance.y, f)]


def project(h: Vector, rows: list[Vector], free: list[Vector] = ()) -> tuple[list[Fraction], list[Fraction], Vector]:
    """Exact Moreau projection: mu >= 0 (one per row) and nu (one per free row) minimizing
    ||h + C^T mu + F^T nu||, and v = h + C^T mu + F^T nu, the projection of h onto
    {w : C w >= 0, F w = 0}. Lawson-Hanson active-set iterations in rationals, started from a float NNLS.

    It returns once mu >= 0 and C v >= 0 hold exactly (F v = 0 and mu_i (C v)_i = 0 hold by construction),
    so v is the projection and ||v|| the exact minimum."""
    rows, free = [list(r) for r in rows], [list(f) for f in free]
    k = len(rows)
    stacked = rows + free + [[-x for x in f] for f in free]
    if stacked:
        A = np.array(stacked, dtype=float).T
        guess, _ = nnls(A, -np.array(h, dtype=float), maxiter=50 * (A.shape[1] + 1))
        active = {i for i in range(k) if guess[i] > 0}
    else:
        active = set()
    for _ in range(4 * k + 8):
        chosen = sorted(active)
        generators = [rows[i] for i in chosen] + free
        coefficients = _least_squares(h, generators)
        mu_active, nu = coefficients[: len(chosen)], coefficients[len(chosen):]
        if any(c < 0 for c in mu_active):   # step back: drop the most negative multiplier
            active.discard(chosen[min(range(len(chosen)), key=lambda t: mu_active[t])])
            continue
        mu = [Fraction(0)] * k
        for i, c in zip(chosen, mu_active):
            mu[i] = c
        v = list(h)
        for c, g in zip(mu_active + nu, generators):
            v = [a + c * b for a, b in zip(v, g)]
        violated = [(sum(a * b for a, b in zip(rows[i], v)), i) for i in range(k) if i not in active]
        worst = min(violated, default=(Fraction(0), -1))
        if worst[0] >= 0:
            return mu, nu, v
        active.add(worst[1])
    raise SolverFailure("exact cone projection did not converge")


def _least_squares(h: Vector, generators: list[Vector]) -> list[Fraction]:
    """Coefficients c minimizing ||h + sum c_g g|| (exactly; dependent generators get coefficient 0)."""
    if not generators:
        return []
    independent = rref([list(col) for col in zip(*generators)])[1]
    basis = [generators[t] for t in independent]
    gram = [[sum(a * b for a, b in zip(gi, gj)) for gj in basis] + [-sum(a * b for a, b in zip(gi, h))]
            for gi in basis]
    solution = [row[-1] for row in rref(gram)[0]]
    out = [Fraction(0)] * len(generators)
    for t, c in zip(independent, solution):
        out[t] = c
    return out


def cone_vector(instance: Instance, pattern: SignedPattern, r: Vector) -> Vector:
    """h = (s/n) X^T D_sigma r."""
    return [sum((Fraction(pattern.s, instance.n) * r[i] * instance.X[i][c] for i in range(instance.n)
                 if pattern.sigma[i] > 0), Fraction(0)) for c in range(instance.d)]


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
    for p in patterns:
        rows = equalities.get(p, [])
        mu, nu, v = project(cone_vector(instance, p, r), cone_rows(instance, p), [list(instance.X[i]) for i in rows])
        multipliers[p] = mu
        if rows:
            free[p] = dict(zip(rows, nu))
        worst = max(worst, sum(x * x for x in v))
    if worst > lam2:
        t = instance.lam / sqrt_upper(worst, digits)
        r = [t * x for x in r]
        multipliers = {p: [t * x for x in mu] for p, mu in multipliers.items()}
        free = {p: {i: t * x for i, x in nu.items()} for p, nu in free.items()}
    return Dual(r, multipliers, dual_value(instance, r), free)


def extend_dual(instance: Instance, dual: Dual, patterns: list[SignedPattern]) -> Dual:
    """The same residual with multipliers added for every other pattern on which it is dual-feasible."""
    multipliers = dict(dual.multipliers)
    for p in patterns:
        if p not in multipliers:
            mu, _, v = project(cone_vector(instance, p, dual.r), cone_rows(instance, p))
            if sum(x * x for x in v) <= instance.lam ** 2:
                multipliers[p] = mu
    return Dual(dual.r, multipliers, dual.value, dual.free)


def norm_bound(u: Vector, digits: int) -> Fraction:
    """A rational q >= ||u|| within 10^-digits."""
    return sqrt_upper(sum(x * x for x in u), digits)


def network_value(instance: Instance, neurons: list[Neuron], digits: int) -> Fraction:
    """The certified upper bound on the loss of the balanced network of these neurons."""
    return primal_value(instance, [(nr.pattern.s, nr.u, norm_bound(nr.u, digits)) for nr in neurons])
