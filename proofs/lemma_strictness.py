"""Lemma 8.2 (strict and non-strict local minima of the catalog, docs §8). Let u* in relint F be a certified local minimum
of G (theta* its balanced lift; every neuron non-zero), F = (F_1, s_1) x ... x (F_m, s_m), F_k of sign vector tau_k
with zero rows Z_k, and r* (the unique optimal residual of C_F) in the ball ||r* - r0||^2 <= rho2.

Non-strict. (1) If neurons j != k share a signed face, u*_j = t_j e and u*_k = t_k e with one unit vector
e = p(r*)/lambda (both satisfy lambda u/||u|| = P h(r*) with the same P and h), and u_j = (t_j + d) e,
u_k = (t_k - d) e keeps every prediction and the penalty: equal loss arbitrarily close to theta* (a valley).
(2) If the columns [s_k D_k X e_k(r) ; 1] of M(r) span a space of dimension < m for every r (they lie in
W = sum_k image(D_k X A_k) plus the last coordinate, so 1 + dim W < m suffices), a kernel vector v of M(r*) moves
t* to t* + eps v (all t_k > 0 for small eps) keeping prediction and sum t_k: again a valley.

Strict, when (i) the signed faces are distinct and (ii) rho2 * sum_i ||B_i||_F^2 < 1 with K = (M0^T M0)^-1 M0^T,
M(r) = M0 + sum_i (r - r0)_i M_i, B_i = K M_i. Proof:
- Unbalanced theta' near theta*: L(theta') > G(u') >= G(u*) = L(theta*) (lemma_balanced_lift; u* is a local minimum
  of G because the lift is continuous). Balanced theta' != theta* has u' != u*, so it suffices that G(u') > G(u*)
  for u' != u* near u*.
- u' near u* lies in cl R' for a region R' around F (the closed chambers around each u*_k cover a neighbourhood).
  G is convex on cl R' and u* minimizes it there, so G(u') = G(u*) makes u' a minimizer of R''s program too, and so
  is every point of the segment [u*, u']. All of them share one prediction (lemma_unique_predictions), hence one
  penalty: lambda sum_k ||u_k|| is constant on the segment, while each ||u_k|| is convex on it, so each equals its
  chord: ||(1 - t) u*_k + t u'_k|| = (1 - t) ||u*_k|| + t ||u'_k||, equality in the triangle inequality, so
  u'_k = c_k u*_k with c_k > 0 (u'_k != 0 near u*_k != 0). So u' lies in F (every neuron on its ray: no neuron
  leaves its kinks, whatever the kink multipliers are) and is a minimizer of C_F.
- Minimizers of C_F near u* in relint F: KKT gives u'_k = t'_k e_k(r*) with the same e_k, and all minimizers share
  the prediction sum_k t_k s_k D_k X e_k and the penalty lambda sum_k t_k: M(r*) (t' - t*) = 0. By (ii)
  K M(r*) = I + E with ||E||_2 <= ||E||_F <= ||r* - r0|| (sum_i ||B_i||_F^2)^(1/2) < 1 (Cauchy-Schwarz entrywise),
  so K M(r*) is invertible, M(r*) has full column rank and t' = t*: u' = u*. For m = 1 no ball is needed: the one
  column of M(r*) ends in 1, so it is never zero (a single neuron's minimizers t' e with one prediction and one
  penalty lambda t' have t' = t*).
(An earlier version also asked the kink multipliers to be proved > 0 on the ball, or the faces beyond the kinks to
be ruled out by a sign test; the segment argument shows every nearby minimizer stays on the rays of u*, so that
test only refused entries that are strict: e.g. a kink whose multiplier is exactly 0 at r*, checked below.)

Used by: checker.strictness.decide_strictness (through checker.catalog._strictness, the "strict" of a catalog entry),
and the solver side's catalog (the same function).
Checked below: the valleys of (1) and (2) exactly; equality in the triangle inequality forces a ray, and the
entrywise Cauchy-Schwarz bound (sum-of-squares identities); K M(r) = I + sum (r - r0)_i B_i for an affine M;
invertibility of I + E when ||E||_F < 1; the worked example x = (-1, 1), y = (1, 1/2), lambda = 1/8 against brute
force: width 1's 19/64 is strict (every rational perturbation on a grid raises L), width 2's 19/64 is not (a valley of
equal loss), and decide_strictness says the same; and neurons on one or two orthogonal kinks whose multipliers are 0
at r* (strict by brute force, and decided strict).
"""

import itertools
from fractions import Fraction

import sympy as sp


def check_valley_on_a_shared_signed_face():
    """Two neurons t_j e, t_k e on one signed face: moving d between them keeps prediction and penalty."""
    tj, tk, d = sp.symbols("t_j t_k d", positive=True)
    e = sp.Matrix(sp.symbols("e1:4", real=True))
    X = sp.Matrix([[1, 2, 0], [0, 1, -1], [2, -1, 1]])
    D = sp.diag(1, 0, 1)                                 # the face's active rows
    before = D * X * (tj * e) + D * X * (tk * e)
    after = D * X * ((tj + d) * e) + D * X * ((tk - d) * e)
    assert sp.expand(before - after) == sp.zeros(3, 1)
    assert sp.expand((tj + d) + (tk - d) - (tj + tk)) == 0      # ||t e|| = t for a unit vector e


def check_kernel_of_M_is_a_valley():
    """M v = 0 with M's columns [s_k D_k X e_k ; 1]: t + eps v keeps sum_k t_k s_k D_k X e_k and sum_k t_k."""
    eps = sp.symbols("epsilon", real=True)
    c1, c2, c3 = sp.Matrix([1, 2, 0]), sp.Matrix([0, 1, 1]), sp.Matrix([1, 0, -1])
    columns = [c1, c2, c3, c1 + c2 - c3]                 # [c4; 1] = [c1; 1] + [c2; 1] - [c3; 1]: M is dependent
    M = sp.Matrix.hstack(*[sp.Matrix.vstack(c, sp.Matrix([1])) for c in columns])
    v = M.nullspace()[0]
    t = sp.Matrix(sp.symbols("t1:5", positive=True))
    moved = t + eps * v
    prediction = sum((t[k] * columns[k] for k in range(4)), sp.zeros(3, 1))
    moved_prediction = sum((moved[k] * columns[k] for k in range(4)), sp.zeros(3, 1))
    assert sp.expand(prediction - moved_prediction) == sp.zeros(3, 1)
    assert sp.expand(sum(moved) - sum(t)) == 0


def check_equality_in_the_triangle_inequality_is_a_ray():
    """||a + b|| = ||a|| + ||b|| forces a, b positively parallel: (||a|| ||b||)^2 - (a.b)^2 is the Lagrange sum of
    squares of the 2 x 2 minors a_i b_j - a_j b_i, and ||a + b||^2 - (||a|| + ||b||)^2 = 2 (a.b - ||a|| ||b||); so
    equality makes every minor vanish (b = c a) with a.b >= 0 (c >= 0). On the segment from u* to u' the point
    (1 - t) u*_k + t u'_k has norm (1 - t)||u*_k|| + t||u'_k|| exactly when this holds for a = (1 - t) u*_k, b = t u'_k."""
    a = sp.Matrix(sp.symbols("a1:4", real=True))
    b = sp.Matrix(sp.symbols("b1:4", real=True))
    minors = sum((a[i] * b[j] - a[j] * b[i]) ** 2 for i in range(3) for j in range(i + 1, 3))
    assert sp.expand(a.dot(a) * b.dot(b) - a.dot(b) ** 2 - minors) == 0
    assert sp.expand((a + b).dot(a + b) - a.dot(a) - 2 * a.dot(b) - b.dot(b)) == 0
    for u, v in (([1, 2, 0], [2, 4, 0]), ([1, 2, 0], [2, 4, 1]), ([1, 2, 0], [-1, -2, 0])):   # a ray, or not
        u, v = sp.Matrix(u), sp.Matrix(v)
        equal = sp.sqrt((u + v).dot(u + v)) == sp.sqrt(u.dot(u)) + sp.sqrt(v.dot(v))
        assert equal == (minors.subs(dict(zip(list(a) + list(b), list(u) + list(v)))) == 0 and u.dot(v) >= 0)


def check_entrywise_cauchy_schwarz():
    """||sum_i d_i B_i||_F^2 <= ||d||^2 sum_i ||B_i||_F^2: per entry (sum_i d_i b_i)^2 <= ||d||^2 sum_i b_i^2, whose
    difference is the Lagrange sum of squares sum_{i<j} (d_i b_j - d_j b_i)^2."""
    d = sp.symbols("d1:4", real=True)
    b = sp.symbols("b1:4", real=True)
    lhs = sum(x * x for x in d) * sum(x * x for x in b) - sum(x * y for x, y in zip(d, b)) ** 2
    rhs = sum((d[i] * b[j] - d[j] * b[i]) ** 2 for i in range(3) for j in range(i + 1, 3))
    assert sp.expand(lhs - rhs) == 0


def check_left_inverse_of_an_affine_matrix():
    """K M(r0) = I and M affine in r: K M(r) = I + sum_i (r - r0)_i K M_i."""
    r1, r2 = sp.symbols("r1 r2", real=True)
    M = sp.Matrix([[1 + r1, 2 * r2], [r2, 1 - r1 + r2], [1, 1]])
    r0 = {r1: sp.Rational(1, 3), r2: sp.Rational(-1, 2)}
    M0 = M.subs(r0)
    K = (M0.T * M0).inv() * M0.T
    assert sp.simplify(K * M0 - sp.eye(2)) == sp.zeros(2, 2)
    Ms = [M.diff(r) for r in (r1, r2)]
    expansion = sp.eye(2) + sum(((r - r0[r]) * K * Mi for r, Mi in zip((r1, r2), Ms)), sp.zeros(2, 2))
    assert sp.simplify(K * M - expansion) == sp.zeros(2, 2)


def check_identity_plus_small_is_invertible():
    """||E v||^2 <= ||E||_F^2 ||v||^2 (Cauchy-Schwarz per row), so (I + E) v = 0 with ||E||_F < 1 forces v = 0;
    exhaustively: every 2 x 2 E with entries in {-1/2, -1/4, 0, 1/4, 1/2} and ||E||_F^2 < 1 has det(I + E) != 0."""
    e = sp.symbols("e11 e12 e21 e22", real=True)
    v = sp.symbols("v1 v2", real=True)
    E = sp.Matrix([[e[0], e[1]], [e[2], e[3]]])
    V = sp.Matrix(v)
    gap = sum(x * x for x in e) * V.dot(V) - (E * V).dot(E * V)
    squares = sum((E[i, 0] * v[1] - E[i, 1] * v[0]) ** 2 for i in range(2))
    assert sp.expand(gap - squares) == 0
    grid = [Fraction(k, 4) for k in range(-2, 3)]
    for entries in itertools.product(grid, repeat=4):
        if sum(x * x for x in entries) < 1:
            assert (1 + entries[0]) * (1 + entries[3]) - entries[1] * entries[2] != 0


def _loss(neurons, lam=Fraction(1, 8)):
    """L for x = (-1, 1), y = (1, 1/2): neurons (a, w) in one dimension."""
    X, y = (-1, 1), (1, Fraction(1, 2))
    f = [sum(a * max(0, w * x) for a, w in neurons) for x in X]
    return sum((fi - yi) ** 2 for fi, yi in zip(f, y)) / 4 + lam / 2 * sum(a * a + w * w for a, w in neurons)


def check_worked_example_against_brute_force():
    """Width 1: theta* = (a, w) = (1/2, 1/2) (u* = 1/4 = 1/2 - 2 lambda, value 19/64) is strict: every rational
    perturbation of a grid raises L. Width 2: splitting u* = 1/4 between two neurons of the chamber w > 0 keeps L = 19/64
    along a valley. decide_strictness agrees (exact r* = r0 = (1, 1/4), rho2 = 0)."""
    from verifier.checker.strictness import NON_STRICT, STRICT, Why, decide_strictness
    from verifier.instance import Instance

    half = Fraction(1, 2)
    assert _loss([(half, half)]) == Fraction(19, 64)
    steps = [Fraction(k, 64) for k in range(-3, 4)]
    for da, dw in itertools.product(steps, repeat=2):
        if da or dw:
            assert _loss([(half + da, half + dw)]) > Fraction(19, 64)
    for split in (Fraction(1, 16), Fraction(1, 8), Fraction(3, 16)):
        a1, a2 = sp.sqrt(sp.Rational(split)), sp.sqrt(sp.Rational(Fraction(1, 4) - split))   # balanced, u = a^2
        f2 = a1 * a1 + a2 * a2
        value = ((0 - 1) ** 2 + (f2 - sp.Rational(1, 2)) ** 2) / 4 + sp.Rational(1, 8) * (2 * a1 ** 2 + 2 * a2 ** 2) / 2
        assert sp.simplify(value - sp.Rational(19, 64)) == 0
    instance = Instance.from_arrays([[-1], [1]], [1, half], Fraction(1, 8))
    r_star = [Fraction(1), Fraction(1, 4)]
    assert decide_strictness(instance, [("-+", 1)], r_star, Fraction(0)).verdict == STRICT
    assert decide_strictness(instance, [("-+", 1)], r_star, Fraction(10**6)).verdict == STRICT     # m = 1: any ball
    assert decide_strictness(instance, [("-+", 1)] * 2, r_star, Fraction(0)) == \
        decide_strictness(instance, [("-+", 1), ("-+", 1)], None, None)
    assert decide_strictness(instance, [("-+", 1)] * 2, r_star, Fraction(0)).verdict == NON_STRICT
    assert decide_strictness(instance, [("-+", 1)] * 2, r_star, Fraction(0)).why is Why.SHARED_FACE


def check_zero_multipliers_on_orthogonal_kinks():
    """Neurons on kinks whose docs §5 multipliers are 0 at r*. X = I_2, y = (3/2, y2), lambda = 1/8, one neuron
    u* = (5/4, 0) (a > 0) on the kink of row 2: towards row 2 inactive the multiplier is identically 0, towards row 2
    active it is -r2/2 = -y2/2 (0 for y2 = 0). X = I_3, y = (3/2, 0, 0), lambda = 1/12: u* = (5/4, 0, 0) on two kinks,
    every multiplier 0 at r* = (1/4, 0, 0). Leaving the kinks costs lambda (||u|| - a) + (active part)^2/(2n) > 0 at
    second order: brute force on a grid of exact perturbations (every side of the kinks) shows each strict, and
    decide_strictness decides each strict on a ball of positive radius around r* (the multipliers are then not
    provably positive, and need not be: proof above)."""
    from verifier.checker.strictness import STRICT, decide_strictness
    from verifier.instance import Instance

    def G(u, y, lam):
        n = len(y)
        fit = sum((max(ui, 0) - yi) ** 2 for ui, yi in zip(u, y)) / (2 * n)
        return fit + lam * sp.sqrt(sum(ui * ui for ui in u))

    cases = [((sp.Rational(3, 2), sp.Rational(-1, 2)), sp.Rational(1, 8)), ((sp.Rational(3, 2), 0), sp.Rational(1, 8)),
             ((sp.Rational(3, 2), 0, 0), sp.Rational(1, 12))]
    for y, lam in cases:
        n = len(y)
        star = [y[0] - n * lam] + [0] * (n - 1)
        assert star[0] == sp.Rational(5, 4)
        value = G(star, y, lam)
        steps = [sp.Rational(k, 32) for k in (-2, -1, 0, 1, 2)]
        for delta in itertools.product(steps, repeat=n):
            if any(delta):
                assert G([a + b for a, b in zip(star, delta)], y, lam) - value > 0
        instance = Instance.from_arrays([[int(i == j) for j in range(n)] for i in range(n)],
                                        [Fraction(str(v)) for v in y], Fraction(str(lam)))
        r_star = [Fraction(str(yi - si)) for yi, si in zip(y, star)]
        face = "+" + "0" * (n - 1)
        assert decide_strictness(instance, [(face, 1)], r_star, Fraction(1, 10**6)).verdict == STRICT
