"""Lemma (strict and non-strict local minima of the catalog, SPEC §8). Let u* in relint F be a certified local minimum
of G (theta* its balanced lift; every neuron non-zero), F = (F_1, s_1) x ... x (F_m, s_m), F_k of sign vector tau_k
with zero rows Z_k, and r* (the unique optimal residual of C_F) in the ball ||r* - r0||^2 <= rho2.

Non-strict. (1) If neurons j != k share a signed face, u*_j = t_j e and u*_k = t_k e with one unit vector
e = p(r*)/lambda (both satisfy lambda u/||u|| = P h(r*) with the same P and h), and u_j = (t_j + d) e,
u_k = (t_k - d) e keeps every prediction and the penalty: equal loss arbitrarily close to theta* (a valley).
(2) If the columns [s_k D_k X e_k(r) ; 1] of M(r) span a space of dimension < m for every r (they lie in
W = sum_k image(D_k X A_k) plus the last coordinate, so 1 + dim W < m suffices), a kernel vector v of M(r*) moves
t* to t* + eps v (all t_k > 0 for small eps) keeping prediction and sum t_k: again a valley.

Strict, when (i) the signed faces are distinct, (ii) for every neuron k on kinks Z_k and every chamber sigma' around
F_k, with P the kink rows whose SPEC §5 multiplier mu_z(r) = sigma'_z c_z(r) (linear in r) is proved > 0 on the ball
(mu_z(r0) > 0 and mu_z(r0)^2 > ||grad mu_z||^2 rho2), every face F' between F_k and sigma' with zero rows
P <= Z' < Z_k has a row i in Z_k minus Z' with tau'_i <x_i, p_F'(r)> <= 0 on the whole ball (p_F' = P_Z' h, as in
rule (c); vacuous when P = Z_k), and (iii) rho2 * sum_i ||B_i||_F^2 < 1 with K = (M0^T M0)^-1 M0^T,
M(r) = M0 + sum_i (r - r0)_i M_i, B_i = K M_i. Proof:
- Unbalanced theta' near theta*: L(theta') > G(u') >= G(u*) = L(theta*) (lemma_balanced_lift; u* is a local minimum
  of G because the lift is continuous). Balanced theta' != theta* has u' != u*, so it suffices that G(u') > G(u*)
  for u' != u* near u*.
- u' near u* lies in cl R' for a region R' around F (the closed chambers around each u*_k cover a neighbourhood).
  G is convex on cl R' and u* minimizes it there; (ii) makes mu > 0 a KKT vector of that program at u*, so the
  Lagrangian Lambda = G - sum mu_z g_z (g_z(u) = sigma_z <x_z, u_k> >= 0 on cl R', g_z(u*) = 0) is convex with
  grad Lambda(u*) = 0: Lambda(u') >= Lambda(u*), i.e. G(u') - G(u*) >= sum mu_z g_z(u') >= 0 (the face certificate
  proved every mu_z >= 0). Equality forces g_z(u') = 0 wherever mu_z > 0: the rows of P stay active. If neuron k of
  u' left a kink row of Z_k minus P, it would lie (near u*, non-zero) in the relative interior of a face F' with
  zero rows P <= Z' < Z_k and the signs of sigma' on Z_k minus Z'; the KKT conditions of R''s program at u' (r* is
  R''s optimal residual too) projected onto the flat of Z' give lambda u'_k/||u'_k|| = p_F'(r*), whose sign on a row
  of Z_k minus Z' must be tau'_i: excluded by (ii). So u' lies on the kinks, in F (the other signs persist near
  u*), and is a minimizer of C_F.
- Minimizers of C_F near u* in relint F: KKT gives u'_k = t'_k e_k(r*) with the same e_k, and all minimizers share
  the prediction sum_k t_k s_k D_k X e_k and the penalty lambda sum_k t_k: M(r*) (t' - t*) = 0. By (iii)
  K M(r*) = I + E with ||E||_2 <= ||E||_F <= ||r* - r0|| (sum_i ||B_i||_F^2)^(1/2) < 1 (Cauchy-Schwarz entrywise),
  so K M(r*) is invertible, M(r*) has full column rank and t' = t*: u' = u*.
Interior entries (no kinks) need (i) and (iii) only: near u* every u' stays in F.

Used by: checker.strictness.decide_strictness (through checker.catalog._strictness, the "strict" of a catalog entry),
checker.face.kink_multiplier_failure (strict=True), and the solver side's catalog (the same function).
Checked below: the valleys of (1) and (2) exactly; the Lagrangian inequality and the entrywise Cauchy-Schwarz bound
(sum-of-squares identities); K M(r) = I + sum (r - r0)_i B_i for an affine M; invertibility of I + E when
||E||_F < 1; and the worked example x = (-1, 1), y = (1, 1/2), lambda = 1/8 against brute force: width 1's 19/64 is
strict (every rational perturbation on a grid raises L), width 2's 19/64 is not (a valley of equal loss), and
decide_strictness says the same.
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


def check_lagrangian_inequality():
    """Strict complementarity at work: G(u) = ((u1 - y1)^2 + (u2 - y2)^2)/2 + lambda ||u|| on g(u) = u2 >= 0, with
    minimizer u* = (y1 - lambda, 0) on the kink and multiplier mu = -y2 > 0. Exactly,
    G(u') - G(u*) - mu g(u') = ((a - c*)^2 + b^2)/2 + lambda (||u'|| - a) >= 0 for u' = (a, b), zero only at u*;
    so G(u') = G(u*) with u' feasible forces mu g(u') = 0, i.e. b = 0: every minimizer stays on the kink."""
    a, b = sp.symbols("a b", real=True)
    lam, y1, y2 = sp.Rational(1, 8), sp.Rational(3, 2), sp.Rational(-1, 2)

    def G(u1, u2):
        return ((u1 - y1) ** 2 + (u2 - y2) ** 2) / 2 + lam * sp.sqrt(u1 ** 2 + u2 ** 2)

    c_star, mu = y1 - lam, -y2
    assert c_star > 0 and mu > 0
    gradient = [sp.diff(G(a, b), v).subs({a: c_star, b: 0}) for v in (a, b)]
    assert gradient == [0, mu]                            # KKT: grad G(u*) = mu grad g
    identity = G(a, b) - G(c_star, 0) - mu * b - (((a - c_star) ** 2 + b ** 2) / 2 + lam * (sp.sqrt(a ** 2 + b ** 2) - a))
    assert sp.simplify(identity) == 0


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
    labels = ["-+", "+-"]
    r_star = [Fraction(1), Fraction(1, 4)]
    assert decide_strictness(instance, labels, [("-+", 1)], r_star, Fraction(0)).verdict == STRICT
    assert decide_strictness(instance, labels, [("-+", 1)] * 2, r_star, Fraction(0)) == \
        decide_strictness(instance, labels, [("-+", 1), ("-+", 1)], None, None)
    assert decide_strictness(instance, labels, [("-+", 1)] * 2, r_star, Fraction(0)).verdict == NON_STRICT
    assert decide_strictness(instance, labels, [("-+", 1)] * 2, r_star, Fraction(0)).why is Why.SHARED_FACE


def check_zero_multiplier_on_an_orthogonal_kink():
    """(ii) beyond strict complementarity: X = I_2, y = (3/2, -1/2), lambda = 1/8, one neuron u* = (5/4, 0) (a > 0) on
    the kink of row 2. Its multiplier towards row 2 inactive is identically 0 (x_2 is orthogonal to the active x_1),
    yet the minimum is strict: leaving the kink into that side costs lambda (||u|| - a) > 0, second order, which the
    sign test sees as p_F'(r) = (1/2) r_1 x_1 having <x_2, p_F'(r)> = 0 <= 0 on the whole ball. Brute force on a grid
    of exact perturbations (both sides of the kink) against decide_strictness."""
    from verifier.checker.face import kink_multiplier_margins
    from verifier.checker.strictness import STRICT, decide_strictness
    from verifier.instance import Instance

    lam, y = sp.Rational(1, 8), (sp.Rational(3, 2), sp.Rational(-1, 2))

    def G(a, b):
        return ((a - y[0]) ** 2 + (max(b, 0) - y[1]) ** 2) / 4 + lam * sp.sqrt(a * a + b * b)

    star = G(sp.Rational(5, 4), 0)
    steps = [sp.Rational(k, 32) for k in range(-3, 4)]
    for da, db in itertools.product(steps, repeat=2):
        if da or db:
            assert G(sp.Rational(5, 4) + da, db) - star > 0
    instance = Instance.from_arrays([[1, 0], [0, 1]], [Fraction(3, 2), Fraction(-1, 2)], Fraction(1, 8))
    labels = ["++", "+-", "-+", "--"]
    r_star = [Fraction(1, 4), Fraction(-1, 2)]
    margins = {label: value for label, _, value, _ in kink_multiplier_margins(instance, labels, [1, 0], 1, [1], r_star,
                                                                             Fraction(0))}
    assert margins == {"++": Fraction(1, 4), "+-": 0}          # one multiplier is exactly zero
    assert decide_strictness(instance, labels, [("+0", 1)], r_star, Fraction(0)).verdict == STRICT


def check_one_kink_row_needs_only_a_nonnegative_multiplier():
    """For a neuron on a single kink row z and a chamber sigma' around it, the sign test of (ii) on the face F' = sigma'
    is the multiplier itself: sigma'_z <x_z, h_sigma'(r)> = -||x_z||^2 mu_z(r) for every r (with
    lambda u/||u|| = P h_k(r), <x_z, P h_k(r)> = 0). So the face certificate's mu_z >= 0 on the ball already rules
    F' out: a neuron on one kink never needs a strictly positive multiplier (multi-kink neurons do need (ii))."""
    X = sp.Matrix([[1, 2, 0], [0, 1, -1], [2, -1, 1], [1, 1, 1]])
    z, n, s = 1, 4, -1
    sigma_k = [1, 0, -1, 1]                                  # the face: kink on row 1
    r = sp.Matrix(sp.symbols(f"r0:{n}", real=True))
    xz = X.row(z).T

    def h(signs):
        return sum((sp.Rational(s, n) * r[i] * X.row(i).T for i in range(n) if signs[i] > 0), sp.zeros(3, 1))

    for side in (1, -1):
        sigma_ = list(sigma_k)
        sigma_[z] = side
        delta = int(side > 0) - int(sigma_k[z] > 0)
        c = -sp.Rational(s, n) * delta * r[z] - (xz.dot(h(sigma_k))) / xz.dot(xz)     # lemma_face_certificate's c
        mu = side * c
        assert sp.expand(side * xz.dot(h(sigma_)) + xz.dot(xz) * mu) == 0
